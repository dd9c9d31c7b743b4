// mcpd::sdk::host: the host services available for the plugin's whole life (wraps mcpd_host_api).
#ifndef MCPD_SDK_HOST_HPP
#define MCPD_SDK_HOST_HPP

#include <mcpd/sdk/detail/abi.hpp>
#include <mcpd/sdk/detail/json_text.hpp>
#include <mcpd/sdk/error.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace mcpd::sdk {

/// Services for the plugin's whole life. Cheap to copy; valid from plugin::init until the plugin object is
/// destroyed. A default-constructed host (no host behind it, e.g. in a unit test) logs nowhere.
class host {
 public:
  host() = default;
  explicit host(const mcpd_host_api* api) noexcept : api_(api) {}

  /// A line in the host's operator log (stderr), tagged with the plugin's namespace. Never sent to the MCP
  /// client. Never log secrets.
  void log(log_level level, std::string_view message) const noexcept {
    if (auto callback = MCPD_SDK_CALLBACK(api_, callback_log)) {
      callback(api_->host_ctx, static_cast<mcpd_log_level>(level), detail::to_str(message));
    }
  }

  /// Tells subscribed clients that `uri` changed (notifications/resources/updated). Throws sdk::error when
  /// the host refuses or does not offer it.
  void notify_resource_updated(std::string_view uri) const {
    auto callback = MCPD_SDK_CALLBACK(api_, callback_notify_resource_updated);
    if (callback == nullptr) {
      throw error(MCPD_ERR_UNSUPPORTED,
                  "notify_resource_updated: the host does not offer resource notifications");
    }
    const mcpd_status status = callback(api_->host_ctx, detail::to_str(uri));
    if (status != MCPD_OK) {
      throw error(status, "notify_resource_updated(\"" + std::string(uri) + "\") failed with " +
                              std::string(status_name(status)));
    }
  }

  /// The host's version string, e.g. "0.1.0"; empty when unknown.
  std::string_view host_version() const noexcept {
    return MCPD_SDK_HAS_FIELD(api_, host_version) ? detail::to_view(api_->host_version) : std::string_view{};
  }

  /// The ABI version the host chose for this plugin (MCPD_ABI_VERSION_MAJOR/MINOR take it apart).
  std::uint32_t abi_version() const noexcept {
    return MCPD_SDK_HAS_FIELD(api_, abi_version) ? api_->abi_version : 0u;
  }

  /// What joins a namespace and a tool name in the names clients see ("_" by default; the operator may
  /// choose ".", "-" or "__"). "." from a host older than ABI 1.3 (which published dotted names).
  std::string_view tool_name_separator() const noexcept {
    if (MCPD_SDK_HAS_FIELD(api_, tool_name_separator) && api_->tool_name_separator.size > 0) {
      return detail::to_view(api_->tool_name_separator);
    }
    return ".";
  }

  /// What the host found wrong with this plugin's configuration section when it checked it against the
  /// plugin's config schema, one sentence per problem, each naming the setting:
  /// "plugin_config.weather.timeout_ms: must be >= 100, got 5". Empty when the section is valid, when the
  /// plugin declares no schema, and from a host older than ABI 1.4 (which only logged them).
  /// sdk::read_settings (settings.hpp) includes these in its view.
  std::vector<std::string> config_problems() const {
    std::vector<std::string> problems;
    if (!MCPD_SDK_HAS_FIELD(api_, config_problems_json) || api_->config_problems_json.size == 0)
      return problems;
    const json::value listed =
        detail::parse_value(detail::to_view(api_->config_problems_json), "host config_problems_json");
    if (const auto* array = listed.if_array()) {
      for (const auto& problem : *array)
        if (problem.is_string()) problems.emplace_back(problem.get_string());
    }
    return problems;
  }

  /// The name a client calls a tool (or prompt) by, e.g. published_name("tracking", "capture") is
  /// "tracking_capture" under the default separator. Use it wherever a description, an error or a note
  /// tells the agent which tool to call, so the text matches the tools/list the client sees.
  std::string published_name(std::string_view plugin_namespace, std::string_view tool) const {
    const std::string_view separator = tool_name_separator();
    std::string name;
    name.reserve(plugin_namespace.size() + separator.size() + tool.size());
    name.append(plugin_namespace).append(separator).append(tool);
    return name;
  }

 private:
  const mcpd_host_api* api_ = nullptr;
};

}  // namespace mcpd::sdk

#endif  // MCPD_SDK_HOST_HPP
