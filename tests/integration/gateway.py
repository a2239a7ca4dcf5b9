#!/usr/bin/python3
"""gateway.py - warta-gateway end to end, over loopback HTTP, against a wartad that enforces a
trust roster (root, ministry, a province that may delegate, a city it delegated).

Every answer of every route, good input and bad, is checked against the gateway's own OpenAPI
document (gateway/openapi.json, with jsonschema); what it says is checked against the command
line (warta verify, warta list, warta audit); a notice's status follows the corrections and
withdrawals that count; the live feed resumes exactly once, in arrival order, across random
disconnects while bulletins arrive; hostile clients (huge headers and bodies, slow senders,
a thousand idle connections, garbage) get an error or are cut off, the gateway keeps serving,
and the store is unchanged. Prints TAP.

usage: gateway.py WARTA WARTAD WARTA_GATEWAY NETTOOL SOURCE_ROOT"""
import base64
import html as html_lib
import http.client
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

try:
    import jsonschema
except ImportError:  # scripts/deps.sh installs python3-jsonschema with the test packages
    print("1..0 # SKIP python3-jsonschema is not installed")
    sys.exit(0)

WARTA, WARTAD, GATEWAY, NETTOOL, ROOT = (os.path.realpath(a) for a in sys.argv[1:6])
WORK = tempfile.mkdtemp(prefix="wgateway-")
os.chdir(WORK)
ENV = dict(os.environ, PP="office", LC_ALL="C.UTF-8")
procs = []
n = failed = 0


def ok(cond, what, diag=None):
    global n, failed
    n += 1
    print(("ok" if cond else "not ok") + f" {n} - {what}", flush=True)
    if not cond:
        failed += 1
        if diag is not None:
            for line in str(diag).splitlines()[:12]:
                print("# " + line)
    return cond


def run(*args, check=True, stdin=None):
    r = subprocess.run(args, env=ENV, capture_output=True, input=stdin)
    if check and r.returncode != 0:
        print(f"# {' '.join(args)}: exit {r.returncode}: {r.stderr.decode(errors='replace')}")
    return r


def w(*args):
    return run(WARTA, *args, "--passphrase-env", "PP")


def finish():
    for p in procs:
        p.kill()
        p.wait()
    shutil.rmtree(WORK, ignore_errors=True)
    print(f"1..{n}")
    sys.exit(1 if failed else 0)


def wait_for(seconds, cond):
    end = time.time() + seconds
    while time.time() < end:
        if cond():
            return True
        time.sleep(0.1)
    return False


# ---- the OpenAPI document: every answer is checked against what it promises ----

SPEC = json.load(open(os.path.join(ROOT, "gateway/openapi.json")))


def route_of(path):
    """The OpenAPI path template a concrete path answers to."""
    for template in SPEC["paths"]:
        pattern = "^" + re.sub(r"\\\{[a-z_]+\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path):
            return template
    return None


def conforms(method, path, status, ctype, body):
    """None if the answer is one the document describes, else what is wrong."""
    template = route_of(path.split("?")[0])
    if template is None:  # not a route: it must say so
        return None if status == 404 else f"{path}: not a route, yet {status}"
    op = SPEC["paths"][template].get(method.lower())
    if op is None:
        return None if status == 405 else f"{method} {template}: not a method, yet {status}"
    resp = op["responses"].get(str(status))
    if resp is None:
        return f"{method} {template}: status {status} is not among {list(op['responses'])}"
    if status == 304:
        return None
    mime = (ctype or "").split(";")[0].strip()
    content = resp.get("content", {})
    if mime not in content:
        return f"{method} {template} {status}: {mime} is not among {list(content)}"
    schema = content[mime].get("schema")
    if schema is None or mime != "application/json":
        return None
    try:
        doc = json.loads(body)
    except ValueError as e:
        return f"not JSON: {e}"
    root = dict(SPEC)
    root.update(schema)
    try:
        jsonschema.Draft202012Validator(root).validate(doc)
    except jsonschema.ValidationError as e:
        return f"{method} {template} {status}: {e.message} at {list(e.absolute_path)}"
    return None


# ---- HTTP ----

class Answer:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body)

    def header(self, name):
        return self.headers.get(name.lower())


nonconforming = []  # (what, problem) of every answer that broke the document


def request(method, path, body=None, headers=None, spec=True):
    c = http.client.HTTPConnection(HOST, PORT, timeout=20)
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    a = Answer(r.status, {k.lower(): v for k, v in r.getheaders()}, r.read())
    c.close()
    if spec and path.split("?")[0] != "/":
        problem = conforms(method, path, a.status, a.header("content-type"), a.body)
        if problem:
            nonconforming.append((f"{method} {path}", problem))
    return a


def get(path, **kw):
    return request("GET", path, **kw)


def checkpoint_size():
    cp = get("/v1/checkpoint")
    return int(cp.body.split(b"\n")[1]) if cp.status == 200 else -1


def armored_bytes(path):
    text = open(path).read().split("\n")
    return base64.b64decode("".join(l for l in text if l and not l.startswith("-----")))


# ---- a roster and a node that enforces it ----

T0 = "2026-01-01T00:00:00Z"
for k in ["root1", "root2", "root3", "ministry", "bengkulu", "kota", "rogue"]:
    run(WARTA, "keygen", "-o", k + ".key", "--cost", "interactive", "--passphrase-env", "PP")
run(WARTA, "roster", "init", "--key", "root1.pub", "--key", "root2.pub", "--key", "root3.pub",
    "--threshold", "2", "--valid-from", T0, "-o", "root.draft")
w("roster", "sign", "root.draft", "--key", "root2.key")
w("roster", "seal", "root.draft", "--key", "root1.key", "-o", "root.wrb")
run(WARTA, "roster", "delegate", "--network", "root.wrb", "--key", "ministry.pub", "--office",
    "kemkomdigi", "--name", "Kementerian Komunikasi dan Digital", "--role", "ministry",
    "--region", "", "--may-delegate", "--valid-from", T0, "-o", "m.draft")
