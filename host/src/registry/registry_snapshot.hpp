#pragma once
// An immutable view of everything the loaded plugins offer, with the names
// clients see. Built once per (re)load and published whole; a request pins the
// snapshot it started with, and each entry pins the plugin it came from.
#include <boost/json.hpp>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "loader/plugin_library.hpp"

namespace mcpd::registry {

struct ToolEntry {
  std::string qualified_name;  // "namespace.tool"
  std::string published_name;  // what tools/list shows
  boost::json::object listed;  // the full Tool object for tools/list
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

class RegistrySnapshot {
 public:
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

 private:
  void sort_lists();

  std::vector<std::shared_ptr<loader::LoadedPlugin>> plugins_;
  std::vector<ToolEntry> tools_;
  std::vector<PromptEntry> prompts_;
  std::vector<ResourceEntry> resources_;
  std::vector<TemplateEntry> templates_;
  std::unordered_map<std::string, std::size_t> tool_index_;
  std::unordered_map<std::string, std::size_t> prompt_index_;
  std::unordered_map<std::string, std::size_t> resource_index_;
};

}  // namespace mcpd::registry
