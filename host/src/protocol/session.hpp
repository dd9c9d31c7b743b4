#pragma once
// One MCP session: what one stdio process or one HTTP session (or one
// stateless HTTP exchange) says to mcpd, in either era. Each request is
// classified once (era.hpp) into a RequestContext: a legacy request takes its
// version, capabilities and log level from the session (initialize,
// logging/setLevel); a modern one from its own _meta. Requests are dispatched
// through one method table, tool calls run on the worker pool, and every
// response leaves through the outbound edge (result_shaping.hpp). Also holds
// the session's subscriptions: legacy resources/subscribe and modern
// subscriptions/listen streams. Transport-agnostic: messages come in through
// on_message()/on_parsed(), go out through the sink.
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
#include <variant>

#include "bridge/client_channel.hpp"
#include "jsonrpc/message.hpp"
#include "mrtr/state_seal.hpp"
#include "protocol/client_requests.hpp"
#include "protocol/input_exchange.hpp"
#include "protocol/request_context.hpp"
#include "protocol/running_call.hpp"
#include "protocol/server_context.hpp"

namespace mcpd::protocol {

// What an outgoing message is, so that a transport never parses it again.
struct Outgoing {
  // The id key (jsonrpc::id_key) of the client request it belongs to: its
  // response, and the progress, log messages, listen notifications and
  // server->client requests made for it. "" for messages of no request.
  std::string related;
  bool response = false;  // the response to `related`: nothing of it follows
  int error_code = 0;     // of an error response; 0 otherwise
};

// JSON-RPC error codes of the implementation-defined range that a session uses.
inline constexpr int kCallTimedOut = -32001;     // past server.call_timeout_ms (as the TypeScript SDK's)
inline constexpr int kPluginUnhealthy = -32003;  // refused: the plugin has calls stuck past their deadline

// After a shutdown deadline, how long cancelled calls get to return before
// they are abandoned.
inline constexpr std::chrono::milliseconds kCancelGrace{1000};

class Session : public std::enable_shared_from_this<Session> {
 public:
  // Receives each outgoing message, serialised, without a trailing newline,
  // and what it is (see Outgoing). Streamable HTTP routes on it; stdio only
  // writes the text. Called from several threads.
  using Sink = std::function<void(std::string message, const Outgoing& about)>;
  // Told the id key of a request that ended without any response (it was
  // cancelled), so a transport that waits for one response per request (a
  // Streamable HTTP POST) can stop waiting. stdio does not need it.
  using Unanswered = std::function<void(const std::string& related)>;

  static std::shared_ptr<Session> create(ServerContext& context, Sink sink, Unanswered unanswered = {});

  // Runs a call on the thread that read its request, or answers false without running it (stdio's
  // StdioReader::run_quick_call). Given before the first message, it lets tools/call run a tool whose
  // calls have been quick lately (QuickCallHistory) in place instead of on a worker.
  using QuickCallRunner = std::function<bool(const std::function<void()>& call)>;
  void run_quick_calls_with(QuickCallRunner runner) { quick_call_runner_ = std::move(runner); }

  // One incoming message (a line of stdio, a POST body).
  void on_message(std::string_view text);
  // One incoming message the transport has already parsed.
  void on_parsed(jsonrpc::ParsedLine parsed);
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

  // The server ends every subscriptions/listen stream of this session, each
  // with its final result (graceful shutdown); the client may listen again
  // elsewhere.
  void end_listens();

  // A plugin reload changed a list ("tools", "prompts" or "resources"): tells
  // the legacy session (when initialized) and every listen stream that asked.
  // True when anyone was told.
  bool notify_list_changed(std::string_view kind);
  // A resource changed: tells a legacy subscriber and every listen stream that named it.
  void notify_resource_updated(std::string_view uri);
  // A task changed (its DetailedTask): tells every listen stream that named it.
  void notify_task(const boost::json::object& detailed);
  // Who the transport says sends this session's requests (a digest of its bearer token), "" when
  // anonymous: sealed requestStates and tasks are bound to it.
  void set_principal(std::string principal);
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

  using Context = std::shared_ptr<const RequestContext>;
  // One entry of the method table: who answers, and in which era.
  using Handler = void (Session::*)(jsonrpc::Request&, const Context&, const Reply&);
  struct Method {
    Handler handler;
    bool legacy;             // served inside an initialized legacy session
    bool before_initialize;  // legacy: served before initialize
  };
  static const Method* find_method(std::string_view name);

  // A subscriptions/listen stream: the notifications it asked for and got.
  struct Listen {
    boost::json::value id;                     // its request id, echoed as the subscriptionId
    std::set<std::string, std::less<>> lists;  // "tools", "prompts", "resources": list_changed wanted
    std::set<std::string, std::less<>> uris;
    std::set<std::string, std::less<>> task_ids;  // notifications/tasks wanted (Tasks extension)
    Reply reply;                                  // for the final result, when the server ends the stream
  };

