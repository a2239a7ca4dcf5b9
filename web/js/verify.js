// verify.js - the verification page: takes a pasted, dropped or chosen bulletin, checks it in
// the browser (bulletin.js, path.js), asks the gateway what only the roster can say (who the
// issuer is, whether the records still count, the bulletin's status), and shows which is which.
// Served by warta-gateway at /verify; the same file works saved to disk, with the roster the
// gateway put in it when it was saved.
import sodiumModule from "libsodium-wrappers";
import { verifyBulletin, keyText, fingerprint } from "warta/bulletin.js";
import { checkPath } from "warta/path.js";
import { say, pickLanguage, formatTime } from "warta/words.js";
import { el } from "warta/page.js";

const $ = (id) => document.getElementById(id);
let lang = pickLanguage(location.search, navigator.languages);
let sodium = null;
let last = null; // the input last checked, to re-render on a language switch

// The roster the gateway embedded when it served this page (null in the installed file).
function savedRoster() {
    try {
        return JSON.parse($("warta-roster").textContent);
    } catch {
        return null;
    }
}

const gateway = location.protocol === "http:" || location.protocol === "https:" ? location.origin : null;

async function ask(path, init) {
    if (!gateway) return null;
    try {
        const r = await fetch(gateway + path, { cache: "no-store", ...init });
        if (!r.ok) return { httpStatus: r.status };
        return r.headers.get("content-type").startsWith("application/json") ? await r.json() : await r.text();
    } catch {
        return null; // offline, or the gateway is gone
    }
}

function item(list, text, ok = true) {
    const li = el("li", ok ? "ok" : "bad", text);
    list.append(li);
    return li;
}

function applyWords() {
    document.documentElement.lang = lang;
    document.title = say(lang, "title");
    for (const n of document.querySelectorAll("[data-w]")) n.textContent = say(lang, n.dataset.w);
    $("input").placeholder = say(lang, "placeholder");
    const other = lang === "id" ? "en" : "id";
    const sw = $("lang");
    sw.textContent = say(lang, "other_lang");
    sw.href = "?lang=" + other;
    sw.hreflang = other;
}

function describePath(office) {
    return office.delegation_path.map((p) => {
        const m = /^root version (\d+)$/.exec(p);
        return m ? say(lang, "root_by", { v: m[1] }) : p;
    }).join(" ← ");
}

