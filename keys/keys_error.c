/* keys_error.c - messages for keys status codes. */
#include "keys_error.h"

#include "i18n.h"

const char *keys_strerror(int code)
{
    switch (code) {
    case KEYS_OK:
        return _("ok");
    case KEYS_EIO:
        return _("input/output error");
    case KEYS_EEXIST:
        return _("file exists; refusing to overwrite it");
    case KEYS_EFORMAT:
        return _("not a warta secret key file (or an unsupported version)");
    case KEYS_EDAMAGED:
        return _("key file is damaged (checksum mismatch)");
    case KEYS_EPASSPHRASE:
        return _("wrong passphrase");
    case KEYS_ENOMEM:
        return _("out of (secure) memory");
    case KEYS_ETOOBIG:
        return _("file is too large");
    case KEYS_ECHAIN:
        return _("chain state file is damaged or belongs to another key");
    case KEYS_ELOCKED:
        return _("another process is signing with this key");
    case KEYS_ESEQUENCE:
        return _("sequence number already used");
    case KEYS_EPARAMS:
        return _("key file asks for key-derivation costs outside the accepted range");
    }
    return _("unknown error");
}
