/* cap.c - urgent notices as OASIS CAP 1.2 alerts (GET /v1/alerts/ID) and an Atom feed of them
 * (GET /v1/alerts), the forms national alert aggregators read. The mapping is
 * docs/PROTOCOL.md §25; the XML is written with libxml2's xmlwriter, which escapes it.
 * Messages: not translated (the alerts carry the bulletins' own words and CAP's fixed values). */
#include <libxml/xmlwriter.h>
#include <stdlib.h>
#include <string.h>

#include "gateway.h"
#include "proto_pubkey.h"
#include "tool.h"

#define CAP_NS "urn:oasis:names:tc:emergency:cap:1.2"
#define ATOM_NS "http://www.w3.org/2005/Atom"
#define FEED_MAX 50 /* alerts in the feed, newest first */

/* An alert: the notice, what it amends (for an Update or Cancel), and its msgType. */
struct alert {
    struct proto_bulletin b, subject;
    uint8_t id[PROTO_ID_BYTES], subject_id[PROTO_ID_BYTES];
    struct bulletin_status st;
    const char *msg_type; /* "Alert", "Update", "Cancel"; NULL: the notice is not an alert */
};

static bool listed(const struct status_ref *r, size_t n, const uint8_t *id)
{
    for (size_t i = 0; i < n && i < STATUS_MAX_LIST; i++)
        if (memcmp(r[i].id, id, PROTO_ID_BYTES) == 0) return true;
    return false;
}

/* The rule (§25): a trusted notice that translates nothing is an alert when it is an urgent
 * clarification (Alert), or a correction (Update) or withdrawal (Cancel) that counts for an
 * urgent notice stored here (§23) or is itself urgent. Translations are the alert's other
 * info blocks. 0, or -1 when the store cannot be read. */
static int classify(struct gw *g, const uint8_t *raw, size_t len, struct alert *a)
{
    a->msg_type = NULL;
    if (proto_bulletin_decode(&a->b, raw, len, NULL) != PROTO_OK ||
        !proto_kind_is_notice(a->b.kind) || !proto_is_zero(a->b.translation_of, PROTO_ID_BYTES))
        return 0;
    proto_bulletin_id(raw, len, a->id);
    if (gw_status(g, &a->b, a->id, &a->st) != 0) return -1;
    if (a->st.state == BSTATE_UNTRUSTED) return 0;
    if (a->b.kind == PROTO_KIND_CLARIFICATION) {
        if (a->b.priority == PROTO_PRIORITY_URGENT) a->msg_type = "Alert";
        return 0;
    }
    uint8_t *sraw = NULL;
    size_t slen;
    memcpy(a->subject_id, a->b.subject, PROTO_ID_BYTES);
    int rc = store_get(g->s, a->subject_id, &sraw, &slen);
    if (rc == STORE_ENOTFOUND) return 0; /* what it amends is not here: nothing to update */
    if (rc != STORE_OK) return -1;
    struct bulletin_status sst;
    bool counts = false;
    if (proto_bulletin_decode(&a->subject, sraw, slen, NULL) == PROTO_OK &&
        proto_kind_is_notice(a->subject.kind) &&
        gw_status(g, &a->subject, a->subject_id, &sst) == 0)
        counts = a->b.kind == PROTO_KIND_CORRECTION
                     ? listed(sst.corrections, sst.n_corrections, a->id)
                     : listed(sst.withdrawals, sst.n_withdrawals, a->id);
    free(sraw);
    if (counts &&
        (a->b.priority == PROTO_PRIORITY_URGENT || a->subject.priority == PROTO_PRIORITY_URGENT))
        a->msg_type = a->b.kind == PROTO_KIND_CORRECTION ? "Update" : "Cancel";
    return 0;
}

/* CAP's dateTime: seconds, and the zone as "+00:00" (CAP forbids "Z"). */
static void cap_time(uint64_t ms, char out[TOOL_TIME_LEN])
{
    tool_time_format(ms - ms % 1000, out); /* 2026-11-20T09:30:00.000Z */
    char *dot = strchr(out, '.');
    if (dot) strcpy(dot, "+00:00");
}

static void str_el(xmlTextWriterPtr w, const char *name, struct proto_str s)
{
    xmlTextWriterWriteFormatElement(w, BAD_CAST name, "%.*s", (int)s.n, (const char *)s.p);
}

