/* proto_bulletin.c - canonical encoding, decoding, signing and ids of bulletins: version 1
 * (every kind) and version 2 (a notice with the reports it answers). */
#include "proto_bulletin.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "proto_buf.h"
#include "proto_roster.h"
#include "proto_text.h"

const uint8_t proto_bulletin_magic[4] = {'W', 'R', 'T', 'B'};
const uint8_t proto_sign_domain[18] = "warta/bulletin/v1"; /* 17 characters and a NUL */

/* Marked for translation: the tools show them in the reader's language (tool_kind_label);
 * JSON and flags keep these names. */
#define N_(s) (s)
static const char *const kind_names[] = {NULL,          N_("clarification"), N_("correction"),
                                         N_("withdrawal"), N_("root"),       N_("delegation"),
                                         N_("revocation"), N_("rotation"),   N_("chain-end"),
                                         N_("report"),     N_("receipt")};
#define KIND_MAX 10
static const char *const action_names[] = {"labelled", "reach_reduced", "removed", "no_action"};

const char *proto_kind_name(uint8_t kind)
{
    return kind >= 1 && kind <= KIND_MAX ? kind_names[kind] : NULL;
}

uint8_t proto_kind_from_name(const char *name)
{
    for (uint8_t k = 1; k <= KIND_MAX; k++)
        if (strcmp(name, kind_names[k]) == 0) return k;
    return 0;
}

bool proto_kind_is_notice(uint8_t kind)
{
    return kind >= PROTO_KIND_CLARIFICATION && kind <= PROTO_KIND_WITHDRAWAL;
}

const char *proto_action_name(uint8_t action)
{
    return action <= PROTO_ACTION_NONE ? action_names[action] : NULL;
}

int proto_action_from_name(const char *name)
{
    for (int a = 0; a <= PROTO_ACTION_NONE; a++)
        if (strcmp(name, action_names[a]) == 0) return a;
    return -1;
}

bool proto_is_zero(const uint8_t *p, size_t n)
{
    uint8_t acc = 0;
    for (size_t i = 0; i < n; i++)
        acc |= p[i];
    return acc == 0;
}

/* How a text field is checked beyond its length. */
enum text_rule { RULE_LANG, RULE_REGION, RULE_VERDICT, RULE_LINE, RULE_MULTILINE, RULE_URL };

struct text_field {
    const char *name;
    size_t min, max;
    enum text_rule rule;
};

static const struct text_field f_lang = {"language", 2, PROTO_MAX_LANG, RULE_LANG};
static const struct text_field f_region = {"region", 0, PROTO_MAX_REGION, RULE_REGION};
static const struct text_field f_verdict = {"verdict", 1, PROTO_MAX_VERDICT, RULE_VERDICT};
static const struct text_field f_title = {"title", 1, PROTO_MAX_TITLE, RULE_LINE};
static const struct text_field f_claim = {"claim", 0, PROTO_MAX_CLAIM, RULE_MULTILINE};
static const struct text_field f_expl = {"explanation", 0, PROTO_MAX_EXPLANATION, RULE_MULTILINE};
static const struct text_field f_url = {"link url", 1, PROTO_MAX_URL, RULE_URL};
static const struct text_field f_report_claim = {"claim", 1, PROTO_MAX_CLAIM, RULE_MULTILINE};
static const struct text_field f_report_url = {"url", 1, PROTO_MAX_URL, RULE_URL};
static const struct text_field f_reason = {"reason", 0, PROTO_MAX_REASON_TEXT, RULE_LINE};

/* Check one text field; off is where its bytes start in the input (0 when encoding). */
static int check_text(const struct text_field *f, struct proto_str s, size_t off,
                      struct proto_err *err)
{
    size_t bad = 0;
    int rc;
    bool ok;
    if (s.n > f->max) return proto_fail(err, PROTO_ETOOBIG, f->name, off);
    if (s.n < f->min) return proto_fail(err, s.n == 0 ? PROTO_EMISSING : PROTO_ERANGE, f->name, off);
    if (s.n > 0 && s.p == NULL) return proto_fail(err, PROTO_ERANGE, f->name, off);
    switch (f->rule) {
    case RULE_LINE:
    case RULE_MULTILINE:
        rc = proto_text_check(s.p, s.n, f->rule == RULE_MULTILINE, &bad);
        return rc == PROTO_OK ? PROTO_OK : proto_fail(err, rc, f->name, off + bad);
    case RULE_URL:
        rc = proto_text_check(s.p, s.n, false, &bad);
        if (rc != PROTO_OK) return proto_fail(err, rc, f->name, off + bad);
        ok = proto_url_valid(s.p, s.n);
        break;
    case RULE_LANG:
        ok = proto_lang_valid(s.p, s.n);
        break;
    case RULE_REGION:
        ok = proto_region_valid(s.p, s.n);
        break;
    case RULE_VERDICT:
        ok = proto_verdict_valid(s.p, s.n);
        break;
    default:
        ok = false;
    }
    return ok ? PROTO_OK : proto_fail(err, PROTO_ESYNTAX, f->name, off);
}

