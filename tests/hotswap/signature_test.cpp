// With plugins.require_signed, only a plugin whose detached Ed25519 signature
// verifies with a trusted key over exactly the bytes being loaded (and over the
// namespace and version it claims) gets in; the check runs on the staged copy.
#include <catch2/catch.hpp>

#include <fstream>

#include "support/in_process_client.hpp"
#include "trust/plugin_signature.hpp"

using namespace hotswap_test;
namespace trust = mcpd::trust;

namespace {

void write_signature(const std::filesystem::path& plugin, const trust::SignedManifest& manifest,
                     const trust::PrivateKey& key) {
  std::ofstream(trust::signature_path_for(plugin))
      << trust::to_json_text(trust::sign_manifest(manifest, key));
}

trust::SignedManifest manifest_of(std::string_view bytes, std::string version) {
  return {"swap", std::move(version), trust::sha256(bytes)};
}

struct SignedServer {
  trust::PrivateKey trusted = trust::PrivateKey::generate();
  trust::PrivateKey stranger = trust::PrivateKey::generate();
  std::string v1 = read_bytes(swap_plugin("v1"));
  std::string v2 = read_bytes(swap_plugin("v2"));
  InProcessServer server{[this](mcpd::config::Config& c) {
    c.plugin_policy.require_signed = true;
    c.plugin_policy.trusted_keys = {trusted.public_key().to_text()};
  }};
  std::filesystem::path plugin = server.plugins / "swap.so";

  // The signature goes in first, then the plugin (as the docs say).
  void deploy_signed(const std::string& bytes, const std::string& version, const trust::PrivateKey& key) {
    write_signature(plugin, manifest_of(bytes, version), key);
    deploy_bytes(server.plugins.path(), "swap.so", bytes);
  }
};

}  // namespace

TEST_CASE("signatures: a plugin signed by a trusted key loads - the state names the key", "[trust]") {
  SignedServer s;
  s.deploy_signed(s.v1, "1.0.0", s.trusted);
  auto report = s.server.reload();
  REQUIRE(report.published);
  REQUIRE(report.refused.empty());
  InProcessClient client(*s.server.context);
  client.initialize();
  CHECK(client.call_text("swap.which") == "1.0.0");
  auto serving = s.server.manager->serving();
  REQUIRE(serving.size() == 1);
  CHECK(serving[0].signature == "verified (key " + s.trusted.public_key().key_id() + ")");
  CHECK(serving[0].sha256 == trust::to_hex(trust::sha256(s.v1)));

  // A signed version 2 replaces it.
  s.deploy_signed(s.v2, "2.0.0", s.trusted);
  REQUIRE(s.server.reload().published);
  CHECK(client.call_text("swap.which") == "2.0.0");
}

TEST_CASE("signatures: tampered, wrong key, missing, or made for another version are refused", "[trust]") {
  SignedServer s;
  s.deploy_signed(s.v1, "1.0.0", s.trusted);
  REQUIRE(s.server.reload().published);
  InProcessClient client(*s.server.context);
  client.initialize();

  SECTION("one byte changed after signing") {
    std::string tampered = s.v2;
    tampered[tampered.size() / 2] = static_cast<char>(tampered[tampered.size() / 2] ^ 0x01);
    write_signature(s.plugin, manifest_of(s.v2, "2.0.0"), s.trusted);
    deploy_bytes(s.server.plugins.path(), "swap.so", tampered);
    auto report = s.server.reload();
    CHECK_FALSE(report.published);
    REQUIRE(report.refused.size() == 1);
    CHECK_THAT(report.refused[0].reason, Catch::Contains("does not match its signature"));
  }
  SECTION("signed by a key that is not trusted") {
    s.deploy_signed(s.v2, "2.0.0", s.stranger);
    auto report = s.server.reload();
    CHECK_FALSE(report.published);
    REQUIRE(report.refused.size() == 1);
    CHECK_THAT(report.refused[0].reason,
               Catch::Contains("signed by key " + s.stranger.public_key().key_id()));
    CHECK_THAT(report.refused[0].reason, Catch::Contains("not in plugins.trusted_keys"));
  }
  SECTION("no signature at all") {
    std::filesystem::remove(trust::signature_path_for(s.plugin));
    deploy_bytes(s.server.plugins.path(), "swap.so", s.v2);
    auto report = s.server.reload();
    CHECK_FALSE(report.published);
    REQUIRE(report.refused.size() == 1);
    CHECK_THAT(report.refused[0].reason, Catch::Contains("unsigned"));
  }
  SECTION("a signature file whose signature bytes were altered") {
    auto file = trust::sign_manifest(manifest_of(s.v2, "2.0.0"), s.trusted);
    file.signature[0] ^= 0x80;
    std::ofstream(trust::signature_path_for(s.plugin)) << trust::to_json_text(file);
    deploy_bytes(s.server.plugins.path(), "swap.so", s.v2);
    auto report = s.server.reload();
    CHECK_FALSE(report.published);
    REQUIRE(report.refused.size() == 1);
    CHECK_THAT(report.refused[0].reason, Catch::Contains("does not verify"));
  }
  SECTION("a valid signature for the bytes, but made for another version") {
    s.deploy_signed(s.v2, "7.7.7", s.trusted);
    auto report = s.server.reload();
    CHECK_FALSE(report.published);
    REQUIRE(report.refused.size() == 1);
    CHECK_THAT(report.refused[0].reason, Catch::Contains("made for swap 7.7.7"));
    CHECK_THAT(report.refused[0].reason, Catch::Contains("swap 2.0.0"));
  }
  // Whatever was refused, version 1 still answers and nobody was told of a change.
  CHECK(client.call_text("swap.which") == "1.0.0");
  CHECK(client.count("notifications/tools/list_changed") == 0);
  CHECK(s.server.manager->plugin_state().at("refused").as_array().size() == 1);
}

