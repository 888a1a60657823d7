/*
 * The body of POST /api/v1/import: a multipart/form-data upload parsed by
 * libmicrohttpd's post processor as it arrives, so that the file goes
 * straight to a temporary folder and never sits in memory. The parts are
 * file (the data file; its name, reduced to a safe base name, gives the
 * entity as for "cairn import"), map (a mapping file, text or file part),
 * and the short text fields kind, encoding, date_order and dry_run.
 * Problems are kept in the upload and reported by the handler
 * (api_import.c), which runs after the whole body has arrived. The
 * session and CSRF checks run on the request's headers (server.c), so a
 * caller without a session gets its error before any of the body is read.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <microhttpd.h>

#include "util/charclass.h"
#include "util/xalloc.h"
#include "web/upload.h"
#include "web/web.h"

/* Largest base name kept of an uploaded file, in bytes. */
#define FILE_NAME_MAX 128

bool upload_route(const char *method, const char *path)
{
    return !strcmp(method, "POST") && !strcmp(path, "/api/v1/import");
}

/* Writes the file's base name to out, at most FILE_NAME_MAX bytes of
 * whole characters. Letters and digits of any script, spaces and
 * punctuation are kept, so that the report and the audit log show the
 * name the user gave. Control, format (invisible) and invalid UTF-8
 * characters become '_'. A leading '.' gets the prefix "upload", so that
 * the name cannot leave the folder or hide itself. */
static void safe_name(const char *given, struct strbuf *out)
{
    const char *slash = given ? strrchr(given, '/') : NULL, *base = slash ? slash + 1 : given;
    const char *back;
    size_t n, at = 0, start = out->len;

    if (base && (back = strrchr(base, '\\')))
        base = back + 1;
    n = base ? strlen(base) : 0;
    while (at < n) {
        size_t from = at;
        enum char_class class = char_class_next(base, n, &at);
        bool ok = class != CHAR_INVALID && class != CHAR_CONTROL && class != CHAR_FORMAT;

        if (out->len - start + (ok ? at - from : 1) > FILE_NAME_MAX)
            break;
        if (ok)
            sb_addn(out, base + from, at - from);
        else
            sb_addch(out, '_');
    }
    if (out->len == start || out->buf[start] == '.') {
        struct strbuf name = STRBUF_INIT;

        sb_add(&name, out->buf + start);
        sb_truncate(out, start);
        sb_addf(out, "upload%s", name.buf ? name.buf : "");
        sb_release(&name);
    }
}

/* Creates the upload's temporary folder and its data subfolder. */
static int make_folder(struct upload *up)
{
    const char *tmp = getenv("TMPDIR");
    struct strbuf path = STRBUF_INIT;

    sb_addf(&path, "%s/cairn-upload-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(path.buf)) {
        sb_release(&path);
        return -1;
    }
    up->dir = sb_detach(&path);
    sb_addf(&path, "%s/data", up->dir);
    if (mkdir(path.buf, 0700)) {
        sb_release(&path);
        return -1;
    }
    sb_release(&path);
    return 0;
}

static void fail(struct upload *up, enum upload_error error, const char *what)
{
    if (up->error == UPLOAD_OK) {
        up->error = error;
        up->problem = what;
    }
}

/* Opens the file of a file or map part. */
static FILE *open_part(struct upload *up, const char *name, char **path_out)
{
    struct strbuf path = STRBUF_INIT;
    FILE *f;

    if (!up->dir && make_folder(up)) {
        fail(up, UPLOAD_IO, "creating the upload folder");
        return NULL;
    }
    sb_addf(&path, "%s/%s", up->dir, name);
    f = fopen(path.buf, "wbx");
    if (!f) {
        fail(up, UPLOAD_IO, "creating the upload file");
        sb_release(&path);
        return NULL;
    }
    *path_out = sb_detach(&path);
    return f;
}

