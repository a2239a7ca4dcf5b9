/* bench_node.c - the node's four targets, each printed as a ratio measured within this run:
 *   ingest   bulletins verified+committed per second vs cores x raw single-core verify rate
 *   catch-up a fresh node syncing from one peer, vs the ingest rate; wire bytes vs bulletin bytes
 *   spread   32 nodes on a random graph (degree 4-6), roster enforced: time to the last node,
 *            copies per node, and how long a revocation takes to reach every node
 *   memory   resident set of a node holding N bulletins, LMDB page cache excluded (RssAnon)
 * usage: bench_node WARTAD WORKDIR [ingest_n catchup_n spread_nodes memory_n] */
#include <signal.h>
#include <stdatomic.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "gen.h"
#include "proto_armor.h"
#include "proto_roster.h"
#include "ingest.h"
#include "proto_pubkey.h"
#include "tool.h"
#include "verify_pool.h"

#define BULLETIN_SIZE 1024
#define BATCH 1024 /* about what one BULLETINS message carries */

static const char *wartad, *work;
static const char *roster_file; /* passed to every node started while set */
static double raw_rate;         /* single-core verifications per second, from the ingest run */
static pid_t children[64];
static int n_children;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* n bulletins from `issuers` chains, ~1 KiB each, concatenated with their lengths. */
struct corpus {
    uint8_t **raw;
    size_t *len, n, bytes;
};

static void make_corpus(struct corpus *c, size_t n, int issuers, uint8_t seed)
{
    struct gen_chain *ch = calloc((size_t)issuers, sizeof *ch);
    static uint8_t buf[PROTO_BULLETIN_MAX];
    c->raw = calloc(n, sizeof *c->raw);
    c->len = calloc(n, sizeof *c->len);
    c->n = n, c->bytes = 0;
    for (int i = 0; i < issuers; i++)
        gen_chain_init(&ch[i], seed, (uint32_t)i);
    for (size_t i = 0; i < n; i++) {
        size_t len = gen_next(&ch[i % (size_t)issuers], BULLETIN_SIZE, 0, buf);
        c->raw[i] = malloc(len);
        memcpy(c->raw[i], buf, len);
        c->len[i] = len;
        c->bytes += len;
    }
    for (int i = 0; i < issuers; i++)
        gen_chain_free(&ch[i]);
    free(ch);
}

static void free_corpus(struct corpus *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->raw[i]);
    free(c->raw);
    free(c->len);
}

/* Raw single-core rate of crypto_sign_verify_detached over these bulletins' signing inputs. */
static double raw_verify_rate(const struct corpus *c)
{
    size_t n = c->n < 20000 ? c->n : 20000, ok = 0;
    uint8_t **m = calloc(n, sizeof *m);
    size_t *ml = calloc(n, sizeof *ml);
    for (size_t i = 0; i < n; i++)
        m[i] = proto_bulletin_signing_input(c->raw[i], c->len[i], &ml[i]);
    double t0 = now_s();
    for (size_t i = 0; i < n; i++) {
        const uint8_t *raw = c->raw[i];
        ok += crypto_sign_verify_detached(raw + c->len[i] - 64, m[i], ml[i], raw + 6) == 0;
    }
    double dt = now_s() - t0;
    for (size_t i = 0; i < n; i++)
        free(m[i]);
    free(m), free(ml);
    if (ok != n) fprintf(stderr, "bench: %zu of %zu raw verifications failed\n", n - ok, n);
    return (double)n / dt;
}

/* The same checks on every core at once (no decoding, no store): what the cores give when
 * they do nothing but verify, to show how much of the gap is the machine's, not the node's. */
struct raw_job {
    uint8_t **m;
    size_t *ml;
    const struct corpus *c;
    atomic_size_t ok;
};

