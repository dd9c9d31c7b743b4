#include "config/closest_name.hpp"
#include "config/config.hpp"
#include "config/schema_walk.hpp"
#include "schema/instance_path.hpp"
#include "schema/validator.hpp"

#include <boost/json/array.hpp>
#include <boost/json/string.hpp>

namespace mcpd::config {
namespace json = boost::json;
using schema::detail::InstancePath;

namespace {

// Sections come from a depth-limited parser; this bound only protects against hand-built documents.
constexpr std::size_t kMaxSectionDepth = 128;

std::string setting_path(std::string_view plugin_namespace, const std::string& relative) {
  std::string out = "plugin_config." + std::string(plugin_namespace);
  if (!relative.empty()) out += (relative.front() == '[' ? "" : ".") + relative;
  return out;
}

class UnknownKeyFinder {
 public:
  UnknownKeyFinder(const detail::SchemaWalk& walk, std::string_view plugin_namespace,
                   std::vector<std::string>& out)
      : walk_(walk), namespace_(plugin_namespace), out_(out) {}

  void object(const detail::SchemaSet& schemas, const json::object& section, const InstancePath& path,
              std::size_t depth) {
    if (depth > kMaxSectionDepth) return;
    for (const auto& member : section) {
      const InstancePath here = path.member(member.key());
      const detail::KeyLookup key = walk_.key(schemas, member.key());
      if (key.status == detail::KeyStatus::kUndeclared) {
        report(schemas, member.key(), here);
      } else if (key.status == detail::KeyStatus::kDeclared) {
        value(key.schemas, member.value(), here, depth + 1);
      }
    }
  }

 private:
  void value(const detail::SchemaSet& schemas, const json::value& v, const InstancePath& path,
             std::size_t depth) {
    if (v.is_object()) {
      object(schemas, v.get_object(), path, depth);
    } else if (v.is_array()) {
      const auto& items = v.get_array();
      for (std::size_t i = 0; i < items.size(); ++i)
        value(walk_.item(schemas, i), items[i], path.element(i), depth + 1);
    }
  }

  void report(const detail::SchemaSet& schemas, std::string_view key, const InstancePath& here) {
    std::string sentence = setting_path(namespace_, here.render()) + " is not a setting of plugin \"" +
                           std::string(namespace_) + "\" and is ignored";
    const std::vector<std::string> names = walk_.declared_names(schemas);
    const std::vector<std::string_view> views(names.begin(), names.end());
    if (const auto suggestion = detail::closest_name(key, views)) {
      sentence += "; did you mean \"" + *suggestion + "\"?";
    } else {
      sentence += ".";
    }
    out_.push_back(std::move(sentence));
  }

  const detail::SchemaWalk& walk_;
  std::string_view namespace_;
  std::vector<std::string>& out_;
};

json::value redacted(const detail::SchemaWalk& walk, const detail::SchemaSet& schemas, const json::value& v,
                     std::size_t depth) {
  if (depth > kMaxSectionDepth) return v;
  if (v.is_object()) {
    json::object out;
    for (const auto& member : v.get_object()) {
      const detail::KeyLookup key = walk.key(schemas, member.key());
      out[member.key()] = walk.is_write_only(key.schemas)
                              ? json::value("***")
                              : redacted(walk, key.schemas, member.value(), depth + 1);
    }
    return out;
  }
  if (v.is_array()) {
    json::array out;
    const auto& items = v.get_array();
    for (std::size_t i = 0; i < items.size(); ++i) {
      const detail::SchemaSet item_schemas = walk.item(schemas, i);
      out.push_back(walk.is_write_only(item_schemas) ? json::value("***")
                                                     : redacted(walk, item_schemas, items[i], depth + 1));
    }
    return out;
  }
  return v;
}

}  // namespace

SectionReport check_plugin_section(std::string_view plugin_namespace, const json::object& section,
                                   const json::value& config_schema, schema::FormatMode formats) {
  SectionReport report;
  if (config_schema.is_null()) return report;
  schema::CompiledSchema compiled;
  try {
    compiled = schema::CompiledSchema::compile(config_schema, schema::CompileOptions{formats, nullptr});
  } catch (const schema::SchemaError& e) {
    report.errors.push_back("plugin \"" + std::string(plugin_namespace) +
                            "\" declares a config schema that cannot be used (" + e.what() +
                            "), so its settings cannot be checked.");
    return report;
  }
  // The validator itself never echoes values under "writeOnly" schemas, so these sentences are secret-free.
  for (const auto& error : compiled.validate_all(json::value(section))) {
    report.errors.push_back(setting_path(plugin_namespace, error.path) + ": " + error.message);
  }
  const detail::SchemaWalk walk(config_schema);
  UnknownKeyFinder(walk, plugin_namespace, report.unknown_keys)
      .object({&config_schema}, section, InstancePath{}, 0);
  return report;
}

json::object redact_secrets(const json::object& section, const json::value& config_schema) {
  const detail::SchemaWalk walk(config_schema);
  return redacted(walk, {&config_schema}, json::value(section), 0).get_object();
}

}  // namespace mcpd::config
