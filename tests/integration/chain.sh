#!/usr/bin/env bash
# chain.sh - an office's chain cannot break by accident: a failed write consumes no sequence
# (or keeps the bulletin until `warta chain -o` writes it out), and a key copied without its
# chain state is stopped before it forks (warta sign --node, and the node on publish), then
# recovered from a node with `warta chain --from-node`. One node on ipc://. Prints TAP.
# usage: chain.sh WARTA WARTAD
set -u
. "$(dirname "$(realpath "$0")")/tap.sh"
warta=$(realpath "$1"); wartad=$(realpath "$2")
node_work wchain
export PP=office
w() { "$warta" "$@" --passphrase-env PP; }
seq_of() { "$warta" show "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["sequence"])'; }

key n1 > n1.key
node n1
wait_for 10 '[ "$(count n1)" = 0 ]'
"$warta" keygen -o office.key --cost interactive --passphrase-env PP >/dev/null 2>&1
sign() { w sign --key office.key --verdict HOAKS --title "[HOAKS] $1" "${@:2}"; }

# 1. An output that cannot be created: refused before signing, nothing consumed.
expect 73 "signing to a folder that does not exist fails" -- sign "Satu" -o /nonexistent/dir/x.wb
says "nothing signed" "and says nothing was signed"
sign "Satu" -o b1.wb 2>/dev/null
check '[ "$(seq_of b1.wb)" = 1 ]' "the next bulletin takes sequence 1"

# 2. A write that fails after signing (a full disk): the bulletin is kept; nothing more is
#    signed until it is written out.
sign "Dua" > /dev/full 2>err
check '[ $? != 0 ] && grep -q "warta chain --key office.key -o" err' "a failed write says the bulletin is kept and how to write it out"
expect 65 "the next sign is refused while it is not written out" -- sign "Tiga" -o b3.wb
says "never written out" "and says why"
check '"$warta" chain --key office.key | grep -q "NOT WRITTEN OUT"' "warta chain shows it"
expect 0 "warta chain -o writes it out" -- "$warta" chain --key office.key -o b2.wb
check '[ "$(seq_of b2.wb)" = 2 ] && "$warta" verify b2.wb --key office.pub >/dev/null' "it is sequence 2, and verifies"
sign "Tiga" -o b3.wb 2>/dev/null
check '[ "$(seq_of b3.wb)" = 3 ]' "the next bulletin follows it (sequence 3)"
for b in b1 b2 b3; do "$warta" publish $b.wb --node n1 >/dev/null 2>&1; done
check '[ "$(count n1)" = 3 ]' "all three are stored: no sequence was lost"

# 3. The key copied to a second laptop without its chain state.
mkdir laptop2 && cp office.key laptop2/
expect 65 "warta chain --node tells the copy it is behind the network" -- "$warta" chain --key laptop2/office.key --node n1
says "BEHIND" "and says so"
expect 65 "warta sign --node refuses to sign with it" -- w sign --key laptop2/office.key --verdict HOAKS --title "[HOAKS] Laptop dua" --node n1 -o l1.wb
says "would fork" "and says it would fork, and how to recover"
check '[ ! -e l1.wb ]' "nothing was written"
w sign --key laptop2/office.key --verdict HOAKS --title "[HOAKS] Laptop dua" -o fork.wb 2>/dev/null
expect 65 "without --node, the node refuses the copy's sequence 1 on publish" -- "$warta" publish fork.wb --node n1
says "is taken" "and says the place is taken"
check '[ "$(stat_of n1 "d[\"store\"][\"fork_events\"]")" = 0 ] && "$warta" audit --node n1 >/dev/null' "no fork evidence was made: the audit is clean"
python3 -c 'import base64,sys; t=open("b1.wb").read().split("\n"); sys.stdout.buffer.write(base64.b64decode("".join(l for l in t if l and not l.startswith("-----"))))' > b1.bin
LC_ALL=C sed 's/Satu/Sat0/' b1.bin > altered.bin
expect 65 "an altered copy of a stored bulletin is refused on publish" -- "$warta" publish altered.bin --node n1
says "bad_signature" "as a bad signature, not as a taken place"
expect 0 "warta chain --from-node recovers the chain state" -- "$warta" chain --key laptop2/office.key --from-node n1
says "last sequence 3" "from the node's latest bulletin of the key"
w sign --key laptop2/office.key --verdict HOAKS --title "[HOAKS] Laptop dua" --node n1 -o l1.wb 2>/dev/null
check '[ "$(seq_of l1.wb)" = 4 ] && "$warta" publish l1.wb --node n1 | grep -q "^accepted"' "the copy then signs sequence 4, and the node takes it"

tap_end
