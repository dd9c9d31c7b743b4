#pragma once
// Reads a request body through cpp-httplib's ContentReader with two bounds
// enforced while the bytes arrive, not after: a size, counted on what the
// handler receives (the DECOMPRESSED bytes of a Content-Encoding: gzip body,
// the payload of a chunked one), and a deadline for the whole body. cpp-httplib
// left to itself reads a chunked body whole and inflates a gzip body
// completely before any handler runs (a 1 MiB gzip bomb cost 1 GiB of RSS).
#include <httplib.h>

#include <chrono>
#include <cstddef>
#include <string>

namespace mcpd::transport::http {

struct BodyLimits {
  std::size_t max_bytes;              // http.max_body_bytes
  std::chrono::milliseconds timeout;  // http.body_timeout_ms
};

struct BoundedBody {
  enum class Outcome { complete, too_large, too_slow, unreadable };
  Outcome outcome = Outcome::complete;
  std::string bytes;  // complete: the whole body; otherwise what was read before stopping
};

// Content-Length above the limit is refused without reading a byte.
BoundedBody read_bounded_body(const httplib::Request& req, const httplib::ContentReader& reader,
                              const BodyLimits& limits);

// The refusal for a body that was not read whole: 413, 408 or 400 with a
// message naming the setting, and "Connection: close" because the rest of the
// body is still on the connection.
void reply_body_refused(httplib::Response& res, const BoundedBody& body, const BodyLimits& limits);

// The metric label of an outcome other than complete ("too_large", ...).
const char* body_outcome_name(BoundedBody::Outcome outcome);

}  // namespace mcpd::transport::http