static void el(xmlTextWriterPtr w, const char *name, const char *text)
{
    xmlTextWriterWriteElement(w, BAD_CAST name, BAD_CAST text);
}

static void sender_of(const struct proto_bulletin *b, char out[PROTO_PUBKEY_TEXT_LEN + 1])
{
    proto_pubkey_format(b->issuer, out);
}

/* One info block: the notice n (the alert's, or a translation of it) in its language. */
static void info(xmlTextWriterPtr w, const char *base, const struct proto_bulletin *n,
                 const uint8_t *id, const struct bulletin_status *st)
{
    char hex[2 * PROTO_ID_BYTES + 1], t[TOOL_TIME_LEN];
    tool_hex(id, PROTO_ID_BYTES, hex);
    xmlTextWriterStartElement(w, BAD_CAST "info");
    str_el(w, "language", n->lang);
    el(w, "category", "Other");
    str_el(w, "event", n->verdict);
    el(w, "urgency", n->priority == PROTO_PRIORITY_URGENT ? "Immediate" : "Expected");
    el(w, "severity", "Unknown");
    el(w, "certainty", "Unknown");
    if (n->expires_at) {
        cap_time(n->expires_at, t);
        el(w, "expires", t);
    }
    const struct proto_roster *d = &st->office.delegation;
    xmlTextWriterWriteFormatElement(w, BAD_CAST "senderName", "%.*s", (int)d->name.n,
                                    (const char *)d->name.p);
    str_el(w, "headline", n->title);
    if (n->claim.n || n->explanation.n)
        xmlTextWriterWriteFormatElement(w, BAD_CAST "description", "%.*s%s%.*s", (int)n->claim.n,
                                        (const char *)n->claim.p,
                                        n->claim.n && n->explanation.n ? "\n\n" : "",
                                        (int)n->explanation.n, (const char *)n->explanation.p);
    xmlTextWriterWriteFormatElement(w, BAD_CAST "web", "%s/b/%s", base, hex);
    xmlTextWriterStartElement(w, BAD_CAST "parameter");
    el(w, "valueName", "warta:bulletin");
    el(w, "value", hex);
    xmlTextWriterEndElement(w);
    xmlTextWriterStartElement(w, BAD_CAST "area");
    if (n->region.n == 0) {
        el(w, "areaDesc", "Indonesia");
        xmlTextWriterStartElement(w, BAD_CAST "geocode");
        el(w, "valueName", "ISO 3166-1");
        el(w, "value", "ID");
    } else {
        xmlTextWriterWriteFormatElement(w, BAD_CAST "areaDesc", "Kode wilayah Kemendagri %.*s",
                                        (int)n->region.n, (const char *)n->region.p);
        xmlTextWriterStartElement(w, BAD_CAST "geocode");
        el(w, "valueName", "kemendagri");
        str_el(w, "value", n->region);
    }
    xmlTextWriterEndElement(w); /* geocode */
    xmlTextWriterEndElement(w); /* area */
    xmlTextWriterEndElement(w); /* info */
}

static void translations(struct gw *g, xmlTextWriterPtr w, const char *base, const struct alert *a)
{
    for (size_t i = 0; i < a->st.n_translations && i < STATUS_MAX_LIST; i++) {
        uint8_t *raw = NULL;
        size_t len;
        struct proto_bulletin t;
        if (store_get(g->s, a->st.translations[i].id, &raw, &len) != STORE_OK) continue;
        if (proto_bulletin_decode(&t, raw, len, NULL) == PROTO_OK)
            info(w, base, &t, a->st.translations[i].id, &a->st);
        free(raw);
    }
}

static void alert_xml(struct gw *g, xmlTextWriterPtr w, const char *base, const struct alert *a)
{
    char hex[2 * PROTO_ID_BYTES + 1], t[TOOL_TIME_LEN], sender[PROTO_PUBKEY_TEXT_LEN + 1];
    xmlTextWriterStartElementNS(w, NULL, BAD_CAST "alert", BAD_CAST CAP_NS);
    tool_hex(a->id, PROTO_ID_BYTES, hex);
    el(w, "identifier", hex);
    sender_of(&a->b, sender);
    el(w, "sender", sender);
    cap_time(a->b.issued_at, t);
    el(w, "sent", t);
    el(w, "status", "Actual");
    el(w, "msgType", a->msg_type);
    el(w, "scope", "Public");
    if (a->b.kind != PROTO_KIND_CLARIFICATION) {
        char sh[2 * PROTO_ID_BYTES + 1], ss[PROTO_PUBKEY_TEXT_LEN + 1], st[TOOL_TIME_LEN];
        tool_hex(a->subject_id, PROTO_ID_BYTES, sh);
        sender_of(&a->subject, ss);
        cap_time(a->subject.issued_at, st);
        xmlTextWriterWriteFormatElement(w, BAD_CAST "references", "%s,%s,%s", ss, sh, st);
    }
    info(w, base, &a->b, a->id, &a->st);
    translations(g, w, base, a);
    xmlTextWriterEndElement(w);
}

