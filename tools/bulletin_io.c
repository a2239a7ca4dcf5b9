/* bulletin_io.c - reading and writing bulletin files, resolving public key arguments. */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "keys_error.h"
#include "keys_file.h"
#include "keys_secret.h"
#include "proto_armor.h"
#include "proto_pubkey.h"
#include "tool.h"
#include "i18n.h"

static FILE *err_stream;

FILE *tool_err(void)
{
    return err_stream != NULL ? err_stream : stderr;
}

void tool_set_err(FILE *f)
{
    err_stream = f;
}

/* An armored bulletin is about 4/3 of the binary plus line breaks and a little text around. */
#define BULLETIN_FILE_MAX (4 * PROTO_BULLETIN_MAX)

void tool_hex(const uint8_t *p, size_t n, char *out)
{
    sodium_bin2hex(out, 2 * n + 1, p, n);
}

int tool_unhex(const char *s, uint8_t *out, size_t n)
{
    size_t got = 0;
    const char *end = NULL;
    if (strlen(s) != 2 * n) return -1;
    if (sodium_hex2bin(out, n, s, 2 * n, NULL, &got, &end) != 0 || got != n || *end != 0) return -1;
    return 0;
}

const char *tool_keys_strerror(int rc)
{
    return rc == KEYS_EIO ? strerror(errno) : keys_strerror(rc);
}

void tool_print_proto_err(const char *where, const struct proto_err *err)
{
    fprintf(tool_err(), _("warta: %s: malformed bulletin: field '%s' at byte %zu: %s\n"), where,
            err->field ? err->field : "?", err->offset, _(proto_strerror(err->code)));
}

int tool_read_bulletin(const char *path, uint8_t **raw, size_t *len)
{
    uint8_t *buf = NULL;
    size_t n = 0;
    int rc = keys_file_read(path, BULLETIN_FILE_MAX, &buf, &n);
    if (rc != KEYS_OK) {
        fprintf(tool_err(), _("warta: %s: %s\n"), path, tool_keys_strerror(rc));
        return -1;
    }
    if (n >= 4 && memcmp(buf, proto_bulletin_magic, 4) == 0) {
        *raw = buf, *len = n;
        return 0;
    }
    uint8_t *out = malloc(PROTO_BULLETIN_MAX + 1);
    rc = out == NULL ? PROTO_ENOMEM
                     : proto_armor_decode(PROTO_ARMOR_BULLETIN, (const char *)buf, n, out,
                                          PROTO_BULLETIN_MAX + 1, len);
    free(buf);
    if (rc != PROTO_OK) {
        if (rc == PROTO_EARMOR)
            fprintf(tool_err(), _("warta: %s: not a bulletin (no intact '-----BEGIN %s-----' block)\n"),
                    path, PROTO_ARMOR_BULLETIN);
        else
            fprintf(tool_err(), _("warta: %s: not a bulletin (%s)\n"), path, _(proto_strerror(rc)));
        free(out);
        return -2;
    }
    *raw = out;
    return 0;
}

int tool_each_bulletin(const uint8_t *buf, size_t n, const char *where,
                       int (*fn)(const uint8_t *raw, size_t len, void *ctx), void *ctx)
{
    size_t found = 0;
    if (n >= 4 && memcmp(buf, proto_bulletin_magic, 4) == 0) return fn(buf, n, ctx);
    uint8_t *out = malloc(PROTO_BULLETIN_MAX + 1);
    if (out == NULL) return -1;
    int rc = proto_armor_each(PROTO_ARMOR_BULLETIN, (const char *)buf, n, out,
                              PROTO_BULLETIN_MAX + 1, fn, ctx, &found);
    if (rc < 0)
        fprintf(tool_err(), _("warta: %s: a damaged bulletin block (%s)\n"), where, _(proto_strerror(rc)));
    if (rc == 0 && found == 0) {
        fprintf(tool_err(), _("warta: %s: no '-----BEGIN %s-----' block\n"), where, PROTO_ARMOR_BULLETIN);
        rc = -1;
    }
    free(out);
    return rc < 0 ? -1 : rc;
}

static int write_stdout(const void *p, size_t n)
{
    return fwrite(p, 1, n, stdout) == n && fflush(stdout) == 0 ? 0 : -1;
}

int tool_write_bulletin(const char *path, const uint8_t *raw, size_t len, bool binary)
{
    size_t cap = proto_armor_size(PROTO_ARMOR_BULLETIN, len), n = len;
    char *text = NULL;
    const void *data = raw;
    int rc;
    if (!binary) {
        text = malloc(cap);
        if (text == NULL ||
            proto_armor_encode(PROTO_ARMOR_BULLETIN, raw, len, text, cap, &n) != 0) {
            free(text);
            fprintf(tool_err(), _("warta: out of memory\n"));
            return -1;
        }
        data = text;
    }
    rc = tool_write_output(path, data, n);
    free(text);
    return rc;
}

