#!/usr/bin/env python3
"""Startup latency of `mcpd serve --stdio`: from spawning the process to the
first byte after the initialize response line, with the shipped plugins loaded.

Each run spawns a fresh mcpd, writes one initialize request and stops the clock
when the response line arrives. Outside the timed window it then lists the
tools to prove the plugins really were loaded, and closes stdin so mcpd exits.

    python3 bench/startup/measure_startup.py [--mcpd build/bin/mcpd]
        [--plugins-dir build/plugins] [--runs 20] [-- extra mcpd serve args]

Prints the median, minimum and maximum in milliseconds. Standard library only.
"""

import argparse
import json
import os
import selectors
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
RESPONSE_TIMEOUT_S = 30.0
EXPECTED_TOOLS = (("tracking", "capture"), ("gemini", "ask_about_images"))
# Whatever server.tool_name_separator the run was given, one of these joins the names.
SEPARATORS = (".", "_", "-", "__")


class BenchError(Exception):
    pass


def request(request_id, method, params):
    message = {"jsonrpc": "2.0", "id": request_id, "method": method, "params": params}
    return (json.dumps(message) + "\n").encode()


INITIALIZE = request(
    1,
    "initialize",
    {
        "protocolVersion": "2025-11-25",
        "capabilities": {},
        "clientInfo": {"name": "mcpd-startup-bench", "version": "1.0.0"},
    },
)


def exit_status(process):
    try:
        return process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        return "still running"


def read_line(process, buffer, deadline):
    """Returns (line, rest) once a full line is on stdout; buffer holds bytes
    already read. Raises BenchError on EOF or when the deadline passes."""
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    try:
        while b"\n" not in buffer:
            remaining = deadline - time.perf_counter()
            if remaining <= 0 or not selector.select(remaining):
                raise BenchError(f"no response within {RESPONSE_TIMEOUT_S:.0f} s")
            chunk = os.read(process.stdout.fileno(), 65536)
            if not chunk:
                raise BenchError(f"mcpd closed stdout (exit status {exit_status(process)}); see its stderr above")
            buffer += chunk
    finally:
        selector.close()
    line, _, rest = buffer.partition(b"\n")
    return line, rest


def response_for(process, buffer, request_id):
    """Skips notifications until the response to request_id arrives."""
    deadline = time.perf_counter() + RESPONSE_TIMEOUT_S
    while True:
        line, buffer = read_line(process, buffer, deadline)
        message = json.loads(line)
        if message.get("id") == request_id:
            if "error" in message:
                raise BenchError(f"request {request_id} failed: {message['error']}")
            return message["result"], buffer


def check_plugins_loaded(process, buffer):
    process.stdin.write(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n')
    process.stdin.write(request(2, "tools/list", {}))
    process.stdin.flush()
    result, _ = response_for(process, buffer, 2)
    names = {tool["name"] for tool in result.get("tools", [])}
    missing = [
        f"{namespace}.{tool}"
        for namespace, tool in EXPECTED_TOOLS
        if not any(f"{namespace}{separator}{tool}" in names for separator in SEPARATORS)
    ]
    if missing:
        raise BenchError(f"plugins not loaded: tools/list lacks {', '.join(missing)}")


def one_run(command, stderr, env):
    start = time.perf_counter()
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, env=env)
    try:
        process.stdin.write(INITIALIZE)
        process.stdin.flush()
        _, buffer = response_for(process, b"", 1)
        elapsed = time.perf_counter() - start
        check_plugins_loaded(process, buffer)
        process.stdin.close()
        process.wait(timeout=RESPONSE_TIMEOUT_S)
        return elapsed
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mcpd", default=str(REPO_ROOT / "build" / "bin" / "mcpd"), help="the mcpd executable")
    parser.add_argument("--plugins-dir", default=str(REPO_ROOT / "build" / "plugins"), help="directory of tracking.so and gemini.so")
    parser.add_argument("--runs", type=int, default=20, help="number of runs (default 20)")
    parser.add_argument("--show-stderr", action="store_true", help="let mcpd's logs through (hidden by default)")
    parser.add_argument("serve_args", nargs="*", help="extra arguments for `mcpd serve` (after --)")
    args = parser.parse_args()

    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if not os.access(args.mcpd, os.X_OK):
        parser.error(f"{args.mcpd} is not an executable; build it first (bash scripts/build.sh)")
    command = [args.mcpd, "serve", "--stdio", "--plugins-dir", args.plugins_dir, *args.serve_args]
    stderr = None if args.show_stderr else subprocess.DEVNULL
    # Info logs are dropped either way; keep only what explains a failure.
    env = {**os.environ, "MCPD_LOG_LEVEL": os.environ.get("MCPD_LOG_LEVEL", "warn")}

    # One untimed run first: it fails fast with a clear message when something
    # is wrong, and warms the page cache so every timed run starts alike.
    try:
        one_run(command, None, env)
        samples_ms = [one_run(command, stderr, env) * 1000.0 for _ in range(args.runs)]
    except BenchError as error:
        print(f"startup bench: {error}", file=sys.stderr)
        return 1

    print(f"mcpd startup, spawn -> initialize response, with the tracking and gemini plugins ({args.runs} runs)")
    print(f"  median {statistics.median(samples_ms):8.2f} ms")
    print(f"  min    {min(samples_ms):8.2f} ms")
    print(f"  max    {max(samples_ms):8.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
