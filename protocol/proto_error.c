/* proto_error.c - messages for protocol status codes. */
#include "proto_error.h"

const char *proto_strerror(int code)
{
    switch (code) {
    case PROTO_OK:
        return "ok";
    case PROTO_ETRUNCATED:
        return "truncated";
    case PROTO_ETRAILING:
        return "trailing bytes after the end";
    case PROTO_EMAGIC:
        return "not a warta object (bad magic)";
    case PROTO_EVERSION:
        return "unsupported format version";
    case PROTO_EKIND:
        return "unknown bulletin kind";
    case PROTO_ERANGE:
        return "value out of range";
    case PROTO_EUTF8:
        return "invalid UTF-8";
    case PROTO_ESYNTAX:
        return "invalid syntax";
    case PROTO_ETOOBIG:
        return "over the size limit";
    case PROTO_ECHECKSUM:
        return "checksum mismatch";
    case PROTO_EARMOR:
        return "damaged armor";
    case PROTO_ESIGNATURE:
        return "signature does not verify";
    case PROTO_ECHAIN:
        return "sequence and previous id disagree";
    case PROTO_ENOMEM:
        return "out of memory";
    }
    return "unknown error";
}

int proto_fail(struct proto_err *err, int code, const char *field, size_t offset)
{
    if (err != NULL) {
        err->code = code;
        err->field = field;
        err->offset = offset;
    }
    return code;
}
