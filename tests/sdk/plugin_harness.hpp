// Loading a plugin file and driving it through negotiate / on_init / handlers / on_shutdown, as the host
// does, with the fake host tables of fake_host.hpp.
#ifndef MCPD_TESTS_SDK_PLUGIN_HARNESS_HPP
#define MCPD_TESTS_SDK_PLUGIN_HARNESS_HPP

#include "fake_host.hpp"

#include <mcpd/plugin_api.h>

#include <cstdint>
#include <set>
#include <string>

namespace sdk_test {

/// dlopen(RTLD_NOW | RTLD_LOCAL) for the lifetime of the object; fails the test when the file cannot load
/// or lacks the entry symbol.
class loaded_library {
 public:
  explicit loaded_library(const std::string& path);
  ~loaded_library();
  loaded_library(const loaded_library&) = delete;
  loaded_library& operator=(const loaded_library&) = delete;

  mcpd_plugin_negotiate_fn entry() const { return entry_; }
  /// dlclose now (idempotent).
  void close();

 private:
  void* handle_ = nullptr;
  mcpd_plugin_negotiate_fn entry_ = nullptr;
};

/// Whether `path` is still mapped in this process (dlopen with RTLD_NOLOAD).
bool is_loaded(const std::string& path);

/// A plugin after negotiation with [1.0, 1.0] and on_init with `config_json` (the registrar refusing
/// `refused_names`); on_shutdown (when init succeeded) and dlclose on destruction.
class plugin_session {
 public:
  explicit plugin_session(const std::string& path, const std::string& config_json = "{}",
                          std::set<std::string> refused_names = {});
  ~plugin_session();
  plugin_session(const plugin_session&) = delete;
  plugin_session& operator=(const plugin_session&) = delete;

  /// Runs a registered tool's on_call; fails the test if the tool is not registered.
  mcpd_status call_tool(const std::string& name, const std::string& arguments_json,
                        fake_call_context& context, fake_result_builder& builder,
                        std::size_t context_size = sizeof(mcpd_call_context),
                        std::size_t builder_size = sizeof(mcpd_result_builder));
  /// on_shutdown now (idempotent); the library stays loaded.
  void shutdown();

  fake_host_api host;
  fake_registrar registrar;
  const mcpd_plugin_descriptor* descriptor = nullptr;
  mcpd_status init_status = MCPD_ERR_INTERNAL;
  void* state = nullptr;

 private:
  loaded_library library_;
  bool shut_down_ = false;
};

}  // namespace sdk_test

#endif  // MCPD_TESTS_SDK_PLUGIN_HARNESS_HPP
