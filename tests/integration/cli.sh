#!/usr/bin/env bash
# cli.sh - the warta tool end to end, as a user runs it: keygen, sign, verify, show, and every
# failure with its own message and exit code. Prints TAP.
# usage: cli.sh WARTA_BINARY SOURCE_ROOT
set -u
. "$(dirname "$(realpath "$0")")/tap.sh"
warta=$(realpath "$1")
root=$(realpath "$2")
work=$(mktemp -d /tmp/warta-cli-XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
export PASS=kata-sandi-uji OTHER=lain

json_field() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d[sys.argv[2]])' "$@"; }

expect 0 "keygen makes an issuer key" -- "$warta" keygen -o prov.key --cost interactive --passphrase-env PASS
says "fingerprint: [0-9]\{5\} [0-9]\{5\}" "keygen prints a fingerprint"
[ "$(stat -c %a prov.key)" = 600 ] && ok "secret key file is mode 0600" || not_ok "secret key file is mode 0600"
grep -q '^wpk1' prov.pub && ok "public key file holds the text form" || not_ok "public key file holds the text form"
expect 73 "keygen refuses to overwrite" -- "$warta" keygen -o prov.key --cost interactive --passphrase-env PASS
says "refusing to overwrite" "the refusal says why"
expect 0 "a second issuer key" -- "$warta" keygen -o other.key --cost interactive --passphrase-env OTHER
EMPTY= expect 64 "an empty passphrase is refused" -- "$warta" keygen -o empty.key --cost interactive --passphrase-env EMPTY

expect 0 "sign a sample bulletin from JSON" -- "$warta" sign --key prov.key --passphrase-env PASS --in "$root/samples/bengkulu-tsunami-hoaks.json" -o b1.wb
says "sequence 1" "the first bulletin has sequence 1"
expect 0 "verify accepts it with the issuer's .pub" -- "$warta" verify b1.wb --key prov.pub
says "VALID clarification #1" "verify says valid, kind and sequence"
says "Tsunami Susulan" "verify prints the title"
expect 0 "verify accepts the key as text" -- "$warta" verify b1.wb --key "$(cat prov.pub)"

expect 0 "sign from flags, binary output" -- "$warta" sign --key prov.key --passphrase-env PASS --verdict MISINFORMASI --region 17.71 --title "[MISINFORMASI] Foto banjir lama" --reference https://bengkulukota.go.id/x --binary -o b2.bin
expect 0 "show prints JSON" -- "$warta" show b2.bin
cp out b2.json
[ "$(json_field b2.json sequence)" = 2 ] && ok "second bulletin has sequence 2" || not_ok "second bulletin has sequence 2"
"$warta" show b1.wb > b1.json
[ "$(json_field b2.json previous)" = "$(json_field b1.json id)" ] && ok "previous is the first bulletin's id" || not_ok "previous is the first bulletin's id"
[ "$(json_field b2.json region)" = 17.71 ] && ok "flags set the region" || not_ok "flags set the region"

echo '{"sequence": 2, "verdict": "HOAKS", "title": "x"}' > reuse.json
expect 65 "a used sequence number is refused" -- "$warta" sign --key prov.key --passphrase-env PASS --in reuse.json -o b3.wb
says "sequence 2 already used" "the refusal names the sequence"
[ ! -e b3.wb ] && ok "nothing was written" || not_ok "nothing was written"

