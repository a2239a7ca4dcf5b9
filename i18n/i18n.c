/* i18n.c - locale and message catalog set-up for warta and wartad. */
#include "i18n.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first of LC_ALL, LC_MESSAGES, LANG that is set and not empty. */
static const char *asked_locale(void)
{
    static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (v && v[0]) return v;
    }
    return NULL;
}

void warta_i18n_init(void)
{
    if (setlocale(LC_ALL, "") == NULL) {
        const char *want = asked_locale();
        char lang[64];
        setlocale(LC_ALL, "C.UTF-8");
        /* "id_ID.UTF-8" -> "id_ID": gettext reads LANGUAGE unless the locale is plain C. */
        if (want && strcmp(want, "C") != 0 && strcmp(want, "POSIX") != 0 && !getenv("LANGUAGE")) {
            snprintf(lang, sizeof lang, "%.*s", (int)strcspn(want, ".@"), want);
            setenv("LANGUAGE", lang, 0);
        }
    }
    /* Numbers are read and written one way whatever the language (strtod, printf of JSON
     * and of figures other programs read): Indonesian's decimal comma stays out of them. */
    setlocale(LC_NUMERIC, "C");
    const char *dir = getenv("WARTA_LOCALEDIR");
    bindtextdomain("warta", dir && dir[0] ? dir : WARTA_LOCALEDIR);
    bind_textdomain_codeset("warta", "UTF-8");
    textdomain("warta");
}
