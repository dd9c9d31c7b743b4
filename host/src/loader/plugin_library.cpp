#include "loader/plugin_library.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <boost/dll/shared_library_load_mode.hpp>

#include "bridge/abi_struct.hpp"
#include "bridge/registrar.hpp"
#include "build_info.hpp"
#include "log/logger.hpp"
#include "registry/tool_names.hpp"
#include "util/exception_text.hpp"

namespace mcpd::loader {
namespace json = boost::json;
using bridge::to_string;
using bridge::view;

namespace {

constexpr uint32_t kHostAbiMin = MCPD_ABI_MAKE_VERSION(1, 0);
constexpr uint32_t kHostAbiMax = MCPD_ABI_VERSION;

std::string version_text(uint32_t v) {
  return std::to_string(MCPD_ABI_VERSION_MAJOR(v)) + "." + std::to_string(MCPD_ABI_VERSION_MINOR(v));
}

// Why negotiation failed, and which side to change: a plugin built for a newer ABI needs a newer mcpd,
// one built for an older major needs rebuilding. The versions are named either way.
std::string negotiation_refusal(mcpd_status status, uint32_t plugin_abi) {
  const std::string host_range = version_text(kHostAbiMin) + " to " + version_text(kHostAbiMax);
  if (plugin_abi == 0)
    return "ABI negotiation failed (status " + std::to_string(static_cast<int>(status)) +
           ") and the plugin named no ABI version; this host speaks ABI " + host_range +
           " (rebuild the plugin against this host's SDK)";
  const std::string head = "ABI version mismatch: the plugin speaks ABI " + version_text(plugin_abi);
  if (plugin_abi > kHostAbiMax)
    return head + ", newer than this host's " + host_range + " (upgrade mcpd to a version that speaks ABI " +
           version_text(plugin_abi) + ", or rebuild the plugin against this host's SDK)";
  if (plugin_abi < kHostAbiMin)
    return head + ", older than this host's " + host_range + " (rebuild the plugin against this host's SDK)";
  return "ABI negotiation failed (status " + std::to_string(static_cast<int>(status)) +
         "): the plugin speaks ABI " + version_text(plugin_abi) + ", within this host's " + host_range +
         ", but refused it (the plugin's own log may say why)";
}

// dlerror() names the file it opened; when that is a staged copy, the
// operator knows the file by its original name.
std::string with_path_replaced(std::string text, const std::string& from, const std::string& to) {
  if (from.empty() || from == to) return text;
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

}  // namespace

std::unique_ptr<NegotiatedLibrary> NegotiatedLibrary::open(const std::filesystem::path& path,
                                                           std::string& error,
                                                           const std::filesystem::path& shown_path) {
  auto lib = std::unique_ptr<NegotiatedLibrary>(new NegotiatedLibrary());
  lib->info_.path = shown_path.empty() ? path : shown_path;
  lib->info_.loaded_from = path;
  std::error_code ec;
  // rtld_now: a missing symbol fails here, not in the middle of a call.
  // rtld_local: two plugins never resolve each other's symbols.
  lib->library_.load(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
  if (ec) {
    error = "cannot load the shared object: " + ec.message();
    if (const char* detail = dlerror())
      error += " (" + with_path_replaced(detail, path.string(), lib->info_.path.string()) + ")";
    return nullptr;
  }
  if (!lib->library_.has(MCPD_PLUGIN_ENTRY_SYMBOL)) {
    error = "not an mcpd plugin: the entry symbol " MCPD_PLUGIN_ENTRY_SYMBOL
            " is missing (build it with the SDK's MCPD_PLUGIN macro, or export it with C linkage)";
    return nullptr;
  }
  auto& negotiate =
      lib->library_.get<std::remove_pointer_t<mcpd_plugin_negotiate_fn>>(MCPD_PLUGIN_ENTRY_SYMBOL);

  std::string host_version = kVersion;
  mcpd_negotiate_request request{sizeof(mcpd_negotiate_request), kHostAbiMin, kHostAbiMax,
                                 bridge::as_mcpd_str(host_version)};
  mcpd_negotiate_response response{};
  response.struct_size = sizeof(mcpd_negotiate_response);
  mcpd_status status = MCPD_ERR_INTERNAL;
  try {
    status = negotiate(&request, &response);
  } catch (...) {
    error = "the plugin threw during ABI negotiation: " + current_exception_text();
    return nullptr;
  }
  uint32_t plugin_abi = response.plugin_abi_version;
  if (status != MCPD_OK || MCPD_ABI_VERSION_MAJOR(plugin_abi) != MCPD_ABI_VERSION_MAJOR(kHostAbiMax)) {
    error = negotiation_refusal(status, plugin_abi);
    return nullptr;
  }
  if (!MCPD_STRUCT_HAS(response.descriptor, mcpd_plugin_descriptor, on_shutdown)) {
    error = "the plugin's descriptor is NULL or its struct_size is too small";
    return nullptr;
  }
  lib->descriptor_ = bridge::read_sized(*response.descriptor);
  const auto& d = lib->descriptor_;
  lib->info_.plugin_namespace = to_string(d.plugin_namespace);
  lib->info_.version = to_string(d.plugin_version);
  lib->info_.description = to_string(d.description);
  lib->info_.flags = d.flags;
  lib->info_.abi_version = plugin_abi;
  if (auto bad = registry::check_namespace(lib->info_.plugin_namespace)) {
    error = "invalid descriptor: " + *bad;
    return nullptr;
  }
  if (d.on_init == nullptr) {
    error = "invalid descriptor: on_init is NULL";
    return nullptr;
  }
  if (d.config_schema_json.data != nullptr && d.config_schema_json.size > 0) {
    boost::system::error_code jec;
    lib->info_.config_schema = json::parse(view(d.config_schema_json), jec);
    if (jec || !lib->info_.config_schema.is_object()) {
      error = "invalid descriptor: config_schema_json is not a JSON object";
      return nullptr;
    }
  }
  return lib;
}

std::shared_ptr<LoadedPlugin> LoadedPlugin::start(std::unique_ptr<NegotiatedLibrary> library,
                                                  const json::object& config,
                                                  const std::vector<std::string>& config_problems,
                                                  std::string_view tool_name_separator, HostHooks hooks,
                                                  schema::FormatMode schema_formats, std::string& error) {
  std::shared_ptr<LoadedPlugin> plugin;
  if (hooks.dispose)
    plugin = std::shared_ptr<LoadedPlugin>(new LoadedPlugin(), hooks.dispose);
  else
    plugin = std::shared_ptr<LoadedPlugin>(new LoadedPlugin());
  plugin->library_ = std::move(library);
  plugin->hooks_ = std::move(hooks);
  plugin->host_version_ = kVersion;
  plugin->tool_name_separator_ = tool_name_separator;
  plugin->config_problems_ = json::serialize(json::value_from(config_problems));
  auto& api = plugin->host_api_;
  api.struct_size = sizeof(mcpd_host_api);
  api.abi_version = MCPD_ABI_VERSION;
  api.host_version = bridge::as_mcpd_str(plugin->host_version_);
  api.host_ctx = bridge::handle_of<mcpd_host_handle>(plugin.get());
  api.callback_log = &LoadedPlugin::log_callback;
  api.callback_notify_resource_updated = &LoadedPlugin::notify_resource_updated_callback;
  api.tool_name_separator = bridge::as_mcpd_str(plugin->tool_name_separator_);
  api.config_problems_json = bridge::as_mcpd_str(plugin->config_problems_);

  const auto& d = plugin->library_->descriptor_;
  bridge::Registrar registrar(plugin->info().plugin_namespace, schema_formats);
  std::string config_text = json::serialize(config);
  mcpd_status status = MCPD_ERR_INTERNAL;
  try {
    status = d.on_init(&api, bridge::as_mcpd_str(config_text), registrar.abi(), &plugin->state_);
  } catch (...) {
    // A C++ plugin that lets an exception escape on_init: undefined by the ABI,
    // but the host survives it when it can.
    error = "on_init threw: " + current_exception_text();
    plugin->state_ = nullptr;
    return nullptr;
  }
  plugin->initialised_ = true;  // from here on, on_shutdown runs on every path
  if (status != MCPD_OK) {
    error = "on_init failed (status " + std::to_string(status) + ")";
    if (!registrar.init_error().empty()) error += ": " + registrar.init_error();
    return nullptr;
  }
  if (!registrar.problems().empty()) {
    error = "invalid registrations: ";
    for (std::size_t i = 0; i < registrar.problems().size(); ++i)
      error += (i ? "; " : "") + registrar.problems()[i];
    return nullptr;
  }
  plugin->registrations_ = registrar.take_registrations();
  return plugin;
}

LoadedPlugin::~LoadedPlugin() {
  if (!initialised_ || !library_) return;
  if (auto shutdown = library_->descriptor_.on_shutdown) {
    try {
      shutdown(state_);
    } catch (...) {
      log::error("plugin on_shutdown threw", {{"plugin", info().plugin_namespace}});
    }
  }
}

LoadedPlugin::CallGuard::CallGuard(std::shared_ptr<LoadedPlugin> plugin) : plugin_(std::move(plugin)) {
  if (plugin_) plugin_->calls_in_flight_.fetch_add(1);
}

LoadedPlugin::CallGuard& LoadedPlugin::CallGuard::operator=(CallGuard&& other) noexcept {
  if (this != &other) {
    if (plugin_) plugin_->calls_in_flight_.fetch_sub(1);
    plugin_ = std::move(other.plugin_);
  }
  return *this;
}

LoadedPlugin::CallGuard::~CallGuard() {
  if (plugin_) plugin_->calls_in_flight_.fetch_sub(1);
}

void LoadedPlugin::log_callback(mcpd_host_handle* ctx, mcpd_log_level level, mcpd_str message) noexcept try {
  auto* self = bridge::object_of<LoadedPlugin>(ctx);
  auto lvl = static_cast<log::Level>(std::clamp<int32_t>(level, MCPD_LOG_DEBUG, MCPD_LOG_EMERGENCY));
  log::write(lvl, view(message), {{"plugin", self->info().plugin_namespace}});
} catch (...) {
}

mcpd_status LoadedPlugin::notify_resource_updated_callback(mcpd_host_handle* ctx, mcpd_str uri) noexcept try {
  auto* self = bridge::object_of<LoadedPlugin>(ctx);
  if (self->hooks_.notify_resource_updated) self->hooks_.notify_resource_updated(view(uri));
  return MCPD_OK;
} catch (...) {
  return MCPD_ERR_INTERNAL;
}

}  // namespace mcpd::loader
