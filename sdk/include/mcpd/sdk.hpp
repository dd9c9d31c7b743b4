// mcpd plugin SDK: the one include a plugin needs.
//
// A plugin is a class deriving from mcpd::sdk::plugin. Its init() registers tools (and resources,
// templates, prompts) with a registry; MCPD_PLUGIN(cls) exports it through the C ABI of
// <mcpd/plugin_api.h>. Handlers get a call_context (progress, cancellation, client logging, nested tool
// calls, client requests) and return a result object; the SDK converts everything at the ABI edge and
// catches every exception there, so nothing C++ ever reaches the host. See sdk/examples/hello for a
// complete plugin, and build one with the CMake function mcpd_add_plugin().
//
//   error.hpp          sdk::error (status + message), sdk::log_level, status_name()
//   host.hpp           sdk::host: operator log, resource-updated notifications (the plugin's whole life)
//   call_context.hpp   sdk::call_context: what a handler may do while it runs
//   content.hpp        sdk::content_block: one ContentBlock (text, image, audio, resource, link)
//   tool_result.hpp    sdk::tool_result       resource_result.hpp  sdk::resource_result
//   prompt_result.hpp  sdk::prompt_result     completion_result.hpp sdk::completion_result
//   specs.hpp          tool_spec, resource_spec, resource_template_spec, prompt_spec and the handler types
//   registry.hpp       sdk::registry: registration inside plugin::init
//   typed.hpp          sdk::field(), registry::typed_tool: arguments and results as structs
//   plugin.hpp         sdk::plugin: the base class
//   export.hpp         MCPD_PLUGIN(cls)
//   json_util.hpp      sdk::parse_object() for schemas written as JSON text
#ifndef MCPD_SDK_HPP
#define MCPD_SDK_HPP

#include <mcpd/plugin_api.h>
#include <mcpd/sdk/app_views.hpp>

#include <mcpd/sdk/call_context.hpp>
#include <mcpd/sdk/completion_result.hpp>
#include <mcpd/sdk/content.hpp>
#include <mcpd/sdk/error.hpp>
#include <mcpd/sdk/export.hpp>
#include <mcpd/sdk/host.hpp>
#include <mcpd/sdk/input_required.hpp>
#include <mcpd/sdk/json_serialize.hpp>
#include <mcpd/sdk/json_util.hpp>
#include <mcpd/sdk/plugin.hpp>
#include <mcpd/sdk/prompt_result.hpp>
#include <mcpd/sdk/registry.hpp>
#include <mcpd/sdk/resource_result.hpp>
#include <mcpd/sdk/settings.hpp>
#include <mcpd/sdk/specs.hpp>
#include <mcpd/sdk/tool_result.hpp>
#include <mcpd/sdk/tool_spec_json.hpp>
#include <mcpd/sdk/typed.hpp>

#endif  // MCPD_SDK_HPP
