// sdk::tool_definition_files: tool definitions kept as JSON files, with shared fragments and tool names
// written as the client sees them.
#include <catch2/catch.hpp>

#include <mcpd/sdk/tool_definition_files.hpp>

#include <string>

namespace json = boost::json;
using namespace mcpd;

namespace {

struct host_with_separator {
  explicit host_with_separator(const char* separator) : text(separator) {
    api.struct_size = sizeof(api);
    api.tool_name_separator = mcpd_str{text.data(), text.size()};
  }
  std::string text;
  mcpd_host_api api{};
};

constexpr const char* shared = R"({
  "$comment": "fragments",
  "$defs": {
    "id": {"type": "string", "minLength": 1, "description": "An id."},
    "when": {"type": "string", "pattern": "^-[0-9]+d$"},
    "pair": {"type": "object", "properties": {"from": {"$ref": "shared#/$defs/when"}, "to": {"$ref": "shared#/$defs/when"}}}
  }
})";

}  // namespace

TEST_CASE("sdk definition files: a fragment used once is written in place, its referrer's keywords win",
          "[sdk][definitions]") {
  const sdk::tool_definition_files files(sdk::host{}, shared);
  const auto spec = files.load(R"({
    "name": "get", "description": "Get one.",
    "inputSchema": {"type": "object", "properties": {"id": {"$ref": "shared#/$defs/id", "description": "Which one."}}}
  })");
  CHECK(spec.name == "get");
  CHECK(spec.description == "Get one.");
  CHECK(json::value(spec.input_schema) == json::parse(R"({"type": "object", "properties": {"id":
        {"type": "string", "minLength": 1, "description": "Which one."}}})"));
}

TEST_CASE("sdk definition files: a fragment used twice becomes the schema's own $defs entry",
          "[sdk][definitions]") {
  const sdk::tool_definition_files files(sdk::host{}, shared);
  const auto spec = files.load(R"({
    "name": "span", "description": "A span.",
    "inputSchema": {"type": "object", "properties": {"range": {"$ref": "shared#/$defs/pair"}}}
  })");
  CHECK(json::value(spec.input_schema) == json::parse(R"({"type": "object",
    "properties": {"range": {"type": "object", "properties": {"from": {"$ref": "#/$defs/when"}, "to": {"$ref": "#/$defs/when"}}}},
    "$defs": {"when": {"type": "string", "pattern": "^-[0-9]+d$"}}})"));
}

TEST_CASE("sdk definition files: {{namespace.tool}} becomes the published name under the host's separator",
          "[sdk][definitions]") {
  const char* tool = R"({"name": "a", "description": "Then call {{other.b}}.",
    "inputSchema": {"type": "object", "properties": {"x": {"type": "string", "description": "From {{other.c}}."}}}})";
  const host_with_separator underscore("_");
  const auto spec = sdk::tool_definition_files(sdk::host(&underscore.api), shared).load(tool);
  CHECK(spec.description == "Then call other_b.");
  CHECK(spec.input_schema.at("properties").at("x").at("description") == "From other_c.");
  // A host older than ABI 1.3 published dotted names.
  CHECK(sdk::tool_definition_files(sdk::host{}, shared).load(tool).description == "Then call other.b.");
}

TEST_CASE("sdk definition files: broken definitions fail loudly, naming the tool", "[sdk][definitions]") {
  const sdk::tool_definition_files files(sdk::host{}, shared);
  CHECK_THROWS_WITH(files.load(R"({"name": "a", "description": "d",
                      "inputSchema": {"type": "object", "properties": {"x": {"$ref": "shared#/$defs/nope"}}}})"),
                    "tool definition of a: no shared fragment \"nope\"");
  CHECK_THROWS_WITH(
      files.load(R"({"name": "a", "description": "Call {{b}}.", "inputSchema": {"type": "object"}})"),
      Catch::Contains("{{namespace.tool}}"));
  CHECK_THROWS_WITH(files.load(R"({"description": "d", "inputSchema": {"type": "object"}})"),
                    "a tool definition has no \"name\" string");
  CHECK_THROWS_WITH(
      files.load(R"({"name": "a", "description": "d", "inputSchema": {"type": "object"}, "extra": 1})"),
      "tool definition of a: unknown member \"extra\"");
  CHECK_THROWS_WITH(files.load("not json"), Catch::StartsWith("a tool definition is not a JSON object"));
}
