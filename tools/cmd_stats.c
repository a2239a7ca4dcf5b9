/* cmd_stats.c - warta stats: the figures of tools/stats.c (how fast reports are answered and
 * platforms act) from a node's store, as a table or --json. */
#include <getopt.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"
#include "i18n.h"

#include <sys/wait.h>

extern char **environ;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* --plot FILE: the monthly counts of reports and clarifications as a PNG drawn by gnuplot (a
 * real plotting tool, not chart code of ours), from FILE.dat, which is kept next to it: the
 * data the image shows, one line per month: MONTH REPORTS CLARIFICATIONS. 0, or an exit
 * code after saying why. */
static int plot(json_t *f, const char *out)
{
    if (strpbrk(out, "\"\\\n") != NULL) {
        fprintf(stderr,
                _("warta stats: --plot %s: a file name without quotes, backslashes or "
                  "line breaks, please\n"),
                out);
        return EXIT_USAGE;
    }
    json_t *rm = json_object_get(json_object_get(f, "reports"), "by_month");
    json_t *cm = json_object_get(json_object_get(f, "clarifications"), "by_month");
    json_t *months = json_object();
    const char *k;
    json_t *v;
    json_object_foreach(rm, k, v) json_object_set_new(months, k, json_true());
    json_object_foreach(cm, k, v) json_object_set_new(months, k, json_true());
    size_t n = strlen(out) + 8;
    char *dat = malloc(n), *gp = malloc(n);
    FILE *d = NULL, *g = NULL;
    int rc = 0;
    if (dat && gp) {
        snprintf(dat, n, "%s.dat", out);
        snprintf(gp, n, "%s.gp", out);
        d = fopen(dat, "w");
        g = fopen(gp, "w");
    }
    if (d == NULL || g == NULL) {
        fprintf(stderr, _("warta stats: --plot %s: cannot write it\n"), out);
        rc = EXIT_CANTCREAT;
    } else {
        /* jansson keeps keys in insertion order; months sort as text. */
        size_t count = json_object_size(months), i = 0;
        const char **keys = calloc(count + 1, sizeof *keys);
        json_object_foreach(months, k, v) keys[i++] = k;
        qsort(keys, count, sizeof *keys, cmp_str);
        for (i = 0; i < count; i++)
            fprintf(d, "%s %lld %lld\n", keys[i],
                    (long long)json_integer_value(json_object_get(rm, keys[i])),
                    (long long)json_integer_value(json_object_get(cm, keys[i])));
        free(keys);
        fprintf(g,
                "set terminal pngcairo size 900,450 font \"DejaVu Sans,10\"\n"
                "set output \"%s\"\n"
                "set title \"%s\"\n"
                "set style data histograms\nset style histogram clustered gap 1\n"
                "set style fill solid 0.8 border -1\nset boxwidth 0.9\n"
                "set xtics rotate by -45\nset yrange [0:*]\nset key top right\n"
                "plot \"%s\" using 2:xtic(1) title \"%s\", \"\" using 3 title \"%s\"\n",
                out, _("Reports and clarifications by month"), dat, _("reports"),
                _("clarifications"));
    }
    if (d) fclose(d);
    if (g) fclose(g);
    json_decref(months);
    if (rc == 0) {
        pid_t pid;
        char *argv[] = {"gnuplot", gp, NULL};
        int status = 0;
        if (posix_spawnp(&pid, "gnuplot", NULL, NULL, argv, environ) != 0) {
            fprintf(stderr, _("warta stats: --plot needs gnuplot (Debian: apt install "
                              "gnuplot-nox)\n"));
            rc = EXIT_UNAVAILABLE;
        } else if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, _("warta stats: gnuplot could not draw %s\n"), out);
            rc = EXIT_CANTCREAT;
        }
    }
    if (gp) remove(gp);
    free(dat);
    free(gp);
    return rc;
}

static void print_counts(const char *title, json_t *o)
{
    const char *k;
    json_t *v;
    printf("%s\n", title);
    json_object_foreach(o, k, v) printf("  %-24s %lld\n", k, (long long)json_integer_value(v));
}

static void print_spread(const char *title, json_t *o)
{
    json_t *med = json_object_get(o, "median_ms"), *max = json_object_get(o, "max_ms");
    printf("%-40s %5lld", title, (long long)json_integer_value(json_object_get(o, "count")));
    if (json_is_integer(med))
        printf(_("   median %.1f h   longest %.1f h"), json_integer_value(med) / 3600000.0,
               json_integer_value(max) / 3600000.0);
    printf("\n");
}

