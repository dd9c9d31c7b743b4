#include <algorithm>
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/server_setup.hpp"
#include "loader/load_probe.hpp"
#include "log/logger.hpp"
#include "mcpd/sdk/json_pretty.hpp"

namespace mcpd::cli {
namespace json = boost::json;

namespace {

std::string abi_text(uint32_t v) {
  return std::to_string(MCPD_ABI_VERSION_MAJOR(v)) + "." + std::to_string(MCPD_ABI_VERSION_MINOR(v));
}

// Advice that does not stop the plugin from loading but will bite some client.
json::array problems_of(const registry::RegistrySnapshot& snapshot) {
  json::array problems;
  for (const auto& t : snapshot.tools()) {
    const auto& def = t.registration->definition;
    if (!def.contains("description"))
      problems.push_back(json::string("tool " + t.qualified_name +
                                      " has no description; agents cannot tell when to use it"));
    // Claude Code prefixes tool names with "mcp__<server>__" within a 64-character limit.
    std::string underscored = t.qualified_name;
    std::replace(underscored.begin(), underscored.end(), '.', '_');
    if (underscored.size() > 50)
      problems.push_back(
          json::string("tool " + t.qualified_name +
                       " has a long name; with a client prefix it may exceed the 64 characters some "
                       "clients allow"));
  }
  return problems;
}

json::array listed(const auto& entries) {
  json::array out;
  for (const auto& e : entries) out.push_back(e.listed);
  return out;
}

}  // namespace

int command_inspect(const std::vector<std::string>& args) {
  auto options = parse_common_options(args, {});
  if (options.positional.size() != 1) throw UsageError("plugin inspect needs exactly one FILE.so");
  const std::filesystem::path path = options.positional[0];
  if (!options.log_level) options.log_level = "warning";
  options.plugin_dirs.clear();
  options.plugin_files.clear();
  config::Config config = effective_config(options, "warning");

  // A corrupt file can crash the dynamic loader: it is test-loaded in a
  // child process first, so this command reports it instead of crashing.
  const auto probe =
      loader::probe_plugin_loads({path}, std::chrono::milliseconds(config.plugin_policy.probe_timeout_ms))[0];
  if (!probe.safe) {
    std::fprintf(stderr, "mcpd plugin inspect: %s: %s\n", path.c_str(), probe.problem.c_str());
    return 1;
  }
  std::string error;
  auto library = loader::NegotiatedLibrary::open(path, error);
  if (!library) {
    std::fprintf(stderr, "mcpd plugin inspect: %s: %s\n", path.c_str(), error.c_str());
    return 1;
  }
  loader::PluginInfo info = library->info();
  json::object section;
  if (auto it = config.plugin_config.find(info.plugin_namespace);
      it != config.plugin_config.end() && it->value().is_object())
    section = it->value().get_object();
  const auto formats =
      config.server.format_assertion ? schema::FormatMode::kAssertion : schema::FormatMode::kAnnotation;
  json::array problems;
  std::vector<std::string> section_errors;
  if (!info.config_schema.is_null()) {
    auto check = config::check_plugin_section(info.plugin_namespace, section, info.config_schema, formats);
    for (auto& e : check.errors) problems.push_back(json::string(e));
    for (auto& u : check.unknown_keys) problems.push_back(json::string(u));
    section_errors = std::move(check.errors);
  }
  auto plugin = loader::LoadedPlugin::start(std::move(library), section, section_errors,
                                            config.server.tool_name_separator, {}, formats, error);
  if (!plugin) {
    std::fprintf(stderr, "mcpd plugin inspect: %s: %s\n", path.c_str(), error.c_str());
    return 1;
  }
  auto built = registry::RegistrySnapshot::build({plugin}, config.server.tool_name_separator);
  if (!built.refused.empty()) {
    std::fprintf(stderr, "mcpd plugin inspect: %s: %s\n", path.c_str(), built.refused[0].reason.c_str());
    return 1;
  }
  const auto& snap = *built.snapshot;
  for (auto& p : problems_of(snap)) problems.push_back(p);
  json::array flags;
  if (info.serial()) flags.push_back("serial");
  if (info.unprefixed()) flags.push_back("unprefixed");
  json::object out{{"file", path.string()},
                   {"abi_version", abi_text(info.abi_version)},
                   {"namespace", info.plugin_namespace},
                   {"version", info.version},
                   {"description", info.description},
                   {"flags", std::move(flags)},
                   {"config_schema", info.config_schema},
                   {"tools", listed(snap.tools())},
                   {"resources", listed(snap.resources())},
                   {"resourceTemplates", listed(snap.templates())},
                   {"prompts", listed(snap.prompts())},
                   {"problems", std::move(problems)}};
  std::printf("%s\n", sdk::to_pretty_json_text(out).c_str());
  return 0;
}

}  // namespace mcpd::cli
