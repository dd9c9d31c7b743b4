#include "registry/app_views.hpp"

namespace mcpd::registry {
namespace json = boost::json;

namespace {

constexpr std::string_view kDeprecatedResourceUri = "ui/resourceUri";

const json::object* object_at(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value != nullptr ? value->if_object() : nullptr;
}

}  // namespace

bool declares_apps(const json::object& client_capabilities) {
  const auto* extensions = object_at(client_capabilities, "extensions");
  const auto* apps = extensions != nullptr ? object_at(*extensions, kAppsExtension) : nullptr;
  if (apps == nullptr) return false;
  const auto* mime_types = apps->if_contains("mimeTypes");
  if (mime_types == nullptr || !mime_types->is_array()) return true;
  for (const auto& type : mime_types->get_array())
    if (type.is_string() && type.get_string() == kAppMimeType) return true;
  return false;
}

bool is_app_only_tool(const json::object& tool) {
  const auto* meta = object_at(tool, "_meta");
  const auto* ui = meta != nullptr ? object_at(*meta, "ui") : nullptr;
  const auto* visibility = ui != nullptr ? ui->if_contains("visibility") : nullptr;
  if (visibility == nullptr || !visibility->is_array()) return false;
  for (const auto& audience : visibility->get_array())
    if (audience.is_string() && audience.get_string() == "model") return false;
  return true;
}

std::optional<json::object> without_app_meta(const json::object& tool) {
  const auto* meta = object_at(tool, "_meta");
  if (meta == nullptr || (!meta->contains("ui") && !meta->contains(kDeprecatedResourceUri)))
    return std::nullopt;
  json::object plain = tool;
  json::object& plain_meta = plain["_meta"].get_object();
  plain_meta.erase("ui");
  plain_meta.erase(kDeprecatedResourceUri);
  if (plain_meta.empty()) plain.erase("_meta");
  return plain;
}

bool is_app_view(const json::object& resource) {
  const auto* mime_type = resource.if_contains("mimeType");
  return mime_type != nullptr && mime_type->is_string() && mime_type->get_string() == kAppMimeType;
}

void carry_view_meta(const json::object& listed_resource, json::object& read_result) {
  const auto* meta = object_at(listed_resource, "_meta");
  const auto* ui = meta != nullptr ? meta->if_contains("ui") : nullptr;
  const auto* uri = listed_resource.if_contains("uri");
  auto* contents = read_result.if_contains("contents");
  if (ui == nullptr || uri == nullptr || contents == nullptr || !contents->is_array()) return;
  for (auto& entry : contents->get_array()) {
    auto* content = entry.if_object();
    if (content == nullptr || content->contains("_meta")) continue;
    if (const auto* at = content->if_contains("uri"); at != nullptr && *at == *uri)
      (*content)["_meta"] = json::object{{"ui", *ui}};
  }
}

}  // namespace mcpd::registry
