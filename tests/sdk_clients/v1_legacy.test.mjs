// The official TypeScript SDK v1 client (@modelcontextprotocol/sdk 1.32.2, pinned in package-lock.json),
// which knows only the legacy revisions (initialize + sessions), against the same mcpd binary that
// serves 2026-07-28: over stdio and Streamable HTTP. Every test starts its own mcpd.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { TestScope, build, textOf, toolsOf, transports } from './support/mcpd.mjs';

const LEGACY = '2025-11-25'; // the newest revision v1 1.32.2 offers
const sdkTransports = { StdioClientTransport, StreamableHTTPClientTransport };

async function connectLegacy(t, kind) {
  const scope = new TestScope(t);
  const transport = await scope.transport(kind, await scope.serveArgs({ plugins: [build.testkit, build.hello] }), sdkTransports);
  const client = new Client({ name: 'mcpd-sdk-v1-test', version: '1.0.0' });
  await scope.connect(client, transport);
  return { scope, client, transport };
}

for (const kind of transports()) {
  describe(`v1 client, legacy MCP, ${kind}`, () => {
    test(`initialize negotiates ${LEGACY}`, async (t) => {
      const { scope, client, transport } = await connectLegacy(t, kind);

      assert.deepEqual(client.getServerVersion(), { name: 'mcpd', version: build.version });
      const capabilities = client.getServerCapabilities();
      assert.deepEqual(capabilities.tools, { listChanged: true });
      assert.deepEqual(capabilities.resources, { subscribe: true, listChanged: true });
      assert.deepEqual(capabilities.prompts, { listChanged: true });

      const [initialize, ...others] = scope.wire.filter((m) => m.dir === '->' && m.message.method === 'initialize');
      assert.equal(others.length, 0);
      assert.equal(initialize.message.params.protocolVersion, LEGACY);
      const answer = scope.wire.find((m) => m.dir === '<-' && m.message.id === initialize.message.id).message;
      assert.equal(answer.result.protocolVersion, LEGACY);
      assert.deepEqual(answer.result.serverInfo, { name: 'mcpd', version: build.version });
      // A legacy session never sees the modern envelope, in either direction.
      assert.equal(answer.result.resultType, undefined);
      if (kind === 'http') {
        assert.equal(transport.protocolVersion, LEGACY);
        assert.match(transport.sessionId, /^[0-9a-f]{32}$/);
      }
    });

    test('tools/list returns every tool as `mcpd plugin inspect` sees it, in name order', async (t) => {
      const { client } = await connectLegacy(t, kind);

      const { tools, nextCursor } = await client.listTools();
      assert.equal(nextCursor, undefined);
      // mcpd leaves a tool's execution (task support) out of legacy lists: the Tasks extension is served to 2026-07-28 requests only.
      const expected = (await toolsOf(build.testkit, build.hello)).map(({ execution, ...tool }) => tool);
      assert.deepEqual(tools, expected);
      assert.ok(tools.length >= 10, `only ${tools.length} tools`);
      assert.deepEqual(tools.find((tool) => tool.name === 'hello_add').outputSchema, {
        type: 'object',
        properties: { sum: { type: 'number' } },
        required: ['sum'],
        additionalProperties: false,
      });
    });

    test('tools/call: text, structured output and a tool error', async (t) => {
      const { client } = await connectLegacy(t, kind);
      await client.listTools(); // v1 validates structuredContent against the listed outputSchema

      const greet = await client.callTool({ name: 'hello_greet', arguments: { name: 'SDK v1' } });
      assert.deepEqual(greet.content, [{ type: 'text', text: 'Hello, SDK v1!' }]);
      assert.equal(greet.isError, undefined);

      const add = await client.callTool({ name: 'hello_add', arguments: { a: 1.5, b: 2 } });
      assert.deepEqual(add.structuredContent, { sum: 3.5 });
      assert.equal(textOf(add), '{"sum":3.5}');

      const fail = await client.callTool({ name: 'testkit_fail', arguments: {} });
      assert.equal(fail.isError, true);
      assert.equal(textOf(fail), 'testkit.fail: failed on purpose');
    });

    test('progress notifications reach onprogress, in order, before the result', async (t) => {
      const { client } = await connectLegacy(t, kind);

      const progress = [];
      const result = await client.callTool(
        { name: 'testkit_progress', arguments: { steps: 3, delay_ms: 10 } },
        undefined,
        { onprogress: (p) => progress.push(p) },
      );
      assert.equal(textOf(result), 'reported 3 steps');
      assert.deepEqual(progress, [1, 2, 3].map((step) => ({ progress: step, total: 3, message: `step ${step} of 3` })));
    });
  });
}
