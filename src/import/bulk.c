/*
 * Bulk loads into empty tables. Every row is new there, because the
 * table is empty and the run's keys are unique, so rows are inserted
 * without looking for a stored row, BULK_ROWS rows per statement.
 *
 * The pipeline overlaps the two halves of a large load: the main thread
 * reads and checks the file while a writer thread inserts the accepted
 * rows. The reader copies rows into chunks and queues them, so the
 * writer never reads the file's arrays while the reader grows them. A
 * row rejected after it was queued (the first of two rows with the same
 * key, or a missing reference found at the end of the run) is deleted
 * again by pipeline_finish_table. Without --skip-bad-rows any rejected
 * row fails the run, which rolls everything back.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "import/batches.h"
#include "import/bulk.h"
#include "util/i18n.h"
#include "util/xalloc.h"

/* Rows per INSERT statement. */
#define BULK_ROWS 64
/* Rows per chunk: a multiple of BULK_ROWS. */
#define CHUNK_ROWS 4096
/* Chunks queued before the reader waits for the writer. */
#define MAX_QUEUED 16

long bulk_large_load_bytes = 32L << 20;
long bulk_pipeline_min_bytes = 16L << 20;

/* Rows copied out of a file: cells as in import_file, text offsets into
 * the chunk's own text. */
struct chunk {
    size_t n;
    int64_t *cells;
    struct strbuf text;
    struct chunk *next;
};

/* The INSERT statements of one table and batch. */
struct inserter {
    const struct table_layout *t;
    long long batch;
    struct db_stmt *bulk, *single;
};

struct pipeline {
    struct import_file *f;
    struct inserter ins;
    struct strbuf indexes;      /* CREATE statements of the dropped indexes */
    unsigned char *queued;      /* per row of f: handed to the writer */
    size_t queued_alloc;
    struct chunk *filling;      /* the reader's chunk */

    pthread_t thread;
    bool running;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    struct chunk *head, *tail;  /* the queue, under lock */
    size_t nqueued;
    bool closed;                /* no more chunks will come */
    bool failed;                /* the writer stopped on an error */
    struct strbuf error;        /* the writer's error */
    long inserted;              /* rows the writer inserted */
    struct db *db;
};

int table_is_empty(struct db *db, const struct import_file *f, bool *empty, struct strbuf *err)
{
    struct strbuf sql = STRBUF_INIT;
    int64_t any = 1;
    int rc;

    sb_addf(&sql, "SELECT EXISTS (SELECT 1 FROM %s)", f->entity->name);
    rc = db_query_int64(db, sql.buf, 1, &any, err);
    sb_release(&sql);
    *empty = !any;
    return rc;
}

int drop_indexes(struct db *db, const struct import_file *f, struct strbuf *saved,
                 struct strbuf *err)
{
    struct strbuf names = STRBUF_INIT;
    struct db_stmt *st = NULL;
    int step, rc = -1;

