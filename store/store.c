/* store.c - the node's LMDB store. Keys are built from typed fields with big-endian integers,
 * so LMDB's default byte order is numeric order; no custom comparators. */
#include "store.h"
#include "store_impl.h"

#include "proto_roster.h"

#include <errno.h>
#include <lmdb.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "i18n.h"

const char *const db_names[DB_COUNT] = {
    "bulletins", "chain",  "issuers",   "by_time", "by_region",   "by_verdict", "arrival", "forks",
    "meta",      "roster", "untrusted", "tree",    "checkpoints", "witnessed",  "evidence",
    "named"};

/* Map an LMDB return code to a store status, remembering the message. */
int db_fail(store *s, int rc, const char *what)
{
    if (rc == 0) return STORE_OK;
    if (rc == MDB_NOTFOUND) return STORE_ENOTFOUND;
    snprintf(s->error, sizeof s->error, "%s: %s", what, mdb_strerror(rc));
    return rc == MDB_MAP_FULL ? STORE_EFULL : STORE_EDB;
}

const char *store_error(const store *s)
{
    return s->error;
}

static int named_open(store *s);

store *store_open(const char *dir, bool readonly, char *err, size_t err_len)
{
    return store_open_sized(dir, readonly, INITIAL_MAP, err, err_len);
}

store *store_open_sized(const char *dir, bool readonly, size_t map_bytes, char *err, size_t err_len)
{
    store *s = calloc(1, sizeof *s);
    MDB_txn *txn = NULL;
    int rc;
    if (s == NULL) {
        snprintf(err, err_len, _("out of memory"));
        return NULL;
    }
    s->readonly = readonly;
    if (!readonly && mkdir(dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, err_len, "%s: %s", dir, strerror(errno));
        free(s);
        return NULL;
    }
    if ((rc = mdb_env_create(&s->env)) != 0 || (rc = mdb_env_set_maxdbs(s->env, DB_COUNT)) != 0 ||
        (rc = mdb_env_set_mapsize(s->env, map_bytes)) != 0 ||
        (rc = mdb_env_open(s->env, dir, readonly ? MDB_RDONLY : 0, 0600)) != 0 ||
        (rc = mdb_txn_begin(s->env, NULL, readonly ? MDB_RDONLY : 0, &txn)) != 0)
        goto fail;
    for (int i = 0; i < DB_COUNT; i++) {
        rc = mdb_dbi_open(txn, db_names[i], readonly ? 0 : MDB_CREATE, &s->dbi[i]);
        /* A store written before these tables existed: read as empty. */
        if (rc == MDB_NOTFOUND && readonly && i >= DB_ROSTER) {
            s->absent[i] = true;
            continue;
        }
        if (rc != 0) goto fail;
    }
    if ((rc = mdb_txn_commit(txn)) != 0) {
        txn = NULL;
        goto fail;
    }
    if (readonly && (rc = db_read(s, &s->snap)) != STORE_OK) {
        snprintf(err, err_len, "%s: %s", dir, s->error);
        store_close(&s);
        return NULL;
    }
    if (!readonly && (log_open(s) != STORE_OK || named_open(s) != STORE_OK)) {
        snprintf(err, err_len, "%s: %s", dir, s->error);
        store_close(&s);
        return NULL;
    }
    return s;
fail:
    snprintf(err, err_len, "%s: %s", dir,
             rc == MDB_NOTFOUND ? _("not a warta store (or not created yet)") : mdb_strerror(rc));
    if (txn) mdb_txn_abort(txn);
    if (s->env) mdb_env_close(s->env);
    free(s);
    return NULL;
}

int store_refresh(store *s)
{
    if (!s->readonly || s->snap == NULL) return STORE_OK;
    mdb_txn_abort(s->snap);
    s->snap = NULL;
    MDB_txn *txn;
    int rc = db_read(s, &txn);
    if (rc == STORE_OK) s->snap = txn;
    return rc;
}

void store_close(store **s)
{
    if (s == NULL || *s == NULL) return;
    if ((*s)->txn) mdb_txn_abort((*s)->txn);
    if ((*s)->snap) mdb_txn_abort((*s)->snap);
    mdb_env_close((*s)->env);
    free((*s)->staged);
    free(*s);
    *s = NULL;
}

int store_begin(store *s)
{
    int rc = mdb_txn_begin(s->env, NULL, 0, &s->txn);
    if (rc != 0) return db_fail(s, rc, "begin");
    s->txn_edge = s->edge;
    s->n_staged = 0;
    return STORE_OK;
}

int store_commit(store *s)
{
    int rc = store_settle(s);
    if (rc != STORE_OK) {
        store_abort(s);
        return rc;
    }
    rc = mdb_txn_commit(s->txn);
    s->txn = NULL;
    if (rc == 0) s->edge = s->txn_edge;
    return db_fail(s, rc, "commit");
}

