/*
 * One import run from start to report: collecting the files of the given
 * paths, reading them, resolving units and references, storing the rows
 * as one batch in one transaction (or rolling back for a dry run or on
 * errors), writing rejected rows and building the JSON report.
 */
#include <dirent.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "import/batches.h"
#include "import/bulk.h"
#include "import/run.h"
#include "mapping/mapping.h"
#include "metrics/rollup.h"
#include "store/events.h"
#include "util/i18n.h"
#include "util/xalloc.h"

void run_error(struct import_run *run, struct import_file *f, size_t row, long line,
               int field_index, const char *value, long long offset, const char *message)
{
    const char *column = NULL, *field = NULL;
    json_t *e;

    if (field_index >= 0) {
        field = f->entity->fields[field_index].name;
        if (f->field_source[field_index] >= 0)
            column = f->headers[f->field_source[field_index]];
    }
    f->error_count++;
    if (f->error_count <= IMPORT_MAX_LISTED_ERRORS) {
        const char *source = f->source ? f->source : f->path;

        if (f->row_sources && row != (size_t)-1 && f->row_sources[row])
            source = f->row_sources[row];
        e = json_object();
        json_object_set_new(e, "source", json_string(source));
        json_object_set_new(e, "line", line > 0 ? json_integer(line) : json_null());
        json_object_set_new(e, "column", column ? json_string(column) : json_null());
        json_object_set_new(e, "field", field ? json_string(field) : json_null());
        json_object_set_new(e, "value", value ? json_string(value) : json_null());
        json_object_set_new(e, "offset", offset >= 0 ? json_integer(offset) : json_null());
        json_object_set_new(e, "message", json_string(message));
        json_array_append_new(f->errors, e);
    }

    if (row == (size_t)-1) {
        f->failed = true;
        return;
    }
    if (!(f->states[row] & ROW_REJECTED)) {
        f->states[row] |= ROW_REJECTED;
        f->rejected++;
    }
    if (run->opts->skip_bad_rows) {
        struct row_reason *r;

        XGROW(f->reasons, f->reasons_alloc, f->nreasons + 1);
        r = &f->reasons[f->nreasons++];
        r->row = row;
        r->message = xstrdup(message);
    }
}

void run_warning(struct import_run *run, const char *fmt, ...)
{
    struct strbuf sb = STRBUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    json_array_append_new(run->warnings, json_string(sb.buf));
    sb_release(&sb);
}

struct import_file *run_add_file(struct import_run *run, const char *path,
                                 const struct entity_def *e)
{
    struct import_file *f = xcalloc(1, sizeof(*f));

    f->path = xstrdup(path);
    f->entity = e;
    f->errors = json_array();
    if (e)
        table_layout_init(&f->layout, e);
    run->files = xrealloc(run->files, (run->nfiles + 1) * sizeof(*run->files));
    run->files[run->nfiles++] = f;
    return f;
}

