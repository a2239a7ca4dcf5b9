/* audit_proof.c - warta audit's transparency-log commands: print a node's signed checkpoint,
 * prove a bulletin is in its log (inclusion), prove a later checkpoint extends an earlier one
 * (consistency), list the conflicts it witnessed, and check any of these files offline. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "keys_error.h"
#include "keys_file.h"
#include "proto_proof.h"
#include "proto_pubkey.h"
#include "tool.h"
#include "i18n.h"

static struct proto_proof proof;
static char text[PROTO_PROOF_MAX];

/* Read a checkpoint or proof file; NULL after printing why. */
static char *read_text(const char *path, size_t *len)
{
    uint8_t *buf = NULL;
    int rc = keys_file_read(path, PROTO_PROOF_MAX, &buf, len);
    if (rc != KEYS_OK) {
        fprintf(stderr, _("warta audit: %s: %s\n"), path, tool_keys_strerror(rc));
        return NULL;
    }
    return (char *)buf;
}

static int write_out(const char *out, const char *s, size_t len)
{
    return tool_write_output(out, s, len) == 0 ? 0 : EXIT_CANTCREAT;
}

/* A checkpoint: the node's latest from its store (path NULL), or the one in the file at path. */
static int load_checkpoint(store *s, const char *path, struct proto_checkpoint *c)
{
    char *note;
    size_t len;
    struct proto_err err = {0};
    if (path == NULL) {
        if (store_checkpoint(s, UINT64_MAX, &note, &len) != STORE_OK) {
            fprintf(stderr, _("warta audit: the node has signed no checkpoint yet (it signs one "
                            "every checkpoint_interval_ms once its log has entries)\n"));
            return EXIT_NOINPUT;
        }
    } else if ((note = read_text(path, &len)) == NULL) {
        return EXIT_NOINPUT;
    }
    int rc = proto_checkpoint_parse(c, note, len, &err);
    free(note);
    if (rc == PROTO_OK) return 0;
    tool_print_proto_err(path ? path : _("the node's checkpoint"), &err);
    return EXIT_DATAERR;
}

/* The node's log must still give the checkpoint's root at its size. */
static int matches_store(store *s, const struct proto_checkpoint *c, const char *what)
{
    proto_hash root;
    if (store_log_root(s, c->size, root) != STORE_OK) {
        fprintf(stderr, _("warta audit: %s: %s\n"), what, store_error(s));
        return EXIT_DATAERR;
    }
    if (memcmp(root, c->root, PROTO_HASH_BYTES) == 0) return 0;
    fprintf(stderr,
            _("warta audit: %s: this node's log of %llu entries has another root: it is not the log "
            "that checkpoint was signed for\n"),
            what, (unsigned long long)c->size);
    return EXIT_DATAERR;
}

int tool_audit_checkpoint(store *s, const char *out)
{
    int rc = load_checkpoint(s, NULL, &proof.cps[0]);
    size_t len = rc ? 0 : proto_checkpoint_format(&proof.cps[0], text, sizeof text);
    return rc ? rc : write_out(out, text, len);
}

int tool_audit_prove(store *s, const char *id_hex, const char *at, const char *out)
{
    struct proto_proof *p = &proof;
    memset(p, 0, sizeof *p);
    p->kind = PROTO_PROOF_INCLUSION;
    if (tool_unhex(id_hex, p->id, PROTO_ID_BYTES) != 0) {
        fprintf(stderr, _("warta audit: --prove wants a bulletin id (64 hex digits)\n"));
        return EXIT_USAGE;
    }
    int rc = load_checkpoint(s, at, &p->cps[0]);
    if (rc == 0) rc = matches_store(s, &p->cps[0], at ? at : _("the latest checkpoint"));
    if (rc) return rc;
    if (store_log_index(s, p->id, &p->index) != STORE_OK) {
        fprintf(stderr, _("warta audit: %s: not in this node's log\n"), id_hex);
        return 1;
    }
    if (p->index >= p->cps[0].size) {
        fprintf(stderr,
                _("warta audit: %s: entry %llu of the log, after the checkpoint's %llu entries "
                "(wait for the next checkpoint)\n"),
                id_hex, (unsigned long long)p->index, (unsigned long long)p->cps[0].size);
        return 1;
    }
    if (store_log_inclusion(s, p->cps[0].size, p->index, p->hashes, &p->n_hashes) != STORE_OK) {
        fprintf(stderr, _("warta audit: %s\n"), store_error(s));
        return EXIT_DATAERR;
    }
    size_t len = proto_proof_format(p, text, sizeof text);
    return write_out(out, text, len);
}

