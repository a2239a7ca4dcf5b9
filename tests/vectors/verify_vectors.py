#!/usr/bin/env python3
"""An independent verifier of warta bulletins, written from docs/PROTOCOL.md alone (it shares
no code with the C implementation), run over tests/vectors/bulletin-v1.json. Prints TAP.

Uses hashlib's BLAKE2b and PyNaCl's Ed25519 (libsodium underneath, as the document requires
for strict signature checks). Skips itself when PyNaCl is not installed."""
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

MAX = 65536
TIME_MAX = 253402300799999
DOMAIN = b"warta/bulletin/v1\x00"


class Malformed(Exception):
    pass


def blake2b256(data):
    return hashlib.blake2b(data, digest_size=32).digest()


def check_text(b, multiline):
    try:
        s = b.decode("utf-8")  # Python's codec rejects overlong forms and surrogates
    except UnicodeDecodeError as e:
        raise Malformed(f"invalid UTF-8: {e}")
    for ch in s:
        o = ord(ch)
        if (o < 0x20 or 0x7F <= o <= 0x9F) and not (multiline and ch in "\n\t"):
            raise Malformed(f"control character U+{o:04X}")
    return s


LANG = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?"
                  r"(-([a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*$")
REGION = re.compile(r"^([0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?)?$")
VERDICT = re.compile(r"^[A-Z][A-Z_]{0,31}$")


class Reader:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def take(self, n):
        if n > len(self.data) - self.pos:
            raise Malformed("truncated")
        b = self.data[self.pos:self.pos + n]
        self.pos += n
        return b

    def u(self, n):
        return int.from_bytes(self.take(n), "big")

    def text(self, prefix, lo, hi, multiline=False, rule=None):
        b = self.take(self.u(prefix))
        if not lo <= len(b) <= hi:
            raise Malformed("length out of range")
        s = check_text(b, multiline)
        if rule is not None and not rule.match(s):
            raise Malformed(f"syntax: {s!r}")
        return s


def decode(data):
    """Decode a v1 bulletin by PROTOCOL.md §2; raise Malformed on any violation."""
    if len(data) > MAX:
        raise Malformed("too big")
    r = Reader(data)
    if r.take(4) != b"WRTB":
        raise Malformed("magic")
    b = {"version": r.u(1)}
    if b["version"] not in (1, 2):
        raise Malformed("version")
    b["kind"] = r.u(1)
    if b["kind"] not in (1, 2, 3, 9, 10):  # 4-8, roster records: verify_roster_vectors.py
        raise Malformed("kind")
    b["issuer"] = r.take(32)
    b["sequence"] = r.u(8)
    b["previous"] = r.take(32)
    b["issued_at"], b["expires_at"] = r.u(8), r.u(8)
    body_len = r.u(4)
    if b["sequence"] == 0 or (b["sequence"] == 1) != (b["previous"] == bytes(32)):
        raise Malformed("sequence/previous")
    if not 1 <= b["issued_at"] <= TIME_MAX:
        raise Malformed("issued_at")
    if b["expires_at"] and not b["issued_at"] < b["expires_at"] <= TIME_MAX:
        raise Malformed("expires_at")
    if b["kind"] in (9, 10) and b["expires_at"]:
        raise Malformed("expires_at of a report or receipt")
    if b["version"] == 2 and b["kind"] not in (1, 2):
        raise Malformed("version 2 is a clarification or correction")
    body = Reader(r.take(body_len))
    if b["kind"] == 9:
        report(body, b)
    elif b["kind"] == 10:
        receipt(body, b)
    else:
        notice(body, b)
    if body.pos != len(body.data):
        raise Malformed("trailing bytes in body")
    b["signature"] = r.take(64)
    if r.pos != len(data):
        raise Malformed("trailing bytes")
    return b


def url_text(body):
    url = body.text(2, 1, 2048)
    if not re.match(r"^https?://.", url) or " " in url:
        raise Malformed("url")
    return url


def report(body, b):
    """§2.6: a claim seen circulating."""
    b["priority"] = body.u(1)
    if b["priority"] > 1:
        raise Malformed("urgency")
    b["language"] = body.text(1, 2, 35, rule=LANG)
    b["region"] = body.text(1, 0, 13, rule=REGION)
    b["claim"] = body.text(2, 1, 8192, multiline=True)
    b["content_sha256"] = body.take(32)
    n = body.u(1)
    if n > 32:
        raise Malformed("urls")
    b["urls"] = [url_text(body) for _ in range(n)]
    if not b["urls"] and b["content_sha256"] == bytes(32):
        raise Malformed("a report needs a url or a content hash")


def receipt(body, b):
    """§2.7: what a platform did about a bulletin."""
    b["bulletin"] = body.take(32)
    if b["bulletin"] == bytes(32):
        raise Malformed("bulletin")
    b["action"], b["items"], b["acted_at"] = body.u(1), body.u(4), body.u(8)
    if b["action"] > 3:
        raise Malformed("action")
    if not 1 <= b["acted_at"] <= TIME_MAX:
        raise Malformed("acted_at")
    b["reason"] = body.text(2, 0, 512)
    if b["action"] == 3 and not b["reason"]:
        raise Malformed("no action needs a reason")


