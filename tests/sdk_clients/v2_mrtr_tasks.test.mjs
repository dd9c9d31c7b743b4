// The official TypeScript SDK v2 client (@modelcontextprotocol/client, pinned in package-lock.json) against
// mcpd with the conformance plugin, over Streamable HTTP, in MCP 2026-07-28: multi round-trip requests
// (SEP-2322) and the Tasks extension (SEP-2663). Every test starts its own mcpd.
//
// What client 2.4.0 has for each (read in node_modules/@modelcontextprotocol/client/dist):
// - input_required: the client handles it itself. A tools/call answered with resultType "input_required"
//   goes to its multi round-trip driver, which hands each inputRequests entry to the handler registered for
//   that method (setRequestHandler('elicitation/create', ...) here), then retries the call with
//   inputResponses and the requestState echoed byte for byte, on a new request id, for up to
//   inputRequired.maxRounds (10) rounds; callTool() resolves with the final result.
// - tasks: no client API. The extension can be declared (capabilities.extensions is an open record), but the
//   client's 2026-07-28 codec takes only resultType "complete" and "input_required": callTool() of a call
//   that becomes a task rejects with SdkError UNSUPPORTED_RESULT_TYPE ("Unsupported result type 'task' for
//   tools/call"), and the taskId is lost. client.request() with a result schema of ours does send tasks/get
//   and tasks/cancel (names SEP-2663 reuses, which the client lets through with an explicit schema) and
//   tasks/update (an extension method to it). So a task is created one layer down, with the SDK's
//   StreamableHTTPClientTransport (it derives MCP-Protocol-Version, Mcp-Method and Mcp-Name from the request,
//   as for the client's own requests), and polled, answered and cancelled through the client.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import {
  CLIENT_CAPABILITIES_META_KEY,
  CLIENT_INFO_META_KEY,
  Client,
  PROTOCOL_VERSION_META_KEY,
  SdkErrorCode,
  StreamableHTTPClientTransport,
  fromJsonSchema,
} from '@modelcontextprotocol/client';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/client/validators/ajv';

import { TestScope, build, textOf, transports, waitUntil } from './support/mcpd.mjs';

const MODERN = '2026-07-28';
const TASKS = 'io.modelcontextprotocol/tasks';
const CLIENT_INFO = { name: 'mcpd-sdk-v2-mrtr-tasks-test', version: '1.0.0' };
const POLL_INTERVAL_MS = 100; // tasks.poll_interval_ms of every mcpd here (the smallest mcpd takes)

// Result schemas for client.request(), checked by the SDK's own JSON Schema validator. The client has already
// taken resultType off (it only lets "complete" through to them).
const validator = new AjvJsonSchemaValidator();
const DetailedTask = fromJsonSchema(
  {
    type: 'object',
    required: ['taskId', 'status', 'createdAt', 'lastUpdatedAt', 'ttlMs'],
    properties: {
      taskId: { type: 'string' },
      status: { enum: ['working', 'input_required', 'completed', 'failed', 'cancelled'] },
      ttlMs: { type: ['integer', 'null'], minimum: 1 },
      pollIntervalMs: { type: 'integer', minimum: 1 },
      inputRequests: { type: 'object' },
      result: { type: 'object' },
      error: { type: 'object' },
    },
    not: { anyOf: [{ required: ['requestState'] }, { required: ['ttl'] }, { required: ['pollInterval'] }] },
  },
  validator,
);
// tasks/update and tasks/cancel acknowledge with an empty result (mcpd adds only its serverInfo _meta).
const Ack = fromJsonSchema(
  { type: 'object', properties: { _meta: { type: 'object' } }, additionalProperties: false },
  validator,
);

const TERMINAL = ['completed', 'failed', 'cancelled'];

// The messages sent ('->') with this method, as recorded on the client's transport.
function sent(scope, method) {
  return scope.wire.filter((m) => m.dir === '->' && m.message.method === method).map((m) => m.message);
}

