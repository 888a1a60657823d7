/*
 * The response cache of the web server: whole JSON bodies of read-only API
 * responses (the key results), kept per key in memory and shared by every
 * worker thread. A key must contain everything the response depends on:
 * the caller's role and account scope, the requested scope, the period,
 * the as-of date and the other query arguments. Every entry also stores
 * the data generation (meta 'data_generation', raised by a trigger on
 * every import, undo and settings change) it was computed at, and an
 * entry of an older generation is never returned.
 */
#ifndef CAIRN_WEB_CACHE_H
#define CAIRN_WEB_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "util/strbuf.h"

/* Bounds of the cache: the least recently used entries are dropped when
 * either is exceeded. */
#define CACHE_MAX_ENTRIES 4096
#define CACHE_MAX_BYTES (64u * 1024 * 1024)

/* Reads the data generation of db into *out. Returns 0, or -1 with a
 * message in err. */
int cache_generation(struct db *db, int64_t *out, struct strbuf *err);

/* Appends the cached body of key at generation to body and returns 1,
 * or returns 0 when there is none. */
int cache_get(const char *key, int64_t generation, struct strbuf *body);

/* Stores a copy of body under key for generation, replacing an older
 * entry. Bodies larger than a sixteenth of CACHE_MAX_BYTES are not kept. */
void cache_put(const char *key, int64_t generation, const char *body, size_t len);

/* Drops every entry (at server stop, and in tests). */
void cache_clear(void);

/* Entries and bytes held now, for the log. */
void cache_stats(size_t *entries, size_t *bytes);

#endif
