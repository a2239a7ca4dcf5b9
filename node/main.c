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
#include <systemd/sd-daemon.h>
#include <zmq.h>

#include "keys_error.h"
#include "keys_file.h"
#include "node.h"
#include "proto_pubkey.h"
#include "i18n.h"

static volatile sig_atomic_t stop_flag, reload_flag;

static void on_signal(int sig)
{
    if (sig == SIGHUP)
        reload_flag = 1;
    else
        stop_flag = 1;
}

static void usage(FILE *f)
{
    fprintf(
        f,
        _("usage: wartad [-c CONFIG] [-d DATA_DIR] [-l LISTEN] [-p NODEKEY@ENDPOINT]... [-N NAME]\n"
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
        "  -v  debug logging\n"
        "  -h, --help     this text           --version  print the version and exit\n\n"
        "example: wartad -c /etc/warta/wartad.ini -n    (check the configuration)\n"
        "         wartad -d /var/lib/warta -P /etc/warta/node.pass -l tcp://0.0.0.0:7410\n"));
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
        fprintf(stderr, _("wartad: %s\n"), msg);
        return -1;
    }
    static const struct option longs[] = {
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    while ((opt = getopt_long(argc, argv, "c:d:l:p:N:P:R:s:C:t:AUvnkhV", longs, NULL)) != -1) {
        switch (opt) {
        case 'c':
            break;
        case 'd':
            if (config_set(c, "-d", "data_dir", optarg, msg, sizeof msg) != 0) goto bad;
            break;
        case 'l':
            if (config_set(c, "-l", "listen", optarg, msg, sizeof msg) != 0) goto bad;
            break;
        case 'U':
            c->keep_untrusted = true;
            break;
        case 'R':
            if (config_set(c, "-R", "roster", optarg, msg, sizeof msg) != 0) goto bad;
            break;
        case 'N':
            if (config_set(c, "-N", "name", optarg, msg, sizeof msg) != 0) goto bad;
            break;
        case 'P':
            if (config_set(c, "-P", "passphrase_file", optarg, msg, sizeof msg) != 0) goto bad;
            break;
        case 's':
            if (config_set(c, "-s", "sync_interval_ms", optarg, msg, sizeof msg) != 0) goto bad;
            break;
        case 'C':
            if (config_set(c, "-C", "checkpoint_interval_ms", optarg, msg, sizeof msg) != 0) goto bad;
            break;
        case 't':
            if (config_set(c, "-t", "threads", optarg, msg, sizeof msg) != 0) goto bad;
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
            goto bad;
        case 'h':
            usage(stdout);
            exit(0);
        case 'V':
            printf("wartad %s\n", WARTA_VERSION);
            exit(0);
        default:
            usage(stderr);
            return -1;
        }
    }
    if (c->key_file[0] == 0 && c->data_dir[0] &&
        snprintf(c->key_file, sizeof c->key_file, "%.1000s/node.key", c->data_dir) < 0)
        return -1;
    if (optind != argc) {
        fprintf(stderr, _("wartad: unexpected argument '%s' (wartad --help lists the flags)\n"),
                argv[optind]);
        return -1;
    }
    if (config_check(c, msg, sizeof msg) == 0) return 0;
bad:
    fprintf(stderr, _("wartad: %s\n"), msg);
    return -1;
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
        log_msg(LOG_ERROR, _("node key %s needs a passphrase file (-P or passphrase_file): %s"),
                n->cfg.key_file, n->cfg.passphrase_file[0] ? strerror(errno) : _("none given"));
        return -1;
    }
    int rc = keys_secret_load(&n->identity, n->cfg.key_file, pass, strlen(pass));
    if (rc == KEYS_EIO && errno == ENOENT) {
        keys_secret *ks = keys_secret_generate();
        rc = ks ? keys_secret_save(ks, n->cfg.key_file, pass, strlen(pass), KEYS_COST_INTERACTIVE)
                : KEYS_ENOMEM;
        if (rc == KEYS_OK) log_msg(LOG_INFO, _("made a new node key %s"), n->cfg.key_file);
        n->identity = ks;
    }
    sodium_free(pass);
    if (rc != KEYS_OK) {
        log_msg(LOG_ERROR, _("node key %s: %s"), n->cfg.key_file, keys_strerror(rc));
        keys_secret_destroy(&n->identity);
        return -1;
    }
    /* The transport (CURVE) keys are the X25519 forms of the node's Ed25519 key. */
    n->curve_sk = sodium_malloc(32);
    if (n->curve_sk == NULL ||
        crypto_sign_ed25519_pk_to_curve25519(n->curve_pk, keys_secret_pk(n->identity)) != 0 ||
        crypto_sign_ed25519_sk_to_curve25519(n->curve_sk, keys_secret_sk(n->identity)) != 0) {
        log_msg(LOG_ERROR, _("node key: cannot derive the transport key"));
        return -1;
    }
    return 0;
}

/* The data directory: a directory only this user may change, or missing with a parent where
 * wartad can make it. NULL when fine, else why not (in buf). */
