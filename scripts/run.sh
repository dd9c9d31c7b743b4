#!/usr/bin/env bash
# Installs dependencies, builds mcpd and serves MCP on stdio with both shipped
# plugins (tracking, gemini). Extra arguments go to `mcpd serve`, e.g.
# `scripts/run.sh --config mcpd.json`.
#
# stdout belongs to the MCP client from the first byte, so everything the
# install and build steps print is sent to stderr.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${MCPD_BUILD_DIR:-$repo_root/build}"

{
  # Only what serving needs: the build's packages (not the test tools), and mcpd with its two plugins
  # (not the tests). A second run reuses the build: Ninja rebuilds what changed, nothing when nothing did.
  bash "$repo_root/scripts/install-deps.sh" build
  bash "$repo_root/scripts/build.sh" --target mcpd tracking gemini
} 1>&2

exec "$build_dir/bin/mcpd" serve --stdio --plugins-dir "$build_dir/plugins" "$@"
