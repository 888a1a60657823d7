/*
 * The rejected-rows file of --skip-bad-rows: every rejected row with its
 * source columns as read, then the columns source, line and reason. With
 * files of different headers, the columns are the union of their headers
 * in order of first appearance. The source rows are read again from the
 * files, so the import does not hold every raw row in memory.
 *
 * The file is written to a temporary file in the target's folder before
 * the run commits, and renamed into place after it. So a rejects path that
 * cannot be written stops the run with nothing stored, and the target is
 * never half written. A rejects path that is one of the run's inputs is
 * refused before anything is read, because writing it would destroy the
 * rows that the rejects file copies from it.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "import/run.h"
#include "mapping/mapping.h"
#include "util/csv.h"
#include "util/i18n.h"
#include "util/xalloc.h"

/* The union of the headers of the files with rejected rows. */
static void collect_columns(struct import_run *run, struct strmap *columns, char ***names,
                            size_t *n)
{
    size_t alloc = 0;

    for (size_t i = 0; i < run->nfiles; i++) {
        const struct import_file *f = run->files[i];

        if (!f->rejected)
            continue;
        for (size_t c = 0; c < f->nheaders; c++) {
            int added;

            strmap_put(columns, f->headers[c], strlen(f->headers[c]), (int64_t)*n, &added);
            if (added) {
                XGROW(*names, alloc, *n + 1);
                (*names)[(*n)++] = f->headers[c];
            }
        }
    }
}

/* The reasons of each rejected row of f, joined by "; ". */
static char **reasons_by_row(const struct import_file *f)
{
    char **by_row = xcalloc(f->nrows ? f->nrows : 1, sizeof(*by_row));
    struct strbuf sb = STRBUF_INIT;

    for (size_t i = 0; i < f->nreasons; i++) {
        const struct row_reason *r = &f->reasons[i];

        sb_reset(&sb);
        if (by_row[r->row]) {
            sb_add(&sb, by_row[r->row]);
            sb_add(&sb, "; ");
            free(by_row[r->row]);
        }
        sb_add(&sb, r->message);
        by_row[r->row] = xstrdup(sb.buf);
    }
    sb_release(&sb);
    return by_row;
}

static int write_file_rejects(struct import_run *run, const struct import_file *f, FILE *out,
                              const struct strmap *columns, size_t ncolumns, struct strbuf *err)
{
    struct strbuf line = STRBUF_INIT;
    const char **values = xcalloc(ncolumns, sizeof(*values));
    char **reasons = reasons_by_row(f);
    struct source_record *rec;
    /* The rows are read again: from the file, or from the mapping's SELECT. */
    struct source *src =
        f->target ? NULL : source_open(file_data_path(f), &run->opts->source, err);
    struct mapping_rows *mr = f->target ? mapping_rows_open(f->target, err) : NULL;
    const char *row_source = NULL;
    size_t row = 0;
    int rc = -1;
    char num[32];

    if (!src && !mr)
        goto out;
    if ((mr ? mapping_rows_next(mr, &rec, &row_source, err) : source_next(src, &rec, err)) != 1) {
        if (!err->len)
            sb_addf(err, _("%s has no header row any more: it changed during the import"),
                    f->path);
        goto out;
    }
    while ((mr ? mapping_rows_next(mr, &rec, &row_source, err) : source_next(src, &rec, err)) ==
               1 &&
           row < f->nrows) {
        if (f->states[row] & ROW_REJECTED) {
            for (size_t c = 0; c < ncolumns; c++)
                values[c] = "";
            for (size_t c = 0; c < rec->nfields && c < f->nheaders; c++)
                values[*strmap_find(columns, f->headers[c], strlen(f->headers[c]))] =
                    rec->fields[c];
            sb_reset(&line);
            for (size_t c = 0; c < ncolumns; c++) {
                csv_write_field(&line, values[c], ',');
                sb_addch(&line, ',');
            }
            snprintf(num, sizeof(num), "%ld", f->lines[row]);
            csv_write_field(&line,
                            row_source ? row_source : f->source ? f->source : f->path, ',');
            sb_addf(&line, ",%s,", num);
            csv_write_field(&line, reasons[row] ? reasons[row] : "", ',');
            sb_addch(&line, '\n');
            fwrite(line.buf, 1, line.len, out);
        }
        row++;
    }
    rc = 0;
out:
    source_close(src);
    mapping_rows_close(mr);
    for (size_t i = 0; i < f->nrows; i++)
        free(reasons[i]);
    free(reasons);
    free(values);
    sb_release(&line);
    return rc;
}

/* Writes the header and the rejected rows of every file to out. */
static int write_all_rejects(struct import_run *run, FILE *out, struct strbuf *err)
{
    struct strmap columns = STRMAP_INIT;
    struct strbuf line = STRBUF_INIT;
    char **names = NULL;
    size_t n = 0;
    int rc = -1;

    collect_columns(run, &columns, &names, &n);
    for (size_t c = 0; c < n; c++) {
        csv_write_field(&line, names[c], ',');
        sb_addch(&line, ',');
    }
    sb_add(&line, "source,line,reason\n");
    fwrite(line.buf, 1, line.len, out);

    for (size_t i = 0; i < run->nfiles; i++)
        if (run->files[i]->rejected &&
            write_file_rejects(run, run->files[i], out, &columns, n, err))
            goto out;
    rc = 0;
out:
    strmap_release(&columns);
    free(names);
    sb_release(&line);
    return rc;
}

