/* test_ingest.c - the node's store and ingest: chains, gaps, duplicates, forks, rejections,
 * map growth, and readers in another handle while the writer runs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "gen.h"
#include "ingest.h"

#define N 40

static char dir[64];
static store *st;
static ingest *in;
static uint8_t raw[N][PROTO_BULLETIN_MAX];
static size_t len[N];

static int setup(void **state)
{
    (void)state;
    char err[256];
    strcpy(dir, "/tmp/warta-test-store-XXXXXX");
    if (mkdtemp(dir) == NULL) return -1;
    st = store_open_sized(dir, false, 1u << 20, err, sizeof err);
    in = st ? ingest_new(st, 2) : NULL;
    /* One issuer's chain of N bulletins, about 1 KiB each. */
    struct gen_chain c;
    gen_chain_init(&c, 0x31, 0);
    for (int i = 0; i < N; i++)
        len[i] = gen_next(&c, 1024, 0, raw[i]);
    gen_chain_free(&c);
    return in ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    ingest_destroy(&in);
    store_close(&st);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* ingest_batch, then ingest_flush: everything accepted is committed and in news. */
static int batch(struct ingest_item *items, size_t k, struct ingest_news *news)
{
    int rc = ingest_batch(in, items, k, news);
    int frc = ingest_flush(in, news);
    return rc != STORE_OK ? rc : frc;
}

/* Ingest raw[idx[0..k)] as one batch; returns the results in res. */
static void feed(const int *idx, size_t k, int *res, struct ingest_news *news)
{
    struct ingest_item items[N] = {0};
    for (size_t i = 0; i < k; i++)
        items[i].raw = raw[idx[i]], items[i].len = len[idx[i]];
    assert_int_equal(batch(items, k, news), STORE_OK);
    for (size_t i = 0; i < k; i++)
        res[i] = items[i].result;
}

static uint64_t head(void)
{
    uint64_t h;
    bool forked;
    struct proto_bulletin b;
    assert_int_equal(proto_bulletin_decode(&b, raw[0], len[0], NULL), PROTO_OK);
    assert_int_equal(store_head(st, b.issuer, &h, &forked), STORE_OK);
    return h;
}

static void chain_in_order_is_accepted(void **state)
{
    (void)state;
    int idx[3] = {0, 1, 2}, res[3];
    struct ingest_news news = {0};
    feed(idx, 3, res, &news);
    for (int i = 0; i < 3; i++)
        assert_int_equal(res[i], INGEST_ACCEPTED);
    assert_int_equal(news.n_ids, 3);
    assert_int_equal(head(), 3);
    ingest_news_clear(&news);
}

static void gap_waits_then_fills(void **state)
{
    (void)state;
    int later[2] = {5, 4}, res[2], fill[2] = {3, 3};
    struct ingest_news news = {0};
    feed(later, 2, res, &news);
    assert_int_equal(res[0], INGEST_PENDING);
    assert_int_equal(res[1], INGEST_PENDING);
    assert_true(news.has_gap);
    assert_int_equal(news.gap_from, 4);
    assert_int_equal(ingest_pending_count(in), 2);
    assert_int_equal(head(), 3);
    ingest_news_clear(&news);
    feed(fill, 2, res, &news); /* the missing one, twice in one batch */
    assert_int_equal(res[0], INGEST_ACCEPTED);
    assert_int_equal(res[1], INGEST_DUPLICATE);
    assert_int_equal(head(), 6); /* 4 and 5 drained from pending */
    assert_int_equal(ingest_pending_count(in), 0);
    assert_int_equal(news.n_ids, 3);
    ingest_news_clear(&news);
}

static void replays_are_duplicates(void **state)
{
    (void)state;
    int idx[2] = {0, 5}, res[2];
    struct ingest_news news = {0};
    feed(idx, 2, res, &news);
    assert_int_equal(res[0], INGEST_DUPLICATE);
    assert_int_equal(res[1], INGEST_DUPLICATE);
    assert_int_equal(news.n_ids, 0);
    ingest_news_clear(&news);
}

