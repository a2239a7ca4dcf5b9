// page.js - what every page of web/ does alike: its language (Indonesian by default, English),
// its words looked up with values put in as text, times, and elements made safely (text is
// always textContent, never markup).

// The page's language: ?lang=, else the browser's first of id/en, else Indonesian.
export function pickLanguage(search, languages) {
    const q = new URLSearchParams(search).get("lang");
    if (q === "id" || q === "en") return q;
    for (const l of languages || []) {
        const base = l.toLowerCase().split("-")[0];
        if (base === "id" || base === "en") return base;
    }
    return "id";
}

export function formatTime(lang, ms) {
    return new Intl.DateTimeFormat(lang === "id" ? "id-ID" : "en-GB", {
        dateStyle: "long", timeStyle: "short", timeZone: "UTC",
    }).format(new Date(ms)) + " UTC";
}

// Words more than one page says: a platform's actions (PROTOCOL.md §2.7), the national scope.
const COMMON = {
    id: {
        a_labelled: "diberi label", a_reach_reduced: "jangkauan dikurangi", a_removed: "dihapus",
        a_no_action: "tidak ditindak", national: "nasional",
    },
    en: {
        a_labelled: "labelled", a_reach_reduced: "reach reduced", a_removed: "removed",
        a_no_action: "no action", national: "national",
    },
};

// say(lang, key, {name: value}) from a table {id: {...}, en: {...}} (and the common words);
// {name} marks a value.
export function sayFrom(own) {
    const words = { id: { ...COMMON.id, ...own.id }, en: { ...COMMON.en, ...own.en } };
    return (lang, key, values = {}) => {
        const t = (words[lang] && words[lang][key]) || words.en[key] || key;
        return t.replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));
    };
}

export function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
}

// Put the page's fixed words (elements with data-w="key") in lang.
export function fillWords(say, lang) {
    document.documentElement.lang = lang;
    for (const e of document.querySelectorAll("[data-w]")) e.textContent = say(lang, e.dataset.w);
    for (const e of document.querySelectorAll("[data-wp]")) e.placeholder = say(lang, e.dataset.wp);
}
