#include "query_definition.hpp"

namespace mcpd::tracking::tool_definitions {

sdk::tool_spec with_query_limits(sdk::tool_spec query, const query_limits& limits) {
  auto& inputs = query.input_schema.at("properties").as_object();
  auto& limit = inputs.at("limit").as_object();
  limit["maximum"] = limits.max_rows;
  limit["default"] = limits.default_rows();
  auto& timeout = inputs.at("timeout_ms").as_object();
  timeout["maximum"] = limits.timeout.count();
  timeout["default"] = limits.timeout.count();
  return query;
}

}  // namespace mcpd::tracking::tool_definitions
