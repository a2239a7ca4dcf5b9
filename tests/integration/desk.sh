#!/usr/bin/env bash
# desk.sh - warta desk over HTTP, as the page uses it: the office's inbox (the reports in its
# regions, as warta inbox gives them), signing from the page's form with the passphrase (the
# roster's rules and the chain hold; the bulletin is kept in the outbox and reaches the node),
# the receipts that come back; and what it refuses: no token, a foreign Host, a non-loopback
# address, a wrong passphrase, a clarification outside the office's regions. Prints TAP.
# usage: desk.sh WARTA WARTAD
set -u
. "$(dirname "$(realpath "$0")")/tap.sh"
warta=$(realpath "$1"); wartad=$(realpath "$2")
node_work wdesk
export PP=office
w() { "$warta" "$@" --passphrase-env PP; }
office_roster
tap_diag() { head -c 600 body 2>/dev/null | sed "s/^/# /"; echo; tail -n 5 n1.log | sed "s/^/# /"; }
"$wartad" -d n1 -P pass -N n1 -l "ipc://$work/n1.sock" -R root.wrb 2>>n1.log &
pids+=($!)
check 'wait_for 20 "\"$warta\" status --node n1 >/dev/null 2>&1"' "a node that enforces the roster starts"
for f in root ministry bengkulu jakarta platform; do "$warta" publish $f.wrb --node n1 >/dev/null 2>&1; done
w sign --key platform.key --kind report --priority urgent --region 17.71 --claim "Air PDAM Bengkulu tercemar limbah" --url https://wa.example/f/pdam -o r1.wb >/dev/null 2>&1
w sign --key platform.key --kind report --region 31 --claim "Banjir di Monas" --url https://x.example/s/1 -o r2.wb >/dev/null 2>&1
"$warta" publish r1.wb --node n1 >/dev/null 2>&1; "$warta" publish r2.wb --node n1 >/dev/null 2>&1
r1=$("$warta" show r1.wb | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

expect 64 "a desk on an address other than loopback is refused" -- "$warta" desk --key bengkulu.key --roster root.wrb --node n1 --listen 0.0.0.0:0
says "loopback" "and it says why"
"$warta" desk --key bengkulu.key --roster root.wrb --node n1 --listen 127.0.0.1:0 > desk.out 2>desk.err &
pids+=($!)
check 'wait_for 10 "grep -q \"^The office desk is at\" desk.out"' "warta desk starts and prints its address with a token"
url=$(sed -n 's/^The office desk is at \(http[^#]*\)#k=\([0-9a-f]*\)$/\1/p' desk.out)
tok=$(sed -n 's/^The office desk is at \(http[^#]*\)#k=\([0-9a-f]*\)$/\2/p' desk.out)
api() { curl -s -o body -w '%{http_code}' -H "X-Warta-Desk: $tok" "$@"; }
check '[ "$(curl -s -o page.html -w "%{http_code}" "$url")" = 200 ] && grep -q "warta/desk.js" page.html' "GET / is the desk page"
check '[ "$(curl -s -o body -w "%{http_code}" "${url}api/desk")" = 403 ]' "the API without the token is refused"
check '[ "$(curl -s -o body -w "%{http_code}" -H "X-Warta-Desk: 0000" "${url}api/desk")" = 403 ]' "with a wrong token too"
check '[ "$(api -H "Host: evil.example" "${url}api/desk")" = 421 ]' "a request naming another Host (DNS rebinding) is refused"
check '[ "$(api "${url}api/desk")" = 200 ]' "with the token, the desk answers"
check 'python3 - body "$r1" <<"PY"
import json, sys
d = json.load(open(sys.argv[1]))
reps = d["inbox"]["reports"]
ok = (d["office"]["office"] == "diskominfo-17" and d["office"]["regions"] == ["17"]
      and [r["id"] for r in reps] == [sys.argv[2]] and reps[0]["state"] == "open"
      and reps[0]["reporter"]["name"] == "Platform X" and d["inbox"]["open"] == 1 and d["sent"] == [])
sys.exit(0 if ok else 1)
PY' "its inbox: the office, and the one open report in its region (not Jakarta's), by Platform X"
"$warta" inbox --node n1 --roster root.wrb --office diskominfo-17 --all --json > cli.json
check 'python3 -c "import json,sys; a=json.load(open(\"body\"))[\"inbox\"][\"reports\"]; b=json.load(open(\"cli.json\"))[\"reports\"]; sys.exit(0 if a==b else 1)"' "the same reports as warta inbox --all --json gives"
form() { # PASSPHRASE REGION
    python3 -c 'import json,sys; print(json.dumps({"passphrase": sys.argv[1], "bulletin": {"kind": "clarification", "language": "id", "region": sys.argv[2], "verdict": "HOAKS", "priority": "urgent", "title": "[HOAKS] Air PDAM Bengkulu tidak tercemar", "claim": "Air PDAM Bengkulu tercemar limbah", "explanation": "Hasil uji laboratorium: air memenuhi baku mutu.", "links": [{"rel": "appearance", "url": "https://wa.example/f/pdam"}], "answers": [sys.argv[3]]}}))' "$1" "$2" "$r1"
}
check '[ "$(api -X POST --data-binary "$(form wrong 17.71)" "${url}api/sign")" = 422 ] && grep -qi "passphrase" body' "a wrong passphrase: not signed, and it says so"
check '[ "$(api -X POST --data-binary "$(form office 31)" "${url}api/sign")" = 422 ] && grep -q "out of scope" body' "a clarification outside the office's regions: not signed (the roster's rule)"
check '[ "$(api -X POST --data-binary "{\"bulletin\": [], \"passphrase\": 1}" "${url}api/sign")" = 400 ]' "a malformed request is refused"
check '[ "$(api -X POST --data-binary "$(form office 17.71)" "${url}api/sign")" = 200 ]' "the right passphrase: signed"
check 'python3 -c "import json,sys; d=json.load(open(\"body\")); sys.exit(0 if d[\"published\"] and d[\"sequence\"]==1 and \"BEGIN WARTA BULLETIN\" in d[\"armored\"] else 1)"' "and handed to the node, first of the key's chain, armored in the answer"
id=$(python3 -c 'import json; print(json.load(open("body"))["id"])')
file=$(python3 -c 'import json; print(json.load(open("body"))["file"])')
check '[ -f "$file" ] && [ "$("$warta" show "$file" | python3 -c "import json,sys; print(json.load(sys.stdin)[\"id\"])")" = "$id" ]' "a copy is kept in the outbox (bengkulu.key.sent/)"
cat root.wrb ministry.wrb bengkulu.wrb > network.wrb
check '"$warta" verify "$file" --roster network.wrb >/dev/null 2>&1' "it verifies against the roster"
check '"$warta" chain --key bengkulu.key 2>&1 | grep -q "last signed sequence 1, id $id"' "the key's chain file moved on to it"
check '"$warta" inbox --node n1 --roster root.wrb --office diskominfo-17 | grep -q "0 open reports"' "the report is answered: warta inbox shows no open report"
w sign --key platform.key --kind receipt --bulletin "$id" --action labelled --items 12 -o c1.wb >/dev/null 2>&1
"$warta" publish c1.wb --node n1 >/dev/null 2>&1
api "${url}api/desk" >/dev/null
check 'python3 - body "$id" <<"PY"
import json, sys
d = json.load(open(sys.argv[1]))
s = d["sent"]
ok = (len(s) == 1 and s[0]["id"] == sys.argv[2] and s[0]["state"] == "in_force"
      and [(r["platform"]["name"], r["action"], r["items"]) for r in s[0]["receipts"]] == [("Platform X", "labelled", 12)]
      and d["inbox"]["reports"][0]["state"] == "answered" and d["inbox"]["reports"][0]["answered_by"] == sys.argv[2])
sys.exit(0 if ok else 1)
PY' "the desk lists what the office sent, with the platform's receipt, and the report answered by it"
kill "${pids[-1]}"; wait "${pids[-1]}"; rc=$?
check '[ "$rc" = 0 ]' "the desk ends cleanly on SIGTERM"
tap_end