void store_abort(store *s)
{
    if (s->txn) mdb_txn_abort(s->txn);
    s->txn = NULL;
    s->n_staged = 0;
}

struct staged {
    uint8_t db, kn, vn;
    uint8_t k[STAGED_KEY_MAX];
    uint8_t v[8];
};

int db_stage(store *s, int db, const void *k, size_t kn, const void *v, size_t vn)
{
    if (kn > STAGED_KEY_MAX || vn > 8) return db_put(s, db, k, kn, v, vn);
    if (s->n_staged == s->cap_staged) {
        size_t cap = s->cap_staged ? 2 * s->cap_staged : 4096;
        struct staged *more = realloc(s->staged, cap * sizeof *more);
        if (more == NULL) return STORE_ENOMEM;
        s->staged = more;
        s->cap_staged = cap;
    }
    struct staged *e = &s->staged[s->n_staged++];
    e->db = (uint8_t)db;
    e->kn = (uint8_t)kn;
    e->vn = (uint8_t)vn;
    memcpy(e->k, k, kn);
    if (vn) memcpy(e->v, v, vn);
    return STORE_OK;
}

/* Table, then LMDB's own key order (bytes, then length). */
static int staged_order(const void *a, const void *b)
{
    const struct staged *x = a, *y = b;
    if (x->db != y->db) return x->db < y->db ? -1 : 1;
    int c = memcmp(x->k, y->k, x->kn < y->kn ? x->kn : y->kn);
    return c ? c : (int)x->kn - (int)y->kn;
}

int store_settle(store *s)
{
    int rc = STORE_OK;
    if (s->n_staged == 0) return STORE_OK;
    qsort(s->staged, s->n_staged, sizeof *s->staged, staged_order);
    for (size_t i = 0; rc == STORE_OK && i < s->n_staged; i++) {
        const struct staged *e = &s->staged[i];
        rc = db_put(s, e->db, e->k, e->kn, e->v, e->vn);
    }
    s->n_staged = 0;
    return rc;
}

int db_settle(store *s, MDB_txn *txn)
{
    return txn == s->txn && s->n_staged > 0 ? store_settle(s) : STORE_OK;
}

int store_grow(store *s)
{
    MDB_envinfo info;
    mdb_env_info(s->env, &info);
    return db_fail(s, mdb_env_set_mapsize(s->env, info.me_mapsize * 2), "grow map");
}

bool store_has_room(store *s, size_t bytes)
{
    MDB_envinfo info;
    MDB_stat st;
    if (mdb_env_info(s->env, &info) != 0 || mdb_env_stat(s->env, &st) != 0) return false;
    size_t used = (info.me_last_pgno + 1) * (size_t)st.ms_psize;
    return used < info.me_mapsize && info.me_mapsize - used > bytes;
}

/* A read transaction for a read when no write transaction is open; handles a map another
 * process has grown. */
int db_read(store *s, MDB_txn **txn)
{
    if (s->txn || s->snap) {
        *txn = s->txn ? s->txn : s->snap;
        return STORE_OK;
    }
    int rc = mdb_txn_begin(s->env, NULL, MDB_RDONLY, txn);
    if (rc == MDB_MAP_RESIZED) {
        mdb_env_set_mapsize(s->env, 0);
        rc = mdb_txn_begin(s->env, NULL, MDB_RDONLY, txn);
    }
    return db_fail(s, rc, "read");
}

void db_read_done(store *s, MDB_txn *txn)
{
    if (txn != s->txn && txn != s->snap) mdb_txn_abort(txn);
}

int db_get(store *s, MDB_txn *txn, int db, const void *k, size_t kn, MDB_val *v)
{
    MDB_val key = {kn, (void *)k};
    return db_fail(s, mdb_get(txn, s->dbi[db], &key, v), db_names[db]);
}

int db_put(store *s, int db, const void *k, size_t kn, const void *v, size_t vn)
{
    MDB_val key = {kn, (void *)k}, val = {vn, (void *)v};
    return db_fail(s, mdb_put(s->txn, s->dbi[db], &key, &val, 0), db_names[db]);
}

int store_head(store *s, const uint8_t *issuer, uint64_t *head, bool *forked)
{
    MDB_txn *txn;
    MDB_val v;
    int rc = db_read(s, &txn);
    if (rc != STORE_OK) return rc;
    *head = 0;
    *forked = false;
    rc = db_get(s, txn, DB_ISSUERS, issuer, PROTO_KEY_BYTES, &v);
    if (rc == STORE_OK && v.mv_size == 9) {
        *head = proto_be64_get(v.mv_data);
        *forked = ((uint8_t *)v.mv_data)[8] != 0;
    }
    db_read_done(s, txn);
    return rc == STORE_ENOTFOUND ? STORE_OK : rc;
}

int store_set_head(store *s, const uint8_t *issuer, uint64_t head, bool forked)
{
    uint8_t v[9];
    proto_be64_put(v, head);
    v[8] = forked;
    return db_put(s, DB_ISSUERS, issuer, PROTO_KEY_BYTES, v, sizeof v);
}

