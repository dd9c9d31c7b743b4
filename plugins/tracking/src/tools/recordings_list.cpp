// tracking.recordings_list: GET /api/projects/{id}/session_recordings/ (or one recording by id).

#include "../queries/recording_fields.hpp"
#include "../queries/recording_search.hpp"
#include "../util/cursor.hpp"
#include "../util/tool_names.hpp"
#include "../util/uuid_v7.hpp"
#include "arguments.hpp"
#include "time_window.hpp"
#include "tool_handlers.hpp"

namespace mcpd::tracking::tools {
namespace {

constexpr tool_label tool{"recordings_list"};
constexpr std::string_view scope = "session_recording:read";

sdk::tool_result one_recording(const posthog_client& client, const sdk::http::call_hooks& hooks,
                               const std::string& recording_id) {
  auto path = client.project_path(tool, hooks);
  const std::string project = path.str().substr(path.str().rfind('/') + 1);
  try {
    path.literal("/session_recordings").segment(recording_id).slash();
  } catch (const std::invalid_argument&) {
    throw tool_input_error(std::string(tool) + ": \"recording_id\" cannot be \".\" or \"..\"");
  }
  const auto context =
      client.context(tool, posthog_key::personal, scope,
                     "recording \"" + recording_id.substr(0, 200) + "\" does not exist in project " +
                         project + " (wrong id, deleted, or past its retention)");
  const auto answer = client.private_request(context, "GET", path.str(), nullptr, hooks);
  auto recording = recording_from_api(answer);
  if (!recording) {
    throw upstream_error(std::string(tool) + ": PostHog's answer for recording \"" +
                             recording_id.substr(0, 200) + "\" has no id or start_time",
                         0);
  }
  boost::json::object result{{"recordings", boost::json::array{std::move(*recording)}}, {"has_more", false}};
  return sdk::tool_result::structured_with_text(std::move(result));
}

}  // namespace

sdk::tool_result recordings_list(const instance_registry& registry, sdk::call_context& ctx,
                                 const boost::json::object& arguments) {
  const auto& client = registry.client_for(tool, arguments, private_api_settings);
  const auto hooks = client.hooks(ctx);
  if (const auto recording_id = arguments::optional_string(tool, arguments, "recording_id")) {
    std::vector<std::string_view> others{"distinct_id", "person_id", "since", "until", "cursor"};
    others.insert(others.end(), std::begin(recording_search_arguments), std::end(recording_search_arguments));
    for (const auto other : others) {
      if (arguments.contains(other)) {
        throw tool_input_error(std::string(tool) + ": \"recording_id\" fetches one recording; leave out \"" +
                               std::string(other) + "\"");
      }
    }
    return one_recording(client, hooks, *recording_id);
  }

  const auto distinct_id = arguments::optional_string(tool, arguments, "distinct_id");
  const auto person_id = arguments::optional_string(tool, arguments, "person_id");
  if (person_id && !is_uuid(*person_id)) {
    throw tool_input_error(std::string(tool) +
                           ": \"person_id\" must be the person's UUID (see the person page in PostHog)");
  }
  const std::string order = arguments::optional_string(tool, arguments, "order").value_or("start_time");
  const auto limit = arguments::integer_or(tool, arguments, "limit", 50, 1, 500);
  const auto since_argument = arguments::optional_string(tool, arguments, "since");
  const auto until_argument = arguments::optional_string(tool, arguments, "until");
  const auto search = recording_search::from_arguments(tool, arguments);
  const std::string fingerprint = fingerprint_of(
      "distinct_id=" + distinct_id.value_or("\x01") + "\nperson_id=" + person_id.value_or("\x01") +
      "\norder=" + order + "\nsince=" + since_argument.value_or("\x01") +
      "\nuntil=" + until_argument.value_or("\x01") + search.fingerprint());

  const auto [offset, window] = requested_window_page(tool, arguments, fingerprint, "-3d");

  // RecordingsQuery fields travel as query parameters, list values JSON-encoded.
  sdk::http::query query{
      {"date_from", window.since},        {"date_to", window.until}, {"limit", std::to_string(limit)},
      {"offset", std::to_string(offset)}, {"order", order},          {"order_direction", "DESC"}};
  if (distinct_id)
    query.add("distinct_ids", boost::json::serialize(boost::json::array{boost::json::string(*distinct_id)}));
  if (person_id) query.add("person_uuid", *person_id);
  for (const auto& [name, value] : search.query_parameters()) query.add(name, value);
  const auto path = client.project_path(tool, hooks).literal("/session_recordings").slash();
  const auto context = client.context(tool, posthog_key::personal, scope);
  const auto answer = client.private_request(context, "GET", sdk::http::target(path, query), nullptr, hooks);

  const auto* results = answer.is_object() ? answer.get_object().if_contains("results") : nullptr;
  if (results == nullptr || !results->is_array()) {
    throw upstream_error(std::string(tool) + ": PostHog's answer has no \"results\" list of recordings", 0);
  }
  boost::json::array recordings;
  for (const auto& entry : results->get_array()) {
    if (auto recording = recording_from_api(entry)) recordings.push_back(std::move(*recording));
  }
  const auto* has_next = answer.get_object().if_contains("has_next");
  const bool has_more = has_next != nullptr && has_next->is_bool() && has_next->get_bool();
  boost::json::object result{{"recordings", std::move(recordings)}, {"has_more", has_more}};
  if (has_more) {
    const auto page = static_cast<std::int64_t>(results->get_array().size());
    const auto next_offset = offset + (page > 0 ? page : limit);
    result["next_cursor"] = next_window_page_cursor(tool, fingerprint, next_offset, window);
  }
  return sdk::tool_result::structured_with_text(std::move(result));
}

}  // namespace mcpd::tracking::tools
