#include <catch2/catch.hpp>

#include <mcpd/sdk/json_pretty.hpp>
#include <mcpd/sdk/json_serialize.hpp>

#include "jsonrpc/message.hpp"

using namespace mcpd::jsonrpc;
namespace json = boost::json;

namespace {
const Invalid& invalid_of(const ParsedLine& p) {
  REQUIRE(std::holds_alternative<Invalid>(p.message));
  return std::get<Invalid>(p.message);
}
}  // namespace

TEST_CASE("text that is not JSON is a parse error with a null id") {
  for (const char* line : {"{", "not json", "{\"jsonrpc\":\"2.0\",}", "\x01\x02"}) {
    auto p = parse_line(line);
    const auto& inv = invalid_of(p);
    CHECK(inv.code == kParseError);
    CHECK(inv.id.is_null());
    CHECK(inv.message.find("Parse error") != std::string::npos);
  }
}

TEST_CASE("JSON that is not a request object is an invalid request") {
  for (const char* line : {"42", "\"text\"", "null", "true"}) {
    auto parsed = parse_line(line);
    const auto& inv = invalid_of(parsed);
    CHECK(inv.code == kInvalidRequest);
  }
}

TEST_CASE("jsonrpc member must be exactly \"2.0\"") {
  auto no_version = parse_line(R"({"id":1,"method":"ping"})");
  CHECK(invalid_of(no_version).code == kInvalidRequest);
  auto p = parse_line(R"({"jsonrpc":"1.0","id":7,"method":"ping"})");
  CHECK(invalid_of(p).code == kInvalidRequest);
  CHECK(invalid_of(p).id == json::value(7));  // recoverable id is echoed
  auto number_version = parse_line(R"({"jsonrpc":2.0,"id":1,"method":"ping"})");
  CHECK(invalid_of(number_version).code == kInvalidRequest);
}

TEST_CASE("method must be a string") {
  auto p = parse_line(R"({"jsonrpc":"2.0","id":"a","method":12})");
  CHECK(invalid_of(p).code == kInvalidRequest);
  CHECK(invalid_of(p).id == json::value("a"));
  CHECK(invalid_of(p).message.find("method") != std::string::npos);
}

TEST_CASE("ids must be strings or integers") {
  for (const char* line :
       {R"({"jsonrpc":"2.0","id":{"x":1},"method":"ping"})", R"({"jsonrpc":"2.0","id":[1],"method":"ping"})",
        R"({"jsonrpc":"2.0","id":1.5,"method":"ping"})", R"({"jsonrpc":"2.0","id":true,"method":"ping"})",
        R"({"jsonrpc":"2.0","id":null,"method":"ping"})"}) {
    auto parsed = parse_line(line);
    const auto& inv = invalid_of(parsed);
    CHECK(inv.code == kInvalidRequest);
    CHECK(inv.id.is_null());
  }
}

TEST_CASE("ids of every allowed type are kept exactly") {
  for (const char* id : {"\"abc\"", "\"\"", "0", "-5", "9007199254740993", "18446744073709551615"}) {
    auto p = parse_line(std::string(R"({"jsonrpc":"2.0","method":"ping","id":)") + id + "}");
    REQUIRE(std::holds_alternative<Request>(p.message));
    CHECK(json::serialize(std::get<Request>(p.message).id) == id);
  }
}

TEST_CASE("params must be an object when present") {
  auto p = parse_line(R"({"jsonrpc":"2.0","id":3,"method":"tools/list","params":[1,2]})");
  CHECK(invalid_of(p).code == kInvalidParams);
  CHECK(invalid_of(p).id == json::value(3));
  auto ok = parse_line(R"({"jsonrpc":"2.0","id":3,"method":"tools/list","params":null})");
  CHECK(std::holds_alternative<Request>(ok.message));
}

TEST_CASE("requests, notifications and responses are told apart") {
  CHECK(std::holds_alternative<Request>(parse_line(R"({"jsonrpc":"2.0","id":1,"method":"ping"})").message));
  CHECK(std::holds_alternative<Notification>(
      parse_line(R"({"jsonrpc":"2.0","method":"notifications/initialized"})").message));
  auto r = parse_line(R"({"jsonrpc":"2.0","id":"mcpd-1","result":{"ok":true}})");
  REQUIRE(std::holds_alternative<Response>(r.message));
  CHECK(std::get<Response>(r.message).result.has_value());
  auto e = parse_line(R"({"jsonrpc":"2.0","id":"mcpd-1","error":{"code":-1,"message":"no"}})");
  REQUIRE(std::holds_alternative<Response>(e.message));
  CHECK(std::get<Response>(e.message).error.has_value());
  // Neither result nor error.
  auto neither = parse_line(R"({"jsonrpc":"2.0","id":"mcpd-1"})");
  CHECK(invalid_of(neither).code == kInvalidRequest);
}