static void raw_check(void *arg, size_t i)
{
    struct raw_job *j = arg;
    const uint8_t *raw = j->c->raw[i];
    if (crypto_sign_verify_detached(raw + j->c->len[i] - 64, j->m[i], j->ml[i], raw + 6) == 0)
        atomic_fetch_add(&j->ok, 1);
}

static double raw_parallel_rate(const struct corpus *c, int threads)
{
    size_t n = c->n < 40000 ? c->n : 40000;
    struct raw_job j = {.m = calloc(n, sizeof *j.m), .ml = calloc(n, sizeof *j.ml), .c = c};
    for (size_t i = 0; i < n; i++)
        j.m[i] = proto_bulletin_signing_input(c->raw[i], c->len[i], &j.ml[i]);
    verify_pool *p = verify_pool_new(threads);
    double t0 = now_s();
    verify_pool_run(p, raw_check, &j, n);
    double dt = now_s() - t0;
    verify_pool_destroy(&p);
    for (size_t i = 0; i < n; i++)
        free(j.m[i]);
    free(j.m), free(j.ml);
    if (atomic_load(&j.ok) != n) fprintf(stderr, "bench: parallel raw verifications failed\n");
    return (double)n / dt;
}

/* What ingest does besides storing, on every core at once: decode, id, signature check (the
 * signing input built as the node builds it). The node's rate cannot pass this one; the gap
 * between the two is what the store costs. */
static void bare_check(void *arg, size_t i)
{
    struct raw_job *j = arg;
    const struct corpus *c = j->c;
    struct proto_bulletin b;
    uint8_t id[PROTO_ID_BYTES];
    if (proto_bulletin_decode(&b, c->raw[i], c->len[i], NULL) != PROTO_OK) return;
    proto_bulletin_id(c->raw[i], c->len[i], id);
    if (proto_bulletin_verify(&b, c->raw[i], c->len[i]) == PROTO_OK) atomic_fetch_add(&j->ok, 1);
}

static double bare_ingest_rate(const struct corpus *c, int threads)
{
    size_t n = c->n < 40000 ? c->n : 40000;
    struct raw_job j = {.c = c};
    verify_pool *p = verify_pool_new(threads);
    double t0 = now_s();
    verify_pool_run(p, bare_check, &j, n);
    double dt = now_s() - t0;
    verify_pool_destroy(&p);
    if (atomic_load(&j.ok) != n) fprintf(stderr, "bench: bare ingest checks failed\n");
    return (double)n / dt;
}

static double last_fill_cpu, last_fill_sys, last_fill_wall;

/* Ingest the corpus into a new store at dir in batches; returns bulletins per second. */
static double fill_store(const char *dir, const struct corpus *c)
{
    char err[256], path[1024];
    mkdir(dir, 0700);
    snprintf(path, sizeof path, "%s/store", dir);
    store *st = store_open(path, false, err, sizeof err);
    ingest *in = st ? ingest_new(st, 0) : NULL;
    if (in == NULL) {
        fprintf(stderr, "bench: %s\n", err);
        exit(1);
    }
    struct ingest_item *items = calloc(BATCH, sizeof *items);
    size_t accepted = 0;
    struct rusage ru0, ru1;
    getrusage(RUSAGE_SELF, &ru0);
    double t0 = now_s();
    for (size_t i = 0; i < c->n; i += BATCH) {
        size_t k = c->n - i < BATCH ? c->n - i : BATCH;
        struct ingest_news news = {0};
        for (size_t j = 0; j < k; j++)
            items[j] = (struct ingest_item){.raw = c->raw[i + j], .len = c->len[i + j]};
        ingest_batch(in, items, k, &news);
        for (size_t j = 0; j < k; j++)
            accepted += items[j].result == INGEST_ACCEPTED;
        ingest_news_clear(&news);
    }
    struct ingest_news last = {0};
    ingest_flush(in, &last); /* the last chunk counts once it is committed */
    ingest_news_clear(&last);
    double dt = now_s() - t0;
    getrusage(RUSAGE_SELF, &ru1);
    last_fill_cpu = (double)(ru1.ru_utime.tv_sec - ru0.ru_utime.tv_sec) +
                    (double)(ru1.ru_utime.tv_usec - ru0.ru_utime.tv_usec) / 1e6;
    last_fill_sys = (double)(ru1.ru_stime.tv_sec - ru0.ru_stime.tv_sec) +
                    (double)(ru1.ru_stime.tv_usec - ru0.ru_stime.tv_usec) / 1e6;
    last_fill_wall = dt;
    if (accepted != c->n) fprintf(stderr, "bench: only %zu of %zu accepted\n", accepted, c->n);
    free(items);
    ingest_destroy(&in);
    store_close(&st);
    return (double)accepted / dt;
}

