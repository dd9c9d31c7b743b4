#include "protocol/session.hpp"

#include <mcpd/sdk/json_serialize.hpp>

#include <unordered_map>

#include "build_info.hpp"
#include "log/logger.hpp"
#include "protocol/default_instructions.hpp"
#include "protocol/input_exchange.hpp"
#include "protocol/protocol_version.hpp"
#include "registry/app_views.hpp"
#include "registry/pagination.hpp"
#include "util/exception_text.hpp"

namespace mcpd::protocol {
namespace json = boost::json;
using bridge::RpcError;
using jsonrpc::make_error;
using jsonrpc::make_result;

namespace {

// W3C trace context (traceparent: version-traceid-parentid-flags, 55
// characters of lowercase hex and dashes). Anything else is dropped rather
// than passed on to plugins, logs and upstream requests.
std::string valid_traceparent(const json::object& meta) {
  const auto* v = meta.if_contains("traceparent");
  if (v == nullptr || !v->is_string()) return {};
  std::string_view t = v->get_string();
  if (t.size() != 55 || t[2] != '-' || t[35] != '-' || t[52] != '-') return {};
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (i == 2 || i == 35 || i == 52) continue;
    const char c = t[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return {};
  }
  if (t.starts_with("ff") || t.substr(3, 32) == std::string(32, '0') ||
      t.substr(36, 16) == std::string(16, '0'))
    return {};
  return std::string(t);
}

std::string valid_tracestate(const json::object& meta) {
  constexpr std::size_t kMaxTracestate = 512;  // the W3C limit
  const auto* v = meta.if_contains("tracestate");
  if (v == nullptr || !v->is_string() || v->get_string().size() > kMaxTracestate) return {};
  for (char c : v->get_string())
    if (c < 0x20 || c > 0x7e) return {};
  return std::string(v->get_string());
}

json::object error_of(const json::value& id, const EnvelopeError& e) {
  return make_error(id, e.code, e.message,
                    e.data.is_null() ? std::nullopt : std::optional<json::value>(e.data));
}

}  // namespace

// ---------------------------------------------------------------------------
// Session

std::shared_ptr<Session> Session::create(ServerContext& context, Sink sink, Unanswered unanswered) {
  auto session = std::shared_ptr<Session>(new Session(context, std::move(sink), std::move(unanswered)));
  context.hub.add(session);
  return session;
}

Session::Session(ServerContext& context, Sink sink, Unanswered unanswered)
    : context_(context), sink_(std::move(sink)), unanswered_(std::move(unanswered)) {}

void Session::on_message(std::string_view text) {
  // Blank lines carry no message; tolerate them like whitespace between messages.
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return;
  auto parsed = jsonrpc::parse_line(text);
  // (A transport that parses itself, such as HTTP, counts this where it parses.)
  if (parsed.too_deep) context_.invoker.observer.breached("json_depth");
  on_parsed(std::move(parsed));
}

void Session::on_parsed(jsonrpc::ParsedLine parsed) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
  }
  if (parsed.batch) return dispatch_batch(std::move(*parsed.batch));
  std::string related;
  if (auto* r = std::get_if<jsonrpc::Request>(&parsed.message)) related = jsonrpc::id_key(r->id);
  if (auto* i = std::get_if<jsonrpc::Invalid>(&parsed.message); i && !i->id.is_null())
    related = jsonrpc::id_key(i->id);
  dispatch(std::move(parsed.message), reply_to(std::move(related)));
}

namespace {
Outgoing response_to(std::string related, const json::object& response) {
  Outgoing about{std::move(related), true, 0};
  if (const auto* error = response.if_contains("error"); error != nullptr && error->is_object())
    if (const auto* code = error->get_object().if_contains("code"); code != nullptr && code->is_int64())
      about.error_code = static_cast<int>(code->get_int64());
  return about;
}
}  // namespace

