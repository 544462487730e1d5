#!/usr/bin/env bash
# Every test suite built with AddressSanitizer and UndefinedBehaviorSanitizer (clang, every finding fatal, leaks
# included), then a short run of each libFuzzer target from the same build. CI runs it after the test suite.
#
#   ./scripts/sanitize.sh [--fuzz-seconds N]     (default 20 s per fuzz target; 0 skips fuzzing)
#
# The build lives in build-sanitize/ (BUILD_DIR=... to move it). The interop matrix is left to the normal build:
# it checks behaviour, not memory, and every connection it makes is already made by the interop suites here.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$root/build-sanitize}"
fuzz_seconds=20
while [ $# -gt 0 ]; do
  case "$1" in
    --fuzz-seconds) fuzz_seconds="${2:?--fuzz-seconds needs a number}"; shift 2 ;;
    *) echo "sanitize.sh: unknown option $1 (--fuzz-seconds N is known)" >&2; exit 2 ;;
  esac
done

"$root/scripts/setup.sh" --tests --sanitize
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
# One clang build serves both: ASan+UBSan everywhere, plus libFuzzer's coverage hooks (HL_FUZZ) for the targets.
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DHL_SANITIZE=ON -DHL_FUZZ=ON "${launcher[@]}" >/dev/null
cmake --build "$build" --parallel "$(nproc)"

export QT_QPA_PLATFORM=offscreen
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# Leaks inside system libraries (fontconfig's caches, Qt's platform plugin) are not ours to fix; see the file.
export LSAN_OPTIONS="suppressions=$root/tests/sanitizers/lsan.supp:print_suppressions=0"
ctest --test-dir "$build" --output-on-failure --parallel "$(nproc)" -E '^interop_matrix$'

if [ "$fuzz_seconds" != 0 ]; then
  "$root/scripts/fuzz.sh" --build-dir "$build" --seconds "$fuzz_seconds"
fi