/* Start wartad on dir; peers is a list of "KEY@ENDPOINT" or NULL. */
static pid_t start_node(const char *dir, const char *listen, char **peers, int n_peers)
{
    char *argv[64];
    int a = 0;
    static char pass[1024];
    snprintf(pass, sizeof pass, "%s/pass", work);
    argv[a++] = (char *)wartad, argv[a++] = "-d", argv[a++] = (char *)dir;
    argv[a++] = "-P", argv[a++] = pass, argv[a++] = "-s", argv[a++] = "500";
    if (listen) argv[a++] = "-l", argv[a++] = (char *)listen;
    if (roster_file) argv[a++] = "-R", argv[a++] = (char *)roster_file;
    for (int i = 0; i < n_peers; i++)
        argv[a++] = "-p", argv[a++] = peers[i];
    argv[a] = NULL;
    pid_t pid = fork();
    if (pid == 0) {
        {
            char lp[1200];
            snprintf(lp, sizeof lp, "%s.log", dir);
            freopen(lp, "w", stderr);
        }
        execv(wartad, argv);
        _exit(127);
    }
    children[n_children++] = pid;
    return pid;
}

static void node_key(const char *dir, char out[PROTO_PUBKEY_TEXT_LEN + 1])
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s' -d '%s' -P '%s/pass' -k 2>/dev/null", wartad, dir, work);
    FILE *p = popen(cmd, "r");
    if (p == NULL || fgets(out, PROTO_PUBKEY_TEXT_LEN + 1, p) == NULL) out[0] = 0;
    if (p) pclose(p);
}

static json_t *status(const char *dir)
{
    bool ok = false;
    char sock[1100];
    struct stat st;
    snprintf(sock, sizeof sock, "%s/control.sock", dir);
    if (stat(sock, &st) != 0) return NULL; /* not up yet: ask quietly */
    json_t *s = tool_node_request(dir, "status", NULL, 0, &ok);
    if (!ok) json_decref(s), s = NULL;
    return s;
}

static long long jget(json_t *s, const char *a, const char *b)
{
    return (long long)json_integer_value(json_object_get(json_object_get(s, a), b));
}

static void wait_up(const char *dir)
{
    for (int i = 0; i < 200; i++) {
        json_t *s = status(dir);
        if (s) return json_decref(s);
        usleep(50000);
    }
}

static long read_proc(pid_t pid, const char *file, const char *field)
{
    char path[64], line[256];
    long v = -1;
    snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
    FILE *f = fopen(path, "r");
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, field, strlen(field)) == 0) v = atol(line + strlen(field));
    if (f) fclose(f);
    return v;
}

/* CPU seconds (user + system) a process has used so far. */
static double cpu_of(pid_t pid)
{
    char path[64], line[1024];
    unsigned long user = 0, sys = 0;
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    char *r = f && fgets(line, sizeof line, f) ? strrchr(line, ')') : NULL;
    if (r) sscanf(r + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &user, &sys);
    if (f) fclose(f);
    return (double)(user + sys) / (double)sysconf(_SC_CLK_TCK);
}