w("roster", "sign", "m.draft", "--key", "root2.key")
w("roster", "sign", "m.draft", "--key", "root3.key")
w("roster", "seal", "m.draft", "--key", "ministry.key", "-o", "ministry.wrb")
run(WARTA, "roster", "delegate", "--network", "root.wrb", "--key", "bengkulu.pub", "--office",
    "diskominfo-17", "--name", "Diskominfo Provinsi Bengkulu", "--role", "province",
    "--region", "17", "--may-delegate", "--valid-from", T0, "-o", "b.draft")
w("roster", "seal", "b.draft", "--key", "ministry.key", "-o", "bengkulu.wrb")
run(WARTA, "roster", "delegate", "--network", "root.wrb", "--key", "kota.pub", "--office",
    "diskominfo-1771", "--name", "Diskominfo Kota Bengkulu", "--role", "regency",
    "--region", "17.71", "--valid-from", T0, "-o", "k.draft")
w("roster", "seal", "k.draft", "--key", "bengkulu.key", "-o", "kota.wrb")

open("pass", "w").write("node passphrase for tests\n")
SOCK = f"ipc://{WORK}/n1.sock"
node_log = open("n1.log", "w")
procs.append(subprocess.Popen([WARTAD, "-d", "n1", "-P", "pass", "-N", "n1", "-l", SOCK, "-s",
                               "500", "-C", "500", "-R", "root.wrb"], env=ENV, stderr=node_log))
if not ok(wait_for(20, lambda: run(WARTA, "status", "--node", "n1", check=False).returncode == 0),
          "a node that enforces the roster starts"):
    finish()
for f in ["root", "ministry", "bengkulu", "kota"]:
    run(WARTA, "publish", f + ".wrb", "--node", "n1")


def sign(name, out, *fields):
    w("sign", "--key", name + ".key", "-o", out, *fields)
    return json.loads(run(WARTA, "show", out).stdout)["id"]


def publish(path):
    return run(WARTA, "publish", path, "--node", "n1", check=False)


tsunami = sign("bengkulu", "tsunami.wb", "--region", "17", "--verdict", "HOAKS",
               "--title", "[HOAKS] Tsunami akan melanda Kota Bengkulu malam ini",
               "--claim", "Pesan berantai: tsunami setinggi 10 meter akan melanda malam ini.",
               "--explanation", "BMKG tidak mengeluarkan peringatan tsunami. Faktanya, "
               "tidak ada gempa besar di Samudra Hindia hari ini.",
               "--reference", "https://www.bmkg.go.id/", "--appearance",
               "https://facebook.com/example/posts/1")
english = sign("bengkulu", "english.wb", "--region", "17", "--verdict", "HOAX",
               "--language", "en", "--translation-of", tsunami,
               "--title", "[HOAX] A tsunami will hit Bengkulu City tonight")
fix = sign("bengkulu", "fix.wb", "--kind", "correction", "--subject", tsunami, "--region", "17",
           "--verdict", "HOAKS", "--title", "[HOAKS] Tsunami di Bengkulu (koreksi: sumber BMKG)")
pdam = sign("kota", "pdam.wb", "--region", "17.71", "--verdict", "DISINFORMASI",
            "--title", "[DISINFORMASI] Air PDAM Kota Bengkulu tercemar limbah")
for f in ["tsunami.wb", "english.wb", "fix.wb", "pdam.wb"]:
    publish(f)
rogue = sign("rogue", "rogue.wb", "--region", "17", "--verdict", "HOAKS",
             "--title", "[HOAKS] Palsu")
ok(run(WARTA, "list", "--node", "n1").stdout.count(b"\n") == 8,
   "the node holds the four roster records and four notices")

gw_log = open("gw.log", "w+")


def start_gateway(*extra, node="n1"):
    p = subprocess.Popen([GATEWAY, "--roster", "root.wrb", "--node", node, "--listen",
                          "127.0.0.1:0", *extra], env=ENV, stderr=subprocess.PIPE, text=True)
    procs.append(p)
    line = p.stderr.readline()
    m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    threading.Thread(target=lambda: [gw_log.write(l) for l in p.stderr], daemon=True).start()
    return p, (int(m.group(1)) if m else None), line


gw, PORT, line = start_gateway("--base-url", "https://warta.example.go.id/")
HOST = "127.0.0.1"
if not ok(PORT is not None, "warta-gateway says where it serves (port 0 picks a free one)", line):
    finish()

# ---- its command line ----
r = run(GATEWAY, "--node", "n1", check=False)
ok(r.returncode == 64 and b"usage: warta-gateway" in r.stderr, "without --roster: usage, exit 64",
   r.stderr)
r = run(GATEWAY, "--roster", "root.wrb", "--node", "n1", "--listen", "localhost", check=False)
ok(r.returncode == 64 and b"--listen" in r.stderr, "a bad --listen is refused by name", r.stderr)
r = run(GATEWAY, "--roster", "root.wrb", "--node", "n1", "--max-connections", "lots", check=False)
ok(r.returncode == 64 and b"max-connections" in r.stderr, "and a bad number", r.stderr)
r = run(GATEWAY, "--roster", "root.wrb", "--node", "nowhere", check=False)
ok(r.returncode != 0 and b"nowhere" in r.stderr, "a data directory with no store: a clear error",
   r.stderr)
r = run(GATEWAY, "--roster", "tsunami.wb", "--node", "n1", check=False)
ok(r.returncode != 0 and r.stderr, "a roster file that is not a roster: a clear error", r.stderr)

# ---- the list ----
listing = get("/v1/bulletins?limit=500")
items = listing.json()["bulletins"] if listing.status == 200 else []
ids = [b["id"] for b in items]
ok(listing.status == 200 and len(items) == 4 and listing.json().get("next_cursor") is None,
   "/v1/bulletins lists the four notices on one page", listing.body[:300])
out = run(WARTA, "list", "--node", "n1", "--json").stdout.decode()
try:
    listed = json.loads(out)
except ValueError:
    listed = [json.loads(l) for l in out.splitlines() if l.strip()]
cli = [b["id"] for b in listed if b["kind"] in ("clarification", "correction", "withdrawal")]
ok(ids == cli, "the same notices warta list shows, in the same order", (ids, cli))
roster_kinds = sorted({b["kind"] for b in listed} - {"clarification", "correction", "withdrawal"})
records = []
for k in roster_kinds:
    records += [b["id"] for b in get(f"/v1/bulletins?kind={k}").json()["bulletins"]]
