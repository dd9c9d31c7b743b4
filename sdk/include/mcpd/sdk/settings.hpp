// Typed plugin settings: the plugin's configuration section (plugin_config.<namespace>) read into a struct
// whose fields() declare each setting once, as typed tool arguments do (typed.hpp). That one declaration
// gives the config schema the host checks the section against and `mcpd plugin inspect` shows, the
// conversion, and the default of every setting left out.
//
//   struct weather_settings {
//     std::string api_key;                                 // no default: "" until the operator sets it
//     std::string base_url = "https://api.example.com";   // the default, advertised as "default"
//     int timeout_ms = 30000;
//     static auto fields() {
//       return std::tuple{
//           sdk::field(&weather_settings::api_key, "api_key", "API key").with("writeOnly", true).optional(),
//           sdk::field(&weather_settings::base_url, "base_url", "Service URL").optional(),
//           sdk::field(&weather_settings::timeout_ms, "timeout_ms", "").with("minimum", 100).optional()};
//     }
//   };
//   class weather_plugin final : public sdk::plugin {
//    public:
//     using settings = weather_settings;  // MCPD_PLUGIN publishes its schema as the config schema
//     void init(const json::object& config, sdk::registry& reg) override {
//       const auto view = read_settings<settings>(config);
//       // view.value: every valid setting as given, every other one at its default.
//       // view.problems: what is wrong, each naming the setting; view.error_result() for the tools.
//     }
//   };
#ifndef MCPD_SDK_SETTINGS_HPP
#define MCPD_SDK_SETTINGS_HPP

#include <mcpd/sdk/plugin.hpp>
#include <mcpd/sdk/tool_result.hpp>
#include <mcpd/sdk/typed.hpp>

#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace mcpd::sdk {

/// A plugin's settings as read: usable values, and what the operator has to fix.
template <class T>
struct settings_view {
  /// Every setting that was given and valid, every other one at the struct's default, so the plugin can
  /// always run on it.
  T value{};
  /// One sentence per problem, each starting with the setting it is about:
  /// "plugin_config.weather.timeout_ms: must be >= 100, got 5". The host's findings (host::config_problems)
  /// come first; the SDK adds what it found reading a setting the host did not already report (a host
  /// older than ABI 1.4 reports none).
  std::vector<std::string> problems;

  [[nodiscard]] bool ok() const noexcept { return problems.empty(); }

  /// The problems as one message for an operator, saying where to fix them.
  [[nodiscard]] std::string describe_problems() const {
    std::string text = "the operator must fix this plugin's settings: ";
    for (std::size_t i = 0; i < problems.size(); ++i) text += (i ? "; " : "") + problems[i];
    return text +
           ". Correct mcpd's config file (or the environment variable that sets the value) and reload "
           "the plugin (mcpd plugin reload, or SIGHUP).";
  }

  /// What a tool that needs the settings answers while they are wrong: an isError result with
  /// describe_problems(), so the agent can tell its user exactly what to fix.
  [[nodiscard]] tool_result error_result() const { return tool_result::error(describe_problems()); }
};

namespace detail {

// Whether a problem sentence is about `setting` (a full path such as "plugin_config.weather.timeout_ms") or
// something inside it.
inline bool is_about(std::string_view problem, std::string_view setting) {
  if (problem.substr(0, setting.size()) != setting || problem.size() == setting.size()) return false;
  const char next = problem[setting.size()];
  return next == ':' || next == '.' || next == '[';
}

// A generated config schema leaves objects open: a key the plugin does not declare is the operator's typo
// or a setting of a newer version of the plugin, which the host reports as a warning with a suggestion,
// not a reason to refuse the whole section.
inline void open_objects(json::object& schema) {
  schema.erase("additionalProperties");
  if (auto* properties = schema.if_contains("properties"); properties && properties->is_object())
    for (auto& property : properties->get_object())
      if (property.value().is_object()) open_objects(property.value().get_object());
  if (auto* items = schema.if_contains("items"); items && items->is_object())
    open_objects(items->get_object());
}

}  // namespace detail

/// The config schema of a settings struct: schema_of<T>() with objects left open (see open_objects).
template <detail::has_fields T>
[[nodiscard]] json::object settings_schema() {
  json::object schema = schema_of<T>();
  detail::open_objects(schema);
  return schema;
}

/// Reads `section` (the plugin's configuration section) into T. `host_problems` are what the host found
/// checking the section against the config schema: each setting they name keeps its default. A setting
/// that cannot be read keeps its default and adds a problem naming it as
/// "plugin_config.<plugin_namespace>.<setting>". Never throws for a bad value.
template <detail::has_fields T>
[[nodiscard]] settings_view<T> read_settings(const json::object& section, std::string_view plugin_namespace,
                                             std::vector<std::string> host_problems = {}) {
  settings_view<T> view;
  view.problems = std::move(host_problems);
  const std::size_t reported_by_host = view.problems.size();
  const std::string prefix = "plugin_config." + std::string(plugin_namespace) + ".";
  std::apply(
      [&](const auto&... f) {
        (
            [&] {
              using M = std::remove_cvref_t<decltype(view.value.*(f.member))>;
              const std::string setting = prefix + std::string(f.name);
              for (std::size_t i = 0; i < reported_by_host; ++i)
                if (detail::is_about(view.problems[i], setting)) return;  // the default stays
              const json::value* given = section.if_contains(f.name);
              if (given == nullptr || (given->is_null() && detail::is_optional<M>::value)) {
                if (f.required && !detail::is_optional<M>::value)
                  view.problems.push_back(setting + ": required, and not set");
                return;
              }
              try {
                view.value.*(f.member) = detail::from_json<M>(*given, f.name);
              } catch (const detail::value_problem& wrong) {
                view.problems.push_back(prefix + wrong.path + ": " + wrong.problem);
              }
            }(),
            ...);
      },
      T::fields());
  return view;
}

template <class T>
settings_view<T> plugin::read_settings(const json::object& config) const {
  static_assert(detail::has_fields<T>, "read_settings<T>: T must be a struct with `static auto fields()`");
  return sdk::read_settings<T>(config, plugin_namespace_, host_.config_problems());
}

}  // namespace mcpd::sdk

#endif  // MCPD_SDK_SETTINGS_HPP
