// Every tracking tool definition (tools/definitions/*.json) as agents and clients receive it: schemas the
// host compiles, names every client accepts, output fields that all have a type, no union type arrays that
// strict clients refuse, a description on every output array, annotations that say what the tool does.
#include <catch2/catch.hpp>

#include <regex>
#include <string>

#include "frames/redaction_schema.hpp"
#include "schema/validator.hpp"
#include "tool_definitions.hpp"

namespace json = boost::json;
using namespace mcpd;

namespace {

// A host that publishes with `separator`, as mcpd's loader fills mcpd_host_api.
struct host_with_separator {
  explicit host_with_separator(const char* separator) : text(separator) {
    api.struct_size = sizeof(api);
    api.tool_name_separator = mcpd_str{text.data(), text.size()};
  }
  std::string text;
  mcpd_host_api api{};
  sdk::host services() const { return sdk::host(&api); }
};

std::vector<sdk::tool_spec> all_tools(const sdk::host& services) {
  const auto files = tracking::tool_definitions::files(services);
  std::vector<sdk::tool_spec> specs;
  for (const auto name : tracking::tool_definitions::tool_names)
    specs.push_back(tracking::tool_definitions::load(files, name));
  return specs;
}

// Calls `visit(schema, where)` on every subschema of `schema`.
template <typename Visit>
void each_subschema(const json::value& schema, const std::string& where, Visit&& visit) {
  if (!schema.is_object()) return;
  visit(schema.get_object(), where);
  for (const auto& [key, value] : schema.get_object()) {
    const std::string at = where + "/" + std::string(key);
    if (key == "properties" || key == "$defs" || key == "patternProperties") {
      if (value.is_object()) {
        for (const auto& [name, child] : value.get_object())
          each_subschema(child, at + "/" + std::string(name), visit);
      }
    } else if (key == "items" || key == "additionalProperties" || key == "not") {
      each_subschema(value, at, visit);
    } else if ((key == "anyOf" || key == "oneOf" || key == "allOf") && value.is_array()) {
      for (std::size_t i = 0; i < value.get_array().size(); ++i) {
        each_subschema(value.get_array()[i], at + "/" + std::to_string(i), visit);
      }
    }
  }
}

json::object tool_object(const sdk::tool_spec& spec) {
  json::object tool{{"inputSchema", spec.input_schema}};
  if (spec.output_schema) tool["outputSchema"] = *spec.output_schema;
  return tool;
}

}  // namespace

TEST_CASE("every tracking tool definition loads and its schemas compile", "[definitions]") {
  const host_with_separator host("_");
  const auto tools = all_tools(host.services());
  REQUIRE(tools.size() == std::size(tracking::tool_definitions::tool_names));
  for (const auto& spec : tools) {
    INFO(spec.name);
    CHECK_FALSE(spec.description.empty());
    CHECK_FALSE(spec.title.empty());
    CHECK_FALSE(schema::check_tool_input_schema(spec.input_schema).has_value());
    CHECK_NOTHROW(schema::CompiledSchema::compile(spec.input_schema));
    REQUIRE(spec.output_schema.has_value());
    CHECK_NOTHROW(schema::CompiledSchema::compile(*spec.output_schema));
    // Every shared fragment was resolved, and no placeholder is left.
    const std::string text = json::serialize(tool_object(spec)) + spec.description;
    CHECK(text.find("shared#") == std::string::npos);
    CHECK(text.find("{{") == std::string::npos);
  }
}

TEST_CASE("published tracking tool names match every client's rule, also behind a 20-character server prefix",
          "[definitions][names]") {
  const std::regex client_rule("^[a-zA-Z0-9_-]{1,64}$");
  const host_with_separator host("_");
  const std::string server_prefix = "mcp__" + std::string(20, 's') + "__";  // Claude Code's mcp__<server>__
  for (const auto& spec : all_tools(host.services())) {
    const std::string published = host.services().published_name("tracking", spec.name);
    INFO(published);
    CHECK(std::regex_match(published, client_rule));
    CHECK(std::regex_match(server_prefix + published, client_rule));
  }
}

TEST_CASE("descriptions name other tools as the client sees them", "[definitions][names]") {
  for (const char* separator : {"_", ".", "__"}) {
    const host_with_separator host(separator);
    const auto tools = all_tools(host.services());
    const auto& frames = tools[6];
    REQUIRE(frames.name == "recording_frames");
    const std::string recordings_list = std::string("tracking") + separator + "recordings_list";
    INFO(json::serialize(frames.input_schema));
    CHECK(json::serialize(frames.input_schema).find(recordings_list) != std::string::npos);
    const auto& ask = tools[7];
    REQUIRE(ask.name == "ask_question_about_recording");
    CHECK(ask.description.find(std::string("gemini") + separator + "ask_about_images") != std::string::npos);
    if (std::string(separator) != ".") CHECK(ask.description.find("gemini.") == std::string::npos);
  }
}

