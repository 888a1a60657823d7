/*
 * Open addressing with linear probing over a power-of-two table, kept at
 * most half full. Hashes are 64-bit FNV-1a.
 */
#include <stdlib.h>
#include <string.h>

#include "import/strmap.h"
#include "util/xalloc.h"

static uint64_t hash_bytes(const char *s, size_t len)
{
    uint64_t h = 14695981039346656037ULL;

    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

void strmap_release(struct strmap *map)
{
    free(map->slots);
    sb_release(&map->keys);
    map->slots = NULL;
    map->nslots = map->count = 0;
}

static struct strmap_entry *probe(const struct strmap *map, const char *key, size_t len,
                                  uint64_t h)
{
    size_t mask = map->nslots - 1;

    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        struct strmap_entry *e = &map->slots[i];
        const char *k;

        if (!e->key)
            return e;
        if (e->hash != h)
            continue;
        k = map->keys.buf + e->key;
        if (!memcmp(k, key, len) && k[len] == '\0')
            return e;
    }
}

int64_t *strmap_find(const struct strmap *map, const char *key, size_t len)
{
    struct strmap_entry *e;

    if (!map->count)
        return NULL;
    e = probe(map, key, len, hash_bytes(key, len));
    return e->key ? &e->value : NULL;
}

/* Moves the entries into a table of nslots slots, a power of two. */
static void rehash_to(struct strmap *map, size_t nslots)
{
    size_t old_n = map->nslots;
    struct strmap_entry *old = map->slots;

    map->nslots = nslots;
    map->slots = xcalloc(map->nslots, sizeof(*map->slots));
    for (size_t i = 0; i < old_n; i++) {
        size_t mask = map->nslots - 1, j;

        if (!old[i].key)
            continue;
        for (j = (size_t)old[i].hash & mask; map->slots[j].key; j = (j + 1) & mask)
            ;
        map->slots[j] = old[i];
    }
    free(old);
}

void strmap_reserve(struct strmap *map, size_t count)
{
    size_t nslots = map->nslots ? map->nslots : 64;

    while (nslots < count * 2)
        nslots *= 2;
    if (nslots > map->nslots)
        rehash_to(map, nslots);
}

int64_t *strmap_put(struct strmap *map, const char *key, size_t len, int64_t initial,
                    int *added)
{
    uint64_t h = hash_bytes(key, len);
    struct strmap_entry *e;

    if ((map->count + 1) * 2 > map->nslots)
        rehash_to(map, map->nslots ? map->nslots * 2 : 64);
    if (!map->keys.len)
        sb_addch(&map->keys, '\0'); /* offset 0 marks an empty slot */
    e = probe(map, key, len, h);
    if (added)
        *added = !e->key;
    if (!e->key) {
        e->hash = h;
        e->key = map->keys.len;
        e->value = initial;
        sb_addn(&map->keys, key, len);
        sb_addch(&map->keys, '\0');
        map->count++;
    }
    return &e->value;
}
