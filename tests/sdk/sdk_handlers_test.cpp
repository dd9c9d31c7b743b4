// The SDK's behaviour at the ABI edge, through the sdk_fixture plugin: exceptions become results, the call
// context reaches the host, every content kind is written, resources/prompts/completions, init failures,
// and hosts built against an older (smaller) header.
#include "fake_host.hpp"
#include "plugin_harness.hpp"

#include <catch2/catch.hpp>

#include <cstddef>

#ifndef MCPD_TEST_SDK_FIXTURE_PLUGIN
#error "MCPD_TEST_SDK_FIXTURE_PLUGIN must name the in-tree sdk_fixture.so"
#endif

namespace {

using namespace sdk_test;

const std::string fixture_path = MCPD_TEST_SDK_FIXTURE_PLUGIN;

const registered_template& items_template(const plugin_session& fixture) {
  const registered_template* entry = fixture.registrar.resource_template("fixture://items/{id}");
  REQUIRE(entry != nullptr);
  return *entry;
}

}  // namespace

TEST_CASE("sdk handlers: descriptor carries the optional config schema and flags", "[sdk][handlers]") {
  plugin_session fixture(fixture_path);
  REQUIRE(fixture.init_status == MCPD_OK);
  CHECK(to_string(fixture.descriptor->plugin_namespace) == "sdk_fixture");
  CHECK(fixture.descriptor->flags == MCPD_PLUGIN_FLAG_SERIAL);
  const json::value schema = json::parse(to_string(fixture.descriptor->config_schema_json));
  CHECK(schema.at("properties").at("fail_init").at("type") == "string");
  CHECK(fixture.registrar.violations.empty());
  REQUIRE_FALSE(fixture.host.log_lines.empty());
  CHECK(fixture.host.log_lines.back().first == MCPD_LOG_NOTICE);
  CHECK(fixture.host.log_lines.back().second == "sdk_fixture ready for host 0.1.0-test");
}

TEST_CASE("sdk handlers: a std::exception from a tool becomes isError with its message", "[sdk][handlers]") {
  plugin_session fixture(fixture_path);
  REQUIRE(fixture.init_status == MCPD_OK);
  fake_call_context context;
  fake_result_builder builder;

  CHECK(fixture.call_tool("throws_std", "{}", context, builder) == MCPD_OK);
  CHECK(builder.result.is_error);
  CHECK(builder.result.callbacks == std::vector<std::string>{"set_error"});
  CHECK(builder.result.all_text() == "the disk is on fire");
}

TEST_CASE("sdk handlers: a non-std exception from a tool becomes isError naming the tool",
          "[sdk][handlers]") {
  plugin_session fixture(fixture_path);
  REQUIRE(fixture.init_status == MCPD_OK);
  fake_call_context context;
  fake_result_builder builder;

  CHECK(fixture.call_tool("throws_other", "{}", context, builder) == MCPD_OK);
  CHECK(builder.result.is_error);
  CHECK(builder.result.callbacks == std::vector<std::string>{"set_error"});
  CHECK_THAT(builder.result.all_text(),
             Catch::Contains("\"throws_other\"") && Catch::Contains("not a std::exception"));
}

TEST_CASE("sdk handlers: sdk::error from a tool is an isError result too", "[sdk][handlers]") {
  plugin_session fixture(fixture_path);
  REQUIRE(fixture.init_status == MCPD_OK);
  fake_call_context context;
  fake_result_builder builder;

  CHECK(fixture.call_tool("throws_sdk_error", "{}", context, builder) == MCPD_OK);
  CHECK(builder.result.is_error);
  CHECK(builder.result.all_text() == "no such recording: 17");
}

TEST_CASE("sdk handlers: arguments arrive as the object the host sent and non-objects are refused",
          "[sdk][handlers]") {
  plugin_session fixture(fixture_path);
  REQUIRE(fixture.init_status == MCPD_OK);
  fake_call_context context;

  fake_result_builder echoed;
  CHECK(fixture.call_tool("echo", R"({"a":[1,2],"b":"x"})", context, echoed) == MCPD_OK);
  CHECK_FALSE(echoed.result.is_error);
  CHECK(json::parse(echoed.result.all_text()) == json::parse(R"({"a":[1,2],"b":"x"})"));

  fake_result_builder absent;
  CHECK(fixture.call_tool("echo", "", context, absent) == MCPD_OK);
  CHECK(absent.result.all_text() == "{}");

  fake_result_builder array;
  CHECK(fixture.call_tool("echo", "[1,2]", context, array) == MCPD_OK);
  CHECK(array.result.is_error);
  CHECK_THAT(array.result.all_text(), Catch::Contains("must be a JSON object") && Catch::Contains("array"));
}