void Session::respond(const json::object& response, std::string related) {
  sink_(sdk::to_json_text(response), response_to(std::move(related), response));
}

Session::Reply Session::reply_to(std::string related) {
  return [this, related = std::move(related)](std::optional<json::object> m) {
    if (m) respond(*m, related);
  };
}

void Session::on_oversize(std::size_t limit) {
  context_.invoker.observer.breached("server.max_message_bytes");
  respond(make_error(nullptr, jsonrpc::kInvalidRequest,
                     "Message too large: it exceeds the limit of " + std::to_string(limit) +
                         " bytes (server.max_message_bytes); the message was discarded"),
          std::string());
}

void Session::dispatch_batch(json::array batch) {
  std::string version = std::string(protocol_version());
  if (!allows_batches(version)) {
    respond(make_error(nullptr, jsonrpc::kInvalidRequest,
                       "JSON-RPC batches are not supported by MCP " + version +
                           " (removed in 2025-06-18): send one message per line"),
            std::string());
    return;
  }
  if (batch.empty()) {
    respond(make_error(nullptr, jsonrpc::kInvalidRequest, "Invalid Request: the batch is empty"),
            std::string());
    return;
  }
  // Every element that expects an answer contributes one entry; the array is
  // written once the last of them (possibly from a worker thread) arrives.
  struct Collector {
    std::mutex mutex;
    std::size_t outstanding = 0;
    json::array responses;
  };
  auto collector = std::make_shared<Collector>();
  // Batches are a legacy construct: a modern request never travels in one.
  for (const auto& element : batch)
    if (has_modern_claim(element)) {
      respond(make_error(nullptr, jsonrpc::kInvalidRequest,
                         "Invalid Request: a JSON-RPC batch may not carry MCP 2026-07-28 requests; send each "
                         "one as its own message"),
              std::string());
      return;
    }
  std::vector<jsonrpc::Message> messages;
  for (auto& element : batch) {
    auto m = jsonrpc::classify(std::move(element));
    if (std::holds_alternative<jsonrpc::Request>(m) || std::holds_alternative<jsonrpc::Invalid>(m))
      ++collector->outstanding;
    messages.push_back(std::move(m));
  }
  if (collector->outstanding == 0) {
    for (auto& m : messages) dispatch(std::move(m), [](auto) {});
    return;
  }
  Reply reply = [this, collector](std::optional<json::object> m) {
    std::lock_guard lock(collector->mutex);
    if (m) collector->responses.push_back(std::move(*m));
    if (--collector->outstanding == 0 && !collector->responses.empty())
      sink_(sdk::to_json_text(collector->responses), Outgoing{std::string(), true, 0});
  };
  for (auto& m : messages) {
    bool answers = std::holds_alternative<jsonrpc::Request>(m) || std::holds_alternative<jsonrpc::Invalid>(m);
    dispatch(std::move(m), answers ? reply : Reply([](auto) {}));
  }
}

void Session::dispatch(jsonrpc::Message message, const Reply& reply) {
  if (auto* invalid = std::get_if<jsonrpc::Invalid>(&message))
    return reply(make_error(invalid->id, invalid->code, invalid->message));
  if (auto* response = std::get_if<jsonrpc::Response>(&message)) {
    if (!client_requests_.resolve(response->id, std::move(response->result), std::move(response->error)))
      log::warn("response for an unknown request id ignored", {{"id", json::serialize(response->id)}});
    return;
  }
  if (auto* note = std::get_if<jsonrpc::Notification>(&message)) return handle_notification(*note);
  handle_request(std::move(std::get<jsonrpc::Request>(message)), reply);
}

