/* cmd_audit.c - warta audit: check a node's whole store (read-only, while the node runs) and
 * say, by name, everything that is wrong: exit 0 when nothing is, 1 when something is. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tool.h"

static void bar(uint64_t done, uint64_t total, void *ctx)
{
    (void)ctx;
    int width = 40, full = total ? (int)((double)done / (double)total * width) : width;
    if (full > width) full = width;
    fprintf(stderr, "\raudit: [%.*s%*s] %llu/%llu signatures", full,
            "########################################", width - full, "", (unsigned long long)done,
            (unsigned long long)total);
}

static int audit_usage(FILE *f, int rc)
{
    fprintf(f, "usage: warta audit --node DATA_DIR [--roster ROSTER] [--json]\n\n"
               "Checks every stored bulletin's signature, the id index, every issuer's chain\n"
               "(gaps, links, forks), corrections and withdrawals, and with --roster (the\n"
               "network root, plus the roster records in the store) that every notice was\n"
               "trusted when it was issued. exit 0 nothing wrong, 1 something is (each kind of\n"
               "finding named), 64 usage, 66 the store cannot be read\n");
    return rc;
}

int cmd_audit(int argc, char **argv)
{
    static const struct option opts[] = {{"node", required_argument, NULL, 'N'},
                                         {"roster", required_argument, NULL, 'R'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *dir = NULL, *roster_path = NULL;
    bool json = false;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'N')
            dir = optarg;
        else if (c == 'R')
            roster_path = optarg;
        else if (c == 'j')
            json = true;
        else
            return audit_usage(c == 'h' ? stdout : stderr, c == 'h' ? 0 : EXIT_USAGE);
    }
    if (dir == NULL || optind != argc) return audit_usage(stderr, EXIT_USAGE);
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
        fprintf(stderr, "warta audit: %s: the store could not be read to the end\n", dir);
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
        tool_print_json(json_pack("{s:b, s:I, s:I, s:I, s:b, s:f, s:o}", "clean", findings == 0,
                                  "bulletins", (json_int_t)rep.bulletins, "signatures_checked",
                                  (json_int_t)rep.signatures, "issuers", (json_int_t)rep.issuers,
                                  "roster_checked", roster_path != NULL, "seconds", secs,
                                  "findings", f),
                        0);
    } else {
        printf("audited %llu bulletins of %llu issuers in %.1f s: %llu signatures checked%s\n",
               (unsigned long long)rep.bulletins, (unsigned long long)rep.issuers, secs,
               (unsigned long long)rep.signatures,
               roster_path ? ", every notice against the roster at its issue time" : "");
        for (int i = 0; i < AUDIT_N; i++)
            if (rep.count[i])
                printf("%-16s %llu  (first: %s)\n", tool_audit_name(i),
                       (unsigned long long)rep.count[i], rep.first[i]);
        printf("%s\n", findings ? "NOT CLEAN" : "clean: nothing forged, dropped or rewritten");
    }
    return findings ? 1 : 0;
}