/* The folder part of path ("." when it has none). */
static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');

    if (!slash)
        return xstrdup(".");
    if (slash == path)
        return xstrdup("/");
    return xstrndup(path, (size_t)(slash - path));
}

int rejects_prepare(struct import_run *run, const char *path, char **temp_path,
                    struct strbuf *err)
{
    struct strbuf temp = STRBUF_INIT, why = STRBUF_INIT;
    char *folder = folder_of(path);
    struct stat st;
    FILE *out = NULL;
    int fd, rc = -1;

    *temp_path = NULL;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        sb_addf(err, _("cannot write the rejected rows to %s: it is a folder; give a file name with --rejects, for example %s/rejected.csv"),
                path, path);
        goto out;
    }

    /* A temporary file beside the target, so the rename cannot cross
     * file systems. */
    sb_addf(&temp, "%s/.cairn-rejects-XXXXXX", folder);
    fd = mkstemp(temp.buf);
    if (fd < 0 || !(out = fdopen(fd, "wb"))) {
        sb_addf(err, _("cannot write the rejected rows to %s: %s; choose a writable path with --rejects"),
                path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(temp.buf);
        }
        goto out;
    }
    if (write_all_rejects(run, out, &why)) {
        sb_addf(err, _("cannot write the rejected rows to %s: %s"), path, why.buf);
        fclose(out);
        unlink(temp.buf);
        goto out;
    }
    if (ferror(out) | fclose(out)) {
        sb_addf(err, _("cannot write the rejected rows to %s: %s; choose a writable path with --rejects"),
                path, strerror(errno));
        unlink(temp.buf);
        goto out;
    }
    *temp_path = sb_detach(&temp);
    rc = 0;
out:
    free(folder);
    sb_release(&temp);
    sb_release(&why);
    return rc;
}

int rejects_publish(const char *temp_path, const char *path, struct strbuf *err)
{
    if (rename(temp_path, path) == 0)
        return 0;
    sb_addf(err, _("cannot move the rejected rows from %s to %s: %s"), temp_path, path,
            strerror(errno));
    return -1;
}

/* Whether a and b are the same file: the same device and inode. */
static bool same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* Whether the real paths of a and b are equal. For a that does not exist
 * yet, its folder is resolved and its name appended. False when either
 * cannot be resolved. */
static bool same_real_path(const char *a, const char *b)
{
    char ra[PATH_MAX], rb[PATH_MAX], folder[PATH_MAX];
    const char *name = strrchr(a, '/');
    char *dir;
    bool resolved;

    if (!realpath(b, rb))
        return false;
    if (realpath(a, ra))
        return !strcmp(ra, rb);
    dir = folder_of(a);
    resolved = realpath(dir, folder) != NULL;
    free(dir);
    if (!resolved)
        return false;
    name = name ? name + 1 : a;
    return strlen(folder) + 1 + strlen(name) < sizeof(ra) &&
           snprintf(ra, sizeof(ra), "%s/%s", folder, name) > 0 && !strcmp(ra, rb);
}

/* Whether the rejects file is input (a file) or one of the files of
 * input (a folder); *which receives the input file's path. */
static bool rejects_is_input(const char *rejects, const struct stat *rst, bool rexists,
                             const char *input, struct strbuf *which)
{
    struct strbuf path = STRBUF_INIT;
    struct stat st;
    struct dirent *d;
    bool found = false;
    DIR *dp;

    if (stat(input, &st) != 0)
        return false;
    if (!S_ISDIR(st.st_mode)) {
        if ((rexists && same_file(rst, &st)) || same_real_path(rejects, input)) {
            sb_setf(which, "%s", input);
            return true;
        }
        return false;
    }
    dp = opendir(input);
    if (!dp)
        return false;
    while (!found && (d = readdir(dp))) {
        if (d->d_name[0] == '.')
            continue;
        sb_setf(&path, "%s%s%s", input, input[strlen(input) - 1] == '/' ? "" : "/", d->d_name);
        if (stat(path.buf, &st) != 0 || S_ISDIR(st.st_mode))
            continue;
        if ((rexists && same_file(rst, &st)) || same_real_path(rejects, path.buf)) {
            sb_setf(which, "%s", path.buf);
            found = true;
        }
    }
    closedir(dp);
    sb_release(&path);
    return found;
}

int rejects_check_path(const char *rejects, const char *const *paths, size_t npaths,
                       struct strbuf *err)
{
    struct strbuf which = STRBUF_INIT;
    struct stat rst, lst;
    bool rexists = stat(rejects, &rst) == 0;
    int rc = 0;

    /* The file is written beside the path and renamed over it, which
     * would replace a device, a pipe or a symbolic link by a file. */
    if (lstat(rejects, &lst) == 0 && !S_ISREG(lst.st_mode) && !S_ISDIR(lst.st_mode)) {
        sb_addf(err, _("the rejected-rows path %s is a device, pipe or symbolic link, which writing the file would replace: give the path of a new or existing regular file with --rejects"),
                rejects);
        return -1;
    }
    for (size_t i = 0; i < npaths && !rc; i++) {
        if (rejects_is_input(rejects, &rst, rexists, paths[i], &which)) {
            sb_addf(err, _("the rejected-rows file %s is the input file %s, and writing it would destroy the data: choose another path with --rejects"),
                    rejects, which.buf);
            rc = -1;
        }
    }
    sb_release(&which);
    return rc;
}
