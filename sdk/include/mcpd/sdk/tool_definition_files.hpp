#pragma once
/// \file
/// Tool definitions as JSON files (one per tool, beside its handler, embedded at build time with the CMake
/// function mcpd_embed_text_files) that share schema fragments and name other tools as the client sees
/// them.
///
/// A definition file is a whole MCP Tool object: "name", "description", "inputSchema" and the optional
/// members tool_spec_from_object takes. Two things are resolved when it is loaded:
///  - `{{namespace.tool}}` anywhere in the text becomes that tool's published name (host::published_name),
///    so a description says `tracking_capture` to a client that calls it that;
///  - `{"$ref": "shared#/$defs/NAME"}` names a fragment of the shared file. Inside one schema a fragment
///    used once is written in place (the referring object's own keywords, e.g. its description, win); one
///    used more often becomes the schema's own `$defs` entry NAME and the reference `#/$defs/NAME`, so
///    what the agent reads carries each shared piece once.

#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>

#include "host.hpp"
#include "json_util.hpp"
#include "tool_spec_json.hpp"

namespace mcpd::sdk {

class tool_definition_files {
 public:
  /// `shared_json`: an object whose "$defs" holds the fragments (other members are ignored).
  tool_definition_files(host services, std::string_view shared_json) : host_(services) {
    const json::object shared = parse_definition(with_published_names(shared_json, "the shared definitions"),
                                                 "the shared definitions");
    if (const auto* defs = shared.if_contains("$defs"); defs != nullptr && defs->is_object()) {
      for (const auto& [name, fragment] : defs->get_object()) fragments_[std::string(name)] = fragment;
    }
  }

  /// Adds (or replaces) a fragment kept elsewhere, e.g. a schema the plugin's configuration shares.
  void add_fragment(std::string name, json::value fragment) {
    fragments_[std::move(name)] = std::move(fragment);
  }

  /// The tool_spec of one definition file's text. Throws std::logic_error naming the file's tool when the
  /// text is not a Tool object, names an unknown fragment or an unknown placeholder.
  tool_spec load(std::string_view definition_json) const {
    json::object tool =
        parse_definition(with_published_names(definition_json, "a tool definition"), "a tool definition");
    const std::string name = string_member(tool, "name");
    const std::string description = string_member(tool, "description");
    tool.erase("name");
    tool.erase("description");
    for (const char* schema : {"inputSchema", "outputSchema"}) {
      if (auto* value = tool.if_contains(schema)) *value = resolve_fragments(*value, name);
    }
    return tool_spec_from_object(name, description, tool);
  }

  /// `text` with every `{{namespace.tool}}` replaced by the tool's published name.
  std::string with_published_names(std::string_view text, std::string_view what) const {
    std::string out;
    out.reserve(text.size());
    std::size_t at = 0;
    while (true) {
      const std::size_t open = text.find("{{", at);
      if (open == std::string_view::npos) break;
      const std::size_t close = text.find("}}", open + 2);
      const std::string_view inside =
          close == std::string_view::npos ? std::string_view{} : text.substr(open + 2, close - open - 2);
      const std::size_t dot = inside.find('.');
      if (dot == std::string_view::npos || dot == 0 || dot + 1 == inside.size() ||
          inside.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") !=
              std::string_view::npos) {
        throw std::logic_error(std::string(what) + ": \"{{\" must start a tool placeholder such as " +
                               "{{namespace.tool}}; found \"" + std::string(text.substr(open, 40)) + "\"");
      }
      out.append(text.substr(at, open - at));
      out.append(host_.published_name(inside.substr(0, dot), inside.substr(dot + 1)));
      at = close + 2;
    }
    out.append(text.substr(at));
    return out;
  }

 private:
  static constexpr std::string_view shared_prefix = "shared#/$defs/";

  static json::object parse_definition(const std::string& text, std::string_view what) {
    try {
      return parse_object(text);
    } catch (const std::exception& bad_json) {
      throw std::logic_error(std::string(what) + " is not a JSON object: " + bad_json.what());
    }
  }