static const char *data_dir_problem(const char *dir, char *buf, size_t cap)
{
    struct stat sb;
    if (stat(dir, &sb) == 0) {
        if (!S_ISDIR(sb.st_mode)) return _("is not a directory");
        if (sb.st_mode & 022) return _("may be changed by other users (chmod go-w, or 700)");
        if (access(dir, R_OK | W_OK | X_OK) != 0) return _("is not readable and writable by this user");
        return NULL;
    }
    if (errno != ENOENT) {
        snprintf(buf, cap, "%s", strerror(errno));
        return buf;
    }
    char parent[1024];
    snprintf(parent, sizeof parent, "%s", dir);
    char *slash = strrchr(parent, '/');
    if (slash == NULL)
        snprintf(parent, sizeof parent, ".");
    else
        slash[slash == parent] = 0; /* "/x" -> "/", "a/b" -> "a" */
    if (access(parent, W_OK | X_OK) == 0) return NULL; /* made (mode 0700) when the node starts */
    snprintf(buf, cap, _("does not exist, and %s is %s"), parent,
             errno == ENOENT ? _("missing too") : _("not writable by this user"));
    return buf;
}

/* wartad -n: open and check everything the configuration names, without starting the node
 * or changing anything: the data directory, the node key with its passphrase, the roster. */
static int check_all(struct node *n)
{
    char why[300], err[256];
    int bad = 0;
    const char *p = data_dir_problem(n->cfg.data_dir, why, sizeof why);
    if (p) {
        fprintf(stderr, _("wartad: data directory %s %s\n"), n->cfg.data_dir, p);
        bad = 1;
    }
    char *pass = read_passphrase(n->cfg.passphrase_file);
    struct stat sb;
    if (pass == NULL) {
        fprintf(stderr, _("wartad: passphrase file %s: %s\n"),
                n->cfg.passphrase_file[0] ? n->cfg.passphrase_file : "(none)",
                n->cfg.passphrase_file[0] ? strerror(errno) : _("none given (-P or passphrase_file)"));
        bad = 1;
    } else if (stat(n->cfg.key_file, &sb) == 0) {
        int rc = keys_secret_load(&n->identity, n->cfg.key_file, pass, strlen(pass));
        if (rc != KEYS_OK) {
            fprintf(stderr, _("wartad: node key %s: %s%s\n"), n->cfg.key_file, keys_strerror(rc),
                    rc == KEYS_EPASSPHRASE ? " (the one in the passphrase file)" : "");
            bad = 1;
        }
    } else if (errno != ENOENT) {
        fprintf(stderr, _("wartad: node key %s: %s\n"), n->cfg.key_file, strerror(errno));
        bad = 1;
    }
    sodium_free(pass);
    char roster_note[160] = "open (every valid bulletin)";
    if (n->cfg.roster[0]) {
        size_t refused = 0;
        roster *r = roster_load(n->cfg.roster, &refused, err, sizeof err);
        if (r == NULL) {
            fprintf(stderr, _("wartad: roster %s: %s\n"), n->cfg.roster, err);
            bad = 1;
        } else {
            uint8_t net[PROTO_ID_BYTES];
            char hex[17];
            roster_network(r, net);
            sodium_bin2hex(hex, sizeof hex, net, 8);
            snprintf(roster_note, sizeof roster_note,
                     _("network %s..., root version %llu, %zu records (%zu refused)"), hex,
                     (unsigned long long)roster_root(r)->version, roster_count(r) - 1, refused);
            roster_free(&r);
        }
    }
    if (bad) return -1;
    char key[PROTO_PUBKEY_TEXT_LEN + 1] = "made on first start";
    if (n->identity) proto_pubkey_format(keys_secret_pk(n->identity), key);
    printf(_("wartad: configuration ok\n"
           "  node      %s, key %s\n"
           "  data      %s\n"
           "  listen    %s\n"
           "  peers     %d\n"
           "  roster    %s\n"),
           n->cfg.name, key, n->cfg.data_dir, n->cfg.listen[0] ? n->cfg.listen : "(none)",
           n->cfg.n_peers, roster_note);
    return 0;
}

void node_notify_status(struct node *n)
{
    struct store_stats st;
    int live = 0;
    if (store_stats(n->st, &st) != STORE_OK) return;
    for (int i = 0; i < NODE_MAX_PEERS; i++)
        live += n->peers[i].used && !n->peers[i].dropped;
    sd_notifyf(0, "STATUS=%llu bulletins from %llu issuers; %d peers linked", 
               (unsigned long long)st.bulletins, (unsigned long long)st.issuers, live);
}

