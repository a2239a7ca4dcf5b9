/* cmd_roster.c - warta roster: write roster records as drafts, collect co-signatures from
 * separate key files, seal a draft as a bulletin, and show a roster (PROTOCOL.md §17-18).
 *
 * A draft is the record (kind byte, then the record body) armored as "WARTA ROSTER DRAFT".
 * Every holder adds a co-signature with `warta roster sign`; whoever seals it signs the bulletin
 * that carries it, which counts as one more signature. */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys_error.h"
#include "keys_file.h"
#include "keys_secret.h"
#include "proto_armor.h"
#include "proto_pubkey.h"
#include "proto_roster.h"
#include "roster.h"
#include "tool.h"
#include "i18n.h"

#define ARMOR_DRAFT "WARTA ROSTER DRAFT"

static void roster_usage(FILE *f)
{
    fprintf(
        f, _("usage: warta roster COMMAND ...\n\n"
           "Write a record as a draft:\n"
           "  init --key PUB... --threshold K [--previous ROOT] [--valid-from TIME] -o DRAFT\n"
           "      the network root (K of the keys must sign); with --previous, the next root\n"
           "      version, which K of the old and K of the new keys must sign\n"
           "  delegate --network ROOT --key PUB --office ID --name NAME --role ROLE\n"
           "      --region CODE... [--may-delegate] [--valid-from TIME] [--valid-until TIME] -o "
           "DRAFT\n"
           "      ROLE: ministry, province, regency, platform, auditor; --region \"\" is national\n"
           "  revoke --network ROOT --key PUB [--at TIME] [--reason TEXT] -o DRAFT\n"
           "  rotate --network ROOT --old PUB --new PUB [--at TIME] -o DRAFT\n"
           "  end --network ROOT --key PUB (--last-good BULLETIN | --none) [--reason TEXT]\n"
           "      -o DRAFT   end a (stolen) key's chain: nothing it signed after BULLETIN, the\n"
           "      last one its office vouches for, is trusted, whatever time it names\n"
           "Sign and publish it:\n"
           "  sign DRAFT --key KEYFILE     add the key's co-signature to DRAFT (in place)\n"
           "  seal DRAFT --key KEYFILE [-o OUT]   sign it as the next bulletin of KEYFILE\n"
           "Read:\n"
           "  show FILE...   records (drafts or bulletins); a file of bulletins whose first is\n"
           "                 the root is evaluated: offices, scopes, what is in force\n\n"
           "ROOT is the sealed root bulletin of the network. TIME: 2026-11-23T10:00:00Z or ms.\n"
           "Key files take --passphrase-file FILE or --passphrase-env VAR.\n"
           "example: warta roster show root.wrb ministry.wrb office.wrb\n"));
}

/* ---- drafts ---- */

static uint8_t draft_bytes[PROTO_BULLETIN_MAX];

/* Decode the draft in text[0..n) into r (views into a static buffer: one draft at a time). */
static int decode_draft(const uint8_t *text, size_t n, const char *path, struct proto_roster *r)
{
    size_t len = 0;
    int rc = proto_armor_decode(ARMOR_DRAFT, (const char *)text, n, draft_bytes, sizeof draft_bytes,
                                &len);
    struct proto_err err = {0};
    if (rc != PROTO_OK || len < 1) {
        fprintf(stderr, _("warta roster: %s: not a roster draft\n"), path);
        return EXIT_MALFORMED;
    }
    if (proto_roster_decode(r, draft_bytes[0], draft_bytes + 1, len - 1, &err) != PROTO_OK) {
        tool_print_proto_err(path, &err);
        return EXIT_MALFORMED;
    }
    return 0;
}

static int read_draft(const char *path, struct proto_roster *r)
{
    uint8_t *text = NULL;
    size_t n = 0;
    int rc = keys_file_read(path, 4 * PROTO_BULLETIN_MAX, &text, &n);
    if (rc != KEYS_OK) {
        fprintf(stderr, _("warta roster: %s: %s\n"), path, tool_keys_strerror(rc));
        return EXIT_NOINPUT;
    }
    rc = decode_draft(text, n, path, r);
    free(text);
    return rc;
}

