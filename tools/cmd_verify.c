/* cmd_verify.c - warta verify: does this bulletin come, unaltered, from this issuer key? */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proto_pubkey.h"
#include "tool.h"
#include "i18n.h"

static void verify_usage(FILE *f)
{
    fprintf(f,
            _("usage: warta verify FILE (--key PUBKEY | --roster ROSTER [--node DATA_DIR])\n"
            "                    [--at TIME] [--json]\n\n"
            "PUBKEY is a wpk1... text, a .pub file, or a secret key file (only its public half\n"
            "is read). Checks, in order: the bulletin is well-formed; it names PUBKEY as issuer;\n"
            "the signature is valid; it has not expired at TIME (default now).\n"
            "ROSTER is a file of roster bulletins, the network root first: the issuer must be\n"
            "delegated, in scope for the bulletin's region and not revoked when it was issued;\n"
            "the office, role, scope and delegation path are printed. --node adds the roster\n"
            "records held by a node's store (read-only, while it runs).\n\n"
            "exit 0 valid, 1 bad signature (forged or altered), 2 issued by a different key,\n"
            "     3 malformed, 4 expired, 5 not trusted by the roster, 64 usage error,\n"
            "     66 file cannot be read\n"
            "example: warta verify tsunami.wb --roster root.wrb --node /var/lib/warta\n"));
}

static void print_human(const struct proto_bulletin *b, const uint8_t *raw, size_t len)
{
    uint8_t id[PROTO_ID_BYTES];
    char hex[2 * PROTO_ID_BYTES + 1], pk[PROTO_PUBKEY_TEXT_LEN + 1];
    char fp[PROTO_FINGERPRINT_LEN + 1], t[TOOL_TIME_LEN];
    proto_bulletin_id(raw, len, id);
    tool_hex(id, PROTO_ID_BYTES, hex);
    proto_pubkey_format(b->issuer, pk);
    proto_pubkey_fingerprint(b->issuer, fp);
    tool_time_format(b->issued_at, t);
    printf(_("VALID %s #%llu\n"), tool_kind_label(b->kind), (unsigned long long)b->sequence);
    if (proto_kind_is_roster(b->kind)) {
        struct proto_roster r;
        if (proto_roster_decode(&r, b->kind, b->record.p, b->record.n, NULL) == PROTO_OK)
            tool_print_record(&r);
        return;
    }
    printf(_("  id:       %s\n"), hex);
    printf(_("  issuer:   %s\n  fingerprint: %s\n"), pk, fp);
    printf(_("  issued:   %s\n"), t);
    if (b->expires_at != 0) {
        tool_time_format(b->expires_at, t);
        printf(_("  expires:  %s\n"), t);
    }
    if (b->kind == PROTO_KIND_RECEIPT) {
        tool_hex(b->subject, PROTO_ID_BYTES, hex);
        tool_time_format(b->acted_at, t);
        printf(_("  bulletin: %s\n"), hex);
        printf(_("  action:   %s, %lu items, at %s\n"), proto_action_name(b->action),
               (unsigned long)b->items, t);
        if (b->reason.n) printf(_("  reason:   %.*s\n"), (int)b->reason.n, (const char *)b->reason.p);
        return;
    }
    printf(_("  region:   %.*s\n"), (int)b->region.n,
           b->region.n ? (const char *)b->region.p : "(national)");
    if (b->kind == PROTO_KIND_REPORT) {
        printf(_("  claim:    %.*s%s\n"), (int)b->claim.n, (const char *)b->claim.p,
               b->priority == PROTO_PRIORITY_URGENT ? "  [URGENT]" : "");
        for (size_t i = 0; i < b->n_links; i++)
            printf(_("  seen at:  %.*s\n"), (int)b->links[i].url.n,
                   (const char *)b->links[i].url.p);
        if (!proto_is_zero(b->content_hash, PROTO_HASH_BYTES)) {
            tool_hex(b->content_hash, PROTO_HASH_BYTES, hex);
            printf(_("  content SHA-256: %s\n"), hex);
        }
        return;
    }
    printf(_("  verdict:  %.*s%s\n"), (int)b->verdict.n, (const char *)b->verdict.p,
           b->priority == PROTO_PRIORITY_URGENT ? "  [URGENT]" : "");
    printf(_("  title:    %.*s\n"), (int)b->title.n, (const char *)b->title.p);
    for (size_t i = 0; i < b->n_answers; i++) {
        tool_hex(b->answers[i], PROTO_ID_BYTES, hex);
        printf(_("  answers report: %s\n"), hex);
    }
}