ok(len(records) == 4, f"roster records are listed when their kind is asked for ({roster_kinds})",
   records)
arrivals = [b["arrival"] for b in items]
ok(arrivals == sorted(arrivals, reverse=True) and len(set(arrivals)) == 4,
   "newest first, each with its own arrival number")
old = get("/v1/bulletins?order=oldest&limit=500").json()["bulletins"]
ok([b["id"] for b in old] == list(reversed(ids)), "order=oldest is the same list reversed")
pages, cursor, seen = 0, None, []
while pages < 20:
    page = get("/v1/bulletins?limit=3" + (f"&cursor={cursor}" if cursor else ""))
    if page.status != 200:
        break
    seen += [b["id"] for b in page.json()["bulletins"]]
    cursor = page.json().get("next_cursor")
    pages += 1
    if not cursor:
        break
ok(seen == ids and pages == 2, f"pages of three follow next_cursor to the end ({pages} pages)",
   seen)
by_region = [b["id"] for b in get("/v1/bulletins?region=17").json()["bulletins"]]
ok(set(by_region) == {tsunami, english, fix, pdam},
   "region=17 gives the province's notices and the city's (17.71 is within 17)", by_region)
ok([b["id"] for b in get("/v1/bulletins?region=17.71").json()["bulletins"]] == [pdam],
   "region=17.71 only the city's")
ok([b["id"] for b in get("/v1/bulletins?verdict=DISINFORMASI").json()["bulletins"]] == [pdam],
   "verdict= filters by label")
ok({b["id"] for b in get("/v1/bulletins?office=diskominfo-17").json()["bulletins"]}
   == {tsunami, english, fix}, "office= by the office the roster names")
ok([b["id"] for b in get("/v1/bulletins?kind=correction").json()["bulletins"]] == [fix],
   "kind=correction")
ok([b["id"] for b in get("/v1/bulletins?language=en").json()["bulletins"]] == [english],
   "language=en")
ok(len(get("/v1/bulletins?since=2000-01-01T00:00:00Z&until=2000-01-02T00:00:00Z")
       .json()["bulletins"]) == 0, "a time window with nothing in it: an empty list")
item = {b["id"]: b for b in items}
ok(item[tsunami].get("status") == "corrected",
   "each item carries its status (the tsunami notice: corrected)", item.get(tsunami))

for bad in ["region=abc", "region=17.7", "verdict=", "limit=0", "limit=501", "limit=x",
            "cursor=zzz", "order=sideways", "since=yesterday", "kind=rumour",
            "issuer=wpk1nope", "priority=high", "colour=red", "language=" + "x" * 300]:
    a = get("/v1/bulletins?" + bad)
    if a.status != 400 or a.json().get("error", {}).get("code") is None:
        ok(False, f"a bad parameter ({bad}) is a 400 with a JSON error", a.body[:200])
        break
else:
    ok(True, "fourteen kinds of bad parameter: each a 400 with a JSON error that names it")
a = get("/v1/bulletins?region=abc")
ok("region" in a.json()["error"]["message"], "the message names the parameter",
   a.body)

# ---- one bulletin ----
one = get(f"/v1/bulletins/{tsunami}")
ok(one.status == 200 and one.json()["id"] == tsunami and
   one.json().get("title", "").startswith("[HOAKS] Tsunami"), "/v1/bulletins/ID: its fields",
   one.body[:300])
etag = one.header("etag")
ok(etag and "immutable" in (one.header("cache-control") or ""),
   "with an ETag, cached for good (a signed bulletin never changes)", one.headers)
again = get(f"/v1/bulletins/{tsunami}", headers={"If-None-Match": etag})
ok(again.status == 304 and again.body == b"", "If-None-Match: 304, no body")
raw = get(f"/v1/bulletins/{tsunami}/raw")
ok(raw.status == 200 and raw.body == armored_bytes("tsunami.wb"),
   "/raw: the signed bytes, exactly as signed")
open("fetched.bin", "wb").write(raw.body)
r = run(WARTA, "verify", "fetched.bin", "--roster", "root.wrb", "--node", "n1", check=False)
ok(r.returncode == 0 and b"Diskominfo Provinsi Bengkulu" in r.stdout,
   "which warta verify finds valid, from the office", r.stdout + r.stderr)
arm = get(f"/v1/bulletins/{tsunami}/armored")
ok(arm.status == 200 and arm.body.decode().strip() == open("tsunami.wb").read().strip(),
   "/armored: the armored bulletin, as warta sign wrote it")
neg = get(f"/v1/bulletins/{tsunami}", headers={"Accept": "application/octet-stream"})
ok(neg.status == 200 and neg.body == raw.body, "Accept: application/octet-stream gives the bytes")
for bad, code in [("abc", 400), ("g" * 64, 400), (tsunami[:-1], 400), ("0" * 64, 404),
                  (tsunami + "/nope", 404)]:
    a = get(f"/v1/bulletins/{bad}")
    if a.status != code:
        ok(False, f"/v1/bulletins/{bad[:20]}: {code}", f"got {a.status}")
        break
else:
    ok(True, "a malformed id is a 400, an unknown one a 404")

# ---- status: one rule (keys/status.c), the same on every surface ----
st = get(f"/v1/bulletins/{tsunami}/status").json()
ok(st["status"] == "corrected" and [c["id"] for c in st["corrections"]] == [fix],
   "the tsunami notice is corrected, by the province's correction", st)
ok([t["id"] for t in st["translations"]] == [english], "its English translation is listed", st)
ok(st.get("trust") == "trusted" and st.get("issuer_office", {}).get("id", st.get("issuer_office"))
   in ("diskominfo-17", None) or "diskominfo-17" in json.dumps(st),
   "trusted, issued by diskominfo-17", st)
ok(get(f"/v1/bulletins/{pdam}/status").json()["status"] == "in_force",
   "the city's notice is in force")


def pubkey(name):
    return re.search(r"wpk1[A-Za-z0-9_-]+", open(name + ".pub").read()).group(0)


path = get(f"/v1/bulletins/{pdam}/status").json()["issuer_office"]["delegation_path"]
ok(path == [pubkey("bengkulu"), pubkey("ministry"), "root version 1"],
   "its office's delegation path: the province, the ministry, the root", path)
