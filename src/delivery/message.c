/*
 * The message model, channel names, per-run settings and the switch of
 * gettext to the delivery language.
 */
#include <stdlib.h>
#include <string.h>

#include "delivery/internal.h"
#include "settings/settings.h"
#include "util/i18n.h"
#include "util/xalloc.h"

static const char *const channel_names[DELIVERY_CHANNEL_COUNT] = {"wecom", "dingtalk", "feishu",
                                                                  "email"};

const char *delivery_channel_name(enum delivery_channel channel)
{
    if ((unsigned)channel >= DELIVERY_CHANNEL_COUNT)
        BUG("bad delivery channel %d", (int)channel);
    return channel_names[channel];
}

int delivery_channel_parse(const char *name)
{
    for (int i = 0; i < DELIVERY_CHANNEL_COUNT; i++)
        if (!strcmp(name, channel_names[i]))
            return i;
    return -1;
}

void delivery_message_init(struct delivery_message *msg)
{
    memset(msg, 0, sizeof(*msg));
}

void delivery_message_release(struct delivery_message *msg)
{
    for (size_t i = 0; i < msg->nlines; i++)
        free(msg->lines[i]);
    for (size_t i = 0; i < msg->nrecipients; i++)
        free(msg->recipients[i]);
    free(msg->lines);
    free(msg->recipients);
    free(msg->title);
    free(msg->link);
    free(msg->lang);
    free(msg->key);
    free(msg->day);
    delivery_message_init(msg);
}

static void replace_string(char **slot, const char *value)
{
    free(*slot);
    *slot = value ? xstrdup(value) : NULL;
}

void delivery_message_set_title(struct delivery_message *msg, const char *title)
{
    replace_string(&msg->title, title);
}

void delivery_message_add_line(struct delivery_message *msg, const char *fmt, ...)
{
    struct strbuf line = STRBUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    sb_vaddf(&line, fmt, ap);
    va_end(ap);
    XGROW(msg->lines, msg->lines_alloc, msg->nlines + 1);
    msg->lines[msg->nlines++] = line.buf ? sb_detach(&line) : xstrdup("");
}

void delivery_message_set_link(struct delivery_message *msg, const char *link)
{
    replace_string(&msg->link, link && *link ? link : NULL);
}

void delivery_message_set_lang(struct delivery_message *msg, const char *lang)
{
    replace_string(&msg->lang, lang);
}

bool delivery_address_is_plain(const char *address)
{
    const char *at = strchr(address, '@');

    if (!at || at == address || !at[1] || strchr(at + 1, '@'))
        return false;
    for (const unsigned char *p = (const unsigned char *)address; *p; p++)
        if (*p <= ' ' || *p == 0x7f || *p == '<' || *p == '>' || *p == ',' || *p == '"')
            return false;
    return true;
}

void delivery_message_add_recipient(struct delivery_message *msg, const char *address)
{
    if (!address || !delivery_address_is_plain(address))
        return;
    for (size_t i = 0; i < msg->nrecipients; i++)
        if (!strcmp(msg->recipients[i], address))
            return;
    XGROW(msg->recipients, msg->recipients_alloc, msg->nrecipients + 1);
    msg->recipients[msg->nrecipients++] = xstrdup(address);
}

void delivery_message_set_key(struct delivery_message *msg, const char *key, const char *day)
{
    replace_string(&msg->key, key);
    replace_string(&msg->day, day);
}

void delivery_report_init(struct delivery_report *report)
{
    memset(report, 0, sizeof(*report));
}

void delivery_report_release(struct delivery_report *report)
{
    for (int i = 0; i < DELIVERY_CHANNEL_COUNT; i++)
        sb_release(&report->channel[i].error);
    delivery_report_init(report);
}

int delivery_check_digest(struct db *db, const char *value, struct strbuf *err)
{
    (void)db;
    if (strcmp(value, "off") && strcmp(value, "daily")) {
        sb_addf(err, _("invalid value '%s' for delivery.digest: expected off or daily"), value);
        return -1;
    }
    return 0;
}

