// desk.js - the office desk (served by `warta desk` on loopback): the reports in the office's
// regions, a clarification composed from one with a preview of its page, signing (the
// passphrase goes to the desk process on this machine, which holds the key and signs; the key
// is never sent to the page), and the office's notices with the platforms' receipts.
import { pickLanguage, formatTime, sayFrom, el, fillWords } from "warta/page.js";

const WORDS = {
    id: {
        title: "Meja kantor warta",
        inbox: "Laporan masuk",
        compose: "Tulis klarifikasi",
        kind: "Jenis", k_clarification: "Klarifikasi", k_correction: "Koreksi",
        verdict: "Label", priority: "Prioritas", p_normal: "Biasa", p_urgent: "Mendesak",
        region: "Wilayah", region_hint: "mis. 17 atau 17.71; kosong = nasional",
        language: "Bahasa", subject: "Buletin yang dikoreksi (nomor)",
        translation_of: "Terjemahan dari (nomor buletin, bila ada)",
        f_title: "Judul", claim: "Klaim yang beredar", facts: "Faktanya",
        appearance: "Beredar di (satu alamat per baris)", references: "Rujukan (satu alamat per baris)",
        preview: "Pratinjau halamannya",
        passphrase: "Frasa sandi kunci kantor",
        pass_note: "Frasa sandi hanya dikirim ke program warta desk di komputer ini, yang memegang kunci dan menandatangani. Kuncinya tidak pernah dikirim ke halaman ini.",
        sign: "Tandatangani dan terbitkan", clear: "Kosongkan", signing: "Menandatangani…",
        sent: "Yang sudah diterbitkan kantor ini, dan tindakan platform",
        open_count: "{open} laporan terbuka dari {all}",
        none: "Belum ada laporan untuk wilayah kantor ini.",
        none_sent: "Kantor ini belum menerbitkan apa pun di simpul ini.",
        answer: "Jawab", open: "TERBUKA", answered: "DIJAWAB", urgent: "MENDESAK",
        reported_by: "dilaporkan oleh {who}, {time}", seen_at: "Beredar di",
        answered_by: "dijawab oleh buletin {id}",
        answering: "Menjawab {n} laporan: {claim}",
        not_answering: "Tidak menjawab laporan (klarifikasi baru).",
        pv_by: "Ditandatangani oleh {office}", pv_claim: "Klaim", pv_facts: "Faktanya",
        pv_seen: "Beredar di", pv_sources: "Rujukan", pv_answers: "Menjawab laporan",
        pv_region: "Wilayah",
        published: "TERBIT — buletin {id} (urutan {seq}) ditandatangani dan diserahkan ke simpul.",
        pending: "DITANDATANGANI — buletin {id} ditahan simpul sampai buletin sebelumnya tiba.",
        not_published: "DITANDATANGANI, tetapi simpul belum menyimpannya: {why}",
        kept: "Salinannya: {file}",
        not_signed: "TIDAK DITANDATANGANI — {why}",
        page_link: "Lihat halamannya",
        no_office: "Kunci ini bukan kunci kantor menurut daftar resmi ({why}); tidak ada yang bisa ditandatangani di sini.",
        no_token: "Buka meja ini dengan alamat yang dicetak `warta desk` (berisi tokennya).",
        unreachable: "Program warta desk tidak menjawab: {why}",
        receipts_none: "belum ada tindakan platform",
        receipt: "{platform}: {action}, {items} konten, {time}",
        s_in_force: "BERLAKU", s_corrected: "DIKOREKSI", s_withdrawn: "DITARIK", s_expired: "KEDALUWARSA",
        s_untrusted: "TIDAK DIAKUI",
        reason: "alasan: {reason}",
    },
    en: {
        title: "warta office desk",
        inbox: "Incoming reports",
        compose: "Write a clarification",
        kind: "Kind", k_clarification: "Clarification", k_correction: "Correction",
        verdict: "Verdict", priority: "Priority", p_normal: "Normal", p_urgent: "Urgent",
        region: "Region", region_hint: "e.g. 17 or 17.71; empty = national",
        language: "Language", subject: "Bulletin corrected (id)",
        translation_of: "Translation of (bulletin id, if any)",
        f_title: "Title", claim: "The claim circulating", facts: "The facts",
        appearance: "Seen at (one address per line)", references: "Sources (one address per line)",
        preview: "Preview of its page",
        passphrase: "The office key's passphrase",
        pass_note: "The passphrase goes only to the warta desk program on this computer, which holds the key and signs. The key is never sent to this page.",
        sign: "Sign and publish", clear: "Clear", signing: "Signing…",
        sent: "What this office published, and what platforms did",
        open_count: "{open} open reports of {all}",
        none: "No reports for this office's regions yet.",
        none_sent: "This office has published nothing on this node yet.",
        answer: "Answer", open: "OPEN", answered: "ANSWERED", urgent: "URGENT",
        reported_by: "reported by {who}, {time}", seen_at: "Seen at",
        answered_by: "answered by bulletin {id}",
        answering: "Answering {n} reports: {claim}",
        not_answering: "Answers no report (a new clarification).",
        pv_by: "Signed by {office}", pv_claim: "Claim", pv_facts: "The facts",
        pv_seen: "Seen at", pv_sources: "Sources", pv_answers: "Answers reports",
        pv_region: "Region",
        published: "PUBLISHED — bulletin {id} (sequence {seq}) signed and handed to the node.",
        pending: "SIGNED — the node holds bulletin {id} until its predecessor arrives.",
        not_published: "SIGNED, but the node has not stored it: {why}",
        kept: "A copy: {file}",
        not_signed: "NOT SIGNED — {why}",
        page_link: "See its page",
        no_office: "This key is not an office's key in the roster ({why}); nothing can be signed here.",
        no_token: "Open this desk with the address `warta desk` printed (it holds the token).",
        unreachable: "The warta desk program does not answer: {why}",
        receipts_none: "no platform action yet",
        receipt: "{platform}: {action}, {items} items, {time}",
        s_in_force: "IN FORCE", s_corrected: "CORRECTED", s_withdrawn: "WITHDRAWN", s_expired: "EXPIRED",
        s_untrusted: "NOT TRUSTED",
        reason: "reason: {reason}",
    },
};
const say = sayFrom(WORDS);
const $ = (id) => document.getElementById(id);
let lang = pickLanguage(location.search, navigator.languages);
let desk = null;      // the last answer of /api/desk
let answers = [];     // the report ids the draft answers
let answerClaim = "";

