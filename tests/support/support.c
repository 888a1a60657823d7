/*
 * Test helpers: process spawning with captured output, temporary folders.
 */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support.h"

static void read_all(int fd, char **out)
{
    size_t len = 0, cap = 4096;
    char *buf = malloc(cap);
    ssize_t n;

    while ((n = read(fd, buf + len, cap - len - 1)) > 0) {
        len += (size_t)n;
        if (cap - len < 1024) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
    }
    buf[len] = '\0';
    *out = buf;
}

struct run_result run_cairn(const char *cwd, const char *input, const char *const *args)
{
    struct run_result r = {0};
    int in_pipe[2];
    char out_path[] = "/tmp/cairn-test-outXXXXXX", err_path[] = "/tmp/cairn-test-errXXXXXX";
    int out_fd = mkstemp(out_path), err_fd = mkstemp(err_path);
    pid_t pid;
    int status;
    size_t n = 0;

    assert_true(out_fd >= 0 && err_fd >= 0);
    assert_int_equal(pipe(in_pipe), 0);
    while (args[n])
        n++;

    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        const char **argv = calloc(n + 2, sizeof(*argv));

        argv[0] = CAIRN_BIN;
        for (size_t i = 0; i < n; i++)
            argv[i + 1] = args[i];
        dup2(in_pipe[0], 0);
        close(in_pipe[1]);
        dup2(out_fd, 1);
        dup2(err_fd, 2);
        if (cwd && chdir(cwd) != 0)
            _exit(127);
        if (!getenv("LANG"))
            setenv("LANG", "C.UTF-8", 1);
        unsetenv("CAIRN_DB");
        execv(CAIRN_BIN, (char *const *)argv);
        _exit(127);
    }
    close(in_pipe[0]);
    if (input) {
        size_t left = strlen(input);
        const char *p = input;

        while (left > 0) {
            ssize_t w = write(in_pipe[1], p, left);

            if (w <= 0)
                break;
            p += w;
            left -= (size_t)w;
        }
    }
    close(in_pipe[1]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    lseek(out_fd, 0, SEEK_SET);
    lseek(err_fd, 0, SEEK_SET);
    read_all(out_fd, &r.out);
    read_all(err_fd, &r.err);
    close(out_fd);
    close(err_fd);
    unlink(out_path);
    unlink(err_path);
    return r;
}

void run_result_free(struct run_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

json_t *run_cairn_json(const char *cwd, const char *const *args, int expect_status)
{
    struct run_result r = run_cairn(cwd, NULL, args);
    json_error_t jerr;
    json_t *v;

    if (r.status != expect_status)
        fprintf(stderr, "exit %d, expected %d\nstdout: %s\nstderr: %s\n", r.status,
                expect_status, r.out, r.err);
    assert_int_equal(r.status, expect_status);
    v = json_loads(r.out, 0, &jerr);
    if (!v)
        fprintf(stderr, "not JSON (%s): %s\nstderr: %s\n", jerr.text, r.out, r.err);
    assert_non_null(v);
    run_result_free(&r);
    return v;
}

char *make_temp_dir(void)
{
    char tmpl[] = "/tmp/cairn-testXXXXXX";
    char *p = mkdtemp(tmpl);

    assert_non_null(p);
    return strdup(p);
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void remove_tree(const char *path)
{
    nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

char *path_join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);

    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

void import_demo(const char *cwd, const char *data, const char *db)
{
    struct run_result r = run_cairn(cwd, NULL, ARGS("demo", "--out", data));

    if (r.status != 0)
        fail_msg("cairn demo failed: %s", r.err);
    run_result_free(&r);
    r = run_cairn(cwd, NULL, ARGS("--db", db, "init"));
    if (r.status != 0)
        fail_msg("cairn init failed: %s", r.err);
    run_result_free(&r);
    r = run_cairn(cwd, NULL, ARGS("--db", db, "import", data));
    if (r.status != 0)
        fail_msg("import failed: %s", r.err);
    run_result_free(&r);
}

void import_canonical_files(const char *dir, const char *db, const char *const (*files)[2],
                            size_t nfiles)
{
    char *data = path_join(dir, "data");
    struct run_result r;

    for (size_t i = 0; i < nfiles; i++)
        free(write_file(data, files[i][0], files[i][1]));
    r = run_cairn(dir, NULL, ARGS("--db", db, "init"));
    if (r.status != 0)
        fail_msg("cairn init failed: %s", r.err);
    run_result_free(&r);
    r = run_cairn(dir, NULL, ARGS("--db", db, "import", data));
    if (r.status != 0)
        fail_msg("import failed: %s%s", r.out, r.err);
    run_result_free(&r);
    free(data);
}

char *write_file(const char *dir, const char *name, const char *text)
{
    char *path = path_join(dir, name);
    char *slash = strrchr(path, '/');
    FILE *f;

    *slash = '\0';
    mkdir(path, 0755);
    *slash = '/';
    f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(text, 1, strlen(text), f);
    fclose(f);
    return path;
}

char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fclose(f);
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    fclose(f);
    if (len)
        *len = (size_t)n;
    return buf;
}
