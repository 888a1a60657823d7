/*
 * Language selection and catalog binding. The catalogs are looked up
 * beside the binary first (the build tree), then in the installed
 * share/locale, so that a freshly built cairn speaks Chinese without an
 * install step. gettext ignores LANGUAGE under the plain C locale, so the
 * messages category is switched to C.UTF-8, which glibc always provides.
 */
#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static const char *current_lang = "zh_CN";

const char *i18n_catalog_for(const char *tag)
{
    if (!tag || !*tag)
        return NULL;
    if (!strncmp(tag, "zh", 2))
        return "zh_CN";
    if (!strncmp(tag, "en", 2))
        return "en";
    if (!strncmp(tag, "ja", 2))
        return "ja";
    if (!strncmp(tag, "es", 2))
        return "es";
    return NULL;
}

static const char *language_from_environment(void)
{
    static const char *vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    const char *v, *cat;

    for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
        v = getenv(vars[i]);
        if (!v || !*v)
            continue;
        if (!strcmp(v, "C") || !strcmp(v, "POSIX") || !strncmp(v, "C.", 2))
            return "zh_CN";
        cat = i18n_catalog_for(v);
        return cat ? cat : "en";
    }
    return "zh_CN";
}

/* Finds the folder holding <lang>/LC_MESSAGES/cairn.mo. */
static void bind_catalogs(void)
{
    char exe[PATH_MAX];
    ssize_t n;
    const char *env = getenv("CAIRN_LOCALEDIR");
    struct strbuf dir = STRBUF_INIT;

    if (env && *env) {
        bindtextdomain("cairn", env);
        goto out;
    }
    n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        exe[n] = '\0';
        *strrchr(exe, '/') = '\0';
        sb_setf(&dir, "%s/locale/zh_CN/LC_MESSAGES/cairn.mo", exe);
        if (access(dir.buf, R_OK) == 0) {
            sb_setf(&dir, "%s/locale", exe);
            bindtextdomain("cairn", dir.buf);
            goto out;
        }
        sb_setf(&dir, "%s/../share/locale/zh_CN/LC_MESSAGES/cairn.mo", exe);
        if (access(dir.buf, R_OK) == 0) {
            sb_setf(&dir, "%s/../share/locale", exe);
            bindtextdomain("cairn", dir.buf);
            goto out;
        }
    }
    bindtextdomain("cairn", CAIRN_LOCALEDIR);
out:
    bind_textdomain_codeset("cairn", "UTF-8");
    textdomain("cairn");
    sb_release(&dir);
}

int i18n_setup(const char *lang_option)
{
    const char *lang;

    if (lang_option) {
        lang = i18n_catalog_for(lang_option);
        if (!lang)
            return -1;
    } else {
        lang = language_from_environment();
    }
    current_lang = lang;

    /* Numbers stay in the C locale: JSON and CSV never follow it. */
    setlocale(LC_CTYPE, "C.UTF-8");
    setlocale(LC_MESSAGES, "C.UTF-8");
    setenv("LANGUAGE", lang, 1);
    bind_catalogs();
    return 0;
}

const char *i18n_lang(void)
{
    return current_lang;
}
