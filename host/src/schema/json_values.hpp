// JSON value semantics as JSON Schema defines them (1 and 1.0 are the same number) and the way values are
// quoted in error messages.
#pragma once

#include <boost/json/value.hpp>

#include <cstddef>
#include <string>

namespace mcpd::schema::detail {

/// True for int64/uint64 and for doubles with no fractional part (3.0 is an integer in JSON Schema).
bool is_integer(const boost::json::value& v);
bool is_number(const boost::json::value& v);

/// -1, 0 or 1; both arguments must be numbers. Integers compare exactly, mixed pairs through double.
int compare_numbers(const boost::json::value& a, const boost::json::value& b);

/// `value` is an integer multiple of `divisor` (> 0), with a relative tolerance for binary fractions so that
/// 0.3 is a multiple of 0.1.
bool is_multiple_of(const boost::json::value& value, const boost::json::value& divisor);

/// Structural equality with numeric equality for numbers and order-free object comparison.
bool json_equal(const boost::json::value& a, const boost::json::value& b);

/// Consistent with json_equal: equal values hash equally.
std::size_t json_hash(const boost::json::value& v);

/// A number for humans: 5000, -3, 0.5, 1e+300 (never Boost's "5E-1").
std::string number_text(const boost::json::value& number);

/// How a value is quoted in a message: strings JSON-quoted and shortened, numbers/booleans/null as written,
/// containers by kind ("an object", "an array").
std::string describe_value(const boost::json::value& v);

/// The kind of a value without its content, for values that must not be echoed ("a string (value hidden)").
std::string describe_hidden_value(const boost::json::value& v);

/// A compact, shortened JSON rendering of a schema fragment (enum members, const values, "not" schemas).
std::string short_json(const boost::json::value& v, std::size_t max_code_points = 80);

/// "string", "integer", "number", ... as JSON Schema names the instance types.
const char* type_name(const boost::json::value& v);

}  // namespace mcpd::schema::detail