// The response recorded for request `id`.
function answerTo(scope, id) {
  return scope.wire.find((m) => m.dir === '<-' && m.message.id === id && !m.message.method)?.message;
}

// A fresh mcpd (conformance plugin, memory task store) and a v2 client in 2026-07-28 declaring `capabilities`.
async function connect(t, capabilities) {
  const scope = new TestScope(t);
  const url = await scope.startHttp(
    await scope.serveArgs({ plugins: [build.conformance], config: { tasks: { poll_interval_ms: POLL_INTERVAL_MS } } }),
  );
  const client = new Client(CLIENT_INFO, { versionNegotiation: { mode: 'auto' }, capabilities });
  await scope.connect(client, scope.recordWire(new StreamableHTTPClientTransport(new URL(url))));
  assert.equal(client.getNegotiatedProtocolVersion(), MODERN);
  return { scope, client, url, capabilities };
}

let rawIds = 0;

// tools/call sent with the client's transport class instead of the client, which cannot take a task (see the
// top of this file): the same envelope the client sends, the same headers. Returns the JSON-RPC response.
async function callWithoutClient({ scope, url, capabilities }, params) {
  const transport = scope.recordWire(new StreamableHTTPClientTransport(new URL(url)));
  const id = `raw-${++rawIds}`;
  const response = new Promise((resolve, reject) => {
    transport.onmessage = (message) => message.id === id && resolve(message);
    transport.onerror = reject;
  });
  await transport.start();
  try {
    await transport.send({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: {
        ...params,
        _meta: {
          [PROTOCOL_VERSION_META_KEY]: MODERN,
          [CLIENT_INFO_META_KEY]: CLIENT_INFO,
          [CLIENT_CAPABILITIES_META_KEY]: capabilities,
        },
      },
    });
    return await response;
  } finally {
    await transport.close();
  }
}

// A task started by tools/call `params`: its CreateTaskResult, checked.
async function startTask(session, params) {
  const response = await callWithoutClient(session, params);
  const task = response.result;
  assert.ok(task, `tools/call ${params.name} failed: ${JSON.stringify(response.error)}`);
  assert.equal(task.resultType, 'task');
  assert.match(task.taskId, /^[0-9a-f-]{36}$/);
  assert.equal(task.status, 'working');
  assert.equal(task.pollIntervalMs, POLL_INTERVAL_MS);
  assert.ok(Number.isInteger(task.ttlMs) && task.ttlMs > 0, `ttlMs ${task.ttlMs}`);
  for (const key of ['result', 'error', 'inputRequests', 'requestState']) assert.ok(!(key in task), key);
  return task;
}

function tasksGet(client, taskId) {
  return client.request({ method: 'tasks/get', params: { taskId } }, DetailedTask);
}

// Polls tasks/get through the client every pollIntervalMs until until(task) holds; returns every status seen
// and the last task.
async function pollUntil(client, taskId, until, timeoutMs = 10_000) {
  const statuses = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const task = await tasksGet(client, taskId);
    assert.equal(task.taskId, taskId);
    statuses.push(task.status);
    if (until(task)) return { task, statuses };
    if (Date.now() > deadline) throw new Error(`task ${taskId} still ${task.status} after ${timeoutMs} ms (${statuses})`);
    await sleep(task.pollIntervalMs ?? POLL_INTERVAL_MS);
  }
}

// mcpd's own count of slow_compute calls that ended cancelled (counted when the plugin's handler returns).
async function cancelledSlowComputes(url) {
  const metrics = await (await fetch(new URL('/metrics', url))).text();
  const line = /^mcpd_tool_calls_total\{tool="conformance\.slow_compute",outcome="cancelled"\} (\d+)$/m.exec(metrics);
  return line ? Number(line[1]) : 0;
}

const NAME_SCHEMA = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] };

