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
cmake --build "$build" --parallel "$(nproc)" --target handshakelab-bench-engine handshakelab-bench-gui \
  handshakelab-bench-export >/dev/null
bench="$build/tests/handshakelab-bench-engine"

echo "== wall clock ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores)"
"$bench" "$@"

echo "== window (first frame, stepping, animation, a 1,000-record run, scrolling)"
if [ -n "${DISPLAY:-}" ]; then
  "$build/tests/handshakelab-bench-gui" 2>/dev/null
elif command -v xvfb-run >/dev/null; then
  xvfb-run -a -s "-screen 0 1920x1080x24" "$build/tests/handshakelab-bench-gui" 2>/dev/null
else
  QT_QPA_PLATFORM=offscreen "$build/tests/handshakelab-bench-gui" 2>/dev/null
fi

echo "== export (a 1,000-record run to every format; every built-in scenario to SVG)"
QT_QPA_PLATFORM=offscreen "$build/tests/handshakelab-bench-export" 2>/dev/null

if ! command -v valgrind >/dev/null || ! command -v callgrind_annotate >/dev/null; then
  echo "== instruction split: skipped (install valgrind to see it)"
  exit 0
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
# Only the timed run is collected: warm-up, PKI loading and start-up stay out (see tests/bench/bench_engine.cpp).
valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.out" --toggle-collect='*timedHandshake*' \
  "$bench" "$@" --runs 1 --warmup 1 >/dev/null 2>"$out/valgrind.log"
echo "== instruction split of one handshake (callgrind; calls into Crypto++ are charged to it with all they do)"
python3 "$root/scripts/callgrind_split.py" "$out/callgrind.out" --top
