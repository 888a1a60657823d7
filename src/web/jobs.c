/*
 * The import job queue of "cairn serve". An upload becomes a row of
 * import_jobs (state queued) and an entry of an in-memory queue. One
 * thread with its own database connection runs the queued imports one
 * at a time through import_run. So an import never runs inside a
 * request, and two imports never compete for the write lock. The report of each
 * job is stored with its final state (done or failed). Rows read so far
 * are kept in memory for the running job only.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/audit.h"
#include "util/xalloc.h"
#include "web/jobs.h"
#include "web/log.h"
#include "web/upload.h"

struct queued_job {
    struct queued_job *next;
    int64_t id;
    struct import_job_request req;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static struct queued_job *queue_head, *queue_tail;
static bool stopping, started;
static pthread_t thread;
static char *jobs_db_path;
static atomic_int_fast64_t running_id = -1;
static atomic_long running_rows;

void import_job_request_free(struct import_job_request *job)
{
    upload_remove_files(job->dir, job->file_path, job->map_path);
    free(job->dir);
    free(job->file_path);
    free(job->kind);
    free(job->map_path);
    memset(job, 0, sizeof(*job));
}

long jobs_progress(int64_t id)
{
    return atomic_load(&running_id) == id ? atomic_load(&running_rows) : -1;
}

static void on_progress(void *ctx, long rows)
{
    (void)ctx;
    atomic_store(&running_rows, rows);
}

/* Stores the final state and report of job id. */
static int finish_job(struct db *db, int64_t id, const char *state, long rows, json_t *report,
                      struct strbuf *err)
{
    struct db_stmt *st = db_prepare(
        db, "UPDATE import_jobs SET state = ?, rows = ?, report = ?, finished = ? WHERE id = ?", err);
    char now[AUDIT_TIME_SIZE], *text = NULL;
    int ret;

    if (!st)
        return -1;
    audit_time(time(NULL), now);
    db_bind_text(st, 1, state);
    db_bind_int64(st, 2, rows);
    if (report) {
        text = json_dumps(report, JSON_COMPACT | JSON_REAL_PRECISION(15));
        db_bind_text(st, 3, text);
    } else {
        db_bind_null(st, 3);
    }
    db_bind_text(st, 4, now);
    db_bind_int64(st, 5, id);
    ret = db_step(st, err) == DB_DONE ? 0 : -1;
    db_finalize(st);
    free(text);
    return ret;
}

static int set_running(struct db *db, int64_t id, struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db, "UPDATE import_jobs SET state = 'running' WHERE id = ?", err);
    int ret;

    if (!st)
        return -1;
    db_bind_int64(st, 1, id);
    ret = db_step(st, err) == DB_DONE ? 0 : -1;
    db_finalize(st);
    return ret;
}

/* Whether the report's run stored at least one row. */
static bool stored_something(json_t *report)
{
    json_t *file;
    size_t i;

    if (!json_is_integer(json_object_get(report, "batch")))
        return false;
    json_array_foreach(json_object_get(report, "files"), i, file) {
        if (json_integer_value(json_object_get(file, "inserted")) > 0 ||
            json_integer_value(json_object_get(file, "updated")) > 0)
            return true;
    }
    return false;
}

/* Replaces every occurrence of path (a part of the upload's temporary
 * folder) in the strings of value by with, also inside messages, so that
 * the report names files as they were uploaded and does not show the
 * server's folders. */
static void replace_path(json_t *value, const char *path, const char *with)
{
    size_t n = strlen(path), i;
    const char *key;
    json_t *item;

    if (json_is_string(value)) {
        const char *s = json_string_value(value), *hit = strstr(s, path);
        struct strbuf out = STRBUF_INIT;

        if (!hit)
            return;
        for (; hit; s = hit + n, hit = strstr(s, path)) {
            sb_addn(&out, s, (size_t)(hit - s));
            sb_add(&out, with);
        }
        sb_add(&out, s);
        json_string_set(value, out.buf);
        sb_release(&out);
    } else if (json_is_object(value)) {
        json_object_foreach(value, key, item)
            replace_path(item, path, with);
    } else if (json_is_array(value)) {
        json_array_foreach(value, i, item)
            replace_path(item, path, with);
    }
}

