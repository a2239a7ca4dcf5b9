/* proto_error.h - error codes and error detail shared by every decoder in protocol/. */
#ifndef WARTA_PROTO_ERROR_H
#define WARTA_PROTO_ERROR_H

#include <stddef.h>

/* Every function in protocol/ returns PROTO_OK (0) or one of these negative codes. */
enum proto_status {
    PROTO_OK = 0,
    PROTO_ETRUNCATED = -1,  /* input ends inside a field */
    PROTO_ETRAILING = -2,   /* bytes left after the last field */
    PROTO_EMAGIC = -3,      /* not a warta object (wrong magic) */
    PROTO_EVERSION = -4,    /* a format version this code does not know */
    PROTO_EKIND = -5,       /* a bulletin kind this code does not know */
    PROTO_ERANGE = -6,      /* a number or a length outside its allowed range */
    PROTO_EUTF8 = -7,       /* text that is not valid UTF-8 */
    PROTO_ESYNTAX = -8,     /* text that breaks its field's syntax (language, region, URL...) */
    PROTO_ETOOBIG = -9,     /* a field or the whole object over its size limit */
    PROTO_ECHECKSUM = -10,  /* a checksum that does not match (typo in a key) */
    PROTO_EARMOR = -11,     /* armor lines or base64 are damaged */
    PROTO_ESIGNATURE = -12, /* the signature does not verify */
    PROTO_ECHAIN = -13,     /* sequence and previous id disagree */
    PROTO_ENOMEM = -14,     /* out of memory */
    PROTO_EMISSING = -15,   /* a field that must be given is empty */
};

/* Where a decoder stopped: the field it was reading and the byte offset in the input. */
struct proto_err {
    int code;          /* enum proto_status */
    const char *field; /* static string naming the field, or NULL */
    size_t offset;     /* byte offset in the input where the problem was found */
};

/* A short English phrase for a status code; never NULL. */
const char *proto_strerror(int code);

/* Record a failure in err (which may be NULL) and return code. */
int proto_fail(struct proto_err *err, int code, const char *field, size_t offset);

#endif