static void stop_all(void)
{
    for (int i = 0; i < n_children; i++)
        kill(children[i], SIGTERM);
    for (int i = 0; i < n_children; i++)
        waitpid(children[i], NULL, 0);
    n_children = 0;
}

/* Bytes the socket connected to 127.0.0.1:port has received (TCP payload: ZMTP framing and
 * CurveZMQ boxes included), read from ss(8); -1 if unknown. */
static long long tcp_bytes_received(int port)
{
    char cmd[128], line[4096];
    long long total = -1;
    snprintf(cmd, sizeof cmd, "ss -tinH dst 127.0.0.1:%d 2>/dev/null", port);
    FILE *p = popen(cmd, "r");
    while (p && fgets(line, sizeof line, p)) {
        char *b = strstr(line, "bytes_received:");
        if (b) total = (total < 0 ? 0 : total) + atoll(b + 15);
    }
    if (p) pclose(p);
    return total;
}

static void bench_catchup(size_t n, double ingest_rate)
{
    char a[1024], b[1024], listen[1100], peer[1200], key[64];
    int port = 20000 + (int)(getpid() % 20000);
    struct corpus c;
    make_corpus(&c, n, 64, 0x61);
    snprintf(a, sizeof a, "%s/catchup-a", work);
    snprintf(b, sizeof b, "%s/catchup-b", work);
    fill_store(a, &c);
    node_key(a, key);
    snprintf(listen, sizeof listen, "tcp://127.0.0.1:%d", port);
    snprintf(peer, sizeof peer, "%s@%s", key, listen);
    start_node(a, listen, NULL, 0);
    wait_up(a);
    char *peers[1] = {peer};
    double t0 = now_s();
    start_node(b, NULL, peers, 1);
    long long have = 0;
    double up = 0; /* when the new node first answered: its key unlocked, its store open */
    while (have < (long long)n && now_s() - t0 < 600) {
        json_t *s = status(b);
        if (s && up == 0) up = now_s() - t0;
        if (s) have = jget(s, "store", "bulletins"), json_decref(s);
        usleep(20000);
    }
    double dt = now_s() - t0;
    double cpu_a = cpu_of(children[n_children - 2]), cpu_b = cpu_of(children[n_children - 1]);
    long long wire = tcp_bytes_received(port);
    json_t *s = status(b);
    long long app_in = 0;
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(s, "peers"), i, p) app_in +=
        (long long)json_integer_value(json_object_get(p, "bytes_in"));
    json_decref(s);
    double rate = (double)have / dt;
    /* Timed like ingest, which starts on an open store: from when the new node answered (its
     * key unlocked, its store open); with its start as well on the next line. */
    double synced = (double)have / (dt - up);
    printf("catch-up: %lld of %zu bulletins in %.2f s from the moment the new node answered = "
           "%.0f/s = %.2f x the ingest rate (target >= 0.80)\n",
           have, n, dt - up, synced, synced / ingest_rate);
    printf("catch-up: with the node's start (%.2f s) included: %.2f s = %.0f/s = %.2f x the ingest "
           "rate\n",
           up, dt, rate, rate / ingest_rate);
    printf("catch-up: CPU %.2f s at the new node + %.2f s at the one serving it (%.0f%% of the "
           "cores busy)\n",
           cpu_b, cpu_a, 100 * (cpu_a + cpu_b) / (dt * (double)sysconf(_SC_NPROCESSORS_ONLN)));
    printf("catch-up wire: %lld TCP bytes received by the new node = %.3f x the bulletins' %zu "
           "bytes (target <= 1.10); warta messages alone %.3f x\n",
           wire, (double)wire / (double)c.bytes, c.bytes, (double)app_in / (double)c.bytes);
    stop_all();
    free_corpus(&c);
}

/* The spread network's roster: a 2-of-3 root, holders r[0..3). */
#define ROSTER_FROM UINT64_C(1700000000000)
static struct gen_chain roots[3];
static uint8_t network_id[PROTO_ID_BYTES];