int tool_audit_extends(store *s, const char *old_path, const char *at, const char *out)
{
    struct proto_proof *p = &proof;
    memset(p, 0, sizeof *p);
    p->kind = PROTO_PROOF_CONSISTENCY;
    int rc = load_checkpoint(s, old_path, &p->cps[0]);
    if (rc == 0) rc = load_checkpoint(s, at, &p->cps[1]);
    if (rc) return rc;
    if (memcmp(p->cps[0].key, p->cps[1].key, 32) != 0) {
        fprintf(stderr, _("warta audit: %s: a checkpoint of another node's log\n"), old_path);
        return EXIT_DATAERR;
    }
    if (p->cps[0].size > p->cps[1].size) {
        fprintf(stderr, _("warta audit: %s: %llu entries, more than the newer checkpoint's %llu\n"),
                old_path, (unsigned long long)p->cps[0].size, (unsigned long long)p->cps[1].size);
        return EXIT_DATAERR;
    }
    rc = matches_store(s, &p->cps[0], old_path);
    if (rc == 0) rc = matches_store(s, &p->cps[1], at ? at : _("the latest checkpoint"));
    if (rc) return rc;
    if (p->cps[0].size > 0 && store_log_consistency(s, p->cps[0].size, p->cps[1].size, p->hashes,
                                                    &p->n_hashes) != STORE_OK) {
        fprintf(stderr, _("warta audit: %s\n"), store_error(s));
        return EXIT_DATAERR;
    }
    size_t len = proto_proof_format(p, text, sizeof text);
    return write_out(out, text, len);
}

/* "wpk1..." for a node key, written into the caller's k. */
struct node_name {
    char k[PROTO_PUBKEY_TEXT_LEN + 1];
};

static const char *node_name(const uint8_t key[32], struct node_name *n)
{
    proto_pubkey_format(key, n->k);
    return n->k;
}

static void describe_checkpoint(const char *label, const struct proto_checkpoint *c)
{
    char root[65], when[TOOL_TIME_LEN];
    tool_hex(c->root, PROTO_HASH_BYTES, root);
    tool_time_format(c->time * 1000, when);
    printf(_("  %s: node %s, %llu entries, root %s, signed %s, %zu witness%s\n"), label,
           node_name(c->key, &(struct node_name){0}), (unsigned long long)c->size, root, when, c->n_cosigs,
           c->n_cosigs == 1 ? "" : "es");
}

/* Check one file: 0 when what it claims holds, 1 when it does not, else an exit code. */
static int check_file(const char *path, const uint8_t *want_key, const uint8_t *bulletin_id)
{
    size_t len;
    struct proto_err err = {0};
    char *t = read_text(path, &len);
    if (t == NULL) return EXIT_NOINPUT;
    struct proto_proof *p = &proof;
    int rc = proto_proof_parse(p, t, len, &err);
    if (rc == PROTO_EMAGIC) { /* not a proof: a checkpoint on its own */
        memset(p, 0, sizeof *p);
        rc = proto_checkpoint_parse(&p->cps[0], t, len, &err);
    }
    free(t);
    if (rc != PROTO_OK) {
        if (rc == PROTO_ESIGNATURE)
            tool_print_proto_err(path, &err);
        else
            fprintf(stderr, _("warta audit: %s: not a checkpoint or proof file: '%s' at byte %zu: %s\n"),
                    path, err.field ? err.field : "?", err.offset, _(proto_strerror(err.code)));
        return rc == PROTO_ESIGNATURE ? 1 : EXIT_MALFORMED;
    }
    if (want_key && memcmp(p->cps[0].key, want_key, 32) != 0) {
        printf(_("%s: FAILS: signed by node %s, not the node given\n"), path,
               node_name(p->cps[0].key, &(struct node_name){0}));
        return 1;
    }
    if (bulletin_id && (p->kind != PROTO_PROOF_INCLUSION || memcmp(p->id, bulletin_id, 32) != 0)) {
        printf(_("%s: FAILS: not a proof for that bulletin\n"), path);
        return 1;
    }
    char hex[65];
    switch (p->kind) {
    case 0:
        printf(_("%s: a valid checkpoint\n"), path);
        describe_checkpoint(_("checkpoint"), &p->cps[0]);
        return 0;
    case PROTO_PROOF_INCLUSION:
        tool_hex(p->id, 32, hex);
        if (proto_proof_check(p, &err) != PROTO_OK) break;
        printf(_("%s: bulletin %s is entry %llu of the log\n"), path, hex,
               (unsigned long long)p->index);
        describe_checkpoint(_("at checkpoint"), &p->cps[0]);
        return 0;
    case PROTO_PROOF_CONSISTENCY:
        if (proto_proof_check(p, &err) != PROTO_OK) break;
        printf(_("%s: the newer checkpoint extends the older: nothing removed or reordered\n"), path);
        describe_checkpoint(_("older"), &p->cps[0]);
        describe_checkpoint(_("newer"), &p->cps[1]);
        return 0;
    case PROTO_PROOF_CONFLICT:
        if (proto_proof_check(p, &err) != PROTO_OK) break;
        printf(_("%s: CONFLICT: node %s signed two different logs of %llu entries\n"), path,
               node_name(p->cps[0].key, &(struct node_name){0}), (unsigned long long)p->cps[0].size);
        describe_checkpoint(_("one"), &p->cps[0]);
        describe_checkpoint(_("other"), &p->cps[1]);
        return 0;
    }
    printf(_("%s: FAILS: %s does not hold\n"), path, err.field ? err.field : "the proof");
    return 1;
}

