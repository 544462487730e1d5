#!/usr/bin/env python3
"""Splits a callgrind profile between Crypto++ and everything else, by caller.

Every call from code outside Crypto++ into Crypto++ is charged, with everything it does (its inclusive cost,
including the malloc and memcpy Crypto++ itself calls), to Crypto++. What is left is the cost of HandshakeLab's
own code and of the runtime calls it makes itself. Usage: callgrind_split.py callgrind.out
"""
import re
import sys


def qualified_name(fn):
    """The function's own scope: no return type, parameters or template arguments ("hl::f(CryptoPP::X&)" -> "hl::f")."""
    out, depth = [], 0
    for ch in fn.split("(", 1)[0]:
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth = max(0, depth - 1)
        elif depth == 0:
            out.append(ch)
    return "".join(out).strip().split(" ")[-1]


def is_crypto(obj, fn):
    # Crypto++ templates compile into our binary, so the function's own scope decides, not only the object.
    return "libcrypto++" in obj or qualified_name(fn).startswith("CryptoPP::")


def main(path):
    names = {"ob": {}, "fn": {}, "fl": {}}
    alias = {"cob": "ob", "cfn": "fn", "cfi": "fl", "cfl": "fl", "fi": "fl", "fe": "fl"}
    ob = fn = ""
    cob = cfn = None
    pending_call = False
    total = 0
    crypto_inclusive = 0
    crypto_self = 0
    name_re = re.compile(r"^(ob|fn|fl|fi|fe|cob|cfn|cfi|cfl)=(?:\((\d+)\))?\s*(.*)$")
    fn_obj = {}
    outside_by_fn = {}
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
                    fn_obj[fn] = ob
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
                callee_obj = cob if cob is not None else ob
                if not is_crypto(ob, fn) and is_crypto(callee_obj, cfn or ""):
                    crypto_inclusive += cost
                if qualified_name(fn).startswith("hl::") and re.search(r"/(libc|libstdc\+\+|libm)[.-]", callee_obj):
                    # Runtime work (allocation, copies) our own functions ask for, charged to them.
                    outside_by_fn[fn] = outside_by_fn.get(fn, 0) + cost
                cob = cfn = None
                continue
            total += cost
            if is_crypto(ob, fn):
                crypto_self += cost
            elif qualified_name(fn).startswith("hl::"):
                outside_by_fn[fn] = outside_by_fn.get(fn, 0) + cost
    if total == 0:
        print("  no instructions collected")
        return 1
    outside = total - crypto_inclusive
    print(f"  {'one handshake':52} {total:12d} instructions")
    print(f"  {'Crypto++, with everything it calls':52} {100 * crypto_inclusive / total:6.1f} %")
    print(f"  {'outside Crypto++ (engine and the runtime it calls)':52} {100 * outside / total:6.1f} %")
    print(f"  {'(Crypto++ own instructions only, for reference)':52} {100 * crypto_self / total:6.1f} %")
    if "--top" in sys.argv:
        print("  HandshakeLab functions by own cost plus the runtime calls they make:")
        for name, cost in sorted(outside_by_fn.items(), key=lambda kv: -kv[1])[:15]:
            print(f"    {100 * cost / total:5.2f} %  {qualified_name(name)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