static void forged_and_malformed_are_refused_and_not_stored(void **state)
{
    (void)state;
    static uint8_t bad[PROTO_BULLETIN_MAX];
    struct ingest_item items[2] = {{.raw = bad, .len = len[6]}, {.raw = raw[6], .len = 50}};
    struct ingest_news news = {0};
    memcpy(bad, raw[6], len[6]);
    bad[200] ^= 4;
    assert_int_equal(batch(items, 2, &news), STORE_OK);
    assert_int_equal(items[0].result, INGEST_BAD_SIGNATURE);
    assert_int_equal(items[1].result, INGEST_MALFORMED);
    assert_false(store_has(st, items[0].id));
    assert_int_equal(head(), 6);
    ingest_news_clear(&news);
}

static void equivocation_is_kept_as_evidence(void **state)
{
    (void)state;
    struct gen_chain c;
    static uint8_t other[PROTO_BULLETIN_MAX];
    gen_chain_init(&c, 0x31, 0); /* the same issuer, a different bulletin at sequence 1 */
    size_t n = gen_next(&c, 1024, 9, other);
    gen_chain_free(&c);
    struct ingest_item item = {.raw = other, .len = n};
    struct ingest_news news = {0};
    assert_int_equal(batch(&item, 1, &news), STORE_OK);
    assert_int_equal(item.result, INGEST_FORK);
    assert_true(store_has(st, item.id));
    assert_int_equal(news.n_ids, 1); /* announced, so peers see the fork too */
    struct store_stats s;
    assert_int_equal(store_stats(st, &s), STORE_OK);
    assert_int_equal(s.fork_events, 1);
    assert_int_equal(s.fork_evidence, 2);
    uint64_t h;
    bool forked;
    struct proto_bulletin b;
    proto_bulletin_decode(&b, other, n, NULL);
    store_head(st, b.issuer, &h, &forked);
    assert_true(forked);
    ingest_news_clear(&news);
}

/* Copies of a new bulletin and a fork of it in one batch: one copy is a duplicate, the two
 * bulletins are one accepted and one fork; sent again, both are duplicates. */
static void copies_and_a_fork_in_one_batch(void **state)
{
    (void)state;
    static uint8_t x[PROTO_BULLETIN_MAX], y[PROTO_BULLETIN_MAX];
    struct gen_chain c, d;
    gen_chain_init(&c, 0x79, 0);
    gen_chain_init(&d, 0x79, 0); /* the same issuer, another text at sequence 1 */
    size_t nx = gen_next(&c, 600, 0, x), ny = gen_next(&d, 600, 5, y);
    gen_chain_free(&c);
    gen_chain_free(&d);
    struct ingest_item items[3] = {
        {.raw = x, .len = nx}, {.raw = y, .len = ny}, {.raw = x, .len = nx}};
    struct ingest_news news = {0};
    assert_int_equal(batch(items, 3, &news), STORE_OK);
    int r[INGEST_UNTRUSTED + 1] = {0};
    for (int i = 0; i < 3; i++)
        r[items[i].result]++;
    assert_int_equal(r[INGEST_ACCEPTED], 1);
    assert_int_equal(r[INGEST_FORK], 1);
    assert_int_equal(r[INGEST_DUPLICATE], 1);
    assert_int_equal(items[0].result == INGEST_DUPLICATE || items[2].result == INGEST_DUPLICATE, 1);
    ingest_news_clear(&news);
    struct ingest_item again[2] = {{.raw = y, .len = ny}, {.raw = x, .len = nx}};
    assert_int_equal(batch(again, 2, &news), STORE_OK);
    assert_int_equal(again[0].result, INGEST_DUPLICATE);
    assert_int_equal(again[1].result, INGEST_DUPLICATE);
    assert_int_equal(news.n_ids, 0);
    ingest_news_clear(&news);
}