void Session::handle_notification(const jsonrpc::Notification& note) {
  if (note.method == "notifications/initialized") return;
  if (note.method == "notifications/cancelled") {
    auto id = note.params.find("requestId");
    if (id == note.params.end()) return;
    // Either era's in-flight requests, and listen streams, share one id space.
    if (end_listen(jsonrpc::id_key(id->value()), false)) return;
    std::lock_guard lock(mutex_);
    if (auto it = in_flight_.find(jsonrpc::id_key(id->value())); it != in_flight_.end()) {
      it->second->cancelled->store(true);
      std::string reason;
      if (auto r = note.params.find("reason"); r != note.params.end() && r->value().is_string())
        reason = r->value().get_string();
      log::info("request cancelled by the client",
                {{"id", json::serialize(id->value())}, {"reason", reason}});
    }
    return;
  }
  // Other notifications (roots/list_changed, progress for our requests, ...)
  // need no action from us; notifications are never answered.
  log::debug("notification ignored", {{"method", note.method}});
}

const Session::Method* Session::find_method(std::string_view name) {
  // Which methods the modern path serves is era.hpp's to say (modern_method); this table says who
  // answers, and whether a legacy session serves the method (and before initialize).
  //                                                   legacy before initialize
  static const std::unordered_map<std::string_view, Method> kMethods = {
      {"initialize", {&Session::on_initialize, true, true}},
      {"ping", {&Session::on_ping, true, true}},
      {"server/discover", {&Session::on_discover, false, false}},
      {"tools/list", {&Session::on_list, true, false}},
      {"prompts/list", {&Session::on_list, true, false}},
      {"resources/list", {&Session::on_list, true, false}},
      {"resources/templates/list", {&Session::on_list, true, false}},
      {"logging/setLevel", {&Session::on_set_level, true, false}},
      {"resources/subscribe", {&Session::on_subscribe, true, false}},
      {"resources/unsubscribe", {&Session::on_unsubscribe, true, false}},
      {"tools/call", {&Session::on_call_tool, true, false}},
      {"resources/read", {&Session::on_read_resource, true, false}},
      {"prompts/get", {&Session::on_get_prompt, true, false}},
      {"completion/complete", {&Session::on_complete, true, false}},
      {"subscriptions/listen", {&Session::on_listen, false, false}},
      {"tasks/get", {&Session::on_tasks, false, false}},
      {"tasks/update", {&Session::on_tasks, false, false}},
      {"tasks/cancel", {&Session::on_tasks, false, false}},
  };
  auto it = kMethods.find(name);
  return it == kMethods.end() ? nullptr : &it->second;
}

std::variant<Session::Context, json::object> Session::classify(const jsonrpc::Request& request) const {
  auto context = std::make_shared<RequestContext>();
  context->method = request.method;
  {
    std::lock_guard lock(mutex_);
    context->principal = principal_;
  }
  const json::object* meta = nullptr;
  if (const auto* m = request.params.if_contains("_meta"); m != nullptr && m->is_object())
    meta = &m->get_object();
  if (meta != nullptr) {
    context->traceparent = valid_traceparent(*meta);
    if (!context->traceparent.empty()) context->tracestate = valid_tracestate(*meta);
  }
  if (has_modern_claim(request.params)) {
    // Checked in the order of the revision: envelope, version, method.
    ModernEnvelope envelope;
    if (auto e = read_modern_envelope(request.params, envelope)) return error_of(request.id, *e);
    if (auto e = check_modern_version(envelope.version)) return error_of(request.id, *e);
    const auto kind = modern_method(request.method);
    const Method* method = find_method(request.method);
    if (kind != ModernMethod::served || method == nullptr)
      return error_of(request.id, method_not_found(request.method, kind));
    context->era = Era::modern;
    context->version = std::move(envelope.version);
    context->client_capabilities = std::move(envelope.client_capabilities);
    context->log_level = envelope.log_level;
    context->client_name = std::move(envelope.client_name);
    return context;
  }
  const Method* method = find_method(request.method);
  if (method == nullptr || !method->legacy)
    return make_error(request.id, jsonrpc::kMethodNotFound, "Method not found: \"" + request.method + "\"");
  std::lock_guard lock(mutex_);
  if (!initialized_ && !method->before_initialize)
    return make_error(request.id, jsonrpc::kInvalidRequest,
                      "Server not initialized: send \"initialize\" before \"" + request.method +
                          "\" (or make it a 2026-07-28 request: put \"" + std::string(kMetaProtocolVersion) +
                          "\" and \"" + std::string(kMetaClientCapabilities) + "\" in params._meta)");
  context->version = version_;
  context->client_capabilities = client_capabilities_;
  return context;
}

