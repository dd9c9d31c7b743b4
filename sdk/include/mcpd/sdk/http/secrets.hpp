// mcpd::sdk::http::secret_list: the values that must never reach a log line or an error message.
#ifndef MCPD_SDK_HTTP_SECRETS_HPP
#define MCPD_SDK_HTTP_SECRETS_HPP

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace mcpd::sdk::http {

/// API keys and tokens of one upstream service. Everything the HTTP client reports (failure details,
/// retry notices) goes through redact(), and plugins pass upstream error bodies through it too, because
/// servers sometimes echo the key they refused.
class secret_list {
 public:
  /// Values shorter than 4 characters are ignored: replacing them would garble ordinary text and they
  /// are not real keys anyway.
  void add(std::string_view secret) {
    if (secret.size() < 4) return;
    if (std::find(secrets_.begin(), secrets_.end(), secret) != secrets_.end()) return;
    secrets_.emplace_back(secret);
    // Longest first, so a key that contains another key is replaced whole.
    std::sort(secrets_.begin(), secrets_.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  }

  /// `text` with every occurrence of every secret replaced by "[redacted]".
  std::string redact(std::string_view text) const {
    std::string out(text);
    for (const auto& secret : secrets_) {
      for (std::size_t at = out.find(secret); at != std::string::npos; at = out.find(secret, at)) {
        out.replace(at, secret.size(), replacement);
        at += replacement.size();
      }
    }
    return out;
  }

  bool empty() const noexcept { return secrets_.empty(); }

  static constexpr std::string_view replacement = "[redacted]";

 private:
  std::vector<std::string> secrets_;
};

}  // namespace mcpd::sdk::http

#endif  // MCPD_SDK_HTTP_SECRETS_HPP
