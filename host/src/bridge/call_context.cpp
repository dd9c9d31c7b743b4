#include "bridge/call_context.hpp"

#include <algorithm>
#include <cmath>

#include "bridge/abi_struct.hpp"
#include "bridge/input_rounds.hpp"
#include "bridge/invoker.hpp"
#include "util/exception_text.hpp"

namespace mcpd::bridge {
namespace json = boost::json;

namespace {
const json::object kNoCapabilities;

// Whole numbers as JSON integers: Boost.JSON writes every double in exponent
// form ("5E1"), which clients that decode progress into integers reject.
json::value json_number(double v) {
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 9007199254740992.0)
    return static_cast<std::int64_t>(v);
  return v;
}

std::string_view client_capability_for(std::string_view method) {
  if (method == "sampling/createMessage") return "sampling";
  if (method == "elicitation/create") return "elicitation";
  if (method == "roots/list") return "roots";
  return {};
}
}  // namespace

CallScope::CallScope(Options options) : options_(std::move(options)) {
  if (!options_.cancelled) options_.cancelled = std::make_shared<std::atomic<bool>>(false);
  if (!options_.missing_capability) options_.missing_capability = std::make_shared<MissingCapability>();
  if (options_.channel) {
    protocol_version_ = std::string(options_.channel->protocol_version());
    client_capabilities_text_ = json::serialize(options_.channel->client_capabilities());
  } else {
    protocol_version_ = "2025-11-25";
    client_capabilities_text_ = "{}";
  }
  meta_text_ = json::serialize(options_.meta);
  abi_.struct_size = sizeof(mcpd_call_context);
  abi_.host_ctx = handle_of<mcpd_call_handle>(this);
  abi_.callback_is_cancelled = &CallScope::is_cancelled;
  abi_.callback_report_progress = &CallScope::report_progress;
  abi_.callback_log_to_client = &CallScope::log_to_client;
  abi_.callback_call_tool = &CallScope::call_tool;
  abi_.callback_client_request = &CallScope::client_request;
  abi_.protocol_version = as_mcpd_str(protocol_version_);
  abi_.client_capabilities_json = as_mcpd_str(client_capabilities_text_);
  abi_.request_meta_json = as_mcpd_str(meta_text_);
  abi_.callback_has_tool = &CallScope::has_tool;
  abi_.traceparent = as_mcpd_str(options_.traceparent);
  abi_.tracestate = as_mcpd_str(options_.tracestate);
  if (options_.input_responses) abi_.input_responses_json = as_mcpd_str(*options_.input_responses);
  if (options_.input_state) abi_.input_state = as_mcpd_str(*options_.input_state);
  abi_.runs_as_task = options_.runs_as_task ? 1 : 0;
  abi_.callback_continue_as_task = &CallScope::continue_as_task;
}

std::chrono::milliseconds CallScope::client_request_timeout() const {
  return options_.invoker != nullptr ? options_.invoker->client_request_timeout() : std::chrono::minutes(1);
}

void CallScope::note_missing_capability(std::string capability) {
  std::lock_guard lock(options_.missing_capability->mutex);
  if (options_.missing_capability->name.empty()) options_.missing_capability->name = std::move(capability);
}

void CallScope::set_input(std::string responses_json, std::string state) {
  options_.input_responses = std::move(responses_json);
  options_.input_state = std::move(state);
  // A state of zero bytes is still a state: the pointer must not be NULL ("absent").
  abi_.input_responses_json = mcpd_str{options_.input_responses->c_str(), options_.input_responses->size()};
  abi_.input_state = mcpd_str{options_.input_state->c_str(), options_.input_state->size()};
}

mcpd_status CallScope::continue_as_task(mcpd_call_handle* ctx, mcpd_receive_fn receive,
                                        void* receiver) noexcept {
  try {
    auto* self = object_of<CallScope>(ctx);
    if (self->options_.runs_as_task) return MCPD_OK;
    std::string message;
    mcpd_status status = MCPD_ERR_UNSUPPORTED;
    if (self->options_.continue_as_task) {
      status = self->options_.continue_as_task(*self, message);
    } else {
      message =
          "this call cannot become a task (the client did not declare the io.modelcontextprotocol/tasks "
          "extension, speaks a revision before 2026-07-28, or the call is nested)";
    }
    if (status != MCPD_OK && receive != nullptr) receive(receiver, as_mcpd_str(message));
    return status;
  } catch (...) {
    return MCPD_ERR_INTERNAL;
  }
}

std::string CallScope::missing_client_capability() const {
  std::lock_guard lock(options_.missing_capability->mutex);
  return options_.missing_capability->name;
}

CallScope::Options CallScope::nested_options() const {
  Options o;
  o.snapshot = options_.snapshot;
  o.invoker = options_.invoker;
  o.channel = options_.channel;
  o.cancelled = options_.cancelled;
  o.missing_capability = options_.missing_capability;
  o.answered_elsewhere = options_.answered_elsewhere;
  o.traceparent = options_.traceparent;
  o.tracestate = options_.tracestate;
  o.depth = options_.depth + 1;
  o.reaches_app_only_tools = options_.reaches_app_only_tools;
  return o;
}

const registry::ToolEntry* CallScope::reachable_tool(std::string_view name) const {
  const registry::ToolEntry* entry = options_.snapshot ? options_.snapshot->find_tool(name) : nullptr;
  return entry != nullptr && entry->app_only && !options_.reaches_app_only_tools ? nullptr : entry;
}

int32_t CallScope::is_cancelled(mcpd_call_handle* ctx) noexcept {
  return object_of<CallScope>(ctx)->cancelled() ? 1 : 0;
}

