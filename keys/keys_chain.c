/* keys_chain.c - an issuer's chain state, kept next to its key file. */
#include "keys_chain.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "keys_error.h"
#include "keys_file.h"
#include "proto_armor.h"

static int sibling(char *out, size_t cap, const char *keypath, const char *suffix)
{
    int n = snprintf(out, cap, "%s%s", keypath, suffix);
    if (n < 0 || (size_t)n >= cap) {
        errno = ENAMETOOLONG;
        return KEYS_EIO;
    }
    return KEYS_OK;
}

int keys_chain_lock(const char *keypath)
{
    char path[4096];
    if (sibling(path, sizeof path, keypath, ".lock") != KEYS_OK) return KEYS_EIO;
    int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) return KEYS_EIO;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int busy = errno == EWOULDBLOCK;
        close(fd);
        return busy ? KEYS_ELOCKED : KEYS_EIO;
    }
    return fd;
}

void keys_chain_unlock(int fd)
{
    if (fd >= 0) close(fd); /* closing releases the flock */
}

int keys_chain_load(const char *keypath, const uint8_t pk[PROTO_KEY_BYTES], struct keys_chain *st)
{
    char path[4096];
    uint8_t *text = NULL, *raw = NULL;
    size_t text_len = 0, raw_len = 0;
    struct proto_bulletin b;
    memset(st, 0, sizeof *st);
    if (sibling(path, sizeof path, keypath, ".chain") != KEYS_OK) return KEYS_EIO;
    int rc = keys_file_read(path, 2 * PROTO_BULLETIN_MAX, &text, &text_len);
    if (rc == KEYS_EIO && errno == ENOENT) return KEYS_OK;
    if (rc != KEYS_OK) return rc == KEYS_ETOOBIG ? KEYS_ECHAIN : rc;
    raw = malloc(PROTO_BULLETIN_MAX);
    rc = KEYS_ECHAIN;
    if (raw != NULL &&
        proto_armor_decode(PROTO_ARMOR_BULLETIN, (const char *)text, text_len, raw,
                           PROTO_BULLETIN_MAX, &raw_len) == PROTO_OK &&
        proto_bulletin_decode(&b, raw, raw_len, NULL) == PROTO_OK &&
        memcmp(b.issuer, pk, PROTO_KEY_BYTES) == 0 &&
        proto_bulletin_verify(&b, raw, raw_len) == PROTO_OK) {
        st->last_sequence = b.sequence;
        proto_bulletin_id(raw, raw_len, st->last_id);
        rc = KEYS_OK;
    }
    free(raw);
    free(text);
    return rc;
}

int keys_chain_save(const char *keypath, const uint8_t *in, size_t len)
{
    char path[4096];
    size_t cap = proto_armor_size(PROTO_ARMOR_BULLETIN, len), text_len = 0;
    if (sibling(path, sizeof path, keypath, ".chain") != KEYS_OK) return KEYS_EIO;
    char *text = malloc(cap);
    if (text == NULL) return KEYS_ENOMEM;
    int rc = proto_armor_encode(PROTO_ARMOR_BULLETIN, in, len, text, cap, &text_len) == PROTO_OK
                 ? keys_file_replace(path, text, text_len)
                 : KEYS_ENOMEM;
    free(text);
    return rc;
}

int keys_chain_sending(const char *keypath)
{
    char path[4096];
    if (sibling(path, sizeof path, keypath, ".unsent") != KEYS_OK) return KEYS_EIO;
    static const char note[] = "a bulletin signed with this key was not written out yet: "
                               "see `warta chain --key KEY`\n";
    return keys_file_replace(path, note, sizeof note - 1);
}

int keys_chain_sent(const char *keypath)
{
    char path[4096];
    if (sibling(path, sizeof path, keypath, ".unsent") != KEYS_OK) return KEYS_EIO;
    return unlink(path) == 0 || errno == ENOENT ? KEYS_OK : KEYS_EIO;
}

bool keys_chain_unsent(const char *keypath)
{
    char path[4096];
    struct stat st;
    return sibling(path, sizeof path, keypath, ".unsent") == KEYS_OK && lstat(path, &st) == 0;
}
