#!/usr/bin/env python3
"""Hot swap under load: `mcpd serve --stdio` with one plugin (namespace "swap")
replaced 100 times while 4 client threads call swap.which without pause.

Each swap writes the other version under a temporary name in the plugins
directory, renames it over swap.so (the deployment the docs describe) and
triggers a reload: SIGHUP by default, or the directory watch (--trigger watch).
Reported:
  - swap latency, trigger -> new registry snapshot published, as measured by
    mcpd itself (latency_us of its "plugins reloaded" log line): median, p99, max;
    for --trigger watch this includes the debounce (plugins.debounce_ms);
  - the same seen from the client: trigger -> notifications/tools/list_changed;
  - calls made, calls failed (must be 0), and answers by version;
  - resident memory (VmRSS) of mcpd after the 1st swap and after the last one.

    python3 bench/hotswap/measure_hotswap.py [--mcpd build/bin/mcpd]
        [--plugins build/test_plugins/swap] [--swaps 100] [--clients 4]
        [--trigger signal|watch]

Needs the test plugins swap_v1.so and swap_v2.so (built with the tests). Exit
status 1 when a call failed or memory grew by 5 MiB or more. Standard library only.
"""

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
REPLY_TIMEOUT_S = 20.0
RSS_LIMIT_KIB = 5 * 1024


class BenchError(Exception):
    pass


class Server:
    """mcpd serve --stdio with a reader thread for stdout (responses and
    notifications) and one for stderr (reload log lines)."""

    def __init__(self, mcpd, plugins_dir, config_file):
        self.process = subprocess.Popen(
            [str(mcpd), "serve", "--stdio", "--config", str(config_file), "--plugins-dir", str(plugins_dir)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0)
        self.lock = threading.Condition()
        self.responses = {}
        self.list_changed_at = []  # perf_counter() of every tools/list_changed
        self.reloads = {}          # generation -> log fields
        self.write_lock = threading.Lock()
        self.next_id = 1
        self.closed = False
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    def _read_stdout(self):
        for line in self.process.stdout:
            message = json.loads(line)
            with self.lock:
                if "id" in message and ("result" in message or "error" in message):
                    self.responses[message["id"]] = message
                elif message.get("method") == "notifications/tools/list_changed":
                    self.list_changed_at.append(time.perf_counter())
                self.lock.notify_all()
        with self.lock:
            self.closed = True
            self.lock.notify_all()

    def _read_stderr(self):
        pattern = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|\S+)')
        for raw in self.process.stderr:
            line = raw.decode(errors="replace")
            if 'msg="plugins reloaded"' not in line:
                continue
            fields = {k: v.strip('"') for k, v in pattern.findall(line)}
            with self.lock:
                self.reloads[int(fields["generation"])] = fields
                self.lock.notify_all()

    def request(self, method, params):
        with self.write_lock:
            request_id = self.next_id
            self.next_id += 1
            line = json.dumps({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params}) + "\n"
            self.process.stdin.write(line.encode())
        deadline = time.monotonic() + REPLY_TIMEOUT_S
        with self.lock:
            while request_id not in self.responses:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self.closed:
                    raise BenchError(f"no response to {method} (id {request_id})")
                self.lock.wait(remaining)
            return self.responses.pop(request_id)

    def notify(self, method):
        with self.write_lock:
            self.process.stdin.write((json.dumps({"jsonrpc": "2.0", "method": method}) + "\n").encode())

    def wait_reload(self, generation, list_changed_count):
        deadline = time.monotonic() + REPLY_TIMEOUT_S
        with self.lock:
            while generation not in self.reloads or len(self.list_changed_at) < list_changed_count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise BenchError(f"generation {generation} was not published in time")
                self.lock.wait(remaining)
            return self.reloads[generation], self.list_changed_at[list_changed_count - 1]

    def rss_kib(self):
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        raise BenchError("no VmRSS in /proc/PID/status")

    def stop(self):
        try:
            self.process.stdin.close()
            self.process.wait(timeout=10)
        except Exception:
            self.process.kill()


def deploy(plugins_dir, source):
    temp = plugins_dir / ".swap.so.tmp"
    shutil.copyfile(source, temp)
    os.chmod(temp, 0o755)
    os.rename(temp, plugins_dir / "swap.so")


