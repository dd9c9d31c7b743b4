#include "schema/json_values.hpp"

#include "schema/utf8.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>

namespace mcpd::schema::detail {
namespace json = boost::json;

namespace {

double as_double(const json::value& v) {
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  return v.get_double();
}

bool is_exact_integer(const json::value& v) {
  return v.is_int64() || v.is_uint64();
}

template <typename T>
int three_way(T a, T b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

// Shortest text that reads back to the same double.
std::string double_text(double d) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, d);
  return std::string(buffer, result.ptr);
}

std::size_t mix(std::size_t seed, std::size_t value) {
  return seed ^ (value + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2));
}

}  // namespace

bool is_number(const json::value& v) {
  return v.is_int64() || v.is_uint64() || v.is_double();
}

bool is_integer(const json::value& v) {
  if (is_exact_integer(v)) return true;
  if (!v.is_double()) return false;
  const double d = v.get_double();
  return std::isfinite(d) && std::floor(d) == d;
}

int compare_numbers(const json::value& a, const json::value& b) {
  if (is_exact_integer(a) && is_exact_integer(b)) {
    if (a.is_int64() && b.is_int64()) return three_way(a.get_int64(), b.get_int64());
    if (a.is_uint64() && b.is_uint64()) return three_way(a.get_uint64(), b.get_uint64());
    // One signed, one unsigned: a negative signed value is the smaller; otherwise compare as unsigned.
    if (a.is_int64()) {
      if (a.get_int64() < 0) return -1;
      return three_way(static_cast<std::uint64_t>(a.get_int64()), b.get_uint64());
    }
    if (b.get_int64() < 0) return 1;
    return three_way(a.get_uint64(), static_cast<std::uint64_t>(b.get_int64()));
  }
  return three_way(as_double(a), as_double(b));
}

bool is_multiple_of(const json::value& value, const json::value& divisor) {
  if (is_exact_integer(value) && is_exact_integer(divisor)) {
    // divisor > 0 is guaranteed by compile(); work in unsigned magnitudes to avoid INT64_MIN overflow.
    const std::uint64_t d =
        divisor.is_int64() ? static_cast<std::uint64_t>(divisor.get_int64()) : divisor.get_uint64();
    std::uint64_t magnitude = 0;
    if (value.is_uint64()) {
      magnitude = value.get_uint64();
    } else {
      const std::int64_t v = value.get_int64();
      magnitude = v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
    }
    return magnitude % d == 0;
  }
  const double quotient = as_double(value) / as_double(divisor);
  if (!std::isfinite(quotient)) return false;
  // Beyond 2^53 every double is an integer; below, allow the rounding error of one division.
  const double nearest = std::round(quotient);
  return std::fabs(quotient - nearest) <= 1e-9 * std::max(1.0, std::fabs(quotient));
}

bool json_equal(const json::value& a, const json::value& b) {
  if (is_number(a) && is_number(b)) return compare_numbers(a, b) == 0;
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case json::kind::null:
      return true;
    case json::kind::bool_:
      return a.get_bool() == b.get_bool();
    case json::kind::string:
      return a.get_string() == b.get_string();
    case json::kind::array: {
      const auto& x = a.get_array();
      const auto& y = b.get_array();
      if (x.size() != y.size()) return false;
      for (std::size_t i = 0; i < x.size(); ++i) {
        if (!json_equal(x[i], y[i])) return false;
      }
      return true;
    }
    case json::kind::object: {
      const auto& x = a.get_object();
      const auto& y = b.get_object();
      if (x.size() != y.size()) return false;
      for (const auto& member : x) {
        const json::value* other = y.if_contains(member.key());
        if (other == nullptr || !json_equal(member.value(), *other)) return false;
      }
      return true;
    }
    default:
      return false;  // numbers were handled above
  }
}

std::size_t json_hash(const json::value& v) {
  if (is_number(v)) {
    // Equal numbers must hash equally across representations: integral values hash as integers.
    if (v.is_int64()) return std::hash<std::int64_t>{}(v.get_int64());
    if (v.is_uint64()) {
      const std::uint64_t u = v.get_uint64();
      if (u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        return std::hash<std::int64_t>{}(static_cast<std::int64_t>(u));
      }
      return std::hash<double>{}(static_cast<double>(u));
    }
    const double d = v.get_double();
    if (is_integer(v) && d >= -9.2e18 && d <= 9.2e18)
      return std::hash<std::int64_t>{}(static_cast<std::int64_t>(d));
    return std::hash<double>{}(d);
  }
  switch (v.kind()) {
    case json::kind::null:
      return 0x6e756c6cU;
    case json::kind::bool_:
      return v.get_bool() ? 0x74727565U : 0x66616c73U;
    case json::kind::string:
      return std::hash<std::string_view>{}(std::string_view(v.get_string()));
    case json::kind::array: {
      std::size_t seed = 0x61727261U;
      for (const auto& item : v.get_array()) seed = mix(seed, json_hash(item));
      return seed;
    }
    case json::kind::object: {
      // Member order does not matter for equality, so combine member hashes commutatively.
      std::size_t sum = 0x6f626a65U;
      for (const auto& member : v.get_object()) {
        sum += mix(std::hash<std::string_view>{}(std::string_view(member.key())), json_hash(member.value()));
      }
      return sum;
    }
    default:
      return 0;
  }
}

std::string number_text(const json::value& number) {
  if (number.is_int64()) return std::to_string(number.get_int64());
  if (number.is_uint64()) return std::to_string(number.get_uint64());
  return double_text(number.get_double());
}

std::string describe_value(const json::value& v) {
  switch (v.kind()) {
    case json::kind::object:
      return "an object";
    case json::kind::array:
      return "an array";
    case json::kind::string:
      return short_json(v, 60);
    default:
      return short_json(v);
  }
}

std::string describe_hidden_value(const json::value& v) {
  switch (v.kind()) {
    case json::kind::object:
      return "an object (value hidden)";
    case json::kind::array:
      return "an array (value hidden)";
    case json::kind::string:
      return "a string (value hidden)";
    case json::kind::bool_:
      return "a boolean (value hidden)";
    case json::kind::null:
      return "null";
    default:
      return "a number (value hidden)";
  }
}

std::string short_json(const json::value& v, std::size_t max_code_points) {
  if (is_number(v)) return number_text(v);
  if (v.is_string()) {
    const std::string_view content = v.get_string();
    const std::string_view kept = prefix_code_points(content, max_code_points);
    if (kept.size() == content.size()) return json::serialize(v);
    std::string quoted = json::serialize(json::value(json::string_view(kept.data(), kept.size())));
    quoted.insert(quoted.size() - 1, "...");
    return quoted;
  }
  std::string text = json::serialize(v);
  const std::string_view kept = prefix_code_points(text, max_code_points);
  if (kept.size() == text.size()) return text;
  return std::string(kept) + "...";
}

const char* type_name(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "boolean";
    case json::kind::string:
      return "string";
    case json::kind::array:
      return "array";
    case json::kind::object:
      return "object";
    case json::kind::double_:
      return is_integer(v) ? "integer" : "number";
    default:
      return "integer";
  }
}

}  // namespace mcpd::schema::detail
