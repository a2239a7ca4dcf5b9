/* audit.c - checking a node's whole store, read-only: every stored bulletin decodes and its
 * signature holds; every index entry points at the bytes it names and every bulletin is
 * indexed; every issuer's chain runs 1..head without gaps, each bulletin linking to the one
 * before; forks are reported; with a roster, every notice was trusted when it was issued;
 * corrections and withdrawals name bulletins that are there; the log's tree, recomputed from
 * the stored bulletins, matches every checkpoint the node signed; conflicts the node witnessed
 * between other nodes' checkpoints are reported. */
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto_buf.h"
#include "proto_proof.h"
#include "tool.h"
#include "verify_pool.h"
#include "i18n.h"

#define AUDIT_BATCH 4096

static const char *const names[AUDIT_N] = {
    "damaged",
    "bad_signature",
    "index_rewritten",
    "unindexed",
    "missing",
    "gap",
    "broken_link",
    "head_mismatch",
    "fork",
    "untrusted",
    "dangling_subject",
    "checkpoint_mismatch",
    "witnessed_conflict",
};

const char *tool_audit_name(int problem)
{
    return problem >= 0 && problem < AUDIT_N ? names[problem] : "?";
}

static void found(struct audit_report *r, int problem, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void found(struct audit_report *r, int problem, const char *fmt, ...)
{
    if (r->count[problem]++ == 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->first[problem], sizeof r->first[problem], fmt, ap);
        va_end(ap);
    }
}

/* One stored bulletin of the arrival log, as pass 1 found it. */
struct arrival {
    uint64_t at;
    uint8_t id[PROTO_ID_BYTES];
    bool ok;      /* decodes and verifies */
    bool indexed; /* an index entry points at it */
};

struct job {
    uint8_t *raw;
    size_t len;
    struct arrival *a;
};

static void check_one(void *jobs, size_t i)
{
    struct job *j = (struct job *)jobs + i;
    struct proto_bulletin b;
    proto_bulletin_id(j->raw, j->len, j->a->id);
    j->a->ok = proto_bulletin_decode(&b, j->raw, j->len, NULL) == PROTO_OK &&
               proto_bulletin_verify(&b, j->raw, j->len) == PROTO_OK;
}

struct pass1 {
    struct audit_report *rep;
    verify_pool *pool;
    struct arrival *a;
    size_t n, cap;
    struct job jobs[AUDIT_BATCH];
    size_t n_jobs;
    uint64_t total;
    void (*progress)(uint64_t done, uint64_t total, void *ctx);
    void *ctx;
};

static void run_jobs(struct pass1 *p)
{
    verify_pool_run(p->pool, check_one, p->jobs, p->n_jobs);
    for (size_t i = 0; i < p->n_jobs; i++) {
        struct arrival *a = p->jobs[i].a;
        if (!a->ok) {
            struct proto_bulletin b;
            struct proto_err err = {0};
            if (proto_bulletin_decode(&b, p->jobs[i].raw, p->jobs[i].len, &err) != PROTO_OK)
                found(p->rep, AUDIT_DAMAGED,
                      _("arrival %llu: does not decode (field '%s' at byte %zu)"),
                      (unsigned long long)a->at, err.field ? err.field : "?", err.offset);
            else
                found(p->rep, AUDIT_BAD_SIGNATURE, _("arrival %llu: signature does not verify"),
                      (unsigned long long)a->at);
        }
        free(p->jobs[i].raw);
    }
    p->rep->signatures += p->n_jobs;
    p->n_jobs = 0;
    if (p->progress) p->progress(p->n, p->total, p->ctx);
}

