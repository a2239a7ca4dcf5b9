#!/usr/bin/env python3
"""An independent check of tests/vectors/checkpoint-v1.json, written from docs/PROTOCOL.md
§19-§22 alone (it shares no code with the C implementation): the log tree over the ids, the
checkpoint note (C2SP signed note: body, key ids, Ed25519 signature), the witness's
cosignature/v1 line, and the inclusion, consistency and conflict files; the altered files must
fail. Uses hashlib and PyNaCl's Ed25519; skips itself when PyNaCl is not installed. TAP."""
import base64
import hashlib
import json
import re
import struct
import sys

try:
    import nacl.exceptions
    import nacl.signing
except ImportError:
    print("1..0 # SKIP PyNaCl (python3-nacl) is not installed")
    sys.exit(0)


def sha256(b):
    return hashlib.sha256(b).digest()


def leaf(data):
    return sha256(b"\x00" + data)


def node(left, right):
    return sha256(b"\x01" + left + right)


def mth(leaves):
    if not leaves:
        return sha256(b"")
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return node(mth(leaves[:k]), mth(leaves[k:]))


def verify_inclusion(leaf_hash, index, size, path, root):
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf_hash
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(m, n, root1, root2, proof):
    if m == 0 or m > n:
        return False
    if m == n:
        return not proof and root1 == root2
    if m & (m - 1) == 0:
        proof = [root1] + proof
    if not proof:
        return False
    fn, sn = m - 1, n - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node(c, fr)
            sr = node(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == root1 and sr == root2


class Bad(Exception):
    pass


def key_id(name, kind, key):
    return sha256(name.encode() + b"\n" + bytes([kind]) + key)[:4]


def ed25519_ok(key, sig, msg):
    try:
        nacl.signing.VerifyKey(key).verify(msg, sig)
        return True
    except nacl.exceptions.BadSignatureError:
        return False


def parse_note(text):
    """§20: returns (key, size, root, time, body, cosigners) or raises Bad."""
    body, sep, sigs = text.partition("\n\n")
    if not sep:
        raise Bad("no blank line")
    body += "\n"
    lines = body.split("\n")[:-1]
    if len(lines) != 4:
        raise Bad("body of %d lines" % len(lines))
    m = re.fullmatch(r"warta/node/([0-9a-f]{64})", lines[0])
    if not m:
        raise Bad("origin")
    key = bytes.fromhex(m.group(1))
    if not re.fullmatch(r"0|[1-9][0-9]*", lines[1]):
        raise Bad("size")
    size = int(lines[1])
    root = base64.b64decode(lines[2], validate=True)
    if len(root) != 32 or base64.b64encode(root).decode() != lines[2]:
        raise Bad("root")
    m = re.fullmatch(r"time (0|[1-9][0-9]*)", lines[3])
    if not m:
        raise Bad("time")
    time = int(m.group(1))
    own, cosigners = False, []
    if not sigs.endswith("\n"):
        raise Bad("signature lines end with a newline")
    for line in sigs[:-1].split("\n"):
        m = re.fullmatch(r"\u2014 (warta/node/([0-9a-f]{64})) ([A-Za-z0-9+/=]+)", line)
        if not m:
            raise Bad("signature line")
        name, signer, blob = m.group(1), bytes.fromhex(m.group(2)), base64.b64decode(m.group(3))
        if signer == key:
            if own or len(blob) != 68 or blob[:4] != key_id(name, 0x01, key):
                raise Bad("node signature line")
            if not ed25519_ok(key, blob[4:], body.encode()):
                raise Bad("node signature")
            own = True
        else:
            if len(blob) != 76 or blob[:4] != key_id(name, 0x04, signer):
                raise Bad("cosignature line")
            (t,) = struct.unpack(">Q", blob[4:12])
            msg = ("cosignature/v1\ntime %d\n" % t).encode() + body.encode()
            if not ed25519_ok(signer, blob[12:], msg):
                raise Bad("cosignature")
            cosigners.append((signer, t))
    if not own:
        raise Bad("no node signature")
    return key, size, root, time, body, cosigners


def parse_file(text):
    """§22: returns (kind, fields, hashes, notes)."""
    lines = text.split("\n")
    kinds = {"warta inclusion proof": "inclusion", "warta consistency proof": "consistency",
             "warta checkpoint conflict": "conflict"}
    if lines[0] not in kinds:
        raise Bad("header")
    kind, rest, fields, hashes, notes = kinds[lines[0]], text[len(lines[0]) + 1:], {}, [], []
    while True:
        line, _, after = rest.partition("\n")
        word, _, value = line.partition(" ")
        if word in ("id", "index") and kind == "inclusion":
            fields[word] = value
        elif word == "hash" and kind != "conflict":
            hashes.append(bytes.fromhex(value))
        elif word == "checkpoint":  # a length in bytes (the em dash is three)
            n, raw = int(value), after.encode()
            note, rest = raw[:n].decode(), raw[n:].decode()
            notes.append(parse_note(note))
            if not rest:
                break
            continue
        else:
            raise Bad("line " + line)
        rest = after
    if len(notes) != (1 if kind == "inclusion" else 2):
        raise Bad("checkpoints")
    return kind, fields, hashes, notes


def holds(text):
    kind, fields, hashes, notes = parse_file(text)
    if kind == "inclusion":
        key, size, root = notes[0][:3]
        return verify_inclusion(leaf(bytes.fromhex(fields["id"])), int(fields["index"]), size,
                                hashes, root)
    (k1, s1, r1), (k2, s2, r2) = notes[0][:3], notes[1][:3]
    if kind == "consistency":
        return k1 == k2 and verify_consistency(s1, s2, r1, r2, hashes)
    return k1 == k2 and s1 == s2 and r1 != r2


def main():
    v = json.load(open(sys.argv[1]))
    results = []

    def check(cond, what):
        results.append((bool(cond), what))

    node_key = bytes(nacl.signing.SigningKey(bytes.fromhex(v["node_seed"])).verify_key)
    wit_key = bytes(nacl.signing.SigningKey(bytes.fromhex(v["witness_seed"])).verify_key)
    check(node_key.hex() == v["node_key"], "node key from its seed")
    check(wit_key.hex() == v["witness_key"], "witness key from its seed")
    leaves = [leaf(bytes.fromhex(i)) for i in v["ids"]]
    for n, r in enumerate(v["roots"]):
        check(mth(leaves[:n]).hex() == r, "root of the first %d ids" % n)
    cp = v["checkpoint"]
    key, size, root, time, body, cosigners = parse_note(cp["note"])
    check(key == node_key and size == 8 and time == cp["time"], "the note names node, size, time")
    check(root == mth(leaves), "the note's root is the tree's")
    check(body == cp["body"], "the signed body")
    check(cosigners == [(wit_key, cp["cosignature_time"])], "the witness's cosignature verifies")
    for name in ("inclusion_5_of_8", "consistency_5_to_8", "conflict_at_5"):
        try:
            check(holds(v[name]), name + " holds")
        except Bad as e:
            check(False, "%s: %s" % (name, e))
    for case in v["must_fail"]:
        try:
            check(not holds(case["file"]), "fails: " + case["why"])
        except Bad:
            check(True, "fails: " + case["why"])
    # Altered notes: a changed size, and a changed cosignature time, are refused.
    for what, old, new in (("size", "\n8\n", "\n9\n"),):
        try:
            parse_note(cp["note"].replace(old, new, 1))
            check(False, "a note with a changed %s is refused" % what)
        except Bad:
            check(True, "a note with a changed %s is refused" % what)
    for i, (ok, what) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, what))
    print("1..%d" % len(results))
    return 0 if all(ok for ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