TEST_CASE("signatures: a file swapped between the check and the load cannot get in", "[trust][staging]") {
  SignedServer s;
  s.deploy_signed(s.v1, "1.0.0", s.trusted);
  REQUIRE(s.server.reload().published);
  InProcessClient client(*s.server.context);
  client.initialize();

  // Version 2, properly signed, is deployed. Right after mcpd copied it, and
  // before it verifies and loads it, an attacker puts unsigned bytes (the
  // init_fails build, which would be refused at once) at the original path.
  s.deploy_signed(s.v2, "2.0.0", s.trusted);
  const std::string evil = read_bytes(swap_plugin("init_fails"));
  std::filesystem::path staged_seen;
  s.server.manager->after_staging = [&](const std::filesystem::path& original,
                                        const std::filesystem::path& staged) {
    staged_seen = staged;
    deploy_bytes(original.parent_path(), original.filename().string(), evil);
  };
  auto report = s.server.reload();
  s.server.manager->after_staging = nullptr;

  // What was verified is the staged copy, and that is what runs.
  REQUIRE(report.published);
  CHECK(report.refused.empty());
  CHECK(client.call_text("swap.which") == "2.0.0");
  auto serving = s.server.manager->serving();
  REQUIRE(serving.size() == 1);
  CHECK(serving[0].loaded_from == staged_seen);
  CHECK(serving[0].sha256 == trust::to_hex(trust::sha256(s.v2)));
  CHECK(read_bytes(staged_seen) == s.v2);
  CHECK(read_bytes(s.plugin) == evil);

  // The next reload sees the changed file and refuses it: it does not match its signature.
  report = s.server.reload();
  CHECK_FALSE(report.published);
  REQUIRE(report.refused.size() == 1);
  CHECK_THAT(report.refused[0].reason, Catch::Contains("does not match its signature"));
  CHECK(client.call_text("swap.which") == "2.0.0");
}

TEST_CASE("signature files: format round trip and clear errors", "[trust][format]") {
  auto key = trust::PrivateKey::generate();
  const std::string bytes = "plugin bytes";
  auto file = trust::sign_manifest(manifest_of(bytes, "1.2.3"), key);
  std::string error;
  auto parsed = trust::parse_signature_file(trust::to_json_text(file), error);
  REQUIRE(parsed);
  CHECK(parsed->manifest.plugin_namespace == "swap");
  CHECK(parsed->manifest.version == "1.2.3");
  CHECK(parsed->key_id == key.public_key().key_id());
  std::vector<trust::PublicKey> trusted{key.public_key()};
  CHECK(trust::verify_signature(*parsed, trust::sha256(bytes), trusted).ok);
  CHECK_FALSE(trust::verify_signature(*parsed, trust::sha256("other bytes"), trusted).ok);
  CHECK_FALSE(trust::parse_signature_file("not json", error));
  CHECK(error == "the signature file is not a JSON object");
  CHECK_FALSE(trust::parse_signature_file(R"({"format":"gpg"})", error));
  CHECK_THAT(error, Catch::Contains("unknown signature format \"gpg\""));

  // Keys survive their text forms.
  auto again = trust::PrivateKey::from_pem(key.to_pem(), "test");
  CHECK(again.public_key() == key.public_key());
  auto pub = trust::PublicKey::from_text(key.public_key().to_text(), error);
  REQUIRE(pub);
  CHECK(*pub == key.public_key());
  CHECK_FALSE(trust::PublicKey::from_text("c2hvcnQ=", error));
  CHECK_THAT(error, Catch::Contains("32 bytes"));
}
