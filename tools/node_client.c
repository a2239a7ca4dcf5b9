/* node_client.c - talking to a running wartad through its control socket, and opening its
 * store read-only. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

#include "tool.h"
#include "i18n.h"

#define CONTROL_TIMEOUT_MS 15000

json_t *tool_node_request(const char *dir, const char *op, const uint8_t *payload, size_t len,
                          bool *ok)
{
    char endpoint[4200];
    json_t *reply = NULL;
    struct stat st;
    snprintf(endpoint, sizeof endpoint, "ipc://%s/control.sock", dir);
    *ok = false;
    /* Not allowed to reach it is not the same as no node there. */
    bool found = stat(endpoint + 6, &st) == 0;
    if (found ? access(endpoint + 6, W_OK) != 0 && errno == EACCES : errno == EACCES) {
        fprintf(tool_err(), _("warta: %s: permission denied: only the node's user and its group "
                          "(warta, for the packaged node) may use it\n"), endpoint + 6);
        return NULL;
    }
    if (!found || !S_ISSOCK(st.st_mode)) {
        fprintf(tool_err(), _("warta: no node is running at %s (%s is missing)\n"), dir, endpoint + 6);
        return NULL;
    }
    void *ctx = zmq_ctx_new();
    void *s = zmq_socket(ctx, ZMQ_DEALER);
    int timeout = CONTROL_TIMEOUT_MS, linger = 0;
    zmq_setsockopt(s, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    zmq_setsockopt(s, ZMQ_SNDTIMEO, &timeout, sizeof timeout);
    zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger);
    *ok = false;
    if (zmq_connect(s, endpoint) != 0 ||
        zmq_send(s, op, strlen(op), payload ? ZMQ_SNDMORE : 0) < 0 ||
        (payload && zmq_send(s, payload, len, 0) < 0)) {
        fprintf(tool_err(), _("warta: %s: %s\n"), endpoint, zmq_strerror(zmq_errno()));
        goto done;
    }
    char status[8] = "";
    int n = zmq_recv(s, status, sizeof status - 1, 0);
    if (n < 0) {
        fprintf(tool_err(), _("warta: no answer from the node at %s (is wartad running?)\n"), dir);
        goto done;
    }
    status[n < (int)sizeof status ? n : (int)sizeof status - 1] = 0;
    zmq_msg_t body;
    zmq_msg_init(&body);
    if (zmq_msg_recv(&body, s, 0) >= 0) {
        reply = json_loadb(zmq_msg_data(&body), zmq_msg_size(&body), 0, NULL);
        *ok = strcmp(status, "ok") == 0;
    }
    zmq_msg_close(&body);
done:
    zmq_close(s);
    zmq_ctx_term(ctx);
    return reply;
}

store *tool_open_store(const char *dir)
{
    char path[4200], err[256];
    snprintf(path, sizeof path, "%s/store", dir);
    store *s = store_open(path, true, err, sizeof err);
    if (s == NULL) fprintf(tool_err(), _("warta: %s\n"), err);
    return s;
}

int tool_filter_flag(int c, const char *arg, struct store_filter *f,
                     uint8_t issuer[PROTO_KEY_BYTES])
{
    switch (c) {
    case 'r':
        f->region = arg;
        return 1;
    case 'v':
        f->verdict = arg;
        return 1;
    case 'l':
        f->limit = (size_t)strtoul(arg, NULL, 10);
        return 1;
    case 'i':
        if (tool_resolve_pubkey(arg, issuer) != 0) return -1;
        f->issuer = issuer;
        return 1;
    case 's':
    case 'u':
        if (tool_time_parse(arg, c == 's' ? &f->since : &f->until) == 0) return 1;
        fprintf(tool_err(), _("warta: not a time like 2026-11-23T10:00:00Z, 2026-11-23T17:00:00+07:00 or 2026-11-23 17:00:00 WIB: %s\n"), arg);
        return -1;
    default:
        return 0;
    }
}

int tool_roster_from_node(roster *ro, const char *dir)
{
    store *st = tool_open_store(dir);
    if (st == NULL) return -1;
    int rc = store_roster_each(st, roster_visit_add, ro);
    if (rc != STORE_OK) fprintf(tool_err(), _("warta: %s: %s\n"), dir, store_error(st));
    store_close(&st);
    return rc == STORE_OK ? 0 : -1;
}

