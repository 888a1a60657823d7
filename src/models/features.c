/*
 * Turns a flat table into a classification data set: the label column
 * into 0/1, an optional fold column into fold indices, and every other
 * column into features. A column is numeric when each non-empty cell is
 * a number; its blanks become NAN (missing). Any other column is
 * categorical and one-hot encoded, one feature per distinct value (a
 * blank being a value of its own). Constant columns and non-numeric
 * columns with a distinct value in every row (identifiers) carry nothing
 * a model can learn from, so they are dropped and reported.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/models.h"
#include "readers/values.h"
#include "util/i18n.h"
#include "util/xalloc.h"

bool cell_parse_number(const char *cell, double *out)
{
    struct strbuf sb;
    char *end;
    bool ok;

    if (!*cell)
        return false;
    sb_init(&sb);
    ok = value_parse_number(cell, true, &sb) == VALUE_OK;
    if (ok) {
        *out = strtod(sb_str(&sb), &end);
        ok = *end == '\0' && isfinite(*out);
    }
    sb_release(&sb);
    return ok;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorts the strings and removes repeats in place; returns how many remain. */
static size_t sort_unique(const char **v, size_t n)
{
    size_t m = 0;

    qsort(v, n, sizeof(*v), compare_strings);
    for (size_t i = 0; i < n; i++)
        if (m == 0 || strcmp(v[m - 1], v[i]) != 0)
            v[m++] = v[i];
    return m;
}

static long find_column(const struct flat_table *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->names[i], name) == 0)
            return (long)i;
    return -1;
}

/* Writes to err that the column name given to option is not in the header
 * of source, and lists the columns it has. */
static void missing_column(const struct flat_table *t, const char *source, const char *option,
                           const char *name, struct strbuf *err)
{
    sb_addf(err, _("%s has no column %s (given to %s); its columns are: "), source, name, option);
    for (size_t i = 0; i < t->ncols; i++)
        sb_addf(err, "%s%s", i ? ", " : "", t->names[i]);
}

static const char *cell(const struct flat_table *t, size_t row, size_t col)
{
    return t->cells[row * t->ncols + col];
}

/* Sets d->y from the label column for the rows kept in rows[0..n). */
static int encode_label(const struct flat_table *t, size_t col, const char *positive,
                        const size_t *rows, struct dataset *d, struct strbuf *err)
{
    size_t npos = 0;

    for (size_t i = 0; i < d->n; i++) {
        const char *v = cell(t, rows[i], col);
        double num;

        if (positive) {
            d->y[i] = strcmp(v, positive) == 0;
        } else if (cell_parse_number(v, &num) && (num == 0.0 || num == 1.0)) {
            d->y[i] = num == 1.0;
        } else {
            sb_addf(err, _("the label column %s has the value \"%s\", not 0 or 1; "
                           "name the positive class with --positive"), t->names[col], v);
            return DATASET_USAGE;
        }
        npos += (size_t)d->y[i];
    }
    if (positive && npos == 0) {
        sb_addf(err, _("the positive class \"%s\" does not occur in the label column %s"),
                positive, t->names[col]);
        return DATASET_FAILED;
    }
    if (npos == 0 || npos == d->n) {
        sb_addf(err, _("the label column %s has only one class; both are needed"),
                t->names[col]);
        return DATASET_FAILED;
    }
    return DATASET_OK;
}

/* Numbers the distinct values of the fold column: numerically when they
 * are all numbers, else in byte order. */
static int encode_folds(const struct flat_table *t, size_t col, const size_t *rows,
                        struct dataset *d, struct strbuf *err)
{
    const char **values = xcalloc(d->n, sizeof(char *));
    double *num = xcalloc(d->n, sizeof(double));
    bool numeric = true;
    size_t nvalues;
    int rc = DATASET_FAILED;

    for (size_t i = 0; i < d->n; i++) {
        values[i] = cell(t, rows[i], col);
        if (!*values[i]) {
            sb_addf(err, _("the fold column %s is blank in data row %zu"), t->names[col],
                    rows[i] + 1);
            goto out;
        }
        numeric = numeric && cell_parse_number(values[i], &num[i]);
    }
    nvalues = sort_unique(values, d->n);
    if (numeric) {
        /* Ranks of the distinct numbers: "1" and "1.0" are one fold. */
        double *distinct = xcalloc(nvalues, sizeof(double));
        size_t m = 0;

        for (size_t v = 0; v < nvalues; v++)
            cell_parse_number(values[v], &distinct[v]);
        qsort(distinct, nvalues, sizeof(double), compare_doubles);
        for (size_t v = 0; v < nvalues; v++)
            if (m == 0 || distinct[m - 1] != distinct[v])
                distinct[m++] = distinct[v];
        for (size_t i = 0; i < d->n; i++) {
            int rank = 0;

            while ((size_t)rank < m && distinct[rank] < num[i])
                rank++;
            d->fold[i] = rank;
        }
        nvalues = m;
        free(distinct);
    } else {
        for (size_t i = 0; i < d->n; i++) {
            const char *v = cell(t, rows[i], col);
            const char **hit = bsearch(&v, values, nvalues, sizeof(*values), compare_strings);

            d->fold[i] = (int)(hit - values);
        }
    }
    if (nvalues < 2) {
        sb_addf(err, _("the fold column %s has a single value; at least two folds are needed"),
                t->names[col]);
        goto out;
    }
    d->nfolds = (int)nvalues;
    rc = DATASET_OK;

out:
    free(values);
    free(num);
    return rc;
}

static void add_feature(struct dataset *d, size_t *alloc, char *name)
{
    XGROW(d->feature_names, *alloc, d->p + 1);
    d->feature_names[d->p++] = name;
}