/* The news names where each bulletin came from (the item's origin), also for one that waited
 * for its predecessor and for fork evidence, so the node does not announce it back there. */
static void news_carries_each_origin(void **state)
{
    (void)state;
    static uint8_t r[3][PROTO_BULLETIN_MAX];
    size_t n[3];
    struct gen_chain c, d;
    gen_chain_init(&c, 0x7a, 0);
    gen_chain_init(&d, 0x7a, 0);
    n[0] = gen_next(&c, 600, 0, r[0]);
    n[1] = gen_next(&c, 600, 0, r[1]);
    n[2] = gen_next(&d, 600, 3, r[2]); /* another bulletin at sequence 1 */
    gen_chain_free(&c);
    gen_chain_free(&d);
    struct ingest_item second = {.raw = r[1], .len = n[1], .origin = 22};
    struct ingest_item first = {.raw = r[0], .len = n[0], .origin = 11};
    struct ingest_item fork = {.raw = r[2], .len = n[2], .origin = 33};
    struct ingest_news news = {0};
    assert_int_equal(batch(&second, 1, &news), STORE_OK);
    assert_int_equal(second.result, INGEST_PENDING);
    assert_int_equal(batch(&first, 1, &news), STORE_OK);
    assert_int_equal(batch(&fork, 1, &news), STORE_OK);
    assert_int_equal(fork.result, INGEST_FORK);
    assert_int_equal(news.n_ids, 3);
    const struct ingest_item *want[3] = {&first, &second, &fork};
    for (int i = 0; i < 3; i++) {
        assert_memory_equal(news.ids + i * PROTO_ID_BYTES, want[i]->id, PROTO_ID_BYTES);
        assert_int_equal(news.origins[i], want[i]->origin);
    }
    ingest_news_clear(&news);
}

static uint64_t n_full; /* bulletins the full-map test stored */

static void full_map_grows_instead_of_failing(void **state)
{
    (void)state;
    struct gen_chain c;
    static uint8_t b[PROTO_BULLETIN_MAX];
    struct store_stats s;
    store_stats(st, &s);
    uint64_t before = s.map_size;
    gen_chain_init(&c, 0x77, 1);
    /* More 16 KB bulletins than the map holds now (it opened at 1 MiB; earlier tests and
     * ingest's own room checks may have grown it since). */
    n_full = before / 16000 + 20;
    for (uint64_t i = 0; i < n_full; i++) {
        struct ingest_item item = {.raw = b, .len = gen_next(&c, 16000, 0, b)};
        struct ingest_news news = {0};
        assert_int_equal(batch(&item, 1, &news), STORE_OK);
        assert_int_equal(item.result, INGEST_ACCEPTED);
        ingest_news_clear(&news);
    }
    gen_chain_free(&c);
    store_stats(st, &s);
    assert_true(s.map_size > before);
}

/* A map short of room grows before a transaction begins, enough for the transaction to fill
 * up to its count: a small map does not make every batch a commit of its own. */
static void small_map_grows_before_a_transaction_fills(void **state)
{
    (void)state;
    enum { K = 64, BATCHES = 8 };
    static uint8_t b[K * BATCHES][PROTO_BULLETIN_MAX];
    static struct ingest_item items[K * BATCHES];
    char d[64] = "/tmp/warta-test-small-XXXXXX", err[256], cmd[128];
    assert_non_null(mkdtemp(d));
    store *small = store_open_sized(d, false, 1u << 20, err, sizeof err);
    assert_non_null(small);
    ingest *g = ingest_new(small, 2);
    assert_non_null(g);
    struct gen_chain c;
    gen_chain_init(&c, 0x78, 0);
    for (int i = 0; i < K * BATCHES; i++)
        items[i] = (struct ingest_item){.raw = b[i], .len = gen_next(&c, 1024, 0, b[i])};
    gen_chain_free(&c);
    struct ingest_news news = {0};
    for (int k = 0; k < BATCHES; k++) {
        assert_int_equal(ingest_batch(g, items + k * K, K, &news), STORE_OK);
        assert_int_equal(items[k * K + K - 1].result, INGEST_ACCEPTED);
        assert_int_equal(news.n_ids, 0); /* still one open transaction */
    }
    assert_int_equal(ingest_transactions(g), 1);
    assert_int_equal(ingest_flush(g, &news), STORE_OK);
    assert_int_equal(news.n_ids, K * BATCHES);
    ingest_news_clear(&news);
    ingest_destroy(&g);
    store_close(&small);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", d);
    assert_int_equal(system(cmd), 0);
}

