#!/usr/bin/env bash
# Installs the Debian 12 packages HandshakeLab needs, only those missing (through sudo when not root).
# With --tests it adds what only the test suites use: tshark, which decrypts the exported captures, and gnutls-bin
# (gnutls-cli, gnutls-serv), the second TLS stack the interop tests meet.
# With --bench it adds what scripts/bench.sh uses: valgrind (instruction counts), perf (CPU time by call stack) and
# libssl-dev (the OpenSSL handshake it compares with).
set -euo pipefail

packages=(g++ cmake ninja-build pkg-config qt6-base-dev qt6-svg-dev libgl-dev libcrypto++-dev openssl xvfb xauth)
test_packages=(tshark gnutls-bin)
bench_packages=(valgrind linux-perf libssl-dev)

for arg in "$@"; do
  case "$arg" in
    --tests) packages+=("${test_packages[@]}") ;;
    --bench) packages+=("${bench_packages[@]}") ;;
    *) echo "setup.sh: unknown option $arg (--tests and --bench are known)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
# wireshark-common asks whether non-root users may capture packets; answering no beforehand keeps the install from
# waiting for a reply (the tests only read files).
if printf '%s\n' "${missing[@]}" | grep -qx tshark; then
  echo "wireshark-common wireshark-common/install-setuid boolean false" | "${sudo[@]}" debconf-set-selections
fi
"${sudo[@]}" apt-get update -qq
# env passes DEBIAN_FRONTEND through sudo, which would otherwise drop it.
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