static enum MHD_Result send_xml(struct MHD_Connection *c, xmlBufferPtr buf, const char *type)
{
    enum MHD_Result rc =
        gw_bytes(c, 200, type, xmlBufferContent(buf), (size_t)xmlBufferLength(buf), NULL);
    xmlBufferFree(buf);
    return rc;
}

static xmlTextWriterPtr writer(xmlBufferPtr *buf)
{
    *buf = xmlBufferCreate();
    xmlTextWriterPtr w = *buf ? xmlNewTextWriterMemory(*buf, 0) : NULL;
    if (w == NULL) {
        if (*buf) xmlBufferFree(*buf);
        return NULL;
    }
    xmlTextWriterSetIndent(w, 1);
    xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL);
    return w;
}

enum MHD_Result gw_cap_alert(struct gw *g, struct MHD_Connection *c, const char *id_hex)
{
    uint8_t id[PROTO_ID_BYTES], *raw = NULL;
    size_t len;
    if (!gw_parse_id(id_hex, id))
        return gw_error(c, 400, "bad_id", "a bulletin id is 64 hex digits");
    int st = store_get(g->s, id, &raw, &len);
    if (st != STORE_OK)
        return st == STORE_ENOTFOUND ? gw_error(c, 404, "not_found", "no bulletin %s here", id_hex)
                                     : gw_error(c, 503, "store", "%s", store_error(g->s));
    struct alert *a = calloc(1, sizeof *a);
    enum MHD_Result rc;
    xmlBufferPtr buf;
    xmlTextWriterPtr w;
    if (a == NULL || classify(g, raw, len, a) != 0) {
        rc = gw_error(c, 503, "store", "%s", a ? store_error(g->s) : "out of memory");
    } else if (a->msg_type == NULL) {
        rc = gw_error(c, 404, "not_an_alert",
                      "bulletin %s is not an alert: only trusted urgent notices, and the "
                      "corrections and withdrawals of urgent notices, are (PROTOCOL.md section 25)",
                      id_hex);
    } else if ((w = writer(&buf)) == NULL) {
        rc = gw_error(c, 500, "internal", "out of memory");
    } else {
        char base[GW_BASE_MAX];
        gw_base_url(g, c, base);
        alert_xml(g, w, base, a);
        xmlTextWriterEndDocument(w);
        xmlFreeTextWriter(w);
        rc = send_xml(c, buf, "application/cap+xml; charset=utf-8");
    }
    free(a);
    free(raw);
    return rc;
}

/* ---- the Atom feed ---- */

struct feed_ctx {
    struct gw *g;
    xmlTextWriterPtr w;
    const char *base;
    struct alert *a;
    size_t n, scanned;
    bool failed;
};

static void atom_time(uint64_t ms, char out[TOOL_TIME_LEN])
{
    tool_time_format(ms, out); /* RFC 3339, as Atom's dates are */
}

