/*
 * POST /api/v1/import — a multipart upload (file, and optionally kind,
 * map, encoding, date_order) that becomes an import job; the response
 * {"id":N} comes at once (202) and the job runs on the job thread
 * (jobs.c). GET /api/v1/import/ID — the job's state, rows read, and the
 * report of "cairn import" once it has ended.
 *
 * Who may import what (the role table of the command-line contract): gm
 * anything, hr the HR entities, finance payroll and expenses, others
 * nothing. The entity is the kind field, else the file's name as for
 * "cairn import" (orders.csv → orders). With a mapping, the entities are
 * its targets: the mapping is checked (mapping_check) before the job is
 * queued, and every target must be an entity the role may import.
 * dry_run=1 makes the job a check that stores nothing (the import page
 * runs one before the real import).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth/scope.h"
#include "mapping/mapping.h"
#include "readers/source.h"
#include "readers/values.h"
#include "store/entities.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "web/api_table.h"
#include "web/jobs.h"
#include "web/upload.h"
#include "web/web.h"

static const char *const hr_kinds[] = {"org_units", "employees", "assignments",
                                       "employee_surveys", "courses", "trainings", "skills"};
static const char *const finance_kinds[] = {"payroll", "expenses"};

static bool listed(const char *kind, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(kind, list[i]))
            return true;
    return false;
}

/* Whether role may import entity kind. */
static bool may_import(enum role role, const char *kind)
{
    if (role == ROLE_GM)
        return true;
    if (role == ROLE_HR)
        return listed(kind, hr_kinds, sizeof(hr_kinds) / sizeof(hr_kinds[0]));
    if (role == ROLE_FINANCE)
        return listed(kind, finance_kinds, sizeof(finance_kinds) / sizeof(finance_kinds[0]));
    return false;
}

/* The entity an upload without a mapping imports: the kind field, else
 * the file name up to its first dot. Written to out. */
static void upload_kind(const struct upload *up, struct strbuf *out)
{
    const char *name, *dot;

    if (up->kind.len) {
        sb_add(out, up->kind.buf);
        return;
    }
    name = strrchr(up->file_path, '/') + 1;
    dot = strchr(name, '.');
    sb_addn(out, name, dot ? (size_t)(dot - name) : strlen(name));
}

int web_check_import_targets(struct request *req, const json_t *targets)
{
    size_t i;
    json_t *entity;

    json_array_foreach(targets, i, entity) {
        if (!may_import(req->session.who.role, json_string_value(entity))) {
            web_errorf(req, 403, "forbidden",
                       N_("Your role may not import %s, which this mapping writes."),
                       json_string_value(entity));
            return -1;
        }
    }
    return 0;
}

/* Checks the upload's mapping file and that the caller may import every
 * entity it targets. Returns 0, or -1 after setting the error response. */
static int check_mapping_targets(struct request *req, const struct upload *up)
{
    struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;
    json_t *targets = NULL;
    int ret = -1;

    if (web_read_file(up->map_path, &text, &err)) {
        web_internal_error(req, "reading an uploaded mapping", &err);
        goto out;
    }
    if (web_mapping_check(req, text.buf, text.len, strstr(up->file_path, ".xls") != NULL,
                          &targets))
        goto out;
    ret = web_check_import_targets(req, targets);
out:
    json_decref(targets);
    sb_release(&text);
    sb_release(&err);
    return ret;
}

/* Sets the error response of an upload that upload_finish rejected. */
static void report_upload_error(struct request *req, const struct upload *up)
{
    struct strbuf err = STRBUF_INIT;

    switch (up->error) {
    case UPLOAD_IO:
        sb_add(&err, up->problem);
        web_internal_error(req, "receiving an upload", &err);
        break;
    case UPLOAD_FIELD_LONG:
        web_errorf(req, 400, "bad_request",
                   N_("The field '%s' of the upload is longer than %d bytes."), up->field,
                   UPLOAD_FIELD_MAX);
        break;
    case UPLOAD_MAP_LARGE:
        web_errorf(req, 400, "bad_request",
                   N_("The mapping file (field 'map') is larger than %d bytes."),
                   UPLOAD_MAP_MAX);
        break;
    default:
        web_error(req, 400, "bad_request", N_("The upload is not a valid multipart/form-data body with one 'file' field."));
        break;
    }
    sb_release(&err);
}