/* Rules on the fixed-size header fields (everything but text and links). */
static int check_header(const struct proto_bulletin *b, struct proto_err *err)
{
    if (proto_kind_name(b->kind) == NULL) return proto_fail(err, PROTO_EKIND, "kind", 5);
    if (b->sequence == 0) return proto_fail(err, PROTO_ERANGE, "sequence", 38);
    if ((b->sequence == 1) != proto_is_zero(b->previous, PROTO_ID_BYTES))
        return proto_fail(err, PROTO_ECHAIN, "previous", 46);
    if (b->issued_at == 0 || b->issued_at > PROTO_TIME_MAX)
        return proto_fail(err, PROTO_ERANGE, "issued_at", 78);
    if (b->expires_at != 0 && (b->expires_at <= b->issued_at || b->expires_at > PROTO_TIME_MAX))
        return proto_fail(err, PROTO_ERANGE, "expires_at", 86);
    if (proto_kind_is_roster(b->kind) && b->expires_at != 0)
        return proto_fail(err, PROTO_ERANGE, "expires_at (roster record)", 86);
    if ((b->kind == PROTO_KIND_REPORT || b->kind == PROTO_KIND_RECEIPT) && b->expires_at != 0)
        return proto_fail(err, PROTO_ERANGE, "expires_at (report or receipt)", 86);
    return PROTO_OK;
}

/* Version 2's answers: only a clarification or correction has them, 1-32 report ids, strictly
 * ascending (so none twice), none zero. off is where they start (0 when encoding). */
static int check_answers(const struct proto_bulletin *b, size_t off, struct proto_err *err)
{
    if (b->n_answers == 0) return PROTO_OK;
    if (b->kind != PROTO_KIND_CLARIFICATION && b->kind != PROTO_KIND_CORRECTION)
        return proto_fail(err, PROTO_ERANGE, "answers (only a clarification or correction)", off);
    if (b->n_answers > PROTO_MAX_ANSWERS) return proto_fail(err, PROTO_ETOOBIG, "answers", off);
    for (size_t i = 0; i < b->n_answers; i++) {
        if (proto_is_zero(b->answers[i], PROTO_ID_BYTES))
            return proto_fail(err, PROTO_ERANGE, "answers", off + 1 + 32 * i);
        if (i > 0 && memcmp(b->answers[i - 1], b->answers[i], PROTO_ID_BYTES) >= 0)
            return proto_fail(err, PROTO_ERANGE, "answers (order)", off + 1 + 32 * i);
    }
    return PROTO_OK;
}

/* A roster record body: canonical, and its issuer does not also co-sign (the bulletin
 * signature already counts as the issuer's). off is where the body starts. */
static int check_record(const struct proto_bulletin *b, size_t off, struct proto_err *err)
{
    struct proto_roster r;
    int rc = proto_roster_decode(&r, b->kind, b->record.p, b->record.n, err);
    if (rc != PROTO_OK) {
        if (err) err->offset += off;
        return rc;
    }
    for (size_t i = 0; i < r.n_sigs; i++)
        if (memcmp(r.sigs[i].key, b->issuer, PROTO_KEY_BYTES) == 0)
            return proto_fail(err, PROTO_ERANGE, "signatures (issuer co-signs)", off);
    return PROTO_OK;
}

/* Rules on the fixed-size body fields; off is where the body starts. */
static int check_body_fixed(const struct proto_bulletin *b, size_t off, struct proto_err *err)
{
    if (b->priority > PROTO_PRIORITY_URGENT) return proto_fail(err, PROTO_ERANGE, "priority", off);
    bool needs_subject = b->kind != PROTO_KIND_CLARIFICATION;
    if (needs_subject == proto_is_zero(b->subject, PROTO_ID_BYTES))
        return proto_fail(err, PROTO_ERANGE, "subject", off + 1);
    return PROTO_OK;
}

