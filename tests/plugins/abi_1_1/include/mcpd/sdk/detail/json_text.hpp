// JSON text crossing the ABI: parsing borrowed text into objects with messages that say what was wrong.
#ifndef MCPD_SDK_DETAIL_JSON_TEXT_HPP
#define MCPD_SDK_DETAIL_JSON_TEXT_HPP

#include <mcpd/sdk/error.hpp>

#include <string>
#include <string_view>

namespace mcpd::sdk::detail {

/// Parses `text` as a JSON value; throws sdk::error(status) naming `what` when it is not valid JSON.
inline json::value parse_value(std::string_view text, std::string_view what,
                               mcpd_status status = MCPD_ERR_INVALID_ARGUMENT) {
  boost::system::error_code ec;
  json::value value = json::parse(json::string_view{text.data(), text.size()}, ec);
  if (ec) {
    throw error(status, std::string(what) + ": not valid JSON (" + ec.message() + ")");
  }
  return value;
}

/// Parses `text` as a JSON object; absent or empty text is the empty object. Throws sdk::error(status)
/// naming `what` otherwise.
inline json::object parse_object(std::string_view text, std::string_view what,
                                 mcpd_status status = MCPD_ERR_INVALID_ARGUMENT) {
  if (text.empty()) {
    return {};
  }
  json::value value = parse_value(text, what, status);
  if (!value.is_object()) {
    throw error(status, std::string(what) + ": must be a JSON object, got " +
                            std::string(json::to_string(value.kind())));
  }
  return std::move(value.as_object());
}

}  // namespace mcpd::sdk::detail

#endif  // MCPD_SDK_DETAIL_JSON_TEXT_HPP