    if (!db_sqlite(db))
        return 0;
    /* NOTE: sqlite_master is SQLite's catalogue; other engines keep their
     * indexes during a load. */
    st = db_prepare(db, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", err);
    if (!st)
        goto out;
    db_bind_text(st, 1, f->entity->name);
    while ((step = db_step(st, err)) == DB_ROW) {
        sb_addf(saved, "%s;\n", db_column_text(st, 1));
        sb_addf(&names, "DROP INDEX %s;\n", db_column_text(st, 0));
    }
    if (step == DB_ERROR)
        goto out;
    rc = names.len ? db_exec(db, names.buf, err) : 0;
out:
    db_finalize(st);
    sb_release(&names);
    return rc;
}

/* Prepares "INSERT ... VALUES (?, ...)" for one row and for BULK_ROWS. */
static int inserter_open(struct inserter *ins, struct db *db, const struct table_layout *t,
                         long long batch, struct strbuf *err)
{
    struct strbuf sql = STRBUF_INIT, one = STRBUF_INIT, values = STRBUF_INIT;

    memset(ins, 0, sizeof(*ins));
    ins->t = t;
    ins->batch = batch;
    sb_addf(&sql, "INSERT INTO %s (", t->entity->name);
    table_add_columns(&sql, t);
    sb_add(&sql, ", batch_id) VALUES ");
    sb_add(&values, "(?");
    for (size_t c = 0; c < t->ncols; c++)
        sb_add(&values, ", ?");
    sb_add(&values, ")");
    sb_addf(&one, "%s%s", sql.buf, values.buf);
    for (size_t r = 0; r < BULK_ROWS; r++)
        sb_addf(&sql, "%s%s", r ? ", " : "", values.buf);
    ins->bulk = db_prepare(db, sql.buf, err);
    ins->single = ins->bulk ? db_prepare(db, one.buf, err) : NULL;
    sb_release(&sql);
    sb_release(&one);
    sb_release(&values);
    if (ins->single)
        return 0;
    db_finalize(ins->bulk);
    ins->bulk = NULL;
    return -1;
}

static void inserter_close(struct inserter *ins)
{
    db_finalize(ins->bulk);
    db_finalize(ins->single);
    ins->bulk = ins->single = NULL;
}

/* Binds row i of c and the batch to parameters first onwards. Texts are
 * bound without a copy: the chunk outlives the statement's step. */
static void bind_chunk_row(struct db_stmt *st, const struct inserter *ins, const struct chunk *c,
                           size_t i, int first)
{
    size_t ncols = ins->t->ncols;
    const int64_t *cells = c->cells + i * ncols;

    for (size_t col = 0; col < ncols; col++) {
        int idx = first + (int)col;

        if (ins->t->cols[col].integer) {
            if (cells[col] == CELL_INT_NULL)
                db_bind_null(st, idx);
            else
                db_bind_int64(st, idx, cells[col]);
        } else {
            db_bind_text_static(st, idx, cells[col] ? c->text.buf + cells[col] : NULL);
        }
    }
    db_bind_int64(st, first + (int)ncols, ins->batch);
}

/* Inserts every row of c: full groups through the bulk statement, the
 * rest row by row. */
static int insert_chunk(struct inserter *ins, const struct chunk *c, struct strbuf *err)
{
    size_t i = 0, ncols = ins->t->ncols;

    for (; i + BULK_ROWS <= c->n; i += BULK_ROWS) {
        for (size_t k = 0; k < BULK_ROWS; k++)
            bind_chunk_row(ins->bulk, ins, c, i + k, (int)(k * (ncols + 1)) + 1);
        if (db_step(ins->bulk, err) == DB_ERROR)
            return -1;
        db_reset(ins->bulk);
    }
    for (; i < c->n; i++) {
        bind_chunk_row(ins->single, ins, c, i, 1);
        if (db_step(ins->single, err) == DB_ERROR)
            return -1;
        db_reset(ins->single);
    }
    return 0;
}

static struct chunk *chunk_new(size_t ncols)
{
    struct chunk *c = xcalloc(1, sizeof(*c));