/* A batch larger than one transaction chunk, shuffled, is accepted whole and in order. */
static void large_shuffled_batch_is_accepted_whole(void **state)
{
    (void)state;
    enum { BIG = 1300 };
    static uint8_t store_buf[BIG][1400];
    static struct ingest_item items[BIG];
    struct gen_chain c;
    gen_chain_init(&c, 0x55, 2);
    for (int i = 0; i < BIG; i++) {
        static uint8_t b[PROTO_BULLETIN_MAX];
        size_t n = gen_next(&c, 1000, 0, b);
        assert_true(n <= sizeof store_buf[i]);
        memcpy(store_buf[i], b, n);
        items[i] = (struct ingest_item){.raw = store_buf[i], .len = n};
    }
    for (int i = BIG - 1; i > 0; i--) { /* Fisher-Yates with a fixed sequence */
        int j = (int)((unsigned)(i * 2654435761u) % (unsigned)(i + 1));
        struct ingest_item t = items[i];
        items[i] = items[j], items[j] = t;
    }
    struct ingest_news news = {0};
    assert_int_equal(batch(items, BIG, &news), STORE_OK);
    for (int i = 0; i < BIG; i++)
        assert_int_equal(items[i].result, INGEST_ACCEPTED);
    assert_int_equal(news.n_ids, BIG);
    uint64_t h;
    bool forked;
    int hrc = store_head(st, keys_secret_pk(c.key), &h, &forked);
    if (hrc != STORE_OK) fail_msg("store_head: %d %s", hrc, store_error(st));
    assert_int_equal(h, BIG);
    gen_chain_free(&c);
    ingest_news_clear(&news);
}

static int count_one(const uint8_t *r, size_t n, void *ctx)
{
    (void)r, (void)n;
    (*(int *)ctx)++;
    return 0;
}

/* The checks of the reader below, run in a child process: LMDB forbids opening one
 * environment twice in a process, and warta list/get are other processes anyway. Returns 0
 * when all hold, else the number of the first that failed. */
static int reader_checks(void)
{
    char err[256];
    store *ro = store_open(dir, true, err, sizeof err);
    if (ro == NULL) return 1;
    struct store_stats s;
    uint64_t want = 6 + n_full; /* the earlier tests' 6, and the full-map test's */
    if (store_stats(ro, &s) != STORE_OK || s.bulletins != want) return 2;
    int all = 0, region = 0, city = 0, sum = 0, limited = 0;
    struct store_filter f = {0}, g = {0};
    if (store_list(ro, &f, count_one, &all) != STORE_OK || (uint64_t)all != want) return 3;
    f.region = "17";
    if (store_list(ro, &f, count_one, &region) != STORE_OK || region <= 0 || region >= all)
        return 4;
    g.region = "17.71"; /* "17" includes "17.71" */
    if (store_list(ro, &g, count_one, &city) != STORE_OK || city <= 0 || city >= region) return 5;
    /* Every bulletin has one of the four verdicts the generator uses. */
    static const char *const verdicts[] = {"HOAKS", "DISINFORMASI", "MISINFORMASI", "KLARIFIKASI"};
    for (int i = 0; i < 4; i++) {
        int k = 0;
        struct store_filter h = {0};
        h.verdict = verdicts[i];
        if (store_list(ro, &h, count_one, &k) != STORE_OK || k <= 0) return 6;
        sum += k;
    }
    if (sum != all) return 7;
    g.region = "17", g.verdict = "HOAKS", g.limit = 1;
    if (store_list(ro, &g, count_one, &limited) != STORE_OK || limited != 1) return 8;
    store_close(&ro);
    return 0;
}

