// mcpd plugin keygen, sign and verify, and `serve` with require_signed: the
// operator's side of plugin signatures.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "mcp_session.hpp"
#include "support/plugin_dir.hpp"

using namespace hotswap_test;
using mcpd_test::McpSession;
using mcpd_test::ServeOptions;
namespace json = boost::json;
using std::chrono::milliseconds;

namespace {

mcpd_test::ProcessOutcome mcpd(std::vector<std::string> args) {
  args.insert(args.begin(), mcpd_executable().string());
  return mcpd_test::run_to_completion(std::move(args), milliseconds(30000));
}

json::object json_of(const mcpd_test::ProcessOutcome& outcome) {
  INFO("stdout: " << outcome.stdout_text << "\nstderr: " << outcome.stderr_text);
  auto parsed = json::parse(outcome.stdout_text);
  REQUIRE(parsed.is_object());
  return parsed.as_object();
}

struct Key {
  std::string pem, public_key;
};

Key keygen(const ScratchDir& dir, std::string_view name) {
  auto out = mcpd({"plugin", "keygen", "--out", (dir / name).string()});
  INFO(out.stderr_text);
  REQUIRE(out.exit_code == 0);
  auto doc = json_of(out);
  return {std::string(doc.at("private_key_file").as_string()), std::string(doc.at("public_key").as_string())};
}

}  // namespace

TEST_CASE("plugin keygen, sign and verify", "[trust][cli]") {
  ScratchDir keys, plugins;
  const Key key = keygen(keys, "release");
  struct stat st {};
  REQUIRE(::stat(key.pem.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);  // the private key is the operator's alone
  CHECK(read_bytes(keys / "release.pub") == key.public_key + "\n");
  CHECK(mcpd({"plugin", "keygen", "--out", (keys / "release").string()}).exit_code == 2);  // never overwrites

  const auto plugin = deploy(plugins.path(), "swap.so", swap_plugin("v1"));
  auto signed_out = mcpd({"plugin", "sign", plugin.string(), "--key", key.pem});
  INFO(signed_out.stderr_text);
  REQUIRE(signed_out.exit_code == 0);
  auto signed_doc = json_of(signed_out);
  CHECK(signed_doc.at("namespace").as_string() == "swap");
  CHECK(signed_doc.at("version").as_string() == "1.0.0");
  CHECK(std::filesystem::exists(plugins / "swap.so.sig"));

  auto good = mcpd({"plugin", "verify", plugin.string(), "--trusted-key", key.public_key});
  CHECK(good.exit_code == 0);
  CHECK(json_of(good).at("valid").as_bool());

  const Key other = keygen(keys, "other");
  auto wrong_key = mcpd({"plugin", "verify", plugin.string(), "--trusted-key", other.public_key});
  CHECK(wrong_key.exit_code == 1);
  CHECK_THAT(json::serialize(json_of(wrong_key).at("problems")),
             Catch::Contains("not in plugins.trusted_keys"));

  deploy(plugins.path(), "swap.so", swap_plugin("v2"));  // new bytes, old signature
  auto tampered = mcpd({"plugin", "verify", plugin.string(), "--trusted-key", key.public_key});
  CHECK(tampered.exit_code == 1);
  CHECK_THAT(json::serialize(json_of(tampered).at("problems")),
             Catch::Contains("does not match its signature"));

  std::filesystem::remove(plugins / "swap.so.sig");
  auto unsigned_out = mcpd({"plugin", "verify", plugin.string(), "--trusted-key", key.public_key});
  CHECK(unsigned_out.exit_code == 1);
  CHECK_THAT(json::serialize(json_of(unsigned_out).at("problems")), Catch::Contains("unsigned"));
}

TEST_CASE("serve with require_signed loads signed plugins only, and signed swaps go through",
          "[trust][serve]") {
  ScratchDir keys, plugins, scratch;
  const Key key = keygen(keys, "release");
  const auto plugin = deploy(plugins.path(), "swap.so", swap_plugin("v1"));
  REQUIRE(mcpd({"plugin", "sign", plugin.string(), "--key", key.pem}).exit_code == 0);
  const auto unsigned_plugin = deploy(plugins.path(), "other.so", swap_plugin("v2"));

  ServeOptions options;
  options.plugin_dirs = {plugins.path().string()};
  options.config = json::object{{"plugins",
                                 {{"require_signed", true},
                                  {"trusted_keys", json::array{json::string(key.public_key)}},
                                  {"debounce_ms", 20},
                                  {"staging_dir", (scratch / "staging").string()}}}};
  McpSession session(options);
  session.initialize();
  INFO(session.diagnostics());
  CHECK(mcpd_test::text_of(session.call_tool_result("swap.which")) == "1.0.0");
  const auto log = session.process().stderr_text();
  CHECK_THAT(log, Catch::Contains("msg=\"plugin refused\" file=" + unsigned_plugin.string()));
  CHECK_THAT(log, Catch::Contains("unsigned: signatures are required"));

  // A signed version 2 (signature first, then the plugin) is swapped in.
  ScratchDir build;
  const auto v2 = deploy(build.path(), "swap.so", swap_plugin("v2"));
  REQUIRE(mcpd({"plugin", "sign", v2.string(), "--key", key.pem}).exit_code == 0);
  std::filesystem::remove(unsigned_plugin);
  deploy(plugins.path(), "swap.so.sig", build / "swap.so.sig");
  deploy(plugins.path(), "swap.so", v2);
  REQUIRE(session.await_message(
      [](const json::value& m) {
        const auto* o = m.if_object();
        return o != nullptr && o->contains("method") &&
               o->at("method").as_string() == "notifications/tools/list_changed";
      },
      milliseconds(10000)));
  CHECK(mcpd_test::text_of(session.call_tool_result("swap.which")) == "2.0.0");
}