static void print_table(json_t *f)
{
    json_t *rep = json_object_get(f, "reports"), *cl = json_object_get(f, "clarifications");
    json_t *rc = json_object_get(f, "receipts");
    printf(_("as of %s\n"), json_string_value(json_object_get(f, "at")));
    printf(_("reports: %lld (%lld claims), %lld open\n"),
           (long long)json_integer_value(json_object_get(rep, "total")),
           (long long)json_integer_value(json_object_get(rep, "claims")),
           (long long)json_integer_value(json_object_get(rep, "open")));
    printf(_("clarifications and corrections: %lld; receipts: %lld (%lld items)\n\n"),
           (long long)json_integer_value(json_object_get(cl, "total")),
           (long long)json_integer_value(json_object_get(rc, "total")),
           (long long)json_integer_value(json_object_get(rc, "items")));
    print_spread(_("first report of a claim -> its answer"),
                 json_object_get(f, "report_to_clarification"));
    print_spread(_("clarification -> first platform action"),
                 json_object_get(f, "clarification_to_first_action"));
    print_spread(_("clarification -> last platform action"),
                 json_object_get(f, "clarification_to_last_action"));
    printf("\n");
    print_counts(_("open reports by age"), json_object_get(rep, "open_by_age"));
    print_counts(_("reports by month"), json_object_get(rep, "by_month"));
    print_counts(_("clarifications by month"), json_object_get(cl, "by_month"));
    print_counts(_("clarifications by region"), json_object_get(cl, "by_region"));
    print_counts(_("clarifications by verdict"), json_object_get(cl, "by_verdict"));
    print_counts(_("clarifications by office"), json_object_get(cl, "by_office"));
    print_counts(_("receipts by action"), json_object_get(rc, "by_action"));
}

int cmd_stats(int argc, char **argv)
{
    static const struct option opts[] = {{"node", required_argument, NULL, 'N'},
                                         {"roster", required_argument, NULL, 'R'},
                                         {"at", required_argument, NULL, 'a'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"plot", required_argument, NULL, 'p'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *dir = NULL, *roster_path = NULL, *plot_path = NULL;
    uint64_t at = tool_time_now();
    bool json = false;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'N') {
            dir = optarg;
        } else if (c == 'R') {
            roster_path = optarg;
        } else if (c == 'j') {
            json = true;
        } else if (c == 'p') {
            plot_path = optarg;
        } else if (c == 'a' && tool_time_parse(optarg, &at) == 0) {
        } else {
            fprintf(c == 'h' ? stdout : stderr,
                    _("usage: warta stats --roster ROSTER [--node DATA_DIR] [--at TIME] [--json] "
                      "[--plot "
                      "FILE.png]\n"
                      "How fast reports are answered and platforms act, from what the node holds\n"
                      "and the roster trusts: from the first report of a claim to its answer;\n"
                      "from a clarification to the first and last platform action on it; open\n"
                      "reports by age (at TIME, default now); counts by region, verdict, office\n"
                      "and month. Times are the signed ones. --node defaults to $WARTA_NODE.\n"
                      "--plot draws reports and clarifications by month with gnuplot, and keeps\n"
                      "the numbers it drew in FILE.png.dat.\n"
                      "example: warta stats --roster /etc/warta/root.wrb --json\n"));
            return c == 'h' ? 0 : EXIT_USAGE;
        }
    }
    if (roster_path == NULL || optind != argc) {
        fprintf(stderr, _("usage: warta stats --roster ROSTER [--node DATA_DIR] [--at TIME] "
                          "[--json]\n"));
        return EXIT_USAGE;
    }
    dir = tool_node_dir(dir);
    int rc = 0, err = 0;
    roster *ro = tool_load_roster(roster_path);
    store *s = NULL;
    if (ro == NULL) return EXIT_NOINPUT;
    json_t *f = NULL;
    if (tool_roster_from_node(ro, dir) != 0 || (s = tool_open_store(dir)) == NULL)
        rc = EXIT_NOINPUT;
    else if ((f = tool_stats(s, ro, at, &err)) == NULL)
        rc = EXIT_DATAERR;
    if (rc == EXIT_DATAERR) fprintf(stderr, _("warta stats: %s: the store cannot be read\n"), dir);
    if (f != NULL && plot_path != NULL) rc = plot(f, plot_path);
    if (f != NULL && json) {
        tool_print_json(f, 0);
    } else if (f != NULL) {
        print_table(f);
        json_decref(f);
    }
    store_close(&s);
    roster_free(&ro);
    return rc;
}