Session::Reply Session::shaped(Context context, Reply reply) const {
  return [this, context = std::move(context), reply](std::optional<json::object> response) {
    if (response)
      shape_response(*response, *context, context_.settings.cache,
                     ServerIdentity{context_.settings.server_name, std::string(kVersion)});
    reply(std::move(response));
  };
}

void Session::handle_request(jsonrpc::Request request, const Reply& reply) {
  auto classified = classify(request);
  if (auto* refusal = std::get_if<json::object>(&classified)) return reply(std::move(*refusal));
  Context context = std::get<Context>(std::move(classified));
  const Reply answer = shaped(context, reply);
  const json::value id = request.id;
  try {
    (this->*find_method(request.method)->handler)(request, context, answer);
  } catch (const RpcError& e) {
    answer(make_error(id, e.code, e.what(),
                      e.data.is_null() ? std::nullopt : std::optional<json::value>(e.data)));
  } catch (...) {
    log::error("internal error handling a request",
               {{"method", context->method}, {"error", current_exception_text()}});
    answer(make_error(id, jsonrpc::kInternalError, "Internal error: " + current_exception_text()));
  }
}

namespace {

std::string required_string(const json::object& params, std::string_view key, std::string_view method) {
  auto v = params.find(key);
  if (v == params.end() || !v->value().is_string())
    throw RpcError(jsonrpc::kInvalidParams,
                   "Invalid params: " + std::string(method) + " needs a string \"" + std::string(key) + "\"");
  return std::string(v->value().get_string());
}

// A request's "arguments", or null when it has none.
const json::value& arguments_of(const json::object& params) {
  static const json::value kNone;
  if (auto a = params.find("arguments"); a != params.end()) return a->value();
  return kNone;
}

}  // namespace

void Session::on_ping(jsonrpc::Request& request, const Context&, const Reply& reply) {
  reply(make_result(request.id, json::object{}));
}

void Session::on_initialize(jsonrpc::Request& request, const Context&, const Reply& reply) {
  const json::object& params = request.params;
  auto requested = params.find("protocolVersion");
  if (requested == params.end() || !requested->value().is_string())
    throw RpcError(jsonrpc::kInvalidParams, "Invalid params: initialize needs a string \"protocolVersion\"");
  std::string version;
  {
    std::lock_guard lock(mutex_);
    if (initialized_)
      throw RpcError(jsonrpc::kInvalidRequest, "Invalid Request: the session is already initialized");
    // Never 2026-07-28: that revision has no initialize; a client that asks
    // for it gets our newest legacy version (the negotiation rule).
    version_ = std::string(negotiate(requested->value().get_string()));
    if (auto caps = params.find("capabilities"); caps != params.end() && caps->value().is_object())
      client_capabilities_ = caps->value().get_object();
    initialized_ = true;
    version = version_;
  }
  std::string client = "unknown";
  if (auto info = params.find("clientInfo"); info != params.end() && info->value().is_object())
    if (auto n = info->value().get_object().find("name");
        n != info->value().get_object().end() && n->value().is_string())
      client = n->value().get_string();
  log::info("session initialized", {{"client", client},
                                    {"requested_version", std::string(requested->value().get_string())},
                                    {"version", version}});
  json::object result{{"protocolVersion", version},
                      {"capabilities", server_capabilities(version)},
                      {"serverInfo", {{"name", context_.settings.server_name}, {"version", kVersion}}}};
  result["instructions"] = context_.settings.instructions.empty() ? default_instructions(*context_.snapshot())
                                                                  : context_.settings.instructions;
  reply(make_result(request.id, std::move(result)));
}

