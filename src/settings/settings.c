/*
 * The settings table and its validation. Keep settings_table sorted by
 * name: setting_find searches it with bsearch.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "delivery/delivery.h"
#include "settings/settings.h"
#include "store/events.h"
#include "util/decimal.h"
#include "util/i18n.h"
#include "util/tz.h"
#include "util/xalloc.h"

const struct setting_def settings_table[] = {
    {"alerts.attrition_rise", SETTING_DECIMAL, "0.05", 0, 1, 0,
     N_("Rise of a team's monthly attrition rate (fraction) that, with falling satisfaction, raises team_risk"),
     NULL},
    {"alerts.evaluate_at", SETTING_TIME, "07:00", 0, 0, 0,
     N_("Time of day (HH:MM, company time) at which the server evaluates the warnings"), NULL},
    {"alerts.labor_cost_ratio_max", SETTING_DECIMAL, "0.25", 0, 10, 0,
     N_("Labor cost ratio (fraction) above which labor_cost_high is raised"), NULL},
    {"alerts.minimum_monthly_sales", SETTING_MONEY, "50000", 0, 1e12, 0,
     N_("Monthly sales (yuan) below which a sales rep counts as below the minimum"), NULL},
    {"company.name", SETTING_TEXT, "公司", 0, 0, 0, N_("Company name"), NULL},
    {"company.timezone", SETTING_TIMEZONE, TZ_DEFAULT, 0, 0, 0,
     N_("Company time zone (IANA id); event dates are derived in it"), events_rederive_dates},
    {"delivery.attempts", SETTING_INTEGER, "3", 1, 10, 0,
     N_("Attempts per message and channel before a delivery counts as failed"), NULL},
    {"delivery.base_url", SETTING_URL, "", 0, 0, 0,
     N_("Address of the web dashboard (http://host:port) put before the links of delivered warnings"),
     NULL},
    {"delivery.digest", SETTING_TEXT, "off", 0, 0, 0,
     N_("off: deliver each new warning at once; daily: one digest per day, sent once the day is over"),
     delivery_check_digest},
    {"delivery.dingtalk.secret", SETTING_TEXT, "", 0, 0, 1,
     N_("Signing secret of the DingTalk group robot (SEC...)"), NULL},
    {"delivery.dingtalk.url", SETTING_URL, "", 0, 0, 0, N_("Webhook URL of the DingTalk group robot"),
     NULL},
    {"delivery.feishu.secret", SETTING_TEXT, "", 0, 0, 1,
     N_("Signing secret of the Feishu custom bot, when its signature check is on"), NULL},
    {"delivery.feishu.url", SETTING_URL, "", 0, 0, 0, N_("Webhook URL of the Feishu group robot"),
     NULL},
    {"delivery.lang", SETTING_TEXT, "zh-CN", 0, 0, 0,
     N_("Language of delivered warnings: zh-CN, en, ja or es"), delivery_check_lang},
    {"delivery.retry_delay_ms", SETTING_INTEGER, "1000", 0, 60000, 0,
     N_("Milliseconds before the second attempt of a delivery; doubled before each further attempt"),
     NULL},
    {"delivery.smtp.from", SETTING_EMAIL, "", 0, 0, 0, N_("Sender address of warning e-mails"),
     NULL},
    {"delivery.smtp.url", SETTING_URL, "", 0, 0, 1,
     N_("SMTP server URL (smtp://user:password@host:port)"), NULL},
    {"delivery.timeout_seconds", SETTING_INTEGER, "10", 1, 300, 0,
     N_("Seconds one delivery request may take before it is abandoned"), NULL},
    {"delivery.wecom.url", SETTING_URL, "", 0, 0, 0, N_("Webhook URL of the WeCom group robot"),
     NULL},
    {"server.session_hours", SETTING_INTEGER, "12", 1, 720, 0,
     N_("Hours a web session stays valid without activity"), NULL},
};
const size_t settings_count = sizeof(settings_table) / sizeof(settings_table[0]);

static int compare_setting(const void *key, const void *elem)
{
    return strcmp(key, ((const struct setting_def *)elem)->name);
}

const struct setting_def *setting_find(const char *name)
{
    return bsearch(name, settings_table, settings_count, sizeof(settings_table[0]),
                   compare_setting);
}

char *setting_get(struct db *db, const char *name, struct strbuf *err)
{
    const struct setting_def *def = setting_find(name);
    struct db_stmt *st;
    char *value = NULL;
    int rc;

    if (!def)
        BUG("unknown setting %s", name);
    st = db_prepare(db, "SELECT value FROM settings WHERE name = ?", err);
    if (!st)
        return NULL;
    db_bind_text(st, 1, name);
    rc = db_step(st, err);
    if (rc == DB_ROW)
        value = xstrdup(db_column_text(st, 0));
    else if (rc == DB_DONE)
        value = xstrdup(def->default_value);
    db_finalize(st);
    return value;
}

int setting_is_set(struct db *db, const char *name)
{
    struct db_stmt *st = db_prepare(db, "SELECT 1 FROM settings WHERE name = ?", NULL);
    int rc;

    if (!st)
        return 0;
    db_bind_text(st, 1, name);
    rc = db_step(st, NULL) == DB_ROW;
    db_finalize(st);
    return rc;
}

int setting_get_double(struct db *db, const char *name, double *out, struct strbuf *err)
{
    char *v = setting_get(db, name, err);
    char *end;

    if (!v)
        return -1;
    *out = strtod(v, &end);
    free(v);
    return 0;
}

static int validate_number(const struct setting_def *def, const char *value, struct strbuf *err)
{
    /* A sign does not make a whole number invalid: -5 gets the range
     * message, not "expected a whole number". */
    const char *digits = value + (*value == '-' || *value == '+');
    char *end;
    double v;
    int64_t fen;

    if (def->type == SETTING_MONEY) {
        if (decimal_parse(value, &fen)) {
            sb_addf(err, _("invalid value '%s' for %s: expected an amount in yuan with at most 2 decimals"),
                    value, def->name);
            return -1;
        }
        v = (double)fen / 100.0;
    } else {
        v = strtod(value, &end);
        if (!*value || *end || !isfinite(v) ||
            (def->type == SETTING_INTEGER && strspn(digits, "0123456789") != strlen(digits))) {
            sb_addf(err, def->type == SETTING_INTEGER
                             ? _("invalid value '%s' for %s: expected a whole number")
                             : _("invalid value '%s' for %s: expected a number such as 0.25"),
                    value, def->name);
            return -1;
        }
    }
    if (v < def->min || v > def->max) {
        /* %.15g writes 1e12 as 1000000000000, which %g would write as
         * 1e+12. */
        sb_addf(err, _("value %s for %s is out of range: it must be between %.15g and %.15g"),
                value, def->name, def->min, def->max);
        return -1;
    }
    return 0;
}

