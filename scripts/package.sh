#!/usr/bin/env bash
# Builds the Debian packages into <build dir>/packages: mcpd (the host, its systemd unit and a commented
# /etc/mcpd/mcpd.json), mcpd-plugins (tracking, gemini) and mcpd-dev (the plugin SDK). Builds only what
# the packages hold, not the tests. Install them with `apt install ./build/packages/*.deb`.
#
# Environment: those of scripts/build.sh (MCPD_BUILD_DIR, MCPD_BUILD_TYPE, MCPD_JOBS, ...).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${MCPD_BUILD_DIR:-$repo_root/build}"

bash "$repo_root/scripts/install-deps.sh" build package
bash "$repo_root/scripts/build.sh" --target mcpd tracking gemini
rm -rf "$build_dir/packages"
(cd "$build_dir" && cpack -G DEB)
echo "package: built $(cd "$build_dir/packages" && ls ./*.deb | tr '\n' ' ')" >&2
