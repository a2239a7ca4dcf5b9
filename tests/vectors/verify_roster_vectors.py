#!/usr/bin/env python3
"""An independent reading of warta roster records and trust rules, written from
docs/PROTOCOL.md §2-4 and §17-18 alone (no code shared with the C implementation), run over
tests/vectors/roster-v1.json. Prints TAP. Skips itself when PyNaCl is not installed."""
import hashlib
import json
import struct
import sys

try:
    import nacl.exceptions
    import nacl.signing
except ImportError:
    print("1..0 # SKIP PyNaCl (python3-nacl) is not installed")
    sys.exit(0)

BULLETIN_DOMAIN = b"warta/bulletin/v1\x00"
ROSTER_DOMAIN = b"warta/roster/v1\x00"
ROOT, DELEGATION, REVOCATION, ROTATION = 4, 5, 6, 7
STATUS = ["trusted", "unknown key", "not valid at that time", "revoked", "out of scope"]


def blake(data):
    return hashlib.blake2b(data, digest_size=32).digest()


def verify(key, sig, msg):
    try:
        nacl.signing.VerifyKey(key).verify(msg, sig)
        return True
    except nacl.exceptions.BadSignatureError:
        return False


class R:
    def __init__(self, data):
        self.d, self.p = data, 0

    def take(self, n):
        if n > len(self.d) - self.p:
            raise ValueError("truncated")
        b = self.d[self.p:self.p + n]
        self.p += n
        return b

    def u8(self):
        return self.take(1)[0]

    def u16(self):
        return struct.unpack(">H", self.take(2))[0]

    def u64(self):
        return struct.unpack(">Q", self.take(8))[0]

    def str8(self):
        return self.take(self.u8())

    def str16(self):
        return self.take(self.u16())


def bulletin(enc):
    """Header fields (§2.1), the body bytes, and whether the signature (§3) holds."""
    r = R(enc)
    assert r.take(4) == b"WRTB" and r.u8() == 1
    b = {"kind": r.u8(), "issuer": r.take(32), "sequence": r.u64(), "previous": r.take(32),
         "issued_at": r.u64(), "expires_at": r.u64()}
    body = r.take(struct.unpack(">I", r.take(4))[0])
    sig = r.take(64)
    assert r.p == len(enc)
    b["body"], b["sig_ok"] = body, verify(b["issuer"], sig, BULLETIN_DOMAIN + enc[:-64])
    if b["kind"] in (1, 2, 3):  # a notice: priority, subject, translation_of, language, region
        n = R(body)
        n.take(65)
        n.str8()
        b["region"] = n.str8().decode()
    return b


def record(kind, body):
    """§17: the statement, its fields, and the co-signatures."""
    r = R(body)
    f = {"kind": kind, "network": r.take(32)}
    if kind == ROOT:
        f["previous"], f["version"], f["valid_from"] = r.take(32), r.u64(), r.u64()
        f["threshold"] = r.u8()
        f["keys"] = [r.take(32) for _ in range(r.u8())]
    elif kind == DELEGATION:
        f["key"], f["office"], f["name"] = r.take(32), r.str8().decode(), r.str16().decode()
        f["role"], f["flags"] = r.u8(), r.u8()
        f["regions"] = [r.str8().decode() for _ in range(r.u8())]
        f["valid_from"], f["valid_until"] = r.u64(), r.u64()
    elif kind == REVOCATION:
        f["key"], f["valid_from"], f["reason"] = r.take(32), r.u64(), r.str16().decode()
    elif kind == ROTATION:
        f["key"], f["new"], f["valid_from"] = r.take(32), r.take(32), r.u64()
    f["statement"] = body[:r.p]
    f["cosigs"] = [(r.take(32), r.take(64)) for _ in range(r.u8())]
    assert r.p == len(body)
    f["cosign_input"] = ROSTER_DOMAIN + bytes([kind]) + f["statement"]
    return f


def within(region, scope):
    return scope == "" or region == scope or region.startswith(scope + ".")


