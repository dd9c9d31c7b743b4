#pragma once
// The server side of TLS: one OpenSSL context made from the PEM files of
// http.tls, shared by every connection (GuardedServer runs the handshakes).
#include <openssl/ssl.h>

#include <memory>

#include "transport/http/http_settings.hpp"

namespace mcpd::transport::http {

struct TlsContextDeleter {
  void operator()(SSL_CTX* context) const { SSL_CTX_free(context); }
};
using TlsContext = std::unique_ptr<SSL_CTX, TlsContextDeleter>;

// TLS 1.2 or later, the certificate chain and its private key. Throws
// std::runtime_error naming the file and the key to fix.
TlsContext make_server_tls_context(const TlsSettings& tls);

}  // namespace mcpd::transport::http