  Reply reply_to(std::string related);
  void respond(const boost::json::object& response, std::string related);
  void dispatch(jsonrpc::Message message, const Reply& reply);
  void dispatch_batch(boost::json::array batch);
  void handle_request(jsonrpc::Request request, const Reply& reply);
  void handle_notification(const jsonrpc::Notification& note);
  // The context of a request, or the error that refuses it.
  std::variant<Context, boost::json::object> classify(const jsonrpc::Request& request) const;
  // `reply` behind the outbound edge: the response is shaped for `context` first.
  Reply shaped(Context context, Reply reply) const;

  void on_initialize(jsonrpc::Request& request, const Context& context, const Reply& reply);
  void on_ping(jsonrpc::Request& request, const Context& context, const Reply& reply);
  void on_discover(jsonrpc::Request& request, const Context& context, const Reply& reply);
  void on_list(jsonrpc::Request& request, const Context& context, const Reply& reply);
  void on_set_level(jsonrpc::Request& request, const Context& context, const Reply& reply);
  void on_subscribe(jsonrpc::Request& request, const Context& context, const Reply& reply);
  void on_unsubscribe(jsonrpc::Request& request, const Context& context, const Reply& reply);
  void on_call_tool(jsonrpc::Request& request, const Context& context, const Reply& reply);
  void on_read_resource(jsonrpc::Request& request, const Context& context, const Reply& reply);
  void on_get_prompt(jsonrpc::Request& request, const Context& context, const Reply& reply);
  void on_complete(jsonrpc::Request& request, const Context& context, const Reply& reply);
  void on_listen(jsonrpc::Request& request, const Context& context, const Reply& reply);
  void on_tasks(jsonrpc::Request& request, const Context& context, const Reply& reply);

  boost::json::object server_capabilities(std::string_view version) const;
  // One page of a */list result as `audience` sees the lists (registry/app_views.hpp).
  boost::json::object list_page(std::string_view method, const boost::json::object& params,
                                registry::Audience audience) const;
  // Ends the listen with id key `key`: with its final result when `answer`,
  // silently when the client cancelled it. False when there is no such listen.
  bool end_listen(const std::string& key, bool answer);

  using Work = std::function<boost::json::object(bridge::CallScope&, const RunningCall&)>;
  // Whose handler a request will run, looked up in the snapshot it is pinned to (null: unknown).
  using Owner = std::function<std::shared_ptr<loader::LoadedPlugin>(const registry::RegistrySnapshot&)>;
  void run_async(const jsonrpc::Request& request, const Context& context, const Reply& reply,
                 const Owner& owner, Work work);
  // Runs a handler round after round until it answers: input it asks for goes to a modern client as
  // an input_required result, to a legacy client as requests the host sends, and, in a task, to the
  // task's input_required state. `binding` is set for modern requests that may ask for input.
  boost::json::object run_rounds(bridge::CallScope& scope, RunningCall& call, const Work& work,
                                 const RequestContext& context,
                                 const std::optional<mrtr::StateBinding>& binding);
  // Makes `call` a task: stores it, answers the request with the CreateTaskResult, and points the
  // scope (when given) at the task. Throws tasks::StoreUnavailable.
  void become_task(RunningCall& call, const RequestContext& context, std::string_view tool,
                   bridge::CallScope* scope);
  // A handler asks a 2026-07-28 client through the blocking callback_client_request: the request (or
  // the latest retry) is answered with input_required naming the suspension, and the handler waits for
  // the retry's answer.
  bridge::ClientReply suspend(const std::shared_ptr<RunningCall>& call, const RequestContext& context,
                              const mrtr::StateBinding& binding, std::string_view method,
                              boost::json::object params, std::chrono::milliseconds timeout,
                              const std::atomic<bool>& cancelled);
  // A retry whose requestState names a suspension: resumes the waiting handler with the answer.
  void resume_suspended(const jsonrpc::Request& request, const Context& context, const Reply& reply,
                        const RetryInput& retry, const mrtr::StateBinding& binding);
  // The handler of a task call is done: its response becomes the task's result or error.
  void settle_task(RunningCall& call, const boost::json::object& response);
  // Registers a call as in flight (its id is then taken until it is answered); false when the id is in use.
  bool track(const std::shared_ptr<RunningCall>& call);
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
  QuickCallRunner quick_call_runner_;
  PendingClientRequests client_requests_;

  mutable std::mutex mutex_;
  bool initialized_ = false;
  bool closed_ = false;
  std::string version_{"2025-11-25"};
  std::string principal_;
  boost::json::object client_capabilities_;
  std::atomic<int> log_threshold_{static_cast<int>(log::Level::info)};
  std::set<std::string, std::less<>> subscriptions_;  // legacy resources/subscribe
  // Open subscriptions/listen streams by id key. Their own mutex is held while
  // one is acknowledged or notified, so its acknowledgement always goes first.
  std::mutex listen_mutex_;
  std::map<std::string, Listen> listens_;
  std::map<std::string, std::shared_ptr<RunningCall>> in_flight_;  // by id key
  std::size_t running_ = 0;                                        // calls whose response is not written yet
  std::condition_variable drained_;
};

}  // namespace mcpd::protocol