static int collect_arrival(const uint8_t *k, size_t kn, const uint8_t *v, size_t vn, void *ctx)
{
    struct pass1 *p = ctx;
    if (kn != 8) {
        found(p->rep, AUDIT_DAMAGED, _("arrival log: a key of %zu bytes"), kn);
        return 0;
    }
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 4096;
        if (p->n_jobs) run_jobs(p); /* jobs point into the array: finish them before it moves */
        struct arrival *a = realloc(p->a, cap * sizeof *a);
        if (a == NULL) return 1;
        p->a = a, p->cap = cap;
    }
    struct arrival *a = &p->a[p->n++];
    memset(a, 0, sizeof *a);
    a->at = proto_be64_get(k);
    struct job *j = &p->jobs[p->n_jobs++];
    j->raw = malloc(vn ? vn : 1);
    j->len = vn;
    j->a = a;
    if (j->raw) memcpy(j->raw, v, vn);
    if (p->n_jobs == AUDIT_BATCH) run_jobs(p);
    return 0;
}

static struct arrival *find_arrival(struct pass1 *p, uint64_t at)
{
    size_t lo = 0, hi = p->n;
    while (lo < hi) {
        size_t m = lo + (hi - lo) / 2;
        if (p->a[m].at < at)
            lo = m + 1;
        else
            hi = m;
    }
    return lo < p->n && p->a[lo].at == at ? &p->a[lo] : NULL;
}

static int check_index(const uint8_t *k, size_t kn, const uint8_t *v, size_t vn, void *ctx)
{
    struct pass1 *p = ctx;
    char hex[17];
    if (kn != PROTO_ID_BYTES || vn != 8) {
        found(p->rep, AUDIT_INDEX_REWRITTEN, _("bulletin index: an entry of %zu/%zu bytes"), kn, vn);
        return 0;
    }
    tool_hex(k, 8, hex);
    struct arrival *a = find_arrival(p, proto_be64_get(v));
    if (a == NULL)
        found(p->rep, AUDIT_MISSING, _("bulletin %s...: indexed, but its bytes are gone"), hex);
    else if (memcmp(a->id, k, PROTO_ID_BYTES) != 0)
        found(p->rep, AUDIT_INDEX_REWRITTEN,
              _("bulletin %s...: its index entry points at other bytes (arrival %llu)"), hex,
              (unsigned long long)a->at);
    else
        a->indexed = true;
    return 0;
}

/* The chain table, collected (a read transaction cannot be nested in this thread). */
struct link {
    uint8_t issuer[PROTO_KEY_BYTES];
    uint64_t seq;
    uint8_t id[PROTO_ID_BYTES];
};

struct links {
    struct link *l;
    size_t n, cap;
    struct audit_report *rep;
};

/* A new last element of c, or NULL when memory runs out. */
static struct link *links_push(struct links *c)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 256;
        struct link *l = realloc(c->l, cap * sizeof *l);
        if (l == NULL) return NULL;
        c->l = l, c->cap = cap;
    }
    return memset(&c->l[c->n++], 0, sizeof *c->l);
}

static int collect_link(const uint8_t *k, size_t kn, const uint8_t *v, size_t vn, void *ctx)
{
    struct links *c = ctx;
    struct link *l;
    if (kn != 40 || vn != PROTO_ID_BYTES) {
        found(c->rep, AUDIT_INDEX_REWRITTEN, _("chain table: an entry of %zu/%zu bytes"), kn, vn);
        return 0;
    }
    if ((l = links_push(c)) == NULL) return 1;
    memcpy(l->issuer, k, PROTO_KEY_BYTES);
    l->seq = proto_be64_get(k + 32);
    memcpy(l->id, v, PROTO_ID_BYTES);
    return 0;
}

/* The issuers table, as links whose seq is the recorded head. */
static int collect_head(const uint8_t *k, size_t kn, const uint8_t *v, size_t vn, void *ctx)
{
    struct link *l;
    if (kn != PROTO_KEY_BYTES || vn != 9) return 0;
    if ((l = links_push(ctx)) == NULL) return 1;
    memcpy(l->issuer, k, PROTO_KEY_BYTES);
    l->seq = proto_be64_get(v);
    return 0;
}

struct forks {
    struct audit_report *rep;
    uint8_t last[40];
    bool have;
};

