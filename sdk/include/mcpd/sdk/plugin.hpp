// mcpd::sdk::plugin: the base class of every plugin.
#ifndef MCPD_SDK_PLUGIN_HPP
#define MCPD_SDK_PLUGIN_HPP

#include <mcpd/sdk/error.hpp>
#include <mcpd/sdk/host.hpp>

#include <string_view>

namespace mcpd::sdk {

class registry;
template <class T>
struct settings_view;

namespace detail {
struct plugin_access;
}

/// Derive from it, register everything in init(), and export the class with MCPD_PLUGIN (sdk/export.hpp).
///
/// The SDK creates one object per load of the library (after version negotiation, default-constructed)
/// and destroys it when the host shuts the plugin down. Handlers may run on several host threads at once
/// unless the class declares `static constexpr std::uint32_t flags = MCPD_PLUGIN_FLAG_SERIAL;`, so state
/// they share needs its own synchronisation.
class plugin {
 public:
  plugin() = default;
  plugin(const plugin&) = delete;
  plugin& operator=(const plugin&) = delete;
  virtual ~plugin() = default;

  /// `config` is this plugin's own configuration section ({} when absent). The host has checked it against
  /// the class's config schema, if it has one, and calls init even when it is wrong: host().config_problems()
  /// says what is, and read_settings() reads the section into a typed view with those problems. Register
  /// every tool, resource and prompt here. Throwing makes the load fail; the exception's message is what
  /// the host reports.
  virtual void init(const json::object& config, registry& reg) = 0;

  /// Host services; valid from init() until destruction (not yet in the constructor).
  const sdk::host& host() const noexcept { return host_; }

  /// `config` read into T, a struct whose fields() declare the settings (settings.hpp, included by
  /// <mcpd/sdk.hpp>): valid settings as given, the rest at their defaults, and every problem (the host's
  /// and the SDK's) naming its setting. Declare `using settings = T;` in the class to publish T's schema
  /// as the config schema.
  template <class T>
  [[nodiscard]] settings_view<T> read_settings(const boost::json::object& config) const;

 private:
  friend struct detail::plugin_access;
  sdk::host host_;
  std::string_view plugin_namespace_;  // static storage: the class's plugin_namespace
};

}  // namespace mcpd::sdk

#endif  // MCPD_SDK_PLUGIN_HPP
