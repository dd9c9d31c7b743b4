#!/usr/bin/env bash
# Builds mcpd and its tests with sanitizers in their own build directory and runs the tests there.
#
#   scripts/sanitize.sh address [ctest args...]   ASan + UBSan (leak checking on), every test, built with
#                                                 clang; the fuzz targets of the same build are what
#                                                 scripts/fuzz.sh runs (one build for both)
#   scripts/sanitize.sh thread  [ctest args...]   TSan, the host's own tests (unit, e2e, HTTP, hot swap)
#
# Reports are errors: UBSan stops at the first finding, ASan/LSan/TSan exit non-zero, so a test with a
# report fails. What is suppressed, and why, is in tests/sanitizers/*.supp.
#
# Environment:
#   MCPD_SANITIZE_BUILD_DIR   build directory (default: <repo>/build-asan or <repo>/build-tsan)
#   plus those of scripts/test.sh (MCPD_TEST_JOBS, MCPD_TEST_TIMEOUT)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
kind="${1:?usage: scripts/sanitize.sh address|thread [ctest args...]}"
shift
# TSan runs the host's own tests (unit, stdio and HTTP end to end, hot swap): that is where the threads
# are. The plugin suites spend their time in FFmpeg and HTTP fakes, which TSan cannot see into, and the
# Node-based suites test protocol conformance, which ASan's run already covers.
selection=()
extra=""
case "$kind" in
  # The deploy checks (packages, systemd unit, image) are about what is shipped, not about memory: the
  # ordinary run has them.
  address) sanitizers="address,undefined" ; default_dir="$repo_root/build-asan"
    selection=(-LE "deploy")
    bash "$repo_root/scripts/install-clang.sh"
    export CC=clang CXX=clang++
    extra="-DMCPD_FUZZ=ON" ;;
  thread) sanitizers="thread" ; default_dir="$repo_root/build-tsan"
    # Less one test: 200 one-MiB subscription URIs sent one after another measure memory growth, which
    # ASan's run checks; under TSan the parsing alone took 153 of the job's 944 s, with no thread in it.
    selection=(-L "unit|e2e|hotswap" -LE "tracking|gemini|inspector|conformance"
               -E "a subscription URI longer than the limit is refused")
    export MCPD_BUILD_TARGETS="tests/unit/all tests/e2e/all tests/e2e_http/all tests/hotswap/all" ;;
  *) echo "sanitize: unknown kind \"$kind\" (address or thread)" >&2; exit 2 ;;
esac
build_dir="${MCPD_SANITIZE_BUILD_DIR:-$default_dir}"
supp="$repo_root/tests/sanitizers"

# A small quarantine and prompt release keep RSS close to what the code really holds, for the tests that
# bound memory growth.
export ASAN_OPTIONS="detect_leaks=1:detect_stack_use_after_return=0:strict_string_checks=1:quarantine_size_mb=16:allocator_release_to_os_interval_ms=100"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$supp/ubsan.supp"
# TSan reports from every process (the tests and the mcpd servers they start) go to files, so a race in a
# server that exits 0 anyway still fails the job.
reports="$build_dir/sanitizer-reports"
rm -rf "$reports"
mkdir -p "$reports"
export TSAN_OPTIONS="suppressions=$supp/tsan.supp:halt_on_error=0:exitcode=66:second_deadlock_stack=1:log_path=$reports/tsan"

# The sanitizer build is slower; give tests more time than the ordinary suite.
status=0
MCPD_BUILD_DIR="$build_dir" MCPD_BUILD_TYPE=RelWithDebInfo MCPD_TEST_TIMEOUT="${MCPD_TEST_TIMEOUT:-600}" \
  MCPD_EXTRA_CMAKE_ARGS="-DMCPD_SANITIZE=$sanitizers $extra" \
  bash "$repo_root/scripts/test.sh" "${selection[@]}" "$@" || status=$?
if compgen -G "$reports/*" >/dev/null; then
  echo "sanitize: $(ls "$reports" | wc -l) process(es) wrote sanitizer reports:" >&2
  for report in "$reports"/*; do
    echo "--- $report" >&2
    head -n 60 "$report" >&2
  done
  status=1
fi
exit "$status"
