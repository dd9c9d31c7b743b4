// Tools whose whole job is the shape of their result: one of each content
// block kind, a mix of them, an isError result, and a tool whose input schema
// uses JSON Schema 2020-12 keywords that must reach the client unchanged.
#include "fixtures.hpp"

namespace conformance {

namespace {

sdk::tool_spec no_argument_tool(std::string_view name, std::string_view description) {
  return {.name = std::string(name),
          .description = std::string(description),
          .input_schema = no_arguments_schema(),
          .annotations = json::object{{"readOnlyHint", true}, {"openWorldHint", false}}};
}

// SEP-1613: `$schema`, `$defs` (with a `$ref` into it) and
// `additionalProperties` must be preserved verbatim in tools/list.
// Published as written: the 2026-07-28 suite checks that composition
// (allOf/anyOf), conditional (if/then/else) and $anchor keywords survive.
constexpr std::string_view json_schema_2020_12 = R"({
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "$defs": {
    "address": {
      "$anchor": "address",
      "type": "object",
      "properties": {
        "street": {"type": "string"},
        "city": {"type": "string"}
      }
    }
  },
  "properties": {
    "name": {"type": "string"},
    "address": {"$ref": "#/$defs/address"}
  },
  "allOf": [{"anyOf": [{"required": ["name"]}, {"required": ["address"]}]}],
  "if": {"required": ["address"]},
  "then": {"properties": {"address": {"required": ["city"]}}},
  "else": {"properties": {"name": {"minLength": 1}}},
  "additionalProperties": false
})";

}  // namespace

void register_content_tools(sdk::registry& registry) {
  registry.tool(no_argument_tool("test_simple_text", "Returns one text block."),
                [](sdk::call_context&, const json::object&) {
                  return sdk::tool_result{}.text("This is a simple text response for testing.");
                });

  registry.tool(no_argument_tool("test_image_content", "Returns a 2x2 PNG image."),
                [](sdk::call_context&, const json::object&) {
                  return sdk::tool_result{}.image(tiny_png(), "image/png");
                });

  registry.tool(no_argument_tool("test_audio_content", "Returns a 0.1 s WAV tone (audio/wav)."),
                [](sdk::call_context&, const json::object&) {
                  return sdk::tool_result{}.audio(tiny_wav(), "audio/wav");
                });

  registry.tool(no_argument_tool("test_embedded_resource", "Returns an embedded text resource."),
                [](sdk::call_context&, const json::object&) {
                  return sdk::tool_result{}.resource_text("test://embedded-resource", "text/plain",
                                                          "This is an embedded resource content.");
                });

  registry.tool(
      no_argument_tool("test_multiple_content_types", "Returns text, an image and an embedded resource."),
      [](sdk::call_context&, const json::object&) {
        const json::object data{{"test", "data"}, {"value", 123}};
        return sdk::tool_result{}
            .text("Multiple content types test:")
            .image(tiny_png(), "image/png")
            .resource_text("test://mixed-content-resource", "application/json", json::serialize(data));
      });

  registry.tool(no_argument_tool("test_error_handling", "Always fails with isError:true."),
                [](sdk::call_context&, const json::object&) {
                  return sdk::tool_result::error("This tool intentionally returns an error for testing");
                });

  // SEP-2243: "region" also travels as the Mcp-Param-Region header, which
  // mcpd checks against the body before the call runs.
  registry.tool({.name = "test_header_param",
                 .description = "Echoes its region argument, which clients also send as Mcp-Param-Region.",
                 .input_schema = sdk::parse_object(R"({
                   "type": "object",
                   "properties": {"region": {"type": "string", "x-mcp-header": "Region"}},
                   "required": ["region"]
                 })")},
                [](sdk::call_context&, const json::object& arguments) {
                  return sdk::tool_result{}.text("region=" + std::string(arguments.at("region").as_string()));
                });

  registry.tool(
      {.name = "json_schema_2020_12_tool",
       .description = "Echoes its arguments; its input schema uses JSON Schema 2020-12 ($schema, "
                      "$defs, $ref).",
       .input_schema = sdk::parse_object(json_schema_2020_12)},
      [](sdk::call_context&, const json::object& arguments) {
        return sdk::tool_result{}.text("JSON Schema 2020-12 tool called with: " + json::serialize(arguments));
      });
}

}  // namespace conformance
