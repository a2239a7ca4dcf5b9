/* config.c - wartad's configuration: an INI file (parsed by inih) and flags on top. */
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "node.h"
#include "proto_pubkey.h"

void config_defaults(struct node_config *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->name, sizeof c->name, "warta-node");
    c->sync_interval_ms = 5000;
    c->checkpoint_interval_ms = 60000;
    c->log_level = LOG_INFO;
}

static int copy(char *dst, size_t cap, const char *v)
{
    size_t n = strlen(v);
    if (n >= cap) return -1;
    memcpy(dst, v, n + 1);
    return 0;
}

static int parse_int(const char *v, int lo, int hi, int *out)
{
    char *end;
    long x = strtol(v, &end, 10);
    if (*v == 0 || *end != 0 || x < lo || x > hi) return -1;
    *out = (int)x;
    return 0;
}

static int parse_bool(const char *v, bool *out)
{
    if (strcmp(v, "true") == 0 || strcmp(v, "yes") == 0 || strcmp(v, "1") == 0)
        return *out = true, 0;
    if (strcmp(v, "false") == 0 || strcmp(v, "no") == 0 || strcmp(v, "0") == 0)
        return *out = false, 0;
    return -1;
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

/* inih callback: returns 1 if the line is understood. */
static int on_line(void *user, const char *section, const char *key, const char *v)
{
    struct node_config *c = user;
    if (strcmp(section, "node") == 0) {
        if (strcmp(key, "name") == 0) return copy(c->name, sizeof c->name, v) == 0;
        if (strcmp(key, "data_dir") == 0) return copy(c->data_dir, sizeof c->data_dir, v) == 0;
        if (strcmp(key, "listen") == 0) return copy(c->listen, sizeof c->listen, v) == 0;
        if (strcmp(key, "key_file") == 0) return copy(c->key_file, sizeof c->key_file, v) == 0;
        if (strcmp(key, "passphrase_file") == 0)
            return copy(c->passphrase_file, sizeof c->passphrase_file, v) == 0;
        if (strcmp(key, "roster") == 0) return copy(c->roster, sizeof c->roster, v) == 0;
        if (strcmp(key, "untrusted") == 0) {
            if (strcmp(v, "keep") == 0 || strcmp(v, "reject") == 0)
                return c->keep_untrusted = strcmp(v, "keep") == 0, 1;
            return 0;
        }
        if (strcmp(key, "threads") == 0) return parse_int(v, 0, 256, &c->threads) == 0;
        if (strcmp(key, "sync_interval_ms") == 0)
            return parse_int(v, 50, 3600000, &c->sync_interval_ms) == 0;
        if (strcmp(key, "checkpoint_interval_ms") == 0)
            return parse_int(v, 50, 86400000, &c->checkpoint_interval_ms) == 0;
        if (strcmp(key, "allow_listed_only") == 0) return parse_bool(v, &c->allow_listed_only) == 0;
        if (strcmp(key, "log_level") == 0) return log_parse_level(v, &c->log_level) == 0;
        return 0;
    }
    if (strncmp(section, "peer ", 5) == 0) {
        struct peer_config *p = peer_named(c, section + 5);
        if (p == NULL) return 0;
        if (strcmp(key, "endpoint") == 0) return copy(p->endpoint, sizeof p->endpoint, v) == 0;
        if (strcmp(key, "key") == 0) return proto_pubkey_parse(v, strlen(v), p->key) == PROTO_OK;
        return 0;
    }
    return 0;
}

int config_load(struct node_config *c, const char *path, char *msg, size_t msg_len)
{
    int rc = ini_parse(path, on_line, c);
    if (rc == 0) return 0;
    if (rc < 0)
        snprintf(msg, msg_len, "%s: cannot read the file", path);
    else
        snprintf(msg, msg_len, "%s:%d: unknown setting, bad value, or too many peers", path, rc);
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
        copy(p->endpoint, sizeof p->endpoint, at + 1) != 0) {
        if (p) c->n_peers--;
        snprintf(msg, msg_len, "-p %s: expected NODEKEY@ENDPOINT (wpk1...@tcp://host:port)", spec);
        return -1;
    }
    p->auto_name = true;
    return 0;
}

int config_check(const struct node_config *c, char *msg, size_t msg_len)
{
    if (c->data_dir[0] == 0) {
        snprintf(msg, msg_len, "no data directory (data_dir in [node], or -d)");
        return -1;
    }
    if (c->sync_interval_ms < 50 || c->sync_interval_ms > 3600000) {
        snprintf(msg, msg_len, "sync interval must be 50 to 3600000 ms");
        return -1;
    }
    if (c->checkpoint_interval_ms < 50 || c->checkpoint_interval_ms > 86400000) {
        snprintf(msg, msg_len, "checkpoint interval must be 50 to 86400000 ms");
        return -1;
    }
    if (c->keep_untrusted && c->roster[0] == 0) {
        snprintf(msg, msg_len, "untrusted = keep (-U) needs a roster (roster, or -R)");
        return -1;
    }
    for (int i = 0; i < c->n_peers; i++) {
        const struct peer_config *p = &c->peers[i];
        if (p->endpoint[0] == 0 || proto_is_zero(p->key, PROTO_KEY_BYTES)) {
            snprintf(msg, msg_len, "[peer %s] needs both endpoint and key", p->name);
            return -1;
        }
        if (strncmp(p->endpoint, "tcp://", 6) != 0 && strncmp(p->endpoint, "ipc://", 6) != 0) {
            snprintf(msg, msg_len, "[peer %s] endpoint must be tcp:// or ipc://", p->name);
            return -1;
        }
    }
    if (c->listen[0] && strncmp(c->listen, "tcp://", 6) != 0 &&
        strncmp(c->listen, "ipc://", 6) != 0) {
        snprintf(msg, msg_len, "listen must be a tcp:// or ipc:// endpoint");
        return -1;
    }
    return 0;
}