static int validate(const struct setting_def *def, const char *value, struct strbuf *err)
{
    struct tz *tz;

    switch (def->type) {
    case SETTING_TEXT:
        if (!strcmp(def->name, "company.name") && !*value) {
            sb_addf(err, _("%s must not be empty"), def->name);
            return -1;
        }
        return 0;
    case SETTING_DECIMAL:
    case SETTING_MONEY:
    case SETTING_INTEGER:
        return validate_number(def, value, err);
    case SETTING_TIME:
        if (strlen(value) != 5 || value[2] != ':' || value[0] < '0' || value[0] > '2' ||
            value[1] < '0' || value[1] > '9' || value[3] < '0' || value[3] > '5' ||
            value[4] < '0' || value[4] > '9' || (value[0] - '0') * 10 + (value[1] - '0') > 23) {
            sb_addf(err, _("invalid value '%s' for %s: expected a time HH:MM such as 07:00"), value,
                    def->name);
            return -1;
        }
        return 0;
    case SETTING_TIMEZONE:
        tz = tz_open(value);
        if (!tz) {
            sb_addf(err, _("unknown time zone '%s' for %s: use an IANA id such as Asia/Shanghai"),
                    value, def->name);
            return -1;
        }
        tz_close(tz);
        return 0;
    case SETTING_URL:
        if (*value && strncmp(value, "http://", 7) && strncmp(value, "https://", 8) &&
            strncmp(value, "smtp://", 7) && strncmp(value, "smtps://", 8)) {
            sb_addf(err, _("invalid value for %s: expected an http://, https://, smtp:// or smtps:// URL"),
                    def->name);
            return -1;
        }
        return 0;
    case SETTING_EMAIL:
        if (*value && (!strchr(value, '@') || strchr(value, ' ') || strchr(value, '\n'))) {
            sb_addf(err, _("invalid value '%s' for %s: expected an e-mail address"), value,
                    def->name);
            return -1;
        }
        return 0;
    }
    return 0;
}

int setting_set(struct db *db, const char *name, const char *value, struct strbuf *err)
{
    const struct setting_def *def = setting_find(name);
    struct db_stmt *st;
    int rc;

    if (!def) {
        sb_addf(err, _("unknown setting '%s'; 'cairn config' lists them"), name);
        return -1;
    }
    if (validate(def, value, err))
        return -1;
    if (db_begin(db, err))
        return -1;
    st = db_prepare(db, "INSERT INTO settings(name, value) VALUES (?, ?) "
                        "ON CONFLICT(name) DO UPDATE SET value = excluded.value", err);
    if (!st)
        goto fail;
    db_bind_text(st, 1, name);
    db_bind_text(st, 2, value);
    rc = db_step(st, err);
    db_finalize(st);
    if (rc == DB_ERROR)
        goto fail;
    if (def->on_change && def->on_change(db, value, err))
        goto fail;
    if (db_commit(db, err))
        goto fail;
    return 0;
fail:
    db_rollback(db);
    return -1;
}
