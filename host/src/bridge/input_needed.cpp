#include "bridge/input_needed.hpp"

namespace mcpd::bridge {
namespace json = boost::json;

std::string_view capability_for_input(std::string_view method) {
  if (method == "elicitation/create") return "elicitation";
  if (method == "sampling/createMessage") return "sampling";
  if (method == "roots/list") return "roots";
  return {};
}

std::optional<std::string> check_input_requests(const json::object& requests) {
  if (requests.empty()) return "there must be at least one input request";
  if (requests.size() > kMaxInputRequests)
    return "at most " + std::to_string(kMaxInputRequests) + " input requests may be asked at once";
  for (const auto& [key, request] : requests) {
    const std::string where = "input request \"" + std::string(key.substr(0, kMaxInputKeyBytes)) + "\"";
    if (key.empty() || key.size() > kMaxInputKeyBytes)
      return "input request keys must be 1.." + std::to_string(kMaxInputKeyBytes) + " bytes long";
    if (!request.is_object()) return where + " must be an object {\"method\", \"params\"}";
    const auto& object = request.get_object();
    const auto* method = object.if_contains("method");
    if (method == nullptr || !method->is_string() || capability_for_input(method->get_string()).empty())
      return where +
             ": \"method\" must be \"elicitation/create\", \"sampling/createMessage\" or \"roots/list\"";
    const auto* params = object.if_contains("params");
    if (params != nullptr && !params->is_object()) return where + ": \"params\" must be an object";
    if (params == nullptr && method->get_string() != "roots/list") return where + " needs \"params\"";
  }
  return std::nullopt;
}

json::object missing_input_capabilities(const json::object& requests, const json::object& client_capabilities) {
  json::object missing;
  for (const auto& [key, request] : requests) {
    const auto capability =
        capability_for_input(request.get_object().at("method").get_string());  // checked before
    if (!client_capabilities.contains(capability)) missing[capability] = json::object{};
  }
  return missing;
}

}  // namespace mcpd::bridge
