/*
 * Allocation wrappers that abort with a message when memory runs out.
 * Cairn treats exhausted memory as fatal: no caller can recover from it
 * usefully, and checking every small allocation hides real error paths.
 */
#ifndef CAIRN_XALLOC_H
#define CAIRN_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Grows *array (of *alloc elements of elem_size) to hold at least need. */
void xgrow(void **array, size_t *alloc, size_t need, size_t elem_size);
/* The inline check skips the call when *array is already large enough.
 * It evaluates alloc and need twice, so neither may have side effects. */
#define XGROW(array, alloc, need)                                                                 \
    ((size_t)(need) <= (alloc) ? (void)0                                                          \
                               : xgrow((void **)&(array), &(alloc), (need), sizeof(*(array))))

/* Reports a broken internal invariant and aborts; never for bad input. */
#define BUG(...) bug_at(__FILE__, __LINE__, __VA_ARGS__)
_Noreturn void bug_at(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#include "util/banned.h"
#endif
