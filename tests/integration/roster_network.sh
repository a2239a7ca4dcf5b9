#!/usr/bin/env bash
# roster_network.sh - ten wartad nodes on loopback (ipc://) that enforce one trust roster:
# roster records published at one node spread to all; a delegated office's bulletins are
# accepted everywhere; an unknown key, an out-of-scope bulletin and, after a revocation has
# spread, the revoked key's next bulletin are refused by every node; a stolen key whose thief
# back-dates what it signs is stopped by a chain end. Prints TAP.
# usage: roster_network.sh WARTA WARTAD
set -u
. "$(dirname "$(realpath "$0")")/tap.sh"
warta=$(realpath "$1"); wartad=$(realpath "$2")
node_work wroster
export PP=office
all_have() { for i in $(seq 1 10); do [ "$(count n$i)" = "$1" ] || return 1; done; }
w() { "$warta" "$@" --passphrase-env PP; }
# refusals FILE: how many of the ten nodes refuse to publish FILE as revoked
refusals() {
    local k=0
    for i in $(seq 1 10); do
        "$warta" publish "$1" --node n$i > out 2>err
        grep -q "does not trust it: revoked" err && k=$((k + 1))
    done
    echo $k
}
T0=2026-01-01T00:00:00Z

for k in root1 root2 root3 root4 root5 ministry bengkulu kota rogue auditor auditor2 platform; do
    "$warta" keygen -o $k.key --cost interactive --passphrase-env PP >/dev/null 2>&1
done
"$warta" roster init --key root1.pub --key root2.pub --key root3.pub --threshold 2 --valid-from $T0 -o root.draft 2>/dev/null
w roster sign root.draft --key root2.key 2>/dev/null
w roster seal root.draft --key root1.key -o root.wrb 2>/dev/null
"$warta" roster delegate --network root.wrb --key ministry.pub --office kemkomdigi --name "Kementerian Komunikasi dan Digital" --role ministry --region "" --may-delegate --valid-from $T0 -o m.draft 2>/dev/null
w roster sign m.draft --key root2.key 2>/dev/null; w roster sign m.draft --key root3.key 2>/dev/null
w roster seal m.draft --key ministry.key -o ministry.wrb 2>/dev/null
"$warta" roster delegate --network root.wrb --key bengkulu.pub --office diskominfo-17 --name "Diskominfo Provinsi Bengkulu" --role province --region 17 --valid-from $T0 -o b.draft 2>/dev/null
w roster seal b.draft --key ministry.key -o bengkulu.wrb 2>/dev/null
"$warta" roster delegate --network root.wrb --key kota.pub --office diskominfo-1771 --name "Diskominfo Kota Bengkulu" --role regency --region 17.71 --valid-from $T0 -o k.draft 2>/dev/null
w roster seal k.draft --key ministry.key -o kota.wrb 2>/dev/null

# Ten nodes, each pinned to the root only: n_i dials n_(i-1) and n_(i-3).
for i in $(seq 1 10); do "$wartad" -d n$i -P pass -k > n$i.key 2>/dev/null; done
for i in $(seq 1 10); do
    args=()
    [ $i -gt 1 ] && args+=(-p "$(cat n$((i - 1)).key)@ipc://$work/n$((i - 1)).sock")
    [ $i -gt 3 ] && args+=(-p "$(cat n$((i - 3)).key)@ipc://$work/n$((i - 3)).sock")
    [ $i = 2 ] && args+=(-U) # n2 keeps what the roster refuses apart
    "$wartad" -d n$i -P pass -N n$i -l "ipc://$work/n$i.sock" -s 500 -R root.wrb "${args[@]}" 2>>n$i.log &
    pids+=($!)
done
check 'wait_for 20 "all_have 0"' "ten nodes start with the roster pinned to the network root"
check 'grep -q "roster: network" n1.log' "the node logs the network it enforces"
check '[ "$(stat_of n5 "d[\"roster\"][\"enforced\"]")" = True ]' "status says the roster is enforced"

# The root, the ministry's enrolment and two offices' enrolments, published at one node.
for f in root ministry bengkulu kota; do "$warta" publish $f.wrb --node n1 > pub-$f.out 2>&1; done
check 'grep -q "^accepted" pub-ministry.out && grep -q "^accepted" pub-bengkulu.out' "the node accepts roster records in force"
check 'wait_for 30 "all_have 4"' "the roster records reach all ten nodes"

# A delegated office's clarification is accepted and spreads everywhere.
w sign --key bengkulu.key --region 17.71 --verdict HOAKS --title "[HOAKS] Air PDAM Kota Bengkulu tercemar" -o b1.wb 2>/dev/null
check '"$warta" publish b1.wb --node n4 | grep -q "^accepted"' "the province's clarification is accepted"
check 'wait_for 30 "all_have 5"' "and reaches all ten nodes"

