/*
 * The growable string used for every message and piece of built text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

void sb_init(struct strbuf *sb)
{
    sb->buf = NULL;
    sb->len = 0;
    sb->alloc = 0;
}

void sb_release(struct strbuf *sb)
{
    free(sb->buf);
    sb_init(sb);
}

char *sb_detach(struct strbuf *sb)
{
    char *s = sb->buf ? sb->buf : xstrdup("");

    sb_init(sb);
    return s;
}

void sb_reset(struct strbuf *sb)
{
    sb->len = 0;
    if (sb->buf)
        sb->buf[0] = '\0';
}

void sb_grow(struct strbuf *sb, size_t extra)
{
    XGROW(sb->buf, sb->alloc, sb->len + extra + 1);
}

void sb_addn(struct strbuf *sb, const char *s, size_t n)
{
    sb_grow(sb, n);
    memcpy(sb->buf + sb->len, s, n);
    sb->len += n;
    sb->buf[sb->len] = '\0';
}

void sb_add(struct strbuf *sb, const char *s)
{
    sb_addn(sb, s, strlen(s));
}

/* Appends one byte. The CSV reader calls this for every byte of a field,
 * so it writes in place when the buffer has room. */
void sb_addch(struct strbuf *sb, char c)
{
    if (sb->len + 2 > sb->alloc)
        sb_grow(sb, 1);
    sb->buf[sb->len++] = c;
    sb->buf[sb->len] = '\0';
}

void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
    va_list copy;
    int n;

    sb_grow(sb, 64);
    va_copy(copy, ap);
    n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, copy);
    va_end(copy);
    if (n < 0)
        BUG("vsnprintf failed for format %s", fmt);
    if ((size_t)n >= sb->alloc - sb->len) {
        sb_grow(sb, (size_t)n);
        n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, ap);
    }
    sb->len += (size_t)n;
}

void sb_addf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    sb_vaddf(sb, fmt, ap);
    va_end(ap);
}

void sb_setf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;

    sb_reset(sb);
    va_start(ap, fmt);
    sb_vaddf(sb, fmt, ap);
    va_end(ap);
}

void sb_truncate(struct strbuf *sb, size_t len)
{
    if (len < sb->len) {
        sb->len = len;
        sb->buf[len] = '\0';
    }
}
