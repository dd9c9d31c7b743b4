#pragma once
// What a running call may send to the client it serves. The protocol session
// implements it; `mcpd call` runs with no client (nullptr) and every such
// request answers MCPD_ERR_UNSUPPORTED.
#include <mcpd/plugin_api.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <string>
#include <string_view>

#include "log/logger.hpp"

namespace mcpd::bridge {

struct ClientReply {
  mcpd_status status = MCPD_OK;
  std::string payload;  // result JSON on MCPD_OK, otherwise an error message
};

class ClientChannel {
 public:
  virtual ~ClientChannel() = default;
  virtual void notify(std::string_view method, boost::json::object params) = 0;
  virtual bool wants_log(log::Level level) const = 0;
  // Blocks until the client answers, `timeout` passes or `cancelled` becomes true.
  virtual ClientReply request(std::string_view method, boost::json::object params,
                              std::chrono::milliseconds timeout, const std::atomic<bool>& cancelled) = 0;
  // The request speaks MCP 2026-07-28 or later: its client is never sent
  // requests, and a capability it lacks fails the request with -32021.
  virtual bool modern() const { return false; }
  virtual std::string_view protocol_version() const = 0;
  virtual const boost::json::object& client_capabilities() const = 0;
};

}  // namespace mcpd::bridge
