// mcpd::sdk::call_context: what a handler may do while it runs (wraps mcpd_call_context).
#ifndef MCPD_SDK_CALL_CONTEXT_HPP
#define MCPD_SDK_CALL_CONTEXT_HPP

#include <mcpd/sdk/detail/abi.hpp>
#include <mcpd/sdk/detail/json_text.hpp>
#include <mcpd/sdk/detail/receive.hpp>
#include <mcpd/sdk/error.hpp>

#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace mcpd::sdk {

/// The running request. Valid only while the handler runs: never keep it, and do not share one between
/// threads (the lazily parsed capabilities/meta are not synchronised). The host's callbacks themselves are
/// thread-safe.
///
/// Every method that talks to the host throws sdk::error when the host answers with a failure status; the
/// message names the call and the status. A call_context without a host behind it (nullptr, for unit tests)
/// is never cancelled, drops progress and logs, and throws MCPD_ERR_UNSUPPORTED for calls and requests.
class call_context {
 public:
  explicit call_context(const mcpd_call_context* abi = nullptr) noexcept : abi_(abi) {}

  /// True once the client cancelled the request or the host is shutting down. Long handlers poll it and
  /// return early; whatever they return afterwards is discarded.
  bool cancelled() const noexcept {
    auto callback = MCPD_SDK_CALLBACK(abi_, callback_is_cancelled);
    return callback != nullptr && callback(abi_->host_ctx) != 0;
  }

  /// notifications/progress, sent only when the client asked for progress. `progress` must not decrease.
  void progress(double progress, std::optional<double> total = {}, std::string_view message = {}) const {
    auto callback = MCPD_SDK_CALLBACK(abi_, callback_report_progress);
    if (callback == nullptr) {
      return;
    }
    const mcpd_str text = message.empty() ? mcpd_str{nullptr, 0} : detail::to_str(message);
    check(callback(abi_->host_ctx, progress, total.value_or(-1.0), text), "progress", {});
  }

  /// notifications/message to the client, if `level` passes the client's logging/setLevel. `data` is any
  /// JSON value (a string, or an object with details).
  void log(log_level level, const json::value& data, std::string_view logger = {}) const {
    auto callback = MCPD_SDK_CALLBACK(abi_, callback_log_to_client);
    if (callback == nullptr) {
      return;
    }
    const std::string data_json = json::serialize(data);
    const mcpd_str logger_text = logger.empty() ? mcpd_str{nullptr, 0} : detail::to_str(logger);
    check(
        callback(abi_->host_ctx, static_cast<mcpd_log_level>(level), logger_text, detail::to_str(data_json)),
        "log", {});
  }

  /// Whether call_tool(qualified_name, ...) would find the tool: for checking before slow or costly work
  /// (a render, an upload) whose result only that tool can use. nullopt when the host is older than ABI
  /// 1.1 and cannot say; then call and handle MCPD_ERR_NOT_FOUND.
  std::optional<bool> has_tool(std::string_view qualified_name) const noexcept {
    auto callback = MCPD_SDK_CALLBACK(abi_, callback_has_tool);
    if (callback == nullptr) {
      return std::nullopt;
    }
    return callback(abi_->host_ctx, detail::to_str(qualified_name)) != 0;
  }

  /// Calls a tool of another namespace, e.g. "gemini.ask_about_images". Returns its CallToolResult, which
  /// may carry isError:true; throws sdk::error when the host could not run the call (unknown tool,
  /// cancelled, timeout), with the host's explanation.
  json::object call_tool(std::string_view qualified_name, const json::object& arguments) const {
    auto callback = MCPD_SDK_CALLBACK(abi_, callback_call_tool);
    const std::string what = "call_tool(\"" + std::string(qualified_name) + "\")";
    if (callback == nullptr) {
      throw error(MCPD_ERR_UNSUPPORTED, what + ": the host does not offer nested tool calls");
    }
    const std::string arguments_json = json::serialize(arguments);
    detail::text_receiver answer;
    const mcpd_status status = callback(abi_->host_ctx, detail::to_str(qualified_name),
                                        detail::to_str(arguments_json), &detail::receive_text, &answer);
    check(status, what, answer);
    return detail::parse_object(answer.text, what + " result", MCPD_ERR_INTERNAL);
  }

