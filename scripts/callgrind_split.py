#!/usr/bin/env python3
"""Splits a callgrind profile between Crypto++ and everything else, counting every instruction once.

Each function's own (exclusive) instructions go to the side it belongs to: Crypto++ (code in libcrypto++, or any
function in namespace CryptoPP, since its templates compile into our binary) or the engine (everything else).
A callback from Crypto++ into the engine (the RNG that PKCS #1 padding calls) is therefore the engine's, and what
that callback calls in Crypto++ again (Hash_DRBG) is Crypto++'s. The C and C++ runtime (malloc, memcpy, std::
templates) belongs to whoever calls it: its instructions are passed up to its callers, in proportion to what each
call cost, until they reach a Crypto++ or an engine function. The two shares add up to 100 %.

Usage: callgrind_split.py callgrind.out [--top]
"""
import re
import sys
from collections import defaultdict

RUNTIME_OBJECT = re.compile(r"/(libc|libstdc\+\+|libm|libgcc_s|ld-linux[^/]*|vgpreload[^/]*)[.-]|\[kernel|\[vdso")
RUNTIME_SCOPE = ("std::", "__gnu_cxx::", "__cxxabiv1::", "operator new", "operator delete", "__")


def qualified_name(fn):
    """The function's own scope: no return type, parameters or template arguments ("hl::f(CryptoPP::X&)" -> "hl::f")."""
    out, depth = [], 0
    fn = fn.replace("(anonymous namespace)", "{anonymous}")
    for ch in fn.split("(", 1)[0]:
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth = max(0, depth - 1)
        elif depth == 0:
            out.append(ch)
    text = "".join(out).strip()
    # "operator new" and "operator delete" keep their space; other names drop a leading return type.
    return text if text.startswith("operator ") else text.split(" ")[-1]


def side(obj, fn):
    """'crypto', 'runtime' or 'engine'."""
    name = qualified_name(fn)
    if "libcrypto++" in obj or name.startswith("CryptoPP::"):
        return "crypto"
    if RUNTIME_OBJECT.search(obj) or name.startswith(RUNTIME_SCOPE) or not name:
        return "runtime"
    return "engine"


def read_profile(path):
    """Exclusive cost per function, inclusive cost per (caller, callee) call edge, object per function."""
    names = {"ob": {}, "fn": {}, "fl": {}}
    alias = {"cob": "ob", "cfn": "fn", "cfi": "fl", "cfl": "fl", "fi": "fl", "fe": "fl"}
    name_re = re.compile(r"^(ob|fn|fl|fi|fe|cob|cfn|cfi|cfl)=(?:\((\d+)\))?\s*(.*)$")
    self_cost = defaultdict(int)
    callers = defaultdict(lambda: defaultdict(int))  # callee -> caller -> inclusive cost of those calls
    obj_of = {}
    ob = fn = ""
    cob = cfn = None
    pending_call = False
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            m = name_re.match(line)
            if m:
                kind, ident, text = m.groups()
                table = names[alias.get(kind, kind)]
                if ident is not None and text:
                    table[ident] = text
                value = table.get(ident, text) if ident is not None else text
                if kind == "ob":
                    ob = value
                elif kind == "fn":
                    fn = value
                    obj_of.setdefault(fn, ob)
                    cob = cfn = None
                elif kind == "cob":
                    cob = value
                elif kind == "cfn":
                    cfn = value
                continue
            if line.startswith("calls="):
                pending_call = True
                continue
            if not line or not (line[0].isdigit() or line[0] in "+-*"):
                continue
            parts = line.split()
            cost = int(parts[1]) if len(parts) > 1 else 0
            if pending_call:
                pending_call = False
                if cfn is not None and cfn != fn:
                    obj_of.setdefault(cfn, cob if cob is not None else ob)
                    callers[cfn][fn] += cost
                cob = cfn = None
                continue
            self_cost[fn] += cost
    return self_cost, callers, obj_of


def split(self_cost, callers, obj_of):
    sides = {fn: side(obj_of.get(fn, ""), fn) for fn in set(self_cost) | set(callers)}
    totals = defaultdict(float)
    engine_by_fn = defaultdict(float)   # engine function -> own cost plus the runtime passed up to it
    runtime_to_engine = defaultdict(float)  # runtime function -> how much of it the engine asked for
    for fn, cost in self_cost.items():
        s = sides[fn]
        if s == "engine":
            totals["engine"] += cost
            engine_by_fn[fn] += cost
        elif s == "crypto":
            totals["crypto"] += cost
    # Runtime instructions climb to their first non-runtime caller, split by what each call cost.
    for origin, cost in self_cost.items():
        if sides[origin] != "runtime" or cost == 0:
            continue
        mass = {origin: float(cost)}
        for _ in range(64):
            if not mass:
                break
            nxt = defaultdict(float)
            for node, m in mass.items():
                up = callers.get(node, {})
                weight = sum(up.values())
                if weight == 0:
                    # Nobody above it in the profile: count it outside Crypto++, where it cannot flatter the engine.
                    totals["engine"] += m
                    runtime_to_engine[origin] += m
                    continue
                for caller, w in up.items():
                    share = m * w / weight
                    s = sides[caller]
                    if s == "runtime":
                        nxt[caller] += share
                    else:
                        totals[s] += share
                        if s == "engine":
                            engine_by_fn[caller] += share
                            runtime_to_engine[origin] += share
            mass = {k: v for k, v in nxt.items() if v > 0.5}
        else:
            leftover = sum(mass.values())
            totals["engine"] += leftover
            runtime_to_engine[origin] += leftover
    return totals, engine_by_fn, runtime_to_engine


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    self_cost, callers, obj_of = read_profile(argv[1])
    total = sum(self_cost.values())
    if total == 0:
        print("  no instructions collected")
        return 1
    totals, engine_by_fn, runtime_to_engine = split(self_cost, callers, obj_of)
    crypto, engine = totals["crypto"], totals["engine"]
    print(f"  {'one handshake':56} {total:12d} instructions")
    print(f"  {'Crypto++ (its own code and the runtime it calls)':56} {100 * crypto / total:6.1f} %")
    print(f"  {'outside Crypto++ (engine and the runtime it calls)':56} {100 * engine / total:6.1f} %")
    if abs(crypto + engine - total) > total * 0.001:
        print(f"  (unattributed: {100 * (total - crypto - engine) / total:.2f} %)")
    if "--top" in argv:
        print("  engine functions by own cost plus the runtime calls they make:")
        for name, cost in sorted(engine_by_fn.items(), key=lambda kv: -kv[1])[:15]:
            print(f"    {100 * cost / total:5.2f} %  {qualified_name(name)}")
        print("  runtime and std:: code the engine asked for:")
        for name, cost in sorted(runtime_to_engine.items(), key=lambda kv: -kv[1])[:10]:
            print(f"    {100 * cost / total:5.2f} %  {qualified_name(name)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
