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
#   MCPD_BUILD_TARGETS  build only these targets (space-separated; default: everything)
#   plus those of scripts/build.sh and scripts/install-deps.sh
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${MCPD_BUILD_DIR:-$repo_root/build}"

step() { printf '\n=== %s\n' "$*"; }

step "install dependencies"
bash "$repo_root/scripts/install-deps.sh"

step "build"
build_targets=()
if [[ -n "${MCPD_BUILD_TARGETS:-}" ]]; then
  read -r -a targets <<<"$MCPD_BUILD_TARGETS"
  build_targets=(--target "${targets[@]}")
fi
bash "$repo_root/scripts/build.sh" "${build_targets[@]}"

# npm ci wipes and reinstalls node_modules every time (~20 s); skip it when the
# installed tree already came from this exact lockfile.
npm_install() {  # npm_install DIR WHAT
  local dir="$1" stamp sum
  step "install $2 (${dir#"$repo_root"/})"
  stamp="$dir/node_modules/.mcpd-lock.sha256"
  sum="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$sum" ]]; then
    echo "node_modules is up to date with package-lock.json"
  else
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$sum" >"$stamp"
  fi
}
npm_install "$repo_root/tests/inspector" "the MCP Inspector"
npm_install "$repo_root/tests/conformance" "the MCP conformance suite and Node 22"
npm_install "$repo_root/tests/sdk_clients" "the TypeScript SDK clients (v1, v2) and Node 22"
npm_install "$repo_root/tests/views" "puppeteer-core, which drives chromium in the view tests"

step "test"
# --no-tests=error: a build that registered no test must not pass as green.
ctest --test-dir "$build_dir" --output-on-failure --no-tests=error \
  -j "${MCPD_TEST_JOBS:-2}" --timeout "${MCPD_TEST_TIMEOUT:-300}" "$@"
