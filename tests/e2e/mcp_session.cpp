#include "mcp_session.hpp"

#include <stdlib.h>

#include <fstream>
#include <stdexcept>

namespace mcpd_test {

std::string BuildPaths::mcpd() {
  return MCPD_E2E_MCPD_EXE;
}
std::string BuildPaths::shipped_plugins_dir() {
  return MCPD_E2E_SHIPPED_PLUGINS_DIR;
}
std::string BuildPaths::test_plugins_dir() {
  return MCPD_E2E_TEST_PLUGINS_DIR;
}
std::string BuildPaths::broken_plugins_dir() {
  return test_plugins_dir() + "/broken";
}
std::string BuildPaths::hello_plugin() {
  return MCPD_E2E_HELLO_PLUGIN;
}
std::string BuildPaths::testkit_plugin() {
  return test_plugin("testkit");
}
std::string BuildPaths::test_plugin(std::string_view name) {
  return test_plugins_dir() + "/" + std::string(name) + ".so";
}
std::string BuildPaths::broken_plugin(std::string_view name) {
  return broken_plugins_dir() + "/" + std::string(name) + ".so";
}
std::string BuildPaths::project_version() {
  return MCPD_E2E_PROJECT_VERSION;
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "mcpd-e2e-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + pattern);
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::filesystem::path TempDir::write_file(std::string_view name, std::string_view content) const {
  const auto file = path_ / name;
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << content;
  if (!out.flush()) throw std::runtime_error("cannot write " + file.string());
  return file;
}

ServeOptions standard_serve_options() {
  ServeOptions options;
  options.plugin_dirs = {BuildPaths::shipped_plugins_dir()};
  // hello.so may be built into the shipped dir; naming it twice would be a
  // (correctly refused) duplicate namespace.
  const auto hello = std::filesystem::path(BuildPaths::hello_plugin());
  if (hello.parent_path() != std::filesystem::path(BuildPaths::shipped_plugins_dir())) {
    options.plugins.push_back(hello.string());
  }
  options.plugins.push_back(BuildPaths::testkit_plugin());
  return options;
}

McpSession::McpSession(ServeOptions options) {
  std::vector<std::string> argv = {BuildPaths::mcpd(), "serve", "--stdio"};
  if (options.config) {
    config_dir_ = std::make_unique<TempDir>();
    const auto file = config_dir_->write_file("mcpd.json", json::serialize(*options.config));
    argv.insert(argv.end(), {"--config", file.string()});
  }
  for (const auto& dir : options.plugin_dirs) argv.insert(argv.end(), {"--plugins-dir", dir});
  for (const auto& plugin : options.plugins) argv.insert(argv.end(), {"--plugin", plugin});
  argv.insert(argv.end(), options.extra_args.begin(), options.extra_args.end());
  if (options.max_file_bytes)
    argv.insert(argv.begin(),
                {"/usr/bin/prlimit", "--fsize=" + std::to_string(*options.max_file_bytes), "--"});
  process_ = std::make_unique<ChildProcess>(std::move(argv), std::move(options.environment));
}

void McpSession::send(const json::value& message) {
  process_->write_line(json::serialize(message));
}

void McpSession::send_line(std::string_view line) {
  process_->write_line(line);
}

json::value McpSession::send_request(std::string_view method, json::object params) {
  json::value id = next_id_++;
  send(json::object{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}});
  return id;
}

json::object McpSession::request(std::string_view method, json::object params, milliseconds timeout) {
  const auto id = send_request(method, std::move(params));
  return await_response(id, timeout);
}

json::object McpSession::request_result(std::string_view method, json::object params, milliseconds timeout) {
  auto response = request(method, std::move(params), timeout);
  if (!response.contains("result") || !response.at("result").is_object()) {
    throw std::runtime_error(std::string(method) + " failed: " + json::serialize(response));
  }
  return response.at("result").as_object();
}

void McpSession::notify(std::string_view method, json::object params) {
  send(json::object{{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}});
}

json::object McpSession::initialize(std::string_view protocol_version, json::object capabilities) {
  auto result = request_result("initialize",
                               {{"protocolVersion", protocol_version},
                                {"capabilities", std::move(capabilities)},
                                {"clientInfo", {{"name", "mcpd-e2e-tests"}, {"version", "1.0.0"}}}},
                               mcpd_test::kStartupTimeout);  // the first answer waits for the plugins to load
  notify("notifications/initialized");
  return result;
}

json::object McpSession::call_tool(std::string_view name, json::object arguments, milliseconds timeout) {
  return request("tools/call", {{"name", name}, {"arguments", std::move(arguments)}}, timeout);
}

json::object McpSession::call_tool_result(std::string_view name, json::object arguments,
                                          milliseconds timeout) {
  auto response = call_tool(name, std::move(arguments), timeout);
  if (!response.contains("result") || !response.at("result").is_object()) {
    throw std::runtime_error("tools/call " + std::string(name) +
                             " got no result: " + json::serialize(response));
  }
  return response.at("result").as_object();
}

bool McpSession::read_into_backlog(milliseconds timeout) {
  auto line = process_->read_line(timeout);
  if (!line) return false;
  json::error_code error;
  auto message = json::parse(*line, error);
  if (error) {
    // stdout is reserved for JSON-RPC; anything else there is a server bug.
    throw std::runtime_error("the server wrote a line that is not JSON to stdout: " + *line);
  }
  backlog_.push_back(std::move(message));
  return true;
}

std::optional<json::value> McpSession::await_message(const std::function<bool(const json::value&)>& wanted,
                                                     milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::size_t checked = 0;
  for (;;) {
    for (; checked < backlog_.size(); ++checked) {
      if (wanted(backlog_[checked])) {
        auto found = std::move(backlog_[checked]);
        backlog_.erase(backlog_.begin() + static_cast<std::ptrdiff_t>(checked));
        return found;
      }
    }
    // Everything in the backlog has been checked; only a new message can help.
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || !read_into_backlog(left)) return std::nullopt;
  }
}

