#include "cursor.hpp"

#include <mcpd/sdk/base64.hpp>

#include <array>
#include <cstdint>
#include <cstdio>
#include <stdexcept>

namespace mcpd::tracking {
namespace {

std::string not_a_cursor(std::string_view tool) {
  return std::string(tool) + ": \"cursor\" is not a cursor from " + std::string(tool) +
         "; pass the next_cursor value of the previous call unchanged, or omit cursor for the first page";
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
  return sdk::base64::encode(bytes, sdk::base64::alphabet::url);
}

bool base64url_decode(std::string_view text, std::string& bytes) {
  auto decoded = sdk::base64::decode(text, sdk::base64::alphabet::url);
  bytes = decoded ? std::move(*decoded) : std::string();
  return decoded.has_value();
}

std::string fingerprint_of(std::string_view canonical_filters) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const char c : canonical_filters) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

std::string encode_cursor(std::string_view tool, std::string_view fingerprint, boost::json::object state) {
  state["t"] = tool;
  state["f"] = fingerprint;
  return base64url_encode(boost::json::serialize(state));
}

boost::json::object decode_cursor(std::string_view tool, std::string_view fingerprint,
                                  std::string_view cursor) {
  std::string bytes;
  if (!base64url_decode(cursor, bytes)) throw std::invalid_argument(not_a_cursor(tool));
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(bytes, ec);
  if (ec || !parsed.is_object()) throw std::invalid_argument(not_a_cursor(tool));
  auto& state = parsed.get_object();
  const auto* owner = state.if_contains("t");
  if (owner == nullptr || !owner->is_string() || owner->get_string() != tool) {
    throw std::invalid_argument(not_a_cursor(tool));
  }
  const auto* filters = state.if_contains("f");
  if (filters == nullptr || !filters->is_string() || filters->get_string() != fingerprint) {
    throw std::invalid_argument(
        std::string(tool) +
        ": this cursor was made for other filters; repeat the call with the filters of the "
        "call that returned it, or omit cursor to start again with these filters");
  }
  state.erase("t");
  state.erase("f");
  return std::move(state);
}

}  // namespace mcpd::tracking
