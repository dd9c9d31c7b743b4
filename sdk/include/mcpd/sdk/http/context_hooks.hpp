#pragma once
// call_hooks for the upstream requests a handler makes on behalf of its MCP call: cancelled when the
// call is, and carrying the call's W3C trace context (traceparent, tracestate) upstream.
//
//   sdk::http::call_hooks hooks = sdk::http::hooks_for(ctx);
//   hooks.on_retry = ...;   // add what the plugin needs
//   api.send(request, hooks);
#include <string>

#include "mcpd/sdk/call_context.hpp"
#include "mcpd/sdk/http/client.hpp"

namespace mcpd::sdk::http {

/// `ctx` must outlive every send() made with the hooks (it does for the handler's own calls).
inline call_hooks hooks_for(const call_context& ctx) {
  call_hooks hooks;
  hooks.cancelled = [&ctx] { return ctx.cancelled(); };
  hooks.traceparent = std::string(ctx.traceparent());
  hooks.tracestate = std::string(ctx.tracestate());
  return hooks;
}

}  // namespace mcpd::sdk::http
