// The official TypeScript SDK v2 (@modelcontextprotocol/server 2.4.0, @modelcontextprotocol/node 2.1.2;
// MCP 2026-07-28 and the 2025 revisions) serving the bench tools (tools.mjs), wired as its documentation
// shows:
//   stdio           serveStdio(factory): the opening exchange picks the era, one instance per process
//   http-stateless  createMcpHandler(factory) behind toNodeHandler: a fresh McpServer per request, both
//                   eras (2026-07-28 natively; 2025 requests on a stateless legacy leg)
//   http-session    2025-era sessions: one McpServer + NodeStreamableHTTPServerTransport
//                   (sessionIdGenerator: randomUUID) per session, found again by Mcp-Session-Id
//
//   node v2_server.mjs stdio|http-stateless|http-session [--many] [PORT]
// HTTP modes print "listening PORT" on stderr when ready (PORT 0 or none: a free port).
import { randomUUID } from 'node:crypto';
import http from 'node:http';

import { NodeStreamableHTTPServerTransport, toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, isInitializeRequest, McpServer } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';

import { listen, parseArguments, readJsonBody, registerBenchTools } from './tools.mjs';

const { mode, many, port } = parseArguments(['stdio', 'http-stateless', 'http-session']);

function newServer() {
  return registerBenchTools(new McpServer({ name: 'ts-sdk-v2-bench', version: '1.0.0' }), { many });
}

if (mode === 'stdio') {
  serveStdio(newServer);
} else if (mode === 'http-stateless') {
  const handler = toNodeHandler(createMcpHandler(newServer));
  listen(http, port, (req, res) => handler(req, res));
} else {
  const transports = new Map();
  listen(http, port, async (req, res) => {
    const sessionId = req.headers['mcp-session-id'];
    const body = req.method === 'POST' ? await readJsonBody(req) : undefined;
    let transport = sessionId === undefined ? undefined : transports.get(sessionId);
    if (transport === undefined) {
      if (sessionId !== undefined || !isInitializeRequest(body)) {
        res.writeHead(sessionId === undefined ? 400 : 404, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: 'No valid session' }, id: null }));
        return;
      }
      transport = new NodeStreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => transports.set(id, transport),
      });
      transport.onclose = () => transport.sessionId && transports.delete(transport.sessionId);
      await newServer().connect(transport);
    }
    await transport.handleRequest(req, res, body);
  });
}