static void another_reader_sees_committed_bulletins(void **state)
{
    (void)state;
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) _exit(reader_checks());
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    if (WEXITSTATUS(status) != 0) fail_msg("reader check %d failed", WEXITSTATUS(status));
}

/* Whether a store reader in another process sees the bulletin with this id (1), not (0). */
static int seen_elsewhere(const uint8_t *id)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        char err[256];
        store *ro = store_open(dir, true, err, sizeof err);
        _exit(ro == NULL ? 2 : store_has(ro, id) ? 1 : 0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) < 2);
    return WEXITSTATUS(status);
}

static int count_visit(const uint8_t *r, size_t n, void *ctx)
{
    (void)r, (void)n;
    ++*(int *)ctx;
    return 0;
}

/* Bulletins listed by b's issuer (the time index) plus those under b's verdict (its index). */
static int listed_like(const struct proto_bulletin *b)
{
    char verdict[PROTO_MAX_VERDICT + 1];
    int n = 0;
    memcpy(verdict, b->verdict.p, b->verdict.n);
    verdict[b->verdict.n] = 0;
    struct store_filter by_issuer = {.issuer = b->issuer}, by_verdict = {.verdict = verdict};
    assert_int_equal(store_list(st, &by_issuer, count_visit, &n), STORE_OK);
    assert_int_equal(store_list(st, &by_verdict, count_visit, &n), STORE_OK);
    return n;
}

/* The id, time, region and verdict entries of a transaction are held back and written in key
 * order: reads inside the transaction still see them, an abort drops them with the rest, and
 * a commit writes them for every reader. */
static void held_back_index_entries_are_read_committed_or_dropped(void **state)
{
    (void)state;
    enum { K = 3 };
    static uint8_t r[K][PROTO_BULLETIN_MAX];
    size_t n[K];
    struct proto_bulletin b[K];
    uint8_t id[K][PROTO_ID_BYTES], *got;
    size_t got_len;
    struct gen_chain c;
    gen_chain_init(&c, 0x77, 9); /* an issuer of its own: its chain starts here */
    for (int i = 0; i < K; i++) {
        n[i] = gen_next(&c, 1024, 0, r[i]);
        assert_int_equal(proto_bulletin_decode(&b[i], r[i], n[i], NULL), PROTO_OK);
        proto_bulletin_id(r[i], n[i], id[i]);
    }
    gen_chain_free(&c);
    int listed = listed_like(&b[0]), more = K; /* each by its issuer, and some by verdict */
    for (int i = 0; i < K; i++)
        more += b[i].verdict.n == b[0].verdict.n &&
                memcmp(b[i].verdict.p, b[0].verdict.p, b[0].verdict.n) == 0;
    for (int round = 0; round < 2; round++) {
        assert_int_equal(store_begin(st), STORE_OK);
        for (int i = 0; i < K; i++)
            assert_int_equal(store_accept(st, &b[i], r[i], n[i], id[i]), STORE_OK);
        assert_true(store_has(st, id[2]));
        assert_int_equal(store_get(st, id[1], &got, &got_len), STORE_OK);
        assert_int_equal(got_len, n[1]);
        assert_memory_equal(got, r[1], n[1]);
        free(got);
        assert_int_equal(listed_like(&b[0]), listed + more);
        if (round == 0) {
            store_abort(st);
            for (int i = 0; i < K; i++)
                assert_false(store_has(st, id[i]));
            assert_int_equal(listed_like(&b[0]), listed);
        }
    }
    assert_int_equal(store_set_head(st, b[K - 1].issuer, b[K - 1].sequence, false), STORE_OK);
    assert_int_equal(store_commit(st), STORE_OK);
    for (int i = 0; i < K; i++)
        assert_int_equal(seen_elsewhere(id[i]), 1);
    assert_int_equal(listed_like(&b[0]), listed + more);
}

