/* proto_text.c - syntax checks for the text fields of warta objects. */
#include "proto_text.h"

#include <string.h>

#include "proto_error.h"

/* Decode one UTF-8 character at p (n bytes available). Returns its length, or 0 if the bytes
 * are not the shortest encoding of a scalar value. */
static size_t utf8_next(const uint8_t *p, size_t n, uint32_t *cp)
{
    uint8_t c = p[0];
    size_t len;
    uint32_t min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        len = 2, min = 0x80, *cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, min = 0x800, *cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, min = 0x10000, *cp = c & 0x07;
    } else {
        return 0;
    }
    if (len > n) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80) return 0;
        *cp = (*cp << 6) | (p[i] & 0x3F);
    }
    if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF)) return 0;
    return len;
}

/* Whether all 8 bytes at p are printable ASCII (0x20-0x7E): most text is, 8 bytes a step. */
static bool printable8(const uint8_t *p)
{
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    uint64_t v, del;
    memcpy(&v, p, 8);
    del = v ^ (0x7F * ones);
    return ((v | ((v - 0x20 * ones) & ~v) | ((del - ones) & ~del)) & highs) == 0;
}

int proto_text_check(const uint8_t *p, size_t n, bool multiline, size_t *bad_at)
{
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        if (n - i >= 8 && printable8(p + i)) {
            i += 8;
            continue;
        }
        size_t len = utf8_next(p + i, n - i, &cp);
        if (len == 0) {
            if (bad_at) *bad_at = i;
            return PROTO_EUTF8;
        }
        bool control = cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
        if (control && !(multiline && (cp == '\n' || cp == '\t'))) {
            if (bad_at) *bad_at = i;
            return PROTO_ESYNTAX;
        }
        i += len;
    }
    return PROTO_OK;
}

size_t proto_utf8_prefix(const uint8_t *p, size_t n, size_t max)
{
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t len = utf8_next(p + i, n - i, &cp);
        if (len == 0 || i + len > max) break;
        i += len;
    }
    return i;
}

static bool all_in(const uint8_t *p, size_t n, const char *set)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] == 0 || strchr(set, p[i]) == NULL) return false;
    return true;
}

#define LOWER "abcdefghijklmnopqrstuvwxyz"
#define UPPER "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define DIGIT "0123456789"

/* One subtag of a language tag, classified by its canonical form. */
static bool subtag_is_script(const uint8_t *s, size_t n)
{
    return n == 4 && all_in(s, 1, UPPER) && all_in(s + 1, 3, LOWER);
}

static bool subtag_is_region(const uint8_t *s, size_t n)
{
    return (n == 2 && all_in(s, 2, UPPER)) || (n == 3 && all_in(s, 3, DIGIT));
}

static bool subtag_is_variant(const uint8_t *s, size_t n)
{
    if (n >= 5 && n <= 8) return all_in(s, n, LOWER DIGIT);
    return n == 4 && all_in(s, 1, DIGIT) && all_in(s + 1, 3, LOWER DIGIT);
}

bool proto_lang_valid(const uint8_t *p, size_t n)
{
    if (n < 2 || n > 35) return false;
    size_t i = 0, stage = 0; /* 0 language, 1 script, 2 region, 3 variants */
    while (i <= n) {
        size_t j = i;
        while (j < n && p[j] != '-')
            j++;
        const uint8_t *s = p + i;
        size_t len = j - i;
        if (stage == 0) {
            if (len < 2 || len > 3 || !all_in(s, len, LOWER)) return false;
            stage = 1;
        } else if (stage <= 1 && subtag_is_script(s, len)) {
            stage = 2;
        } else if (stage <= 2 && subtag_is_region(s, len)) {
            stage = 3;
        } else if (subtag_is_variant(s, len)) {
            stage = 3;
        } else {
            return false;
        }
        i = j + 1;
    }
    return true;
}

bool proto_region_valid(const uint8_t *p, size_t n)
{
    /* Groups of 2, 2, 2 and 4 digits joined by dots; any prefix of whole groups. */
    static const size_t group[] = {2, 2, 2, 4};
    size_t i = 0;
    if (n == 0) return true;
    for (size_t g = 0; g < 4; g++) {
        if (n - i < group[g] || !all_in(p + i, group[g], DIGIT)) return false;
        i += group[g];
        if (i == n) return true;
        if (p[i] != '.') return false;
        i++;
    }
    return false;
}

bool proto_verdict_valid(const uint8_t *p, size_t n)
{
    return n >= 1 && n <= 32 && all_in(p, 1, UPPER) && all_in(p + 1, n - 1, UPPER "_");
}

bool proto_url_valid(const uint8_t *p, size_t n)
{
    static const char *schemes[] = {"https://", "http://"};
    if (n > 2048) return false;
    for (size_t s = 0; s < 2; s++) {
        size_t k = strlen(schemes[s]);
        if (n > k && memcmp(p, schemes[s], k) == 0) {
            for (size_t i = k; i < n; i++)
                if (p[i] == ' ') return false;
            return proto_text_check(p + k, n - k, false, NULL) == PROTO_OK;
        }
    }
    return false;
}
