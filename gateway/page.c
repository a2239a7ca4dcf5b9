/* page.c - the human page of a bulletin, /b/ID, in Indonesian or English.
 *
 * One request, one language (Accept-Language, or ?lang=id|en, the switch on the page): the
 * page's words are the table below, since gettext's one process-wide language does not fit a
 * server that answers both at once. The page carries the notice, its office and delegation
 * path, its status (keys/status.c), its corrections and translations, ClaimReview JSON-LD
 * (tools/claimreview.c, url = this page), OpenGraph tags, and the armored bulletin itself, so
 * that it can be checked from the page alone. No script runs on it. */
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gateway.h"
#include "proto_armor.h"
#include "proto_pubkey.h"
#include "tool.h"

enum lang { LANG_ID, LANG_EN };

enum word {
    W_IN_FORCE, W_CORRECTED, W_WITHDRAWN, W_EXPIRED, W_UNTRUSTED, W_ISSUED_BY, W_ON, W_DELEGATED,
    W_ROOT, W_CLAIM, W_FACTS, W_APPEARED, W_SOURCES, W_CORRECTIONS, W_WITHDRAWALS,
    W_TRANSLATIONS, W_ARMORED, W_CHECK, W_NOT_FOUND, W_ID, W_UNKNOWN_ISSUER, W_LATEST,
    W_URGENT, W_API, W_CHECK_HERE, W_ANSWERS, W_REPORTED_BY, W_NOT_HELD, W_ACTIONS,
    W_LABELLED, W_REACH_REDUCED, W_REMOVED, W_NO_ACTION, W_ITEMS, W_COUNT
};

static const char *const words[W_COUNT][2] = {
    [W_IN_FORCE] = {"Masih berlaku", "In force"},
    [W_CORRECTED] = {"Telah dikoreksi", "Corrected"},
    [W_WITHDRAWN] = {"Telah ditarik", "Withdrawn"},
    [W_EXPIRED] = {"Sudah kedaluwarsa", "Expired"},
    [W_UNTRUSTED] = {"TIDAK SAH: penerbitnya tidak berwenang menurut daftar kepercayaan",
                     "NOT valid: the roster does not let its issuer say this"},
    [W_ISSUED_BY] = {"Ditandatangani oleh", "Signed by"},
    [W_ON] = {"pada", "on"},
    [W_DELEGATED] = {"didelegasikan oleh", "delegated by"},
    [W_ROOT] = {"akar jaringan, versi", "the network root, version"},
    [W_CLAIM] = {"Klaim", "Claim"},
    [W_FACTS] = {"Faktanya", "The facts"},
    [W_APPEARED] = {"Beredar di", "Seen at"},
    [W_SOURCES] = {"Rujukan", "Sources"},
    [W_CORRECTIONS] = {"Koreksi", "Corrections"},
    [W_WITHDRAWALS] = {"Penarikan", "Withdrawals"},
    [W_TRANSLATIONS] = {"Terjemahan", "Translations"},
    [W_ARMORED] = {"Buletin bertanda tangan (untuk diperiksa sendiri)",
                   "The signed bulletin (to check it yourself)"},
    [W_CHECK] = {"Periksa dengan: warta verify FILE --roster ROSTER, atau di halaman /verify.",
                 "Check it with: warta verify FILE --roster ROSTER, or on the /verify page."},
    [W_CHECK_HERE] = {"Periksa tanda tangannya di peramban Anda",
                      "Check its signature in your own browser"},
    [W_NOT_FOUND] = {"Buletin ini tidak ada di simpul ini.", "This node holds no such bulletin."},
    [W_ID] = {"Nomor buletin", "Bulletin id"},
    [W_UNKNOWN_ISSUER] = {"penerbit tak dikenal", "unknown issuer"},
    [W_LATEST] = {"terbaru", "latest"},
    [W_URGENT] = {"MENDESAK", "URGENT"},
    [W_API] = {"Data mesin", "Machine-readable"},
    [W_ANSWERS] = {"Menjawab laporan", "Answers the reports"},
    [W_REPORTED_BY] = {"dilaporkan oleh", "reported by"},
    [W_NOT_HELD] = {"laporan yang belum ada di simpul ini", "a report this node does not hold"},
    [W_ACTIONS] = {"Tindakan platform", "What platforms did"},
    [W_LABELLED] = {"diberi label", "labelled"},
    [W_REACH_REDUCED] = {"jangkauannya dikurangi", "reach reduced"},
    [W_REMOVED] = {"dihapus", "removed"},
    [W_NO_ACTION] = {"tidak ditindak", "no action"},
    [W_ITEMS] = {"konten", "items"},
};