def notice(body, b):
    """§2.2, and §2.5's answers in version 2."""
    b["priority"] = body.u(1)
    if b["priority"] > 1:
        raise Malformed("priority")
    b["subject"], b["translation_of"] = body.take(32), body.take(32)
    if (b["kind"] == 1) != (b["subject"] == bytes(32)):
        raise Malformed("subject")
    b["language"] = body.text(1, 2, 35, rule=LANG)
    b["region"] = body.text(1, 0, 13, rule=REGION)
    b["verdict"] = body.text(1, 1, 32, rule=VERDICT)
    b["title"] = body.text(2, 1, 512)
    b["claim"] = body.text(2, 0, 8192, multiline=True)
    b["explanation"] = body.text(2, 0, 49152, multiline=True)
    n_links = body.u(1)
    if n_links > 32:
        raise Malformed("links")
    b["links"] = []
    for _ in range(n_links):
        rel = body.u(1)
        if rel > 1:
            raise Malformed("link rel")
        url = body.text(2, 1, 2048)
        if not re.match(r"^https?://.", url) or " " in url:
            raise Malformed("url")
        b["links"].append((rel, url))
    b["answers"] = []
    if b["version"] == 2:
        n = body.u(1)
        if not 1 <= n <= 32:
            raise Malformed("answers")
        b["answers"] = [body.take(32) for _ in range(n)]
        if any(a == bytes(32) for a in b["answers"]) or \
                any(x >= y for x, y in zip(b["answers"], b["answers"][1:])):
            raise Malformed("answers: none zero, strictly ascending")


def verify(data, expected_key):
    """PROTOCOL.md §10: returns 'valid', 'wrong_key', 'bad_signature' or 'malformed'."""
    try:
        b = decode(data)
    except Malformed:
        return "malformed"
    if b["issuer"] != expected_key:
        return "wrong_key"
    try:
        nacl.signing.VerifyKey(b["issuer"]).verify(DOMAIN + data[:-64], b["signature"])
    except (nacl.exceptions.BadSignatureError, ValueError):
        return "bad_signature"
    return "valid"


def pubkey_text(pk):
    check = blake2b256(b"warta/pubkey/v1" + pk)[:4]
    return "wpk1" + base64.urlsafe_b64encode(pk + check).decode().rstrip("=")


def fingerprint(pk):
    h = blake2b256(b"warta/fingerprint/v1" + pk)
    return " ".join("%05d" % (struct.unpack(">I", h[4 * i:4 * i + 4])[0] % 100000)
                    for i in range(5))


def dearmor(text):
    lines = text.split("\n")
    begin = next(i for i, l in enumerate(lines) if l.rstrip(" \t\r") == "-----BEGIN WARTA BULLETIN-----")
    end = next(i for i in range(begin + 1, len(lines))
               if lines[i].rstrip(" \t\r") == "-----END WARTA BULLETIN-----")
    return base64.b64decode("".join("".join(lines[begin + 1:end]).split()), validate=True)


def main(path):
    vectors = json.load(open(path, encoding="utf-8"))
    results = []
    for v in vectors["bulletins"]:
        name = v["name"]
        enc = bytes.fromhex(v["encoding"])
        pk = bytes.fromhex(v["public_key"])
        seed_pk = bytes(nacl.signing.SigningKey(bytes.fromhex(v["seed"])).verify_key)
        results.append((seed_pk == pk, f"{name}: seed gives the public key"))
        results.append((pubkey_text(pk) == v["public_key_text"], f"{name}: key text form"))
        results.append((fingerprint(pk) == v["fingerprint"], f"{name}: fingerprint"))
        results.append((DOMAIN + enc[:-64] == bytes.fromhex(v["signing_input"]),
                        f"{name}: signing input"))
        results.append((blake2b256(enc).hex() == v["id"], f"{name}: id"))
        results.append((dearmor(v["armored"]) == enc, f"{name}: armor"))
        results.append((verify(enc, pk) == "valid", f"{name}: verifies"))
        b = decode(enc)
        f = v["fields"]
        kind = f.get("kind", "clarification")
        if kind == "report":
            same = (b["kind"] == 9 and b["claim"] == f["claim"] and b["urls"] == f["urls"]
                    and b["content_sha256"].hex() == f["content_sha256"])
        elif kind == "receipt":
            ref = f["bulletin"]
            same = (b["kind"] == 10 and b["items"] == f["items"] and b["action"] == 0
                    and b["bulletin"].hex() == vectors["bulletins"][int(ref[1:])]["id"])
        else:
            answers = [vectors["bulletins"][int(a[1:])]["id"] for a in f.get("answers", [])]
            same = (b["title"] == f["title"] and b["verdict"] == f["verdict"]
                    and b["region"] == f["region"] and len(b["links"]) == len(f["links"])
                    and [a.hex() for a in b["answers"]] == answers
                    and b["version"] == (2 if answers else 1))
        results.append((same, f"{name}: decoded fields match the definition"))
        prev = v.get("previous")
        if prev:
            want = vectors["bulletins"][int(prev[1:])]["id"]
            results.append((b["previous"].hex() == want, f"{name}: chains to {prev}"))
    outcome = {"signature does not verify": "bad_signature"}
    for v in vectors["invalid"]:
        enc = bytes.fromhex(v["encoding"])
        pk = enc[6:38]  # the vector's own issuer (every damage leaves the key intact)
        want = outcome.get(v["error"], "malformed")
        results.append((verify(enc, pk) == want, f"invalid '{v['name']}' is {want}"))
    print(f"1..{len(results)}")
    for i, (ok, what) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {i} - {what}")
    return 0 if all(ok for ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
