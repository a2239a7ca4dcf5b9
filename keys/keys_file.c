/* keys_file.c - whole-file reads and careful writes. */
#include "keys_file.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "keys_error.h"

int keys_file_read(const char *path, size_t max, uint8_t **buf, size_t *len)
{
    int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return KEYS_EIO;
    size_t cap = 4096, n = 0;
    uint8_t *p = malloc(cap + 1);
    int rc = p == NULL ? KEYS_ENOMEM : KEYS_OK;
    while (rc == KEYS_OK) {
        if (n == cap) {
            if (cap > max) {
                rc = KEYS_ETOOBIG;
                break;
            }
            uint8_t *q = realloc(p, cap * 2 + 1);
            if (q == NULL) {
                rc = KEYS_ENOMEM;
                break;
            }
            p = q, cap *= 2;
        }
        ssize_t r = read(fd, p + n, cap - n);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) rc = KEYS_EIO;
        if (r <= 0) break;
        n += (size_t)r;
    }
    int saved = errno;
    if (fd != STDIN_FILENO) close(fd);
    if (rc == KEYS_OK && n > max) rc = KEYS_ETOOBIG;
    if (rc != KEYS_OK) {
        free(p);
        errno = saved;
        return rc;
    }
    p[n] = 0;
    *buf = p;
    *len = n;
    return KEYS_OK;
}

static int write_all(int fd, const void *data, size_t len)
{
    const uint8_t *p = data;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) return -1;
        p += w, len -= (size_t)w;
    }
    return 0;
}

int keys_file_create(const char *path, const void *data, size_t len, int mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0) return errno == EEXIST ? KEYS_EEXIST : KEYS_EIO;
    /* The umask may have narrowed the mode; a private file must be exactly as asked. */
    if (fchmod(fd, (mode_t)mode) != 0 || write_all(fd, data, len) != 0 || fsync(fd) != 0) {
        int saved = errno;
        close(fd);
        unlink(path);
        errno = saved;
        return KEYS_EIO;
    }
    return close(fd) == 0 ? KEYS_OK : KEYS_EIO;
}

static void fsync_parent(const char *path)
{
    char *copy = strdup(path);
    if (copy == NULL) return;
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(copy);
}

int keys_file_replace(const char *path, const void *data, size_t len)
{
    char tmp[4096];
    int n = snprintf(tmp, sizeof tmp, "%s.tmp", path);
    if (n < 0 || (size_t)n >= sizeof tmp) {
        errno = ENAMETOOLONG;
        return KEYS_EIO;
    }
    unlink(tmp); /* a leftover of a crash between create and rename */
    int rc = keys_file_create(tmp, data, len, 0600);
    if (rc != KEYS_OK) return KEYS_EIO;
    if (rename(tmp, path) != 0) {
        int saved = errno;
        unlink(tmp);
        errno = saved;
        return KEYS_EIO;
    }
    fsync_parent(path);
    return KEYS_OK;
}
