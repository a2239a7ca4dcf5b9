#!/usr/bin/env bash
# reports.sh - reports and their answers at a node that enforces a roster: a platform reports
# claims, `warta inbox` shows each office the open ones in its regions (urgent, then oldest;
# one claim's reports grouped), an answer by an office covering the report's region closes it,
# an answer from outside the region or one withdrawn does not. Prints TAP.
# usage: reports.sh WARTA WARTAD
set -u
. "$(dirname "$(realpath "$0")")/tap.sh"
warta=$(realpath "$1"); wartad=$(realpath "$2")
node_work wreports
export PP=office
w() { "$warta" "$@" --passphrase-env PP; }
office_roster
echo "node passphrase" > pass
"$wartad" -d n1 -P pass -N n1 -l "ipc://$work/n1.sock" -R root.wrb 2>>n1.log &
pids+=($!)
check 'wait_for 20 "\"$warta\" status --node n1 >/dev/null 2>&1"' "a node that enforces the roster starts"
for f in root ministry bengkulu jakarta platform; do "$warta" publish $f.wrb --node n1 >/dev/null 2>&1; done
id_of() { "$warta" show "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }
report() { # FILE TIME PRIORITY REGION CLAIM URL-or-HASH
    local where=(--url "$6"); [ "${6#http}" = "$6" ] && where=(--content-sha256 "$6")
    w report --key platform.key --issued-at "$2" --priority "$3" --region "$4" --claim "$5" "${where[@]}" -o "$1" >/dev/null 2>&1
    "$warta" publish "$1" --node n1 >/dev/null 2>&1
}
H=$(printf 'video bendungan' | sha256sum | cut -c1-64)
report r1.wb 2026-11-20T08:00:00Z normal 17.71 "Air PDAM tercemar limbah" https://wa.example/f/pdam
report r2.wb 2026-11-20T09:00:00Z urgent 17 "Bendungan jebol malam ini" "$H"
report r3.wb 2026-11-20T10:00:00Z normal 17.71 "PDAM: air beracun" https://wa.example/f/pdam
report r4.wb 2026-11-20T07:00:00Z normal 31 "Banjir di Monas" https://x.example/s/1
r1=$(id_of r1.wb) r2=$(id_of r2.wb) r3=$(id_of r3.wb) r4=$(id_of r4.wb)
check '[ "$("$warta" list --node n1 --json | grep -c "\"kind\": \"report\"")" = 4 ]' "the node stores the platform's four reports"
inbox() { "$warta" inbox --node n1 --roster root.wrb --json "$@" | python3 -c '
import json,sys; d=json.load(sys.stdin)["reports"]; print(" ".join(r["id"][:8]+":"+r["state"]+":"+r["group"][:8] for r in d))'; }
s8() { echo "${1:0:8}"; }
got=$(inbox --office diskominfo-17)
want="$(s8 $r2):open:$(s8 $r2) $(s8 $r1):open:$(s8 $r1) $(s8 $r3):open:$(s8 $r1)"
check '[ "$got" = "$want" ]' "Bengkulu's inbox: its three open reports, urgent first, then oldest; the two PDAM reports grouped (not Jakarta's)"
[ "$got" = "$want" ] || echo "# got  $got"$'\n'"# want $want"
check '[ "$(inbox --office diskominfo-31)" = "$(s8 $r4):open:$(s8 $r4)" ]' "Jakarta's inbox: its one report"
check '[ "$(inbox --region 17.71 | wc -w)" = 2 ]' "--region 17.71: the two PDAM reports"
"$warta" inbox --node n1 --roster root.wrb --office diskominfo-17 > out 2>&1
check 'grep -q "URGENT Platform X: Bendungan jebol" out && grep -q "3 open reports, 3 shown" out' "the text form says who reported what, and counts"
expect 65 "an office the roster does not name is refused" -- "$warta" inbox --node n1 --roster root.wrb --office diskominfo-99
# Jakarta answers a Bengkulu report: outside its region, so it does not count.
w sign --key jakarta.key --region 31 --verdict HOAKS --title "[HOAKS] Bendungan" --answers "$r2" --issued-at 2026-11-20T12:00:00Z -o j.wb >/dev/null 2>&1
"$warta" publish j.wb --node n1 >/dev/null 2>&1
check '[ "$(inbox --office diskominfo-17 | cut -d" " -f1)" = "$(s8 $r2):open:$(s8 $r2)" ]' "an answer from an office outside the report's region leaves it open"
# Bengkulu answers r1 and r2 in one clarification.
w sign --key bengkulu.key --region 17 --verdict HOAKS --title "[HOAKS] PDAM dan bendungan" --answers "$r1" --answers "$r2" --issued-at 2026-11-20T13:00:00Z -o a.wb >/dev/null 2>&1
check '"$warta" publish a.wb --node n1 | grep -q "^accepted"' "Bengkulu's answer naming two reports is accepted"
a=$(id_of a.wb)
check '[ "$(inbox --office diskominfo-17)" = "$(s8 $r3):open:$(s8 $r3)" ]' "its inbox now holds only the report it did not answer"
got=$("$warta" inbox --node n1 --roster root.wrb --office diskominfo-17 --all --json | python3 -c '
import json,sys; d=json.load(sys.stdin)["reports"]; print(" ".join(r["state"]+":"+str(r["answered_by"])[:8] for r in d))')
check '[ "$got" = "open:None answered:$(s8 $a) answered:$(s8 $a)" ]' "--all shows the answered ones last, answered by the clarification"
# The platform acts on the answer, twice; warta stats gives the figures of these events exactly.
w receipt --key platform.key --bulletin "$a" --action labelled --items 10 --acted-at 2026-11-20T14:00:00Z --issued-at 2026-11-20T14:00:00Z -o c1.wb >/dev/null 2>&1
w sign --key platform.key --kind receipt --bulletin "$a" --action removed --items 5 --acted-at 2026-11-21T13:00:00Z --issued-at 2026-11-21T13:00:00Z -o c2.wb >/dev/null 2>&1
"$warta" publish c1.wb --node n1 >/dev/null 2>&1; "$warta" publish c2.wb --node n1 >/dev/null 2>&1
"$warta" stats --node n1 --roster root.wrb --at 2026-11-20T20:00:00Z --json > stats.json 2>&1
check 'python3 - stats.json <<"PY"
import json, sys
d = json.load(open(sys.argv[1]))
H = 3600000
want = {
    "reports": {"total": 4, "open": 2, "claims": 3, "by_month": {"2026-11": 4},
                "open_by_age": {"under_1h": 0, "1h_to_1d": 2, "1d_to_7d": 0, "over_7d": 0}},
    "clarifications": {"total": 2, "by_region": {"31": 1, "17": 1}, "by_verdict": {"HOAKS": 2},
                       "by_office": {"diskominfo-31": 1, "diskominfo-17": 1},
                       "by_month": {"2026-11": 2}},
    "receipts": {"total": 2, "by_action": {"labelled": 1, "removed": 1}, "items": 15,
                 "on_bulletins_not_held": 0},
    "report_to_clarification": {"count": 2, "median_ms": 4 * H, "max_ms": 5 * H},
    "clarification_to_first_action": {"count": 1, "median_ms": 1 * H, "max_ms": 1 * H},
    "clarification_to_last_action": {"count": 1, "median_ms": 24 * H, "max_ms": 24 * H},
}
bad = [k for k in want if d.get(k) != want[k]]
for k in bad:
    print("# %s: %s, wanted %s" % (k, json.dumps(d.get(k)), json.dumps(want[k])))
sys.exit(1 if bad else 0)
PY' "warta stats --json: every figure is the one these events give (claims, times to answer and to act, open by age, counts)"
"$warta" stats --node n1 --roster root.wrb --at 2026-11-20T20:00:00Z > out 2>&1
check 'grep -q "first report of a claim -> its answer *2   median 4.0 h   longest 5.0 h" out' "the table says the same"
if command -v gnuplot >/dev/null; then
    "$warta" stats --node n1 --roster root.wrb --at 2026-11-20T20:00:00Z --plot month.png > /dev/null 2>err
    check 'python3 -c "
import struct, sys
b = open(\"month.png\", \"rb\").read()
w, h = struct.unpack(\">II\", b[16:24])
sys.exit(0 if b[:8] == b\"\\x89PNG\\r\\n\\x1a\\n\" and (w, h) == (900, 450) and len(b) > 5000 else 1)"' "--plot draws a 900x450 PNG through gnuplot"
        check '[ "$(cat month.png.dat)" = "2026-11 4 2" ]' "and the data it drew are these events: 4 reports and 2 clarifications in 2026-11"
else
    ok "--plot draws a PNG # SKIP gnuplot is not installed (scripts/test installs gnuplot-nox)"
    ok "and keeps its data # SKIP gnuplot is not installed"
fi
# The answer is withdrawn: its reports are open again.
w sign --key bengkulu.key --kind withdrawal --subject "$a" --region 17 --verdict HOAKS --title "Ditarik" -o wd.wb >/dev/null 2>&1
"$warta" publish wd.wb --node n1 >/dev/null 2>&1
check '[ "$(inbox --office diskominfo-17 | wc -w)" = 3 ]' "a withdrawn answer no longer closes them"
expect 64 "inbox without --roster is a usage error" -- "$warta" inbox --node n1
expect 64 "a bad --region is a usage error" -- "$warta" inbox --node n1 --roster root.wrb --region 1
tap_end
