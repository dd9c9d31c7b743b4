// The modern envelope and its checks (protocol/era.hpp), and the outbound
// edge that shapes results per era (protocol/result_shaping.hpp).
#include <catch2/catch.hpp>

#include "protocol/era.hpp"
#include "protocol/result_shaping.hpp"

namespace json = boost::json;
using namespace mcpd::protocol;

namespace {

json::object params_with_meta(json::object meta) {
  return json::object{{"_meta", std::move(meta)}};
}

json::object modern_meta(std::string_view version = "2026-07-28") {
  return json::object{{kMetaProtocolVersion, version}, {kMetaClientCapabilities, json::object{}}};
}

}  // namespace

TEST_CASE("a modern claim is the protocolVersion key in params._meta, whatever its value", "[era]") {
  CHECK(has_modern_claim(params_with_meta(modern_meta())));
  CHECK(has_modern_claim(params_with_meta({{kMetaProtocolVersion, 42}})));  // malformed, still a claim
  CHECK_FALSE(has_modern_claim(json::object{}));
  CHECK_FALSE(has_modern_claim(params_with_meta({{"progressToken", 1}})));
  CHECK_FALSE(has_modern_claim(json::object{{"_meta", "not an object"}}));
  CHECK(has_modern_claim(json::parse(R"({"jsonrpc":"2.0","id":1,"method":"tools/list",
      "params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}})")));
  CHECK_FALSE(has_modern_claim(json::parse(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{}})")));
}

TEST_CASE("the envelope: protocolVersion and clientCapabilities required, clientInfo optional", "[era]") {
  ModernEnvelope envelope;
  SECTION("complete") {
    auto meta = modern_meta();
    meta[kMetaClientInfo] = {{"name", "agent"}, {"version", "1"}};
    meta[kMetaLogLevel] = "warning";
    REQUIRE_FALSE(read_modern_envelope(params_with_meta(meta), envelope));
    CHECK(envelope.version == "2026-07-28");
    CHECK(envelope.client_name == "agent");
    REQUIRE(envelope.log_level);
    CHECK(*envelope.log_level == mcpd::log::Level::warning);
  }
  SECTION("without clientInfo and logLevel") {
    REQUIRE_FALSE(read_modern_envelope(params_with_meta(modern_meta()), envelope));
    CHECK(envelope.client_name.empty());
    CHECK_FALSE(envelope.log_level);
  }
  SECTION("no _meta") {
    auto e = read_modern_envelope(json::object{}, envelope);
    REQUIRE(e);
    CHECK(e->code == -32602);
  }
  SECTION("missing capabilities") {
    auto e = read_modern_envelope(params_with_meta({{kMetaProtocolVersion, "2026-07-28"}}), envelope);
    REQUIRE(e);
    CHECK(e->code == -32602);
    CHECK(e->message.find("clientCapabilities") != std::string::npos);
  }
  SECTION("a version that is not a string") {
    auto meta = modern_meta();
    meta[kMetaProtocolVersion] = 20260728;
    auto e = read_modern_envelope(params_with_meta(meta), envelope);
    REQUIRE(e);
    CHECK(e->code == -32602);
  }
  SECTION("an unknown log level") {
    auto meta = modern_meta();
    meta[kMetaLogLevel] = "verbose";
    auto e = read_modern_envelope(params_with_meta(meta), envelope);
    REQUIRE(e);
    CHECK(e->code == -32602);
    CHECK(e->message.find("verbose") != std::string::npos);
  }
}

TEST_CASE("an unsupported version is -32022 with the supported list and the requested version", "[era]") {
  CHECK_FALSE(check_modern_version("2026-07-28"));
  for (std::string_view requested : {"2025-11-25", "2099-01-01", "v999.0.0", ""}) {
    auto e = check_modern_version(requested);
    REQUIRE(e);
    CHECK(e->code == -32022);
    CHECK(e->data.at("requested") == json::value(json::string(requested)));
    CHECK(e->data.at("supported") == json::array{"2026-07-28"});
  }
  CHECK(is_modern_version("2026-07-28"));
  CHECK(is_modern_version("2027-01-01"));
  CHECK_FALSE(is_modern_version("2025-11-25"));
}

TEST_CASE("methods of the legacy handshake are -32601 on the modern path, naming why", "[era]") {
  for (std::string_view m : {"initialize", "ping", "logging/setLevel", "resources/subscribe",
                             "resources/unsubscribe", "tasks/result", "tasks/list"}) {
    CHECK(modern_method(m) == ModernMethod::removed);
    auto e = method_not_found(m, modern_method(m));
    CHECK(e.code == -32601);
    CHECK(e.message.find("initialize") != std::string::npos);
  }
  CHECK(modern_method("server/discover") == ModernMethod::served);
  CHECK(modern_method("subscriptions/listen") == ModernMethod::served);
  CHECK(modern_method("tools/call") == ModernMethod::served);
  CHECK(modern_method("unknown/method") == ModernMethod::unknown);
}

TEST_CASE("the outbound edge: modern results get resultType, serverInfo and cache hints", "[era][shaping]") {
  RequestContext modern;
  modern.era = Era::modern;
  modern.version = "2026-07-28";
  const CachePolicy cache{std::chrono::milliseconds(30000), std::chrono::milliseconds(0)};
  const ServerIdentity server{"mcpd", "1.2.3"};

  SECTION("a list: public, the list TTL") {
    modern.method = "tools/list";
    json::object response{{"jsonrpc", "2.0"}, {"id", 1}, {"result", {{"tools", json::array{}}}}};
    shape_response(response, modern, cache, server);
    const auto& result = response.at("result").as_object();
    CHECK(result.at("resultType") == "complete");
    CHECK(result.at("ttlMs") == 30000);
    CHECK(result.at("cacheScope") == "public");
    CHECK(result.at("_meta").at(kMetaServerInfo).at("version") == "1.2.3");
  }
  SECTION("resources/read: private, the resource TTL; a plugin's own _meta is kept") {
    modern.method = "resources/read";
    json::object response{
        {"jsonrpc", "2.0"}, {"id", 1}, {"result", {{"contents", json::array{}}, {"_meta", {{"k", 1}}}}}};
    shape_response(response, modern, cache, server);
    const auto& result = response.at("result").as_object();
    CHECK(result.at("ttlMs") == 0);
    CHECK(result.at("cacheScope") == "private");
    CHECK(result.at("_meta").at("k") == 1);
  }
  SECTION("tools/call is not cacheable") {
    modern.method = "tools/call";
    json::object response{{"jsonrpc", "2.0"}, {"id", 1}, {"result", {{"content", json::array{}}}}};
    shape_response(response, modern, cache, server);
    const auto& result = response.at("result").as_object();
    CHECK(result.at("resultType") == "complete");
    CHECK_FALSE(result.contains("ttlMs"));
    CHECK_FALSE(result.contains("cacheScope"));
  }
  SECTION("a missing resource is -32602 in the modern era, -32002 in the legacy one") {
    modern.method = "resources/read";
    const json::object error{
        {"jsonrpc", "2.0"},
        {"id", 7},
        {"error", {{"code", -32002}, {"message", "Resource not found"}, {"data", {{"uri", "x://y"}}}}}};
    json::object for_modern = error;
    shape_response(for_modern, modern, cache, server);
    CHECK(for_modern.at("error").at("code") == -32602);
    CHECK(for_modern.at("error").at("data").at("uri") == "x://y");
    RequestContext legacy;
    legacy.method = "resources/read";
    legacy.version = "2025-11-25";
    json::object for_legacy = error;
    shape_response(for_legacy, legacy, cache, server);
    CHECK(for_legacy.at("error").at("code") == -32002);
  }
}

TEST_CASE("the outbound edge: legacy results keep their revision's shape", "[era][shaping]") {
  RequestContext legacy;
  legacy.method = "tools/call";
  const json::object response{{"jsonrpc", "2.0"},
                              {"id", 1},
                              {"result", {{"content", json::array{}}, {"structuredContent", {{"a", 1}}}}}};
  for (auto [version, kept] : {std::pair{"2025-11-25", true}, {"2025-06-18", true}, {"2025-03-26", false}}) {
    legacy.version = version;
    json::object shaped = response;
    shape_response(shaped, legacy, CachePolicy{}, ServerIdentity{"mcpd", "1"});
    const auto& result = shaped.at("result").as_object();
    CHECK(result.contains("structuredContent") == kept);
    CHECK_FALSE(result.contains("resultType"));
    CHECK_FALSE(result.contains("ttlMs"));
  }
}
