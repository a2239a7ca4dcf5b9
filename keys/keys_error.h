/* keys_error.h - status codes of keys/ (key files, chain state). */
#ifndef WARTA_KEYS_ERROR_H
#define WARTA_KEYS_ERROR_H

enum keys_status {
    KEYS_OK = 0,
    KEYS_EIO = -100,         /* reading or writing the file failed; errno says why */
    KEYS_EEXIST = -101,      /* refusing to overwrite an existing file */
    KEYS_EFORMAT = -102,     /* not a warta key file, or an unknown version or KDF */
    KEYS_EDAMAGED = -103,    /* the checksum or an internal consistency check failed */
    KEYS_EPASSPHRASE = -104, /* the passphrase does not open the key */
    KEYS_ENOMEM = -105,      /* secure memory could not be allocated */
    KEYS_ETOOBIG = -106,     /* the file is larger than such a file can be */
    KEYS_ECHAIN = -107,      /* the chain state file is damaged or belongs to another key */
    KEYS_ELOCKED = -108,     /* another process holds the chain lock of this key */
    KEYS_ESEQUENCE = -109,   /* the sequence number was already used */
    KEYS_EPARAMS = -110,     /* the file asks for KDF costs outside the accepted range */
};

/* A short English phrase for a keys status; never NULL. */
const char *keys_strerror(int code);

#endif
