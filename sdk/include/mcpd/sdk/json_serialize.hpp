// JSON text for people and language models as much as for parsers, written in one pass.
//
// Boost.JSON 1.81 writes every double in scientific notation: 30.0 becomes "3E1" and a conversion rate
// of 0.45 becomes "4.5E-1". That is valid JSON, but an agent reading a tool's text output (or a person
// reading a log) should see 30.0 and 0.45. to_json_text writes doubles as their shortest round-trip
// decimal form and keeps a ".0" on whole numbers so that they parse back as doubles; everything else is
// spelled exactly as boost::json::serialize spells it. Used by the SDK for results and by the host for
// every message it sends.
//
// Why not boost::json::serialize underneath: it builds each string by resizing its buffer to capacity
// (zero-filling it) and copying, so a 1 MiB value cost a zero-fill, a copy into a temporary and a copy
// into the message, each in freshly faulted pages. This writer sizes the text once up front (every value
// without escapes is exact) and copies each string straight into it.
#ifndef MCPD_SDK_JSON_SERIALIZE_HPP
#define MCPD_SDK_JSON_SERIALIZE_HPP

#include <boost/json.hpp>

#include <charconv>
#include <cmath>
#include <cstddef>
#include <string>
#include <string_view>

namespace mcpd::sdk {

namespace detail {

// The size of the text when no string needs an escape: enough to reserve once for nearly every message.
inline std::size_t json_text_size_hint(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::object: {
      std::size_t size = 2;
      for (const auto& member : value.get_object())
        size += member.key().size() + 4 + json_text_size_hint(member.value());
      return size;
    }
    case boost::json::kind::array: {
      std::size_t size = 2;
      for (const auto& element : value.get_array()) size += 1 + json_text_size_hint(element);
      return size;
    }
    case boost::json::kind::string:
      return value.get_string().size() + 2;
    case boost::json::kind::null:
    case boost::json::kind::bool_:
      return 5;
    default:
      return 24;  // a number
  }
}

// Appends `text` as a JSON string with Boost.JSON's escapes: \" \\ \b \f \n \r \t, other control
// characters as \u00XX, everything else (UTF-8 included) as it is.
inline void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  const char* run = text.data();
  const char* const end = text.data() + text.size();
  for (const char* p = run; p != end; ++p) {
    const auto c = static_cast<unsigned char>(*p);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(run, static_cast<std::size_t>(p - run));
    run = p + 1;
    out.push_back('\\');
    switch (c) {
      case '"':
      case '\\':
        out.push_back(static_cast<char>(c));
        break;
      case '\b':
        out.push_back('b');
        break;
      case '\f':
        out.push_back('f');
        break;
      case '\n':
        out.push_back('n');
        break;
      case '\r':
        out.push_back('r');
        break;
      case '\t':
        out.push_back('t');
        break;
      default: {
        const char escape[] = {'u', '0', '0', kHex[c >> 4], kHex[c & 0xf]};
        out.append(escape, sizeof escape);
      }
    }
  }
  out.append(run, static_cast<std::size_t>(end - run));
  out.push_back('"');
}

inline void append_json_text(std::string& out, const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& member : value.get_object()) {
        if (!first) out.push_back(',');
        first = false;
        append_json_string(out, member.key());
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
    case boost::json::kind::string:
      append_json_string(out, value.get_string());
      return;
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
  // Numbers, booleans and null: a few characters, written by Boost.JSON into a small buffer.
  char scalar[64];
  boost::json::serializer writer;
  writer.reset(&value);
  while (!writer.done()) out += writer.read(scalar, sizeof scalar);
}

}  // namespace detail

/// `value` as compact JSON text, with doubles written as people write them (see the top of this file).
/// `reserve_extra` bytes of capacity are left after the text (a transport's line ending, say).
inline std::string to_json_text(const boost::json::value& value, std::size_t reserve_extra = 0) {
  std::string out;
  out.reserve(detail::json_text_size_hint(value) + reserve_extra);
  detail::append_json_text(out, value);
  return out;
}

}  // namespace mcpd::sdk

#endif  // MCPD_SDK_JSON_SERIALIZE_HPP
