// The plugin's side of negotiation and lifetime: negotiate, on_init<P>, on_shutdown, the descriptor.
#ifndef MCPD_SDK_DETAIL_ENTRY_POINTS_HPP
#define MCPD_SDK_DETAIL_ENTRY_POINTS_HPP

#include <mcpd/sdk/detail/abi.hpp>
#include <mcpd/sdk/detail/definitions.hpp>
#include <mcpd/sdk/detail/instance.hpp>
#include <mcpd/sdk/detail/json_text.hpp>
#include <mcpd/sdk/detail/trampolines.hpp>
#include <mcpd/sdk/plugin.hpp>
#include <mcpd/sdk/registry.hpp>
#include <mcpd/sdk/settings.hpp>

#include <concepts>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace mcpd::sdk::detail {

/// The body of the exported mcpd_plugin_negotiate. Accepts any host range that contains major version 1
/// and answers MCPD_ABI_VERSION (the version this SDK was compiled against; minor versions only append,
/// so a newer 1.x host serves it). Writes plugin_abi_version whenever the host's struct has room for it,
/// and never writes past the host's struct_size.
inline mcpd_status negotiate(const mcpd_plugin_descriptor* descriptor, const mcpd_negotiate_request* request,
                             mcpd_negotiate_response* response) noexcept {
  if (!MCPD_SDK_HAS_FIELD(response, plugin_abi_version)) {
    return MCPD_ERR_INVALID_ARGUMENT;
  }
  response->plugin_abi_version = MCPD_ABI_VERSION;
  const bool can_answer_descriptor = MCPD_SDK_HAS_FIELD(response, descriptor);
  if (can_answer_descriptor) {
    response->descriptor = nullptr;
  }
  if (!MCPD_SDK_HAS_FIELD(request, host_abi_max)) {
    return MCPD_ERR_INVALID_ARGUMENT;
  }
  if (!range_contains_major(request->host_abi_min, request->host_abi_max,
                            MCPD_ABI_VERSION_MAJOR(MCPD_ABI_VERSION))) {
    return MCPD_ERR_VERSION_MISMATCH;
  }
  if (!can_answer_descriptor) {
    return MCPD_ERR_INVALID_ARGUMENT;
  }
  if (descriptor == nullptr) {
    return MCPD_ERR_INTERNAL;  // its config schema could not be made (out of memory)
  }
  response->descriptor = descriptor;
  return MCPD_OK;
}

inline void report_init_error(const mcpd_registrar* registrar, std::string_view message) noexcept {
  if (auto callback = MCPD_SDK_CALLBACK(registrar, callback_set_init_error)) {
    callback(registrar->host_ctx, to_str(message));
  }
}

/// The descriptor's on_init: creates the plugin object, lets it register, and hands the host the
/// instance. Any exception fails the load with the exception's message (callback_set_init_error).
template <class P>
mcpd_status on_init(const mcpd_host_api* host_api, mcpd_str config_json, const mcpd_registrar* registrar,
                    void** plugin_state) noexcept {
  if (plugin_state == nullptr || registrar == nullptr) {
    return MCPD_ERR_INVALID_ARGUMENT;
  }
  *plugin_state = nullptr;
  try {
    try {
      auto instance = std::make_unique<plugin_instance>(host_api);
      const json::object config = parse_object(to_view(config_json), "the plugin configuration");
      instance->object = std::make_unique<P>();
      plugin_access::attach_host(*instance->object, instance->services, P::plugin_namespace);
      registry reg = plugin_access::open_registry(*instance, registrar);
      instance->object->init(config, reg);
      plugin_access::close_registry(reg);
      *plugin_state = instance.release();
      return MCPD_OK;
    } catch (...) {
      const caught_failure failure = describe_current_exception("init", P::plugin_namespace);
      report_init_error(registrar, failure.message);
      return failure.status;
    }
  } catch (...) {
    report_init_error(registrar, "mcpd sdk: out of memory during plugin init");
    return MCPD_ERR_INTERNAL;
  }
}

