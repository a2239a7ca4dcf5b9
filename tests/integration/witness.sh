#!/usr/bin/env bash
# witness.sh - the auditor's view over a running network (ipc:// endpoints only): nodes sign
# checkpoints of their logs, peers co-sign them; warta audit proves a bulletin is in a node's log
# and that a later checkpoint extends an earlier one, offline, and refuses tampered proofs; a
# node that shows two peers two different logs (of one size, then of two sizes) is caught by
# them, and the conflict files they keep check offline. Every node is stopped on exit. TAP.
# usage: witness.sh WARTA WARTAD NETTOOL SOURCE_ROOT
set -u
. "$(dirname "$(realpath "$0")")/tap.sh"
warta=$(realpath "$1"); wartad=$(realpath "$2"); nettool=$(realpath "$3"); root=$(realpath "$4")
node_work wwit
export PP=office

node_flags=(-s 500 -C 300)  # checkpoints every 300 ms
ckpt() { stat_of "$1" "d['log'].get('checkpoint',{}).get('$2')"; }

# The interval is checked with the rest of the configuration.
expect 64 "wartad -n refuses a checkpoint interval under 50 ms" -- "$wartad" -n -d cfg -C 10
says "checkpoint_interval_ms" "and says which setting"
printf '[node]\ndata_dir = cfg\ncheckpoint_interval_ms = 250\n' > cfg.ini
expect 0 "checkpoint_interval_ms is read from the INI file" -- "$wartad" -n -c cfg.ini -P pass
printf '[node]\ndata_dir = cfg\ncheckpoint_interval_ms = 0\n' > bad.ini
expect 64 "and a bad value there is refused" -- "$wartad" -n -c bad.ini

for i in 1 2 3; do key n$i > n$i.key; done
"$warta" keygen -o office.key --cost interactive --passphrase-env PP >/dev/null
node n1; node n2 n1; node n3 n2
wait_for 10 '[ "$(count n3)" = 0 ]'

