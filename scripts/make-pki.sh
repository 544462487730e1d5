#!/bin/sh
# Regenerates the demo PKI in resources/pki/ (deterministic: the same bytes every time).
# Builds the handshakelab-make-pki target in build/ and runs it.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build"

# Configure every time: the target only exists once app/tools/make_pki.cpp does (see app/CMakeLists.txt).
if [ -f "$build/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build"
else
    cmake -S "$root" -B "$build" -G Ninja
fi
cmake --build "$build" --target handshakelab-make-pki
"$build/app/handshakelab-make-pki" "$root/resources/pki"
