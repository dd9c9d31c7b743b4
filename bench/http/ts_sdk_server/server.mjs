// The official TypeScript SDK v2 server, as its documentation serves it over
// HTTP: createMcpHandler (one fresh McpServer per request, stateless, both
// eras) behind the node adapter, with the tool mcpd's hello plugin has:
// hello.greet {name} -> "Hello, <name>!". Prints "listening PORT" when ready.
//
//   node server.mjs [PORT]     (0 or nothing: a free port)
import http from 'node:http';

import { toNodeHandler } from '@modelcontextprotocol/node';
import { McpServer, createMcpHandler } from '@modelcontextprotocol/server';
import * as z from 'zod';

function newServer() {
  const server = new McpServer({ name: 'ts-sdk-bench', version: '1.0.0' });
  server.registerTool(
    'hello.greet',
    {
      description: 'Greets someone by name.',
      inputSchema: z.object({ name: z.string().min(1).max(100).describe('Who to greet') }),
    },
    async ({ name }) => ({ content: [{ type: 'text', text: `Hello, ${name}!` }] }),
  );
  return server;
}

const handler = toNodeHandler(createMcpHandler(newServer));
const server = http.createServer((req, res) => {
  handler(req, res).catch((error) => {
    res.statusCode = 500;
    res.end(String(error));
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  process.stderr.write(`listening ${server.address().port}\n`);
});
