// PostHog's feature flag bucketing, bit for bit as its SDKs do it (posthog-python feature_flags.py):
//   hash(key, id, salt) = int(sha1(key + "." + id + salt).hexdigest()[:15], 16) / LONG_SCALE
// A user is inside a rollout of p percent when hash(flag key, id) <= p / 100, and gets the variant whose
// cumulative share contains hash(flag key, id, "variant").
#pragma once

#include <cstdint>
#include <string_view>

namespace mcpd::tracking {

// 15 hex digits of all ones: the largest value the first 15 hex digits of a SHA-1 can take.
inline constexpr std::uint64_t flag_hash_long_scale = 0xFFFFFFFFFFFFFFFull;

// The first 60 bits of SHA-1(flag_key + "." + bucketing_id + salt), as an integer.
std::uint64_t flag_hash_bits(std::string_view flag_key, std::string_view bucketing_id,
                             std::string_view salt = {});

// flag_hash_bits / LONG_SCALE: a number in [0, 1].
double flag_hash(std::string_view flag_key, std::string_view bucketing_id, std::string_view salt = {});

}  // namespace mcpd::tracking
