/* http.c - how the gateway answers: JSON, errors as JSON, bytes with their cache headers. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gateway.h"
#include "tool.h"

uint64_t gw_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void gw_common_headers(struct MHD_Response *r)
{
    /* Anyone may read a public bulletin from any page: CORS for every origin, no cookies. */
    MHD_add_response_header(r, "Access-Control-Allow-Origin", "*");
    MHD_add_response_header(r, "Access-Control-Expose-Headers", "ETag");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
}

static enum MHD_Result queue(struct MHD_Connection *c, unsigned status, struct MHD_Response *r)
{
    if (r == NULL) return MHD_NO;
    gw_common_headers(r);
    enum MHD_Result rc = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return rc;
}

enum MHD_Result gw_bytes(struct MHD_Connection *c, unsigned status, const char *type,
                         const void *data, size_t len, const char *etag)
{
    if (etag != NULL) {
        const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
        if (inm != NULL && strstr(inm, etag) != NULL) {
            struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL,
                                                                     MHD_RESPMEM_PERSISTENT);
            if (r) {
                MHD_add_response_header(r, "ETag", etag);
                MHD_add_response_header(r, "Cache-Control", "public, max-age=31536000, immutable");
            }
            return queue(c, MHD_HTTP_NOT_MODIFIED, r);
        }
    }
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY);
    if (r == NULL) return MHD_NO;
    MHD_add_response_header(r, "Content-Type", type);
    if (etag != NULL) {
        MHD_add_response_header(r, "ETag", etag);
        MHD_add_response_header(r, "Cache-Control", "public, max-age=31536000, immutable");
    } else {
        MHD_add_response_header(r, "Cache-Control", "no-cache");
    }
    return queue(c, status, r);
}

enum MHD_Result gw_json(struct MHD_Connection *c, unsigned status, json_t *o)
{
    if (o == NULL) return gw_error(c, 500, "internal", "out of memory");
    char *text = tool_json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(o);
    if (text == NULL) return gw_error(c, 500, "internal", "out of memory");
    size_t n = strlen(text);
    struct MHD_Response *r = MHD_create_response_from_buffer(n, text, MHD_RESPMEM_MUST_FREE);
    if (r == NULL) {
        free(text);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", "application/json");
    MHD_add_response_header(r, "Cache-Control", "no-cache");
    return queue(c, status, r);
}

enum MHD_Result gw_error(struct MHD_Connection *c, unsigned status, const char *code,
                         const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_t *o = json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", msg);
    char *text = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
    json_decref(o);
    if (text == NULL) return MHD_NO;
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
    if (r == NULL) {
        free(text);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", "application/json");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(r, "Allow", "GET, HEAD, POST, OPTIONS");
    return queue(c, status, r);
}

void gw_base_url(const struct gw *g, struct MHD_Connection *c, char out[GW_BASE_MAX])
{
    const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
    if (g->base_url[0])
        snprintf(out, GW_BASE_MAX, "%s", g->base_url);
    else if (host && strlen(host) < 256 && strspn(host, "abcdefghijklmnopqrstuvwxyz"
                                                 "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") ==
                                              strlen(host))
        snprintf(out, GW_BASE_MAX, "http://%s", host);
    else
        snprintf(out, GW_BASE_MAX, "http://127.0.0.1");
    size_t n = strlen(out);
    if (n > 0 && out[n - 1] == '/') out[n - 1] = 0; /* paths are added with their "/" */
}
