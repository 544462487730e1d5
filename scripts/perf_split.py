#!/usr/bin/env python3
"""Splits CPU time between Crypto++ and everything else, from `perf script` output of a profile recorded with
call stacks (perf record --call-graph dwarf).

Only samples taken inside timedHandshake (tests/bench/bench_engine.cpp) count. Each sample goes to the side of the
function the CPU was in (the same rule as callgrind_split.py: Crypto++ is libcrypto++ or namespace CryptoPP, the
runtime is charged to its nearest caller that is not runtime, everything else is the engine). Unlike an
instruction count, this sees what the instructions cost on this CPU (SHA extensions, AES-NI, cache misses).

Usage: perf script -F ip,sym,dso --no-inline -i perf.data | perf_split.py [--top]
"""
import sys
from collections import Counter

from callgrind_split import qualified_name, side


def samples(stream):
    frames = []
    for line in stream:
        line = line.rstrip("\n")
        if not line.strip():
            if frames:
                yield frames
            frames = []
            continue
        if not line.startswith((" ", "\t")):
            continue  # a sample's header line when perf prints one
        parts = line.strip().split(" ", 1)
        rest = parts[1] if len(parts) > 1 else ""
        dso = ""
        if rest.endswith(")") and " (" in rest:
            rest, dso = rest.rsplit(" (", 1)
            dso = dso[:-1]
        sym = rest.rsplit("+0x", 1)[0]
        frames.append((sym, dso))
    if frames:
        yield frames


def main(argv):
    counts = Counter()
    engine_fns = Counter()
    runtime_fns = Counter()
    kept = skipped = 0
    for frames in samples(sys.stdin):
        if not any("timedHandshake" in sym for sym, _ in frames):
            skipped += 1
            continue
        kept += 1
        leaf = frames[0]
        owner = None
        for sym, dso in frames:
            s = side(dso, sym if sym != "[unknown]" else "")
            if s != "runtime":
                owner = (s, sym)
                break
        s, sym = owner if owner else ("engine", leaf[0])
        counts[s] += 1
        if s == "engine":
            engine_fns[qualified_name(sym)] += 1
            if side(leaf[1], leaf[0]) == "runtime":
                runtime_fns[qualified_name(leaf[0]) or leaf[0]] += 1
    if kept == 0:
        print(f"  no samples inside timedHandshake ({skipped} outside)")
        return 1
    print(f"  {'samples in the timed handshakes':56} {kept:12d}")
    print(f"  {'Crypto++ (its own code and the runtime it calls)':56} {100 * counts['crypto'] / kept:6.1f} %")
    print(f"  {'outside Crypto++ (engine and the runtime it calls)':56} {100 * counts['engine'] / kept:6.1f} %")
    if "--top" in argv:
        print("  engine functions by CPU time, own code plus the runtime calls they make:")
        for name, n in engine_fns.most_common(12):
            print(f"    {100 * n / kept:5.2f} %  {name}")
        print("  runtime and std:: code the engine asked for:")
        for name, n in runtime_fns.most_common(8):
            print(f"    {100 * n / kept:5.2f} %  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
