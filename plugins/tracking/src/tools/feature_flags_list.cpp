// tracking.feature_flags_list: GET /api/projects/{id}/feature_flags/, following PostHog's pages.
#include "../flags/flag_summary.hpp"
#include "../util/cursor.hpp"
#include "../util/tool_names.hpp"
#include "arguments.hpp"
#include "tool_handlers.hpp"

namespace mcpd::tracking::tools {
namespace {

constexpr tool_label tool{"feature_flags_list"};
// PostHog's list endpoints serve at most 100 items a page.
constexpr std::int64_t posthog_page_size = 100;

}  // namespace

sdk::tool_result feature_flags_list(const instance_registry& registry, sdk::call_context& ctx,
                                    const boost::json::object& arguments) {
  const auto& client = registry.client_for(tool, arguments, private_api_settings);
  const auto active = arguments::optional_bool(tool, arguments, "active");
  const auto search = arguments::optional_string(tool, arguments, "search");
  const auto limit = arguments::integer_or(tool, arguments, "limit", 200, 1, 1000);
  const std::string fingerprint =
      fingerprint_of(std::string("active=") + (active ? (*active ? "true" : "false") : "any") +
                     "\nsearch=" + search.value_or("\x01"));
  std::int64_t offset = 0;
  if (const auto cursor = arguments::optional_string(tool, arguments, "cursor")) {
    try {
      const auto state = decode_cursor(tool, fingerprint, *cursor);
      const auto* o = state.if_contains("o");
      if (o == nullptr || !o->is_int64() || o->get_int64() < 0) throw std::invalid_argument("damaged");
      offset = o->get_int64();
    } catch (const std::invalid_argument& bad) {
      throw tool_input_error(std::string_view(bad.what()) == "damaged"
                                 ? std::string(tool) +
                                       ": \"cursor\" is damaged; omit it to start from the first flag"
                                 : std::string(bad.what()));
    }
  }

  const auto hooks = client.hooks(ctx);
  const auto path = client.project_path(tool, hooks).literal("/feature_flags").slash();
  const auto context = client.context(tool, posthog_key::personal, "feature_flag:read");
  boost::json::array flags;
  std::int64_t total = 0;
  bool more_upstream = true;
  while (static_cast<std::int64_t>(flags.size()) < limit && more_upstream) {
    if (ctx.cancelled()) throw upstream_error(std::string(tool) + ": cancelled", 0, true);
    const auto wanted = std::min(posthog_page_size, limit - static_cast<std::int64_t>(flags.size()));
    sdk::http::query query{{"limit", std::to_string(wanted)}, {"offset", std::to_string(offset)}};
    if (active) query.add("active", *active ? "true" : "false");
    if (search) query.add("search", *search);
    const auto page = client.private_request(context, "GET", sdk::http::target(path, query), nullptr, hooks);
    const auto* results = page.is_object() ? page.get_object().if_contains("results") : nullptr;
    if (results == nullptr || !results->is_array()) {
      throw upstream_error(std::string(tool) + ": PostHog's answer has no \"results\" list of flags", 0);
    }
    if (const auto* count = page.get_object().if_contains("count"); count != nullptr && count->is_int64()) {
      total = count->get_int64();
    }
    for (const auto& entry : results->get_array()) {
      if (!entry.is_object()) continue;
      if (auto item = flag_summary(entry.get_object()); !item.empty()) flags.push_back(std::move(item));
    }
    offset += static_cast<std::int64_t>(results->get_array().size());
    const auto* next = page.get_object().if_contains("next");
    more_upstream =
        !results->get_array().empty() && next != nullptr && next->is_string() && !next->get_string().empty();
  }
  total = std::max(total, offset);
  boost::json::object result{{"flags", std::move(flags)}, {"total", total}};
  if (more_upstream && offset < total) {
    result["next_cursor"] = encode_cursor(tool, fingerprint, boost::json::object{{"o", offset}});
  }
  return sdk::tool_result::structured_with_text(std::move(result));
}

}  // namespace mcpd::tracking::tools