mcpd_status CallScope::report_progress(mcpd_call_handle* ctx, double progress, double total,
                                       mcpd_str message) noexcept try {
  auto* self = object_of<CallScope>(ctx);
  // Nobody asked (a task's progress becomes its status message, token or not).
  if (!self->options_.channel || (!self->options_.progress_token && !self->options_.runs_as_task))
    return MCPD_OK;
  {
    std::lock_guard lock(self->progress_mutex_);
    if (progress < self->last_progress_)
      return MCPD_ERR_INVALID_ARGUMENT;  // the spec: progress must increase
    self->last_progress_ = progress;
  }
  json::object params{{"progress", json_number(progress)}};
  if (self->options_.progress_token) params["progressToken"] = *self->options_.progress_token;
  if (total >= 0) params["total"] = json_number(total);
  if (message.size > 0) params["message"] = view(message);
  self->options_.channel->notify("notifications/progress", std::move(params));
  return MCPD_OK;
} catch (...) {
  return MCPD_ERR_INTERNAL;
}

mcpd_status CallScope::log_to_client(mcpd_call_handle* ctx, mcpd_log_level level, mcpd_str logger,
                                     mcpd_str data) noexcept try {
  auto* self = object_of<CallScope>(ctx);
  auto lvl = static_cast<log::Level>(std::clamp<int32_t>(level, MCPD_LOG_DEBUG, MCPD_LOG_EMERGENCY));
  boost::system::error_code ec;
  json::value value = data.size == 0 ? json::value(nullptr) : json::parse(view(data), ec);
  if (ec) return MCPD_ERR_INVALID_ARGUMENT;
  if (!self->options_.channel || !self->options_.channel->wants_log(lvl)) return MCPD_OK;
  json::object params{{"level", log::level_name(lvl)}, {"data", std::move(value)}};
  if (logger.size > 0) params["logger"] = view(logger);
  self->options_.channel->notify("notifications/message", std::move(params));
  return MCPD_OK;
} catch (...) {
  return MCPD_ERR_INTERNAL;
}

int32_t CallScope::has_tool(mcpd_call_handle* ctx, mcpd_str name) noexcept try {
  const auto* self = object_of<CallScope>(ctx);
  return self->reachable_tool(view(name)) != nullptr ? 1 : 0;
} catch (...) {
  return 0;
}

mcpd_status CallScope::call_tool(mcpd_call_handle* ctx, mcpd_str name, mcpd_str arguments,
                                 mcpd_receive_fn receive, void* receiver) noexcept {
  auto reply = [&](std::string_view text) {
    if (receive) receive(receiver, as_mcpd_str(text));
  };
  try {
    auto* self = object_of<CallScope>(ctx);
    if (self->options_.depth + 1 > kMaxCallDepth) {
      reply("cross-namespace calls are nested more than " + std::to_string(kMaxCallDepth) + " levels deep");
      return MCPD_ERR_STATE;
    }
    boost::system::error_code ec;
    json::value args = arguments.size == 0 ? json::value(json::object{}) : json::parse(view(arguments), ec);
    if (ec) {
      reply("arguments_json is not valid JSON: " + ec.message());
      return MCPD_ERR_INVALID_ARGUMENT;
    }
    CallScope nested(self->nested_options());
    // A nested tool that asks for input gets it the way this call's client requests go.
    json::object result = run_answering_input(nested, RoundKind::tool, [&](CallScope& s) {
      return self->options_.invoker->call_tool(s, view(name), args);
    });
    if (self->cancelled()) {
      reply("the call was cancelled");
      return MCPD_ERR_CANCELLED;
    }
    reply(json::serialize(result));
    return MCPD_OK;
  } catch (const RpcError& e) {
    reply(e.what());
    return e.code == -32602 ? MCPD_ERR_NOT_FOUND : MCPD_ERR_INTERNAL;
  } catch (...) {
    reply(current_exception_text());
    return MCPD_ERR_INTERNAL;
  }
}

mcpd_status CallScope::client_request(mcpd_call_handle* ctx, mcpd_str method, mcpd_str params,
                                      uint32_t timeout_ms, mcpd_receive_fn receive, void* receiver) noexcept {
  auto reply = [&](std::string_view text) {
    if (receive) receive(receiver, as_mcpd_str(text));
  };
  try {
    auto* self = object_of<CallScope>(ctx);
    std::string_view m = view(method);
    if (!self->options_.channel) {
      reply("no MCP client is connected (e.g. under `mcpd call`), so \"" + std::string(m) +
            "\" cannot be sent");
      return MCPD_ERR_UNSUPPORTED;
    }
    if (auto cap = client_capability_for(m);
        !cap.empty() && !self->options_.channel->client_capabilities().contains(cap)) {
      self->note_missing_capability(std::string(cap));
      reply("the client did not declare the \"" + std::string(cap) + "\" capability, so \"" + std::string(m) +
            "\" cannot be sent");
      return MCPD_ERR_UNSUPPORTED;
    }
    boost::system::error_code ec;
    json::value p = params.size == 0 ? json::value(json::object{}) : json::parse(view(params), ec);
    if (ec || !p.is_object()) {
      reply("params_json must be a JSON object");
      return MCPD_ERR_INVALID_ARGUMENT;
    }
    auto timeout = timeout_ms == 0 ? self->options_.invoker->client_request_timeout()
                                   : std::chrono::milliseconds(timeout_ms);
    ClientReply r =
        self->options_.channel->request(m, std::move(p.get_object()), timeout, *self->options_.cancelled);
    reply(r.payload);
    return r.status;
  } catch (...) {
    reply(current_exception_text());
    return MCPD_ERR_INTERNAL;
  }
}

}  // namespace mcpd::bridge
