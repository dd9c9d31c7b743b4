"""A small MCP client for the Python tests: start `mcpd serve --http` and list tools over Streamable HTTP,
or start a server command and list its tools over stdio, as a 2025-era client would."""

import json
import os
import re
import secrets
import subprocess
import sys
import threading
import urllib.error
import urllib.request


class Failure(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise Failure(message)


class HttpServer:
    """`mcpd serve --http 127.0.0.1:0 ...` with a bearer token; its URL comes from the log line that
    names the address."""

    def __init__(self, mcpd, extra_args=(), env=None):
        self.token = secrets.token_hex(16)
        environment = dict(os.environ)
        environment["MCPD_HTTP_BEARER_TOKENS"] = self.token  # an empty one in `env` turns auth off
        environment.update(env or {})
        self.process = subprocess.Popen([mcpd, "serve", "--http", "127.0.0.1:0", *extra_args], env=environment,
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, text=True)
        self.stderr_lines = []
        found = threading.Event()
        self.address = None

        def read_stderr():
            for line in self.process.stderr:
                self.stderr_lines.append(line)
                match = re.search(r"transport=http address=(\S+)", line)
                if match and self.address is None:
                    self.address = match.group(1)
                    found.set()
            found.set()

        threading.Thread(target=read_stderr, daemon=True).start()
        # A bound on a wait, not a speed (see kStartupTimeout in tests/e2e/mcpd_process.hpp).
        if not found.wait(120) or self.address is None:
            self.stop()
            raise Failure("mcpd did not report its HTTP address within 120 s:\n" + self.stderr())

    def stderr(self):
        return "".join(self.stderr_lines)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                return self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                raise Failure("mcpd did not stop within 15 s of SIGTERM")
        return self.process.returncode


def post(url, body, headers):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json",
                                              "Accept": "application/json, text/event-stream", **headers})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            text = response.read().decode()
            if response.headers.get("Content-Type", "").startswith("text/event-stream"):
                data = [line[5:].strip() for line in text.splitlines() if line.startswith("data:")]
                text = data[-1] if data else ""
            return response.status, dict(response.headers), json.loads(text) if text else None
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), None


def http_tool_names(url, headers):
    """initialize, notifications/initialized and tools/list over Streamable HTTP, as a 2025-11-25 client."""
    status, answer_headers, answer = post(url, {
        "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-11-25", "capabilities": {},
                   "clientInfo": {"name": "examples-check", "version": "1"}}}, headers)
    expect(status == 200, f"initialize at {url} answered HTTP {status}")
    expect(answer and "result" in answer, f"initialize at {url} answered {answer}")
    session = {k: v for k, v in answer_headers.items() if k.lower() == "mcp-session-id"}
    version = {"MCP-Protocol-Version": answer["result"]["protocolVersion"]}
    status, _, _ = post(url, {"jsonrpc": "2.0", "method": "notifications/initialized"},
                        {**headers, **session, **version})
    expect(status == 202, f"notifications/initialized answered HTTP {status}")
    status, _, listed = post(url, {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
                             {**headers, **session, **version})
    expect(status == 200 and listed and "result" in listed, f"tools/list answered HTTP {status}: {listed}")
    return [tool["name"] for tool in listed["result"]["tools"]]


def stdio_tool_names(command, args, env):
    """Starts the server as a client does (command, args, the client's environment plus the entry's env)
    and lists its tools over stdio."""
    process = subprocess.Popen([command, *args], env=dict(os.environ, **env), stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                    "clientInfo": {"name": "examples-check", "version": "1"}}},
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
    ]
    try:
        out, err = process.communicate("".join(json.dumps(m) + "\n" for m in messages), timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        raise Failure(f"{command} {' '.join(args)} did not answer and exit within 30 s")
    expect(process.returncode == 0, f"{command} {' '.join(args)} exited {process.returncode}:\n{err}")
    answers = {}
    for line in out.splitlines():
        try:
            message = json.loads(line)
        except json.JSONDecodeError:
            raise Failure(f"stdout carried something other than JSON-RPC: {line!r}")
        if "id" in message:
            answers[message["id"]] = message
    expect(2 in answers and "result" in answers[2], f"no tools/list result; stdout:\n{out}\nstderr:\n{err}")
    return [tool["name"] for tool in answers[2]["result"]["tools"]]


def expect_shipped_tools(names, where):
    """Both shipped plugins (tracking, gemini) are among the tools a server listed."""
    expect(any(n.startswith("tracking_") for n in names) and any(n.startswith("gemini_") for n in names),
           f"{where}: the shipped plugins' tools are missing: {names}")


def run_check(checks, parser):
    """Parses the command line (the last argument names one of `checks`), runs that check, and turns a
    Failure into a message on stderr and exit status 1."""
    parser.add_argument("check", choices=sorted(checks))
    ctx = parser.parse_args()
    try:
        checks[ctx.check](ctx)
    except Failure as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        sys.exit(1)
