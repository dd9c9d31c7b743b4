// Typed tool arguments and results: each field is declared once, and that one declaration gives the
// JSON Schema (input or output), the conversion from the arguments, the default when an optional
// argument is left out, and the conversion of the result.
//
//   struct greet_args {
//     std::string name;
//     int times = 1;  // the default: used when "times" is left out, and advertised as "default": 1
//     static auto fields() {
//       return std::tuple{
//           sdk::field(&greet_args::name, "name", "Who to greet").with("minLength", 1),
//           sdk::field(&greet_args::times, "times", "How often").with("minimum", 1).optional()};
//     }
//   };
//   reg.typed_tool<greet_args>({.name = "greet", .description = "Says hello."},
//                              [](sdk::call_context&, const greet_args& a) { return sdk::tool_result{}...;
//                              });
//
// A handler that returns a struct with fields() instead of a tool_result gets an output schema made from
// it, and its value is sent as structuredContent with the same JSON as text (a floating-point member that
// holds a whole number is written as an integer: 42, not 42.0). Supported member types:
// std::string, bool, the integer and floating-point types, std::optional<T> (an argument that may be
// left out, with no default), std::vector<T>, boost::json::value / object / array (anything, an object,
// an array), and nested structs with their own fields().
#ifndef MCPD_SDK_TYPED_HPP
#define MCPD_SDK_TYPED_HPP

#include <mcpd/sdk/error.hpp>
#include <mcpd/sdk/registry.hpp>
#include <mcpd/sdk/specs.hpp>
#include <mcpd/sdk/tool_result.hpp>

#include <boost/json.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace mcpd::sdk {

/// One field of a typed struct: the member, its JSON name, its description and any further JSON Schema
/// keywords. Required unless .optional(), or unless its type is std::optional.
template <class Struct, class T>
struct field_def {
  T Struct::*member;
  std::string_view name;
  std::string_view description;
  bool required = true;
  json::object keywords{};

  /// May be left out; the member then keeps the value the struct's default constructor gives it, which
  /// the schema advertises as "default".
  [[nodiscard]] field_def optional() const {
    field_def copy = *this;
    copy.required = false;
    return copy;
  }
  /// Adds a JSON Schema keyword to this field's schema: "minLength", "maximum", "enum", "format", ...
  [[nodiscard]] field_def with(std::string_view keyword, json::value value) const {
    field_def copy = *this;
    copy.keywords[keyword] = std::move(value);
    return copy;
  }
};

template <class Struct, class T>
[[nodiscard]] field_def<Struct, T> field(T Struct::*member, std::string_view name,
                                         std::string_view description) {
  return field_def<Struct, T>{member, name, description};
}

