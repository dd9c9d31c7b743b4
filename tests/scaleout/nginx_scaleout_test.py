#!/usr/bin/env python3
"""Scale-out behind an ordinary load balancer: real nginx (Debian's package),
round-robin in front of two `mcpd serve --http` instances that share nothing
but their configuration.

1. 1,000 MCP 2026-07-28 calls through nginx (server/discover, tools/list,
   tools/call, and subscriptions/listen streams): none may fail, and both
   instances must have served.
2. Legacy clients (initialize + Mcp-Session-Id) through the same nginx, which
   routes each session back to its instance by the http.session_id_prefix
   each instance puts in front of its session ids: every request succeeds.
3. One instance is killed (SIGKILL) during a run of modern calls: every call
   that starts after the kill succeeds (nginx passes it to the other one).

Usage: nginx_scaleout_test.py --mcpd BIN --plugin testkit.so --plugin notifier.so --work-dir DIR
Exit 77 (skipped) only when nginx is not installed; scripts/test.sh installs it.
Prints "N passed, N failed" at the end.
"""
import argparse
import collections
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

SKIP = 77
MODERN_META = {
    "io.modelcontextprotocol/protocolVersion": "2026-07-28",
    "io.modelcontextprotocol/clientCapabilities": {},
    "io.modelcontextprotocol/clientInfo": {"name": "scaleout-test", "version": "1"},
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mcpd:
    """`mcpd serve --http 127.0.0.1:0` with args.plugin; `extra` adds top-level config sections."""

    def __init__(self, args, work, name, prefix, extra=None):
        self.name = name
        config = os.path.join(work, f"{name}.json")
        with open(config, "w") as f:
            # Behind a proxy every client has the proxy's address: the per-address caps
            # (docs/scaling.md) are raised to what the whole fleet of clients may use.
            json.dump(dict({"http": {"session_id_prefix": prefix, "max_connections_per_client": 4096,
                                     "max_sessions_per_client": 1000}, "plugins": {"watch": False}},
                           **(extra or {})), f)
        plugins_dir = os.path.join(work, f"{name}-plugins")
        os.makedirs(plugins_dir, exist_ok=True)
        cmd = [args.mcpd, "serve", "--http", "127.0.0.1:0", "--config", config, "--plugins-dir", plugins_dir]
        for p in args.plugin:
            cmd += ["--plugin", p]
        self.log_path = os.path.join(work, f"{name}.log")
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.log)
        self.port = None
        deadline = time.time() + 30
        while time.time() < deadline and self.port is None:
            with open(self.log_path) as f:
                m = re.search(r'msg="mcpd ready" transport=http address=127\.0\.0\.1:(\d+)', f.read())
            if m:
                self.port = int(m.group(1))
            elif self.proc.poll() is not None:
                raise RuntimeError(f"mcpd {name} exited with {self.proc.returncode}: {open(self.log_path).read()}")
            else:
                time.sleep(0.05)
        if self.port is None:
            raise RuntimeError(f"mcpd {name} did not get ready: {open(self.log_path).read()}")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


NGINX_CONF = """
worker_processes 1;
error_log {work}/nginx-error.log warn;
pid {work}/nginx.pid;
events {{ worker_connections 1024; }}
http {{
    log_format upstream '$status $upstream_addr $request_time';
    access_log {work}/nginx-access.log upstream;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
{upstreams}
    server {{
        listen 127.0.0.1:{port};
        location /mcp {{
            proxy_pass http://$mcp_backend;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_buffering off;
            proxy_request_buffering off;
            proxy_read_timeout 1h;
            proxy_next_upstream error timeout;
            # Which instance answered: tests/scaleout/fleet_tasks_test.py reads it.
            add_header X-Mcpd-Upstream $upstream_addr always;
        }}
    }}
}}
"""


def nginx_upstreams(a, b):
    return f"""
    # 2026-07-28 requests and legacy initialize: round robin. A legacy
    # session's later requests: back to the instance whose prefix its id has.
    map $http_mcp_session_id $mcp_backend {{
        ~^a-    mcpd_a;
        ~^b-    mcpd_b;
        default mcpd_all;
    }}
    upstream mcpd_all {{
        server 127.0.0.1:{a.port} max_fails=1 fail_timeout=30s;
        server 127.0.0.1:{b.port} max_fails=1 fail_timeout=30s;
        keepalive 16;
    }}
    upstream mcpd_a {{ server 127.0.0.1:{a.port}; }}
    upstream mcpd_b {{ server 127.0.0.1:{b.port}; }}
"""


