#!/usr/bin/env bash
# Builds and runs the engine benchmark: time per in-memory handshake, then, when valgrind is installed, how one
# handshake's instructions split between Crypto++ and everything else.
# Usage: scripts/bench.sh [--runs N] [--suite NAME] [--scenario NAME]   (BUILD_DIR overrides build/)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"

"$root/scripts/setup.sh"
# An existing tree keeps its build type; a new one gets optimised code with symbols, which callgrind names.
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$build" --parallel "$(nproc)" --target handshakelab-bench-engine >/dev/null
bench="$build/tests/handshakelab-bench-engine"

echo "== wall clock ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores)"
"$bench" "$@"

if ! command -v valgrind >/dev/null || ! command -v callgrind_annotate >/dev/null; then
  echo "== instruction split: skipped (install valgrind to see it)"
  exit 0
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
# Only the timed run is collected: warm-up, PKI loading and start-up stay out (see tests/bench/bench_engine.cpp).
valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.out" --toggle-collect='*timedHandshake*' \
  "$bench" "$@" --runs 1 --warmup 1 >/dev/null 2>"$out/valgrind.log"
echo "== instruction split of one handshake (callgrind, self cost by where the code lives)"
callgrind_annotate --inclusive=no --threshold=100 "$out/callgrind.out" | awk '
  # Lines look like:  1,234 ( 5.6%)  file:function [object]
  /PROGRAM TOTALS/ { next }
  /^ *[0-9,]+ \( *[0-9.]+%\)  / {
    n = $1; gsub(",", "", n)
    object = ""
    if (match($0, /\[[^]]*\]$/)) object = substr($0, RSTART + 1, RLENGTH - 2)
    line = $0; sub(/^ *[0-9,]+ \( *[0-9.]+%\)  /, "", line)
    file = line; sub(/:.*/, "", file)
    name = line; sub(/^[^:]*:/, "", name); sub(/\(.*/, "", name)
    if (object ~ /libcrypto\+\+/) group = "cryptopp"
    else if (file ~ /crypto\+\+\// || name ~ /^([A-Za-z_:<>,*& ]+ )?CryptoPP::/) group = "inlined"
    else if (object ~ /\/(libc|libm|libstdc\+\+|libgcc_s)[.-]/ || object ~ /ld-linux/) group = "runtime"
    else if (object == "" && file ~ /^\.\//) group = "runtime" # glibc source paths, printed without the object
    else if (object ~ /handshakelab-bench-engine/) group = "ours"
    else group = "other"
    cost[group] += n; total += n
  }
  END {
    if (total == 0) { print "  no instructions collected"; exit 1 }
    printf "  %-52s %12d instructions\n", "one handshake", total
    printf "  %-52s %6.1f %%\n", "Crypto++ library (libcrypto++)", 100 * cost["cryptopp"] / total
    printf "  %-52s %6.1f %%\n", "Crypto++ templates compiled into HandshakeLab", 100 * cost["inlined"] / total
    printf "  %-52s %6.1f %%\n", "HandshakeLab engine (its own code)", 100 * cost["ours"] / total
    printf "  %-52s %6.1f %%\n", "C/C++ runtime (malloc, memcpy, iostreams, ...)", 100 * cost["runtime"] / total
    printf "  %-52s %6.1f %%\n", "other", 100 * cost["other"] / total
    printf "  %-52s %6.1f %%\n", "outside Crypto++ (engine + runtime + other)",
      100 * (cost["ours"] + cost["runtime"] + cost["other"]) / total
  }'
