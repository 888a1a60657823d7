/*
 * "cairn demo": writes the demo company as a canonical data set (--out),
 * or builds a fresh demo database from it through the importer and
 * serves it. A demo database is marked with meta('demo', '1') and has
 * one web account per role. An existing file that is not a demo
 * database is never replaced. The database is built beside its final
 * path and renamed over it only when the import succeeded.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/commands.h"
#include "demo/demo.h"
#include "import/import.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "web/server.h"

struct demo_args {
    struct demo_options opts;
    const char *out, *stories, *listen;
    bool no_serve;
    struct sockaddr_storage addr;
};

static int parse_args(struct cli *cli, int argc, char **argv, struct demo_args *a)
{
    static const struct option options[] = {
        {"out", required_argument, NULL, 'o'},    {"seed", required_argument, NULL, 's'},
        {"size", required_argument, NULL, 'z'},   {"listen", required_argument, NULL, 'l'},
        {"stories", required_argument, NULL, 'j'}, {"no-serve", no_argument, NULL, 'n'},
        {NULL, 0, NULL, 0},
    };
    struct strbuf err = STRBUF_INIT;
    socklen_t len;
    int c, rc;

    a->opts.seed = 1;
    a->opts.size = DEMO_SMALL;
    a->listen = "127.0.0.1:8080";
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+", options, NULL)) != -1) {
        char *end;

        switch (c) {
        case 'o':
            a->out = optarg;
            break;
        case 's':
            errno = 0;
            a->opts.seed = strtoull(optarg, &end, 10);
            if (errno || end == optarg || *end || *optarg == '-' ||
                a->opts.seed > (uint64_t)INT64_MAX)
                return cli_usage_error(cli, _("invalid seed '%s': use a whole number from 0 to %lld"),
                                       optarg, (long long)INT64_MAX);
            break;
        case 'z':
            if (demo_size_parse(optarg, &a->opts.size))
                return cli_usage_error(cli, _("unknown size '%s': use small, medium or large"),
                                       optarg);
            break;
        case 'l':
            a->listen = optarg;
            break;
        case 'n':
            a->no_serve = true;
            break;
        case 'j':
            a->stories = optarg;
            break;
        default:
            return cli_bad_option(cli, optopt, argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error(cli, _("unexpected argument '%s'"), argv[optind]);
    if (server_parse_listen(a->listen, &a->addr, &len, &err)) {
        rc = cli_usage_error(cli, "%s", err.buf);
        sb_release(&err);
        return rc;
    }
    return EXIT_OK;
}

/* Creates dir, or accepts an existing empty one. */
static int prepare_out(const char *dir)
{
    struct stat st;

    if (mkdir(dir, 0777) == 0)
        return 0;
    if (errno != EEXIST || stat(dir, &st) || !S_ISDIR(st.st_mode)) {
        cli_error(_("cannot create folder %s: %s"), dir, strerror(errno == EEXIST ? ENOTDIR : errno));
        return -1;
    }
    if (rmdir(dir) == 0 && mkdir(dir, 0777) == 0)
        return 0; /* it was empty */
    cli_error(_("%s is not empty: give an empty or new folder to --out"), dir);
    return -1;
}

static int write_stories(const char *path, json_t *stories)
{
    if (json_dump_file(stories, path, JSON_INDENT(2) | JSON_REAL_PRECISION(15)) ) {
        cli_error(_("cannot write %s: %s"), path, strerror(errno));
        return -1;
    }
    return 0;
}

/* Whether path may be (re)built: absent, or a Cairn demo database. The
 * check opens the file read-only, so a refused database is not touched. */
static bool replaceable(const char *path)
{
    struct strbuf err = STRBUF_INIT;
    struct db *db = NULL;
    int64_t demo = 0;

    if (access(path, F_OK) != 0)
        return true;
    if (!db_is_cairn_file(path) || db_open(&db, path, DB_OPEN_READONLY, &err)) {
        sb_release(&err);
        return false;
    }
    if (db_query_int64(db, "SELECT count(*) FROM meta WHERE key = 'demo' AND value = '1'", 0,
                       &demo, &err))
        demo = 0;
    db_close(db);
    sb_release(&err);
    return demo > 0;
}

static void remove_files(const char *dir)
{
    struct strbuf path = STRBUF_INIT;

    for (size_t i = 0; i < DEMO_NFILES; i++) {
        sb_setf(&path, "%s/%s", dir, demo_file_names[i]);
        unlink(path.buf);
    }
    rmdir(dir);
    sb_release(&path);
}

static void remove_db(const char *path)
{
    struct strbuf p = STRBUF_INIT;

    unlink(path);
    sb_setf(&p, "%s-wal", path);
    unlink(p.buf);
    sb_setf(&p, "%s-shm", path);
    unlink(p.buf);
    sb_release(&p);
}

/* Imports the data set in dir into a new database at path and marks it
 * as a demo database. */
