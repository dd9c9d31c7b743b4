// Running a request's handler (tools/call, resources/read, prompts/get,
// completion/complete) for a session: on the worker pool, under the call
// deadline, round after round when the handler asks the client for input
// (input_required for 2026-07-28 clients, requests the host sends for legacy
// ones, a suspended call for a plugin that asks the blocking way), as a task
// when it is one, and answered exactly once.
#include <mcpd/sdk/json_serialize.hpp>

#include "bridge/input_rounds.hpp"
#include "log/logger.hpp"
#include "protocol/input_exchange.hpp"
#include "protocol/session.hpp"
#include "registry/app_views.hpp"
#include "util/exception_text.hpp"

namespace mcpd::protocol {
namespace json = boost::json;
using bridge::RpcError;
using jsonrpc::make_error;
using jsonrpc::make_result;

// ---------------------------------------------------------------------------
// Session::RequestChannel: what one running request may send to the client,
// tagged with that request so a transport can keep it on the request's stream.
// It answers for the request's own context: a modern request's capabilities
// and log level are its own.

class Session::RequestChannel : public bridge::ClientChannel {
 public:
  RequestChannel(std::shared_ptr<Session> session, std::string related, Context context)
      : session_(std::move(session)), related_(std::move(related)), context_(std::move(context)) {}
  void notify(std::string_view method, json::object params) override {
    session_->send_notification(method, std::move(params), related_);
  }
  bool wants_log(log::Level level) const override {
    if (!context_->modern()) return session_->wants_log(level);
    return context_->log_level && level >= *context_->log_level;
  }
  bridge::ClientReply request(std::string_view method, json::object params, std::chrono::milliseconds timeout,
                              const std::atomic<bool>& cancelled) override {
    // A modern server never sends a request to its client (2026-07-28 asks
    // with multi round-trip results instead): the handler waits for a retry.
    if (context_->modern()) {
      auto call = call_.lock();
      if (call && binding_)
        return session_->suspend(call, *context_, *binding_, method, std::move(params), timeout, cancelled);
      return {MCPD_ERR_UNSUPPORTED, "\"" + std::string(method) + "\" cannot be sent: the client speaks MCP " +
                                        context_->version +
                                        ", where servers do not send requests to clients, and " +
                                        context_->method + " cannot ask for input"};
    }
    return session_->client_request(method, std::move(params), timeout, cancelled, related_);
  }
  // The call this channel serves and what a sealed state for it is bound to (requests that may ask
  // for input only).
  void suspendable(std::weak_ptr<RunningCall> call, mrtr::StateBinding binding) {
    call_ = std::move(call);
    binding_ = std::move(binding);
  }
  bool modern() const override { return context_->modern(); }
  std::string_view protocol_version() const override { return context_->version; }
  const json::object& client_capabilities() const override { return context_->client_capabilities; }

