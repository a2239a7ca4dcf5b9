// path.js - check, in the browser, the signatures of the roster records that link an issuer
// key to the network root (docs/PROTOCOL.md §17), along the delegation path the gateway names.
// This is not the trust evaluation of §18 (which records are in force, revocations, scope):
// that stays with the gateway (keys/roster.c), and the page says so. What it checks: every
// record on the path is a bulletin whose signature and co-signatures verify, the delegation for
// each key is signed by the next key of the path, the last one by the threshold of a root's
// keys, and the pinned root (the roster's first record) by its own threshold.
import { decodeBulletin, signatureValid, recordSigners, rootHash, dearmorAll, keyFromText,
    equal, hex } from "warta/bulletin.js";

function load(sodium, rosterText) {
    const records = [];
    for (const bytes of dearmorAll(sodium, rosterText)) {
        try {
            const b = decodeBulletin(bytes);
            if (!b.record || !signatureValid(sodium, b)) continue;
            const signers = recordSigners(sodium, b);
            if (signers) records.push({ b, r: b.record, signers });
        } catch { /* a record that does not decode proves nothing: left out */ }
    }
    return records;
}

const countIn = (keys, signers) => keys.filter((k) => signers.some((s) => equal(s, k))).length;

// path: the gateway's delegation_path (key texts, the last "root version N").
// Returns {ok, steps: [{office, name, by}], root: {version, signed, threshold}, network, why}.
export function checkPath(sodium, rosterText, issuer, path) {
    let records;
    try {
        records = load(sodium, rosterText);
    } catch (e) {
        return { ok: false, why: "roster: " + e.message, steps: [] };
    }
    const pinned = records[0];
    if (!pinned || pinned.r.kind !== 4) return { ok: false, why: "the roster does not start with a root", steps: [] };
    if (countIn(pinned.r.keys, pinned.signers) < pinned.r.threshold)
        return { ok: false, why: "the pinned root is not signed by its own threshold", steps: [] };
    const network = hex(pinned.r.version === 1 ? rootHash(sodium, pinned.b) : pinned.r.network);
    const steps = [];
    let key = issuer, rotations = 0;
    for (let i = 0; i < path.length; i++) {
        const next = path[i];
        const m = /^root version (\d+)$/.exec(next);
        const nextKey = m ? null : keyFromText(sodium, next);
        if (!m && !nextKey) return { ok: false, why: `not a key: ${next}`, steps, network };
        let root = null;
        if (m) {
            root = records.find((x) => x.r.kind === 4 && x.r.version === Number(m[1]) &&
                countIn(x.r.keys, x.signers) >= x.r.threshold);
            if (!root) return { ok: false, why: `no root of version ${m[1]} signed by its holders`, steps, network };
        }
        const signedByNext = (x) => (root ? countIn(root.r.keys, x.signers) >= root.r.threshold
            : x.signers.some((s) => equal(s, nextKey)));
        // The key's own delegation; or, for a rotated key, the rotation then the old key's.
        let d = records.find((x) => x.r.kind === 5 && equal(x.r.key, key) && signedByNext(x));
        if (!d) {
            const rot = records.find((x) => x.r.kind === 7 && equal(x.r.new_key, key));
            if (rot && ++rotations <= 8) { // rotations are followed 8 deep (§18 step 3)
                steps.push({ rotation: true, by: rot.signers });
                key = rot.r.key;
                i--;
                continue;
            }
            return { ok: false, why: `no delegation of key ${i === 0 ? "the issuer" : path[i - 1]} signed by ${next}`, steps, network };
        }
        steps.push({ office: d.r.office, name: d.r.name, role: d.r.roleName, regions: d.r.regions,
            by: next, id: hex(sodium.crypto_generichash(32, d.b.bytes, null)) });
        if (root) {
            return { ok: true, steps, network,
                root: { version: root.r.version, signed: countIn(root.r.keys, root.signers), threshold: root.r.threshold } };
        }
        key = nextKey;
    }
    return { ok: false, why: "the path does not reach the root", steps, network };
}
