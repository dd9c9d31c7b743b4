#pragma once
// What one request is, decided once when it arrives and carried with it to
// the plugin call and back to the outbound edge: its era and version, the
// client's capabilities and log level as they apply to this request, and its
// W3C trace context. A legacy request takes these from its session; a modern
// one from its own _meta and nothing else.
#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "log/logger.hpp"
#include "protocol/era.hpp"

namespace mcpd::protocol {

struct RequestContext {
  Era era = Era::legacy;
  std::string method;
  std::string version;
  boost::json::object client_capabilities;
  // Modern requests only: the level the request asked for; none means no
  // notifications/message at all. Legacy requests follow their session's
  // logging/setLevel instead, which may change while they run.
  std::optional<log::Level> log_level;
  std::string client_name;  // for logs; "" when unknown
  // W3C trace context from _meta (either era), passed on to the plugin and
  // into log lines; "" when absent or malformed.
  std::string traceparent;
  std::string tracestate;
  // Who asks, as the transport knows it (a digest of the bearer token), "" when anonymous: what a
  // sealed requestState and a task are bound to.
  std::string principal;

  bool modern() const { return era == Era::modern; }
};

}  // namespace mcpd::protocol
