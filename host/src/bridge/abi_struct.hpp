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

// nullopt-like: returns false when the writer's struct is too small to hold
// even the fields up to `required_end` (an offsetof + sizeof of the last field
// every version must have).
template <class T>
bool read_sized(const T* source, T& out, std::size_t required_end) {
  std::memset(&out, 0, sizeof out);
  if (source == nullptr) return false;
  std::size_t size = std::min<std::size_t>(source->struct_size, sizeof(T));
  if (size < required_end) return false;
  std::memcpy(&out, source, size);
  out.struct_size = static_cast<uint32_t>(size);
  return true;
}

#define MCPD_FIELD_END(type, field) (offsetof(type, field) + sizeof(((type*)nullptr)->field))

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