# 1. Checkpoints, signed and co-signed.
"$warta" sign --key office.key --passphrase-env PP --in "$root/samples/bengkulu-tsunami-hoaks.json" -o b1.wb 2>/dev/null
id1=$("$warta" show b1.wb | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
"$warta" publish b1.wb --node n1 >/dev/null
check 'wait_for 10 "[ \"\$(ckpt n1 size)\" = 1 ]"' "a node signs a checkpoint of its log once it has entries"
check 'wait_for 10 "[ \"\$(ckpt n2 cosigners)\" = 2 ]"' "a node's checkpoint comes back co-signed by both its peers"
check 'wait_for 10 "[ \"\$(stat_of n3 \"d[\\\"log\\\"][\\\"witness\\\"][\\\"nodes\\\"]\")\" = 2 ]"' "checkpoints are passed on: the end of the line hears both other nodes"
expect 0 "warta audit --checkpoint prints the latest checkpoint" -- "$warta" audit --node n1 --checkpoint -o c1.txt
check 'head -1 c1.txt | grep -q "^warta/node/" && sed -n 2p c1.txt | grep -qx 1' "in the documented text form (origin, size, root, time, signatures)"
expect 0 "a checkpoint checks offline" -- "$warta" audit --check c1.txt --key n1.key
says "1 entries" "and says what it states"
expect 1 "a checkpoint checked against another node's key fails" -- "$warta" audit --check c1.txt --key n2.key

# 2. Inclusion and consistency proofs.
expect 0 "warta audit --prove writes an inclusion proof" -- "$warta" audit --node n1 --prove "$id1" -o p1.txt
expect 0 "the inclusion proof checks offline, with the bulletin" -- "$warta" audit --check p1.txt --bulletin b1.wb --key n1.key
says "entry 0 of the log" "and names the bulletin's place in the log"
"$warta" sign --key office.key --passphrase-env PP --verdict HOAKS --title "[HOAKS] Kedua" -o b2.wb 2>/dev/null
check '"$nettool" publish n1 7 40 800 > acked.txt' "more bulletins published"
"$warta" publish b2.wb --node n1 >/dev/null
check 'wait_for 10 "[ \"\$(ckpt n1 size)\" = 42 ]"' "the next checkpoint covers them"
expect 0 "warta audit --extends proves the new checkpoint extends the old" -- "$warta" audit --node n1 --extends c1.txt -o e1.txt
expect 0 "the consistency proof checks offline" -- "$warta" audit --check e1.txt
says "nothing removed or reordered" "and says so"
id2=$("$warta" show b2.wb | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
expect 0 "an inclusion proof of a later bulletin" -- "$warta" audit --node n1 --prove "$id2" -o p2.txt
expect 0 "checks offline" -- "$warta" audit --check p2.txt
expect 1 "an inclusion proof does not pass for another bulletin" -- "$warta" audit --check p2.txt --bulletin b1.wb
# Tampered: a proof hash changed, a leaf index changed, the checkpoint's root changed.
sed '0,/^hash /s/^hash \(.\)/hash f/; 0,/^hash f/s/^hash ff/hash 0f/' p2.txt > t1.txt
expect 1 "a proof with a changed hash fails" -- "$warta" audit --check t1.txt
sed 's/^index \([0-9]*\)$/index 1/' p2.txt > t2.txt
expect 1 "a proof with a changed index fails" -- "$warta" audit --check t2.txt
python3 - p2.txt t3.txt <<'PY'
import sys
t = open(sys.argv[1]).read().split("\n")
i = t.index(next(l for l in t if l.startswith("warta/node/")))
t[i + 2] = ("A" if t[i + 2][0] != "A" else "B") + t[i + 2][1:]   # the root line
open(sys.argv[2], "w").write("\n".join(t))
PY
expect 1 "a proof against a checkpoint whose root was changed fails (its signature)" -- "$warta" audit --check t3.txt
check '"$warta" audit --node n1 >out 2>err && grep -q "checkpoints\? checked" out' "a full audit checks the log against the node's checkpoints"
check '"$warta" audit --node n1 --json | python3 -c "import json,sys; d=json.load(sys.stdin); sys.exit(0 if d[\"clean\"] and d[\"log\"][\"checkpoints_checked\"] >= 2 and d[\"log\"][\"size\"] == 42 else 1)"' "and its JSON report says so"
expect 0 "no conflicts in an honest network" -- "$warta" audit --node n2 --conflicts

# 3. A node that equivocates: one log shown to n1, another to n3 (both of 3 entries), and six
#    more logs of 3 entries to n1.
"$nettool" equivocate 8 "ipc://$work/n1.sock" "$(cat n1.key)" 3 "ipc://$work/n3.sock" "$(cat n3.key)" 3 6 > liar1.txt &
pids+=($!)
for i in 1 3; do
    check "wait_for 15 '[ \"\$(stat_of n$i \"d[\\\"log\\\"][\\\"witness\\\"][\\\"conflicts\\\"]\")\" -ge 1 ]'" "equal sizes: the equivocation is caught at n$i"
done
check 'wait_for 15 "[ \"\$(stat_of n2 \"d[\\\"log\\\"][\\\"witness\\\"][\\\"conflicts\\\"]\")\" -ge 1 ]"' "and at n2, which met neither side directly"
expect 1 "warta audit --conflicts lists it (exit 1)" -- "$warta" audit --node n1 --conflicts -o .
says "signed two different logs of 3 entries" "naming the node and the size"
check '[ "$(grep -c "^conflict [0-9]*: node $(head -1 liar1.txt) " out)" = 4 ]' "six more contradictions of that node do not pile up: 4 files kept"
f=$(ls conflict-*-3-*.txt 2>/dev/null | head -1)
expect 1 "--conflicts -o makes the folder it writes to" -- "$warta" audit --node n1 --conflicts -o new/evidence
check '[ "$(ls new/evidence/conflict-*.txt | wc -l)" = 4 ]' "and writes the conflict files there"
expect 0 "the conflict file checks offline" -- "$warta" audit --check "$f" --key "$(head -1 liar1.txt)"
says "CONFLICT" "and says what it proves"
python3 - "$f" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
m = re.search(r"^time \d+$", t, re.M)          # the first checkpoint's time, same length
d = t[m.end() - 1]
open(sys.argv[1], "w").write(t[:m.end() - 1] + ("1" if d != "1" else "2") + t[m.end():])
PY
expect 1 "a conflict file with a changed checkpoint fails" -- "$warta" audit --check "$f"
check '! "$warta" audit --node n1 >/dev/null 2>&1 && "$warta" audit --node n1 --json | grep -q witnessed_conflict' "the full audit reports the witnessed conflict"

# 4. Different sizes: n1 is shown 4 entries, n3 another log of 2. The node that was shown the
#    larger log asks the liar to sign its log at the smaller size, and catches it.
before=$(stat_of n1 "d['log']['witness']['conflicts']")
"$nettool" equivocate 8 "ipc://$work/n1.sock" "$(cat n1.key)" 4 "ipc://$work/n3.sock" "$(cat n3.key)" 2 > liar2.txt &
pids+=($!)
check 'wait_for 15 "[ \"\$(stat_of n1 \"d[\\\"log\\\"][\\\"witness\\\"][\\\"conflicts\\\"]\")\" -gt $before ]"' "different sizes: caught at n1 through CHECKPOINT_AT"
check 'wait_for 10 "grep -q \"asked by A for 2\" liar2.txt"' "(n1 asked the liar for its log at the other size)"
check '[ "$(stat_of n1 "d[\"store\"][\"bulletins\"]")" = 42 ]' "the honest nodes keep serving meanwhile"
# 5. Do two nodes hold the same history? n1 and n3 do. n4, on its own, holds one bulletin that
#    the office's key also signed at sequence 1, but not the one the others hold there.
check 'wait_for 10 "\"$warta\" audit --node n1 --compare n3 >out 2>err"' "two nodes of the network hold the same history"
says "same history: both hold the same 42 bulletins" "chain by chain"
key n4 > n4.key; node n4
cp office.key other.key
"$warta" sign --key other.key --passphrase-env PP --verdict HOAKS --title "[HOAKS] Lain" -o other.wb 2>/dev/null
check 'wait_for 10 "\"$warta\" publish other.wb --node n4 >/dev/null 2>&1"' "another bulletin at the office's sequence 1, published at a node apart"
expect 1 "warta audit --compare tells two histories apart" -- "$warta" audit --node n1 --compare n4
says "a different bulletin at: issuer" "naming where they differ"
says "41 only in n1" "and what only one of them holds"
"$warta" export --node n3 > n3.jsonl
expect 0 "a node and another node's export compare the same (the export's signatures checked)" -- "$warta" audit --compare n1 n3.jsonl
expect 1 "an export and a node with another history differ" -- "$warta" audit --compare n3.jsonl n4
python3 - n3.jsonl altered.jsonl <<'PY'
import base64, json, sys
lines = open(sys.argv[1]).read().splitlines()
o = json.loads(lines[0])
raw = bytearray(base64.b64decode(o["encoding"]))
raw[150] ^= 1                                   # one bit of the signed bytes
o["encoding"] = base64.b64encode(bytes(raw)).decode()
open(sys.argv[2], "w").write("\n".join([json.dumps(o)] + lines[1:]) + "\n")
PY
expect 65 "an export with an altered bulletin is refused, by line" -- "$warta" audit --compare n1 altered.jsonl
says "line 1: no bulletin that verifies" "naming the line"

# 6. Budgets: a peer gets at most 64 CHECKPOINT_AT answered and 2048 CHECKPOINT checked per 10 s.
"$nettool" flood "ipc://$work/n2.sock" "$(cat n2.key)" 100 2100 > flood.txt
check 'grep -q "^answers 64 cosigned 2048$" flood.txt' "a flooding peer gets 64 answers and 2048 co-signatures, no more ($(cat flood.txt))"
check '[ "$(count n2)" = 42 ]' "and the node keeps serving"
tap_end
