#include "protocol/session.hpp"

#include <mcpd/sdk/json_serialize.hpp>

#include <unordered_map>

#include "bridge/input_rounds.hpp"
#include "build_info.hpp"
#include "log/logger.hpp"
#include "protocol/default_instructions.hpp"
#include "protocol/input_exchange.hpp"
#include "protocol/protocol_version.hpp"
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
                                        context_->version + ", where servers do not send requests to clients, and " +
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
  for (const auto& element : batch) {
    auto m = jsonrpc::classify(element);
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

json::value arguments_of(const json::object& params) {
  if (auto a = params.find("arguments"); a != params.end()) return a->value();
  return nullptr;
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
  reply(make_result(request.id, list_page(context->method, request.params)));
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
  json::value args = arguments_of(request.params);
  auto owner = [tool](const registry::RegistrySnapshot& snapshot) {
    const auto* entry = snapshot.find_tool(tool);
    return entry != nullptr ? entry->plugin : nullptr;
  };
  run_async(std::move(request), context, reply, owner,
            [this, tool, args](bridge::CallScope& scope, const RunningCall&) {
              return context_.invoker.call_tool(scope, tool, args);
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
  run_async(std::move(request), context, reply, owner,
            [this, uri](bridge::CallScope& scope, const RunningCall&) {
              return context_.invoker.read_resource(scope, uri);
            });
}

void Session::on_get_prompt(jsonrpc::Request& request, const Context& context, const Reply& reply) {
  std::string prompt = required_string(request.params, "name", "prompts/get");
  json::value args = arguments_of(request.params);
  auto owner = [prompt](const registry::RegistrySnapshot& snapshot) {
    const auto* entry = snapshot.find_prompt(prompt);
    return entry != nullptr ? entry->plugin : nullptr;
  };
  run_async(std::move(request), context, reply, owner,
            [this, prompt, args](bridge::CallScope& scope, const RunningCall&) {
              return context_.invoker.get_prompt(scope, prompt, args);
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
  run_async(std::move(request), context, reply, owner,
            [this, params](bridge::CallScope& scope, const RunningCall&) {
              return context_.invoker.complete(scope, params);
            });
}

void Session::initialize_implicitly(std::string_view version, json::object client_capabilities) {
  std::lock_guard lock(mutex_);
  version_ = std::string(negotiate(version));
  client_capabilities_ = std::move(client_capabilities);
  initialized_ = true;
}

json::object Session::list_page(std::string_view method, const json::object& params) const {
  std::optional<std::string_view> cursor;
  if (auto c = params.find("cursor"); c != params.end() && !c->value().is_null()) {
    if (!c->value().is_string())
      throw RpcError(jsonrpc::kInvalidParams, "Invalid params: \"cursor\" must be a string");
    cursor = c->value().get_string();
  }
  auto snapshot = context_.snapshot();
  auto page_of = [&](std::size_t total, std::string_view key, auto&& item) {
    auto page = registry::paginate(total, cursor, context_.settings.page_size);
    if (!page)
      throw RpcError(jsonrpc::kInvalidParams,
                     "Invalid params: unknown or stale cursor; start again without a cursor");
    json::array items;
    for (std::size_t i = page->begin; i < page->end; ++i) items.push_back(item(i));
    json::object result{{key, std::move(items)}};
    if (page->next_cursor) result["nextCursor"] = *page->next_cursor;
    return result;
  };
  if (method == "tools/list")
    return page_of(snapshot->tools().size(), "tools",
                   [&](std::size_t i) { return snapshot->tools()[i].listed; });
  if (method == "prompts/list")
    return page_of(snapshot->prompts().size(), "prompts",
                   [&](std::size_t i) { return snapshot->prompts()[i].listed; });
  if (method == "resources/list")
    return page_of(snapshot->resources().size(), "resources",
                   [&](std::size_t i) { return snapshot->resources()[i].listed; });
  return page_of(snapshot->templates().size(), "resourceTemplates",
                 [&](std::size_t i) { return snapshot->templates()[i].listed; });
}

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

// The methods whose handlers may ask the client for input (the revision allows no others).
bool may_ask_for_input(std::string_view method) {
  return method == "tools/call" || method == "resources/read" || method == "prompts/get";
}

}  // namespace

void Session::run_async(jsonrpc::Request request, const Context& context, const Reply& reply,
                        const Owner& owner, Work work) {
  auto snapshot = context_.snapshot();  // pinned for the whole call
  auto call = std::make_shared<RunningCall>();
  call->key = jsonrpc::id_key(request.id);
  call->id = request.id;
  call->what = describe_request(request);
  // traceparent is "00-<32 hex trace id>-<16 hex parent id>-<flags>", checked when it was read.
  if (!context->traceparent.empty()) call->trace_id = context->traceparent.substr(3, 32);
  call->reply = reply;
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
  if (request.method == "tools/call" && context->modern()) {
    const auto* name = request.params.if_contains("name");
    const auto* tool =
        name != nullptr && name->is_string() ? snapshot->find_tool(name->get_string()) : nullptr;
    const auto support = tool != nullptr ? tool->registration->task_support : loader::TaskSupport::forbidden;
    if (support == loader::TaskSupport::required) require_tasks_extension(*context);
    if (support != loader::TaskSupport::forbidden && declares_tasks(*context)) {
      task_tool = tool->published_name;
      task_by_handler = tool->registration->task_started_by_handler;
      task_at_entry = !task_by_handler;
    }
  }

  if (auto refusal = refusal_for_unhealthy(*call, plugin.get())) return reply(std::move(refusal));
  {
    std::lock_guard lock(mutex_);
    if (!in_flight_.emplace(call->key, call).second)
      return reply(
          make_error(request.id, jsonrpc::kInvalidRequest,
                     "Invalid Request: a request with this id is still running; ids must be unique"));
    ++running_;
  }
  bridge::CallScope::Options options;
  options.snapshot = std::move(snapshot);
  options.invoker = &context_.invoker;
  auto channel = std::make_shared<RequestChannel>(shared_from_this(), call->key, context);
  if (binding) channel->suspendable(call, *binding);
  options.channel = channel.get();
  options.cancelled = call->cancelled;
  options.traceparent = context->traceparent;
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
  auto job = [self, call, plugin = std::move(plugin), work = std::move(work), options = std::move(options),
              channel, context, binding]() mutable {
    const bool task = call->task() != nullptr;
    if (!task && call->claimed()) return;  // abandoned at shutdown before it could start
    call->started = true;
    log::TraceScope trace(call->trace_id);
    json::object response;
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
    }
    // A task's answer went out when it became one; what the handler made is the task's result.
    if (call->task()) {
      if (!call->cancelled->load()) self->settle_task(*call, response);
      return;
    }
    // A cancelled request gets no response at all (the spec's rule).
    std::optional<json::object> answer;
    if (!call->cancelled->load()) answer = std::move(response);
    if (auto suspension = call->suspension()) {
      // The handler waited for the client: the latest retry gets the result, under its own id.
      self->context_.suspended.remove(suspension->id());
      auto target = suspension->target();
      if (answer) (*answer)["id"] = target.call->id;
      target.session->finish(*target.call, std::move(answer));
      return;
    }
    self->finish(*call, std::move(answer));
  };
  bool queued = false;
  if (context_.settings.call_timeout.count() > 0)
    queued = context_.pool.submit(std::move(job), context_.settings.call_timeout,
                                  [self, call] { self->call_overdue(call); });
  else
    queued = context_.pool.submit(std::move(job));
  if (!queued) {
    if (auto link = call->task())
      context_.tasks->fail(link->id, jsonrpc::kInternalError, "the server is shutting down");
    finish(*call,
           make_error(request.id, jsonrpc::kInternalError, "Internal error: the server is shutting down"));
  }
}

bridge::ClientReply Session::suspend(const std::shared_ptr<RunningCall>& call, const RequestContext& context,
                                    const mrtr::StateBinding& binding, std::string_view method, json::object params,
                                    std::chrono::milliseconds timeout, const std::atomic<bool>& cancelled) {
  auto suspension = call->suspension();
  if (!suspension) {
    suspension = std::make_shared<SuspendedCall>(tasks::random_task_id(), SuspendedCall::Target{shared_from_this(), call});
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
    return cancelled.load() ? bridge::ClientReply{MCPD_ERR_CANCELLED, "the request was cancelled"}
                            : bridge::ClientReply{MCPD_ERR_TIMEOUT, "the client did not retry with an answer to \"" +
                                                                        std::string(method) + "\" in time"};
  return {MCPD_OK, json::serialize(*answer)};
}

void Session::resume_suspended(const jsonrpc::Request& request, const Context& context, const Reply& reply,
                               const RetryInput& retry, const mrtr::StateBinding& binding) {
  auto suspension = context_.suspended.find(retry.state->payload);
  auto pending = suspension ? suspension->pending() : std::nullopt;
  if (!pending)
    throw RpcError(jsonrpc::kInvalidParams,
                   "Invalid params: the requestState refers to a call that no longer waits on this server: it "
                   "timed out or ended, or it waits on another instance (such a call cannot move between "
                   "instances). Send the request again without requestState and inputResponses.");
  json::object answers;
  if (retry.responses_json) answers = json::parse(*retry.responses_json).get_object();
  const auto* answer = answers.if_contains(pending->first);
  if (answer == nullptr) {
    // Asked again, with a fresh state for the same waiting call.
    bridge::InputNeeded input{pending->second, suspension->id(), false};
    return reply(make_result(request.id, input_required_result(input, *context, *context_.seal, binding, "suspended")));
  }
  auto retry_call = std::make_shared<RunningCall>();
  retry_call->key = jsonrpc::id_key(request.id);
  retry_call->id = request.id;
  retry_call->what = describe_request(request);
  retry_call->reply = reply;
  // Cancelling the retry cancels the handler it resumes.
  retry_call->cancelled = suspension->target().call->cancelled;
  {
    std::lock_guard lock(mutex_);
    if (!in_flight_.emplace(retry_call->key, retry_call).second)
      return reply(make_error(request.id, jsonrpc::kInvalidRequest,
                              "Invalid Request: a request with this id is still running; ids must be unique"));
    ++running_;
  }
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
  // A handler that polls cancellation may still stop. A request the client
  // cancelled itself gets no response at all (the spec's rule), even now.
  const bool cancelled_by_client = call->cancelled->exchange(true);
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
  if (call->claimed()) return;
  if (context_.invoker.observer.tool_call && call->what.starts_with("tools/call "))
    context_.invoker.observer.tool_call(call->what.substr(11), "timeout",
                                        std::chrono::steady_clock::now() - call->queued_at);
  if (cancelled_by_client) return finish(*call, std::nullopt);
  std::string message = "The request (" + call->what + ") did not finish within server.call_timeout_ms (" +
                        std::to_string(limit.count()) + " ms). mcpd stopped waiting and asked it to cancel";
  if (!ns.empty()) message += "; plugin \"" + ns + "\" is marked unhealthy until the call returns";
  message +=
      ". Retry later or ask for less work; if it legitimately needs longer, raise server.call_timeout_ms "
      "(MCPD_CALL_TIMEOUT_MS).";
  json::object data{{"timeout_ms", limit.count()}};
  if (!ns.empty()) data["plugin"] = ns;
  finish(*call, make_error(call->id, kCallTimedOut, message, json::value(std::move(data))));
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