static const char *const months[2][12] = {
    {"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
     "Oktober", "November", "Desember"},
    {"January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"}};

/* ---- a growing page ---- */

struct out {
    char *p;
    size_t n, cap;
    bool failed;
};

static void put(struct out *o, const char *s, size_t n)
{
    if (o->failed) return;
    if (o->n + n + 1 > o->cap) {
        size_t cap = (o->cap + n + 1) * 2;
        char *p = realloc(o->p, cap);
        if (p == NULL) {
            o->failed = true;
            return;
        }
        o->p = p, o->cap = cap;
    }
    memcpy(o->p + o->n, s, n);
    o->n += n;
    o->p[o->n] = 0;
}

static void raw_text(struct out *o, const char *s)
{
    put(o, s, strlen(s));
}

static void fmt(struct out *o, const char *f, ...) __attribute__((format(printf, 2, 3)));
static void fmt(struct out *o, const char *f, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, f);
    int n = vsnprintf(buf, sizeof buf, f, ap);
    va_end(ap);
    if (n > 0) put(o, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

/* Text into HTML, escaped (the bytes are UTF-8 already, checked by the decoder). */
static void esc(struct out *o, const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        switch (s[i]) {
        case '<': raw_text(o, "&lt;"); break;
        case '>': raw_text(o, "&gt;"); break;
        case '&': raw_text(o, "&amp;"); break;
        case '"': raw_text(o, "&quot;"); break;
        case '\'': raw_text(o, "&#39;"); break;
        default: put(o, (const char *)&s[i], 1);
        }
    }
}

static void esc_str(struct out *o, struct proto_str s)
{
    esc(o, s.p, s.n);
}

static void esc_c(struct out *o, const char *s)
{
    esc(o, (const uint8_t *)s, strlen(s));
}

/* ---- what the page says ---- */

/* The zone of a region's local time, from its province (Permendagri codes). */
static void local_time(uint64_t ms, struct proto_str region, enum lang l, char *out, size_t cap)
{
    int prov = region.n >= 2 ? (region.p[0] - '0') * 10 + (region.p[1] - '0') : 0;
    int hours = 7;
    const char *zone = "WIB";
    if ((prov >= 51 && prov <= 53) || (prov >= 63 && prov <= 65) || (prov >= 71 && prov <= 76))
        hours = 8, zone = "WITA";
    else if (prov >= 81 && prov <= 99)
        hours = 9, zone = "WIT";
    time_t t = (time_t)(ms / 1000) + hours * 3600;
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, cap, "%d %s %d, %02d.%02d %s", tm.tm_mday, months[l][tm.tm_mon],
             tm.tm_year + 1900, tm.tm_hour, tm.tm_min, zone);
}

static enum lang pick_lang(struct MHD_Connection *c)
{
    return gw_wants_english(MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "lang"),
                            MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Language"))
               ? LANG_EN
               : LANG_ID;
}

static void office_line(struct out *o, struct gw *g, const struct roster_office *w, enum lang l)
{
    const struct proto_roster *d = &w->delegation;
    raw_text(o, "<strong class=\"office\">");
    esc_str(o, d->name);
    raw_text(o, "</strong> (");
    esc_str(o, d->office);
    raw_text(o, ")<ul class=\"path\">");
    for (size_t i = 0; i < w->depth; i++) {
        struct roster_office up;
        char pk[PROTO_PUBKEY_TEXT_LEN + 1];
        raw_text(o, "<li>");
        raw_text(o, words[W_DELEGATED][l]);
        raw_text(o, " ");
        if (roster_key_at(g->ro, w->path[i], d->valid_from, &up) == ROSTER_TRUSTED) {
            esc_str(o, up.delegation.name);
        } else {
            proto_pubkey_format(w->path[i], pk);
            esc_c(o, pk);
        }
        raw_text(o, "</li>");
    }
    if (w->path_to_root)
        fmt(o, "<li>%s %s %llu</li>", words[W_DELEGATED][l], words[W_ROOT][l],
            (unsigned long long)w->root_version);
    raw_text(o, "</ul>");
}

