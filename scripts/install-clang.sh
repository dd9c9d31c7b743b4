#!/usr/bin/env bash
# Installs Debian's clang and its sanitizer and libFuzzer runtimes, for scripts/sanitize.sh address and
# scripts/fuzz.sh. Cheap when they are present. Honours MCPD_SKIP_DEPS=1 like install-deps.sh.
set -euo pipefail
[[ "${MCPD_SKIP_DEPS:-0}" == "1" ]] && exit 0
if command -v clang++ >/dev/null 2>&1 &&
  compgen -G "/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a" >/dev/null; then
  exit 0
fi
echo "install-clang: installing clang and its sanitizer runtimes" >&2
as_root=()
((EUID == 0)) || as_root=(sudo)
apt_get() {
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -y -q -o DPkg::Lock::Timeout=600 "$@" >&2
}
apt_get update
apt_get install --no-install-recommends clang libclang-rt-14-dev
