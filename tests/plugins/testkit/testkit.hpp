// testkit: an SDK-based plugin that exists only to exercise the host end to end
// (timing, cancellation, progress, logging, client requests, cross-namespace
// calls, schema validation, resources and prompts). Each group of tools lives
// in its own file and is registered from testkit_plugin.cpp.
#pragma once

#include <mcpd/sdk.hpp>

namespace testkit {

namespace sdk = mcpd::sdk;
namespace json = boost::json;

// slow {ms, cancel_marker?} and progress {steps, delay_ms?}.
void register_timing_tools(sdk::registry& registry);
// echo {value}, log {}, fail {}, strict {...}.
void register_basic_tools(sdk::registry& registry);
// call_other {name, arguments} and ask_client {prompt}.
void register_relay_tools(sdk::registry& registry);
// resource testkit://hello and prompt greeting{name}.
void register_resources_and_prompts(sdk::registry& registry);

// {"type":"object","additionalProperties":false} with the given properties.
json::object closed_object_schema(json::object properties, json::array required = {});

}  // namespace testkit