TEST_CASE("tracking outputs are typed, arrays described, and no schema uses a union type array",
          "[definitions][schemas]") {
  const host_with_separator host("_");
  for (const auto& spec : all_tools(host.services())) {
    INFO(spec.name);
    for (const auto& [which, schema] : tool_object(spec)) {
      each_subschema(schema, std::string(which), [&](const json::object& node, const std::string& where) {
        INFO(where);
        if (const auto* type = node.if_contains("type")) CHECK(type->is_string());
      });
    }
    each_subschema(
        *spec.output_schema, "outputSchema", [&](const json::object& node, const std::string& where) {
          INFO(where);
          if (const auto* properties = node.if_contains("properties")) {
            for (const auto& [name, property] : properties->get_object()) {
              INFO(name);
              const auto& p = property.get_object();
              CHECK((p.contains("type") || p.contains("$ref") || p.contains("anyOf")));
              CHECK(p.contains("description"));
            }
          }
          // An array field (not one branch of a field's anyOf) says what its items are.
          const bool branch = where.find("/anyOf/") != std::string::npos;
          if (const auto* type = node.if_contains("type"); type != nullptr && *type == "array" && !branch) {
            CHECK(node.contains("description"));
          }
        });
  }
}

TEST_CASE("tracking annotations say which tools change data and which only read",
          "[definitions][annotations]") {
  const host_with_separator host("_");
  for (const auto& spec : all_tools(host.services())) {
    INFO(spec.name);
    REQUIRE(spec.annotations.has_value());
    const auto& a = *spec.annotations;
    for (const char* hint : {"readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"}) {
      CHECK(a.contains(hint));
    }
    CHECK(a.at("openWorldHint") == true);
    // identify overwrites person properties and merges persons; every capture tool may carry $set.
    const bool writes_people = spec.name == "identify" || spec.name == "capture" || spec.name == "pageview" ||
                               spec.name == "capture_batch";
    CHECK(a.at("destructiveHint") == writes_people);
    const bool reads_only = spec.name.ends_with("_list") || spec.name == "funnels_run" ||
                            spec.name == "feature_flag_eval" || spec.name == "query";
    CHECK(a.at("readOnlyHint") == reads_only);
  }
}

TEST_CASE("the recording tools take exactly one of recording_id and source, as their schema says",
          "[definitions][schemas]") {
  const host_with_separator host("_");
  const auto tools = all_tools(host.services());
  for (const auto& spec : {tools[6], tools[7]}) {
    INFO(spec.name);
    const auto compiled = schema::CompiledSchema::compile(spec.input_schema);
    json::object base;
    if (spec.name == "ask_question_about_recording") base["question"] = "What happens?";
    auto with = [&](json::object extra) {
      json::object arguments = base;
      for (auto& [key, value] : extra) arguments[key] = value;
      return json::value(arguments);
    };
    CHECK_FALSE(compiled.validate(with({{"recording_id", "r1"}})).has_value());
    CHECK_FALSE(compiled.validate(with({{"source", {{"file", "/videos/a.mp4"}}}})).has_value());
    CHECK(compiled.validate(with({})).has_value());
    CHECK(compiled.validate(with({{"recording_id", "r1"}, {"source", {{"file", "/videos/a.mp4"}}}}))
              .has_value());
  }
}

TEST_CASE("the prototype's shapes are in the schemas, so strict clients can send them",
          "[definitions][prototype]") {
  const host_with_separator host("_");
  const auto tools = all_tools(host.services());
  auto accepts = [&](std::size_t tool, json::object arguments) {
    INFO(tools[tool].name << " " << json::serialize(arguments));
    const auto error =
        schema::CompiledSchema::compile(tools[tool].input_schema).validate(json::value(arguments));
    if (error) UNSCOPED_INFO(error->text());
    return !error.has_value();
  };
  CHECK(accepts(0, {{"instance", "default"},
                    {"distinct_id", "u"},
                    {"event", "e"},
                    {"properties", json::object{}},
                    {"timestamp_iso", "2025-01-31T08:15:00Z"}}));
  CHECK(accepts(1, {{"distinct_id", "u"}, {"traits", {{"plan", "pro"}}}}));
  CHECK(accepts(
      2, {{"distinct_id", "u"}, {"url", "https://example.com/"}, {"timestamp_iso", "2025-01-31T08:15:00Z"}}));
  CHECK(accepts(
      4,
      {{"filter",
        {{"distinct_id", "u"}, {"since", "-1d"}, {"until", "2025-01-31"}, {"limit", 5}, {"cursor", "c"}}}}));
  CHECK(accepts(5, {{"filter", {{"distinct_id", "u"}, {"limit", 5}}}}));
  CHECK(accepts(6, {{"recording_id", "r"}, {"step_ms", 1000}, {"max_frames", 3}}));
  CHECK(accepts(7, {{"recording_id", "r"}, {"question", "q"}, {"model", "m"}}));
  CHECK(accepts(8, {{"definition",
                     {{"steps", {{{"event", "a"}, {"match", {{"k", 1}}}}, {{"event", "b"}}}},
                      {"window", {{"minutes", 30}}}}}}));
  CHECK(accepts(9, {{"instance", "default"}}));
  CHECK(accepts(10, {{"distinct_id", "u"}, {"context", {{"plan", "pro"}}}}));
}

namespace {

json::value without_descriptions(json::value schema) {
  if (schema.is_object()) {
    schema.get_object().erase("description");
    for (auto& [key, value] : schema.get_object()) value = without_descriptions(value);
  } else if (schema.is_array()) {
    for (auto& value : schema.get_array()) value = without_descriptions(value);
  }
  return schema;
}

}  // namespace

TEST_CASE("the redact argument takes exactly the configuration's redaction rule", "[definitions][schemas]") {
  const auto shared = json::parse(sdk::embedded_text(tracking::embedded_text_files(), "shared.json"));
  CHECK(without_descriptions(shared.at("$defs").at("redaction_rule")) ==
        without_descriptions(json::parse(tracking::frames::redaction_rule_schema)));
}