# The province may delegate, and the city is within it: its withdrawal counts.
first_cp = 8
ok(wait_for(10, lambda: checkpoint_size() == first_cp),
   f"the node checkpoints its log of {first_cp} (wartad -C 500)", checkpoint_size())
withdraw = sign("bengkulu", "withdraw.wb", "--kind", "withdrawal", "--subject", pdam,
                "--region", "17.71", "--verdict", "DISINFORMASI",
                "--title", "[DISINFORMASI] Ditarik: air PDAM sudah diuji bersih")
publish("withdraw.wb")
ok(wait_for(5, lambda: get(f"/v1/bulletins/{pdam}/status").json()["status"] == "withdrawn"),
   "a withdrawal published at the node: within moments the status says withdrawn")
st = get(f"/v1/bulletins/{pdam}/status").json()
ok([x["id"] for x in st["withdrawals"]] == [withdraw], "naming the withdrawal", st)
ok(get(f"/v1/bulletins/{withdraw}").status == 200, "which is itself served")

# ---- verify: the verdict warta verify gives ----


def verify_both(path, body):
    a = request("POST", "/v1/verify", body=body, headers={"Content-Type":
                                                           "application/octet-stream"})
    cli = run(WARTA, "verify", path, "--roster", "root.wrb", "--node", "n1", check=False)
    return a, cli


cases = [("tsunami.wb", open("tsunami.wb", "rb").read(), "valid", 0),
         ("rogue.wb", open("rogue.wb", "rb").read(), "untrusted", 5)]
b = bytearray(armored_bytes("tsunami.wb"))
b[b.index(b"Tsunami")] ^= 0x20
open("altered.bin", "wb").write(bytes(b))
cases.append(("altered.bin", bytes(b), "bad_signature", 1))
open("junk.txt", "w").write("not a bulletin at all\n")
cases.append(("junk.txt", b"not a bulletin at all\n", "malformed", 3))
for path, body, want, code in cases:
    a, cli = verify_both(path, body)
    result = a.json().get("result") if a.status == 200 else None
    same_exit = cli.returncode == 0 if want == "valid" else cli.returncode != 0
    ok(a.status == 200 and result == want and same_exit and
       (code is None or cli.returncode == code),
       f"POST /v1/verify {path}: {want}, as warta verify says (exit {cli.returncode})",
       a.body[:300])
a = request("POST", "/v1/verify", body=open("tsunami.wb", "rb").read())
ok("Diskominfo Provinsi Bengkulu" in a.body.decode(), "a valid one names the office", a.body)
a = request("POST", "/v1/verify", body=b"x" * (300 << 10))
ok(a.status == 413, "a body over 256 KiB: 413", a.status)
a = request("POST", "/v1/verify", body=b"")
ok(a.status == 200 and a.json().get("result") == "malformed" and not a.json()["valid"],
   "an empty body: malformed", a.body)
a = request("GET", "/v1/verify")
ok(a.status in (400, 405) and b"error" in a.body, "GET /v1/verify: an error, not a crash",
   a.status)

# ---- the roster, offices, issuers, the signed log ----
offices = get("/v1/offices").json()
names = json.dumps(offices)
ok("Diskominfo Provinsi Bengkulu" in names and "diskominfo-1771" in names,
   "/v1/offices: every office of the roster", names[:300])
issuers = get("/v1/issuers")
ok(issuers.status == 200 and "diskominfo-17" in issuers.body.decode(), "/v1/issuers")
ok(get("/v1/roster").status == 200 and get("/v1/roster/armored").status == 200,
   "/v1/roster and /v1/roster/armored")
total_log = max(b["arrival"] for b in get("/v1/bulletins?limit=1").json()["bulletins"]) + 1



ok(wait_for(10, lambda: checkpoint_size() == total_log),
   f"/v1/checkpoint: the node's latest signed checkpoint, of its whole log ({total_log})",
   checkpoint_size())
size = total_log
inc = get(f"/v1/proofs/inclusion?id={tsunami}&size={size}")
ok(inc.status == 200 and inc.body, f"an inclusion proof of the tsunami notice in a log of {size}",
   inc.body[:200])
ok(get(f"/v1/proofs/inclusion?id={tsunami}&size=100000").status in (400, 404, 409),
   "in a log larger than the node's: an error")
ok(get("/v1/proofs/inclusion?id=zz&size=1").status == 400, "a bad id: 400")
con = get(f"/v1/proofs/consistency?from={first_cp}&to={size}")
ok(con.status == 200 and con.body, f"a consistency proof from the checkpoint of {first_cp} to "
   f"that of {size}", con.body[:200])
ok(get(f"/v1/proofs/consistency?from={size}&to={first_cp}").status == 400, "backwards: 400")
ok(get(f"/v1/proofs/consistency?from={first_cp}&to={size + 1000}").status == 404,
   "to a size the node never checkpointed: 404")
spec = get("/v1/openapi.json")
ok(spec.status == 200 and spec.json() == SPEC, "/v1/openapi.json is the document in the tree")
ok(get("/v1/nothing").status == 404 and get("/elsewhere").status == 404,
   "an unknown address: 404")
pre = request("OPTIONS", "/v1/verify", spec=False)
ok(pre.status == 204 and pre.header("access-control-allow-origin") == "*",
   "a CORS preflight: 204, any origin (every answer is public)")

# ---- the page ----
page = get(f"/b/{tsunami}")
html = page.body.decode()
ok(page.status == 200 and "text/html" in page.header("content-type"), "/b/ID: a page")
ok("Telah dikoreksi" in html and "Diskominfo Provinsi Bengkulu" in html and
   "Ditandatangani oleh" in html, "in Indonesian by default: corrected, signed by the province")
en = get(f"/b/{tsunami}?lang=en").body.decode()
ok("Corrected" in en and "Signed by" in en, "?lang=en: in English")
ok("Signed by" in get(f"/b/{tsunami}", headers={"Accept-Language": "en-GB,en;q=0.8"})
   .body.decode(), "Accept-Language: en gives English")