int store_chain_id(store *s, const uint8_t *issuer, uint64_t seq, uint8_t id[PROTO_ID_BYTES])
{
    MDB_txn *txn;
    MDB_val v;
    uint8_t k[40];
    int rc = db_read(s, &txn);
    if (rc != STORE_OK) return rc;
    memcpy(k, issuer, 32);
    proto_be64_put(k + 32, seq);
    rc = db_get(s, txn, DB_CHAIN, k, sizeof k, &v);
    if (rc == STORE_OK) memcpy(id, v.mv_data, PROTO_ID_BYTES);
    db_read_done(s, txn);
    return rc;
}

bool store_has(store *s, const uint8_t id[PROTO_ID_BYTES])
{
    MDB_txn *txn;
    MDB_val v;
    if (db_read(s, &txn) != STORE_OK) return false;
    bool found = db_settle(s, txn) == STORE_OK &&
                 db_get(s, txn, DB_BULLETINS, id, PROTO_ID_BYTES, &v) == STORE_OK;
    db_read_done(s, txn);
    return found;
}

/* Next value of a counter kept in DB_META, incremented. */
static int next_counter(store *s, const char *name, uint64_t *value)
{
    MDB_val v;
    uint8_t b[8];
    int rc = db_get(s, s->txn, DB_META, name, strlen(name), &v);
    *value = rc == STORE_OK && v.mv_size == 8 ? proto_be64_get(v.mv_data) : 0;
    if (rc != STORE_OK && rc != STORE_ENOTFOUND) return rc;
    proto_be64_put(b, *value + 1);
    return db_put(s, DB_META, name, strlen(name), b, 8);
}

/* label | 0x00 | issued_at | id */
_Static_assert(PROTO_MAX_REGION <= PROTO_MAX_VERDICT, "a held-back key fits STAGED_KEY_MAX");

static size_t index_key(uint8_t *k, struct proto_str label, uint64_t at, const uint8_t *id)
{
    if (label.n) memcpy(k, label.p, label.n); /* a report has no verdict, a receipt no region */
    k[label.n] = 0;
    proto_be64_put(k + label.n + 1, at);
    memcpy(k + label.n + 9, id, PROTO_ID_BYTES);
    return label.n + 9 + PROTO_ID_BYTES;
}

/* Append raw to the arrival log and index it under id. Keying the bytes by a growing number
 * (MDB_APPEND) instead of by the random id keeps a commit from dirtying a page per bulletin. */
static int put_bulletin(store *s, const uint8_t *raw, size_t len, const uint8_t id[PROTO_ID_BYTES],
                        uint8_t k[8])
{
    proto_be64_put(k, s->txn_edge.size); /* the log tree has a leaf per arrival: the next number */
    MDB_val key = {8, k}, val = {len, (void *)raw};
    int rc = db_fail(s, mdb_put(s->txn, s->dbi[DB_ARRIVAL], &key, &val, MDB_APPEND), "arrival");
    if (rc == STORE_OK) rc = db_stage(s, DB_BULLETINS, id, PROTO_ID_BYTES, k, 8);
    if (rc == STORE_OK) rc = log_append(s, id);
    return rc;
}

/* The entries of DB_NAMED for notice b: under the bulletin it amends and the one it translates. */
static int put_named(store *s, const struct proto_bulletin *b, const uint8_t id[PROTO_ID_BYTES])
{
    /* What it amends or translates (or, for a receipt, acts on), and the reports it answers. */
    const uint8_t *named[2 + PROTO_MAX_ANSWERS] = {b->subject, b->translation_of};
    size_t n = 2;
    for (size_t i = 0; i < b->n_answers; i++)
        named[n++] = b->answers[i];
    uint8_t k[2 * PROTO_ID_BYTES];
    int rc = STORE_OK;
    for (size_t i = 0; i < n && rc == STORE_OK; i++) {
        if (proto_is_zero(named[i], PROTO_ID_BYTES)) continue;
        memcpy(k, named[i], PROTO_ID_BYTES);
        memcpy(k + PROTO_ID_BYTES, id, PROTO_ID_BYTES);
        rc = db_put(s, DB_NAMED, k, sizeof k, "", 0);
    }
    return rc;
}

