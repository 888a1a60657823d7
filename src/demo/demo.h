/*
 * The demo company: a deterministic generator of a believable Chinese
 * city sales company, written as a canonical data set, with planted
 * stories that fire (or just miss) each early-warning rule at the
 * demo's fixed end date. "cairn demo" writes the data set or imports it
 * into a fresh demo database.
 */
#ifndef CAIRN_DEMO_H
#define CAIRN_DEMO_H

#include <stdint.h>
#include <jansson.h>

#include "util/strbuf.h"

/* The data runs from DEMO_FIRST_DAY to DEMO_LAST_DAY, both included, for
 * every seed and size; DEMO_LAST_DAY is the as-of date of the stories. */
#define DEMO_FIRST_DAY "2024-01-01"
#define DEMO_LAST_DAY "2026-11-30"

enum demo_size { DEMO_SMALL, DEMO_MEDIUM, DEMO_LARGE };

struct demo_options {
    uint64_t seed;
    enum demo_size size;
};

/* Row counts of a generated data set, for the summary. */
struct demo_counts {
    long units, employees, customers, orders;
};

/*
 * Writes the 16 canonical CSV files of the demo company into dir, which
 * must exist. On success returns 0, fills *counts and, when stories is
 * not NULL, sets *stories to the story manifest (a new reference, see
 * stories.c for its shape). Returns -1 with a message in err when a
 * file cannot be written.
 */
int demo_generate(const char *dir, const struct demo_options *opts, struct demo_counts *counts,
                  json_t **stories, struct strbuf *err);

/* The names of the files demo_generate writes. */
#define DEMO_NFILES 16
extern const char *const demo_file_names[DEMO_NFILES];

/* Creates the demo's web accounts, one per role, in db. Returns 0, or -1
 * with a message in err. */
struct db;
int demo_add_logins(struct db *db, struct strbuf *err);
/* Prints the demo accounts and their passwords. */
void demo_print_logins(void);

/* Parses "small", "medium" or "large"; returns 0 or -1. */
int demo_size_parse(const char *s, enum demo_size *out);
const char *demo_size_name(enum demo_size size);

#endif
