/*
 * Library texts in the caller's language. Some library results carry
 * texts made with gettext, such as the factor phrases of the model
 * scores (models/risk.h), and gettext's language (LANGUAGE) is
 * process-wide. So one such call runs at a time, with LANGUAGE set to
 * the caller's language, and the previous value is put back afterwards.
 * NOTE: a _() call on another thread meanwhile (only error texts of
 * other routes use _() in the server) may come out in this caller's
 * language.
 */
#include <pthread.h>
#include <stdlib.h>

#include "util/xalloc.h"
#include "web/web.h"

/* glibc's counter of message catalog changes: raising it makes gettext
 * drop the translations it cached for the previous LANGUAGE. */
extern int _nl_msg_cat_cntr;

static pthread_mutex_t language_lock = PTHREAD_MUTEX_INITIALIZER;

void web_gettext_enter(const struct request *req, struct web_gettext *saved)
{
    web_gettext_enter_lang(req->lang, saved);
}

void web_gettext_enter_lang(const char *lang, struct web_gettext *saved)
{
    const char *now;

    pthread_mutex_lock(&language_lock);
    now = getenv("LANGUAGE");
    saved->language = now ? xstrdup(now) : NULL;
    setenv("LANGUAGE", lang, 1);
    ++_nl_msg_cat_cntr;
}

void web_gettext_leave(struct web_gettext *saved)
{
    if (saved->language)
        setenv("LANGUAGE", saved->language, 1);
    else
        unsetenv("LANGUAGE");
    ++_nl_msg_cat_cntr;
    free(saved->language);
    saved->language = NULL;
    pthread_mutex_unlock(&language_lock);
}