// The token: in the address the desk printed (#k=...), then kept for this tab only and taken
// out of the address bar, so it is not left in the history or shown on screen.
function token() {
    const m = /(?:^#|&)k=([0-9a-f]{32})/.exec(location.hash);
    if (m) {
        sessionStorage.setItem("warta-desk", m[1]);
        history.replaceState(null, "", location.pathname + location.search);
    }
    return sessionStorage.getItem("warta-desk");
}
const TOKEN = token();

async function api(path, init = {}) {
    const r = await fetch(path, {
        cache: "no-store", ...init,
        headers: { "X-Warta-Desk": TOKEN || "", "Content-Type": "application/json" },
    });
    const body = await r.json().catch(() => ({ error: { message: `HTTP ${r.status}` } }));
    return { status: r.status, body };
}

const when = (t) => (t ? formatTime(lang, Date.parse(t)) : "");
const short = (id) => id.slice(0, 16);
const regionName = (r) => r || say(lang, "national");

function badge(cls, text) {
    return el("span", "badge " + cls, text);
}

function renderInbox() {
    const box = $("inbox");
    box.replaceChildren();
    const reports = desk.inbox.reports;
    $("inbox-count").textContent = say(lang, "open_count", { open: desk.inbox.open, all: reports.length });
    if (reports.length === 0) box.append(el("p", "empty", say(lang, "none")));
    let group = null, div = null;
    for (const r of reports) {
        if (r.group !== group) {
            group = r.group;
            const members = reports.filter((x) => x.group === group);
            div = el("div", "group" + (members.some((x) => x.state === "open") ? " open" : ""));
            div.dataset.group = group;
            box.append(div);
        }
        const d = el("div", "report");
        d.dataset.id = r.id;
        const head = el("div");
        head.append(badge(r.state, say(lang, r.state)));
        if (r.priority === "urgent") head.append(badge("urgent", say(lang, "urgent")));
        head.append(el("span", "claim", r.claim));
        d.append(head);
        d.append(el("div", "meta", `${regionName(r.region)} · ` +
            say(lang, "reported_by", { who: r.reporter.name, time: when(r.issued_at) })));
        if (r.urls && r.urls.length) d.append(el("div", "meta", `${say(lang, "seen_at")}: ${r.urls.join("  ")}`));
        if (r.answered_by) d.append(el("div", "meta", say(lang, "answered_by", { id: short(r.answered_by) })));
        if (r.state === "open" && desk.office) {
            const b = el("button", "small answer", say(lang, "answer"));
            b.type = "button";
            b.addEventListener("click", () => composeFrom(r));
            d.append(b);
        }
        div.append(d);
    }
}

// A draft from a report: its claim, region, language, where it was seen, and every open report
// of the same claim as what it answers.
function composeFrom(r) {
    const group = desk.inbox.reports.filter((x) => x.group === r.group && x.state === "open");
    answers = group.map((x) => x.id);
    answerClaim = r.claim;
    $("f-kind").value = "clarification";
    $("f-region").value = r.region || "";
    $("f-language").value = r.language || "id";
    $("f-priority").value = r.priority || "normal";
    $("f-claim").value = r.claim;
    $("f-title").value = `[${$("f-verdict").value}] ${r.claim.slice(0, 120)}`;
    const urls = new Set(group.flatMap((x) => x.urls || []));
    $("f-appearance").value = [...urls].join("\n");
    $("f-explanation").focus();
    update();
}

const lines = (id) => $(id).value.split("\n").map((s) => s.trim()).filter(Boolean);

// The bulletin's fields as warta sign takes them (docs/PROTOCOL.md §2; the desk signs them).
function draft() {
    const b = {
        kind: $("f-kind").value,
        language: $("f-language").value.trim(),
        region: $("f-region").value.trim(),
        verdict: $("f-verdict").value,
        priority: $("f-priority").value,
        title: $("f-title").value.trim(),
        claim: $("f-claim").value.trim(),
        explanation: $("f-explanation").value.trim(),
        links: [
            ...lines("f-appearance").map((url) => ({ rel: "appearance", url })),
            ...lines("f-reference").map((url) => ({ rel: "reference", url })),
        ],
    };
    if (b.kind === "correction") b.subject = $("f-subject").value.trim();
    const t = $("f-translation").value.trim();
    if (t) b.translation_of = t;
    if (answers.length) b.answers = answers;
    return b;
}

function row(dl, k, v) {
    if (!v) return;
    dl.append(el("dt", null, k), el("dd", null, v));
}

function update() {
    $("subject-row").hidden = $("f-kind").value !== "correction";
    $("answering").textContent = answers.length
        ? say(lang, "answering", { n: answers.length, claim: answerClaim })
        : say(lang, "not_answering");
    const b = draft(), p = $("preview");
    p.replaceChildren();
    const top = el("div");
    top.append(el("span", "verdict", b.verdict));
    if (b.priority === "urgent") top.append(" ", badge("urgent", say(lang, "urgent")));
    p.append(top, el("div", "title", b.title || "…"));
    if (desk && desk.office) p.append(el("div", "meta", say(lang, "pv_by", { office: desk.office.name })));
    const dl = el("dl");
    row(dl, say(lang, "pv_region"), regionName(b.region));
    row(dl, say(lang, "pv_claim"), b.claim);
    row(dl, say(lang, "pv_facts"), b.explanation);
    row(dl, say(lang, "pv_seen"), b.links.filter((l) => l.rel === "appearance").map((l) => l.url).join("\n"));
    row(dl, say(lang, "pv_sources"), b.links.filter((l) => l.rel === "reference").map((l) => l.url).join("\n"));
    row(dl, say(lang, "pv_answers"), (b.answers || []).map(short).join("\n"));
    p.append(dl);
}

function renderSent() {
    const box = $("sent");
    box.replaceChildren();
    if (desk.sent.length === 0) box.append(el("p", "empty", say(lang, "none_sent")));
    for (const n of desk.sent) {
        const d = el("div", "report");
        d.dataset.id = n.id;
        const head = el("div");
        head.append(badge(n.state, say(lang, "s_" + n.state)), el("span", "claim", n.title || n.kind));
        d.append(head);
        d.append(el("div", "meta", `${short(n.id)} · ${regionName(n.region)} · ${when(n.issued_at)}`));
        if (n.answers && n.answers.length)
            d.append(el("div", "meta", `${say(lang, "pv_answers")}: ${n.answers.map(short).join(", ")}`));
        if (desk.gateway) {
            const a = el("a", null, say(lang, "page_link"));
            a.href = `${desk.gateway.replace(/\/$/, "")}/b/${n.id}`;
            a.rel = "noopener";
            d.append(a);
        }
        const ul = el("ul", "receipts");
        for (const r of n.receipts) {
            const li = el("li", "receipt", say(lang, "receipt", {
                platform: r.platform.name, action: say(lang, "a_" + r.action), items: r.items,
                time: when(r.acted_at),
            }));
            if (r.reason) li.append(" — " + say(lang, "reason", { reason: r.reason }));
            ul.append(li);
        }
        if (n.receipts.length === 0) ul.append(el("li", "empty", say(lang, "receipts_none")));
        d.append(ul);
        box.append(d);
    }
}

function outcome(good, head, rest = []) {
    const o = $("outcome");
    o.className = "outcome " + (good ? "good" : "bad");
    o.replaceChildren(el("div", "head", head), ...rest.filter(Boolean).map((t) => el("div", null, t)));
}

async function load() {
    if (!TOKEN) {
        outcome(false, say(lang, "no_token"));
        return;
    }
    let r;
    try {
        r = await api("/api/desk");
    } catch (e) {
        outcome(false, say(lang, "unreachable", { why: e.message }));
        return;
    }
    if (r.status !== 200) {
        outcome(false, r.body.error ? r.body.error.message : `HTTP ${r.status}`);
        return;
    }
    desk = r.body;
    render();
}

function render() {
    fillWords(say, lang);
    const sw = $("lang");
    sw.textContent = lang === "id" ? "English" : "Bahasa Indonesia";
    sw.href = "?lang=" + (lang === "id" ? "en" : "id");
    if (!desk) return;
    $("who").textContent = desk.office
        ? `${desk.office.name} · ${desk.office.regions.map(regionName).join(", ")}`
        : say(lang, "no_office", { why: desk.trust });
    $("sign").disabled = !desk.office;
    renderInbox();
    renderSent();
    update();
}

async function sign(ev) {
    ev.preventDefault();
    const pass = $("f-pass");
    const button = $("sign");
    button.disabled = true;
    button.textContent = say(lang, "signing");
    let r;
    try {
        r = await api("/api/sign", {
            method: "POST", body: JSON.stringify({ bulletin: draft(), passphrase: pass.value }),
        });
    } catch (e) {
        r = { status: 0, body: { error: { message: e.message } } };
    }
    pass.value = "";
    button.disabled = false;
    button.textContent = say(lang, "sign");
    const b = r.body;
    if (r.status !== 200) {
        outcome(false, say(lang, "not_signed", { why: (b.error && b.error.message || "").trim() }));
        return;
    }
    const vals = { id: short(b.id), seq: b.sequence, why: (b.message || "").trim() };
    const head = b.published ? say(lang, "published", vals)
        : b.pending ? say(lang, "pending", vals) : say(lang, "not_published", vals);
    if (b.published) {
        answers = [];
        answerClaim = "";
        $("form").reset();
    }
    await load(); // the inbox and the sent list as the node has them now
    outcome(b.published, head, [say(lang, "kept", { file: b.file })]);
    $("outcome").dataset.id = b.id;
}

$("form").addEventListener("input", update);
$("form").addEventListener("change", update);
$("form").addEventListener("submit", sign);
$("form").addEventListener("reset", () => {
    answers = [];
    setTimeout(update, 0);
});
$("lang").addEventListener("click", (ev) => {
    ev.preventDefault();
    lang = lang === "id" ? "en" : "id";
    history.replaceState(null, "", "?lang=" + lang);
    render();
});
render();
load();
// New reports and receipts arrive while the page is open: look again every 30 s (the form is
// left as it is).
setInterval(() => { if (TOKEN && !document.hidden) load(); }, 30000);