/* A store written before DB_NAMED existed: fill it from the accepted notices, once. */
static int named_open(store *s)
{
    static const char done[] = "named";
    MDB_val v;
    int rc = store_begin(s);
    if (rc != STORE_OK) return rc;
    if ((rc = db_get(s, s->txn, DB_META, done, strlen(done), &v)) != STORE_ENOTFOUND) {
        store_abort(s);
        return rc;
    }
    MDB_cursor *c = NULL;
    rc = db_fail(s, mdb_cursor_open(s->txn, s->dbi[DB_ARRIVAL], &c), "cursor");
    MDB_val k, raw;
    for (int op = MDB_FIRST; rc == STORE_OK && mdb_cursor_get(c, &k, &raw, op) == 0;
         op = MDB_NEXT) {
        struct proto_bulletin b;
        uint8_t id[PROTO_ID_BYTES], at[PROTO_ID_BYTES];
        if (proto_bulletin_decode(&b, raw.mv_data, raw.mv_size, NULL) != PROTO_OK ||
            proto_kind_is_roster(b.kind))
            continue;
        proto_bulletin_id(raw.mv_data, raw.mv_size, id);
        /* Fork evidence is in the log too; only the accepted side names anything. */
        if (store_chain_id(s, b.issuer, b.sequence, at) == STORE_OK &&
            memcmp(at, id, PROTO_ID_BYTES) == 0)
            rc = put_named(s, &b, id);
    }
    if (c) mdb_cursor_close(c);
    if (rc == STORE_OK) rc = db_put(s, DB_META, done, strlen(done), "1", 1);
    if (rc != STORE_OK) {
        store_abort(s);
        return rc;
    }
    return store_commit(s);
}

int store_accept(store *s, const struct proto_bulletin *b, const uint8_t *raw, size_t len,
                 const uint8_t id[PROTO_ID_BYTES])
{
    uint8_t k[128], arrival[8];
    int rc = put_bulletin(s, raw, len, id, arrival);
    MDB_val kept = {PROTO_ID_BYTES, (void *)id};
    MDB_stat apart;
    if (rc == STORE_OK && mdb_stat(s->txn, s->dbi[DB_UNTRUSTED], &apart) == 0 &&
        apart.ms_entries > 0) { /* trusted now: no longer kept apart */
        int d = mdb_del(s->txn, s->dbi[DB_UNTRUSTED], &kept, NULL);
        if (d != 0 && d != MDB_NOTFOUND) rc = db_fail(s, d, "untrusted");
    }
    memcpy(k, b->issuer, 32);
    proto_be64_put(k + 32, b->sequence);
    if (rc == STORE_OK) rc = db_put(s, DB_CHAIN, k, 40, id, PROTO_ID_BYTES);
    proto_be64_put(k, b->issued_at);
    memcpy(k + 8, id, PROTO_ID_BYTES);
    if (rc == STORE_OK) rc = db_stage(s, DB_BY_TIME, k, 40, "", 0);
    /* Roster records have no region or verdict; they are listed apart, in arrival order. */
    if (proto_kind_is_roster(b->kind))
        return rc == STORE_OK ? db_put(s, DB_ROSTER, arrival, 8, "", 0) : rc;
    if (rc == STORE_OK) rc = put_named(s, b, id);
    if (rc == STORE_OK)
        rc = db_stage(s, DB_BY_REGION, k, index_key(k, b->region, b->issued_at, id), "", 0);
    if (rc == STORE_OK)
        rc = db_stage(s, DB_BY_VERDICT, k, index_key(k, b->verdict, b->issued_at, id), "", 0);
    return rc;
}

int store_keep_untrusted(store *s, const uint8_t *raw, size_t len, const uint8_t id[PROTO_ID_BYTES],
                         int reason)
{
    MDB_val key = {PROTO_ID_BYTES, (void *)id}, val = {len + 1, NULL};
    int rc =
        db_fail(s, mdb_put(s->txn, s->dbi[DB_UNTRUSTED], &key, &val, MDB_RESERVE), "untrusted");
    if (rc == STORE_OK) {
        ((uint8_t *)val.mv_data)[0] = (uint8_t)reason;
        memcpy((uint8_t *)val.mv_data + 1, raw, len);
    }
    return rc;
}

struct untrusted_visit {
    void (*fn)(const uint8_t *raw, size_t len, int reason, void *ctx);
    void *ctx;
};

static int visit_untrusted(const uint8_t *k, size_t kn, const uint8_t *v, size_t vn, void *ctx)
{
    struct untrusted_visit *u = ctx;
    (void)k, (void)kn;
    if (vn > 1) u->fn(v + 1, vn - 1, v[0], u->ctx);
    return 0;
}

int store_untrusted_each(store *s,
                         void (*fn)(const uint8_t *raw, size_t len, int reason, void *ctx),
                         void *ctx)
{
    struct untrusted_visit u = {fn, ctx};
    return store_table_each(s, STORE_T_UNTRUSTED, visit_untrusted, &u);
}

int store_fork(store *s, const struct proto_bulletin *b, const uint8_t *raw, size_t len,
               const uint8_t id[PROTO_ID_BYTES], const uint8_t other_id[PROTO_ID_BYTES])
{
    uint8_t k[72], arrival[8];
    uint64_t count;
    int rc = put_bulletin(s, raw, len, id, arrival);
    memcpy(k, b->issuer, 32);
    proto_be64_put(k + 32, b->sequence);
    memcpy(k + 40, id, PROTO_ID_BYTES);
    if (rc == STORE_OK) rc = db_put(s, DB_FORKS, k, sizeof k, "", 0);
    memcpy(k + 40, other_id, PROTO_ID_BYTES);
    if (rc == STORE_OK) rc = db_put(s, DB_FORKS, k, sizeof k, "", 0);
    if (rc == STORE_OK) rc = next_counter(s, "forks", &count);
    return rc;
}

