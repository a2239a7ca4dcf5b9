/* i18n.h - messages people read go through gettext: _("...") translates, N_("...") marks a
 * string in a table for translation where it is shown. English is the default; po/id.po has
 * Indonesian. */
#ifndef WARTA_I18N_H
#define WARTA_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

/*
 * Set the locale from the environment and bind the "warta" catalogs (in the configured
 * localedir, or $WARTA_LOCALEDIR for an uninstalled build). When the locale asked for is not
 * installed (id_ID.UTF-8 is not generated on a fresh Debian), messages still come in its
 * language: the program runs on C.UTF-8 with LANGUAGE set from the locale's name.
 */
void warta_i18n_init(void);

#endif