/* Accepted bulletins wait in an open transaction that later batches keep filling; they are
 * committed by ingest_flush, or once the transaction holds 8192 (at the start of the batch
 * after), and only then announced and visible to other processes. */
static void open_transaction_commits_when_flushed_or_full(void **state)
{
    (void)state;
    struct gen_chain c;
    enum { K = 1024, BATCHES = 9 };
    static uint8_t b[K * BATCHES][2048]; /* gen_next writes about 300 bytes; room to spare */
    static struct ingest_item items[K * BATCHES];
    gen_chain_init(&c, 0x66, 3);
    for (int i = 0; i < K * BATCHES; i++)
        items[i] = (struct ingest_item){.raw = b[i], .len = gen_next(&c, 300, 0, b[i])};
    gen_chain_free(&c);
    /* A map with room to spare, so that only the count decides when to commit here (a map
     * short of room makes ingest commit early, and grow). */
    while (!store_has_room(st, 64u << 20))
        assert_int_equal(store_grow(st), STORE_OK);
    struct ingest_news news = {0};
    assert_int_equal(ingest_batch(in, items, 2, &news), STORE_OK);
    assert_int_equal(items[0].result, INGEST_ACCEPTED);
    assert_int_equal(news.n_ids, 0); /* not committed: not announced */
    assert_true(ingest_has_open(in));
    assert_true(store_has(st, items[1].id)); /* this process sees its open transaction */
    assert_int_equal(seen_elsewhere(items[0].id), 0);
    assert_int_equal(ingest_batch(in, items + 2, 2, &news), STORE_OK);
    assert_int_equal(news.n_ids, 0); /* the same transaction took the second batch */
    assert_int_equal(seen_elsewhere(items[1].id), 0);
    assert_int_equal(ingest_flush(in, &news), STORE_OK);
    assert_int_equal(news.n_ids, 4);
    assert_memory_equal(news.ids, items[0].id, PROTO_ID_BYTES);
    assert_false(ingest_has_open(in));
    assert_int_equal(seen_elsewhere(items[3].id), 1);
    ingest_news_clear(&news);
    /* 8 x 1024 more fill the transaction; the next batch commits them as it starts. */
    for (int k = 0; k < 8; k++) {
        assert_int_equal(ingest_batch(in, items + 4 + k * K, K, &news), STORE_OK);
        assert_int_equal(news.n_ids, 0);
    }
    assert_int_equal(seen_elsewhere(items[4 + 8 * K - 1].id), 0);
    assert_int_equal(ingest_batch(in, items + 4 + 8 * K, K - 4, &news), STORE_OK);
    assert_int_equal(news.n_ids, 8 * K);
    assert_int_equal(seen_elsewhere(items[4 + 8 * K - 1].id), 1);
    assert_int_equal(seen_elsewhere(items[K * BATCHES - 1].id), 0);
    assert_int_equal(ingest_flush(in, &news), STORE_OK);
    assert_int_equal(news.n_ids, 8 * K + K - 4); /* the news since the first flush */
    ingest_news_clear(&news);
}

/* A policy that keeps state as the node's roster does: what it accepted counts only once the
 * transaction commits. */
struct counting_policy {
    size_t tentative, kept; /* accepted since the last commit; accepted and committed */
    size_t committed, aborted;
};

static int count_in(void *ctx, const struct proto_bulletin *b, const uint8_t *r, size_t n,
                    const uint8_t *id)
{
    (void)b, (void)r, (void)n, (void)id;
    ((struct counting_policy *)ctx)->tentative++;
    return 0;
}

static void count_done(void *ctx, enum ingest_txn what)
{
    struct counting_policy *p = ctx;
    if (what == INGEST_TXN_COMMITTED) {
        p->kept += p->tentative;
        p->committed++;
    } else {
        p->aborted++;
    }
    p->tentative = 0;
}

