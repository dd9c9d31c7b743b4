#include "remote_flags.hpp"

#include "../posthog/posthog_client.hpp"
#include "../util/json_access.hpp"

namespace mcpd::tracking {
namespace {

std::optional<boost::json::value> payload_of(const boost::json::object& flag) {
  const auto* metadata = flag.if_contains("metadata");
  if (metadata == nullptr || !metadata->is_object()) return std::nullopt;
  return json_access::flag_payload(metadata->get_object().if_contains("payload"));
}

}  // namespace

boost::json::object flags_request_body(std::string_view project_api_key, const flag_evaluation_input& input,
                                       const std::vector<std::string>& flag_keys) {
  boost::json::object body{
      {"api_key", project_api_key}, {"distinct_id", input.distinct_id}, {"geoip_disable", true}};
  if (!input.person_properties.empty()) body["person_properties"] = input.person_properties;
  if (!input.groups.empty()) body["groups"] = input.groups;
  if (!input.group_properties.empty()) body["group_properties"] = input.group_properties;
  if (!flag_keys.empty()) {
    boost::json::array keys;
    for (const auto& key : flag_keys) keys.emplace_back(key);
    body["flag_keys_to_evaluate"] = std::move(keys);
  }
  return body;
}

remote_answer read_flags_answer(const boost::json::value& answer) {
  if (!answer.is_object()) throw std::invalid_argument("the answer is not a JSON object");
  const auto& object = answer.get_object();
  remote_answer result;
  if (const auto* limited = object.if_contains("quotaLimited"); limited != nullptr && limited->is_array()) {
    for (const auto& item : limited->get_array()) {
      if (item.is_string() && item.get_string() == "feature_flags") result.quota_limited = true;
    }
  }
  if (const auto* errors = object.if_contains("errorsWhileComputingFlags");
      errors != nullptr && errors->is_bool()) {
    result.errors_while_computing = errors->get_bool();
  }
  if (const auto* id = object.if_contains("requestId"); id != nullptr && id->is_string()) {
    result.request_id = std::string(id->get_string());
  }
  const auto* flags = object.if_contains("flags");
  if (flags == nullptr || !flags->is_object()) {
    if (result.quota_limited) return result;
    throw std::invalid_argument("the answer has no \"flags\" object");
  }
  for (const auto& [key, value] : flags->get_object()) {
    if (!value.is_object()) continue;
    const auto& flag = value.get_object();
    remote_flag entry;
    entry.key = std::string(key);
    if (const auto* enabled = flag.if_contains("enabled"); enabled != nullptr && enabled->is_bool()) {
      entry.enabled = enabled->get_bool();
    }
    if (const auto* variant = flag.if_contains("variant"); variant != nullptr && variant->is_string()) {
      entry.variant = std::string(variant->get_string());
    }
    if (const auto* reason = flag.if_contains("reason"); reason != nullptr && reason->is_object()) {
      if (const auto* code = reason->get_object().if_contains("code"); code != nullptr && code->is_string()) {
        entry.reason = std::string(code->get_string());
      }
      if (const auto* index = reason->get_object().if_contains("condition_index");
          index != nullptr && index->is_int64() && index->get_int64() >= 0) {
        entry.condition_index = index->get_int64();
      }
    }
    entry.payload = payload_of(flag);
    result.flags.push_back(std::move(entry));
  }
  return result;
}

remote_answer evaluate_remotely(const posthog_client& client, std::string_view tool,
                                const flag_evaluation_input& input, const std::vector<std::string>& flag_keys,
                                const sdk::http::call_hooks& hooks) {
  const auto body = flags_request_body(client.settings().project_api_key, input, flag_keys);
  const auto context = client.context(tool, posthog_key::project);
  const auto outcome = client.post_ingest("/flags/?v=2", boost::json::serialize(body), hooks);
  if (!outcome.ok()) throw_failure(context, outcome);
  const auto parsed = parse_json_body(context, outcome.reply->body);
  try {
    return read_flags_answer(parsed);
  } catch (const std::invalid_argument& bad) {
    throw upstream_error(std::string(tool) + ": PostHog's /flags answer has an unexpected shape (" +
                             bad.what() + "); check that ingest_host points at PostHog",
                         0);
  }
}

}  // namespace mcpd::tracking