if (transports().includes('http')) {
  describe(`v2 client, MCP ${MODERN}, http: multi round-trip requests`, () => {
    test('input_required: the client answers the elicitation with its handler and retries with the requestState', async (t) => {
      const { scope, client } = await connect(t, { elicitation: { form: {} } });
      const asked = [];
      client.setRequestHandler('elicitation/create', async (request) => {
        asked.push(request.params);
        return { action: 'accept', content: { name: 'Ada' } };
      });

      const result = await client.callTool({ name: 'test_input_required_result_elicitation', arguments: {} });
      assert.equal(textOf(result), 'Hello, Ada!');
      assert.equal(asked.length, 1);
      assert.equal(asked[0].message, 'What is your name?');
      assert.deepEqual(asked[0].requestedSchema, NAME_SCHEMA);

      // On the wire: the call, input_required with a sealed requestState, and the retry on a new id with the
      // answer under its key and the state as it came.
      const [first, retry, ...more] = sent(scope, 'tools/call');
      assert.equal(more.length, 0);
      const irr = answerTo(scope, first.id).result;
      assert.equal(irr.resultType, 'input_required');
      assert.deepEqual(Object.keys(irr.inputRequests), ['user_name']);
      assert.equal(irr.inputRequests.user_name.method, 'elicitation/create');
      assert.equal(typeof irr.requestState, 'string');
      assert.ok(irr.requestState.length > 40, 'the requestState is sealed, not the plugin\'s own state');
      assert.notEqual(retry.id, first.id);
      assert.deepEqual(retry.params.inputResponses, { user_name: { action: 'accept', content: { name: 'Ada' } } });
      assert.equal(retry.params.requestState, irr.requestState);
      assert.equal(answerTo(scope, retry.id).result.resultType, 'complete');
    });

    test('two rounds: each answered by the handler, each with a new requestState', async (t) => {
      const { scope, client } = await connect(t, { elicitation: { form: {} } });
      const asked = [];
      client.setRequestHandler('elicitation/create', async (request) => {
        asked.push(request.params.message);
        const wants = Object.keys(request.params.requestedSchema.properties);
        return { action: 'accept', content: wants.includes('color') ? { color: 'green' } : { name: 'Ada' } };
      });

      const result = await client.callTool({ name: 'test_input_required_result_multi_round', arguments: {} });
      assert.equal(textOf(result), 'Ada likes green');
      assert.deepEqual(asked, ['Step 1: What is your name?', 'Step 2: What is your favorite color?']);
      const calls = sent(scope, 'tools/call');
      assert.equal(calls.length, 3);
      const states = calls.slice(0, 2).map((call) => answerTo(scope, call.id).result.requestState);
      assert.notEqual(states[0], states[1]);
      assert.deepEqual(calls.slice(1).map((call) => call.params.requestState), states);
      assert.deepEqual(calls[2].params.inputResponses, { step2: { action: 'accept', content: { color: 'green' } } });
    });
  });

  describe(`v2 client, MCP ${MODERN}, http: the Tasks extension`, () => {
    test('callTool cannot take a task: the client rejects resultType "task"', async (t) => {
      const { scope, client, url } = await connect(t, { extensions: { [TASKS]: {} } });
      await assert.rejects(client.callTool({ name: 'slow_compute', arguments: { seconds: 0.2, label: 'callTool' } }), {
        name: 'SdkError',
        code: SdkErrorCode.UnsupportedResultType,
        message: "Unsupported result type 'task' for tools/call",
      });
      // The same call without the extension is served at once, as a plain result.
      const plain = new Client(CLIENT_INFO, { versionNegotiation: { mode: 'auto' } });
      await scope.connect(plain, scope.recordWire(new StreamableHTTPClientTransport(new URL(url))));
      const result = await plain.callTool({ name: 'slow_compute', arguments: { seconds: 0.2, label: 'plain' } });
      assert.match(textOf(result), /^slow_compute plain done after /);
    });

    test('a task polled with tasks/get through the client until completed, with its result', async (t) => {
      const session = await connect(t, { extensions: { [TASKS]: {} } });
      const { scope, client } = session;
      const created = await startTask(session, { name: 'slow_compute', arguments: { seconds: 1, label: 'v2 task' } });

      const { task, statuses } = await pollUntil(client, created.taskId, (task) => TERMINAL.includes(task.status));
      assert.equal(task.status, 'completed');
      assert.equal(statuses[0], 'working');
      assert.ok(statuses.length >= 3, `${statuses.length} polls for a 1 s task every ${POLL_INTERVAL_MS} ms`);
      assert.deepEqual(task.result.content, [{ type: 'text', text: 'slow_compute v2 task done after 1 s' }]);
      assert.equal(task.result.isError, undefined);
      assert.equal(task.createdAt, created.createdAt);
      // tasks/get went out with the client's envelope: the extension declared on each request.
      for (const get of sent(scope, 'tasks/get')) {
        assert.deepEqual(get.params._meta[CLIENT_CAPABILITIES_META_KEY].extensions, { [TASKS]: {} });
        assert.equal(answerTo(scope, get.id).result.resultType, 'complete');
      }
      // A task of another id is unknown (-32602).
      await assert.rejects(tasksGet(client, '00000000-0000-4000-8000-000000000000'), { code: -32602 });
    });

    test('a task cancelled with tasks/cancel through the client ends cancelled, and its work stops', async (t) => {
      const session = await connect(t, { extensions: { [TASKS]: {} } });
      const { scope, client, url } = session;
      const created = await startTask(session, { name: 'slow_compute', arguments: { seconds: 30, label: 'doomed' } });
      await pollUntil(client, created.taskId, (task) => task.status === 'working');

      const cancelledAt = Date.now();
      await client.request({ method: 'tasks/cancel', params: { taskId: created.taskId } }, Ack);
      const [cancel] = sent(scope, 'tasks/cancel');
      assert.deepEqual(Object.keys(answerTo(scope, cancel.id).result).sort(), ['_meta', 'resultType']);
      const { task } = await pollUntil(client, created.taskId, (task) => TERMINAL.includes(task.status), 5_000);
      assert.equal(task.status, 'cancelled');
      assert.ok(!('result' in task) && !('error' in task));
      // The work stopped: the handler of a 30 s call returned, cancelled, within seconds.
      await waitUntil(
        'mcpd to count the slow_compute call as cancelled',
        async () => (await cancelledSlowComputes(url)) === 1,
        5_000,
      );
      assert.ok(Date.now() - cancelledAt < 5_000);
      // Cancelling again, now that it is terminal, is acknowledged the same way.
      await client.request({ method: 'tasks/cancel', params: { taskId: created.taskId } }, Ack);
      assert.equal((await tasksGet(client, created.taskId)).status, 'cancelled');
    });

    test('a task that needs input: tasks/get shows input_required, tasks/update through the client answers it', async (t) => {
      const session = await connect(t, { elicitation: { form: {} }, extensions: { [TASKS]: {} } });
      const { client } = session;
      const created = await startTask(session, { name: 'confirm_delete', arguments: { filename: 'v2.txt' } });

      const { task: waiting } = await pollUntil(client, created.taskId, (task) => task.status !== 'working', 5_000);
      assert.equal(waiting.status, 'input_required');
      assert.deepEqual(Object.keys(waiting.inputRequests), ['confirm']);
      assert.equal(waiting.inputRequests.confirm.method, 'elicitation/create');
      assert.equal(waiting.inputRequests.confirm.params.message, 'Delete v2.txt?');

      const answer = { confirm: { action: 'accept', content: { confirm: true } } };
      await client.request({ method: 'tasks/update', params: { taskId: created.taskId, inputResponses: answer } }, Ack);
      const { task } = await pollUntil(client, created.taskId, (task) => TERMINAL.includes(task.status), 5_000);
      assert.equal(task.status, 'completed');
      assert.deepEqual(task.result.content, [{ type: 'text', text: 'deleted v2.txt' }]);
    });
  });
}