TEST_CASE("sdk handlers: the call context reaches every host service", "[sdk][handlers]") {
  plugin_session fixture(fixture_path);
  REQUIRE(fixture.init_status == MCPD_OK);
  fake_call_context context;
  fake_result_builder builder;

  REQUIRE(fixture.call_tool("context_tour", "{}", context, builder) == MCPD_OK);
  INFO(builder.result.all_text());
  REQUIRE_FALSE(builder.result.is_error);
  REQUIRE(builder.result.structured);
  const json::object& seen = *builder.result.structured;
  CHECK(seen.at("cancelled") == false);
  CHECK(seen.at("protocol_version") == "2025-11-25");
  CHECK(seen.at("client_capabilities") == json::parse(R"({"sampling":{},"roots":{"listChanged":true}})"));
  CHECK(seen.at("request_meta") == json::parse(R"({"progressToken":"tok-7"})"));
  CHECK(seen.at("nested").at("content").at(0).at("text") == R"({"x":1})");
  CHECK(seen.at("roots") == json::parse(R"({"roots":[]})"));
  CHECK(seen.at("has_other.echo") == true);
  CHECK(seen.at("has_other.missing") == false);
  CHECK(context.has_tool_queries == std::vector<std::string>{"other.echo", "other.missing"});

  REQUIRE(context.progress.size() == 2);
  CHECK(context.progress[0].progress == 1);
  CHECK(context.progress[0].total == 2);
  CHECK(context.progress[0].message == "halfway");
  CHECK(context.progress[1].progress == 2);
  CHECK(context.progress[1].total < 0);  // unknown total
  CHECK_FALSE(context.progress[1].message);
  REQUIRE(context.client_logs.size() == 1);
  CHECK(context.client_logs[0].level == MCPD_LOG_WARNING);
  CHECK(context.client_logs[0].logger == "fixture");
  CHECK(context.client_logs[0].data == json::parse(R"({"step":"tour"})"));
  REQUIRE(context.client_requests.size() == 1);
  CHECK(context.client_requests[0] == std::pair<std::string, uint32_t>{"roots/list", 1500});
  CHECK(context.violations.empty());
  CHECK(builder.violations.empty());
}

TEST_CASE("sdk handlers: cancellation is visible to the handler", "[sdk][handlers]") {
  plugin_session fixture(fixture_path);
  REQUIRE(fixture.init_status == MCPD_OK);
  fake_call_context context;
  context.cancelled = true;
  fake_result_builder builder;

  REQUIRE(fixture.call_tool("context_tour", "{}", context, builder) == MCPD_OK);
  REQUIRE(builder.result.structured);
  CHECK(builder.result.structured->at("cancelled") == true);
}

TEST_CASE("sdk handlers: a failed nested call surfaces the host's message as isError", "[sdk][handlers]") {
  plugin_session fixture(fixture_path);
  REQUIRE(fixture.init_status == MCPD_OK);
  fake_call_context context;
  fake_result_builder builder;

  CHECK(fixture.call_tool("nested_unknown", "{}", context, builder) == MCPD_OK);
  CHECK(builder.result.is_error);
  CHECK_THAT(builder.result.all_text(), Catch::Contains("call_tool(\"other.missing\")") &&
                                            Catch::Contains("MCPD_ERR_NOT_FOUND") &&
                                            Catch::Contains("no tool named other.missing"));
  REQUIRE(context.tool_calls.size() == 1);
  CHECK(context.tool_calls[0].second == json::parse(R"({"q":1})"));
}

