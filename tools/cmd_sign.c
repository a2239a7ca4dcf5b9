/* cmd_sign.c - warta sign: sign a bulletin given as JSON and/or flags, advancing the chain. */
#include <errno.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "keys_chain.h"
#include "keys_error.h"
#include "keys_secret.h"
#include "tool.h"
#include "i18n.h"

static void sign_usage(FILE *f)
{
    fprintf(
        f,
        _("usage: warta sign --key KEYFILE [--in BULLETIN.json] [FIELD FLAGS] [-o OUT] [--binary]\n"
        "                  [--roster ROSTER] [--node DATA_DIR]\n"
        "                  [--passphrase-file FILE | --passphrase-env VAR]\n"
        "       warta sign --key KEYFILE --batch FILE.jsonl [FIELD FLAGS] [--roster ROSTER] ...\n\n"
        "Signs a bulletin with the issuer key and writes it armored (or --binary) to OUT\n"
        "(default: standard output; an existing file is never overwritten). The sequence\n"
        "number and previous id come from KEYFILE.chain, which is updated before output.\n\n"
        "Field flags (override the JSON; see docs/PROTOCOL.md for the rules):\n"
        "  --kind clarification|correction|withdrawal|report|receipt\n"
        "  --subject ID   --translation-of ID   --answers REPORT_ID (repeatable)\n"
        "  --language TAG (default id)  --region CODE (default national)  --verdict LABEL\n"
        "  --priority normal|urgent  --title TEXT  --claim TEXT  --explanation TEXT\n"
        "  --appearance URL  --reference URL (repeatable)  --issued-at TIME (default now)\n"
        "  --expires-at TIME   (TIME: 2026-11-23T10:00:00Z or ms since the epoch)\n"
        "A report (a claim seen circulating): --claim TEXT, --url URL (repeatable: where it\n"
        "  was seen), --content-sha256 HEX or --content-file FILE (its SHA-256 is taken),\n"
        "  --priority, --language, --region (the office responsible).\n"
        "A receipt (what a platform did): --bulletin ID --action labelled|reach_reduced|\n"
        "  removed|no_action --items N --acted-at TIME (default now) --reason TEXT.\n\n"
        "--batch FILE.jsonl signs each line (a bulletin's JSON) in order, the key decrypted\n"
        "once, and writes them armored to standard output, one after another; warta publish\n"
        "takes such a file. It stops at the first line that cannot be signed.\n"
        "--roster ROSTER refuses, before signing, a bulletin the network's roster would not\n"
        "accept from this key (unknown, revoked, outside its regions or its validity).\n"
        "--node DATA_DIR refuses, before signing, when that node already holds the key's\n"
        "chain further than KEYFILE.chain does (a key copied without its chain state): the\n"
        "sequence would fork. `warta chain --key KEYFILE --from-node DATA_DIR` recovers it.\n"
        "example: warta sign --key office.key --region 17 --verdict HOAKS \\\n"
        "             --title \"[HOAKS] Tsunami di Bengkulu\" -o tsunami.wb\n"));
}

/* Flags that name a JSON field directly; index = getopt value - 1000. */
static const char *const field_flags[] = {"kind",   "subject",     "translation_of", "language",
                                          "region", "verdict",     "priority",       "title",
                                          "claim",  "explanation", "issued_at",      "expires_at",
                                          "bulletin", "action",    "acted_at",       "reason",
                                          "content_sha256"};
#define N_FIELD_FLAGS (sizeof field_flags / sizeof field_flags[0])

struct sign_args {
    const char *key, *in, *out, *roster, *node;
    bool binary;
    struct pass_source pass;
    json_t *fields; /* from flags */
    json_t *links;  /* from --appearance / --reference */
    json_t *urls, *answers; /* from --url, --answers */
    const char *items, *content_file;
    const char *batch; /* --batch FILE.jsonl */
};

