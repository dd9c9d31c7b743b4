#pragma once
// What a handler may learn about, and ask of, the connection its request came
// on. Plain-HTTP connections are run by GuardedServer, which answers these;
// under TLS cpp-httplib runs the connection itself and the answers are the
// neutral ones (nothing known, nothing done).
#include "transport/http/connection_stream.hpp"

namespace mcpd::transport::http {

struct ConnectionState {
  ConnectionStream* stream = nullptr;
  bool close_after_response = false;  // part of the request (its body) was left unread
};

// The state of the connection the calling thread serves; nullptr under TLS.
ConnectionState* current_connection();
// Installs `state` as the calling thread's connection for its lifetime.
class CurrentConnectionScope {
 public:
  explicit CurrentConnectionScope(ConnectionState& state);
  ~CurrentConnectionScope();
  CurrentConnectionScope(const CurrentConnectionScope&) = delete;
  CurrentConnectionScope& operator=(const CurrentConnectionScope&) = delete;
};

// The request's headers are parsed: their deadline and byte budget end.
void end_of_headers();
// The rest of the request was not read (a refused body): close the
// connection once the response is written rather than read on.
void close_after_response();
// False once the client has closed or reset the connection (true when unknown).
bool client_connected();
// Why reading the headers stopped, when it was a limit.
ConnectionStream::HeaderFault header_fault();

}  // namespace mcpd::transport::http
