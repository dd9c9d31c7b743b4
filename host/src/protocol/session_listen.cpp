// subscriptions/listen (MCP 2026-07-28): a request whose answer is a stream of
// notifications, acknowledged first, each tagged with the listen's request id,
// until the client cancels it (notifications/cancelled on stdio, closing the
// stream on HTTP) or the server ends it with a final result. Also the legacy
// session's own change notifications, which reach the same places.
#include <mcpd/sdk/json_serialize.hpp>

#include "protocol/input_exchange.hpp"
#include "protocol/session.hpp"

namespace mcpd::protocol {
namespace json = boost::json;
using bridge::RpcError;

namespace {

constexpr std::string_view kListFlags[][2] = {
    {"toolsListChanged", "tools"}, {"promptsListChanged", "prompts"}, {"resourcesListChanged", "resources"}};

json::object tagged(const json::value& subscription_id, json::object params = {}) {
  params["_meta"] = json::object{{kMetaSubscriptionId, subscription_id}};
  return params;
}

}  // namespace

void Session::on_listen(jsonrpc::Request& request, const Context& context, const Reply& reply) {
  const auto* wanted = request.params.if_contains("notifications");
  if (wanted == nullptr || !wanted->is_object())
    throw RpcError(jsonrpc::kInvalidParams,
                   "Invalid params: subscriptions/listen needs a \"notifications\" object naming what to "
                   "receive, e.g. {\"toolsListChanged\": true, \"resourceSubscriptions\": [\"file:///a\"]}");
  const json::object& asked = wanted->get_object();
  Listen listen;
  listen.id = request.id;
  listen.reply = reply;
  // Only what was asked for and can be delivered is acknowledged; anything
  // else (unknown kinds, and taskIds from a client that does not declare the
  // Tasks extension) is left out of the acknowledgement.
  json::object honoured;
  for (const auto& [flag, kind] : kListFlags) {
    const auto* v = asked.if_contains(flag);
    if (v == nullptr || *v != true) continue;
    honoured[flag] = true;
    listen.lists.emplace(kind);
  }
  if (const auto* uris = asked.if_contains("resourceSubscriptions"); uris != nullptr && !uris->is_null()) {
    if (!uris->is_array())
      throw RpcError(jsonrpc::kInvalidParams,
                     "Invalid params: \"resourceSubscriptions\" must be an array of URIs");
    const auto& settings = context_.settings;
    if (uris->get_array().size() > settings.max_subscriptions)
      throw RpcError(jsonrpc::kInvalidParams,
                     "Invalid params: " + std::to_string(uris->get_array().size()) +
                         " resourceSubscriptions; at most " + std::to_string(settings.max_subscriptions) +
                         " per listen are accepted (server.max_subscriptions_per_session)");
    json::array accepted;
    for (const auto& uri : uris->get_array()) {
      if (!uri.is_string())
        throw RpcError(jsonrpc::kInvalidParams,
                       "Invalid params: every resourceSubscriptions entry must be a URI string");
      if (uri.get_string().size() > settings.max_subscription_uri_bytes)
        throw RpcError(jsonrpc::kInvalidParams, "Invalid params: a resourceSubscriptions URI is " +
                                                    std::to_string(uri.get_string().size()) +
                                                    " bytes long; at most " +
                                                    std::to_string(settings.max_subscription_uri_bytes) +
                                                    " are accepted (server.max_subscription_uri_bytes)");
      if (listen.uris.emplace(uri.get_string()).second) accepted.push_back(uri);
    }
    honoured["resourceSubscriptions"] = std::move(accepted);
  }
  if (const auto* ids = asked.if_contains("taskIds");
      ids != nullptr && !ids->is_null() && declares_tasks(*context)) {
    if (!ids->is_array())
      throw RpcError(jsonrpc::kInvalidParams, "Invalid params: \"taskIds\" must be an array of task ids");
    if (ids->get_array().size() > context_.settings.max_subscriptions)
      throw RpcError(jsonrpc::kInvalidParams,
                     "Invalid params: at most " + std::to_string(context_.settings.max_subscriptions) +
                         " taskIds per listen are accepted (server.max_subscriptions_per_session)");
    // Only the caller's own tasks: another caller's task id is acknowledged as little as an unknown one.
    json::array accepted;
    for (const auto& id : ids->get_array()) {
      if (!id.is_string())
        throw RpcError(jsonrpc::kInvalidParams, "Invalid params: every taskIds entry must be a string");
      try {
        if (context_.tasks->get(id.get_string(), context->principal) &&
            listen.task_ids.emplace(id.get_string()).second)
          accepted.push_back(id);
      } catch (const tasks::StoreUnavailable&) {
        // Not acknowledged: the client polls tasks/get, which says what is wrong.
      }
    }
    honoured["taskIds"] = std::move(accepted);
  }
  const std::string key = jsonrpc::id_key(request.id);
  std::lock_guard listening(listen_mutex_);
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    if (in_flight_.contains(key) || listens_.contains(key))
      throw RpcError(jsonrpc::kInvalidRequest,
                     "Invalid Request: a request with this id is still running; ids must be unique");
  }
  if (listens_.size() >= context_.settings.max_subscriptions)
    throw RpcError(
        jsonrpc::kInvalidParams,
        "Invalid params: this connection already holds " + std::to_string(listens_.size()) +
            " subscriptions/listen streams, the most allowed (server.max_subscriptions_per_session); "
            "cancel one first");
  listens_.emplace(key, std::move(listen));
  // The acknowledgement goes out under listen_mutex_, so no notification for
  // this listen can overtake it.
  send_notification("notifications/subscriptions/acknowledged",
                    tagged(request.id, json::object{{"notifications", std::move(honoured)}}), key);
}