expect 2 "verify with another issuer's key: wrong key" -- "$warta" verify b1.wb --key other.pub
says "issued by wpk1" "wrong key names both keys"
cp b2.bin tampered.bin
printf 'X' | dd of=tampered.bin bs=1 seek=200 conv=notrunc status=none
expect 1 "a changed byte: bad signature" -- "$warta" verify tampered.bin --key prov.pub
says "forged or altered" "bad signature says forged or altered"
head -c 150 b2.bin > short.bin
expect 3 "a truncated bulletin: malformed" -- "$warta" verify short.bin --key prov.pub
says "malformed bulletin: field" "malformed names the field"
expect 66 "a missing file" -- "$warta" verify nothere.wb --key prov.pub
printf 'WRTX' > badmagic.bin; cat b2.bin >> badmagic.bin
expect 3 "a file with a damaged magic: malformed" -- "$warta" verify badmagic.bin --key prov.pub
printf 'WR' > tiny.bin
expect 3 "a file shorter than the magic: malformed" -- "$warta" verify tiny.bin --key prov.pub
# A roster record whose bulletin signature holds but one co-signature does not (re-signed
# with the sealer's seed from the vectors): rejected whole.
py=$(for p in /usr/bin/python3 python3; do "$p" -c 'import nacl' 2>/dev/null && echo "$p" && break; done)
if [ -n "$py" ]; then
    "$py" - "$root/tests/vectors/roster-v2.json" > badcosig.bin <<'PY'
import json, struct, sys
import nacl.signing
d = json.load(open(sys.argv[1]))
rec = d["scenarios"][0]["records"][1]  # the ministry's enrolment: sealed by it, two co-signatures
enc = bytearray(bytes.fromhex(rec["encoding"]))
enc[-65] ^= 1  # the last byte of the body: inside the last co-signature
seed = bytes.fromhex(d["keys"][rec["sealed_by"]]["seed"])
sig = nacl.signing.SigningKey(seed).sign(b"warta/bulletin/v1\x00" + bytes(enc[:-64])).signature
sys.stdout.buffer.write(bytes(enc[:-64]) + sig)
PY
    issuer=$("$warta" show badcosig.bin | python3 -c 'import json,sys; print(json.load(sys.stdin)["issuer"])')
    expect 1 "a roster record with a co-signature that fails is not valid" -- "$warta" verify badcosig.bin --key "$issuer"
    says "rejected whole" "and says the record is rejected whole"
    # The last sequence a chain can hold, 2^64 - 1, printed as the number it is.
    "$py" - "$root/tests/vectors/roster-v2.json" > maxseq.bin <<'PY'
import json, struct, sys
import nacl.signing
d = json.load(open(sys.argv[1]))
c = d["scenarios"][0]["checks"][1]  # sequence 2: its previous id is set
enc = bytearray(bytes.fromhex(c["encoding"]))
enc[38:46] = struct.pack(">Q", 2**64 - 1)  # magic, version, kind, issuer: then the sequence
seed = bytes.fromhex(d["keys"][c["issuer"]]["seed"])
sig = nacl.signing.SigningKey(seed).sign(b"warta/bulletin/v1\x00" + bytes(enc[:-64])).signature
sys.stdout.buffer.write(bytes(enc[:-64]) + sig)
PY
    check '"$warta" show maxseq.bin | grep -q "\"sequence\": 18446744073709551615,"' "warta show prints sequence 2^64 - 1 as 18446744073709551615"
else
    for i in 1 2 3; do echo "ok $((n + 1)) # SKIP python3-nacl is not installed"; n=$((n + 1)); done
fi

