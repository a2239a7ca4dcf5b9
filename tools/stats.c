/* stats.c - the figures of warta stats and the gateway's /v1/stats (PROTOCOL.md §23 for the
 * rules they count by): how fast the loop closes, from what a store holds and a roster trusts.
 * Reports, notices and receipts the roster trusts; a report's state is report_status and a
 * claim's reports are report_same_claim (keys/status.c). All figures are exact, from the signed
 * times.
 * Messages: not translated (JSON member names). */
#include <stdlib.h>
#include <string.h>

#include "status.h"
#include "tool.h"

#define STATS_MAX 200000 /* bulletins of each kind looked at */
#define HOUR_MS 3600000ULL
#define DAY_MS (24 * HOUR_MS)

struct held {
    uint8_t *raw;
    size_t len;
    struct proto_bulletin b;
    uint8_t id[PROTO_ID_BYTES];
    struct report_status rs; /* reports */
    char office[PROTO_MAX_OFFICE + 1];
    size_t group;
};

struct set {
    struct held *h;
    size_t n, cap;
};

struct stats {
    store *s;
    roster *ro;
    struct set reports, notices, receipts;
    bool failed;
};

static int take(uint64_t arrival, const struct proto_bulletin *b, const uint8_t *raw, size_t len,
                void *p)
{
    (void)arrival;
    struct stats *x = p;
    struct set *set = b->kind == PROTO_KIND_REPORT    ? &x->reports
                      : b->kind == PROTO_KIND_RECEIPT ? &x->receipts
                      : proto_kind_is_notice(b->kind) ? &x->notices
                                                      : NULL;
    if (set == NULL || set->n == STATS_MAX) return 0;
    if (set->n == set->cap) {
        size_t cap = set->cap ? 2 * set->cap : 64;
        struct held *more = realloc(set->h, cap * sizeof *more);
        if (more == NULL) {
            x->failed = true;
            return 1;
        }
        set->h = more, set->cap = cap;
    }
    struct held *h = &set->h[set->n];
    struct roster_office who;
    proto_bulletin_id(raw, len, h->id);
    if (roster_check(x->ro, b, h->id, &who) != ROSTER_TRUSTED) return 0;
    if ((h->raw = malloc(len)) == NULL) {
        x->failed = true;
        return 1;
    }
    memcpy(h->raw, raw, len);
    h->len = len;
    proto_bulletin_decode(&h->b, h->raw, len, NULL);
    snprintf(h->office, sizeof h->office, "%.*s", (int)who.delegation.office.n,
             (const char *)who.delegation.office.p);
    set->n++;
    return 0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* count, the median (the lower middle one when even) and the largest, in ms. */
static json_t *spread(uint64_t *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_u64);
    return json_pack("{s:I, s:o, s:o}", "count", (json_int_t)n, "median_ms",
                     n ? tool_u64_json(v[(n - 1) / 2]) : json_null(), "max_ms",
                     n ? tool_u64_json(v[n - 1]) : json_null());
}

static void bump(json_t *o, const char *key, json_int_t by)
{
    json_t *v = json_object_get(o, key);
    json_object_set_new(o, key, json_integer((v ? json_integer_value(v) : 0) + by));
}

static void month_of(uint64_t ms, char out[8])
{
    char t[TOOL_TIME_LEN];
    tool_time_format(ms, t);
    snprintf(out, 8, "%.7s", t); /* 2024-08 */
}

static const struct held *find(const struct set *s, const uint8_t *id)
{
    for (size_t i = 0; i < s->n; i++)
        if (memcmp(s->h[i].id, id, PROTO_ID_BYTES) == 0) return &s->h[i];
    return NULL;
}

