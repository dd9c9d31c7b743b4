// The official TypeScript SDK v1 (@modelcontextprotocol/sdk 1.32.2, MCP 2025-11-25 and older) serving
// the bench tools (tools.mjs), wired as the SDK's documentation shows:
//   stdio           McpServer + StdioServerTransport
//   http-session    Streamable HTTP with sessions: one McpServer + StreamableHTTPServerTransport
//                   (sessionIdGenerator: randomUUID) per session, found again by Mcp-Session-Id
//   http-stateless  Streamable HTTP without sessions: a new McpServer + transport (sessionIdGenerator:
//                   undefined) for every request
//
//   node v1_server.mjs stdio|http-session|http-stateless [--many] [PORT]
// HTTP modes print "listening PORT" on stderr when ready (PORT 0 or none: a free port).
import { randomUUID } from 'node:crypto';
import http from 'node:http';

import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';

import { listen, parseArguments, readJsonBody, registerBenchTools } from './tools.mjs';

const { mode, many, port } = parseArguments(['stdio', 'http-session', 'http-stateless']);

function newServer() {
  return registerBenchTools(new McpServer({ name: 'ts-sdk-v1-bench', version: '1.0.0' }), { many });
}

if (mode === 'stdio') {
  const server = newServer();
  await server.connect(new StdioServerTransport());
  process.stdin.on('end', () => process.exit(0));
} else if (mode === 'http-session') {
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
      transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => transports.set(id, transport),
      });
      transport.onclose = () => transport.sessionId && transports.delete(transport.sessionId);
      await newServer().connect(transport);
    }
    await transport.handleRequest(req, res, body);
  });
} else {
  listen(http, port, async (req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(405).end();
      return;
    }
    const body = await readJsonBody(req);
    const server = newServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => {
      transport.close();
      server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  });
}
