#pragma once
// An immutable view of everything the loaded plugins offer, with the names
// clients see. Built once per (re)load and published whole; a request pins the
// snapshot it started with, and each entry pins the plugin it came from.
#include <array>
#include <boost/json.hpp>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "loader/plugin_library.hpp"

namespace mcpd::registry {

struct ToolEntry {
  std::string qualified_name;  // "namespace.tool"
  std::string published_name;  // what tools/list shows
  boost::json::object listed;  // the full Tool object for tools/list
  // For a client without MCP Apps (registry/app_views.hpp): the Tool object without _meta.ui, when it
  // has one, and whether the tool is the views' alone (then that client neither sees nor calls it).
  std::optional<boost::json::object> listed_plain;
  bool app_only = false;
  const loader::ToolRegistration* registration = nullptr;
  std::shared_ptr<loader::LoadedPlugin> plugin;
};

struct PromptEntry {
  std::string qualified_name;
  std::string published_name;
  boost::json::object listed;
  const loader::PromptRegistration* registration = nullptr;
  std::shared_ptr<loader::LoadedPlugin> plugin;
};

struct ResourceEntry {
  boost::json::object listed;
  const loader::ResourceRegistration* registration = nullptr;
  std::shared_ptr<loader::LoadedPlugin> plugin;
};

struct TemplateEntry {
  boost::json::object listed;
  const loader::TemplateRegistration* registration = nullptr;
  std::shared_ptr<loader::LoadedPlugin> plugin;
};

struct RefusedPlugin {
  std::filesystem::path path;
  std::string reason;
};

// The four */list results, and who asks: a client that declared MCP Apps, or any other.
enum class ListKind { tools, prompts, resources, templates };
enum class Audience { apps, plain };

class RegistrySnapshot {
 public:
  RegistrySnapshot() = default;
  RegistrySnapshot(const RegistrySnapshot&) = delete;  // listings_ point into the entries
  RegistrySnapshot& operator=(const RegistrySnapshot&) = delete;

  struct BuildResult {
    std::shared_ptr<const RegistrySnapshot> snapshot;
    std::vector<RefusedPlugin> refused;  // name collisions, in load order
  };
  // Plugins are taken in order; a plugin whose names collide with an earlier
  // one's (after separator mapping) is refused as a whole.
  static BuildResult build(const std::vector<std::shared_ptr<loader::LoadedPlugin>>& plugins,
                           std::string_view separator);

  // Accepts the published name and the qualified "namespace.tool" form.
  const ToolEntry* find_tool(std::string_view name) const;
  const PromptEntry* find_prompt(std::string_view name) const;
  const ResourceEntry* find_resource(std::string_view uri) const;
  // The template that matches `uri`, with its variables.
  const TemplateEntry* match_template(std::string_view uri, boost::json::object& variables) const;
  const TemplateEntry* find_template(std::string_view uri_template) const;

  const std::vector<ToolEntry>& tools() const { return tools_; }
  const std::vector<PromptEntry>& prompts() const { return prompts_; }
  const std::vector<ResourceEntry>& resources() const { return resources_; }
  const std::vector<TemplateEntry>& templates() const { return templates_; }
  const std::vector<std::shared_ptr<loader::LoadedPlugin>>& plugins() const { return plugins_; }

  // The objects of one list as `audience` sees it, in list order: a plain client gets no app-only tool,
  // no view resource or template, and tools without _meta.ui.
  const std::vector<const boost::json::object*>& listing(ListKind kind, Audience audience) const {
    return listings_[static_cast<std::size_t>(kind)][static_cast<std::size_t>(audience)];
  }

 private:
  void sort_lists();
  void make_listings();

  std::vector<std::shared_ptr<loader::LoadedPlugin>> plugins_;
  std::vector<ToolEntry> tools_;
  std::vector<PromptEntry> prompts_;
  std::vector<ResourceEntry> resources_;
  std::vector<TemplateEntry> templates_;
  std::unordered_map<std::string, std::size_t> tool_index_;
  std::unordered_map<std::string, std::size_t> prompt_index_;
  std::unordered_map<std::string, std::size_t> resource_index_;
  std::array<std::array<std::vector<const boost::json::object*>, 2>, 4> listings_;
};

}  // namespace mcpd::registry