bool Session::end_listen(const std::string& key, bool answer) {
  Listen ended;
  {
    std::lock_guard listening(listen_mutex_);
    auto it = listens_.find(key);
    if (it == listens_.end()) return false;
    ended = std::move(it->second);
    listens_.erase(it);
  }
  if (answer) {
    ended.reply(jsonrpc::make_result(
        ended.id, json::object{{"resultType", "complete"}, {"_meta", {{kMetaSubscriptionId, ended.id}}}}));
  } else {
    log::info("subscriptions/listen cancelled by the client", {{"id", json::serialize(ended.id)}});
    if (unanswered_) unanswered_(key);
  }
  return true;
}

void Session::end_listens() {
  std::vector<std::string> keys;
  {
    std::lock_guard listening(listen_mutex_);
    for (const auto& [key, listen] : listens_) keys.push_back(key);
  }
  for (const auto& key : keys) end_listen(key, true);
}

bool Session::notify_list_changed(std::string_view kind) {
  const std::string method = "notifications/" + std::string(kind) + "/list_changed";
  bool told = false;
  bool legacy = false;
  {
    std::lock_guard lock(mutex_);
    legacy = initialized_ && !closed_;
  }
  if (legacy) {
    send_notification(method, {});
    told = true;
  }
  std::lock_guard listening(listen_mutex_);
  for (const auto& [key, listen] : listens_) {
    if (!listen.lists.contains(kind)) continue;
    send_notification(method, tagged(listen.id), key);
    told = true;
  }
  return told;
}

void Session::notify_resource_updated(std::string_view uri) {
  bool subscribed = false;
  {
    std::lock_guard lock(mutex_);
    subscribed = !closed_ && subscriptions_.find(uri) != subscriptions_.end();
  }
  if (subscribed) send_notification("notifications/resources/updated", {{"uri", uri}});
  std::lock_guard listening(listen_mutex_);
  for (const auto& [key, listen] : listens_)
    if (listen.uris.find(uri) != listen.uris.end())
      send_notification("notifications/resources/updated", tagged(listen.id, json::object{{"uri", uri}}),
                        key);
}

}  // namespace mcpd::protocol
