#include "query_definition.hpp"

#include <string>

namespace mcpd::tracking::tool_definitions {
namespace {

// The numbers that depend on the configuration (limit's maximum and default, timeout_ms's) are set after
// parsing; endpoint, scope and rate limits are in docs/tracking.md, not here, to keep what agents read
// every turn short.
constexpr std::string_view definition = R"json({
    "title": "Run a read-only HogQL query",
    "inputSchema": {
      "type": "object",
      "additionalProperties": false,
      "required": ["query"],
      "properties": {
        "query": {
          "type": "string", "minLength": 1, "maxLength": 20000,
          "description": "One HogQL SELECT (or WITH ... SELECT), e.g. SELECT event, count() AS n FROM events WHERE timestamp > now() - INTERVAL 7 DAY GROUP BY event ORDER BY n DESC. Refer to values as {name}."
        },
        "values": {
          "type": "object", "maxProperties": 100,
          "propertyNames": {"pattern": "^[A-Za-z_][A-Za-z0-9_]{0,63}$"},
          "additionalProperties": {
            "type": ["string", "number", "boolean", "null", "array"],
            "items": {"type": ["string", "number", "boolean", "null"]}
          },
          "description": "Placeholder values by name, e.g. {\"user\": \"alice\"} for {user} in the query. PostHog inserts each as a constant, so quotes in it are data, never query text."
        },
        "limit": {
          "type": "integer", "minimum": 1,
          "description": "Most rows to return; truncated says when more matched."
        },
        "timeout_ms": {
          "type": "integer", "minimum": 1000,
          "description": "Give up on the query after this many milliseconds."
        }
      }
    },
    "outputSchema": {
      "type": "object",
      "additionalProperties": false,
      "required": ["columns", "types", "rows", "row_count", "truncated"],
      "properties": {
        "columns": {"type": "array", "items": {"type": "string"}, "description": "Column names, in the order of each row's cells."},
        "types": {"type": "array", "items": {"type": "string"}, "description": "ClickHouse type of each column, e.g. \"String\", \"UInt64\", \"DateTime64(6, 'UTC')\"; empty when PostHog gave none."},
        "rows": {"type": "array", "items": {"type": "array"}, "description": "The rows as PostHog returned them: one array of cells (any JSON value) per row, at most limit rows."},
        "row_count": {"type": "integer", "minimum": 0, "description": "Number of rows returned."},
        "truncated": {"type": "boolean", "description": "True when more rows matched than are returned; note says how to get them."},
        "hogql": {"type": "string", "description": "The query as PostHog ran it (its own rendering, with the LIMIT that applied)."},
        "note": {"type": "string", "description": "Why rows are missing and how to get them, when truncated."}
      }
    },
    "annotations": {"readOnlyHint": true, "destructiveHint": false, "idempotentHint": true, "openWorldHint": true}
  })json";

}  // namespace

sdk::tool_spec query_without_instance(const query_limits& limits) {
  const std::string max_rows = std::to_string(limits.max_rows);
  sdk::tool_spec spec = sdk::tool_spec_from_json(
      "query",
      "Answer an analytics question the other tools do not cover with one read-only HogQL query. HogQL is "
      "PostHog's SQL dialect of ClickHouse over tables such as events, persons and sessions. Only a single "
      "SELECT (or WITH ... SELECT) is accepted. Put values that come from the user in \"values\" and write "
      "{name} placeholders in the query, never the values themselves. Returns at most limit rows (default " +
          std::to_string(limits.default_rows()) + ", up to " + max_rows +
          "); truncated says when more matched.",
      definition);
  auto& inputs = spec.input_schema.at("properties").as_object();
  auto& limit = inputs.at("limit").as_object();
  limit["maximum"] = limits.max_rows;
  limit["default"] = limits.default_rows();
  auto& timeout = inputs.at("timeout_ms").as_object();
  timeout["maximum"] = limits.timeout.count();
  timeout["default"] = limits.timeout.count();
  return spec;
}

}  // namespace mcpd::tracking::tool_definitions
