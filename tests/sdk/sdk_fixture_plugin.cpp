// sdk_fixture: a test-only plugin that exercises every SDK feature the hello example does not, so that
// sdk_handlers_test can check what crosses the ABI: exceptions of every kind, the call context, every
// content kind, resources, templates, prompts, completions and init failures.
#include <mcpd/sdk.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace sdk_fixture {

namespace sdk = mcpd::sdk;
namespace json = boost::json;

const json::object any_arguments = sdk::parse_object(R"({"type": "object"})");

struct not_a_std_exception {
  int code = 42;
};

class fixture_plugin final : public sdk::plugin {
 public:
  static constexpr std::string_view plugin_namespace = "sdk_fixture";
  static constexpr std::string_view plugin_version = "0.0.1";
  static constexpr std::string_view description = "Test fixture for the mcpd SDK";
  static constexpr std::string_view config_schema =
      R"({"type":"object","properties":{"fail_init":{"type":"string"}}})";
  static constexpr std::uint32_t flags = MCPD_PLUGIN_FLAG_SERIAL;

  ~fixture_plugin() override { host().log(sdk::log_level::info, "sdk_fixture shutting down"); }

  void init(const json::object& config, sdk::registry& reg) override {
    if (const auto* message = config.if_contains("fail_init")) {
      throw std::runtime_error(std::string(message->as_string()));
    }
    if (config.contains("throw_non_std")) {
      throw not_a_std_exception{};
    }
    if (config.contains("register_invalid_tool")) {
      reg.tool({.name = "bad name!", .description = "x", .input_schema = any_arguments}, ok_tool);
    }
    if (config.contains("register_without_schema")) {
      reg.tool({.name = "schemaless", .description = "x"}, ok_tool);
    }
    register_tools(reg);
    register_resources(reg);
    register_prompts(reg);
    host().log(sdk::log_level::notice, "sdk_fixture ready for host " + std::string(host().host_version()));
  }

 private:
  static sdk::tool_result ok_tool(sdk::call_context&, const json::object&) {
    return sdk::tool_result{}.text("ok");
  }

  void register_tools(sdk::registry& reg) {
    reg.tool(
        {.name = "throws_std", .description = "Throws std::runtime_error", .input_schema = any_arguments},
        [](sdk::call_context&, const json::object&) -> sdk::tool_result {
          throw std::runtime_error("the disk is on fire");
        });
    reg.tool(
        {.name = "throws_other", .description = "Throws a non-std type", .input_schema = any_arguments},
        [](sdk::call_context&, const json::object&) -> sdk::tool_result { throw not_a_std_exception{}; });
    reg.tool({.name = "throws_sdk_error", .description = "Throws sdk::error", .input_schema = any_arguments},
             [](sdk::call_context&, const json::object&) -> sdk::tool_result {
               throw sdk::error(MCPD_ERR_NOT_FOUND, "no such recording: 17");
             });
    reg.tool({.name = "echo", .description = "Echoes its arguments", .input_schema = any_arguments},
             [](sdk::call_context&, const json::object& arguments) {
               return sdk::tool_result{}.text(json::serialize(arguments));
             });
    reg.tool({.name = "context_tour",
              .description = "Uses every call_context service",
              .input_schema = any_arguments},
             context_tour);
    reg.tool({.name = "nested_unknown",
              .description = "Calls a tool that does not exist",
              .input_schema = any_arguments},
             [](sdk::call_context& context, const json::object&) {
               return sdk::tool_result{}.structured(context.call_tool("other.missing", {{"q", 1}}));
             });
    reg.tool({.name = "every_content",
              .description = "Returns one block of each kind",
              .input_schema = any_arguments,
              .output_schema = sdk::parse_object(R"({"type":"object"})")},
             every_content);
    reg.tool({.name = "partial_failure", .description = "Text, then fail()", .input_schema = any_arguments},
             [](sdk::call_context&, const json::object&) {
               return sdk::tool_result{}.text("step 1 done").fail("step 2 failed");
             });
    reg.tool({.name = "notify", .description = "Notifies a resource update", .input_schema = any_arguments},
             [this](sdk::call_context&, const json::object&) {
               host().notify_resource_updated("fixture://static");
               return sdk::tool_result{}.text("notified");
             });
  }

