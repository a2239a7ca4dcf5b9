/* cmd_desk.c - warta desk: the office desk, a page on loopback for an office's staff.
 *
 * The staff of an office are communicators: the desk puts warta inbox, warta sign and warta
 * publish behind one page (web/desk.html) in their browser. It serves the page and a small
 * JSON API, on a loopback address only: the inbox of the reports in the office's regions, the
 * notices the office signed with the receipts platforms sent back, and signing. The passphrase
 * is typed in the page and travels over loopback to this process, which decrypts the key (in
 * sodium_malloc memory, wiped after), signs with the same checks as `warta sign --roster
 * --node` (tool_sign_checked), keeps the signed bulletin in the outbox and hands it to the node
 * (tool_publish). The secret key never leaves this process; nothing of it is ever sent.
 *
 * The API wants the token printed at start (header X-Warta-Desk) and a loopback Host: another
 * site in the same browser can neither read the desk (no CORS) nor make it sign (the token, a
 * custom header, which needs a preflight the desk never grants), nor reach it by a DNS name
 * that points at 127.0.0.1. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "proto_armor.h"
#include "proto_pubkey.h"
#include "status.h"
#include "keys_error.h"
#include "keys_secret.h"
#include "tool.h"
#include "i18n.h"

#define DESK_BODY_MAX (256u << 10) /* a sign request: a bulletin's fields and a passphrase */
#define DESK_SENT_MAX 200          /* the office's latest notices shown */
#define DESK_RECEIPTS_MAX 64       /* receipts shown per notice */

#ifdef WARTA_DESK_PAGE
extern const char tool_desk_html[];
extern const size_t tool_desk_html_len;
#endif

struct desk {
    const char *key, *roster_path, *dir, *outbox, *gateway;
    uint8_t pk[PROTO_KEY_BYTES];
    char token[2 * 16 + 1];
    char host[3][64]; /* the Host values a request may carry */
    store *s; /* open during a request */
    unsigned long signed_n;
};

struct request {
    char *body; /* sodium_malloc'd: it may hold a passphrase */
    size_t n;
    bool too_big;
};

static int desk_usage(FILE *f, int rc)
{
    fprintf(f, _("usage: warta desk --key KEYFILE --roster ROSTER [--node DATA_DIR]\n"
                 "                  [--listen 127.0.0.1:PORT] [--outbox DIR] [--gateway URL]\n\n"
                 "The office desk: a page for the office's staff, served on this machine only\n"
                 "(a loopback address; default 127.0.0.1:8471). Open the address it prints, with\n"
                 "its token, in a browser here. The page shows the reports in the office's\n"
                 "regions (open ones first, a claim's reports together), composes a\n"
                 "clarification from a report with a preview of its page, signs it with KEYFILE\n"
                 "once the passphrase is typed in the page, and hands it to the node; it lists\n"
                 "the office's notices with the receipts platforms sent back. Signing makes the\n"
                 "checks of `warta sign --roster --node`. The secret key stays in this process;\n"
                 "each signed bulletin is also kept in the outbox (default KEYFILE.sent/).\n"
                 "--gateway URL: where the public pages are (links to each notice's page).\n"
                 "--node defaults to $WARTA_NODE, then /var/lib/warta.\n"
                 "example: warta desk --key office.key --roster /etc/warta/root.wrb\n"));
    return rc;
}

/* ---- answers ---- */

static enum MHD_Result answer(struct MHD_Connection *c, unsigned status, const char *type,
                              const void *data, size_t len)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY);
    if (r == NULL) return MHD_NO;
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    enum MHD_Result rc = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return rc;
}

static enum MHD_Result answer_json(struct MHD_Connection *c, unsigned status, json_t *o)
{
    char *s = o ? tool_json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (s == NULL) return answer(c, 500, "text/plain", "out of memory\n", 14);
    enum MHD_Result rc = answer(c, status, "application/json", s, strlen(s));
    free(s);
    return rc;
}

