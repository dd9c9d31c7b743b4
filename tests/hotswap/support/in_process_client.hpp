// An in-process mcpd for the hot-swap tests: a ServerContext and a
// PluginManager configured like `mcpd serve` would be, and MCP clients that
// talk to it through real protocol::Session objects (the JSON-RPC path every
// transport uses), minus the pipes. Running in the test's own process is what
// lets a test ask the dynamic loader, with RTLD_NOLOAD, whether an old plugin
// version really left.
#pragma once

#include <boost/json.hpp>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "hotswap/plugin_manager.hpp"
#include "protocol/server_context.hpp"
#include "protocol/session.hpp"
#include "support/plugin_dir.hpp"

namespace hotswap_test {

namespace json = boost::json;
using std::chrono::milliseconds;

struct InProcessServer {
  // `plugins` is the one watched plugins directory; `adjust` may change the
  // rest of the configuration before the first load.
  explicit InProcessServer(const std::function<void(mcpd::config::Config&)>& adjust = {});
  ~InProcessServer();

  mcpd::hotswap::ReloadReport reload(bool full = false);

  ScratchDir plugins;
  ScratchDir staging;
  mcpd::config::Config config;
  std::unique_ptr<mcpd::protocol::ServerContext> context;
  std::shared_ptr<mcpd::hotswap::PluginManager> manager;
  mcpd::hotswap::ReloadReport startup;
};

class InProcessClient {
 public:
  explicit InProcessClient(mcpd::protocol::ServerContext& context);
  ~InProcessClient();

  json::object initialize();
  // Sends a request and returns its id; the answer is collected in the background.
  json::value send(std::string_view method, json::object params = {});
  json::object await(const json::value& id, milliseconds timeout = milliseconds(10000));
  json::object request(std::string_view method, json::object params = {});
  // tools/call that must succeed without isError; the text of its content.
  std::string call_text(std::string_view tool, json::object arguments = {});

  std::size_t count(std::string_view method) const;
  bool wait_for(std::string_view method, std::size_t at_least, milliseconds timeout);
  std::vector<json::object> notifications(std::string_view method) const;

 private:
  void receive(const std::string& message);

  std::shared_ptr<mcpd::protocol::Session> session_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, json::object> responses_;  // by serialised id
  std::vector<json::object> notifications_;
  std::int64_t next_id_ = 1;
};

std::string text_of(const json::object& call_tool_result);

}  // namespace hotswap_test
