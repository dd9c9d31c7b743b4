// mcpd::sdk::plugin: the base class of every plugin.
#ifndef MCPD_SDK_PLUGIN_HPP
#define MCPD_SDK_PLUGIN_HPP

#include <mcpd/sdk/error.hpp>
#include <mcpd/sdk/host.hpp>

namespace mcpd::sdk {

class registry;

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

  /// `config` is this plugin's own configuration section ({} when absent), already validated by the host
  /// against the class's config_schema if it has one. Register every tool, resource and prompt here.
  /// Throwing makes the load fail; the exception's message is what the host reports.
  virtual void init(const json::object& config, registry& reg) = 0;

  /// Host services; valid from init() until destruction (not yet in the constructor).
  const sdk::host& host() const noexcept { return host_; }

 private:
  friend struct detail::plugin_access;
  sdk::host host_;
};

}  // namespace mcpd::sdk

#endif  // MCPD_SDK_PLUGIN_HPP