int tool_bulletin_of(const uint8_t *raw, size_t len, const uint8_t *pk, struct proto_bulletin *b)
{
    if (proto_bulletin_decode(b, raw, len, NULL) != PROTO_OK ||
        proto_bulletin_verify(b, raw, len) != PROTO_OK)
        return -1;
    return memcmp(b->issuer, pk, PROTO_KEY_BYTES) == 0 ? 0 : -2;
}

bool tool_dir_writable(const char *path)
{
    char dir[4096];
    const char *slash = strrchr(path, '/');
    if (slash == NULL) return access(".", W_OK | X_OK) == 0;
    size_t n = slash == path ? 1 : (size_t)(slash - path);
    if (n >= sizeof dir) {
        errno = ENAMETOOLONG;
        return false;
    }
    memcpy(dir, path, n);
    dir[n] = 0;
    return access(dir, W_OK | X_OK) == 0;
}

int tool_write_output(const char *path, const void *data, size_t n)
{
    if (path == NULL || strcmp(path, "-") == 0) {
        if (write_stdout(data, n) == 0) return 0;
        fprintf(tool_err(), _("warta: writing standard output: %s\n"), strerror(errno));
        return -1;
    }
    int k = keys_file_create(path, data, n, 0644);
    if (k == KEYS_OK) return 0;
    fprintf(tool_err(), _("warta: %s: %s\n"), path, tool_keys_strerror(k));
    return -1;
}

int tool_read_exit(int rc)
{
    return rc == -2 ? EXIT_MALFORMED : EXIT_NOINPUT;
}

int tool_resolve_pubkey(const char *arg, uint8_t pk[PROTO_KEY_BYTES])
{
    const char *text = arg;
    uint8_t *buf = NULL;
    size_t n = strlen(arg);
    int rc;
    if (strncmp(arg, PROTO_PUBKEY_PREFIX, 4) != 0) {
        rc = keys_file_read(arg, KEYS_FILE_MAX, &buf, &n);
        if (rc != KEYS_OK) {
            fprintf(tool_err(), _("warta: %s: %s\n"), arg, tool_keys_strerror(rc));
            return -1;
        }
        text = (const char *)buf;
        if (strstr(text, "-----BEGIN " PROTO_ARMOR_SECRET_KEY "-----") != NULL) {
            struct keys_sealed s;
            rc = keys_sealed_parse_text(&s, text, n);
            free(buf);
            if (rc != KEYS_OK) {
                fprintf(tool_err(), _("warta: %s: %s\n"), arg, keys_strerror(rc));
                return -2;
            }
            memcpy(pk, s.pk, PROTO_KEY_BYTES);
            return 0;
        }
        while (n > 0 && strchr(" \t\r\n", text[n - 1]) != NULL)
            n--;
        while (n > 0 && strchr(" \t\r\n", text[0]) != NULL)
            text++, n--;
    }
    rc = proto_pubkey_parse(text, n, pk);
    free(buf);
    if (rc == PROTO_ECHECKSUM) {
        fprintf(tool_err(), _("warta: %s: public key checksum does not match (a typo?)\n"), arg);
        return -2;
    }
    if (rc != PROTO_OK) {
        fprintf(tool_err(), _("warta: %s: not a public key (expected %s followed by 48 characters)\n"),
                arg, PROTO_PUBKEY_PREFIX);
        return -2;
    }
    return 0;
}

roster *tool_load_roster(const char *path)
{
    char err[200];
    size_t refused = 0;
    roster *ro = roster_load(path, &refused, err, sizeof err);
    if (ro == NULL)
        fprintf(tool_err(),
                _("warta: %s: no usable roster (its first bulletin must be the network "
                "root): %s\n"),
                path, err);
    else if (refused)
        fprintf(tool_err(),
                _("warta: %s: %zu roster record(s) refused (malformed, a signature that "
                "does not verify, or another network)\n"),
                path, refused);
    return ro;
}

const char *tool_kind_label(uint8_t kind)
{
    const char *name = proto_kind_name(kind);
    return name ? _(name) : "?";
}

int tool_sha256_file(const char *path, char hex[2 * crypto_hash_sha256_BYTES + 1])
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) return -1;
    crypto_hash_sha256_state st;
    uint8_t buf[1 << 16], h[crypto_hash_sha256_BYTES];
    size_t n;
    crypto_hash_sha256_init(&st);
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        crypto_hash_sha256_update(&st, buf, n);
    int bad = ferror(f);
    fclose(f);
    if (bad) return -1;
    crypto_hash_sha256_final(&st, h);
    tool_hex(h, sizeof h, hex);
    return 0;
}
