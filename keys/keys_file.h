/* keys_file.h - whole-file reads and careful writes (private, exclusive, atomic). */
#ifndef WARTA_KEYS_FILE_H
#define WARTA_KEYS_FILE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Read the whole file at path ("-" = standard input) into a new malloc'd buffer with a NUL
 * appended (not counted in *len). Refuses files over max bytes with KEYS_ETOOBIG.
 * Returns KEYS_OK, KEYS_EIO (errno set) or KEYS_ETOOBIG; the caller frees *buf.
 */
int keys_file_read(const char *path, size_t max, uint8_t **buf, size_t *len);

/*
 * Create path with the given mode, refusing to overwrite it or to follow a symlink
 * (O_EXCL|O_NOFOLLOW), write data and fsync. On failure nothing is left at path.
 * Returns KEYS_OK, KEYS_EEXIST or KEYS_EIO (errno set).
 */
int keys_file_create(const char *path, const void *data, size_t len, int mode);

/*
 * Replace path atomically: write path.tmp (mode 0600), fsync, rename over path, fsync the
 * directory. A crash leaves either the old or the new content. Returns KEYS_OK or KEYS_EIO.
 */
int keys_file_replace(const char *path, const void *data, size_t len);

#endif
