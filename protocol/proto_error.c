/* proto_error.c - messages for protocol status codes. */
#include "proto_error.h"

/* Marked for translation; the tools and the node translate them where they show them. */
#define N_(s) (s)

const char *proto_strerror(int code)
{
    switch (code) {
    case PROTO_OK:
        return N_("ok");
    case PROTO_ETRUNCATED:
        return N_("truncated");
    case PROTO_ETRAILING:
        return N_("trailing bytes after the end");
    case PROTO_EMAGIC:
        return N_("not a warta object (bad magic)");
    case PROTO_EVERSION:
        return N_("unsupported format version");
    case PROTO_EKIND:
        return N_("unknown bulletin kind");
    case PROTO_ERANGE:
        return N_("value out of range");
    case PROTO_EUTF8:
        return N_("invalid UTF-8");
    case PROTO_ESYNTAX:
        return N_("invalid syntax");
    case PROTO_ETOOBIG:
        return N_("over the size limit");
    case PROTO_ECHECKSUM:
        return N_("checksum mismatch");
    case PROTO_EARMOR:
        return N_("damaged armor");
    case PROTO_ESIGNATURE:
        return N_("signature does not verify");
    case PROTO_ECHAIN:
        return N_("sequence and previous id disagree");
    case PROTO_ENOMEM:
        return N_("out of memory");
    case PROTO_EMISSING:
        return N_("missing (it must be given)");
    }
    return N_("unknown error");
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
