#include "registry/registry_snapshot.hpp"

#include <algorithm>

#include "registry/app_views.hpp"
#include "registry/tool_names.hpp"

namespace mcpd::registry {
namespace json = boost::json;
namespace {

std::string owner_of(const std::shared_ptr<loader::LoadedPlugin>& p) {
  return "plugin \"" + p->info().plugin_namespace + "\" (" + p->info().path.string() + ")";
}

// The listed object with its identifying key first, as people read it.
json::object with_first(std::string_view key, std::string_view value, const json::object& rest) {
  json::object out;
  out.reserve(rest.size() + 1);
  out[key] = value;
  for (const auto& [k, v] : rest) out[k] = v;
  return out;
}

}  // namespace

RegistrySnapshot::BuildResult RegistrySnapshot::build(
    const std::vector<std::shared_ptr<loader::LoadedPlugin>>& plugins, std::string_view separator) {
  auto snap = std::make_shared<RegistrySnapshot>();
  BuildResult result;
  // Which plugin owns each accepted key, to name the other side of a collision.
  std::unordered_map<std::string, std::shared_ptr<loader::LoadedPlugin>> tool_owner, prompt_owner, uri_owner;

  for (const auto& plugin : plugins) {
    const auto& info = plugin->info();
    const auto& regs = plugin->registrations();
    std::string collision;
    auto check = [&](const std::unordered_map<std::string, std::shared_ptr<loader::LoadedPlugin>>& owners,
                     const std::string& key, std::string_view kind) {
      if (!collision.empty()) return;
      if (auto it = owners.find(key); it != owners.end())
        collision = std::string(kind) + " name \"" + key + "\" collides with the same name from " +
                    owner_of(it->second);
    };
    std::vector<std::string> tool_keys, prompt_keys;
    for (const auto& t : regs.tools) {
      std::string pub = published_name(info.plugin_namespace, t.name, separator, info.unprefixed());
      std::string qual = qualified_name(info.plugin_namespace, t.name);
      if (pub.size() > kMaxPublishedName && collision.empty())
        collision =
            "tool name \"" + pub + "\" is longer than " + std::to_string(kMaxPublishedName) + " characters";
      check(tool_owner, pub, "tool");
      check(tool_owner, qual, "tool");
      for (const auto& k : tool_keys)
        if ((k == pub || k == qual) && collision.empty())
          collision = "two tools of this plugin map to the same name \"" + k + "\" with separator \"" +
                      std::string(separator) + "\"";
      tool_keys.push_back(pub);
      if (qual != pub) tool_keys.push_back(qual);
    }
    for (const auto& p : regs.prompts) {
      std::string pub = published_name(info.plugin_namespace, p.name, separator, info.unprefixed());
      std::string qual = qualified_name(info.plugin_namespace, p.name);
      check(prompt_owner, pub, "prompt");
      check(prompt_owner, qual, "prompt");
      prompt_keys.push_back(pub);
      if (qual != pub) prompt_keys.push_back(qual);
    }
    for (const auto& r : regs.resources) check(uri_owner, r.uri, "resource URI");
    for (const auto& t : regs.templates) check(uri_owner, t.uri_template.text(), "resource template");
    if (!collision.empty()) {
      result.refused.push_back({info.path, collision});
      continue;
    }

    snap->plugins_.push_back(plugin);
    for (const auto& t : regs.tools) {
      ToolEntry e;
      e.qualified_name = qualified_name(info.plugin_namespace, t.name);
      e.published_name = published_name(info.plugin_namespace, t.name, separator, info.unprefixed());
      e.listed = with_first("name", e.published_name, t.definition);
      e.listed_plain = without_app_meta(e.listed);
      e.app_only = is_app_only_tool(e.listed);
      e.registration = &t;
      e.plugin = plugin;
      std::size_t index = snap->tools_.size();
      snap->tool_index_[e.published_name] = index;
      snap->tool_index_[e.qualified_name] = index;
      tool_owner[e.published_name] = plugin;
      tool_owner[e.qualified_name] = plugin;
      snap->tools_.push_back(std::move(e));
    }
    for (const auto& p : regs.prompts) {
      PromptEntry e;
      e.qualified_name = qualified_name(info.plugin_namespace, p.name);
      e.published_name = published_name(info.plugin_namespace, p.name, separator, info.unprefixed());
      e.listed = with_first("name", e.published_name, p.definition);
      e.registration = &p;
      e.plugin = plugin;
      std::size_t index = snap->prompts_.size();
      snap->prompt_index_[e.published_name] = index;
      snap->prompt_index_[e.qualified_name] = index;
      prompt_owner[e.published_name] = plugin;
      prompt_owner[e.qualified_name] = plugin;
      snap->prompts_.push_back(std::move(e));
    }
    for (const auto& r : regs.resources) {
      ResourceEntry e{with_first("uri", r.uri, r.definition), &r, plugin};
      snap->resource_index_[r.uri] = snap->resources_.size();
      uri_owner[r.uri] = plugin;
      snap->resources_.push_back(std::move(e));
    }
    for (const auto& t : regs.templates) {
      TemplateEntry e{with_first("uriTemplate", t.uri_template.text(), t.definition), &t, plugin};
      uri_owner[t.uri_template.text()] = plugin;
      snap->templates_.push_back(std::move(e));
    }
  }
  snap->sort_lists();
  snap->make_listings();
  result.snapshot = std::move(snap);
  return result;
}

void RegistrySnapshot::sort_lists() {
  // Lists in name order, whatever order plugins were loaded or swapped in:
  // clients and gateways compare and cache them, and 2026-07-28 asks for a
  // deterministic tools/list. Templates keep their order: it is the order in
  // which they are matched.
  auto by_name = [](const auto& a, const auto& b) { return a.published_name < b.published_name; };
  std::stable_sort(tools_.begin(), tools_.end(), by_name);
  std::stable_sort(prompts_.begin(), prompts_.end(), by_name);
  std::stable_sort(resources_.begin(), resources_.end(), [](const ResourceEntry& a, const ResourceEntry& b) {
    return a.registration->uri < b.registration->uri;
  });
  tool_index_.clear();
  for (std::size_t i = 0; i < tools_.size(); ++i) {
    tool_index_[tools_[i].published_name] = i;
    tool_index_[tools_[i].qualified_name] = i;
  }
  prompt_index_.clear();
  for (std::size_t i = 0; i < prompts_.size(); ++i) {
    prompt_index_[prompts_[i].published_name] = i;
    prompt_index_[prompts_[i].qualified_name] = i;
  }
  resource_index_.clear();
  for (std::size_t i = 0; i < resources_.size(); ++i) resource_index_[resources_[i].registration->uri] = i;
}

void RegistrySnapshot::make_listings() {
  auto& tools = listings_[static_cast<std::size_t>(ListKind::tools)];
  for (const auto& t : tools_) {
    tools[static_cast<std::size_t>(Audience::apps)].push_back(&t.listed);
    if (!t.app_only)
      tools[static_cast<std::size_t>(Audience::plain)].push_back(t.listed_plain ? &*t.listed_plain
                                                                                : &t.listed);
  }
  auto add_all = [this](ListKind kind, const auto& entries) {
    auto& listing = listings_[static_cast<std::size_t>(kind)];
    for (const auto& e : entries) {
      listing[static_cast<std::size_t>(Audience::apps)].push_back(&e.listed);
      if (!is_app_view(e.listed)) listing[static_cast<std::size_t>(Audience::plain)].push_back(&e.listed);
    }
  };
  add_all(ListKind::prompts, prompts_);
  add_all(ListKind::resources, resources_);
  add_all(ListKind::templates, templates_);
}

const ToolEntry* RegistrySnapshot::find_tool(std::string_view name) const {
  auto it = tool_index_.find(std::string(name));
  return it == tool_index_.end() ? nullptr : &tools_[it->second];
}

const PromptEntry* RegistrySnapshot::find_prompt(std::string_view name) const {
  auto it = prompt_index_.find(std::string(name));
  return it == prompt_index_.end() ? nullptr : &prompts_[it->second];
}

const ResourceEntry* RegistrySnapshot::find_resource(std::string_view uri) const {
  auto it = resource_index_.find(std::string(uri));
  return it == resource_index_.end() ? nullptr : &resources_[it->second];
}

const TemplateEntry* RegistrySnapshot::match_template(std::string_view uri, json::object& variables) const {
  for (const auto& t : templates_) {
    if (auto vars = t.registration->uri_template.match(uri)) {
      variables = std::move(*vars);
      return &t;
    }
  }
  return nullptr;
}

const TemplateEntry* RegistrySnapshot::find_template(std::string_view uri_template) const {
  for (const auto& t : templates_)
    if (t.registration->uri_template.text() == uri_template) return &t;
  return nullptr;
}

}  // namespace mcpd::registry
