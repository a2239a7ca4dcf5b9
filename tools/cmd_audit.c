/* cmd_audit.c - warta audit: check a node's whole store (read-only, while the node runs) and
 * say, by name, everything that is wrong: exit 0 when nothing is, 1 when something is. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tool.h"
#include "i18n.h"

static void bar(uint64_t done, uint64_t total, void *ctx)
{
    (void)ctx;
    int width = 40, full = total ? (int)((double)done / (double)total * width) : width;
    if (full > width) full = width;
    fputc('\r', stderr);
    fprintf(stderr, _("audit: [%.*s%*s] %llu/%llu signatures"), full,
            "########################################", width - full, "", (unsigned long long)done,
            (unsigned long long)total);
}

static int audit_usage(FILE *f, int rc)
{
    fprintf(f,
            _("usage: warta audit --node DATA_DIR [--roster ROSTER] [--json]\n"
            "       warta audit --node DATA_DIR --checkpoint [-o FILE]\n"
            "       warta audit --node DATA_DIR --prove ID [--at CHECKPOINT] [-o FILE]\n"
            "       warta audit --node DATA_DIR --extends OLD_CHECKPOINT [--at CHECKPOINT] "
            "[-o FILE]\n"
            "       warta audit --node DATA_DIR --conflicts [-o DIR]\n"
            "       warta audit --compare A B   (each a node's DATA_DIR or a warta export)\n"
            "       warta audit --check FILE... [--key NODEKEY] [--bulletin FILE]\n\n"
            "The first form checks every stored bulletin's signature, the id index, every\n"
            "issuer's chain (gaps, links, forks), corrections and withdrawals, the log's tree\n"
            "against every checkpoint the node signed, and with --roster (the network root,\n"
            "plus the roster records in the store) that every notice was trusted when it was\n"
            "issued. exit 0 nothing wrong, 1 something is (each kind of finding named).\n\n"
            "--checkpoint prints the node's latest signed checkpoint. --prove writes a proof\n"
            "that bulletin ID is in the node's log at the latest checkpoint (or --at's);\n"
            "--extends a proof that the latest (or --at's) extends an older checkpoint.\n"
            "--conflicts lists the checkpoints of other nodes that contradict each other\n"
            "(exit 1 if any), and writes each pair to DIR. --compare says whether two nodes\n"
            "hold the same history, chain by chain (exit 1 if not). --check checks files offline:\n"
            "exit 0 when every one holds, 1 when one does not. 64 usage, 65 bad input, 66 a\n"
            "file or the store cannot be read\n" "--node DATA_DIR defaults to $WARTA_NODE, then /var/lib/warta.\n"
            "example: warta audit --node /var/lib/warta --roster root.wrb\n"));
    return rc;
}

int cmd_audit(int argc, char **argv)
{
    static const struct option opts[] = {{"node", required_argument, NULL, 'N'},
                                         {"roster", required_argument, NULL, 'R'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"checkpoint", no_argument, NULL, 'C'},
                                         {"prove", required_argument, NULL, 'P'},
                                         {"extends", required_argument, NULL, 'E'},
                                         {"at", required_argument, NULL, 'A'},
                                         {"conflicts", no_argument, NULL, 'X'},
                                         {"check", no_argument, NULL, 'K'},
                                         {"key", required_argument, NULL, 'k'},
                                         {"bulletin", required_argument, NULL, 'b'},
                                         {"output", required_argument, NULL, 'o'},
                                         {"compare", required_argument, NULL, 'M'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *dir = NULL, *roster_path = NULL, *prove = NULL, *extends = NULL, *at = NULL;
    const char *key = NULL, *bulletin = NULL, *out = NULL, *compare = NULL;
    bool json = false, checkpoint = false, conflicts = false, check = false;
    int c;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'N':
            dir = optarg;
            break;
        case 'R':
            roster_path = optarg;
            break;
        case 'j':
            json = true;
            break;
        case 'C':
            checkpoint = true;
            break;
        case 'P':
            prove = optarg;
            break;
        case 'E':
            extends = optarg;
            break;
        case 'A':
            at = optarg;
            break;
        case 'X':
            conflicts = true;
            break;
        case 'M':
            compare = optarg;
            break;
        case 'K':
            check = true;
            break;
        case 'k':
            key = optarg;
            break;
        case 'b':
            bulletin = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        default:
            return audit_usage(c == 'h' ? stdout : stderr, c == 'h' ? 0 : EXIT_USAGE);
        }
    }
    int modes =
        checkpoint + (prove != NULL) + (extends != NULL) + conflicts + check + (compare != NULL);
    if (modes > 1 || (check && dir) || (!check && (key || bulletin)) ||
        (at && !prove && !extends) || (modes == 0 && out))
        return audit_usage(stderr, EXIT_USAGE);
    if (check) {
        if (optind == argc) return audit_usage(stderr, EXIT_USAGE);
        return tool_audit_check(argv + optind, argc - optind, key, bulletin);
    }
    /* --compare A B, or --node A --compare B: each a data directory or an export. */
    if (compare && dir == NULL && optind == argc - 1 && out == NULL)
        return tool_audit_compare(compare, argv[optind]);
    dir = tool_node_dir(dir);
    if (optind != argc) return audit_usage(stderr, EXIT_USAGE);
    if (compare) return out ? audit_usage(stderr, EXIT_USAGE) : tool_audit_compare(dir, compare);
    if (modes == 1) {
        store *s = tool_open_store(dir);
        if (s == NULL) return EXIT_NOINPUT;
        int rc = checkpoint ? tool_audit_checkpoint(s, out)
                 : prove    ? tool_audit_prove(s, prove, at, out)
                 : extends  ? tool_audit_extends(s, extends, at, out)
                            : tool_audit_conflicts(s, out);
        store_close(&s);
        return rc;
    }
    roster *ro = roster_path ? tool_load_roster(roster_path) : NULL;
    if (roster_path && ro == NULL) return EXIT_NOINPUT;
    store *s = tool_open_store(dir);
    if (s == NULL) {
        roster_free(&ro);
        return EXIT_NOINPUT;
    }
    /* The roster as of the whole store: records arrive in any order, judged together. */
    if (ro) store_roster_each(s, roster_visit_add, ro);
    static struct audit_report rep;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = tool_audit(s, ro, &rep, isatty(2) ? bar : NULL, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (isatty(2)) fputc('\n', stderr);
    store_close(&s);
    roster_free(&ro);
    if (rc != STORE_OK) {
        fprintf(stderr, _("warta audit: %s: the store could not be read to the end\n"), dir);
        return EXIT_NOINPUT;
    }
    uint64_t findings = 0;
    for (int i = 0; i < AUDIT_N; i++)
        findings += rep.count[i];
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (json) {
        json_t *f = json_object();
        for (int i = 0; i < AUDIT_N; i++)
            if (rep.count[i])
                json_object_set_new(f, tool_audit_name(i),
                                    json_pack("{s:I, s:s}", "count", (json_int_t)rep.count[i],
                                              "first", rep.first[i]));
        json_t *log = json_pack("{s:I, s:o, s:I, s:I}", "size", (json_int_t)rep.log_size, "root",
                                tool_hex_json(rep.log_root, 32), "checkpoints_checked",
                                (json_int_t)rep.checkpoints, "latest_witnesses",
                                (json_int_t)rep.latest_cosigners);
        tool_print_json(json_pack("{s:b, s:I, s:I, s:I, s:b, s:f, s:o, s:o}", "clean",
                                  findings == 0, "bulletins", (json_int_t)rep.bulletins,
                                  "signatures_checked", (json_int_t)rep.signatures, "issuers",
                                  (json_int_t)rep.issuers, "roster_checked", roster_path != NULL,
                                  "seconds", secs, "log", log, "findings", f),
                        0);
    } else {
        char root[65];
        tool_hex(rep.log_root, 32, root);
        printf(_("audited %llu bulletins of %llu issuers in %.1f s: %llu signatures checked%s\n"),
               (unsigned long long)rep.bulletins, (unsigned long long)rep.issuers, secs,
               (unsigned long long)rep.signatures,
               roster_path ? ", every notice against the roster at its issue time" : "");
        printf(_("log: %llu entries, root %s; %llu signed checkpoint%s checked against it%s\n"),
               (unsigned long long)rep.log_size, root, (unsigned long long)rep.checkpoints,
               rep.checkpoints == 1 ? "" : "s",
               rep.checkpoints ? "" : " (the node signs one every checkpoint_interval_ms)");
        for (int i = 0; i < AUDIT_N; i++)
            if (rep.count[i])
                printf(_("%-16s %llu  (first: %s)\n"), tool_audit_name(i),
                       (unsigned long long)rep.count[i], rep.first[i]);
        printf("%s\n", findings ? "NOT CLEAN" : "clean: nothing forged, dropped or rewritten");
    }
    return findings ? 1 : 0;
}