/* What a report or receipt does not carry must be empty, so one struct has one encoding. */
static int unused_empty(const struct proto_bulletin *b, bool receipt, struct proto_err *err)
{
    if (b->verdict.n || b->title.n || b->explanation.n || b->n_answers ||
        !proto_is_zero(b->translation_of, PROTO_ID_BYTES) ||
        (receipt ? b->lang.n || b->region.n || b->claim.n || b->n_links || b->priority ||
                       !proto_is_zero(b->content_hash, PROTO_HASH_BYTES)
                 : b->reason.n || b->action || b->items || b->acted_at ||
                       !proto_is_zero(b->subject, PROTO_ID_BYTES)))
        return proto_fail(err, PROTO_ERANGE, receipt ? "receipt" : "report", 0);
    return PROTO_OK;
}

static int check_report(const struct proto_bulletin *b, struct proto_err *err)
{
    int rc = unused_empty(b, false, err);
    if (rc != PROTO_OK) return rc;
    if (b->priority > PROTO_PRIORITY_URGENT) return proto_fail(err, PROTO_ERANGE, "urgency", 0);
    if ((rc = check_text(&f_lang, b->lang, 0, err)) != PROTO_OK ||
        (rc = check_text(&f_region, b->region, 0, err)) != PROTO_OK ||
        (rc = check_text(&f_report_claim, b->claim, 0, err)) != PROTO_OK)
        return rc;
    if (b->n_links > PROTO_MAX_LINKS) return proto_fail(err, PROTO_ETOOBIG, "urls", 0);
    for (size_t i = 0; i < b->n_links; i++) {
        if (b->links[i].rel != PROTO_LINK_APPEARANCE)
            return proto_fail(err, PROTO_ERANGE, "url (a report's are where it was seen)", 0);
        if ((rc = check_text(&f_report_url, b->links[i].url, 0, err)) != PROTO_OK) return rc;
    }
    if (b->n_links == 0 && proto_is_zero(b->content_hash, PROTO_HASH_BYTES))
        return proto_fail(err, PROTO_EMISSING, "url", 0);
    return PROTO_OK;
}

static int check_receipt(const struct proto_bulletin *b, struct proto_err *err)
{
    int rc = unused_empty(b, true, err);
    if (rc != PROTO_OK) return rc;
    if (proto_is_zero(b->subject, PROTO_ID_BYTES))
        return proto_fail(err, PROTO_EMISSING, "bulletin", 0);
    if (b->action > PROTO_ACTION_NONE) return proto_fail(err, PROTO_ERANGE, "action", 0);
    if (b->acted_at == 0 || b->acted_at > PROTO_TIME_MAX)
        return proto_fail(err, PROTO_ERANGE, "acted_at", 0);
    if ((rc = check_text(&f_reason, b->reason, 0, err)) != PROTO_OK) return rc;
    if (b->action == PROTO_ACTION_NONE && b->reason.n == 0)
        return proto_fail(err, PROTO_EMISSING, "reason", 0);
    return PROTO_OK;
}

size_t proto_field_max(const char *name)
{
    const struct text_field *fields[] = {&f_lang, &f_region, &f_verdict, &f_title,
                                         &f_claim, &f_expl,  &f_url,     &f_reason};
    for (size_t i = 0; name && i < sizeof fields / sizeof fields[0]; i++)
        if (strcmp(fields[i]->name, name) == 0) return fields[i]->max;
    return 0;
}