int db_arrival_of(store *s, MDB_txn *txn, const uint8_t *id, uint8_t at[8])
{
    MDB_val v;
    int rc = db_settle(s, txn);
    if (rc == STORE_OK) rc = db_get(s, txn, DB_BULLETINS, id, PROTO_ID_BYTES, &v);
    if (rc == STORE_OK && v.mv_size != 8) {
        snprintf(s->error, sizeof s->error, _("bulletins: damaged index entry"));
        return STORE_EDB;
    }
    if (rc == STORE_OK) memcpy(at, v.mv_data, 8);
    return rc;
}

/* The bytes of the bulletin id, through the id index; valid inside txn. */
static int get_raw(store *s, MDB_txn *txn, const uint8_t *id, MDB_val *v)
{
    uint8_t at[8];
    int rc = db_arrival_of(s, txn, id, at);
    return rc == STORE_OK ? db_get(s, txn, DB_ARRIVAL, at, 8, v) : rc;
}

int store_get(store *s, const uint8_t id[PROTO_ID_BYTES], uint8_t **raw, size_t *len)
{
    MDB_txn *txn;
    MDB_val v;
    int rc = db_read(s, &txn);
    if (rc != STORE_OK) return rc;
    rc = get_raw(s, txn, id, &v);
    if (rc == STORE_OK) {
        /* LMDB's memory is valid only inside the transaction: copy out. */
        *raw = malloc(v.mv_size);
        if (*raw == NULL)
            rc = STORE_ENOMEM;
        else
            memcpy(*raw, v.mv_data, v.mv_size), *len = v.mv_size;
    }
    db_read_done(s, txn);
    return rc;
}

int store_find_id(store *s, const char *hex, uint8_t id[PROTO_ID_BYTES])
{
    size_t n = strlen(hex);
    uint8_t start[PROTO_ID_BYTES] = {0};
    char want[2 * PROTO_ID_BYTES + 1], got[2 * PROTO_ID_BYTES + 1];
    if (n == 0 || n > 2 * PROTO_ID_BYTES || strspn(hex, "0123456789abcdefABCDEF") != n)
        return STORE_ENOTFOUND;
    for (size_t i = 0; i < n; i++)
        want[i] = (char)(hex[i] | 0x20); /* lower case */
    want[n] = 0;
    /* The lowest id with the prefix: its bytes, then a half byte for an odd last digit. */
    for (size_t i = 0; i + 1 < n; i += 2)
        sodium_hex2bin(start + i / 2, 1, want + i, 2, NULL, NULL, NULL);
    if (n % 2) {
        char last[3] = {want[n - 1], '0', 0};
        sodium_hex2bin(start + n / 2, 1, last, 2, NULL, NULL, NULL);
    }
    MDB_txn *txn;
    MDB_cursor *c;
    MDB_val k = {PROTO_ID_BYTES, start}, v;
    int rc = db_read(s, &txn), found = 0;
    if (rc != STORE_OK) return rc;
    rc = db_fail(s, mdb_cursor_open(txn, s->dbi[DB_BULLETINS], &c), "cursor");
    if (rc == STORE_OK) {
        /* From the first id at or after the prefix's bytes, while ids still start with it. */
        for (int op = MDB_SET_RANGE; found < 2 && mdb_cursor_get(c, &k, &v, op) == 0; op = MDB_NEXT) {
            if (k.mv_size != PROTO_ID_BYTES) continue;
            sodium_bin2hex(got, sizeof got, k.mv_data, PROTO_ID_BYTES);
            if (memcmp(got, want, n) != 0) break;
            if (found++ == 0) memcpy(id, k.mv_data, PROTO_ID_BYTES);
        }
        mdb_cursor_close(c);
    }
    db_read_done(s, txn);
    if (rc != STORE_OK) return rc;
    return found == 0 ? STORE_ENOTFOUND : found > 1 ? STORE_EAMBIGUOUS : STORE_OK;
}

int store_state(store *s, uint8_t **entries, size_t *n)
{
    MDB_txn *txn;
    MDB_cursor *c;
    MDB_val k, v;
    MDB_stat st;
    int rc = db_read(s, &txn);
    if (rc != STORE_OK) return rc;
    mdb_stat(txn, s->dbi[DB_ISSUERS], &st);
    *n = 0;
    *entries = malloc(st.ms_entries * PROTO_STATE_ENTRY + 1);
    rc = *entries == NULL ? STORE_ENOMEM
                          : db_fail(s, mdb_cursor_open(txn, s->dbi[DB_ISSUERS], &c), "cursor");
    if (rc == STORE_OK) {
        for (int op = MDB_FIRST; mdb_cursor_get(c, &k, &v, op) == 0 && *n < st.ms_entries;
             op = MDB_NEXT) {
            if (k.mv_size == PROTO_KEY_BYTES && v.mv_size >= 8) /* head, then the fork flag */
                proto_state_set(*entries, (*n)++, k.mv_data, proto_be64_get(v.mv_data));
        }
        mdb_cursor_close(c);
    }
    db_read_done(s, txn);
    return rc;
}

