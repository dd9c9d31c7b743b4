// conformance: the fixtures the official MCP conformance suite
// (@modelcontextprotocol/conformance, pinned in ../package-lock.json) expects a
// server to provide. The suite calls them by exact name (test_simple_text,
// test://static-text, ...), so the plugin is published unprefixed. Each group
// of fixtures lives in its own file and is registered from
// conformance_plugin.cpp.
#pragma once

#include <mcpd/sdk.hpp>

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace conformance {

namespace sdk = mcpd::sdk;
namespace json = boost::json;

// test_simple_text, test_image_content, test_audio_content, test_embedded_resource,
// test_multiple_content_types, test_error_handling, test_header_param, json_schema_2020_12_tool.
void register_content_tools(sdk::registry& registry);
// test_tool_with_logging (also as test_logging_tool), test_tool_with_progress, test_reconnection.
void register_notifying_tools(sdk::registry& registry);
// test_sampling, test_elicitation, test_missing_capability, test_streaming_elicitation,
// test_elicitation_sep1034_defaults, test_elicitation_sep1330_enums.
void register_client_request_tools(sdk::registry& registry);
// test_input_required_result_* (tools, and a prompt): multi round-trip requests.
void register_input_required_tools(sdk::registry& registry);
// greet, slow_compute, failing_job, protocol_error_job, confirm_delete, multi_input, test_tool_with_task:
// the Tasks extension.
void register_task_tools(sdk::registry& registry);
// test://static-text, test://static-binary, test://watched-resource, test://template/{id}/data.
void register_resources(sdk::registry& registry);
// test_simple_prompt, test_prompt_with_arguments (with completion), test_prompt_with_embedded_resource,
// test_prompt_with_image.
void register_prompts(sdk::registry& registry);

// test_trigger_tool_change, test_trigger_prompt_change: move the extra plugin in or out of the watched
// directory (a hot swap), with the paths from plugin_config.conformance (extra_plugin, plugins_dir).
void configure_list_change_triggers(const json::object& config);
void register_list_change_triggers(sdk::registry& registry);

// A 2x2 RGB PNG (red, green, blue, white pixels), for image content and the binary resource.
std::span<const std::uint8_t> tiny_png();
// A 0.1 s, 8 kHz, 16-bit mono PCM WAV file holding a 440 Hz tone.
const std::vector<std::uint8_t>& tiny_wav();

// The input schema of a tool without parameters.
json::object no_arguments_schema();

}  // namespace conformance
