#!/usr/bin/env bash
# Configures and builds mcpd with Ninja into <repo>/build (or $MCPD_BUILD_DIR).
# Extra arguments go to `cmake --build`, e.g. `scripts/build.sh --target mcpd`.
#
# Environment:
#   MCPD_BUILD_DIR    build directory (default: <repo>/build)
#   MCPD_BUILD_TYPE   CMAKE_BUILD_TYPE (default: RelWithDebInfo, with line tables only: -g1)
#   MCPD_WERROR       ON/OFF; ON by default when CI=true, so CI fails on any warning
#   MCPD_JOBS         parallel compile jobs (default: number of cores)
#   MCPD_EXTRA_CMAKE_ARGS  more configure arguments, split at spaces (scripts/sanitize.sh uses it)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${MCPD_BUILD_DIR:-$repo_root/build}"

configure_args=(
  -S "$repo_root" -B "$build_dir" -G Ninja
  -DCMAKE_BUILD_TYPE="${MCPD_BUILD_TYPE:-RelWithDebInfo}"
)
werror="${MCPD_WERROR:-}"
if [[ "${CI:-}" == "true" && -z "$werror" ]]; then
  werror=ON
fi
if [[ -n "$werror" ]]; then
  configure_args+=(-DMCPD_WERROR="$werror")
fi

if [[ -n "${MCPD_EXTRA_CMAKE_ARGS:-}" ]]; then
  read -r -a extra_args <<<"$MCPD_EXTRA_CMAKE_ARGS"
  configure_args+=("${extra_args[@]}")
fi

# Configure only when the build directory is new or the configure arguments changed: Ninja re-runs CMake
# by itself when a CMakeLists.txt changes, so a second `scripts/run.sh` goes straight to a (no-op) build.
stamp="$build_dir/.mcpd-configure-args"
wanted="$(printf '%s\n' "${configure_args[@]}")"
if [[ ! -f "$build_dir/build.ninja" || ! -f "$stamp" || "$(cat "$stamp")" != "$wanted" ]]; then
  cmake "${configure_args[@]}"
  printf '%s' "$wanted" >"$stamp"
fi
what="${*:-everything}"
echo "build: building ${what//--target /} in $build_dir (mcpd and its plugins alone take about 7 minutes the first time, on 2 cores)" >&2
cmake --build "$build_dir" -j "${MCPD_JOBS:-$(nproc)}" "$@"
