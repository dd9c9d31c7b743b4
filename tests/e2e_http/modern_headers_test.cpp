// The header rules of 2026-07-28 requests over HTTP (transport/http/modern_headers.hpp), as pure
// functions: trimming, the base64 sentinel, the cross-check against the body, required headers, and
// the x-mcp-header parameters.
#include <catch2/catch.hpp>

#include <map>

#include "transport/http/modern_headers.hpp"

namespace json = boost::json;
using namespace mcpd::transport::http;

namespace {

// Case-insensitive, like HTTP (and cpp-httplib).
HeaderLookup headers(std::map<std::string, std::string> given) {
  std::map<std::string, std::string> lower;
  for (auto& [k, v] : given) {
    std::string key = k;
    for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    lower[key] = v;
  }
  return [lower](std::string_view name) -> std::optional<std::string> {
    std::string key(name);
    for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto it = lower.find(key);
    if (it == lower.end()) return std::nullopt;
    return it->second;
  };
}

const json::object kRegionSchema = json::parse(R"({"type":"object","properties":{
  "region":{"type":"string","x-mcp-header":"Region"},
  "count":{"type":"integer","x-mcp-header":"Count"},
  "dry":{"type":"boolean","x-mcp-header":"Dry"},
  "note":{"type":"string"}}})")
                                       .as_object();

}  // namespace

TEST_CASE("header values: optional whitespace trimmed, base64 sentinel decoded strictly",
          "[modern][headers]") {
  CHECK(header_value("  tools/call \t") == "tools/call");
  CHECK(header_value("=?base64?SGVsbG8=?=") == "Hello");
  CHECK(header_value(" =?base64?5pel5pys?= ") == "日本");
  CHECK_FALSE(header_value("=?base64?SGVsbG8?="));                  // unpadded
  CHECK_FALSE(header_value("=?base64?SGVs!!!bG8=?="));              // outside the alphabet
  CHECK(header_value("=?base64?SGVsbG8=") == "=?base64?SGVsbG8=");  // no suffix: a literal
  CHECK(header_value("SGVsbG8=") == "SGVsbG8=");                    // no prefix: a literal
  CHECK_FALSE(
      header_value("a\x01"
                   "b"));  // control character
}

TEST_CASE("the cross-check: a header that is present must say what the body says", "[modern][headers]") {
  const json::object call{{"name", "hello.greet"}};
  CHECK_FALSE(mismatched_headers(headers({{"MCP-Protocol-Version", "2026-07-28"},
                                          {"mcp-method", "tools/call"},
                                          {"MCP-NAME", " hello.greet "}}),
                                 "tools/call", call, "2026-07-28"));
  // Absent headers are the second stage's business.
  CHECK_FALSE(mismatched_headers(headers({}), "tools/call", call, "2026-07-28"));

  auto e = mismatched_headers(headers({{"MCP-Protocol-Version", "2026-07-28"}}), "tools/call", call, "v999");
  REQUIRE(e);
  CHECK(e->code == -32020);
  e = mismatched_headers(headers({{"Mcp-Method", "TOOLS/CALL"}}), "tools/call", call, "2026-07-28");
  REQUIRE(e);  // values are case-sensitive
  CHECK(e->code == -32020);
  e = mismatched_headers(headers({{"Mcp-Name", "other"}}), "tools/call", call, "2026-07-28");
  REQUIRE(e);
  CHECK(e->message.find("hello.greet") != std::string::npos);
  // resources/read names its uri; a base64 header is decoded before comparing.
  CHECK_FALSE(mismatched_headers(headers({{"Mcp-Name", "=?base64?dGVzdDovL8OpdMOp?="}}), "resources/read",
                                 json::object{{"uri", "test://été"}}, "2026-07-28"));
}

TEST_CASE("required headers: version, method, and a name where the method has one", "[modern][headers]") {
  const auto all =
      headers({{"MCP-Protocol-Version", "2026-07-28"}, {"Mcp-Method", "tools/call"}, {"Mcp-Name", "x"}});
  CHECK_FALSE(missing_headers(all, "tools/call", json::object{{"name", "x"}}));
  CHECK(missing_headers(headers({{"Mcp-Method", "tools/list"}}), "tools/list", {}));
  CHECK(missing_headers(headers({{"MCP-Protocol-Version", "2026-07-28"}}), "tools/list", {}));
  CHECK_FALSE(missing_headers(headers({{"MCP-Protocol-Version", "2026-07-28"}, {"Mcp-Method", "tools/list"}}),
                              "tools/list", {}));
  auto e = missing_headers(headers({{"MCP-Protocol-Version", "2026-07-28"}, {"Mcp-Method", "prompts/get"}}),
                           "prompts/get", json::object{{"name", "greeting"}});
  REQUIRE(e);
  CHECK(e->code == -32020);
  CHECK(e->message.find("Mcp-Name") != std::string::npos);
}

TEST_CASE("x-mcp-header parameters: the header must carry the argument's value", "[modern][headers]") {
  const json::value args = json::parse(R"({"region":"eu-west","count":7,"dry":false,"note":"free"})");
  CHECK_FALSE(mismatched_param_headers(
      headers({{"Mcp-Param-Region", "eu-west"}, {"Mcp-Param-Count", "7"}, {"Mcp-Param-Dry", "false"}}),
      kRegionSchema, args));
  // Integers compare by value.
  CHECK_FALSE(mismatched_param_headers(
      headers({{"Mcp-Param-Region", "eu-west"}, {"Mcp-Param-Count", "007"}, {"Mcp-Param-Dry", "false"}}),
      kRegionSchema, args));
  // Missing, different, malformed.
  CHECK(mismatched_param_headers(headers({{"Mcp-Param-Count", "7"}, {"Mcp-Param-Dry", "false"}}),
                                 kRegionSchema, args));
  CHECK(mismatched_param_headers(
      headers({{"Mcp-Param-Region", "us-east"}, {"Mcp-Param-Count", "7"}, {"Mcp-Param-Dry", "false"}}),
      kRegionSchema, args));
  CHECK(mismatched_param_headers(headers({{"Mcp-Param-Region", "=?base64?ZXUtd2VzdA?="},
                                          {"Mcp-Param-Count", "7"},
                                          {"Mcp-Param-Dry", "false"}}),
                                 kRegionSchema, args));
  CHECK_FALSE(mismatched_param_headers(headers({{"Mcp-Param-Region", "=?base64?ZXUtd2VzdA==?="},
                                                {"Mcp-Param-Count", "7"},
                                                {"Mcp-Param-Dry", "false"}}),
                                       kRegionSchema, args));
  // An argument that is absent or null needs no header, and must not have one.
  CHECK_FALSE(mismatched_param_headers(headers({}), kRegionSchema, json::parse(R"({"region":null})")));
  auto e = mismatched_param_headers(headers({{"Mcp-Param-Region", "eu"}}), kRegionSchema, json::object{});
  REQUIRE(e);
  CHECK(e->code == -32020);
}
