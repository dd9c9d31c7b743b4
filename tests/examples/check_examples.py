#!/usr/bin/env python3
"""Checks the files in examples/ the way their readers use them.

  examples/mcpd.json     mcpd serves with it (HTTP, both shipped plugins) and logs no warning about it.
  examples/clients/*     each client's recipe has the shape that client documents for its config file
                         (the keys it reads, their types, its variable syntax), every environment
                         variable it sets is one mcpd documents, and the server it describes really
                         serves: its stdio command is started exactly as the client starts it, its HTTP
                         entry is reached with its URL and headers, and the MCP Inspector recipe is run
                         by the real Inspector CLI (tests/inspector, pinned by its lockfile).

None of these clients ships a JSON Schema of its configuration file in a package this test could pin
(the Gemini CLI's npm package 0.61.0 has none, VS Code's lives inside the editor), so the shapes below
are written from each client's documentation.

Usage: check_examples.py --mcpd PATH --examples DIR --docs DIR [--inspector DIR] CHECK
CHECK: config | claude-desktop | claude-code | cursor | vscode | codex | gemini-cli | inspector
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import tomllib
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from mcpd_client import (Failure, HttpServer, expect, expect_shipped_tools, http_tool_names, post,  # noqa: E402
                         run_check, stdio_tool_names)

SKIP = 77
PLACEHOLDER_MCPD = "/usr/bin/mcpd"  # where the Debian package installs mcpd; recipes name it
TOOL_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")  # what Claude, Cursor, VS Code and Codex accept
SECRET_VARIABLES = {"GEMINI_API_KEY", "POSTHOG_PROJECT_KEY", "POSTHOG_PERSONAL_API_KEY", "MCPD_ADMIN_TOKEN",
                    "MCPD_HTTP_BEARER_TOKENS", "OPENAI_API_KEY"}


# ------------------------------------------------------------------------------------------- the shapes

def check_keys(where, entry, allowed, required=()):
    expect(isinstance(entry, dict), f"{where}: an object was expected, not {type(entry).__name__}")
    unknown = set(entry) - set(allowed)
    expect(not unknown, f"{where}: keys the client does not read: {sorted(unknown)} (it reads {sorted(allowed)})")
    for key in required:
        expect(key in entry, f"{where}: \"{key}\" is required")
    for key, kind in allowed.items():
        if key in entry:
            expect(kind(entry[key]), f"{where}: \"{key}\" has the wrong type: {entry[key]!r}")


def is_str(v):
    return isinstance(v, str) and v != ""


def is_str_list(v):
    return isinstance(v, list) and all(isinstance(x, str) for x in v)


def is_str_map(v):
    return isinstance(v, dict) and all(isinstance(k, str) and isinstance(x, str) for k, x in v.items())


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0


def is_bool(v):
    return isinstance(v, bool)


def documented_variables(docs_dir):
    """Every environment variable the docs name in a table row: what a recipe's env may set."""
    names = set()
    for name in os.listdir(docs_dir):
        if name.endswith(".md"):
            with open(os.path.join(docs_dir, name), encoding="utf-8") as f:
                names.update(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", f.read(), re.M))
    return names


def check_env(where, env, docs_dir):
    known = documented_variables(docs_dir)
    for name in env:
        expect(name in known, f"{where}: env sets {name}, which mcpd does not read (see docs/configuration.md)")


def server_environment(env, expand):
    """The entry's env as the server would see it, each value expanded the client's way. Secrets are
    passed empty: an empty variable counts as unset, and nothing here reaches a real service."""
    return {name: "" if name in SECRET_VARIABLES else expand(value) for name, value in env.items()}


def check_stdio_entry(where, entry, ctx, expand=lambda v: v):
    expect(entry["command"] == PLACEHOLDER_MCPD,
           f"{where}: command should be {PLACEHOLDER_MCPD} (the packaged path), not {entry['command']}")
    check_env(where, entry.get("env", {}), ctx.docs)
    names = stdio_tool_names(ctx.mcpd, entry.get("args", []), server_environment(entry.get("env", {}), expand))
    check_tool_names(where, names)
    return names


def check_http_entry(where, url, headers, ctx, expand):
    """Reaches a test server with the entry's URL (its port replaced) and headers (expanded the client's
    way, with MCPD_TOKEN holding the server's token)."""
    expect(re.fullmatch(r"http://127\.0\.0\.1:8080/mcp", url) is not None,
           f"{where}: the URL should be the default endpoint http://127.0.0.1:8080/mcp, not {url}")
    server = HttpServer(ctx.mcpd)
    try:
        os.environ["MCPD_TOKEN"] = server.token
        real_url = url.replace("127.0.0.1:8080", server.address)
        real_headers = {name: expand(value) for name, value in headers.items()}
        # Without the recipe's header the server refuses: the header is what lets the client in.
        status, _, _ = post(real_url, {"jsonrpc": "2.0", "id": 1, "method": "ping"}, {})
        expect(status == 401, f"{where}: a request without the Authorization header got HTTP {status}, not 401")
        names = http_tool_names(real_url, real_headers)
        check_tool_names(where, names)
        return names
    finally:
        os.environ.pop("MCPD_TOKEN", None)
        server.stop()


def check_tool_names(where, names):
    expect_shipped_tools(names, where)
    for name in names:
        expect(TOOL_NAME.match(name), f"{where}: tool name {name!r} is refused by clients (^[a-zA-Z0-9_-]{{1,64}}$)")


def expand_dollar_brace(value):
    """${VAR} (Claude Code; also ${VAR:-default})."""
    def one(match):
        name, _, default = match.group(1).partition(":-")
        return os.environ.get(name, default)
    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?)\}", one, value)


