/* cmd_chain.c - warta chain: where a key's chain stands (PROTOCOL.md §9), and its repair: write
 * out a signed bulletin that never left the chain file, or take the chain state from a node's
 * store or from a bulletin file when the key file's own is missing or behind (a key copied to
 * another computer without its .chain, a .chain lost with a disk). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys_chain.h"
#include "keys_error.h"
#include "keys_secret.h"
#include "tool.h"
#include "i18n.h"

static void chain_usage(FILE *f)
{
    fprintf(f, _("usage: warta chain --key KEYFILE [--node DATA_DIR]\n"
               "       warta chain --key KEYFILE -o FILE\n"
               "       warta chain --key KEYFILE (--from-node DATA_DIR | --from BULLETIN)\n\n"
               "Where the key's chain stands: the sequence and id of the last bulletin signed\n"
               "with it (kept in KEYFILE.chain), whether that one was written out, and with\n"
               "--node, how far the node holds the key's chain.\n"
               "-o FILE writes the last signed bulletin out (after a failed write).\n"
               "--from-node / --from take the chain state from the key's latest bulletin in a\n"
               "node's store or in a file, when KEYFILE.chain is missing or behind; the\n"
               "bulletin's signature is checked. Exit 0, 65 if the chain state is behind the\n"
               "node's or not written out, 64 usage.\n"
               "example: warta chain --key office.key --node /var/lib/warta\n"));
}

struct latest {
    uint8_t *raw;
    size_t len;
};

static int keep_latest(const uint8_t *raw, size_t len, void *ctx)
{
    struct latest *l = ctx;
    free(l->raw);
    l->raw = malloc(len);
    if (l->raw == NULL) return 1;
    memcpy(l->raw, raw, len);
    l->len = len;
    return 0;
}

/* The node's latest bulletin of pk into *l (raw NULL if it holds none); its head in *head. */
static int node_latest(const char *dir, const uint8_t *pk, uint64_t *head, struct latest *l)
{
    bool forked = false;
    store *s = tool_open_store(dir);
    if (s == NULL) return EXIT_NOINPUT;
    int rc = store_head(s, pk, head, &forked);
    if (rc == STORE_OK && *head > 0) rc = store_range(s, pk, *head, 1, keep_latest, l);
    if (rc != STORE_OK) fprintf(stderr, _("warta chain: %s: %s\n"), dir, store_error(s));
    store_close(&s);
    return rc == STORE_OK ? 0 : EXIT_NOINPUT;
}

/* The key file's chain state st against the key's chain in the node's store at dir. */
enum place {
    PLACE_OK,       /* level with the node, or ahead of it */
    PLACE_BEHIND,   /* the node holds later bulletins of the key */
    PLACE_DIVERGED, /* the node holds another bulletin at the key file's last sequence */
};
static int against_node(const struct keys_chain *st, const uint8_t *pk, const char *dir,
                        uint64_t *head, enum place *place)
{
    struct latest l = {0};
    uint8_t id[PROTO_ID_BYTES];
    int rc = node_latest(dir, pk, head, &l);
    if (l.raw) proto_bulletin_id(l.raw, l.len, id);
    free(l.raw);
    *place = *head > st->last_sequence ? PLACE_BEHIND
             : *head == st->last_sequence && *head > 0 &&
                     memcmp(id, st->last_id, PROTO_ID_BYTES) != 0
                 ? PLACE_DIVERGED
                 : PLACE_OK;
    return rc;
}

static int status(const char *key, const uint8_t *pk, const struct keys_chain *st, const char *dir)
{
    char hex[2 * PROTO_ID_BYTES + 1];
    tool_hex(st->last_id, PROTO_ID_BYTES, hex);
    bool unsent = keys_chain_unsent(key);
    if (st->last_sequence == 0)
        printf(_("%s: no bulletin signed with this key file yet (next: sequence 1)\n"), key);
    else
        printf(_("%s: last signed sequence %llu, id %s%s\n"), key,
               (unsigned long long)st->last_sequence, hex,
               unsent ? "\n  NOT WRITTEN OUT: write it with warta chain --key KEYFILE -o FILE"
                      : "");
    if (dir == NULL) return unsent ? EXIT_DATAERR : 0;
    uint64_t head = 0;
    enum place place;
    int rc = against_node(st, pk, dir, &head, &place);
    if (rc) return rc;
    printf(_("%s: holds the key's chain up to sequence %llu\n"), dir, (unsigned long long)head);
    if (place == PLACE_BEHIND)
        printf(_("BEHIND: this key file would sign a sequence the network already has; recover "
               "with warta chain --key KEYFILE --from-node %s\n"),
               dir);
    if (place == PLACE_DIVERGED)
        printf(_("DIVERGED: the node holds another bulletin at sequence %llu\n"),
               (unsigned long long)head);
    return unsent || place != PLACE_OK ? EXIT_DATAERR : 0;
}