static void refs(struct out *o, const char *title, const struct status_ref *r, size_t n,
                 bool lang)
{
    if (n == 0) return;
    char hex[2 * PROTO_ID_BYTES + 1];
    fmt(o, "<h2>%s</h2><ul class=\"refs\">", title);
    for (size_t i = 0; i < n && i < STATUS_MAX_LIST; i++) {
        tool_hex(r[i].id, PROTO_ID_BYTES, hex);
        fmt(o, "<li><a href=\"/b/%s\">%.16s</a>", hex, hex);
        if (lang) {
            raw_text(o, " (");
            esc_c(o, r[i].lang);
            raw_text(o, ")");
        }
        raw_text(o, "</li>");
    }
    raw_text(o, "</ul>");
}

static void links(struct out *o, const struct proto_bulletin *b, int rel, const char *title)
{
    bool any = false;
    for (size_t i = 0; i < b->n_links; i++) {
        if (b->links[i].rel != rel) continue;
        if (!any) fmt(o, "<h2>%s</h2><ul class=\"links\">", title);
        any = true;
        raw_text(o, "<li><a rel=\"nofollow noopener\" href=\"");
        esc_str(o, b->links[i].url);
        raw_text(o, "\">");
        esc_str(o, b->links[i].url);
        raw_text(o, "</a></li>");
    }
    if (any) raw_text(o, "</ul>");
}

/* The reports a notice answers (PROTOCOL.md §2.5): each one's claim and reporter, when held. */
static void answered(struct out *o, struct gw *g, const struct proto_bulletin *b, enum lang l)
{
    char hex[2 * PROTO_ID_BYTES + 1];
    if (b->n_answers == 0) return;
    fmt(o, "<h2>%s</h2><ul class=\"answers\">", words[W_ANSWERS][l]);
    for (size_t i = 0; i < b->n_answers; i++) {
        uint8_t *raw = NULL;
        size_t len = 0;
        struct proto_bulletin r;
        struct roster_office who;
        tool_hex(b->answers[i], PROTO_ID_BYTES, hex);
        fmt(o, "<li><a href=\"/b/%s\">%.16s</a> ", hex, hex);
        if (store_get(g->s, b->answers[i], &raw, &len) == STORE_OK &&
            proto_bulletin_decode(&r, raw, len, NULL) == PROTO_OK && r.kind == PROTO_KIND_REPORT) {
            raw_text(o, "<q class=\"text\">");
            esc(o, r.claim.p, r.claim.n > 300 ? 300 : r.claim.n);
            raw_text(o, "</q>");
            if (roster_check(g->ro, &r, b->answers[i], &who) == ROSTER_TRUSTED) {
                fmt(o, " &mdash; %s ", words[W_REPORTED_BY][l]);
                esc_str(o, who.delegation.name);
            }
        } else {
            fmt(o, "(%s)", words[W_NOT_HELD][l]);
        }
        free(raw);
        raw_text(o, "</li>");
    }
    raw_text(o, "</ul>");
}

struct actions {
    struct out *o;
    struct gw *g;
    enum lang l;
    bool any;
};