void node_reload(struct node *n)
{
    static struct node_config c; /* big; only the writer thread reloads */
    bool check = false, print_key = false;
    sd_notify(0, "RELOADING=1");
    config_defaults(&c);
    optind = 0; /* getopt starts over */
    if (parse_flags(n->argc, n->argv, &c, &check, &print_key) != 0) {
        log_msg(LOG_ERROR, _("reload: the configuration has an error (above); nothing changed"));
        sd_notify(0, "READY=1");
        return;
    }
    log_set_level(c.log_level);
    n->cfg.log_level = c.log_level;
    n->cfg.sync_interval_ms = c.sync_interval_ms;
    n->cfg.checkpoint_interval_ms = c.checkpoint_interval_ms;
    if ((c.roster[0] == 0) != (n->cfg.roster[0] == 0))
        log_msg(LOG_WARN, _("reload: turning the roster %s needs a restart of wartad"),
                c.roster[0] ? "on" : "off");
    else if (c.roster[0] && policy_reload(n, c.roster) == 0)
        memcpy(n->cfg.roster, c.roster, sizeof c.roster);
    if (c.n_peers != n->cfg.n_peers || memcmp(c.peers, n->cfg.peers, sizeof c.peers) != 0)
        log_msg(LOG_WARN, _("reload: the peers changed; they take effect when wartad restarts"));
    if (strcmp(c.listen, n->cfg.listen) != 0 || strcmp(c.data_dir, n->cfg.data_dir) != 0 ||
        strcmp(c.key_file, n->cfg.key_file) != 0 || strcmp(c.name, n->cfg.name) != 0 ||
        c.threads != n->cfg.threads || c.allow_listed_only != n->cfg.allow_listed_only ||
        c.keep_untrusted != n->cfg.keep_untrusted)
        log_msg(LOG_WARN, _("reload: name, listen, data_dir, key_file, threads, untrusted and "
                          "allow_listed_only take effect when wartad restarts"));
    log_msg(LOG_INFO, _("reloaded the configuration (log level %s)"), log_level_name(c.log_level));
    sd_notify(0, "READY=1");
    node_notify_status(n);
}

static int start(struct node *n)
{
    char err[256], path[1100];
    char why[300];
    const char *problem = data_dir_problem(n->cfg.data_dir, why, sizeof why);
    if (problem == NULL && mkdir(n->cfg.data_dir, 0700) != 0 && errno != EEXIST) problem = strerror(errno);
    if (problem) {
        log_msg(LOG_ERROR, _("data directory %s %s"), n->cfg.data_dir, problem);
        return -1;
    }
    /* One node per data directory: a second one would take over the control socket. */
    snprintf(path, sizeof path, "%.1000s/wartad.lock", n->cfg.data_dir);
    n->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (n->lock_fd < 0 || flock(n->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        log_msg(LOG_ERROR, "%s: %s", n->cfg.data_dir,
                errno == EWOULDBLOCK ? _("another wartad is running on this data directory")
                                     : strerror(errno));
        return -1;
    }
    if (load_identity(n) != 0) return -1;
    snprintf(path, sizeof path, "%s/store", n->cfg.data_dir);
    n->st = store_open(path, false, err, sizeof err);
    if (n->st == NULL) {
        log_msg(LOG_ERROR, _("store: %s"), err);
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
        log_msg(LOG_ERROR, _("out of memory"));
        return -1;
    }
    if (policy_open(n) != 0 || witness_open(n) != 0) return -1;
    if (zap_open(n) != 0 || control_open(n) != 0 || peers_open(n) != 0 || guard_open(n) != 0)
        return -1;
    char key[PROTO_PUBKEY_TEXT_LEN + 1];
    proto_pubkey_format(keys_secret_pk(n->identity), key);
    struct store_stats st;
    store_stats(n->st, &st);
    log_msg(LOG_INFO, _("node %s (%s) up: %llu bulletins from %llu issuers, %d peers configured"),
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
    warta_i18n_init();
    if (sodium_init() < 0) return 1;
    config_defaults(&n.cfg);
    if (parse_flags(argc, argv, &n.cfg, &check, &print_key) != 0) return 64;
    log_set_level(n.cfg.log_level);
    if (check) {
        int rc = check_all(&n);
        keys_secret_destroy(&n.identity);
        return rc == 0 ? 0 : 78; /* EX_CONFIG */
    }
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL); /* before -k too: a HUP then must not kill a half-made key */
    signal(SIGPIPE, SIG_IGN);
    n.stop = &stop_flag;
    n.reload = &reload_flag;
    n.argc = argc;
    n.argv = argv;
    n.started_ms = (uint64_t)node_now_ms();
    if (print_key) {
        /* Only the key: no store, no sockets, so it works beside a running node. */
        int rc = mkdir(n.cfg.data_dir, 0700) != 0 && errno != EEXIST ? -1 : load_identity(&n);
        if (rc == 0) {
            char key[PROTO_PUBKEY_TEXT_LEN + 1];
            proto_pubkey_format(keys_secret_pk(n.identity), key);
            printf("%s\n", key);
        } else {
            log_msg(LOG_ERROR, _("%s: cannot read or make the node key"), n.cfg.data_dir);
        }
        stop(&n);
        return rc == 0 ? 0 : 1;
    }
    int rc = start(&n);
    if (rc == 0) {
        sd_notify(0, "READY=1");
        node_notify_status(&n);
        rc = node_run(&n);
        sd_notify(0, "STOPPING=1");
        log_msg(LOG_INFO, _("shutting down"));
    }
    stop(&n);
    return rc == 0 ? 0 : 1;
}
