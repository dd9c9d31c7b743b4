#include "config/json_text.hpp"

#include "config/config.hpp"

#include <boost/json/stream_parser.hpp>

#include <cstddef>
#include <string>

namespace mcpd::config::detail {
namespace {

// Deep enough for any real config; the parser refuses deeper documents instead of recursing.
constexpr std::size_t kMaxConfigDepth = 64;

[[noreturn]] void fail_at(std::string_view text, std::size_t offset, std::string_view source,
                          const std::string& reason) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {  // count characters, not UTF-8 bytes
      ++column;
    }
  }
  throw ConfigError(std::string(source) + ": invalid JSON at line " + std::to_string(line) + ", column " +
                    std::to_string(column) + " (" + reason + ")");
}

}  // namespace

boost::json::value parse_json_text(std::string_view text, std::string_view source) {
  boost::json::parse_options options;
  options.max_depth = kMaxConfigDepth;
  // A configuration file explains itself: // and /* */ comments are allowed (examples/mcpd.json is one).
  options.allow_comments = true;
  boost::json::stream_parser parser({}, options);
  boost::json::error_code ec;
  const std::size_t consumed = parser.write(text.data(), text.size(), ec);
  if (ec) fail_at(text, consumed, source, ec.message());
  parser.finish(ec);
  if (ec)
    fail_at(text, text.size(), source,
            text.find_first_not_of(" \t\r\n") == std::string_view::npos
                ? "the text is empty"
                : "the document ends too early: " + ec.message());
  return parser.release();
}

}  // namespace mcpd::config::detail