static int by_key(const void *a, const void *b)
{
    return memcmp(a, b, PROTO_KEY_BYTES);
}

/* Seal r with root authority (r[0] seals, r[1] co-signs). */
static size_t root_signed(struct proto_roster *r, uint64_t at, uint8_t *out)
{
    struct gen_chain *co[] = {&roots[1]};
    memcpy(r->network, network_id, PROTO_ID_BYTES);
    return gen_record(&roots[0], r, co, 1, at, out);
}

/* Make the root, write it to WORK/root.wrb (the file every node pins) and return its bytes. */
static size_t make_root(uint8_t *out)
{
    struct proto_roster root = {.kind = PROTO_KIND_ROOT,
                                .version = 1,
                                .threshold = 2,
                                .n_keys = 3,
                                .valid_from = ROSTER_FROM};
    for (int i = 0; i < 3; i++) {
        gen_chain_init(&roots[i], 0x77, (uint32_t)i);
        memcpy(root.keys[i], keys_secret_pk(roots[i].key), PROTO_KEY_BYTES);
    }
    qsort(root.keys, 3, PROTO_KEY_BYTES, by_key);
    struct gen_chain *co[] = {&roots[1]};
    size_t len = gen_record(&roots[0], &root, co, 1, ROSTER_FROM, out);
    proto_roster_root_hash(&root, network_id);
    static char text[2 * PROTO_BULLETIN_MAX], path[1100];
    size_t n = 0;
    proto_armor_encode(PROTO_ARMOR_BULLETIN, out, len, text, sizeof text, &n);
    snprintf(path, sizeof path, "%s/root.wrb", work);
    FILE *f = fopen(path, "w");
    fwrite(text, 1, n, f);
    fclose(f);
    roster_file = path;
    return len;
}

static size_t delegation_of(const uint8_t *key, uint8_t *out)
{
    struct proto_roster d = {.kind = PROTO_KIND_DELEGATION,
                             .role = PROTO_ROLE_PROVINCE,
                             .n_regions = 1,
                             .valid_from = ROSTER_FROM};
    memcpy(d.key, key, PROTO_KEY_BYTES);
    d.office = (struct proto_str){(const uint8_t *)"bench-office", 12};
    d.name = d.office;
    d.regions[0] = (struct proto_str){(const uint8_t *)"", 0};
    return root_signed(&d, ROSTER_FROM + 1, out);
}

/* Publish raw at node dir `at` and wait until every node's store has it; seconds taken. */
static double publish_and_wait(char (*dirs)[1024], int nodes, store **ro, int at,
                               const uint8_t *raw, size_t len)
{
    uint8_t id[PROTO_ID_BYTES];
    bool ok;
    proto_bulletin_id(raw, len, id);
    double t0 = now_s();
    json_decref(tool_node_request(dirs[at], "publish", raw, len, &ok));
    if (!ok) fprintf(stderr, "bench: node %d refused a bulletin\n", at);
    for (int done = 0; !done && now_s() - t0 < 30;) {
        done = 1;
        for (int i = 0; i < nodes && done; i++) {
            char path[1100], err[128];
            snprintf(path, sizeof path, "%s/store", dirs[i]);
            if (!ro[i]) ro[i] = store_open(path, true, err, sizeof err);
            done = ro[i] && store_refresh(ro[i]) == STORE_OK && store_has(ro[i], id);
        }
        if (!done) usleep(200);
    }
    return now_s() - t0;
}

static void sort_doubles(double *v, int n)
{
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (v[j] < v[i]) {
                double t = v[i];
                v[i] = v[j];
                v[j] = t;
            }
}

static long long copies_received(char (*dirs)[1024], int nodes)
{
    long long copies = 0;
    for (int i = 0; i < nodes; i++) {
        json_t *s = status(dirs[i]);
        copies += jget(s, "ingest", "accepted") + jget(s, "ingest", "duplicate");
        json_decref(s);
    }
    return copies;
}

