// tracking.sessions_list: HogQL over the sessions table, newest first, paged with an opaque cursor.
#include "../queries/sessions_query.hpp"
#include "../util/cursor.hpp"
#include "../util/tool_names.hpp"
#include "arguments.hpp"
#include "time_window.hpp"
#include "tool_handlers.hpp"

namespace mcpd::tracking::tools {

sdk::tool_result sessions_list(const instance_registry& registry, sdk::call_context& ctx,
                               const boost::json::object& arguments) {
  constexpr tool_label tool{"sessions_list"};
  const auto& client = registry.client_for(tool, arguments, private_api_settings);

  sessions_filter filter;
  filter.distinct_id = arguments::optional_string(tool, arguments, "distinct_id");
  filter.limit = arguments::integer_or(tool, arguments, "limit", 100, 1, 1000);
  const auto since_argument = arguments::optional_string(tool, arguments, "since");
  const auto until_argument = arguments::optional_string(tool, arguments, "until");
  const std::string fingerprint = fingerprint_of("distinct_id=" + filter.distinct_id.value_or("\x01") +
                                                 "\nsince=" + since_argument.value_or("\x01") +
                                                 "\nuntil=" + until_argument.value_or("\x01"));
  const auto page = requested_window_page(tool, arguments, fingerprint, "-7d");
  filter.offset = page.offset;
  filter.since = page.window.since;
  filter.until = page.window.until;

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
    result["next_cursor"] =
        next_window_page_cursor(tool, fingerprint, filter.offset + filter.limit, page.window);
  }
  return sdk::tool_result::structured_with_text(std::move(result));
}

}  // namespace mcpd::tracking::tools
