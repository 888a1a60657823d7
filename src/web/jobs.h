/*
 * Background work of "cairn serve". The import job queue (jobs.c) runs
 * uploaded imports one at a time on its own thread and database
 * connection. The warning scheduler (scheduler.c) runs the logic of
 * "cairn alerts run" daily at the setting alerts.evaluate_at (company
 * time) and after every import job that stored something.
 */
#ifndef CAIRN_WEB_JOBS_H
#define CAIRN_WEB_JOBS_H

#include <stdbool.h>
#include <stdint.h>

#include "import/import.h"
#include "util/strbuf.h"

/* The import that an upload requests. The job owns dir, which holds
 * the uploaded file (and the mapping, when given), and deletes it. */
struct import_job_request {
    char *dir;       /* temporary folder of the upload */
    char *file_path; /* the uploaded file inside dir */
    char *kind;      /* or NULL */
    char *map_path;  /* or NULL */
    struct source_options source;
    enum date_order date_order;
    bool dry_run; /* check and count only, as "cairn import --dry-run" */
};

/* Starts the job thread. Jobs left queued or running by an earlier
 * server are marked failed first. Returns 0, or -1 with a message. */
int jobs_start(const char *db_path, struct strbuf *err);

/* Lets the running job finish, fails the queued ones, stops the thread. */
void jobs_stop(void);

/*
 * Records a queued job of login in db (the caller's connection) and
 * queues it; the queue takes over *job (its strings and folder) on
 * success. Returns 0 with the new id in *id, or -1 with a message.
 */
int jobs_submit(struct db *db, const char *login, struct import_job_request *job, int64_t *id,
                struct strbuf *err);

/* Rows read so far by job id when it is the one running, else -1. */
long jobs_progress(int64_t id);

/* Frees the request's strings and deletes its folder. */
void import_job_request_free(struct import_job_request *job);

/* Starts and stops the scheduler thread. */
int scheduler_start(const char *db_path, struct strbuf *err);
void scheduler_stop(void);

/* Asks the scheduler for a run as soon as possible (after an import). */
void scheduler_request_run(void);

#endif
