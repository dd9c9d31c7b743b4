// tracking.feature_flag_eval: local evaluation on cached definitions where it is conclusive, /flags?v=2
// for the rest (mode auto), or one of the two only (mode local / remote). Every flag says who answered.
#include <algorithm>
#include <map>
#include <set>

#include "../flags/definitions_cache.hpp"
#include "../flags/local_evaluator.hpp"
#include "../flags/remote_flags.hpp"
#include "../util/tool_names.hpp"
#include "arguments.hpp"
#include "tool_handlers.hpp"

namespace mcpd::tracking::tools {
namespace {

constexpr tool_label tool{"feature_flag_eval"};

flag_evaluation_input read_input(const boost::json::object& arguments) {
  flag_evaluation_input input;
  input.distinct_id = arguments::optional_string(tool, arguments, "distinct_id").value_or("");
  if (input.distinct_id.empty()) throw tool_input_error(std::string(tool) + ": \"distinct_id\" is required");
  if (const auto* p = arguments::optional_object(tool, arguments, "person_properties"))
    input.person_properties = *p;
  if (const auto* g = arguments::optional_object(tool, arguments, "groups")) {
    for (const auto& [type, key] : *g) {
      if (!key.is_string()) {
        throw tool_input_error(std::string(tool) + ": \"groups." + std::string(type) +
                               "\" must be the group key (a string)");
      }
    }
    input.groups = *g;
  }
  if (const auto* gp = arguments::optional_object(tool, arguments, "group_properties")) {
    for (const auto& [type, properties] : *gp) {
      if (!properties.is_object()) {
        throw tool_input_error(std::string(tool) + ": \"group_properties." + std::string(type) +
                               "\" must be an object");
      }
    }
    input.group_properties = *gp;
  }
  return input;
}

std::vector<std::string> read_flag_keys(const boost::json::object& arguments) {
  std::vector<std::string> keys;
  const auto* list = arguments.if_contains("flag_keys");
  if (list == nullptr || list->is_null()) return keys;
  if (!list->is_array())
    throw tool_input_error(std::string(tool) + ": \"flag_keys\" must be an array of flag keys");
  for (const auto& key : list->get_array()) {
    if (!key.is_string() || key.get_string().empty()) {
      throw tool_input_error(std::string(tool) + ": \"flag_keys\" must contain non-empty strings");
    }
    std::string text(key.get_string());
    if (std::find(keys.begin(), keys.end(), text) == keys.end()) keys.push_back(std::move(text));
  }
  return keys;
}

boost::json::object flag_entry(std::string_view key, bool enabled, const std::optional<std::string>& variant,
                               std::string_view reason, std::optional<std::int64_t> condition_index,
                               const std::optional<boost::json::value>& payload,
                               std::string_view evaluated_by) {
  boost::json::object entry{{"key", key}, {"enabled", enabled}};
  if (variant && enabled) entry["variant"] = *variant;
  if (!reason.empty()) entry["reason"] = reason;
  if (condition_index && *condition_index >= 0) entry["condition_index"] = *condition_index;
  if (payload) entry["payload"] = *payload;
  entry["evaluated_by"] = evaluated_by;
  return entry;
}

bool is_active(const boost::json::object& flag) {
  const auto* active = flag.if_contains("active");
  return active == nullptr || !active->is_bool() || active->get_bool();
}

}  // namespace

sdk::tool_result feature_flag_eval(const instance_registry& registry, sdk::call_context& ctx,
                                   const boost::json::object& arguments) {
  const std::string mode = arguments::optional_string(tool, arguments, "mode").value_or("auto");
  if (mode != "auto" && mode != "local" && mode != "remote") {
    throw tool_input_error(std::string(tool) + ": \"mode\" must be auto, local or remote");
  }
  const auto& client =
      registry.client_for(tool, arguments,
                          mode == "local" ? std::span<const posthog_setting>(local_flag_settings)
                                          : std::span<const posthog_setting>(ingestion_settings));
  const auto input = read_input(arguments);
  const auto requested = read_flag_keys(arguments);
  const auto hooks = client.hooks(ctx);

  std::map<std::string, boost::json::object> answered;  // key -> output entry
  std::vector<std::string> for_remote;                  // keys local evaluation left open
  bool ask_remote_for_everything = mode == "remote";

  if (mode != "remote") {
    std::shared_ptr<const flag_definitions> definitions;
    if (!client.settings().personal_api_key.empty()) {
      const auto current = client.flag_definitions().get(
          [&](std::string_view etag) { return client.get_flag_definitions(etag, hooks); },
          client.options().definitions_refresh);
      if (current.failed_refresh.failure == sdk::http::failure_kind::cancelled) {
        throw upstream_error(std::string(tool) + ": cancelled", 0, true);
      }
      definitions = current.definitions;
      if (current.refreshed && !current.failed_refresh.ok() && mode != "local") {
        const auto context = client.context(tool, posthog_key::personal, "feature_flag:read");
        client.log(
            sdk::log_level::warning,
            std::string(current.stale ? "using the previous flag definitions: " : "evaluating remotely: ") +
                describe_failure(context, current.failed_refresh));
      }
      if (!definitions && mode == "local") {
        const auto context = client.context(tool, posthog_key::personal, "feature_flag:read");
        throw upstream_error("Local evaluation needs the flag definitions, which could not be fetched: " +
                                 describe_failure(context, current.failed_refresh),
                             current.failed_refresh.reply ? current.failed_refresh.reply->status : 0);
      }
    }
    if (!definitions) {
      ask_remote_for_everything = true;  // auto without definitions (no personal key, or fetch failed)
    } else {
      std::vector<std::string> keys = requested;
      if (keys.empty()) {
        for (const auto& flag : definitions->flags) {
          const auto& object = flag.get_object();
          if (is_active(object) && definitions->find(object.at("key").get_string()) != nullptr) {
            keys.emplace_back(object.at("key").get_string());
          }
        }
      }
      const auto now = std::chrono::system_clock::now();
      for (const auto& key : keys) {
        const auto* flag = definitions->find(key);
        if (flag == nullptr) {
          if (mode == "local") {
            answered[key] =
                flag_entry(key, false, std::nullopt, "flag_not_found", std::nullopt, std::nullopt, "local");
          } else {
            for_remote.push_back(key);
          }
          continue;
        }
        const auto local = evaluate_flag_locally(*flag, *definitions, input, now);
        if (local.decided) {
          std::optional<std::int64_t> index;
          if (local.condition_index) index = static_cast<std::int64_t>(*local.condition_index);
          answered[key] =
              flag_entry(key, local.enabled, local.variant, local.reason, index, local.payload, "local");
          if (!local.error.empty()) answered[key]["error"] = local.error;
        } else if (mode == "local") {
          answered[key] = flag_entry(key, false, std::nullopt, "inconclusive: " + local.inconclusive_why,
                                     std::nullopt, std::nullopt, "local");
        } else {
          for_remote.push_back(key);
        }
      }
    }
  }

  boost::json::object result{{"distinct_id", input.distinct_id}};
  if (ask_remote_for_everything || !for_remote.empty()) {
    const std::vector<std::string>& keys = ask_remote_for_everything ? requested : for_remote;
    const auto remote = evaluate_remotely(client, tool, input, keys, hooks);
    for (const auto& flag : remote.flags) {
      // Only what was asked: /flags may add flags it was not asked about.
      if (!keys.empty() && std::find(keys.begin(), keys.end(), flag.key) == keys.end()) continue;
      answered[flag.key] = flag_entry(flag.key, flag.enabled, flag.variant, flag.reason, flag.condition_index,
                                      flag.payload, "remote");
    }
    for (const auto& key : keys) {
      if (!answered.contains(key)) {
        answered[key] =
            flag_entry(key, false, std::nullopt, remote.quota_limited ? "quota_limited" : "flag_not_found",
                       std::nullopt, std::nullopt, "remote");
      }
    }
    result["errors_while_computing"] = remote.errors_while_computing;
    result["quota_limited"] = remote.quota_limited;
    if (!remote.request_id.empty()) result["request_id"] = remote.request_id;
  }

  boost::json::array flags;
  if (!requested.empty()) {
    for (const auto& key : requested) flags.push_back(answered[key]);
  } else {
    for (auto& [key, entry] : answered) flags.push_back(std::move(entry));  // std::map: sorted by key
  }
  // The prototype's decisions: each flag's value as /decide gave it, the variant or true/false.
  boost::json::object decisions;
  for (const auto& flag : flags) {
    const auto& entry = flag.get_object();
    const auto* variant = entry.if_contains("variant");
    decisions[entry.at("key").get_string()] =
        variant != nullptr && variant->is_string() ? *variant : entry.at("enabled");
  }
  result["flags"] = std::move(flags);
  result["decisions"] = std::move(decisions);
  // Keep "distinct_id" and "flags" first for readers of the text block.
  boost::json::object ordered{{"distinct_id", result.at("distinct_id")}, {"flags", result.at("flags")}};
  for (const auto& [key, value] : result) {
    if (key != "distinct_id" && key != "flags") ordered[key] = value;
  }
  return sdk::tool_result::structured_with_text(std::move(ordered));
}

}  // namespace mcpd::tracking::tools