static void print_office(const struct roster_office *w, roster *ro)
{
    const struct proto_roster *d = &w->delegation;
    char pk[PROTO_PUBKEY_TEXT_LEN + 1];
    printf(_("  office:   %.*s (%.*s), %s, regions "), (int)d->name.n, (const char *)d->name.p,
           (int)d->office.n, (const char *)d->office.p, proto_role_name(d->role));
    for (size_t i = 0; i < d->n_regions; i++)
        printf("%s%.*s", i ? ", " : "", d->regions[i].n ? (int)d->regions[i].n : 8,
               d->regions[i].n ? (const char *)d->regions[i].p : "national");
    printf("\n");
    if (!proto_is_zero(w->via_rotation, PROTO_KEY_BYTES)) {
        proto_pubkey_format(w->via_rotation, pk);
        printf(_("  rotated from: %s\n"), pk);
    }
    for (size_t i = 0; i < w->depth; i++) {
        struct roster_office up;
        proto_pubkey_format(w->path[i], pk);
        if (roster_key_at(ro, w->path[i], d->valid_from, &up) == ROSTER_TRUSTED)
            printf(_("  delegated by: %.*s (%.*s), %s\n                %s\n"),
                   (int)up.delegation.name.n, (const char *)up.delegation.name.p,
                   (int)up.delegation.office.n, (const char *)up.delegation.office.p,
                   proto_role_name(up.delegation.role), pk);
        else
            printf(_("  delegated by: %s\n"), pk);
    }
    if (w->path_to_root)
        printf(_("  delegated by: network root version %llu (%u signatures required)\n"),
               (unsigned long long)w->root_version, w->root_threshold);
}

static int report(bool json, const struct tool_verdict *v, const uint8_t *raw, size_t len,
                  roster *ro)
{
    if (json)
        tool_print_json(tool_verdict_json(v, raw, len), JSON_ENSURE_ASCII);
    else if (v->result == VERIFY_VALID) {
        print_human(v->b, raw, len);
        if (v->has_office) print_office(&v->office, ro);
    } else {
        fprintf(stderr, "%s\n", v->msg);
    }
    return v->result;
}

int cmd_verify(int argc, char **argv)
{
    static const struct option opts[] = {{"key", required_argument, NULL, 'k'},
                                         {"at", required_argument, NULL, 'a'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"roster", required_argument, NULL, 'r'},
                                         {"node", required_argument, NULL, 'n'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *key = NULL, *roster_path = NULL, *node_dir = NULL;
    bool json = false;
    uint64_t at = tool_time_now();
    int c;
    while ((c = getopt_long(argc, argv, "k:h", opts, NULL)) != -1) {
        switch (c) {
        case 'k':
            key = optarg;
            break;
        case 'j':
            json = true;
            break;
        case 'r':
            roster_path = optarg;
            break;
        case 'n':
            node_dir = optarg;
            break;
        case 'a':
            if (tool_time_parse(optarg, &at) == 0) break;
            fprintf(stderr, _("warta verify: --at: not a time like 2026-11-23T10:00:00Z, 2026-11-23T17:00:00+07:00 or 2026-11-23 17:00:00 WIB\n"));
            return EXIT_USAGE;
        case 'h':
            verify_usage(stdout);
            return 0;
        default:
            verify_usage(stderr);
            return EXIT_USAGE;
        }
    }
    if ((key == NULL && roster_path == NULL) || (node_dir && !roster_path) || optind != argc - 1) {
        verify_usage(stderr);
        return EXIT_USAGE;
    }
    const char *path = argv[optind];
    uint8_t pk[PROTO_KEY_BYTES], *raw = NULL;
    size_t len = 0;
    if (key != NULL && tool_resolve_pubkey(key, pk) != 0) return EXIT_USAGE;
    roster *ro = NULL;
    if (roster_path != NULL && (ro = tool_load_roster(roster_path)) == NULL) return EXIT_NOINPUT;
    if (node_dir != NULL && tool_roster_from_node(ro, node_dir) != 0) {
        roster_free(&ro);
        return EXIT_NOINPUT;
    }
    /* FILE, or with --node the id of a bulletin the node holds (as warta list shows it). */
    if (node_dir != NULL && access(path, F_OK) != 0 && tool_is_id_prefix(path)) {
        int got = tool_bulletin_by_id(node_dir, path, &raw, &len);
        if (got != 0) {
            roster_free(&ro);
            return got;
        }
    } else {
        int read = tool_read_bulletin(path, &raw, &len);
        if (read != 0) { /* a file that holds no bulletin is malformed input, not a missing one */
            roster_free(&ro);
            return tool_read_exit(read);
        }
    }
    struct tool_verdict v;
    tool_verdict(raw, len, key ? pk : NULL, ro, at, path, &v);
    int rc = report(json, &v, raw, len, ro);
    tool_verdict_free(&v);
    roster_free(&ro);
    free(raw);
    return rc;
}