int tool_audit_check(char **paths, int n, const char *key_arg, const char *bulletin_path)
{
    uint8_t key[32], id[32];
    if (key_arg && tool_resolve_pubkey(key_arg, key) != 0) return EXIT_USAGE;
    if (bulletin_path) {
        uint8_t *raw;
        size_t len;
        int read = tool_read_bulletin(bulletin_path, &raw, &len);
        if (read != 0) return tool_read_exit(read);
        proto_bulletin_id(raw, len, id);
        free(raw);
    }
    int worst = 0;
    for (int i = 0; i < n; i++) {
        int rc = check_file(paths[i], key_arg ? key : NULL, bulletin_path ? id : NULL);
        if (rc > worst) worst = rc;
    }
    return worst;
}

struct conflicts {
    const char *dir;
    int count, rc;
};

static int list_conflict(const uint8_t *k, size_t kn, const uint8_t *v, size_t vn, void *ctx)
{
    struct conflicts *cs = ctx;
    char path[4200], hex[17];
    struct proto_proof *p = &proof;
    (void)k, (void)kn;
    cs->count++;
    if (proto_proof_parse(p, (const char *)v, vn, NULL) != PROTO_OK ||
        proto_proof_check(p, NULL) != PROTO_OK) {
        printf(_("conflict %d: damaged in the store\n"), cs->count);
        cs->rc = 1;
        return 0;
    }
    printf(_("conflict %d: node %s signed two different logs of %llu entries\n"), cs->count,
           node_name(p->cps[0].key, &(struct node_name){0}), (unsigned long long)p->cps[0].size);
    describe_checkpoint(_("one"), &p->cps[0]);
    describe_checkpoint(_("other"), &p->cps[1]);
    if (cs->dir == NULL) return 0;
    tool_hex(p->cps[0].key, 8, hex);
    snprintf(path, sizeof path, "%s/conflict-%s-%llu-%d.txt", cs->dir, hex,
             (unsigned long long)p->cps[0].size, cs->count);
    int rc = write_out(path, (const char *)v, vn);
    if (rc == 0) printf(_("  written to %s\n"), path);
    if (rc > cs->rc) cs->rc = rc;
    return 0;
}

/* Make the folder at path and those above it that are missing (as mkdir -p). */
static int make_dirs(const char *path)
{
    char p[4096];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof p) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(p, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (p[i] != '/' && p[i] != 0) continue;
        char c = p[i];
        p[i] = 0;
        if (mkdir(p, 0755) != 0 && errno != EEXIST) return -1;
        p[i] = c;
    }
    return 0;
}

int tool_audit_conflicts(store *s, const char *dir)
{
    struct conflicts cs = {dir, 0, 0};
    if (dir != NULL && make_dirs(dir) != 0) {
        fprintf(stderr, _("warta audit: %s: %s\n"), dir, strerror(errno));
        return EXIT_CANTCREAT;
    }
    if (store_table_each(s, STORE_T_EVIDENCE, list_conflict, &cs) != STORE_OK) {
        fprintf(stderr, _("warta audit: %s\n"), store_error(s));
        return EXIT_NOINPUT;
    }
    if (cs.count == 0) printf(_("no conflicts: no node was seen signing two different logs\n"));
    return cs.rc ? cs.rc : cs.count ? 1 : 0;
}
