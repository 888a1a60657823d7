/*
 * The progress bar of "cairn import" on a terminal: rows read, rows per
 * second and, when the input's size is known, the share done and the
 * time left, redrawn on one stderr line.
 */
#ifndef CAIRN_IMPORT_PROGRESS_H
#define CAIRN_IMPORT_PROGRESS_H

#include <stddef.h>

struct import_progress {
    double start, last_draw;
    long expected; /* estimated data rows of the input; 0 when unknown */
    int drawn;
};

/* Estimates the rows of the regular files among paths by counting their
 * line ends (folders and workbooks count as unknown). */
void import_progress_init(struct import_progress *p, const char *const *paths, size_t npaths);
/* The callback of import_options.progress; ctx is the import_progress. */
void import_progress_draw(void *ctx, long rows);
/* Clears the bar's line if one was drawn. */
void import_progress_end(struct import_progress *p);

#endif
