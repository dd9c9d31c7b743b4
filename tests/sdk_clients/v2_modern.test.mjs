// The official TypeScript SDK v2 client (@modelcontextprotocol/client, pinned in package-lock.json)
// against mcpd in MCP 2026-07-28, over stdio and Streamable HTTP. The client negotiates the era itself
// (versionNegotiation: auto probes with server/discover); every test starts its own mcpd.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';

import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/client/validators/ajv';

import { TestScope, build, deployPlugin, textOf, toolsOf, transports, waitUntil } from './support/mcpd.mjs';

const MODERN = '2026-07-28';
const sdkTransports = { StdioClientTransport, StreamableHTTPClientTransport };

const HELLO_ADD_OUTPUT_SCHEMA = {
  type: 'object',
  properties: { sum: { type: 'number' } },
  required: ['sum'],
  additionalProperties: false,
};

// The default (AJV) validator, recording what the client asked it to validate.
class RecordingValidator {
  constructor() {
    this.inner = new AjvJsonSchemaValidator();
    this.validations = [];
  }

  getValidator(schema) {
    const validate = this.inner.getValidator(schema);
    return (input) => {
      const result = validate(input);
      this.validations.push({ schema, input, valid: result.valid });
      return result;
    };
  }
}

function modernClient(options = {}) {
  return new Client({ name: 'mcpd-sdk-v2-test', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' }, ...options });
}

const SUBSCRIPTION_ID = 'io.modelcontextprotocol/subscriptionId';

// The raw messages `dir` ('->' sent, '<-' received) with this `method`, as recorded on the transport.
function onWire(scope, dir, method) {
  return scope.wire.filter((m) => m.dir === dir && m.message.method === method).map((m) => m.message);
}

// A modern client connected to a fresh mcpd over `kind` serving `serve` (see TestScope.serveArgs).
async function connectModern(t, kind, serve = { plugins: [build.testkit, build.hello] }, clientOptions = {}) {
  const scope = new TestScope(t);
  const transport = await scope.transport(kind, await scope.serveArgs(serve), sdkTransports);
  const client = modernClient(clientOptions);
  await scope.connect(client, transport);
  return { scope, client };
}

for (const kind of transports()) {
  describe(`v2 client, MCP ${MODERN}, ${kind}`, () => {
    test('negotiates 2026-07-28 through server/discover', async (t) => {
      const { scope, client } = await connectModern(t, kind);

      assert.equal(client.getProtocolEra(), 'modern');
      assert.equal(client.getNegotiatedProtocolVersion(), MODERN);
      assert.deepEqual(client.getServerVersion(), { name: 'mcpd', version: build.version });
      const discover = client.getDiscoverResult();
      assert.deepEqual(discover.supportedVersions, [MODERN]);
      assert.deepEqual(client.getServerCapabilities().tools, { listChanged: true });
      assert.deepEqual(client.getServerCapabilities().resources, { subscribe: true, listChanged: true });

      // Requests after connect carry the modern envelope, and no initialize was ever sent.
      await client.listTools();
      const sent = scope.wire.filter((m) => m.dir === '->').map((m) => m.message);
      assert.ok(!sent.some((m) => m.method === 'initialize'), 'the client sent initialize');
      const list = sent.find((m) => m.method === 'tools/list');
      assert.equal(list.params._meta['io.modelcontextprotocol/protocolVersion'], MODERN);
      assert.equal(typeof list.params._meta['io.modelcontextprotocol/clientCapabilities'], 'object');
    });

    test('tools/list returns every tool as `mcpd plugin inspect` sees it, in name order', async (t) => {
      const { client } = await connectModern(t, kind);

      const { tools, nextCursor } = await client.listTools();
      assert.equal(nextCursor, undefined);
      // the v2 client's Tool type has no execution (task support): it drops the field mcpd sends (tests/e2e/tasks_test.cpp checks it on the wire).
      const expected = (await toolsOf(build.testkit, build.hello)).map(({ execution, ...tool }) => tool);
      assert.deepEqual(tools, expected);
      assert.ok(tools.length >= 10, `only ${tools.length} tools`);
      const add = tools.find((tool) => tool.name === 'hello_add');
      assert.equal(add.title, 'Add');
      assert.deepEqual(add.outputSchema, HELLO_ADD_OUTPUT_SCHEMA);
      assert.deepEqual(add.inputSchema.required, ['a', 'b']);
    });

    test('a tool with an outputSchema: the client validates structuredContent against it', async (t) => {
      const validator = new RecordingValidator();
      const { client } = await connectModern(t, kind, undefined, { jsonSchemaValidator: validator });
      await client.listTools(); // the client validates against the listed definition

      const result = await client.callTool({ name: 'hello_add', arguments: { a: 2, b: 40 } });
      assert.equal(result.isError, undefined);
      assert.deepEqual(result.structuredContent, { sum: 42 });
      assert.deepEqual(result.content, [{ type: 'text', text: '{"sum":42}' }]);
      assert.deepEqual(validator.validations, [{ schema: HELLO_ADD_OUTPUT_SCHEMA, input: { sum: 42 }, valid: true }]);

      // The same answer checked against a schema it does not meet is refused by the client: proof that
      // the validation above decided something.
      const listed = (await client.listTools()).tools.find((tool) => tool.name === 'hello_add');
      const stricter = { ...listed, outputSchema: { type: 'object', properties: { sum: { type: 'string' } }, required: ['sum'] } };
      await assert.rejects(
        client.callTool({ name: 'hello_add', arguments: { a: 2, b: 40 } }, { toolDefinition: stricter }),
        /structured content does not match the tool's output schema/i,
      );
    });

    test('progress notifications reach onprogress, in order, before the result', async (t) => {
      const { client } = await connectModern(t, kind);

      const progress = [];
      const result = await client.callTool(
        { name: 'testkit_progress', arguments: { steps: 4, delay_ms: 10 } },
        { onprogress: (p) => progress.push(p) },
      );
      assert.equal(textOf(result), 'reported 4 steps');
      assert.deepEqual(progress, [1, 2, 3, 4].map((step) => ({ progress: step, total: 4, message: `step ${step} of 4` })));
    });

    test('an AbortSignal cancels a long call in mcpd, and the next call works', async (t) => {
      const { scope, client } = await connectModern(t, kind);
      const marker = path.join(await scope.scratchDir(), 'slow.marker');
      const readMarker = () => fs.readFile(marker, 'utf8').then((s) => s.trim(), () => '');

      const abort = new AbortController();
      const started = Date.now();
      const call = client.callTool(
        { name: 'testkit_slow', arguments: { ms: 60_000, cancel_marker: marker } },
        { signal: abort.signal },
      );
      await waitUntil('testkit.slow to start', async () => (await readMarker()) === 'started');
      abort.abort('the test is done waiting');
      // v2 rejects with the abort reason as the message (SdkError; it has no code of its own for an abort).
      await assert.rejects(call, { name: 'SdkError', message: 'the test is done waiting' });
      // The handler saw the cancellation (it polls every 10 ms) instead of sleeping its 60 s.
      await waitUntil('testkit.slow to observe the cancellation', async () => (await readMarker()) === 'cancelled');
      assert.ok(Date.now() - started < 15_000);
      if (kind === 'stdio') {
        // stdio has no stream to close: the client says so with notifications/cancelled.
        const [slowCall] = onWire(scope, '->', 'tools/call');
        assert.deepEqual(onWire(scope, '->', 'notifications/cancelled').map((n) => n.params.requestId), [slowCall.id]);
      } // HTTP: closing the request's stream is the cancellation (mcpd logs "client disconnected").

      const after = await client.callTool({ name: 'hello_greet', arguments: { name: 'after the cancel' } });
      assert.equal(textOf(after), 'Hello, after the cancel!');
    });

    test('subscriptions/listen delivers resources/updated for a subscribed URI', async (t) => {
      const { scope, client } = await connectModern(t, kind, { plugins: [build.sdkFixture] });

      const updates = [];
      client.setNotificationHandler('notifications/resources/updated', (n) => updates.push(n.params.uri));
      const subscription = await client.listen({ resourceSubscriptions: ['fixture://static'] });
      assert.deepEqual(subscription.honoredFilter, { resourceSubscriptions: ['fixture://static'] });

      const result = await client.callTool({ name: 'sdk_fixture.notify', arguments: {} });
      assert.equal(textOf(result), 'notified');
      await waitUntil('notifications/resources/updated on the listen stream', () => updates.length > 0);
      assert.deepEqual(updates, ['fixture://static']);
      // On the wire: tagged with the listen request's id.
      const [listen] = onWire(scope, '->', 'subscriptions/listen');
      assert.deepEqual(onWire(scope, '<-', 'notifications/resources/updated').map((n) => n.params), [
        { uri: 'fixture://static', _meta: { [SUBSCRIPTION_ID]: listen.id } },
      ]);

      await subscription.close();
      assert.equal(await subscription.closed, 'local');
    });

    test('a hot swap reaches subscriptions/listen as list_changed, and the lists show the new version', async (t) => {
      const scope = new TestScope(t);
      const scratch = await scope.scratchDir();
      const pluginsDir = path.join(scratch, 'plugins');
      await fs.mkdir(pluginsDir);
      await deployPlugin(pluginsDir, 'swap.so', build.swapV1);
      const args = await scope.serveArgs({
        pluginsDir,
        plugins: [build.hello],
        config: { plugins: { watch: true, debounce_ms: 20, staging_dir: path.join(scratch, 'staging') } },
      });
      const client = modernClient();
      await scope.connect(client, await scope.transport(kind, args, sdkTransports));

      const before = await client.listTools();
      assert.deepEqual(before.tools.map((tool) => tool.name), ['hello_add', 'hello_greet', 'swap_slow', 'swap_which']);
      const whichBefore = before.tools.find((tool) => tool.name === 'swap_which');
      assert.equal(whichBefore.description, 'Answers with the version that ran the call (1.0.0).');
      assert.equal(textOf(await client.callTool({ name: 'swap_which', arguments: {} })), '1.0.0');
      assert.deepEqual((await client.listPrompts()).prompts, []);

      const changed = [];
      client.setNotificationHandler('notifications/tools/list_changed', () => changed.push('tools'));
      client.setNotificationHandler('notifications/prompts/list_changed', () => changed.push('prompts'));
      const subscription = await client.listen({ toolsListChanged: true, promptsListChanged: true });
      assert.deepEqual(subscription.honoredFilter, { toolsListChanged: true, promptsListChanged: true });

      await deployPlugin(pluginsDir, 'swap.so', build.swapV2);
      await waitUntil('notifications/tools/list_changed and prompts/list_changed after the swap', () =>
        changed.includes('tools') && changed.includes('prompts'));
      assert.deepEqual([...changed].sort(), ['prompts', 'tools']);
      const [listen] = onWire(scope, '->', 'subscriptions/listen');
      for (const method of ['notifications/tools/list_changed', 'notifications/prompts/list_changed']) {
        assert.deepEqual(onWire(scope, '<-', method).map((n) => n.params), [{ _meta: { [SUBSCRIPTION_ID]: listen.id } }], method);
      }

      // list_changed evicted the client's cached tools/list (mcpd's ttlMs is 30 s): this is a new request.
      const after = await client.listTools();
      assert.deepEqual(after.tools.map((tool) => tool.name), ['hello_add', 'hello_greet', 'swap_slow', 'swap_which']);
      const whichAfter = after.tools.find((tool) => tool.name === 'swap_which');
      assert.equal(whichAfter.description, 'Answers with the version that ran the call (2.0.0).');
      assert.notDeepEqual(after.tools, before.tools);
      assert.equal(textOf(await client.callTool({ name: 'swap_which', arguments: {} })), '2.0.0');
      const { prompts } = await client.listPrompts();
      assert.deepEqual(prompts.map((prompt) => [prompt.name, prompt.description]), [['swap_release_notes', 'What changed in 2.0.0.']]);

      await subscription.close();
      assert.equal(await subscription.closed, 'local');
    });
  });
}

// docs/http.md: "When mcpd shuts down it ends every listen with its result". (Over stdio alone SIGTERM
// ends mcpd at once, by design, see docs/operations.md#shutdown: the client sees a remote close there.)
if (transports().includes('http')) {
  test('v2 client, http: mcpd\'s graceful shutdown ends a listen with its result', async (t) => {
    const { scope, client } = await connectModern(t, 'http', { plugins: [build.hello] });
    const subscription = await client.listen({ toolsListChanged: true });

    await scope.stopHttp();
    assert.equal(await subscription.closed, 'graceful');
    const [listen] = onWire(scope, '->', 'subscriptions/listen');
    const answer = scope.wire.find((m) => m.dir === '<-' && m.message.id === listen.id).message;
    assert.equal(answer.result.resultType, 'complete');
    assert.equal(answer.result._meta[SUBSCRIPTION_ID], listen.id);
  });
}

// The same v2 client without versionNegotiation keeps to the 2025 handshake: mcpd serves it as a legacy
// client on the same process / endpoint.
for (const kind of transports()) {
  test(`v2 client left in legacy mode gets a 2025-11-25 session (${kind})`, async (t) => {
    const scope = new TestScope(t);
    const transport = await scope.transport(kind, await scope.serveArgs({ plugins: [build.hello] }), sdkTransports);
    const client = new Client({ name: 'mcpd-sdk-v2-legacy-test', version: '1.0.0' });
    await scope.connect(client, transport);

    assert.equal(client.getProtocolEra(), 'legacy');
    assert.equal(client.getNegotiatedProtocolVersion(), '2025-11-25');
    assert.deepEqual(client.getServerVersion(), { name: 'mcpd', version: build.version });
    const result = await client.callTool({ name: 'hello_greet', arguments: { name: 'legacy v2' } });
    assert.equal(textOf(result), 'Hello, legacy v2!');
  });
}