    c->cells = xmalloc(CHUNK_ROWS * ncols * sizeof(*c->cells));
    sb_init(&c->text);
    sb_addch(&c->text, '\0'); /* offset 0 means NULL */
    return c;
}

static void chunk_free(struct chunk *c)
{
    if (!c)
        return;
    free(c->cells);
    sb_release(&c->text);
    free(c);
}

/* Copies row `row` of f into c. */
static void chunk_add(struct chunk *c, const struct import_file *f, size_t row)
{
    size_t ncols = f->layout.ncols;
    const int64_t *from = row_cells(f, row);
    int64_t *to = c->cells + c->n * ncols;

    for (size_t col = 0; col < ncols; col++) {
        const char *s;

        if (f->layout.cols[col].integer || !from[col]) {
            to[col] = from[col];
            continue;
        }
        s = f->text.buf + from[col];
        to[col] = (int64_t)c->text.len;
        sb_addn(&c->text, s, strlen(s) + 1);
    }
    c->n++;
}

int insert_all(struct import_run *run, struct import_file *f, struct strbuf *err)
{
    struct inserter ins;
    struct chunk *c;
    int rc = 0;

    if (inserter_open(&ins, run->db, &f->layout, run->batch, err))
        return -1;
    c = chunk_new(f->layout.ncols);
    for (size_t row = 0; row < f->nrows && !rc; row++) {
        if (f->states[row] & ROW_REJECTED)
            continue;
        chunk_add(c, f, row);
        if (c->n < CHUNK_ROWS)
            continue;
        rc = insert_chunk(&ins, c, err);
        f->inserted += (long)c->n;
        c->n = 0;
        sb_truncate(&c->text, 1);
    }
    if (!rc && c->n) {
        rc = insert_chunk(&ins, c, err);
        f->inserted += (long)c->n;
    }
    chunk_free(c);
    inserter_close(&ins);
    return rc;
}

/* The writer thread: inserts queued chunks until the queue is closed and
 * empty, or until an insert fails. */
static void *write_chunks(void *arg)
{
    struct pipeline *p = arg;

    for (;;) {
        struct chunk *c;

        pthread_mutex_lock(&p->lock);
        while (!p->head && !p->closed)
            pthread_cond_wait(&p->changed, &p->lock);
        c = p->head;
        if (c) {
            p->head = c->next;
            if (!p->head)
                p->tail = NULL;
            p->nqueued--;
            pthread_cond_broadcast(&p->changed);
        }
        pthread_mutex_unlock(&p->lock);
        if (!c)
            return NULL;

        if (!p->failed) {
            struct strbuf err = STRBUF_INIT;

            if (insert_chunk(&p->ins, c, &err)) {
                pthread_mutex_lock(&p->lock);
                p->failed = true;
                sb_add(&p->error, err.buf);
                pthread_mutex_unlock(&p->lock);
            } else {
                p->inserted += (long)c->n;
            }
            sb_release(&err);
        }
        chunk_free(c);
    }
}

/* Queues the reader's chunk, waiting while the queue is full. */
static void queue_chunk(struct pipeline *p)
{
    struct chunk *c = p->filling;

    p->filling = NULL;
    if (!c || !c->n) {
        chunk_free(c);
        return;
    }
    pthread_mutex_lock(&p->lock);
    while (p->nqueued >= MAX_QUEUED && !p->failed)
        pthread_cond_wait(&p->changed, &p->lock);
    if (p->tail)
        p->tail->next = c;
    else
        p->head = c;
    p->tail = c;
    p->nqueued++;
    pthread_cond_broadcast(&p->changed);
    pthread_mutex_unlock(&p->lock);
}

/* Whether f may be loaded through the pipeline: a large canonical file
 * whose rows are stored as read. Unit paths in org_units, employees,
 * assignments and customers are resolved after reading, so files that
 * name units do not qualify. */
static bool pipeline_suits(const struct import_run *run, const struct import_file *f)
{
    struct stat st;

    if (!run->pipeline_allowed || run->pipeline || !f->entity || f->target || f->failed)
        return false;
    for (size_t i = 0; i < f->entity->nfields; i++)
        if (f->entity->fields[i].refers_to && !strcmp(f->entity->fields[i].refers_to, "org_units"))
            return false;
    if (!strcmp(f->entity->name, "org_units"))
        return false;
    return !stat(file_data_path(f), &st) && st.st_size >= bulk_pipeline_min_bytes;
}

int pipeline_begin(struct import_run *run, struct import_file *f, struct strbuf *err)
{
    struct pipeline *p;
    bool empty;

    if (!pipeline_suits(run, f))
        return 0;
    if (table_is_empty(run->db, f, &empty, err))
        return -1;
    if (!empty)
        return 0;
    if (!run->batch && batch_create(run->db, &run->batch, err))
        return -1;

    p = xcalloc(1, sizeof(*p));
    p->f = f;
    p->db = run->db;
    sb_init(&p->indexes);
    sb_init(&p->error);
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->changed, NULL);
    run->pipeline = p;
    if (drop_indexes(run->db, f, &p->indexes, err) ||
        inserter_open(&p->ins, run->db, &f->layout, run->batch, err))
        return -1;
    if (pthread_create(&p->thread, NULL, write_chunks, p)) {
        sb_add(err, _("cannot start a thread for the import"));
        return -1;
    }
    p->running = true;
    return 0;
}

