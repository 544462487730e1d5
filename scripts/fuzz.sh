#!/usr/bin/env bash
# Runs the libFuzzer targets (tests/fuzz): the server's and the client's receive paths, every handshake message
# decoder, DER certificates and CRLs, PEM and scenario files. Each starts from seeds written by the engine itself
# (every shipped scenario's records, the demo PKI) plus the shipped scenario files, and keeps what it finds in
# fuzz-corpus/TARGET. A crash stops the run and leaves the input as fuzz-corpus/crash-TARGET-*.
#
#   ./scripts/fuzz.sh [--seconds N | --runs N] [--target NAME]... [--build-dir DIR] [--jobs N]
#
# Default: 60 s per target. For the figures in docs: --runs 10000000 (ten million executions per target).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$root/build-sanitize"
limit=(-max_total_time=60)
targets=()
jobs=1
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) limit=(-max_total_time="${2:?}"); shift 2 ;;
    --runs) limit=(-runs="${2:?}"); shift 2 ;;
    --target) targets+=("${2:?}"); shift 2 ;;
    --build-dir) build="${2:?}"; shift 2 ;;
    --jobs) jobs="${2:?}"; shift 2 ;;
    *) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
build="$(realpath -m "$build")" # the targets run from a scratch folder, so a relative path would not hold
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_server fuzz_client fuzz_handshake_messages fuzz_x509 fuzz_pem fuzz_scenario)

if [ ! -x "$build/tests/fuzz/handshakelab-fuzz-seeds" ]; then
  "$root/scripts/setup.sh" --sanitize
  launcher=()
  if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
    -DHL_SANITIZE=ON -DHL_FUZZ=ON "${launcher[@]}" >/dev/null
fi
cmake --build "$build" --parallel "$(nproc)" --target handshakelab-fuzz-seeds "${targets[@]}"

export QT_QPA_PLATFORM=offscreen
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$root/tests/sanitizers/lsan.supp:print_suppressions=0"
corpus="$root/fuzz-corpus"
seeds="$(mktemp -d)"
trap 'rm -rf "$seeds"' EXIT
"$build/tests/fuzz/handshakelab-fuzz-seeds" "$seeds"
mkdir -p "$seeds/scenario"
find "$root/scenarios" -name '*.yaml' -exec cp {} "$seeds/scenario/" \;

status=0
for t in "${targets[@]}"; do
  name="${t#fuzz_}"
  mkdir -p "$corpus/$t"
  log="$seeds/$t.log"
  # New inputs go to the first directory (kept between runs); the seeds are read, never changed.
  parallel=()
  [ "$jobs" -gt 1 ] && parallel=(-jobs="$jobs" -workers="$jobs")
  if (cd "$(dirname "$log")" && "$build/tests/fuzz/$t" "${limit[@]}" "${parallel[@]}" -print_final_stats=1 \
      -artifact_prefix="$corpus/crash-$t-" "$corpus/$t" "$seeds/$name" >"$log" 2>&1); then
    # With --jobs each worker keeps its own fuzz-N.log beside the main log.
    runs="$(grep -h 'stat::number_of_executed_units' "$log" "$(dirname "$log")"/fuzz-*.log 2>/dev/null |
      awk '{s+=$2} END {print s+0}' || true)"
    echo "fuzz.sh: $t: $runs executions, no crash (corpus: $(ls "$corpus/$t" | wc -l) inputs)"
  else
    echo "fuzz.sh: $t FOUND A CRASH; the input is in $corpus/crash-$t-*" >&2
    tail -60 "$log" >&2
    status=1
  fi
  rm -f "$log" "$(dirname "$log")"/fuzz-*.log
done
exit $status
