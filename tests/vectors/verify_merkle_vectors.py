#!/usr/bin/env python3
"""An independent check of tests/vectors/merkle-v1.json against RFC 9162 §2.1, written from the
RFC alone: SHA-256 leaf and node hashes with the 0x00 and 0x01 prefixes, MTH, and the
inclusion and consistency verification algorithms. The roots of the RFC 6962 reference leaves
are also compared with the values published with that RFC's reference implementation. TAP."""
import hashlib
import json
import sys

PUBLISHED = {  # the reference implementation's tests, for the first 1..8 leaves
    1: "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    2: "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    3: "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    4: "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    5: "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    6: "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    7: "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    8: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
}


def h(b):
    return hashlib.sha256(b).digest()


def mth(leaves):
    if not leaves:
        return h(b"")
    if len(leaves) == 1:
        return h(b"\x00" + leaves[0])
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return h(b"\x01" + mth(leaves[:k]) + mth(leaves[k:]))


def verify_inclusion(leaf_hash, index, size, path, root):
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf_hash
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = h(b"\x01" + p + r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = h(b"\x01" + r + p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(first, second, root1, root2, proof):
    if first == second:
        return not proof and root1 == root2
    if first == 0 or first > second or not proof:
        return False
    if first & (first - 1) == 0:
        proof = [root1] + proof
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = h(b"\x01" + c + fr)
            sr = h(b"\x01" + c + sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = h(b"\x01" + sr + c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == root1 and sr == root2


def main():
    doc = json.load(open(sys.argv[1]))
    n = failed = 0

    def check(ok, what):
        nonlocal n, failed
        n += 1
        failed += not ok
        print(f"{'ok' if ok else 'not ok'} {n} - {what}")

    data = [bytes.fromhex(x["data"]) for x in doc["leaves"]]
    check(all(h(b"\x00" + d).hex() == x["leaf_hash"] for d, x in zip(data, doc["leaves"])),
          "leaf hashes are SHA-256(0x00 || data)")
    roots = {r["size"]: bytes.fromhex(r["root"]) for r in doc["roots"]}
    for size, root in sorted(roots.items()):
        ok = mth(data[:size]) == root and (size not in PUBLISHED or PUBLISHED[size] == root.hex())
        check(ok, f"root of the first {size} leaves")
    leaf_hashes = [h(b"\x00" + d) for d in data]
    for v in doc["inclusion"]:
        path = [bytes.fromhex(p) for p in v["path"]]
        m, size = v["index"], v["size"]
        good = verify_inclusion(leaf_hashes[m], m, size, path, roots[size])
        bad = path and verify_inclusion(leaf_hashes[m], m, size, path[:-1], roots[size])
        check(good and not bad, f"inclusion of leaf {m} in the tree of {size}")
    for v in doc["consistency"]:
        proof = [bytes.fromhex(p) for p in v["proof"]]
        a, b = v["first"], v["second"]
        good = verify_consistency(a, b, roots[a], roots[b], proof)
        bad = a != b and verify_consistency(a, b, roots[b], roots[a], proof)
        check(good and not bad, f"consistency of the tree of {a} with the tree of {b}")
    print(f"1..{n}")
    sys.exit(1 if failed else 0)


main()