def percentile(values, p):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mcpd", default=REPO_ROOT / "build" / "bin" / "mcpd", type=Path)
    parser.add_argument("--plugins", default=REPO_ROOT / "build" / "test_plugins" / "swap", type=Path)
    parser.add_argument("--swaps", default=100, type=int)
    parser.add_argument("--clients", default=4, type=int)
    parser.add_argument("--trigger", default="signal", choices=["signal", "watch"])
    args = parser.parse_args()
    versions = [args.plugins / "swap_v1.so", args.plugins / "swap_v2.so"]
    for v in versions:
        if not v.is_file():
            raise BenchError(f"{v} not found: build the tests first (cmake --build build --target mcpd_hotswap_tests)")

    with tempfile.TemporaryDirectory(prefix="mcpd-hotswap-bench-") as scratch:
        scratch = Path(scratch)
        plugins_dir = scratch / "plugins"
        plugins_dir.mkdir(mode=0o755)
        os.chmod(scratch, 0o755)
        deploy(plugins_dir, versions[0])
        config_file = scratch / "mcpd.json"
        config_file.write_text(json.dumps({
            "server": {"worker_threads": 8},
            "plugins": {"watch": args.trigger == "watch", "debounce_ms": 10,
                        "staging_dir": str(scratch / "staging")}}))
        server = Server(args.mcpd, plugins_dir, config_file)
        server.request("initialize", {"protocolVersion": "2025-11-25", "capabilities": {},
                                      "clientInfo": {"name": "mcpd-hotswap-bench", "version": "1"}})
        server.notify("notifications/initialized")

        stop = threading.Event()
        counts = {"calls": 0, "failed": 0, "answers": {}}
        first_failure = []
        counts_lock = threading.Lock()

        def client():
            while not stop.is_set():
                try:
                    reply = server.request("tools/call", {"name": "swap.which", "arguments": {}})
                    result = reply.get("result")
                    ok = result is not None and not result.get("isError")
                    answer = result["content"][0]["text"] if ok else None
                    ok = ok and answer in ("1.0.0", "2.0.0")
                except Exception as e:  # a timeout is a failed call too
                    ok, answer, reply = False, None, str(e)
                with counts_lock:
                    counts["calls"] += 1
                    if ok:
                        counts["answers"][answer] = counts["answers"].get(answer, 0) + 1
                    else:
                        counts["failed"] += 1
                        if not first_failure:
                            first_failure.append(reply)

        threads = [threading.Thread(target=client, daemon=True) for _ in range(args.clients)]
        for t in threads:
            t.start()

        host_latency_ms, client_latency_ms = [], []
        rss_after_first = None
        try:
            for swap in range(1, args.swaps + 1):
                deploy(plugins_dir, versions[swap % 2])
                triggered = time.perf_counter()
                if args.trigger == "signal":
                    os.kill(server.process.pid, signal.SIGHUP)
                fields, notified = server.wait_reload(swap + 1, swap)  # generation 1 is the startup
                if fields.get("published") != "true":
                    raise BenchError(f"swap {swap} did not publish: {fields}")
                host_latency_ms.append(int(fields["latency_us"]) / 1000)
                client_latency_ms.append((notified - triggered) * 1000)
                if swap == 1:
                    time.sleep(0.3)  # the replaced version drains and unloads
                    rss_after_first = server.rss_kib()
            time.sleep(0.3)
            rss_after_last = server.rss_kib()
        finally:
            stop.set()
            for t in threads:
                t.join(timeout=REPLY_TIMEOUT_S)
            server.stop()

    growth = rss_after_last - rss_after_first
    print(f"swaps: {args.swaps} (trigger: {'SIGHUP' if args.trigger == 'signal' else 'directory watch'}), "
          f"clients: {args.clients}")
    print(f"swap latency, trigger -> snapshot published (mcpd):  median {statistics.median(host_latency_ms):.2f} ms"
          f"  p99 {percentile(host_latency_ms, 99):.2f} ms  max {max(host_latency_ms):.2f} ms")
    print(f"swap latency, trigger -> list_changed at the client: median {statistics.median(client_latency_ms):.2f} ms"
          f"  p99 {percentile(client_latency_ms, 99):.2f} ms  max {max(client_latency_ms):.2f} ms")
    print(f"calls: {counts['calls']}, failed: {counts['failed']}, answers by version: "
          + ", ".join(f"{k}={v}" for k, v in sorted(counts["answers"].items())))
    if first_failure:
        print(f"first failure: {first_failure[0]}")
    print(f"resident memory: after swap 1 {rss_after_first / 1024:.1f} MiB, after swap {args.swaps} "
          f"{rss_after_last / 1024:.1f} MiB, growth {growth / 1024:+.2f} MiB (limit 5 MiB)")
    return 0 if counts["failed"] == 0 and growth < RSS_LIMIT_KIB else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as e:
        print(f"measure_hotswap: {e}", file=sys.stderr)
        sys.exit(2)