/* Visit the bulletin of each id found under cursor positions; shared by the queries. */
static int visit_id(store *s, MDB_txn *txn, const uint8_t *id, store_visit_fn fn, void *ctx)
{
    MDB_val v;
    if (get_raw(s, txn, id, &v) != STORE_OK) return 0;
    return fn(v.mv_data, v.mv_size, ctx);
}

int store_range(store *s, const uint8_t *issuer, uint64_t from, size_t max, store_visit_fn fn,
                void *ctx)
{
    MDB_txn *txn;
    MDB_cursor *c;
    uint8_t key[40];
    int rc = db_read(s, &txn);
    if (rc != STORE_OK) return rc;
    if ((rc = db_fail(s, mdb_cursor_open(txn, s->dbi[DB_CHAIN], &c), "cursor")) == STORE_OK) {
        memcpy(key, issuer, 32);
        proto_be64_put(key + 32, from);
        MDB_val k = {40, key}, v;
        size_t count = 0;
        for (int op = MDB_SET_RANGE; count < max && mdb_cursor_get(c, &k, &v, op) == 0;
             op = MDB_NEXT, count++) {
            if (k.mv_size != 40 || memcmp(k.mv_data, issuer, 32) != 0) break;
            if (visit_id(s, txn, v.mv_data, fn, ctx)) break;
        }
        mdb_cursor_close(c);
    }
    db_read_done(s, txn);
    return rc;
}

int store_table_each(store *s, enum store_table t,
                     int (*fn)(const uint8_t *k, size_t kn, const uint8_t *v, size_t vn, void *ctx),
                     void *ctx)
{
    static const int dbs[] = {DB_ARRIVAL,   DB_BULLETINS,   DB_CHAIN,     DB_ISSUERS, DB_FORKS,
                              DB_UNTRUSTED, DB_CHECKPOINTS, DB_WITNESSED, DB_EVIDENCE};
    MDB_txn *txn;
    MDB_cursor *c;
    if ((int)t < 0 || (size_t)t >= sizeof dbs / sizeof dbs[0]) return STORE_EDB;
    if (s->absent[dbs[t]]) return STORE_OK; /* a table an older node did not make: empty */
    int rc = db_read(s, &txn);
    if (rc != STORE_OK) return rc;
    if ((rc = db_settle(s, txn)) == STORE_OK &&
        (rc = db_fail(s, mdb_cursor_open(txn, s->dbi[dbs[t]], &c), "cursor")) == STORE_OK) {
        MDB_val k, v;
        for (int op = MDB_FIRST; mdb_cursor_get(c, &k, &v, op) == 0; op = MDB_NEXT)
            if (fn(k.mv_data, k.mv_size, v.mv_data, v.mv_size, ctx)) break;
        mdb_cursor_close(c);
    }
    db_read_done(s, txn);
    return rc;
}

int store_named(store *s, const uint8_t id[PROTO_ID_BYTES], store_visit_fn fn, void *ctx)
{
    MDB_txn *txn;
    MDB_cursor *c;
    if (s->absent[DB_NAMED]) return STORE_OK;
    int rc = db_read(s, &txn);
    if (rc != STORE_OK) return rc;
    if ((rc = db_fail(s, mdb_cursor_open(txn, s->dbi[DB_NAMED], &c), "cursor")) == STORE_OK) {
        MDB_val k = {PROTO_ID_BYTES, (void *)id}, v, raw;
        uint8_t at[8];
        for (int op = MDB_SET_RANGE; rc == STORE_OK && mdb_cursor_get(c, &k, &v, op) == 0;
             op = MDB_NEXT) {
            if (k.mv_size != 2 * PROTO_ID_BYTES || memcmp(k.mv_data, id, PROTO_ID_BYTES) != 0)
                break;
            const uint8_t *named = (const uint8_t *)k.mv_data + PROTO_ID_BYTES;
            rc = db_arrival_of(s, txn, named, at);
            if (rc == STORE_OK) rc = db_get(s, txn, DB_ARRIVAL, at, 8, &raw);
            if (rc == STORE_OK && fn(raw.mv_data, raw.mv_size, ctx)) break;
        }
        mdb_cursor_close(c);
    }
    db_read_done(s, txn);
    return rc;
}

