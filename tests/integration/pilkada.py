#!/usr/bin/python3
"""pilkada.py - the election scenario of the ministry's own account, played on a loopback
network of three nodes (A - B - C): two platforms report the real claims of ../shared/data at
the rate and in the months the ministry's figures give (379 election hoax issues from January
2023 to 18 November 2024; 200 in the five months before the 14 February 2024 vote; 22 from
August to November 2024, a 70% fall from the four months before), the province office in scope
(or the ministry) answers each, platforms act on the answers. Every figure of `warta stats`, at
every node, is the one the events give, exactly; the monthly plot's data are those months and
show the fall. Prints TAP; skipped when ../shared/data is absent.

usage: pilkada.py WARTA WARTAD SHARED_DATA"""
import base64
import csv
import hashlib
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone

WARTA, WARTAD = (os.path.realpath(a) for a in sys.argv[1:3])
DATA = sys.argv[3]
if not os.path.exists(os.path.join(DATA, "turnbackhoax-2015-2019.jsonl")):
    print(f"1..0 # SKIP {DATA} is absent (the scenario reads the real claims from it)")
    sys.exit(0)

WORK = tempfile.mkdtemp(prefix="wpilkada-")
os.chdir(WORK)
ENV = dict(os.environ, PP="office", LC_ALL="C.UTF-8")
procs, n, failed = [], 0, 0
H = 3600 * 1000


def ok(cond, what, diag=None):
    global n, failed
    n += 1
    print(("ok" if cond else "not ok") + f" {n} - {what}", flush=True)
    if not cond:
        failed += 1
        for line in str(diag or "").splitlines()[:20]:
            print("# " + line)
    return cond