namespace detail {

template <class T>
concept has_fields = requires {
  T::fields();
};

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

template <class T>
struct is_vector : std::false_type {};
template <class T, class A>
struct is_vector<std::vector<T, A>> : std::true_type {};

template <class T>
constexpr bool is_integer = std::is_integral_v<T> && !std::is_same_v<T, bool>;

// Why a type cannot be a typed field, said once, at the field that uses it.
template <class T>
constexpr bool always_false = false;

template <class T>
json::object schema_of();

template <has_fields T>
json::object object_schema();

template <class T>
json::object schema_of() {
  if constexpr (std::is_same_v<T, std::string>) {
    return {{"type", "string"}};
  } else if constexpr (std::is_same_v<T, bool>) {
    return {{"type", "boolean"}};
  } else if constexpr (is_integer<T>) {
    json::object schema{{"type", "integer"}};
    // A type narrower than 64 bits says its range, so the host refuses what would not fit.
    if constexpr (sizeof(T) < 8) {
      schema["minimum"] = static_cast<std::int64_t>(std::numeric_limits<T>::min());
      schema["maximum"] = static_cast<std::int64_t>(std::numeric_limits<T>::max());
    } else if constexpr (std::is_unsigned_v<T>) {
      schema["minimum"] = 0;
    }
    return schema;
  } else if constexpr (std::is_floating_point_v<T>) {
    return {{"type", "number"}};
  } else if constexpr (is_optional<T>::value) {
    return schema_of<typename T::value_type>();
  } else if constexpr (is_vector<T>::value) {
    return {{"type", "array"}, {"items", schema_of<typename T::value_type>()}};
  } else if constexpr (std::is_same_v<T, json::object>) {
    return {{"type", "object"}};
  } else if constexpr (std::is_same_v<T, json::array>) {
    return {{"type", "array"}};
  } else if constexpr (std::is_same_v<T, json::value>) {
    return {};
  } else if constexpr (has_fields<T>) {
    return object_schema<T>();
  } else {
    static_assert(always_false<T>,
                  "mcpd::sdk typed field: this member type has no JSON Schema. Use std::string, bool, an "
                  "integer or floating-point type, std::optional<T>, std::vector<T>, boost::json::value, "
                  "object or array, or a struct with its own `static auto fields()`.");
    return {};
  }
}

template <class T>
json::value to_json(const T& value);

template <has_fields T>
json::object object_schema() {
  json::object properties;
  json::array required;
  const T defaults{};
  std::apply(
      [&](const auto&... f) {
        (
            [&] {
              using M = std::remove_cvref_t<decltype(defaults.*(f.member))>;
              json::object schema = schema_of<M>();
              if (!f.description.empty()) schema["description"] = f.description;
              for (const auto& keyword : f.keywords) schema[keyword.key()] = keyword.value();
              const bool is_required = f.required && !is_optional<M>::value;
              if (is_required) {
                required.emplace_back(f.name);
              } else if constexpr (!is_optional<M>::value) {
                if (!schema.contains("default")) schema["default"] = to_json(defaults.*(f.member));
              }
              properties[f.name] = std::move(schema);
            }(),
            ...);
      },
      T::fields());
  json::object schema{{"type", "object"}, {"properties", std::move(properties)}};
  if (!required.empty()) schema["required"] = std::move(required);
  schema["additionalProperties"] = false;
  return schema;
}

// A value that does not fit its field: where (`path`, e.g. "where.city" or "days[2]") and what is wrong
// ("must be a string, not an integer"). The public readers turn it into their own wording: an argument
// for tools, a setting for plugin configuration.
struct value_problem : std::runtime_error {
  value_problem(std::string at, std::string what)
      : std::runtime_error(at + ": " + what), path(std::move(at)), problem(std::move(what)) {}
  std::string path;
  std::string problem;
};

[[noreturn]] inline void wrong_type(std::string_view path, std::string_view expected,
                                    const json::value& got) {
  static constexpr std::string_view kinds[] = {"null",     "a boolean", "an integer", "an integer",
                                               "a number", "a string",  "an array",   "an object"};
  throw value_problem(std::string(path), "must be " + std::string(expected) + ", not " +
                                             std::string(kinds[static_cast<int>(got.kind())]));
}

template <class T>
T from_json(const json::value& value, std::string_view path);

template <has_fields T>
T object_from_json(const json::object& object, std::string_view path);

template <class T>
T from_json(const json::value& value, std::string_view path) {
  if constexpr (std::is_same_v<T, std::string>) {
    if (!value.is_string()) wrong_type(path, "a string", value);
    return std::string(value.get_string());
  } else if constexpr (std::is_same_v<T, bool>) {
    if (!value.is_bool()) wrong_type(path, "true or false", value);
    return value.get_bool();
  } else if constexpr (is_integer<T>) {
    json::error_code ec;
    const auto number = value.to_number<T>(ec);  // refuses fractions, and values out of T's range
    if (ec) wrong_type(path, "an integer that fits", value);
    return number;
  } else if constexpr (std::is_floating_point_v<T>) {
    if (!value.is_number()) wrong_type(path, "a number", value);
    return value.to_number<T>();
  } else if constexpr (is_optional<T>::value) {
    return from_json<typename T::value_type>(value, path);
  } else if constexpr (is_vector<T>::value) {
    if (!value.is_array()) wrong_type(path, "an array", value);
    T out;
    out.reserve(value.get_array().size());
    std::size_t index = 0;
    for (const auto& element : value.get_array())
      out.push_back(from_json<typename T::value_type>(
          element, std::string(path) + "[" + std::to_string(index++) + "]"));
    return out;
  } else if constexpr (std::is_same_v<T, json::object>) {
    if (!value.is_object()) wrong_type(path, "an object", value);
    return value.get_object();
  } else if constexpr (std::is_same_v<T, json::array>) {
    if (!value.is_array()) wrong_type(path, "an array", value);
    return value.get_array();
  } else if constexpr (std::is_same_v<T, json::value>) {
    return value;
  } else if constexpr (has_fields<T>) {
    if (!value.is_object()) wrong_type(path, "an object", value);
    return object_from_json<T>(value.get_object(), path);
  } else {
    static_assert(always_false<T>, "mcpd::sdk typed field: this member type cannot be read from JSON.");
    return T{};
  }
}

template <has_fields T>
T object_from_json(const json::object& object, std::string_view path) {
  T out{};
  const auto name_of = [&](std::string_view field) {
    return path.empty() ? std::string(field) : std::string(path) + "." + std::string(field);
  };
  std::apply(
      [&](const auto&... f) {
        (
            [&] {
              using M = std::remove_cvref_t<decltype(out.*(f.member))>;
              const json::value* given = object.if_contains(f.name);
              if (given == nullptr || (given->is_null() && is_optional<M>::value)) {
                if (f.required && !is_optional<M>::value) throw value_problem(name_of(f.name), "is required");
                return;  // the struct's default stays
              }
              out.*(f.member) = from_json<M>(*given, name_of(f.name));
            }(),
            ...);
      },
      T::fields());
  return out;
}

template <class T>
json::value to_json(const T& value) {
  if constexpr (std::is_floating_point_v<T>) {
    // A whole number is written as people write it, 42 rather than 42.0: the schema says "number" either
    // way, and an agent reading the text twin should not wonder about the fraction.
    constexpr double exact_integer_limit = 9007199254740992.0;  // 2^53
    const double number = static_cast<double>(value);
    if (std::trunc(number) == number && std::fabs(number) < exact_integer_limit)
      return static_cast<std::int64_t>(number);
    return number;
  } else if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, bool> || is_integer<T> ||
                       std::is_same_v<T, json::object> || std::is_same_v<T, json::array> ||
                       std::is_same_v<T, json::value>) {
    return json::value(value);
  } else if constexpr (is_optional<T>::value) {
    return value ? to_json(*value) : json::value(nullptr);
  } else if constexpr (is_vector<T>::value) {
    json::array out;
    out.reserve(value.size());
    for (const auto& element : value) out.push_back(to_json(element));
    return out;
  } else if constexpr (has_fields<T>) {
    json::object out;
    std::apply(
        [&](const auto&... f) {
          (
              [&] {
                const auto& member = value.*(f.member);
                using M = std::remove_cvref_t<decltype(member)>;
                if constexpr (is_optional<M>::value) {
                  if (!member) return;  // left out, as the schema allows
                }
                out[f.name] = to_json(member);
              }(),
              ...);
        },
        T::fields());
    return out;
  } else {
    static_assert(always_false<T>, "mcpd::sdk typed field: this member type cannot be written as JSON.");
    return nullptr;
  }
}

}  // namespace detail

