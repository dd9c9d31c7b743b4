// tracking.query: one read-only HogQL query through POST /api/projects/{id}/query/, with placeholder
// values, a row cap and a time limit.
#include <chrono>

#include "../queries/hogql_rows.hpp"
#include "../queries/read_only_hogql.hpp"
#include "../util/tool_names.hpp"
#include "arguments.hpp"
#include "tool_handlers.hpp"

namespace mcpd::tracking::tools {
namespace {

constexpr tool_label tool{"query"};

// HogQL's {name} placeholders: a name PostHog can look up in HogQLQuery.values.
bool is_placeholder_name(std::string_view name) {
  if (name.empty() || name.size() > 64 || (name[0] >= '0' && name[0] <= '9')) return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

bool is_constant(const boost::json::value& value) {
  return value.is_string() || value.is_number() || value.is_bool() || value.is_null();
}

boost::json::object read_values(const boost::json::object& arguments) {
  const auto* values = arguments::optional_object(tool, arguments, "values");
  if (values == nullptr) return {};
  for (const auto& [name, value] : *values) {
    const std::string key(name.substr(0, 64));
    if (!is_placeholder_name(name)) {
      throw tool_input_error(std::string(tool) + ": \"values\" has the key \"" + key +
                             "\": a placeholder name has letters, digits and _ only, does not start with a "
                             "digit, and the query refers to it as {name}");
    }
    bool constant = is_constant(value);
    if (value.is_array()) {
      constant = true;
      for (const auto& item : value.get_array()) constant = constant && is_constant(item);
    }
    if (!constant) {
      throw tool_input_error(std::string(tool) + ": \"values." + key +
                             "\" must be a string, number, boolean, null or an array of those: a placeholder "
                             "stands for one constant");
    }
  }
  return *values;
}

std::string timeout_message(std::chrono::milliseconds time_limit, const query_limits& limits) {
  std::string message = std::string(tool) + ": PostHog did not finish the query within its time limit of " +
                        std::to_string(time_limit.count()) +
                        " ms. Make it cheaper (a narrower time range such as WHERE timestamp > now() - "
                        "INTERVAL 1 DAY, fewer columns, an aggregate) and call again";
  if (time_limit < limits.timeout) {
    return message + ", or pass a larger timeout_ms (up to " + std::to_string(limits.timeout.count()) + ").";
  }
  return message + "; an operator can raise plugin_config.tracking.query.timeout_ms.";
}

}  // namespace

sdk::tool_result query(const instance_registry& registry, sdk::call_context& ctx,
                       const boost::json::object& arguments) {
  const query_limits& limits = registry.options().query;
  const auto text = arguments::optional_string(tool, arguments, "query");
  if (!text) {
    throw tool_input_error(
        std::string(tool) +
        ": \"query\" is required: one HogQL SELECT, e.g. SELECT event, count() FROM events "
        "GROUP BY event");
  }
  read_only_hogql checked;
  try {
    checked = check_read_only_hogql(*text);
  } catch (const std::invalid_argument& refusal) {
    throw tool_input_error(std::string(tool) + ": " + refusal.what());
  }
  const auto values = read_values(arguments);
  const auto limit =
      arguments::integer_or(tool, arguments, "limit", limits.default_rows(), 1, limits.max_rows);
  const std::chrono::milliseconds time_limit(arguments::integer_or(
      tool, arguments, "timeout_ms", limits.timeout.count(), 1000, limits.timeout.count()));

  const auto& client = registry.client_for(tool, arguments, private_api_settings);
  // The time limit covers the whole call (project lookup, rate-limit waits, retries): past it the client
  // stops as if the caller had cancelled, and the message says which of the two it was.
  const auto deadline = std::chrono::steady_clock::now() + time_limit;
  const auto overdue = [deadline] { return std::chrono::steady_clock::now() >= deadline; };
  auto hooks = client.hooks(ctx);
  hooks.cancelled = [&ctx, overdue] { return ctx.cancelled() || overdue(); };

  auto context = client.context(tool, posthog_key::personal, "query:read");
  context.invalid_request_fix = "correct the query as PostHog explains and call again";
  const boost::json::object body{{"query", hogql_rows_query(checked, values, limit)},
                                 {"name", "mcpd tracking.query"}};
  boost::json::value answer;
  try {
    const auto path = client.project_path(tool, hooks).literal("/query").slash();
    answer = client.private_request(context, "POST", path.str(), &body, hooks);
  } catch (const upstream_error& failure) {
    if (failure.cancelled() && !ctx.cancelled() && overdue()) {
      throw upstream_error(timeout_message(time_limit, limits), 0);
    }
    throw;
  }
  try {
    if (!answer.is_object()) throw std::invalid_argument("the query answer is not a JSON object");
    return sdk::tool_result::structured_with_text(
        hogql_rows_result(answer.get_object(), limit, limits.max_rows));
  } catch (const std::invalid_argument& bad) {
    throw upstream_error(std::string(tool) + ": PostHog's query answer has an unexpected shape (" +
                             bad.what() + "); check that api_host is a PostHog instance.",
                         0);
  }
}

}  // namespace mcpd::tracking::tools