int proto_bulletin_check(const struct proto_bulletin *b, struct proto_err *err)
{
    const struct text_field *fields[] = {&f_lang,  &f_region, &f_verdict,
                                         &f_title, &f_claim,  &f_expl};
    const struct proto_str values[] = {b->lang,  b->region, b->verdict,
                                       b->title, b->claim,  b->explanation};
    int rc = check_header(b, err);
    if (rc != PROTO_OK || proto_kind_is_roster(b->kind))
        return rc != PROTO_OK ? rc : check_record(b, 0, err);
    if (b->kind == PROTO_KIND_REPORT) return check_report(b, err);
    if (b->kind == PROTO_KIND_RECEIPT) return check_receipt(b, err);
    rc = check_answers(b, 0, err);
    if (rc == PROTO_OK) rc = check_body_fixed(b, 0, err);
    for (size_t i = 0; rc == PROTO_OK && i < 6; i++)
        rc = check_text(fields[i], values[i], 0, err);
    if (rc != PROTO_OK) return rc;
    if (b->n_links > PROTO_MAX_LINKS) return proto_fail(err, PROTO_ETOOBIG, "links", 0);
    for (size_t i = 0; i < b->n_links; i++) {
        if (b->links[i].rel > PROTO_LINK_REFERENCE)
            return proto_fail(err, PROTO_ERANGE, "link rel", 0);
        rc = check_text(&f_url, b->links[i].url, 0, err);
        if (rc != PROTO_OK) return rc;
    }
    return PROTO_OK;
}

static void put_str8(struct proto_writer *w, struct proto_str s)
{
    proto_put_u8(w, (uint8_t)s.n);
    proto_put_bytes(w, s.p, s.n);
}

static void put_str16(struct proto_writer *w, struct proto_str s)
{
    proto_put_u16(w, (uint16_t)s.n);
    proto_put_bytes(w, s.p, s.n);
}

/* Write the body of a notice (kinds 1-3); fields already checked. */
static void put_body(struct proto_writer *w, const struct proto_bulletin *b)
{
    if (proto_kind_is_roster(b->kind)) {
        proto_put_bytes(w, b->record.p, b->record.n);
        return;
    }
    if (b->kind == PROTO_KIND_REPORT) {
        proto_put_u8(w, b->priority);
        put_str8(w, b->lang);
        put_str8(w, b->region);
        put_str16(w, b->claim);
        proto_put_bytes(w, b->content_hash, PROTO_HASH_BYTES);
        proto_put_u8(w, (uint8_t)b->n_links);
        for (size_t i = 0; i < b->n_links; i++)
            put_str16(w, b->links[i].url);
        return;
    }
    if (b->kind == PROTO_KIND_RECEIPT) {
        proto_put_bytes(w, b->subject, PROTO_ID_BYTES);
        proto_put_u8(w, b->action);
        proto_put_u32(w, b->items);
        proto_put_u64(w, b->acted_at);
        put_str16(w, b->reason);
        return;
    }
    proto_put_u8(w, b->priority);
    proto_put_bytes(w, b->subject, PROTO_ID_BYTES);
    proto_put_bytes(w, b->translation_of, PROTO_ID_BYTES);
    put_str8(w, b->lang);
    put_str8(w, b->region);
    put_str8(w, b->verdict);
    put_str16(w, b->title);
    put_str16(w, b->claim);
    put_str16(w, b->explanation);
    proto_put_u8(w, (uint8_t)b->n_links);
    for (size_t i = 0; i < b->n_links; i++) {
        proto_put_u8(w, b->links[i].rel);
        put_str16(w, b->links[i].url);
    }
    if (b->n_answers > 0) { /* version 2 */
        proto_put_u8(w, (uint8_t)b->n_answers);
        for (size_t i = 0; i < b->n_answers; i++)
            proto_put_bytes(w, b->answers[i], PROTO_ID_BYTES);
    }
}

/* Encode everything but the signature into out; returns the length or 0 if it is too big. */
static size_t encode_unsigned(const struct proto_bulletin *b, uint8_t *out, size_t cap)
{
    struct proto_writer w;
    proto_writer_init(&w, out, cap < PROTO_BULLETIN_MAX ? cap : PROTO_BULLETIN_MAX);
    proto_put_bytes(&w, proto_bulletin_magic, 4);
    proto_put_u8(&w, b->n_answers ? PROTO_BULLETIN_VERSION_2 : PROTO_BULLETIN_VERSION);
    proto_put_u8(&w, b->kind);
    proto_put_bytes(&w, b->issuer, PROTO_KEY_BYTES);
    proto_put_u64(&w, b->sequence);
    proto_put_bytes(&w, b->previous, PROTO_ID_BYTES);
    proto_put_u64(&w, b->issued_at);
    proto_put_u64(&w, b->expires_at);
    size_t len_at = w.len;
    proto_put_u32(&w, 0); /* body length, patched below */
    put_body(&w, b);
    if (w.err != PROTO_OK || w.cap - w.len < PROTO_SIG_BYTES) return 0;
    uint32_t body_len = (uint32_t)(w.len - PROTO_HEADER_BYTES);
    for (int i = 0; i < 4; i++)
        out[len_at + i] = (uint8_t)(body_len >> (24 - 8 * i));
    return w.len;
}

