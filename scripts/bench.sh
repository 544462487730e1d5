#!/usr/bin/env bash
# Measures what a handshake costs the engine, beside what it must cost and what OpenSSL spends on the same one.
#
# 1. Per suite, in interleaved rounds (engine, Crypto++ floor, OpenSSL, then the next suite, then the next round),
#    the process CPU time of one whole in-memory run of the default scenario (handshake, one request and
#    response, close_notify, the trace torn down): the median of each program's batch, then the median over
#    the rounds. The floor (tests/bench/bench_floor.cpp) is only the public-key operations that handshake needs,
#    in Crypto++; OpenSSL (tests/bench/bench_openssl.cpp) does a comparable handshake through memory BIOs.
# 2. Where the time goes, by CPU time (perf, DWARF call stacks): the share outside Crypto++. This is the headline.
# 3. The same split by instructions (callgrind), every instruction counted once, for a deterministic second view.
# 4. The window benchmark (first frame, stepping, animation, a 1,000-record run), unless --no-gui.
#
# Usage: scripts/bench.sh [--rounds N] [--batch N] [--suite NAME]... [--no-gui] [--no-profile]
#        (BUILD_DIR overrides build/; default suites: the five the built-in scenarios use)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"

rounds=21
batch=5
suites=()
gui=1
profile=1
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --batch) batch="$2"; shift 2 ;;
    --suite) suites+=("$2"); shift 2 ;;
    --no-gui) gui=0; shift ;;
    --no-profile) profile=0; shift ;;
    *) echo "bench.sh: unknown option $1" >&2
       echo "usage: scripts/bench.sh [--rounds N] [--batch N] [--suite NAME]... [--no-gui] [--no-profile]" >&2
       exit 2 ;;
  esac
done
if [ ${#suites[@]} -eq 0 ]; then
  suites=(TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 TLS_RSA_WITH_AES_128_CBC_SHA TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256
          TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 TLS_DHE_RSA_WITH_AES_128_GCM_SHA256)
fi

"$root/scripts/setup.sh" --bench
# An existing tree keeps its build type; a new one gets optimised code with symbols, which the profilers name.
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
targets=(handshakelab-bench-engine handshakelab-bench-floor)
[ "$gui" = 1 ] && targets+=(handshakelab-bench-gui handshakelab-bench-export)
cmake --build "$build" --parallel "$(nproc)" --target "${targets[@]}" >/dev/null
# The OpenSSL program exists only when CMake found libssl-dev; build it when it is there.
if cmake --build "$build" --target help | grep -q handshakelab-bench-openssl; then
  cmake --build "$build" --target handshakelab-bench-openssl >/dev/null
fi
engine="$build/tests/handshakelab-bench-engine"
floor="$build/tests/handshakelab-bench-floor"
openssl_bench="$build/tests/handshakelab-bench-openssl"

cpu_of() { "$@" | awk '/^cpu-us-median:/ { print $2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "== CPU time per handshake ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores)"
echo "   median over $rounds interleaved rounds of a batch of $batch runs each; microseconds of process CPU time"
[ -x "$openssl_bench" ] || echo "   OpenSSL: skipped (install libssl-dev and re-run cmake to build tests/bench/bench_openssl.cpp)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for ((r = 0; r < rounds; ++r)); do
  for s in "${suites[@]}"; do
    key="$(echo "$s" | tr -c 'A-Za-z0-9_\n' _)"
    cpu_of "$engine" --suite "$s" --runs "$batch" --warmup 1 >>"$out/$key.engine"
    cpu_of "$floor" --suite "$s" --runs "$batch" --warmup 1 >>"$out/$key.floor"
    if [ -x "$openssl_bench" ]; then
      cpu_of "$openssl_bench" --suite "$s" --runs "$batch" --warmup 1 >>"$out/$key.openssl"
    fi
  done
done
printf '   %-46s %9s %9s %9s %13s %15s\n' "suite" "engine" "floor" "OpenSSL" "engine/floor" "engine/OpenSSL"
for s in "${suites[@]}"; do
  key="$(echo "$s" | tr -c 'A-Za-z0-9_\n' _)"
  e="$(median <"$out/$key.engine")"
  f="$(median <"$out/$key.floor")"
  if [ -s "$out/$key.openssl" ]; then
    o="$(median <"$out/$key.openssl")"
    printf '   %-46s %9.0f %9.0f %9.0f %13s %15s\n' "$s" "$e" "$f" "$o" "$(ratio "$e" "$f")" "$(ratio "$e" "$o")"
  else
    printf '   %-46s %9.0f %9.0f %9s %13s %15s\n' "$s" "$e" "$f" "-" "$(ratio "$e" "$f")" "-"
  fi
done

if [ "$profile" = 1 ]; then
  default_suite="${suites[0]}"
  echo "== where the time goes: $default_suite, CPU time (perf, DWARF call stacks; the headline)"
  if perf record -q -e cpu-clock -F 2000 --call-graph dwarf,32768 -o "$out/perf.data" \
       "$engine" --suite "$default_suite" --runs 400 --warmup 3 >/dev/null 2>"$out/perf.log"; then
    perf script -F ip,sym,dso --no-inline -i "$out/perf.data" 2>/dev/null | python3 "$root/scripts/perf_split.py" --top
  else
    echo "   skipped: perf cannot sample here ($(tail -1 "$out/perf.log"))"
  fi
  echo "== the same by instructions: $default_suite (callgrind; every instruction counted once)"
  # Only the timed runs are collected: warm-up, PKI loading and start-up stay out (see tests/bench/bench_engine.cpp).
  valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.out" --toggle-collect='*timedHandshake*' \
    "$engine" --suite "$default_suite" --runs 1 --warmup 1 >/dev/null 2>"$out/valgrind.log"
  python3 "$root/scripts/callgrind_split.py" "$out/callgrind.out" --top
fi

if [ "$gui" = 1 ]; then
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
fi