/* A receipt naming the notice (store_named), when the roster trusts it: a platform's. */
static int action_visit(const uint8_t *raw, size_t len, void *p)
{
    static const int action_word[] = {W_LABELLED, W_REACH_REDUCED, W_REMOVED, W_NO_ACTION};
    struct actions *a = p;
    struct proto_bulletin r;
    struct roster_office who;
    uint8_t id[PROTO_ID_BYTES];
    char when[64];
    if (proto_bulletin_decode(&r, raw, len, NULL) != PROTO_OK || r.kind != PROTO_KIND_RECEIPT ||
        r.action > PROTO_ACTION_NONE)
        return 0;
    proto_bulletin_id(raw, len, id);
    if (roster_check(a->g->ro, &r, id, &who) != ROSTER_TRUSTED) return 0;
    if (!a->any) fmt(a->o, "<h2>%s</h2><ul class=\"actions\">", words[W_ACTIONS][a->l]);
    a->any = true;
    local_time(r.acted_at, (struct proto_str){0}, a->l, when, sizeof when);
    raw_text(a->o, "<li class=\"receipt\">");
    esc_str(a->o, who.delegation.name);
    fmt(a->o, ": %s, %lu %s, <time>%s</time>", words[action_word[r.action]][a->l],
        (unsigned long)r.items, words[W_ITEMS][a->l], when);
    if (r.reason.n) {
        raw_text(a->o, " &mdash; ");
        esc_str(a->o, r.reason);
    }
    raw_text(a->o, "</li>");
    return 0;
}

static const char style[] =
    "body{font:16px/1.5 system-ui,sans-serif;max-width:46em;margin:2em auto;padding:0 1em;"
    "color:#1b1b1b}header{display:flex;justify-content:space-between;align-items:baseline}"
    ".status{padding:.6em 1em;border-radius:.4em;font-weight:bold;margin:1em 0}"
    ".in_force{background:#e3f4e6;color:#14532d}.corrected{background:#fff4d6;color:#7a4b00}"
    ".withdrawn,.untrusted{background:#fde2e1;color:#8a1c16}.expired{background:#ececec}"
    ".verdict{font-weight:bold;letter-spacing:.05em}.urgent{color:#b00020;font-weight:bold}"
    "pre{white-space:pre-wrap;word-break:break-all;font-size:12px;background:#f6f6f6;"
    "padding:1em}.text{white-space:pre-wrap}ul.path{margin:.2em 0;font-size:14px}";

/* "[HOAKS] title", unless the title already begins with its label in brackets. */
static void title(struct out *o, const struct proto_bulletin *b)
{
    if (b->title.n == 0 || b->title.p[0] != '[') {
        raw_text(o, "[");
        esc_str(o, b->verdict);
        raw_text(o, "] ");
    }
    esc_str(o, b->title);
}

static void head(struct out *o, const char *base, const struct proto_bulletin *b, const char *hex,
                 enum lang l, json_t *claimreview)
{
    fmt(o, "<!doctype html><html lang=\"%s\"><head><meta charset=\"utf-8\">"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>",
        l == LANG_EN ? "en" : "id");
    title(o, b);
    raw_text(o, "</title><meta property=\"og:type\" content=\"article\">"
                "<meta property=\"og:title\" content=\"");
    title(o, b);
    raw_text(o, "\"><meta property=\"og:description\" content=\"");
    struct proto_str d = b->explanation.n ? b->explanation : b->claim;
    esc(o, d.p, d.n > 300 ? 300 : d.n);
    fmt(o, "\"><meta property=\"og:url\" content=\"%s/b/%s\">", base, hex);
    raw_text(o, "<meta property=\"og:locale\" content=\"");
    esc_str(o, b->lang);
    raw_text(o, "\">");
    fmt(o, "<link rel=\"canonical\" href=\"%s/b/%s\">", base, hex);
    fmt(o, "<link rel=\"alternate\" type=\"application/json\" href=\"/v1/bulletins/%s\">", hex);
    if (claimreview) {
        /* JSON in a script element: '<', '>' and '&' escaped so the text cannot close it. */
        char *j = json_dumps(claimreview, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ESCAPE_SLASH);
        if (j) {
            raw_text(o, "<script type=\"application/ld+json\">");
            for (char *p = j; *p; p++) {
                if (*p == '<') raw_text(o, "\\u003c");
                else if (*p == '>') raw_text(o, "\\u003e");
                else if (*p == '&') raw_text(o, "\\u0026");
                else put(o, p, 1);
            }
            raw_text(o, "</script>");
            free(j);
        }
    }
    fmt(o, "<style>%s</style></head><body>", style);
}

