/*
 * The response cache (cache.h): a hash table with chaining and a doubly
 * linked list in order of use, behind one mutex. Lookups copy the body
 * out under the lock, so an entry can be dropped by another thread at
 * any time after the lookup returns.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "web/cache.h"

#define BUCKETS 8192 /* a power of two, twice CACHE_MAX_ENTRIES */

struct entry {
    struct entry *chain;      /* next entry of the same bucket */
    struct entry *newer, *older; /* the use list */
    uint64_t hash;
    int64_t generation;
    char *key;
    char *body;
    size_t len;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct entry *buckets[BUCKETS];
static struct entry *newest, *oldest;
static size_t entry_count, byte_count;

/* FNV-1a, 64 bits. */
static uint64_t hash_key(const char *key)
{
    uint64_t h = 14695981039346656037ull;

    for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
        h ^= *p;
        h *= 1099511628211ull;
    }
    return h;
}

static size_t entry_bytes(const struct entry *e)
{
    return sizeof(*e) + strlen(e->key) + 1 + e->len;
}

static void unlink_use(struct entry *e)
{
    if (e->newer)
        e->newer->older = e->older;
    else
        newest = e->older;
    if (e->older)
        e->older->newer = e->newer;
    else
        oldest = e->newer;
    e->newer = e->older = NULL;
}

static void link_newest(struct entry *e)
{
    e->older = newest;
    e->newer = NULL;
    if (newest)
        newest->newer = e;
    newest = e;
    if (!oldest)
        oldest = e;
}

/* Removes e from its bucket and the use list and frees it. Lock held. */
static void drop(struct entry *e)
{
    struct entry **p = &buckets[e->hash & (BUCKETS - 1)];

    while (*p != e)
        p = &(*p)->chain;
    *p = e->chain;
    unlink_use(e);
    entry_count--;
    byte_count -= entry_bytes(e);
    free(e->key);
    free(e->body);
    free(e);
}

static struct entry *find(const char *key, uint64_t hash)
{
    for (struct entry *e = buckets[hash & (BUCKETS - 1)]; e; e = e->chain)
        if (e->hash == hash && !strcmp(e->key, key))
            return e;
    return NULL;
}

int cache_generation(struct db *db, int64_t *out, struct strbuf *err)
{
    return db_query_int64(db,
                          "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'data_generation'",
                          0, out, err);
}

int cache_get(const char *key, int64_t generation, struct strbuf *body)
{
    uint64_t hash = hash_key(key);
    struct entry *e;
    int found = 0;

    pthread_mutex_lock(&lock);
    e = find(key, hash);
    if (e && e->generation != generation) {
        /* Computed before a change of the data: never returned again. */
        drop(e);
        e = NULL;
    }
    if (e) {
        unlink_use(e);
        link_newest(e);
        sb_addn(body, e->body, e->len);
        found = 1;
    }
    pthread_mutex_unlock(&lock);
    return found;
}

void cache_put(const char *key, int64_t generation, const char *body, size_t len)
{
    uint64_t hash = hash_key(key);
    struct entry *e, *old;

    if (len > CACHE_MAX_BYTES / 16)
        return;
    e = xcalloc(1, sizeof(*e));
    e->hash = hash;
    e->generation = generation;
    e->key = xstrdup(key);
    e->body = xmalloc(len + 1);
    memcpy(e->body, body, len);
    e->body[len] = '\0';
    e->len = len;

    pthread_mutex_lock(&lock);
    old = find(key, hash);
    if (old)
        drop(old);
    e->chain = buckets[hash & (BUCKETS - 1)];
    buckets[hash & (BUCKETS - 1)] = e;
    link_newest(e);
    entry_count++;
    byte_count += entry_bytes(e);
    while (oldest && oldest != e &&
           (entry_count > CACHE_MAX_ENTRIES || byte_count > CACHE_MAX_BYTES))
        drop(oldest);
    pthread_mutex_unlock(&lock);
}

void cache_clear(void)
{
    pthread_mutex_lock(&lock);
    while (oldest)
        drop(oldest);
    pthread_mutex_unlock(&lock);
}

void cache_stats(size_t *entries, size_t *bytes)
{
    pthread_mutex_lock(&lock);
    *entries = entry_count;
    *bytes = byte_count;
    pthread_mutex_unlock(&lock);
}
