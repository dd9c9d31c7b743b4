-- wrk script: POSTs MCP tools/call requests for hello.greet to mcpd's Streamable HTTP endpoint.
--
--   wrk -t2 -c16 -d10s -s tools_call.lua http://127.0.0.1:PORT/mcp
--
-- Stateless servers need nothing more. For a server with sessions, export MCPD_SESSION_ID (what
-- initialize returned in Mcp-Session-Id); each wrk thread then numbers its requests in its own range
-- so that no two requests in flight share a JSON-RPC id. With MCP_MODERN=1 the requests are MCP
-- 2026-07-28 ones: the _meta envelope in the body, MCP-Protocol-Version 2026-07-28, Mcp-Method and
-- Mcp-Name headers, no session.
--
-- At the end it prints one machine-readable line:
--   RESULT requests=<n> seconds=<s> rps=<r> p50_ms=<l> p99_ms=<l> errors=<n>

local threads = {}
local next_thread = 0

function setup(thread)
  thread:set("thread_index", next_thread)
  next_thread = next_thread + 1
  table.insert(threads, thread)
end

function init(args)
  counter = thread_index * 1000000000
  errors = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/json, text/event-stream"
  modern = os.getenv("MCP_MODERN") == "1"
  if modern then
    wrk.headers["MCP-Protocol-Version"] = "2026-07-28"
    wrk.headers["Mcp-Method"] = "tools/call"
    wrk.headers["Mcp-Name"] = "hello.greet"
  else
    wrk.headers["MCP-Protocol-Version"] = "2025-11-25"
  end
  local session = os.getenv("MCPD_SESSION_ID")
  if session ~= nil and session ~= "" then
    wrk.headers["Mcp-Session-Id"] = session
  end
end

local modern_meta = ',"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",' ..
  '"io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/clientInfo":{"name":"wrk","version":"1"}}'

function request()
  counter = counter + 1
  local body = string.format(
    '{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"hello.greet","arguments":{"name":"bench %d"}%s}}',
    counter, counter, modern and modern_meta or "")
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  -- A JSON-RPC error comes back with HTTP 200 too; "Hello," is only in a real greeting.
  if status ~= 200 or not string.find(body, "Hello, bench", 1, true) then
    errors = errors + 1
  end
end

function done(summary, latency, requests)
  local failed = 0
  for _, thread in ipairs(threads) do
    failed = failed + (thread:get("errors") or 0)
  end
  local seconds = summary.duration / 1000000
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rps=%.0f p50_ms=%.3f p99_ms=%.3f errors=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    failed + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
