/* policy.c - the trust roster at the node: with a roster configured, a bulletin is accepted
 * (stored and forwarded) only if its issuer is delegated, in scope for its region and not
 * revoked at its issue time (PROTOCOL.md §18); roster records count only when in force. The
 * roster is the configured file (its first record pins the network root) plus every roster
 * record in the store, and grows as records are accepted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys_error.h"
#include "keys_file.h"
#include "node.h"
#include "proto_armor.h"

#define ROSTER_FILE_MAX (16u << 20)
#define UNTRUSTED_TTL_MS 30000 /* an issuer refused is not fetched again for this long */
#define KEPT_MAX 100000        /* bulletins kept apart at most (untrusted = keep) */

struct load_ctx {
    struct node *n;
    size_t refused;
};

static int load_one(const uint8_t *raw, size_t len, void *ctx)
{
    struct load_ctx *l = ctx;
    char err[160];
    if (l->n->roster == NULL) {
        l->n->roster = roster_new(raw, len, err, sizeof err);
        if (l->n->roster == NULL) log_msg(LOG_ERROR, "roster: %s", err);
        return l->n->roster == NULL;
    }
    if (roster_add(l->n->roster, raw, len) != ROSTER_TRUSTED) l->refused++;
    return 0;
}

/* Whether b may be accepted; a roster record is taken into the roster if so. */
static int check(void *ctx, const struct proto_bulletin *b, const uint8_t *raw, size_t len)
{
    struct node *n = ctx;
    size_t before = roster_count(n->roster);
    int st = ROSTER_TRUSTED;
    if (proto_kind_is_roster(b->kind)) st = roster_add(n->roster, raw, len);
    if (st == ROSTER_TRUSTED) st = roster_check(n->roster, b, NULL);
    if (st != ROSTER_TRUSTED && roster_count(n->roster) > before) roster_pop(n->roster);
    if (st == ROSTER_TRUSTED) {
        /* A new record may make refused issuers trusted: let them be fetched again. */
        if (proto_kind_is_roster(b->kind)) memset(n->untrusted, 0, sizeof *n->untrusted);
        return 0;
    }
    char hex[17];
    for (int i = 0; i < 8; i++)
        snprintf(hex + 2 * i, 3, "%02x", b->issuer[i]);
    log_msg(LOG_INFO, "untrusted: %s #%llu from issuer %s...: %s", proto_kind_name(b->kind),
            (unsigned long long)b->sequence, hex, roster_status_name(st));
    seen_test_and_set(n->untrusted, b->issuer, node_now_ms(), UNTRUSTED_TTL_MS);
    if (n->cfg.keep_untrusted && n->kept_untrusted < KEPT_MAX) {
        uint8_t id[PROTO_ID_BYTES];
        proto_bulletin_id(raw, len, id);
        /* Inside the batch's transaction: kept only if the batch commits. */
        if (store_keep_untrusted(n->st, raw, len, id, st) == STORE_OK) n->kept_untrusted++;
        if (n->kept_untrusted == KEPT_MAX)
            log_msg(LOG_WARN, "untrusted: %d bulletins kept apart; refusing more without keeping",
                    KEPT_MAX);
    }
    return st;
}

int policy_open(struct node *n)
{
    if (n->cfg.roster[0] == 0) return 0; /* open: every valid bulletin */
    uint8_t *text = NULL, *out = malloc(PROTO_BULLETIN_MAX + 1);
    size_t len = 0, count = 0;
    struct load_ctx l = {.n = n};
    int rc = keys_file_read(n->cfg.roster, ROSTER_FILE_MAX, &text, &len);
    if (rc != KEYS_OK || out == NULL) {
        log_msg(LOG_ERROR, "roster %s: %s", n->cfg.roster, keys_strerror(rc));
        free(out);
        return -1;
    }
    rc = proto_armor_each(PROTO_ARMOR_BULLETIN, (const char *)text, len, out,
                          PROTO_BULLETIN_MAX + 1, load_one, &l, &count);
    free(text);
    free(out);
    if (rc != 0 || n->roster == NULL) {
        log_msg(LOG_ERROR, "roster %s: %s", n->cfg.roster,
                rc < 0 ? proto_strerror(rc) : "no usable network root as its first bulletin");
        return -1;
    }
    size_t from_file = roster_count(n->roster) - 1;
    store_roster_each(n->st, load_one, &l);
    size_t from_store = roster_count(n->roster) - 1 - from_file;
    n->untrusted = calloc(1, sizeof *n->untrusted);
    if (n->untrusted == NULL) return -1;
    ingest_set_policy(n->in, check, n);
    struct store_stats ss;
    if (store_stats(n->st, &ss) == STORE_OK) n->kept_untrusted = ss.untrusted;
    uint8_t net[PROTO_ID_BYTES];
    roster_network(n->roster, net);
    log_msg(LOG_INFO,
            "roster: network %02x%02x%02x%02x..., root version %llu, %zu records from the file, "
            "%zu from the store, %zu refused; untrusted bulletins are %s",
            net[0], net[1], net[2], net[3], (unsigned long long)roster_root(n->roster)->version,
            from_file, from_store, l.refused, n->cfg.keep_untrusted ? "kept apart" : "dropped");
    return 0;
}

bool policy_shuns(struct node *n, const uint8_t *issuer)
{
    if (n->untrusted == NULL) return false;
    int64_t now = node_now_ms();
    /* seen_test_and_set marks as a side effect; only ask, so undo a fresh mark. */
    if (seen_test_and_set(n->untrusted, issuer, now, UNTRUSTED_TTL_MS)) return true;
    seen_clear(n->untrusted, issuer);
    return false;
}

void policy_close(struct node *n)
{
    roster_free(&n->roster);
    free(n->untrusted);
    n->untrusted = NULL;
}
