/*
 * Message translation through GNU gettext. Source strings are English;
 * catalogs exist for zh_CN (the default), en, ja and es.
 */
#ifndef CAIRN_I18N_H
#define CAIRN_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

/*
 * Chooses the language of human-readable output: lang_option (from
 * --lang: zh-CN, en, ja or es) when given, else LC_ALL, LC_MESSAGES or
 * LANG; Chinese for a zh locale and when none is set (C, POSIX), English
 * for any other locale without a catalog. Returns -1 for an unknown
 * lang_option, 0 otherwise.
 */
int i18n_setup(const char *lang_option);

/* The language in use: "zh_CN", "en", "ja" or "es". */
const char *i18n_lang(void);

/* Maps a user-given language ("zh-CN", "zh", "en_US.UTF-8", "ja") to a
 * catalog name, or NULL when Cairn has none for it. */
const char *i18n_catalog_for(const char *tag);

#endif