# An unknown key and an out-of-scope bulletin are refused, with the reason.
w sign --key rogue.key --region 17 --verdict HOAKS --title "[HOAKS] Palsu" -o rogue.wb 2>/dev/null
check '! "$warta" publish rogue.wb --node n2 2>err && grep -q "does not trust it: unknown key" err' "a key the roster does not know is refused"
check '"$warta" list --node n2 --untrusted | grep -q "UNTRUSTED (unknown key).*\[HOAKS\] Palsu"' "a node that keeps untrusted bulletins lists it apart, with the reason"
check '! "$warta" list --node n2 | grep -q "Palsu" && [ "$(count n2)" = 5 ]' "never among the verified ones"
check '[ "$(stat_of n2 "d[\"roster\"][\"kept_apart\"]")" = 1 ]' "status counts what is kept apart"
w sign --key kota.key --region 31 --verdict HOAKS --title "[HOAKS] Jakarta" -o jakarta.wb 2>/dev/null
check '! "$warta" publish jakarta.wb --node n7 2>err && grep -q "out of scope" err' "a regency speaking for another province is refused"
check '[ "$(stat_of n7 "d[\"ingest\"][\"untrusted\"]")" -ge 1 ]' "status counts the refusal"

# Export: JSON Lines that verify again elsewhere, and schema.org ClaimReview naming the office.
check '"$warta" export --node n9 > all.jsonl 2>/dev/null && [ "$(wc -l < all.jsonl)" = "$("$warta" list --node n9 | wc -l)" ]' "export writes one JSON line per stored bulletin"
python3 -c '
import base64, json, sys
for line in open("all.jsonl"):
    d = json.loads(line)
    if d["kind"] == "clarification":
        open("exported.wb", "wb").write(base64.b64decode(d["encoding"]))
