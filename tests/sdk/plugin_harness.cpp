#include "plugin_harness.hpp"

#include <catch2/catch.hpp>

#include <dlfcn.h>

namespace sdk_test {

loaded_library::loaded_library(const std::string& path) {
  handle_ = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  const char* why = handle_ == nullptr ? dlerror() : "";
  INFO("dlopen(" << path << "): " << (why == nullptr ? "" : why));
  REQUIRE(handle_ != nullptr);
  entry_ = reinterpret_cast<mcpd_plugin_negotiate_fn>(dlsym(handle_, MCPD_PLUGIN_ENTRY_SYMBOL));
  REQUIRE(entry_ != nullptr);
}

loaded_library::~loaded_library() {
  close();
}

void loaded_library::close() {
  if (handle_ != nullptr) {
    dlclose(handle_);
    handle_ = nullptr;
    entry_ = nullptr;
  }
}

bool is_loaded(const std::string& path) {
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD);
  if (handle == nullptr) {
    return false;
  }
  dlclose(handle);  // drop the reference RTLD_NOLOAD just took
  return true;
}

plugin_session::plugin_session(const std::string& path, const std::string& config_json,
                               std::set<std::string> refused_names)
    : library_(path) {
  registrar.refused_names = std::move(refused_names);
  mcpd_negotiate_request request{};
  request.struct_size = sizeof(request);
  request.host_abi_min = MCPD_ABI_VERSION_1_0;
  request.host_abi_max = MCPD_ABI_VERSION_1_0;
  request.host_version = MCPD_STR_LIT("0.1.0-test");
  mcpd_negotiate_response response{};
  response.struct_size = sizeof(response);
  REQUIRE(library_.entry()(&request, &response) == MCPD_OK);
  REQUIRE(response.descriptor != nullptr);
  descriptor = response.descriptor;
  REQUIRE(descriptor->on_init != nullptr);
  init_status = descriptor->on_init(host.api(), to_str(config_json), registrar.registrar(), &state);
}

plugin_session::~plugin_session() {
  shutdown();
}

void plugin_session::shutdown() {
  if (!shut_down_ && init_status == MCPD_OK && descriptor->on_shutdown != nullptr) {
    descriptor->on_shutdown(state);
  }
  shut_down_ = true;
}

mcpd_status plugin_session::call_tool(const std::string& name, const std::string& arguments_json,
                                      fake_call_context& context, fake_result_builder& builder,
                                      std::size_t context_size, std::size_t builder_size) {
  const registered_tool* tool = registrar.tool(name);
  INFO("tool " << name);
  REQUIRE(tool != nullptr);
  REQUIRE(tool->on_call != nullptr);
  return tool->on_call(state, tool->state, context.context(context_size), to_str(arguments_json),
                       builder.builder(builder_size));
}

}  // namespace sdk_test