/* Whether raw (decoded into b) is the accepted bulletin at its place, not fork evidence. */
static bool accepted(store *s, MDB_txn *txn, const uint8_t *raw, size_t len,
                     struct proto_bulletin *b)
{
    uint8_t k[PROTO_KEY_BYTES + 8], id[PROTO_ID_BYTES];
    MDB_val v;
    if (proto_bulletin_decode(b, raw, len, NULL) != PROTO_OK) return false;
    memcpy(k, b->issuer, PROTO_KEY_BYTES);
    proto_be64_put(k + PROTO_KEY_BYTES, b->sequence);
    if (db_get(s, txn, DB_CHAIN, k, sizeof k, &v) != STORE_OK || v.mv_size != PROTO_ID_BYTES)
        return false;
    proto_bulletin_id(raw, len, id);
    return memcmp(v.mv_data, id, PROTO_ID_BYTES) == 0;
}

int store_arrivals(store *s, uint64_t from, bool backward, store_arrival_fn fn, void *ctx)
{
    MDB_txn *txn;
    MDB_cursor *c;
    struct proto_bulletin *b = malloc(sizeof *b);
    if (b == NULL) return STORE_ENOMEM;
    int rc = db_read(s, &txn);
    if (rc != STORE_OK) {
        free(b);
        return rc;
    }
    if ((rc = db_fail(s, mdb_cursor_open(txn, s->dbi[DB_ARRIVAL], &c), "cursor")) == STORE_OK) {
        uint8_t at[8];
        proto_be64_put(at, from);
        MDB_val k = {8, at}, v;
        int got = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
        if (backward && got != 0) { /* past the end: start from the last */
            got = mdb_cursor_get(c, &k, &v, MDB_LAST);
        } else if (backward && got == 0 && k.mv_size == 8 && proto_be64_get(k.mv_data) > from) {
            got = mdb_cursor_get(c, &k, &v, MDB_PREV);
        }
        for (; got == 0; got = mdb_cursor_get(c, &k, &v, backward ? MDB_PREV : MDB_NEXT)) {
            if (k.mv_size != 8) continue;
            if (accepted(s, txn, v.mv_data, v.mv_size, b) &&
                fn(proto_be64_get(k.mv_data), b, v.mv_data, v.mv_size, ctx))
                break;
        }
        mdb_cursor_close(c);
    }
    db_read_done(s, txn);
    free(b);
    return rc;
}

int store_roster_each(store *s, store_visit_fn fn, void *ctx)
{
    MDB_txn *txn;
    MDB_cursor *c;
    if (s->absent[DB_ROSTER]) return STORE_OK;
    int rc = db_read(s, &txn);
    if (rc != STORE_OK) return rc;
    if ((rc = db_fail(s, mdb_cursor_open(txn, s->dbi[DB_ROSTER], &c), "cursor")) == STORE_OK) {
        MDB_val k, v, raw;
        for (int op = MDB_FIRST; rc == STORE_OK && mdb_cursor_get(c, &k, &v, op) == 0;
             op = MDB_NEXT) {
            rc = k.mv_size == 8 ? db_get(s, txn, DB_ARRIVAL, k.mv_data, 8, &raw) : STORE_EDB;
            if (rc == STORE_OK && fn(raw.mv_data, raw.mv_size, ctx)) break;
        }
        mdb_cursor_close(c);
    }
    db_read_done(s, txn);
    return rc;
}

/* Does the decoded bulletin pass the filter's per-bulletin tests? */
static bool matches(const struct store_filter *f, const struct proto_bulletin *b)
{
    if (f->issuer && memcmp(b->issuer, f->issuer, 32) != 0) return false;
    if (f->since && b->issued_at < f->since) return false;
    if (f->until && b->issued_at > f->until) return false;
    if (f->verdict &&
        (b->verdict.n != strlen(f->verdict) || memcmp(b->verdict.p, f->verdict, b->verdict.n) != 0))
        return false;
    if (f->region) {
        size_t n = strlen(f->region);
        if (b->region.n < n || memcmp(b->region.p, f->region, n) != 0) return false;
        if (b->region.n > n && n > 0 && b->region.p[n] != '.') return false;
    }
    return true;
}

struct list_ctx {
    const struct store_filter *f;
    store_visit_fn fn;
    void *ctx;
    size_t count;
    struct proto_bulletin b; /* decoding room for each candidate */
};

static int list_one(const uint8_t *raw, size_t len, void *p)
{
    struct list_ctx *l = p;
    if (proto_bulletin_decode(&l->b, raw, len, NULL) != PROTO_OK || !matches(l->f, &l->b)) return 0;
    l->count++;
    if (l->fn(raw, len, l->ctx)) return 1;
    return l->f->limit && l->count >= l->f->limit;
}

/* An index entry found by a label scan: when, and which bulletin. */
struct hit {
    uint64_t at;
    uint8_t id[PROTO_ID_BYTES];
};

