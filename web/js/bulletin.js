// bulletin.js - a second implementation, in the browser, of docs/PROTOCOL.md §2-§6 (the
// bulletin of every kind, version 1 and 2, its signing input, id, armor and key text) and the
// record layouts of §17, written
// from the document. Pure: no DOM, no network. Every function that needs a hash or a signature
// check takes `sodium`, an initialised libsodium-wrappers object, so the same code runs in the
// page and in Node (tests/browser/vectors.mjs checks it against every vector).

export const MAX_BULLETIN = 65536;
const TIME_MAX = 253402300799999;
const HEADER = 98;
const SIG = 64;
const KINDS = [null, "clarification", "correction", "withdrawal", "root", "delegation",
    "revocation", "rotation", "chain-end", "report", "receipt"];
const ACTIONS = ["labelled", "reach_reduced", "removed", "no_action"];
const ROLES = [null, "ministry", "province", "regency", "platform", "auditor"];
const ascii = (s) => new TextEncoder().encode(s);
const BULLETIN_DOMAIN = ascii("warta/bulletin/v1\0");
const ROSTER_DOMAIN = ascii("warta/roster/v1\0");
const PUBKEY_DOMAIN = ascii("warta/pubkey/v1");
const FINGERPRINT_DOMAIN = ascii("warta/fingerprint/v1");

// What a decoder reports: the C library's words (protocol/proto_error.c), and the field.
export class Malformed extends Error {
    constructor(reason, field) {
        super(field ? `${field}: ${reason}` : reason);
        this.reason = reason;
        this.field = field || null;
    }
}

