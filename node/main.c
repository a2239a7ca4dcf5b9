/* main.c - wartad: flags, configuration, start-up and shutdown. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

#include "keys_error.h"
#include "keys_file.h"
#include "node.h"
#include "proto_pubkey.h"

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static void usage(FILE *f)
{
    fprintf(
        f,
        "usage: wartad [-c CONFIG] [-d DATA_DIR] [-l LISTEN] [-p NODEKEY@ENDPOINT]... [-N NAME]\n"
        "              [-P PASSPHRASE_FILE] [-R ROSTER [-U]] [-s SYNC_MS] [-t THREADS] [-A] [-v] "
        "[-n]\n"
        "              [-k]\n\n"
        "  -c  INI configuration file (flags override it)    -d  data directory (LMDB store)\n"
        "  -l  endpoint to listen on, e.g. tcp://127.0.0.1:7410\n"
        "  -p  a peer to connect to: its node key and endpoint (repeatable)\n"
        "  -P  file holding the passphrase of the node key (DATA_DIR/node.key, made if missing)\n"
        "  -A  refuse inbound peers that are not listed (-p or [peer])\n"
        "  -R  roster file (armored roster bulletins, the network root first): accept only\n"
        "      bulletins whose issuer the roster trusts (default: every valid bulletin)\n"
        "  -U  keep bulletins the roster refuses apart in the store (warta list --untrusted)\n"
        "      instead of dropping them; never listed, indexed or forwarded with the others\n"
        "  -s  anti-entropy period (ms, default 5000)\n"
        "  -C  how often the log is checkpointed when it grew (ms, default 60000)\n"
        "  -n  check the configuration and exit    -k  print the node key and exit\n"
        "  -v  debug logging\n");
}

static int parse_flags(int argc, char **argv, struct node_config *c, bool *check, bool *print_key)
{
    char msg[512];
    int opt;
    const char *config = NULL;
    /* The config file first, so that flags override it wherever they appear. */
    for (int i = 1; i < argc - 1; i++)
        if (strcmp(argv[i], "-c") == 0) config = argv[i + 1];
    if (config && config_load(c, config, msg, sizeof msg) != 0) {
        fprintf(stderr, "wartad: %s\n", msg);
        return -1;
    }
    while ((opt = getopt(argc, argv, "c:d:l:p:N:P:R:s:C:t:AUvnkh")) != -1) {
        switch (opt) {
        case 'c':
            break;
        case 'd':
            snprintf(c->data_dir, sizeof c->data_dir, "%s", optarg);
            break;
        case 'l':
            snprintf(c->listen, sizeof c->listen, "%s", optarg);
            break;
        case 'U':
            c->keep_untrusted = true;
            break;
        case 'R':
            snprintf(c->roster, sizeof c->roster, "%s", optarg);
            break;
        case 'N':
            snprintf(c->name, sizeof c->name, "%s", optarg);
            break;
        case 'P':
            snprintf(c->passphrase_file, sizeof c->passphrase_file, "%s", optarg);
            break;
        case 's':
            c->sync_interval_ms = atoi(optarg);
            break;
        case 'C':
            c->checkpoint_interval_ms = atoi(optarg);
            break;
        case 't':
            c->threads = atoi(optarg);
            break;
        case 'v':
            c->log_level = LOG_DEBUG;
            break;
        case 'A':
            c->allow_listed_only = true;
            break;
        case 'n':
            *check = true;
            break;
        case 'k':
            *print_key = true;
            break;
        case 'p':
            if (config_add_peer(c, optarg, msg, sizeof msg) == 0) break;
            fprintf(stderr, "wartad: %s\n", msg);
            return -1;
        case 'h':
            usage(stdout);
            exit(0);
        default:
            usage(stderr);
            return -1;
        }
    }
    if (c->key_file[0] == 0 && c->data_dir[0] &&
        snprintf(c->key_file, sizeof c->key_file, "%.1000s/node.key", c->data_dir) < 0)
        return -1;
    if (optind != argc || config_check(c, msg, sizeof msg) != 0) {
        if (optind == argc)
            fprintf(stderr, "wartad: %s\n", msg);
        else
            usage(stderr);
        return -1;
    }
    return 0;
}

/* Read the passphrase file into secure memory (first line). */
static char *read_passphrase(const char *path)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    if (path[0] == 0 || keys_file_read(path, 1024, &buf, &len) != KEYS_OK) return NULL;
    size_t n = strcspn((char *)buf, "\r\n");
    char *s = sodium_malloc(n + 1);
    if (s) memcpy(s, buf, n), s[n] = 0;
    sodium_memzero(buf, len);
    free(buf);
    return s;
}

/* Load the node identity key, creating it on first start. */
static int load_identity(struct node *n)
{
    char *pass = read_passphrase(n->cfg.passphrase_file);
    if (pass == NULL) {
        log_msg(LOG_ERROR, "node key %s needs a passphrase file (-P or passphrase_file): %s",
                n->cfg.key_file, n->cfg.passphrase_file[0] ? strerror(errno) : "none given");
        return -1;
    }
    int rc = keys_secret_load(&n->identity, n->cfg.key_file, pass, strlen(pass));
    if (rc == KEYS_EIO && errno == ENOENT) {
        keys_secret *ks = keys_secret_generate();
        rc = ks ? keys_secret_save(ks, n->cfg.key_file, pass, strlen(pass), KEYS_COST_INTERACTIVE)
                : KEYS_ENOMEM;
        if (rc == KEYS_OK) log_msg(LOG_INFO, "made a new node key %s", n->cfg.key_file);
        n->identity = ks;
    }
    sodium_free(pass);
    if (rc != KEYS_OK) {
        log_msg(LOG_ERROR, "node key %s: %s", n->cfg.key_file, keys_strerror(rc));
        keys_secret_destroy(&n->identity);
        return -1;
    }
    /* The transport (CURVE) keys are the X25519 forms of the node's Ed25519 key. */
    n->curve_sk = sodium_malloc(32);
    if (n->curve_sk == NULL ||
        crypto_sign_ed25519_pk_to_curve25519(n->curve_pk, keys_secret_pk(n->identity)) != 0 ||
        crypto_sign_ed25519_sk_to_curve25519(n->curve_sk, keys_secret_sk(n->identity)) != 0) {
        log_msg(LOG_ERROR, "node key: cannot derive the transport key");
        return -1;
    }
    return 0;
}

