/* config.c - wartad's configuration: an INI file (parsed by inih) and flags on top. */
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "node.h"
#include "proto_pubkey.h"
#include "i18n.h"

void config_defaults(struct node_config *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->name, sizeof c->name, "warta-node");
    c->sync_interval_ms = 5000;
    c->checkpoint_interval_ms = 60000;
    c->log_level = LOG_INFO;
}

/* One file being read: where the reader is, and the first problem found with its line. */
struct load {
    struct node_config *c;
    FILE *f;
    int line;      /* the line the reader returned last */
    bool mid_line; /* the last read ended inside a line too long for inih's buffer */
    int err_line;
    char reason[256];
};

static int fail(struct load *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct load *l, const char *fmt, ...)
{
    if (l->err_line == 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(l->reason, sizeof l->reason, fmt, ap);
        va_end(ap);
        l->err_line = l->line;
    }
    return 1; /* handled: the reason is ours, not inih's */
}

static int copy(struct load *l, char *dst, size_t cap, const char *key, const char *v)
{
    size_t n = strlen(v);
    if (n >= cap) return fail(l, _("%s: longer than %zu bytes"), key, cap - 1);
    memcpy(dst, v, n + 1);
    return 1;
}

static int parse_int(const char *v, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (*v == 0 || *end != 0 || errno != 0 || x < lo || x > hi) return -1;
    *out = (int)x;
    return 0;
}

static int set_int(struct load *l, const char *key, const char *v, int lo, int hi, int *out)
{
    if (parse_int(v, lo, hi, out) == 0) return 1;
    return fail(l, _("%s: expected a whole number from %d to %d, got '%s'"), key, lo, hi, v);
}

static int set_bool(struct load *l, const char *key, const char *v, bool *out)
{
    if (strcmp(v, "true") == 0 || strcmp(v, "yes") == 0 || strcmp(v, "1") == 0) {
        *out = true;
        return 1;
    }
    if (strcmp(v, "false") == 0 || strcmp(v, "no") == 0 || strcmp(v, "0") == 0) {
        *out = false;
        return 1;
    }
    return fail(l, _("%s: expected true or false, got '%s'"), key, v);
}

static struct peer_config *peer_named(struct node_config *c, const char *name)
{
    for (int i = 0; i < c->n_peers; i++)
        if (strcmp(c->peers[i].name, name) == 0) return &c->peers[i];
    if (c->n_peers == NODE_MAX_PEERS) return NULL;
    struct peer_config *p = &c->peers[c->n_peers++];
    snprintf(p->name, sizeof p->name, "%s", name);
    return p;
}

/* Is "[name]" a section this file may have? */
static bool known_section(const char *name)
{
    return strcmp(name, "node") == 0 || (strncmp(name, "peer ", 5) == 0 && name[5] != 0);
}

/* inih's line reader: counts lines, and checks each section header as it passes (inih calls
 * the handler only for settings, so an empty unknown section would go unseen). */
static char *read_line(char *str, int num, void *stream)
{
    struct load *l = stream;
    if (fgets(str, num, l->f) == NULL) return NULL;
    if (!l->mid_line) l->line++;
    size_t n = strlen(str);
    bool whole = n > 0 && str[n - 1] == '\n';
    if (!l->mid_line) {
        const char *p = str + strspn(str, " \t");
        const char *close = *p == '[' ? strchr(p, ']') : NULL;
        if (close) {
            char name[128];
            snprintf(name, sizeof name, "%.*s", (int)(close - p - 1), p + 1);
            if (!known_section(name))
                fail(l, strncmp(name, "peer", 4) == 0
                            ? "[%s]: a peer section is [peer NAME]"
                            : "unknown section [%s] (expected [node] or [peer NAME])",
                     name);
        }
    }
    l->mid_line = !whole && !feof(l->f);
    return str;
}

/* inih callback for each setting: 1 when handled (taken, or its problem recorded). */
static int on_line(void *user, const char *section, const char *key, const char *v)
{
    struct load *l = user;
    struct node_config *c = l->c;
    if (strcmp(section, "node") == 0) {
        if (strcmp(key, "name") == 0) return copy(l, c->name, sizeof c->name, key, v);
        if (strcmp(key, "data_dir") == 0) return copy(l, c->data_dir, sizeof c->data_dir, key, v);
        if (strcmp(key, "listen") == 0) return copy(l, c->listen, sizeof c->listen, key, v);
        if (strcmp(key, "key_file") == 0) return copy(l, c->key_file, sizeof c->key_file, key, v);
        if (strcmp(key, "passphrase_file") == 0)
            return copy(l, c->passphrase_file, sizeof c->passphrase_file, key, v);
        if (strcmp(key, "roster") == 0) return copy(l, c->roster, sizeof c->roster, key, v);
        if (strcmp(key, "untrusted") == 0) {
            if (strcmp(v, "keep") != 0 && strcmp(v, "reject") != 0)
                return fail(l, _("untrusted: expected keep or reject, got '%s'"), v);
            c->keep_untrusted = strcmp(v, "keep") == 0;
            return 1;
        }
        if (strcmp(key, "threads") == 0) return set_int(l, key, v, 0, 256, &c->threads);
        if (strcmp(key, "sync_interval_ms") == 0)
            return set_int(l, key, v, 50, 3600000, &c->sync_interval_ms);
        if (strcmp(key, "checkpoint_interval_ms") == 0)
            return set_int(l, key, v, 50, 86400000, &c->checkpoint_interval_ms);
        if (strcmp(key, "allow_listed_only") == 0)
            return set_bool(l, key, v, &c->allow_listed_only);
        if (strcmp(key, "log_level") == 0) {
            if (log_parse_level(v, &c->log_level) == 0) return 1;
            return fail(l, _("log_level: expected error, warn, info or debug, got '%s'"), v);
        }
        return fail(l, _("unknown setting '%s' in [node]"), key);
    }
    if (known_section(section) && strncmp(section, "peer ", 5) == 0) {
        struct peer_config *p = peer_named(c, section + 5);
        if (p == NULL) return fail(l, _("[%s]: more than %d peers"), section, NODE_MAX_PEERS);
        if (strcmp(key, "endpoint") == 0)
            return copy(l, p->endpoint, sizeof p->endpoint, key, v);
        if (strcmp(key, "key") == 0) {
            if (proto_pubkey_parse(v, strlen(v), p->key) == PROTO_OK) return 1;
            return fail(l, _("[%s] key: not a node key (wpk1..., as wartad -k prints it)"), section);
        }
        return fail(l, _("unknown setting '%s' in [%s] (expected endpoint and key)"), key, section);
    }
    return 1; /* in an unknown section: read_line has reported it */
}