uint8_t *proto_bulletin_signing_input(const uint8_t *in, size_t len, size_t *out_len)
{
    if (len < PROTO_HEADER_BYTES + PROTO_SIG_BYTES) return NULL;
    size_t n = sizeof proto_sign_domain + len - PROTO_SIG_BYTES;
    uint8_t *m = malloc(n);
    if (m == NULL) return NULL;
    memcpy(m, proto_sign_domain, sizeof proto_sign_domain);
    memcpy(m + sizeof proto_sign_domain, in, len - PROTO_SIG_BYTES);
    *out_len = n;
    return m;
}

int proto_bulletin_encode(const struct proto_bulletin *b, uint8_t *out, size_t cap, size_t *out_len,
                          struct proto_err *err)
{
    int rc = proto_bulletin_check(b, err);
    if (rc != PROTO_OK) return rc;
    size_t n = encode_unsigned(b, out, cap);
    if (n == 0) return proto_fail(err, PROTO_ETOOBIG, "bulletin", 0);
    memcpy(out + n, b->signature, PROTO_SIG_BYTES);
    *out_len = n + PROTO_SIG_BYTES;
    return PROTO_OK;
}

int proto_bulletin_sign(struct proto_bulletin *b, const uint8_t *sk, uint8_t *out, size_t cap,
                        size_t *out_len, struct proto_err *err)
{
    uint8_t pk[PROTO_KEY_BYTES];
    int rc = proto_bulletin_check(b, err);
    if (rc != PROTO_OK) return rc;
    crypto_sign_ed25519_sk_to_pk(pk, sk);
    if (sodium_memcmp(pk, b->issuer, sizeof pk) != 0)
        return proto_fail(err, PROTO_ERANGE, "issuer", 6);
    size_t n = encode_unsigned(b, out, cap);
    if (n == 0) return proto_fail(err, PROTO_ETOOBIG, "bulletin", 0);
    size_t m_len = 0;
    uint8_t *m = proto_bulletin_signing_input(out, n + PROTO_SIG_BYTES, &m_len);
    if (m == NULL) return proto_fail(err, PROTO_ENOMEM, "bulletin", 0);
    crypto_sign_ed25519_detached(b->signature, NULL, m, m_len, sk);
    free(m);
    memcpy(out + n, b->signature, PROTO_SIG_BYTES);
    *out_len = n + PROTO_SIG_BYTES;
    return PROTO_OK;
}

/* Read a length-prefixed text field and check it; prefix is 1 or 2 bytes. */
static int get_text(struct proto_reader *r, const struct text_field *f, int prefix,
                    struct proto_str *s, struct proto_err *err)
{
    size_t at = r->pos;
    s->n = prefix == 1 ? proto_get_u8(r) : proto_get_u16(r);
    if (r->err == PROTO_OK && s->n > f->max) return proto_fail(err, PROTO_ETOOBIG, f->name, at);
    s->p = proto_get_view(r, s->n);
    if (r->err != PROTO_OK) return proto_fail(err, r->err, f->name, at);
    return check_text(f, *s, at + (size_t)prefix, err);
}

