#pragma once
// The two eras of MCP (reference: mcp-2026-07-28.md, section 1). A request is
// modern when its params._meta carries "io.modelcontextprotocol/protocolVersion";
// everything else follows the legacy rules (initialize, sessions). Modern
// requests describe themselves: version, client capabilities, client info and
// log level come from their own _meta and nowhere else. Pure functions, so
// every error code here is unit-testable and both transports decide alike.
#include <array>
#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "log/logger.hpp"

namespace mcpd::protocol {

// _meta keys of the modern envelope.
inline constexpr std::string_view kMetaProtocolVersion = "io.modelcontextprotocol/protocolVersion";
inline constexpr std::string_view kMetaClientCapabilities = "io.modelcontextprotocol/clientCapabilities";
inline constexpr std::string_view kMetaClientInfo = "io.modelcontextprotocol/clientInfo";
inline constexpr std::string_view kMetaLogLevel = "io.modelcontextprotocol/logLevel";
inline constexpr std::string_view kMetaServerInfo = "io.modelcontextprotocol/serverInfo";
inline constexpr std::string_view kMetaSubscriptionId = "io.modelcontextprotocol/subscriptionId";
// The Tasks extension's id (capabilities.extensions, clientCapabilities.extensions).
inline constexpr std::string_view kTasksExtension = "io.modelcontextprotocol/tasks";

// The modern revisions this host speaks (discover's supportedVersions, and
// -32022's data.supported). Legacy versions are not listed: a client told
// "2025-11-25" here would retry on the modern path, which cannot serve it.
inline constexpr std::array<std::string_view, 1> kModernVersions = {"2026-07-28"};
inline constexpr std::string_view kFirstModernVersion = "2026-07-28";

// Error codes of the modern revision.
inline constexpr int kHeaderMismatch = -32020;
inline constexpr int kMissingClientCapability = -32021;
inline constexpr int kUnsupportedProtocolVersion = -32022;

enum class Era { legacy, modern };

// Revision dates compare as strings: every version from 2026-07-28 on is modern.
inline bool is_modern_version(std::string_view version) {
  return version >= kFirstModernVersion;
}
bool is_supported_modern_version(std::string_view version);

// True when `params` makes a modern claim (its _meta names a protocol version,
// whatever the value). A claim with a malformed envelope is still modern: it
// gets -32602, never a silent legacy fallback.
bool has_modern_claim(const boost::json::object& params);
bool has_modern_claim(const boost::json::value& message);

// What a modern request says about itself.
struct ModernEnvelope {
  std::string version;
  boost::json::object client_capabilities;
  std::string client_name;              // "" when clientInfo is absent (allowed)
  std::optional<log::Level> log_level;  // absent: no notifications/message at all
};

// A request that cannot be served, with the JSON-RPC error that says why.
struct EnvelopeError {
  int code;
  std::string message;
  boost::json::value data;  // null when there is nothing more to say
};

// Reads the envelope of a claimed request: -32602 when a required key is
// missing or malformed, or the log level is unknown. The version is not
// checked here (see check_modern_version), because on HTTP the header
// cross-check (-32020) comes between the two.
std::optional<EnvelopeError> read_modern_envelope(const boost::json::object& params, ModernEnvelope& out);
// -32022 with data {supported, requested} when `version` is not served.
std::optional<EnvelopeError> check_modern_version(std::string_view version);

// How a method stands on the modern path.
enum class ModernMethod {
  served,   // answered as in every era (tools/call, resources/read, ...)
  removed,  // legacy only: initialize, ping, logging/setLevel, resources/(un)subscribe, ...
  unknown,
};
ModernMethod modern_method(std::string_view method);
// -32601 for a method the modern path does not serve, naming why.
EnvelopeError method_not_found(std::string_view method, ModernMethod kind);

// The six results that carry ttlMs and cacheScope.
bool is_cacheable_method(std::string_view method);

}  // namespace mcpd::protocol