class Roster:
    """§18, rule by rule."""

    def __init__(self, records):
        self.recs = records  # records[0] is the pinned root
        self.roots = [records[0]]
        while True:  # rule 1: follow the root chain
            cur, best = self.roots[-1], None
            for x in records:
                if (x["kind"] == ROOT and x["version"] == cur["version"] + 1
                        and x["previous"] == blake(cur["cosign_input"])
                        and self.count(x, cur) >= cur["threshold"]
                        and self.count(x, x) >= x["threshold"]):
                    if best is None or blake(x["cosign_input"]) < blake(best["cosign_input"]):
                        best = x
            if best is None:
                break
            self.roots.append(best)
        self.active = set()
        self.settle(keep_revocations=False)  # rule 7, twice
        self.settle(keep_revocations=True)

    @staticmethod
    def count(x, root):
        return len(set(x["signers"]) & set(root["keys"]))

    def root_at(self, t):
        for r in reversed(self.roots[1:]):
            if r["valid_from"] <= t:
                return r
        return self.roots[0]

    def root_ok(self, x, t):  # rule 2
        r = self.root_at(t)
        return self.count(x, r) >= r["threshold"]

    def key_at(self, key, t, depth=0):  # rule 3: (status, delegation)
        status, best = 1, None
        for i in self.active:
            x = self.recs[i]
            if x["kind"] != DELEGATION or x["key"] != key:
                continue
            if t < x["valid_from"] or (x["valid_until"] and t >= x["valid_until"]):
                status = 2
            elif best is None or x["valid_from"] > best["valid_from"]:
                best = x
        for i in self.active:
            x = self.recs[i]
            if best is not None or depth > 8 or x["kind"] != ROTATION or x["new"] != key:
                continue
            if t < x["valid_from"]:
                status = 2
                continue
            st, d = self.key_at(x["key"], x["valid_from"] - 1, depth + 1)
            if st == 0:
                if d["valid_until"] and t >= d["valid_until"]:
                    status = 2
                else:
                    best = d
        if best is None:
            return status, None
        for i in self.active:
            x = self.recs[i]
            if x["kind"] in (REVOCATION, ROTATION) and x["key"] == key and x["valid_from"] <= t:
                return 3, None
        return 0, best

    def can_delegate(self, s, t, regions):
        st, d = self.key_at(s, t)
        return (st == 0 and d["flags"] & 1
                and all(any(within(r, o) for o in d["regions"]) for r in regions))

    def authorized(self, x):  # rules 4-6
        t = x["valid_from"]
        if x["kind"] == DELEGATION:
            return self.root_ok(x, t) or any(self.can_delegate(s, t, x["regions"])
                                             for s in x["signers"])
        if x["kind"] == ROTATION and x["key"] in x["signers"] and self.key_at(x["key"], t - 1)[0] == 0:
            return True
        if x["kind"] == REVOCATION and x["key"] in x["signers"]:
            return True
        scope = next((self.recs[i] for i in self.active if self.recs[i]["kind"] == DELEGATION
                      and self.recs[i]["key"] == x["key"]), None)
        return self.root_ok(x, t) or (scope is not None and any(
            self.can_delegate(s, t, scope["regions"]) for s in x["signers"]))

    def settle(self, keep_revocations):
        self.active = {i for i in self.active
                       if keep_revocations and self.recs[i]["kind"] == REVOCATION}
        changed = True
        while changed:
            changed = False
            for i, x in enumerate(self.recs):
                if x["kind"] != ROOT and i not in self.active and self.authorized(x):
                    self.active.add(i)
                    changed = True

    def in_force(self, i):  # rule 9
        x = self.recs[i]
        if x["kind"] == ROOT:
            ok = any(x is r for r in self.roots)
        else:
            ok = i in self.active
        carrier = x["issuer"]
        return ok and (any(carrier in r["keys"] for r in self.roots)
                       or self.key_at(carrier, x["issued_at"])[0] == 0)

    def notice(self, b):  # rule 8: (status, office)
        st, d = self.key_at(b["issuer"], b["issued_at"])
        if st != 0:
            return STATUS[st], None
        if not any(within(b["region"], s) for s in d["regions"]):
            return STATUS[4], None
        return STATUS[0], d["office"]


def main():
    doc = json.load(open(sys.argv[1]))
    n = failed = 0

    def check(ok, what):
        nonlocal n, failed
        n += 1
        failed += not ok
        print(f"{'ok' if ok else 'not ok'} {n} - {what}")

    recs = []
    for v in doc["records"]:
        enc = bytes.fromhex(v["encoding"])
        b = bulletin(enc)
        f = record(b["kind"], b["body"])
        f.update(issuer=b["issuer"], issued_at=b["issued_at"])
        f["signers"] = [b["issuer"]] + [k for k, s in f["cosigs"] if verify(k, s, f["cosign_input"])]
        all_cosigs = len(f["signers"]) == 1 + len(f["cosigs"])
        check(b["sig_ok"] and all_cosigs and b["expires_at"] == 0,
              f"{v['name']}: bulletin signature and every co-signature verify")
        check(blake(enc).hex() == v["id"] and f["cosign_input"].hex() == v["cosign_input"],
              f"{v['name']}: id and co-signature input")
        if f["kind"] == ROOT:
            check(blake(f["cosign_input"]).hex() == v["root_hash"], f"{v['name']}: root hash")
        recs.append(f)
    check(blake(recs[0]["cosign_input"]).hex() == doc["network_id"],
          "the network id is the root hash of version 1")
    roster = Roster(recs)
    check(roster.roots[-1]["version"] == doc["current_root_version"],
          f"the root chain is followed to version {doc['current_root_version']}")
    for i, v in enumerate(doc["records"]):
        check(roster.in_force(i) == v["in_force"],
              f"{v['name']}: {'in force' if v['in_force'] else 'not in force'}")
    for c in doc["checks"]:
        enc = bytes.fromhex(c["encoding"])
        b = bulletin(enc)
        status, office = roster.notice(b)
        check(b["sig_ok"] and status == c["status"] and office == c.get("office"),
              f"{c['name']}: {c['status']}")
    print(f"1..{n}")
    sys.exit(1 if failed else 0)


main()