/* Decode the body of a notice from r, which is bounded to exactly the body's bytes. */
static int decode_body(struct proto_bulletin *b, struct proto_reader *r, struct proto_err *err)
{
    size_t base = r->pos;
    b->priority = proto_get_u8(r);
    proto_get_bytes(r, b->subject, PROTO_ID_BYTES);
    proto_get_bytes(r, b->translation_of, PROTO_ID_BYTES);
    if (r->err != PROTO_OK) return proto_fail(err, r->err, "body", base);
    int rc = check_body_fixed(b, base, err);
    if (rc == PROTO_OK) rc = get_text(r, &f_lang, 1, &b->lang, err);
    if (rc == PROTO_OK) rc = get_text(r, &f_region, 1, &b->region, err);
    if (rc == PROTO_OK) rc = get_text(r, &f_verdict, 1, &b->verdict, err);
    if (rc == PROTO_OK) rc = get_text(r, &f_title, 2, &b->title, err);
    if (rc == PROTO_OK) rc = get_text(r, &f_claim, 2, &b->claim, err);
    if (rc == PROTO_OK) rc = get_text(r, &f_expl, 2, &b->explanation, err);
    if (rc != PROTO_OK) return rc;
    size_t at = r->pos;
    b->n_links = proto_get_u8(r);
    if (r->err != PROTO_OK) return proto_fail(err, r->err, "links", at);
    if (b->n_links > PROTO_MAX_LINKS) return proto_fail(err, PROTO_ETOOBIG, "links", at);
    for (size_t i = 0; i < b->n_links; i++) {
        at = r->pos;
        b->links[i].rel = proto_get_u8(r);
        if (r->err != PROTO_OK) return proto_fail(err, r->err, "link rel", at);
        if (b->links[i].rel > PROTO_LINK_REFERENCE)
            return proto_fail(err, PROTO_ERANGE, "link rel", at);
        rc = get_text(r, &f_url, 2, &b->links[i].url, err);
        if (rc != PROTO_OK) return rc;
    }
    if (b->version == PROTO_BULLETIN_VERSION_2) {
        at = r->pos;
        b->n_answers = proto_get_u8(r);
        if (r->err == PROTO_OK && (b->n_answers == 0 || b->n_answers > PROTO_MAX_ANSWERS))
            return proto_fail(err, b->n_answers ? PROTO_ETOOBIG : PROTO_ERANGE, "answers", at);
        for (size_t i = 0; i < b->n_answers; i++)
            proto_get_bytes(r, b->answers[i], PROTO_ID_BYTES);
        if (r->err != PROTO_OK) return proto_fail(err, r->err, "answers", at);
        rc = check_answers(b, at, err);
        if (rc != PROTO_OK) return rc;
    }
    if (proto_remaining(r) != 0) return proto_fail(err, PROTO_ETRAILING, "body", r->pos);
    return PROTO_OK;
}

/* The body of a report (kind 9). */
static int decode_report(struct proto_bulletin *b, struct proto_reader *r, struct proto_err *err)
{
    size_t at = r->pos;
    b->priority = proto_get_u8(r);
    if (r->err != PROTO_OK) return proto_fail(err, r->err, "urgency", at);
    if (b->priority > PROTO_PRIORITY_URGENT) return proto_fail(err, PROTO_ERANGE, "urgency", at);
    int rc = get_text(r, &f_lang, 1, &b->lang, err);
    if (rc == PROTO_OK) rc = get_text(r, &f_region, 1, &b->region, err);
    if (rc == PROTO_OK) rc = get_text(r, &f_report_claim, 2, &b->claim, err);
    if (rc != PROTO_OK) return rc;
    at = r->pos;
    proto_get_bytes(r, b->content_hash, PROTO_HASH_BYTES);
    b->n_links = proto_get_u8(r);
    if (r->err != PROTO_OK) return proto_fail(err, r->err, "urls", at);
    if (b->n_links > PROTO_MAX_LINKS) return proto_fail(err, PROTO_ETOOBIG, "urls", at + 32);
    for (size_t i = 0; i < b->n_links; i++) {
        b->links[i].rel = PROTO_LINK_APPEARANCE;
        rc = get_text(r, &f_report_url, 2, &b->links[i].url, err);
        if (rc != PROTO_OK) return rc;
    }
    if (b->n_links == 0 && proto_is_zero(b->content_hash, PROTO_HASH_BYTES))
        return proto_fail(err, PROTO_EMISSING, "url", at);
    if (proto_remaining(r) != 0) return proto_fail(err, PROTO_ETRAILING, "body", r->pos);
    return PROTO_OK;
}

/* The body of a receipt (kind 10). */
static int decode_receipt(struct proto_bulletin *b, struct proto_reader *r, struct proto_err *err)
{
    size_t at = r->pos;
    proto_get_bytes(r, b->subject, PROTO_ID_BYTES);
    b->action = proto_get_u8(r);
    b->items = proto_get_u32(r);
    b->acted_at = proto_get_u64(r);
    if (r->err != PROTO_OK) return proto_fail(err, r->err, "body", at);
    if (proto_is_zero(b->subject, PROTO_ID_BYTES))
        return proto_fail(err, PROTO_EMISSING, "bulletin", at);
    if (b->action > PROTO_ACTION_NONE) return proto_fail(err, PROTO_ERANGE, "action", at + 32);
    if (b->acted_at == 0 || b->acted_at > PROTO_TIME_MAX)
        return proto_fail(err, PROTO_ERANGE, "acted_at", at + 37);
    int rc = get_text(r, &f_reason, 2, &b->reason, err);
    if (rc != PROTO_OK) return rc;
    if (b->action == PROTO_ACTION_NONE && b->reason.n == 0)
        return proto_fail(err, PROTO_EMISSING, "reason", at + 45);
    if (proto_remaining(r) != 0) return proto_fail(err, PROTO_ETRAILING, "body", r->pos);
    return PROTO_OK;
}