ok("Signed by" in get(f"/b/{tsunami}", headers={"Accept-Language": "id;q=0.5, en;q=0.9"})
   .body.decode() and "Ditandatangani" in get(f"/b/{tsunami}", headers={
       "Accept-Language": "en;q=0.5, id-ID;q=0.9"}).body.decode(),
   "the language with the higher q-value wins")
m = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
cr = json.loads(m.group(1)) if m else {}
ok(cr.get("@type") == "ClaimReview" and
   cr.get("url") == f"https://warta.example.go.id/b/{tsunami}",
   "its ClaimReview's url is the page's own address (--base-url)", cr)
m = re.search(r'<pre id="bulletin">(.*?)</pre>', html, re.S)
armored = html_lib.unescape(m.group(1)) if m else ""
ok(armored.strip() == open("tsunami.wb").read().strip(),
   "the signed bulletin is on the page, to check from the page alone")
# A hostile text in a trusted bulletin stays text: escaped in the page, in its tags and in the
# JSON-LD (a "</script>" in a title must not end the script element).
nasty = '[HOAKS] </script><script>alert(1)</script> "quoted" & <b>bold</b>'
evil = sign("bengkulu", "evil.wb", "--region", "17", "--verdict", "HOAKS", "--title", nasty,
            "--claim", '"><img src=x onerror=alert(2)>')
publish("evil.wb")
wait_for(5, lambda: get(f"/b/{evil}").status == 200)
ehtml = get(f"/b/{evil}").body.decode()
m = re.search(r'<script type="application/ld\+json">(.*?)</script>', ehtml, re.S)
ld = json.loads(m.group(1)) if m else {}


def strings(v):
    if isinstance(v, dict):
        return [x for w in v.values() for x in strings(w)]
    if isinstance(v, list):
        return [x for w in v for x in strings(w)]
    return [v] if isinstance(v, str) else []


ok("<script>alert" not in ehtml and "<img src=x" not in ehtml and
   "&lt;/script&gt;" in ehtml and nasty in strings(ld),
   "a title with markup in it: escaped on the page, intact in the JSON-LD", m.group(1)[:300]
   if m else ehtml[:300])
ok(re.search(r'<meta property="og:title" content="[^"<>]*">', ehtml) is not None,
   "and in its OpenGraph title")
withdrawn_page = get(f"/b/{pdam}?lang=en").body.decode()
ok("Withdrawn" in withdrawn_page, "the withdrawn notice's page says so")
for bad in ["0" * 64, "abc", "../../etc/passwd", "%00"]:
    a = get("/b/" + bad)
    if a.status not in (400, 404) or "text/html" not in (a.header("content-type") or ""):
        ok(False, f"/b/{bad}: an error page", a.status)
        break
else:
    ok(True, "an unknown or malformed id: an error page, not a crash")
ok(get("/").status == 200, "/ answers")

# ---- the live feed ----


class Feed:
    """An SSE client: the fields of each event read (http.client undoes the chunking)."""

    def __init__(self, query="", last=None):
        self.c = http.client.HTTPConnection(HOST, PORT, timeout=10)
        h = {"Accept": "text/event-stream"}
        if last is not None:
            h["Last-Event-ID"] = str(last)
        self.c.request("GET", "/v1/feed" + query, headers=h)
        self.r = None
        self.retry = None

    def head(self):
        self.r = self.c.getresponse()
        return self.r.status

    def event(self):
        """The next event; a retry: alone is noted and skipped, comments are skipped."""
        ev = {}
        while True:
            line = self.r.readline()
            if not line:
                raise EOFError
            line = line.rstrip(b"\r\n")
            if line == b"":
                if set(ev) == {"retry"}:
                    self.retry = int(ev.pop("retry"))
                if ev:
                    return ev
                continue
            if line.startswith(b":"):
                continue
            k, _, v = line.decode().partition(":")
            ev[k] = v[1:] if v.startswith(" ") else v

    def close(self):
        self.c.close()


def read_until_live(f):
    got = []
    while True:
        ev = f.event()
        if ev.get("event") == "live":
            return got, json.loads(ev["data"])
        if ev.get("event") == "bulletin":
            got.append((int(ev["id"]), json.loads(ev["data"])["id"]))


f = Feed("?after=0")
ok(f.head() == 200, "/v1/feed: an event stream")

got, live = read_until_live(f)
ok(f.retry == 2000, "it first tells EventSource to come back within 2 s of a cut")
stored = sorted((b["arrival"], b["id"]) for b in get("/v1/bulletins?limit=500").json()["bulletins"])
ok(got == [x for x in stored if x[0] > 0], "after=0: every stored bulletin after arrival 0, "
   "in arrival order, then `live`", (got, stored))
late0 = sign("kota", "late0.wb", "--region", "17.71", "--verdict", "HOAKS",
             "--title", "[HOAKS] Jembatan putus")
publish("late0.wb")
ev = None
try:
    ev = f.event()
except (EOFError, socket.timeout):
    pass
ok(ev is not None and ev.get("event") == "bulletin" and int(ev["id"]) == live["next"] and
   json.loads(ev["data"])["id"] == late0,
   "a bulletin that arrives later is pushed at once, numbered next", ev)
f.close()
ok(Feed("?after=zz").head() == 400, "a bad after=: 400")

# Exactly once, in arrival order, across random disconnects, while the node takes in more:
# a second node, with no roster (nettool's issuers are random keys), and its own gateway.
procs.append(subprocess.Popen([WARTAD, "-d", "n2", "-P", "pass", "-N", "n2", "-l",
                               f"ipc://{WORK}/n2.sock"], env=ENV, stderr=node_log))