/* Runs one job to its end and records the outcome. */
static void run_job(struct db *db, struct queued_job *job)
{
    struct strbuf err = STRBUF_INIT, folder = STRBUF_INIT, prefix = STRBUF_INIT;
    struct import_options opts = {0};
    const char *path;
    json_t *report = NULL;
    long rows;
    int rc;

    opts.kind = job->req.kind;
    opts.source = job->req.source;
    opts.date_order = job->req.date_order;
    opts.map_path = job->req.map_path;
    opts.dry_run = job->req.dry_run;
    opts.progress = on_progress;
    /* A mapping reads its sources from the folder, or from the workbook. */
    path = job->req.file_path;
    if (job->req.map_path && !strstr(path, ".xls")) {
        sb_addf(&folder, "%s/data", job->req.dir);
        path = folder.buf;
    }

    atomic_store(&running_rows, 0);
    atomic_store(&running_id, job->id);
    if (set_running(db, job->id, &err)) {
        log_line(LOG_ERROR, 0, NULL, "import job %lld: %s", (long long)job->id, err.buf);
        sb_reset(&err);
    }
    log_line(LOG_INFO, 0, NULL, "import job %lld started", (long long)job->id);
    rc = import_run(db, &path, 1, &opts, &report, &err);
    rows = atomic_load(&running_rows);
    atomic_store(&running_id, -1);

    if (rc < 0) {
        log_line(LOG_ERROR, 0, NULL, "import job %lld failed: %s", (long long)job->id, err.buf);
        report = json_pack("{s:[{s:s}]}", "errors", "message", err.buf);
    } else {
        log_line(LOG_INFO, 0, NULL, "import job %lld %s after %ld rows", (long long)job->id,
                 rc == IMPORT_OK ? "done" : "rejected", rows);
    }
    /* Files in the mapping's folder by their names; the folder itself
     * (a mapping's targets) by the uploaded file's name. */
    sb_addf(&prefix, "%s/data/", job->req.dir);
    replace_path(report, prefix.buf, "");
    sb_truncate(&prefix, prefix.len - 1);
    replace_path(report, prefix.buf, strrchr(job->req.file_path, '/') + 1);
    sb_truncate(&prefix, strlen(job->req.dir) + 1);
    replace_path(report, prefix.buf, "");
    sb_reset(&err);
    if (finish_job(db, job->id, rc == IMPORT_OK ? "done" : "failed", rows, report, &err))
        log_line(LOG_ERROR, 0, NULL, "import job %lld: recording the outcome: %s",
                 (long long)job->id, err.buf);
    if (rc == IMPORT_OK && stored_something(report))
        scheduler_request_run();
    json_decref(report);
    sb_release(&prefix);
    sb_release(&folder);
    sb_release(&err);
}

static void *job_thread(void *arg)
{
    struct strbuf err = STRBUF_INIT;
    struct db *db = NULL;

    (void)arg;
    for (;;) {
        struct queued_job *job;

        pthread_mutex_lock(&lock);
        while (!queue_head && !stopping)
            pthread_cond_wait(&wake, &lock);
        if (stopping) {
            pthread_mutex_unlock(&lock);
            break;
        }
        job = queue_head;
        queue_head = job->next;
        if (!queue_head)
            queue_tail = NULL;
        pthread_mutex_unlock(&lock);

        if (!db && db_open(&db, jobs_db_path, DB_OPEN_EXISTING, &err)) {
            log_line(LOG_ERROR, 0, NULL, "import job %lld: opening the database: %s",
                     (long long)job->id, err.buf);
            sb_reset(&err);
            db = NULL;
        }
        if (db)
            run_job(db, job);
        import_job_request_free(&job->req);
        free(job);
    }
    if (db)
        db_close(db);
    sb_release(&err);
    return NULL;
}

/* Marks the jobs that are queued or running in the database as failed.
 * At start these are the ones an earlier server left behind, and at stop
 * the ones that never ran. */