static int check_fork(const uint8_t *k, size_t kn, const uint8_t *v, size_t vn, void *ctx)
{
    struct forks *f = ctx;
    char hex[17];
    (void)v, (void)vn;
    if (kn != 72) return 0;
    if (f->have && memcmp(f->last, k, 40) == 0) return 0; /* the other side of one fork */
    memcpy(f->last, k, 40);
    f->have = true;
    tool_hex(k, 8, hex);
    found(f->rep, AUDIT_FORK, _("issuer %s... signed two bulletins at sequence %llu"), hex,
          (unsigned long long)proto_be64_get(k + 32));
    return 0;
}

static int by_issuer(const void *key, const void *elem)
{
    return memcmp(key, ((const struct link *)elem)->issuer, PROTO_KEY_BYTES);
}

/* The recorded head of issuer (the issuers table is in key order), 0 if none. */
static uint64_t head_of(const struct links *heads, const uint8_t *issuer)
{
    const struct link *l = bsearch(issuer, heads->l, heads->n, sizeof *heads->l, by_issuer);
    return l ? l->seq : 0;
}

/* One issuer's run of the chain table: l[0..n), in sequence order. */
static void check_chain(store *s, roster *ro, struct audit_report *rep, const struct link *l,
                        size_t n, uint64_t head)
{
    char hex[17];
    uint8_t prev[PROTO_ID_BYTES] = {0};
    uint64_t expect = 1;
    tool_hex(l[0].issuer, 8, hex);
    rep->issuers++;
    for (size_t i = 0; i < n; i++) {
        uint8_t *raw = NULL;
        size_t len = 0;
        struct proto_bulletin b;
        if (l[i].seq != expect) {
            found(rep, AUDIT_GAP, _("issuer %s...: sequences %llu..%llu missing"), hex,
                  (unsigned long long)expect, (unsigned long long)l[i].seq - 1);
            memset(prev, 0, sizeof prev);
        }
        expect = l[i].seq + 1;
        if (store_get(s, l[i].id, &raw, &len) != STORE_OK) {
            found(rep, AUDIT_MISSING, _("issuer %s... sequence %llu: the bulletin is gone"), hex,
                  (unsigned long long)l[i].seq);
            memset(prev, 0, sizeof prev);
            continue;
        }
        if (proto_bulletin_decode(&b, raw, len, NULL) == PROTO_OK) {
            if (memcmp(b.issuer, l[i].issuer, PROTO_KEY_BYTES) != 0 || b.sequence != l[i].seq)
                found(rep, AUDIT_INDEX_REWRITTEN,
                      _("issuer %s... sequence %llu: the chain names another bulletin"), hex,
                      (unsigned long long)l[i].seq);
            else if (!proto_is_zero(prev, PROTO_ID_BYTES) &&
                     memcmp(b.previous, prev, PROTO_ID_BYTES) != 0)
                found(rep, AUDIT_BROKEN_LINK,
                      _("issuer %s... sequence %llu: does not link to sequence %llu"), hex,
                      (unsigned long long)l[i].seq, (unsigned long long)l[i].seq - 1);
            if ((b.kind == PROTO_KIND_CORRECTION || b.kind == PROTO_KIND_WITHDRAWAL) &&
                !store_has(s, b.subject))
                found(rep, AUDIT_DANGLING_SUBJECT,
                      _("issuer %s... sequence %llu: its %s names a bulletin that is not here"), hex,
                      (unsigned long long)l[i].seq, proto_kind_name(b.kind));
            if (ro != NULL) {
                if (proto_kind_is_roster(b.kind)) roster_add(ro, raw, len); /* no-op if there */
                uint8_t id[PROTO_ID_BYTES];
                proto_bulletin_id(raw, len, id);
                int st = roster_check(ro, &b, id, NULL);
                if (st != ROSTER_TRUSTED)
                    found(rep, AUDIT_UNTRUSTED, _("issuer %s... sequence %llu: %s at its issue time"),
                          hex, (unsigned long long)l[i].seq, _(roster_status_name(st)));
            }
        }
        memcpy(prev, l[i].id, PROTO_ID_BYTES);
        free(raw);
    }
    if (n > 0 && l[n - 1].seq != head)
        found(rep, AUDIT_HEAD_MISMATCH, _("issuer %s...: head %llu, chain ends at %llu"), hex,
              (unsigned long long)head, (unsigned long long)l[n - 1].seq);
}

