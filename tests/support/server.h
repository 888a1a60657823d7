/*
 * Starting and stopping a real "cairn serve" for end-to-end tests. The
 * server listens on 127.0.0.1 on a free port that the helper finds by
 * binding port 0; its stdout and stderr go to a log file the test may
 * read.
 */
#ifndef CAIRN_TEST_SERVER_H
#define CAIRN_TEST_SERVER_H

#include <sys/types.h>

struct test_server {
    pid_t pid;
    int port;
    char base_url[64]; /* "http://127.0.0.1:PORT" */
    char *log_path;    /* the server's stdout and stderr */
};

/* Starts "cairn --db db_path serve" and waits until it accepts
 * connections (at most 10 seconds); fails the test otherwise. */
void test_server_start(struct test_server *s, const char *db_path);

/* Sends SIGTERM, waits for the exit and returns the exit status (or
 * 128 + signal). Removes the log file. */
int test_server_stop(struct test_server *s);

/* Runs "cairn --db db_path user add login --role role [--scope scope]"
 * with password on stdin; fails the test unless it exits 0. */
void test_user_add(const char *db_path, const char *login, const char *role, const char *scope,
                   const char *password);

/* Logs in through POST /api/v1/session; fails the test unless it returns
 * 200. Returns "cairn_session=TOKEN" for a Cookie header (free it), and
 * the CSRF token in csrf (65 bytes) when csrf is not NULL. */
char *test_log_in(const struct test_server *s, const char *login, const char *password,
                  char *csrf);

#endif