static int write_draft(const char *path, const struct proto_roster *r, bool replace)
{
    static uint8_t body[PROTO_BULLETIN_MAX];
    static char text[2 * PROTO_BULLETIN_MAX];
    size_t len = 0, n = 0;
    struct proto_err err = {0};
    if (proto_roster_encode(r, body + 1, sizeof body - 1, &len, &err) != PROTO_OK) {
        tool_print_proto_err("roster", &err);
        return EXIT_DATAERR;
    }
    body[0] = r->kind;
    proto_armor_encode(ARMOR_DRAFT, body, len + 1, text, sizeof text, &n);
    int rc = replace ? keys_file_replace(path, text, n) : keys_file_create(path, text, n, 0644);
    if (rc != KEYS_OK) {
        fprintf(stderr, _("warta roster: %s: %s\n"), path, tool_keys_strerror(rc));
        return EXIT_CANTCREAT;
    }
    return 0;
}

/* The root record carried by the bulletin file at path: network id and root hash. */
static int read_root(const char *path, struct proto_roster *root, uint8_t network[32],
                     uint8_t hash[32])
{
    uint8_t *raw = NULL;
    size_t len = 0;
    static struct proto_bulletin b;
    static uint8_t keep[PROTO_BULLETIN_MAX];
    int read = tool_read_bulletin(path, &raw, &len);
    if (read != 0) return tool_read_exit(read);
    memcpy(keep, raw, len);
    free(raw);
    if (proto_bulletin_decode(&b, keep, len, NULL) != PROTO_OK || b.kind != PROTO_KIND_ROOT ||
        proto_roster_decode(root, b.kind, b.record.p, b.record.n, NULL) != PROTO_OK) {
        fprintf(stderr, _("warta roster: %s: not a root record bulletin\n"), path);
        return EXIT_DATAERR;
    }
    proto_roster_root_hash(root, hash);
    memcpy(network, root->version == 1 ? hash : root->network, 32);
    return 0;
}

/* ---- record commands ---- */

struct rec_args {
    struct proto_roster r;
    const char *out, *network, *previous, *last_good;
    bool have_time, none;
};

/* A chain end's place: the bulletin at path, which must be the key's and verify. */
static int read_last_good(const char *path, struct proto_roster *r)
{
    uint8_t *raw = NULL;
    size_t len = 0;
    struct proto_bulletin b;
    int read = tool_read_bulletin(path, &raw, &len);
    if (read != 0) return tool_read_exit(read);
    int rc = tool_bulletin_of(raw, len, r->key, &b);
    if (rc != 0) {
        fprintf(stderr, _("warta roster: %s: %s\n"), path,
                rc == -2 ? _("signed by another key than --key")
                         : _("not a bulletin whose signature verifies"));
        rc = EXIT_DATAERR;
    } else {
        r->last_sequence = b.sequence;
        proto_bulletin_id(raw, len, r->last_id);
    }
    free(raw);
    return rc;
}

static int by_key(const void *a, const void *b)
{
    return memcmp(a, b, PROTO_KEY_BYTES);
}

static int by_region(const void *a, const void *b)
{
    const struct proto_str *x = a, *y = b;
    size_t n = x->n < y->n ? x->n : y->n;
    int c = n ? memcmp(x->p, y->p, n) : 0;
    return c ? c : (x->n > y->n) - (x->n < y->n);
}

