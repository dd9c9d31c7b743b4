// mcpd::sdk::http::secret_list: the values that must never reach a log line or an error message.
#ifndef MCPD_SDK_HTTP_SECRETS_HPP
#define MCPD_SDK_HTTP_SECRETS_HPP

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
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

  /// The length of the longest secret (0 without any).
  std::size_t longest() const noexcept { return secrets_.empty() ? 0 : secrets_.front().size(); }

  /// Where the first secret in `text` starts and how long it is (the longest of those starting there);
  /// {npos, 0} when there is none.
  std::pair<std::size_t, std::size_t> first_in(std::string_view text) const {
    std::pair<std::size_t, std::size_t> first{std::string_view::npos, 0};
    for (const auto& secret : secrets_) {  // longest first, so a tie keeps the longest
      const auto at = text.find(secret);
      if (at < first.first) first = {at, secret.size()};
    }
    return first;
  }

  static constexpr std::string_view replacement = "[redacted]";

 private:
  std::vector<std::string> secrets_;
};

/// The length of the longest prefix of `text` that does not end in the middle of a UTF-8 character.
inline std::size_t complete_utf8_prefix(std::string_view text) {
  std::size_t lead = text.size();  // one past the last character's first byte, once found
  while (lead > 0 && text.size() - lead < 3 && (static_cast<unsigned char>(text[lead - 1]) & 0xC0) == 0x80)
    --lead;
  if (lead == 0) return text.size();
  const auto first = static_cast<unsigned char>(text[lead - 1]);
  const std::size_t length = first < 0x80           ? 1
                             : (first >> 5) == 0x6  ? 2
                             : (first >> 4) == 0xE  ? 3
                             : (first >> 3) == 0x1E ? 4
                                                    : 1;
  return text.size() - (lead - 1) < length ? lead - 1 : text.size();
}

/// The start of `text` for an error message or a log line: at most `limit` bytes, secrets redacted BEFORE
/// the cut (a key straddling the cut would otherwise survive in part, and a part is no longer recognised),
/// line breaks and tabs turned into spaces, "..." when something was left out, and never half a UTF-8
/// character. Only the part of `text` that can overlap the kept bytes is scanned, so a huge body is cheap.
inline std::string redacted_excerpt(std::string_view text, std::size_t limit, const secret_list* secrets) {
  const std::size_t longest = secrets != nullptr ? secrets->longest() : 0;
  std::string out;
  std::size_t pos = 0;
  // Left to right: copy up to the next secret and replace it, until more than `limit` bytes are out. Each
  // search looks only as far as the bytes still wanted plus one secret, so a huge text costs what is kept,
  // and redaction shrinking (or growing) the text never moves the cut onto an unredacted secret.
  while (pos < text.size() && out.size() <= limit) {
    const std::size_t wanted = limit + 1 - out.size();
    const std::string_view ahead = text.substr(pos, wanted + longest);
    const auto [at, length] =
        secrets != nullptr ? secrets->first_in(ahead) : std::pair{std::string_view::npos, std::size_t{0}};
    if (at < wanted) {
      out.append(ahead.substr(0, at));
      out.append(secret_list::replacement);
      pos += at + length;
    } else {
      const std::size_t taken = std::min(wanted, text.size() - pos);
      out.append(text.substr(pos, taken));
      pos += taken;
    }
  }
  bool cut = pos < text.size();
  if (out.size() > limit) {
    out.resize(limit);
    cut = true;
  }
  if (cut) out.resize(complete_utf8_prefix(out));
  for (char& c : out) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (cut) out += "...";
  return out;
}

}  // namespace mcpd::sdk::http

#endif  // MCPD_SDK_HTTP_SECRETS_HPP