'
check '"$warta" verify exported.wb --roster root.wrb --node n9 | grep -q "Diskominfo Kota Bengkulu\|Diskominfo Provinsi Bengkulu"' "an exported line verifies again, office named"
"$warta" export --node n9 --format claimreview --roster root.wrb > cr.json 2>/dev/null
check 'python3 -c "
import json
g = json.load(open(\"cr.json\"))
c = [x for x in g if x[\"author\"][\"name\"] == \"Diskominfo Provinsi Bengkulu\"][0]
assert c[\"@type\"] == \"ClaimReview\" and c[\"@context\"] == \"https://schema.org\"
assert c[\"reviewRating\"][\"alternateName\"] == \"HOAKS\" and c[\"itemReviewed\"][\"@type\"] == \"Claim\"
assert c[\"claimReviewed\"] and c[\"datePublished\"].endswith(\"Z\")
assert all(x[\"@type\"] == \"ClaimReview\" for x in g) and len(g) == 1
"' "export as ClaimReview names the office, the verdict and the claim (notices only)"

# The auditor's check of a node's store, read-only while it runs.
check '"$warta" audit --node n9 --roster root.wrb > audit.out 2>&1 && grep -q "clean: nothing forged, dropped or rewritten" audit.out' "warta audit finds a running node's store clean, roster included"
check '"$warta" audit --node n2 --roster root.wrb --json | python3 -c "import json,sys; d=json.load(sys.stdin); sys.exit(0 if d[\"clean\"] and d[\"bulletins\"] == 5 else 1)"' "and says so in JSON"

# Revocation: published at n1, then every node rejects the key's next bulletin.
sleep 0.01
"$warta" roster revoke --network root.wrb --key bengkulu.pub --reason "laptop hilang" -o r.draft 2>/dev/null
w roster seal r.draft --key ministry.key -o revoke.wrb 2>/dev/null
sleep 0.01
w sign --key bengkulu.key --region 17 --verdict HOAKS --title "[HOAKS] Dari kunci yang dicuri" -o b2.wb 2>/dev/null
check '"$warta" publish revoke.wrb --node n1 | grep -q "^accepted"' "the revocation is accepted at one node"
check 'wait_for 30 "all_have 6"' "and reaches all ten nodes"
refused=$(refusals b2.wb)
check '[ $refused = 10 ]' "every node rejects the revoked key's next bulletin ($refused of 10)"
check 'all_have 6' "and none stores it"
check '"$warta" get "$("$warta" show b1.wb | python3 -c "import json,sys; print(json.load(sys.stdin)[\"id\"])")" --node n10 >/dev/null' "its bulletin from before the revocation stays"

# Two root rotations: every node, pinned to version 1, follows to version 3. Both take force
# now: what was sealed before stays under version 1 (authority is judged when a record is sealed).
sleep 1
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
"$warta" roster init --previous root.wrb --key root2.pub --key root3.pub --key root4.pub --threshold 2 --valid-from "$now" -o v2.draft 2>/dev/null
w roster sign v2.draft --key root3.key 2>/dev/null; w roster sign v2.draft --key root4.key 2>/dev/null
w roster seal v2.draft --key root2.key -o root-v2.wrb 2>/dev/null
"$warta" roster init --previous root-v2.wrb --key root5.pub --threshold 1 --valid-from "$now" -o v3.draft 2>/dev/null
w roster sign v3.draft --key root3.key 2>/dev/null; w roster sign v3.draft --key root5.key 2>/dev/null
w roster seal v3.draft --key root4.key -o root-v3.wrb 2>/dev/null
# Version 3 is sealed by a key of version 2, so n8 must have version 2 before it can take it.
check '"$warta" publish root-v2.wrb --node n3 | grep -q "^accepted" && wait_for 30 "[ \"\$(stat_of n8 \"d[\\\"roster\\\"][\\\"root_version\\\"]\")\" = 2 ]" && "$warta" publish root-v3.wrb --node n8 | grep -q "^accepted"' "root versions 2 and 3 are accepted"
follow3() { for i in $(seq 1 10); do [ "$(stat_of n$i "d[\"roster\"][\"root_version\"]")" = 3 ] || return 1; done; }
check 'wait_for 30 follow3' "every node pinned to version 1 follows two rotations to version 3"
"$warta" roster delegate --network root.wrb --key auditor.pub --office dpr-komisi-1 --name "Komisi I DPR" --role auditor --region "" --valid-from 2026-05-01T00:00:00Z -o a.draft 2>/dev/null
w roster seal a.draft --key root5.key -o auditor.wrb 2>/dev/null
check '"$warta" publish auditor.wrb --node n6 | grep -q "^accepted"' "the new root alone enrols an auditor"
"$warta" roster delegate --network root.wrb --key auditor2.pub --office dpr-komisi-2 --name "Komisi II DPR" --role auditor --region "" --valid-from 2026-05-01T00:00:00Z -o a2.draft 2>/dev/null
w roster sign a2.draft --key root1.key 2>/dev/null
w roster seal a2.draft --key root2.key -o auditor2.wrb 2>/dev/null
check '! "$warta" publish auditor2.wrb --node n6 2>err && grep -q "not authorized" err' "the old root's holders no longer can"
check 'wait_for 30 "all_have 9"' "the new roots and the enrolment reach all ten nodes"

# A restarted node rebuilds the roster from its store.
kill -TERM "${pids[9]}"; wait "${pids[9]}" 2>/dev/null
"$wartad" -d n10 -P pass -N n10 -l "ipc://$work/n10.sock" -s 500 -R root.wrb -p "$(cat n9.key)@ipc://$work/n9.sock" 2>>n10.log &
pids+=($!)
check 'wait_for 10 "[ -n \"\$(count n10)\" ]" && grep -q "7 from the store" n10.log' "a restarted node reloads the roster records from its store"
check 'wait_for 10 "[ \"\$(stat_of n10 \"d[\\\"roster\\\"][\\\"root_version\\\"]\")\" = 3 ]"' "and follows the root to version 3 again"
"$warta" publish b2.wb --node n10 > out 2>err
check 'grep -q "revoked" err' "and still rejects the revoked key"

# A theft. A city newly enrolled by the ministry signs two clarifications; a thief copies its
# key (and chain state) and signs on, dating everything back to January.
for k in city city2; do "$warta" keygen -o $k.key --cost interactive --passphrase-env PP >/dev/null 2>&1; done
"$warta" roster delegate --network root.wrb --key city.pub --office diskominfo-1772 --name "Diskominfo Kota Bengkulu Selatan" --role regency --region 17.72 --valid-from $T0 -o c.draft 2>/dev/null
w roster seal c.draft --key ministry.key -o city.wrb 2>/dev/null
check '"$warta" publish city.wrb --node n1 | grep -q "^accepted"' "the ministry enrols a city"
w sign --key city.key --region 17.72 --verdict HOAKS --title "[HOAKS] Banjir di Kota Bengkulu" -o k1.wb 2>/dev/null
w sign --key city.key --region 17.72 --verdict HOAKS --title "[HOAKS] Jembatan runtuh" -o k2.wb 2>/dev/null
check '"$warta" publish k1.wb --node n1 | grep -q "^accepted" && "$warta" publish k2.wb --node n1 | grep -q "^accepted"' "the city's two clarifications are accepted"
cp city.key thief.key; cp city.key.chain thief.key.chain
w sign --key thief.key --region 17.72 --verdict HOAKS --issued-at 2026-01-05T00:00:00Z --title "[HOAKS] Palsu dari pencuri" -o t1.wb 2>/dev/null
check '"$warta" publish t1.wb --node n5 | grep -q "^accepted"' "the thief's back-dated bulletin is accepted while nobody knows"
check 'wait_for 30 "all_have 13"' "and spreads"
# The ministry ends the stolen key's chain after the city's last good bulletin.
"$warta" roster end --network root.wrb --key city.pub --last-good k2.wb --reason "kunci dicuri" -o end.draft 2>/dev/null
w roster seal end.draft --key ministry.key -o end.wrb 2>/dev/null
check '"$warta" publish end.wrb --node n1 | grep -q "^accepted"' "the ministry's chain end is accepted"
check 'wait_for 30 "all_have 14"' "and reaches all ten nodes"
w sign --key thief.key --region 17.72 --verdict HOAKS --issued-at 2026-01-06T00:00:00Z --title "[HOAKS] Lagi dari pencuri" -o t2.wb 2>/dev/null
refused=$(refusals t2.wb)
check '[ $refused = 10 ]' "every node refuses the thief's next bulletin, dated January ($refused of 10)"
"$warta" verify t1.wb --roster root.wrb --node n3 > out 2>err
check '[ $? = 5 ] && grep -q "revoked" out err' "warta verify no longer trusts what the thief signed before the chain end was known"
check '"$warta" verify k2.wb --roster root.wrb --node n3 | grep -q "Diskominfo Kota Bengkulu Selatan"' "the city's last good bulletin stays trusted, its office named"
"$warta" audit --node n3 --roster root.wrb --json > audit-theft.json 2>/dev/null
check 'python3 -c "
import json,sys
d = json.load(open(\"audit-theft.json\"))
f = list(d[\"findings\"].values())
sys.exit(0 if not d[\"clean\"] and len(f) == 1 and f[0][\"count\"] == 1 and \"revoked\" in f[0][\"first\"] else 1)"' "warta audit names the thief's one stored bulletin as revoked, and nothing else of the city's"
# The office moves to a new key; its delegator seals the rotation (the old key is the thief's).
"$warta" keygen -o city2.key --cost interactive --passphrase-env PP >/dev/null 2>&1
"$warta" roster rotate --network root.wrb --old city.pub --new city2.pub -o rot.draft 2>/dev/null
w roster seal rot.draft --key ministry.key -o rot.wrb 2>/dev/null
check '"$warta" publish rot.wrb --node n2 | grep -q "^accepted"' "the ministry moves the city to a new key"
sleep 0.01
w sign --key city2.key --region 17.72 --verdict HOAKS --title "[HOAKS] Dari kunci baru" -o k3.wb 2>/dev/null
check 'wait_for 30 "\"$warta\" publish k3.wb --node n9 | grep -q ^accepted"' "the new key's clarification is accepted"
check '"$warta" verify k3.wb --roster root.wrb --node n9 | grep -q "Diskominfo Kota Bengkulu Selatan" && "$warta" verify k1.wb --roster root.wrb --node n9 | grep -q "Diskominfo Kota Bengkulu Selatan"' "old and new bulletins are attributed to the same office"

# A platform's report and receipt travel like everything else; the auditor may sign neither.
"$warta" roster delegate --network root.wrb --key platform.pub --office platform-x --name "Platform X" --role platform --region "" -o plat.draft 2>/dev/null
w roster seal plat.draft --key ministry.key -o plat.wrb 2>/dev/null
check '"$warta" publish plat.wrb --node n1 | grep -q "^accepted"' "the ministry enrols a platform"
w sign --key platform.key --kind report --region 17.72 --priority urgent --claim "Pesan berantai: bendungan jebol" --url https://wa.example/f/2 -o rep.wb 2>/dev/null
check 'wait_for 30 "\"$warta\" publish rep.wb --node n10 | grep -q ^accepted"' "the platform's report is accepted at one node"
w sign --key platform.key --kind receipt --bulletin "$("$warta" show k3.wb | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')" --action removed --items 3 -o rec.wb 2>/dev/null
check '"$warta" publish rec.wb --node n10 | grep -q "^accepted"' "and its receipt"
has_both() { for i in $(seq 1 10); do "$warta" list --node n$i --json | python3 -c "
import json,sys; k=[b['kind'] for b in json.load(sys.stdin)]; sys.exit(0 if 'report' in k and 'receipt' in k else 1)" || return 1; done; }
check 'wait_for 30 has_both' "both reach all ten nodes"
w sign --key auditor.key --kind report --region 17 --claim "x" --url https://x.example/1 -o aud.wb 2>/dev/null
check '! "$warta" publish aud.wb --node n6 2>err && grep -q "role" err' "an auditor's report is refused for its role"

tap_end
