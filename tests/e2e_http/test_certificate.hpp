// A self-signed certificate for 127.0.0.1 and localhost, made by the test
// with the OpenSSL API (nothing is checked in, nothing expires mid-run).
#pragma once

#include <filesystem>

namespace mcpd_http_test {

struct TestCertificate {
  std::filesystem::path cert_file;  // PEM; also the CA file a client trusts
  std::filesystem::path key_file;   // PEM, unencrypted
};

// Writes cert.pem and key.pem into `directory`. Throws on any OpenSSL failure.
TestCertificate make_test_certificate(const std::filesystem::path& directory);

}  // namespace mcpd_http_test
