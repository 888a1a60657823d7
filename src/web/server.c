/*
 * "cairn serve": the HTTP server on GNU libmicrohttpd. A pool of worker
 * threads (one per core) serves connections; each worker opens its own
 * database connection on first use (SQLite in WAL mode lets them read
 * side by side) and closes it when the thread ends. On SIGINT or SIGTERM
 * libmicrohttpd closes the open connections (a handler that is running
 * completes first) and joins its threads, then the command exits 0.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include <openssl/crypto.h>

#include "cli/commands.h"
#include "settings/settings.h"
#include "util/hex.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "web/jobs.h"
#include "web/log.h"
#include "web/msgcat.h"
#include "web/server.h"
#include "web/web.h"

/* Set once before the workers start; read-only afterwards. */
static const char *server_db_path;
static pthread_key_t thread_db_key;
static atomic_uint_fast64_t next_request_id = 1;

/* The Content-Security-Policy of every response: no inline script or style,
 * nothing from other origins, no framing. */
static const char csp[] = "default-src 'self'; script-src 'self'; style-src 'self'; "
                          "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; "
                          "form-action 'self'";

static void close_thread_db(void *db)
{
    db_close(db);
}

/* This worker thread's database connection, opened on first use. */
static struct db *thread_db(struct strbuf *err)
{
    struct db *db = pthread_getspecific(thread_db_key);

    if (db)
        return db;
    if (db_open(&db, server_db_path, DB_OPEN_EXISTING, err))
        return NULL;
    pthread_setspecific(thread_db_key, db);
    return db;
}

/* The catalog for the caller: the cairn_lang cookie the page's language
 * switch sets, else the first Accept-Language tag Cairn has a catalog
 * for (q-values are not weighed), else the server's own language. */
static const char *choose_language(const struct request *req)
{
    const char *v = web_cookie(req, "cairn_lang"), *cat;
    char tag[16];

    if (v && (cat = i18n_catalog_for(v)))
        return cat;
    v = web_header(req, MHD_HTTP_HEADER_ACCEPT_LANGUAGE);
    while (v && *v) {
        size_t n = strcspn(v, ",;");

        while (*v == ' ')
            v++, n--;
        if (n > 0 && n < sizeof(tag)) {
            memcpy(tag, v, n);
            tag[n] = '\0';
            if ((cat = i18n_catalog_for(tag)))
                return cat;
        }
        v = strchr(v, ',');
        if (v)
            v++;
    }
    return i18n_lang();
}

static struct request *request_new(struct MHD_Connection *conn, const char *method,
                                   const char *url)
{
    struct request *req = xcalloc(1, sizeof(*req));
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);

    req->id = atomic_fetch_add(&next_request_id, 1);
    req->conn = conn;
    req->method = method;
    req->path = url;
    req->resp.status = 0;
    memcpy(req->client_ip, "?", 2);
    /* NOTE: the TCP peer, since X-Forwarded-For is not trusted. Behind a
     * reverse proxy every client shares one address for login throttling. */
    if (info && info->client_addr) {
        const struct sockaddr *sa = info->client_addr;

        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, req->client_ip,
                      sizeof(req->client_ip));
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, req->client_ip,
                      sizeof(req->client_ip));
    }
    sb_init(&req->body);
    sb_init(&req->resp.body);
    sb_init(&req->resp.set_cookie);
    sb_init(&req->resp.disposition);
    return req;
}

static void request_free(struct request *req)
{
    sb_release(&req->body);
    sb_release(&req->resp.body);
    sb_release(&req->resp.set_cookie);
    sb_release(&req->resp.disposition);
    upload_free(req->upload);
    free(req);
}

static bool is_state_changing(const char *method)
{
    return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
           strcmp(method, "OPTIONS") != 0;
}

/* Loads the caller's session from the cookie, if any. Returns 0 or -1. */
static int load_session(struct request *req, struct strbuf *err)
{
    const char *token = web_cookie(req, SESSION_COOKIE);
    char *hours;
    int64_t lifetime;

    if (!token || !*token)
        return 0;
    hours = setting_get(req->db, "server.session_hours", err);
    if (!hours)
        return -1;
    lifetime = strtoll(hours, NULL, 10) * 3600;
    free(hours);
    return session_lookup(req->db, token, time(NULL), lifetime, &req->session, &req->has_session,
                          err);
}

/*
 * The checks that need only the request's headers: the route, the
 * database connection, the session and the CSRF token. Returns the route,
 * or NULL after setting the error response.
 */
/* Checks the format argument of an API route: csv and xlsx only where
 * the route offers downloads, json everywhere. Returns 0, or -1 after
 * setting a 400 response. */
