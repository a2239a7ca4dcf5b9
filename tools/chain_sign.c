/* chain_sign.c - signing a bulletin as the next of its issuer's chain: the chain file gives the
 * sequence and previous id, is locked while signing, and records the new bulletin before it is
 * written out (PROTOCOL.md §9). Used by warta sign and warta roster seal. */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "keys_chain.h"
#include "keys_error.h"
#include "keys_secret.h"
#include "tool.h"
#include "i18n.h"

/* Fill issuer, sequence and previous from the chain state. 0 or an exit code. */
static int place_in_chain(const char *key, struct proto_bulletin *b, uint64_t wanted)
{
    struct keys_chain st;
    int rc = keys_chain_load(key, b->issuer, &st);
    if (rc != KEYS_OK) {
        fprintf(tool_err(), _("warta: %s.chain: %s\n"), key, tool_keys_strerror(rc));
        return EXIT_DATAERR;
    }
    if (wanted != 0 && wanted != st.last_sequence + 1) {
        char hex[2 * PROTO_ID_BYTES + 1];
        tool_hex(st.last_id, PROTO_ID_BYTES, hex);
        if (wanted <= st.last_sequence)
            fprintf(tool_err(),
                    _("warta: sequence %llu already used (last signed: %llu, id %s); "
                    "refusing to sign a second bulletin with it\n"),
                    (unsigned long long)wanted, (unsigned long long)st.last_sequence, hex);
        else
            fprintf(tool_err(), _("warta: sequence %llu would leave a gap; the next is %llu\n"),
                    (unsigned long long)wanted, (unsigned long long)st.last_sequence + 1);
        return EXIT_DATAERR;
    }
    b->sequence = st.last_sequence + 1;
    memcpy(b->previous, st.last_id, PROTO_ID_BYTES);
    return 0;
}

int tool_secret_load(const char *key, const struct pass_source *src, struct keys_secret **ks)
{
    char *pass = tool_passphrase(src, "Passphrase: ", false);
    if (pass == NULL) return EXIT_USAGE;
    int rc = keys_secret_load(ks, key, pass, strlen(pass));
    sodium_free(pass);
    if (rc != KEYS_OK) {
        fprintf(tool_err(), _("warta: %s: %s\n"), key, tool_keys_strerror(rc));
        return rc == KEYS_EPASSPHRASE ? EXIT_DATAERR : EXIT_NOINPUT;
    }
    return 0;
}

/* Decrypt the key (unless held), sign, record the chain state, then write. 0 or an exit code; *saved: the
 * chain state moved on. */
static int sign_and_write(const char *key, const struct pass_source *src, struct proto_bulletin *b,
                          const char *path, bool binary, bool *saved)
{
    static uint8_t out[PROTO_BULLETIN_MAX];
    size_t len = 0;
    keys_secret *ks = src->held;
    int rc = ks != NULL ? KEYS_OK : tool_secret_load(key, src, &ks);
    if (rc != 0) return rc;
    struct proto_err err = {0};
    rc = proto_bulletin_sign(b, keys_secret_sk(ks), out, sizeof out, &len, &err);
    if (ks != src->held) keys_secret_destroy(&ks);
    if (rc != PROTO_OK) {
        tool_print_proto_err("sign", &err);
        return EXIT_DATAERR;
    }
    rc = keys_chain_save(key, out, len);
    if (rc != KEYS_OK) {
        fprintf(tool_err(), _("warta: %s.chain: %s; nothing signed\n"), key, strerror(errno));
        return EXIT_CANTCREAT;
    }
    *saved = true;
    if (tool_write_bulletin(path, out, len, binary) != 0) {
        fprintf(tool_err(),
                _("warta: the signed bulletin (sequence %llu) is kept in %s.chain; write it out "
                "with `warta chain --key %s -o FILE` before signing the next\n"),
                (unsigned long long)b->sequence, key, key);
        return EXIT_CANTCREAT;
    }
    uint8_t id[PROTO_ID_BYTES];
    char hex[2 * PROTO_ID_BYTES + 1];
    proto_bulletin_id(out, len, id);
    tool_hex(id, PROTO_ID_BYTES, hex);
    fprintf(tool_err(), _("signed bulletin %s (sequence %llu, %zu bytes)\n"), hex,
            (unsigned long long)b->sequence, len);
    return 0;
}

