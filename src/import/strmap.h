/*
 * A hash map from strings to 64-bit values, for the key sets of an import
 * run (duplicate keys, reference targets, units). Keys are copied into
 * the map's own storage; entries are never removed (callers keep a count
 * or flag in the value instead).
 */
#ifndef CAIRN_IMPORT_STRMAP_H
#define CAIRN_IMPORT_STRMAP_H

#include <stddef.h>
#include <stdint.h>

#include "util/strbuf.h"

struct strmap_entry {
    uint64_t hash;
    size_t key;    /* offset of the key in keys; 0 for an empty slot */
    int64_t value;
};

struct strmap {
    struct strmap_entry *slots;
    size_t nslots, count;
    struct strbuf keys; /* the keys, each NUL-terminated, after one NUL */
};

#define STRMAP_INIT {NULL, 0, 0, STRBUF_INIT}

void strmap_release(struct strmap *map);

/* Makes room for count keys without rehashing: a caller that can
 * estimate the number of keys saves the rehashes of a growing map, which
 * move every entry to a random place again. */
void strmap_reserve(struct strmap *map, size_t count);

/* The value stored for key, or NULL. The pointer stays valid until the
 * next insertion. */
int64_t *strmap_find(const struct strmap *map, const char *key, size_t len);

/* The value for key, inserted with value initial when missing; *added
 * (may be NULL) tells which. Valid until the next insertion. */
int64_t *strmap_put(struct strmap *map, const char *key, size_t len, int64_t initial,
                    int *added);

#endif