static void add_dropped(struct dataset *d, const char *name, enum drop_reason reason)
{
    d->dropped = xrealloc(d->dropped, (d->ndropped + 1) * sizeof(*d->dropped));
    d->dropped[d->ndropped].name = name;
    d->dropped[d->ndropped].reason = reason;
    d->ndropped++;
}

/*
 * Decides how column col becomes features and appends them to the
 * column-major buffer *cols (n values per feature).
 */
static void encode_column(const struct flat_table *t, size_t col, const size_t *rows,
                          struct dataset *d, double **cols, size_t *names_alloc)
{
    const char **values = xcalloc(d->n, sizeof(char *));
    double *num = xcalloc(d->n, sizeof(double));
    bool numeric = true, any = false;
    size_t ndistinct;

    for (size_t i = 0; i < d->n; i++) {
        values[i] = cell(t, rows[i], col);
        if (!*values[i]) {
            num[i] = NAN;
            continue;
        }
        any = true;
        numeric = numeric && cell_parse_number(values[i], &num[i]);
    }
    numeric = numeric && any;
    ndistinct = sort_unique(values, d->n);

    if (ndistinct < 2) {
        add_dropped(d, t->names[col], DROP_CONSTANT);
    } else if (numeric) {
        *cols = xrealloc(*cols, (d->p + 1) * d->n * sizeof(double));
        memcpy(*cols + d->p * d->n, num, d->n * sizeof(double));
        add_feature(d, names_alloc, xstrdup(t->names[col]));
    } else if (ndistinct == d->n) {
        add_dropped(d, t->names[col], DROP_IDENTIFIER);
    } else {
        /* One-hot: one 0/1 feature per distinct value, in byte order. */
        *cols = xrealloc(*cols, (d->p + ndistinct) * d->n * sizeof(double));
        for (size_t v = 0; v < ndistinct; v++) {
            double *dst = *cols + (d->p) * d->n;
            struct strbuf name;

            for (size_t i = 0; i < d->n; i++)
                dst[i] = strcmp(cell(t, rows[i], col), values[v]) == 0;
            sb_init(&name);
            sb_addf(&name, "%s=%s", t->names[col], values[v]);
            add_feature(d, names_alloc, sb_detach(&name));
        }
    }
    free(values);
    free(num);
}

int dataset_encode(const struct flat_table *t, const struct dataset_options *opts,
                   struct dataset *d, struct strbuf *err)
{
    long label_col, fold_col = -1;
    bool *skip = xcalloc(t->ncols ? t->ncols : 1, sizeof(bool));
    size_t *rows = xcalloc(t->nrows ? t->nrows : 1, sizeof(size_t));
    double *cols = NULL;
    size_t names_alloc = 0;
    int rc = DATASET_FAILED;

    memset(d, 0, sizeof(*d));

    /* Checks: every named column exists. A missing one is an input error
     * of the file, like a missing field in an import. */
    label_col = find_column(t, opts->label);
    if (label_col < 0) {
        missing_column(t, opts->source, "--label", opts->label, err);
        goto out;
    }
    skip[label_col] = true;
    if (opts->fold_column) {
        fold_col = find_column(t, opts->fold_column);
        if (fold_col < 0) {
            missing_column(t, opts->source, "--fold-column", opts->fold_column, err);
            goto out;
        }
        skip[fold_col] = true;
    }
    for (char **name = opts->drop; name && *name; name++) {
        long c = find_column(t, *name);

        if (c < 0) {
            missing_column(t, opts->source, "--drop", *name, err);
            goto out;
        }
        if (!skip[c])
            add_dropped(d, t->names[c], DROP_REQUESTED);
        skip[c] = true;
    }

    /* The rows: those with a label. */
    for (size_t r = 0; r < t->nrows; r++) {
        if (*cell(t, r, (size_t)label_col))
            rows[d->n++] = r;
        else
            d->rows_without_label++;
    }
    if (d->n < 2) {
        sb_addf(err, _("the table has %zu rows with a label; at least two are needed"), d->n);
        rc = DATASET_FAILED;
        goto out;
    }
    d->y = xcalloc(d->n, sizeof(int));
    rc = encode_label(t, (size_t)label_col, opts->positive, rows, d, err);
    if (rc != DATASET_OK)
        goto out;
    if (fold_col >= 0) {
        d->fold = xcalloc(d->n, sizeof(int));
        rc = encode_folds(t, (size_t)fold_col, rows, d, err);
        if (rc != DATASET_OK)
            goto out;
    }

    /* The features, collected column by column, then laid out by row. */
    for (size_t c = 0; c < t->ncols; c++)
        if (!skip[c])
            encode_column(t, c, rows, d, &cols, &names_alloc);
    if (d->p == 0) {
        sb_add(err, _("no column is left to learn from"));
        rc = DATASET_FAILED;
        goto out;
    }
    d->x = xcalloc(d->n * d->p, sizeof(double));
    for (size_t j = 0; j < d->p; j++)
        for (size_t i = 0; i < d->n; i++)
            d->x[i * d->p + j] = cols[j * d->n + i];
    rc = DATASET_OK;

out:
    free(skip);
    free(rows);
    free(cols);
    if (rc != DATASET_OK)
        dataset_free(d);
    return rc;
}

void dataset_free(struct dataset *d)
{
    for (size_t j = 0; j < d->p; j++)
        free(d->feature_names[j]);
    free(d->feature_names);
    free(d->x);
    free(d->y);
    free(d->fold);
    free(d->dropped);
    memset(d, 0, sizeof(*d));
}
