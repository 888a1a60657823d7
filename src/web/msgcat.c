/*
 * A reader of GNU .mo files. Layout (all numbers 32-bit, in the byte
 * order given by the magic number): magic 0x950412de, revision, count N,
 * offset of the original-string table, offset of the translation table;
 * each table holds N (length, offset) pairs, and msgfmt writes the
 * originals sorted by byte value, which lets msgcat_get use bsearch.
 */
#include <libintl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/xalloc.h"
#include "web/msgcat.h"

struct catalog {
    const char *lang;
    unsigned char *data;
    size_t size;
    uint32_t count, originals, translations;
    int swapped;
};

static struct catalog catalogs[] = {{.lang = "zh_CN"}, {.lang = "ja"}, {.lang = "es"}};
#define NCATALOGS (sizeof(catalogs) / sizeof(catalogs[0]))

static uint32_t read_u32(const struct catalog *c, size_t at)
{
    uint32_t v;

    memcpy(&v, c->data + at, 4);
    return c->swapped ? __builtin_bswap32(v) : v;
}

/* The string of entry i in the table at offset table, or NULL when the
 * entry points outside the file or its text is not NUL-terminated. */
static const char *entry(const struct catalog *c, uint32_t table, uint32_t i)
{
    size_t at = (size_t)table + 8 * (size_t)i;
    uint32_t len, off;

    if (at + 8 > c->size)
        return NULL;
    len = read_u32(c, at);
    off = read_u32(c, at + 4);
    if ((size_t)off + len >= c->size || c->data[(size_t)off + len] != '\0')
        return NULL;
    return (const char *)c->data + off;
}

/* Reads and checks one catalog; returns 0, or -1 leaving it empty. */
static int load_one(struct catalog *c, const char *path)
{
    FILE *f = fopen(path, "rb");
    long size;
    uint32_t magic;

    if (!f)
        return -1;
    if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 20 || fseek(f, 0, SEEK_SET))
        goto fail;
    c->data = xmalloc((size_t)size);
    c->size = (size_t)size;
    if (fread(c->data, 1, c->size, f) != c->size)
        goto fail;
    fclose(f);
    f = NULL;

    memcpy(&magic, c->data, 4);
    if (magic == 0x950412deu)
        c->swapped = 0;
    else if (magic == 0xde120495u)
        c->swapped = 1;
    else
        goto fail;
    c->count = read_u32(c, 8);
    c->originals = read_u32(c, 12);
    c->translations = read_u32(c, 16);
    if ((uint64_t)c->originals + 8ull * c->count > c->size ||
        (uint64_t)c->translations + 8ull * c->count > c->size)
        goto fail;
    return 0;
fail:
    if (f)
        fclose(f);
    free(c->data);
    c->data = NULL;
    c->size = 0;
    c->count = 0;
    return -1;
}

void msgcat_load(void)
{
    const char *dir = bindtextdomain("cairn", NULL);
    struct strbuf path = STRBUF_INIT;

    for (size_t i = 0; dir && i < NCATALOGS; i++) {
        sb_setf(&path, "%s/%s/LC_MESSAGES/cairn.mo", dir, catalogs[i].lang);
        load_one(&catalogs[i], path.buf);
    }
    sb_release(&path);
}

void msgcat_unload(void)
{
    for (size_t i = 0; i < NCATALOGS; i++) {
        free(catalogs[i].data);
        catalogs[i].data = NULL;
        catalogs[i].count = 0;
    }
}

const char *msgcat_get(const char *lang, const char *msgid)
{
    const struct catalog *c = NULL;
    uint32_t lo = 0, hi;

    for (size_t i = 0; lang && i < NCATALOGS; i++)
        if (!strcmp(catalogs[i].lang, lang))
            c = &catalogs[i];
    if (!c || !c->data)
        return msgid;

    /* Entry 0 is the header (empty msgid); the others are sorted. */
    hi = c->count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        const char *orig = entry(c, c->originals, mid);
        int cmp;

        if (!orig)
            return msgid;
        cmp = strcmp(msgid, orig);
        if (cmp == 0) {
            const char *trans = entry(c, c->translations, mid);

            return trans && *trans ? trans : msgid;
        }
        if (cmp < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return msgid;
}