/* A commit that fails (here: the file may not grow) is reported to the policy as aborted, so
 * it drops what it took in; offered again after, the same bulletins are accepted and kept. */
static void policy_hears_a_failed_commit(void **state)
{
    (void)state;
    enum { FIRST = 10, THEN = 60 };
    static uint8_t b[FIRST + THEN][PROTO_BULLETIN_MAX];
    struct ingest_item items[FIRST + THEN];
    char d[64] = "/tmp/warta-test-abort-XXXXXX", err[256], cmd[128], file[96];
    assert_non_null(mkdtemp(d));
    store *s = store_open_sized(d, false, 8u << 20, err, sizeof err);
    assert_non_null(s);
    ingest *g = ingest_new(s, 1);
    assert_non_null(g);
    struct counting_policy pol = {0};
    ingest_set_policy(g, count_in, count_done, &pol);
    struct gen_chain c;
    gen_chain_init(&c, 0x79, 0);
    for (int i = 0; i < FIRST + THEN; i++)
        items[i] = (struct ingest_item){.raw = b[i], .len = gen_next(&c, 2048, 0, b[i])};
    gen_chain_free(&c);
    struct ingest_news news = {0};
    assert_int_equal(ingest_batch(g, items, FIRST, &news), STORE_OK);
    assert_int_equal(ingest_flush(g, &news), STORE_OK);
    assert_int_equal(pol.kept, FIRST);

    /* The store's file may not grow now: the next commit cannot write its pages. */
    struct stat sb;
    struct rlimit was, now;
    snprintf(file, sizeof file, "%s/data.mdb", d);
    assert_int_equal(stat(file, &sb), 0);
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &was), 0);
    now = was;
    now.rlim_cur = (rlim_t)sb.st_size;
    void (*old)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &now), 0);
    int rc = ingest_batch(g, items + FIRST, THEN, &news);
    if (rc == STORE_OK) rc = ingest_flush(g, &news);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &was), 0);
    signal(SIGXFSZ, old);
    assert_int_not_equal(rc, STORE_OK);
    assert_true(pol.aborted >= 1);
    assert_int_equal(pol.kept, FIRST); /* nothing of the failed transaction counts */
    uint64_t h;
    bool forked;
    struct proto_bulletin first;
    assert_int_equal(proto_bulletin_decode(&first, b[0], items[0].len, NULL), PROTO_OK);
    assert_int_equal(store_head(s, first.issuer, &h, &forked), STORE_OK);
    assert_int_equal(h, FIRST);

    /* Offered again, they are new to both the store and the policy. */
    for (int i = FIRST; i < FIRST + THEN; i++)
        items[i].result = 0;
    assert_int_equal(ingest_batch(g, items + FIRST, THEN, &news), STORE_OK);
    assert_int_equal(ingest_flush(g, &news), STORE_OK);
    assert_int_equal(items[FIRST + THEN - 1].result, INGEST_ACCEPTED);
    assert_int_equal(pol.kept, FIRST + THEN);
    assert_int_equal(store_head(s, first.issuer, &h, &forked), STORE_OK);
    assert_int_equal(h, FIRST + THEN);
    ingest_news_clear(&news);
    ingest_destroy(&g);
    store_close(&s);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", d);
    assert_int_equal(system(cmd), 0);
}

/* Every id in the store's index, as hex (for the prefix test). */
struct all_ids {
    char (*hex)[2 * PROTO_ID_BYTES + 1];
    size_t n, cap;
};

static int collect_id(const uint8_t *k, size_t kn, const uint8_t *v, size_t vn, void *ctx)
{
    struct all_ids *a = ctx;
    (void)v, (void)vn;
    if (kn != PROTO_ID_BYTES) return 0;
    if (a->n == a->cap) {
        a->cap = a->cap ? 2 * a->cap : 64;
        a->hex = realloc(a->hex, a->cap * sizeof *a->hex);
        assert_non_null(a->hex);
    }
    sodium_bin2hex(a->hex[a->n++], sizeof a->hex[0], k, kn);
    return 0;
}

