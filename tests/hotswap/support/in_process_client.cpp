#include "support/in_process_client.hpp"

#include <stdexcept>

namespace hotswap_test {

namespace protocol = mcpd::protocol;
namespace hotswap = mcpd::hotswap;

InProcessServer::InProcessServer(const std::function<void(mcpd::config::Config&)>& adjust) {
  config.plugins.directories = {plugins.path()};
  config.plugin_policy.staging_dir = staging.path() / "staging";
  config.plugin_policy.watch = false;
  if (adjust) adjust(config);
  context = std::make_unique<protocol::ServerContext>(
      config.server.worker_threads, std::chrono::milliseconds(60000), protocol::SessionSettings{});
  auto* ctx = context.get();
  mcpd::loader::HostHooks hooks;
  hooks.notify_resource_updated = [ctx](std::string_view uri) { ctx->hub.notify_resource_updated(uri); };
  manager = std::make_shared<hotswap::PluginManager>(*context, config, std::move(hooks));
  context->plugin_admin = manager;
  hotswap::PluginManager::Trigger trigger;
  trigger.name = "startup";
  trigger.full = true;
  startup = manager->reload(trigger);
}

InProcessServer::~InProcessServer() {
  context->pool.shutdown();
  context->plugin_admin.reset();
  manager.reset();
  context.reset();
}

hotswap::ReloadReport InProcessServer::reload(bool full) {
  hotswap::PluginManager::Trigger trigger;
  trigger.name = "admin";
  trigger.full = full;
  return manager->reload(trigger);
}

InProcessClient::InProcessClient(protocol::ServerContext& context)
    : session_(protocol::Session::create(
          context, [this](std::string message, const protocol::Outgoing&) { receive(message); })) {}

InProcessClient::~InProcessClient() {
  session_->close(std::chrono::milliseconds(10000));
}

void InProcessClient::receive(const std::string& message) {
  json::value parsed = json::parse(message);
  std::lock_guard lock(mutex_);
  auto& object = parsed.as_object();
  if (object.contains("id") && (object.contains("result") || object.contains("error")))
    responses_[json::serialize(object.at("id"))] = object;
  else if (object.contains("method") && !object.contains("id"))
    notifications_.push_back(object);
  changed_.notify_all();
}

json::object InProcessClient::initialize() {
  json::object result = request("initialize", {{"protocolVersion", "2025-11-25"},
                                               {"capabilities", json::object{}},
                                               {"clientInfo", {{"name", "hotswap-test"}, {"version", "1"}}}});
  session_->on_message(
      json::serialize(json::object{{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}}));
  return result;
}

json::value InProcessClient::send(std::string_view method, json::object params) {
  json::value id;
  {
    std::lock_guard lock(mutex_);
    id = next_id_++;
  }
  session_->on_message(json::serialize(
      json::object{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}}));
  return id;
}

json::object InProcessClient::await(const json::value& id, milliseconds timeout) {
  const std::string key = json::serialize(id);
  std::unique_lock lock(mutex_);
  if (!changed_.wait_for(lock, timeout, [&] { return responses_.count(key) != 0; }))
    throw std::runtime_error("no response to request " + key);
  json::object response = std::move(responses_[key]);
  responses_.erase(key);
  return response;
}

json::object InProcessClient::request(std::string_view method, json::object params) {
  json::object response = await(send(method, std::move(params)));
  if (!response.contains("result")) throw std::runtime_error("error response: " + json::serialize(response));
  return response.at("result").as_object();
}

std::string InProcessClient::call_text(std::string_view tool, json::object arguments) {
  json::object result = request("tools/call", {{"name", tool}, {"arguments", std::move(arguments)}});
  if (auto e = result.find("isError"); e != result.end() && e->value() == true)
    throw std::runtime_error("tool error: " + json::serialize(result));
  return text_of(result);
}

std::size_t InProcessClient::count(std::string_view method) const {
  return notifications(method).size();
}

std::vector<json::object> InProcessClient::notifications(std::string_view method) const {
  std::lock_guard lock(mutex_);
  std::vector<json::object> out;
  for (const auto& n : notifications_)
    if (n.at("method").as_string() == method) out.push_back(n);
  return out;
}

bool InProcessClient::wait_for(std::string_view method, std::size_t at_least, milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] {
    std::size_t n = 0;
    for (const auto& note : notifications_)
      if (note.at("method").as_string() == method) ++n;
    return n >= at_least;
  });
}

std::string text_of(const json::object& call_tool_result) {
  std::string text;
  for (const auto& block : call_tool_result.at("content").as_array()) {
    const auto& b = block.as_object();
    if (b.at("type").as_string() == "text") text += std::string(b.at("text").as_string());
  }
  return text;
}

}  // namespace hotswap_test
