/*
 * Starting and stopping the web server, for "cairn serve" and "cairn demo".
 */
#ifndef CAIRN_WEB_SERVER_H
#define CAIRN_WEB_SERVER_H

#include <sys/socket.h>

#include "util/strbuf.h"

/* Parses "ADDR:PORT" ("127.0.0.1:8080", "[::1]:8080", "localhost:0";
 * port 0 lets the system choose). Returns 0, or -1 with a message. */
int server_parse_listen(const char *text, struct sockaddr_storage *addr, socklen_t *len,
                        struct strbuf *err);

/*
 * Serves the database at db_path on addr until SIGINT or SIGTERM, after
 * printing the address on stdout. Returns 0 after a clean stop, -1 when
 * the server could not start (the reason printed on stderr).
 */
int server_run(const char *db_path, const struct sockaddr_storage *addr);

#endif