/* 32 nodes, each dialling 2-3 random others: degrees 4-6. */
static void bench_spread(int nodes, int rounds)
{
    char dirs[64][1024], keys[64][64], listens[64][1100], peerspec[64][3][1200];
    int dial[64][3], n_dial[64], degree[64] = {0};
    srand(7);
    for (int i = 0; i < nodes; i++) {
        snprintf(dirs[i], sizeof dirs[i], "%s/spread-%02d", work, i);
        snprintf(listens[i], sizeof listens[i], "ipc://%s/s%02d.sock", work, i);
        node_key(dirs[i], keys[i]);
        n_dial[i] = 0;
    }
    /* A ring for connectivity, then random extra links until every degree is at least 4. */
    for (int i = 0; i < nodes; i++) {
        int j = (i + 1) % nodes;
        dial[i][n_dial[i]++] = j, degree[i]++, degree[j]++;
    }
    for (int guard = 0; guard < 10000; guard++) {
        int i = rand() % nodes, j = rand() % nodes, dup = 0;
        if (i == j || n_dial[i] >= 3 || degree[i] >= 6 || degree[j] >= 6) continue;
        for (int k = 0; k < n_dial[i]; k++)
            dup |= dial[i][k] == j;
        for (int k = 0; k < n_dial[j]; k++)
            dup |= dial[j][k] == i;
        if (dup) continue;
        dial[i][n_dial[i]++] = j, degree[i]++, degree[j]++;
        int low = 0;
        for (int k = 0; k < nodes; k++)
            low |= degree[k] < 4;
        if (!low) break;
    }
    int dmin = 99, dmax = 0;
    for (int i = 0; i < nodes; i++) {
        char *peers[3];
        for (int k = 0; k < n_dial[i]; k++) {
            snprintf(peerspec[i][k], sizeof peerspec[i][k], "%s@%s", keys[dial[i][k]],
                     listens[dial[i][k]]);
            peers[k] = peerspec[i][k];
        }
        start_node(dirs[i], listens[i], peers, n_dial[i]);
        dmin = degree[i] < dmin ? degree[i] : dmin;
        dmax = degree[i] > dmax ? degree[i] : dmax;
    }
    for (int i = 0; i < nodes; i++)
        wait_up(dirs[i]);
    sleep(2); /* links up */
    double *lat = calloc((size_t)rounds, sizeof *lat);
    struct gen_chain ch, revoked[8];
    gen_chain_init(&ch, 0x5a, 0);
    static uint8_t buf[PROTO_BULLETIN_MAX];
    store *ro[64] = {0};
    /* The roster: the root record, the spreading issuer, and offices to revoke later. */
    size_t len = make_root(buf);
    publish_and_wait(dirs, nodes, ro, 0, buf, len);
    len = delegation_of(keys_secret_pk(ch.key), buf);
    publish_and_wait(dirs, nodes, ro, 0, buf, len);
    int n_revoke = rounds < 8 ? rounds : 8;
    for (int i = 0; i < n_revoke; i++) {
        gen_chain_init(&revoked[i], 0x79, (uint32_t)i);
        len = delegation_of(keys_secret_pk(revoked[i].key), buf);
        publish_and_wait(dirs, nodes, ro, 0, buf, len);
    }
    long long base = copies_received(dirs, nodes);
    for (int r = 0; r < rounds; r++) {
        len = gen_next(&ch, BULLETIN_SIZE, 0, buf);
        lat[r] = publish_and_wait(dirs, nodes, ro, rand() % nodes, buf, len);
    }
    long long copies = copies_received(dirs, nodes) - base;
    copies -= rounds; /* the publishing node's own copy did not come over the network */
    sort_doubles(lat, rounds);
    printf("spread: %d nodes (roster enforced), degree %d-%d, %d bulletins: time to the last node "
           "p50 %.1f ms, p99 %.1f ms\n",
           nodes, dmin, dmax, rounds, lat[rounds / 2] * 1e3, lat[(rounds * 99) / 100] * 1e3);
    printf("spread: copies received per node per bulletin %.2f (target <= 1.5; flooding ~ %.1f)\n",
           (double)copies / (double)rounds / (nodes - 1), (dmin + dmax) / 2.0);
    /* Revocations: from publication at a random node until every node holds (and so
     * enforces) it. */
    double rev[8];
    for (int i = 0; i < n_revoke; i++) {
        struct proto_roster rv = {.kind = PROTO_KIND_REVOCATION, .valid_from = tool_time_now()};
        memcpy(rv.key, keys_secret_pk(revoked[i].key), PROTO_KEY_BYTES);
        len = root_signed(&rv, tool_time_now(), buf);
        rev[i] = publish_and_wait(dirs, nodes, ro, rand() % nodes, buf, len);
        gen_chain_free(&revoked[i]);
    }
    sort_doubles(rev, n_revoke);
    printf("revocation: %d revocations, each from one node until all %d enforce it: p50 %.1f ms, "
           "max %.1f ms\n",
           n_revoke, nodes, rev[n_revoke / 2] * 1e3, rev[n_revoke - 1] * 1e3);
    for (int i = 0; i < nodes; i++)
        store_close(&ro[i]);
    for (int i = 0; i < 3; i++)
        gen_chain_free(&roots[i]);
    roster_file = NULL;
    gen_chain_free(&ch);
    free(lat);
    stop_all();
}

