/*
 * The canonical export. Money is written with two decimals (1234.50),
 * scores and hours without trailing zero decimals (8.5), dates as stored.
 * Rows are ordered by key, so the same database always gives the same
 * bytes. Files use LF line ends and quote only the fields that need it.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "export/export.h"
#include "import/columns.h"
#include "util/csv.h"
#include "util/decimal.h"
#include "util/i18n.h"
#include "util/xalloc.h"

/* Checks that dir is an empty folder, creating it when it is absent. */
static int prepare_dir(const char *dir, struct strbuf *err)
{
    struct dirent *d;
    DIR *dp;

    if (mkdir(dir, 0777) == 0)
        return 0;
    if (errno != EEXIST) {
        sb_addf(err, _("cannot create the folder %s: %s"), dir, strerror(errno));
        return -1;
    }
    dp = opendir(dir);
    if (!dp) {
        sb_addf(err, _("%s exists and is not a folder that can be read: %s"), dir, strerror(errno));
        return -1;
    }
    while ((d = readdir(dp))) {
        if (strcmp(d->d_name, ".") && strcmp(d->d_name, "..")) {
            closedir(dp);
            sb_addf(err, _("the folder %s is not empty: export into an empty or new folder"), dir);
            return -1;
        }
    }
    closedir(dp);
    return 0;
}

static void add_cell(struct strbuf *line, struct db_stmt *st, int col,
                     const struct field_def *f)
{
    char num[DECIMAL_BUFSIZE];

    if (db_column_is_null(st, col))
        return;
    switch (f->type) {
    case FT_MONEY:
        decimal_format(db_column_int64(st, col), num);
        sb_add(line, num);
        return;
    case FT_SCORE10:
    case FT_SCORE100:
    case FT_HOURS:
        decimal_format_short(db_column_int64(st, col), num);
        sb_add(line, num);
        return;
    default:
        csv_write_field(line, db_column_text(st, col), ',');
        return;
    }
}

/* Writes one entity's rows to dir/<file>. *written is set when it had
 * any, because an empty entity gives no file. */
static int export_entity(struct db *db, const char *dir, const struct entity_def *e,
                         bool *written, struct strbuf *err)
{
    struct strbuf sql = STRBUF_INIT, line = STRBUF_INIT, path = STRBUF_INIT;
    struct table_layout t;
    struct db_stmt *st;
    FILE *fp = NULL;
    int step, rc = -1;

    *written = false;
    table_layout_init(&t, e);
    sb_add(&sql, "SELECT ");
    for (size_t i = 0; i < e->nfields; i++)
        sb_addf(&sql, "%s%s", i ? ", " : "", t.cols[table_source_column(&t, i)].name);
    sb_addf(&sql, " FROM %s ORDER BY ", e->name);
    table_add_key_columns(&sql, &t);
    st = db_prepare(db, sql.buf, err);
    if (!st)
        goto out;

    while ((step = db_step(st, err)) == DB_ROW) {
        if (!fp) {
            sb_addf(&path, "%s/%s", dir, e->file);
            fp = fopen(path.buf, "wb");
            if (!fp) {
                sb_addf(err, _("cannot write %s: %s"), path.buf, strerror(errno));
                goto out;
            }
            for (size_t i = 0; i < e->nfields; i++)
                sb_addf(&line, "%s%s", i ? "," : "", e->fields[i].name);
            sb_addch(&line, '\n');
        }
        for (size_t i = 0; i < e->nfields; i++) {
            if (i)
                sb_addch(&line, ',');
            add_cell(&line, st, (int)i, &e->fields[i]);
        }
        sb_addch(&line, '\n');
        if (line.len >= 65536) {
            fwrite(line.buf, 1, line.len, fp);
            sb_reset(&line);
        }
    }
    if (step == DB_ERROR)
        goto out;
    if (fp) {
        fwrite(line.buf, 1, line.len, fp);
        if (ferror(fp) | fclose(fp)) {
            fp = NULL;
            sb_addf(err, _("cannot write %s: %s"), path.buf, strerror(errno));
            goto out;
        }
        fp = NULL;
        *written = true;
    }
    rc = 0;
out:
    if (fp)
        fclose(fp);
    db_finalize(st);
    sb_release(&sql);
    sb_release(&line);
    sb_release(&path);
    return rc;
}

int export_dataset(struct db *db, const char *dir, struct strbuf *err)
{
    int files = 0;
    bool written;

    if (prepare_dir(dir, err))
        return -1;
    for (size_t i = 0; i < nentities; i++) {
        if (export_entity(db, dir, entities[i], &written, err))
            return -1;
        files += written;
    }
    return files;
}