static int parse_args(int argc, char **argv, struct sign_args *a)
{
    struct option opts[N_FIELD_FLAGS + 17] = {{"key", required_argument, NULL, 'k'},
                                              {"in", required_argument, NULL, 'i'},
                                              {"output", required_argument, NULL, 'o'},
                                              {"binary", no_argument, NULL, 'b'},
                                              {"passphrase-file", required_argument, NULL, 'f'},
                                              {"passphrase-env", required_argument, NULL, 'e'},
                                              {"appearance", required_argument, NULL, 'A'},
                                              {"reference", required_argument, NULL, 'R'},
                                              {"roster", required_argument, NULL, 'r'},
                                              {"node", required_argument, NULL, 'n'},
                                              {"help", no_argument, NULL, 'h'},
                                              {"url", required_argument, NULL, 'u'},
                                              {"answers", required_argument, NULL, 'a'},
                                              {"items", required_argument, NULL, 'I'},
                                              {"content-file", required_argument, NULL, 'C'},
                                              {"batch", required_argument, NULL, 'B'}};
    char names[N_FIELD_FLAGS][32];
    for (size_t i = 0; i < N_FIELD_FLAGS; i++) {
        snprintf(names[i], sizeof names[i], "%s", field_flags[i]);
        for (char *p = names[i]; *p; p++)
            if (*p == '_') *p = '-';
        opts[16 + i] = (struct option){names[i], required_argument, NULL, 1000 + (int)i};
    }
    opts[16 + N_FIELD_FLAGS] = (struct option){NULL, 0, NULL, 0};
    int c;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'k':
            a->key = optarg;
            break;
        case 'i':
            a->in = optarg;
            break;
        case 'o':
            a->out = optarg;
            break;
        case 'b':
            a->binary = true;
            break;
        case 'r':
            a->roster = optarg;
            break;
        case 'n':
            a->node = optarg;
            break;
        case 'f':
            a->pass.file = optarg;
            break;
        case 'e':
            a->pass.env = optarg;
            break;
        case 'A':
        case 'R':
            json_array_append_new(a->links,
                                  json_pack("{s:s, s:s}", "rel",
                                            c == 'A' ? "appearance" : "reference", "url", optarg));
            break;
        case 'u':
            json_array_append_new(a->urls, json_string(optarg));
            break;
        case 'a':
            json_array_append_new(a->answers, json_string(optarg));
            break;
        case 'I':
            a->items = optarg;
            break;
        case 'C':
            a->content_file = optarg;
            break;
        case 'B':
            a->batch = optarg;
            break;
        case 'h':
            sign_usage(stdout);
            return 1;
        default:
            if (c < 1000 || c >= 1000 + (int)N_FIELD_FLAGS) {
                sign_usage(stderr);
                return -1;
            }
            json_object_set_new(a->fields, field_flags[c - 1000], json_string(optarg));
        }
    }
    if (a->key == NULL || optind != argc) {
        sign_usage(stderr);
        return -1;
    }
    return 0;
}

/* The JSON object of --in FILE (- for standard input), or NULL with the reason said and *rc
 * the exit code: 66 when it cannot be read, 3 when it is not a JSON object. */
static json_t *read_json(const char *path, int *rc)
{
    json_error_t e;
    struct stat sb;
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    *rc = EXIT_NOINPUT;
    if (f == NULL) {
        fprintf(stderr, _("warta sign: %s: %s\n"), path, strerror(errno));
        return NULL;
    }
    if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
        fprintf(stderr, _("warta sign: %s: is a directory, not a JSON file\n"), path);
        if (f != stdin) fclose(f);
        return NULL;
    }
    json_t *in = json_loadf(f, JSON_REJECT_DUPLICATES, &e);
    if (f != stdin) fclose(f);
    *rc = EXIT_MALFORMED;
    if (in == NULL && strstr(e.text, "duplicate object key") != NULL)
        fprintf(stderr, _("warta sign: %s:%d: a field is given twice\n"), path, e.line);
    else if (in == NULL)
        fprintf(stderr, _("warta sign: %s:%d:%d: not valid JSON\n"), path, e.line, e.column);
    else if (!json_is_object(in))
        fprintf(stderr, _("warta sign: %s: a bulletin must be a JSON object ({...})\n"), path);
    if (in != NULL && json_is_object(in)) return in;
    json_decref(in);
    return NULL;
}

/* The bulletin's JSON: --in (if any), defaults, then flags on top. NULL after an error, with
 * *rc its exit code. */
