#!/usr/bin/env node
// Drives the official MCP Inspector CLI (pinned in package-lock.json) against
// `mcpd serve --stdio` and asserts on what it prints. Run by CTest (see
// CMakeLists.txt); exit 0 = pass, 1 = fail, 77 = skipped (Inspector not
// installed).
//
//   node inspector_check.mjs --mcpd BIN --plugins-dir DIR --plugin FILE.so
//        [--separator SEP] [--transport stdio|http] --check tools-list|hello-greet
//
// With --transport http the script starts `mcpd serve --http 127.0.0.1:0`
// itself, reads the address mcpd reports on stderr, and points the Inspector
// at its /mcp endpoint (Streamable HTTP).
//
// --separator sets MCPD_TOOL_NAME_SEPARATOR for the server, so the same checks
// prove the names a dot-rejecting client (Claude Desktop, Cursor) would see.

import { spawn } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const SKIP = 77;
const INSPECTOR_TIMEOUT_MS = 60_000;
const here = dirname(fileURLToPath(import.meta.url));

function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exit(1);
}

const { values: opts } = parseArgs({
  options: {
    mcpd: { type: "string" },
    "plugins-dir": { type: "string" },
    plugin: { type: "string" },
    separator: { type: "string", default: "." },
    transport: { type: "string", default: "stdio" },
    check: { type: "string" },
  },
});
for (const required of ["mcpd", "plugins-dir", "plugin", "check"]) {
  if (!opts[required]) fail(`missing --${required} (usage: see the top of ${fileURLToPath(import.meta.url)})`);
}

// The one reason to skip: the Inspector was never installed here.
// scripts/test.sh always installs it, so CI never skips.
if (!existsSync(join(here, "node_modules"))) {
  console.log(`SKIP: ${join(here, "node_modules")} is absent. ` +
              "Install the MCP Inspector with `npm ci` in tests/inspector (scripts/test.sh does this).");
  process.exit(SKIP);
}

function inspector_entry() {
  const package_dir = join(here, "node_modules", "@modelcontextprotocol", "inspector");
  const manifest_path = join(package_dir, "package.json");
  if (!existsSync(manifest_path)) {
    fail(`node_modules exists but ${manifest_path} does not: re-run \`npm ci\` in tests/inspector`);
  }
  const manifest = JSON.parse(readFileSync(manifest_path, "utf8"));
  return join(package_dir, manifest.bin["mcp-inspector"]);
}

function require_file(path, what, hint, mode = constants.R_OK) {
  try {
    accessSync(path, mode);
  } catch {
    fail(`${what} not found at ${path}: ${hint}`);
  }
}
require_file(opts.mcpd, "the mcpd executable", "build the `mcpd` target first", constants.X_OK);
require_file(opts.plugin, "the hello example plugin", "build the SDK's hello example (test_plugins/hello.so) first");

if (!["stdio", "http"].includes(opts.transport)) fail(`--transport must be stdio or http, not ${opts.transport}`);
const plugin_args = ["--plugins-dir", opts["plugins-dir"], "--plugin", opts.plugin];
const server_env = { ...process.env, MCPD_LOG_LEVEL: "info", MCPD_TOOL_NAME_SEPARATOR: opts.separator };

// Starts `mcpd serve --http 127.0.0.1:0` and resolves with its endpoint URL,
// taken from the "transport=http address=HOST:PORT" line mcpd logs on stderr.
function start_http_server() {
  const child = spawn(opts.mcpd, ["serve", "--http", "127.0.0.1:0", ...plugin_args], {
    env: server_env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  process.on("exit", () => child.kill("SIGTERM"));
  return new Promise((resolve) => {
    let stderr = "";
    // A bound on a wait, not a speed (see kStartupTimeout in tests/e2e/mcpd_process.hpp).
    const timer = setTimeout(() => fail(`mcpd did not report its HTTP address within 120 s\nstderr:\n${stderr}`), 120_000);
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
      const match = /transport=http address=(\S+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(`http://${match[1]}/mcp`);
      }
    });
    child.on("exit", (code, signal) => fail(`mcpd exited early with ${code ?? signal}\nstderr:\n${stderr}`));
  });
}
const http_url = opts.transport === "http" ? await start_http_server() : null;

// Runs `mcp-inspector --cli <mcpd serve ...|URL> <inspector args>` and returns
// the JSON it printed on stdout.
function run_inspector(inspector_args) {
  const server = http_url ? [http_url, "--transport", "http"] : [opts.mcpd, "serve", "--stdio", ...plugin_args];
  const argv = [inspector_entry(), "--cli", ...server, ...inspector_args];
  // The Inspector pipes the server's stderr without reading it; keep it short.
  const env = { ...server_env, MCPD_LOG_LEVEL: "warn" };
  console.log(`$ MCPD_TOOL_NAME_SEPARATOR='${opts.separator}' mcp-inspector --cli ${[...server, ...inspector_args].join(" ")}`);

  return new Promise((resolve) => {
    const child = spawn(process.execPath, argv, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      fail(`the Inspector did not finish within ${INSPECTOR_TIMEOUT_MS / 1000} s\nstderr:\n${stderr}`);
    }, INSPECTOR_TIMEOUT_MS);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        fail(`the Inspector exited with ${code ?? signal}\nstdout:\n${stdout}\nstderr:\n${stderr}`);
      }
      try {
        resolve(JSON.parse(stdout));
      } catch (error) {
        fail(`the Inspector's stdout is not JSON (${error.message}):\n${stdout}\nstderr:\n${stderr}`);
      }
    });
  });
}

const published = (namespace, tool) => `${namespace}${opts.separator}${tool}`;

async function check_tools_list() {
  const result = await run_inspector(["--method", "tools/list"]);
  if (!Array.isArray(result.tools)) fail(`tools/list result has no tools array: ${JSON.stringify(result)}`);
  const names = result.tools.map((tool) => tool.name);
  console.log(`tools: ${names.join(", ")}`);
  const expected = [published("tracking", "capture"), published("gemini", "ask_about_images"), published("hello", "greet")];
  const missing = expected.filter((name) => !names.includes(name));
  if (missing.length > 0) fail(`tools/list lacks ${missing.join(", ")}`);
  for (const tool of result.tools) {
    if (tool.inputSchema?.type !== "object") fail(`tool ${tool.name} has no object inputSchema`);
  }
}

async function check_hello_greet() {
  const tool = published("hello", "greet");
  const result = await run_inspector(["--method", "tools/call", "--tool-name", tool, "--tool-arg", "name=Inspector"]);
  console.log(`result: ${JSON.stringify(result)}`);
  if (result.isError === true) fail(`${tool} returned isError:true`);
  const texts = (result.content ?? []).filter((block) => block.type === "text").map((block) => block.text);
  if (!texts.includes("Hello, Inspector!")) fail(`${tool} did not answer "Hello, Inspector!" (text blocks: ${JSON.stringify(texts)})`);
}

const checks = { "tools-list": check_tools_list, "hello-greet": check_hello_greet };
const check = checks[opts.check];
if (!check) fail(`unknown --check ${opts.check}; expected one of ${Object.keys(checks).join(", ")}`);
await check();
console.log(`PASS: ${opts.check} (separator '${opts.separator}', transport ${opts.transport})`);
process.exit(0);
