// The on_* functions the host calls for each registered item. They are the ABI edge: noexcept, every
// exception caught, nothing C++ crosses.
#ifndef MCPD_SDK_DETAIL_TRAMPOLINES_HPP
#define MCPD_SDK_DETAIL_TRAMPOLINES_HPP

#include <mcpd/sdk/call_context.hpp>
#include <mcpd/sdk/detail/abi.hpp>
#include <mcpd/sdk/detail/instance.hpp>
#include <mcpd/sdk/detail/json_text.hpp>
#include <mcpd/sdk/detail/write_result.hpp>

#include <exception>
#include <string>
#include <string_view>

namespace mcpd::sdk::detail {

/// What a caught exception says, and the status it asks for. Only std::exception carries a message; a
/// thrown string is taken at its word; anything else gets a message that names the handler.
struct caught_failure {
  std::string message;
  mcpd_status status = MCPD_ERR_INTERNAL;
};

inline caught_failure describe_current_exception(std::string_view handler_kind,
                                                 std::string_view handler_name) {
  const auto fallback = [&] {
    return "the " + std::string(handler_kind) + " handler \"" + std::string(handler_name) +
           "\" threw an exception that is not a std::exception";
  };
  try {
    throw;
  } catch (const error& failure) {
    const std::string_view what = failure.what();
    return {what.empty() ? fallback() : std::string(what),
            failure.status() == MCPD_OK ? MCPD_ERR_INTERNAL : failure.status()};
  } catch (const std::exception& failure) {
    const std::string_view what = failure.what();
    return {what.empty() ? fallback() : std::string(what), MCPD_ERR_INTERNAL};
  } catch (const char* text) {
    return {text == nullptr || *text == '\0' ? fallback() : std::string(text), MCPD_ERR_INTERNAL};
  } catch (const std::string& text) {
    return {text.empty() ? fallback() : text, MCPD_ERR_INTERNAL};
  } catch (...) {
    return {fallback(), MCPD_ERR_INTERNAL};
  }
}

// Last resort when even describing a failure threw (out of memory): a static message, no allocation.
inline mcpd_status report_out_of_memory(const mcpd_result_builder* builder) noexcept {
  constexpr std::string_view message = "mcpd sdk: out of memory while handling the request";
  if (builder != nullptr) {
    if (auto callback = MCPD_SDK_CALLBACK(builder, callback_set_error)) {
      callback(builder->host_ctx, to_str(message));
    }
  }
  return MCPD_ERR_INTERNAL;
}

/// mcpd_on_call_tool_fn. A handler's exception becomes an isError:true result with its message, and the
/// call still returns MCPD_OK: for MCP a failing tool is a result, not a protocol error.
inline mcpd_status call_tool(void* /*plugin_state*/, void* tool_state, const mcpd_call_context* call,
                             mcpd_str arguments_json, const mcpd_result_builder* builder) noexcept {
  if (tool_state == nullptr || builder == nullptr) {
    return MCPD_ERR_INVALID_ARGUMENT;
  }
  const auto& entry = *static_cast<const tool_entry*>(tool_state);
  try {
    tool_result result;
    try {
      call_context context(call);
      const json::object arguments = parse_object(to_view(arguments_json), "the tool arguments");
      result = entry.handler(context, arguments);
    } catch (...) {
      result = tool_result::error(describe_current_exception("tool", entry.name).message);
    }
    return write_tool_result(*builder, result);
  } catch (...) {
    return report_out_of_memory(builder);
  }
}

/// Runs a resource, prompt or completion handler; on an exception, sets its message as the error and
/// answers the exception's status (MCPD_ERR_INTERNAL unless it was an sdk::error with another status).
template <class RunAndWrite>
mcpd_status run_guarded(const mcpd_result_builder* builder, std::string_view handler_kind,
                        std::string_view handler_name, RunAndWrite&& run_and_write) noexcept {
  if (builder == nullptr) {
    return MCPD_ERR_INVALID_ARGUMENT;
  }
  try {
    try {
      return run_and_write();
    } catch (...) {
      const caught_failure failure = describe_current_exception(handler_kind, handler_name);
      write_error_message(*builder, failure.message);
      return failure.status;
    }
  } catch (...) {
    return report_out_of_memory(builder);
  }
}

/// mcpd_on_read_resource_fn for static resources (state: resource_entry).
inline mcpd_status read_resource(void* /*plugin_state*/, void* resource_state, const mcpd_call_context* call,
                                 mcpd_str uri, mcpd_str variables_json,
                                 const mcpd_result_builder* builder) noexcept {
  if (resource_state == nullptr) {
    return MCPD_ERR_INVALID_ARGUMENT;
  }
  const auto& entry = *static_cast<const resource_entry*>(resource_state);
  return run_guarded(builder, "resource", entry.uri, [&] {
    call_context context(call);
    const json::object variables = parse_object(to_view(variables_json), "the resource variables");
    return write_resource_result(*builder, entry.handler(context, to_view(uri), variables));
  });
}

/// mcpd_on_read_resource_fn for resource templates (state: resource_template_entry).
inline mcpd_status read_resource_template(void* /*plugin_state*/, void* template_state,
                                          const mcpd_call_context* call, mcpd_str uri,
                                          mcpd_str variables_json,
                                          const mcpd_result_builder* builder) noexcept {
  if (template_state == nullptr) {
    return MCPD_ERR_INVALID_ARGUMENT;
  }
  const auto& entry = *static_cast<const resource_template_entry*>(template_state);
  return run_guarded(builder, "resource template", entry.uri_template, [&] {
    call_context context(call);
    const json::object variables = parse_object(to_view(variables_json), "the resource template variables");
    return write_resource_result(*builder, entry.handler(context, to_view(uri), variables));
  });
}

/// mcpd_on_complete_fn for resource templates.
inline mcpd_status complete_resource_template(void* /*plugin_state*/, void* template_state,
                                              const mcpd_call_context* call, mcpd_str request_json,
                                              const mcpd_result_builder* builder) noexcept {
  if (template_state == nullptr) {
    return MCPD_ERR_INVALID_ARGUMENT;
  }
  const auto& entry = *static_cast<const resource_template_entry*>(template_state);
  return run_guarded(builder, "completion", entry.uri_template, [&] {
    call_context context(call);
    const json::object request = parse_object(to_view(request_json), "the completion request");
    return write_completion_result(*builder, entry.completer(context, request));
  });
}

/// mcpd_on_get_prompt_fn (state: prompt_entry).
inline mcpd_status get_prompt(void* /*plugin_state*/, void* prompt_state, const mcpd_call_context* call,
                              mcpd_str arguments_json, const mcpd_result_builder* builder) noexcept {
  if (prompt_state == nullptr) {
    return MCPD_ERR_INVALID_ARGUMENT;
  }
  const auto& entry = *static_cast<const prompt_entry*>(prompt_state);
  return run_guarded(builder, "prompt", entry.name, [&] {
    call_context context(call);
    const json::object arguments = parse_object(to_view(arguments_json), "the prompt arguments");
    return write_prompt_result(*builder, entry.handler(context, arguments));
  });
}

/// mcpd_on_complete_fn for prompts.
inline mcpd_status complete_prompt(void* /*plugin_state*/, void* prompt_state, const mcpd_call_context* call,
                                   mcpd_str request_json, const mcpd_result_builder* builder) noexcept {
  if (prompt_state == nullptr) {
    return MCPD_ERR_INVALID_ARGUMENT;
  }
  const auto& entry = *static_cast<const prompt_entry*>(prompt_state);
  return run_guarded(builder, "completion", entry.name, [&] {
    call_context context(call);
    const json::object request = parse_object(to_view(request_json), "the completion request");
    return write_completion_result(*builder, entry.completer(context, request));
  });
}

}  // namespace mcpd::sdk::detail

#endif  // MCPD_SDK_DETAIL_TRAMPOLINES_HPP