static int cmd_record(int argc, char **argv, uint8_t kind)
{
    static const struct option opts[] = {{"key", required_argument, NULL, 'k'},
                                         {"threshold", required_argument, NULL, 't'},
                                         {"previous", required_argument, NULL, 'P'},
                                         {"valid-from", required_argument, NULL, 'f'},
                                         {"valid-until", required_argument, NULL, 'u'},
                                         {"at", required_argument, NULL, 'f'},
                                         {"network", required_argument, NULL, 'n'},
                                         {"office", required_argument, NULL, 'O'},
                                         {"name", required_argument, NULL, 'N'},
                                         {"role", required_argument, NULL, 'r'},
                                         {"region", required_argument, NULL, 'g'},
                                         {"may-delegate", no_argument, NULL, 'd'},
                                         {"reason", required_argument, NULL, 'R'},
                                         {"old", required_argument, NULL, 'o' + 256},
                                         {"new", required_argument, NULL, 'w'},
                                         {"last-good", required_argument, NULL, 'L'},
                                         {"none", no_argument, NULL, 'Z'},
                                         {"output", required_argument, NULL, 'o'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    struct rec_args a = {.r = {.kind = kind}};
    struct proto_roster *r = &a.r;
    uint8_t pk[PROTO_KEY_BYTES], prev_hash[32];
    int c;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'k':
            if (tool_resolve_pubkey(optarg, pk) != 0) return EXIT_USAGE;
            if (kind == PROTO_KIND_ROOT) {
                if (r->n_keys == PROTO_ROSTER_MAX_KEYS) {
                    fprintf(stderr, _("warta roster: at most %d root keys\n"), PROTO_ROSTER_MAX_KEYS);
                    return EXIT_USAGE;
                }
                memcpy(r->keys[r->n_keys++], pk, PROTO_KEY_BYTES);
            } else {
                memcpy(r->key, pk, PROTO_KEY_BYTES);
            }
            break;
        case 'o' + 256:
        case 'w':
            if (tool_resolve_pubkey(optarg, pk) != 0) return EXIT_USAGE;
            memcpy(c == 'w' ? r->new_key : r->key, pk, PROTO_KEY_BYTES);
            break;
        case 't':
            r->threshold = (uint8_t)atoi(optarg);
            break;
        case 'P':
            a.previous = optarg;
            break;
        case 'n':
            a.network = optarg;
            break;
        case 'f':
        case 'u':
            if (tool_time_parse(optarg, c == 'f' ? &r->valid_from : &r->valid_until) != 0) {
                fprintf(stderr, _("warta roster: not a time like 2026-11-23T10:00:00Z, 2026-11-23T17:00:00+07:00 or 2026-11-23 17:00:00 WIB: %s\n"),
                        optarg);
                return EXIT_USAGE;
            }
            a.have_time |= c == 'f';
            break;
        case 'O':
            r->office = (struct proto_str){(const uint8_t *)optarg, strlen(optarg)};
            break;
        case 'N':
            r->name = (struct proto_str){(const uint8_t *)optarg, strlen(optarg)};
            break;
        case 'R':
            r->reason = (struct proto_str){(const uint8_t *)optarg, strlen(optarg)};
            break;
        case 'r':
            if ((r->role = proto_role_from_name(optarg)) == 0) {
                fprintf(stderr, _("warta roster: unknown role '%s'\n"), optarg);
                return EXIT_USAGE;
            }
            break;
        case 'g':
            if (r->n_regions == PROTO_ROSTER_MAX_REGIONS) return EXIT_USAGE;
            r->regions[r->n_regions++] =
                (struct proto_str){(const uint8_t *)optarg, strlen(optarg)};
            break;
        case 'd':
            r->flags |= PROTO_ROSTER_FLAG_DELEGATE;
            break;
        case 'L':
            a.last_good = optarg;
            break;
        case 'Z':
            a.none = true;
            break;
        case 'o':
            a.out = optarg;
            break;
        case 'h':
            roster_usage(stdout);
            return 0;
        default:
            roster_usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (a.out == NULL || optind != argc || (kind != PROTO_KIND_ROOT && a.network == NULL)) {
        roster_usage(stderr);
        return EXIT_USAGE;
    }
    if (kind == PROTO_KIND_CHAIN_END) {
        if ((a.last_good != NULL) == a.none) {
            fprintf(stderr, _("warta roster end: give --last-good BULLETIN (the last bulletin of the "
                            "key its office vouches for), or --none\n"));
            return EXIT_USAGE;
        }
        if (a.last_good) {
            int rc = read_last_good(a.last_good, r);
            if (rc) return rc;
        }
    } else if (!a.have_time) {
        r->valid_from = tool_time_now();
    }
    struct proto_roster base;
    uint8_t net[32];
    if (kind == PROTO_KIND_ROOT) {
        qsort(r->keys, r->n_keys, PROTO_KEY_BYTES, by_key);
        r->version = 1;
        if (a.previous) {
            int rc = read_root(a.previous, &base, net, prev_hash);
            if (rc) return rc;
            r->version = base.version + 1;
            memcpy(r->network, net, 32);
            memcpy(r->previous, prev_hash, 32);
        }
    } else {
        int rc = read_root(a.network, &base, net, prev_hash);
        if (rc) return rc;
        memcpy(r->network, net, 32);
    }
    qsort(r->regions, r->n_regions, sizeof r->regions[0], by_region);
    int rc = write_draft(a.out, r, false);
    if (rc == 0)
        fprintf(stderr,
                _("wrote %s draft %s; add signatures with 'warta roster sign', then "
                "'warta roster seal'\n"),
                tool_kind_label(kind), a.out);
    return rc;
}

/* ---- sign, seal ---- */

static int parse_keyed(int argc, char **argv, const char **key, const char **out,
                       struct pass_source *pass)
{
    static const struct option opts[] = {{"key", required_argument, NULL, 'k'},
                                         {"output", required_argument, NULL, 'o'},
                                         {"passphrase-file", required_argument, NULL, 'f'},
                                         {"passphrase-env", required_argument, NULL, 'e'},
                                         {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        if (c == 'k')
            *key = optarg;
        else if (c == 'o' && out)
            *out = optarg;
        else if (c == 'f')
            pass->file = optarg;
        else if (c == 'e')
            pass->env = optarg;
        else
            return -1;
    }
    return *key != NULL && optind == argc - 1 ? 0 : -1;
}

static int cmd_cosign(int argc, char **argv)
{
    const char *key = NULL;
    struct pass_source pass = {0};
    struct proto_roster r;
    if (parse_keyed(argc, argv, &key, NULL, &pass) != 0) {
        roster_usage(stderr);
        return EXIT_USAGE;
    }
    const char *draft = argv[optind];
    int rc = read_draft(draft, &r);
    if (rc) return rc;
    char *pw = tool_passphrase(&pass, "Passphrase: ", false);
    if (pw == NULL) return EXIT_USAGE;
    keys_secret *ks = NULL;
    rc = keys_secret_load(&ks, key, pw, strlen(pw));
    sodium_free(pw);
    if (rc != KEYS_OK) {
        fprintf(stderr, _("warta roster: %s: %s\n"), key, tool_keys_strerror(rc));
        return rc == KEYS_EPASSPHRASE ? EXIT_DATAERR : EXIT_NOINPUT;
    }
    struct proto_err err = {0};
    rc = proto_roster_cosign(&r, keys_secret_sk(ks), &err);
    keys_secret_destroy(&ks);
    if (rc != PROTO_OK) {
        tool_print_proto_err(draft, &err);
        return EXIT_DATAERR;
    }
    rc = write_draft(draft, &r, true);
    if (rc == 0) fprintf(stderr, _("%s: %zu co-signature(s)\n"), draft, r.n_sigs);
    return rc;
}

static int cmd_seal(int argc, char **argv)
{
    static uint8_t body[PROTO_BULLETIN_MAX];
    static struct proto_bulletin b;
    const char *key = NULL, *out = "-";
    struct pass_source pass = {0};
    struct proto_roster r;
    size_t len = 0;
    if (parse_keyed(argc, argv, &key, &out, &pass) != 0) {
        roster_usage(stderr);
        return EXIT_USAGE;
    }
    int rc = read_draft(argv[optind], &r);
    if (rc) return rc;
    memset(&b, 0, sizeof b);
    if ((rc = keys_secret_read_pk(key, b.issuer)) != KEYS_OK) {
        fprintf(stderr, _("warta roster: %s: %s\n"), key, tool_keys_strerror(rc));
        return EXIT_NOINPUT;
    }
    /* The sealer's bulletin signature counts for it: drop its own co-signature, if any. */
    for (size_t i = 0; i < r.n_sigs; i++)
        if (memcmp(r.sigs[i].key, b.issuer, PROTO_KEY_BYTES) == 0) {
            memmove(&r.sigs[i], &r.sigs[i + 1], (r.n_sigs - i - 1) * sizeof r.sigs[0]);
            r.n_sigs--;
            break;
        }
    struct proto_err err = {0};
    if (proto_roster_encode(&r, body, sizeof body, &len, &err) != PROTO_OK) {
        tool_print_proto_err("roster", &err);
        return EXIT_DATAERR;
    }
    b.kind = r.kind;
    b.record = (struct proto_str){body, len};
    return tool_sign_chained(key, &pass, &b, 0, out, false);
}

/* ---- show ---- */

struct show_ctx {
    roster *ro;
    int bad;
    bool printing; /* the second pass: every record is in, so each status is the set's */
};

static int show_one(const uint8_t *raw, size_t len, void *ctx)
{
    struct show_ctx *s = ctx;
    struct proto_bulletin b;
    struct proto_roster r;
    if (proto_bulletin_decode(&b, raw, len, NULL) != PROTO_OK || !proto_kind_is_roster(b.kind) ||
        proto_roster_decode(&r, b.kind, b.record.p, b.record.n, NULL) != PROTO_OK) {
        if (s->printing) {
            printf(_("(not a roster record)\n"));
            s->bad++;
        }
        return 0;
    }
    if (s->ro == NULL && b.kind == PROTO_KIND_ROOT) {
        char err[128];
        s->ro = roster_new(raw, len, err, sizeof err);
        if (s->ro == NULL && s->printing) { /* tried again, and said, in the second pass */
            printf("(%s)\n", err);
            s->bad++;
        }
    } else if (s->ro != NULL) {
        int st = roster_add(s->ro, raw, len); /* the second time: already in, or the same refusal */
        if (st != ROSTER_TRUSTED && s->printing) {
            printf(_("(refused: %s)\n"), _(roster_status_name(st)));
            s->bad++;
        }
    }
    if (!s->printing) return 0;
    tool_print_record(&r);
    if (s->ro) {
        uint8_t id[PROTO_ID_BYTES];
        proto_bulletin_id(raw, len, id);
        int st = roster_check(s->ro, &b, id, NULL);
        printf(_("  status: %s\n"), st == ROSTER_TRUSTED ? _("in force") : _(roster_status_name(st)));
    }
    tool_print_key(_("sealed by"), b.issuer);
    printf("\n");
    return 0;
}

static bool contains(const uint8_t *text, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(text + i, needle, k) == 0) return true;
    return false;
}

static int cmd_show_roster(int argc, char **argv)
{
    struct show_ctx s = {0};
    if (argc < 2) {
        roster_usage(stderr);
        return EXIT_USAGE;
    }
    /* Two passes: all records in first, then each printed with its status over the whole set,
     * so the statuses do not depend on where a record stands in the files. */
    for (int pass = 0; pass < 2; pass++) {
        s.printing = pass == 1;
        for (int i = 1; i < argc; i++) {
            struct proto_roster r;
            uint8_t *text = NULL;
            size_t n = 0;
            int rc = keys_file_read(argv[i], 64 * PROTO_BULLETIN_MAX, &text, &n);
            if (rc != KEYS_OK) {
                fprintf(stderr, _("warta roster: %s: %s\n"), argv[i], tool_keys_strerror(rc));
                roster_free(&s.ro);
                return EXIT_NOINPUT;
            }
            if (contains(text, n, "-----BEGIN " ARMOR_DRAFT "-----")) {
                rc = decode_draft(text, n, argv[i], &r);
                if (rc == 0 && s.printing) {
                    printf(_("DRAFT "));
                    tool_print_record(&r);
                    printf("\n");
                }
            } else {
                rc = tool_each_bulletin(text, n, argv[i], show_one, &s) != 0 ? EXIT_MALFORMED : 0;
            }
            free(text);
            if (rc != 0) {
                roster_free(&s.ro);
                return rc;
            }
        }
    }
    roster_free(&s.ro);
    return s.bad ? EXIT_DATAERR : 0;
}

int cmd_roster(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        roster_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    const char *sub = argv[1];
    argc--, argv++;
    if (strcmp(sub, "init") == 0) return cmd_record(argc, argv, PROTO_KIND_ROOT);
    if (strcmp(sub, "delegate") == 0) return cmd_record(argc, argv, PROTO_KIND_DELEGATION);
    if (strcmp(sub, "revoke") == 0) return cmd_record(argc, argv, PROTO_KIND_REVOCATION);
    if (strcmp(sub, "rotate") == 0) return cmd_record(argc, argv, PROTO_KIND_ROTATION);
    if (strcmp(sub, "end") == 0) return cmd_record(argc, argv, PROTO_KIND_CHAIN_END);
    if (strcmp(sub, "sign") == 0) return cmd_cosign(argc, argv);
    if (strcmp(sub, "seal") == 0) return cmd_seal(argc, argv);
    if (strcmp(sub, "show") == 0) return cmd_show_roster(argc, argv);
    fprintf(stderr, _("warta roster: unknown command '%s'\n"), sub);
    roster_usage(stderr);
    return EXIT_USAGE;
}