  static std::string string_member(const json::object& tool, std::string_view key) {
    const auto* value = tool.if_contains(key);
    if (value == nullptr || !value->is_string() || value->get_string().empty()) {
      throw std::logic_error("a tool definition has no \"" + std::string(key) + "\" string");
    }
    return std::string(value->get_string());
  }

  // The fragment a reference names, or "" when `node` is not a shared reference.
  static std::string shared_name(const json::value& node) {
    if (!node.is_object()) return {};
    const auto* ref = node.get_object().if_contains("$ref");
    if (ref == nullptr || !ref->is_string()) return {};
    const std::string_view target(ref->get_string().data(), ref->get_string().size());
    if (!target.starts_with(shared_prefix)) return {};
    return std::string(target.substr(shared_prefix.size()));
  }

  const json::value& fragment(const std::string& name, const std::string& tool) const {
    const auto found = fragments_.find(name);
    if (found == fragments_.end()) {
      throw std::logic_error("tool definition of " + tool + ": no shared fragment \"" + name + "\"");
    }
    return found->second;
  }

  // How often each fragment is referred to once every fragment the schema reaches is written out once.
  void count_references(const json::value& node, const std::string& tool, std::map<std::string, int>& uses,
                        std::set<std::string>& reached) const {
    if (const std::string name = shared_name(node); !name.empty()) {
      ++uses[name];
      if (reached.insert(name).second) count_references(fragment(name, tool), tool, uses, reached);
    }
    if (node.is_object()) {
      for (const auto& [key, child] : node.get_object()) count_references(child, tool, uses, reached);
    } else if (node.is_array()) {
      for (const auto& child : node.get_array()) count_references(child, tool, uses, reached);
    }
  }

  json::value expand(const json::value& node, const std::string& tool, const std::map<std::string, int>& uses,
                     json::object& defs) const {
    if (const std::string name = shared_name(node); !name.empty()) {
      json::object siblings = node.get_object();
      siblings.erase("$ref");
      if (uses.at(name) == 1) {
        json::value inlined = expand(fragment(name, tool), tool, uses, defs);
        if (!inlined.is_object()) return inlined;
        for (auto& [key, value] : siblings) inlined.get_object()[key] = expand(value, tool, uses, defs);
        return inlined;
      }
      if (!defs.contains(name)) {
        defs[name] = json::object{};  // placed first, so a fragment that refers to itself ends
        defs[name] = expand(fragment(name, tool), tool, uses, defs);
      }
      json::object reference{{"$ref", "#/$defs/" + name}};
      for (auto& [key, value] : siblings) reference[key] = expand(value, tool, uses, defs);
      return reference;
    }
    if (node.is_object()) {
      json::object out;
      for (const auto& [key, child] : node.get_object()) out[key] = expand(child, tool, uses, defs);
      return out;
    }
    if (node.is_array()) {
      json::array out;
      for (const auto& child : node.get_array()) out.push_back(expand(child, tool, uses, defs));
      return out;
    }
    return node;
  }

  json::value resolve_fragments(const json::value& schema, const std::string& tool) const {
    std::map<std::string, int> uses;
    std::set<std::string> reached;
    count_references(schema, tool, uses, reached);
    if (uses.empty()) return schema;
    json::object defs;
    json::value out = expand(schema, tool, uses, defs);
    if (defs.empty()) return out;
    if (!out.is_object())
      throw std::logic_error("tool definition of " + tool + ": a schema must be an object");
    json::object& root = out.get_object();
    json::object merged;
    if (const auto* own = root.if_contains("$defs"); own != nullptr && own->is_object())
      merged = own->get_object();
    for (auto& [name, value] : defs) {
      if (merged.contains(name)) {
        throw std::logic_error("tool definition of " + tool + ": its own $defs already has \"" +
                               std::string(name) + "\", the name of a shared fragment it uses twice");
      }
      merged[name] = std::move(value);
    }
    root["$defs"] = std::move(merged);
    return out;
  }

  host host_;
  std::map<std::string, json::value> fragments_;
};

}  // namespace mcpd::sdk