json::object Session::server_capabilities(std::string_view version) const {
  json::object capabilities{
      {"tools", {{"listChanged", true}}},
      {"resources", {{"subscribe", true}, {"listChanged", true}}},
      {"prompts", {{"listChanged", true}}},
      {"logging", json::object{}},
  };
  if (at_least(version, "2025-03-26")) capabilities["completions"] = json::object{};
  return capabilities;
}

void Session::on_discover(jsonrpc::Request& request, const Context& context, const Reply& reply) {
  json::array versions;
  for (auto v : kModernVersions) versions.emplace_back(v);
  json::object capabilities = server_capabilities(context->version);
  capabilities["extensions"] = json::object{{kTasksExtension, json::object{}}};
  json::object result{{"supportedVersions", std::move(versions)}, {"capabilities", std::move(capabilities)}};
  result["instructions"] = context_.settings.instructions.empty() ? default_instructions(*context_.snapshot())
                                                                  : context_.settings.instructions;
  reply(make_result(request.id, std::move(result)));
}

void Session::on_list(jsonrpc::Request& request, const Context& context, const Reply& reply) {
  const auto audience = registry::declares_apps(context->client_capabilities) ? registry::Audience::apps
                                                                              : registry::Audience::plain;
  reply(make_result(request.id, list_page(context->method, request.params, audience)));
}

void Session::on_set_level(jsonrpc::Request& request, const Context&, const Reply& reply) {
  const std::string name = required_string(request.params, "level", "logging/setLevel");
  auto parsed = log::parse_level(name);
  if (!parsed)
    throw RpcError(jsonrpc::kInvalidParams,
                   "Invalid params: unknown level \"" + name +
                       "\" (use debug, info, notice, warning, error, critical, alert or emergency)");
  log_threshold_.store(static_cast<int>(*parsed));
  reply(make_result(request.id, json::object{}));
}

void Session::on_subscribe(jsonrpc::Request& request, const Context&, const Reply& reply) {
  const std::string uri = required_string(request.params, "uri", "resources/subscribe");
  // Every subscription stays in memory as long as the session: a client may
  // not grow that without bound.
  if (uri.size() > context_.settings.max_subscription_uri_bytes) {
    context_.invoker.observer.breached("server.max_subscription_uri_bytes");
    throw RpcError(jsonrpc::kInvalidParams, "Invalid params: the uri is " + std::to_string(uri.size()) +
                                                " bytes long; at most " +
                                                std::to_string(context_.settings.max_subscription_uri_bytes) +
                                                " are accepted (server.max_subscription_uri_bytes)");
  }
  {
    std::lock_guard lock(mutex_);
    if (!subscriptions_.contains(std::string_view(uri))) {
      if (subscriptions_.size() >= context_.settings.max_subscriptions) {
        context_.invoker.observer.breached("server.max_subscriptions_per_session");
        throw RpcError(jsonrpc::kInvalidParams,
                       "Invalid params: this session already watches " +
                           std::to_string(subscriptions_.size()) +
                           " resources, the most allowed (server.max_subscriptions_per_session); unsubscribe "
                           "from one first");
      }
      subscriptions_.emplace(uri);
    }
  }
  reply(make_result(request.id, json::object{}));
}

void Session::on_unsubscribe(jsonrpc::Request& request, const Context&, const Reply& reply) {
  const std::string uri = required_string(request.params, "uri", "resources/unsubscribe");
  {
    std::lock_guard lock(mutex_);
    if (auto it = subscriptions_.find(std::string_view(uri)); it != subscriptions_.end())
      subscriptions_.erase(it);
  }
  reply(make_result(request.id, json::object{}));
}

