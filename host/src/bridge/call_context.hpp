#pragma once
// The host side of mcpd_call_context for one running request: cancellation,
// progress, client logging, nested tool calls and client requests.
#include <mcpd/plugin_api.h>

#include <atomic>
#include <boost/json.hpp>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "bridge/client_channel.hpp"
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
    // W3C trace context of the request (params._meta), "" when absent; nested calls keep it.
    std::string traceparent;
    std::string tracestate;
    // True once the request this call serves was answered without it (its
    // deadline passed): what it does now is no longer counted. Nested calls share it.
    std::function<bool()> answered_elsewhere;
    // Shared with nested calls: the capability a client request lacked.
    std::shared_ptr<MissingCapability> missing_capability;
  };
  explicit CallScope(Options options);
  CallScope(const CallScope&) = delete;
  CallScope& operator=(const CallScope&) = delete;

  const mcpd_call_context* abi() const { return &abi_; }
  const registry::RegistrySnapshot& snapshot() const { return *options_.snapshot; }
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

 private:
  static int32_t is_cancelled(void* ctx) noexcept;
  static mcpd_status report_progress(void* ctx, double progress, double total, mcpd_str message) noexcept;
  static mcpd_status log_to_client(void* ctx, mcpd_log_level level, mcpd_str logger, mcpd_str data) noexcept;
  static int32_t has_tool(void* ctx, mcpd_str name) noexcept;
  static mcpd_status call_tool(void* ctx, mcpd_str name, mcpd_str arguments, mcpd_receive_fn receive,
                               void* receiver) noexcept;
  static mcpd_status client_request(void* ctx, mcpd_str method, mcpd_str params, uint32_t timeout_ms,
                                    mcpd_receive_fn receive, void* receiver) noexcept;

  Options options_;
  std::string protocol_version_;
  std::string client_capabilities_text_;
  std::string meta_text_;
  std::mutex progress_mutex_;
  double last_progress_ = -1e300;
  mcpd_call_context abi_{};
};

}  // namespace mcpd::bridge