class Nginx:
    def __init__(self, work, a, b):
        self.work = work
        self.port = free_port()
        conf = os.path.join(work, "nginx.conf")
        with open(conf, "w") as f:
            f.write(NGINX_CONF.format(work=work, port=self.port, upstreams=nginx_upstreams(a, b)))
        cmd = [shutil.which("nginx"), "-p", work, "-c", conf, "-g", "daemon off;"]
        if os.geteuid() == 0:
            cmd[-1] = "daemon off; user root;"
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.time() + 15
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError("nginx exited: " + self.proc.stderr.read().decode())
                time.sleep(0.05)
        raise RuntimeError("nginx did not listen")

    def upstream_counts(self):
        counts = collections.Counter()
        with open(os.path.join(self.work, "nginx-access.log")) as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 2:
                    counts[parts[1]] += 1
        return counts

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class Client:
    """One keep-alive connection to nginx."""

    def __init__(self, port):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.next_id = 1

    def post(self, body, headers):
        data = json.dumps(body)
        for attempt in range(2):
            try:
                self.conn.request("POST", "/mcp", body=data, headers=headers)
                resp = self.conn.getresponse()
                return resp.status, dict((k.lower(), v) for k, v in resp.getheaders()), resp.read().decode()
            except (http.client.RemoteDisconnected, ConnectionError, BrokenPipeError):
                # An idle keep-alive connection nginx closed: one new connection, never a second try of a sent request.
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt == 1:
                    raise

    def modern(self, method, params=None, name=None):
        params = dict(params or {})
        params["_meta"] = MODERN_META
        rid = self.next_id
        self.next_id += 1
        headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream",
                   "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": method}
        if name:
            headers["Mcp-Name"] = name
        status, _, text = self.post({"jsonrpc": "2.0", "id": rid, "method": method, "params": params}, headers)
        return status, response_of(text, rid)


def response_of(text, rid):
    """The JSON-RPC response with id `rid`, from a JSON or an SSE body."""
    candidates = [text] + [line[5:].strip() for line in text.splitlines() if line.startswith("data:")]
    for c in candidates:
        try:
            m = json.loads(c)
        except ValueError:
            continue
        if isinstance(m, dict) and m.get("id") == rid:
            return m
    return None


