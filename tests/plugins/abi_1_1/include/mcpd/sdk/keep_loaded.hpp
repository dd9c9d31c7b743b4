// mcpd::sdk::keep_loaded: keeps a shared library a plugin depends on in the process after the plugin is
// unloaded.
#ifndef MCPD_SDK_KEEP_LOADED_HPP
#define MCPD_SDK_KEEP_LOADED_HPP

#include <dlfcn.h>

namespace mcpd::sdk {

/// Marks the shared library that contains `symbol` as never to be unloaded (RTLD_NODELETE), with
/// everything it depends on. Call it from init() for a library that is not safe to unload: FFmpeg pulls
/// in libgomp (worker threads), libgcrypt and pixman, which keep global state, atexit handlers and heap
/// blocks that dangle once dlclose unmaps them. The plugin itself still unloads when the host swaps it;
/// its next version finds the library already there. Returns false when the library cannot be found
/// (the symbol is in the plugin itself, or was linked statically): nothing changes then.
inline bool keep_loaded(const void* symbol) noexcept {
  Dl_info info{};
  if (dladdr(symbol, &info) == 0 || info.dli_fname == nullptr) return false;
  void* handle = dlopen(info.dli_fname, RTLD_LAZY | RTLD_NOLOAD | RTLD_NODELETE);
  if (handle == nullptr) return false;
  // The reference this dlopen took is never released either: the library stays, as asked.
  return true;
}

}  // namespace mcpd::sdk

#endif  // MCPD_SDK_KEEP_LOADED_HPP