  /// Sends a request to the client and waits for its result, e.g. "sampling/createMessage",
  /// "elicitation/create" or "roots/list". A zero timeout means the host's default. Throws sdk::error with
  /// MCPD_ERR_UNSUPPORTED when the client lacks the capability, or with the client's error.
  json::value client_request(std::string_view method, const json::object& params,
                             std::chrono::milliseconds timeout = {}) const {
    auto callback = MCPD_SDK_CALLBACK(abi_, callback_client_request);
    const std::string what = "client_request(\"" + std::string(method) + "\")";
    if (callback == nullptr) {
      throw error(MCPD_ERR_UNSUPPORTED, what + ": the host does not offer client requests");
    }
    const std::string params_json = json::serialize(params);
    detail::text_receiver answer;
    const mcpd_status status = callback(abi_->host_ctx, detail::to_str(method), detail::to_str(params_json),
                                        clamp_timeout(timeout), &detail::receive_text, &answer);
    check(status, what, answer);
    return detail::parse_value(answer.text, what + " result", MCPD_ERR_INTERNAL);
  }

  /// The protocol version negotiated with this client, e.g. "2025-11-25"; empty when unknown.
  std::string_view protocol_version() const noexcept {
    return MCPD_SDK_HAS_FIELD(abi_, protocol_version) ? detail::to_view(abi_->protocol_version)
                                                      : std::string_view{};
  }

  /// The client's declared capabilities (initialize params.capabilities); {} when none.
  const json::object& client_capabilities() const {
    if (!capabilities_) {
      const std::string_view text = MCPD_SDK_HAS_FIELD(abi_, client_capabilities_json)
                                        ? detail::to_view(abi_->client_capabilities_json)
                                        : std::string_view{};
      capabilities_ = detail::parse_object(text, "the client capabilities from the host", MCPD_ERR_INTERNAL);
    }
    return *capabilities_;
  }

  /// The request's params._meta object; {} when absent.
  const json::object& request_meta() const {
    if (!meta_) {
      const std::string_view text = MCPD_SDK_HAS_FIELD(abi_, request_meta_json)
                                        ? detail::to_view(abi_->request_meta_json)
                                        : std::string_view{};
      meta_ = detail::parse_object(text, "the request _meta from the host", MCPD_ERR_INTERNAL);
    }
    return *meta_;
  }

 private:
  static std::uint32_t clamp_timeout(std::chrono::milliseconds timeout) noexcept {
    if (timeout.count() <= 0) {
      return 0;
    }
    constexpr auto most = std::numeric_limits<std::uint32_t>::max();
    return timeout.count() >= static_cast<std::chrono::milliseconds::rep>(most)
               ? most
               : static_cast<std::uint32_t>(timeout.count());
  }

  // Turns a failure status into sdk::error, carrying the host's explanation when it sent one.
  static void check(mcpd_status status, std::string_view what, const detail::text_receiver& answer) {
    if (answer.out_of_memory) {
      throw error(MCPD_ERR_INTERNAL, std::string(what) + ": out of memory while copying the host's answer");
    }
    if (status == MCPD_OK) {
      return;
    }
    std::string message = std::string(what) + " failed (" + std::string(status_name(status)) + ")";
    if (!answer.text.empty()) {
      message += ": " + answer.text;
    }
    throw error(status, std::move(message));
  }

  const mcpd_call_context* abi_ = nullptr;
  mutable std::optional<json::object> capabilities_;
  mutable std::optional<json::object> meta_;
};

}  // namespace mcpd::sdk

#endif  // MCPD_SDK_CALL_CONTEXT_HPP
