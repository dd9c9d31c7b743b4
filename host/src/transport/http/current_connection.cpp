#include "transport/http/current_connection.hpp"

namespace mcpd::transport::http {

namespace {
// A connection is served by one thread from its first request to its close.
thread_local ConnectionState* current = nullptr;
}  // namespace

ConnectionState* current_connection() {
  return current;
}

CurrentConnectionScope::CurrentConnectionScope(ConnectionState& state) {
  current = &state;
}

CurrentConnectionScope::~CurrentConnectionScope() {
  current = nullptr;
}

void end_of_headers() {
  if (current != nullptr) current->stream->end_headers();
}

void close_after_response() {
  if (current != nullptr) current->close_after_response = true;
}

bool client_connected() {
  return current == nullptr || current->stream->peer_connected();
}

ConnectionStream::HeaderFault header_fault() {
  return current == nullptr ? ConnectionStream::HeaderFault::none : current->stream->header_fault();
}

}  // namespace mcpd::transport::http
