#!/usr/bin/env bash
# Quick start: set up, build, and open HandshakeLab on its default scenario.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
exec "$root/build/app/handshakelab" "$@"
