#!/usr/bin/python3
"""bench_gateway.py - does warta-gateway slow ingest, how soon do feeds hear of a bulletin, and
how fast does it answer?

One node (no roster) takes N bulletins from nettool over its control socket, first with no
gateway, then again while a gateway on its store serves LOADERS clients that ask for pages and
single bulletins without pause and FEEDS open feeds. Then, one client at a time: bulletin
lookups per second against the same server's static document (/v1/openapi.json, from memory),
and POST /v1/verify per second against bare Ed25519 checks of the same bulletin (libsodium,
through python3-nacl) in this process. Printed as ratios and figures within this run. The
clients are Python threads on the same 2 cores as the node and the gateway: delays and rates
are a floor of what the gateway does, and the ingest ratio counts the CPU they take.

usage: bench_gateway.py WARTA WARTAD WARTA_GATEWAY NETTOOL WORKDIR [N] [FEEDS] [LOADERS]
(the stores go in a fresh folder under WORKDIR, removed at the end)"""
import http.client
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

WARTA, WARTAD, GATEWAY, NETTOOL, WORK = (os.path.realpath(a) for a in sys.argv[1:6])
N = int(sys.argv[6]) if len(sys.argv) > 6 else 5000
FEEDS = int(sys.argv[7]) if len(sys.argv) > 7 else 100
LOADERS = int(sys.argv[8]) if len(sys.argv) > 8 else 4
os.makedirs(WORK, exist_ok=True)
WORK = tempfile.mkdtemp(prefix="bench-gateway-", dir=WORK)  # fresh stores each run
os.chdir(WORK)
open("pass", "w").write("bench\n")
procs = []
# The gateway pins a network root: a one-key root is enough (nettool's issuers are not in it).
env = dict(os.environ, PP="bench")
for cmd in (["keygen", "-o", "root.key", "--cost", "interactive", "--passphrase-env", "PP"],
            ["roster", "init", "--key", "root.pub", "--threshold", "1", "-o", "root.draft"],
            ["roster", "seal", "root.draft", "--key", "root.key", "--passphrase-env", "PP",
             "-o", "root.wrb"]):
    subprocess.run([WARTA, *cmd], env=env, capture_output=True, check=True)


def stop():
    for p in procs:
        p.kill()
        p.wait()
    procs.clear()
    shutil.rmtree(WORK, ignore_errors=True)


def node(name):
    log = open(name + ".log", "w")
    procs.append(subprocess.Popen([WARTAD, "-d", name, "-P", "pass", "-N", name, "-l",
                                   f"ipc://{WORK}/{name}.sock"], stderr=log))
    end = time.time() + 20
    while not os.path.exists(f"{name}/control.sock") and time.time() < end:
        time.sleep(0.05)
    time.sleep(0.2)


def ingest(name, seed, on_ack=None):
    """Publish N bulletins; the seconds it took. on_ack(id, t) for each acknowledgement."""
    t = time.monotonic()
    p = subprocess.Popen([NETTOOL, "publish", name, str(seed), str(N), "600"],
                         stdout=subprocess.PIPE, text=True)
    for line in p.stdout:
        if on_ack and line.startswith("acked "):
            on_ack(line[6:].strip(), time.monotonic())
    if p.wait() != 0:
        print(f"nettool publish failed at {name}", file=sys.stderr)
    return time.monotonic() - t


def percentile(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))] if xs else float("nan")


# 1. Alone.
node("alone")
alone = ingest("alone", 3)

# 2. Under load: a gateway, loaders and feeds.
node("busy")
gw = subprocess.Popen([GATEWAY, "--roster", "root.wrb", "--node", "busy", "--listen",
                       "127.0.0.1:0"], stderr=subprocess.PIPE, text=True)
procs.append(gw)
line = gw.stderr.readline()
m = re.search(r":(\d+)/", line)
if m is None:
    print(f"gateway did not start: {line.strip()}", file=sys.stderr)
    stop()
    sys.exit(1)
PORT = int(m.group(1))
done = threading.Event()
served = [0] * LOADERS
acks, heard = {}, []
lock = threading.Lock()