def listen_once(port):
    """Opens a subscriptions/listen stream, reads its acknowledgement, hangs up."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = json.dumps({"jsonrpc": "2.0", "id": "listen", "method": "subscriptions/listen",
                       "params": {"_meta": MODERN_META, "notifications": {"toolsListChanged": True}}})
    conn.request("POST", "/mcp", body=body, headers={
        "Content-Type": "application/json", "Accept": "text/event-stream",
        "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "subscriptions/listen"})
    resp = conn.getresponse()
    ok = False
    if resp.status == 200:
        while True:
            line = resp.fp.readline().decode()
            if not line:
                break
            if line.startswith("data:"):
                m = json.loads(line[5:])
                ok = (m.get("method") == "notifications/subscriptions/acknowledged" and
                      m["params"]["_meta"]["io.modelcontextprotocol/subscriptionId"] == "listen")
                break
    conn.close()
    return ok


def modern_call(client, i):
    kind = i % 4
    if kind == 0:
        status, r = client.modern("server/discover")
        return status == 200 and r and r["result"]["supportedVersions"] == ["2026-07-28"]
    if kind == 1:
        status, r = client.modern("tools/list")
        return status == 200 and r and any(t["name"] == "testkit_echo" for t in r["result"]["tools"])
    if kind == 2:
        status, r = client.modern("tools/call", {"name": "testkit_echo", "arguments": {"value": i}}, "testkit_echo")
        return status == 200 and r and r["result"]["structuredContent"] == {"value": i}
    return listen_once(client.port)


def run_parallel(count, threads, work):
    """Runs work(client, i) for i in range(count) on `threads` connections; returns the failures."""
    failures = []
    lock = threading.Lock()
    indexes = iter(range(count))

    def worker():
        client = Client(work.port)
        while True:
            with lock:
                i = next(indexes, None)
            if i is None:
                return
            try:
                ok = work.call(client, i)
            except Exception as e:  # noqa: BLE001 - every failure is reported
                ok = False
                err = repr(e)
            else:
                err = "wrong answer"
            if not ok:
                with lock:
                    failures.append((i, err))

    ts = [threading.Thread(target=worker) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return failures


class Work:
    def __init__(self, port, call):
        self.port = port
        self.call = call


def legacy_session(port, i):
    client = Client(port)
    base = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
    status, headers, _ = client.post({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "legacy", "version": "1"}}}, base)
    sid = headers.get("mcp-session-id")
    if status != 200 or not sid:
        return False, None
    h = dict(base, **{"Mcp-Session-Id": sid, "MCP-Protocol-Version": "2025-11-25"})
    status, _, _ = client.post({"jsonrpc": "2.0", "method": "notifications/initialized"}, h)
    if status != 202:
        return False, sid
    for k in range(10):
        status, _, text = client.post({"jsonrpc": "2.0", "id": 10 + k, "method": "tools/call",
                                       "params": {"name": "testkit_echo", "arguments": {"value": k}}}, h)
        r = response_of(text, 10 + k)
        if status != 200 or not r or r.get("result", {}).get("structuredContent") != {"value": k}:
            return False, sid
    return True, sid


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mcpd", required=True)
    parser.add_argument("--plugin", action="append", default=[])
    parser.add_argument("--work-dir", required=True)
    args = parser.parse_args()
    if shutil.which("nginx") is None:
        print("SKIP: nginx is not installed (scripts/install-deps.sh installs Debian's nginx)")
        return SKIP
    os.makedirs(args.work_dir, exist_ok=True)
    work = tempfile.mkdtemp(prefix="scaleout.", dir=args.work_dir)
    results = []

    def check(name, ok, detail=""):
        results.append(ok)
        print(("PASS " if ok else "FAIL ") + name + ("" if ok else f": {detail}"), flush=True)

    started_processes = []
    try:
        a = Mcpd(args, work, "a", "a-")
        started_processes.append(a)
        b = Mcpd(args, work, "b", "b-")
        started_processes.append(b)
        nginx = Nginx(work, a, b)
        started_processes.append(nginx)

        # 1. Modern calls, round robin.
        failures = run_parallel(1000, 8, Work(nginx.port, modern_call))
        check("1,000 modern calls through nginx, none failed", not failures, failures[:5])
        counts = nginx.upstream_counts()
        served = {addr: n for addr, n in counts.items() if addr.startswith("127.0.0.1:")}
        check("both instances served modern calls",
              served.get(f"127.0.0.1:{a.port}", 0) > 100 and served.get(f"127.0.0.1:{b.port}", 0) > 100, served)

        # 2. Legacy sessions with affinity on Mcp-Session-Id.
        outcomes = []
        lock = threading.Lock()

        def legacy_worker(i):
            ok, sid = legacy_session(nginx.port, i)
            with lock:
                outcomes.append((ok, sid))

        ts = [threading.Thread(target=legacy_worker, args=(i,)) for i in range(40)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        check("40 legacy sessions (initialize + 10 calls each) through nginx, none failed",
              all(ok for ok, _ in outcomes), [sid for ok, sid in outcomes if not ok][:5])
        prefixes = collections.Counter((sid or "?")[:2] for _, sid in outcomes)
        check("legacy sessions live on both instances", prefixes["a-"] > 0 and prefixes["b-"] > 0, prefixes)

        # 3. One instance killed during a run: every call that starts after the kill succeeds.
        killed_at = threading.Event()
        late_failures = []
        started = collections.Counter()
        lock = threading.Lock()

        def surviving_call(client, i):
            after = killed_at.is_set()
            try:
                ok = modern_call(client, i if i % 4 != 3 else i + 1)  # calls only: a listen is not a call
            except Exception:  # noqa: BLE001
                ok = False
            with lock:
                started["after" if after else "before"] += 1
                if after and not ok:
                    late_failures.append(i)
            if i == 200:
                a.proc.kill()
                a.proc.wait()
                killed_at.set()
            return True  # early failures (in flight on the killed instance) are counted apart

        run_parallel(800, 4, Work(nginx.port, surviving_call))
        check("instance a was killed mid-run", killed_at.is_set() and a.proc.returncode == -signal.SIGKILL)
        check(f"{started['after']} modern calls after the kill all succeeded",
              started["after"] > 400 and not late_failures, late_failures[:5])
    finally:
        for p in reversed(started_processes):
            p.stop()
    passed = sum(1 for r in results if r)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