/* Take raw (the key's bulletin, to be checked) as the new chain state, if it is ahead. */
static int adopt(const char *key, const uint8_t *pk, const struct keys_chain *st,
                 const uint8_t *raw, size_t len, const char *from)
{
    struct proto_bulletin b;
    if (tool_bulletin_of(raw, len, pk, &b) != 0) {
        fprintf(stderr, _("warta chain: %s: not a bulletin of this key whose signature verifies\n"),
                from);
        return EXIT_DATAERR;
    }
    if (b.sequence <= st->last_sequence) {
        fprintf(stderr,
                _("warta chain: %s is at sequence %llu; the key file's chain is at %llu already: "
                "nothing to recover\n"),
                from, (unsigned long long)b.sequence, (unsigned long long)st->last_sequence);
        return 0;
    }
    if (keys_chain_save(key, raw, len) != KEYS_OK) {
        fprintf(stderr, _("warta chain: %s.chain: cannot write it\n"), key);
        return EXIT_CANTCREAT;
    }
    keys_chain_sent(key); /* the bulletin adopted exists elsewhere: it came from there */
    printf(_("%s: chain state taken from %s: last sequence %llu; the next bulletin follows it\n"), key,
           from, (unsigned long long)b.sequence);
    return 0;
}

int tool_chain_check(const char *key, const uint8_t *pk, const char *dir)
{
    struct keys_chain st;
    uint64_t head = 0;
    enum place place;
    if (keys_chain_load(key, pk, &st) != KEYS_OK) return 0; /* signing reports it */
    int rc = against_node(&st, pk, dir, &head, &place);
    if (rc != 0) return rc;
    if (place != PLACE_OK) {
        fprintf(tool_err(),
                _("warta sign: %s already holds this key's chain up to sequence %llu, but %s.chain "
                "is at %llu: the key was used elsewhere, or its chain state is missing. Signing "
                "now would fork the office's chain; nothing signed. Recover the chain state with "
                "`warta chain --key %s --from-node %s`\n"),
                dir, (unsigned long long)head, key, (unsigned long long)st.last_sequence, key, dir);
        return EXIT_DATAERR;
    }
    return 0;
}

int cmd_chain(int argc, char **argv)
{
    static const struct option opts[] = {{"key", required_argument, NULL, 'k'},
                                         {"node", required_argument, NULL, 'n'},
                                         {"from-node", required_argument, NULL, 'N'},
                                         {"from", required_argument, NULL, 'f'},
                                         {"output", required_argument, NULL, 'o'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *key = NULL, *node = NULL, *from_node = NULL, *from = NULL, *out = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'k':
            key = optarg;
            break;
        case 'n':
            node = optarg;
            break;
        case 'N':
            from_node = optarg;
            break;
        case 'f':
            from = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        case 'h':
            chain_usage(stdout);
            return 0;
        default:
            chain_usage(stderr);
            return EXIT_USAGE;
        }
    }
    int modes = (out != NULL) + (from_node != NULL) + (from != NULL);
    if (key == NULL || optind != argc || modes > 1 || (node && modes)) {
        chain_usage(stderr);
        return EXIT_USAGE;
    }
    uint8_t pk[PROTO_KEY_BYTES];
    struct keys_chain st;
    int rc = keys_secret_read_pk(key, pk);
    if (rc != KEYS_OK) {
        fprintf(stderr, _("warta chain: %s: %s\n"), key, tool_keys_strerror(rc));
        return EXIT_NOINPUT;
    }
    int lock = keys_chain_lock(key);
    if (lock < 0) {
        fprintf(stderr, _("warta chain: %s: %s\n"), key, tool_keys_strerror(lock));
        return lock == KEYS_ELOCKED ? EXIT_DATAERR : EXIT_NOINPUT;
    }
    rc = keys_chain_load(key, pk, &st);
    if (rc != KEYS_OK) {
        fprintf(stderr, _("warta chain: %s.chain: %s\n"), key, tool_keys_strerror(rc));
        keys_chain_unlock(lock);
        return EXIT_DATAERR;
    }
    char chain_path[4200];
    snprintf(chain_path, sizeof chain_path, "%s.chain", key);
    uint8_t *raw = NULL;
    size_t len = 0;
    if (out != NULL) {
        if (st.last_sequence == 0) {
            fprintf(stderr, _("warta chain: nothing has been signed with %s\n"), key);
            rc = EXIT_DATAERR;
        } else if (tool_read_bulletin(chain_path, &raw, &len) != 0) {
            rc = EXIT_NOINPUT;
        } else if (tool_write_bulletin(out, raw, len, false) != 0) {
            rc = EXIT_CANTCREAT;
        } else {
            keys_chain_sent(key);
            fprintf(stderr, _("sequence %llu written to %s\n"), (unsigned long long)st.last_sequence,
                    out);
            rc = 0;
        }
    } else if (from_node != NULL) {
        uint64_t head = 0;
        struct latest l = {0};
        rc = node_latest(from_node, pk, &head, &l);
        if (rc == 0 && l.raw == NULL) {
            fprintf(stderr, _("warta chain: %s holds no bulletin of this key\n"), from_node);
            rc = EXIT_DATAERR;
        } else if (rc == 0) {
            rc = adopt(key, pk, &st, l.raw, l.len, from_node);
        }
        free(l.raw);
    } else if (from != NULL) {
        int read = tool_read_bulletin(from, &raw, &len);
        rc = read != 0 ? tool_read_exit(read) : adopt(key, pk, &st, raw, len, from);
    } else {
        rc = status(key, pk, &st, node);
    }
    free(raw);
    keys_chain_unlock(lock);
    return rc;
}
