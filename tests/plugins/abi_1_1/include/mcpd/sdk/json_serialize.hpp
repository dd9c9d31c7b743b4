// JSON text for people and language models as much as for parsers.
//
// Boost.JSON 1.81 writes every double in scientific notation: 30.0 becomes "3E1" and a conversion rate
// of 0.45 becomes "4.5E-1". That is valid JSON, but an agent reading a tool's text output (or a person
// reading a log) should see 30.0 and 0.45. to_json_text writes doubles as their shortest round-trip
// decimal form, keeps a ".0" on whole numbers so that they parse back as doubles, and is otherwise
// boost::json::serialize. Used by the SDK for results and by the host for every message it sends.
#ifndef MCPD_SDK_JSON_SERIALIZE_HPP
#define MCPD_SDK_JSON_SERIALIZE_HPP

#include <boost/json.hpp>

#include <charconv>
#include <cmath>
#include <string>
#include <string_view>

namespace mcpd::sdk {

namespace detail {

inline void append_json_text(std::string& out, const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& member : value.get_object()) {
        if (!first) out.push_back(',');
        first = false;
        out += boost::json::serialize(member.key());
        out.push_back(':');
        append_json_text(out, member.value());
      }
      out.push_back('}');
      return;
    }
    case boost::json::kind::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& element : value.get_array()) {
        if (!first) out.push_back(',');
        first = false;
        append_json_text(out, element);
      }
      out.push_back(']');
      return;
    }
    case boost::json::kind::double_: {
      const double number = value.get_double();
      char text[32];
      const auto written = std::isfinite(number) ? std::to_chars(text, text + sizeof text, number)
                                                 : std::to_chars_result{text, std::errc::value_too_large};
      if (written.ec != std::errc{}) break;  // not finite: Boost.JSON's own spelling below
      const std::string_view digits(text, static_cast<std::size_t>(written.ptr - text));
      out += digits;
      if (digits.find_first_of(".e") == std::string_view::npos) out += ".0";
      return;
    }
    default:
      break;
  }
  out += boost::json::serialize(value);
}

}  // namespace detail

/// `value` as compact JSON text, with doubles written as people write them (see the top of this file).
inline std::string to_json_text(const boost::json::value& value) {
  std::string out;
  detail::append_json_text(out, value);
  return out;
}

}  // namespace mcpd::sdk

#endif  // MCPD_SDK_JSON_SERIALIZE_HPP
