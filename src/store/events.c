/*
 * Re-deriving event dates when the company time zone changes. Only values
 * given as timestamps with an offset can move; plain dates and local
 * timestamps keep their date.
 */
#include <stdlib.h>
#include <string.h>

#include "metrics/rollup.h"
#include "settings/settings.h"
#include "store/events.h"
#include "util/i18n.h"
#include "util/xalloc.h"

struct tz *company_tz_open(struct db *db, struct strbuf *err)
{
    char *id = setting_get(db, "company.timezone", err);
    struct tz *tz;

    if (!id)
        return NULL;
    tz = tz_open(id);
    if (!tz)
        sb_addf(err, _("the company time zone '%s' is unknown; set it with 'cairn config company.timezone Asia/Shanghai'"), id);
    free(id);
    return tz;
}

static const char *const event_tables[][2] = {
    {"orders", "order_date"},
    {"visits", "visit_date"},
    {"customer_surveys", "survey_date"},
    {"employee_surveys", "survey_date"},
    {"expenses", "expense_date"},
};

static int rederive_table(struct db *db, struct tz *tz, const char *table, const char *column,
                          struct strbuf *err)
{
    struct strbuf sql = STRBUF_INIT;
    struct db_stmt *sel = NULL, *upd = NULL;
    char datebuf[DATE_BUFSIZE];
    cdate d;
    int rc = -1, step;

    /* Timestamps with an offset end in Z or carry a sign after the time. */
    sb_addf(&sql, "SELECT rowid, %s_given FROM %s WHERE length(%s_given) > 16", column, table,
            column);
    sel = db_prepare(db, sql.buf, err);
    sb_setf(&sql, "UPDATE %s SET %s = ? WHERE rowid = ?", table, column);
    upd = sel ? db_prepare(db, sql.buf, err) : NULL;
    if (!upd)
        goto out;
    while ((step = db_step(sel, err)) == DB_ROW) {
        if (event_date_parse(db_column_text(sel, 1), tz, &d) != EVENT_DATE_OK)
            continue; /* validated on import; cannot fail for stored values */
        date_format(d, datebuf);
        db_bind_text(upd, 1, datebuf);
        db_bind_int64(upd, 2, db_column_int64(sel, 0));
        if (db_step(upd, err) == DB_ERROR)
            goto out;
        db_reset(upd);
    }
    if (step == DB_ERROR)
        goto out;
    rc = 0;
out:
    db_finalize(sel);
    db_finalize(upd);
    sb_release(&sql);
    return rc;
}

int events_rederive_dates(struct db *db, const char *tz_id, struct strbuf *err)
{
    struct tz *tz = tz_open(tz_id);
    int rc = 0;

    if (!tz) {
        sb_addf(err, _("unknown time zone '%s'"), tz_id);
        return -1;
    }
    for (size_t i = 0; i < sizeof(event_tables) / sizeof(event_tables[0]) && !rc; i++)
        rc = rederive_table(db, tz, event_tables[i][0], event_tables[i][1], err);
    tz_close(tz);

    /* The rollups hold event dates too. */
    return rc ? rc : rollups_refresh(db, err);
}
