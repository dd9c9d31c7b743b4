#pragma once
// One MCP session: the lifecycle (initialize, version negotiation), dispatch
// of every request to the registry, tool calls on the worker pool, cancellation,
// progress, logging, and requests to the client. Transport-agnostic: lines come
// in through on_message(), messages go out through the sink.
#include <atomic>
#include <boost/json.hpp>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "bridge/client_channel.hpp"
#include "jsonrpc/message.hpp"
#include "protocol/client_requests.hpp"
#include "protocol/running_call.hpp"
#include "protocol/server_context.hpp"

namespace mcpd::protocol {

// JSON-RPC error codes of the implementation-defined range that a session uses.
inline constexpr int kCallTimedOut = -32001;     // past server.call_timeout_ms (as the TypeScript SDK's)
inline constexpr int kPluginUnhealthy = -32003;  // refused: the plugin has calls stuck past their deadline

// After a shutdown deadline, how long cancelled calls get to return before
// they are abandoned.
inline constexpr std::chrono::milliseconds kCancelGrace{1000};

class Session : public std::enable_shared_from_this<Session> {
 public:
  // Receives each outgoing message, serialised, without a trailing newline,
  // with the id key (jsonrpc::id_key) of the client request it belongs to: its
  // response, and the progress, log messages and server->client requests made
  // while it ran. "" for messages that belong to no request. Streamable HTTP
  // routes on it; stdio ignores it. Called from several threads.
  using Sink = std::function<void(std::string message, const std::string& related)>;
  // Told the id key of a request that ended without any response (it was
  // cancelled), so a transport that waits for one response per request (a
  // Streamable HTTP POST) can stop waiting. stdio does not need it.
  using Unanswered = std::function<void(const std::string& related)>;

  static std::shared_ptr<Session> create(ServerContext& context, Sink sink, Unanswered unanswered = {});

  // One incoming message (a line of stdio, a POST body).
  void on_message(std::string_view text);
  // A message the transport dropped for exceeding the size limit.
  void on_oversize(std::size_t limit);
  // The client is gone (EOF): finish in-flight calls up to `deadline`, then
  // cancel what is left and give it `cancel_grace` to return; what still runs
  // then is abandoned: logged, never answered, and no longer waited for.
  // Further messages are ignored.
  void close(std::chrono::milliseconds deadline, std::chrono::milliseconds cancel_grace = kCancelGrace);

  // For transports without a session across messages (stateless Streamable
  // HTTP): behave as if initialize had negotiated `version`.
  void initialize_implicitly(std::string_view version, boost::json::object client_capabilities = {});

  bool subscribed(std::string_view uri) const;
  // Initialized and not closed: may be told about changes (list_changed).
  bool open_for_notifications() const;
  void send_notification(std::string_view method, boost::json::object params,
                         const std::string& related = {});
  // Sends a request to the client and waits for its answer (see bridge::ClientChannel).
  bridge::ClientReply client_request(std::string_view method, boost::json::object params,
                                     std::chrono::milliseconds timeout, const std::atomic<bool>& cancelled,
                                     const std::string& related);
  bool wants_log(log::Level level) const;
  std::string_view protocol_version() const;
  const boost::json::object& client_capabilities() const;

 private:
  class RequestChannel;
  using Reply = std::function<void(std::optional<boost::json::object>)>;  // nullopt: send nothing
  Session(ServerContext& context, Sink sink, Unanswered unanswered);

  Reply reply_to(std::string related);
  void dispatch(jsonrpc::Message message, const Reply& reply);
  void dispatch_batch(boost::json::array batch);
  void handle_request(jsonrpc::Request request, const Reply& reply);
  void handle_notification(const jsonrpc::Notification& note);
  boost::json::object initialize(const boost::json::object& params);
  boost::json::object list_page(std::string_view method, const boost::json::object& params) const;
  void set_log_level(const boost::json::object& params);
  void subscribe(const boost::json::object& params, bool on);

  using Work = std::function<boost::json::object(bridge::CallScope&, const RunningCall&)>;
  // Whose handler a request will run, looked up in the snapshot it is pinned to (null: unknown).
  using Owner = std::function<std::shared_ptr<loader::LoadedPlugin>(const registry::RegistrySnapshot&)>;
  void run_async(jsonrpc::Request request, const Reply& reply, const Owner& owner, Work work);
  // Answers `call` (nullopt: drops it) unless someone else already did.
  void finish(RunningCall& call, std::optional<boost::json::object> response);
  // The call's deadline passed while its handler was running.
  void call_overdue(const std::shared_ptr<RunningCall>& call);
  // Set when refusing a call to an unhealthy plugin.
  std::optional<boost::json::object> refusal_for_unhealthy(const RunningCall& call,
                                                           const loader::LoadedPlugin* plugin) const;

  ServerContext& context_;
  Sink sink_;
  Unanswered unanswered_;
  PendingClientRequests client_requests_;

  mutable std::mutex mutex_;
  bool initialized_ = false;
  bool closed_ = false;
  std::string version_{"2025-11-25"};
  boost::json::object client_capabilities_;
  std::atomic<int> log_threshold_{static_cast<int>(log::Level::info)};
  std::set<std::string, std::less<>> subscriptions_;
  std::map<std::string, std::shared_ptr<RunningCall>> in_flight_;  // by id key
  std::size_t running_ = 0;                                        // calls whose response is not written yet
  std::condition_variable drained_;
};

}  // namespace mcpd::protocol
