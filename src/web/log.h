/*
 * The server's log: one line per event on stderr, with the level, a UTC
 * timestamp, the request id and the acting login, e.g.
 *   2024-03-01T08:00:00Z info req=42 user=alice GET /api/v1/session 200 3ms
 * Never pass a password, a token or a personal field to these functions.
 */
#ifndef CAIRN_WEB_LOG_H
#define CAIRN_WEB_LOG_H

#include <stdint.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Sets the level below which lines are skipped before formatting: the
 * CAIRN_LOG_LEVEL variable (debug, info, warn or error), else info. */
void log_init(void);

/* Writes one line; request_id 0 and user NULL print as "-". Untrusted text
 * (paths, logins) has its control characters replaced. */
void log_line(enum log_level level, uint64_t request_id, const char *user, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