/* This node's checkpoints, by size (the table's order). */
struct checkpoints {
    struct audit_report *rep;
    struct proto_checkpoint *c; /* parsed, ascending size */
    size_t n, cap;
    uint8_t key[32]; /* the node's key: the latest checkpoint's */
};

static int collect_checkpoint(const uint8_t *k, size_t kn, const uint8_t *v, size_t vn, void *ctx)
{
    struct checkpoints *cs = ctx;
    struct proto_err err = {0};
    if (cs->n == cs->cap) {
        size_t cap = cs->cap ? 2 * cs->cap : 16;
        struct proto_checkpoint *c = realloc(cs->c, cap * sizeof *c);
        if (c == NULL) return 1;
        cs->c = c, cs->cap = cap;
    }
    struct proto_checkpoint *c = &cs->c[cs->n];
    if (proto_checkpoint_parse(c, (const char *)v, vn, &err) != PROTO_OK)
        found(cs->rep, AUDIT_CHECKPOINT, _("checkpoint of %llu entries: %s (%s)"),
              kn == 8 ? (unsigned long long)proto_be64_get(k) : 0ull, _(proto_strerror(err.code)),
              err.field ? err.field : "note");
    else if (kn != 8 || proto_be64_get(k) != c->size)
        found(cs->rep, AUDIT_CHECKPOINT, _("checkpoint of %llu entries filed under another size"),
              (unsigned long long)c->size);
    else
        cs->n++;
    return 0;
}

/* 5. The log: its tree recomputed from the ids in arrival order must give the root of every
 * checkpoint this node signed (a removed, inserted or changed entry changes them all after
 * it), and the tree the node keeps must agree. */
static int check_log(store *s, struct pass1 *p, struct audit_report *rep)
{
    struct checkpoints cs = {.rep = rep};
    struct proto_merkle_edge e = {0};
    proto_hash leaf, root;
    int rc = store_table_each(s, STORE_T_CHECKPOINTS, collect_checkpoint, &cs);
    if (rc != STORE_OK) return rc;
    if (cs.n) memcpy(cs.key, cs.c[cs.n - 1].key, 32);
    size_t next = 0;
    for (size_t i = 0; i <= p->n; i++) {
        for (; next < cs.n && cs.c[next].size == e.size; next++) {
            struct proto_checkpoint *c = &cs.c[next];
            proto_merkle_edge_root(&e, root);
            if (memcmp(c->key, cs.key, 32) != 0)
                found(rep, AUDIT_CHECKPOINT, _("checkpoint of %llu entries: signed by another key"),
                      (unsigned long long)c->size);
            else if (memcmp(root, c->root, 32) != 0)
                found(rep, AUDIT_CHECKPOINT,
                      _("the log's first %llu entries no longer give the root this node signed "
                      "for them: entries were removed, inserted or changed"),
                      (unsigned long long)c->size);
            rep->checkpoints++;
        }
        if (i == p->n) break;
        if (p->a[i].at != (i ? p->a[i - 1].at + 1 : 0))
            found(rep, AUDIT_CHECKPOINT, _("arrival log: entries %llu..%llu are gone"),
                  i ? (unsigned long long)p->a[i - 1].at + 1 : 0ull,
                  (unsigned long long)p->a[i].at - 1);
        proto_merkle_leaf(p->a[i].id, PROTO_ID_BYTES, leaf);
        proto_merkle_edge_append(&e, leaf, NULL, NULL);
    }
    for (; next < cs.n; next++)
        found(rep, AUDIT_CHECKPOINT,
              _("this node signed a log of %llu entries; %llu are left: entries were removed"),
              (unsigned long long)cs.c[next].size, (unsigned long long)p->n);
    if (cs.n) rep->latest_cosigners = cs.c[cs.n - 1].n_cosigs;
    rep->log_size = e.size;
    proto_merkle_edge_root(&e, rep->log_root);
    if (store_log_root(s, e.size, root) == STORE_OK && memcmp(root, rep->log_root, 32) != 0)
        found(rep, AUDIT_CHECKPOINT, _("the node's kept log tree disagrees with its bulletins"));
    free(cs.c);
    return STORE_OK;
}