static void free_file(struct import_file *f)
{
    for (size_t i = 0; i < f->nheaders; i++)
        free(f->headers[i]);
    for (size_t i = 0; i < f->nreasons; i++)
        free(f->reasons[i].message);
    free(f->reasons);
    free(f->headers);
    free(f->source);
    free(f->hash_path);
    if (f->spool_path)
        unlink(f->spool_path);
    free(f->spool_path);
    free(f->row_sources);
    free(f->lines);
    free(f->states);
    free(f->cells);
    sb_release(&f->text);
    strmap_release(&f->keys);
    json_decref(f->errors);
    free(f->path);
    free(f);
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Records an error for a folder that contains no data file, listing the
 * canonical file names. A folder named like a data file (orders.csv/) is
 * most likely a mistaken path, so the message says it is a folder. */
static void report_no_data_file(struct import_run *run, const char *dir)
{
    struct strbuf msg = STRBUF_INIT, names = STRBUF_INIT;
    const char *base = strrchr(dir, '/');
    struct import_file *f = run_add_file(run, dir, NULL);

    for (size_t i = 0; i < nentities; i++)
        sb_addf(&names, "%s%s", i ? ", " : "", entities[i]->file);
    if (base && !base[1]) {
        /* "data/": the name is the part before the slash. */
        base = NULL;
    }
    if (entity_by_file(base ? base + 1 : dir))
        sb_setf(&msg, _("%s is a folder, not a data file, and holds no data file: give the path of a file, or of a folder of files named %s"),
                dir, names.buf);
    else
        sb_setf(&msg, _("no data file found in %s: canonical files are named %s"), dir,
                names.buf);
    run_error(run, f, (size_t)-1, 0, -1, NULL, -1, msg.buf);
    sb_release(&msg);
    sb_release(&names);
}

/* Adds the canonical files of a folder, in name order; other entries are
 * ignored with a warning. A folder without any is an error. */
static void add_folder(struct import_run *run, const char *dir)
{
    struct strbuf path = STRBUF_INIT;
    char **names = NULL;
    size_t n = 0, alloc = 0, added = 0;
    struct dirent *d;
    struct stat st;
    DIR *dp = opendir(dir);

    if (!dp) {
        struct import_file *f = run_add_file(run, dir, NULL);

        sb_setf(&path, _("cannot read the folder: %s"), strerror(errno));
        run_error(run, f, (size_t)-1, 0, -1, NULL, -1, path.buf);
        sb_release(&path);
        return;
    }
    while ((d = readdir(dp))) {
        if (d->d_name[0] == '.')
            continue;
        XGROW(names, alloc, n + 1);
        names[n++] = xstrdup(d->d_name);
    }
    closedir(dp);
    if (n > 1)
        qsort(names, n, sizeof(*names), compare_names);

    for (size_t i = 0; i < n; i++) {
        const struct entity_def *e = entity_by_file(names[i]);

        sb_setf(&path, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]);
        if (e && stat(path.buf, &st) == 0 && S_ISREG(st.st_mode)) {
            run_add_file(run, path.buf, e);
            added++;
        } else
            run_warning(run, _("%s is not a file of the canonical data set and is ignored"),
                        path.buf);
        free(names[i]);
    }
    free(names);
    sb_release(&path);
    if (!added)
        report_no_data_file(run, dir);
}

/* Copies a pipe or other non-seekable input (/dev/stdin) to a temporary
 * file, since a run reads each file more than once. Returns the copy's
 * path, or NULL with a message in msg. */
static char *spool_input(const char *path, struct strbuf *msg)
{
    const char *tmpdir = getenv("TMPDIR");
    struct strbuf temp = STRBUF_INIT;
    char buf[65536];
    FILE *in = fopen(path, "rb"), *out = NULL;
    size_t n;
    int fd = -1;

    if (!in) {
        sb_setf(msg, _("cannot read the file: %s"), strerror(errno));
        goto fail;
    }
    sb_addf(&temp, "%s/cairn-input-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
    fd = mkstemp(temp.buf);
    if (fd < 0 || !(out = fdopen(fd, "wb"))) {
        sb_setf(msg, _("cannot copy the input to a temporary file in %s: %s; save the data to a file and import that"),
                tmpdir && *tmpdir ? tmpdir : "/tmp", strerror(errno));
        goto fail;
    }
    while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            break;
    if (ferror(in) || ferror(out) | fclose(out)) {
        out = NULL;
        sb_setf(msg, _("cannot copy the input to a temporary file: %s; save the data to a file and import that"),
                strerror(errno));
        goto fail;
    }
    fclose(in);
    return sb_detach(&temp);
fail:
    if (out)
        fclose(out);
    else if (fd >= 0)
        close(fd);
    if (fd >= 0)
        unlink(temp.buf);
    if (in)
        fclose(in);
    sb_release(&temp);
    return NULL;
}

static void add_path(struct import_run *run, const char *path)
{
    const char *base = strrchr(path, '/');
    const struct entity_def *e;
    struct strbuf msg = STRBUF_INIT;
    struct import_file *f;
    struct stat st;

    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        add_folder(run, path);
        return;
    }
    e = run->opts->kind ? entity_by_name(run->opts->kind) : entity_by_file(base ? base + 1 : path);
    f = run_add_file(run, path, e);
    /* A file not named after its entity is foreign: read it leniently. */
    if (run->opts->kind)
        f->mode = VALUE_LENIENT;

    /* Whether the file exists comes first: its name is no help then. */
    if (stat(path, &st) != 0) {
        if (errno == ENOENT)
            sb_setf(&msg, _("file not found: %s"), path);
        else
            sb_setf(&msg, _("cannot read the file: %s"), strerror(errno));
        run_error(run, f, (size_t)-1, 0, -1, NULL, -1, msg.buf);
    } else if (!e) {
        run_error(run, f, (size_t)-1, 0, -1, NULL, -1,
                  _("cannot tell which data this file holds: name it after its entity (for example orders.csv) or give --kind"));
    } else if (!S_ISREG(st.st_mode)) {
        f->spool_path = spool_input(path, &msg);
        if (!f->spool_path)
            run_error(run, f, (size_t)-1, 0, -1, NULL, -1, msg.buf);
    }
    sb_release(&msg);
}

