/* claimreview.c - a notice as schema.org ClaimReview, the markup fact-check aggregators and
 * search engines read: `warta export --format claimreview` and the gateway's bulletin pages. */
#include <string.h>

#include "tool.h"

/* The office that signed b, by the roster, or NULL. */
static json_t *author_of(roster *ro, const struct proto_bulletin *b, const uint8_t *id)
{
    char pk[2 * PROTO_KEY_BYTES + 1];
    struct roster_office w;
    if (ro && roster_check(ro, b, id, &w) == ROSTER_TRUSTED)
        return json_pack("{s:s, s:s%, s:s%}", "@type", "Organization", "name",
                         (const char *)w.delegation.name.p, w.delegation.name.n, "identifier",
                         (const char *)w.delegation.office.p, w.delegation.office.n);
    tool_hex(b->issuer, PROTO_KEY_BYTES, pk);
    return json_pack("{s:s, s:s, s:s}", "@type", "Organization", "name", "unverified issuer",
                     "identifier", pk);
}

/* schema.org ClaimReview: claimReviewed, reviewRating.alternateName (the verdict), author,
 * datePublished, itemReviewed (the Claim, with the addresses where it appeared), url. */
json_t *tool_claimreview(roster *ro, const struct proto_bulletin *b, const uint8_t *id,
                         const char *base_url)
{
    char t[TOOL_TIME_LEN], hex[2 * PROTO_ID_BYTES + 1];
    json_t *appearance = json_array();
    const struct proto_str *url = NULL;
    for (size_t i = 0; i < b->n_links; i++) {
        if (b->links[i].rel == PROTO_LINK_APPEARANCE)
            json_array_append_new(appearance,
                                  json_stringn((const char *)b->links[i].url.p, b->links[i].url.n));
        else if (url == NULL)
            url = &b->links[i].url;
    }
    tool_time_format(b->issued_at, t);
    tool_hex(id, PROTO_ID_BYTES, hex);
    const struct proto_str *claim = b->claim.n ? &b->claim : &b->title;
    json_t *o = json_pack(
        "{s:s, s:s, s:s%, s:s%, s:{s:s, s:s%}, s:o, s:s, s:{s:s, s:o}, s:s, s:s%}", "@context",
        "https://schema.org", "@type", "ClaimReview", "claimReviewed", (const char *)claim->p,
        claim->n, "name", (const char *)b->title.p, b->title.n, "reviewRating", "@type", "Rating",
        "alternateName", (const char *)b->verdict.p, b->verdict.n, "author", author_of(ro, b, id),
        "datePublished", t, "itemReviewed", "@type", "Claim", "appearance", appearance,
        "identifier", hex, "inLanguage", (const char *)b->lang.p, b->lang.n);
    if (base_url) {
        size_t n = strlen(base_url);
        while (n > 0 && base_url[n - 1] == '/')
            n--;
        json_object_set_new(o, "url", json_sprintf("%.*s/b/%s", (int)n, base_url, hex));
    } else if (url) {
        json_object_set_new(o, "url", json_stringn((const char *)url->p, url->n));
    }
    if (b->explanation.n)
        json_object_set_new(o, "reviewBody",
                            json_stringn((const char *)b->explanation.p, b->explanation.n));
    return o;
}

