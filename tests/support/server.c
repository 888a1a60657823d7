/*
 * The test server helper: free-port discovery, start, readiness wait and
 * stop of "cairn serve".
 */
#define _XOPEN_SOURCE 700
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "http.h"
#include "server.h"
#include "support.h"

/* A port on 127.0.0.1 that was free a moment ago (the system's choice
 * for port 0); another process may take it before the server does, so
 * the caller retries. */
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

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    nanosleep(&ts, NULL);
}

/* Starts one server on port; returns 1 when it accepts connections, 0
 * when it exited first (the port was taken). */
static int try_start(struct test_server *s, const char *db_path, int port)
{
    char listen[32];
    int status;

    snprintf(listen, sizeof(listen), "127.0.0.1:%d", port);
    s->pid = fork();
    assert_true(s->pid >= 0);
    if (s->pid == 0) {
        int fd = open(s->log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

        dup2(fd, 1);
        dup2(fd, 2);
        if (!getenv("LANG"))
            setenv("LANG", "C.UTF-8", 1);
        unsetenv("CAIRN_DB");
        execl(CAIRN_BIN, CAIRN_BIN, "--db", db_path, "serve", "--listen", listen, (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 200; i++) {
        if (waitpid(s->pid, &status, WNOHANG) == s->pid)
            return 0;
        if (can_connect(port))
            return 1;
        sleep_ms(50);
    }
    kill(s->pid, SIGKILL);
    waitpid(s->pid, &status, 0);
    fail_msg("cairn serve did not accept connections on port %d within 10 s", port);
    return 0;
}

void test_server_start(struct test_server *s, const char *db_path)
{
    char path[] = "/tmp/cairn-serve-logXXXXXX";
    int fd = mkstemp(path);

    assert_true(fd >= 0);
    close(fd);
    s->log_path = strdup(path);
    for (int attempt = 0; attempt < 5; attempt++) {
        s->port = free_port();
        if (try_start(s, db_path, s->port)) {
            snprintf(s->base_url, sizeof(s->base_url), "http://127.0.0.1:%d", s->port);
            return;
        }
    }
    fail_msg("cairn serve did not start; log: %s", read_file(s->log_path, NULL));
}

int test_server_stop(struct test_server *s)
{
    int status = 0;

    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
            ;
        s->pid = 0;
    }
    if (s->log_path) {
        unlink(s->log_path);
        free(s->log_path);
        s->log_path = NULL;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void test_user_add(const char *db_path, const char *login, const char *role, const char *scope,
                   const char *password)
{
    char input[256];
    struct run_result r;

    snprintf(input, sizeof(input), "%s\n", password);
    if (scope)
        r = run_cairn(NULL, input,
                      ARGS("--db", db_path, "user", "add", login, "--role", role, "--scope", scope));
    else
        r = run_cairn(NULL, input, ARGS("--db", db_path, "user", "add", login, "--role", role));
    if (r.status != 0)
        fprintf(stderr, "user add %s: %s%s", login, r.out, r.err);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
}

char *test_log_in(const struct test_server *s, const char *login, const char *password,
                  char *csrf)
{
    json_t *body = json_pack("{s:s, s:s}", "login", login, "password", password), *answer;
    char *text = json_dumps(body, JSON_COMPACT), *cookie, *semi;
    struct http h = http_request(s->base_url, "POST", "/api/v1/session", text, NULL, NULL);

    if (h.status != 200)
        fprintf(stderr, "login %s: %ld %s\n", login, h.status, h.body);
    assert_int_equal(h.status, 200);
    cookie = http_header(&h, "Set-Cookie");
    assert_non_null(cookie);
    semi = strchr(cookie, ';');
    if (semi)
        *semi = '\0';
    if (csrf) {
        answer = json_loads(h.body, 0, NULL);
        assert_non_null(json_string_value(json_object_get(answer, "csrf")));
        snprintf(csrf, 65, "%s", json_string_value(json_object_get(answer, "csrf")));
        json_decref(answer);
    }
    http_free(&h);
    free(text);
    json_decref(body);
    return cookie;
}
