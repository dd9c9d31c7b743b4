// server.request_state_key and server.request_state_ttl_s: defaults, the file, their variables, ranges,
// and that the key (a secret) never appears in a message.
#include "config/config.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <string>

using mcpd::config::Config;
using mcpd::config::ConfigError;

namespace {

// Hex, base64 and base64url spellings of keys; none of them may ever be echoed.
const std::string kHexKey = "8f3a1c5e7b9d0f2468ace13579bdf02468ace13579bdf02468ace13579bdf024";
const std::string kBase64Key = "q83vASNFZ4mrze8BI0VniavN7wEjRWeJq83vASNFZ4k=";
const std::string kBadKey = "SEALKEY-too-short-0123456789";

Config parse(std::string_view text, std::map<std::string, std::string> variables = {}) {
  return mcpd::config::parse(
      text,
      [variables = std::move(variables)](std::string_view name) -> std::optional<std::string> {
        const auto found = variables.find(std::string(name));
        if (found == variables.end()) return std::nullopt;
        return found->second;
      },
      "config.json");
}

std::string parse_error(std::string_view text, std::map<std::string, std::string> variables = {}) {
  try {
    parse(text, std::move(variables));
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

std::string with_key(const std::string& key) {
  return R"({"server": {"request_state_key": ")" + key + R"("}})";
}

}  // namespace

TEST_CASE("request state settings: no key and 10 minutes by default") {
  const Config config = parse("{}");
  CHECK(config.server.request_state_key.empty());
  CHECK(config.server.request_state_ttl_s == 600);
}

TEST_CASE("request state settings from the file, kept as written") {
  const Config hex =
      parse(R"({"server": {"request_state_key": ")" + kHexKey + R"(", "request_state_ttl_s": 30}})");
  CHECK(hex.server.request_state_key == kHexKey);
  CHECK(hex.server.request_state_ttl_s == 30);
  CHECK(hex.warnings.empty());
  CHECK(parse(with_key(kBase64Key)).server.request_state_key == kBase64Key);
  CHECK(parse(R"({"server": {"request_state_ttl_s": 10}})").server.request_state_ttl_s == 10);
  CHECK(parse(R"({"server": {"request_state_ttl_s": 86400}})").server.request_state_ttl_s == 86400);
}

TEST_CASE("MCPD_REQUEST_STATE_KEY and MCPD_REQUEST_STATE_TTL_S beat the file") {
  const Config config =
      parse(R"({"server": {"request_state_key": ")" + kHexKey + R"(", "request_state_ttl_s": 30}})",
            {{"MCPD_REQUEST_STATE_KEY", kBase64Key}, {"MCPD_REQUEST_STATE_TTL_S", "120"}});
  CHECK(config.server.request_state_key == kBase64Key);
  CHECK(config.server.request_state_ttl_s == 120);
  // Empty variables count as unset.
  CHECK(parse(with_key(kHexKey), {{"MCPD_REQUEST_STATE_KEY", ""}}).server.request_state_key == kHexKey);
}

TEST_CASE("request_state_ttl_s out of range names the key or the variable and the range") {
  CHECK(parse_error(R"({"server": {"request_state_ttl_s": 9}})") ==
        "config.json: server.request_state_ttl_s must be between 10 and 86400 (seconds, up to 24 hours), got "
        "9");
  CHECK(parse_error(R"({"server": {"request_state_ttl_s": 86401}})") ==
        "config.json: server.request_state_ttl_s must be between 10 and 86400 (seconds, up to 24 hours), got "
        "86401");
  CHECK(parse_error(R"({"server": {"request_state_ttl_s": "600"}})") ==
        "config.json: server.request_state_ttl_s must be a positive integer, got \"600\"");
  CHECK(
      parse_error("{}", {{"MCPD_REQUEST_STATE_TTL_S", "0"}}) ==
      "environment variable MCPD_REQUEST_STATE_TTL_S must be between 10 and 86400 (seconds, up to 24 hours), "
      "got 0");
  CHECK(parse_error("{}", {{"MCPD_REQUEST_STATE_TTL_S", "10m"}}) ==
        "environment variable MCPD_REQUEST_STATE_TTL_S must be a positive integer, got \"10m\"");
}

TEST_CASE("a malformed request_state_key is an error that never shows the key") {
  const std::string format =
      " must be 64 hex digits or base64 of at least 32 bytes (e.g. openssl rand -hex 32), got ";
  CHECK(parse_error(with_key(kBadKey)) ==
        "config.json: server.request_state_key" + format + "a string (value hidden)");
  CHECK(parse_error(with_key(kHexKey.substr(2))) ==
        "config.json: server.request_state_key" + format + "a string (value hidden)");
  CHECK(parse_error(with_key("")) ==
        "config.json: server.request_state_key" + format + "a string (value hidden)");
  CHECK(parse_error(R"({"server": {"request_state_key": 12345678901234567890}})") ==
        "config.json: server.request_state_key" + format + "a number (value hidden)");
  CHECK(parse_error(R"({"server": {"request_state_key": [")" + kHexKey + R"("]}})") ==
        "config.json: server.request_state_key" + format + "an array (value hidden)");
  CHECK(parse_error("{}", {{"MCPD_REQUEST_STATE_KEY", kBadKey}}) ==
        "environment variable MCPD_REQUEST_STATE_KEY" + format + "a string (value hidden)");
}

TEST_CASE("the request state key never appears in errors or warnings about other settings") {
  for (const std::string& key : {kHexKey, kBase64Key, kBadKey}) {
    INFO("key #" << key.size());
    // The variable on top of a broken file.
    const std::string from_env = parse_error(R"({"server": {"request_state_key": 5, "worker_threads": 0}})",
                                             {{"MCPD_REQUEST_STATE_KEY", key}});
    CHECK_FALSE(from_env.empty());
    CHECK(from_env.find(key) == std::string::npos);
    // A misspelt key: the warning names the key, not its value.
    const Config misspelt = parse(R"({"server": {"request_state_kye": ")" + key + R"("}})");
    REQUIRE(misspelt.warnings.size() == 1);
    CHECK(misspelt.warnings[0] ==
          "config.json: unknown key \"server.request_state_kye\" is ignored; did you mean "
          "\"server.request_state_key\"?");
    // The server section in the wrong place entirely.
    const std::string broken = parse_error(R"({"server": {"request_state_key": ")" + key + R"(" oops}})");
    CHECK_FALSE(broken.empty());
    CHECK(broken.find(key) == std::string::npos);
  }
}