def expand_dollar(value):
    """$VAR and ${VAR} (Gemini CLI)."""
    return re.sub(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", lambda m: os.environ.get(m.group(1), ""), value)


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def recipe_servers(ctx, relative_path, servers_key="mcpServers", other_keys=None):
    """The recipe's server entries as (where, name, entry), after checking its top-level keys."""
    label = relative_path.split("/", 1)[1]
    doc = load_json(os.path.join(ctx.examples, "clients", relative_path))
    check_keys(label, doc, {servers_key: lambda v: isinstance(v, dict), **(other_keys or {})}, [servers_key])
    return doc, [(f"{label} {servers_key}.{name}", name, entry) for name, entry in doc[servers_key].items()]


# ------------------------------------------------------------------------------------------- the checks

def check_config(ctx):
    """examples/mcpd.json: mcpd serves over HTTP with it and says nothing against it."""
    path = os.path.join(ctx.examples, "mcpd.json")
    server = HttpServer(ctx.mcpd, ["--config", path], env={"MCPD_PLUGINS_DIR": ctx.plugins_dir})
    try:
        with urllib.request.urlopen(f"http://{server.address}/healthz", timeout=10) as response:
            expect(response.status == 200, f"/healthz answered {response.status}")
        names = http_tool_names(f"http://{server.address}/mcp", {"Authorization": f"Bearer {server.token}"})
        check_tool_names("examples/mcpd.json", names)
        complaints = [line for line in server.stderr_lines
                      if re.search(r"level=(warning|error|critical)", line)]
        expect(not complaints, "mcpd complained about examples/mcpd.json:\n" + "".join(complaints))
    finally:
        status = server.stop()
    expect(status == 0, f"mcpd exited {status} after SIGTERM:\n{server.stderr()}")
    print(f"ok: examples/mcpd.json serves {len(names)} tools over HTTP")


def check_claude_desktop(ctx):
    for where, _, entry in recipe_servers(ctx, "claude-desktop/claude_desktop_config.json")[1]:
        # Claude Desktop starts local servers only; remote ones are added as connectors in its settings.
        check_keys(where, entry, {"command": is_str, "args": is_str_list, "env": is_str_map}, ["command"])
        names = check_stdio_entry(where, entry, ctx)
        print(f"ok: {where}: {len(names)} tools over stdio")


def check_claude_code(ctx):
    for where, name, entry in recipe_servers(ctx, "claude-code/.mcp.json")[1]:
        kind = entry.get("type", "stdio")
        if kind == "stdio":
            check_keys(where, entry, {"type": is_str, "command": is_str, "args": is_str_list, "env": is_str_map},
                       ["command"])
            names = check_stdio_entry(where, entry, ctx, expand_dollar_brace)
        else:
            expect(kind in ("http", "sse"), f"{where}: type must be stdio, http or sse, not {kind}")
            check_keys(where, entry, {"type": is_str, "url": is_str, "headers": is_str_map}, ["url"])
            names = check_http_entry(where, entry["url"], entry.get("headers", {}), ctx, expand_dollar_brace)
        # Claude Code names a tool mcp__<server>__<tool>, and that whole name must fit in 64 characters.
        for tool in names:
            full = f"mcp__{name}__{tool}"
            expect(len(full) <= 64, f"{where}: {full} is longer than 64 characters: shorten the server name")
        print(f"ok: {where}: {len(names)} tools over {kind}")


def check_cursor(ctx):
    for where, _, entry in recipe_servers(ctx, "cursor/.cursor/mcp.json")[1]:
        if "command" in entry:
            check_keys(where, entry, {"type": is_str, "command": is_str, "args": is_str_list, "env": is_str_map,
                                      "envFile": is_str}, ["command"])
            names = check_stdio_entry(where, entry, ctx, expand_dollar_brace)
            kind = "stdio"
        else:
            check_keys(where, entry, {"type": is_str, "url": is_str, "headers": is_str_map}, ["url"])
            # Cursor takes headers as written: the recipe's placeholder stands for the operator's token.
            headers = entry.get("headers", {})
            expect(headers.get("Authorization") == "Bearer your-mcpd-token",
                   f"{where}: the Authorization header should read \"Bearer your-mcpd-token\"")
            names = check_http_entry(where, entry["url"], headers, ctx,
                                     lambda v: v.replace("your-mcpd-token", os.environ["MCPD_TOKEN"]))
            kind = "http"
        print(f"ok: {where}: {len(names)} tools over {kind}")


def check_vscode(ctx):
    doc, servers = recipe_servers(ctx, "vscode/.vscode/mcp.json", "servers",
                                  {"inputs": lambda v: isinstance(v, list)})
    inputs = {}
    for i, item in enumerate(doc.get("inputs", [])):
        check_keys(f".vscode/mcp.json inputs[{i}]", item,
                   {"type": lambda v: v in ("promptString", "pickString", "command"), "id": is_str,
                    "description": is_str, "password": is_bool, "default": is_str}, ["type", "id"])
        inputs[item["id"]] = item
    prompted = {}  # what the person would type at each prompt

    def expand(value):
        def one(match):
            expect(match.group(1) in inputs, f".vscode/mcp.json: ${{input:{match.group(1)}}} names no input")
            return prompted.get(match.group(1), "")
        return re.sub(r"\$\{input:([^}]+)\}", one, value)

    for where, _, entry in servers:
        kind = entry.get("type")
        expect(kind in ("stdio", "http", "sse"), f"{where}: type must be stdio, http or sse, not {kind}")
        if kind == "stdio":
            check_keys(where, entry, {"type": is_str, "command": is_str, "args": is_str_list, "env": is_str_map,
                                      "envFile": is_str, "cwd": is_str}, ["type", "command"])
            names = check_stdio_entry(where, entry, ctx, expand)
        else:
            check_keys(where, entry, {"type": is_str, "url": is_str, "headers": is_str_map}, ["type", "url"])
            headers = entry.get("headers", {})
            for value in headers.values():  # secrets are prompted for, never written in the file
                expect("${input:" in value, f"{where}: a header holds a literal value; use an input")

            def expand_http(value):
                prompted.update({i: os.environ["MCPD_TOKEN"] for i in inputs if "token" in i})
                return expand(value)
            names = check_http_entry(where, entry["url"], headers, ctx, expand_http)
        print(f"ok: {where}: {len(names)} tools over {kind}")


def check_codex(ctx):
    with open(os.path.join(ctx.examples, "clients/codex/.codex/config.toml"), "rb") as f:
        doc = tomllib.load(f)
    expect(isinstance(doc.get("mcp_servers"), dict), "config.toml: no [mcp_servers.NAME] table")
    for name, entry in doc["mcp_servers"].items():
        where = f"config.toml [mcp_servers.{name}]"
        expect(re.fullmatch(r"[a-zA-Z0-9_-]+", name), f"{where}: Codex server names are letters, digits, _ and -")
        common = {"enabled": is_bool, "startup_timeout_sec": is_number, "tool_timeout_sec": is_number,
                  "enabled_tools": is_str_list, "disabled_tools": is_str_list}
        if "command" in entry:
            check_keys(where, entry, {**common, "command": is_str, "args": is_str_list, "env": is_str_map,
                                      "env_vars": is_str_list, "cwd": is_str}, ["command"])
            names = check_stdio_entry(where, entry, ctx)
            kind = "stdio"
        else:
            check_keys(where, entry, {**common, "url": is_str, "bearer_token_env_var": is_str,
                                      "http_headers": is_str_map, "env_http_headers": is_str_map}, ["url"])
            variable = entry.get("bearer_token_env_var")
            expect(variable == "MCPD_TOKEN", f"{where}: bearer_token_env_var should be MCPD_TOKEN")
            # Codex sends "Authorization: Bearer <value of that variable>".
            names = check_http_entry(where, entry["url"], {"Authorization": "Bearer ${MCPD_TOKEN}"}, ctx,
                                     expand_dollar_brace)
            kind = "http"
        print(f"ok: {where}: {len(names)} tools over {kind}")


def check_gemini_cli(ctx):
    for where, name, entry in recipe_servers(ctx, "gemini-cli/.gemini/settings.json")[1]:
        expect("_" not in name, f"{where}: the Gemini CLI joins server and tool names with __; avoid _ here")
        common = {"timeout": is_number, "trust": is_bool, "includeTools": is_str_list, "excludeTools": is_str_list,
                  "description": is_str}
        if "command" in entry:
            check_keys(where, entry, {**common, "command": is_str, "args": is_str_list, "env": is_str_map,
                                      "cwd": is_str}, ["command"])
            names = check_stdio_entry(where, entry, ctx, expand_dollar)
            kind = "stdio"
        else:
            # httpUrl is Streamable HTTP; url would be the old SSE transport.
            check_keys(where, entry, {**common, "httpUrl": is_str, "headers": is_str_map}, ["httpUrl"])
            names = check_http_entry(where, entry["httpUrl"], entry.get("headers", {}), ctx, expand_dollar)
            kind = "http"
        print(f"ok: {where}: {len(names)} tools over {kind}")


def check_inspector(ctx):
    """The recipe run by the real Inspector CLI: --config FILE --server NAME."""
    if not ctx.inspector or not os.path.isdir(os.path.join(ctx.inspector, "node_modules")):
        print("skipped: the MCP Inspector is not installed (npm ci in tests/inspector; scripts/test.sh does it)")
        sys.exit(SKIP)
    package = os.path.join(ctx.inspector, "node_modules", "@modelcontextprotocol", "inspector")
    with open(os.path.join(package, "package.json"), encoding="utf-8") as f:
        entry_point = os.path.join(package, json.load(f)["bin"]["mcp-inspector"])
    source = load_json(os.path.join(ctx.examples, "clients/inspector/mcp.json"))
    with tempfile.TemporaryDirectory() as scratch:
        for name, entry in source["mcpServers"].items():
            where = f"inspector/mcp.json mcpServers.{name}"
            config = json.loads(json.dumps(source))
            server = None
            if "command" in entry:
                check_keys(where, entry, {"type": is_str, "command": is_str, "args": is_str_list,
                                          "env": is_str_map}, ["command"])
                check_env(where, entry.get("env", {}), ctx.docs)
                config["mcpServers"][name]["command"] = ctx.mcpd
            else:
                check_keys(where, entry, {"type": lambda v: v in ("sse", "streamable-http"), "url": is_str},
                           ["type", "url"])
                server = HttpServer(ctx.mcpd, env={"MCPD_HTTP_BEARER_TOKENS": ""})
                config["mcpServers"][name]["url"] = entry["url"].replace("127.0.0.1:8080", server.address)
            path = os.path.join(scratch, "mcp.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(config, f)
            try:
                run = subprocess.run(["node", entry_point, "--cli", "--config", path, "--server", name,
                                      "--method", "tools/list"], capture_output=True, text=True, timeout=120)
            finally:
                if server:
                    server.stop()
            expect(run.returncode == 0, f"{where}: the Inspector exited {run.returncode}:\n{run.stdout}\n{run.stderr}")
            try:
                names = [tool["name"] for tool in json.loads(run.stdout)["tools"]]
            except (json.JSONDecodeError, KeyError, TypeError):
                raise Failure(f"{where}: the Inspector did not print a tools/list result:\n{run.stdout}")
            check_tool_names(where, names)
            print(f"ok: {where}: the Inspector lists {len(names)} tools")


CHECKS = {"config": check_config, "claude-desktop": check_claude_desktop, "claude-code": check_claude_code,
          "cursor": check_cursor, "vscode": check_vscode, "codex": check_codex, "gemini-cli": check_gemini_cli,
          "inspector": check_inspector}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mcpd", required=True)
    parser.add_argument("--plugins-dir", required=True)
    parser.add_argument("--examples", required=True)
    parser.add_argument("--docs", required=True)
    parser.add_argument("--inspector")
    run_check(CHECKS, parser)


if __name__ == "__main__":
    main()
