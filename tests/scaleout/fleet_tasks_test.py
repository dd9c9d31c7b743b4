#!/usr/bin/env python3
"""Tasks and multi round-trip requests across a fleet: real nginx (Debian's
package) round-robin in front of two `mcpd serve --http` instances that share
one Redis task store (a redis-server this test starts, `tasks.store`) and one
`server.request_state_key`, and nothing else.

Which instance answered a request: nginx names it in the X-Mcpd-Upstream
response header ($upstream_addr). mcpd itself agrees: each instance counts the
POSTs it answered (mcpd_http_requests_total on /metrics), logs the task ids it
runs ("call runs as a task"), and writes its own instance name (logged at start,
msg=tasks) into the task records it keeps in Redis.

1. A task created through nginx (tools/call slow_compute, the tasks extension
   declared) is polled with tasks/get to `completed` with its result; the polls
   land on both instances, the record in Redis names the instance that ran it.
2. Another task is cancelled through nginx, by the instance that did not start
   it: it reads `cancelled` through either instance, and its work stops on the
   instance running it (that one's mcpd_tool_calls_total, counted when the
   plugin's handler returns, has the slow_compute call as cancelled within
   seconds, for a call meant to run 30 s; the other instance counts none).
3. A multi round-trip request asked on instance a is retried on instance b with
   inputResponses + requestState and answered ("Hello, ...!"): b opens a's
   sealed state with the shared key. b refuses the same state altered, and
   again once used (-32602).
4. Redis stopped: a task call and tasks/get fail with -32603 naming the store,
   greet (not a task) still answers. Redis back on its port: tasks work again.
5. The instance running a task is stopped (SIGTERM): through the other one the
   task reads `failed` (-32603, "mcpd shut down before the task finished").

Usage: fleet_tasks_test.py --mcpd BIN --plugin conformance.so --work-dir DIR
Exit 77 (skipped) only when nginx or redis-server is not installed;
scripts/test.sh installs both. Prints "N passed, N failed" at the end.
"""
import argparse
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time

from nginx_scaleout_test import SKIP, Client, Mcpd, Nginx, free_port, response_of

TASKS = "io.modelcontextprotocol/tasks"
CAPABILITIES = {"elicitation": {}, "extensions": {TASKS: {}}}
# Whose name goes where in Mcp-Name (2026-07-28 HTTP rules, SEP-2243 and SEP-2663).
NAME_PARAM = {"tools/call": "name", "prompts/get": "name", "resources/read": "uri",
              "tasks/get": "taskId", "tasks/update": "taskId", "tasks/cancel": "taskId"}


class Redis:
    """redis-server on a free loopback port, nothing saved, in its own directory."""

    def __init__(self, work):
        self.dir = os.path.join(work, "redis")
        os.makedirs(self.dir, exist_ok=True)
        self.port = free_port()
        self.proc = None
        self.start()

    def start(self):
        self.log = os.path.join(self.dir, "redis.log")
        self.proc = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "no", "--dir", self.dir, "--logfile", self.log],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                if self.command("PING") == "PONG":
                    return
            except OSError:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError(f"redis-server exited with {self.proc.returncode}: {open(self.log).read()}")
            time.sleep(0.05)
        raise RuntimeError("redis-server did not answer PING: " + open(self.log).read())

    def command(self, *words, db=0):
        """One command (after SELECT db) over RESP; returns a simple or bulk string, an integer, or None."""
        def encode(args):
            return b"".join([f"*{len(args)}\r\n".encode()] +
                            [f"${len(a.encode())}\r\n{a}\r\n".encode() for a in args])
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as s:
            s.sendall(encode(["SELECT", str(db)]) + encode(list(words)))
            f = s.makefile("rb")
            f.readline()  # +OK of SELECT
            line = f.readline().decode().rstrip("\r\n")
            if line.startswith("+"):
                return line[1:]
            if line.startswith(":"):
                return int(line[1:])
            if line.startswith("$"):
                n = int(line[1:])
                return None if n < 0 else f.read(n + 2)[:-2].decode()
            raise RuntimeError("redis: " + line)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class FleetClient(Client):
    """Modern requests with the tasks extension (and elicitation) declared, answered as
    (status, instance name, response): the instance is the one nginx says answered."""

    def __init__(self, port, instances):
        super().__init__(port)
        self.by_address = {f"127.0.0.1:{m.port}": m.name for m in instances}

    def request(self, method, params):
        params = dict(params)
        params["_meta"] = {
            "io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientCapabilities": CAPABILITIES,
            "io.modelcontextprotocol/clientInfo": {"name": "fleet-test", "version": "1"},
        }
        rid = self.next_id
        self.next_id += 1
        headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream",
                   "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": method}
        if method in NAME_PARAM:
            headers["Mcp-Name"] = str(params[NAME_PARAM[method]])
        status, response_headers, text = self.post({"jsonrpc": "2.0", "id": rid, "method": method,
                                                    "params": params}, headers)
        upstream = response_headers.get("x-mcpd-upstream", "")
        return status, self.by_address.get(upstream, upstream or "?"), response_of(text, rid)


