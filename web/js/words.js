// words.js - what the verification page says, in Indonesian (the default) and English.
// {name} marks where a value goes; values are inserted as text, never as markup.

export const WORDS = {
    id: {
        title: "Periksa buletin warta",
        lead: "Tempel buletin yang Anda terima (teks dari BEGIN sampai END), atau pilih berkasnya. Tanda tangannya diperiksa di peramban Anda sendiri.",
        paste: "Buletin",
        placeholder: "-----BEGIN WARTA BULLETIN-----\n…\n-----END WARTA BULLETIN-----",
        file: "atau pilih berkas (.asc, .wrb)",
        drop: "Lepaskan berkas di sini",
        check: "Periksa",
        checking: "Memeriksa…",
        valid_office: "ASLI — ditandatangani oleh {office}",
        valid_unknown: "Tanda tangan utuh, tetapi penanda tangannya TIDAK dikenal sebagai kantor resmi",
        untrusted: "TIDAK DIAKUI — tanda tangan utuh, tetapi daftar resmi tidak mengakuinya: {why}",
        bad_signature: "TIDAK SAH — tanda tangan tidak cocok: isinya diubah atau dipalsukan",
        malformed: "TIDAK SAH — ini bukan buletin warta yang utuh ({why})",
        expired: "KEDALUWARSA — asli, tetapi masa berlakunya habis pada {time}",
        status_in_force: "Masih berlaku",
        status_withdrawn: "Ditarik oleh penerbit",
        status_corrected: "Sudah dikoreksi",
        status_expired: "Kedaluwarsa",
        status_unknown: "Status terkini tidak diketahui (gateway tidak terjangkau atau belum menyimpannya)",
        issued: "Diterbitkan {time}",
        self_checked: "Diperiksa sendiri oleh halaman ini, di peramban Anda",
        from_gateway: "Dari gateway (tidak diperiksa sendiri oleh halaman ini)",
        from_saved: "Dari daftar resmi yang tersimpan di halaman ini ({time})",
        c_decode: "Susunan buletin sesuai PROTOCOL.md §2 (semua aturan format)",
        c_id: "Nomor buletin (BLAKE2b-256 dari bytenya): {id}",
        c_signature: "Tanda tangan Ed25519 oleh kunci {key} (sidik jari {fp})",
        c_signature_bad: "Tanda tangan Ed25519 oleh kunci {key}: TIDAK cocok",
        c_record: "Tanda tangan catatan daftar resmi: {office} — ditandatangani oleh {by}",
        c_root: "Akar jaringan: ditandatangani {n} dari {k} pemegang yang diwajibkan; nomor jaringan {network}",
        c_path_failed: "Jalur delegasi TIDAK dapat diperiksa: {why}",
        c_path_none: "Tidak ada jalur delegasi untuk diperiksa",
        g_office: "Kantor penanda tangan dan jalur delegasinya: {path}",
        g_trust: "Bahwa catatan-catatan itu masih berlaku (tidak dicabut, tidak diganti, dalam wilayahnya)",
        g_status: "Status buletin: {status}",
        g_offline: "Gateway tidak terjangkau: pencabutan dan status sesudah halaman ini disimpan tidak diketahui",
        root_by: "akar jaringan versi {v}",
        compare_network: "Bandingkan nomor jaringan dengan yang diumumkan Kementerian: {network}",
        field_title: "Judul", field_claim: "Klaim", field_facts: "Faktanya", field_region: "Wilayah",
        field_verdict: "Label", field_language: "Bahasa", field_id: "Nomor buletin",
        national: "nasional",
        other_lang: "English",
        why_damaged: "teks armor rusak atau tidak lengkap",
    },
    en: {
        title: "Check a warta bulletin",
        lead: "Paste the bulletin you received (the text from BEGIN to END), or choose its file. Its signature is checked in your own browser.",
        paste: "Bulletin",
        placeholder: "-----BEGIN WARTA BULLETIN-----\n…\n-----END WARTA BULLETIN-----",
        file: "or choose a file (.asc, .wrb)",
        drop: "Drop the file here",
        check: "Check",
        checking: "Checking…",
        valid_office: "AUTHENTIC — signed by {office}",
        valid_unknown: "The signature is intact, but its signer is NOT known as an official office",
        untrusted: "NOT RECOGNISED — the signature is intact, but the roster does not accept it: {why}",
        bad_signature: "NOT VALID — the signature does not match: it was altered or forged",
        malformed: "NOT VALID — this is not a whole warta bulletin ({why})",
        expired: "EXPIRED — authentic, but no longer in force since {time}",
        status_in_force: "Still in force",
        status_withdrawn: "Withdrawn by its issuer",
        status_corrected: "Corrected",
        status_expired: "Expired",
        status_unknown: "Current status unknown (the gateway cannot be reached or has not stored it)",
        issued: "Issued {time}",
        self_checked: "Checked by this page itself, in your browser",
        from_gateway: "From the gateway (not checked by this page itself)",
        from_saved: "From the roster saved in this page ({time})",
        c_decode: "The bulletin's layout follows PROTOCOL.md §2 (every format rule)",
        c_id: "Bulletin id (BLAKE2b-256 of its bytes): {id}",
        c_signature: "Ed25519 signature by key {key} (fingerprint {fp})",
        c_signature_bad: "Ed25519 signature by key {key}: does NOT match",
        c_record: "Signatures of the roster record: {office} — signed by {by}",
        c_root: "Network root: signed by {n} of the {k} holders required; network id {network}",
        c_path_failed: "The delegation path could NOT be checked: {why}",
        c_path_none: "No delegation path to check",
        g_office: "The signing office and its delegation path: {path}",
        g_trust: "That those records are still in force (not revoked, not rotated out, within their regions)",
        g_status: "The bulletin's status: {status}",
        g_offline: "The gateway cannot be reached: revocations and status since this page was saved are not known",
        root_by: "the network root, version {v}",
        compare_network: "Compare the network id with the one the ministry publishes: {network}",
        field_title: "Title", field_claim: "Claim", field_facts: "The facts", field_region: "Region",
        field_verdict: "Label", field_language: "Language", field_id: "Bulletin id",
        national: "national",
        other_lang: "Bahasa Indonesia",
        why_damaged: "the armored text is damaged or incomplete",
    },
};

export function say(lang, key, values = {}) {
    const t = (WORDS[lang] && WORDS[lang][key]) || WORDS.en[key] || key;
    return t.replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));
}

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