static enum MHD_Result refuse(struct MHD_Connection *c, unsigned status, const char *code,
                              const char *message)
{
    return answer_json(c, status,
                       json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", message));
}

/* ---- what the desk shows ---- */

/* The roster as this node holds it now: the file's records and those in the store. */
static roster *desk_roster(struct desk *d)
{
    roster *ro = tool_load_roster(d->roster_path);
    if (ro != NULL) store_roster_each(d->s, roster_visit_add, ro);
    return ro;
}

struct sent {
    struct desk *d;
    roster *ro;
    json_t *list;
    bool failed;
};

struct receipts {
    roster *ro;
    json_t *list;
};

static int receipt_visit(const uint8_t *raw, size_t len, void *p)
{
    struct receipts *r = p;
    struct proto_bulletin b;
    uint8_t id[PROTO_ID_BYTES];
    struct roster_office who;
    if (json_array_size(r->list) == DESK_RECEIPTS_MAX ||
        proto_bulletin_decode(&b, raw, len, NULL) != PROTO_OK || b.kind != PROTO_KIND_RECEIPT)
        return 0;
    proto_bulletin_id(raw, len, id);
    if (roster_check(r->ro, &b, id, &who) != ROSTER_TRUSTED) return 0; /* not a platform's */
    json_t *o = tool_bulletin_to_json(&b, raw, len);
    const struct proto_roster *w = &who.delegation;
    json_object_set_new(o, "platform", json_pack("{s:s%, s:s%}", "office", w->office.p,
                                                 w->office.n, "name", w->name.p, w->name.n));
    json_array_append_new(r->list, o);
    return 0;
}

/* The office's notices, newest first, each with its status and the receipts for it. */
static int sent_visit(uint64_t arrival, const struct proto_bulletin *b, const uint8_t *raw,
                      size_t len, void *p)
{
    (void)arrival;
    struct sent *x = p;
    if (!proto_kind_is_notice(b->kind) || memcmp(b->issuer, x->d->pk, PROTO_KEY_BYTES) != 0)
        return 0;
    uint8_t id[PROTO_ID_BYTES];
    struct bulletin_status st;
    proto_bulletin_id(raw, len, id);
    struct receipts r = {x->ro, json_array()};
    if (bulletin_status(x->ro, b, id, tool_time_now(), store_named_source, x->d->s, &st) != 0 ||
        store_named(x->d->s, id, receipt_visit, &r) != STORE_OK) {
        json_decref(r.list);
        x->failed = true;
        return 1;
    }
    json_t *o = tool_bulletin_to_json(b, raw, len);
    json_object_set_new(o, "state", json_string(bulletin_state_name(st.state)));
    json_object_set_new(o, "receipts", r.list);
    json_array_append_new(x->list, o);
    return json_array_size(x->list) == DESK_SENT_MAX;
}

static enum MHD_Result api_desk(struct desk *d, struct MHD_Connection *c)
{
    char pk[PROTO_PUBKEY_TEXT_LEN + 1];
    struct roster_office who;
    int err = 0;
    roster *ro = desk_roster(d);
    if (ro == NULL) return refuse(c, 500, "roster", "the roster file cannot be read");
    proto_pubkey_format(d->pk, pk);
    uint64_t now = tool_time_now();
    int trust = roster_key_at(ro, d->pk, now, &who);
    json_t *o = json_pack("{s:s, s:s, s:s, s:s?}", "key", pk, "node", d->dir, "trust",
                          roster_status_name(trust), "gateway", d->gateway);
    json_t *inbox = NULL;
    if (trust == ROSTER_TRUSTED) {
        json_object_set_new(o, "office", tool_office_json(&who));
        inbox = tool_inbox(d->s, ro, who.delegation.regions, who.delegation.n_regions, true, now,
                           &err);
    } else {
        json_object_set_new(o, "office", json_null());
        inbox = json_pack("{s:[], s:i}", "reports", "open", 0);
    }
    struct sent x = {d, ro, json_array(), false};
    if (inbox == NULL || store_arrivals(d->s, UINT64_MAX, true, sent_visit, &x) != STORE_OK ||
        x.failed) {
        json_decref(inbox);
        json_decref(x.list);
        json_decref(o);
        roster_free(&ro);
        return refuse(c, 500, "store", "the node's store cannot be read");
    }
    json_object_set_new(o, "inbox", inbox);
    json_object_set_new(o, "sent", x.list);
    roster_free(&ro);
    return answer_json(c, 200, o);
}

/* What the library says between capture_begin and capture_end (tool_err), for the page. */
struct capture {
    char *text;
    size_t n;
    FILE *f;
};

static int capture_begin(struct capture *k)
{
    k->text = NULL, k->n = 0;
    if ((k->f = open_memstream(&k->text, &k->n)) == NULL) return -1;
    tool_set_err(k->f);
    return 0;
}

static json_t *capture_end(struct capture *k)
{
    tool_set_err(NULL);
    fclose(k->f);
    json_t *s = json_stringn(k->text ? k->text : "", k->text ? k->n : 0);
    free(k->text);
    return s ? s : json_string("");
}

static void wipe(json_t *pass)
{
    if (json_is_string(pass))
        sodium_memzero((char *)json_string_value(pass), json_string_length(pass));
}

/* Sign the bulletin of the form, keep it in the outbox, hand it to the node. */
static enum MHD_Result api_sign(struct desk *d, struct MHD_Connection *c, const char *body,
                                size_t n)
{
    static struct proto_bulletin b;
    static char armored[2 * PROTO_BULLETIN_MAX];
    json_error_t e;
    json_t *in = json_loadb(body, n, JSON_REJECT_DUPLICATES, &e);
    json_t *fields = json_object_get(in, "bulletin"), *pass = json_object_get(in, "passphrase");
    uint64_t wanted = 0;
    char msg[256], path[4096];
    memset(&b, 0, sizeof b);
    if (!json_is_object(fields) || !json_is_string(pass) || json_object_size(in) != 2) {
        wipe(pass);
        json_decref(in);
        return refuse(c, 400, "bad_request",
                      "a JSON object {\"bulletin\": {...}, \"passphrase\": \"...\"} is wanted");
    }
    if (tool_bulletin_from_json(fields, &b, &wanted, msg, sizeof msg) != 0) {
        wipe(pass);
        json_decref(in);
        return refuse(c, 422, "bad_bulletin", msg);
    }
    memcpy(b.issuer, d->pk, PROTO_KEY_BYTES);
    snprintf(path, sizeof path, "%s/%llu-%lu.wb", d->outbox,
             (unsigned long long)tool_time_now(), ++d->signed_n);
    struct capture k;
    roster *ro = desk_roster(d);
    store_close(&d->s);
    int rc = ro != NULL ? capture_begin(&k) : -1;
    if (rc == 0) {
        struct pass_source src = {.given = json_string_value(pass)};
        rc = tool_sign_checked(d->key, &src, &b, wanted, ro, d->dir, path, false);
        json_t *why = capture_end(&k);
        if (rc != 0) {
            wipe(pass);
            json_decref(in);
            roster_free(&ro);
            return answer_json(c, 422, json_pack("{s:{s:s, s:o}}", "error", "code",
                                                 "not_signed", "message", why));
        }
        json_decref(why); /* "signed bulletin ...": the answer says it */
    }
    wipe(pass);
    json_decref(in);
    roster_free(&ro);
    uint8_t *raw = NULL, id[PROTO_ID_BYTES];
    size_t len = 0;
    if (rc != 0 || tool_read_bulletin(path, &raw, &len) != 0 || capture_begin(&k) != 0) {
        free(raw);
        return refuse(c, 500, "internal", "the roster, or the signed bulletin, cannot be read");
    }
    int pub = tool_publish(d->dir, raw, len, path, NULL);
    json_t *why = capture_end(&k);
    proto_bulletin_id(raw, len, id);
    size_t an = 0; /* the armored text, as written to the outbox (not read back again) */
    if (proto_armor_encode(PROTO_ARMOR_BULLETIN, raw, len, armored, sizeof armored, &an) != PROTO_OK)
        an = 0;
    free(raw);
    return answer_json(c, 200,
                       json_pack("{s:o, s:I, s:s, s:s%, s:b, s:b, s:o}", "id",
                                 tool_hex_json(id, sizeof id), "sequence", (json_int_t)b.sequence,
                                 "file", path, "armored", armored, an, "published", pub == 0,
                                 "pending", pub == EXIT_PENDING, "message", why));
}

/* ---- requests ---- */

static bool host_ok(const struct desk *d, struct MHD_Connection *c)
{
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
    for (size_t i = 0; h != NULL && i < 3; i++)
        if (strcmp(h, d->host[i]) == 0) return true;
    return false;
}

static bool token_ok(const struct desk *d, struct MHD_Connection *c)
{
    const char *t = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Warta-Desk");
    return t != NULL && strlen(t) == strlen(d->token) &&
           sodium_memcmp(t, d->token, strlen(t)) == 0;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode why)
{
    (void)cls, (void)c, (void)why;
    struct request *r = *con_cls;
    if (r != NULL) sodium_free(r->body); /* zeroes it */
    free(r);
    *con_cls = NULL;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_len, void **con_cls)
{
    (void)version;
    struct desk *d = cls;
    struct request *r = *con_cls;
    if (r == NULL) {
        if ((r = calloc(1, sizeof *r)) == NULL) return MHD_NO;
        *con_cls = r;
        return MHD_YES;
    }
    if (*upload_len > 0) {
        if (r->body == NULL && (r->body = sodium_malloc(DESK_BODY_MAX + 1)) == NULL)
            return MHD_NO;
        if (r->too_big || r->n + *upload_len > DESK_BODY_MAX) {
            r->too_big = true;
        } else {
            memcpy(r->body + r->n, upload, *upload_len);
            r->n += *upload_len;
        }
        *upload_len = 0;
        return MHD_YES;
    }
    if (!host_ok(d, c))
        return refuse(c, 421, "host", "the desk answers at its loopback address only");
    bool get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    if (strcmp(url, "/") == 0 && get) {
#ifdef WARTA_DESK_PAGE
        return answer(c, 200, "text/html; charset=utf-8", tool_desk_html, tool_desk_html_len);
#else
        static const char none[] = "this warta was built without the desk page (web/node_modules "
                                   "was missing: run `npm ci --omit=dev` in web/ and rebuild)\n";
        return answer(c, 404, "text/plain; charset=utf-8", none, sizeof none - 1);
#endif
    }
    if (strncmp(url, "/api/", 5) != 0) return refuse(c, 404, "not_found", "no such address");
    if (!token_ok(d, c))
        return refuse(c, 403, "token",
                      "open the desk with the address `warta desk` printed (it holds the token)");
    bool desk = strcmp(url, "/api/desk") == 0 && get;
    bool sign = strcmp(url, "/api/sign") == 0 && strcmp(method, "POST") == 0;
    if (!desk && !sign) return refuse(c, 404, "not_found", "no such address");
    if (r->too_big) return refuse(c, 413, "too_large", "the request is too large");
    /* The store is opened for each request and closed before signing: LMDB wants one handle
     * of an environment per process, and signing opens its own (tool_chain_check). */
    if ((d->s = tool_open_store(d->dir)) == NULL)
        return refuse(c, 500, "store", "the node's store cannot be read");
    enum MHD_Result rc = desk ? api_desk(d, c) : api_sign(d, c, r->body ? r->body : "", r->n);
    store_close(&d->s);
    return rc;
}

/* 127.0.0.0/8 only: the desk takes a passphrase. */
static bool loopback(const struct sockaddr_in *a)
{
    return (ntohl(a->sin_addr.s_addr) >> 24) == 127;
}

static int make_outbox(const char *dir)
{
    if (mkdir(dir, 0700) == 0 || errno == EEXIST) {
        struct stat st;
        if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode) && tool_dir_writable(dir)) return 0;
        errno = errno ? errno : ENOTDIR;
    }
    fprintf(stderr, _("warta desk: the outbox %s: %s\n"), dir, strerror(errno));
    return -1;
}

