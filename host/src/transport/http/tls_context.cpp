#include "transport/http/tls_context.hpp"

#include <openssl/err.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>

namespace mcpd::transport::http {

namespace {

std::string openssl_error() {
  const unsigned long code = ERR_get_error();
  if (code == 0) return "no detail from OpenSSL";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

void require_readable(const std::filesystem::path& file, std::string_view what) {
  std::ifstream in(file);
  if (!in)
    throw std::runtime_error("TLS " + std::string(what) + " \"" + file.string() + "\" cannot be read: " +
                             std::strerror(errno) + " (http.tls." + std::string(what) + ")");
}

}  // namespace

TlsContext make_server_tls_context(const TlsSettings& tls) {
  require_readable(tls.cert_file, "cert_file");
  require_readable(tls.key_file, "key_file");
  ERR_clear_error();
  TlsContext context(SSL_CTX_new(TLS_server_method()));
  if (!context) throw std::runtime_error("TLS: cannot create an OpenSSL context: " + openssl_error());
  SSL_CTX_set_min_proto_version(context.get(), TLS1_2_VERSION);
  SSL_CTX_set_options(context.get(), SSL_OP_NO_COMPRESSION | SSL_OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION);
  // A write may be retried with a shorter buffer after WANT_WRITE (non-blocking sockets).
  SSL_CTX_set_mode(context.get(), SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  if (SSL_CTX_use_certificate_chain_file(context.get(), tls.cert_file.c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(context.get(), tls.key_file.c_str(), SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_check_private_key(context.get()) != 1)
    throw std::runtime_error("TLS: cannot use certificate \"" + tls.cert_file.string() + "\" with key \"" +
                             tls.key_file.string() + "\": " + openssl_error() +
                             " (both must be PEM files and the key must match the certificate)");
  return context;
}

}  // namespace mcpd::transport::http
