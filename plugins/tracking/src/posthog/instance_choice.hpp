// Asking the user which PostHog instance a call means. A call that names no "instance" runs on "default";
// when several instances are configured and "default" cannot serve the tool (there is none, or it lacks a
// setting the tool needs), the call would fail. If the client can show a form (elicitation), the tool
// asks instead, listing the configured instances that can serve it, and carries on with the one chosen.
// A call that names its instance, or whose client cannot be asked, behaves as it always did.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <boost/json.hpp>
#include <mcpd/sdk.hpp>

#include "../instance_settings.hpp"

namespace mcpd::tracking {

// The key of the elicitation among the call's input requests.
inline constexpr std::string_view instance_input_key = "posthog_instance";

struct instance_choice {
  // Run the tool with arguments["instance"] set to this (the user's choice); nullopt: run it as called.
  std::optional<std::string> chosen;
  // Answer this instead of running the tool: the question (sdk::input_required), or the isError result when
  // the user declined or picked something that was not offered.
  std::optional<sdk::tool_result> reply;
};

// `tool` is the qualified name ("tracking.recording_frames"); `needs` the settings the tool will ask of the
// instance (instance_registry::client_for).
instance_choice choose_instance(std::string_view tool, const instance_settings& settings,
                                std::span<const posthog_setting> needs, const sdk::call_context& ctx,
                                const boost::json::object& arguments);

// Whether the client that made this call can answer a form elicitation (elicitation {} or {"form": ...}).
bool client_takes_forms(const sdk::call_context& ctx);

}  // namespace mcpd::tracking
