#include "transport/http/bounded_body.hpp"

#include <charconv>
#include <cstdint>
#include <optional>

#include "transport/http/http_reply.hpp"

namespace mcpd::transport::http {

namespace {

using Clock = std::chrono::steady_clock;

// The declared length, when the header holds one plain number.
std::optional<std::uint64_t> declared_length(const httplib::Request& req) {
  if (!req.has_header("Content-Length")) return std::nullopt;
  const std::string text = req.get_header_value("Content-Length");
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

BoundedBody read_bounded_body(const httplib::Request& req, const httplib::ContentReader& reader,
                              const BodyLimits& limits) {
  BoundedBody body;
  // For a compressed body the length is the compressed one: it only tells
  // us early about bodies that are too large even before inflating.
  if (auto length = declared_length(req); length && *length > limits.max_bytes) {
    body.outcome = BoundedBody::Outcome::too_large;
    return body;
  }
  const auto deadline = Clock::now() + limits.timeout;
  // Returning false stops cpp-httplib's reading and its inflating at once.
  const bool read = reader([&](const char* data, std::size_t length) {
    if (body.bytes.size() + length > limits.max_bytes) {
      body.outcome = BoundedBody::Outcome::too_large;
      return false;
    }
    if (Clock::now() > deadline) {
      body.outcome = BoundedBody::Outcome::too_slow;
      return false;
    }
    body.bytes.append(data, length);
    return true;
  });
  if (!read && body.outcome == BoundedBody::Outcome::complete)
    body.outcome = BoundedBody::Outcome::unreadable;
  // A client that stopped sending is caught by the socket's read timeout;
  // past the deadline that is a slow body, not a malformed one.
  if (body.outcome == BoundedBody::Outcome::unreadable && Clock::now() > deadline)
    body.outcome = BoundedBody::Outcome::too_slow;
  return body;
}

void reply_body_refused(httplib::Response& res, const BoundedBody& body, const BodyLimits& limits) {
  res.set_header("Connection", "close");
  switch (body.outcome) {
    case BoundedBody::Outcome::too_large:
      return reply_error(res, 413, kTransportError,
                         "Payload Too Large: the body exceeds " + std::to_string(limits.max_bytes) +
                             " bytes (http.max_body_bytes; a compressed body counts once inflated)");
    case BoundedBody::Outcome::too_slow:
      return reply_error(res, 408, kTransportError,
                         "Request Timeout: the body did not arrive whole within " +
                             std::to_string(limits.timeout.count()) + " ms (http.body_timeout_ms)");
    case BoundedBody::Outcome::unreadable:
    case BoundedBody::Outcome::complete:
      return reply_error(res, 400, kTransportError,
                         "Bad Request: the body could not be read (malformed chunked encoding or compressed "
                         "data, or the connection broke)");
  }
}

const char* body_outcome_name(BoundedBody::Outcome outcome) {
  switch (outcome) {
    case BoundedBody::Outcome::too_large:
      return "body_too_large";
    case BoundedBody::Outcome::too_slow:
      return "body_timeout";
    case BoundedBody::Outcome::unreadable:
      return "body_unreadable";
    case BoundedBody::Outcome::complete:
      break;
  }
  return "body_complete";
}

}  // namespace mcpd::transport::http
