// The PostHog instances a tracking tool can talk to, and what to tell the user when one is not ready.
//
// Configuration lives in plugin_config.tracking.instances.<name>; the host fills the "default" instance
// from POSTHOG_API_HOST, POSTHOG_PROJECT_KEY and POSTHOG_PERSONAL_API_KEY. Missing or malformed settings
// never fail init: the plugin loads, and each tool that needs a setting answers isError naming it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

namespace mcpd::tracking {

inline constexpr std::string_view default_instance_name = "default";

// A setting a tool needs before it may call PostHog.
enum class posthog_setting {
  api_host,          // private API (https://us.posthog.com, ...)
  ingest_host,       // events and /flags; configured, or derived from api_host
  project_api_key,   // phc_..., for ingestion and /flags
  personal_api_key,  // phx_..., for the private API
};

// One named instance. The two keys are secrets: they never appear in logs or messages.
struct posthog_instance {
  std::string name;
  std::string api_host;     // without trailing slash; empty when not configured
  std::string ingest_host;  // without trailing slash; empty only when api_host is empty too
  std::string project_api_key;
  std::string personal_api_key;
  std::optional<std::int64_t> project_id;  // absent: resolved once from @current
  std::chrono::milliseconds timeout{15'000};
  unsigned rate_limit_per_minute = 240;  // client-side cap on private-API requests (personal key)
  // Malformed settings of this instance (wrong type, not a URL, ...); reported when a tool uses it.
  std::vector<std::string> problems;

  bool has(posthog_setting setting) const;
};

// The instance a call asked for, or the isError text explaining why it cannot be used.
struct instance_lookup {
  const posthog_instance* instance = nullptr;
  std::string problem;

  explicit operator bool() const { return instance != nullptr; }
};

class instance_settings {
 public:
  // Never throws on bad configuration: problems are recorded and surface when a tool needs them.
  static instance_settings from_config(const boost::json::object& tracking_config);

  // Picks the instance named by arguments["instance"] ("default" when absent) and checks that it has
  // every setting in `needs`. `tool` is the qualified tool name used in the message ("tracking.capture").
  instance_lookup resolve(std::string_view tool, const boost::json::object& arguments,
                          std::span<const posthog_setting> needs) const;

  // Configured instance names, sorted.
  std::vector<std::string> names() const;

  // Every configuration problem (section-wide and per instance), for the operator log at load time.
  std::vector<std::string> problems() const;

 private:
  std::map<std::string, posthog_instance, std::less<>> instances_;
  std::vector<std::string> problems_;
};

// "https://us.posthog.com" -> "https://us.i.posthog.com" (same for eu; app.posthog.com is US); any other
// host (self-hosted) ingests on itself.
std::string derive_ingest_host(std::string_view api_host);

// The private API of PostHog Cloud lives on us/eu.posthog.com, never on the ingestion hosts: an api_host of
// "https://us.i.posthog.com" (a common paste from the project settings) means "https://us.posthog.com".
// Any other host is returned unchanged (without trailing slashes).
std::string normalize_api_host(std::string_view api_host);

}  // namespace mcpd::tracking
