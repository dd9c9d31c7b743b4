// Conversions between C++ views and the ABI's borrowed types, and struct_size-aware field access.
#ifndef MCPD_SDK_DETAIL_ABI_HPP
#define MCPD_SDK_DETAIL_ABI_HPP

#include <mcpd/plugin_api.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>

// True when `field` of the struct behind `ptr` lies within the struct_size its writer declared. The ABI
// only ever appends fields, so a host built against an older header hands us a shorter struct: anything
// past its struct_size must be treated as absent, never read.
#define MCPD_SDK_HAS_FIELD(ptr, field) ((ptr) != nullptr && MCPD_SDK_REACHES(*(ptr), field))

// The same for a struct held by reference (never null).
#define MCPD_SDK_REACHES(object, field)              \
  (static_cast<std::size_t>((object).struct_size) >= \
   offsetof(std::remove_cvref_t<decltype(object)>, field) + sizeof((object).field))

// A callback pointer from a host table, or nullptr when the host's struct does not reach that far.
#define MCPD_SDK_CALLBACK(ptr, field) (MCPD_SDK_HAS_FIELD(ptr, field) ? (ptr)->field : nullptr)

namespace mcpd::sdk::detail {

constexpr mcpd_str to_str(std::string_view text) noexcept {
  return mcpd_str{text.data(), text.size()};
}

constexpr std::string_view to_view(mcpd_str text) noexcept {
  return text.data == nullptr ? std::string_view{} : std::string_view{text.data, text.size};
}

inline mcpd_bytes to_bytes(std::span<const std::uint8_t> bytes) noexcept {
  return mcpd_bytes{bytes.data(), bytes.size()};
}

/// Whether [host_min, host_max] contains any version of `major` (1.0 ... 1.65535 for major 1).
constexpr bool range_contains_major(std::uint32_t host_min, std::uint32_t host_max,
                                    std::uint32_t major) noexcept {
  return host_min <= host_max && host_min <= MCPD_ABI_MAKE_VERSION(major, 0xffffu) &&
         host_max >= MCPD_ABI_MAKE_VERSION(major, 0u);
}

}  // namespace mcpd::sdk::detail

#endif  // MCPD_SDK_DETAIL_ABI_HPP
