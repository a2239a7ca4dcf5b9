#!/usr/bin/env bash
# network.sh - wartad nodes on this machine (ipc:// endpoints only), end to end: a line of five
# nodes, a late joiner syncing 10,000 bulletins, a node killed with SIGKILL mid-ingest, and a
# hostile peer. Every wait is bounded; every node is stopped on exit. Prints TAP.
# usage: network.sh WARTA WARTAD NETTOOL SOURCE_ROOT
set -u
. "$(dirname "$(realpath "$0")")/tap.sh"
warta=$(realpath "$1"); wartad=$(realpath "$2"); nettool=$(realpath "$3"); root=$(realpath "$4")
node_work wnet
export PP=office

node_flags=(-s 500)

for i in 1 2 3 4 5 6 7 8 9; do key n$i > n$i.key; done
"$warta" keygen -o office.key --cost interactive --passphrase-env PP >/dev/null
node n1; node n2 n1; node n3 n2; node n4 n3; node n5 n4
wait_for 10 '[ "$(count n5)" = 0 ]'

# 1. A bulletin published at one end of a line of five is stored and verified at the other.
"$warta" sign --key office.key --passphrase-env PP --in "$root/samples/bengkulu-tsunami-hoaks.json" -o b1.wb 2>/dev/null
id=$("$warta" show b1.wb | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
check '"$warta" publish b1.wb --node n1 | grep -q "^accepted $id"' "publish returns after the node committed the bulletin"
check 'wait_for 10 "\"$warta\" get $id --node n5 > at_n5.wb 2>/dev/null"' "the bulletin reaches the fifth node of a line"
check '"$warta" verify at_n5.wb --key office.pub >/dev/null' "and verifies there against the issuer key"
check '[ "$("$warta" list --node n5 --region 17 | wc -l)" = 1 ]' "list at the far node filters by region"

# A bulletin whose predecessor the node lacks is not reported as published.
"$warta" sign --key office.key --passphrase-env PP --verdict HOAKS --title "[HOAKS] Kedua" -o b1b.wb 2>/dev/null
"$warta" sign --key office.key --passphrase-env PP --verdict HOAKS --title "[HOAKS] Ketiga" -o b1c.wb 2>/dev/null
check '! "$warta" publish b1c.wb --node n2 2>pub.err && grep -q "not stored yet" pub.err' "a bulletin ahead of its predecessor is not reported as stored"
check '"$warta" publish b1b.wb --node n2 | grep -q "^accepted"' "its predecessor is accepted"
check 'wait_for 10 "[ \"\$(\"$warta\" list --node n1 --issuer office.pub | wc -l)\" = 3 ]"' "and then both spread (the waiting one was filled in)"

# 2. 10,000 bulletins spread, and a node that joins late syncs all of them from one peer.
check '"$nettool" publish n1 11 10000 900 > acked-bulk.txt' "10,000 bulletins published at the first node"
check 'wait_for 120 "[ \"\$(count n5)\" = 10003 ]"' "all 10,003 reach the fifth node"
node n6 n3
check 'wait_for 120 "[ \"\$(count n6)\" = 10003 ]"' "a node that joins late syncs all 10,003 from one peer"
check '[ "$(stat_of n6 "d[\"ingest\"][\"bad_signature\"]+d[\"ingest\"][\"malformed\"]")" = 0 ]' "nothing the late joiner received was rejected"

# An auditor checks a node's store while the node stores more: each audit reads one snapshot.
"$nettool" publish n1 12 50000 900 > acked-live.txt 2>/dev/null &
live=$!; pids+=($!)
wait_for 20 '[ "$(wc -l < acked-live.txt)" -ge 100 ]'
for i in 1 2 3; do
    "$warta" audit --node n1 --json > audit-live$i.json 2>/dev/null
done
kill "$live"
audits=$(python3 -c '
import json
a = [json.load(open("audit-live%d.json" % i)) for i in (1, 2, 3)]
print(" ".join(("clean" if x["clean"] else "NOT-CLEAN") + ":" + str(x["bulletins"]) for x in a))' 2>/dev/null)
check 'python3 -c "import sys; a=[x.split(\":\") for x in sys.argv[1].split()]; n=[int(x[1]) for x in a]
sys.exit(0 if len(a) == 3 and all(x[0] == \"clean\" for x in a) and n[0] < n[1] < n[2] else 1)" "$audits"' "warta audit of a node storing bulletins is clean every time ($audits)"

# 3. A node killed with SIGKILL mid-ingest keeps every acknowledged bulletin and catches up.
node n7 n1
wait_for 30 '[ "$(count n7)" = "$(count n1)" ]'
"$nettool" publish n7 22 3000 900 > acked-kill.txt 2>/dev/null &
pids+=($!)
wait_for 20 '[ "$(wc -l < acked-kill.txt)" -ge 300 ]'
kill -9 "$pid_n7"
sleep 0.3
acked=$(wc -l < acked-kill.txt)
check '[ "$acked" -ge 300 ] && [ "$acked" -lt 3000 ]' "the node was killed mid-ingest ($acked of 3000 acknowledged)"
"$warta" sign --key office.key --passphrase-env PP --in "$root/samples/sibolga-bantuan-disinformasi.json" -o b2.wb 2>/dev/null
"$warta" publish b2.wb --node n2 >/dev/null   # published while n7 is down
node n7 n1
check 'wait_for 10 "[ -n \"\$(count n7)\" ]"' "the killed node restarts on its store"
"$warta" list --node n7 --json > n7-list.json
check 'python3 -c "
import json,sys
have={b[\"id\"] for b in json.load(open(\"n7-list.json\"))}
acked=[l.split()[1] for l in open(\"acked-kill.txt\") if l.startswith(\"acked \")]
sys.exit(0 if acked and all(a in have for a in acked) else 1)"' "every acknowledged bulletin survived the SIGKILL"
id2=$("$warta" show b2.wb | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
check 'wait_for 20 "\"$warta\" get $id2 --node n7 >/dev/null 2>&1"' "the restarted node catches up on what it missed"

# 4. A hostile peer: garbage, a forgery, a truncation, a replay, an equivocation, and a
#    CHECKPOINT that is not a note.
"$nettool" hostile "ipc://$work/n3.sock" "$(cat n3.key)" 33
check '[ "$(stat_of n3 "d[\"ingest\"][\"bad_signature\"]")" -ge 1 ]' "the forged bulletin is rejected"
check '[ "$(stat_of n3 "d[\"ingest\"][\"malformed\"]")" -ge 1 ]' "the truncated bulletin is rejected"
check '[ "$(stat_of n3 "any(p[\"dropped\"] for p in d[\"peers\"])")" = True ]' "the peer sending garbage is dropped"
check 'grep -q "bad checkpoint (origin" n3.log' "a CHECKPOINT that is not a note is named and counted against the peer"
for i in 1 2 3 4 5 6; do
    check "wait_for 20 '[ \"\$(stat_of n$i \"d[\\\"store\\\"][\\\"fork_events\\\"]\")\" -ge 1 ]'" "the equivocation is detected at node n$i"
done
"$warta" sign --key office.key --passphrase-env PP --verdict HOAKS --title "[HOAKS] Setelah serangan" -o b3.wb 2>/dev/null
id3=$("$warta" show b3.wb | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
"$warta" publish b3.wb --node n5 >/dev/null
check 'wait_for 10 "\"$warta\" get $id3 --node n1 >/dev/null 2>&1"' "good traffic continues through the attacked node"
check 'kill -0 $pid_n3' "the attacked node is still running"

# A node announces a new bulletin to its peers, but not back to the peer it came from.
"$nettool" echo "ipc://$work/n3.sock" "$(cat n3.key)" 34 > echo.out
check 'grep -q "^sender 0 listener [1-9]" echo.out' "a new bulletin is announced to the other peers, not back to its sender ($(cat echo.out))"

# 5. A node that admits only listed peers refuses one it does not know.
"$wartad" -d n8 -P pass -N n8 -l "ipc://$work/n8.sock" -s 500 -A -p "$(cat n1.key)@ipc://$work/n1.sock" 2>>n8.log &
pids+=($!)
check 'wait_for 60 "[ \"\$(count n8)\" -ge 10001 ]"' "a listed-only node syncs from the peer it lists"
node n9 n8
sleep 3
check '[ "$(count n9)" = 0 ]' "an unlisted node that dials it gets nothing"
check 'grep -q "refused inbound peer" n8.log' "and the refusal is logged"

# A second node on the same data directory refuses to start; the first keeps running.
"$wartad" -d n1 -P pass -N again 2>again.log
check '[ $? -ne 0 ] && grep -q "another wartad is running" again.log' "a second wartad on the same data directory refuses to start"
check '"$warta" status --node n1 >/dev/null' "and the first still answers"

# Clean shutdown on SIGTERM.
kill -TERM "$pid_n5"
check 'wait_for 10 "! kill -0 $pid_n5 2>/dev/null"' "SIGTERM stops a node"
check 'grep -q "shutting down" n5.log' "and it says so in its log"
check '! "$warta" status --node n5 2>st.err && grep -q "no node is running" st.err' "status of a stopped node says so at once"
check '[ "$("$warta" list --node n5 | wc -l)" -ge 10003 ]' "its store can still be read after it stopped"

tap_end