void Session::on_call_tool(jsonrpc::Request& request, const Context& context, const Reply& reply) {
  std::string tool = required_string(request.params, "name", "tools/call");
  auto owner = [tool](const registry::RegistrySnapshot& snapshot) {
    const auto* entry = snapshot.find_tool(tool);
    return entry != nullptr ? entry->plugin : nullptr;
  };
  // The call reads its arguments where they were parsed: they can be megabytes.
  auto held = std::make_shared<const jsonrpc::Request>(std::move(request));
  run_async(*held, context, reply, owner, [this, tool, held](bridge::CallScope& scope, const RunningCall&) {
    return context_.invoker.call_tool(scope, tool, arguments_of(held->params));
  });
}

void Session::on_read_resource(jsonrpc::Request& request, const Context& context, const Reply& reply) {
  std::string uri = required_string(request.params, "uri", "resources/read");
  auto owner = [uri](const registry::RegistrySnapshot& snapshot) -> std::shared_ptr<loader::LoadedPlugin> {
    json::object unused_variables;
    if (const auto* r = snapshot.find_resource(uri)) return r->plugin;
    if (const auto* t = snapshot.match_template(uri, unused_variables)) return t->plugin;
    return nullptr;
  };
  run_async(request, context, reply, owner, [this, uri](bridge::CallScope& scope, const RunningCall&) {
    return context_.invoker.read_resource(scope, uri);
  });
}

void Session::on_get_prompt(jsonrpc::Request& request, const Context& context, const Reply& reply) {
  std::string prompt = required_string(request.params, "name", "prompts/get");
  auto owner = [prompt](const registry::RegistrySnapshot& snapshot) {
    const auto* entry = snapshot.find_prompt(prompt);
    return entry != nullptr ? entry->plugin : nullptr;
  };
  auto held = std::make_shared<const jsonrpc::Request>(std::move(request));
  run_async(*held, context, reply, owner, [this, prompt, held](bridge::CallScope& scope, const RunningCall&) {
    return context_.invoker.get_prompt(scope, prompt, arguments_of(held->params));
  });
}

void Session::on_complete(jsonrpc::Request& request, const Context& context, const Reply& reply) {
  json::object params = request.params;
  auto owner = [params](const registry::RegistrySnapshot& snapshot) -> std::shared_ptr<loader::LoadedPlugin> {
    const auto* ref = params.if_contains("ref");
    if (ref == nullptr || !ref->is_object()) return nullptr;
    const auto* name = ref->get_object().if_contains("name");
    const auto* uri = ref->get_object().if_contains("uri");
    if (name != nullptr && name->is_string())
      if (const auto* p = snapshot.find_prompt(name->get_string())) return p->plugin;
    if (uri != nullptr && uri->is_string())
      if (const auto* t = snapshot.find_template(uri->get_string())) return t->plugin;
    return nullptr;
  };
  run_async(request, context, reply, owner, [this, params](bridge::CallScope& scope, const RunningCall&) {
    return context_.invoker.complete(scope, params);
  });
}

void Session::initialize_implicitly(std::string_view version, json::object client_capabilities) {
  std::lock_guard lock(mutex_);
  version_ = std::string(negotiate(version));
  client_capabilities_ = std::move(client_capabilities);
  initialized_ = true;
}

