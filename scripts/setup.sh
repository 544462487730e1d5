#!/usr/bin/env bash
# Installs the Debian 12 packages HandshakeLab needs, only those missing (through sudo when not root).
# With --tests it adds what only the test suites use: tshark, which decrypts the exported captures; gnutls-bin
# (gnutls-cli, gnutls-serv), the second TLS stack the interop tests meet; python3, which runs the interop matrix
# (scripts/interop-matrix.py); curl, which fetches serve --http's page; and the tools that check the exported
# diagrams: rsvg-convert (a renderer that is not Qt's), poppler's pdfinfo and pdftoppm, PlantUML, and Mermaid's own
# renderer (mermaid-cli from the npm registry, driving Debian's Chromium); and OpenLDAP's slapd with ldap-utils, which the
# directory test starts on a loopback port (the package's own slapd service is not used).
# With --bench it adds what scripts/bench.sh uses: valgrind (instruction counts), perf (CPU time by call stack) and
# libssl-dev (the OpenSSL handshake it compares with).
# With --sanitize it adds what scripts/sanitize.sh and scripts/fuzz.sh use: clang (AddressSanitizer,
# UndefinedBehaviorSanitizer, libFuzzer) and llvm (llvm-symbolizer, for readable stack traces).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

packages=(g++ cmake ninja-build pkg-config qt6-base-dev qt6-svg-dev libgl-dev libcrypto++-dev libyaml-cpp-dev libldap-dev libpng-dev openssl xvfb xauth)
test_packages=(tshark gnutls-bin python3 curl librsvg2-bin poppler-utils plantuml chromium fonts-dejavu-core slapd ldap-utils)
bench_packages=(valgrind linux-perf libssl-dev)
sanitize_packages=(clang llvm)
tests=0

for arg in "$@"; do
  case "$arg" in
    --tests) packages+=("${test_packages[@]}"); tests=1 ;;
    --bench) packages+=("${bench_packages[@]}") ;;
    --sanitize) packages+=("${sanitize_packages[@]}") ;;
    *) echo "setup.sh: unknown option $arg (--tests, --bench and --sanitize are known)" >&2; exit 2 ;;
  esac
done

# mermaid-cli goes into the project (tests/tools/mermaid, git-ignored), at the version its package.json pins.
# Puppeteer would download a browser of its own; the tests point it at Debian's Chromium instead.
install_mermaid() {
  local dir="$root/tests/tools/mermaid"
  [ -x "$dir/node_modules/.bin/mmdc" ] && return 0
  if ! command -v npm >/dev/null; then
    echo "setup.sh: npm not found; the Mermaid export test will be skipped" >&2
    return 0
  fi
  echo "Installing mermaid-cli into tests/tools/mermaid"
  (cd "$dir" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null)
}

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  [ "$tests" -eq 1 ] && install_mermaid
  exit 0
fi

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
[ "$tests" -eq 1 ] && install_mermaid
exit 0