def post_count(mcpd):
    """How many POSTs this instance answered with 200, from its own /metrics."""
    return metric(mcpd, r'mcpd_http_requests_total\{method="POST",status="200"\}')


def metric(mcpd, pattern):
    conn = socket.create_connection(("127.0.0.1", mcpd.port), timeout=5)
    conn.sendall(b"GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
    text = b""
    while chunk := conn.recv(65536):
        text += chunk
    conn.close()
    m = re.search("^" + pattern + r" (\d+)$", text.decode(), re.M)
    return int(m.group(1)) if m else 0


def log_of(mcpd):
    with open(mcpd.log_path) as f:
        return f.read()


def instance_name(mcpd):
    """The name an instance writes into the task records it owns (logged at start)."""
    m = re.search(r"msg=tasks store=\S+ instance=(\S+)", log_of(mcpd))
    return m.group(1) if m else None


def wait_for(check, timeout):
    """check()'s first truthy value within `timeout` seconds, else its last value."""
    deadline = time.time() + timeout
    while True:
        value = check()
        if value or time.time() > deadline:
            return value
        time.sleep(0.05)


def text_of(result):
    return "".join(block.get("text", "") for block in result.get("content", []))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mcpd", required=True)
    parser.add_argument("--plugin", action="append", default=[])
    parser.add_argument("--work-dir", required=True)
    args = parser.parse_args()
    for tool in ("nginx", "redis-server"):
        if shutil.which(tool) is None:
            print(f"SKIP: {tool} is not installed (scripts/install-deps.sh installs Debian's {tool})")
            return SKIP
    os.makedirs(args.work_dir, exist_ok=True)
    work = tempfile.mkdtemp(prefix="fleet.", dir=args.work_dir)
    started_at = time.time()
    results = []

    def check(name, ok, detail=""):
        results.append(bool(ok))
        print(("PASS " if ok else "FAIL ") + name + ("" if ok else f": {detail}"), flush=True)
        return ok

    started_processes = []
    try:
        redis = Redis(work)
        started_processes.append(redis)
        store = f"redis://127.0.0.1:{redis.port}/3"
        key = secrets.token_hex(32)
        fleet = {"tasks": {"store": store, "poll_interval_ms": 200}, "server": {"request_state_key": key}}
        a = Mcpd(args, work, "a", "a-", fleet)
        started_processes.append(a)
        b = Mcpd(args, work, "b", "b-", fleet)
        started_processes.append(b)
        instances = {"a": a, "b": b}
        nginx = Nginx(work, a, b)
        started_processes.append(nginx)
        client = FleetClient(nginx.port, [a, b])
        names = {m: instance_name(instances[m]) for m in instances}
        check("both instances use the Redis store, under different instance names",
              names["a"] and names["b"] and names["a"] != names["b"] and
              f"store={store}" in log_of(a) and f"store={store}" in log_of(b), names)

        def beating():
            return all(redis.command("EXISTS", f"mcpd:instance:{n}", db=3) == 1 for n in names.values())

        # An instance's heartbeat (mcpd:instance:NAME) comes from its task watcher, the first one about
        # 250 ms after it starts; until then the other instance, asked about one of its tasks, takes it
        # for dead and fails the task. Start once both heartbeats are in Redis.
        check("both instances have a heartbeat in Redis", wait_for(beating, 5))

        # 1. A task created through nginx, polled to completion through nginx.
        before = {m: post_count(instances[m]) for m in instances}
        served = {"a": 0, "b": 0}
        status, runner, r = client.request("tools/call", {"name": "slow_compute",
                                                          "arguments": {"seconds": 2, "label": "fleet"}})
        served[runner] = served.get(runner, 0) + 1
        task = (r or {}).get("result", {})
        task_id = task.get("taskId")
        check("tools/call slow_compute through nginx returns a task",
              status == 200 and task.get("resultType") == "task" and task_id and task.get("status") == "working",
              r)
        pollers = []
        final = {}
        deadline = time.time() + 10
        while task_id and time.time() < deadline:
            time.sleep(0.2)
            status, answered_by, r = client.request("tasks/get", {"taskId": task_id})
            served[answered_by] = served.get(answered_by, 0) + 1
            pollers.append(answered_by)
            final = (r or {}).get("result", {})
            if status != 200 or final.get("status") != "working":
                break
        check("tasks/get through nginx reaches completed, with the tool's result",
              final.get("status") == "completed" and final.get("taskId") == task_id and
              text_of(final.get("result", {})) == "slow_compute fleet done after 2 s", final)
        check(f"the polls landed on both instances ({' '.join(pollers)})",
              "a" in pollers and "b" in pollers and len(pollers) >= 4, pollers)
        after = {m: post_count(instances[m]) for m in instances}
        check("each instance's own count of answered POSTs agrees with nginx",
              {m: after[m] - before[m] for m in instances} == served,
              {"mcpd": {m: after[m] - before[m] for m in instances}, "nginx": served})
        record = redis.command("GET", f"mcpd:task:{task_id}", db=3) or ""
        check(f"the task ran on instance {runner}: its log names it, its record in Redis is {runner}'s",
              runner in instances and f"task={task_id}" in log_of(instances[runner]) and
              f"task={task_id}" not in log_of(instances["b" if runner == "a" else "a"]) and
              f'"instance":"{names.get(runner)}"' in record and '"status":"completed"' in record, record)

        # 2. Another task, cancelled through nginx by the instance that did not start it.
        status, runner, r = client.request("tools/call", {"name": "slow_compute",
                                                          "arguments": {"seconds": 30, "label": "cancel-me"}})
        doomed = (r or {}).get("result", {}).get("taskId")
        check("a second task is created through nginx", status == 200 and doomed and runner in instances, r)
        other = "b" if runner == "a" else "a"
        cancelled_calls = r'mcpd_tool_calls_total\{tool="conformance\.slow_compute",outcome="cancelled"\}'
        cancelled_before = {m: metric(instances[m], cancelled_calls) for m in instances}
        # Round robin alternates: after a request that the runner answered, the next goes to the other.
        for _ in range(3):
            _, answered_by, r = client.request("tasks/get", {"taskId": doomed})
            if answered_by == runner:
                break
        status, canceller, r = client.request("tasks/cancel", {"taskId": doomed})
        cancelled_at = time.time()
        check(f"tasks/cancel through nginx is acknowledged by the other instance ({other})",
              status == 200 and canceller == other and (r or {}).get("result", {}).get("resultType") == "complete",
              (canceller, r))
        seen = {}

        def reads_cancelled():
            for m in instances:
                conn = FleetClient(instances[m].port, [a, b])
                _, _, got = conn.request("tasks/get", {"taskId": doomed})
                seen[m] = (got or {}).get("result", {}).get("status")
            return all(s == "cancelled" for s in seen.values())

        check("the task reads cancelled through either instance", wait_for(reads_cancelled, 5), seen)
        stopped = wait_for(lambda: metric(instances[runner], cancelled_calls) > cancelled_before[runner], 5)
        stopped_after = time.time() - cancelled_at
        check(f"its work stopped on {runner}, the instance running it, {stopped_after:.1f} s after the cancel",
              stopped and stopped_after < 5 and metric(instances[other], cancelled_calls) == cancelled_before[other],
              {m: metric(instances[m], cancelled_calls) for m in instances})

        # 3. A multi round-trip request asked on a, retried on b.
        ask = {"name": "test_input_required_result_elicitation", "arguments": {}}
        _, _, r = FleetClient(a.port, [a, b]).request("tools/call", ask)
        asked = (r or {}).get("result", {})
        state = asked.get("requestState")
        check("instance a answers input_required: an elicitation under user_name, with a requestState",
              asked.get("resultType") == "input_required" and
              asked.get("inputRequests", {}).get("user_name", {}).get("method") == "elicitation/create" and
              isinstance(state, str) and state, asked)
        answer = dict(ask, inputResponses={"user_name": {"action": "accept", "content": {"name": "Fleet"}}})
        at_b = FleetClient(b.port, [a, b])
        _, _, r = at_b.request("tools/call", dict(answer, requestState=(state or "") + "x"))
        check("instance b refuses a's requestState altered (-32602)",
              (r or {}).get("error", {}).get("code") == -32602, r)
        _, _, r = at_b.request("tools/call", dict(answer, requestState=state))
        done = (r or {}).get("result", {})
        check("instance b completes the retry with a's requestState: Hello, Fleet!",
              done.get("resultType") == "complete" and text_of(done) == "Hello, Fleet!", r)
        _, _, r = at_b.request("tools/call", dict(answer, requestState=state))
        check("instance b refuses the same requestState a second time (-32602)",
              (r or {}).get("error", {}).get("code") == -32602, r)

        # 4. Redis stopped: task calls fail clearly, plain calls go on.
        redis.stop()
        _, _, r = client.request("tools/call", {"name": "slow_compute", "arguments": {"seconds": 1, "label": "x"}})
        error = (r or {}).get("error", {})
        check("without Redis a task call fails with -32603 naming the store",
              error.get("code") == -32603 and store in error.get("message", ""), r)
        _, _, r = client.request("tasks/get", {"taskId": task_id})
        error = (r or {}).get("error", {})
        check("without Redis tasks/get fails with -32603 naming the store",
              error.get("code") == -32603 and store in error.get("message", ""), r)
        greetings = []
        for _ in range(2):  # once on each instance
            _, answered_by, r = client.request("tools/call", {"name": "greet", "arguments": {"name": "fleet"}})
            greetings.append((answered_by, text_of((r or {}).get("result", {}))))
        check("without Redis greet still answers, on both instances",
              sorted(greetings) == [("a", "Hello, fleet!"), ("b", "Hello, fleet!")], greetings)
        redis.start()

        def task_created():
            _, _, got = client.request("tools/call", {"name": "slow_compute",
                                                      "arguments": {"seconds": 0.2, "label": "back"}})
            return (got or {}).get("result", {}).get("resultType") == "task"

        check("Redis back on its port: tasks are created again", wait_for(task_created, 5))

        # 5. The instance running a task stops (SIGTERM): the task fails, clearly, instead of staying working.
        # Redis came back empty, heartbeats included, and an instance beats every 5 s: wait for both again.
        check("both instances have a heartbeat in Redis again", wait_for(beating, 10))
        _, runner, r = client.request("tools/call", {"name": "slow_compute",
                                                     "arguments": {"seconds": 30, "label": "orphan"}})
        orphan = (r or {}).get("result", {}).get("taskId")
        survivor = "b" if runner == "a" else "a"
        instances[runner].stop()
        _, _, r = FleetClient(instances[survivor].port, [a, b]).request("tasks/get", {"taskId": orphan})
        got = (r or {}).get("result", {})
        check(f"{runner} stopped while running a task: {survivor} reports it failed (-32603, shut down)",
              orphan and instances[runner].proc.returncode == 0 and got.get("status") == "failed" and
              got.get("error", {}).get("code") == -32603 and "shut down" in got.get("error", {}).get("message", ""),
              r)
    finally:
        for p in reversed(started_processes):
            p.stop()
    passed = sum(1 for r in results if r)
    print(f"{passed} passed, {len(results) - passed} failed in {time.time() - started_at:.1f} s")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