/// The descriptor's on_shutdown: destroys the handlers, then the plugin object.
inline void on_shutdown(void* plugin_state) noexcept {
  delete static_cast<plugin_instance*>(plugin_state);
}

template <class P>
constexpr mcpd_str optional_config_schema() noexcept {
  if constexpr (requires { std::string_view{P::config_schema}; }) {
    return to_str(P::config_schema);
  } else {
    return mcpd_str{nullptr, 0};
  }
}

/// A class that declares `using settings = T;` (T a struct with fields(), settings.hpp).
template <class P>
concept declares_settings = requires {
  typename P::settings;
};

template <class P>
constexpr std::uint32_t optional_flags() noexcept {
  if constexpr (requires { std::uint32_t{P::flags}; }) {
    return P::flags;
  } else {
    return MCPD_PLUGIN_FLAG_NONE;
  }
}

/// The static descriptor for plugin class P, checked at compile time.
template <class P>
constexpr mcpd_plugin_descriptor make_descriptor() noexcept {
  static_assert(std::derived_from<P, plugin>, "MCPD_PLUGIN(cls): cls must derive from mcpd::sdk::plugin");
  static_assert(std::default_initializable<P>, "MCPD_PLUGIN(cls): cls must be default-constructible");
  static_assert(
      requires { std::string_view{P::plugin_namespace}; },
      "MCPD_PLUGIN(cls): add `static constexpr std::string_view plugin_namespace = \"...\";`");
  static_assert(
      requires { std::string_view{P::plugin_version}; },
      "MCPD_PLUGIN(cls): add `static constexpr std::string_view plugin_version = \"1.0.0\";`");
  static_assert(
      requires { std::string_view{P::description}; },
      "MCPD_PLUGIN(cls): add `static constexpr std::string_view description = \"...\";`");
  static_assert(is_valid_namespace(P::plugin_namespace),
                "MCPD_PLUGIN(cls): plugin_namespace must be 1 to 32 characters from a-z 0-9 _ -");
  static_assert(!std::string_view{P::plugin_version}.empty(), "MCPD_PLUGIN(cls): plugin_version is empty");
  static_assert(
      !(declares_settings<P> && requires { std::string_view{P::config_schema}; }),
      "MCPD_PLUGIN(cls): declare either `using settings = ...;` (its schema is the config schema) or "
      "`config_schema`, not both");

  mcpd_plugin_descriptor descriptor{};
  descriptor.struct_size = sizeof(mcpd_plugin_descriptor);
  descriptor.plugin_namespace = to_str(P::plugin_namespace);
  descriptor.plugin_version = to_str(P::plugin_version);
  descriptor.description = to_str(P::description);
  descriptor.flags = optional_flags<P>();
  descriptor.config_schema_json = optional_config_schema<P>();
  descriptor.on_init = &on_init<P>;
  descriptor.on_shutdown = &on_shutdown;
  return descriptor;
}

/// The descriptor handed to the host: `fixed` (make_descriptor<P>()), except that a class declaring
/// `using settings = T;` publishes settings_schema<T>() as its config schema. That text is made once, at
/// the first negotiation, and lives as long as the library. nullptr when it cannot be made.
template <class P>
const mcpd_plugin_descriptor* published_descriptor(const mcpd_plugin_descriptor& fixed) noexcept {
  if constexpr (!declares_settings<P>) {
    return &fixed;
  } else {
    static_assert(has_fields<typename P::settings>,
                  "MCPD_PLUGIN(cls): cls::settings must be a struct with `static auto fields()`");
    try {
      static const std::string schema_text = json::serialize(settings_schema<typename P::settings>());
      static const mcpd_plugin_descriptor descriptor = [&fixed] {
        mcpd_plugin_descriptor with_schema = fixed;
        with_schema.config_schema_json = to_str(schema_text);
        return with_schema;
      }();
      return &descriptor;
    } catch (...) {
      return nullptr;
    }
  }
}

}  // namespace mcpd::sdk::detail

#endif  // MCPD_SDK_DETAIL_ENTRY_POINTS_HPP