json::object McpSession::await_response(const json::value& id, milliseconds timeout) {
  auto response = await_message(
      [&](const json::value& message) {
        const auto* object = message.if_object();
        return object != nullptr && !object->contains("method") && has_id(message, id);
      },
      timeout);
  if (!response) {
    throw std::runtime_error("no response to id " + json::serialize(id) + " within " +
                             std::to_string(timeout.count()) + " ms. " + diagnostics());
  }
  return response->as_object();
}

std::optional<json::value> McpSession::next_message(milliseconds timeout) {
  return await_message([](const json::value&) { return true; }, timeout);
}

void McpSession::collect_for(milliseconds duration) {
  const auto deadline = std::chrono::steady_clock::now() + duration;
  for (;;) {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return;
    if (!read_into_backlog(left) && process_->stdout_finished()) return;
  }
}

std::vector<json::object> McpSession::notifications(std::string_view method) const {
  std::vector<json::object> found;
  for (const auto& message : backlog_) {
    const auto* object = message.if_object();
    if (object == nullptr || object->contains("id")) continue;
    const auto* name = object->if_contains("method");
    if (name != nullptr && name->is_string() && name->as_string() == method) found.push_back(*object);
  }
  return found;
}

void McpSession::expect_ping_answered(milliseconds timeout) {
  const auto response = request("ping", {}, timeout);
  if (!response.contains("result") || !response.at("result").is_object() ||
      !response.at("result").as_object().empty()) {
    throw std::runtime_error("ping was not answered with {}: " + json::serialize(response));
  }
}

std::string McpSession::diagnostics() {
  return "Server stderr:\n" + process_->stderr_text();
}

json::object modern(json::object params, json::object capabilities) {
  json::object meta;
  if (const auto* given = params.if_contains("_meta"); given != nullptr && given->is_object())
    meta = given->as_object();
  meta["io.modelcontextprotocol/protocolVersion"] = "2026-07-28";
  meta["io.modelcontextprotocol/clientCapabilities"] = std::move(capabilities);
  meta["io.modelcontextprotocol/clientInfo"] = {{"name", "mcpd-e2e"}, {"version", "1"}};
  params["_meta"] = std::move(meta);
  return params;
}

std::string text_of(const json::object& call_tool_result) {
  std::string text;
  const auto* content = call_tool_result.if_contains("content");
  if (content == nullptr || !content->is_array()) return text;
  for (const auto& block : content->as_array()) {
    const auto* object = block.if_object();
    if (object == nullptr) continue;
    const auto* type = object->if_contains("type");
    const auto* value = object->if_contains("text");
    if (type != nullptr && type->is_string() && type->as_string() == "text" && value != nullptr &&
        value->is_string()) {
      if (!text.empty()) text += "\n";
      text += value->as_string();
    }
  }
  return text;
}

bool has_id(const json::value& message, const json::value& id) {
  const auto* object = message.if_object();
  if (object == nullptr) return false;
  const auto* found = object->if_contains("id");
  if (found == nullptr) return false;
  // Integers may come back as int64 or uint64; both are exact. A double is not.
  if (id.is_int64() || id.is_uint64()) {
    if (found->is_int64())
      return id.is_int64() ? found->get_int64() == id.get_int64()
                           : found->get_int64() >= 0 &&
                                 static_cast<std::uint64_t>(found->get_int64()) == id.get_uint64();
    if (found->is_uint64())
      return id.is_uint64()
                 ? found->get_uint64() == id.get_uint64()
                 : id.get_int64() >= 0 && static_cast<std::uint64_t>(id.get_int64()) == found->get_uint64();
    return false;
  }
  return *found == id;
}

std::optional<std::int64_t> error_code_of(const json::object& response) {
  const auto* error = response.if_contains("error");
  if (error == nullptr || !error->is_object()) return std::nullopt;
  const auto* code = error->as_object().if_contains("code");
  if (code == nullptr || !code->is_int64()) return std::nullopt;
  return code->get_int64();
}

std::string error_message_of(const json::object& response) {
  const auto* error = response.if_contains("error");
  if (error == nullptr || !error->is_object()) return {};
  const auto* message = error->as_object().if_contains("message");
  return message != nullptr && message->is_string() ? std::string(message->as_string()) : std::string();
}

bool is_error_result(const json::object& call_tool_result) {
  const auto* flag = call_tool_result.if_contains("isError");
  return flag != nullptr && flag->is_bool() && flag->get_bool();
}

std::vector<std::string> names_of(const json::array& entries) {
  std::vector<std::string> names;
  for (const auto& entry : entries) {
    const auto* object = entry.if_object();
    const auto* name = object != nullptr ? object->if_contains("name") : nullptr;
    if (name != nullptr && name->is_string()) names.emplace_back(name->as_string());
  }
  return names;
}

}  // namespace mcpd_test
