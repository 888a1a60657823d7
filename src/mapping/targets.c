/*
 * The import run's side of a mapping: loading it for the run's one PATH,
 * staging its sources and adding one file of the run per target. The
 * run then reads each target's rows through mapping_rows_* exactly as it
 * reads a file's records, so validation, keys, references and reports
 * are the same as for a canonical file.
 */
#include <stdlib.h>
#include <string.h>

#include "import/run.h"
#include "mapping/internal.h"
#include "util/i18n.h"
#include "util/xalloc.h"

/* A file of the run that only carries an error concerning all of it. */
static void file_failure(struct import_run *run, const char *path, long line, long long offset,
                         const char *message)
{
    struct import_file *f = run_add_file(run, path, NULL);

    run_error(run, f, (size_t)-1, line, -1, NULL, offset, message);
}

int mapping_add_targets(struct import_run *run, const char *const *paths, size_t npaths,
                        struct strbuf *err)
{
    const char *map_path = run->opts->map_path;
    struct strbuf msg = STRBUF_INIT;
    struct mapping *m;
    bool staged = true;
    long line;
    long long offset;

    if (npaths != 1) {
        file_failure(run, map_path, 0, -1,
                     _("with --map, give exactly one folder or workbook: the mapping names its "
                       "sources inside it"));
        goto out;
    }

    /* The mapping and its staging database. */
    m = mapping_load(map_path, paths[0], &msg);
    if (!m) {
        file_failure(run, map_path, 0, -1, msg.buf);
        goto out;
    }
    run->mapping = m;
    if (staging_open(m, err)) {
        sb_release(&msg);
        return -1;
    }

    /* Every source into its table; a source that cannot be read fails. */
    for (size_t i = 0; i < m->nsources; i++) {
        sb_reset(&msg);
        if (staging_load(m, &m->sources[i], &run->opts->source, &line, &offset, &msg)) {
            file_failure(run, m->sources[i].display, line, offset, msg.buf);
            staged = false;
        }
    }
    if (!staged)
        goto out;
    sandbox_enable(m);

    /* One file of the run per target, its rows read later. */
    for (size_t i = 0; i < m->ntargets; i++) {
        const struct entity_def *e = entity_by_name(m->targets[i].entity);
        struct import_file *f;

        if (!e) {
            sb_setf(&msg,
                    _("unknown entity '%s' in the mapping: use an entity name such as orders or "
                      "employees"),
                    m->targets[i].entity);
            file_failure(run, map_path, 0, -1, msg.buf);
            continue;
        }
        f = run_add_file(run, paths[0], e);
        f->target = &m->targets[i];
        f->hash_path = xstrdup(map_path);
    }
out:
    sb_release(&msg);
    return 0;
}
