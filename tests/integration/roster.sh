#!/usr/bin/env bash
# roster.sh - the trust roster with the warta tool, as a network's root holders, the ministry
# and a provincial office run it: k-of-n root from separate key files, enrolment by the
# ministry, verification naming the office, scope, revocation by time, key rotation, root
# rotation. Prints TAP.
# usage: roster.sh WARTA_BINARY
set -u
. "$(dirname "$(realpath "$0")")/tap.sh"
warta=$(realpath "$1")
work=$(mktemp -d /tmp/warta-roster-XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
export PASS=kata-sandi-uji
w() { "$warta" "$@" --passphrase-env PASS; }
T0=2026-01-01T00:00:00Z

for k in root1 root2 root3 root4 ministry bengkulu bengkulu2 rogue platform; do
    "$warta" keygen -o $k.key --cost interactive --passphrase-env PASS >/dev/null 2>&1 || echo "# keygen $k failed"
done

# The root: 2 of 3, signatures gathered from separate key files.
expect 0 "roster init writes a root draft" -- "$warta" roster init --key root1.pub --key root2.pub --key root3.pub --threshold 2 --valid-from $T0 -o root.draft
expect 0 "a second root holder co-signs the draft" -- w roster sign root.draft --key root2.key
says "1 co-signature" "the draft counts its co-signatures"
expect 0 "the first holder seals it" -- w roster seal root.draft --key root1.key -o root.wrb
cp root.wrb lonely.draft.wrb 2>/dev/null
"$warta" roster init --key root1.pub --key root2.pub --key root3.pub --threshold 2 --valid-from $T0 -o alone.draft >/dev/null 2>&1
w roster seal alone.draft --key root1.key -o alone.wrb >/dev/null 2>&1
expect 66 "a root with 1 of 2 signatures is refused as a roster" -- "$warta" verify root.wrb --roster alone.wrb
says "threshold" "the refusal names the threshold"

# The ministry: enrolled by two root holders, may delegate nationally.
expect 0 "delegate the ministry" -- "$warta" roster delegate --network root.wrb --key ministry.pub --office kemkomdigi --name "Kementerian Komunikasi dan Digital" --role ministry --region "" --may-delegate --valid-from $T0 -o ministry.draft
w roster sign ministry.draft --key root1.key >/dev/null 2>&1
w roster sign ministry.draft --key root3.key >/dev/null 2>&1
expect 0 "the ministry seals its own enrolment" -- w roster seal ministry.draft --key ministry.key -o ministry.wrb
# Bengkulu province: enrolled by the ministry alone.
"$warta" roster delegate --network root.wrb --key bengkulu.pub --office diskominfo-17 --name "Diskominfo Provinsi Bengkulu" --role province --region 17 --valid-from $T0 -o bengkulu.draft >/dev/null 2>&1
expect 0 "the ministry enrols Bengkulu" -- w roster seal bengkulu.draft --key ministry.key -o bengkulu.wrb
# A rogue key enrols itself: it has no authority.
"$warta" roster delegate --network root.wrb --key rogue.pub --office diskominfo-17 --name "Diskominfo Provinsi Bengkulu" --role province --region 17 --valid-from $T0 -o rogue.draft >/dev/null 2>&1
w roster seal rogue.draft --key rogue.key -o rogue.wrb >/dev/null 2>&1
cat root.wrb ministry.wrb bengkulu.wrb rogue.wrb > network.roster

w sign --key bengkulu.key --region 17.71 --verdict HOAKS --title "[HOAKS] Air PDAM Kota Bengkulu tercemar" --issued-at 2026-06-01T00:00:00Z -o notice1.wb >/dev/null 2>&1
expect 0 "verify with the roster: valid" -- "$warta" verify notice1.wb --roster network.roster --at 2026-06-02T00:00:00Z
says "office:   Diskominfo Provinsi Bengkulu (diskominfo-17), province, regions 17" "it names the office, role and scope"
says "delegated by: network root version 1" "it shows the delegation path to the root"
expect 0 "verify --json names the office" -- "$warta" verify notice1.wb --roster network.roster --json --at 2026-06-02T00:00:00Z
says '"office": "diskominfo-17"' "the JSON carries the office"
seq_of() { "$warta" show bengkulu.key.chain | python3 -c 'import json,sys; print(json.load(sys.stdin)["sequence"])'; }
before=$(seq_of)
expect 65 "sign --roster refuses an out-of-scope bulletin before signing" -- w sign --key bengkulu.key --roster network.roster --region 31 --verdict HOAKS --title "[HOAKS] Jakarta" -o refused.wb
says "out of scope; nothing signed" "and says why"
[ ! -e refused.wb ] && [ "$(seq_of)" = "$before" ] && ok "nothing was signed: the chain did not advance" || not_ok "nothing was signed: the chain did not advance"
expect 0 "sign --roster signs a bulletin in scope" -- w sign --key bengkulu.key --roster network.roster --region 17 --verdict HOAKS --title "[HOAKS] Dalam wilayah" --issued-at 2026-06-01T00:00:00.500Z -o inscope.wb
w sign --key bengkulu.key --region 31 --verdict HOAKS --title "[HOAKS] Jakarta" --issued-at 2026-06-01T00:00:01Z -o jakarta.wb >/dev/null 2>&1
expect 5 "a bulletin for another province: untrusted" -- "$warta" verify jakarta.wb --roster network.roster
says "out of scope" "it says out of scope"
w sign --key rogue.key --region 17 --verdict HOAKS --title "[HOAKS] palsu" -o rogue-notice.wb >/dev/null 2>&1
expect 5 "a self-enrolled key: untrusted" -- "$warta" verify rogue-notice.wb --roster network.roster
says "unknown key" "it says unknown key"
expect 0 "the same bulletin still verifies against its own key" -- "$warta" verify rogue-notice.wb --key rogue.pub

# Roles (PROTOCOL.md §18 step 7): a platform reports and sends receipts, an office clarifies and
# answers; neither signs what is the other's.
"$warta" roster delegate --network root.wrb --key platform.pub --office platform-x --name "Platform X" --role platform --region "" --valid-from $T0 -o platform.draft >/dev/null 2>&1
w roster seal platform.draft --key ministry.key -o platform.wrb >/dev/null 2>&1
cat network.roster platform.wrb > roles.roster
expect 0 "a platform signs a report of a claim seen circulating" -- w sign --key platform.key --kind report --region 17.71 --priority urgent --claim "Pesan berantai: air PDAM tercemar" --url https://wa.example/f/1 --issued-at 2026-06-01T01:00:00Z -o report.wb
expect 0 "the report is trusted, from the platform's office" -- "$warta" verify report.wb --roster roles.roster
says "Platform X (platform-x), platform" "it names the platform"
rid=$("$warta" show report.wb | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
expect 0 "the office answers it: a clarification naming the report (version 2)" -- w sign --key bengkulu.key --roster roles.roster --region 17.71 --verdict HOAKS --title "[HOAKS] Air PDAM tidak tercemar" --answers "$rid" --issued-at 2026-06-01T02:00:00Z -o answer.wb
check '"$warta" show answer.wb | grep -q "\"version\": 2" && "$warta" show answer.wb | grep -q "$rid"' "its JSON is version 2 and names the report"
expect 0 "the answer is trusted" -- "$warta" verify answer.wb --roster roles.roster
aid=$("$warta" show answer.wb | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
expect 0 "the platform sends a receipt for the answer" -- w sign --key platform.key --roster roles.roster --kind receipt --bulletin "$aid" --action reach_reduced --items 40 --issued-at 2026-06-01T03:00:00Z -o receipt.wb
expect 0 "the receipt is trusted" -- "$warta" verify receipt.wb --roster roles.roster
says "reach_reduced, 40 items" "verify shows the action and the items"
expect 65 "a platform key may not sign a clarification (refused before signing)" -- w sign --key platform.key --roster roles.roster --region 17 --verdict HOAKS --title "[HOAKS] dari platform" -o platform-notice.wb
says "not allowed for its office's role" "and says why"
w sign --key platform.key --region 17 --verdict HOAKS --title "[HOAKS] dari platform" --issued-at 2026-06-01T04:00:00Z -o platform-notice.wb >/dev/null 2>&1
expect 5 "signed anyway, the platform's clarification is untrusted" -- "$warta" verify platform-notice.wb --roster roles.roster
w sign --key bengkulu.key --kind receipt --bulletin "$aid" --action labelled --items 1 --issued-at 2026-06-01T05:00:00Z -o office-receipt.wb >/dev/null 2>&1
expect 5 "a receipt from a key without the platform role is untrusted" -- "$warta" verify office-receipt.wb --roster roles.roster
says "not allowed for its office's role" "it says the role does not allow it"
expect 65 "no action needs a reason" -- w sign --key platform.key --kind receipt --bulletin "$aid" --action no_action -o x.wb
expect 65 "a report needs where it was seen or a content hash" -- w sign --key platform.key --kind report --claim "x" -o x.wb
echo "isi pesan yang beredar" > media.txt
w sign --key platform.key --kind report --claim "Pesan berantai" --content-file media.txt -o hashed.wb >/dev/null 2>&1
check '"$warta" show hashed.wb | grep -q "$(sha256sum media.txt | cut -c1-64)"' "--content-file puts the file's SHA-256 in the report"

# Revocation from 2026-07-01: earlier bulletins stay valid, later ones are rejected.
w sign --key bengkulu.key --region 17 --verdict HOAKS --title "[HOAKS] sesudah" --issued-at 2026-07-02T00:00:00Z -o after.wb >/dev/null 2>&1
expect 0 "revoke the key from a time" -- "$warta" roster revoke --network root.wrb --key bengkulu.pub --at 2026-07-01T00:00:00Z --reason "laptop hilang" -o revoke.draft
w roster seal revoke.draft --key ministry.key -o revoke.wrb >/dev/null 2>&1
cat network.roster revoke.wrb > revoked.roster
expect 0 "a bulletin issued before the revocation stays valid" -- "$warta" verify notice1.wb --roster revoked.roster
expect 5 "a bulletin issued after it is rejected" -- "$warta" verify after.wb --roster revoked.roster
says "revoked" "it says revoked"
expect 0 "roster show lists the records and what is in force" -- "$warta" roster show revoked.roster
says "revocation from 2026-07-01" "show prints the revocation"
says "status: not authorized" "show marks the rogue enrolment as not in force"

# Rotation: Bengkulu moves to a new key; the office stays the same.
expect 0 "rotate the office key" -- "$warta" roster rotate --network root.wrb --old bengkulu.pub --new bengkulu2.pub --at 2026-06-15T00:00:00Z -o rotate.draft
w roster seal rotate.draft --key bengkulu.key -o rotate.wrb >/dev/null 2>&1
cat network.roster rotate.wrb > rotated.roster
w sign --key bengkulu2.key --region 17 --verdict HOAKS --title "[HOAKS] kunci baru" --issued-at 2026-06-20T00:00:00Z -o new-key.wb >/dev/null 2>&1
expect 0 "the new key speaks for the office" -- "$warta" verify new-key.wb --roster rotated.roster
says "Diskominfo Provinsi Bengkulu" "attributed to the same office"
says "rotated from: wpk1" "and shows the key it replaced"
expect 0 "the old key's earlier bulletin keeps its office" -- "$warta" verify notice1.wb --roster rotated.roster
expect 5 "the old key after the rotation is rejected" -- "$warta" verify after.wb --roster rotated.roster

# Root rotation: version 2 (root2, root3, root4; 2 of 3) needs 2 old and 2 new signatures.
expect 0 "a root version 2 draft" -- "$warta" roster init --previous root.wrb --key root2.pub --key root3.pub --key root4.pub --threshold 2 --valid-from 2026-03-01T00:00:00Z -o root2.draft
w roster sign root2.draft --key root4.key >/dev/null 2>&1
w roster seal root2.draft --key root1.key -o root2-weak.wrb >/dev/null 2>&1
"$warta" roster show root.wrb root2-weak.wrb > out 2>err
says "status: not authorized" "with 1 old + 1 new signature it is not followed"
w roster sign root2.draft --key root2.key >/dev/null 2>&1
w roster seal root2.draft --key root3.key -o root2.wrb >/dev/null 2>&1
"$warta" roster show root.wrb root2.wrb > out 2>err
if grep -c "status: in force" out | grep -q 2; then ok "with 2 old + 2 new signatures version 2 is in force"; else not_ok "with 2 old + 2 new signatures version 2 is in force"; fi

# Hostile input.
printf 'garbage' > junk.wrb
expect 66 "a roster file without bulletins is refused" -- "$warta" verify notice1.wb --roster junk.wrb
expect 64 "delegate without --network is a usage error" -- "$warta" roster delegate --key bengkulu.pub -o x.draft
expect 64 "an unknown role is a usage error" -- "$warta" roster delegate --network root.wrb --key bengkulu.pub --office x --name x --role king --region 17 -o x.draft
expect 65 "a bad office id is refused" -- "$warta" roster delegate --network root.wrb --key bengkulu.pub --office "Bad Office" --name x --role province --region 17 -o x.draft

tap_end
