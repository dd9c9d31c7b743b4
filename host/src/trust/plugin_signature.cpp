#include "trust/plugin_signature.hpp"

#include <boost/json.hpp>

#include "util/base64.hpp"

namespace mcpd::trust {
namespace json = boost::json;

std::string signed_message(const SignedManifest& manifest) {
  std::string out(kSignatureFormat);
  out += "\nnamespace=" + manifest.plugin_namespace;
  out += "\nversion=" + manifest.version;
  out += "\nsha256=" + to_hex(manifest.sha256);
  out += "\n";
  return out;
}

std::filesystem::path signature_path_for(const std::filesystem::path& plugin) {
  std::filesystem::path sig = plugin;
  sig += ".sig";
  return sig;
}

SignatureFile sign_manifest(const SignedManifest& manifest, const PrivateKey& key) {
  SignatureFile file;
  file.manifest = manifest;
  file.public_key = key.public_key();
  file.key_id = file.public_key.key_id();
  file.signature = key.sign(signed_message(manifest));
  return file;
}

std::string to_json_text(const SignatureFile& file) {
  json::object doc{
      {"format", kSignatureFormat},
      {"namespace", file.manifest.plugin_namespace},
      {"version", file.manifest.version},
      {"sha256", to_hex(file.manifest.sha256)},
      {"key_id", file.key_id},
      {"public_key", file.public_key.to_text()},
      {"signature", base64_encode(file.signature.data(), file.signature.size())},
  };
  return json::serialize(doc) + "\n";
}

std::optional<SignatureFile> parse_signature_file(std::string_view text, std::string& error) {
  boost::system::error_code ec;
  json::value doc = json::parse(text, ec);
  if (ec || !doc.is_object()) {
    error = "the signature file is not a JSON object";
    return std::nullopt;
  }
  const auto& object = doc.get_object();
  auto field = [&](std::string_view key) -> std::optional<std::string> {
    const auto* v = object.if_contains(key);
    if (v == nullptr || !v->is_string()) {
      error = "the signature file has no string \"" + std::string(key) + "\"";
      return std::nullopt;
    }
    return std::string(v->get_string());
  };
  auto format = field("format");
  if (!format) return std::nullopt;
  if (*format != kSignatureFormat) {
    error = "unknown signature format \"" + *format + "\" (this host reads " + std::string(kSignatureFormat) +
            ")";
    return std::nullopt;
  }
  auto ns = field("namespace");
  auto version = ns ? field("version") : std::nullopt;
  auto digest = version ? field("sha256") : std::nullopt;
  auto key_id = digest ? field("key_id") : std::nullopt;
  auto public_key = key_id ? field("public_key") : std::nullopt;
  auto signature = public_key ? field("signature") : std::nullopt;
  if (!signature) return std::nullopt;

  SignatureFile file;
  file.manifest.plugin_namespace = std::move(*ns);
  file.manifest.version = std::move(*version);
  auto sha = sha256_from_hex(*digest);
  if (!sha) {
    error = "the signature file's \"sha256\" is not 64 hex digits";
    return std::nullopt;
  }
  file.manifest.sha256 = *sha;
  file.key_id = std::move(*key_id);
  std::string key_error;
  auto key = PublicKey::from_text(*public_key, key_error);
  if (!key) {
    error = "the signature file's \"public_key\" is " + key_error;
    return std::nullopt;
  }
  file.public_key = *key;
  auto raw = base64_decode(*signature);
  if (!raw || raw->size() != file.signature.size()) {
    error = "the signature file's \"signature\" is not the base64 of 64 bytes";
    return std::nullopt;
  }
  std::copy(raw->begin(), raw->end(), reinterpret_cast<char*>(file.signature.data()));
  return file;
}

Verdict verify_signature(const SignatureFile& file, const Sha256& actual,
                         std::span<const PublicKey> trusted_keys) {
  Verdict verdict;
  if (file.manifest.sha256 != actual) {
    verdict.reason = "the file does not match its signature: its SHA-256 is " + to_hex(actual) +
                     ", the signature covers " + to_hex(file.manifest.sha256) +
                     " (tampered, or rebuilt without signing again)";
    return verdict;
  }
  const PublicKey* key = nullptr;
  for (const auto& k : trusted_keys)
    if (k == file.public_key) key = &k;
  if (key == nullptr) {
    verdict.reason = "signed by key " + file.public_key.key_id() +
                     ", which is not in plugins.trusted_keys (add its public key there to trust it)";
    return verdict;
  }
  if (!verify(*key, signed_message(file.manifest), file.signature)) {
    verdict.reason = "the signature does not verify with key " + key->key_id() + " (tampered signature file)";
    return verdict;
  }
  verdict.ok = true;
  verdict.key_id = key->key_id();
  return verdict;
}

}  // namespace mcpd::trust