static json_t *gather_json(const struct sign_args *a, json_t *line, int *rc)
{
    json_t *obj = json_object();
    *rc = 0;
    if (line != NULL) json_object_update(obj, line);
    if (a->in != NULL) {
        json_t *in = read_json(a->in, rc);
        if (in == NULL) {
            json_decref(obj);
            return NULL;
        }
        json_object_update(obj, in);
        json_decref(in);
    }
    json_object_update(obj, a->fields);
    if (json_array_size(a->urls) > 0) json_object_set(obj, "urls", a->urls);
    if (json_array_size(a->answers) > 0) json_object_set(obj, "answers", a->answers);
    if (a->items != NULL) {
        char *end;
        unsigned long long n = strtoull(a->items, &end, 10);
        json_object_set_new(obj, "items", *a->items >= '0' && *a->items <= '9' && *end == 0 &&
                                                  n <= UINT32_MAX
                                              ? json_integer((json_int_t)n)
                                              : json_string(a->items)); /* refused as such */
    }
    if (a->content_file != NULL) {
        char hex[2 * PROTO_HASH_BYTES + 1];
        if (tool_sha256_file(a->content_file, hex) != 0) {
            fprintf(stderr, _("warta sign: %s: cannot be read\n"), a->content_file);
            json_decref(obj);
            *rc = EXIT_NOINPUT;
            return NULL;
        }
        json_object_set_new(obj, "content_sha256", json_string(hex));
    }
    /* Defaults: a clarification, in Indonesian, national; a receipt has no language or
     * region, and acts now. */
    json_t *kind = json_object_get(obj, "kind");
    bool receipt = json_is_string(kind) && strcmp(json_string_value(kind), "receipt") == 0;
    json_t *defaults = receipt ? json_object()
                               : json_pack("{s:s, s:s, s:s}", "kind", "clarification",
                                           "language", "id", "region", "");
    json_object_update_missing(obj, defaults);
    json_decref(defaults);
    if (json_array_size(a->links) > 0) {
        json_t *links = json_object_get(obj, "links");
        if (json_is_array(links))
            json_array_extend(links, a->links);
        else
            json_object_set(obj, "links", a->links);
    }
    return obj;
}

/* ro: the roster of --roster, loaded once by the caller (NULL without it). */
static int sign_locked(const struct sign_args *a, json_t *obj, const uint8_t *pk, roster *ro)
{
    static struct proto_bulletin b;
    uint64_t wanted = 0;
    char msg[256];
    memset(&b, 0, sizeof b);
    if (tool_bulletin_from_json(obj, &b, &wanted, msg, sizeof msg) != 0) {
        fprintf(stderr, _("warta sign: %s\n"), msg);
        return EXIT_DATAERR;
    }
    memcpy(b.issuer, pk, PROTO_KEY_BYTES);
    return tool_sign_checked(a->key, &a->pass, &b, wanted, ro, a->node, a->out, a->binary);
}

/* --batch: each line of the file a bulletin's JSON (flags on top), signed in order as the next
 * bulletins of the key's chain with the key decrypted once, written armored to standard output
 * one after another (warta publish takes such a file). Stops at the first line that cannot be
 * signed; the ones before it stay signed and written. */
static int sign_batch(struct sign_args *a)
{
    if (a->in != NULL || a->binary || strcmp(a->out, "-") != 0) {
        fprintf(stderr, _("warta sign: --batch writes armored bulletins to standard output; "
                          "it takes no --in, -o or --binary\n"));
        return EXIT_USAGE;
    }
    FILE *f = strcmp(a->batch, "-") == 0 ? stdin : fopen(a->batch, "r");
    uint8_t pk[PROTO_KEY_BYTES];
    roster *ro = NULL;
    int rc = 0;
    if (f == NULL) {
        fprintf(stderr, _("warta sign: %s: %s\n"), a->batch, strerror(errno));
        return EXIT_NOINPUT;
    }
    if ((rc = keys_secret_read_pk(a->key, pk)) != KEYS_OK) {
        fprintf(stderr, _("warta sign: %s: %s\n"), a->key, tool_keys_strerror(rc));
        rc = EXIT_NOINPUT;
    } else if (a->roster != NULL && (ro = tool_load_roster(a->roster)) == NULL) {
        rc = EXIT_NOINPUT;
    } else {
        rc = tool_secret_load(a->key, &a->pass, &a->pass.held);
    }
    char *line = NULL;
    size_t cap = 0, lineno = 0, done = 0;
    while (rc == 0 && getline(&line, &cap, f) > 0) {
        lineno++;
        if (strspn(line, " \t\r\n") == strlen(line)) continue;
        json_error_t e;
        json_t *in = json_loads(line, JSON_REJECT_DUPLICATES, &e), *obj = NULL;
        if (!json_is_object(in)) {
            fprintf(stderr, _("warta sign: %s:%zu: not a JSON object\n"), a->batch, lineno);
            rc = EXIT_MALFORMED;
        } else if ((obj = gather_json(a, in, &rc)) == NULL || (rc = sign_locked(a, obj, pk, ro)) != 0) {
            fprintf(stderr, _("warta sign: %s:%zu: not signed; the %zu before it are\n"),
                    a->batch, lineno, done);
            rc = rc ? rc : EXIT_DATAERR;
        } else {
            done++;
        }
        json_decref(obj);
        json_decref(in);
    }
    free(line);
    if (f != stdin) fclose(f);
    keys_secret_destroy(&a->pass.held);
    roster_free(&ro);
    return rc;
}