def loader(i):
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    last = None
    while not done.is_set():
        try:
            path = f"/v1/bulletins/{last}" if last and served[i] % 2 else "/v1/bulletins?limit=50"
            c.request("GET", path)
            r = c.getresponse()
            body = r.read()
            if r.status == 200 and last is None:
                ids = re.findall(rb'"id":"([0-9a-f]{64})"', body)
                last = ids[0].decode() if ids else None
            served[i] += 1
        except (OSError, http.client.HTTPException):
            c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)


def feed():
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    c.request("GET", "/v1/feed")  # the node is empty: every event is a new arrival
    r = c.getresponse()
    while not done.is_set():
        line = r.readline()
        if not line:
            return
        if line.startswith(b"data: {\"id\":\""):
            t = time.monotonic()
            with lock:
                heard.append((line[13:77].decode(), t))


threads = [threading.Thread(target=loader, args=(i,), daemon=True) for i in range(LOADERS)]
threads += [threading.Thread(target=feed, daemon=True) for _ in range(FEEDS)]
for t in threads:
    t.start()
time.sleep(1)


def on_ack(i, t):
    acks[i] = t


busy = ingest("busy", 3, on_ack)
end = time.time() + 30  # the feeds catch up
while time.time() < end and len(heard) < N * FEEDS:
    time.sleep(0.1)
done.set()
last_heard, counts = {}, {}  # bulletin -> when its last subscriber had it, and how many did
for i, t in heard:
    last_heard[i] = max(last_heard.get(i, 0), t)
    counts[i] = counts.get(i, 0) + 1
delays = [t - acks[i] for i, t in last_heard.items() if i in acks and counts[i] == FEEDS]


def rate(fn, seconds=2.0):
    n, t = 0, time.monotonic()
    while time.monotonic() - t < seconds:
        fn()
        n += 1
    return n / (time.monotonic() - t)


c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)


def ask(method, path, body=None):
    c.request(method, path, body=body)
    return c.getresponse().read()


one = re.findall(rb'"id":"([0-9a-f]{64})"', ask("GET", "/v1/bulletins?limit=1"))[0].decode()
raw = ask("GET", f"/v1/bulletins/{one}/raw")
lookup_rate = rate(lambda: ask("GET", f"/v1/bulletins/{one}"))
static_rate = rate(lambda: ask("GET", "/v1/openapi.json"))
verify_rate = rate(lambda: ask("POST", "/v1/verify", raw))
try:
    import nacl.signing
    import nacl.exceptions
    # The signature is the last 64 bytes; the signed message is the domain and the bytes
    # before it (docs/PROTOCOL.md §3): a bare check of 64 bytes over as long a message is
    # what a verification costs at least.
    key = nacl.signing.SigningKey.generate()
    signed = key.sign(raw[:-64])
    vk = key.verify_key
    bare_rate = rate(lambda: vk.verify(signed))
except ImportError:
    bare_rate = float("nan")
stop()

print(f"ingest alone: {N / alone:.0f} bulletins/s; with the gateway under load: "
      f"{N / busy:.0f} bulletins/s")
print(f"ingest under load against alone: {alone / busy:.2f} x")
print(f"answered meanwhile: {sum(served)} requests from {LOADERS} clients "
      f"({sum(served) / busy:.0f}/s)")
print(f"feeds: {FEEDS} open, {len(delays)} of {N} bulletins reached every one; node ack -> "
      f"last subscriber: p50 {percentile(delays, 0.5) * 1000:.1f} ms, "
      f"p99 {percentile(delays, 0.99) * 1000:.1f} ms")
print(f"lookups: {lookup_rate:.0f}/s of /v1/bulletins/ID against {static_rate:.0f}/s of the "
      f"static /v1/openapi.json: {lookup_rate / static_rate:.2f} x")
print(f"verify: {verify_rate:.0f}/s of POST /v1/verify against {bare_rate:.0f}/s bare Ed25519 "
      f"checks: {verify_rate / bare_rate:.2f} x")
# A figure that could not be measured fails the run (the smoke test in the suite relies on it).
sys.exit(0 if delays and bare_rate == bare_rate and len(delays) == N else 1)
