// MCPD_PLUGIN(cls): exports a plugin class through the ABI's single entry point.
#ifndef MCPD_SDK_EXPORT_HPP
#define MCPD_SDK_EXPORT_HPP

#include <mcpd/plugin_api.h>
#include <mcpd/sdk/detail/entry_points.hpp>

/// Use exactly once per plugin, at namespace scope in one .cpp file:
///
///   MCPD_PLUGIN(hello::hello_plugin)
///
/// It defines the exported C function mcpd_plugin_negotiate (declared in plugin_api.h) and the plugin's
/// static descriptor. The class derives from mcpd::sdk::plugin, is default-constructible and has:
///   static constexpr std::string_view plugin_namespace = "hello";   // [a-z0-9_-], 1..32
///   static constexpr std::string_view plugin_version = "1.0.0";
///   static constexpr std::string_view description = "one line for operators";
///   using settings = my_settings;  // optional: the config schema, from a struct with fields()
///                                  // (settings.hpp); or, written by hand:
///   static constexpr std::string_view config_schema = R"({...})";   // optional JSON Schema
///   static constexpr std::uint32_t flags = MCPD_PLUGIN_FLAG_SERIAL; // optional
/// Mistakes in these are compile errors that say what to add.
#define MCPD_PLUGIN(plugin_class)                                                                     \
  namespace {                                                                                         \
  constexpr mcpd_plugin_descriptor mcpd_sdk_plugin_descriptor =                                       \
      ::mcpd::sdk::detail::make_descriptor<plugin_class>();                                           \
  }                                                                                                   \
  extern "C" mcpd_status mcpd_plugin_negotiate(const mcpd_negotiate_request* request,                 \
                                               mcpd_negotiate_response* response) {                   \
    return ::mcpd::sdk::detail::negotiate(                                                            \
        ::mcpd::sdk::detail::published_descriptor<plugin_class>(mcpd_sdk_plugin_descriptor), request, \
        response);                                                                                    \
  }

#endif  // MCPD_SDK_EXPORT_HPP
