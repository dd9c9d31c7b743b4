// tracking.sessions_list: HogQL over the sessions table, newest first, paged with an opaque cursor.
#include <chrono>

#include "../queries/sessions_query.hpp"
#include "../util/cursor.hpp"
#include "arguments.hpp"
#include "time_window.hpp"
#include "tool_handlers.hpp"

namespace mcpd::tracking::tools {

sdk::tool_result sessions_list(const instance_registry& registry, sdk::call_context& ctx,
                               const boost::json::object& arguments) {
  constexpr std::string_view tool = "tracking.sessions_list";
  const auto& client = registry.client_for(tool, arguments, private_api_settings);

  sessions_filter filter;
  filter.distinct_id = arguments::optional_string(tool, arguments, "distinct_id");
  filter.limit = arguments::integer_or(tool, arguments, "limit", 100, 1, 1000);
  const auto since_argument = arguments::optional_string(tool, arguments, "since");
  const auto until_argument = arguments::optional_string(tool, arguments, "until");
  const std::string fingerprint = fingerprint_of("distinct_id=" + filter.distinct_id.value_or("\x01") +
                                                 "\nsince=" + since_argument.value_or("\x01") +
                                                 "\nuntil=" + until_argument.value_or("\x01"));
  if (const auto cursor = arguments::optional_string(tool, arguments, "cursor")) {
    boost::json::object state;
    try {
      state = decode_cursor(tool, fingerprint, *cursor);
    } catch (const std::invalid_argument& bad) {
      throw tool_input_error(bad.what());
    }
    const auto* offset = state.if_contains("o");
    const auto* since = state.if_contains("s");
    const auto* until = state.if_contains("u");
    if (offset == nullptr || !offset->is_int64() || offset->get_int64() < 0 || since == nullptr ||
        !since->is_string() || until == nullptr || !until->is_string()) {
      throw tool_input_error(std::string(tool) +
                             ": \"cursor\" is damaged; omit it to start from the first page");
    }
    filter.offset = offset->get_int64();
    filter.since = std::string(since->get_string());
    filter.until = std::string(until->get_string());
  } else {
    const auto now =
        std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
    const auto window = resolve_time_window(tool, arguments, "-7d", now);
    filter.since = window.since;
    filter.until = window.until;
  }

  const auto hooks = client.hooks(ctx);
  auto target = client.project_path(tool, hooks).literal("/query").slash();
  const boost::json::object body{{"query", sessions_hogql_query(filter)},
                                 {"name", "mcpd tracking.sessions_list"}};
  const auto context = client.context(tool, posthog_key::personal, "query:read");
  const auto answer = client.private_request(context, "POST", target.str(), &body, hooks);

  boost::json::array sessions;
  std::size_t rows = 0;
  try {
    if (!answer.is_object()) throw std::invalid_argument("the query answer is not a JSON object");
    sessions = sessions_from_response(answer.get_object());
    rows = answer.get_object().at("results").get_array().size();
  } catch (const std::invalid_argument& bad) {
    throw upstream_error(std::string(tool) + ": PostHog's query answer has an unexpected shape (" +
                             bad.what() + "); is api_host a PostHog instance with the sessions table?",
                         0);
  }
  const bool has_more = rows > static_cast<std::size_t>(filter.limit);
  if (sessions.size() > static_cast<std::size_t>(filter.limit))
    sessions.resize(static_cast<std::size_t>(filter.limit));

  boost::json::object result{{"sessions", std::move(sessions)}, {"has_more", has_more}};
  if (has_more) {
    result["next_cursor"] = encode_cursor(
        tool, fingerprint,
        boost::json::object{{"o", filter.offset + filter.limit}, {"s", filter.since}, {"u", filter.until}});
  }
  return sdk::tool_result::structured_with_text(std::move(result));
}

}  // namespace mcpd::tracking::tools