int cmd_desk(int argc, char **argv)
{
    static const struct option opts[] = {
        {"key", required_argument, NULL, 'k'},    {"roster", required_argument, NULL, 'R'},
        {"node", required_argument, NULL, 'N'},   {"listen", required_argument, NULL, 'l'},
        {"outbox", required_argument, NULL, 'o'}, {"gateway", required_argument, NULL, 'g'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    struct desk d = {0};
    const char *listen_at = "127.0.0.1:8471";
    char outbox[4096];
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'k': d.key = optarg; break;
        case 'R': d.roster_path = optarg; break;
        case 'N': d.dir = optarg; break;
        case 'l': listen_at = optarg; break;
        case 'o': d.outbox = optarg; break;
        case 'g': d.gateway = optarg; break;
        case 'h': return desk_usage(stdout, 0);
        default: return desk_usage(stderr, EXIT_USAGE);
        }
    }
    if (d.key == NULL || d.roster_path == NULL || optind != argc)
        return desk_usage(stderr, EXIT_USAGE);
    struct sockaddr_in addr;
    if (tool_parse_listen(listen_at, &addr) != 0 || !loopback(&addr)) {
        fprintf(stderr, _("warta desk: --listen: a loopback address and port like "
                          "127.0.0.1:8471, not '%s' (the desk takes the key's passphrase)\n"),
                listen_at);
        return EXIT_USAGE;
    }
    if (d.gateway && strncmp(d.gateway, "http://", 7) && strncmp(d.gateway, "https://", 8)) {
        fprintf(stderr, _("warta desk: --gateway: an http:// or https:// address, not '%s'\n"),
                d.gateway);
        return EXIT_USAGE;
    }
    int rc = keys_secret_read_pk(d.key, d.pk);
    if (rc != KEYS_OK) {
        fprintf(stderr, _("warta desk: %s: %s\n"), d.key, tool_keys_strerror(rc));
        return EXIT_NOINPUT;
    }
    if (d.outbox == NULL) {
        snprintf(outbox, sizeof outbox, "%s.sent", d.key);
        d.outbox = outbox;
    }
    d.dir = tool_node_dir(d.dir);
    roster *ro = tool_load_roster(d.roster_path);
    if (ro == NULL) return EXIT_NOINPUT;
    roster_free(&ro);
    if (make_outbox(d.outbox) != 0) return EXIT_CANTCREAT;
    if ((d.s = tool_open_store(d.dir)) == NULL) return EXIT_NOINPUT;
    store_close(&d.s);
    uint8_t t[16];
    randombytes_buf(t, sizeof t);
    tool_hex(t, sizeof t, d.token);

    /* SIGINT and SIGTERM end the desk: blocked here, so libmicrohttpd's thread inherits the
     * mask and the main thread takes them with sigwait. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    struct MHD_Daemon *m = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL, handle, &d,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_CONNECTION_LIMIT, 64u,
        MHD_OPTION_CONNECTION_TIMEOUT, 60u, MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
        MHD_OPTION_END);
    if (m == NULL) {
        fprintf(stderr, _("warta desk: cannot listen on %s: %s\n"), listen_at, strerror(errno));
        return EXIT_UNAVAILABLE;
    }
    const union MHD_DaemonInfo *port = MHD_get_daemon_info(m, MHD_DAEMON_INFO_BIND_PORT);
    char ip[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &addr.sin_addr, ip, sizeof ip);
    unsigned p = port ? port->port : ntohs(addr.sin_port);
    snprintf(d.host[0], sizeof d.host[0], "%s:%u", ip, p);
    snprintf(d.host[1], sizeof d.host[1], "localhost:%u", p);
    snprintf(d.host[2], sizeof d.host[2], "127.0.0.1:%u", p);
    printf(_("The office desk is at http://%s:%u/#k=%s\n"
             "(open it in a browser on this machine; Ctrl-C ends it)\n"),
           ip, p, d.token);
    fflush(stdout);
    int sig = 0;
    sigwait(&stop, &sig);
    MHD_stop_daemon(m);
    return 0;
}