static int check_format(struct request *req, const struct route *route)
{
    const char *format = (route->flags & ROUTE_API) ? web_query(req, "format") : NULL;

    if (!format || !strcmp(format, "json"))
        return 0;
    if (!(route->flags & ROUTE_DOWNLOAD)) {
        web_error(req, 400, "bad_request",
                  N_("This address returns JSON only: use format=json or leave the format out."));
        return -1;
    }
    if (strcmp(format, "csv") && strcmp(format, "xlsx")) {
        web_error(req, 400, "bad_request", N_("The format is invalid: use json, csv or xlsx."));
        return -1;
    }
    return 0;
}

static const struct route *check_access(struct request *req)
{
    struct strbuf err = STRBUF_INIT;
    const struct route *route;
    const char *method = !strcmp(req->method, "HEAD") ? "GET" : req->method;
    const char *csrf;
    bool path_known;

    req->lang = choose_language(req);
    route = route_find(method, req->path, &path_known);
    if (!route) {
        if (path_known)
            web_error(req, 405, "method_not_allowed",
                      N_("This method is not allowed on this address."));
        else
            web_error(req, 404, "not_found", N_("Nothing exists at this address."));
        goto fail;
    }
    if (!req->db)
        req->db = thread_db(&err);
    if (!req->db) {
        web_internal_error(req, "opening the database", &err);
        goto fail;
    }
    if (!req->has_session && load_session(req, &err)) {
        web_internal_error(req, "reading the session", &err);
        goto fail;
    }
    if ((route->flags & ROUTE_SESSION) && !req->has_session) {
        web_error(req, 401, "unauthorized", N_("Log in first."));
        goto fail;
    }
    if (is_state_changing(method) && !(route->flags & ROUTE_NO_CSRF)) {
        csrf = web_header(req, "X-CSRF-Token");
        if (!req->has_session || !csrf || strlen(csrf) != TOKEN_HEX_SIZE - 1 ||
            CRYPTO_memcmp(csrf, req->session.csrf, TOKEN_HEX_SIZE - 1) != 0) {
            web_error(req, 403, "forbidden",
                      N_("The X-CSRF-Token header is missing or does not match the session."));
            goto fail;
        }
    }
    if (check_format(req, route))
        goto fail;
    sb_release(&err);
    return route;
fail:
    sb_release(&err);
    return NULL;
}

/*
 * Runs one complete request: the size, route, session and CSRF checks,
 * then the route's handler. Leaves the response in req->resp.
 */
static void dispatch(struct request *req)
{
    const struct route *route;

    req->lang = choose_language(req);
    if (req->body_too_large) {
        web_error(req, 413, "too_large", N_("The request body is too large."));
        return;
    }
    route = check_access(req);
    if (!route)
        return;

    route->handler(req);
    if (route->flags & ROUTE_API)
        req->resp.api = true;
    if (!req->resp.status) {
        struct strbuf none = STRBUF_INIT;

        sb_addf(&none, "handler of %s %s set no answer", req->method, route->path);
        web_internal_error(req, "routing", &none);
        sb_release(&none);
    }
}

/* The methods of the routes of path, for the Allow header of a 405. */
static const char *allowed_methods(const char *path)
{
    if (!strcmp(path, "/api/v1/session"))
        return "GET, HEAD, POST, DELETE";
    if (!strncmp(path, "/api/v1/alerts/", 15) || !strcmp(path, "/api/v1/import") ||
        !strcmp(path, "/api/v1/mappings/check"))
        return "POST";
    if (!strcmp(path, "/api/v1/mappings"))
        return "GET, HEAD, POST";
    return "GET, HEAD";
}

static void add_common_headers(struct MHD_Response *r, const struct request *req)
{
    char id[32];

    snprintf(id, sizeof(id), "%llu", (unsigned long long)req->id);
    MHD_add_response_header(r, "Content-Security-Policy", csp);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "X-Request-Id", id);
    MHD_add_response_header(r, "Cache-Control", req->resp.api ? "no-store" : "no-cache");
    if (req->resp.content_type)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, req->resp.content_type);
    if (req->resp.set_cookie.len)
        MHD_add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE, req->resp.set_cookie.buf);
    if (req->resp.disposition.len)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_DISPOSITION, req->resp.disposition.buf);
    if (req->resp.status == 405) {
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, allowed_methods(req->path));
    }
}

/* Logs the request's access line and queues its response. The line is
 * written before the response is sent, so a client that has the
 * response finds the line in the log. */
static enum MHD_Result send_answer(struct request *req)
{
    struct MHD_Response *r;
    enum MHD_Result ok;

