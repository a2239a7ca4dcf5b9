/* policy.c - the trust roster at the node: with a roster configured, a bulletin is accepted
 * (stored and forwarded) only if its issuer is delegated, in scope for its region and not
 * revoked at its issue time (PROTOCOL.md §18); roster records count only when in force. The
 * roster is the configured file (its first record pins the network root) plus every roster
 * record in the store, and grows as records are accepted. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "node.h"
#include "i18n.h"
#define UNTRUSTED_TTL_MS 30000 /* an issuer refused is not fetched again for this long */
#define KEPT_MAX 100000        /* bulletins kept apart at most (untrusted = keep) */

/* Whether b may be accepted; a roster record is taken into the roster if so. */
static int check(void *ctx, const struct proto_bulletin *b, const uint8_t *raw, size_t len,
                 const uint8_t *id)
{
    struct node *n = ctx;
    size_t before = roster_count(n->roster);
    int st = ROSTER_TRUSTED;
    if (proto_kind_is_roster(b->kind)) st = roster_add(n->roster, raw, len);
    if (st == ROSTER_TRUSTED) st = roster_check(n->roster, b, id, NULL);
    if (st != ROSTER_TRUSTED && roster_count(n->roster) > before) roster_pop(n->roster);
    if (st == ROSTER_TRUSTED) {
        /* A new record may make refused issuers trusted: let them be fetched again. */
        if (proto_kind_is_roster(b->kind)) n->roster_changed_ms = node_now_ms();
        return 0;
    }
    char hex[17];
    sodium_bin2hex(hex, sizeof hex, b->issuer, 8);
    log_msg(LOG_DEBUG, _("untrusted: %s #%llu from issuer %s...: %s"), proto_kind_name(b->kind),
            (unsigned long long)b->sequence, hex, _(roster_status_name(st)));
    seen_test_and_set(n->untrusted, b->issuer, node_now_ms(), UNTRUSTED_TTL_MS);
    if (n->cfg.keep_untrusted && n->kept_untrusted < KEPT_MAX) {
        /* Inside the batch's transaction: kept only if the batch commits. */
        if (store_keep_untrusted(n->st, raw, len, id, st) == STORE_OK) n->kept_untrusted++;
        if (n->kept_untrusted == KEPT_MAX)
            log_msg(LOG_WARN, _("untrusted: %d bulletins kept apart; refusing more without keeping"),
                    KEPT_MAX);
    }
    return st;
}

/* The batch's transaction committed (the records it took in stay) or was aborted (they go:
 * they are not stored, and come back if offered again). */
static void txn_done(void *ctx, enum ingest_txn what)
{
    struct node *n = ctx;
    if (what == INGEST_TXN_COMMITTED) {
        n->roster_kept = roster_count(n->roster);
        n->kept_untrusted_stored = n->kept_untrusted;
    } else {
        roster_truncate(n->roster, n->roster_kept);
        n->kept_untrusted = n->kept_untrusted_stored;
    }
}

/* The roster file with the store's records added; NULL (logged) if the file fails. */
static roster *load(struct node *n, const char *path, const char *what)
{
    char err[200];
    size_t refused = 0;
    roster *r = roster_load(path, &refused, err, sizeof err);
    if (r == NULL) {
        log_msg(LOG_ERROR, _("roster %s: %s%s"), path, err, what);
        return NULL;
    }
    size_t from_file = roster_count(r) - 1;
    store_roster_each(n->st, roster_visit_add, r);
    uint8_t net[PROTO_ID_BYTES];
    char hex[9];
    roster_network(r, net);
    sodium_bin2hex(hex, sizeof hex, net, 4);
    log_msg(LOG_INFO,
            _("roster: network %s..., root version %llu, %zu records from the file (%zu refused), "
            "%zu from the store; untrusted bulletins are %s"),
            hex, (unsigned long long)roster_root(r)->version, from_file, refused,
            roster_count(r) - 1 - from_file, n->cfg.keep_untrusted ? _("kept apart") : _("dropped"));
    return r;
}

int policy_open(struct node *n)
{
    if (n->cfg.roster[0] == 0) return 0; /* open: every valid bulletin */
    if ((n->roster = load(n, n->cfg.roster, "")) == NULL) return -1;
    n->untrusted = calloc(1, sizeof *n->untrusted);
    if (n->untrusted == NULL) return -1;
    n->roster_kept = roster_count(n->roster);
    ingest_set_policy(n->in, check, txn_done, n);
    struct store_stats ss;
    if (store_stats(n->st, &ss) == STORE_OK) n->kept_untrusted = ss.untrusted;
    n->kept_untrusted_stored = n->kept_untrusted;
    return 0;
}

int policy_reload(struct node *n, const char *path)
{
    if (n->roster == NULL) return 0; /* open network: nothing to read */
    gossip_flush(n); /* records waiting for a commit are stored first, then read back */
    roster *r = load(n, path, _(" (the roster in force stays)"));
    if (r == NULL) return -1;
    uint8_t was[PROTO_ID_BYTES], now[PROTO_ID_BYTES];
    roster_network(n->roster, was);
    roster_network(r, now);
    if (memcmp(was, now, PROTO_ID_BYTES) != 0) {
        log_msg(LOG_ERROR, _("roster %s pins another network than the one this node is in; the "
                           "roster in force stays (restart wartad to change networks)"), path);
        roster_free(&r);
        return -1;
    }
    roster_free(&n->roster);
    n->roster = r;
    n->roster_kept = roster_count(r);
    n->roster_changed_ms = node_now_ms(); /* refused issuers may be trusted now: fetch again */
    return 0;
}

bool policy_shuns(struct node *n, const uint8_t *issuer)
{
    if (n->untrusted == NULL) return false;
    /* Refused lately, and no roster record has come in force since. */
    int64_t until = seen_until(n->untrusted, issuer);
    return until > node_now_ms() && until - UNTRUSTED_TTL_MS > n->roster_changed_ms;
}

void policy_close(struct node *n)
{
    roster_free(&n->roster);
    free(n->untrusted);
    n->untrusted = NULL;
}
