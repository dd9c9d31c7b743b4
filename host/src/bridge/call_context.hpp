#pragma once
// The host side of mcpd_call_context for one running request: cancellation,
// progress, client logging, nested tool calls and client requests.
#include <mcpd/plugin_api.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "bridge/client_channel.hpp"
#include "bridge/input_needed.hpp"
#include "registry/registry_snapshot.hpp"

namespace mcpd::bridge {

class Invoker;

// What a call and its nested calls learned about capabilities the client
// lacks (plugins may ask from their own threads, hence the mutex).
struct MissingCapability {
  std::mutex mutex;
  std::string name;
};

class CallScope {
 public:
  struct Options {
    std::shared_ptr<const registry::RegistrySnapshot> snapshot;
    Invoker* invoker = nullptr;
    ClientChannel* channel = nullptr;                  // null: no client (mcpd call)
    std::shared_ptr<std::atomic<bool>> cancelled;      // shared with nested calls
    std::optional<boost::json::value> progress_token;  // from params._meta.progressToken
    boost::json::object meta;                          // params._meta
    int depth = 0;                                     // nesting of cross-namespace calls
    // False for a client that did not declare MCP Apps: the tools only views call do not exist for it (nor
    // for the calls made on its behalf). True where there is no such client (mcpd call).
    bool reaches_app_only_tools = true;
    // W3C trace context of the request (params._meta), "" when absent; nested calls keep it.
    std::string traceparent;
    std::string tracestate;
    // True once the request this call serves was answered without it (its
    // deadline passed): what it does now is no longer counted. Nested calls share it.
    std::function<bool()> answered_elsewhere;
    // Shared with nested calls: the capability a client request lacked.
    std::shared_ptr<MissingCapability> missing_capability;
    // A later round of a handler that asked for input: the client's answers (a JSON object's text) and
    // the state the handler gave with its requests. Both absent on the first round.
    std::optional<std::string> input_responses;
    std::optional<std::string> input_state;
    // The call runs as a task (ABI runs_as_task).
    bool runs_as_task = false;
    // callback_continue_as_task: turns the call into a task (set_runs_as_task, and a channel that
    // reports to the task), MCPD_OK when it is one; a failure's explanation goes to `message`.
    // Empty: this call cannot become one (MCPD_ERR_UNSUPPORTED).
    std::function<mcpd_status(CallScope& scope, std::string& message)> continue_as_task;
  };
  explicit CallScope(Options options);
  CallScope(const CallScope&) = delete;
  CallScope& operator=(const CallScope&) = delete;

  const mcpd_call_context* abi() const { return &abi_; }
  const registry::RegistrySnapshot& snapshot() const { return *options_.snapshot; }
  // The tool called `name` as this call may reach it; null when there is none (or it is app-only and the
  // client did not declare MCP Apps).
  const registry::ToolEntry* reachable_tool(std::string_view name) const;
  bool cancelled() const { return options_.cancelled->load(); }
  std::string_view protocol_version() const { return protocol_version_; }
  ClientChannel* channel() const { return options_.channel; }

  // The client capability ("sampling", "elicitation", "roots") a client
  // request of this call (or of a nested call) needed but the client had not
  // declared; "" when none.
  std::string missing_client_capability() const;
  bool answered_elsewhere() const { return options_.answered_elsewhere && options_.answered_elsewhere(); }
  // A scope for a nested call made from this one: same snapshot, client and
  // cancellation; no progress token; one level deeper.
  Options nested_options() const;

  // What the handler asked the client for in this round (set by the invoker), taken once.
  void set_input_needed(InputNeeded input) { input_needed_ = std::move(input); }
  std::optional<InputNeeded> take_input_needed() { return std::exchange(input_needed_, std::nullopt); }
  // The next round of the same call: the client's answers and the handler's state.
  void set_input(std::string responses_json, std::string state);
  bool runs_as_task() const { return options_.runs_as_task; }
  const std::atomic<bool>& cancelled_flag() const { return *options_.cancelled; }
  std::chrono::milliseconds client_request_timeout() const;
  // Records the capability a client request lacked (the first one wins; nested calls share it).
  void note_missing_capability(std::string capability);
  void set_runs_as_task() {
    options_.runs_as_task = true;
    abi_.runs_as_task = 1;
  }
  // Where progress, logs and client requests go from now on (a task's channel once the call became one).
  void use_channel(ClientChannel* channel) { options_.channel = channel; }

 private:
  static int32_t is_cancelled(mcpd_call_handle* ctx) noexcept;
  static mcpd_status report_progress(mcpd_call_handle* ctx, double progress, double total,
                                     mcpd_str message) noexcept;
  static mcpd_status log_to_client(mcpd_call_handle* ctx, mcpd_log_level level, mcpd_str logger,
                                   mcpd_str data) noexcept;
  static int32_t has_tool(mcpd_call_handle* ctx, mcpd_str name) noexcept;
  static mcpd_status call_tool(mcpd_call_handle* ctx, mcpd_str name, mcpd_str arguments,
                               mcpd_receive_fn receive, void* receiver) noexcept;
  static mcpd_status client_request(mcpd_call_handle* ctx, mcpd_str method, mcpd_str params,
                                    uint32_t timeout_ms, mcpd_receive_fn receive, void* receiver) noexcept;
  static mcpd_status continue_as_task(mcpd_call_handle* ctx, mcpd_receive_fn receive,
                                      void* receiver) noexcept;

  Options options_;
  std::string protocol_version_;
  std::string client_capabilities_text_;
  std::string meta_text_;
  std::mutex progress_mutex_;
  double last_progress_ = -1e300;
  std::optional<InputNeeded> input_needed_;
  mcpd_call_context abi_{};
};

}  // namespace mcpd::bridge
