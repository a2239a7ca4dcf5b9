// dashboard.js - the gateway's dashboard (/dashboard): the figures of /v1/stats (the same as
// `warta stats`, tools/stats.c) as figures, tables and a monthly chart drawn by uPlot (from
// npm, vendored into the page), and the latest receipts platforms sent.
import uPlot from "uplot";
import { pickLanguage, formatTime, sayFrom, el, fillWords } from "warta/page.js";

const WORDS = {
    id: {
        title: "Dasbor efektivitas warta",
        loop: "Seberapa cepat lingkaran tertutup", by_month: "Per bulan", tables: "Rincian",
        receipts: "Tindakan platform terbaru",
        json_note: "Angka yang sama sebagai JSON:",
        as_of: "per {time}",
        reports: "Laporan", open: "Laporan terbuka", claims: "Klaim berbeda",
        clarifications: "Klarifikasi & koreksi", actions: "Tindakan platform", items: "Konten ditindak",
        to_answer: "Laporan pertama → klarifikasi (median)",
        to_first: "Klarifikasi → tindakan pertama (median)",
        to_last: "Klarifikasi → tindakan terakhir (median)",
        month: "Bulan", none: "belum ada",
        t_region: "Klarifikasi per wilayah", t_verdict: "Klarifikasi per label",
        t_office: "Klarifikasi per kantor", t_action: "Tindakan per jenis", t_age: "Laporan terbuka per umur",
        under_1h: "< 1 jam", "1h_to_1d": "1 jam – 1 hari", "1d_to_7d": "1 – 7 hari", over_7d: "> 7 hari",
        r_when: "Waktu", r_platform: "Platform", r_action: "Tindakan", r_items: "Konten", r_bulletin: "Buletin",
        no_receipts: "Belum ada tindakan platform.",
        unreachable: "Gateway tidak menjawab: {why}",
        count: "dari {n}",
    },
    en: {
        title: "warta effectiveness dashboard",
        loop: "How fast the loop closes", by_month: "By month", tables: "Breakdown",
        receipts: "Latest platform actions",
        json_note: "The same figures as JSON:",
        as_of: "as of {time}",
        reports: "Reports", open: "Open reports", claims: "Distinct claims",
        clarifications: "Clarifications & corrections", actions: "Platform actions", items: "Items acted on",
        to_answer: "First report → clarification (median)",
        to_first: "Clarification → first action (median)",
        to_last: "Clarification → last action (median)",
        month: "Month", none: "none yet",
        t_region: "Clarifications by region", t_verdict: "Clarifications by verdict",
        t_office: "Clarifications by office", t_action: "Actions by kind", t_age: "Open reports by age",
        under_1h: "< 1 hour", "1h_to_1d": "1 hour – 1 day", "1d_to_7d": "1 – 7 days", over_7d: "> 7 days",
        r_when: "When", r_platform: "Platform", r_action: "Action", r_items: "Items", r_bulletin: "Bulletin",
        no_receipts: "No platform action yet.",
        unreachable: "The gateway does not answer: {why}",
        count: "of {n}",
    },
};
const say = sayFrom(WORDS);
const $ = (id) => document.getElementById(id);
let lang = pickLanguage(location.search, navigator.languages);
let stats = null, receipts = [], offices = {}, plot = null;

// A duration in words: the two largest units that matter.
function duration(ms) {
    if (ms === null || ms === undefined) return say(lang, "none");
    const s = Math.round(Number(ms) / 1000);
    const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
    const u = lang === "id" ? ["hari", "jam", "menit", "detik"] : ["d", "h", "min", "s"];
    if (d) return `${d} ${u[0]} ${h} ${u[1]}`;
    if (h) return `${h} ${u[1]} ${m} ${u[2]}`;
    if (m) return `${m} ${u[2]} ${s % 60} ${u[3]}`;
    return `${s} ${u[3]}`;
}

function figure(key, value, sub) {
    const f = el("div", "figure");
    f.dataset.k = key;
    f.append(el("div", "v", String(value)), el("div", "k", say(lang, key)));
    if (sub) f.append(el("div", "k", sub));
    return f;
}

// A table of counts, largest first (or in the order given).
function table(title, obj, name = (k) => k, order = null) {
    const t = el("table");
    t.dataset.t = title;
    const cap = el("caption", null, say(lang, title));
    t.append(cap);
    const keys = order || Object.keys(obj).sort((a, b) => obj[b] - obj[a] || a.localeCompare(b));
    for (const k of keys) {
        const tr = el("tr");
        tr.append(el("td", null, name(k)), el("td", "n", String(obj[k])));
        t.append(tr);
    }
    if (keys.length === 0) {
        const tr = el("tr");
        tr.append(el("td", "empty", say(lang, "none")));
        t.append(tr);
    }
    return t;
}

// Every month from the first to the last that has an event, so a quiet month shows as 0.
function months() {
    const all = new Set([...Object.keys(stats.reports.by_month), ...Object.keys(stats.clarifications.by_month)]);
    const sorted = [...all].sort();
    if (sorted.length === 0) return [];
    const out = [];
    let [y, m] = sorted[0].split("-").map(Number);
    const [ly, lm] = sorted[sorted.length - 1].split("-").map(Number);
    while (y < ly || (y === ly && m <= lm)) {
        out.push(`${y}-${String(m).padStart(2, "0")}`);
        if (++m === 13) { m = 1; y++; }
    }
    return out;
}