static void bench_memory(size_t n)
{
    char dir[1024], fresh[1024], listen[1100], peer[1200], key[64];
    snprintf(dir, sizeof dir, "%s/memory", work);
    snprintf(fresh, sizeof fresh, "%s/memory-peer", work);
    /* Filled in slices so the bench itself never holds all n bulletins. */
    for (size_t done = 0; done < n; done += 50000) {
        struct corpus c;
        size_t k = n - done < 50000 ? n - done : 50000;
        make_corpus(&c, k, 1, (uint8_t)(0x10 + done / 50000));
        fill_store(dir, &c);
        free_corpus(&c);
    }
    node_key(dir, key);
    snprintf(listen, sizeof listen, "ipc://%s/m.sock", work);
    snprintf(peer, sizeof peer, "%s@%s", key, listen);
    pid_t pid = start_node(dir, listen, NULL, 0);
    wait_up(dir);
    char *peers[1] = {peer};
    start_node(fresh, NULL, peers, 1); /* a peer syncing from it: STATE, FETCH, send */
    double t0 = now_s();
    long peak = 0;
    while (now_s() - t0 < 15) {
        long anon = read_proc(pid, "status", "RssAnon:");
        peak = anon > peak ? anon : peak;
        usleep(100000);
    }
    json_t *s = status(dir), *f = status(fresh);
    printf("memory: node holding %lld bulletins, serving a syncing peer for 15 s (it got %lld): "
           "peak RssAnon %.1f MiB, RssFile now %.1f MiB (LMDB map pages, excluded) "
           "(target < 64 MiB)\n",
           jget(s, "store", "bulletins"), jget(f, "store", "bulletins"), peak / 1024.0,
           read_proc(pid, "status", "RssFile:") / 1024.0);
    json_decref(s);
    json_decref(f);
    stop_all();
    /* The auditor's pass over the same store: every signature, index entry and chain link. */
    char path[1100], err[256];
    static struct audit_report rep;
    snprintf(path, sizeof path, "%s/store", dir);
    store *st = store_open(path, true, err, sizeof err);
    double a0 = now_s();
    if (st == NULL || tool_audit(st, NULL, &rep, NULL, NULL) != STORE_OK) {
        fprintf(stderr, "bench: audit: %s\n", st ? store_error(st) : err);
        store_close(&st);
        return;
    }
    double dt = now_s() - a0, rate = (double)rep.signatures / dt;
    uint64_t findings = 0;
    for (int i = 0; i < AUDIT_N; i++)
        findings += rep.count[i];
    store_close(&st);
    printf("audit: %llu bulletins of %llu issuers in %.1f s = %.0f/s = %.2f x (cores x raw), "
           "%llu findings\n",
           (unsigned long long)rep.bulletins, (unsigned long long)rep.issuers, dt, rate,
           rate / (raw_rate * (double)sysconf(_SC_NPROCESSORS_ONLN)), (unsigned long long)findings);
}