static json_t *figures(struct stats *x, uint64_t at)
{
    struct set *R = &x->reports, *N = &x->notices, *C = &x->receipts;
    uint64_t *d = calloc(R->n + N->n + 1, sizeof *d), *last = calloc(N->n + 1, sizeof *last);
    if (d == NULL || last == NULL) {
        free(d);
        free(last);
        return NULL;
    }
    json_t *rep =
        json_pack("{s:I, s:I, s:I, s:{}, s:{s:i, s:i, s:i, s:i}}", "total", (json_int_t)R->n,
                  "open", (json_int_t)0, "claims", (json_int_t)0, "by_month", "open_by_age",
                  "under_1h", 0, "1h_to_1d", 0, "1d_to_7d", 0, "over_7d", 0);
    /* Claims: each report joins the group of the first earlier report of the same claim. */
    size_t claims = 0, open = 0, nd = 0;
    for (size_t i = 0; i < R->n; i++) {
        struct held *h = &R->h[i];
        char m[8];
        month_of(h->b.issued_at, m);
        bump(json_object_get(rep, "by_month"), m, 1);
        if (!h->rs.answered) {
            uint64_t age = at > h->b.issued_at ? at - h->b.issued_at : 0;
            open++;
            bump(json_object_get(rep, "open_by_age"),
                 age < HOUR_MS      ? "under_1h"
                 : age < DAY_MS     ? "1h_to_1d"
                 : age < 7 * DAY_MS ? "1d_to_7d"
                                    : "over_7d",
                 1);
        }
        h->group = i;
        for (size_t j = 0; j < i; j++)
            if (report_same_claim(&h->b, &R->h[j].b)) {
                h->group = R->h[j].group;
                break;
            }
        claims += h->group == i;
    }
    json_object_set_new(rep, "open", json_integer((json_int_t)open));
    json_object_set_new(rep, "claims", json_integer((json_int_t)claims));
    /* From a claim's first report to the first answer that counts for any of its reports. */
    for (size_t g = 0; g < R->n; g++) {
        if (R->h[g].group != g) continue;
        uint64_t first = UINT64_MAX, answer = UINT64_MAX;
        for (size_t i = g; i < R->n; i++) {
            if (R->h[i].group != g) continue;
            if (R->h[i].b.issued_at < first) first = R->h[i].b.issued_at;
            if (R->h[i].rs.answered && R->h[i].rs.answer.issued_at < answer)
                answer = R->h[i].rs.answer.issued_at;
        }
        if (answer != UINT64_MAX) d[nd++] = answer > first ? answer - first : 0;
    }
    json_t *to_answer = spread(d, nd);
    /* Clarifications and corrections: counts, and the platform actions on them. */
    json_t *cl = json_pack("{s:I, s:{}, s:{}, s:{}, s:{}}", "total", (json_int_t)0, "by_region",
                           "by_verdict", "by_office", "by_month");
    size_t total = 0, nf = 0;
    for (size_t i = 0; i < N->n; i++) {
        const struct held *h = &N->h[i];
        if (h->b.kind == PROTO_KIND_WITHDRAWAL) continue;
        char m[8], region[PROTO_MAX_REGION + 1];
        total++;
        snprintf(region, sizeof region, "%.*s", (int)h->b.region.n, (const char *)h->b.region.p);
        bump(json_object_get(cl, "by_region"), region[0] ? region : "national", 1);
        char verdict[PROTO_MAX_VERDICT + 1];
        snprintf(verdict, sizeof verdict, "%.*s", (int)h->b.verdict.n,
                 (const char *)h->b.verdict.p);
        bump(json_object_get(cl, "by_verdict"), verdict, 1);
        bump(json_object_get(cl, "by_office"), h->office, 1);
        month_of(h->b.issued_at, m);
        bump(json_object_get(cl, "by_month"), m, 1);
        uint64_t lo = UINT64_MAX, hi = 0;
        for (size_t j = 0; j < C->n; j++)
            if (memcmp(C->h[j].b.subject, h->id, PROTO_ID_BYTES) == 0) {
                uint64_t t = C->h[j].b.acted_at;
                lo = t < lo ? t : lo;
                hi = t > hi ? t : hi;
            }
        if (lo == UINT64_MAX) continue;
        d[nf] = lo > h->b.issued_at ? lo - h->b.issued_at : 0;
        last[nf++] = hi > h->b.issued_at ? hi - h->b.issued_at : 0;
    }
    json_object_set_new(cl, "total", json_integer((json_int_t)total));
    json_t *first_action = spread(d, nf), *last_action = spread(last, nf);
    json_t *rc = json_pack("{s:I, s:{}, s:I}", "total", (json_int_t)C->n, "by_action", "items",
                           (json_int_t)0);
    json_int_t items = 0, unknown = 0;
    for (size_t j = 0; j < C->n; j++) {
        bump(json_object_get(rc, "by_action"), proto_action_name(C->h[j].b.action), 1);
        items += C->h[j].b.items;
        unknown += find(N, C->h[j].b.subject) == NULL;
    }
    json_object_set_new(rc, "items", json_integer(items));
    json_object_set_new(rc, "on_bulletins_not_held", json_integer(unknown));
    free(d);
    free(last);
    char t[TOOL_TIME_LEN];
    tool_time_format(at, t);
    return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "at", t, "reports", rep,
                     "clarifications", cl, "receipts", rc, "report_to_clarification", to_answer,
                     "clarification_to_first_action", first_action, "clarification_to_last_action",
                     last_action);
}

static void free_set(struct set *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->h[i].raw);
    free(s->h);
}

json_t *tool_stats(store *s, roster *ro, uint64_t at, int *err)
{
    struct stats x = {.s = s, .ro = ro};
    json_t *f = NULL;
    *err = 0;
    if (store_arrivals(s, 0, false, take, &x) != STORE_OK || x.failed) *err = -1;
    for (size_t i = 0; *err == 0 && i < x.reports.n; i++) {
        struct held *h = &x.reports.h[i];
        if (report_status(ro, &h->b, h->id, at, store_named_source, s, &h->rs) != 0) *err = -1;
    }
    if (*err == 0 && (f = figures(&x, at)) == NULL) *err = -1;
    free_set(&x.reports);
    free_set(&x.notices);
    free_set(&x.receipts);
    return f;
}