int proto_bulletin_decode(struct proto_bulletin *b, const uint8_t *in, size_t len,
                          struct proto_err *err)
{
    struct proto_reader r;
    uint8_t magic[4];
    memset(b, 0, sizeof *b);
    if (len > PROTO_BULLETIN_MAX) return proto_fail(err, PROTO_ETOOBIG, "bulletin", 0);
    proto_reader_init(&r, in, len);
    proto_get_bytes(&r, magic, 4);
    if (r.err != PROTO_OK) return proto_fail(err, r.err, "magic", 0);
    if (memcmp(magic, proto_bulletin_magic, 4) != 0)
        return proto_fail(err, PROTO_EMAGIC, "magic", 0);
    uint8_t version = proto_get_u8(&r);
    if (r.err == PROTO_OK && version != PROTO_BULLETIN_VERSION &&
        version != PROTO_BULLETIN_VERSION_2)
        return proto_fail(err, PROTO_EVERSION, "version", 4);
    b->version = version;
    b->kind = proto_get_u8(&r);
    proto_get_bytes(&r, b->issuer, PROTO_KEY_BYTES);
    b->sequence = proto_get_u64(&r);
    proto_get_bytes(&r, b->previous, PROTO_ID_BYTES);
    b->issued_at = proto_get_u64(&r);
    b->expires_at = proto_get_u64(&r);
    uint32_t body_len = proto_get_u32(&r);
    if (r.err != PROTO_OK) return proto_fail(err, r.err, "header", r.len);
    int rc = check_header(b, err);
    if (rc != PROTO_OK) return rc;
    if (version == PROTO_BULLETIN_VERSION_2 && b->kind != PROTO_KIND_CLARIFICATION &&
        b->kind != PROTO_KIND_CORRECTION)
        return proto_fail(err, PROTO_EVERSION, "version", 4);
    if (body_len > proto_remaining(&r))
        return proto_fail(err, PROTO_ETRUNCATED, "body length", PROTO_HEADER_BYTES - 4);

    struct proto_reader body;
    proto_reader_init(&body, in, PROTO_HEADER_BYTES + (size_t)body_len);
    body.pos = PROTO_HEADER_BYTES;
    if (proto_kind_is_roster(b->kind)) {
        b->record = (struct proto_str){in + PROTO_HEADER_BYTES, body_len};
        body.pos += body_len;
        rc = check_record(b, PROTO_HEADER_BYTES, err);
    } else if (b->kind == PROTO_KIND_REPORT) {
        rc = decode_report(b, &body, err);
    } else if (b->kind == PROTO_KIND_RECEIPT) {
        rc = decode_receipt(b, &body, err);
    } else {
        rc = decode_body(b, &body, err);
    }
    if (rc != PROTO_OK) return rc;

    r.pos = body.pos;
    proto_get_bytes(&r, b->signature, PROTO_SIG_BYTES);
    if (r.err != PROTO_OK) return proto_fail(err, r.err, "signature", body.pos);
    if (proto_remaining(&r) != 0) return proto_fail(err, PROTO_ETRAILING, "signature", r.pos);
    return PROTO_OK;
}

int proto_bulletin_verify(const struct proto_bulletin *b, const uint8_t *in, size_t len)
{
    size_t m_len = 0;
    uint8_t *m = proto_bulletin_signing_input(in, len, &m_len);
    if (m == NULL) return PROTO_ESIGNATURE;
    int ok = crypto_sign_ed25519_verify_detached(b->signature, m, m_len, b->issuer);
    free(m);
    return ok == 0 ? PROTO_OK : PROTO_ESIGNATURE;
}

void proto_bulletin_id(const uint8_t *in, size_t len, uint8_t id[PROTO_ID_BYTES])
{
    crypto_generichash(id, PROTO_ID_BYTES, in, len, NULL, 0);
}
