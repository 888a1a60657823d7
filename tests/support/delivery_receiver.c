/*
 * The delivery tests' robot receiver and SMTP sink.
 */
#define _XOPEN_SOURCE 700
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "delivery_receiver.h"
#include "support.h"

static pthread_mutex_t receiver_lock = PTHREAD_MUTEX_INITIALIZER;

/* The body of one request as it arrives in pieces. */
struct upload {
    char *data;
    size_t len;
};

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *data,
                              size_t *data_size, void **con_cls)
{
    struct receiver *r = cls;
    struct upload *up = *con_cls;
    struct received_request *req;
    struct MHD_Response *resp;
    unsigned status = 200;
    char body[256];
    enum MHD_Result ret;

    (void)version;
    if (!up) {
        up = calloc(1, sizeof(*up));
        *con_cls = up;
        return MHD_YES;
    }
    if (*data_size) {
        up->data = realloc(up->data, up->len + *data_size + 1);
        memcpy(up->data + up->len, data, *data_size);
        up->len += *data_size;
        up->data[up->len] = '\0';
        *data_size = 0;
        return MHD_YES;
    }

    /* The whole request has arrived, so record it and pick the response. */
    snprintf(body, sizeof(body), "%s",
             !strcmp(url, "/feishu") ? "{\"code\":0,\"msg\":\"success\"}"
                                     : "{\"errcode\":0,\"errmsg\":\"ok\"}");
    pthread_mutex_lock(&receiver_lock);
    if (r->nrequests < RECEIVER_MAX_REQUESTS && !strcmp(method, "POST")) {
        req = &r->requests[r->nrequests++];
        snprintf(req->path, sizeof(req->path), "%s", url);
        req->query_timestamp =
            dup_or_null(MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "timestamp"));
        req->query_sign =
            dup_or_null(MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "sign"));
        req->content_type =
            dup_or_null(MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type"));
        req->body = strdup(up->data ? up->data : "");
    }
    for (size_t i = 0; i < r->nscript; i++) {
        if (!strcmp(r->script[i].path, url)) {
            status = r->script[i].status;
            snprintf(body, sizeof(body), "%s", r->script[i].body);
            memmove(&r->script[i], &r->script[i + 1], (r->nscript - i - 1) * sizeof(r->script[0]));
            r->nscript--;
            break;
        }
    }
    pthread_mutex_unlock(&receiver_lock);

    resp = MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_COPY);
    MHD_add_response_header(resp, "Content-Type", "application/json");
    ret = MHD_queue_response(conn, status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static void request_done(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct upload *up = *con_cls;

    (void)cls;
    (void)conn;
    (void)toe;
    if (up) {
        free(up->data);
        free(up);
        *con_cls = NULL;
    }
}

void receiver_start(struct receiver *r)
{
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0};
    const union MHD_DaemonInfo *info;

    memset(r, 0, sizeof(*r));
    /* libcurl, here and in the cairn processes the test starts, would send
     * requests through a proxy named in the environment. */
    setenv("no_proxy", "127.0.0.1,localhost", 1);
    setenv("NO_PROXY", "127.0.0.1,localhost", 1);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    r->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL,
                                 answer, r, MHD_OPTION_SOCK_ADDR, &addr,
                                 MHD_OPTION_NOTIFY_COMPLETED, request_done, NULL, MHD_OPTION_END);
    assert_non_null(r->daemon);
    info = MHD_get_daemon_info(r->daemon, MHD_DAEMON_INFO_BIND_PORT);
    assert_non_null(info);
    r->port = info->port;
    snprintf(r->base_url, sizeof(r->base_url), "http://127.0.0.1:%d", r->port);
}

void receiver_stop(struct receiver *r)
{
    MHD_stop_daemon(r->daemon);
    for (size_t i = 0; i < r->nrequests; i++) {
        free(r->requests[i].query_timestamp);
        free(r->requests[i].query_sign);
        free(r->requests[i].content_type);
        free(r->requests[i].body);
    }
    memset(r, 0, sizeof(*r));
}

void receiver_script(struct receiver *r, const char *path, unsigned status, const char *body)
{
    pthread_mutex_lock(&receiver_lock);
    assert_true(r->nscript < RECEIVER_MAX_SCRIPT);
    snprintf(r->script[r->nscript].path, sizeof(r->script[0].path), "%s", path);
    r->script[r->nscript].status = status;
    snprintf(r->script[r->nscript].body, sizeof(r->script[0].body), "%s", body);
    r->nscript++;
    pthread_mutex_unlock(&receiver_lock);
}

size_t receiver_count(const struct receiver *r, const char *path)
{
    size_t n = 0;

    pthread_mutex_lock(&receiver_lock);
    for (size_t i = 0; i < r->nrequests; i++)
        n += !strcmp(r->requests[i].path, path);
    pthread_mutex_unlock(&receiver_lock);
    return n;
}

const struct received_request *receiver_request(const struct receiver *r, const char *path,
                                                size_t n)
{
    const struct received_request *found = NULL;

    pthread_mutex_lock(&receiver_lock);
    for (size_t i = 0; i < r->nrequests && !found; i++)
        if (!strcmp(r->requests[i].path, path) && n-- == 0)
            found = &r->requests[i];
    pthread_mutex_unlock(&receiver_lock);
    assert_non_null(found);
    return found;
}

static int free_port(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM, 0), port;

    assert_true(fd >= 0);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    port = ntohs(a.sin_port);
    close(fd);
    return port;
}

static int can_connect(int port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    int fd = socket(AF_INET, SOCK_STREAM, 0), ok;

    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok = connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
    close(fd);
    return ok;
}

