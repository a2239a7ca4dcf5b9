#!/usr/bin/env python3
"""An independent reading of warta roster records and trust rules, written from
docs/PROTOCOL.md §2-4 and §17-18 alone (no code shared with the C implementation), run over
tests/vectors/roster-v2.json. Prints TAP. Skips itself when PyNaCl is not installed."""
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
ROOT, DELEGATION, REVOCATION, ROTATION, CHAIN_END = 4, 5, 6, 7, 8
CUTS = (REVOCATION, ROTATION, CHAIN_END)
TRUSTED, UNKNOWN, NOT_VALID, REVOKED = "trusted", "unknown key", "not valid at that time", "revoked"


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
    elif kind == CHAIN_END:
        f["key"], f["last_sequence"], f["last_id"] = r.take(32), r.u64(), r.take(32)
        f["reason"] = r.str16().decode()
    f["statement"] = body[:r.p]
    f["cosigs"] = [(r.take(32), r.take(64)) for _ in range(r.u8())]
    assert r.p == len(body)
    f["cosign_input"] = ROSTER_DOMAIN + bytes([kind]) + f["statement"]
    return f


def within(region, scope):
    return scope == "" or region == scope or region.startswith(scope + ".")


def covers(delegation, regions):
    return all(any(within(r, s) for s in delegation["regions"]) for r in regions)


class Roster:
    """§18, step by step."""

    def __init__(self, records):
        self.recs = records  # records[0] is the pinned root
        self.roots = [records[0]]
        while True:  # step 1: follow the root chain
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
        self.root_keys = {k for r in self.roots for k in r["keys"]}
        # step 2: the sealing order
        self.order = sorted((x for x in records if x["kind"] != ROOT),
                            key=lambda x: (x["issued_at"], x["id"]))
        cuts = []  # step 6: passes until the cuts repeat, at most 8
        for _ in range(8):
            fin, new_cuts = self.one_pass(cuts)
            same = {id(x) for x in new_cuts} == {id(x) for x in cuts}
            cuts = new_cuts
            if same:
                break
        self.F, self.C, self.self_x = fin, cuts, None

    @staticmethod
    def count(x, root):
        return len(set(x["signers"]) & set(root["keys"]))

    def root_at(self, t):
        for r in reversed(self.roots[1:]):
            if r["valid_from"] <= t:
                return r
        return self.roots[0]

    def root_authority(self, x, t):
        r = self.root_at(t)
        return self.count(x, r) >= r["threshold"]

    def cuts(self):  # the cuts of F and C, but never the record being judged
        return [x for x in self.F + self.C if x["kind"] in CUTS and x is not self.self_x]

    def key_at(self, key, t, depth=0):  # step 3: (status, delegation)
        named = [x for x in self.F if x["kind"] == DELEGATION and x["key"] == key]
        ok = [x for x in named
              if x["valid_from"] <= t and (x["valid_until"] == 0 or t < x["valid_until"])]
        status = NOT_VALID if named else UNKNOWN
        held = None
        if ok:
            held = sorted(ok, key=lambda x: (-x["valid_from"], x["id"]))[0]
        elif depth < 8:
            found = []
            for x in self.F:
                if x["kind"] != ROTATION or x["new"] != key:
                    continue
                if x["valid_from"] > t:
                    status = NOT_VALID
                    continue
                st, e = self.key_at(x["key"], x["valid_from"] - 1, depth + 1)
                if st != TRUSTED:
                    continue
                if e["valid_until"] and t >= e["valid_until"]:
                    status = NOT_VALID
                    continue
                found.append((x, e))
            if found:
                held = sorted(found, key=lambda p: (-p[0]["valid_from"], p[0]["id"]))[0][1]
        if held is None:
            return status, None
        for x in self.cuts():
            if x["kind"] in (REVOCATION, ROTATION) and x["key"] == key and x["valid_from"] <= t:
                return REVOKED, None
        return TRUSTED, held

    def may_delegate(self, s, t, regions):
        st, d = self.key_at(s, t)
        return st == TRUSTED and d["flags"] & 1 and covers(d, regions)

    def within_chain(self, key, seq, bid):  # step 5
        ends = []
        for x in self.cuts():
            if x["key"] != key:
                continue
            if x["kind"] == CHAIN_END:
                ends.append((x["last_sequence"], x["last_id"] if x["last_sequence"] else None))
            elif x["issuer"] == key:
                ends.append((x["sequence"], x["id"]))
        if not ends:
            return True
        low = min(e[0] for e in ends)
        ids = {e[1] for e in ends if e[0] == low}
        if seq < low:
            return True
        return seq == low and len(ids) == 1 and None not in ids and bid in ids

    def authority(self, x, t):  # step 4, by kind
        if x["kind"] == DELEGATION:
            return self.root_authority(x, t) or any(
                self.may_delegate(s, t, x["regions"]) for s in x["signers"])
        if x["kind"] == ROTATION:
            if x["key"] in x["signers"] and self.key_at(x["key"], t)[0] == TRUSTED:
                return True
        elif x["key"] in x["signers"]:  # revocation, chain end
            return True
        if self.root_authority(x, t):
            return True
        st, d = self.key_at(x["key"], t)
        if st != TRUSTED:
            named = [y for y in self.F if y["kind"] == DELEGATION and y["key"] == x["key"]]
            d = sorted(named, key=lambda y: (-y["valid_from"], y["id"]))[0] if named else None
        return d is not None and any(self.may_delegate(s, t, d["regions"]) for s in x["signers"])

    def one_pass(self, cuts):  # step 4
        self.F, self.C = list(self.roots), cuts
        for x in self.order:
            self.self_x = x
            t = x["issued_at"]
            ok = self.within_chain(x["issuer"], x["sequence"], x["id"]) and self.authority(x, t)
            if ok and x["issuer"] not in self.root_keys:
                extra = [x] if x["kind"] == DELEGATION else []
                self.F += extra
                ok = self.key_at(x["issuer"], t)[0] == TRUSTED
                del self.F[len(self.F) - len(extra):]
            self.self_x = None
            if ok:
                self.F.append(x)
        return self.F, [x for x in self.F if x["kind"] in CUTS]

    def in_force(self, x):  # step 8
        return any(x is y for y in self.F)

    def notice(self, b, bid):  # step 7: (status, office)
        st, d = self.key_at(b["issuer"], b["issued_at"])
        if st != TRUSTED:
            return st, None
        if not self.within_chain(b["issuer"], b["sequence"], bid):
            return REVOKED, None
        if not covers(d, [b["region"]]):
            return "out of scope", None
        return TRUSTED, d["office"]