/* 6. Conflict files: another node signed two logs of one size. */
static int check_conflict(const uint8_t *k, size_t kn, const uint8_t *v, size_t vn, void *ctx)
{
    struct audit_report *rep = ctx;
    static struct proto_proof pf;
    char hex[17];
    (void)k, (void)kn;
    if (proto_proof_parse(&pf, (const char *)v, vn, NULL) != PROTO_OK ||
        pf.kind != PROTO_PROOF_CONFLICT || proto_proof_check(&pf, NULL) != PROTO_OK) {
        found(rep, AUDIT_DAMAGED, _("a conflict file that does not check"));
        return 0;
    }
    sodium_bin2hex(hex, sizeof hex, pf.cps[0].key, 8);
    found(rep, AUDIT_CONFLICT, _("node %s... signed two logs of %llu entries"), hex,
          (unsigned long long)pf.cps[0].size);
    return 0;
}

int tool_audit(store *s, roster *ro, struct audit_report *rep,
               void (*progress)(uint64_t done, uint64_t total, void *ctx), void *ctx)
{
    struct store_stats st;
    struct pass1 *p = calloc(1, sizeof *p);
    struct links chain = {.rep = rep}, heads = {.rep = rep};
    struct forks forks = {.rep = rep};
    memset(rep, 0, sizeof *rep);
    if (p == NULL) return STORE_ENOMEM;
    p->rep = rep, p->progress = progress, p->ctx = ctx;
    if (store_stats(s, &st) == STORE_OK) p->total = st.bulletins + st.fork_evidence;
    p->pool = verify_pool_new(0);
    /* 1. The arrival log: every stored bulletin decodes and verifies (on every core). */
    int rc = store_table_each(s, STORE_T_ARRIVAL, collect_arrival, p);
    if (p->n_jobs) run_jobs(p);
    rep->bulletins = p->n;
    /* 2. The id index: each entry names the bytes it points at; every bulletin is indexed. */
    if (rc == STORE_OK) rc = store_table_each(s, STORE_T_INDEX, check_index, p);
    for (size_t i = 0; rc == STORE_OK && i < p->n; i++)
        if (!p->a[i].indexed)
            found(rep, AUDIT_UNINDEXED, _("arrival %llu: stored but not in the index"),
                  (unsigned long long)p->a[i].at);
    /* 3. The chains: 1..head, linked, as the issuers table says; roster and subjects. */
    if (rc == STORE_OK) rc = store_table_each(s, STORE_T_ISSUERS, collect_head, &heads);
    if (rc == STORE_OK) rc = store_table_each(s, STORE_T_CHAIN, collect_link, &chain);
    for (size_t i = 0, j; rc == STORE_OK && i < chain.n; i = j) {
        for (j = i + 1; j < chain.n && memcmp(chain.l[j].issuer, chain.l[i].issuer, 32) == 0; j++) {
        }
        check_chain(s, ro, rep, chain.l + i, j - i, head_of(&heads, chain.l[i].issuer));
    }
    /* 4. Forks: kept as evidence, both sides; each is a finding. */
    if (rc == STORE_OK) rc = store_table_each(s, STORE_T_FORKS, check_fork, &forks);
    /* 5, 6. The log against the checkpoints; conflicts witnessed. */
    if (rc == STORE_OK) rc = check_log(s, p, rep);
    if (rc == STORE_OK) rc = store_table_each(s, STORE_T_EVIDENCE, check_conflict, rep);
    verify_pool_destroy(&p->pool);
    free(p->a);
    free(p);
    free(chain.l);
    free(heads.l);
    return rc;
}
