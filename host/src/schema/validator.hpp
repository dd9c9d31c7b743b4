// JSON Schema (2020-12 subset) validation of tool arguments, tool results and plugin config sections.
//
// A schema is compiled once, when the plugin that declares it is loaded, and then shared by every call:
// CompiledSchema is immutable after compile() and safe to use from many threads at once.
#pragma once

#include <boost/json/value.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace mcpd::schema {

namespace detail {
struct Graph;
}

/// One reason an instance does not satisfy a schema.
struct ValidationError {
  /// Where in the instance, e.g. "events[0].timestamp"; "" is the instance itself.
  std::string path;
  /// What was expected and what was got, e.g. `must be <= 1000, got 5000`.
  std::string message;

  /// "path: message", or just the message when the path is the root.
  std::string text() const;
};

/// The schema itself is malformed (e.g. "required": "x") or uses something the validator does not support
/// (remote $ref, back-references in a pattern, unevaluatedProperties). The message names the schema location.
class SchemaError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Values nested deeper than this (arrays/objects inside each other) are rejected before any keyword runs,
/// so hostile input can never exhaust the stack.
inline constexpr std::size_t kMaxInstanceDepth = 128;

class CompiledSchema {
 public:
  /// The schema `true`: accepts every value.
  CompiledSchema();

  /// Throws SchemaError naming the JSON pointer of the offending keyword.
  static CompiledSchema compile(const boost::json::value& schema);

  /// The first error found, or nullopt when `instance` is valid.
  std::optional<ValidationError> validate(const boost::json::value& instance) const;

  /// Up to `max_errors` errors (0 is treated as 1); empty when `instance` is valid.
  std::vector<ValidationError> validate_all(const boost::json::value& instance,
                                            std::size_t max_errors = 20) const;

 private:
  explicit CompiledSchema(std::shared_ptr<const detail::Graph> graph);

  std::shared_ptr<const detail::Graph> graph_;
};

/// The MCP rule for a tool's inputSchema: a JSON object schema declaring "type": "object".
/// Returns a description of the problem, or nullopt when the rule holds. (Well-formedness of the rest of the
/// schema is CompiledSchema::compile's job.)
std::optional<std::string> check_tool_input_schema(const boost::json::value& schema);

}  // namespace mcpd::schema