void pipeline_row(struct import_run *run, struct import_file *f, size_t row)
{
    struct pipeline *p = run->pipeline;

    if (!p || p->f != f || !p->running)
        return;
    XGROW(p->queued, p->queued_alloc, row + 1);
    p->queued[row] = !(f->states[row] & ROW_REJECTED);
    if (!p->queued[row])
        return;
    if (!p->filling)
        p->filling = chunk_new(f->layout.ncols);
    chunk_add(p->filling, f, row);
    if (p->filling->n == CHUNK_ROWS)
        queue_chunk(p);
}

/* Closes the queue and waits for the writer. */
static void stop_writer(struct pipeline *p)
{
    if (!p->running)
        return;
    pthread_mutex_lock(&p->lock);
    p->closed = true;
    pthread_cond_broadcast(&p->changed);
    pthread_mutex_unlock(&p->lock);
    pthread_join(p->thread, NULL);
    p->running = false;
}

int pipeline_end(struct import_run *run, struct strbuf *err)
{
    struct pipeline *p = run->pipeline;

    if (!p || !p->running)
        return 0;
    queue_chunk(p);
    stop_writer(p);
    inserter_close(&p->ins);
    p->f->inserted = p->inserted;
    if (p->failed) {
        sb_add(err, p->error.buf);
        return -1;
    }
    return 0;
}

bool pipeline_wrote(const struct import_run *run, const struct import_file *f)
{
    return run->pipeline && run->pipeline->f == f;
}

int pipeline_finish_table(struct import_run *run, struct import_file *f, struct strbuf *err)
{
    struct pipeline *p = run->pipeline;
    struct strbuf sql = STRBUF_INIT;
    struct db_stmt *del;
    int rc = 0;

    /* The rows rejected after they were queued. */
    sb_addf(&sql, "DELETE FROM %s WHERE ", f->entity->name);
    table_add_key_match(&sql, &f->layout);
    del = db_prepare(run->db, sql.buf, err);
    sb_release(&sql);
    if (!del)
        return -1;
    for (size_t row = 0; row < f->nrows && !rc; row++) {
        if (row >= p->queued_alloc || !p->queued[row] || !(f->states[row] & ROW_REJECTED))
            continue;
        for (size_t k = 0; k < f->layout.nkeys; k++)
            db_bind_text(del, (int)k + 1, cell_text(f, row, f->layout.keys[k]));
        rc = db_step(del, err) == DB_ERROR ? -1 : 0;
        db_reset(del);
        f->inserted--;
    }
    db_finalize(del);
    if (!rc && p->indexes.len)
        rc = db_exec(run->db, p->indexes.buf, err);
    return rc;
}

void pipeline_free(struct import_run *run)
{
    struct pipeline *p = run->pipeline;

    if (!p)
        return;
    stop_writer(p);
    inserter_close(&p->ins);
    chunk_free(p->filling);
    while (p->head) {
        struct chunk *c = p->head;

        p->head = c->next;
        chunk_free(c);
    }
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->changed);
    sb_release(&p->indexes);
    sb_release(&p->error);
    free(p->queued);
    free(p);
    run->pipeline = NULL;
}