static int fail_unfinished(struct db *db, struct strbuf *err)
{
    struct db_stmt *st = db_prepare(
        db,
        "UPDATE import_jobs SET state = 'failed', finished = ?,"
        " report = '{\"errors\":[{\"message\":\"the server stopped before the import ran\"}]}'"
        " WHERE state IN ('queued', 'running')",
        err);
    char now[AUDIT_TIME_SIZE];
    int ret;

    if (!st)
        return -1;
    audit_time(time(NULL), now);
    db_bind_text(st, 1, now);
    ret = db_step(st, err) == DB_DONE ? 0 : -1;
    db_finalize(st);
    return ret;
}

int jobs_start(const char *db_path, struct strbuf *err)
{
    struct db *db;
    int rc;

    if (db_open(&db, db_path, DB_OPEN_EXISTING, err))
        return -1;
    rc = fail_unfinished(db, err);
    db_close(db);
    if (rc)
        return -1;
    jobs_db_path = xstrdup(db_path);
    stopping = false;
    if (pthread_create(&thread, NULL, job_thread, NULL)) {
        sb_add(err, "cannot start the import job thread");
        return -1;
    }
    started = true;
    return 0;
}

void jobs_stop(void)
{
    struct strbuf err = STRBUF_INIT;
    struct queued_job *job;
    struct db *db;

    if (!started)
        return;
    pthread_mutex_lock(&lock);
    stopping = true;
    pthread_cond_broadcast(&wake);
    pthread_mutex_unlock(&lock);
    pthread_join(thread, NULL);
    started = false;

    while ((job = queue_head)) {
        queue_head = job->next;
        import_job_request_free(&job->req);
        free(job);
    }
    queue_tail = NULL;
    if (db_open(&db, jobs_db_path, DB_OPEN_EXISTING, &err) == 0) {
        if (fail_unfinished(db, &err))
            log_line(LOG_ERROR, 0, NULL, "failing the queued import jobs: %s", err.buf);
        db_close(db);
    }
    free(jobs_db_path);
    jobs_db_path = NULL;
    sb_release(&err);
}

int jobs_submit(struct db *db, const char *login, struct import_job_request *req, int64_t *id,
                struct strbuf *err)
{
    struct db_stmt *st = NULL;
    struct queued_job *job;
    struct strbuf subject = STRBUF_INIT;
    const char *slash = strrchr(req->file_path, '/'), *name = slash ? slash + 1 : req->file_path;
    char now[AUDIT_TIME_SIZE];

    /* The job's row and its audit row, in one transaction. */
    if (db_begin(db, err))
        return -1;
    st = db_prepare(db,
                    "INSERT INTO import_jobs (login, file, state, created, dry_run)"
                    " VALUES (?, ?, 'queued', ?, ?)",
                    err);
    if (!st)
        goto fail;
    audit_time(time(NULL), now);
    db_bind_text(st, 1, login);
    db_bind_text(st, 2, name);
    db_bind_text(st, 3, now);
    db_bind_int64(st, 4, req->dry_run);
    if (db_step(st, err) != DB_DONE)
        goto fail;
    db_finalize(st);
    st = NULL;
    if (db_query_int64(db, "SELECT last_insert_rowid()", 0, id, err))
        goto fail;
    sb_addf(&subject, "import_job:%lld", (long long)*id);
    if (audit_record(db, login, req->dry_run ? "import_check" : "import", subject.buf, name,
                     err) ||
        db_commit(db, err))
        goto fail;
    sb_release(&subject);

    /* The queue takes the request over. */
    job = xcalloc(1, sizeof(*job));
    job->id = *id;
    job->req = *req;
    memset(req, 0, sizeof(*req));
    pthread_mutex_lock(&lock);
    if (queue_tail)
        queue_tail->next = job;
    else
        queue_head = job;
    queue_tail = job;
    pthread_cond_signal(&wake);
    pthread_mutex_unlock(&lock);
    return 0;
fail:
    db_finalize(st);
    db_rollback(db);
    sb_release(&subject);
    return -1;
}
