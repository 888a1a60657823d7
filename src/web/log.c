/*
 * Server log lines. Each line is formatted into one buffer and written
 * with a single write(2), so lines from worker threads never interleave.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth/audit.h"
#include "util/strbuf.h"
#include "web/log.h"

static enum log_level threshold = LOG_INFO;
static const char *const level_names[] = {"debug", "info", "warn", "error"};

void log_init(void)
{
    const char *v = getenv("CAIRN_LOG_LEVEL");

    for (int i = 0; v && i < 4; i++)
        if (!strcmp(v, level_names[i]))
            threshold = (enum log_level)i;
}

/* Replaces control characters, so that a crafted path cannot forge lines. */
static void add_clean(struct strbuf *sb, const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        sb_addch(sb, *p < 0x20 || *p == 0x7f ? '?' : (char)*p);
}

void log_line(enum log_level level, uint64_t request_id, const char *user, const char *fmt, ...)
{
    struct strbuf line = STRBUF_INIT, message = STRBUF_INIT;
    char now[AUDIT_TIME_SIZE];
    va_list ap;

    if (level < threshold)
        return;
    audit_time(time(NULL), now);
    va_start(ap, fmt);
    sb_vaddf(&message, fmt, ap);
    va_end(ap);

    sb_addf(&line, "%s %s ", now, level_names[level]);
    if (request_id)
        sb_addf(&line, "req=%llu ", (unsigned long long)request_id);
    else
        sb_add(&line, "req=- ");
    sb_add(&line, "user=");
    add_clean(&line, user && *user ? user : "-");
    sb_addch(&line, ' ');
    add_clean(&line, sb_str(&message));
    sb_addch(&line, '\n');
    if (write(STDERR_FILENO, line.buf, line.len) < 0) {
        /* Nowhere left to report a failing stderr. */
    }
    sb_release(&line);
    sb_release(&message);
}