    log_line(req->resp.status >= 500 ? LOG_ERROR : LOG_INFO, req->id,
             req->has_session ? req->session.login : NULL, "%s %s %u", req->method, req->path,
             req->resp.status);
    req->logged = true;

    if (req->resp.static_body)
        r = MHD_create_response_from_buffer(req->resp.static_size, (void *)req->resp.static_body,
                                            MHD_RESPMEM_PERSISTENT);
    else
        r = MHD_create_response_from_buffer(req->resp.body.len, (void *)sb_str(&req->resp.body),
                                            MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    add_common_headers(r, req);
    ok = MHD_queue_response(req->conn, req->resp.status, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    struct request *req = *con_cls;
    const char *length;
    unsigned long long limit;

    (void)cls;
    (void)version;

    /* First call: headers only. A declared length over the limit is
     * answered at once, without reading the body. */
    if (!req) {
        req = request_new(conn, method, url);
        *con_cls = req;
        length = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                             MHD_HTTP_HEADER_CONTENT_LENGTH);
        limit = upload_route(method, url) ? WEB_UPLOAD_MAX : WEB_BODY_MAX;
        if (length && strtoull(length, NULL, 10) > limit) {
            req->body_too_large = true;
            dispatch(req);
            return send_answer(req);
        }
        /* An upload is refused before its body is read when the caller
         * has no session or no CSRF token. */
        if (upload_route(method, url) && !check_access(req))
            return send_answer(req);
        return MHD_YES;
    }

    /* Body chunks: kept up to the limit, the rest discarded. An upload
     * route streams them to its multipart parser instead. */
    if (*upload_data_size && upload_route(method, url)) {
        if (!req->body_too_large && !req->resp.status)
            upload_feed(req, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (!req->body_too_large && req->body.len + *upload_data_size > WEB_BODY_MAX) {
            req->body_too_large = true;
            sb_release(&req->body);
        }
        if (!req->body_too_large)
            sb_addn(&req->body, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }

    if (req->resp.status)
        return MHD_YES; /* the response is queued already (413 at the first call) */
    dispatch(req);
    return send_answer(req);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode why)
{
    struct request *req = *con_cls;

    (void)cls;
    (void)conn;
    if (!req)
        return;
    if (!req->logged || why != MHD_REQUEST_TERMINATED_COMPLETED_OK)
        log_line(LOG_WARN, req->id, req->has_session ? req->session.login : NULL,
                 "%s %s: the connection ended early (libmicrohttpd code %d)", req->method,
                 req->path, (int)why);
    request_free(req);
    *con_cls = NULL;
}

/* Decodes the %XX escapes of a URL path or query argument in place, but
 * leaves those of control characters (%00 to %1F and %7F) encoded. A
 * decoded NUL would cut the value short ("example:x%00y" read as
 * "example:x"). No id, name or argument of the API contains controls, so
 * such a value fails the route's own check. Returns the new length. */
static size_t unescape_visible(void *cls, struct MHD_Connection *conn, char *text)
{
    char *out = text;

    (void)cls;
    (void)conn;
    for (const char *p = text; *p;) {
        int high = p[0] == '%' ? hex_digit_value(p[1]) : -1;
        int low = high >= 0 ? hex_digit_value(p[2]) : -1;
        int byte = high * 16 + low;

        if (high >= 0 && low >= 0 && byte >= 0x20 && byte != 0x7f) {
            *out++ = (char)byte;
            p += 3;
        } else {
            *out++ = *p++;
        }
    }
    *out = '\0';
    return (size_t)(out - text);
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    struct strbuf text = STRBUF_INIT;

    (void)cls;
    sb_vaddf(&text, fmt, ap);
    while (text.len && text.buf[text.len - 1] == '\n')
        sb_truncate(&text, text.len - 1);
    log_line(LOG_WARN, 0, NULL, "libmicrohttpd: %s", text.buf);
    sb_release(&text);
}

int server_parse_listen(const char *text, struct sockaddr_storage *addr, socklen_t *len,
                        struct strbuf *err)
{
    char host[256];
    const char *colon = strrchr(text, ':'), *port, *h = text;
    size_t hlen;
    struct addrinfo hints = {0}, *res = NULL;
    char *end;
    long p;

    if (!colon || colon == text)
        goto bad;
    port = colon + 1;
    p = strtol(port, &end, 10);
    if (!*port || *end || p < 0 || p > 65535)
        goto bad;
    hlen = (size_t)(colon - text);
    if (h[0] == '[' && hlen >= 2 && h[hlen - 1] == ']') {
        h++;
        hlen -= 2;
    }
    if (hlen == 0 || hlen >= sizeof(host))
        goto bad;
    memcpy(host, h, hlen);
    host[hlen] = '\0';

    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    if (getaddrinfo(host, port, &hints, &res) || !res)
        goto bad;
    memcpy(addr, res->ai_addr, res->ai_addrlen);
    *len = res->ai_addrlen;
    freeaddrinfo(res);
    return 0;
bad:
    sb_addf(err, _("invalid listen address '%s': use ADDR:PORT, e.g. 127.0.0.1:8080 or [::1]:8080"),
            text);
    return -1;
}

static unsigned worker_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    if (n < 1)
        return 1;
    if (n > 64)
        return 64;
    return (unsigned)n;
}

int cmd_serve(struct cli *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"listen", required_argument, NULL, 'l'},
        {NULL, 0, NULL, 0},
    };
    const char *listen = "127.0.0.1:8080";
    struct strbuf err = STRBUF_INIT;
    struct sockaddr_storage addr;
    socklen_t addr_len = 0;
    int c, rc;

