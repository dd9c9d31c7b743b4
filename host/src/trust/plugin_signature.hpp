#pragma once
// Detached plugin signatures: FILE.so.sig, a small JSON document beside the
// plugin, holding an Ed25519 signature over a manifest that binds the file's
// SHA-256 to the namespace and version the plugin claims. Binding the identity
// stops a validly signed plugin from being passed off as another one (or as
// another version of itself) under a different file name.
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "trust/ed25519.hpp"
#include "trust/sha256.hpp"

namespace mcpd::trust {

inline constexpr std::string_view kSignatureFormat = "mcpd-plugin-signature/1";

struct SignedManifest {
  std::string plugin_namespace;
  std::string version;
  Sha256 sha256{};
};

// The exact bytes that are signed: the format tag and one "key=value" line per
// field, so no JSON canonicalisation question can arise.
std::string signed_message(const SignedManifest& manifest);

struct SignatureFile {
  SignedManifest manifest;
  std::string key_id;  // of the signing key; informative, trust comes from the key itself
  PublicKey public_key;
  Ed25519Signature signature{};
};

// FILE.so -> FILE.so.sig
std::filesystem::path signature_path_for(const std::filesystem::path& plugin);

SignatureFile sign_manifest(const SignedManifest& manifest, const PrivateKey& key);
std::string to_json_text(const SignatureFile& file);
// nullopt with `error` naming the problem when `text` is not a signature file.
std::optional<SignatureFile> parse_signature_file(std::string_view text, std::string& error);

struct Verdict {
  bool ok = false;
  std::string reason;  // why not, phrased for an operator
  std::string key_id;  // the trusted key that verified it
};

// Checks `file` against the digest of the bytes about to be loaded and the
// trusted keys: the digest must match the signed one, the signing key must be
// trusted, and the signature must verify. The namespace and version are
// checked by the caller once the plugin has negotiated.
Verdict verify_signature(const SignatureFile& file, const Sha256& actual,
                         std::span<const PublicKey> trusted_keys);

}  // namespace mcpd::trust
