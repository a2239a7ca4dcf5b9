/* keys_error.c - messages for keys status codes. */
#include "keys_error.h"

const char *keys_strerror(int code)
{
    switch (code) {
    case KEYS_OK:
        return "ok";
    case KEYS_EIO:
        return "input/output error";
    case KEYS_EEXIST:
        return "file exists; refusing to overwrite it";
    case KEYS_EFORMAT:
        return "not a warta secret key file (or an unsupported version)";
    case KEYS_EDAMAGED:
        return "key file is damaged (checksum mismatch)";
    case KEYS_EPASSPHRASE:
        return "wrong passphrase";
    case KEYS_ENOMEM:
        return "out of (secure) memory";
    case KEYS_ETOOBIG:
        return "file is too large";
    case KEYS_ECHAIN:
        return "chain state file is damaged or belongs to another key";
    case KEYS_ELOCKED:
        return "another process is signing with this key";
    case KEYS_ESEQUENCE:
        return "sequence number already used";
    case KEYS_EPARAMS:
        return "key file asks for key-derivation costs outside the accepted range";
    }
    return "unknown error";
}