int cmd_sign(int argc, char **argv)
{
    struct sign_args a = {.out = "-",
                          .fields = json_object(),
                          .links = json_array(),
                          .urls = json_array(),
                          .answers = json_array()};
    int rc = parse_args(argc, argv, &a);
    int read_rc = 0;
    if (rc == 0 && a.batch != NULL) {
        rc = sign_batch(&a);
        json_decref(a.fields);
        json_decref(a.links);
        json_decref(a.urls);
        json_decref(a.answers);
        return rc;
    }
    json_t *obj = rc == 0 ? gather_json(&a, NULL, &read_rc) : NULL;
    uint8_t pk[PROTO_KEY_BYTES];
    if (rc == 0 && obj != NULL && (rc = keys_secret_read_pk(a.key, pk)) != KEYS_OK) {
        fprintf(stderr, _("warta sign: %s: %s\n"), a.key, tool_keys_strerror(rc));
        rc = EXIT_NOINPUT;
    } else if (rc == 0 && obj != NULL) {
        roster *ro = a.roster ? tool_load_roster(a.roster) : NULL;
        rc = a.roster && ro == NULL ? EXIT_NOINPUT : sign_locked(&a, obj, pk, ro);
        roster_free(&ro);
    } else {
        rc = rc > 0 ? 0 : rc < 0 ? EXIT_USAGE : read_rc ? read_rc : EXIT_DATAERR;
    }
    json_decref(obj);
    json_decref(a.fields);
    json_decref(a.links);
    json_decref(a.urls);
    json_decref(a.answers);
    return rc;
}

/* warta report ... and warta receipt ...: warta sign --kind report|receipt ... */
static int sign_kind(const char *kind, int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            if (strcmp(kind, "report") == 0)
                fputs(_("usage: warta report --key KEYFILE --claim TEXT [--url URL]... "
                         "[--content-sha256 HEX | --content-file FILE]\n"
                         "                    [--region CODE] [--priority normal|urgent] "
                         "[--language TAG] [-o OUT] ...\n"
                         "warta sign --kind report: a report of a claim seen circulating, to the "
                         "office its region names\n(warta help sign: every flag).\n"
                         "example: warta report --key platform.key --region 17.71 --priority urgent "
                         "\\\n             --claim \"Pesan berantai: tsunami malam ini\" --url "
                         "https://wa.example/f/1 -o r.wb\n"), stdout);
            else
                fputs(_("usage: warta receipt --key KEYFILE --bulletin NOTICE_ID --action labelled|"
                         "reach_reduced|removed|no_action\n"
                         "                     [--items N] [--acted-at TIME] [--reason TEXT] "
                         "[-o OUT] ...\n"
                         "warta sign --kind receipt: what a platform did about a notice (NOTICE_ID: its "
                         "64 hex digits;\nwarta help sign: every flag).\n"
                         "example: warta receipt --key platform.key --bulletin NOTICE_ID --action labelled "
                         "--items 17 -o c.wb\n"), stdout);
            return 0;
        }
    char **args = calloc((size_t)argc + 3, sizeof *args);
    if (args == NULL) return EXIT_UNAVAILABLE;
    args[0] = argv[0];
    args[1] = "--kind";
    args[2] = (char *)kind;
    for (int i = 1; i < argc; i++)
        args[i + 2] = argv[i];
    int rc = cmd_sign(argc + 2, args);
    free(args);
    return rc;
}

int cmd_report(int argc, char **argv)
{
    return sign_kind("report", argc, argv);
}

int cmd_receipt(int argc, char **argv)
{
    return sign_kind("receipt", argc, argv);
}