static int import_demo(const char *dir, const char *path, const struct demo_options *opts)
{
    struct import_options iopts = {0};
    struct strbuf err = STRBUF_INIT;
    const char *paths[] = {dir};
    json_t *report = NULL;
    struct db *db = NULL;
    char seed[32];
    int rc = -1, status;

    if (db_open(&db, path, DB_OPEN_CREATE, &err)) {
        cli_error("%s", err.buf);
        goto out;
    }
    status = import_run(db, paths, 1, &iopts, &report, &err);
    if (status < 0) {
        cli_error("%s", err.buf);
        goto out;
    }
    if (status != IMPORT_OK) {
        char *text = json_dumps(report, JSON_COMPACT);

        cli_error(_("the demo data set was rejected by the importer (a bug): %s"), text);
        free(text);
        goto out;
    }
    snprintf(seed, sizeof(seed), "%llu", (unsigned long long)opts->seed);
    {
        struct db_stmt *st = db_prepare(
            db, "INSERT OR REPLACE INTO meta (key, value) VALUES ('demo', '1'), ('demo.seed', ?), "
                "('demo.size', ?)",
            &err);

        if (!st) {
            cli_error("%s", err.buf);
            goto out;
        }
        db_bind_text(st, 1, seed);
        db_bind_text(st, 2, demo_size_name(opts->size));
        status = db_step(st, &err);
        db_finalize(st);
        if (status == DB_ERROR) {
            cli_error("%s", err.buf);
            goto out;
        }
    }
    if (demo_add_logins(db, &err)) {
        cli_error("%s", err.buf);
        goto out;
    }
    rc = 0;
out:
    json_decref(report);
    if (db)
        db_close(db);
    sb_release(&err);
    return rc;
}

static void print_summary(const char *what, const struct demo_args *a,
                          const struct demo_counts *counts, json_t *stories)
{
    json_t *s;
    size_t i;

    printf(_("%s: demo company, seed %llu, size %s.\n"), what, (unsigned long long)a->opts.seed,
           demo_size_name(a->opts.size));
    printf(_("Data from %s to %s: %ld units, %ld employees, %ld customers, %ld orders.\n"),
           DEMO_FIRST_DAY, DEMO_LAST_DAY, counts->units, counts->employees, counts->customers,
           counts->orders);
    printf(_("Planted stories, as of %s (see docs/demo.md):\n"), DEMO_LAST_DAY);
    json_array_foreach(json_object_get(stories, "stories"), i, s) {
        bool fires = json_is_true(json_object_get(s, "fires"));

        printf("  %-22s %-20s %-28s %s\n", json_string_value(json_object_get(s, "rule")),
               json_string_value(json_object_get(s, "scope")),
               json_string_value(json_object_get(s, "subject")),
               fires ? _("fires") : _("near miss: must not fire"));
    }
}

int cmd_demo(struct cli *cli, int argc, char **argv)
{
    struct demo_args a = {0};
    struct demo_counts counts = {0};
    struct strbuf err = STRBUF_INIT, tmp = STRBUF_INIT;
    json_t *stories = NULL;
    const char *db_path = cli->db_on_command_line ? cli->db_path : "demo.db";
    char *dir = NULL;
    int rc;

    rc = parse_args(cli, argc, argv, &a);
    if (rc != EXIT_OK)
        return rc;
    rc = EXIT_FAILED;

    /* --out: the data set only. */
    if (a.out) {
        if (prepare_out(a.out))
            goto out;
        if (demo_generate(a.out, &a.opts, &counts, &stories, &err)) {
            cli_error("%s", err.buf);
            goto out;
        }
        if (a.stories && write_stories(a.stories, stories))
            goto out;
        print_summary(a.out, &a, &counts, stories);
        rc = EXIT_OK;
        goto out;
    }

    /* A demo database: generate into a temporary folder, import into a
     * new file beside the target, then rename it over the target. */
    if (!replaceable(db_path)) {
        cli_error(_("%s exists and is not a demo database; it was left untouched (give another "
                    "path with --db)"),
                  db_path);
        goto out;
    }
    sb_setf(&tmp, "%s/cairn-demo-XXXXXX", getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    dir = xstrdup(tmp.buf);
    if (!mkdtemp(dir)) {
        cli_error(_("cannot create a temporary folder: %s"), strerror(errno));
        free(dir);
        dir = NULL;
        goto out;
    }
    if (demo_generate(dir, &a.opts, &counts, &stories, &err)) {
        cli_error("%s", err.buf);
        goto out;
    }
    sb_setf(&tmp, "%s.new", db_path);
    remove_db(tmp.buf);
    if (import_demo(dir, tmp.buf, &a.opts)) {
        remove_db(tmp.buf);
        goto out;
    }
    remove_db(db_path);
    if (rename(tmp.buf, db_path)) {
        cli_error(_("cannot rename %s to %s: %s"), tmp.buf, db_path, strerror(errno));
        goto out;
    }
    if (a.stories && write_stories(a.stories, stories))
        goto out;
    print_summary(db_path, &a, &counts, stories);
    demo_print_logins();
    if (a.no_serve) {
        printf(_("Not serving (--no-serve); 'cairn --db %s serve' serves it later.\n"), db_path);
        rc = EXIT_OK;
        goto out;
    }
    fflush(stdout);
    rc = server_run(db_path, &a.addr) ? EXIT_FAILED : EXIT_OK;
out:
    if (dir) {
        remove_files(dir);
        free(dir);
    }
    json_decref(stories);
    sb_release(&err);
    sb_release(&tmp);
    return rc;
}
