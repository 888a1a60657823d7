/*
 * Database helpers for unit tests that open the store directly.
 */
#ifndef CAIRN_TEST_DBTEST_H
#define CAIRN_TEST_DBTEST_H

#include <stdint.h>

#include "db/db.h"

/* A database file in a new temporary folder, for one test. */
struct temp_db {
    char *dir, *path;
    struct db *db;
};

/* Creates and opens temp_db's database, named name; fails the test on
 * an error. Free with temp_db_close. */
void temp_db_open(struct temp_db *t, const char *name);
void temp_db_close(struct temp_db *t);

/* Runs a query that returns one integer (-1 for NULL or no row) and
 * fails the test on an error. */
int64_t db_int(struct db *db, const char *sql);

#endif