/// The JSON Schema of a struct with fields(): what typed_tool publishes as inputSchema or outputSchema.
template <detail::has_fields T>
[[nodiscard]] json::object schema_of() {
  return detail::object_schema<T>();
}

/// The struct read from a JSON object: every field present is converted (a wrong type is an sdk::error
/// naming the argument and what it must be), every field left out keeps its default.
template <detail::has_fields T>
[[nodiscard]] T from_arguments(const json::object& arguments) {
  try {
    return detail::object_from_json<T>(arguments, "");
  } catch (const detail::value_problem& wrong) {
    throw error(MCPD_ERR_INVALID_ARGUMENT, "argument \"" + wrong.path + "\" " + wrong.problem);
  }
}

/// The struct as a JSON object; a std::optional member that is empty is left out.
template <detail::has_fields T>
[[nodiscard]] json::object to_object(const T& value) {
  return detail::to_json(value).as_object();
}

template <class Args, class Handler>
void registry::typed_tool(tool_spec spec, Handler handler) {
  static_assert(detail::has_fields<Args>,
                "mcpd::sdk::registry::typed_tool<Args>: Args must be a struct with `static auto fields()`");
  using Result = std::invoke_result_t<Handler&, call_context&, const Args&>;
  static_assert(std::is_same_v<Result, tool_result> || detail::has_fields<Result>,
                "mcpd::sdk::registry::typed_tool: the handler must return sdk::tool_result or a struct with "
                "`static auto fields()`");
  if (!spec.input_schema.empty())
    throw error(MCPD_ERR_INVALID_ARGUMENT,
                "tool \"" + spec.name +
                    "\": typed_tool makes input_schema from the argument struct; "
                    "leave input_schema empty and add keywords with field().with()");
  spec.input_schema = schema_of<Args>();
  if constexpr (std::is_same_v<Result, tool_result>) {
    tool(std::move(spec),
         [handler = std::move(handler)](call_context& context, const json::object& arguments) {
           return handler(context, from_arguments<Args>(arguments));
         });
  } else {
    if (spec.output_schema)
      throw error(MCPD_ERR_INVALID_ARGUMENT, "tool \"" + spec.name +
                                                 "\": typed_tool makes output_schema from the result struct; "
                                                 "leave output_schema empty");
    spec.output_schema = schema_of<Result>();
    tool(std::move(spec), [handler = std::move(handler)](call_context& context,
                                                         const json::object& arguments) {
      return tool_result::structured_with_text(to_object(handler(context, from_arguments<Args>(arguments))));
    });
  }
}

}  // namespace mcpd::sdk

#endif  // MCPD_SDK_TYPED_HPP
