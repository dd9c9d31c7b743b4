#pragma once
// SHA-256 of a plugin's bytes: the content address of a staged copy and the
// digest a plugin signature covers.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mcpd::trust {

using Sha256 = std::array<std::uint8_t, 32>;

Sha256 sha256(std::string_view bytes);
// 64 lowercase hex digits.
std::string to_hex(const Sha256& digest);
// nullopt unless `hex` is exactly 64 hex digits (either case).
std::optional<Sha256> sha256_from_hex(std::string_view hex);

}  // namespace mcpd::trust