void smtp_sink_start(struct smtp_sink *s)
{
    struct timespec pause = {0, 50 * 1000000L};
    char listen[32];
    int status;

    assert_int_equal(access("/usr/bin/python3", X_OK), 0);
    setenv("no_proxy", "127.0.0.1,localhost", 1);
    setenv("NO_PROXY", "127.0.0.1,localhost", 1);
    /* aiosmtpd's Mailbox creates the Maildir's subfolders only when the
     * folder itself does not exist yet. */
    s->root = make_temp_dir();
    s->maildir = path_join(s->root, "maildir");
    s->port = free_port();
    snprintf(listen, sizeof(listen), "127.0.0.1:%d", s->port);
    s->pid = fork();
    assert_true(s->pid >= 0);
    if (s->pid == 0) {
        int fd = open("/dev/null", O_WRONLY);

        dup2(fd, 1);
        dup2(fd, 2);
        execl("/usr/bin/python3", "python3", "-m", "aiosmtpd", "-n", "-l", listen, "-c",
              "aiosmtpd.handlers.Mailbox", s->maildir, (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 200; i++) {
        if (can_connect(s->port))
            return;
        if (waitpid(s->pid, &status, WNOHANG) == s->pid)
            fail_msg("aiosmtpd exited before listening (is python3-aiosmtpd installed?)");
        nanosleep(&pause, NULL);
    }
    fail_msg("aiosmtpd did not listen on port %d within 10 seconds", s->port);
}

void smtp_sink_stop(struct smtp_sink *s)
{
    int status;

    /* A sink already stopped has pid 0, and kill(0) would signal the
     * whole process group. */
    if (s->pid <= 0)
        return;
    kill(s->pid, SIGTERM);
    waitpid(s->pid, &status, 0);
    remove_tree(s->root);
    free(s->root);
    free(s->maildir);
    memset(s, 0, sizeof(*s));
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t smtp_sink_messages(const struct smtp_sink *s, char ***out)
{
    char *dir = path_join(s->maildir, "new"), *path;
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    DIR *d = opendir(dir);

    *out = NULL;
    if (!d) {
        free(dir);
        return 0;
    }
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        names = realloc(names, (n + 1) * sizeof(*names));
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof(*names), compare_names);
    for (size_t i = 0; i < n; i++) {
        path = path_join(dir, names[i]);
        free(names[i]);
        names[i] = read_file(path, NULL);
        free(path);
    }
    free(dir);
    *out = names;
    return n;
}

char *mail_header(const char *message, const char *name)
{
    size_t nlen = strlen(name), len = 0;
    const char *line = message, *end;
    char *value = NULL;

    while (*line && *line != '\r' && *line != '\n') {
        end = strchr(line, '\n');
        if (!end)
            end = line + strlen(line);
        if (!strncasecmp(line, name, nlen) && line[nlen] == ':') {
            const char *p = line + nlen + 1;

            value = malloc(strlen(message) + 1);
            /* The first line, then continuation lines (leading blank). */
            for (;;) {
                while (*p == ' ' || *p == '\t')
                    p++;
                while (p < end && *p != '\r')
                    value[len++] = *p++;
                if (*end != '\n' || (end[1] != ' ' && end[1] != '\t'))
                    break;
                value[len++] = ' ';
                p = end + 1;
                end = strchr(p, '\n');
                if (!end)
                    end = p + strlen(p);
            }
            value[len] = '\0';
            return value;
        }
        line = *end ? end + 1 : end;
    }
    return NULL;
}

/* Decodes base64 text, ignoring line breaks; returns the byte count. */
static size_t decode_base64(const char *text, size_t n, unsigned char *out)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    unsigned bits = 0, nbits = 0;
    size_t len = 0;
    const char *pos;

    for (size_t i = 0; i < n; i++) {
        if (text[i] == '=' || text[i] == '\r' || text[i] == '\n')
            continue;
        pos = strchr(alphabet, text[i]);
        assert_non_null(pos);
        bits = (bits << 6) | (unsigned)(pos - alphabet);
        nbits += 6;
        if (nbits >= 8) {
            nbits -= 8;
            out[len++] = (unsigned char)(bits >> nbits);
            bits &= (1u << nbits) - 1;
        }
    }
    return len;
}

char *mail_decode_words(const char *value)
{
    char *out = malloc(strlen(value) + 1);
    const char *p = value, *start, *stop, *next;
    size_t len = 0;

    while (*p) {
        if (!strncmp(p, "=?UTF-8?B?", 10) || !strncmp(p, "=?utf-8?b?", 10)) {
            start = p + 10;
            stop = strstr(start, "?=");
            assert_non_null(stop);
            len += decode_base64(start, (size_t)(stop - start), (unsigned char *)out + len);
            p = stop + 2;
            /* Blanks between two encoded words are not part of the text. */
            next = p + strspn(p, " \t");
            if (!strncasecmp(next, "=?UTF-8?B?", 10))
                p = next;
            continue;
        }
        out[len++] = *p++;
    }
    out[len] = '\0';
    return out;
}

char *mail_body_base64(const char *message)
{
    const char *body = strstr(message, "\r\n\r\n");
    char *out;
    size_t len;

    if (body) {
        body += 4;
    } else {
        body = strstr(message, "\n\n");
        assert_non_null(body);
        body += 2;
    }
    out = malloc(strlen(body) + 1);
    len = decode_base64(body, strlen(body), (unsigned char *)out);
    out[len] = '\0';
    return out;
}
