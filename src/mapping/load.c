/*
 * Reading a mapping file: a JSON object with "sources" (name, file,
 * sheet, encoding, header, delimiter, whitespace) and "targets" (entity,
 * sql), each allowed a "comment". An SQL text may be one string or an
 * array of lines. Source files are named relative to the import PATH and
 * may not leave it.
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "mapping/internal.h"
#include "store/entities.h"
#include "util/i18n.h"
#include "util/xalloc.h"

static const char *source_keys[] = {"name",      "file",       "sheet",   "encoding", "header",
                                    "delimiter", "whitespace", "comment", NULL};
static const char *target_keys[] = {"entity", "sql", "comment", NULL};
static const char *top_keys[] = {"sources", "targets", "comment", NULL};

/* Appends a message to err; returns -1 for the caller to return. */
static int fail(struct strbuf *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct strbuf *err, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    sb_vaddf(err, fmt, ap);
    va_end(ap);
    return -1;
}

/* Whether every key of o is one of keys; else names the first other. */
static bool keys_known(json_t *o, const char *const *keys, const char *what, struct strbuf *err)
{
    const char *key;
    json_t *v;

    json_object_foreach(o, key, v)
    {
        size_t i;

        for (i = 0; keys[i] && strcmp(keys[i], key); i++)
            ;
        if (!keys[i]) {
            sb_addf(err, _("unknown key '%s' in %s"), key, what);
            return false;
        }
    }
    return true;
}

/* A string, or an array of strings joined by newlines; NULL otherwise. */
static char *text_or_lines(json_t *v)
{
    struct strbuf sb = STRBUF_INIT;
    json_t *line;
    size_t i;

    if (json_is_string(v))
        return xstrdup(json_string_value(v));
    if (!json_is_array(v) || !json_array_size(v))
        return NULL;
    json_array_foreach(v, i, line)
    {
        if (!json_is_string(line)) {
            sb_release(&sb);
            return NULL;
        }
        sb_addf(&sb, "%s%s", i ? "\n" : "", json_string_value(line));
    }
    return sb_detach(&sb);
}

/* A relative path that stays below its base: no leading '/', no "..". */
static bool path_is_inside(const char *file)
{
    const char *p = file;

    if (!*file || *file == '/')
        return false;
    while (*p) {
        size_t n = strcspn(p, "/");

        if (n == 2 && p[0] == '.' && p[1] == '.')
            return false;
        p += n;
        if (*p == '/')
            p++;
    }
    return true;
}

static bool name_is_valid(const char *name)
{
    return *name && !strchr(name, '"') && strncmp(name, "sqlite_", 7) && name[0] != '_';
}

static int load_source(struct mapping_source *s, json_t *o, const char *base, bool base_is_dir,
                       struct strbuf *err)
{
    json_t *name = json_object_get(o, "name"), *file = json_object_get(o, "file");
    json_t *sheet = json_object_get(o, "sheet"), *enc = json_object_get(o, "encoding");
    json_t *header = json_object_get(o, "header"), *delim = json_object_get(o, "delimiter");
    json_t *ws = json_object_get(o, "whitespace");
    struct strbuf sb = STRBUF_INIT;
    const char *slash;

    /* Checks first: every key has its type. */
    if (!json_is_object(o))
        return fail(err, "%s", _("each source must be a JSON object"));
    if (!keys_known(o, source_keys, _("a source"), err))
        return -1;
    if (!json_is_string(name) || !name_is_valid(json_string_value(name)))
        return fail(err, "%s",
                    _("each source needs a \"name\": the table its SELECTs read, without double "
                      "quotes and not starting with _ or sqlite_"));
    s->name = xstrdup(json_string_value(name));
    if ((file && !json_is_string(file)) ||
        (sheet && !json_is_string(sheet) && !json_is_null(sheet)) ||
        (enc && !json_is_string(enc)) || (header && !json_is_boolean(header)) ||
        (delim && !json_is_string(delim)) || (ws && !json_is_boolean(ws)))
        return fail(err,
                    _("source '%s': \"file\", \"sheet\", \"encoding\" and \"delimiter\" are "
                      "strings, \"header\" and \"whitespace\" true or false"),
                    s->name);
    if (file && !path_is_inside(json_string_value(file)))
        return fail(err,
                    _("source '%s': the file '%s' must be named relative to the imported "
                      "folder, without '..'"),
                    s->name, json_string_value(file));
    if (!file && base_is_dir)
        return fail(err, _("source '%s' needs a \"file\" inside the imported folder"), s->name);

    /* The file: below the folder, beside the workbook, or the workbook. */
    if (!file) {
        sb_add(&sb, base);
    } else if (base_is_dir) {
        sb_addf(&sb, "%s%s%s", base, base[strlen(base) - 1] == '/' ? "" : "/",
                json_string_value(file));
    } else {
        slash = strrchr(base, '/');
        if (slash)
            sb_addn(&sb, base, (size_t)(slash - base + 1));
        sb_add(&sb, json_string_value(file));
    }
    s->path = sb_detach(&sb);
    if (json_is_string(sheet)) {
        s->sheet = xstrdup(json_string_value(sheet));
        s->opts.sheet = s->sheet;
    }

