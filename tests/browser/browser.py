#!/usr/bin/python3
"""browser.py - the browser tests: a node enforcing a roster (a root of three holders, the
ministry, Diskominfo Provinsi Bengkulu), a clarification and a key outside the roster, the
node's gateway; then pages.mjs drives Debian's Chromium through the verification page (served,
and saved to disk and opened offline) and a bulletin page across its withdrawal, and saves
screenshots. Prints TAP; skipped when Chromium, Node.js or playwright-core is missing.

usage: browser.py WARTA WARTAD WARTA_GATEWAY NODE SOURCE_ROOT SHOTS_DIR"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time

from harness import Harness

WARTA, WARTAD, GATEWAY = (os.path.realpath(a) for a in sys.argv[1:4])
NODE, ROOT, SHOTS = sys.argv[4], os.path.realpath(sys.argv[5]), os.path.realpath(sys.argv[6])
ENV = dict(os.environ, PP="office", LC_ALL="C.UTF-8")
H = Harness(NODE, ROOT, ENV)
ok, run, finish = H.ok, H.run, H.finish
H.work = WORK = tempfile.mkdtemp(prefix="wbrowser-")
os.chdir(WORK)
procs = H.procs


def w(*args):
    return run(WARTA, *args, "--passphrase-env", "PP")


T0 = "2026-01-01T00:00:00Z"
for k in ["root1", "root2", "root3", "ministry", "bengkulu", "rogue"]:
    run(WARTA, "keygen", "-o", k + ".key", "--cost", "interactive", "--passphrase-env", "PP")
run(WARTA, "roster", "init", "--key", "root1.pub", "--key", "root2.pub", "--key", "root3.pub",
    "--threshold", "2", "--valid-from", T0, "-o", "root.draft")
w("roster", "sign", "root.draft", "--key", "root2.key")
w("roster", "seal", "root.draft", "--key", "root1.key", "-o", "root.wrb")
MINISTRY, OFFICE = "Kementerian Komunikasi dan Digital", "Diskominfo Provinsi Bengkulu"
run(WARTA, "roster", "delegate", "--network", "root.wrb", "--key", "ministry.pub", "--office",
    "kemkomdigi", "--name", MINISTRY, "--role", "ministry", "--region", "", "--may-delegate",
    "--valid-from", T0, "-o", "m.draft")
w("roster", "sign", "m.draft", "--key", "root2.key")
w("roster", "sign", "m.draft", "--key", "root3.key")
w("roster", "seal", "m.draft", "--key", "ministry.key", "-o", "ministry.wrb")
run(WARTA, "roster", "delegate", "--network", "root.wrb", "--key", "bengkulu.pub", "--office",
    "diskominfo-17", "--name", OFFICE, "--role", "province", "--region", "17", "--valid-from",
    T0, "-o", "b.draft")
w("roster", "seal", "b.draft", "--key", "ministry.key", "-o", "bengkulu.wrb")
fields = ["--region", "17", "--verdict", "HOAKS",
          "--title", "[HOAKS] Tsunami akan melanda Kota Bengkulu malam ini",
          "--claim", "Pesan berantai: tsunami setinggi 10 meter akan melanda malam ini.",
          "--explanation", "Faktanya, BMKG tidak mengeluarkan peringatan tsunami.",
          "--reference", "https://www.bmkg.go.id/"]
w("sign", "--key", "bengkulu.key", "-o", "tsunami.wb", *fields)
w("sign", "--key", "rogue.key", "-o", "rogue.wb", *fields)
bid = json.loads(run(WARTA, "show", "tsunami.wb").stdout)["id"]
w("sign", "--key", "bengkulu.key", "-o", "withdraw.wb", "--kind", "withdrawal", "--subject", bid,
  "--region", "17", "--verdict", "KLARIFIKASI", "--title", "Penarikan: buletin tsunami")
issuer_key = open("bengkulu.pub").read().strip()

open("pass", "w").write("node passphrase for tests\n")
sock = f"ipc://{WORK}/n1.sock"
procs.append(subprocess.Popen([WARTAD, "-d", "n1", "-P", "pass", "-N", "n1", "-l", sock, "-R",
                               "root.wrb"], env=ENV, stderr=open("n1.log", "w")))
end = time.time() + 20
while time.time() < end and subprocess.run([WARTA, "status", "--node", "n1"], env=ENV,
                                           capture_output=True).returncode != 0:
    time.sleep(0.1)
for f in ["root", "ministry", "bengkulu"]:
    run(WARTA, "publish", f + ".wrb", "--node", "n1")
ok(run(WARTA, "publish", "tsunami.wb", "--node", "n1").returncode == 0,
   "a node holds the roster and the province's clarification")

gw = subprocess.Popen([GATEWAY, "--roster", "root.wrb", "--node", "n1", "--listen", "127.0.0.1:0"],
                      env=ENV, stderr=subprocess.PIPE, text=True)
procs.append(gw)
m = re.search(r"http://127\.0\.0\.1:(\d+)/", gw.stderr.readline())
if not ok(m is not None, "warta-gateway serves the node's store"):
    finish()
network = json.loads(subprocess.run(["curl", "-s", f"http://127.0.0.1:{m.group(1)}/v1/offices"],
                                    capture_output=True, text=True).stdout or "{}").get("network", "?")

H.shots_dir(SHOTS)
plan = {
    "shots": SHOTS,
    "gateway": f"http://127.0.0.1:{m.group(1)}", "bulletin": os.path.join(WORK, "tsunami.wb"),
    "rogue": os.path.join(WORK, "rogue.wb"), "id": bid, "issuer_key": issuer_key,
    "office_name": OFFICE, "ministry_name": MINISTRY, "network": network,
    "withdraw": [WARTA, "publish", os.path.join(WORK, "withdraw.wb"), "--node", os.path.join(WORK, "n1")],
}
H.browse("pages.mjs", plan, 30)
shots = sorted(f for f in os.listdir(SHOTS) if f.endswith(".png"))
ok(len(shots) >= 9, f"screenshots saved in {SHOTS}: {', '.join(shots)}")
finish()
