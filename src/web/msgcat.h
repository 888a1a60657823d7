/*
 * Per-request message translation for the server. gettext picks its
 * language from the process-wide LANGUAGE variable and locale, which
 * worker threads serving callers of different languages cannot share,
 * and uselocale() per thread would need locales such as zh_CN.UTF-8 to be
 * generated on the machine. So the server reads the compiled catalogs
 * (the same cairn.mo files gettext uses) once at start and looks
 * messages up itself; after msgcat_load the tables are read-only, so any
 * thread may call msgcat_get.
 */
#ifndef CAIRN_WEB_MSGCAT_H
#define CAIRN_WEB_MSGCAT_H

/* Loads <dir>/<lang>/LC_MESSAGES/cairn.mo for every catalog language,
 * dir being where gettext was bound by i18n_setup. A missing or broken
 * file leaves that language on English. Call once before threads start. */
void msgcat_load(void);

/* The translation of msgid into lang ("zh_CN", "en", "ja", "es"), or
 * msgid itself when there is none. The result lives as long as the
 * process. */
const char *msgcat_get(const char *lang, const char *msgid);

/* Frees the loaded catalogs. */
void msgcat_unload(void);

#endif