static int feed_one(uint64_t arrival, const struct proto_bulletin *b, const uint8_t *raw,
                    size_t len, void *p)
{
    (void)arrival;
    struct feed_ctx *f = p;
    if (f->n == FEED_MAX || f->scanned++ >= GW_SCAN_MAX) return 1;
    if (!proto_kind_is_notice(b->kind)) return 0;
    if (classify(f->g, raw, len, f->a) != 0) {
        f->failed = true;
        return 1;
    }
    const struct alert *a = f->a;
    if (a->msg_type == NULL) return 0;
    char hex[2 * PROTO_ID_BYTES + 1], t[TOOL_TIME_LEN];
    xmlTextWriterPtr w = f->w;
    tool_hex(a->id, PROTO_ID_BYTES, hex);
    if (f->n++ == 0) { /* the newest: the feed's own time */
        atom_time(a->b.issued_at, t);
        el(w, "updated", t);
    }
    xmlTextWriterStartElement(w, BAD_CAST "entry");
    xmlTextWriterWriteFormatElement(w, BAD_CAST "id", "urn:warta:bulletin:%s", hex);
    str_el(w, "title", a->b.title);
    atom_time(a->b.issued_at, t);
    el(w, "updated", t);
    xmlTextWriterStartElement(w, BAD_CAST "author");
    const struct proto_roster *d = &a->st.office.delegation;
    xmlTextWriterWriteFormatElement(w, BAD_CAST "name", "%.*s", (int)d->name.n,
                                    (const char *)d->name.p);
    xmlTextWriterEndElement(w);
    xmlTextWriterStartElement(w, BAD_CAST "category");
    xmlTextWriterWriteAttribute(w, BAD_CAST "term", BAD_CAST a->msg_type);
    xmlTextWriterEndElement(w);
    const struct proto_str sum = a->b.claim.n ? a->b.claim : a->b.title;
    str_el(w, "summary", sum);
    char href[GW_BASE_MAX + 100];
    static const char *const links[][3] = {{"alternate", "application/cap+xml", "v1/alerts"},
                                           {"related", "text/html", "b"}};
    for (size_t i = 0; i < 2; i++) {
        snprintf(href, sizeof href, "%s/%s/%s", f->base, links[i][2], hex);
        xmlTextWriterStartElement(w, BAD_CAST "link");
        xmlTextWriterWriteAttribute(w, BAD_CAST "rel", BAD_CAST links[i][0]);
        xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST links[i][1]);
        xmlTextWriterWriteAttribute(w, BAD_CAST "href", BAD_CAST href);
        xmlTextWriterEndElement(w);
    }
    xmlTextWriterEndElement(w); /* entry */
    return 0;
}

enum MHD_Result gw_cap_feed(struct gw *g, struct MHD_Connection *c)
{
    char base[GW_BASE_MAX], net[2 * PROTO_ID_BYTES + 1], t[TOOL_TIME_LEN], href[GW_BASE_MAX + 20];
    uint8_t id[PROTO_ID_BYTES];
    xmlBufferPtr buf;
    xmlTextWriterPtr w = writer(&buf);
    struct alert *a = calloc(1, sizeof *a);
    if (w == NULL || a == NULL) {
        if (w) {
            xmlFreeTextWriter(w);
            xmlBufferFree(buf);
        }
        free(a);
        return gw_error(c, 500, "internal", "out of memory");
    }
    gw_base_url(g, c, base);
    roster_network(g->ro, id);
    tool_hex(id, PROTO_ID_BYTES, net);
    xmlTextWriterStartElementNS(w, NULL, BAD_CAST "feed", BAD_CAST ATOM_NS);
    xmlTextWriterWriteFormatElement(w, BAD_CAST "id", "urn:warta:network:%s:alerts", net);
    el(w, "title", "warta: peringatan dini / early warnings (CAP 1.2)");
    snprintf(href, sizeof href, "%s/v1/alerts", base);
    xmlTextWriterStartElement(w, BAD_CAST "link");
    xmlTextWriterWriteAttribute(w, BAD_CAST "rel", BAD_CAST "self");
    xmlTextWriterWriteAttribute(w, BAD_CAST "href", BAD_CAST href);
    xmlTextWriterEndElement(w);
    xmlTextWriterStartElement(w, BAD_CAST "author");
    el(w, "name", "warta-gateway");
    xmlTextWriterEndElement(w);
    struct feed_ctx f = {.g = g, .w = w, .base = base, .a = a};
    int st = store_arrivals(g->s, UINT64_MAX, true, feed_one, &f);
    if (f.n == 0) { /* no alert: the feed is as new as now */
        atom_time(tool_time_now(), t);
        el(w, "updated", t);
    }
    xmlTextWriterEndElement(w);
    xmlTextWriterEndDocument(w);
    xmlFreeTextWriter(w);
    free(a);
    if (st != STORE_OK || f.failed) {
        xmlBufferFree(buf);
        return gw_error(c, 503, "store", "the store cannot be read: %s", store_error(g->s));
    }
    return send_xml(c, buf, "application/atom+xml; charset=utf-8");
}
