// JSON Schema 2020-12 validation of tool arguments, tool results and plugin config sections.
//
// Every keyword of the 2020-12 dialect is understood, $ref/$dynamicRef included; references resolve inside
// the schema, to the built-in 2020-12 meta-schemas, or to documents the caller preloaded, and are never
// fetched. A schema is compiled once, when the plugin that declares it is loaded, and then shared by every
// call: CompiledSchema is immutable after compile() and safe to use from many threads at once.
#pragma once

#include <boost/json/value.hpp>

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
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

/// The schema itself is malformed (e.g. "required": "x"), refers to a document that was not preloaded, or
/// uses something the validator does not support (back-references or lookarounds in a pattern). The message
/// names the schema location.
class SchemaError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Values nested deeper than this (arrays/objects inside each other) are rejected before any keyword runs,
/// so hostile input can never exhaust the stack.
inline constexpr std::size_t kMaxInstanceDepth = 128;

/// What "format" does. 2020-12 makes it an annotation: "format": "email" alone rejects nothing. Assertion
/// checks the formats the validator knows (date-time, date, time, duration, email, idn-email, hostname,
/// idn-hostname, ipv4, ipv6, uri, uri-reference, iri, iri-reference, uri-template, uuid, json-pointer,
/// relative-json-pointer, regex); unknown format names are still ignored. A schema whose "$schema" declares
/// the format-assertion vocabulary asserts formats either way.
enum class FormatMode { kAnnotation, kAssertion };

/// Schema documents that "$ref" may reach beyond the schema being compiled, by the absolute URI they are
/// known under (e.g. "http://localhost:1234/tree.json"). Nothing is ever fetched: a reference to a document
/// that is neither here, nor in the schema, nor one of the built-in 2020-12 meta-schemas is a SchemaError.
class SchemaDocuments {
 public:
  /// Adds, or replaces, the document known under `uri` (absolute, without a fragment).
  void add(std::string uri, boost::json::value document);
  /// nullptr when there is none.
  const boost::json::value* find(std::string_view uri) const;
  std::size_t size() const { return documents_.size(); }

 private:
  std::map<std::string, boost::json::value, std::less<>> documents_;
};

struct CompileOptions {
  FormatMode formats = FormatMode::kAnnotation;
  /// Must outlive compile() (not the compiled schema). nullptr: only the built-in meta-schemas.
  const SchemaDocuments* documents = nullptr;
};

class CompiledSchema {
 public:
  /// The schema `true`: accepts every value.
  CompiledSchema();

  /// Throws SchemaError naming the JSON pointer of the offending keyword.
  static CompiledSchema compile(const boost::json::value& schema, const CompileOptions& options = {});

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