static int start(struct node *n)
{
    char err[256], path[1100];
    if (mkdir(n->cfg.data_dir, 0700) != 0 && errno != EEXIST) {
        log_msg(LOG_ERROR, "%s: %s", n->cfg.data_dir, strerror(errno));
        return -1;
    }
    /* One node per data directory: a second one would take over the control socket. */
    snprintf(path, sizeof path, "%.1000s/wartad.lock", n->cfg.data_dir);
    n->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (n->lock_fd < 0 || flock(n->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        log_msg(LOG_ERROR, "%s: %s", n->cfg.data_dir,
                errno == EWOULDBLOCK ? "another wartad is running on this data directory"
                                     : strerror(errno));
        return -1;
    }
    if (load_identity(n) != 0) return -1;
    snprintf(path, sizeof path, "%s/store", n->cfg.data_dir);
    n->st = store_open(path, false, err, sizeof err);
    if (n->st == NULL) {
        log_msg(LOG_ERROR, "store: %s", err);
        return -1;
    }
    n->in = ingest_new(n->st, n->cfg.threads);
    n->wanted = calloc(1, sizeof *n->wanted);
    n->fetching = calloc(NODE_FETCH_SLOTS, sizeof *n->fetching);
    n->gone = calloc(1, sizeof *n->gone);
    n->gossip_buf = malloc(PROTO_WIRE_MAX);
    n->sync_buf = malloc(PROTO_WIRE_MAX);
    n->zctx = zmq_ctx_new();
    if (n->in == NULL || n->wanted == NULL || n->fetching == NULL || n->gone == NULL || n->gossip_buf == NULL ||
        n->sync_buf == NULL || n->zctx == NULL) {
        log_msg(LOG_ERROR, "out of memory");
        return -1;
    }
    if (policy_open(n) != 0 || witness_open(n) != 0) return -1;
    if (zap_open(n) != 0 || control_open(n) != 0 || peers_open(n) != 0 || guard_open(n) != 0)
        return -1;
    char key[PROTO_PUBKEY_TEXT_LEN + 1];
    proto_pubkey_format(keys_secret_pk(n->identity), key);
    struct store_stats st;
    store_stats(n->st, &st);
    log_msg(LOG_INFO, "node %s (%s) up: %llu bulletins from %llu issuers, %d peers configured",
            n->cfg.name, key, (unsigned long long)st.bulletins, (unsigned long long)st.issuers,
            n->cfg.n_peers);
    return 0;
}

static void stop(struct node *n)
{
    witness_close(n); /* its last notes written while ingest and the links are still up */
    if (n->zctx) {
        guard_close(n);
        peers_close(n);
        if (n->control) {
            char path[1100];
            zmq_close(n->control);
            /* Gone with the node, so that tools tell at once that no node is running. */
            snprintf(path, sizeof path, "%.1000s/control.sock", n->cfg.data_dir);
            unlink(path);
        }
        if (n->zap) zmq_close(n->zap);
        zmq_ctx_term(n->zctx);
    }
    gossip_inbox_free(n);
    ingest_destroy(&n->in);
    policy_close(n);
    store_close(&n->st); /* every accepted bulletin was committed when it was accepted */
    keys_secret_destroy(&n->identity);
    sodium_free(n->curve_sk);
    free(n->wanted);
    free(n->fetching);
    free(n->gone);
    free(n->gossip_buf);
    free(n->sync_buf);
    if (n->lock_fd > 0) close(n->lock_fd); /* releases the data directory */
}

int main(int argc, char **argv)
{
    static struct node n;
    bool check = false, print_key = false;
    if (sodium_init() < 0) return 1;
    config_defaults(&n.cfg);
    if (parse_flags(argc, argv, &n.cfg, &check, &print_key) != 0) return 64;
    log_set_level(n.cfg.log_level);
    if (check) {
        printf("wartad: configuration ok (%d peers, data in %s)\n", n.cfg.n_peers, n.cfg.data_dir);
        return 0;
    }
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    n.stop = &stop_flag;
    n.started_ms = (uint64_t)node_now_ms();
    if (print_key) {
        /* Only the key: no store, no sockets, so it works beside a running node. */
        int rc = mkdir(n.cfg.data_dir, 0700) != 0 && errno != EEXIST ? -1 : load_identity(&n);
        if (rc == 0) {
            char key[PROTO_PUBKEY_TEXT_LEN + 1];
            proto_pubkey_format(keys_secret_pk(n.identity), key);
            printf("%s\n", key);
        } else {
            log_msg(LOG_ERROR, "%s: cannot read or make the node key", n.cfg.data_dir);
        }
        stop(&n);
        return rc == 0 ? 0 : 1;
    }
    int rc = start(&n);
    if (rc == 0) {
        rc = node_run(&n);
        log_msg(LOG_INFO, "shutting down");
    }
    stop(&n);
    return rc == 0 ? 0 : 1;
}
