#include "mcp_http_client.hpp"

#include <stdexcept>

namespace mcpd_http_test {
namespace json = boost::json;

std::string Reply::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

bool Reply::is_sse() const {
  return header("Content-Type").rfind("text/event-stream", 0) == 0;
}

std::vector<SseEvent> Reply::events() const {
  return parse_sse(body);
}

json::value Reply::json() const {
  return json::parse(body);
}

json::object event_message(const SseEvent& event) {
  if (!event.has_data || event.data.empty()) return {};
  boost::system::error_code ec;
  json::value v = json::parse(event.data, ec);
  return !ec && v.is_object() ? v.get_object() : json::object{};
}

json::object Reply::response() const {
  if (!is_sse()) {
    json::value v = json();
    if (!v.is_object()) throw std::runtime_error("the body is not a JSON object: " + body);
    return v.get_object();
  }
  for (const auto& event : events()) {
    auto message = event_message(event);
    if (!message.empty() && !message.contains("method")) return message;
  }
  throw std::runtime_error("the event stream holds no response: " + body);
}

void configure(httplib::Client& client, const std::string& ca_file) {
  client.set_connection_timeout(5, 0);
  client.set_read_timeout(10, 0);
  client.set_write_timeout(10, 0);
  if (!ca_file.empty()) {
    client.set_ca_cert_path(ca_file);
    client.enable_server_certificate_verification(true);
  }
}

McpHttpClient::McpHttpClient(const std::string& base_url, std::string endpoint, std::string ca_file)
    : client_(base_url), endpoint_(std::move(endpoint)) {
  configure(client_, ca_file);
}

void McpHttpClient::add_header(std::string name, std::string value) {
  added_.emplace(std::move(name), std::move(value));
}

httplib::Headers McpHttpClient::session_headers() const {
  httplib::Headers headers;
  if (!session_id_.empty()) {
    headers.emplace("Mcp-Session-Id", session_id_);
    headers.emplace("MCP-Protocol-Version", version_);
  }
  return headers;
}

httplib::Headers McpHttpClient::merged(const httplib::Headers& extra) const {
  httplib::Headers headers = added_;
  for (const auto& [name, value] : extra) {
    headers.erase(name);
  }
  for (const auto& [name, value] : extra) headers.emplace(name, value);
  return headers;
}

namespace {

Reply to_reply(const httplib::Result& result) {
  Reply reply;
  if (!result) return reply;
  reply.status = result->status;
  reply.headers = result->headers;
  reply.body = result->body;
  return reply;
}

}  // namespace

Reply McpHttpClient::post_raw(const std::string& body, const httplib::Headers& headers) {
  httplib::Headers all = merged(headers);
  std::string content_type = "application/json";
  if (auto it = all.find("Content-Type"); it != all.end()) {
    content_type = it->second;
    all.erase(it);
  }
  return to_reply(client_.Post(endpoint_.c_str(), all, body, content_type.c_str()));
}

Reply McpHttpClient::post(const json::value& message, const httplib::Headers& extra) {
  httplib::Headers headers = session_headers();
  headers.emplace("Accept", "application/json, text/event-stream");
  for (const auto& [name, value] : extra) headers.erase(name);
  for (const auto& [name, value] : extra) headers.emplace(name, value);
  return post_raw(json::serialize(message), headers);
}

Reply McpHttpClient::post_streaming(const json::value& message,
                                    const std::function<bool(const SseEvent&)>& on_event,
                                    const httplib::Headers& extra) {
  httplib::Headers headers = session_headers();
  headers.emplace("Accept", "application/json, text/event-stream");
  for (const auto& [name, value] : extra) headers.erase(name);
  for (const auto& [name, value] : extra) headers.emplace(name, value);
  Reply reply;
  SseParser parser;
  httplib::Request request;
  request.method = "POST";
  request.path = endpoint_;
  request.headers = merged(headers);
  request.headers.emplace("Content-Type", "application/json");
  request.body = json::serialize(message);
  request.response_handler = [&](const httplib::Response& response) {
    reply.status = response.status;
    reply.headers = response.headers;
    return true;
  };
  request.content_receiver = [&](const char* data, std::size_t length, std::uint64_t, std::uint64_t) {
    reply.body.append(data, length);
    for (const auto& event : parser.feed(std::string_view(data, length)))
      if (!on_event(event)) return false;
    return true;
  };
  auto result = client_.send(request);
  if (!result && reply.status == 0) return Reply{};
  return reply;
}

Reply McpHttpClient::get(const std::string& path, const httplib::Headers& headers) {
  return to_reply(client_.Get(path.c_str(), merged(headers)));
}

Reply McpHttpClient::del(const httplib::Headers& headers) {
  httplib::Headers all = session_headers();
  for (const auto& [name, value] : headers) all.erase(name);
  for (const auto& [name, value] : headers) all.emplace(name, value);
  return to_reply(client_.Delete(endpoint_.c_str(), merged(all)));
}

json::object McpHttpClient::make_request(const std::string& method, json::object params) {
  // Unique in the whole test process, so clients sharing a session never reuse an id.
  static std::atomic<std::int64_t> next_id{1};
  return json::object{
      {"jsonrpc", "2.0"}, {"id", next_id++}, {"method", method}, {"params", std::move(params)}};
}

std::string McpHttpClient::initialize(json::object capabilities, std::string version) {
  session_id_.clear();
  auto reply = post(make_request("initialize", {{"protocolVersion", version},
                                                {"capabilities", std::move(capabilities)},
                                                {"clientInfo", {{"name", "e2e-http"}, {"version", "1.0"}}}}));
  if (reply.status != 200)
    throw std::runtime_error("initialize failed with HTTP " + std::to_string(reply.status));
  session_id_ = reply.header("Mcp-Session-Id");
  version_ = json::value_to<std::string>(reply.response().at("result").at("protocolVersion"));
  auto note = post(json::object{{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}});
  if (note.status != 202)
    throw std::runtime_error("notifications/initialized got HTTP " + std::to_string(note.status));
  return session_id_;
}

json::object McpHttpClient::request(const std::string& method, json::object params) {
  auto reply = post(make_request(method, std::move(params)));
  if (reply.status != 200)
    throw std::runtime_error(method + " got HTTP " + std::to_string(reply.status) + ": " + reply.body);
  return reply.response();
}

json::object McpHttpClient::call_tool(const std::string& name, json::object arguments, json::object meta) {
  json::object params{{"name", name}, {"arguments", std::move(arguments)}};
  if (!meta.empty()) params["_meta"] = std::move(meta);
  return request("tools/call", std::move(params));
}

SseListener::SseListener(const std::string& base_url, const std::string& endpoint, httplib::Headers headers,
                         std::string ca_file) {
  headers.emplace("Accept", "text/event-stream");
  reader_ = std::thread([this, base_url, endpoint, headers, ca_file] {
    httplib::Client client(base_url);
    configure(client, ca_file);
    SseParser parser;
    client.Get(
        endpoint.c_str(), headers,
        [this](const httplib::Response& response) {
          std::lock_guard lock(mutex_);
          status_ = response.status;
          headers_ = response.headers;
          changed_.notify_all();
          return !stop_.load();
        },
        [this, &parser](const char* data, std::size_t length) {
          auto events = parser.feed(std::string_view(data, length));
          std::lock_guard lock(mutex_);
          for (auto& e : events) events_.push_back(std::move(e));
          changed_.notify_all();
          return !stop_.load();
        });
    std::lock_guard lock(mutex_);
    closed_ = true;
    changed_.notify_all();
  });
}

SseListener::~SseListener() {
  stop();
}

void SseListener::stop() {
  stop_ = true;
  if (reader_.joinable()) reader_.join();
}

int SseListener::wait_status(milliseconds timeout) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, timeout, [this] { return status_ != 0 || closed_; });
  return status_;
}

std::string SseListener::header(const std::string& name) {
  std::lock_guard lock(mutex_);
  auto it = headers_.find(name);
  return it == headers_.end() ? std::string() : it->second;
}

std::optional<SseEvent> SseListener::wait_for(const std::function<bool(const SseEvent&)>& match,
                                              milliseconds timeout) {
  std::unique_lock lock(mutex_);
  std::optional<SseEvent> found;
  changed_.wait_for(lock, timeout, [&] {
    for (const auto& e : events_)
      if (match(e)) {
        found = e;
        return true;
      }
    return closed_;
  });
  if (!found)
    for (const auto& e : events_)
      if (match(e)) found = e;
  return found;
}

bool SseListener::wait_closed(milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [this] { return closed_; });
}

std::vector<SseEvent> SseListener::events() {
  std::lock_guard lock(mutex_);
  return events_;
}

}  // namespace mcpd_http_test
