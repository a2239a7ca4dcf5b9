/* audit_compare.c - warta audit --compare: whether two nodes hold the same history. Their logs
 * differ in order (each is the order its node stored bulletins in), so the comparison is of
 * what they hold: every issuer's chain, entry by entry (issuer, sequence -> id). Each side is a
 * node's data directory, or a `warta export` of one (JSON Lines), whose signed bytes are
 * checked again here: a line that does not verify stops the comparison. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "proto_pubkey.h"
#include "proto_wire.h"
#include "tool.h"
#include "i18n.h"

#define ENTRY 72 /* issuer (32) | sequence (8) | id (32) */

struct chains {
    uint8_t *e; /* n entries of ENTRY bytes, in key order */
    size_t n, cap;
};

static int collect(const uint8_t *k, size_t kn, const uint8_t *v, size_t vn, void *ctx)
{
    struct chains *c = ctx;
    if (kn != 40 || vn != 32) return 0; /* damaged: warta audit on that node names it */
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 4096;
        uint8_t *e = realloc(c->e, cap * ENTRY);
        if (e == NULL) return 1;
        c->e = e, c->cap = cap;
    }
    memcpy(c->e + c->n * ENTRY, k, 40);
    memcpy(c->e + c->n * ENTRY + 40, v, 32);
    c->n++;
    return 0;
}

static int by_key(const void *a, const void *b)
{
    return memcmp(a, b, 40);
}

int tool_export_entry(const char *line, size_t n, uint8_t entry[72])
{
    json_t *o = json_loadb(line, n, 0, NULL);
    const char *b64 = json_string_value(json_object_get(o, "encoding"));
    size_t len = b64 ? strlen(b64) : 0, got = 0;
    uint8_t *raw = b64 ? malloc(len ? len : 1) : NULL;
    struct proto_bulletin b;
    int rc = raw != NULL &&
                     sodium_base642bin(raw, len, b64, len, NULL, &got, NULL,
                                       sodium_base64_VARIANT_ORIGINAL) == 0 &&
                     proto_bulletin_decode(&b, raw, got, NULL) == PROTO_OK &&
                     proto_bulletin_verify(&b, raw, got) == PROTO_OK
                 ? 0
                 : -1;
    if (rc == 0) {
        proto_state_set(entry, 0, b.issuer, b.sequence);
        proto_bulletin_id(raw, got, entry + 40);
    }
    free(raw);
    json_decref(o);
    return rc;
}

/* The chain entries of an export, each line checked with tool_export_entry. */
static int load_export(const char *path, struct chains *c)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t n;
    int rc = 0;
    if (f == NULL) {
        perror(path);
        return EXIT_NOINPUT;
    }
    while (rc == 0 && (n = getline(&line, &cap, f)) > 0) {
        uint8_t entry[ENTRY];
        lineno++;
        if (tool_export_entry(line, (size_t)n, entry) != 0) {
            fprintf(stderr, _("warta audit: %s: line %zu: no bulletin that verifies (\"encoding\")\n"),
                    path, lineno);
            rc = EXIT_DATAERR;
        } else if (collect(entry, 40, entry + 40, 32, c) != 0) {
            rc = EXIT_DATAERR;
        }
    }
    free(line);
    fclose(f);
    if (rc == 0) qsort(c->e, c->n, ENTRY, by_key); /* an export is newest first */
    for (size_t i = 1; rc == 0 && i < c->n; i++)
        if (memcmp(c->e + (i - 1) * ENTRY, c->e + i * ENTRY, 40) == 0) {
            fprintf(stderr, _("warta audit: %s: two bulletins at one issuer's sequence\n"), path);
            rc = EXIT_DATAERR;
        }
    return rc;
}

static int load(const char *dir, struct chains *c)
{
    struct stat sb;
    if (stat(dir, &sb) == 0 && S_ISREG(sb.st_mode)) return load_export(dir, c);
    store *s = tool_open_store(dir);
    if (s == NULL) return EXIT_NOINPUT;
    int rc = store_table_each(s, STORE_T_CHAIN, collect, c);
    if (rc != STORE_OK) fprintf(stderr, _("warta audit: %s: %s\n"), dir, store_error(s));
    store_close(&s);
    return rc == STORE_OK ? 0 : EXIT_NOINPUT;
}

/* One difference, described; only the first few of each kind are printed. */
static void report(const char *what, const uint8_t *e, unsigned long long *count)
{
    char key[PROTO_PUBKEY_TEXT_LEN + 1], id[65];
    uint64_t seq = 0;
    for (int i = 0; i < 8; i++)
        seq = seq << 8 | e[32 + i];
    if (++*count > 5) return;
    proto_pubkey_format(e, key);
    tool_hex(e + 40, 32, id);
    printf(_("%s: issuer %s sequence %llu (%.16s...)\n"), what, key, (unsigned long long)seq, id);
}

int tool_audit_compare(const char *a_dir, const char *b_dir)
{
    struct chains a = {0}, b = {0};
    int rc = load(a_dir, &a);
    if (rc == 0) rc = load(b_dir, &b);
    if (rc != 0) {
        free(a.e), free(b.e);
        return rc;
    }
    unsigned long long only_a = 0, only_b = 0, differ = 0, same = 0;
    size_t i = 0, j = 0;
    while (i < a.n || j < b.n) {
        int c = i == a.n ? 1 : j == b.n ? -1 : memcmp(a.e + i * ENTRY, b.e + j * ENTRY, 40);
        if (c < 0) {
            report(_("only in the first"), a.e + i++ * ENTRY, &only_a);
        } else if (c > 0) {
            report(_("only in the second"), b.e + j++ * ENTRY, &only_b);
        } else {
            if (memcmp(a.e + i * ENTRY + 40, b.e + j * ENTRY + 40, 32) != 0)
                report(_("a different bulletin at"), a.e + i * ENTRY, &differ);
            else
                same++;
            i++, j++;
        }
    }
    free(a.e), free(b.e);
    if (only_a + only_b + differ == 0) {
        printf(_("same history: both hold the same %llu bulletins, chain by chain\n"), same);
        return 0;
    }
    printf(_("DIFFERENT: %llu in both, %llu only in %s, %llu only in %s, %llu positions where "
           "they hold different bulletins\n"),
           same, only_a, a_dir, only_b, b_dir, differ);
    return 1;
}
