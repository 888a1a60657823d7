/*
 * A growable, always NUL-terminated string. Initialise with STRBUF_INIT
 * (or sb_init), free with sb_release; sb_detach hands the buffer to the
 * caller, who frees it with free().
 */
#ifndef CAIRN_STRBUF_H
#define CAIRN_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
    char *buf;
    size_t len;
    size_t alloc;
};

#define STRBUF_INIT {NULL, 0, 0}

void sb_init(struct strbuf *sb);
void sb_release(struct strbuf *sb);
char *sb_detach(struct strbuf *sb);
void sb_reset(struct strbuf *sb);
void sb_grow(struct strbuf *sb, size_t extra);
void sb_addn(struct strbuf *sb, const char *s, size_t n);
void sb_add(struct strbuf *sb, const char *s);
void sb_addch(struct strbuf *sb, char c);
void sb_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void sb_setf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_truncate(struct strbuf *sb, size_t len);

/* The contents, or "" for a buffer that never held anything. */
static inline const char *sb_str(const struct strbuf *sb)
{
    return sb->buf ? sb->buf : "";
}

#endif