 private:
  std::shared_ptr<Session> session_;
  std::string related_;
  Context context_;
  std::weak_ptr<RunningCall> call_;
  std::optional<mrtr::StateBinding> binding_;
};

namespace {
// What a request is called in logs and errors: its method, and its tool, prompt or URI.
std::string describe_request(const jsonrpc::Request& request) {
  constexpr std::size_t kMaxShown = 200;  // the name comes from the client: keep log lines short
  std::string what = request.method;
  for (const char* key : {"name", "uri"})
    if (const auto* v = request.params.if_contains(key); v != nullptr && v->is_string()) {
      const std::string_view name = v->get_string();
      return what + " " + std::string(name.substr(0, kMaxShown)) + (name.size() > kMaxShown ? "..." : "");
    }
  return what;
}

}  // namespace

namespace {

std::shared_ptr<RunningCall> new_call(const jsonrpc::Request& request, RunningCall::Reply reply) {
  auto call = std::make_shared<RunningCall>();
  call->key = jsonrpc::id_key(request.id);
  call->id = request.id;
  call->what = describe_request(request);
  call->reply = std::move(reply);
  return call;
}

json::object id_in_use(const json::value& id) {
  return make_error(id, jsonrpc::kInvalidRequest,
                    "Invalid Request: a request with this id is still running; ids must be unique");
}

}  // namespace

bool Session::track(const std::shared_ptr<RunningCall>& call) {
  std::lock_guard lock(mutex_);
  if (!in_flight_.emplace(call->key, call).second) return false;
  ++running_;
  return true;
}

namespace {

// The methods whose handlers may ask the client for input (the revision allows no others).
bool may_ask_for_input(std::string_view method) {
  return method == "tools/call" || method == "resources/read" || method == "prompts/get";
}

}  // namespace

void Session::run_async(const jsonrpc::Request& request, const Context& context, const Reply& reply,
                        const Owner& owner, Work work) {
  auto snapshot = context_.snapshot();  // pinned for the whole call
  auto call = new_call(request, reply);
  // traceparent is "00-<32 hex trace id>-<16 hex parent id>-<flags>", checked when it was read.
  if (!context->traceparent.empty()) call->trace_id = context->traceparent.substr(3, 32);
  auto plugin = owner(*snapshot);
  call->plugin = plugin;
  if (plugin) call->plugin_namespace = plugin->info().plugin_namespace;

  // A 2026-07-28 retry brings the answers to what the handler asked, and the sealed state it gave.
  std::optional<mrtr::StateBinding> binding;
  std::optional<RetryInput> retry;
  if (context->modern() && may_ask_for_input(request.method)) {
    binding = binding_for(request, plugin ? plugin->info().version : std::string(), context->principal);
    retry = read_retry(request.params, *context_.seal, *binding);
    if (retry->state && retry->state->kind == "suspended")
      return resume_suspended(request, context, reply, *retry, *binding);
  }
  // Whether (and when) the call becomes a task: tools whose definition allows it, for 2026-07-28
  // requests that declare the extension; a required one refuses the others.
  std::string task_tool;
  bool task_at_entry = false;
  bool task_by_handler = false;
  const registry::ToolEntry* tool = nullptr;
  if (request.method == "tools/call") {
    const auto* name = request.params.if_contains("name");
    tool = name != nullptr && name->is_string() ? snapshot->find_tool(name->get_string()) : nullptr;
  }
  if (request.method == "tools/call" && context->modern()) {
    const auto support = tool != nullptr ? tool->registration->task_support : loader::TaskSupport::forbidden;
    if (support == loader::TaskSupport::required) require_tasks_extension(*context);
    if (support != loader::TaskSupport::forbidden && declares_tasks(*context)) {
      task_tool = tool->published_name;
      task_by_handler = tool->registration->task_started_by_handler;
      task_at_entry = !task_by_handler;
    }
  }

  if (auto refusal = refusal_for_unhealthy(*call, plugin.get())) return reply(std::move(refusal));
  if (!track(call)) return reply(id_in_use(request.id));
  bridge::CallScope::Options options;
  options.snapshot = std::move(snapshot);
  options.invoker = &context_.invoker;
  auto channel = std::make_shared<RequestChannel>(shared_from_this(), call->key, context);
  if (binding) channel->suspendable(call, *binding);
  options.channel = channel.get();
  options.cancelled = call->cancelled;
  options.traceparent = context->traceparent;
  options.reaches_app_only_tools = registry::declares_apps(context->client_capabilities);
  // A call answered by its deadline was counted as "timeout" then.
  options.answered_elsewhere = [weak = std::weak_ptr<RunningCall>(call)] {
    auto running = weak.lock();
    return running != nullptr && running->claimed() && !running->task();
  };
  options.tracestate = context->tracestate;
  if (auto meta = request.params.find("_meta"); meta != request.params.end() && meta->value().is_object()) {
    options.meta = meta->value().get_object();
    if (auto token = options.meta.find("progressToken"); token != options.meta.end())
      if (token->value().is_string() || token->value().is_int64() || token->value().is_uint64())
        options.progress_token = token->value();
  }
  if (retry) {
    options.input_responses = retry->responses_json;
    if (retry->state) options.input_state = retry->state->payload;
  }
  auto self = shared_from_this();
  if (task_by_handler)
    options.continue_as_task = [self, call, context, task_tool](bridge::CallScope& scope,
                                                                std::string& message) {
      try {
        self->become_task(*call, *context, task_tool, &scope);
        return static_cast<mcpd_status>(MCPD_OK);
      } catch (const std::exception& e) {
        message = std::string("the task could not be stored: ") + e.what();
        return static_cast<mcpd_status>(MCPD_ERR_INTERNAL);
      }
    };
  if (task_at_entry) {
    try {
      become_task(*call, *context, task_tool, nullptr);
    } catch (const tasks::StoreUnavailable& e) {
      finish(*call,
             make_error(request.id, jsonrpc::kInternalError,
                        std::string("The task store cannot be reached, so the call was not started (calls "
                                    "to tools that are not tasks still work): ") +
                            e.what()));
      return;
    }
  }
  // How long this tool's calls take, for the next call's choice of thread (a tool of another version
  // after a hot swap starts its own history).
  QuickCallHistory* history = tool != nullptr ? &tool->registration->history : nullptr;
  std::function<void()> job = [self, call, plugin = std::move(plugin), work = std::move(work),
                               options = std::move(options), channel, context, binding, history]() mutable {
    const bool task = call->task() != nullptr;
    if (!task && call->claimed()) return;  // abandoned at shutdown before it could start
    call->started = true;
    log::TraceScope trace(call->trace_id);
    json::object response;
    const auto began = std::chrono::steady_clock::now();
    {
      // Counted against the plugin version this call runs on (admin, metrics,
      // hot swap's drain), and released with the snapshot before the answer
      // goes out, so that a client that saw it sees the old version retired.
      loader::LoadedPlugin::CallGuard in_flight(std::move(plugin));
      try {
        bridge::CallScope scope(std::move(options));
        if (auto link = call->task()) {
          scope.set_runs_as_task();
          scope.use_channel(link->channel.get());
        }
        response = make_result(call->id, self->run_rounds(scope, *call, work, *context, binding));
      } catch (const RpcError& e) {
        response = make_error(call->id, e.code, e.what(),
                              e.data.is_null() ? std::nullopt : std::optional<json::value>(e.data));
      } catch (...) {
        response =
            make_error(call->id, jsonrpc::kInternalError, "Internal error: " + current_exception_text());
      }
      if (call->handler_returned()) {
        if (auto owner = call->plugin.lock()) owner->health().overdue_call_returned();
        log::info("a call that had passed its deadline returned",
                  {{"request", call->what}, {"plugin", call->plugin_namespace}});
      }
      if (history != nullptr)
        history->record(std::chrono::steady_clock::now() - began, self->context_.settings.quick_call);
    }
    // A task's answer went out when it became one; what the handler made is the task's result.
    if (call->task()) {
      self->settle_task(*call, response);
      return;
    }
    // A cancelled request gets no response at all (the spec's rule).
    std::optional<json::object> answer;
    if (!call->cancelled->load()) answer = std::move(response);
    if (auto suspension = call->suspension()) {
      // The handler waited for the client: the latest retry gets the result, under its own id.
      self->context_.suspended.remove(suspension->id());
      call->set_suspension(nullptr);  // the suspension's first target is this very call: no cycle left
      auto target = suspension->target();
      if (answer) (*answer)["id"] = target.call->id;
      target.session->finish(*target.call, std::move(answer));
      return;
    }
    self->finish(*call, std::move(answer));
  };
  bool queued = false;
  // A tool that has been quick lately runs here, on the thread that read the request, when the transport
  // offers that (stdio): no hand-off to a worker. Tasks, and retries that bring input, go to the pool.
  const bool in_place = quick_call_runner_ && context_.settings.quick_call.count() > 0 &&
                        history != nullptr && history->quick() && !task_at_entry && !task_by_handler &&
                        !(retry && (retry->responses_json || retry->state));
  const bool ran_here = in_place && quick_call_runner_([&] {
                          queued = context_.pool.run_here(job, context_.settings.call_timeout,
                                                          [self, call] { self->call_overdue(call); });
                        });
  if (!ran_here) {
    if (context_.settings.call_timeout.count() > 0)
      queued = context_.pool.submit(std::move(job), context_.settings.call_timeout,
                                    [self, call] { self->call_overdue(call); });
    else
      queued = context_.pool.submit(std::move(job));
  }
  if (!queued) {
    if (auto link = call->task())
      context_.tasks->fail(link->id, jsonrpc::kInternalError, "the server is shutting down");
    finish(*call,
           make_error(request.id, jsonrpc::kInternalError, "Internal error: the server is shutting down"));
  }
}

bridge::ClientReply Session::suspend(const std::shared_ptr<RunningCall>& call, const RequestContext& context,
                                     const mrtr::StateBinding& binding, std::string_view method,
                                     json::object params, std::chrono::milliseconds timeout,
                                     const std::atomic<bool>& cancelled) {
  auto suspension = call->suspension();
  if (!suspension) {
    suspension = std::make_shared<SuspendedCall>(tasks::random_task_id(),
                                                 SuspendedCall::Target{shared_from_this(), call});
    call->set_suspension(suspension);
    context_.suspended.add(suspension);
  }
  static std::atomic<std::uint64_t> questions{0};
  const std::string key = "request-" + std::to_string(++questions);
  json::object question{{key, json::object{{"method", method}, {"params", std::move(params)}}}};
  bridge::InputNeeded input{question, suspension->id(), false};
  json::object result;
  try {
    result = input_required_result(input, context, *context_.seal, binding, "suspended");
  } catch (const RpcError& e) {
    return {MCPD_ERR_UNSUPPORTED, e.what()};
  }
  auto target = suspension->ask(key, std::move(question));
  target.session->finish(*target.call, make_result(target.call->id, std::move(result)));
  // As long as a sealed state stays valid, at most: then the retry could not reach it anyway.
  const auto wait = std::min<std::chrono::milliseconds>(timeout, context_.seal->lifetime());
  auto answer = suspension->wait(wait, cancelled);
  if (!answer)
    return cancelled.load()
               ? bridge::ClientReply{MCPD_ERR_CANCELLED, "the request was cancelled"}
               : bridge::ClientReply{MCPD_ERR_TIMEOUT, "the client did not retry with an answer to \"" +
                                                           std::string(method) + "\" in time"};
  return {MCPD_OK, json::serialize(*answer)};
}

void Session::resume_suspended(const jsonrpc::Request& request, const Context& context, const Reply& reply,
                               const RetryInput& retry, const mrtr::StateBinding& binding) {
  auto suspension = context_.suspended.find(retry.state->payload);
  auto pending = suspension ? suspension->pending() : std::nullopt;
  if (!pending)
    throw RpcError(
        jsonrpc::kInvalidParams,
        "Invalid params: the requestState refers to a call that no longer waits on this server: it "
        "timed out or ended, or it waits on another instance (such a call cannot move between "
        "instances). Send the request again without requestState and inputResponses.");
  json::object answers;
  if (retry.responses_json) answers = json::parse(*retry.responses_json).get_object();
  const auto* answer = answers.if_contains(pending->first);
  if (answer == nullptr) {
    // Asked again, with a fresh state for the same waiting call.
    bridge::InputNeeded input{pending->second, suspension->id(), false};
    return reply(make_result(request.id,
                             input_required_result(input, *context, *context_.seal, binding, "suspended")));
  }
  auto retry_call = new_call(request, reply);
  // Cancelling the retry cancels the handler it resumes.
  retry_call->cancelled = suspension->target().call->cancelled;
  if (!track(retry_call)) return reply(id_in_use(request.id));
  suspension->resume(SuspendedCall::Target{shared_from_this(), retry_call}, *answer);
}

json::object Session::run_rounds(bridge::CallScope& scope, RunningCall& call, const Work& work,
                                 const RequestContext& context,
                                 const std::optional<mrtr::StateBinding>& binding) {
  const auto kind = context.method == "tools/call" ? bridge::RoundKind::tool : bridge::RoundKind::other;
  for (int round = 1;; ++round) {
    json::object result = work(scope, call);
    // The handler needed something the request's client did not declare
    // (sampling, elicitation, roots): the modern revision's answer is
    // -32021 naming it, not a result.
    if (auto missing = scope.missing_client_capability(); !missing.empty() && context.modern())
      throw_missing_capabilities(json::object{{missing, json::object{}}});
    auto input = scope.take_input_needed();
    if (!input) return result;
    if (round >= bridge::kMaxInputRounds)
      throw RpcError(jsonrpc::kInternalError, "The handler asked for input " + std::to_string(round) +
                                                  " times without answering; mcpd stopped it");
    if (auto link = call.task()) {
      // In a task the questions wait in the task's input_required state for tasks/update.
      auto answers =
          context_.tasks->wait_for_input(link->id, input->requests, context_.tasks->settings().ttl);
      if (!answers) {
        if (scope.cancelled()) return result;  // discarded: the task is cancelled
        throw RpcError(jsonrpc::kInternalError, "No tasks/update answered the task's input requests in time");
      }
      scope.set_input(json::serialize(*answers), std::move(input->state));
      continue;
    }
    if (context.modern() && binding) return input_required_result(*input, context, *context_.seal, *binding);
    // A legacy client is asked by the host itself, then the handler runs again.
    if (auto failure = bridge::answer_through_channel(scope, kind, *input)) return std::move(*failure);
  }
}

std::optional<json::object> Session::refusal_for_unhealthy(const RunningCall& call,
                                                           const loader::LoadedPlugin* plugin) const {
  // A plugin with a stuck call may be called while the pool can still replace
  // the workers it takes; after that, every further call would take a worker
  // from the other plugins for good.
  if (plugin == nullptr || plugin->health().healthy() || !context_.pool.replacement_limit_reached())
    return std::nullopt;
  const std::string ns = call.plugin_namespace;
  const int stuck = plugin->health().stuck_calls();
  context_.invoker.observer.breached("server.max_abandoned_workers");
  return make_error(
      call.id, kPluginUnhealthy,
      "Plugin \"" + ns + "\" is unhealthy: " + std::to_string(stuck) +
          (stuck == 1 ? " call is" : " calls are") +
          " still running in its code past server.call_timeout_ms, and mcpd has replaced as many "
          "stuck workers as it may (server.max_abandoned_workers = " +
          std::to_string(context_.pool.max_replacements()) +
          "), so calls to this plugin are refused; other plugins keep working. Fix or replace the "
          "plugin (a reloaded version starts healthy) or restart mcpd.",
      json::value(json::object{{"plugin", ns}, {"stuck_calls", stuck}}));
}

void Session::call_overdue(const std::shared_ptr<RunningCall>& call) {
  if (!call->passed_deadline()) return;  // the handler returned just now
  context_.invoker.observer.breached("server.call_timeout_ms");
  // The thread stays inside the plugin whether or not anyone still waits for
  // the answer (the session may have ended): the plugin is unhealthy either way.
  const std::string ns = call->plugin_namespace;
  // A task's client polls the task: it learns of the deadline there.
  if (auto link = call->task())
    context_.tasks->fail(link->id, kCallTimedOut,
                         "The task did not finish within server.call_timeout_ms (" +
                             std::to_string(context_.settings.call_timeout.count()) +
                             " ms); mcpd stopped waiting for it");
  // The handler still runs, so its CallGuard still pins the plugin.
  if (auto owner = call->plugin.lock()) owner->health().call_overdue();
  // A request the client cancelled itself gets no response at all (the spec's rule), even now.
  const bool cancelled_by_client = call->cancelled->load();
  const bool answered = !cancelled_by_client && !call->claimed();
  const auto limit = context_.settings.call_timeout;
  log::warn("call exceeded server.call_timeout_ms and is abandoned; its plugin is unhealthy until it returns",
            {{"request", call->what},
             {"id", json::serialize(call->id)},
             {"plugin", ns},
             {"trace_id", call->trace_id},
             {"timeout_ms", std::to_string(limit.count())},
             {"answered", answered              ? "with error -32001"
                          : cancelled_by_client ? "no, the client cancelled it"
                                                : "no, it was already abandoned"}});
  if (answered) {
    if (context_.invoker.observer.tool_call && call->what.starts_with("tools/call "))
      context_.invoker.observer.tool_call(call->what.substr(11), "timeout",
                                          std::chrono::steady_clock::now() - call->queued_at);
    std::string message = "The request (" + call->what + ") did not finish within server.call_timeout_ms (" +
                          std::to_string(limit.count()) + " ms). mcpd stopped waiting and asked it to cancel";
    if (!ns.empty()) message += "; plugin \"" + ns + "\" is marked unhealthy until the call returns";
    message +=
        ". Retry later or ask for less work; if it legitimately needs longer, raise server.call_timeout_ms "
        "(MCPD_CALL_TIMEOUT_MS).";
    json::object data{{"timeout_ms", limit.count()}};
    if (!ns.empty()) data["plugin"] = ns;
    finish(*call, make_error(call->id, kCallTimedOut, message, json::value(std::move(data))));
  } else if (cancelled_by_client) {
    finish(*call, std::nullopt);
  }
  // Only now is the handler asked to stop. A handler that polls cancellation returns at once, and its
  // completion answers nothing for a cancelled call: had it been asked first, it could claim the call
  // before the error above and the client would get no answer at all.
  call->cancelled->store(true);
}

void Session::finish(RunningCall& call, std::optional<json::object> response) {
  if (!call.claim()) return;
  {
    // The id is free again before the client can see the response and reuse it.
    std::lock_guard lock(mutex_);
    in_flight_.erase(call.key);
  }
  const bool dropped = !response;
  call.reply(std::move(response));
  if (dropped && unanswered_) unanswered_(call.key);
  std::lock_guard lock(mutex_);
  --running_;
  drained_.notify_all();
}

}  // namespace mcpd::protocol
