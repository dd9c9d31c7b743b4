#include "protocol/era.hpp"

#include <algorithm>

namespace mcpd::protocol {
namespace json = boost::json;

namespace {

const json::object* meta_of(const json::object& params) {
  const auto* meta = params.if_contains("_meta");
  return meta != nullptr && meta->is_object() ? &meta->get_object() : nullptr;
}

EnvelopeError invalid_envelope(std::string message) {
  return {-32602, "Invalid params: " + std::move(message), nullptr};
}

json::array modern_versions() {
  json::array out;
  for (auto v : kModernVersions) out.emplace_back(v);
  return out;
}

}  // namespace

bool is_supported_modern_version(std::string_view version) {
  return std::find(kModernVersions.begin(), kModernVersions.end(), version) != kModernVersions.end();
}

bool has_modern_claim(const json::object& params) {
  const auto* meta = meta_of(params);
  return meta != nullptr && meta->contains(kMetaProtocolVersion);
}

bool has_modern_claim(const json::value& message) {
  if (!message.is_object()) return false;
  const auto* params = message.get_object().if_contains("params");
  return params != nullptr && params->is_object() && has_modern_claim(params->get_object());
}

std::optional<EnvelopeError> read_modern_envelope(const json::object& params, ModernEnvelope& out) {
  const auto* meta = meta_of(params);
  if (meta == nullptr)
    return invalid_envelope("the request has no params._meta object; a 2026-07-28 request carries \"" +
                            std::string(kMetaProtocolVersion) + "\" and \"" +
                            std::string(kMetaClientCapabilities) + "\" there");
  const auto* version = meta->if_contains(kMetaProtocolVersion);
  if (version == nullptr || !version->is_string())
    return invalid_envelope("_meta[\"" + std::string(kMetaProtocolVersion) +
                            "\"] must be a string naming the protocol version, e.g. \"2026-07-28\"");
  const auto* caps = meta->if_contains(kMetaClientCapabilities);
  if (caps == nullptr || !caps->is_object())
    return invalid_envelope("_meta[\"" + std::string(kMetaClientCapabilities) +
                            "\"] must be an object (send {} when the client declares no capability)");
  out.version = std::string(version->get_string());
  out.client_capabilities = caps->get_object();
  out.client_name.clear();
  if (const auto* info = meta->if_contains(kMetaClientInfo); info != nullptr && info->is_object())
    if (const auto* name = info->get_object().if_contains("name"); name != nullptr && name->is_string())
      out.client_name = std::string(name->get_string());
  out.log_level.reset();
  if (const auto* level = meta->if_contains(kMetaLogLevel); level != nullptr) {
    std::optional<log::Level> parsed;
    if (level->is_string()) parsed = log::parse_level(level->get_string());
    if (!parsed)
      return invalid_envelope("_meta[\"" + std::string(kMetaLogLevel) +
                              "\"] must be one of debug, info, notice, warning, error, critical, alert, "
                              "emergency (got " +
                              json::serialize(*level) + ")");
    out.log_level = parsed;
  }
  return std::nullopt;
}

std::optional<EnvelopeError> check_modern_version(std::string_view version) {
  if (is_supported_modern_version(version)) return std::nullopt;
  std::string supported;
  for (auto v : kModernVersions) supported += (supported.empty() ? "" : ", ") + std::string(v);
  return EnvelopeError{kUnsupportedProtocolVersion,
                       "Unsupported protocol version \"" + std::string(version) + "\": this server speaks " +
                           supported +
                           " (and, through initialize, 2025-11-25 back to 2024-11-05); retry with a listed "
                           "version",
                       json::object{{"supported", modern_versions()}, {"requested", version}}};
}

ModernMethod modern_method(std::string_view method) {
  static constexpr std::array<std::string_view, 13> kServed = {
      "server/discover",      "tools/list",     "tools/call",
      "resources/list",       "resources/read", "resources/templates/list",
      "prompts/list",         "prompts/get",    "completion/complete",
      "subscriptions/listen", "tasks/get",      "tasks/update",
      "tasks/cancel"};
  static constexpr std::array<std::string_view, 8> kRemoved = {"initialize",
                                                               "ping",
                                                               "logging/setLevel",
                                                               "resources/subscribe",
                                                               "resources/unsubscribe",
                                                               "tasks/result",
                                                               "tasks/list",
                                                               "notifications/initialized"};
  if (std::find(kServed.begin(), kServed.end(), method) != kServed.end()) return ModernMethod::served;
  if (std::find(kRemoved.begin(), kRemoved.end(), method) != kRemoved.end()) return ModernMethod::removed;
  return ModernMethod::unknown;
}

EnvelopeError method_not_found(std::string_view method, ModernMethod kind) {
  std::string message = "Method not found: \"" + std::string(method) + "\"";
  if (kind == ModernMethod::removed)
    message += " is not part of MCP 2026-07-28 (it belongs to the initialize-based revisions); drop the \"" +
               std::string(kMetaProtocolVersion) + "\" claim and open a session with initialize to use it";
  return {-32601, std::move(message), nullptr};
}

bool is_cacheable_method(std::string_view method) {
  return method == "server/discover" || method == "tools/list" || method == "prompts/list" ||
         method == "resources/list" || method == "resources/templates/list" || method == "resources/read";
}

}  // namespace mcpd::protocol
