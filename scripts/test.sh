#!/usr/bin/env bash
# Installs dependencies, builds everything and runs the whole test suite with
# CTest. Exits non-zero when anything fails. This is what CI runs.
# Extra arguments go to ctest, e.g. `scripts/test.sh -L inspector` or
# `scripts/test.sh -R config`.
#
# Environment:
#   MCPD_TEST_TIMEOUT   seconds a test may run unless it sets its own
#                       TIMEOUT property (default: 300)
#   MCPD_TEST_JOBS      tests run in parallel (default: 2)
#   plus those of scripts/build.sh and scripts/install-deps.sh
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${MCPD_BUILD_DIR:-$repo_root/build}"
inspector_dir="$repo_root/tests/inspector"

step() { printf '\n=== %s\n' "$*"; }

step "install dependencies"
bash "$repo_root/scripts/install-deps.sh"

step "build"
bash "$repo_root/scripts/build.sh"

# npm ci wipes and reinstalls node_modules every time (~20 s); skip it when the
# installed tree already came from this exact lockfile.
step "install the MCP Inspector (tests/inspector)"
lock_stamp="$inspector_dir/node_modules/.mcpd-lock.sha256"
lock_sum="$(sha256sum "$inspector_dir/package-lock.json" | cut -d' ' -f1)"
if [[ -f "$lock_stamp" && "$(cat "$lock_stamp")" == "$lock_sum" ]]; then
  echo "node_modules is up to date with package-lock.json"
else
  (cd "$inspector_dir" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_sum" >"$lock_stamp"
fi

step "test"
# --no-tests=error: a build that registered no test must not pass as green.
ctest --test-dir "$build_dir" --output-on-failure --no-tests=error \
  -j "${MCPD_TEST_JOBS:-2}" --timeout "${MCPD_TEST_TIMEOUT:-300}" "$@"