def main():
    doc = json.load(open(sys.argv[1]))
    n = failed = 0

    def check(ok, what):
        nonlocal n, failed
        n += 1
        failed += not ok
        print(f"{'ok' if ok else 'not ok'} {n} - {what}")

    check(doc.get("format") == 2, "vectors of format 2")
    for sc in doc["scenarios"]:
        name = sc["name"]
        recs = []
        for v in sc["records"]:
            enc = bytes.fromhex(v["encoding"])
            b = bulletin(enc)
            f = record(b["kind"], b["body"])
            f.update(issuer=b["issuer"], issued_at=b["issued_at"], sequence=b["sequence"],
                     id=blake(enc))
            f["signers"] = [b["issuer"]] + [k for k, s in f["cosigs"]
                                            if verify(k, s, f["cosign_input"])]
            all_cosigs = len(f["signers"]) == 1 + len(f["cosigs"])
            check(b["sig_ok"] and all_cosigs and b["expires_at"] == 0,
                  f"{name}: {v['name']}: bulletin signature and every co-signature verify")
            check(f["id"].hex() == v["id"] and f["cosign_input"].hex() == v["cosign_input"],
                  f"{name}: {v['name']}: id and co-signature input")
            if f["kind"] == ROOT:
                check(blake(f["cosign_input"]).hex() == v["root_hash"],
                      f"{name}: {v['name']}: root hash")
            recs.append(f)
        check(blake(recs[0]["cosign_input"]).hex() == sc["network_id"],
              f"{name}: the network id is the root hash of version 1")
        roster = Roster(recs)
        check(roster.roots[-1]["version"] == sc["current_root_version"],
              f"{name}: the root chain is followed to version {sc['current_root_version']}")
        for f, v in zip(recs, sc["records"]):
            check(roster.in_force(f) == v["in_force"],
                  f"{name}: {v['name']}: {'in force' if v['in_force'] else 'not in force'}")
        for c in sc["checks"]:
            enc = bytes.fromhex(c["encoding"])
            b = bulletin(enc)
            status, office = roster.notice(b, blake(enc))
            check(b["sig_ok"] and b["sequence"] == c["sequence"] and status == c["status"]
                  and office == c.get("office"), f"{name}: {c['name']}: {c['status']}")
    print(f"1..{n}")
    sys.exit(1 if failed else 0)


main()