json::object Session::list_page(std::string_view method, const json::object& params,
                                registry::Audience audience) const {
  std::optional<std::string_view> cursor;
  if (auto c = params.find("cursor"); c != params.end() && !c->value().is_null()) {
    if (!c->value().is_string())
      throw RpcError(jsonrpc::kInvalidParams, "Invalid params: \"cursor\" must be a string");
    cursor = c->value().get_string();
  }
  auto snapshot = context_.snapshot();
  const auto kind = method == "tools/list"       ? registry::ListKind::tools
                    : method == "prompts/list"   ? registry::ListKind::prompts
                    : method == "resources/list" ? registry::ListKind::resources
                                                 : registry::ListKind::templates;
  const auto& listed = snapshot->listing(kind, audience);
  auto page = registry::paginate(listed.size(), cursor, context_.settings.page_size);
  if (!page)
    throw RpcError(jsonrpc::kInvalidParams,
                   "Invalid params: unknown or stale cursor; start again without a cursor");
  json::array items;
  items.reserve(page->end - page->begin);
  for (std::size_t i = page->begin; i < page->end; ++i) items.push_back(*listed[i]);
  const std::string_view key = kind == registry::ListKind::tools       ? "tools"
                               : kind == registry::ListKind::prompts   ? "prompts"
                               : kind == registry::ListKind::resources ? "resources"
                                                                       : "resourceTemplates";
  json::object result{{key, std::move(items)}};
  if (page->next_cursor) result["nextCursor"] = *page->next_cursor;
  return result;
}

void Session::close(std::chrono::milliseconds deadline, std::chrono::milliseconds cancel_grace) {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    // A closed session gets no notification: its subscriptions give their
    // memory back now, whoever still holds the session.
    std::set<std::string, std::less<>>().swap(subscriptions_);
  }
  {
    // Nobody reads the listen streams any more either.
    std::lock_guard listening(listen_mutex_);
    listens_.clear();
  }
  // Nobody can answer sampling or elicitation any more: fail those at once so
  // the calls waiting on them finish.
  client_requests_.close("the client disconnected");
  std::unique_lock lock(mutex_);
  const auto idle = [this] { return running_ == 0; };
  if (drained_.wait_for(lock, deadline, idle)) return;
  log::warn("shutdown deadline reached; cancelling the calls still running",
            {{"calls", std::to_string(running_)}});
  for (auto& [key, call] : in_flight_) call->cancelled->store(true);
  if (drained_.wait_for(lock, cancel_grace, idle)) return;
  // What is left ignores cancellation (or never got a worker): stop waiting.
  std::vector<std::shared_ptr<RunningCall>> left;
  for (auto& [key, call] : in_flight_) left.push_back(call);
  lock.unlock();
  const auto now = std::chrono::steady_clock::now();
  for (const auto& call : left) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - call->queued_at).count();
    log::warn(
        "call abandoned at shutdown: never answered",
        {{"request", call->what},
         {"id", json::serialize(call->id)},
         {"plugin", call->plugin_namespace},
         {"trace_id", call->trace_id},
         {"state", call->started ? "running in plugin code that ignored cancellation" : "never started"},
         {"age_ms", std::to_string(ms)}});
    finish(*call, std::nullopt);
  }
}

void Session::send_notification(std::string_view method, json::object params, const std::string& related) {
  sink_(sdk::to_json_text(jsonrpc::make_notification(method, std::move(params))), Outgoing{related});
}

bool Session::wants_log(log::Level level) const {
  return static_cast<int>(level) >= log_threshold_.load();
}

bridge::ClientReply Session::client_request(std::string_view method, json::object params,
                                            std::chrono::milliseconds timeout,
                                            const std::atomic<bool>& cancelled, const std::string& related) {
  auto [id, slot] = client_requests_.open();
  sink_(sdk::to_json_text(jsonrpc::make_request(id, method, std::move(params))), Outgoing{related});
  auto reply = client_requests_.wait(id, slot, timeout, cancelled);
  if (reply.status == MCPD_ERR_CANCELLED || reply.status == MCPD_ERR_TIMEOUT)
    send_notification("notifications/cancelled", {{"requestId", id}, {"reason", reply.payload}}, related);
  return reply;
}

std::string_view Session::protocol_version() const {
  std::lock_guard lock(mutex_);
  return version_;
}

const json::object& Session::client_capabilities() const {
  return client_capabilities_;
}

}  // namespace mcpd::protocol
