#!/usr/bin/env bash
# Builds the fuzz targets of tests/fuzz with clang, libFuzzer, ASan and UBSan (in <repo>/build-asan, the
# build scripts/sanitize.sh address makes, so CI compiles once for both), and
# runs each one for a bounded time over a copy of its seed corpus. Prints executions per second and the
# total per target, and exits non-zero when any target crashed, leaked, hung or ran out of memory; the input
# that did it is kept in build-asan/artifacts/ (copy it into tests/fuzz/regressions/<target>/ with the fix,
# so the ordinary test suite replays it from then on).
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     default: 60 seconds, every target
#
# Environment:
#   MCPD_FUZZ_BUILD_DIR   build directory (default: <repo>/build-asan)
#   MCPD_JOBS             parallel compile jobs (default: number of cores)
#   MCPD_FUZZ_PARALLEL    targets fuzzed at the same time (default: number of cores)
#   MCPD_FUZZ_SEED        libFuzzer's random seed (default: 1, so a CI run repeats the inputs of the run that
#                         was checked before it; set it to 0 for a new random seed each run when hunting)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${MCPD_FUZZ_BUILD_DIR:-$repo_root/build-asan}"
seconds="${1:-60}"
seed="${MCPD_FUZZ_SEED:-1}"
shift || true
all_targets=(schema config jsonrpc_session http_request flag_eval posthog_responses gemini_responses video request_state)
targets=("$@")
((${#targets[@]})) || targets=("${all_targets[@]}")

log() { echo "fuzz: $*" >&2; }

bash "$repo_root/scripts/install-deps.sh"
bash "$repo_root/scripts/install-clang.sh"
CC=clang CXX=clang++ cmake -S "$repo_root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DMCPD_SANITIZE=address,undefined -DMCPD_FUZZ=ON >&2
cmake --build "$build_dir" -j "${MCPD_JOBS:-$(nproc)}" --target fuzz_targets >&2

artifacts="$build_dir/artifacts"
mkdir -p "$artifacts"
summary="$build_dir/fuzz-summary.txt"
printf '%-20s %12s %14s %8s\n' target "exec/s" "executions" result >"$summary"
# One target's run; its line of the summary goes to <work>/summary.
run_target() {
  local target="$1" corpus="$build_dir/corpus/$1" work="$build_dir/work/$1" status=ok
  mkdir -p "$corpus" "$work"
  cp -n "$repo_root/tests/fuzz/corpus/$target/"* "$corpus/" 2>/dev/null || true
  # Inputs that once crashed the target, when it has any (libFuzzer refuses a directory that is not there).
  local regressions=()
  [[ -d "$repo_root/tests/fuzz/regressions/$target" ]] && regressions=("$repo_root/tests/fuzz/regressions/$target")
  log "$target: ${seconds}s"
  # -timeout: one input taking 10 s is a hang (a super-linear regex, a decoder loop); -rss_limit_mb: a
  # bomb that inflates is a finding, not a machine that swaps.
  if ! (cd "$work" && TMPDIR="$work" UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "$build_dir/fuzz/fuzz_$target" -seed="$seed" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$artifacts/$target-" "$corpus" \
        "${regressions[@]}" >"$work/log.txt" 2>&1); then
    status=FAILED
    tail -n 60 "$work/log.txt" >&2
  fi
  local execs rate
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log.txt" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log.txt" | tail -1)
  printf '%-20s %12s %14s %8s\n' "$target" "${rate:-?}" "${execs:-?}" "$status" >"$work/summary"
}

# Targets run side by side, one per core: each still gets its whole time, and CI its minutes back.
parallel="${MCPD_FUZZ_PARALLEL:-$(nproc)}"
running=0
for target in "${targets[@]}"; do
  if ((running >= parallel)); then
    wait -n || true
    running=$((running - 1))
  fi
  run_target "$target" &
  running=$((running + 1))
done
wait || true
failed=0
for target in "${targets[@]}"; do
  cat "$build_dir/work/$target/summary" >>"$summary"
  grep -q "FAILED" "$build_dir/work/$target/summary" && failed=1
done
cat "$summary"
exit "$failed"
