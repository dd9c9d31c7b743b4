// One client's messages through the whole protocol layer, with the testkit plugin loaded: JSON-RPC parsing,
// batches, the initialize handshake and version negotiation, every method's parameter checks, pagination
// cursors, tool argument validation, calls on the worker pool, cancellation, resources, prompts and
// completions. Input: newline-separated messages, as a stdio client sends them; each input gets a fresh
// session on one shared server, and is closed (in-flight calls cancelled) before the next.
#include <cstdlib>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "cli/server_setup.hpp"
#include "config/config.hpp"
#include "loader/load_probe.hpp"
#include "log/logger.hpp"
#include "protocol/session.hpp"

namespace {

mcpd::cli::Server& the_server() {
  static mcpd::cli::Server server = [] {
    mcpd::log::set_threshold(mcpd::log::Level::emergency);   // millions of inputs, not millions of log lines
    mcpd::loader::set_probe_executable(MCPD_FUZZ_MCPD_EXE);  // test-loads the plugin in a child first
    const boost::json::object document{
        {"server",
         {{"log_level", "emergency"}, {"client_request_timeout_ms", 50}, {"shutdown_timeout_ms", 50}}},
        {"plugins",
         {{"directories", boost::json::array{}}, {"files", {MCPD_FUZZ_PLUGIN}}, {"watch", false}}}};
    const auto config = mcpd::config::parse(boost::json::serialize(document),
                                            [](std::string_view) { return std::optional<std::string>(); });
    auto started = mcpd::cli::start_server(config);
    if (!started.refused.empty()) std::abort();  // the fuzzer would test nothing without its plugin
    return started;
  }();
  return server;
}

// Whatever came in, what goes out must be one valid JSON-RPC message: an object, or the answer to a batch,
// a non-empty array of objects.
bool is_one_message(std::string_view text) {
  boost::system::error_code ec;
  const auto parsed = boost::json::parse(text, ec);
  if (ec) return false;
  if (parsed.is_object()) return true;
  if (!parsed.is_array() || parsed.as_array().empty()) return false;
  for (const auto& element : parsed.as_array())
    if (!element.is_object()) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto& server = the_server();
  // The sink may outlive this call (a cancelled call answers late), so it captures nothing from here.
  auto session = mcpd::protocol::Session::create(*server.context,
                                                 [](std::string message, const mcpd::protocol::Outgoing&) {
                                                   if (!is_one_message(message)) __builtin_trap();
                                                 });
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  while (!rest.empty()) {
    const auto end = rest.find('\n');
    const auto line = rest.substr(0, end);
    if (!line.empty()) session->on_message(line);
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  session->close(std::chrono::milliseconds(100));
  return 0;
}
