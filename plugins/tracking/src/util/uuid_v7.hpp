// UUIDv7 (RFC 9562): a millisecond timestamp followed by random bits. Every event the plugin sends gets
// one before its first attempt, so a retried request carries the same uuid and PostHog drops the repeat.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace mcpd::tracking {

// The UUIDv7 for `now` with the given 10 random bytes (74 of their bits are used), in canonical
// lowercase 8-4-4-4-12 form. Deterministic, for tests.
std::string make_uuid_v7(std::chrono::system_clock::time_point now,
                         const std::array<std::uint8_t, 10>& random);

// A fresh UUIDv7 from the clock and OpenSSL's CSPRNG (RAND_bytes).
std::string new_uuid_v7();

// True for any canonical 8-4-4-4-12 hexadecimal UUID (either case).
bool is_uuid(std::string_view text);

}  // namespace mcpd::tracking
