#!/usr/bin/env bash
# Installs the Debian (bookworm) packages that building and testing mcpd need.
#
#   install-deps.sh                 everything: building, testing and packaging (scripts/test.sh)
#   install-deps.sh build           only what building mcpd and its plugins needs (scripts/run.sh)
#   install-deps.sh build package   ... and what making the Debian packages needs (the Dockerfile)
#
# Idempotent and cheap when nothing is missing: every package is checked with
# dpkg-query first, and apt-get (update + install) only runs for what is
# absent. Works as root or through sudo.
#
# Environment:
#   MCPD_SKIP_DEPS=1   do nothing (for machines whose packages are managed
#                      some other way, or users without root).
set -euo pipefail

if [[ "${MCPD_SKIP_DEPS:-0}" == "1" ]]; then
  echo "install-deps: MCPD_SKIP_DEPS=1, not checking packages" >&2
  exit 0
fi

# The compiler, build tools and the libraries CMakeLists.txt finds.
build_packages=(
  g++ cmake ninja-build pkg-config
  libboost1.81-dev libboost-json1.81-dev
  libcpp-httplib-dev libssl-dev zlib1g-dev
  libavformat-dev libavcodec-dev libswscale-dev libavutil-dev
  liblodepng-dev libre2-dev libhiredis-dev
  catch2
)
# What the tests and tools run besides the build: the ffmpeg CLI makes test
# videos, python3 runs bench/, ca-certificates lets npm reach its registry
# over TLS, nginx is the load balancer of the scale-out test (which starts its
# own, on loopback), redis-server is the shared task store of the Redis store
# tests (which start their own, on loopback, with persistence off).
# systemd-analyze checks the systemd unit, dpkg-dev makes the packages' dependencies (dpkg-shlibdeps),
# cJSON is what the C example plugin (sdk/examples/c_hello) reads its arguments with, chromium (headless)
# draws the MCP Apps views in the browser tests (tests/views).
test_packages=(ffmpeg python3 ca-certificates nginx redis-server systemd libcjson-dev chromium)
package_packages=(dpkg-dev)

wanted=()
want_node=0
(($# > 0)) || set -- build test package
for part in "$@"; do
  case "$part" in
    build) wanted+=("${build_packages[@]}") ;;
    test) wanted+=("${test_packages[@]}") ; want_node=1 ;;
    package) wanted+=("${package_packages[@]}") ;;
    *) echo "install-deps: unknown part \"$part\" (build, test or package)" >&2; exit 2 ;;
  esac
done

log() { echo "install-deps: $*" >&2; }

is_installed() {
  [[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null)" == "ii"* ]]
}

missing=()
for package in "${wanted[@]}"; do
  is_installed "$package" || missing+=("$package")
done

# Node.js: a machine may carry a Node.js build that is not Debian's (e.g.
# NodeSource's, which bundles npm and conflicts with Debian's npm package), so
# node and npm are judged by the commands being usable, not by package names.
# Debian's own nodejs + npm are installed only when either command is absent.
node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if ((want_node == 0)); then
  :  # serving and packaging need no Node.js
elif ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
elif (($(node_major) < 18)); then
  log "warning: node $(node --version) is older than 18; the Inspector tests may fail"
fi

if ((${#missing[@]} == 0)); then
  log "all packages present"
  exit 0
fi

as_root=()
if ((EUID != 0)); then
  if ! command -v sudo >/dev/null 2>&1; then
    log "missing packages: ${missing[*]}"
    log "not root and sudo is not available: install them as root, or set MCPD_SKIP_DEPS=1"
    exit 1
  fi
  as_root=(sudo)
fi

apt_get() {
  # The lock timeout lets a concurrent apt/dpkg run finish instead of failing.
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get -y -q -o DPkg::Lock::Timeout=600 "$@"
}

log "installing: ${missing[*]}"
apt_get update
# A package's install script must not start its service (nginx would take
# port 80 for good, redis-server port 6379): policy-rc.d says no while we
# install, if none is there. Tests start their own servers on free ports.
policy=/usr/sbin/policy-rc.d
placed_policy=0
if [[ ! -e "$policy" ]]; then
  printf '#!/bin/sh\n# mcpd install-deps: no service starts during this install\nexit 101\n' |
    "${as_root[@]}" tee "$policy" >/dev/null
  "${as_root[@]}" chmod 755 "$policy"
  placed_policy=1
fi
status=0
apt_get install --no-install-recommends "${missing[@]}" || status=$?
((placed_policy == 0)) || "${as_root[@]}" rm -f "$policy"
((status == 0)) || exit "$status"
log "done"
