#!/usr/bin/python3
"""loop.py - the collaboration loop in the browser: two nodes that gossip (n1, where Diskominfo
Provinsi Bengkulu works, and n2, with a gateway), a platform's report of a claim in Bengkulu;
then loop.mjs, in Debian's Chromium, has the office see the report in its desk (warta desk on
n1), compose and sign the answer there, finds the answer's page on the other node's gateway
naming the report, has the platform act on it, and finds the receipt on that gateway's
dashboard and back in the office's desk. Prints TAP; skipped as browser.py is.

usage: loop.py WARTA WARTAD WARTA_GATEWAY NODE SOURCE_ROOT SHOTS_DIR"""
import json
import subprocess
import os
import re
import sys
import tempfile
import time

from harness import Harness

WARTA, WARTAD, GATEWAY = (os.path.realpath(a) for a in sys.argv[1:4])
NODE, ROOT, SHOTS = sys.argv[4], os.path.realpath(sys.argv[5]), os.path.realpath(sys.argv[6])
ENV = dict(os.environ, PP="office", LC_ALL="C.UTF-8")
H = Harness(NODE, ROOT, ENV)
H.work = WORK = tempfile.mkdtemp(prefix="wloop-")
os.chdir(WORK)


def w(*args):
    return H.run(WARTA, *args, "--passphrase-env", "PP")


T0 = "2026-01-01T00:00:00Z"
for k in ["root", "ministry", "bengkulu", "platform"]:
    H.run(WARTA, "keygen", "-o", k + ".key", "--cost", "interactive", "--passphrase-env", "PP")
H.run(WARTA, "roster", "init", "--key", "root.pub", "--threshold", "1", "--valid-from", T0,
      "-o", "root.draft")
w("roster", "seal", "root.draft", "--key", "root.key", "-o", "root.wrb")


def delegate(key, office, name, role, region, by, *extra):
    H.run(WARTA, "roster", "delegate", "--network", "root.wrb", "--key", key + ".pub", "--office",
          office, "--name", name, "--role", role, "--region", region, "--valid-from", T0,
          *extra, "-o", key + ".draft")
    w("roster", "seal", key + ".draft", "--key", by + ".key", "-o", key + ".wrb")


delegate("ministry", "kemkomdigi", "Kementerian Komunikasi dan Digital", "ministry", "", "root",
         "--may-delegate")
delegate("bengkulu", "diskominfo-17", "Diskominfo Provinsi Bengkulu", "province", "17", "ministry")
delegate("platform", "platform-x", "Platform X", "platform", "", "ministry")
CLAIM = "Beredar pesan berantai: air PDAM Kota Bengkulu tercemar limbah dan berbahaya diminum"
w("sign", "--key", "platform.key", "--kind", "report", "--priority", "urgent", "--region",
  "17.71", "--language", "id", "--claim", CLAIM, "--url", "https://wa.example/forward/pdam",
  "-o", "report.wb")
rid = json.loads(H.run(WARTA, "show", "report.wb").stdout)["id"]

open("pass", "w").write("node passphrase for tests\n")
keys = {n: H.run(WARTAD, "-d", n, "-P", "pass", "-k").stdout.strip() for n in ["n1", "n2"]}
for me, peer in [("n1", "n2"), ("n2", "n1")]:
    H.start([WARTAD, "-d", me, "-P", "pass", "-N", me, "-l", f"ipc://{WORK}/{me}.sock", "-R",
             "root.wrb", "-p", f"{keys[peer]}@ipc://{WORK}/{peer}.sock"],
            stderr=open(me + ".log", "w"))
end = time.time() + 20
while time.time() < end and any(subprocess.run([WARTA, "status", "--node", n], env=ENV,
                                               capture_output=True).returncode for n in keys):
    time.sleep(0.2)
for f in ["root", "ministry", "bengkulu", "platform"]:
    H.run(WARTA, "publish", f + ".wrb", "--node", "n1")
H.ok(H.run(WARTA, "publish", "report.wb", "--node", "n1").returncode == 0,
     "the platform's report is stored at n1")

gw = H.start([GATEWAY, "--roster", "root.wrb", "--node", "n2", "--listen", "127.0.0.1:0"],
             stderr=subprocess.PIPE, text=True)
m = re.search(r"http://127\.0\.0\.1:(\d+)/", gw.stderr.readline())
if not H.ok(m is not None, "warta-gateway serves n2's store"):
    H.finish()
gateway = f"http://127.0.0.1:{m.group(1)}"
desk = H.start([WARTA, "desk", "--key", "bengkulu.key", "--roster", "root.wrb", "--node", "n1",
                "--listen", "127.0.0.1:0", "--gateway", gateway],
               stdout=subprocess.PIPE, text=True)
line = desk.stdout.readline()
m = re.search(r"(http://127\.0\.0\.1:\d+/#k=[0-9a-f]+)", line)
if not H.ok(m is not None, "warta desk serves the office's desk on loopback", line):
    H.finish()

plan = {
    "shots": H.shots_dir(SHOTS), "desk": m.group(1), "gateway": gateway, "report": rid,
    "claim": CLAIM, "office_name": "Diskominfo Provinsi Bengkulu", "platform_name": "Platform X",
    "warta": WARTA, "work": WORK,
}
H.browse("loop.mjs", plan, 20)
shots = sorted(f for f in os.listdir(SHOTS) if f.endswith(".png"))
H.ok(len(shots) >= 7, f"screenshots saved in {SHOTS}: {', '.join(shots)}")
H.finish()
