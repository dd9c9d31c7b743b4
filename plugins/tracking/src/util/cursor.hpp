// Opaque page cursors. A cursor is base64url(JSON) naming the tool it belongs to and a fingerprint of the
// filters it was made with, so a cursor pasted into another tool or reused with other filters is refused
// with a message instead of silently returning the wrong page.
#pragma once

#include <string>
#include <string_view>

#include <boost/json.hpp>

namespace mcpd::tracking {

// Encodes `state` (the tool's own fields) with the tool's name and the filter fingerprint.
std::string encode_cursor(std::string_view tool, std::string_view fingerprint, boost::json::object state);

// The state of a cursor made by encode_cursor for the same tool and fingerprint. Throws std::invalid_argument
// with a message for the caller when the text is not such a cursor.
boost::json::object decode_cursor(std::string_view tool, std::string_view fingerprint,
                                  std::string_view cursor);

// A short stable digest (FNV-1a 64, hex) of filter values, for cursor fingerprints.
std::string fingerprint_of(std::string_view canonical_filters);

std::string base64url_encode(std::string_view bytes);
// nullopt-like: returns false when `text` is not unpadded base64url.
bool base64url_decode(std::string_view text, std::string& bytes);

}  // namespace mcpd::tracking
