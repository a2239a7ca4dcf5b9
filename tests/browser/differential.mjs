// differential.mjs - the page's decoder (web/js/bulletin.js) and the C library must give the
// same verdict on the same bytes: every input of the fuzz corpora of the bulletin and armor
// decoders, and mutations of the bulletin vectors, through `warta verify --key ISSUER --at T`
// on one side and verifyBulletin on the other. Prints TAP.
// usage: node differential.mjs SOURCE_ROOT NODE_MODULES WARTA
import { readFileSync, readdirSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { webcrypto } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [root, modules, warta] = process.argv.slice(2).map((p) => path.resolve(p));
if (globalThis.crypto === undefined) globalThis.crypto = webcrypto; // Node 18
const require = createRequire(path.join(modules, "x.js"));
let sodium;
try {
    sodium = require("libsodium-wrappers");
} catch {
    console.log(`1..0 # SKIP libsodium-wrappers is not installed in ${modules} (npm ci in web/)`);
    process.exit(0);
}
await sodium.ready;
const B = await import(pathToFileURL(path.join(root, "web/js/bulletin.js")));
const AT = "2026-06-01T00:00:00Z";
const NOW = Date.parse(AT);
const FALLBACK_KEY = "wpk1O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2inorxzB"; // vector 0's

// What the page makes of a file's bytes, read as the warta tool reads a file: the bulletin
// itself when it starts with the magic, else armored text.
function pageVerdict(bytes) {
    const raw = bytes.length >= 4 && bytes[0] === 0x57 && bytes[1] === 0x52 && bytes[2] === 0x54 && bytes[3] === 0x42;
    const input = raw ? bytes : Buffer.from(bytes).toString("latin1");
    return B.verifyBulletin(sodium, input, NOW).outcome;
}

const work = mkdtempSync(path.join(os.tmpdir(), "wdiff-"));
function toolVerdict(bytes, i) {
    const f = path.join(work, `in${i}`);
    writeFileSync(f, bytes);
    let key = FALLBACK_KEY;
    const raw = bytes.length >= 38 && Buffer.from(bytes.subarray(0, 4)).toString() === "WRTB";
    if (raw) key = B.keyText(sodium, bytes.subarray(6, 38));
    else {
        // the armored bytes' issuer, if they decode at all
        try {
            const d = B.dearmor(sodium, Buffer.from(bytes).toString("latin1"));
            if (d.length >= 38) key = B.keyText(sodium, d.subarray(6, 38));
        } catch { /* malformed either way */ }
    }
    const r = spawnSync(warta, ["verify", f, "--key", key, "--at", AT], { env: { ...process.env, LC_ALL: "C.UTF-8" } });
    return { 0: "valid", 1: "bad_signature", 4: "expired" }[r.status] || "malformed";
}

const inputs = [];
for (const dir of ["bulletin", "armor"]) {
    const d = path.join(root, "tests/fuzz/corpus", dir);
    for (const f of readdirSync(d).sort()) inputs.push({ name: `${dir}/${f}`, bytes: new Uint8Array(readFileSync(path.join(d, f))) });
}
// Mutations of each vector: a flipped bit at 40 places, cut short, one byte more, the body
// length one more and one less.
const vectors = JSON.parse(readFileSync(path.join(root, "tests/vectors/bulletin-v1.json"), "utf8"));
let seed = 7;
const rand = (n) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
for (const v of vectors.bulletins) {
    const b = B.fromHex(v.encoding);
    for (let k = 0; k < 40; k++) {
        const m = b.slice();
        const at = rand(m.length);
        m[at] ^= 1 << rand(8);
        inputs.push({ name: `${v.name}: bit flip at ${at}`, bytes: m });
    }
    inputs.push({ name: `${v.name}: cut short`, bytes: b.slice(0, b.length - 1 - rand(b.length - 1)) });
    inputs.push({ name: `${v.name}: one byte more`, bytes: B.concat(b, Uint8Array.of(0)) });
    for (const delta of [1, -1]) {
        const m = b.slice();
        const n = ((m[94] << 24) | (m[95] << 16) | (m[96] << 8) | m[97]) + delta;
        m[94] = n >>> 24; m[95] = (n >>> 16) & 255; m[96] = (n >>> 8) & 255; m[97] = n & 255;
        inputs.push({ name: `${v.name}: body length ${delta > 0 ? "+" : ""}${delta}`, bytes: m });
    }
}

let n = 0, failed = 0;
const counts = {};
const disagree = [];
inputs.forEach((x, i) => {
    const page = pageVerdict(x.bytes), tool = toolVerdict(x.bytes, i);
    counts[tool] = (counts[tool] || 0) + 1;
    if (page !== tool) disagree.push(`${x.name}: page ${page}, warta verify ${tool}`);
});
rmSync(work, { recursive: true, force: true });
n++;
if (disagree.length === 0) console.log(`ok ${n} - the page and warta verify agree on all ${inputs.length} inputs (${JSON.stringify(counts)})`);
else {
    failed++;
    console.log(`not ok ${n} - the page and warta verify disagree on ${disagree.length} of ${inputs.length} inputs`);
    for (const d of disagree.slice(0, 20)) console.log(`# ${d}`);
}
n++;
const kinds = Object.keys(counts).length;
console.log(`${kinds >= 3 ? "ok" : "not ok"} ${n} - the inputs reach at least three verdicts (${kinds})`);
if (kinds < 3) failed++;
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