int delivery_check_lang(struct db *db, const char *value, struct strbuf *err)
{
    (void)db;
    if (!i18n_catalog_for(value)) {
        sb_addf(err, _("invalid value '%s' for delivery.lang: expected zh-CN, en, ja or es"),
                value);
        return -1;
    }
    return 0;
}

/* Reads one integer setting; the settings table keeps it within range. */
static int load_integer(struct db *db, const char *name, long *out, struct strbuf *err)
{
    double v;

    if (setting_get_double(db, name, &v, err))
        return -1;
    *out = (long)v;
    return 0;
}

int delivery_config_load(struct db *db, struct delivery_config *cfg, struct strbuf *err)
{
    static const char *const url_settings[DELIVERY_CHANNEL_COUNT] = {
        "delivery.wecom.url", "delivery.dingtalk.url", "delivery.feishu.url", "delivery.smtp.url"};
    char *digest = NULL, *lang = NULL;
    long attempts = 0;
    int rc = -1;

    memset(cfg, 0, sizeof(*cfg));
    for (int i = 0; i < DELIVERY_CHANNEL_COUNT; i++)
        if (!(cfg->url[i] = setting_get(db, url_settings[i], err)))
            goto out;
    if (!(cfg->dingtalk_secret = setting_get(db, "delivery.dingtalk.secret", err)) ||
        !(cfg->feishu_secret = setting_get(db, "delivery.feishu.secret", err)) ||
        !(cfg->smtp_from = setting_get(db, "delivery.smtp.from", err)) ||
        !(cfg->base_url = setting_get(db, "delivery.base_url", err)) ||
        !(digest = setting_get(db, "delivery.digest", err)) ||
        !(lang = setting_get(db, "delivery.lang", err)))
        goto out;
    if (load_integer(db, "delivery.attempts", &attempts, err) ||
        load_integer(db, "delivery.retry_delay_ms", &cfg->retry_delay_ms, err) ||
        load_integer(db, "delivery.timeout_seconds", &cfg->timeout_seconds, err))
        goto out;

    cfg->attempts = (int)attempts;
    cfg->digest = !strcmp(digest, "daily");
    cfg->lang = xstrdup(i18n_catalog_for(lang) ? i18n_catalog_for(lang) : "zh_CN");
    rc = 0;
out:
    free(digest);
    free(lang);
    if (rc)
        delivery_config_release(cfg);
    return rc;
}

void delivery_config_release(struct delivery_config *cfg)
{
    for (int i = 0; i < DELIVERY_CHANNEL_COUNT; i++)
        free(cfg->url[i]);
    free(cfg->dingtalk_secret);
    free(cfg->feishu_secret);
    free(cfg->smtp_from);
    free(cfg->base_url);
    free(cfg->lang);
    memset(cfg, 0, sizeof(*cfg));
}

/*
 * gettext picks the catalog from LANGUAGE, which i18n_setup makes it
 * honour by keeping LC_MESSAGES at C.UTF-8. It caches translations until
 * _nl_msg_cat_cntr changes, and the GNU gettext manual gives this
 * increment as the way to switch languages in a running program. A
 * setlocale to the locale already set would not do it, because glibc
 * returns early.
 * NOTE: the switch is process-wide, so a server thread that translates
 * text while a delivery formats a message may get the delivery language.
 */
extern int _nl_msg_cat_cntr;

char *delivery_lang_push(const char *lang)
{
    const char *current = getenv("LANGUAGE");
    char *saved = xstrdup(current ? current : "");

    setenv("LANGUAGE", lang, 1);
    ++_nl_msg_cat_cntr;
    return saved;
}

void delivery_lang_pop(char *saved)
{
    if (*saved)
        setenv("LANGUAGE", saved, 1);
    else
        unsetenv("LANGUAGE");
    ++_nl_msg_cat_cntr;
    free(saved);
}