  static sdk::tool_result context_tour(sdk::call_context& context, const json::object&) {
    using namespace std::chrono_literals;
    json::object seen;
    seen["cancelled"] = context.cancelled();
    context.progress(1, 2, "halfway");
    context.progress(2);
    context.log(sdk::log_level::warning, json::object{{"step", "tour"}}, "fixture");
    seen["protocol_version"] = context.protocol_version();
    seen["client_capabilities"] = context.client_capabilities();
    seen["request_meta"] = context.request_meta();
    for (const char* name : {"other.echo", "other.missing"}) {
      const auto known = context.has_tool(name);  // nullopt from a host older than ABI 1.1
      seen[std::string("has_") + name] = known ? json::value(*known) : json::value(nullptr);
    }
    seen["nested"] = context.call_tool("other.echo", {{"x", 1}});
    seen["roots"] = context.client_request("roots/list", {}, 1500ms);
    return sdk::tool_result::structured_with_text(std::move(seen));
  }

  static sdk::tool_result every_content(sdk::call_context&, const json::object&) {
    static constexpr std::array<std::uint8_t, 3> png{1, 2, 3};
    static constexpr std::array<std::uint8_t, 2> wav{4, 5};
    return sdk::tool_result{}
        .text("plain")
        .image(png, "image/png")
        .audio(wav, "audio/wav")
        .resource_text("fixture://doc", "text/markdown", "# doc")
        .resource_blob("fixture://bin", "application/octet-stream", png)
        .resource_link({{"uri", "fixture://doc"}, {"name", "doc"}})
        .content({{"type", "text"}, {"text", "annotated"}, {"annotations", {{"priority", 0.5}}}})
        .structured({{"ok", true}});
  }

  static void register_resources(sdk::registry& reg) {
    reg.resource({.uri = "fixture://static",
                  .name = "static",
                  .description = "A fixed text",
                  .mime_type = "text/plain"},
                 [](sdk::call_context&, std::string_view uri, const json::object&) {
                   return sdk::resource_result{}.text(uri, "text/plain", "static text");
                 });
    reg.resource_template(
        {.uri_template = "fixture://items/{id}", .name = "item", .mime_type = "application/octet-stream"},
        [](sdk::call_context&, std::string_view uri, const json::object& variables) {
          const std::string id(variables.at("id").as_string());
          if (id == "missing") {
            throw sdk::error(MCPD_ERR_NOT_FOUND, "no item named missing");
          }
          if (id == "boom") {
            throw std::runtime_error("item storage exploded");
          }
          const std::vector<std::uint8_t> bytes(id.begin(), id.end());
          return sdk::resource_result{}.blob(uri, "application/octet-stream", bytes);
        },
        [](sdk::call_context&, const json::object&) {
          sdk::completion_result result;
          for (int i = 0; i < 150; ++i) {
            result.values.push_back("item-" + std::to_string(i));
          }
          return result;
        });
  }

  static void register_prompts(sdk::registry& reg) {
    reg.prompt(
        {.name = "greeting",
         .title = "Greeting",
         .description = "Greets someone",
         .arguments = {{.name = "name", .description = "Who", .required = true}, {.name = "tone"}}},
        [](sdk::call_context&, const json::object& arguments) {
          const std::string name(arguments.at("name").as_string());
          return sdk::prompt_result{}
              .description("A greeting for " + name)
              .user("Say hello to " + name)
              .assistant(sdk::content_block::resource_text("fixture://doc", "text/plain", "Hello, " + name));
        },
        [](sdk::call_context&, const json::object& request) {
          const std::string prefix(request.at("argument").at("value").as_string());
          sdk::completion_result result;
          for (const char* candidate : {"alice", "albert", "bob"}) {
            if (std::string_view(candidate).starts_with(prefix)) {
              result.values.emplace_back(candidate);
            }
          }
          return result;
        });
  }
};

}  // namespace sdk_fixture

MCPD_PLUGIN(sdk_fixture::fixture_plugin);
