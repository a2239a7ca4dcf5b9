/* verify.c - GET /verify: the verification page (web/verify.html, built into one file and
 * embedded), with this gateway's roster put in it: the offices in force now with their
 * delegation paths (as /v1/offices) and the armored records (as /v1/roster/armored), and the
 * time. The page checks signatures itself and asks the gateway the rest while it can reach it;
 * saved to disk, it still names the office from the roster saved with it, and says as of when.
 * Messages: not translated (the page carries its own words in both languages). */
#include <stdlib.h>
#include <string.h>

#include "gateway.h"
#include "tool.h"

/* The answer when web/node_modules was missing at build time: which page, and how to get it. */
static inline enum MHD_Result gw_no_page(struct MHD_Connection *c, const char *which)
{
    return gw_error(c, 404, "no_page",
                    "this gateway was built without its %s page (web/node_modules was missing: "
                    "run `npm ci --omit=dev` in web/ and rebuild)",
                    which);
}

#ifdef WARTA_VERIFY_PAGE
extern const char gw_verify_html[];
extern const size_t gw_verify_html_len;

static const char mark[] = "/*warta:roster*/null";

enum MHD_Result gw_page_verify(struct gw *g, struct MHD_Connection *c)
{
    const char *at = strstr(gw_verify_html, mark); /* the array ends with a NUL */
    size_t text_len = 0;
    char t[TOOL_TIME_LEN], *text = gw_roster_text(g, &text_len);
    json_t *o = gw_roster_view(g, true);
    tool_time_format(tool_time_now(), t);
    if (o != NULL && text != NULL) {
        json_object_set_new(o, "saved_at", json_string(t));
        json_object_set_new(o, "roster", json_stringn(text, text_len));
    }
    free(text);
    /* Inside <script>: "</" is written "<\/", so no text of the roster can end the element. */
    char *json = o ? json_dumps(o, JSON_COMPACT | JSON_ESCAPE_SLASH) : NULL;
    json_decref(o);
    if (at == NULL || json == NULL) {
        free(json);
        return gw_error(c, 500, "internal", at ? "out of memory" : "the page has no roster mark");
    }
    size_t head = (size_t)(at - gw_verify_html), n = strlen(json);
    size_t tail = gw_verify_html_len - head - (sizeof mark - 1);
    char *page = malloc(head + n + tail);
    enum MHD_Result rc;
    if (page == NULL) {
        rc = gw_error(c, 500, "internal", "out of memory");
    } else {
        memcpy(page, gw_verify_html, head);
        memcpy(page + head, json, n);
        memcpy(page + head + n, at + sizeof mark - 1, tail);
        rc = gw_bytes(c, 200, "text/html; charset=utf-8", page, head + n + tail, NULL);
    }
    free(page);
    free(json);
    return rc;
}
#else
enum MHD_Result gw_page_verify(struct gw *g, struct MHD_Connection *c)
{
    (void)g;
    return gw_no_page(c, "verification");
}
#endif

/* GET /dashboard: the effectiveness dashboard (web/dashboard.html); it asks /v1/stats. */
#ifdef WARTA_DASHBOARD_PAGE
extern const char gw_dashboard_html[];
extern const size_t gw_dashboard_html_len;

enum MHD_Result gw_page_dashboard(struct gw *g, struct MHD_Connection *c)
{
    (void)g;
    return gw_bytes(c, 200, "text/html; charset=utf-8", gw_dashboard_html, gw_dashboard_html_len,
                    NULL);
}
#else
enum MHD_Result gw_page_dashboard(struct gw *g, struct MHD_Connection *c)
{
    (void)g;
    return gw_no_page(c, "dashboard");
}
#endif