const LANG = /^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?(-([a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*$/;
const REGION = /^([0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?)?$/;
const VERDICT = /^[A-Z][A-Z_]*$/;
const OFFICE = /^[a-z0-9][a-z0-9.-]*$/;

export function hex(bytes) {
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function fromHex(s) {
    if (!/^([0-9a-f]{2})*$/.test(s)) throw new Malformed("invalid syntax", "hex");
    const out = new Uint8Array(s.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(s.substr(2 * i, 2), 16);
    return out;
}

const isZero = (b) => b.every((x) => x === 0);
const equal = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
const compare = (a, b) => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
    return a.length - b.length;
};

function concat(...parts) {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
        out.set(p, at);
        at += p.length;
    }
    return out;
}

// §1: UTF-8 in shortest form, no surrogates, nothing above U+10FFFF (TextDecoder's fatal mode
// rejects exactly these), then no control character (LF and TAB allowed in multi-line text).
function text(bytes, field, multiline) {
    let s;
    try {
        s = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
        throw new Malformed("invalid UTF-8", field);
    }
    for (const ch of s) {
        const c = ch.codePointAt(0);
        if ((c < 0x20 || (c >= 0x7f && c <= 0x9f)) && !(multiline && (c === 0x0a || c === 0x09)))
            throw new Malformed("invalid UTF-8", field);
    }
    return s;
}

class Reader {
    constructor(bytes, base = 0) {
        this.b = bytes;
        this.pos = 0;
        this.base = base;
    }
    take(n, field) {
        if (n > this.b.length - this.pos) throw new Malformed("truncated", field);
        const v = this.b.subarray(this.pos, this.pos + n);
        this.pos += n;
        return v;
    }
    u8(field) { return this.take(1, field)[0]; }
    u16(field) { const v = this.take(2, field); return (v[0] << 8) | v[1]; }
    u32(field) { const v = this.take(4, field); return ((v[0] << 24) >>> 0) + ((v[1] << 16) | (v[2] << 8) | v[3]); }
    // u64 as a Number: every valid time and sequence is below 2^53; larger values are kept
    // exact as a BigInt only to be rejected or shown.
    u64(field) {
        const v = this.take(8, field);
        let x = 0n;
        for (const b of v) x = (x << 8n) | BigInt(b);
        return x <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(x) : x;
    }
    str(prefix, field) { return this.take(prefix === 1 ? this.u8(field) : this.u16(field), field); }
    left() { return this.b.length - this.pos; }
}

const validTime = (t) => typeof t === "number" && t >= 1 && t <= TIME_MAX;

function textField(r, prefix, field, min, max, rule) {
    const bytes = r.str(prefix, field);
    if (bytes.length > max) throw new Malformed("over the size limit", field);
    if (bytes.length < min)
        throw new Malformed(bytes.length === 0 ? "missing (it must be given)" : "value out of range", field);
    const s = text(bytes, field, rule === "multiline");
    if (rule instanceof RegExp && !rule.test(s)) throw new Malformed("invalid syntax", field);
    return s;
}

function url(r) {
    const s = textField(r, 2, "link url", 1, 2048, "line");
    const rest = s.startsWith("https://") ? s.slice(8) : s.startsWith("http://") ? s.slice(7) : null;
    if (rest === null || rest.length === 0 || s.includes(" "))
        throw new Malformed("invalid syntax", "link url");
    return s;
}

function noticeBody(r, b) {
    b.priority = r.u8("priority");
    if (b.priority > 1) throw new Malformed("value out of range", "priority");
    b.subject = r.take(32, "subject");
    if ((b.kind !== 1) === isZero(b.subject)) throw new Malformed("value out of range", "subject");
    b.translation_of = r.take(32, "translation_of");
    b.language = textField(r, 1, "language", 2, 35, LANG);
    b.region = textField(r, 1, "region", 0, 13, REGION);
    b.verdict = textField(r, 1, "verdict", 1, 32, VERDICT);
    b.title = textField(r, 2, "title", 1, 512, "line");
    b.claim = textField(r, 2, "claim", 0, 8192, "multiline");
    b.explanation = textField(r, 2, "explanation", 0, 49152, "multiline");
    const n = r.u8("links");
    if (n > 32) throw new Malformed("over the size limit", "links");
    b.links = [];
    for (let i = 0; i < n; i++) {
        const rel = r.u8("link rel");
        if (rel > 1) throw new Malformed("value out of range", "link rel");
        b.links.push({ rel: rel === 0 ? "appearance" : "reference", url: url(r) });
    }
    b.answers = [];
    if (b.version === 2) { // §2.5
        const n = r.u8("answers");
        if (n === 0) throw new Malformed("value out of range", "answers");
        if (n > 32) throw new Malformed("over the size limit", "answers");
        for (let i = 0; i < n; i++) {
            const a = r.take(32, "answers");
            if (isZero(a)) throw new Malformed("value out of range", "answers");
            if (i > 0 && compare(b.answers[i - 1], a) >= 0) throw new Malformed("value out of range", "answers (order)");
            b.answers.push(a);
        }
    }
    if (r.left() !== 0) throw new Malformed("trailing bytes after the end", "body");
}

// §2.6: a report, a claim seen circulating.
function reportBody(r, b) {
    b.priority = r.u8("urgency");
    if (b.priority > 1) throw new Malformed("value out of range", "urgency");
    b.language = textField(r, 1, "language", 2, 35, LANG);
    b.region = textField(r, 1, "region", 0, 13, REGION);
    b.claim = textField(r, 2, "claim", 1, 8192, "multiline");
    b.content_sha256 = r.take(32, "urls");
    const n = r.u8("urls");
    if (n > 32) throw new Malformed("over the size limit", "urls");
    b.urls = [];
    for (let i = 0; i < n; i++) {
        const s = textField(r, 2, "url", 1, 2048, "line");
        const rest = s.startsWith("https://") ? s.slice(8) : s.startsWith("http://") ? s.slice(7) : null;
        if (rest === null || rest.length === 0 || s.includes(" ")) throw new Malformed("invalid syntax", "url");
        b.urls.push(s);
    }
    if (n === 0 && isZero(b.content_sha256)) throw new Malformed("missing (it must be given)", "url");
    if (r.left() !== 0) throw new Malformed("trailing bytes after the end", "body");
}

// §2.7: a receipt, what a platform did about a bulletin.
function receiptBody(r, b) {
    b.bulletin = r.take(32, "body");
    b.action = r.u8("body");
    b.items = r.u32("body");
    b.acted_at = r.u64("body");
    if (isZero(b.bulletin)) throw new Malformed("missing (it must be given)", "bulletin");
    if (b.action > 3) throw new Malformed("value out of range", "action");
    b.actionName = ACTIONS[b.action];
    if (!validTime(b.acted_at)) throw new Malformed("value out of range", "acted_at");
    b.reason = textField(r, 2, "reason", 0, 512, "line");
    if (b.action === 3 && b.reason === "") throw new Malformed("missing (it must be given)", "reason");
    if (r.left() !== 0) throw new Malformed("trailing bytes after the end", "body");
}

// §2: the bulletin in bytes, every rule; throws Malformed. The result keeps the bytes.
export function decodeBulletin(bytes) {
    if (!(bytes instanceof Uint8Array)) throw new TypeError("bytes must be a Uint8Array");
    if (bytes.length > MAX_BULLETIN) throw new Malformed("over the size limit", "bulletin");
    const r = new Reader(bytes);
    if (!equal(r.take(4, "magic"), ascii("WRTB"))) throw new Malformed("not a warta object (bad magic)", "magic");
    const version = r.u8("version");
    if (version !== 1 && version !== 2) throw new Malformed("unsupported format version", "version");
    const b = { bytes, version };
    b.kind = r.u8("kind");
    b.issuer = r.take(32, "header");
    b.sequence = r.u64("header");
    b.previous = r.take(32, "header");
    b.issued_at = r.u64("header");
    b.expires_at = r.u64("header");
    const bodyLength = r.u32("header");
    if (!KINDS[b.kind]) throw new Malformed("unknown bulletin kind", "kind");
    b.kindName = KINDS[b.kind];
    if (b.sequence === 0) throw new Malformed("value out of range", "sequence");
    if ((b.sequence === 1) !== isZero(b.previous)) throw new Malformed("sequence and previous id disagree", "previous");
    if (!validTime(b.issued_at)) throw new Malformed("value out of range", "issued_at");
    if (b.expires_at !== 0 && (!validTime(b.expires_at) || b.expires_at <= b.issued_at))
        throw new Malformed("value out of range", "expires_at");
    if (b.kind >= 4 && b.kind <= 8 && b.expires_at !== 0) throw new Malformed("value out of range", "expires_at (roster record)");
    if (b.kind >= 9 && b.expires_at !== 0) throw new Malformed("value out of range", "expires_at (report or receipt)");
    if (version === 2 && b.kind !== 1 && b.kind !== 2) throw new Malformed("unsupported format version", "version");
    if (bodyLength > r.left()) throw new Malformed("truncated", "body length");
    const body = r.take(bodyLength, "body");
    if (b.kind <= 3) noticeBody(new Reader(body), b);
    else if (b.kind === 9) reportBody(new Reader(body), b);
    else if (b.kind === 10) receiptBody(new Reader(body), b);
    else b.record = decodeRecord(b.kind, body, b.issuer);
    b.signature = r.take(SIG, "signature");
    if (r.left() !== 0) throw new Malformed("trailing bytes after the end", "signature");
    return b;
}

// §17: a roster record's statement and co-signatures.
export function decodeRecord(kind, body, issuer) {
    const r = new Reader(body);
    const rec = { kind, kindName: KINDS[kind] };
    rec.network = r.take(32, "record");
    const fail = (reason, field) => { throw new Malformed(reason, field); };
    switch (kind) {
    case 4: {
        rec.previous = r.take(32, "record");
        rec.version = r.u64("record");
        rec.valid_from = r.u64("record");
        rec.threshold = r.u8("record");
        const n = r.u8("record");
        if (n > 16) fail("over the size limit", "keys");
        rec.keys = [];
        for (let i = 0; i < n; i++) rec.keys.push(r.take(32, "record"));
        const genesis = rec.version === 1;
        if (isZero(rec.network) !== genesis) fail("value out of range", "network");
        if (rec.version === 0) fail("value out of range", "version");
        if (isZero(rec.previous) !== genesis) fail("sequence and previous id disagree", "previous");
        if (!validTime(rec.valid_from)) fail("value out of range", "valid_from");
        if (n < 1) fail("value out of range", "keys");
        if (rec.threshold < 1 || rec.threshold > n) fail("value out of range", "threshold");
        for (let i = 1; i < n; i++) if (compare(rec.keys[i - 1], rec.keys[i]) >= 0) fail("value out of range", "keys (order)");
        break;
    }
    case 5: {
        rec.key = r.take(32, "record");
        const office = r.str(1, "record");
        const name = r.str(2, "record");
        rec.role = r.u8("record");
        rec.flags = r.u8("record");
        const n = r.u8("record");
        if (n > 32) fail("over the size limit", "regions");
        const regions = [];
        for (let i = 0; i < n; i++) regions.push(r.str(1, "record"));
        rec.valid_from = r.u64("record");
        rec.valid_until = r.u64("record");
        rec.office = new TextDecoder().decode(office);
        if (office.length < 1 || office.length > 64 || !OFFICE.test(rec.office)) fail("invalid syntax", "office");
        if (name.length < 1 || name.length > 256) fail("value out of range", "name");
        rec.name = text(name, "name", false);
        if (!ROLES[rec.role]) fail("value out of range", "role");
        rec.roleName = ROLES[rec.role];
        if (rec.flags & ~1) fail("value out of range", "flags");
        rec.mayDelegate = (rec.flags & 1) === 1;
        if (n < 1) fail("value out of range", "regions");
        rec.regions = regions.map((g, i) => {
            const s = new TextDecoder().decode(g);
            if (g.length > 13 || !REGION.test(s) || !/^[0-9.]*$/.test(s)) fail("invalid syntax", "region");
            if (g.length === 0 && n !== 1) fail("value out of range", "region (national with others)");
            if (i > 0 && compare(regions[i - 1], g) >= 0) fail("value out of range", "regions (order)");
            return s;
        });
        if (isZero(rec.network)) fail("value out of range", "network");
        if (!validTime(rec.valid_from)) fail("value out of range", "valid_from");
        if (rec.valid_until !== 0 && (!validTime(rec.valid_until) || rec.valid_until <= rec.valid_from))
            fail("value out of range", "valid_until");
        break;
    }
    case 6:
    case 8: {
        rec.key = r.take(32, "record");
        if (kind === 6) rec.effective_at = r.u64("record");
        else {
            rec.last_sequence = r.u64("record");
            rec.last_id = r.take(32, "record");
        }
        const reason = r.str(2, "record");
        if (isZero(rec.network)) fail("value out of range", "network");
        if (kind === 6 && !validTime(rec.effective_at)) fail("value out of range", "effective_at");
        if (kind === 8 && (rec.last_sequence === 0) !== isZero(rec.last_id)) fail("value out of range", "last_id");
        if (reason.length > 512) fail("over the size limit", "reason");
        rec.reason = text(reason, "reason", false);
        break;
    }
    default: { // 7, rotation
        rec.key = r.take(32, "record"); // the old key
        rec.new_key = r.take(32, "record");
        rec.effective_at = r.u64("record");
        if (isZero(rec.network)) fail("value out of range", "network");
        if (equal(rec.key, rec.new_key)) fail("value out of range", "new key");
        if (!validTime(rec.effective_at)) fail("value out of range", "effective_at");
    }
    }
    rec.statement = body.subarray(0, r.pos);
    const n = r.u8("signatures");
    if (n > 16) fail("over the size limit", "signatures");
    rec.cosigs = [];
    for (let i = 0; i < n; i++) rec.cosigs.push({ key: r.take(32, "signatures"), sig: r.take(64, "signatures") });
    for (let i = 1; i < n; i++) if (compare(rec.cosigs[i - 1].key, rec.cosigs[i].key) >= 0) fail("value out of range", "signatures (order)");
    if (rec.cosigs.some((c) => equal(c.key, issuer))) fail("value out of range", "signatures (issuer co-signs)");
    if (r.left() !== 0) fail("trailing bytes after the end", "record");
    return rec;
}

// §3 and §4.
export function signingInput(b) {
    return concat(BULLETIN_DOMAIN, b.bytes.subarray(0, b.bytes.length - SIG));
}

export function bulletinId(sodium, bytes) {
    return sodium.crypto_generichash(32, bytes, null);
}

export function signatureValid(sodium, b) {
    try {
        return sodium.crypto_sign_verify_detached(b.signature, signingInput(b), b.issuer);
    } catch {
        return false; // a key libsodium refuses (small order) is a signature that does not verify
    }
}

// §17: the co-signature input, and a record's signers (the issuer, then each co-signer).
export function cosignInput(rec) {
    return concat(ROSTER_DOMAIN, Uint8Array.of(rec.kind), rec.statement);
}

export function recordSigners(sodium, b) {
    const m = cosignInput(b.record);
    for (const c of b.record.cosigs) {
        let ok = false;
        try {
            ok = sodium.crypto_sign_verify_detached(c.sig, m, c.key);
        } catch { /* refused key: does not verify */ }
        if (!ok) return null;
    }
    return [b.issuer, ...b.record.cosigs.map((c) => c.key)];
}

export function rootHash(sodium, b) {
    return sodium.crypto_generichash(32, cosignInput(b.record), null);
}

// §5: the first armored block with this label in text; throws Malformed("damaged armor").
export function dearmor(sodium, textIn, label = "WARTA BULLETIN") {
    return dearmorAll(sodium, textIn, label, 1)[0];
}

export function dearmorAll(sodium, textIn, label = "WARTA BULLETIN", limit = Infinity) {
    const begin = `-----BEGIN ${label}-----`, end = `-----END ${label}-----`;
    const lines = textIn.split("\n");
    const out = [];
    const only = (line, mark) => line.startsWith(mark) && /^[ \t\r]*$/.test(line.slice(mark.length));
    for (let i = 0; i < lines.length && out.length < limit; i++) {
        if (!lines[i].startsWith(begin) || !/^[ \t\r]*$/.test(lines[i].slice(begin.length))) continue;
        let j = i + 1, body = "";
        for (; j < lines.length && !only(lines[j], end); j++) body += lines[j];
        if (j === lines.length) throw new Malformed("damaged armor", "armor");
        body = body.replace(/[ \t\r\n]/g, "");
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 !== 0)
            throw new Malformed("damaged armor", "armor");
        try {
            out.push(sodium.from_base64(body, sodium.base64_variants.ORIGINAL));
        } catch {
            throw new Malformed("damaged armor", "armor");
        }
        i = j;
    }
    if (out.length === 0) throw new Malformed("damaged armor", "armor");
    return out;
}

export function armor(sodium, bytes, label = "WARTA BULLETIN") {
    const b64 = sodium.to_base64(bytes, sodium.base64_variants.ORIGINAL);
    const lines = b64.match(/.{1,64}/g) || [];
    return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

// §6: key text and fingerprint.
export function keyText(sodium, pk) {
    const check = sodium.crypto_generichash(32, concat(PUBKEY_DOMAIN, pk), null).subarray(0, 4);
    return "wpk1" + sodium.to_base64(concat(pk, check), sodium.base64_variants.URLSAFE_NO_PADDING);
}

export function keyFromText(sodium, s) {
    if (!/^wpk1[A-Za-z0-9_-]{48}$/.test(s)) return null;
    const raw = sodium.from_base64(s.slice(4), sodium.base64_variants.URLSAFE_NO_PADDING);
    const pk = raw.subarray(0, 32);
    return keyText(sodium, pk) === s ? pk : null;
}

export function fingerprint(sodium, pk) {
    const h = sodium.crypto_generichash(32, concat(FINGERPRINT_DOMAIN, pk), null);
    const groups = [];
    for (let i = 0; i < 5; i++) {
        const v = ((h[4 * i] << 24) >>> 0) + ((h[4 * i + 1] << 16) | (h[4 * i + 2] << 8) | h[4 * i + 3]);
        groups.push(String(v % 100000).padStart(5, "0"));
    }
    return groups.join(" ");
}

// §10 steps 1, 3 and 4 (step 2, the expected key, is the roster's: the page asks the gateway
// or the roster saved in the page who the issuer is). input: bytes, or text holding armor.
// Returns {outcome: "valid"|"bad_signature"|"expired"|"malformed", reason, field, bulletin, id}.
export function verifyBulletin(sodium, input, now = Date.now()) {
    let bytes = input, b;
    try {
        if (typeof input === "string") bytes = dearmor(sodium, input);
        b = decodeBulletin(bytes);
    } catch (e) {
        if (!(e instanceof Malformed)) throw e;
        return { outcome: "malformed", reason: e.reason, field: e.field };
    }
    const id = hex(bulletinId(sodium, bytes));
    if (!signatureValid(sodium, b) || (b.record && recordSigners(sodium, b) === null))
        return { outcome: "bad_signature", reason: "signature does not verify", field: null, bulletin: b, id };
    if (b.expires_at !== 0 && now >= b.expires_at)
        return { outcome: "expired", reason: "expired", field: "expires_at", bulletin: b, id };
    return { outcome: "valid", reason: null, field: null, bulletin: b, id };
}

export { equal, compare, concat };
