#!/usr/bin/env bash
# tools/call throughput of mcpd over Streamable HTTP, measured with wrk (Debian package `wrk`).
#
#   bench/http/run_wrk.sh [--build DIR] [--mode stateless|session|modern] [--duration SECONDS] [--connections "1 16 64"]
#                         [--url URL]
#
# Starts `mcpd serve --http 127.0.0.1:0` with only the SDK's hello plugin (hello.greet is the tool
# called), runs wrk once per connection count and prints requests per second with latency
# percentiles. In session mode one session is created first and every connection uses it. In modern
# mode the requests are MCP 2026-07-28 ones (no session, the server in its default mode). With --url the
# server is one already running there (with a hello.greet tool), and no mcpd is started.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="${MCPD_BUILD_DIR:-$here/../../build}"
mode=stateless
duration=10
connections="1 16 64"
url=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --mode) mode="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --url) url="$2"; shift 2 ;;
    -h|--help) sed -n 2,12p "$0"; exit 0 ;;
    *) echo "run_wrk.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case "$mode" in stateless|session|modern) ;; *) echo "run_wrk.sh: --mode must be stateless, session or modern" >&2; exit 2 ;; esac

command -v wrk > /dev/null || { echo "run_wrk.sh: wrk is not installed (apt-get install wrk)" >&2; exit 2; }

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill -TERM "$server_pid" 2> /dev/null || true; wait "$server_pid" 2> /dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if [[ -z "$url" ]]; then
  mcpd="$build/bin/mcpd"
  hello="$build/test_plugins/hello.so"
  for needed in "$mcpd" "$hello"; do
    [[ -e "$needed" ]] || { echo "run_wrk.sh: $needed not found; build the targets mcpd and hello (--build DIR)" >&2; exit 2; }
  done

  stateless=false; [[ "$mode" == stateless ]] && stateless=true
  # Enough HTTP threads and per-session calls for 64 connections sharing one session.
  cat > "$work/mcpd.json" << JSON
{"server": {"log_level": "warning"},
 "http": {"stateless": $stateless, "threads": 128, "max_calls_per_session": 256}}
JSON
  mkdir "$work/plugins"
  "$mcpd" serve --http 127.0.0.1:0 --config "$work/mcpd.json" --plugins-dir "$work/plugins" --plugin "$hello" \
    --log-level info 2> "$work/mcpd.log" &
  server_pid=$!
  address=""
  for _ in $(seq 1 200); do
    address="$(grep -o 'transport=http address=[^ ]*' "$work/mcpd.log" | head -1 | cut -d= -f3 || true)"
    [[ -n "$address" ]] && break
    sleep 0.05
  done
  [[ -n "$address" ]] || { echo "run_wrk.sh: mcpd did not start:" >&2; cat "$work/mcpd.log" >&2; exit 1; }
  url="http://$address/mcp"
fi

session=""
if [[ "$mode" == session ]]; then
  session="$(curl -s -D - -o /dev/null -X POST "$url" -H 'Content-Type: application/json' \
    -H 'Accept: application/json, text/event-stream' \
    -d '{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"wrk","version":"1"}}}' \
    | tr -d '\r' | awk -F': ' 'tolower($1) == "mcp-session-id" {print $2}')"
  [[ -n "$session" ]] || { echo "run_wrk.sh: initialize returned no session id" >&2; exit 1; }
fi

echo "$([[ -n "$server_pid" ]] && "$mcpd" --version | head -1 || echo "$url"), tool hello.greet, mode $mode, ${duration}s per run, $(nproc) CPUs"
printf '%-12s %12s %10s %10s %8s\n' connections requests/s p50_ms p99_ms errors
for c in $connections; do
  threads=$(( c < 2 ? 1 : 2 ))
  line="$(MCP_MODERN="$([[ "$mode" == modern ]] && echo 1 || echo 0)" MCPD_SESSION_ID="$session" wrk -t"$threads" -c"$c" -d"${duration}s" --latency -s "$here/tools_call.lua" "$url" \
    | grep '^RESULT')"
  value() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< "$line"; }
  printf '%-12s %12s %10s %10s %8s\n' "$c" "$(value rps)" "$(value p50_ms)" "$(value p99_ms)" "$(value errors)"
done
