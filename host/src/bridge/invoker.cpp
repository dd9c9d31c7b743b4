#include "bridge/invoker.hpp"

#include <mcpd/sdk/json_serialize.hpp>

#include "bridge/abi_struct.hpp"
#include "bridge/result_builder.hpp"
#include "log/logger.hpp"
#include "registry/app_views.hpp"
#include "util/exception_text.hpp"

namespace mcpd::bridge {
namespace json = boost::json;
namespace {

// Runs one handler under the plugin's serial lock (when it asked for one) and
// turns an escaping exception into text instead of a crash.
template <class Fn>
mcpd_status run_guarded(loader::LoadedPlugin& plugin, std::string& exception_message, Fn&& fn) {
  std::unique_lock<std::mutex> serial;
  if (auto* m = plugin.serial_mutex()) serial = std::unique_lock(*m);
  try {
    return fn();
  } catch (...) {
    exception_message = current_exception_text();
    return MCPD_ERR_INTERNAL;
  }
}

std::string status_text(mcpd_status s) {
  switch (s) {
    case MCPD_ERR_INVALID_ARGUMENT:
      return "invalid argument";
    case MCPD_ERR_NOT_FOUND:
      return "not found";
    case MCPD_ERR_CANCELLED:
      return "cancelled";
    case MCPD_ERR_UNSUPPORTED:
      return "unsupported";
    case MCPD_ERR_TIMEOUT:
      return "timeout";
    case MCPD_ERR_STATE:
      return "wrong state";
    default:
      return "internal error";
  }
}

// For a non-tool handler. One that reports success after the builder refused
// its data (say, a result that is not a JSON object) has not produced an answer.
bool handler_succeeded(mcpd_status status, const std::string& exception_message,
                       const ResultBuilder& builder) {
  return status == MCPD_OK && exception_message.empty() && !builder.is_error() && !builder.misuse();
}

// For a non-tool handler: the JSON-RPC error that reports its failure.
RpcError handler_failure(std::string_view what, mcpd_status status, const std::string& exception_message,
                         const ResultBuilder& builder) {
  std::string message = std::string(what) + " failed";
  if (!exception_message.empty())
    message += ": the plugin threw: " + exception_message;
  else if (builder.misuse())
    message += ": " + *builder.misuse();
  else
    message += " (" + status_text(status) + ")";
  return RpcError(-32603, message);
}

}  // namespace

json::object Invoker::error_result(std::string_view message) {
  return json::object{{"content", json::array{json::object{{"type", "text"}, {"text", message}}}},
                      {"isError", true}};
}

namespace {
constexpr std::size_t kMaxReportedArgumentErrors = 5;
}  // namespace

json::object Invoker::call_tool(CallScope& scope, std::string_view name, const json::value& arguments) {
  const auto started = std::chrono::steady_clock::now();
  ++in_flight_;
  auto observe = [&](std::string_view outcome) {
    --in_flight_;
    if (observer.tool_call && !scope.answered_elsewhere())
      observer.tool_call(name, outcome, std::chrono::steady_clock::now() - started);
  };
  try {
    json::object result = run_tool(scope, name, arguments);
    const auto* is_error = result.if_contains("isError");
    observe(scope.cancelled() ? "cancelled" : is_error != nullptr && *is_error == true ? "error" : "ok");
    return result;
  } catch (...) {
    observe("rpc_error");
    throw;
  }
}

json::object Invoker::run_tool(CallScope& scope, std::string_view name, const json::value& arguments) {
  const registry::ToolEntry* entry = scope.reachable_tool(name);
  if (!entry) throw unknown_tool(name);
  const auto& reg = *entry->registration;
  const std::string& tool = entry->published_name;

  static const json::value kNoArguments = json::object{};
  const json::value& args = arguments.is_null() ? kNoArguments : arguments;
  if (!args.is_object())
    return error_result("Invalid arguments for tool " + tool + ": \"arguments\" must be a JSON object");
  // Every mistake at once (up to a few), so a model can fix its call in one round trip.
  if (const auto errors = reg.input_schema->validate_all(args, kMaxReportedArgumentErrors); !errors.empty()) {
    std::string message = "Invalid arguments for tool " + tool + ": ";
    for (std::size_t i = 0; i < errors.size(); ++i) message += (i ? "; " : "") + errors[i].text();
    return error_result(message);
  }

  ResultBuilder builder(ResultBuilder::Kind::tool);
  const std::string args_text = sdk::to_json_text(args);
  std::string thrown;
  mcpd_status status = run_guarded(*entry->plugin, thrown, [&] {
    return reg.on_call(entry->plugin->state(), reg.state, scope.abi(), as_mcpd_str(args_text), builder.abi());
  });
  if (!thrown.empty()) {
    log::warn("tool handler threw", {{"tool", entry->qualified_name}, {"error", thrown}});
    return error_result("Tool " + tool + " failed: " + thrown);
  }
  if (status == MCPD_OK && builder.input_needed() && !builder.misuse()) {
    scope.set_input_needed(std::move(*builder.input_needed()));
    return {};  // the caller asks the client and calls again (bridge/input_rounds, the session)
  }
  if (status != MCPD_OK) {
    if (builder.is_error()) return builder.finish();  // the plugin explained itself
    std::string why = builder.misuse() ? *builder.misuse() : status_text(status);
    log::warn("tool handler failed", {{"tool", entry->qualified_name}, {"status", std::to_string(status)}});
    throw RpcError(-32603, "Tool " + tool + " failed inside its plugin: " + why);
  }
  if (builder.misuse() && !builder.is_error()) {
    log::warn("tool produced an invalid result",
              {{"tool", entry->qualified_name}, {"problem", *builder.misuse()}});
    return error_result("Tool " + tool + " produced an invalid result: " + *builder.misuse());
  }
  bool is_error = builder.is_error();
  json::object result = builder.finish();
  if (!is_error && reg.output_schema) {
    auto sc = result.find("structuredContent");
    if (sc == result.end())
      return error_result("Tool " + tool + " declares an outputSchema but returned no structuredContent");
    if (auto bad = reg.output_schema->validate(sc->value())) {
      log::warn("structuredContent does not match outputSchema",
                {{"tool", entry->qualified_name}, {"problem", bad->text()}});
      return error_result("Tool " + tool +
                          " returned structuredContent that does not match its outputSchema: " + bad->text());
    }
  }
  return result;
}

json::object Invoker::read_resource(CallScope& scope, std::string_view uri) {
  const auto& snap = scope.snapshot();
  mcpd_on_read_resource_fn on_read = nullptr;
  void* state = nullptr;
  std::shared_ptr<loader::LoadedPlugin> plugin;
  json::object variables;
  const auto* resource = snap.find_resource(uri);
  if (const auto* r = resource) {
    on_read = r->registration->on_read;
    state = r->registration->state;
    plugin = r->plugin;
  } else if (const auto* t = snap.match_template(uri, variables)) {
    on_read = t->registration->on_read;
    state = t->registration->state;
    plugin = t->plugin;
  } else {
    throw RpcError(kResourceNotFound, "Resource not found: " + std::string(uri), json::object{{"uri", uri}});
  }
  ResultBuilder builder(ResultBuilder::Kind::resource);
  std::string vars_text = json::serialize(variables);
  std::string thrown;
  mcpd_status status = run_guarded(*plugin, thrown, [&] {
    return on_read(plugin->state(), state, scope.abi(), as_mcpd_str(uri), as_mcpd_str(vars_text),
                   builder.abi());
  });
  if (status == MCPD_OK && thrown.empty() && builder.input_needed() && !builder.misuse()) {
    scope.set_input_needed(std::move(*builder.input_needed()));
    return {};
  }
  if (!handler_succeeded(status, thrown, builder))
    throw handler_failure("Reading " + std::string(uri), status, thrown, builder);
  json::object result = builder.finish();
  if (resource != nullptr) registry::carry_view_meta(resource->listed, result);
  return result;
}

json::object Invoker::get_prompt(CallScope& scope, std::string_view name, const json::value& arguments) {
  const auto* entry = scope.snapshot().find_prompt(name);
  if (!entry)
    throw RpcError(-32602, "Unknown prompt: \"" + std::string(name) + "\". Call prompts/list to see them.");
  json::object args;
  if (!arguments.is_null()) {
    if (!arguments.is_object()) throw RpcError(-32602, "Invalid params: \"arguments\" must be an object");
    args = arguments.get_object();
  }
  for (const auto& [key, value] : args)
    if (!value.is_string())
      throw RpcError(-32602, "Invalid params: prompt argument \"" + std::string(key) + "\" must be a string");
  if (auto declared = entry->registration->definition.find("arguments");
      declared != entry->registration->definition.end()) {
    for (const auto& a : declared->value().get_array()) {
      const auto& arg = a.get_object();
      auto required = arg.find("required");
      std::string arg_name(arg.at("name").get_string());
      if (required != arg.end() && required->value() == true && !args.contains(arg_name))
        throw RpcError(-32602, "Invalid params: prompt " + entry->published_name + " needs the argument \"" +
                                   arg_name + "\"");
    }
  }
  const auto& reg = *entry->registration;
  ResultBuilder builder(ResultBuilder::Kind::prompt);
  std::string args_text = json::serialize(args);
  std::string thrown;
  mcpd_status status = run_guarded(*entry->plugin, thrown, [&] {
    return reg.on_get(entry->plugin->state(), reg.state, scope.abi(), as_mcpd_str(args_text), builder.abi());
  });
  if (status == MCPD_OK && thrown.empty() && builder.input_needed() && !builder.misuse()) {
    scope.set_input_needed(std::move(*builder.input_needed()));
    return {};
  }
  if (!handler_succeeded(status, thrown, builder))
    throw handler_failure("Prompt " + entry->published_name, status, thrown, builder);
  return builder.finish();
}

json::object Invoker::complete(CallScope& scope, const json::object& params) {
  auto ref_it = params.find("ref");
  if (ref_it == params.end() || !ref_it->value().is_object())
    throw RpcError(-32602, "Invalid params: \"ref\" must be an object");
  const auto& ref = ref_it->value().get_object();
  auto type = ref.find("type");
  if (type == ref.end() || !type->value().is_string())
    throw RpcError(-32602, "Invalid params: \"ref.type\" must be \"ref/prompt\" or \"ref/resource\"");
  auto arg = params.find("argument");
  if (arg == params.end() || !arg->value().is_object())
    throw RpcError(-32602, "Invalid params: \"argument\" must be an object with name and value");

  mcpd_on_complete_fn on_complete = nullptr;
  void* state = nullptr;
  std::shared_ptr<loader::LoadedPlugin> plugin;
  const auto& snap = scope.snapshot();
  if (type->value() == "ref/prompt") {
    auto name = ref.find("name");
    if (name == ref.end() || !name->value().is_string())
      throw RpcError(-32602, "Invalid params: \"ref.name\" missing");
    const auto* p = snap.find_prompt(name->value().get_string());
    if (!p) throw RpcError(-32602, "Unknown prompt: \"" + std::string(name->value().get_string()) + "\"");
    on_complete = p->registration->on_complete;
    state = p->registration->state;
    plugin = p->plugin;
  } else if (type->value() == "ref/resource") {
    auto uri = ref.find("uri");
    if (uri == ref.end() || !uri->value().is_string())
      throw RpcError(-32602, "Invalid params: \"ref.uri\" missing");
    const auto* t = snap.find_template(uri->value().get_string());
    if (!t)
      throw RpcError(-32602, "Unknown resource template: \"" + std::string(uri->value().get_string()) + "\"");
    on_complete = t->registration->on_complete;
    state = t->registration->state;
    plugin = t->plugin;
  } else {
    throw RpcError(-32602, "Invalid params: \"ref.type\" must be \"ref/prompt\" or \"ref/resource\"");
  }
  ResultBuilder builder(ResultBuilder::Kind::completion);
  if (!on_complete) return builder.finish();  // nothing to suggest
  std::string request_text = json::serialize(params);
  std::string thrown;
  mcpd_status status = run_guarded(*plugin, thrown, [&] {
    return on_complete(plugin->state(), state, scope.abi(), as_mcpd_str(request_text), builder.abi());
  });
  if (!handler_succeeded(status, thrown, builder))
    throw handler_failure("Completion", status, thrown, builder);
  return builder.finish();
}

}  // namespace mcpd::bridge