int tool_sign_chained(const char *key, const struct pass_source *pass, struct proto_bulletin *b,
                      uint64_t wanted, const char *out, bool binary)
{
    struct stat st;
    int lock = keys_chain_lock(key);
    if (lock < 0) {
        fprintf(tool_err(), _("warta: %s: %s\n"), key, tool_keys_strerror(lock));
        return lock == KEYS_ELOCKED ? EXIT_DATAERR : EXIT_NOINPUT;
    }
    int rc = place_in_chain(key, b, wanted);
    if (rc == 0 && b->issued_at == 0) b->issued_at = tool_time_now();
    struct proto_err err = {0};
    if (rc == 0 && proto_bulletin_check(b, &err) != PROTO_OK) {
        if (err.code == PROTO_EMISSING)
            fprintf(tool_err(), _("warta: field '%s' is missing (give it as a flag, --%s, or in the "
                              "JSON)\n"), err.field, err.field);
        else if (err.code == PROTO_ETOOBIG && proto_field_max(err.field) > 0)
            fprintf(tool_err(), _("warta: field '%s' is longer than its limit of %zu bytes\n"),
                    err.field, proto_field_max(err.field));
        else
            fprintf(tool_err(), _("warta: field '%s': %s\n"), err.field, _(proto_strerror(err.code)));
        rc = EXIT_DATAERR;
    }
    if (rc == 0 && strcmp(out, "-") != 0 && lstat(out, &st) == 0) {
        fprintf(tool_err(), _("warta: %s already exists; refusing to overwrite it\n"), out);
        rc = EXIT_CANTCREAT;
    }
    if (rc == 0 && keys_chain_unsent(key)) {
        fprintf(tool_err(),
                _("warta: the last bulletin signed with %s was never written out; nothing signed. "
                "Write it with `warta chain --key %s -o FILE` (and publish it), then sign again\n"),
                key, key);
        rc = EXIT_DATAERR;
    }
    if (rc == 0 && strcmp(out, "-") != 0 && !tool_dir_writable(out)) {
        fprintf(tool_err(), _("warta: cannot create %s: %s; nothing signed\n"), out, strerror(errno));
        rc = EXIT_CANTCREAT;
    }
    if (rc == 0 && keys_chain_sending(key) != KEYS_OK) {
        fprintf(tool_err(), _("warta: %s.unsent: %s; nothing signed\n"), key, strerror(errno));
        rc = EXIT_CANTCREAT;
    }
    if (rc == 0) {
        bool saved = false;
        rc = sign_and_write(key, pass, b, out, binary, &saved);
        /* Written out, or nothing consumed: no bulletin waits in the chain file. */
        if (rc == 0 || !saved) keys_chain_sent(key);
    }
    keys_chain_unlock(lock);
    return rc;
}

int tool_sign_checked(const char *key, const struct pass_source *pass, struct proto_bulletin *b,
                      uint64_t wanted, roster *ro, const char *node, const char *out, bool binary)
{
    if (b->issued_at == 0) b->issued_at = tool_time_now();
    if (b->kind == PROTO_KIND_RECEIPT && b->acted_at == 0) b->acted_at = b->issued_at;
    if (node != NULL) {
        int rc = tool_chain_check(key, b->issuer, node);
        if (rc != 0) return rc;
    }
    if (ro != NULL) {
        int st = roster_check(ro, b, NULL, NULL); /* no id yet: it is not signed */
        if (st != ROSTER_TRUSTED) {
            fprintf(tool_err(),
                    _("warta sign: the roster does not let this key issue this bulletin: "
                      "%s; nothing signed\n"),
                    _(roster_status_name(st)));
            return EXIT_DATAERR;
        }
    }
    return tool_sign_chained(key, pass, b, wanted, out, binary);
}
