// vectors.mjs - the verification page's decoder (web/js/bulletin.js) against every vector of
// tests/vectors/bulletin-v1.json (valid and invalid) and the roster records of roster-v2.json,
// and against every one-byte change of a valid bulletin. Run by Node; prints TAP.
// usage: node vectors.mjs SOURCE_ROOT NODE_MODULES
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { webcrypto } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [root, modules] = process.argv.slice(2).map((p) => path.resolve(p));
if (globalThis.crypto === undefined) globalThis.crypto = webcrypto; // Node 18
const require = createRequire(path.join(modules, "x.js"));
let sodium;
try {
    sodium = require("libsodium-wrappers");
} catch (e) {
    console.log(`1..0 # SKIP libsodium-wrappers is not installed in ${modules} (npm ci in web/)`);
    process.exit(0);
}
await sodium.ready;
const B = await import(pathToFileURL(path.join(root, "web/js/bulletin.js")));
const read = (f) => JSON.parse(readFileSync(path.join(root, "tests/vectors", f), "utf8"));

let n = 0, failed = 0;
function check(cond, what, diag) {
    n++;
    if (cond) console.log(`ok ${n} - ${what}`);
    else {
        failed++;
        console.log(`not ok ${n} - ${what}`);
        if (diag !== undefined) console.log(`# ${String(diag).replace(/\n/g, "\n# ")}`);
    }
}

const NOW = Date.parse("2026-06-01T00:00:00Z");
const vectors = read("bulletin-v1.json");
for (const v of vectors.bulletins) {
    const bytes = B.fromHex(v.encoding);
    const r = B.verifyBulletin(sodium, bytes, NOW);
    const wantOutcome = v.fields.expires_at && Date.parse(v.fields.expires_at) <= NOW ? "expired" : "valid";
    check(r.outcome === wantOutcome, `${v.name}: ${wantOutcome}`, JSON.stringify(r.reason));
    if (!r.bulletin) continue;
    const b = r.bulletin;
    check(r.id === v.id, `${v.name}: id`, r.id);
    check(B.hex(B.signingInput(b)) === v.signing_input, `${v.name}: signing input`);
    check(B.hex(b.signature) === v.signature, `${v.name}: signature`);
    check(B.keyText(sodium, b.issuer) === v.public_key_text, `${v.name}: key text`);
    check(B.fingerprint(sodium, b.issuer) === v.fingerprint, `${v.name}: fingerprint`);
    const armored = B.verifyBulletin(sodium, "chat text before\n" + v.armored + "and after\n", NOW);
    check(armored.id === v.id, `${v.name}: decoded from its armor inside other text`);
    check(B.armor(sodium, bytes) === v.armored, `${v.name}: armored exactly as the vector`);
    const f = v.fields;
    const ref = (x) => vectors.bulletins[Number(x.slice(1))].id;
    if (f.kind === "report" || f.kind === "receipt") {
        const same = f.kind === "report"
            ? b.kindName === "report" && b.claim === f.claim && JSON.stringify(b.urls) === JSON.stringify(f.urls) &&
              B.hex(b.content_sha256) === f.content_sha256 && b.region === f.region && (b.priority === 1) === (f.priority === "urgent")
            : b.kindName === "receipt" && B.hex(b.bulletin) === ref(f.bulletin) && b.actionName === f.action &&
              b.items === f.items && b.acted_at === Date.parse(f.acted_at) && b.reason === f.reason;
        check(same, `${v.name}: every field as the vector gives it`);
        continue;
    }
    const answers = (f.answers || []).map(ref);
    check(JSON.stringify(b.answers.map(B.hex)) === JSON.stringify(answers) && b.version === (answers.length ? 2 : 1),
        `${v.name}: version ${answers.length ? 2 : 1}, the reports it answers`);
    const same = b.kindName === (f.kind || "clarification") && b.title === f.title &&
        b.language === (f.language || "id") && b.region === (f.region || "") &&
        b.verdict === f.verdict && b.claim === (f.claim || "") &&
        b.explanation === (f.explanation || "") && b.sequence === v.sequence &&
        (b.priority === 1) === (f.priority === "urgent") &&
        JSON.stringify(b.links) === JSON.stringify(f.links || []);
    check(same, `${v.name}: every field as the vector gives it`);
}