const char *tool_node_dir(const char *given)
{
    const char *env = getenv("WARTA_NODE");
    if (given) return given;
    return env && env[0] ? env : "/var/lib/warta";
}

bool tool_is_id_prefix(const char *arg)
{
    size_t n = strlen(arg);
    return n >= 8 && n <= 2 * PROTO_ID_BYTES && strspn(arg, "0123456789abcdefABCDEF") == n;
}

int tool_bulletin_by_id(const char *dir, const char *hex, uint8_t **raw, size_t *len)
{
    uint8_t id[PROTO_ID_BYTES];
    store *s = tool_open_store(dir);
    if (s == NULL) return EXIT_NOINPUT;
    int rc = store_find_id(s, hex, id);
    if (rc == STORE_OK) rc = store_get(s, id, raw, len);
    store_close(&s);
    if (rc == STORE_OK) return 0;
    if (rc == STORE_EAMBIGUOUS)
        fprintf(tool_err(), _("warta: %s: more than one bulletin in %s has an id that starts so; give "
                          "more digits\n"), hex, dir);
    else
        fprintf(tool_err(), _("warta: %s: no such bulletin in %s\n"), hex, dir);
    return rc == STORE_EAMBIGUOUS || rc == STORE_ENOTFOUND ? EXIT_DATAERR : EXIT_NOINPUT;
}

int tool_publish(const char *dir, const uint8_t *raw, size_t len, const char *where,
                 json_t **out)
{
    bool ok = false;
    json_t *reply = tool_node_request(dir, "publish", raw, len, &ok);
    if (out != NULL) *out = NULL;
    if (reply == NULL) return EXIT_UNAVAILABLE;
    const char *result = json_string_value(json_object_get(reply, "result"));
    FILE *e = tool_err();
    if (ok)
        ;
    else if (result && strcmp(result, "pending") == 0)
        fprintf(e,
                _("warta publish: %s: not stored yet: the node holds it until the "
                "issuer's previous bulletin arrives (publish that one first)\n"),
                where);
    else if (result && strcmp(result, "taken") == 0)
        fprintf(e,
                _("warta publish: %s: refused: its sequence %lld is taken: the node already holds "
                "another bulletin of this key there (its chain is at %lld). The key was used "
                "elsewhere, or its chain state was lost; recover it with `warta chain --key KEY "
                "--from-node DIR`, then sign again. Nothing was stored.\n"),
                where, (long long)json_integer_value(json_object_get(reply, "sequence")),
                (long long)json_integer_value(json_object_get(reply, "head")));
    else if (result && strcmp(result, "untrusted") == 0)
        fprintf(e, _("warta publish: %s: the node's roster does not trust it: %s\n"), where,
                json_string_value(json_object_get(reply, "reason")));
    else if (result && strcmp(result, "bad_signature") == 0)
        fprintf(e,
                _("warta publish: %s: refused: bad_signature: the signature does not match its "
                "issuer key (forged or altered); nothing was stored\n"),
                where);
    else
        fprintf(e, _("warta publish: %s: the node refused it: %s\n"), where,
                result ? result : json_string_value(json_object_get(reply, "error")));
    int rc = ok                                         ? 0
             : result && strcmp(result, "pending") == 0   ? EXIT_PENDING
             : result && strcmp(result, "malformed") == 0 ? EXIT_MALFORMED
                                                          : EXIT_DATAERR;
    if (out != NULL)
        *out = reply;
    else
        json_decref(reply);
    return rc;
}

int tool_parse_listen(const char *s, struct sockaddr_in *a)
{
    char host[64];
    const char *colon = strrchr(s, ':');
    if (colon == NULL || (size_t)(colon - s) >= sizeof host) return -1;
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = 0;
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535 || colon[1] == 0) return -1;
    memset(a, 0, sizeof *a);
    a->sin_family = AF_INET;
    a->sin_port = htons((uint16_t)port);
    return inet_pton(AF_INET, host, &a->sin_addr) == 1 ? 0 : -1;
}