/* Fails each file that is the same file (device and inode) as one named
 * before it: given twice, through ./ or a symlink, or once inside a
 * folder and once by itself. Read twice, every row would clash with
 * itself as a duplicate key. Pipes and other non-regular inputs are not
 * compared, because each read of /dev/stdin gives different data. */
static void fail_repeated_files(struct import_run *run)
{
    struct stat *st = xcalloc(run->nfiles ? run->nfiles : 1, sizeof(*st));
    bool *regular = xcalloc(run->nfiles ? run->nfiles : 1, sizeof(*regular));
    struct strbuf msg = STRBUF_INIT;

    for (size_t i = 0; i < run->nfiles; i++) {
        struct import_file *f = run->files[i];

        regular[i] = !f->failed && stat(f->path, &st[i]) == 0 && S_ISREG(st[i].st_mode);
        for (size_t j = 0; j < i && regular[i]; j++) {
            if (!regular[j] || st[j].st_dev != st[i].st_dev || st[j].st_ino != st[i].st_ino)
                continue;
            if (strcmp(run->files[j]->path, f->path) == 0)
                sb_setf(&msg, _("this file is named twice: name it once"));
            else
                sb_setf(&msg, _("this file is the same file as %s, so it is named twice: name it once"),
                        run->files[j]->path);
            run_error(run, f, (size_t)-1, 0, -1, NULL, -1, msg.buf);
            regular[i] = false;
        }
    }
    sb_release(&msg);
    free(regular);
    free(st);
}