TEST_CASE("sdk handlers: every content kind is written in order, then structuredContent", "[sdk][handlers]") {
  plugin_session fixture(fixture_path);
  REQUIRE(fixture.init_status == MCPD_OK);
  fake_call_context context;
  fake_result_builder builder;

  REQUIRE(fixture.call_tool("every_content", "{}", context, builder) == MCPD_OK);
  CHECK(builder.result.callbacks == std::vector<std::string>{"add_text", "add_image", "add_audio",
                                                             "add_resource_text", "add_resource_blob",
                                                             "add_resource_link", "add_content_json",
                                                             "set_structured"});
  const json::array& content = builder.result.content;
  REQUIRE(content.size() == 7);
  CHECK(content[0] == json::parse(R"({"type":"text","text":"plain"})"));
  CHECK(content[1] == json::parse(R"({"type":"image","bytes":[1,2,3],"mimeType":"image/png"})"));
  CHECK(content[2] == json::parse(R"({"type":"audio","bytes":[4,5],"mimeType":"audio/wav"})"));
  CHECK(
      content[3] ==
      json::parse(R"({"type":"resource","uri":"fixture://doc","mimeType":"text/markdown","text":"# doc"})"));
  CHECK(
      content[4] ==
      json::parse(
          R"({"type":"resource","uri":"fixture://bin","mimeType":"application/octet-stream","bytes":[1,2,3]})"));
  CHECK(content[5] == json::parse(R"({"type":"resource_link","uri":"fixture://doc","name":"doc"})"));
  CHECK(content[6] == json::parse(R"({"type":"text","text":"annotated","annotations":{"priority":0.5}})"));
  CHECK(builder.result.structured == json::parse(R"({"ok":true})").as_object());
  CHECK_FALSE(builder.result.is_error);
}

TEST_CASE("sdk handlers: fail() keeps earlier content and marks the result", "[sdk][handlers]") {
  plugin_session fixture(fixture_path);
  REQUIRE(fixture.init_status == MCPD_OK);
  fake_call_context context;
  fake_result_builder builder;

  REQUIRE(fixture.call_tool("partial_failure", "{}", context, builder) == MCPD_OK);
  CHECK(builder.result.callbacks == std::vector<std::string>{"add_text", "set_error"});
  CHECK(builder.result.is_error);
  CHECK(builder.result.all_text() == "step 1 done\nstep 2 failed");
}

TEST_CASE("sdk handlers: host services outlive init (notify_resource_updated)", "[sdk][handlers]") {
  plugin_session fixture(fixture_path);
  REQUIRE(fixture.init_status == MCPD_OK);
  fake_call_context context;
  fake_result_builder builder;

  REQUIRE(fixture.call_tool("notify", "{}", context, builder) == MCPD_OK);
  CHECK_FALSE(builder.result.is_error);
  CHECK(fixture.host.notified_uris == std::vector<std::string>{"fixture://static"});
}

TEST_CASE("sdk handlers: an older host's smaller structs are respected", "[sdk][handlers]") {
  plugin_session fixture(fixture_path);
  REQUIRE(fixture.init_status == MCPD_OK);

  SECTION("a call context that ends before callback_call_tool: nested calls are unsupported") {
    fake_call_context context;
    fake_result_builder builder;
    const std::size_t size = offsetof(mcpd_call_context, callback_call_tool);
    CHECK(fixture.call_tool("context_tour", "{}", context, builder, size) == MCPD_OK);
    CHECK(builder.result.is_error);
    CHECK_THAT(builder.result.all_text(),
               Catch::Contains("MCPD_ERR_UNSUPPORTED") || Catch::Contains("does not offer"));
    CHECK(context.progress.size() == 2);  // within the struct: still used
    CHECK(context.tool_calls.empty());    // beyond it: never called
  }
  SECTION("an ABI 1.0 call context (ends before callback_has_tool): has_tool cannot say, the rest works") {
    fake_call_context context;
    fake_result_builder builder;
    const std::size_t size = offsetof(mcpd_call_context, callback_has_tool);
    REQUIRE(fixture.call_tool("context_tour", "{}", context, builder, size) == MCPD_OK);
    REQUIRE_FALSE(builder.result.is_error);
    REQUIRE(builder.result.structured);
    CHECK(builder.result.structured->at("has_other.echo").is_null());
    CHECK(builder.result.structured->at("has_other.missing").is_null());
    CHECK(context.has_tool_queries.empty());  // beyond the struct: never called
    CHECK(context.tool_calls.size() == 1);
  }
  SECTION("a call context that ends before callback_report_progress: progress and logs are dropped") {
    fake_call_context context;
    fake_result_builder builder;
    const std::size_t size = offsetof(mcpd_call_context, callback_report_progress);
    fixture.call_tool("context_tour", "{}", context, builder, size);
    CHECK(context.progress.empty());
    CHECK(context.client_logs.empty());
  }
  SECTION("a builder without set_structured: the call reports MCPD_ERR_UNSUPPORTED, nothing read past it") {
    fake_call_context context;
    fake_result_builder builder;
    const std::size_t size = offsetof(mcpd_result_builder, callback_set_structured);
    CHECK(fixture.call_tool("every_content", "{}", context, builder, sizeof(mcpd_call_context), size) ==
          MCPD_ERR_UNSUPPORTED);
    CHECK(builder.result.content.size() == 7);
    CHECK_FALSE(builder.result.structured);
  }
}

TEST_CASE("sdk handlers: resources, templates and their failures", "[sdk][handlers]") {
  plugin_session fixture(fixture_path);
  REQUIRE(fixture.init_status == MCPD_OK);
  fake_call_context context;

  REQUIRE(fixture.registrar.resources.size() == 1);
  const registered_resource& fixed = fixture.registrar.resources[0];
  CHECK(fixed.uri == "fixture://static");
  CHECK(fixed.definition ==
        json::parse(R"({"name":"static","description":"A fixed text","mimeType":"text/plain"})"));
  fake_result_builder text;
  REQUIRE(fixed.on_read(fixture.state, fixed.state, context.context(), MCPD_STR_LIT("fixture://static"),
                        MCPD_STR_LIT("{}"), text.builder()) == MCPD_OK);
  CHECK(
      text.result.content ==
      json::parse(
          R"([{"type":"resource","uri":"fixture://static","mimeType":"text/plain","text":"static text"}])"));

  const registered_template& items = items_template(fixture);
  CHECK(items.definition.at("name") == "item");
  REQUIRE(items.on_complete != nullptr);

  fake_result_builder blob;
  REQUIRE(items.on_read(fixture.state, items.state, context.context(), MCPD_STR_LIT("fixture://items/ab"),
                        MCPD_STR_LIT(R"({"id":"ab"})"), blob.builder()) == MCPD_OK);
  CHECK(blob.result.content.at(0).at("bytes") == json::array{'a', 'b'});

  fake_result_builder missing;
  CHECK(items.on_read(fixture.state, items.state, context.context(), MCPD_STR_LIT("fixture://items/missing"),
                      MCPD_STR_LIT(R"({"id":"missing"})"), missing.builder()) == MCPD_ERR_NOT_FOUND);
  CHECK(missing.result.is_error);
  CHECK(missing.result.all_text() == "no item named missing");

  fake_result_builder boom;
  CHECK(items.on_read(fixture.state, items.state, context.context(), MCPD_STR_LIT("fixture://items/boom"),
                      MCPD_STR_LIT(R"({"id":"boom"})"), boom.builder()) == MCPD_ERR_INTERNAL);
  CHECK(boom.result.all_text() == "item storage exploded");
}

TEST_CASE("sdk handlers: completions are capped at 100 values with hasMore and total", "[sdk][handlers]") {
  plugin_session fixture(fixture_path);
  REQUIRE(fixture.init_status == MCPD_OK);
  fake_call_context context;
  fake_result_builder builder;
  const registered_template& items = items_template(fixture);

  const std::string request = R"({"ref":{"type":"ref/resource","uri":"fixture://items/{id}"},
                                  "argument":{"name":"id","value":"item-"}})";
  REQUIRE(items.on_complete(fixture.state, items.state, context.context(), to_str(request),
                            builder.builder()) == MCPD_OK);
  REQUIRE(builder.result.result_json);
  const json::object& completion = builder.result.result_json->at("completion").as_object();
  CHECK(completion.at("values").as_array().size() == 100);
  CHECK(completion.at("values").at(0) == "item-0");
  CHECK(completion.at("total") == 150);
  CHECK(completion.at("hasMore") == true);
}

TEST_CASE("sdk handlers: prompts write description, roles and messages and complete arguments",
          "[sdk][handlers]") {
  plugin_session fixture(fixture_path);
  REQUIRE(fixture.init_status == MCPD_OK);
  REQUIRE(fixture.registrar.prompts.size() == 1);
  const registered_prompt& greeting = fixture.registrar.prompts[0];
  CHECK(greeting.name == "greeting");
  CHECK(greeting.definition == json::parse(R"({"title":"Greeting","description":"Greets someone",
        "arguments":[{"name":"name","description":"Who","required":true},{"name":"tone","required":false}]})"));
  fake_call_context context;

  fake_result_builder messages;
  REQUIRE(greeting.on_get(fixture.state, greeting.state, context.context(), MCPD_STR_LIT(R"({"name":"Ada"})"),
                          messages.builder()) == MCPD_OK);
  CHECK(messages.result.description == "A greeting for Ada");
  CHECK(messages.result.callbacks ==
        std::vector<std::string>{"set_description", "set_role", "add_text", "set_role", "add_resource_text"});
  CHECK(messages.result.roles == std::vector<std::string>{"user", "assistant"});
  CHECK(messages.result.content.at(0).at("text") == "Say hello to Ada");
  CHECK(messages.result.content.at(1).at("text") == "Hello, Ada");

  fake_result_builder missing_argument;
  CHECK(greeting.on_get(fixture.state, greeting.state, context.context(), MCPD_STR_LIT("{}"),
                        missing_argument.builder()) == MCPD_ERR_INTERNAL);
  CHECK(missing_argument.result.is_error);

  fake_result_builder completion;
  REQUIRE(greeting.on_complete != nullptr);
  REQUIRE(greeting.on_complete(fixture.state, greeting.state, context.context(),
                               MCPD_STR_LIT(R"({"ref":{"type":"ref/prompt","name":"greeting"},
                                               "argument":{"name":"name","value":"al"}})"),
                               completion.builder()) == MCPD_OK);
  REQUIRE(completion.result.result_json);
  CHECK(completion.result.result_json->at("completion") ==
        json::parse(R"({"values":["alice","albert"],"hasMore":false})"));
}

TEST_CASE("sdk handlers: init failures report their message through set_init_error", "[sdk][handlers]") {
  SECTION("a std::exception") {
    plugin_session fixture(fixture_path, R"({"fail_init":"the API key is missing"})");
    CHECK(fixture.init_status == MCPD_ERR_INTERNAL);
    CHECK(fixture.registrar.init_error == "the API key is missing");
    CHECK(fixture.state == nullptr);
  }
  SECTION("a non-std exception") {
    plugin_session fixture(fixture_path, R"({"throw_non_std":true})");
    CHECK(fixture.init_status == MCPD_ERR_INTERNAL);
    REQUIRE(fixture.registrar.init_error);
    CHECK_THAT(*fixture.registrar.init_error, Catch::Contains("not a std::exception"));
  }
  SECTION("an invalid tool name is refused by the SDK with the rule") {
    plugin_session fixture(fixture_path, R"({"register_invalid_tool":true})");
    CHECK(fixture.init_status == MCPD_ERR_INVALID_ARGUMENT);
    REQUIRE(fixture.registrar.init_error);
    CHECK_THAT(*fixture.registrar.init_error,
               Catch::Contains("\"bad name!\"") && Catch::Contains("A-Z a-z 0-9 _ -"));
    CHECK(fixture.registrar.tools.empty());
  }
  SECTION("a tool without an input schema") {
    plugin_session fixture(fixture_path, R"({"register_without_schema":true})");
    CHECK(fixture.init_status == MCPD_ERR_INVALID_ARGUMENT);
    REQUIRE(fixture.registrar.init_error);
    CHECK_THAT(*fixture.registrar.init_error,
               Catch::Contains("\"schemaless\"") && Catch::Contains("input_schema"));
  }
  SECTION("a registration the host refuses (e.g. a duplicate)") {
    plugin_session fixture(fixture_path, "{}", {"echo"});
    CHECK(fixture.init_status == MCPD_ERR_INVALID_ARGUMENT);
    REQUIRE(fixture.registrar.init_error);
    CHECK_THAT(*fixture.registrar.init_error, Catch::Contains("the host refused tool \"echo\""));
  }
  SECTION("configuration that is not an object") {
    plugin_session fixture(fixture_path, "[1]");
    CHECK(fixture.init_status == MCPD_ERR_INVALID_ARGUMENT);
    REQUIRE(fixture.registrar.init_error);
    CHECK_THAT(*fixture.registrar.init_error,
               Catch::Contains("configuration") && Catch::Contains("JSON object"));
  }
}

TEST_CASE("sdk handlers: shutdown destroys the plugin object", "[sdk][handlers]") {
  plugin_session fixture(fixture_path);
  REQUIRE(fixture.init_status == MCPD_OK);
  const std::size_t lines_before = fixture.host.log_lines.size();
  fixture.shutdown();
  REQUIRE(fixture.host.log_lines.size() == lines_before + 1);
  CHECK(fixture.host.log_lines.back().second == "sdk_fixture shutting down");
}