void api_import_post(struct request *req)
{
    struct strbuf err = STRBUF_INIT, kind = STRBUF_INIT;
    struct import_job_request job = {0};
    struct upload *up = req->upload;
    const char *content_type = web_header(req, "Content-Type");
    int64_t id;

    /* The caller's scope, checks of the upload, then the caller's right
     * to its entities. A dry run is refused like an import, because its
     * report quotes rows of every unit the file names. */
    if (web_require_company_scope(req, web_write_scope_message))
        goto out;
    if (!content_type || strncasecmp(content_type, "multipart/form-data", 19)) {
        web_error(req, 400, "bad_request",
                  N_("The upload must be sent with Content-Type multipart/form-data, with the "
                     "data file as the field 'file'."));
        goto out;
    }
    if (!up) {
        web_error(req, 400, "bad_request", N_("The upload is empty: send the data file as the multipart field 'file'."));
        goto out;
    }
    if (upload_finish(up)) {
        report_upload_error(req, up);
        goto out;
    }
    if (!up->file_path) {
        web_error(req, 400, "bad_request", N_("The upload is empty: send the data file as the multipart field 'file'."));
        goto out;
    }
    if (up->kind.len && !entity_by_name(up->kind.buf)) {
        web_error(req, 400, "bad_request", N_("The kind is not an entity name such as orders or employees."));
        goto out;
    }
    if (up->encoding.len && source_encoding_parse(up->encoding.buf, &job.source.encoding)) {
        web_error(req, 400, "bad_request", N_("The encoding is invalid: use auto, utf-8, gb18030 or utf-16."));
        goto out;
    }
    if (up->date_order.len && date_order_parse(up->date_order.buf, &job.date_order)) {
        web_error(req, 400, "bad_request", N_("The date order is invalid: use ymd, dmy or mdy."));
        goto out;
    }
    if (up->dry_run.len && strcmp(up->dry_run.buf, "0") && strcmp(up->dry_run.buf, "1")) {
        web_error(req, 400, "bad_request", N_("The field dry_run must be 0 or 1."));
        goto out;
    }
    job.dry_run = up->dry_run.len && !strcmp(up->dry_run.buf, "1");
    if (up->map_path) {
        if (check_mapping_targets(req, up))
            goto out;
    } else {
        upload_kind(up, &kind);
        if (!may_import(req->session.who.role, kind.buf)) {
            web_error(req, 403, "forbidden", N_("Your role may not import this kind of data."));
            goto out;
        }
    }

    /* The job takes over the upload's folder and files. */
    job.dir = up->dir;
    job.file_path = up->file_path;
    job.map_path = up->map_path;
    job.kind = up->kind.len ? xstrdup(up->kind.buf) : NULL;
    up->dir = up->file_path = up->map_path = NULL;
    if (jobs_submit(req->db, req->session.login, &job, &id, &err)) {
        import_job_request_free(&job);
        web_internal_error(req, "queueing an import job", &err);
        goto out;
    }
    web_json(req, 202, json_pack("{s:I}", "id", (json_int_t)id));
out:
    sb_release(&kind);
    sb_release(&err);
}

void api_import_get(struct request *req)
{
    const char *rest = req->path + strlen("/api/v1/import/");
    struct strbuf err = STRBUF_INIT;
    struct db_stmt *st = NULL;
    json_t *report = NULL;
    char *end;
    long long id;
    long rows;
    int step;

    if (*rest < '1' || *rest > '9' || (id = strtoll(rest, &end, 10), *end)) {
        web_error(req, 404, "not_found", N_("No import job has this id."));
        goto out;
    }
    st = db_prepare(req->db,
                    "SELECT login, state, rows, report, dry_run FROM import_jobs WHERE id = ?",
                    &err);
    if (!st)
        goto fail;
    db_bind_int64(st, 1, id);
    step = db_step(st, &err);
    if (step == DB_ERROR)
        goto fail;
    if (step != DB_ROW) {
        web_error(req, 404, "not_found", N_("No import job has this id."));
        goto out;
    }
    /* A job's report may quote the uploaded rows: only its author and
     * the general managers read it. */
    if (req->session.who.role != ROLE_GM && strcmp(db_column_text(st, 0), req->session.login)) {
        web_error(req, 403, "forbidden", N_("This import job belongs to another account."));
        goto out;
    }

    rows = jobs_progress(id);
    if (rows < 0)
        rows = (long)db_column_int64(st, 2);
    if (!db_column_is_null(st, 3))
        report = json_loads(db_column_text(st, 3), 0, NULL);
    /* NOTE: total is always null, because the importer does not count a
     * file's rows before reading it. */
    web_json(req, 200,
             json_pack("{s:I, s:s, s:b, s:I, s:n, s:o}", "id", (json_int_t)id, "state",
                       db_column_text(st, 1), "dry_run", db_column_int64(st, 4) != 0, "rows",
                       (json_int_t)rows, "total", "report", report ? report : json_null()));
    goto out;
fail:
    web_internal_error(req, "reading an import job", &err);
out:
    db_finalize(st);
    sb_release(&err);
}