int main(int argc, char **argv)
{
    if (argc < 3 || sodium_init() < 0) {
        fprintf(stderr, "usage: bench_node WARTAD WORKDIR [ingest catchup spread_nodes memory]\n");
        return 64;
    }
    wartad = argv[1], work = argv[2];
    size_t n_ingest = argc > 3 ? strtoul(argv[3], NULL, 10) : 100000;
    size_t n_catchup = argc > 4 ? strtoul(argv[4], NULL, 10) : 100000;
    int nodes = argc > 5 ? atoi(argv[5]) : 32;
    size_t n_memory = argc > 6 ? strtoul(argv[6], NULL, 10) : 1000000;
    char path[1024];
    mkdir(work, 0700);
    snprintf(path, sizeof path, "%s/pass", work);
    FILE *f = fopen(path, "w");
    fputs("bench passphrase\n", f);
    fclose(f);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);

    struct corpus c;
    make_corpus(&c, n_ingest, 64, 0x41);
    /* The machine is shared: the raw rate is measured before and after and averaged. */
    double raw0 = raw_verify_rate(&c);
    double par = raw_parallel_rate(&c, (int)cores);
    double bare = bare_ingest_rate(&c, (int)cores);
    snprintf(path, sizeof path, "%s/ingest", work);
    double rate = fill_store(path, &c);
    double raw1 = raw_verify_rate(&c), raw = (raw0 + raw1) / 2;
    raw_rate = raw;
    printf("ingest: raw crypto_sign_verify_detached %.0f/s per core on %zu-byte bulletins (%.0f "
           "before, %.0f after); node ingest %.0f/s on %ld cores = %.2f x (cores x raw) "
           "(target >= 0.85)\n",
           raw, c.bytes / c.n, raw0, raw1, rate, cores, rate / (raw * (double)cores));
    printf("ingest: %.2f s wall, %.2f s user + %.2f s system CPU (%.0f%% of the cores busy; "
           "signature checks alone would take %.2f s of CPU)\n",
           last_fill_wall, last_fill_cpu, last_fill_sys,
           100 * (last_fill_cpu + last_fill_sys) / (last_fill_wall * (double)cores),
           (double)n_ingest / raw);
    printf("ingest: for scale, bare crypto_sign_verify_detached on all %ld cores at once: %.0f/s "
           "= %.2f x (cores x raw); node ingest = %.2f x that\n",
           cores, par, par / (raw * (double)cores), rate / par);
    printf("ingest: for scale, decoding, hashing and checking them on all %ld cores with nothing "
           "stored: %.0f/s = %.2f x (cores x raw); node ingest = %.2f x that (the rest is the "
           "store: %.1f us of a core per bulletin)\n",
           cores, bare, bare / (raw * (double)cores), rate / bare,
           1e6 * (double)cores * (1 / rate - 1 / bare));
    free_corpus(&c);
    fflush(stdout);
    if (n_catchup) bench_catchup(n_catchup, rate);
    fflush(stdout);
    if (nodes > 1) bench_spread(nodes, nodes > 8 ? 100 : 10);
    fflush(stdout);
    if (n_memory) bench_memory(n_memory);
    return 0;
}