/* An id prefix finds the one bulletin whose id starts with it; a prefix that several ids (or
 * none) start with says so. Checked against a count over every id in the index, for prefixes
 * of one to three hex digits (so that some are shared, and odd lengths are met) and for whole
 * ids, in either case. */
static void id_prefixes_find_one_bulletin_or_say_why(void **state)
{
    (void)state;
    struct all_ids all = {0};
    uint8_t got[PROTO_ID_BYTES], want[PROTO_ID_BYTES];
    assert_int_equal(store_table_each(st, STORE_T_INDEX, collect_id, &all), STORE_OK);
    assert_true(all.n >= 3); /* the tests before stored bulletins */
    int ambiguous = 0, unique = 0;
    for (size_t i = 0; i < all.n; i++) {
        const char *h = all.hex[i];
        sodium_hex2bin(want, sizeof want, h, 64, NULL, NULL, NULL);
        assert_int_equal(store_find_id(st, h, got), STORE_OK);
        assert_memory_equal(got, want, PROTO_ID_BYTES);
        char upper[2 * PROTO_ID_BYTES + 1];
        for (size_t k = 0; k <= 2 * PROTO_ID_BYTES; k++)
            upper[k] = (char)(h[k] >= 'a' && h[k] <= 'f' ? h[k] - 32 : h[k]);
        assert_int_equal(store_find_id(st, upper, got), STORE_OK);
        for (size_t n = 1; n <= 3; n++) {
            size_t count = 0;
            for (size_t j = 0; j < all.n; j++)
                count += strncmp(all.hex[j], h, n) == 0;
            char prefix[4];
            snprintf(prefix, sizeof prefix, "%.*s", (int)n, h);
            int rc = store_find_id(st, prefix, got);
            assert_int_equal(rc, count > 1 ? STORE_EAMBIGUOUS : STORE_OK);
            if (rc == STORE_OK) assert_memory_equal(got, want, PROTO_ID_BYTES);
            ambiguous += rc == STORE_EAMBIGUOUS;
            unique += rc == STORE_OK;
        }
    }
    assert_true(ambiguous > 0 && unique > 0);
    /* An id that is not stored, and text that is not hex. */
    char absent[2 * PROTO_ID_BYTES + 1];
    memcpy(absent, all.hex[0], sizeof absent);
    absent[63] = absent[63] == '0' ? '1' : '0';
    bool stored = false;
    for (size_t j = 0; j < all.n; j++)
        stored |= strcmp(all.hex[j], absent) == 0;
    if (!stored) assert_int_equal(store_find_id(st, absent, got), STORE_ENOTFOUND);
    assert_int_equal(store_find_id(st, "xyz", got), STORE_ENOTFOUND);
    free(all.hex);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(chain_in_order_is_accepted),
        cmocka_unit_test(gap_waits_then_fills),
        cmocka_unit_test(replays_are_duplicates),
        cmocka_unit_test(forged_and_malformed_are_refused_and_not_stored),
        cmocka_unit_test(equivocation_is_kept_as_evidence),
        cmocka_unit_test(full_map_grows_instead_of_failing),
        cmocka_unit_test(small_map_grows_before_a_transaction_fills),
        cmocka_unit_test(another_reader_sees_committed_bulletins),
        cmocka_unit_test(copies_and_a_fork_in_one_batch),
        cmocka_unit_test(news_carries_each_origin),
        cmocka_unit_test(large_shuffled_batch_is_accepted_whole),
        cmocka_unit_test(open_transaction_commits_when_flushed_or_full),
        cmocka_unit_test(held_back_index_entries_are_read_committed_or_dropped),
        cmocka_unit_test(policy_hears_a_failed_commit),
        cmocka_unit_test(id_prefixes_find_one_bulletin_or_say_why),
    };
    if (sodium_init() < 0) return 1;
    return cmocka_run_group_tests(tests, setup, teardown);
}