TEST_CASE("a JSON array is reported as a batch") {
  auto p = parse_line(R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])");
  REQUIRE(p.batch.has_value());
  CHECK(p.batch->size() == 1);
}

TEST_CASE("error and result builders produce JSON-RPC 2.0 envelopes") {
  auto err = make_error(json::value(5), kMethodNotFound, "Method not found");
  CHECK(json::serialize(err) ==
        R"({"jsonrpc":"2.0","id":5,"error":{"code":-32601,"message":"Method not found"}})");
  auto res = make_result(json::value("x"), json::object{});
  CHECK(json::serialize(res) == R"({"jsonrpc":"2.0","id":"x","result":{}})");
}

TEST_CASE("id keys keep the string \"1\" and the integer 1 apart") {
  CHECK(id_key(json::value("1")) != id_key(json::value(1)));
  CHECK(id_key(json::value(1)) == id_key(json::parse("1")));
}

TEST_CASE("message text: doubles read as people write them and parse back to the same value",
          "[jsonrpc][text]") {
  namespace json = boost::json;
  const json::value value = json::parse(
      R"({"rate": 0.45, "fps": 30.0, "count": 30, "tiny": 1e-7, "huge": 1e21, "negative": -2.5,
          "text": "a \"quoted\"\nline", "list": [0.1, 2, null, true], "nested": {"x": 1.5}})");
  const std::string text = mcpd::sdk::to_json_text(value);
  CHECK(text.find("\"rate\":0.45") != std::string::npos);
  CHECK(text.find("\"fps\":30.0") != std::string::npos);
  CHECK(text.find("\"count\":30,") != std::string::npos);
  CHECK(text.find("\"list\":[0.1,2,null,true]") != std::string::npos);
  CHECK(text.find("E") == std::string::npos);  // no Boost-style 4.5E-1
  const json::value back = json::parse(text);
  CHECK(back == value);
  CHECK(back.at("fps").is_double());
  CHECK(back.at("count").is_int64());
}

TEST_CASE("message text: strings and keys are spelled exactly as Boost.JSON spells them", "[json_text]") {
  std::string every_byte;
  for (int c = 1; c < 256; ++c) every_byte.push_back(static_cast<char>(c));
  const json::value value =
      json::object{{"plain", "hello"},
                   {"every byte", every_byte},
                   {"quote \" and \\ in a key\n", "\xe2\x82\xac and \t"},
                   {"nested", json::array{"\x01", json::object{{"\x1f", "\x7f"}}}},
                   {"numbers", json::array{-42, 18446744073709551615ull, true, nullptr}}};
  const std::string text = mcpd::sdk::to_json_text(value);
  CHECK(text == json::serialize(value));
  // (Bytes 0x80 to 0xff alone are not UTF-8, so only the rest parses back.)
  json::value valid = value;
  valid.as_object().erase("every byte");
  CHECK(json::parse(mcpd::sdk::to_json_text(valid)) == valid);
  // Reserved once: a megabyte string is not grown by doubling.
  const std::string big = mcpd::sdk::to_json_text(json::value(std::string(1 << 20, 'x')), 1);
  CHECK(big.size() == (1u << 20) + 2);
  CHECK(big.capacity() >= big.size() + 1);
  CHECK(big.capacity() < big.size() + 64);
}

TEST_CASE("pretty text: one member or element per line, two spaces per level, the same value",
          "[json_text]") {
  const json::value value = json::parse(
      R"({"name": "a \"b\"", "rate": 0.45, "empty": {}, "none": [], "list": [1, {"x": [true]}]})");
  const std::string text = mcpd::sdk::to_pretty_json_text(value);
  CHECK(text ==
        "{\n"
        "  \"name\": \"a \\\"b\\\"\",\n"
        "  \"rate\": 0.45,\n"
        "  \"empty\": {},\n"
        "  \"none\": [],\n"
        "  \"list\": [\n"
        "    1,\n"
        "    {\n"
        "      \"x\": [\n"
        "        true\n"
        "      ]\n"
        "    }\n"
        "  ]\n"
        "}");
  CHECK(json::parse(text) == value);
  CHECK(mcpd::sdk::to_pretty_json_text(json::value(7)) == "7");
  CHECK(mcpd::sdk::to_pretty_json_text(json::object{{"a", 1}}, 4) == "{\n    \"a\": 1\n}");
}