def run(*args, **kw):
    r = subprocess.run(args, env=ENV, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        print(f"# {' '.join(args[:3])}...: exit {r.returncode}: {r.stderr[-400:]}")
    return r


def finish():
    for p in procs:
        p.kill()
        p.wait()
    shutil.rmtree(WORK, ignore_errors=True)
    print(f"1..{n}")
    sys.exit(1 if failed else 0)


def ms(dt):
    return int(dt.timestamp() * 1000)


def rfc(t):
    return datetime.fromtimestamp(t / 1000, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + \
        f"{t % 1000:03d}Z"


# ---- the claims: election ones first, then other real ones, each once ----
ELECTION = re.compile(r"pemilu|pilpres|pilkada|capres|cawapres|\bkpu\b|bawaslu|caleg|\btps\b|"
                      r"surat suara|kampanye|pilgub|pileg|quick count|prabowo|jokowi|anies|"
                      r"ganjar|gibran|mahfud|muhaimin", re.I)
seen, election, other = set(), [], []
for f in ["komdigi-hoaks-sample.jsonl", "turnbackhoax-2015-2019.jsonl"]:
    for line in open(os.path.join(DATA, f), encoding="utf-8"):
        d = json.loads(line)
        claim = re.sub(r"^\s*\[[^\]]*\]\s*", "", d["headline"]).strip()[:500]
        if not claim or claim in seen:
            continue
        seen.add(claim)
        (election if ELECTION.search(d["headline"]) else other).append(claim)
claims = (election + other)[:379]
provinces = [r for r in csv.DictReader(open(os.path.join(DATA, "provinces.csv"), encoding="utf-8"))]
regencies = {}
for r in csv.DictReader(open(os.path.join(DATA, "regencies.csv"), encoding="utf-8")):
    regencies.setdefault(r["province_code"], []).append(r["code"])

# ---- the months: the ministry's figures ----
plan = {}
for i, m in enumerate(["2023-%02d" % k for k in range(1, 9)] + ["2024-02", "2024-03"]):
    plan[m] = 9 if i < 3 else 8                                  # 83, the rest of the period
plan.update({"2023-09": 40, "2023-10": 40, "2023-11": 40, "2023-12": 40, "2024-01": 40})  # 200
plan.update({"2024-04": 19, "2024-05": 19, "2024-06": 18, "2024-07": 18})                # 74
plan.update({"2024-08": 6, "2024-09": 6, "2024-10": 5, "2024-11": 5})                    # 22
months = sorted(plan)
AT = ms(datetime(2024, 11, 20, tzinfo=timezone.utc))  # the ministry's account: 18 November

# ---- the events ----
events = []  # (signer, time, fields)
reports, answers, receipts = [], [], []
i = 0
for m in months:
    y, mo = map(int, m.split("-"))
    for k in range(plan[m]):
        last_day = 17 if m == "2024-11" else 27
        t = ms(datetime(y, mo, 1 + (k * 7 + i) % last_day, 1 + (i * 5) % 20, (i * 13) % 60,
                        tzinfo=timezone.utc))
        prov = provinces[i % len(provinces)]["code"]
        region = regencies[prov][i % len(regencies[prov])] if prov in regencies else prov
        url = f"https://platform-a.example/post/{i}"
        sha = hashlib.sha256(claims[i].encode()).hexdigest()
        urgent = i % 5 == 0
        issue = {"i": i, "t": t, "region": region, "prov": prov, "reports": []}
        issue["reports"].append(("platform-a", t))
        if i % 4 == 0:  # a second platform sees the same post half an hour later
            issue["reports"].append(("platform-b", t + H // 2))
        for who, rt in issue["reports"]:
            events.append((who, rt, {"kind": "report", "issued_at": rfc(rt), "priority":
                                     "urgent" if urgent else "normal", "language": "id",
                                     "region": region, "claim": claims[i], "urls": [url],
                                     "content_sha256": sha}, ("report", i)))
        reports.append(issue)
        i += 1
# The five latest issues stay open; the others are answered by the province office (every
# tenth by the ministry), 1 to 48 hours after the first report.
for issue in reports[:-5]:
    j = issue["i"]
    office = "kemkomdigi" if j % 10 == 3 else "prov-" + issue["prov"]
    at = issue["t"] + H * (1 + j % 48)
    issue["answer"] = (office, at)
    region = "" if office == "kemkomdigi" else issue["prov"]
    verdict = "DISINFORMASI" if j % 7 == 0 else "HOAKS"
    events.append((office, at, {"kind": "clarification", "issued_at": rfc(at), "language": "id",
                                "region": region, "verdict": verdict,
                                "title": f"[{verdict}] {claims[j][:200]}",
                                "claim": claims[j], "explanation":
                                "Faktanya, klaim tersebut tidak benar menurut KPU dan Bawaslu.",
                                "answers": None}, ("answer", j)))
    issue["verdict"], issue["answer_region"] = verdict, region or "national"
    # Platform A labels it; every third, platform B reduces its reach a day later; every
    # eleventh, platform A also removes it two days later.
    acts = [("platform-a", at + H // 2 + H * (j % 7), "labelled", 1 + j % 20)]
    if j % 3 == 0:
        acts.append(("platform-b", at + 24 * H + H * (j % 5), "reach_reduced", 3))
    if j % 11 == 0:
        acts.append(("platform-a", at + 48 * H, "removed", 2))
    issue["acts"] = acts
    for who, t, action, items in acts:
        events.append((who, t, {"kind": "receipt", "issued_at": rfc(t), "acted_at": rfc(t),
                                "bulletin": None, "action": action, "items": items},
                       ("receipt", j)))
ok(len(reports) == 379 and sum(plan.values()) == 379 and len(claims) == 379,
   f"379 issues over {len(months)} months, from {len(election)} election claims of "
   f"../shared/data and {379 - min(379, len(election))} other real ones")

# ---- the roster: the ministry, the 38 provinces, two platforms ----
T0 = "2022-01-01T00:00:00Z"
offices = {"kemkomdigi": ("Kementerian Komunikasi dan Digital", "ministry", "")}
for p in provinces:
    offices["prov-" + p["code"]] = ("Diskominfo Provinsi " + p["name"], "province", p["code"])
offices["platform-a"] = ("Platform A", "platform", "")
offices["platform-b"] = ("Platform B", "platform", "")
for k in ["root"] + list(offices):
    run(WARTA, "keygen", "-o", k + ".key", "--cost", "interactive", "--passphrase-env", "PP")
run(WARTA, "roster", "init", "--key", "root.pub", "--threshold", "1", "--valid-from", T0,
    "-o", "root.draft")
run(WARTA, "roster", "seal", "root.draft", "--key", "root.key", "-o", "root.wrb",
    "--passphrase-env", "PP")
for k, (name, role, region) in offices.items():
    extra = ["--may-delegate"] if role == "ministry" else []
    run(WARTA, "roster", "delegate", "--network", "root.wrb", "--key", k + ".pub", "--office", k,
        "--name", name, "--role", role, "--region", region, "--valid-from", T0, *extra,
        "-o", k + ".draft")
    run(WARTA, "roster", "seal", k + ".draft", "--key",
        ("root" if role == "ministry" else "kemkomdigi") + ".key", "-o", k + ".wrb",
        "--passphrase-env", "PP")
with open("network.wrb", "w") as out:
    for k in ["root"] + list(offices):
        out.write(open(k + ".wrb").read())
ok(all(os.path.getsize(k + ".wrb") > 0 for k in offices), f"a roster of {len(offices)} offices")

# ---- the network ----
open("pass", "w").write("node passphrase for tests\n")
nodes = ["A", "B", "C"]
keys = {x: run(WARTAD, "-d", x, "-P", "pass", "-k").stdout.strip() for x in nodes}
links = {"A": ["B"], "B": ["A", "C"], "C": ["B"]}
for x in nodes:
    peers = [a for p in links[x] for a in ("-p", f"{keys[p]}@ipc://{WORK}/{p}.sock")]
    procs.append(subprocess.Popen([WARTAD, "-d", x, "-P", "pass", "-N", x, "-l",
                                   f"ipc://{WORK}/{x}.sock", "-R", "root.wrb", *peers],
                                  env=ENV, stderr=open(x + ".log", "w")))
end = time.time() + 20
while time.time() < end and any(subprocess.run([WARTA, "status", "--node", x], env=ENV,
                                               capture_output=True).returncode for x in nodes):
    time.sleep(0.2)
for k in ["root"] + list(offices):  # each signer's records in the order it sealed them
    run(WARTA, "publish", k + ".wrb", "--node", "B")


# ---- signing and publishing, in three rounds (reports, answers, receipts), each signer's
# bulletins in time order (warta sign --batch); ids fill in the answers and receipts ----
def ids_of(text):
    """The id of each armored bulletin in text (PROTOCOL.md §4, §5)."""
    blocks = re.findall(r"-----BEGIN WARTA BULLETIN-----\n(.*?)-----END WARTA BULLETIN-----",
                        text, re.S)
    return [hashlib.blake2b(base64.b64decode("".join(b.split())), digest_size=32).hexdigest()
            for b in blocks]


def sign_round(kind, node):
    by = {}
    for who, t, fields, tag in sorted(events, key=lambda e: e[1]):
        if fields["kind"] == kind:
            by.setdefault(who, []).append((fields, tag))
    ids = []
    for who, items in by.items():
        with open(f"{who}-{kind}.jsonl", "w") as out:
            for fields, tag in items:
                f = dict(fields)
                if kind == "clarification":
                    f["answers"] = reports[tag[1]]["report_ids"]
                if kind == "receipt":
                    f["bulletin"] = reports[tag[1]]["answer_id"]
                out.write(json.dumps(f, ensure_ascii=False) + "\n")
        r = run(WARTA, "sign", "--key", who + ".key", "--batch", f"{who}-{kind}.jsonl",
                "--roster", "network.wrb", "--passphrase-env", "PP")
        open(f"{who}-{kind}.wb", "w").write(r.stdout)
        got = ids_of(r.stdout)
        ids += list(zip([tag for _, tag in items], got))
        p = run(WARTA, "publish", f"{who}-{kind}.wb", "--node", node)
        if p.returncode != 0:
            return None
    return ids


rid = sign_round("report", "A")
for (kind, j), i_d in rid or []:
    reports[j].setdefault("report_ids", []).append(i_d)
ok(rid is not None and len(rid) == sum(len(r["reports"]) for r in reports),
   f"the platforms sign and publish {len(rid or [])} reports at node A (warta sign --batch)")
aid = sign_round("clarification", "B")
for (kind, j), i_d in aid or []:
    reports[j]["answer_id"] = i_d
ok(aid is not None and len(aid) == 374, f"the offices answer {len(aid or [])} issues at node B")
cid = sign_round("receipt", "A")
n_acts = sum(len(r.get("acts", [])) for r in reports)
ok(cid is not None and len(cid) == n_acts, f"the platforms send {len(cid or [])} receipts at node A")
total = len(rid or []) + len(aid or []) + len(cid or []) + len(offices) + 1


def count(x):
    r = subprocess.run([WARTA, "status", "--node", x, "--json"], env=ENV, capture_output=True,
                       text=True)
    try:
        return json.loads(r.stdout)["store"]["bulletins"]
    except Exception:
        return -1


end = time.time() + 120
while time.time() < end and any(count(x) < total for x in nodes):
    time.sleep(0.5)
ok(all(count(x) == total for x in nodes), f"every node holds all {total} bulletins",
   [count(x) for x in nodes])

# ---- the figures the events give ----


def spread(v):
    v = sorted(v)
    return {"count": len(v), "median_ms": v[(len(v) - 1) // 2] if v else None,
            "max_ms": v[-1] if v else None}


want_rep = {"total": sum(len(r["reports"]) for r in reports), "by_month": {},
            "open": 0, "claims": 379,
            "open_by_age": {"under_1h": 0, "1h_to_1d": 0, "1d_to_7d": 0, "over_7d": 0}}
for r in reports:
    for who, t in r["reports"]:
        m = rfc(t)[:7]
        want_rep["by_month"][m] = want_rep["by_month"].get(m, 0) + 1
        if "answer" not in r:
            want_rep["open"] += 1
            age = AT - t
            k = "under_1h" if age < H else "1h_to_1d" if age < 24 * H else \
                "1d_to_7d" if age < 7 * 24 * H else "over_7d"
            want_rep["open_by_age"][k] += 1
want_cl = {"total": 0, "by_region": {}, "by_verdict": {}, "by_office": {}, "by_month": {}}
want_rc = {"total": 0, "by_action": {}, "items": 0, "on_bulletins_not_held": 0}
to_answer, first, last = [], [], []


def bump(d, k, by=1):
    d[k] = d.get(k, 0) + by


for r in reports:
    if "answer" not in r:
        continue
    office, at = r["answer"]
    want_cl["total"] += 1
    bump(want_cl["by_region"], r["answer_region"])
    bump(want_cl["by_verdict"], r["verdict"])
    bump(want_cl["by_office"], office)
    bump(want_cl["by_month"], rfc(at)[:7])
    to_answer.append(at - r["t"])
    times = [t for _, t, _, _ in r["acts"]]
    first.append(min(times) - at)
    last.append(max(times) - at)
    for who, t, action, items in r["acts"]:
        want_rc["total"] += 1
        bump(want_rc["by_action"], action)
        want_rc["items"] += items
want = {"at": rfc(AT), "reports": want_rep, "clarifications": want_cl, "receipts": want_rc,
        "report_to_clarification": spread(to_answer),
        "clarification_to_first_action": spread(first),
        "clarification_to_last_action": spread(last)}

for x in nodes:
    r = run(WARTA, "stats", "--node", x, "--roster", "network.wrb", "--at", rfc(AT), "--json")
    got = json.loads(r.stdout) if r.returncode == 0 else {}
    bad = [k for k in want if got.get(k) != want[k]]
    ok(not bad, f"node {x}: every figure of warta stats --json is the one the events give",
       "\n".join(f"{k}: got {json.dumps(got.get(k))[:300]}, wanted {json.dumps(want[k])[:300]}"
                 for k in bad))
print(f"# reports {want_rep['total']} ({want_rep['open']} open), claims 379, clarifications "
      f"{want_cl['total']}, receipts {want_rc['total']}; first report -> answer median "
      f"{want['report_to_clarification']['median_ms'] / H:.1f} h")

# ---- the plot ----
if shutil.which("gnuplot"):
    r = run(WARTA, "stats", "--node", "C", "--roster", "network.wrb", "--at", rfc(AT),
            "--plot", "pilkada.png")
    b = open("pilkada.png", "rb").read() if os.path.exists("pilkada.png") else b""
    ok(b[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", b[16:24]) == (900, 450),
       "warta stats --plot draws a 900x450 PNG through gnuplot")
    rows = {}
    for line in open("pilkada.png.dat") if os.path.exists("pilkada.png.dat") else []:
        m, a, c = line.split()
        rows[m] = (int(a), int(c))
    ok(rows == {m: (want_rep["by_month"].get(m, 0), want_cl["by_month"].get(m, 0))
                for m in sorted(set(want_rep["by_month"]) | set(want_cl["by_month"]))},
       "the plot's data are the events: reports and clarifications of each month")
    issues = lambda ms_: sum(rows.get(m, (0, 0))[0] for m in ms_) - \
        sum(1 for r in reports if len(r["reports"]) > 1 and rfc(r["t"])[:7] in ms_)
    before = ["2024-04", "2024-05", "2024-06", "2024-07"]
    after = ["2024-08", "2024-09", "2024-10", "2024-11"]
    peak = ["2023-09", "2023-10", "2023-11", "2023-12", "2024-01"]
    fall = 1 - issues(after) / issues(before)
    ok(issues(peak) == 200 and issues(after) == 22 and 0.69 < fall < 0.71,
       f"the plot shows the fall: 200 issues in the five months before the vote, "
       f"{issues(before)} from April to July 2024, {issues(after)} from August to November "
       f"({fall:.0%} fewer)")
else:
    ok(True, "--plot # SKIP gnuplot is not installed (scripts/test installs gnuplot-nox)")
    ok(True, "the plot's data # SKIP gnuplot is not installed")
    ok(True, "the fall # SKIP gnuplot is not installed")
finish()
