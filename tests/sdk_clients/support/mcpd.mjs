// What every SDK client test needs: the paths CTest passes in, one private mcpd per test (a stdio child
// that the SDK's StdioClientTransport spawns, or `mcpd serve --http 127.0.0.1:0` started here), a
// record of the JSON-RPC traffic, and cleanup that dumps mcpd's log and that traffic when a test fails.
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 15_000;

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run these tests through CTest (tests/sdk_clients/CMakeLists.txt sets it)`);
  }
  return value;
}

// Set by tests/sdk_clients/CMakeLists.txt (ENVIRONMENT): nothing here knows where the build is.
export const build = {
  get mcpd() { return required('MCPD_EXE'); },
  get version() { return required('MCPD_VERSION'); },
  get testkit() { return required('MCPD_TESTKIT_PLUGIN'); },
  get hello() { return required('MCPD_HELLO_PLUGIN'); },
  get sdkFixture() { return required('MCPD_SDK_FIXTURE_PLUGIN'); },
  get swapV1() { return required('MCPD_SWAP_V1_PLUGIN'); },
  get swapV2() { return required('MCPD_SWAP_V2_PLUGIN'); },
  get conformance() { return required('MCPD_CONFORMANCE_PLUGIN'); },
};

// MCPD_SDK_TRANSPORT=stdio|http runs one transport (CTest registers one test per transport); unset, both.
export function transports() {
  const chosen = process.env.MCPD_SDK_TRANSPORT;
  if (!chosen) return ['stdio', 'http'];
  if (chosen !== 'stdio' && chosen !== 'http') throw new Error(`MCPD_SDK_TRANSPORT must be stdio or http, not '${chosen}'`);
  return [chosen];
}

// Resolves once check() returns a truthy value (which it returns); rejects after timeoutMs naming `what`.
export async function waitUntil(what, check, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

// One test's resources: a scratch directory, cleanups run last-in first-out after the test, and
// diagnostics (mcpd's stderr, the JSON-RPC traffic) printed when the test failed (always with
// MCPD_SDK_TRACE=1).
export class TestScope {
  constructor(t) {
    this.t = t;
    this.cleanups = [];
    this.mcpdLog = [];
    this.wire = [];
    t.after(() => this.close());
  }

  defer(cleanup) {
    this.cleanups.push(cleanup);
  }

  async close() {
    const errors = [];
    while (this.cleanups.length > 0) {
      try {
        await this.cleanups.pop()();
      } catch (error) {
        errors.push(error);
      }
    }
    if (!this.t.passed || errors.length > 0 || process.env.MCPD_SDK_TRACE) {
      process.stderr.write(`\n--- ${this.t.fullName}: JSON-RPC traffic (client view) ---\n`);
      for (const { dir, message } of this.wire) process.stderr.write(`${dir} ${JSON.stringify(message)}\n`);
      process.stderr.write(`--- ${this.t.fullName}: mcpd stderr ---\n${this.mcpdLog.join('')}\n`);
    }
    if (errors.length > 0) throw errors[0];
  }

  async scratchDir() {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mcpd-sdk-clients-'));
    this.defer(() => fs.rm(dir, { recursive: true, force: true }));
    return dir;
  }

  // Records every JSON-RPC message through `transport` (both SDK versions call transport.send and
  // transport.onmessage). A stdio probe that v2 runs on a sibling process is not seen here.
  recordWire(transport) {
    const send = transport.send.bind(transport);
    transport.send = (message, options) => {
      this.wire.push({ dir: '->', message });
      return send(message, options);
    };
    let handler;
    Object.defineProperty(transport, 'onmessage', {
      configurable: true,
      get: () =>
        handler &&
        ((message, extra) => {
          this.wire.push({ dir: '<-', message });
          return handler(message, extra);
        }),
      set: (value) => {
        handler = value;
      },
    });
    return transport;
  }

  // The arguments of `mcpd serve` (without the transport): an empty plugins directory unless
  // `pluginsDir` is given (never the shipped plugins), `plugins` loaded by path, and `config` written
  // to a file when given.
  async serveArgs({ plugins = [], pluginsDir, config } = {}) {
    const scratch = await this.scratchDir();
    if (!pluginsDir) {
      pluginsDir = path.join(scratch, 'plugins');
      await fs.mkdir(pluginsDir);
    }
    const args = ['serve', '--plugins-dir', pluginsDir];
    for (const plugin of plugins) args.push('--plugin', plugin);
    if (config) {
      const file = path.join(scratch, 'config.json');
      await fs.writeFile(file, JSON.stringify(config));
      args.push('--config', file);
    }
    return args;
  }

  // Starts `mcpd <args> --http 127.0.0.1:0` and returns its MCP URL, read from the ready line.
  // stopHttp(), or the end of the test: SIGTERM, and mcpd must exit with status 0 within
  // STOP_TIMEOUT_MS (graceful shutdown).
  async startHttp(args) {
    const child = spawn(build.mcpd, [...args, '--http', '127.0.0.1:0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      this.mcpdLog.push(chunk);
    });
    const exited = once(child, 'exit');
    let stopping;
    this.stopHttp = () => {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`mcpd exited before it was told to (status ${child.exitCode}, signal ${child.signalCode})`);
        }
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        const [code, signal] = await exited;
        clearTimeout(timer);
        if (code !== 0) throw new Error(`mcpd did not shut down cleanly on SIGTERM (status ${code}, signal ${signal})`);
      })();
      return stopping;
    };
    this.defer(this.stopHttp);
    const port = await waitUntil('mcpd\'s "mcpd ready" line on stderr', () => {
      if (child.exitCode !== null) throw new Error(`mcpd exited with status ${child.exitCode} before it was ready`);
      return /msg="mcpd ready".*transport=http.*address=127\.0\.0\.1:(\d+)/.exec(stderr)?.[1];
    }, READY_TIMEOUT_MS);
    return `http://127.0.0.1:${port}/mcp`;
  }

  // A client transport to a fresh mcpd serving `args` over `kind`, built from the SDK's own transport
  // classes (v1 and v2 take the same constructor arguments), with its traffic recorded.
  async transport(kind, args, { StdioClientTransport, StreamableHTTPClientTransport }) {
    if (kind === 'stdio') {
      const transport = new StdioClientTransport({ command: build.mcpd, args: [...args, '--stdio'], stderr: 'pipe' });
      transport.stderr.setEncoding('utf8');
      transport.stderr.on('data', (chunk) => this.mcpdLog.push(chunk));
      return this.recordWire(transport);
    }
    const url = await this.startHttp(args);
    return this.recordWire(new StreamableHTTPClientTransport(new URL(url)));
  }

  // Connects `client` and closes it after the test (before the HTTP server is stopped). Errors the
  // client reports through onerror (messages it could not parse or route, failed streams) fail the
  // test, except those of its own close (v1 aborts its GET stream then).
  async connect(client, transport, options) {
    const errors = [];
    client.onerror = (error) => errors.push(error);
    await client.connect(transport, options);
    this.defer(async () => {
      const before = [...errors];
      await client.close();
      if (before.length > 0) {
        throw new Error(`the client reported errors: ${before.map((e) => `${e?.name}: ${e?.message}`).join('; ')}`);
      }
    });
  }
}

// What `mcpd plugin inspect FILE` says the plugin registers ({namespace, version, tools, prompts, ...}):
// the expected side of the list checks, so that they stay exact when a test plugin gains a tool.
export async function inspect(plugin) {
  const { stdout } = await promisify(execFile)(build.mcpd, ['plugin', 'inspect', plugin]);
  return JSON.parse(stdout);
}

// The tools `plugins` register, in the order tools/list gives them (by name).
export async function toolsOf(...plugins) {
  const tools = (await Promise.all(plugins.map(inspect))).flatMap((report) => report.tools);
  return tools.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

// Deploys `source` as <dir>/<name> the way docs/hot-swap.md says: a hidden temporary name in the same
// directory (which mcpd never loads), then one rename over the real name.
export async function deployPlugin(dir, name, source) {
  const temporary = path.join(dir, `.${name}.tmp`);
  await fs.copyFile(source, temporary);
  await fs.rename(temporary, path.join(dir, name));
}

export function textOf(result) {
  return result.content.map((block) => (block.type === 'text' ? block.text : `<${block.type}>`)).join('\n');
}
