/*
 * Helpers for tests: running the real cairn binary with captured output,
 * temporary folders, and small file utilities.
 */
#ifndef CAIRN_TEST_SUPPORT_H
#define CAIRN_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>

struct run_result {
    int status;  /* exit code, or 128 + signal */
    char *out;   /* stdout, NUL-terminated */
    char *err;   /* stderr */
};

/* Runs cairn with the given arguments (NULL-terminated), in folder cwd
 * (NULL: the current one), with stdin from the string input (NULL: empty),
 * and LANG=C.UTF-8 unless the caller set it. */
struct run_result run_cairn(const char *cwd, const char *input, const char *const *args);
void run_result_free(struct run_result *r);

/* Runs cairn and parses its stdout as JSON; fails the test if it is not. */
json_t *run_cairn_json(const char *cwd, const char *const *args, int expect_status);

/* Creates a fresh temporary folder; the caller frees the path and may
 * remove the folder with remove_tree. */
char *make_temp_dir(void);
void remove_tree(const char *path);

/* Writes text to dir/name, creating dir/name's folder; returns the path. */
char *write_file(const char *dir, const char *name, const char *text);
/* Reads a whole file; NULL when it cannot be read. *len may be NULL. */
char *read_file(const char *path, size_t *len);

/* Joins a folder and a name into a new string. */
char *path_join(const char *dir, const char *name);

/* Writes the small demo company (seed 1) to the folder data and imports
 * it into a new database at db, running cairn in cwd. Fails the test
 * when a step fails. */
void import_demo(const char *cwd, const char *data, const char *db);

/* Writes the canonical files (name, text) to the folder dir/data and
 * imports them into a new database at db. Fails the test when a step
 * fails. */
void import_canonical_files(const char *dir, const char *db, const char *const (*files)[2],
                            size_t nfiles);

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

#endif