    /* How it is read. */
    if (enc) {
        if (source_encoding_parse(json_string_value(enc), &s->opts.encoding))
            return fail(err,
                        _("source '%s': unknown encoding '%s': use auto, utf-8, gb18030 or utf-16"),
                        s->name, json_string_value(enc));
        s->encoding_set = true;
    }
    s->header = !header || json_is_true(header);
    s->opts.no_header = !s->header;
    s->opts.whitespace_separated = json_is_true(ws);
    if (delim) {
        const char *d = json_string_value(delim);

        if (!strcmp(d, "\t") || !strcmp(d, "tab"))
            s->opts.delimiter = '\t';
        else if (!strcmp(d, ",") || !strcmp(d, ";"))
            s->opts.delimiter = d[0];
        else
            return fail(err, _("source '%s': the delimiter must be \",\", \";\" or \"tab\""),
                        s->name);
    }
    if (s->sheet)
        sb_addf(&sb, "%s#%s", s->path, s->sheet);
    else
        sb_add(&sb, s->path);
    s->display = sb_detach(&sb);
    return 0;
}

static int load_target(struct mapping *m, struct mapping_target *t, json_t *o, struct strbuf *err)
{
    json_t *entity = json_object_get(o, "entity");

    t->m = m;
    if (!json_is_object(o))
        return fail(err, "%s", _("each target must be a JSON object"));
    if (!keys_known(o, target_keys, _("a target"), err))
        return -1;
    if (!json_is_string(entity))
        return fail(err, "%s", _("each target needs an \"entity\", such as orders"));
    t->entity = xstrdup(json_string_value(entity));
    t->sql = text_or_lines(json_object_get(o, "sql"));
    if (!t->sql)
        return fail(err, _("target '%s' needs \"sql\": a SELECT, as a string or an array of lines"),
                    t->entity);
    return 0;
}

/* Builds the mapping of the parsed file root (not taken); path names
 * the file in messages. Returns NULL with a message in err. */
static struct mapping *mapping_from_json(json_t *root, const char *path, const char *base,
                                         bool base_is_dir, struct strbuf *err)
{
    struct mapping *m = xcalloc(1, sizeof(*m));
    json_t *sources = json_object_get(root, "sources"), *targets = json_object_get(root, "targets");
    json_t *v;
    size_t i;

    m->path = xstrdup(path);
    if (!json_is_object(root) || !keys_known(root, top_keys, _("the mapping"), err) ||
        !json_is_array(sources) || !json_is_array(targets) || !json_array_size(targets)) {
        if (!err->len)
            sb_add(err,
                   _("a mapping file is a JSON object with \"sources\" and \"targets\" arrays"));
        goto fail;
    }

    m->sources = xcalloc(json_array_size(sources) + 1, sizeof(*m->sources));
    json_array_foreach(sources, i, v)
    {
        m->nsources++;
        if (load_source(&m->sources[i], v, base, base_is_dir, err))
            goto fail;
        for (size_t j = 0; j < i; j++)
            if (!strcasecmp(m->sources[j].name, m->sources[i].name)) {
                sb_addf(err, _("two sources are named '%s'"), m->sources[i].name);
                goto fail;
            }
    }
    m->targets = xcalloc(json_array_size(targets), sizeof(*m->targets));
    json_array_foreach(targets, i, v)
    {
        m->ntargets++;
        if (load_target(m, &m->targets[i], v, err))
            goto fail;
    }
    return m;
fail:
    mapping_free(m);
    return NULL;
}

struct mapping *mapping_load(const char *path, const char *base, struct strbuf *err)
{
    json_error_t jerr;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    struct mapping *m;
    struct stat st;

    if (!root && jerr.line > 0) {
        sb_addf(err, _("the mapping file %s is not valid JSON: %s (line %d)"), path, jerr.text,
                jerr.line);
        return NULL;
    }
    if (!root) {
        sb_addf(err, _("the mapping file %s cannot be read: %s"), path, jerr.text);
        return NULL;
    }
    m = mapping_from_json(root, path, base, stat(base, &st) == 0 && S_ISDIR(st.st_mode), err);
    json_decref(root);
    return m;
}

int mapping_check(const char *text, size_t len, bool workbook, json_t **targets_out,
                  struct mapping_problem *problem, struct strbuf *err)
{
    json_error_t jerr;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    struct mapping *m;
    int rc;

    *targets_out = NULL;
    problem->line = problem->column = problem->position = -1;
    if (!root) {
        sb_addf(err, _("the mapping is not valid JSON: %s"), jerr.text);
        if (jerr.line > 0) {
            problem->line = jerr.line;
            problem->column = jerr.column;
            problem->position = jerr.position;
        }
        return -1;
    }
    /* Source files are checked for their names only; nothing is read. */
    m = mapping_from_json(root, "mapping", workbook ? "data.xlsx" : "data", !workbook, err);
    json_decref(root);
    if (!m)
        return -1;
    *targets_out = json_array();
    for (size_t i = 0; i < m->ntargets; i++) {
        if (!entity_by_name(m->targets[i].entity)) {
            sb_addf(err, _("target '%s' is not an entity name such as orders or employees"),
                    m->targets[i].entity);
            json_decref(*targets_out);
            *targets_out = NULL;
            mapping_free(m);
            return -1;
        }
        json_array_append_new(*targets_out, json_string(m->targets[i].entity));
    }
    /* The SQL, prepared in the sandbox against empty staging tables. */
    rc = staging_open(m, err) || staging_create_empty(m, err) ? -1 : 0;
    if (!rc) {
        sandbox_enable(m);
        rc = sandbox_check_targets(m, err);
    }
    if (rc) {
        json_decref(*targets_out);
        *targets_out = NULL;
    }
    mapping_free(m);
    return rc;
}

void mapping_free(struct mapping *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->nsources; i++) {
        free(m->sources[i].name);
        free(m->sources[i].path);
        free(m->sources[i].sheet);
        free(m->sources[i].display);
    }
    for (size_t i = 0; i < m->ntargets; i++) {
        free(m->targets[i].entity);
        free(m->targets[i].sql);
    }
    free(m->sources);
    free(m->targets);
    free(m->path);
    if (m->db)
        sqlite3_close(m->db);
    free(m);
}