static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *filename, const char *content_type,
                               const char *transfer_encoding, const char *data, uint64_t off,
                               size_t size)
{
    struct upload *up = cls;
    struct strbuf *field = NULL;
    const char *field_name = NULL;

    (void)kind;
    (void)content_type;
    (void)transfer_encoding;
    if (up->error != UPLOAD_OK)
        return MHD_YES;

    if (!strcmp(key, "file")) {
        if (off == 0 && (up->file || up->file_path)) {
            fail(up, UPLOAD_BAD, "more than one file part");
            return MHD_YES;
        }
        if (!up->file) {
            struct strbuf name = STRBUF_INIT;

            sb_add(&name, "data/");
            safe_name(filename, &name);
            if (!strcmp(name.buf, "data/upload"))
                sb_add(&name, ".csv");
            up->file = open_part(up, name.buf, &up->file_path);
            sb_release(&name);
            if (!up->file)
                return MHD_YES;
        }
        if (size && fwrite(data, 1, size, up->file) != size)
            fail(up, UPLOAD_IO, "writing the upload file");
        return MHD_YES;
    }
    if (!strcmp(key, "map")) {
        if (!up->map && !up->map_path) {
            up->map = open_part(up, "map.json", &up->map_path);
            if (!up->map)
                return MHD_YES;
        }
        up->map_size += size;
        if (up->map_size > UPLOAD_MAP_MAX)
            fail(up, UPLOAD_MAP_LARGE, "the mapping file is too large");
        else if (size && up->map && fwrite(data, 1, size, up->map) != size)
            fail(up, UPLOAD_IO, "writing the mapping file");
        return MHD_YES;
    }

    if (!strcmp(key, "kind"))
        field = &up->kind, field_name = "kind";
    else if (!strcmp(key, "encoding"))
        field = &up->encoding, field_name = "encoding";
    else if (!strcmp(key, "date_order"))
        field = &up->date_order, field_name = "date_order";
    else if (!strcmp(key, "dry_run"))
        field = &up->dry_run, field_name = "dry_run";
    else
        return MHD_YES; /* unknown parts are ignored, as unknown query arguments are */
    if (field->len + size > UPLOAD_FIELD_MAX) {
        if (up->error == UPLOAD_OK)
            up->field = field_name;
        fail(up, UPLOAD_FIELD_LONG, "a text field is too long");
    }
    else
        sb_addn(field, data, size);
    return MHD_YES;
}

void upload_feed(struct request *req, const char *data, size_t size)
{
    struct upload *up = req->upload;

    if (!up) {
        up = req->upload = xcalloc(1, sizeof(*up));
        sb_init(&up->kind);
        sb_init(&up->encoding);
        sb_init(&up->date_order);
        sb_init(&up->dry_run);
        up->pp = MHD_create_post_processor(req->conn, 64 * 1024, on_part, up);
        if (!up->pp)
            fail(up, UPLOAD_BAD, "the body is not multipart/form-data");
    }
    up->received += size;
    if (up->received > WEB_UPLOAD_MAX) {
        req->body_too_large = true;
        return;
    }
    if (up->error == UPLOAD_OK && MHD_post_process(up->pp, data, size) != MHD_YES)
        fail(up, UPLOAD_BAD, "the multipart body is malformed");
}

int upload_finish(struct upload *up)
{
    if (up->pp) {
        if (MHD_destroy_post_processor(up->pp) != MHD_YES)
            fail(up, UPLOAD_BAD, "the multipart body ends early");
        up->pp = NULL;
    }
    if (up->file && fclose(up->file))
        fail(up, UPLOAD_IO, "writing the upload file");
    up->file = NULL;
    if (up->map && fclose(up->map))
        fail(up, UPLOAD_IO, "writing the mapping file");
    up->map = NULL;
    return up->error == UPLOAD_OK ? 0 : -1;
}

void upload_remove_files(const char *dir, const char *file_path, const char *map_path)
{
    struct strbuf data = STRBUF_INIT;

    if (file_path)
        unlink(file_path);
    if (map_path)
        unlink(map_path);
    if (dir) {
        sb_addf(&data, "%s/data", dir);
        rmdir(data.buf);
        rmdir(dir);
    }
    sb_release(&data);
}

void upload_free(struct upload *up)
{
    if (!up)
        return;
    if (up->pp)
        MHD_destroy_post_processor(up->pp);
    if (up->file)
        fclose(up->file);
    if (up->map)
        fclose(up->map);
    upload_remove_files(up->dir, up->file_path, up->map_path);
    free(up->dir);
    free(up->file_path);
    free(up->map_path);
    sb_release(&up->kind);
    sb_release(&up->encoding);
    sb_release(&up->date_order);
    sb_release(&up->dry_run);
    free(up);
}