function chart(ms) {
    const box = $("chart");
    if (plot) plot.destroy();
    plot = null;
    box.replaceChildren();
    if (ms.length === 0) return;
    // One bar per month, months as categories (0, 1, ...) labelled "2024-01".
    const x = ms.map((k, i) => i);
    const rep = ms.map((k) => stats.reports.by_month[k] || 0);
    const cl = ms.map((k) => stats.clarifications.by_month[k] || 0);
    const bars = uPlot.paths.bars({ size: [0.6, 60] });
    const every = Math.max(1, Math.ceil(ms.length / 12));
    plot = new uPlot({
        width: Math.min(box.clientWidth || 900, 1100), height: 320,
        legend: { live: false },
        scales: { x: { time: false, range: [-0.5, ms.length - 0.5] },
            y: { range: (u, min, max) => [0, Math.max(1, max) * 1.1] } },
        series: [
            { label: say(lang, "month") },
            { label: say(lang, "reports"), stroke: "#a4161a", fill: "rgba(164,22,26,0.35)", paths: bars },
            { label: say(lang, "clarifications"), stroke: "#12355b", width: 2, points: { size: 6 } },
        ],
        axes: [
            { splits: () => x.filter((i) => i % every === 0), values: (u, splits) => splits.map((i) => ms[i] || "") },
            { label: lang === "id" ? "jumlah" : "count", values: (u, splits) => splits.map((v) => (Number.isInteger(v) ? v : "")) },
        ],
    }, [x, rep, cl], box);
    box.setAttribute("aria-label", ms.map((k, i) => `${k}: ${rep[i]} / ${cl[i]}`).join("; "));
}

function render() {
    fillWords(say, lang);
    const sw = $("lang");
    sw.textContent = lang === "id" ? "English" : "Bahasa Indonesia";
    sw.href = "?lang=" + (lang === "id" ? "en" : "id");
    if (!stats) return;
    $("at").textContent = say(lang, "as_of", { time: formatTime(lang, Date.parse(stats.at)) });
    const R = stats.reports, C = stats.clarifications, A = stats.receipts;
    $("figures").replaceChildren(
        figure("reports", R.total), figure("open", R.open), figure("claims", R.claims),
        figure("clarifications", C.total), figure("actions", A.total), figure("items", A.items),
        figure("to_answer", duration(stats.report_to_clarification.median_ms),
            say(lang, "count", { n: stats.report_to_clarification.count })),
        figure("to_first", duration(stats.clarification_to_first_action.median_ms),
            say(lang, "count", { n: stats.clarification_to_first_action.count })),
        figure("to_last", duration(stats.clarification_to_last_action.median_ms),
            say(lang, "count", { n: stats.clarification_to_last_action.count })));
    const ms = months();
    const mt = $("months");
    mt.replaceChildren();
    const head = el("tr");
    head.append(el("th", null, say(lang, "month")), el("th", "n", say(lang, "reports")),
        el("th", "n", say(lang, "clarifications")));
    mt.append(head);
    for (const k of ms) {
        const tr = el("tr");
        tr.dataset.month = k;
        tr.append(el("td", null, k), el("td", "n", String(R.by_month[k] || 0)),
            el("td", "n", String(C.by_month[k] || 0)));
        mt.append(tr);
    }
    chart(ms);
    $("tables").replaceChildren(
        table("t_region", C.by_region, (k) => (k === "national" ? say(lang, "national") : k)),
        table("t_verdict", C.by_verdict),
        table("t_office", C.by_office, (k) => offices[k] || k),
        table("t_action", A.by_action, (k) => say(lang, "a_" + k)),
        table("t_age", R.open_by_age, (k) => say(lang, k), ["under_1h", "1h_to_1d", "1d_to_7d", "over_7d"]));
    const rt = $("receipts");
    rt.replaceChildren();
    if (receipts.length === 0) {
        const tr = el("tr");
        tr.append(el("td", "empty", say(lang, "no_receipts")));
        rt.append(tr);
        return;
    }
    const rh = el("tr");
    for (const k of ["r_when", "r_platform", "r_action", "r_items", "r_bulletin"]) rh.append(el("th", null, say(lang, k)));
    rt.append(rh);
    for (const r of receipts) {
        const tr = el("tr", "receipt");
        tr.dataset.id = r.id;
        const link = el("a", null, r.bulletin.slice(0, 16));
        link.href = "/b/" + r.bulletin;
        const td = el("td");
        td.append(link);
        tr.append(el("td", null, formatTime(lang, Date.parse(r.acted_at))),
            el("td", null, r.issuer_office ? r.issuer_office.name : r.issuer.slice(0, 16)),
            el("td", null, say(lang, "a_" + r.action)), el("td", "n", String(r.items)), td);
        rt.append(tr);
    }
}

async function get(path) {
    const r = await fetch(path, { cache: "no-store" });
    if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
    return r.json();
}

async function load() {
    try {
        const [s, rc, of] = await Promise.all([get("/v1/stats"), get("/v1/bulletins?kind=receipt&limit=20"), get("/v1/offices")]);
        stats = s;
        receipts = rc.bulletins;
        offices = Object.fromEntries((of.offices || []).map((o) => [o.office, o.name]));
    } catch (e) {
        $("figures").replaceChildren(el("p", "empty", say(lang, "unreachable", { why: e.message })));
        return;
    }
    render();
}

$("lang").addEventListener("click", (ev) => {
    ev.preventDefault();
    lang = lang === "id" ? "en" : "id";
    history.replaceState(null, "", "?lang=" + lang);
    render();
});
render();
load();
setInterval(() => { if (!document.hidden) load(); }, 60000); // the figures as they grow
