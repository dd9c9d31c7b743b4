#pragma once
// Reading size-prefixed ABI structs written by a plugin built against an older
// or newer header: copy what both sides know, treat the rest as zero.
#include <mcpd/plugin_api.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>

namespace mcpd::bridge {

// A copy of `source` as far as its writer's struct_size reaches; the fields
// past it stay zero. Whether the writer has the fields every version must
// have is MCPD_STRUCT_HAS's to say, before the copy.
template <class T>
T read_sized(const T& source) {
  T out;
  std::memset(&out, 0, sizeof out);
  const std::size_t size = std::min<std::size_t>(source.struct_size, sizeof(T));
  std::memcpy(&out, &source, size);
  out.struct_size = static_cast<uint32_t>(size);
  return out;
}

// The opaque handle a callback table carries (mcpd_call_handle, ...) is the
// host object behind it: these two casts are the only place that says so.
template <class Handle, class Object>
Handle* handle_of(Object* object) {
  return reinterpret_cast<Handle*>(object);
}
template <class Object, class Handle>
Object* object_of(Handle* handle) {
  return reinterpret_cast<Object*>(handle);
}

inline std::string_view view(mcpd_str s) {
  return s.data == nullptr ? std::string_view{} : std::string_view{s.data, s.size};
}
inline std::string to_string(mcpd_str s) {
  return std::string(view(s));
}
inline mcpd_str as_mcpd_str(std::string_view s) {
  return mcpd_str{s.data(), s.size()};
}

}  // namespace mcpd::bridge