expect 0 "sign an expiring bulletin" -- "$warta" sign --key prov.key --passphrase-env PASS --verdict HOAKS --title "Lama" --issued-at 2020-01-01T00:00:00Z --expires-at 2020-01-02T00:00:00Z -o old.wb
expect 4 "an expired bulletin: expired" -- "$warta" verify old.wb --key prov.pub
says "authentic, but expired" "expired says it is authentic"
expect 0 "valid at a time before expiry" -- "$warta" verify old.wb --key prov.pub --at 2020-01-01T12:00:00Z
# Times with an offset or an Indonesian zone: the same instant, printed in UTC.
issued() { "$warta" show "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["issued_at"])'; }
for t in "2020-01-01T17:00:00+07:00" "2020-01-01 17:00:00 WIB" "2020-01-01T18:00:00WITA" "2020-01-01T19:00:00 WIT" "2020-01-01T10:00:00.000Z" "2020-01-01T05:30:00-04:30"; do
    rm -f tz.wb
    "$warta" sign --key prov.key --passphrase-env PASS --verdict HOAKS --title "Zona" --issued-at "$t" -o tz.wb 2>/dev/null
    check '[ "$(issued tz.wb)" = 2020-01-01T10:00:00.000Z ]' "--issued-at '$t' is 2020-01-01T10:00:00.000Z ($(issued tz.wb 2>/dev/null))"
done
expect 0 "verify --at takes a zone too" -- "$warta" verify old.wb --key prov.pub --at "2020-01-01 19:00:00 WIB"
for t in "2020-01-01T17:00:00+25:00" "2020-01-01T17:00:00 CET" "2020-01-01T17:00:00" "2020-02-30T10:00:00Z" "2020-01-01T10:00:00.1234Z"; do
    expect 64 "a time it cannot read is refused: '$t'" -- "$warta" verify old.wb --key prov.pub --at "$t"
done
says "not a time like 2026-11-23T10:00:00Z, 2026-11-23T17:00:00+07:00 or 2026-11-23 17:00:00 WIB" "and says what a time looks like"

expect 0 "verify --json" -- "$warta" verify b1.wb --key prov.pub --json
python3 -c 'import json; d=json.load(open("out")); assert d["valid"] and d["result"]=="valid" and d["bulletin"]["verdict"]=="HOAKS"' && ok "--json reports valid with the bulletin" || not_ok "--json reports valid with the bulletin"
expect 1 "verify --json on a forgery" -- "$warta" verify tampered.bin --key prov.pub --json
python3 -c 'import json; d=json.load(open("out")); assert not d["valid"] and d["result"]=="bad_signature"' && ok "--json reports bad_signature" || not_ok "--json reports bad_signature"

expect 65 "a wrong passphrase" -- "$warta" sign --key prov.key --passphrase-env OTHER --verdict HOAKS --title t -o w.wb
says "wrong passphrase" "says wrong passphrase"
cp prov.key damaged.key
sed -i '2s/^./A/;2s/^AA/BA/' damaged.key
cp prov.key.chain damaged.key.chain
expect 66 "a damaged key file" -- "$warta" sign --key damaged.key --passphrase-env PASS --verdict HOAKS --title t -o d.wb
says "damaged" "says damaged, not wrong passphrase"
echo pass-from-file > pw.txt
expect 0 "passphrase from a file" -- "$warta" keygen -o filepw.key --cost interactive --passphrase-file pw.txt
expect 0 "and signing with it" -- "$warta" sign --key filepw.key --passphrase-file pw.txt --verdict BENAR --title "Benar" -o f.wb

typo=$(sed 's/^\(.\{20\}\)./\1Z/' prov.pub); [ "$typo" = "$(cat prov.pub)" ] && typo=$(sed 's/^\(.\{20\}\)./\1Y/' prov.pub)
expect 64 "a mistyped public key" -- "$warta" verify b1.wb --key "$typo"
says "checksum does not match" "says checksum"
expect 65 "an invalid region" -- "$warta" sign --key prov.key --passphrase-env PASS --verdict HOAKS --title t --region abc -o r.wb
says "field 'region'" "names the field"
echo '{"titel": "typo"}' > unknown.json
expect 65 "an unknown JSON field" -- "$warta" sign --key prov.key --passphrase-env PASS --in unknown.json -o u.wb
says '"titel": unknown field' "names the unknown field"
echo '{"title": "a", "title": "b"}' > dup.json
expect 3 "duplicate JSON keys: malformed input" -- "$warta" sign --key prov.key --passphrase-env PASS --in dup.json -o u.wb
says "a field is given twice" "in the tool's own words"
echo '{"title": ' > broken.json
expect 3 "JSON that does not parse: malformed input" -- "$warta" sign --key prov.key --passphrase-env PASS --in broken.json -o u.wb
says "broken.json:[0-9]*:[0-9]*: not valid JSON" "names the file, line and column"
check '! grep -q "expected near\|end of file expected\|unexpected token" err' "and no library wording leaks"
mkdir -p adir
expect 66 "--in a directory: cannot be read" -- "$warta" sign --key prov.key --passphrase-env PASS --in adir -o u.wb
says "adir: is a directory" "and says it is a directory"
# Messages that name the real cause: a missing field, a limit.
expect 65 "a bulletin without a title" -- "$warta" sign --key prov.key --passphrase-env PASS --verdict HOAKS -o nt.wb
says "field 'title' is missing (give it as a flag, --title, or in the JSON)" "says the title is missing"
expect 65 "a title over its limit" -- "$warta" sign --key prov.key --passphrase-env PASS --verdict HOAKS --title "$(head -c 3000 /dev/zero | tr '\0' a)" -o lt.wb
says "field 'title' is longer than its limit of [0-9]* bytes" "says the limit"
# One exit-code table: 3 malformed, 66 unreadable, whatever the subcommand.
echo "not a bulletin" > junk.txt
for c in "show junk.txt" "verify junk.txt --key prov.pub" "publish junk.txt --node ." "roster show junk.txt" "audit --check junk.txt" "pubkey junk.txt" "chain --key prov.key --from junk.txt"; do
    expect 3 "warta $c: malformed input exits 3" -- "$warta" $c
done
"$warta" audit --check junk.txt > out 2>err
says "not a checkpoint or proof file" "audit --check says what the file is not"
for c in "show adir" "verify adir --key prov.pub" "publish adir --node ." "roster show adir" "audit --check adir" "pubkey adir" "show nowhere.wb"; do
    expect 66 "warta $c: a file that cannot be read exits 66" -- "$warta" $c
done
expect 73 "sign refuses to overwrite output" -- "$warta" sign --key prov.key --passphrase-env PASS --verdict HOAKS --title t -o b1.wb
"$warta" show b1.wb > again.json && cmp -s again.json b1.json && ok "the refused sign left b1.wb as it was" || not_ok "the refused sign left b1.wb as it was"
expect 64 "unknown subcommand" -- "$warta" frobnicate

# Every consumer of the trust rules gives one answer, whatever the order of the records: for
# each scenario of the roster vectors, `warta verify --roster` and `warta roster show` over the
# roster file as listed and reversed (the pinned root first) agree with each other and with
# the vectors.
"$py" - "$warta" "$root/tests/vectors/roster-v2.json" > consumers.out 2>&1 <<'PY'
import base64, json, subprocess, sys
warta, vectors = sys.argv[1], sys.argv[2]
def armor(raw):
    b = base64.b64encode(raw).decode()
    return "-----BEGIN WARTA BULLETIN-----\n" + "\n".join(b[i:i + 64] for i in range(0, len(b), 64)) + "\n-----END WARTA BULLETIN-----\n"
bad = 0
for k, sc in enumerate(json.load(open(vectors))["scenarios"]):
    recs = [bytes.fromhex(r["encoding"]) for r in sc["records"]]
    shows = []
    for order, name in ((recs, "listed"), ([recs[0]] + recs[:0:-1], "reversed")):
        path = "sc%d-%s.roster" % (k, name)
        open(path, "w").write("".join(armor(r) for r in order))
        out = subprocess.run([warta, "roster", "show", path], capture_output=True, text=True).stdout
        shows.append(sorted(b for b in out.split("\n\n") if b.strip()))
        for j, c in enumerate(sc["checks"]):
            open("n.wb", "w").write(armor(bytes.fromhex(c["encoding"])))
            v = subprocess.run([warta, "verify", "n.wb", "--roster", path, "--json"], capture_output=True, text=True)
            want = 0 if c["status"] == "trusted" else 5
            if v.returncode != want or (want == 5 and c["status"] not in v.stdout + v.stderr):
                print("scenario %d %s: notice %r: exit %d, wanted %d (%s)" % (k, name, c["name"], v.returncode, want, c["status"]))
                bad += 1
    if shows[0] != shows[1]:
        print("scenario %d: roster show differs between orders" % k)
        bad += 1
print("disagreements %d" % bad)
PY
check 'grep -q "^disagreements 0$" consumers.out' "verify --roster and roster show agree with the vectors in any order ($(tail -n 1 consumers.out))"

tap_end
