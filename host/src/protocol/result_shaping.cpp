#include "protocol/result_shaping.hpp"

#include "protocol/protocol_version.hpp"
#include "registry/app_views.hpp"

namespace mcpd::protocol {
namespace json = boost::json;

namespace {

constexpr int kLegacyResourceNotFound = -32002;

void shape_modern_result(json::object& result, const RequestContext& request, const CachePolicy& cache,
                         const ServerIdentity& server) {
  if (!result.contains("resultType")) result["resultType"] = "complete";
  json::value& meta = result["_meta"];
  if (!meta.is_object()) meta = json::object{};
  meta.get_object()[kMetaServerInfo] = json::object{{"name", server.name}, {"version", server.version}};
  if (is_cacheable_method(request.method) && result.at("resultType") == "complete") {
    const bool resource = request.method == "resources/read";
    // Lists and discover are the same for every caller, except that a client of MCP Apps also sees the
    // views and the tools only views call: a shared cache must not hand that list to anyone else. A
    // resource's content may be about the user, so only the client may keep it.
    const bool only_this_client = resource || (request.method != "server/discover" &&
                                               registry::declares_apps(request.client_capabilities));
    result["ttlMs"] = (resource ? cache.resources : cache.lists).count();
    result["cacheScope"] = only_this_client ? "private" : "public";
  }
}

void shape_modern_error(json::object& error) {
  // 2026-07-28 reports a missing resource as invalid params (SEP-2164).
  if (const auto* code = error.if_contains("code"); code != nullptr && *code == kLegacyResourceNotFound)
    error["code"] = -32602;
}

void shape_legacy_result(json::object& result, const RequestContext& request) {
  const std::string& version = request.version;
  if (request.method == "tools/call" && !has_structured_content(version)) result.erase("structuredContent");
  if (request.method != "tools/list") return;
  auto* tools = result.if_contains("tools");
  if (tools == nullptr || !tools->is_array()) return;
  // Fields a client of an older revision does not know are left out.
  for (auto& entry : tools->get_array()) {
    if (!entry.is_object()) continue;
    json::object& tool = entry.get_object();
    if (!has_structured_content(version)) tool.erase("outputSchema");
    if (!at_least(version, "2025-06-18")) tool.erase("title");
    if (!at_least(version, "2025-11-25")) tool.erase("icons");
    // execution.taskSupport speaks of the Tasks extension, which mcpd serves to 2026-07-28 requests
    // only; a 2025-11-25 client would read it as that revision's experimental tasks, which it does not.
    tool.erase("execution");
  }
}

}  // namespace

void shape_response(json::object& response, const RequestContext& request, const CachePolicy& cache,
                    const ServerIdentity& server) {
  if (auto* result = response.if_contains("result"); result != nullptr && result->is_object()) {
    if (request.modern())
      shape_modern_result(result->get_object(), request, cache, server);
    else
      shape_legacy_result(result->get_object(), request);
  } else if (auto* error = response.if_contains("error"); error != nullptr && error->is_object()) {
    if (request.modern()) shape_modern_error(error->get_object());
  }
}

}  // namespace mcpd::protocol