static void body(struct out *o, struct gw *g, const struct proto_bulletin *b, const uint8_t *raw,
                 size_t len, const char *hex, enum lang l, const struct bulletin_status *st)
{
    static const int state_word[] = {W_IN_FORCE, W_CORRECTED, W_WITHDRAWN, W_EXPIRED,
                                     W_UNTRUSTED};
    char when[64], byhex[2 * PROTO_ID_BYTES + 1];
    fmt(o, "<header><span class=\"verdict\">");
    esc_str(o, b->verdict);
    raw_text(o, "</span>");
    if (b->priority == PROTO_PRIORITY_URGENT)
        fmt(o, " <span class=\"urgent\">%s</span>", words[W_URGENT][l]);
    fmt(o, "<nav><a href=\"?lang=id\" hreflang=\"id\">Bahasa Indonesia</a> | "
           "<a href=\"?lang=en\" hreflang=\"en\">English</a></nav></header><h1>");
    esc_str(o, b->title);
    raw_text(o, "</h1>");
    fmt(o, "<p class=\"status %s\" id=\"status\">%s", bulletin_state_name(st->state),
        words[state_word[st->state]][l]);
    if (st->state == BSTATE_CORRECTED || st->state == BSTATE_WITHDRAWN) {
        tool_hex(st->by, PROTO_ID_BYTES, byhex);
        fmt(o, ": <a href=\"/b/%s\">%.16s</a>", byhex, byhex);
    }
    raw_text(o, "</p>");
    local_time(b->issued_at, b->region, l, when, sizeof when);
    fmt(o, "<div class=\"issuer\">%s ", words[W_ISSUED_BY][l]);
    if (st->trust == ROSTER_TRUSTED) {
        office_line(o, g, &st->office, l);
    } else {
        char pk[PROTO_PUBKEY_TEXT_LEN + 1];
        proto_pubkey_format(b->issuer, pk);
        fmt(o, "%s %s", words[W_UNKNOWN_ISSUER][l], pk);
    }
    fmt(o, " %s <time>%s</time></div>", words[W_ON][l], when);
    if (b->claim.n) {
        fmt(o, "<h2>%s</h2><p class=\"text claim\">", words[W_CLAIM][l]);
        esc_str(o, b->claim);
        raw_text(o, "</p>");
    }
    if (b->explanation.n) {
        fmt(o, "<h2>%s</h2><p class=\"text facts\">", words[W_FACTS][l]);
        esc_str(o, b->explanation);
        raw_text(o, "</p>");
    }
    links(o, b, PROTO_LINK_APPEARANCE, words[W_APPEARED][l]);
    links(o, b, PROTO_LINK_REFERENCE, words[W_SOURCES][l]);
    answered(o, g, b, l);
    struct actions acts = {o, g, l, false};
    uint8_t self[PROTO_ID_BYTES];
    proto_bulletin_id(raw, len, self);
    store_named(g->s, self, action_visit, &acts);
    if (acts.any) raw_text(o, "</ul>");
    refs(o, words[W_CORRECTIONS][l], st->corrections, st->n_corrections, false);
    refs(o, words[W_WITHDRAWALS][l], st->withdrawals, st->n_withdrawals, false);
    refs(o, words[W_TRANSLATIONS][l], st->translations, st->n_translations, true);
    fmt(o, "<h2>%s</h2><p>%s: <code>%s</code></p>", words[W_ARMORED][l], words[W_ID][l], hex);
    size_t cap = proto_armor_size(PROTO_ARMOR_BULLETIN, len), n;
    char *armor = malloc(cap);
    if (armor && proto_armor_encode(PROTO_ARMOR_BULLETIN, raw, len, armor, cap, &n) == PROTO_OK) {
        raw_text(o, "<pre id=\"bulletin\">");
        put(o, armor, n);
        raw_text(o, "</pre>");
    }
    free(armor);
    /* The verification page, with the bulletin in the address's fragment (never sent). */
    size_t b64_cap = sodium_base64_encoded_len(len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *b64 = malloc(b64_cap);
    if (b64 != NULL) {
        sodium_bin2base64(b64, b64_cap, raw, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        fmt(o, "<p><a id=\"verify\" href=\"/verify?lang=%s#b=", l == LANG_ID ? "id" : "en");
        raw_text(o, b64); /* base64url: nothing to escape */
        fmt(o, "\">%s</a></p>", words[W_CHECK_HERE][l]);
        free(b64);
    }
    fmt(o, "<p>%s</p><p>%s: <a href=\"/v1/bulletins/%s\">JSON</a>, "
           "<a href=\"/v1/bulletins/%s/status\">status</a>, "
           "<a href=\"/v1/bulletins/%s/raw\">raw</a></p></body></html>",
        words[W_CHECK][l], words[W_API][l], hex, hex, hex);
}

static enum MHD_Result send_html(struct MHD_Connection *c, unsigned status, struct out *o,
                                 enum lang l)
{
    if (o->failed) {
        free(o->p);
        return gw_error(c, 500, "internal", "out of memory");
    }
    struct MHD_Response *r = MHD_create_response_from_buffer(o->n, o->p, MHD_RESPMEM_MUST_FREE);
    if (r == NULL) {
        free(o->p);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", "text/html; charset=utf-8");
    MHD_add_response_header(r, "Content-Language", l == LANG_EN ? "en" : "id");
    MHD_add_response_header(r, "Vary", "Accept-Language");
    /* The status can change (a withdrawal arrives): revalidate, never cache for long. */
    MHD_add_response_header(r, "Cache-Control", "no-cache");
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'");
    gw_common_headers(r);
    enum MHD_Result rc = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return rc;
}

enum MHD_Result gw_page_bulletin(struct gw *g, struct MHD_Connection *c, const char *hex)
{
    enum lang l = pick_lang(c);
    struct out o = {0};
    uint8_t id[PROTO_ID_BYTES], *raw = NULL;
    size_t len;
    struct proto_bulletin *b = NULL;
    if (!gw_parse_id(hex, id) || store_get(g->s, id, &raw, &len) != STORE_OK ||
        (b = malloc(sizeof *b)) == NULL || proto_bulletin_decode(b, raw, len, NULL) != PROTO_OK ||
        !proto_kind_is_notice(b->kind)) {
        free(raw);
        free(b);
        fmt(&o, "<!doctype html><html lang=\"%s\"><head><meta charset=\"utf-8\"><title>404"
                "</title></head><body><p>%s</p></body></html>",
            l == LANG_EN ? "en" : "id", words[W_NOT_FOUND][l]);
        return send_html(c, 404, &o, l);
    }
    struct bulletin_status st;
    if (gw_status(g, b, id, &st) != 0) {
        free(raw);
        free(b);
        return gw_error(c, 503, "store", "%s", store_error(g->s));
    }
    char base[GW_BASE_MAX];
    gw_base_url(g, c, base);
    json_t *cr = tool_claimreview(g->ro, b, id, base);
    head(&o, base, b, hex, l, cr);
    json_decref(cr);
    body(&o, g, b, raw, len, hex, l, &st);
    free(raw);
    free(b);
    return send_html(c, 200, &o, l);
}

enum MHD_Result gw_page_index(struct gw *g, struct MHD_Connection *c)
{
    (void)g;
    enum lang l = pick_lang(c);
    struct out o = {0};
    fmt(&o, "<!doctype html><html lang=\"%s\"><head><meta charset=\"utf-8\"><title>warta</title>"
            "<style>%s</style></head><body><h1>warta</h1><ul>"
            "<li><a href=\"/v1/bulletins\">/v1/bulletins</a></li>"
            "<li><a href=\"/v1/feed\">/v1/feed</a></li>"
            "<li><a href=\"/v1/openapi.json\">/v1/openapi.json</a></li></ul></body></html>",
        l == LANG_EN ? "en" : "id", style);
    return send_html(c, 200, &o, l);
}