async function check(input) {
    last = input;
    const out = $("result");
    out.replaceChildren(el("p", "pending", say(lang, "checking")));
    out.className = "result";
    if (!sodium) {
        await sodiumModule.ready;
        sodium = sodiumModule;
    }
    const v = verifyBulletin(sodium, input);
    const verdict = el("p", "verdict");
    const self = el("ul", "checks");
    const remote = el("ul", "checks remote");
    const selfHead = el("h3", null, say(lang, "self_checked"));
    const remoteHead = el("h3", null, say(lang, "from_gateway"));
    const details = el("dl", "details");
    if (v.outcome === "malformed") {
        const why = v.reason === "damaged armor" ? say(lang, "why_damaged") : `${v.field ? v.field + ": " : ""}${v.reason}`;
        verdict.textContent = say(lang, "malformed", { why });
        out.className = "result bad";
        item(self, say(lang, "c_decode"), false);
        out.replaceChildren(verdict, selfHead, self);
        out.dataset.outcome = "malformed";
        return;
    }
    const b = v.bulletin;
    const key = keyText(sodium, b.issuer);
    item(self, say(lang, "c_decode"));
    item(self, say(lang, "c_id", { id: v.id }));
    if (v.outcome === "bad_signature") {
        verdict.textContent = say(lang, "bad_signature");
        out.className = "result bad";
        item(self, say(lang, "c_signature_bad", { key }), false);
        out.replaceChildren(verdict, selfHead, self);
        out.dataset.outcome = "bad_signature";
        return;
    }
    item(self, say(lang, "c_signature", { key, fp: fingerprint(sodium, b.issuer) }));
    if (b.title !== undefined) {
        for (const [k, val] of [["field_title", b.title], ["field_claim", b.claim], ["field_facts", b.explanation],
            ["field_verdict", b.verdict], ["field_region", b.region || say(lang, "national")],
            ["field_language", b.language], ["field_id", v.id]]) {
            if (!val) continue;
            details.append(el("dt", null, say(lang, k)), el("dd", k === "field_title" ? "title" : null, val));
        }
    }

    // Who signed it: the gateway's roster now, or the roster saved in the page.
    const raw = b.bytes;
    let office = null, untrustedWhy = null, rosterText = null, source = "gateway";
    const answer = await ask("/v1/verify", { method: "POST", headers: { "Content-Type": "application/octet-stream" }, body: raw });
    const saved = savedRoster();
    if (answer && answer.result) {
        if (answer.issuer_office) office = answer.issuer_office;
        else if (answer.result === "untrusted") untrustedWhy = (answer.message || "").replace(/^.*not trusted by the roster: /, "");
        const r = await ask("/v1/roster/armored");
        rosterText = typeof r === "string" ? r : saved && saved.roster;
    } else if (saved && saved.roster) {
        source = "saved";
        rosterText = saved.roster;
        const o = (saved.offices || []).find((x) => x.key === key && x.delegation);
        if (o) office = o.delegation;
    }

    if (v.outcome === "expired") {
        verdict.textContent = say(lang, "expired", { time: formatTime(lang, b.expires_at) });
        out.className = "result warn";
    } else if (office) {
        verdict.textContent = say(lang, "valid_office", { office: office.name });
        out.className = "result good";
    } else if (untrustedWhy) {
        verdict.textContent = say(lang, "untrusted", { why: untrustedWhy });
        out.className = "result bad";
    } else {
        verdict.textContent = say(lang, "valid_unknown");
        out.className = "result warn";
    }
    out.dataset.outcome = office && v.outcome === "valid" ? "trusted" : untrustedWhy ? "untrusted" : v.outcome;
    const issued = el("p", "issued", say(lang, "issued", { time: formatTime(lang, b.issued_at) }));

    // The delegation path's records, checked here.
    if (office && rosterText) {
        const p = checkPath(sodium, rosterText, b.issuer, office.delegation_path);
        for (const s of p.steps) {
            if (s.rotation) continue;
            item(self, say(lang, "c_record", { office: s.name, by: /^root/.test(s.by) ? describePath({ delegation_path: [s.by] }) : s.by }));
        }
        if (p.ok) item(self, say(lang, "c_root", { n: p.root.signed, k: p.root.threshold, network: p.network }));
        else item(self, say(lang, "c_path_failed", { why: p.why }), false);
        if (p.network) item(remote, say(lang, "compare_network", { network: p.network }));
    } else if (office) {
        item(self, say(lang, "c_path_none"), false);
    }
    let statusLine = null;
    if (source === "saved") {
        remoteHead.textContent = say(lang, "from_saved", { time: saved.saved_at || "?" });
        if (office) item(remote, say(lang, "g_office", { path: describePath(office) }));
        item(remote, say(lang, "g_offline"), false);
    } else if (answer) {
        if (office) {
            item(remote, say(lang, "g_office", { path: describePath(office) }));
            item(remote, say(lang, "g_trust"));
        }
        const st = office && b.title !== undefined ? await ask(`/v1/bulletins/${v.id}/status`) : null;
        const word = st && st.status ? say(lang, "status_" + st.status) : say(lang, "status_unknown");
        statusLine = el("p", "status " + (st && st.status ? st.status : "unknown"), word);
        item(remote, say(lang, "g_status", { status: word }), !!(st && st.status));
    } else {
        remoteHead.textContent = say(lang, "from_gateway");
        item(remote, say(lang, "g_offline"), false);
    }
    out.replaceChildren(...[verdict, statusLine, issued, details, selfHead, self, remoteHead, remote].filter(Boolean));
}

function readFile(file) {
    const r = new FileReader();
    r.onload = () => {
        const bytes = new Uint8Array(r.result);
        // Armored text, or the raw bulletin (it starts with the magic "WRTB").
        const isRaw = bytes.length >= 4 && String.fromCharCode(...bytes.subarray(0, 4)) === "WRTB";
        const input = isRaw ? bytes : new TextDecoder().decode(bytes);
        if (!isRaw) $("input").value = input;
        check(input);
    };
    r.readAsArrayBuffer(file);
}

function start() {
    applyWords();
    $("lang").addEventListener("click", (e) => {
        e.preventDefault();
        lang = lang === "id" ? "en" : "id";
        history.replaceState(null, "", "?lang=" + lang);
        applyWords();
        if (last !== null) check(last);
    });
    $("form").addEventListener("submit", (e) => {
        e.preventDefault();
        check($("input").value);
    });
    $("input").addEventListener("paste", () => setTimeout(() => check($("input").value), 0));
    $("file").addEventListener("change", () => $("file").files[0] && readFile($("file").files[0]));
    const zone = document.body;
    zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("dropping"); });
    zone.addEventListener("dragleave", () => zone.classList.remove("dropping"));
    zone.addEventListener("drop", (e) => {
        e.preventDefault();
        zone.classList.remove("dropping");
        if (e.dataTransfer.files[0]) readFile(e.dataTransfer.files[0]);
    });
    // A bulletin in the address (#b=BASE64URL, as a link can carry it) is checked at once.
    const m = /^#b=([A-Za-z0-9_-]+)$/.exec(location.hash);
    if (m) {
        sodiumModule.ready.then(() => {
            let bytes;
            try {
                bytes = sodiumModule.from_base64(m[1], sodiumModule.base64_variants.URLSAFE_NO_PADDING);
            } catch {
                bytes = new Uint8Array(0); // shown as not a whole bulletin
            }
            check(bytes);
        });
    }
    document.body.dataset.ready = "1";
}

start();