for (const v of vectors.invalid) {
    const r = B.verifyBulletin(sodium, B.fromHex(v.encoding), NOW);
    const want = v.error === "signature does not verify" ? "bad_signature" : "malformed";
    check(r.outcome === want && r.reason === v.error && (want !== "malformed" || r.field === v.field),
        `invalid "${v.name}": ${want} (${v.error}${v.field ? ", " + v.field : ""})`,
        `${r.outcome} ${r.reason} ${r.field}`);
}

// Every one-byte change of a valid bulletin is refused: decoding fails or the signature does.
{
    const v = vectors.bulletins[1];
    const bytes = B.fromHex(v.encoding);
    let accepted = [];
    for (let i = 0; i < bytes.length; i++) {
        const m = bytes.slice();
        m[i] ^= 1 << (i % 8);
        if (B.verifyBulletin(sodium, m, NOW).outcome !== "malformed" &&
            B.verifyBulletin(sodium, m, NOW).outcome !== "bad_signature") accepted.push(i);
    }
    check(accepted.length === 0, `each of the ${bytes.length} one-bit changes of "${v.name}" is refused`, accepted);
}

// Damaged armor: a changed character, non-zero padding bits, a foreign character, no end line.
{
    const a = vectors.bulletins[0].armored;
    const lines = a.split("\n");
    // 259 bytes end in "XY==": the last character carries 4 bits that must be zero.
    const short = B.armor(sodium, B.fromHex(vectors.bulletins[0].encoding).subarray(0, 259));
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const pad = short.replace(/([A-Za-z0-9+/])==\n/, (m, c) => alphabet[alphabet.indexOf(c) ^ 1] + "==\n");
    const cases = {
        "padding bits that are not zero": pad,
        "a character outside base64": a.replace(/A/, "*"),
        "no end line": lines.slice(0, -2).join("\n"),
        "nothing armored": "just some text",
    };
    for (const [what, t] of Object.entries(cases)) {
        const r = B.verifyBulletin(sodium, t, NOW);
        check(r.outcome === "malformed" && r.reason === "damaged armor", `armor with ${what}: damaged armor`, `${r.outcome} ${r.reason}`);
    }
}

// Roster records: each decodes, has the vector's id and co-signature input, its co-signatures
// verify (its signers are the sealer and the co-signers the vector names), roots hash right.
const roster = read("roster-v2.json");
const keyOf = Object.fromEntries(Object.entries(roster.keys).map(([k, v]) => [v.public_key, k]));
let records = 0, good = 0;
for (const s of roster.scenarios) {
    for (const v of s.records) {
        records++;
        const r = B.verifyBulletin(sodium, B.fromHex(v.encoding), NOW);
        const signers = r.bulletin && B.recordSigners(sodium, r.bulletin);
        const names = signers ? signers.map((k) => keyOf[B.hex(k)]) : [];
        const ok = r.outcome === "valid" && r.id === v.id && r.bulletin.record.kindName === v.kind &&
            B.hex(B.cosignInput(r.bulletin.record)) === v.cosign_input &&
            names[0] === v.sealed_by && JSON.stringify(names.slice(1).sort()) === JSON.stringify([...(v.cosigned_by || [])].sort()) &&
            (v.root_hash === undefined || B.hex(B.rootHash(sodium, r.bulletin)) === v.root_hash);
        if (ok) good++;
        else check(false, `${s.name}: ${v.name}`, `${r.outcome} ${r.reason} ${r.field} ${names}`);
    }
}
check(records > 0 && good === records, `all ${records} roster records of roster-v2.json decode, with their ids, co-signature inputs, signers and root hashes`);
// A changed co-signature rejects the record whole.
{
    const v = roster.scenarios[0].records[1];
    const bytes = B.fromHex(v.encoding);
    const m = bytes.slice();
    m[m.length - 64 - 10] ^= 1; // inside the last co-signature (the bulletin signature follows)
    const b = B.decodeBulletin(m);
    check(B.recordSigners(sodium, b) === null, "a roster record with a changed co-signature has no signers (rejected whole)");
}
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