    opterr = 0;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        if (c == 'l')
            listen = optarg;
        else
            return cli_bad_option(cli, optopt, argv[optind - 1]);
    }
    if (optind < argc)
        return cli_usage_error(cli, _("unexpected argument '%s'"), argv[optind]);
    if (server_parse_listen(listen, &addr, &addr_len, &err)) {
        rc = cli_usage_error(cli, "%s", err.buf);
        sb_release(&err);
        return rc;
    }
    (void)addr_len;
    return server_run(cli->db_path, &addr) ? EXIT_FAILED : EXIT_OK;
}

int server_run(const char *db_path, const struct sockaddr_storage *addr)
{
    struct strbuf err = STRBUF_INIT;
    struct MHD_Daemon *daemon = NULL;
    struct db *db = NULL;
    const union MHD_DaemonInfo *info;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
    unsigned workers = worker_count();
    sigset_t stop_signals;
    int sig = 0, ret = -1;
    char shown[64] = "?";

    /* Check the database (and bring its schema up to date) before
     * listening, so that a bad --db fails at once with a message. */
    if (db_open(&db, db_path, DB_OPEN_EXISTING, &err)) {
        cli_error("%s", err.buf);
        goto out;
    }
    db_close(db);
    db = NULL;
    server_db_path = db_path;
    log_init();
    msgcat_load();
    if (pthread_key_create(&thread_db_key, close_thread_db)) {
        cli_error(_("cannot create the per-thread database key"));
        goto out;
    }

    /* The workers inherit this mask, so only sigwait below receives them. */
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES)
        flags |= MHD_USE_EPOLL;
    else
        flags |= MHD_USE_POLL;
    if (addr->ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request, NULL,
                              MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
                              MHD_OPTION_UNESCAPE_CALLBACK, unescape_visible, NULL,
                              MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)addr,
                              MHD_OPTION_THREAD_POOL_SIZE, workers,
                              MHD_OPTION_CONNECTION_TIMEOUT, 30u,
                              MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
                              MHD_OPTION_END);
    if (!daemon) {
        cli_error(_("cannot listen on the given address: %s (is it in use?)"), strerror(errno));
        goto out;
    }

    info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    if (addr->ss_family == AF_INET6) {
        char ip[INET6_ADDRSTRLEN];

        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)addr)->sin6_addr, ip, sizeof(ip));
        snprintf(shown, sizeof(shown), "[%s]:%u", ip, info ? info->port : 0);
    } else {
        char ip[INET_ADDRSTRLEN];

        inet_ntop(AF_INET, &((const struct sockaddr_in *)addr)->sin_addr, ip, sizeof(ip));
        snprintf(shown, sizeof(shown), "%s:%u", ip, info ? info->port : 0);
    }
    if (jobs_start(db_path, &err) || scheduler_start(db_path, &err)) {
        cli_error("%s", err.buf);
        MHD_stop_daemon(daemon);
        jobs_stop();
        goto out;
    }
    printf(_("Cairn is serving http://%s/ (press Ctrl-C to stop)\n"), shown);
    fflush(stdout);
    log_line(LOG_INFO, 0, NULL, "listening on %s with %u worker threads, database %s", shown,
             workers, db_path);

    while (sigwait(&stop_signals, &sig) != 0)
        ;
    log_line(LOG_INFO, 0, NULL, "stopping on signal %d", sig);
    MHD_stop_daemon(daemon);
    jobs_stop();
    scheduler_stop();
    log_line(LOG_INFO, 0, NULL, "stopped");
    ret = 0;
out:
    msgcat_unload();
    sb_release(&err);
    return ret;
}