int config_load(struct node_config *c, const char *path, char *msg, size_t msg_len)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        snprintf(msg, msg_len, "%s: %s", path, strerror(errno));
        return -1;
    }
    int rc = config_load_stream(c, f, path, msg, msg_len);
    fclose(f);
    return rc;
}

int config_load_stream(struct node_config *c, FILE *f, const char *path, char *msg,
                       size_t msg_len)
{
    struct load l = {.c = c, .f = f};
    int rc = ini_parse_stream(read_line, &l, on_line, &l);
    if (l.err_line > 0 && (rc <= 0 || l.err_line <= rc)) {
        snprintf(msg, msg_len, "%s:%d: %s", path, l.err_line, l.reason);
        return -1;
    }
    if (rc == 0) return 0;
    if (rc < 0)
        snprintf(msg, msg_len, _("%s: cannot read the file"), path);
    else
        snprintf(msg, msg_len, _("%s:%d: not a setting (expected key = value, or a [section])"), path,
                 rc);
    return -1;
}

int config_set(struct node_config *c, const char *flag, const char *key, const char *value,
               char *msg, size_t msg_len)
{
    struct load l = {.c = c, .line = -1};
    on_line(&l, "node", key, value);
    if (l.err_line == 0) return 0;
    snprintf(msg, msg_len, "%s %s", flag, l.reason);
    return -1;
}

int config_add_peer(struct node_config *c, const char *spec, char *msg, size_t msg_len)
{
    const char *at = strchr(spec, '@');
    char name[32];
    snprintf(name, sizeof name, "peer%d", c->n_peers + 1);
    struct peer_config *p = peer_named(c, name);
    if (at == NULL || p == NULL ||
        proto_pubkey_parse(spec, (size_t)(at - spec), p->key) != PROTO_OK ||
        strlen(at + 1) >= sizeof p->endpoint) {
        if (p) c->n_peers--;
        snprintf(msg, msg_len, _("-p %s: expected NODEKEY@ENDPOINT (wpk1...@tcp://host:port)"), spec);
        return -1;
    }
    memcpy(p->endpoint, at + 1, strlen(at + 1) + 1);
    p->auto_name = true;
    return 0;
}

/* What is wrong with an endpoint, or NULL: tcp://HOST:PORT or ipc://PATH. */
static const char *endpoint_problem(const char *e)
{
    if (strncmp(e, "ipc://", 6) == 0) return e[6] ? NULL : _("ipc:// needs a path");
    if (strncmp(e, "tcp://", 6) != 0) return _("expected tcp://HOST:PORT or ipc://PATH");
    const char *colon = strrchr(e + 6, ':');
    int port;
    if (colon == NULL || colon == e + 6) return _("expected tcp://HOST:PORT");
    if (parse_int(colon + 1, 1, 65535, &port) != 0) return _("the port must be 1 to 65535");
    return NULL;
}

int config_check(const struct node_config *c, char *msg, size_t msg_len)
{
    if (c->data_dir[0] == 0) {
        snprintf(msg, msg_len, _("no data directory (data_dir in [node], or -d)"));
        return -1;
    }
    if (c->sync_interval_ms < 50 || c->sync_interval_ms > 3600000) {
        snprintf(msg, msg_len, _("sync interval must be 50 to 3600000 ms"));
        return -1;
    }
    if (c->checkpoint_interval_ms < 50 || c->checkpoint_interval_ms > 86400000) {
        snprintf(msg, msg_len, _("checkpoint interval must be 50 to 86400000 ms"));
        return -1;
    }
    if (c->keep_untrusted && c->roster[0] == 0) {
        snprintf(msg, msg_len, _("untrusted = keep (-U) needs a roster (roster, or -R)"));
        return -1;
    }
    for (int i = 0; i < c->n_peers; i++) {
        const struct peer_config *p = &c->peers[i];
        if (p->endpoint[0] == 0 || proto_is_zero(p->key, PROTO_KEY_BYTES)) {
            snprintf(msg, msg_len, _("[peer %s] needs both endpoint and key"), p->name);
            return -1;
        }
        const char *why = endpoint_problem(p->endpoint);
        if (why) {
            snprintf(msg, msg_len, _("[peer %s] endpoint %s: %s"), p->name, p->endpoint, why);
            return -1;
        }
    }
    const char *why = c->listen[0] ? endpoint_problem(c->listen) : NULL;
    if (why) {
        snprintf(msg, msg_len, _("listen %s: %s"), c->listen, why);
        return -1;
    }
    return 0;
}