wait_for(20, lambda: run(WARTA, "status", "--node", "n2", check=False).returncode == 0)
gw1_port = PORT
gw2, PORT, line = start_gateway(node="n2")
gw2_port = PORT
ok(PORT is not None, "a second gateway, on a node that enforces no roster", line)
rng = random.Random(13)
pub = subprocess.Popen([NETTOOL, "publish", "n2", "8", "300", "800"], env=ENV,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
procs.append(pub)
received, last, reconnects = [], 0, 0
deadline = time.time() + 90
while time.time() < deadline:
    f = Feed(last=last)
    if f.head() != 200:
        break
    reconnects += 1
    quota = rng.randint(1, 40)
    try:
        while quota > 0:
            ev = f.event()
            if ev.get("event") == "bulletin":
                received.append(int(ev["id"]))
                last = int(ev["id"])
                quota -= 1
            elif ev.get("event") == "live" and pub.poll() is not None:
                quota = 0
                deadline = 0
    except (EOFError, socket.timeout):
        pass
    f.close()
pub.wait()
all_n2 = sorted(b["arrival"] for b in get("/v1/bulletins?limit=500").json()["bulletins"])
ok(len(all_n2) >= 100 and received == [a for a in all_n2 if a > 0],
   f"resumed {reconnects} times by Last-Event-ID while {len(all_n2)} bulletins arrived: each "
   "exactly once, in arrival order", (len(received), len(all_n2), received[:20]))
for region in ["17", "94"]:
    f = Feed(f"?region={region}")
    f.head()
    got, _ = read_until_live(f)
    f.close()
    want = sorted((b["arrival"], b["id"]) for b in
                  get(f"/v1/bulletins?region={region}&limit=500").json()["bulletins"])
    ok(got == want, f"a feed filtered to region {region}: the {len(want)} bulletins the list "
       "gives, then `live`", (len(got), len(want)))
trusted = get("/v1/bulletins?limit=1").json()["bulletins"][0]
ok(get(f"/v1/bulletins/{trusted['id']}/status").json()["trust"] != "trusted",
   "a bulletin of a key the roster does not know is served, but never as trusted")
# A consumer that stops reading holds nothing: events are read from the store as it takes
# them, and once nothing moves for --timeout it is cut off (it resumes from its last id).
# Big bulletins, so that what is stored is more than the sockets' buffers hold.
big = run(NETTOOL, "publish", "n2", "9", "200", "60000", check=False)
gw3, PORT, line = start_gateway("--timeout", "2", node="n2")
stuck = socket.socket()
stuck.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
stuck.connect((HOST, PORT))
stuck.sendall(b"GET /v1/feed HTTP/1.1\r\nHost: x\r\n\r\n")
time.sleep(6)
stuck.settimeout(5)
got, closed = 0, False
try:
    while True:
        chunk = stuck.recv(65536)
        if not chunk:
            closed = True
            break
        got += len(chunk)
except socket.timeout:
    pass
stuck.close()
ok(big.returncode == 0 and closed and got < 200 * 60000,
   f"a feed that stops reading is cut off after --timeout, having been sent {got} bytes of "
   f"more than {200 * 60000}", (big.returncode, closed, got))
ok(gw3.poll() is None and get("/v1/bulletins?limit=1", spec=False).status == 200,
   "and the gateway serves on")
gw3.terminate()
gw3.wait(timeout=10)
PORT = gw2_port
gw2.terminate()
ok(gw2.wait(timeout=10) == 0, "SIGTERM: the gateway stops cleanly")
PORT = gw1_port

# ---- hostile clients: an error or a cut-off, never a stall; the store untouched ----


def raw_exchange(data, wait=5):
    s = socket.create_connection((HOST, PORT), timeout=wait)
    try:
        s.sendall(data)
        out = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            out += chunk
            if b"\r\n\r\n" in out and len(out) > 12:
                break
    except (socket.timeout, ConnectionResetError, BrokenPipeError):
        pass
    s.close()
    return out


def alive():
    try:
        return get("/v1/bulletins?limit=1", spec=False).status == 200
    except OSError:
        return False


out = raw_exchange(b"GET /v1/bulletins HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 200000 +
                   b"\r\n\r\n")
ok(out == b"" or re.match(rb"HTTP/1\.[01] (400|413|431)", out), "a 200 KB header: refused",
   out[:100])
out = raw_exchange(b"FROB /\x00\xff HTTP/9\r\n\r\n")
ok(out == b"" or re.match(rb"HTTP/1\.[01] [45]\d\d", out), "a garbage request line: an error",
   out[:100])
out = raw_exchange(b"POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n")
ok(out == b"" or re.match(rb"HTTP/1\.[01] (400|413)", out), "a body announced at 100 GB: refused",
   out[:100])
ok(alive(), "the gateway still answers")

# Slow senders and a crowd of idle connections do not stop others being served.
crowd = []
for i in range(1000):
    try:
        s = socket.create_connection((HOST, PORT), timeout=5)
        s.sendall(b"GET /v1/bulletins HTTP/1.1\r\nHost: x\r\n")  # never finished
        crowd.append(s)
    except OSError:
        break
t = time.time()
served = alive()
ok(len(crowd) == 1000 and served,
   f"with 1000 connections open and unfinished, a request is served "
   f"({time.time() - t:.2f} s)", len(crowd))
feeds = []
for i in range(200):
    try:
        f = Feed()
        feeds.append(f)
    except OSError:
        break
ok(len(feeds) == 200 and alive(), "and with 200 feeds open too")
# Ingest goes on meanwhile: the node takes a bulletin and the feeds get it.
late = sign("bengkulu", "late.wb", "--region", "17", "--verdict", "HOAKS",
            "--title", "[HOAKS] Kabar susulan")
t = time.time()
r = publish("late.wb")
ok(r.returncode == 0, f"the node accepts a bulletin meanwhile ({time.time() - t:.2f} s)",
   r.stderr)
hits = 0
for f in feeds[:20]:
    try:
        f.head()
        while True:
            ev = f.event()
            if ev.get("event") == "bulletin" and json.loads(ev["data"])["id"] == late:
                hits += 1
                break
    except (EOFError, socket.timeout, ValueError):
        pass
ok(hits == 20, f"and open feeds receive it ({hits} of 20 checked)")
for s in crowd:
    s.close()
for f in feeds:
    f.close()
ok(wait_for(10, alive), "after the crowd leaves, it serves as before")
ok(gw.poll() is None, "warta-gateway never stopped")

# ---- early warnings: urgent notices as CAP 1.2 alerts in an Atom feed (PROTOCOL.md §25) ----
CAP_XSD = os.path.join(ROOT, "..", "shared", "data", "schemas", "CAP-v1.2.xsd")
ATOM, CAPNS = "{http://www.w3.org/2005/Atom}", "{urn:oasis:names:tc:emergency:cap:1.2}"
quake = sign("bengkulu", "quake.wb", "--region", "17", "--verdict", "HOAKS", "--priority",
             "urgent", "--title", "[HOAKS] Gempa M9 & tsunami <malam ini> di Bengkulu",
             "--claim", "Pesan berantai: gempa M9 akan terjadi malam ini.",
             "--explanation", "Faktanya, gempa tidak dapat diprediksi. BMKG tidak mengeluarkan "
             "peringatan.")
quake_en = sign("bengkulu", "quake-en.wb", "--region", "17", "--verdict", "HOAX", "--language",
                "en", "--priority", "urgent", "--translation-of", quake,
                "--title", "[HOAX] An M9 earthquake and tsunami tonight in Bengkulu")
quake_fix = sign("bengkulu", "quake-fix.wb", "--kind", "correction", "--subject", quake,
                 "--region", "17", "--verdict", "HOAKS",
                 "--title", "[HOAKS] Gempa M9 di Bengkulu (koreksi: tautan BMKG)")
flood = sign("kota", "flood.wb", "--region", "17.71", "--verdict", "HOAKS", "--priority",
             "urgent", "--title", "[HOAKS] Bendungan jebol di Kota Bengkulu")
flood_off = sign("bengkulu", "flood-off.wb", "--kind", "withdrawal", "--subject", flood,
                 "--region", "17.71", "--verdict", "HOAKS",
                 "--title", "Ditarik: bendungan diperiksa, aman")
rogue_urgent = sign("rogue", "rogue-urgent.wb", "--region", "17", "--verdict", "HOAKS",
                    "--priority", "urgent", "--title", "[HOAKS] Palsu dan mendesak")
for f in ["quake.wb", "quake-en.wb", "quake-fix.wb", "flood.wb", "flood-off.wb", "rogue-urgent.wb"]:
    publish(f)
ok(wait_for(10, lambda: get(f"/v1/bulletins/{flood}/status").json().get("status") == "withdrawn"),
   "urgent notices, a translation, a correction and a withdrawal are stored")
feed = get("/v1/alerts")
ok(feed.status == 200 and feed.header("content-type").startswith("application/atom+xml"),
   "GET /v1/alerts: an Atom feed", feed.status)
import xml.etree.ElementTree as ET
try:
    root_el = ET.fromstring(feed.body)
except ET.ParseError as e:
    root_el = ET.Element("none")
    ok(False, "the Atom feed is well-formed XML", e)
entries = {e.findtext(ATOM + "id").rsplit(":", 1)[-1]: e for e in root_el.findall(ATOM + "entry")}
types = {i: e.find(ATOM + "category").get("term") for i, e in entries.items()}
ok(types == {quake: "Alert", quake_fix: "Update", flood: "Alert", flood_off: "Cancel"},
   "its entries: the urgent notices (Alert), the correction (Update) and the withdrawal "
   "(Cancel) that count; not the translation, the normal notices nor the untrusted key", types)
ok(all(root_el.findtext(ATOM + t) for t in ["id", "title", "updated"]) and
   all(e.findtext(ATOM + "title") and e.findtext(ATOM + "updated") and
       e.find(ATOM + "author/" + ATOM + "name") is not None for e in entries.values()),
   "the feed and each entry have the id, title, updated and author Atom requires")
ok(entries.get(quake) is not None and entries[quake].findtext(ATOM + "author/" + ATOM + "name")
   == "Diskominfo Provinsi Bengkulu" and "<malam ini>" in entries[quake].findtext(ATOM + "title"),
   "an entry's author is the office the roster names; markup in a title stays text")
xmllint = shutil.which("xmllint")
have_xsd = os.path.exists(CAP_XSD) and xmllint is not None
alerts = {}
for bid, e in entries.items():
    link = [l.get("href") for l in e.findall(ATOM + "link") if l.get("type") == "application/cap+xml"]
    # (absolute, at --base-url: asked here by its path)
    a = get(urllib.parse.urlsplit(link[0]).path) if link else None
    if a is None or a.status != 200 or not a.header("content-type").startswith("application/cap+xml"):
        ok(False, f"the entry's CAP link answers ({bid[:8]})", a and a.status)
        continue
    alerts[bid] = ET.fromstring(a.body)
    open(f"alert-{bid}.xml", "wb").write(a.body)
    if have_xsd:
        r = subprocess.run([xmllint, "--noout", "--schema", CAP_XSD, f"alert-{bid}.xml"],
                           capture_output=True, text=True)
        ok(r.returncode == 0, f"CAP alert {bid[:8]} ({types[bid]}) is valid against the CAP 1.2 "
           "schema", r.stderr)
if not have_xsd:
    print("# the CAP 1.2 schema (../shared/data/schemas) or xmllint is absent: schema checks "
          "skipped")
ok(len(alerts) == 4, f"each entry links to its CAP alert ({len(alerts)} of 4)")


def cap(bid, path):
    el = alerts.get(bid)
    """The texts of the alert's elements at path (CAP's namespace on each step)."""
    if el is None:
        return []
    return [x.text for x in el.iterfind(CAPNS + path.replace("/", "/" + CAPNS))]


q = alerts.get(quake)
ok(cap(quake, "identifier") == [quake] and cap(quake, "msgType") == ["Alert"] and
   cap(quake, "sender") == [pubkey("bengkulu")] and cap(quake, "status") == ["Actual"] and
   cap(quake, "scope") == ["Public"],
   "the quake alert: identifier = bulletin id, sender = the issuer key, Actual, Public")
sent = cap(quake, "sent")
ok(sent and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", sent[0]),
   "sent in CAP's form (seconds, +00:00, no Z)", sent)
ok(cap(quake, "info/language") == ["id", "en"] and
   cap(quake, "info/headline")[1] == "[HOAX] An M9 earthquake and tsunami tonight in Bengkulu",
   "one info per language: the notice's, then its translation's", cap(quake, "info/language"))
ok(cap(quake, "info/area/geocode/value") == ["17", "17"] and
   cap(quake, "info/area/geocode/valueName")[0] == "kemendagri",
   "the Kemendagri region code as geocode", cap(quake, "info/area/geocode/value"))
ok(cap(quake, "info/senderName")[0] == "Diskominfo Provinsi Bengkulu" and
   cap(quake, "info/urgency")[0] == "Immediate" and
   cap(quake, "info/web")[0].endswith(f"/b/{quake}"),
   "senderName the office, urgency Immediate, web the bulletin's page")
ok(cap(quake_fix, "msgType") == ["Update"] and
   cap(quake_fix, "references") == [f"{pubkey('bengkulu')},{quake},{sent[0] if sent else ''}"],
   "the correction: Update, referencing the alert as sender,identifier,sent",
   cap(quake_fix, "references"))
ok(cap(flood_off, "msgType") == ["Cancel"] and cap(flood_off, "references") and
   cap(flood_off, "references")[0].startswith(f"{pubkey('kota')},{flood},"),
   "the province's withdrawal of the city's alert: Cancel, referencing the city's alert",
   cap(flood_off, "references"))
a = get(f"/v1/alerts/{tsunami}")
ok(a.status == 404 and a.json()["error"]["code"] == "not_an_alert",
   "a normal notice is not an alert: 404 not_an_alert", a.body[:200])
ok(get(f"/v1/alerts/{rogue_urgent}").status == 404, "nor an urgent notice of a key outside the roster")
ok(get("/v1/alerts/xyz").status == 400, "a malformed id: 400")

# ---- reports and receipts: stored, listed by kind, not notices ----
run(WARTA, "keygen", "-o", "platform.key", "--cost", "interactive", "--passphrase-env", "PP")
run(WARTA, "roster", "delegate", "--network", "root.wrb", "--key", "platform.pub", "--office",
    "platform-x", "--name", "Platform X", "--role", "platform", "--region", "",
    "--valid-from", T0, "-o", "p.draft")
w("roster", "seal", "p.draft", "--key", "ministry.key", "-o", "platform.wrb")
publish("platform.wrb")
report = sign("platform", "report.wb", "--kind", "report", "--region", "17", "--priority",
              "urgent", "--claim", "Pesan berantai: gempa M9 malam ini", "--url",
              "https://wa.example/f/9")
receipt = sign("platform", "receipt.wb", "--kind", "receipt", "--bulletin", quake, "--action",
               "labelled", "--items", "17")
platform_notice = sign("platform", "platform-notice.wb", "--region", "17", "--verdict", "HOAKS",
                       "--title", "[HOAKS] dari platform")
ok(publish("report.wb").returncode == 0 and publish("receipt.wb").returncode == 0,
   "the node takes a platform's report and receipt")
r = publish("platform-notice.wb")
ok(r.returncode != 0 and b"role" in r.stdout + r.stderr,
   "and refuses a clarification signed by the platform's key (its role)", r.stdout + r.stderr)
ok(wait_for(10, lambda: [b["id"] for b in get("/v1/bulletins?kind=report").json()["bulletins"]]
            == [report]), "GET /v1/bulletins?kind=report lists the report")
items = get("/v1/bulletins?kind=receipt").json()["bulletins"]
ok([(b["id"], b["bulletin"], b["action"], b["items"]) for b in items] == [(receipt, quake, "labelled", 17)],
   "and ?kind=receipt the receipt, with the bulletin it acted on", items)
listed = [b["id"] for b in get("/v1/bulletins?limit=500").json()["bulletins"]]
ok(report not in listed and receipt not in listed, "the default list stays notices only")
a = get(f"/v1/bulletins/{report}/status")
ok(a.status == 404 and a.json()["error"]["code"] == "not_a_notice", "a report has no status")
ok(get(f"/v1/bulletins/{quake}/status").json()["status"] == "corrected",
   "a receipt naming a notice changes nothing of its status")
v = request("POST", "/v1/verify", body=open("report.wb", "rb").read()).json()
ok(v["result"] == "valid" and v["issuer_office"]["office"] == "platform-x",
   "POST /v1/verify of the report names the platform", v)

# The report feed: what an office or a platform's matcher follows live.
f = Feed("?kind=report&after=0")
got, live = read_until_live(f) if f.head() == 200 else ([], None)
ok([i for _, i in got] == [report], "GET /v1/feed?kind=report: the reports stored so far, then live",
   got)
# (by the city's office: the platform's chain waits at the clarification the node refused)
later = sign("kota", "report2.wb", "--kind", "report", "--region", "17.71", "--claim",
             "Pesan berantai: air PDAM beracun", "--content-sha256", "ab" * 32)
notice = sign("kota", "notice-between.wb", "--region", "17.71", "--verdict", "HOAKS",
              "--title", "[HOAKS] Bukan laporan")
publish("notice-between.wb")
publish("report2.wb")
ev = None
try:
    ev = f.event()
except (EOFError, socket.timeout):
    pass
ok(ev is not None and ev.get("event") == "bulletin" and json.loads(ev["data"])["id"] == later and
   json.loads(ev["data"])["content_sha256"] == "ab" * 32,
   "a new report is pushed at once, with its content hash; the notice between is not", repr(ev))
f.close()

# ---- /v1/stats: what warta stats --json answers ----
st = get("/v1/stats")
cli = json.loads(run(WARTA, "stats", "--roster", "root.wrb", "--node", "n1", "--json").stdout or "{}")
same = st.status == 200 and {k: v for k, v in st.json().items() if k != "at"} == \
    {k: v for k, v in cli.items() if k != "at"}
ok(same, "GET /v1/stats gives the figures warta stats --json gives", (st.body[:300], cli))
ok(st.status == 200 and st.json()["reports"]["total"] == 2 and st.json()["receipts"]["total"] == 1,
   "counting the platform's report and receipt")

problems = "\n".join(f"{w_}: {p}" for w_, p in nonconforming)
ok(not nonconforming, f"every answer above matches gateway/openapi.json "
   f"({len(nonconforming)} do not)", problems)

r = run(WARTA, "audit", "--node", "n1", check=False)
ok(r.returncode == 0, "warta audit: the node's signed log is intact", r.stdout + r.stderr)
ok(run(WARTA, "verify", "tsunami.wb", "--roster", "root.wrb", "--node", "n1",
       check=False).returncode == 0, "and what was stored verifies as before")
gw.terminate()
ok(gw.wait(timeout=10) == 0, "SIGTERM with feeds just closed: warta-gateway stops cleanly")
finish()
