#!/usr/bin/env python3
"""What an agent pays, in tokens, to be told about mcpd's tools: tools/list of the shipped plugins.

Starts `mcpd serve --stdio` with the given plugins, asks tools/list (every page) as a 2025-11-25 client,
and prints one row per tool:

  read   what the model reads: the published name, the description and the inputSchema (compact JSON)
  total  the whole Tool object as it travels (title, outputSchema, annotations, _meta too)

Tokens are estimated as characters / 4, the usual rule of thumb for English and JSON (issue M11's budget:
the model's part of both plugins at most 5,000). Not a timed test; run it by hand:

    python3 bench/tool_tokens/measure_tool_tokens.py [--mcpd build/bin/mcpd]
        [--plugins-dir build/plugins] [--budget 5000] [--json]

Exit code 1 when the model's part is over --budget, so a change that bloats the tools fails loudly when
someone runs it. Standard library only.
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def list_tools(mcpd, plugins_dir):
    process = subprocess.Popen(
        [str(mcpd), "serve", "--stdio", "--plugins-dir", str(plugins_dir), "--log-level", "error"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)

    def ask(message):
        process.stdin.write(compact(message) + "\n")
        process.stdin.flush()
        if "id" not in message:
            return None
        while True:
            answer = json.loads(process.stdout.readline())
            if answer.get("id") == message["id"]:
                if "error" in answer:
                    sys.exit(f"mcpd answered {message['method']} with an error: {answer['error']}")
                return answer["result"]

    ask({"jsonrpc": "2.0", "id": 0, "method": "initialize",
         "params": {"protocolVersion": "2025-11-25", "capabilities": {},
                    "clientInfo": {"name": "measure_tool_tokens", "version": "1"}}})
    ask({"jsonrpc": "2.0", "method": "notifications/initialized"})
    tools, cursor, request_id = [], None, 1
    while True:
        params = {"cursor": cursor} if cursor else {}
        result = ask({"jsonrpc": "2.0", "id": request_id, "method": "tools/list", "params": params})
        tools += result["tools"]
        cursor = result.get("nextCursor")
        request_id += 1
        if not cursor:
            break
    process.stdin.close()
    process.wait(timeout=10)
    return tools


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mcpd", default=REPO_ROOT / "build/bin/mcpd")
    parser.add_argument("--plugins-dir", default=REPO_ROOT / "build/plugins")
    parser.add_argument("--budget", type=int, default=5000, help="tokens the model's part may cost")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead")
    args = parser.parse_args()

    rows = []
    for tool in list_tools(args.mcpd, args.plugins_dir):
        read = len(tool["name"]) + len(tool.get("description", "")) + len(compact(tool["inputSchema"]))
        rows.append((tool["name"], read / 4, len(compact(tool)) / 4))
    read_total = sum(row[1] for row in rows)
    whole_total = sum(row[2] for row in rows)
    if args.json:
        print(compact({"tools": [{"name": n, "read": round(r), "total": round(t)} for n, r, t in rows],
                       "read": round(read_total), "total": round(whole_total)}))
    else:
        print("| tool | read by the model (tokens) | whole definition (tokens) |")
        print("|---|---:|---:|")
        for name, read, whole in rows:
            print(f"| {name} | {read:.0f} | {whole:.0f} |")
        print(f"| **{len(rows)} tools** | **{read_total:.0f}** | **{whole_total:.0f}** |")
    if read_total > args.budget:
        print(f"over budget: the model reads {read_total:.0f} tokens, the budget is {args.budget}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