static int newest_first(const void *a, const void *b)
{
    const struct hit *x = a, *y = b;
    return x->at < y->at ? 1 : x->at > y->at ? -1 : memcmp(x->id, y->id, PROTO_ID_BYTES);
}

/* Collect the entries of a label index (label | 00 | at | id) whose label is `label` or, for
 * regions, a code inside it ("17" -> "17", "17.71", ...). */
static int scan_label(store *s, MDB_txn *txn, int db, const char *label, bool inside,
                      struct hit **hits, size_t *n)
{
    MDB_cursor *c;
    size_t len = strlen(label), cap = 0;
    int rc = db_fail(s, mdb_cursor_open(txn, s->dbi[db], &c), "cursor");
    *hits = NULL, *n = 0;
    if (rc != STORE_OK) return rc;
    MDB_val k = {len, (void *)label}, v;
    for (int op = MDB_SET_RANGE; mdb_cursor_get(c, &k, &v, op) == 0; op = MDB_NEXT) {
        const uint8_t *key = k.mv_data;
        if (k.mv_size < len + 41 || memcmp(key, label, len) != 0) break;
        uint8_t next = key[len];
        if (next != 0 && !(inside && next == '.' && len > 0)) continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 256;
            struct hit *h = realloc(*hits, cap * sizeof *h);
            if (h == NULL) {
                rc = STORE_ENOMEM;
                break;
            }
            *hits = h;
        }
        (*hits)[*n].at = proto_be64_get(key + k.mv_size - 40);
        memcpy((*hits)[*n].id, key + k.mv_size - 32, PROTO_ID_BYTES);
        (*n)++;
    }
    mdb_cursor_close(c);
    qsort(*hits, *n, sizeof **hits, newest_first);
    return rc;
}

int store_list(store *s, const struct store_filter *f, store_visit_fn fn, void *ctx)
{
    MDB_txn *txn;
    MDB_cursor *c;
    MDB_val k, v;
    struct list_ctx l = {.f = f, .fn = fn, .ctx = ctx};
    int rc = db_read(s, &txn);
    if (rc != STORE_OK) return rc;
    if ((rc = db_settle(s, txn)) != STORE_OK) {
        db_read_done(s, txn);
        return rc;
    }
    if (f->verdict || (f->region && f->region[0])) {
        /* A label index narrows the scan; matches() still checks every other condition. */
        struct hit *hits;
        size_t n;
        rc = f->verdict ? scan_label(s, txn, DB_BY_VERDICT, f->verdict, false, &hits, &n)
                        : scan_label(s, txn, DB_BY_REGION, f->region, true, &hits, &n);
        for (size_t i = 0; rc == STORE_OK && i < n; i++) {
            if ((f->until && hits[i].at > f->until) || (f->since && hits[i].at < f->since))
                continue;
            if (visit_id(s, txn, hits[i].id, list_one, &l)) break;
        }
        free(hits);
    } else if ((rc = db_fail(s, mdb_cursor_open(txn, s->dbi[DB_BY_TIME], &c), "cursor")) ==
               STORE_OK) {
        /* Newest first over the time index. */
        for (int op = MDB_LAST; mdb_cursor_get(c, &k, &v, op) == 0; op = MDB_PREV) {
            if (k.mv_size != 40) continue;
            uint64_t at = proto_be64_get(k.mv_data);
            if (f->until && at > f->until) continue;
            if (f->since && at < f->since) break;
            if (visit_id(s, txn, (uint8_t *)k.mv_data + 8, list_one, &l)) break;
        }
        mdb_cursor_close(c);
    }
    db_read_done(s, txn);
    return rc;
}

int store_stats(store *s, struct store_stats *st)
{
    MDB_txn *txn;
    MDB_stat ms;
    MDB_envinfo info;
    MDB_val v;
    int rc = db_read(s, &txn);
    if (rc != STORE_OK) return rc;
    memset(st, 0, sizeof *st);
    mdb_stat(txn, s->dbi[DB_CHAIN], &ms);
    st->bulletins = ms.ms_entries;
    mdb_stat(txn, s->dbi[DB_ISSUERS], &ms);
    st->issuers = ms.ms_entries;
    mdb_stat(txn, s->dbi[DB_FORKS], &ms);
    st->fork_evidence = ms.ms_entries;
    if (!s->absent[DB_UNTRUSTED] && mdb_stat(txn, s->dbi[DB_UNTRUSTED], &ms) == 0)
        st->untrusted = ms.ms_entries;
    if (db_get(s, txn, DB_META, "forks", 5, &v) == STORE_OK && v.mv_size == 8)
        st->fork_events = proto_be64_get(v.mv_data);
    mdb_env_info(s->env, &info);
    st->map_size = info.me_mapsize;
    db_read_done(s, txn);
    return STORE_OK;
}

int store_named_source(void *s, const uint8_t id[PROTO_ID_BYTES], store_visit_fn fn, void *ctx)
{
    return store_named(s, id, fn, ctx) == STORE_OK ? 0 : -1;
}