/* Fills f->sha256 with the file's SHA-256 in hex. */
static int hash_file(struct import_file *f)
{
    unsigned char buf[65536], md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    FILE *fp = fopen(f->hash_path ? f->hash_path : file_data_path(f), "rb");
    size_t n;
    int rc = -1;

    if (!fp || !ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
        goto out;
    while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
        if (!EVP_DigestUpdate(ctx, buf, n))
            goto out;
    if (ferror(fp) || !EVP_DigestFinal_ex(ctx, md, &mdlen))
        goto out;
    for (unsigned int i = 0; i < mdlen && i < 32; i++)
        snprintf(f->sha256 + 2 * i, 3, "%02x", md[i]);
    rc = 0;
out:
    if (fp)
        fclose(fp);
    EVP_MD_CTX_free(ctx);
    return rc;
}

static json_t *file_report(const struct import_file *f, bool stored)
{
    json_t *o = json_object();

    json_object_set_new(o, "path", json_string(f->path));
    json_object_set_new(o, "kind", f->entity ? json_string(f->entity->name) : json_null());
    json_object_set_new(o, "rows", json_integer((json_int_t)f->nrows));
    json_object_set_new(o, "inserted", json_integer(stored ? f->inserted : 0));
    json_object_set_new(o, "updated", json_integer(stored ? f->updated : 0));
    json_object_set_new(o, "unchanged", json_integer(stored ? f->unchanged : 0));
    json_object_set_new(o, "rejected", json_integer(f->rejected));
    json_object_set_new(o, "errors", json_incref(f->errors));
    json_object_set_new(o, "error_count", json_integer(f->error_count));
    json_object_set_new(o, "failed", json_boolean(f->failed));
    return o;
}

static json_t *build_report(struct import_run *run, bool stored, const char *rejects)
{
    json_t *report = json_object(), *files = json_array();
    bool real = stored && !run->opts->dry_run;

    for (size_t i = 0; i < run->nfiles; i++)
        json_array_append_new(files, file_report(run->files[i], stored));
    json_object_set_new(report, "files", files);
    json_object_set_new(report, "warnings", json_incref(run->warnings));
    json_object_set_new(report, "batch", real ? json_integer(run->batch) : json_null());
    json_object_set_new(report, "units_created", json_integer(stored ? (json_int_t)run->nnew_units : 0));
    json_object_set_new(report, "rejects", rejects ? json_string(rejects) : json_null());
    return report;
}

/* Whether every file could be read; and whether any row was rejected. */
static bool files_ok(const struct import_run *run, bool *rows_rejected)
{
    bool ok = true;

    *rows_rejected = false;
    for (size_t i = 0; i < run->nfiles; i++) {
        if (run->files[i]->failed)
            ok = false;
        if (run->files[i]->rejected)
            *rows_rejected = true;
    }
    return ok;
}

/* Brings the rollups up to date with what the batch wrote. */
static int refresh_rollups(struct import_run *run, struct strbuf *err)
{
    struct rollup_delta delta;
    int rc = 0;

    rollup_delta_init(&delta);
    delta.ahead = run->order_sums;
    if (rollup_delta_add_batch(run->db, &delta, run->batch, err) ||
        rollups_refresh_delta(run->db, &delta, err))
        rc = -1;
    rollup_delta_free(&delta);
    return rc;
}

/* Stores the run under a new batch; the caller commits or rolls back. */
static int store_run(struct import_run *run, struct strbuf *err)
{
    long inserted, updated = 0;

    /* The pipeline may have created the batch while reading. */
    if ((!run->batch && batch_create(run->db, &run->batch, err)) || write_rows(run, err))
        return -1;
    inserted = run->units_inserted;
    for (size_t i = 0; i < run->nfiles; i++) {
        struct import_file *f = run->files[i];

        if (batch_add_file(run->db, run->batch, f->path, f->entity->name, f->sha256,
                           (long)f->nrows, f->inserted, f->updated, f->unchanged, f->rejected,
                           err))
            return -1;
        inserted += f->inserted;
        updated += f->updated;
    }
    if (batch_finish(run->db, run->batch, inserted, updated, err))
        return -1;
    return refresh_rollups(run, err);
}

/* The path of the rejected-rows file, or NULL when there is none to
 * write: without skip_bad_rows or without a rejected row. */
static char *rejects_path(const struct import_run *run)
{
    struct strbuf path = STRBUF_INIT;
    bool any = false;

    for (size_t i = 0; i < run->nfiles; i++)
        any = any || run->files[i]->rejected;
    if (!run->opts->skip_bad_rows || !any)
        return NULL;
    if (run->opts->rejects_path)
        sb_add(&path, run->opts->rejects_path);
    else if (run->opts->dry_run)
        sb_add(&path, "rejected-dry-run.csv");
    else
        sb_addf(&path, "rejected-%lld.csv", run->batch);
    return sb_detach(&path);
}

int run_read(struct import_run *run, struct db *db, const struct import_options *opts,
             const char *const *paths, size_t npaths, struct strbuf *err)
{
    bool rows_rejected;

    run->db = db;
    run->opts = opts;
    run->warnings = json_array();
    if (opts->kind && !entity_by_name(opts->kind)) {
        sb_addf(err, _("unknown kind '%s'"), opts->kind);
        return -1;
    }
    run->tz = company_tz_open(db, err);
    if (!run->tz)
        return -1;

    /* Read every file; then units and references across all of them. */
    if (opts->map_path) {
        if (mapping_add_targets(run, paths, npaths, err))
            return -1;
    } else {
        for (size_t i = 0; i < npaths; i++)
            add_path(run, paths[i]);
        fail_repeated_files(run);
    }
    for (size_t i = 0; i < run->nfiles; i++) {
        struct import_file *f = run->files[i];

        if (f->failed)
            continue;
        if (hash_file(f)) {
            run_error(run, f, (size_t)-1, 0, -1, NULL, -1, _("cannot read the file"));
            continue;
        }
        if (pipeline_begin(run, f, err) || read_import_file(run, f, err) ||
            pipeline_end(run, err))
            return -1;
    }
    check_run_duplicates(run);
    if (files_ok(run, &rows_rejected) && units_resolve(run, err))
        return -1;
    if (files_ok(run, &rows_rejected) && references_check(run, err))
        return -1;
    if (opts->progress)
        opts->progress(opts->progress_ctx, run->rows_read);
    return 0;
}

void run_release(struct import_run *run)
{
    /* The workers read the files' rows, so they stop first. */
    pipeline_free(run);
    order_sums_ahead_free(run->order_sums);
    free(run->order_rows);
    for (size_t i = 0; i < run->nfiles; i++)
        free_file(run->files[i]);
    for (size_t i = 0; i < run->nnew_units; i++) {
        free(run->new_units[i].id);
        free(run->new_units[i].name);
        free(run->new_units[i].parent);
    }
    free(run->new_units);
    free(run->files);
    json_decref(run->warnings);
    mapping_free(run->mapping);
    if (run->tz)
        tz_close(run->tz);
}

/* Whether the inputs at paths (files, or folders of files) hold at least
 * bulk_large_load_bytes. Paths that cannot be read count nothing here; the
 * run reports them. */
static bool inputs_are_large(const char *const *paths, size_t npaths)
{
    long long total = 0;

    for (size_t i = 0; i < npaths && total < bulk_large_load_bytes; i++) {
        struct stat st;
        DIR *dir;
        struct dirent *de;

        if (stat(paths[i], &st))
            continue;
        if (!S_ISDIR(st.st_mode)) {
            total += st.st_size;
            continue;
        }
        dir = opendir(paths[i]);
        if (!dir)
            continue;
        while ((de = readdir(dir)) && total < bulk_large_load_bytes) {
            struct strbuf path = STRBUF_INIT;

            sb_addf(&path, "%s/%s", paths[i], de->d_name);
            if (!stat(path.buf, &st) && S_ISREG(st.st_mode))
                total += st.st_size;
            sb_release(&path);
        }
        closedir(dir);
    }
    return total >= bulk_large_load_bytes;
}

int import_run(struct db *db, const char *const *paths, size_t npaths,
               const struct import_options *opts, json_t **report, struct strbuf *err)
{
    struct import_run run = {0};
    bool ok, rows_rejected, stored = false, in_tx = false, large;
    char *rejects = NULL, *rejects_temp = NULL;
    int rc = -1;

    *report = NULL;
    if (opts->skip_bad_rows && opts->rejects_path &&
        rejects_check_path(opts->rejects_path, paths, npaths, err))
        return -1;

    /* The importer checks every reference itself, with the line of the
     * row, so the engine's per-row foreign key checks would only repeat
     * that work. A dry run rolls back, so it gains nothing from leaving
     * WAL mode. */
    large = !opts->dry_run && inputs_are_large(paths, npaths);
    if (db_bulk_start(db, large, err))
        goto out;
    run.pipeline_allowed = large;
    if (db_begin(db, err))
        goto out;
    in_tx = true;
    if (run_read(&run, db, opts, paths, npaths, err))
        goto out;
    ok = files_ok(&run, &rows_rejected);

    /* Store, unless errors stop the run; a dry run rolls back. The
     * rejected rows are written before the commit, so a rejects path that
     * cannot be written stores nothing, and renamed into place after it. */
    if (ok && (!rows_rejected || opts->skip_bad_rows)) {
        if (store_run(&run, err))
            goto out;
        /* The default path can be an input too (rejected-dry-run.csv
         * imported again with --kind), which the rename would replace. */
        rejects = rejects_path(&run);
        if (rejects && (rejects_check_path(rejects, paths, npaths, err) ||
                        rejects_prepare(&run, rejects, &rejects_temp, err)))
            goto out;
        if (opts->dry_run) {
            db_rollback(db);
        } else if (db_commit(db, err)) {
            goto out;
        }
        in_tx = false;
        stored = true;
        if (rejects && rejects_publish(rejects_temp, rejects, err)) {
            run_warning(&run, "%s", err->buf);
            sb_reset(err);
            unlink(rejects_temp);
            free(rejects);
            rejects = NULL;
        }
    }
    rc = stored ? IMPORT_OK : IMPORT_REJECTED;
    *report = build_report(&run, stored, rejects);
out:
    if (in_tx)
        db_rollback(db);
    /* Also after a failed start, which may have changed some settings. */
    if (db_bulk_end(db, err) && rc >= 0) {
        json_decref(*report);
        *report = NULL;
        rc = -1;
    }
    if (rejects_temp && rc < 0)
        unlink(rejects_temp);
    free(rejects_temp);
    run_release(&run);
    free(rejects);
    return rc;
}
