/*
 * The streamed multipart body of an import upload (upload.c), as the
 * handler of POST /api/v1/import finds it.
 */
#ifndef CAIRN_WEB_UPLOAD_H
#define CAIRN_WEB_UPLOAD_H

#include <stdint.h>
#include <stdio.h>

#include "util/strbuf.h"

struct MHD_PostProcessor;

enum upload_error {
    UPLOAD_OK,
    UPLOAD_BAD,          /* the body is not a valid upload: 400 */
    UPLOAD_FIELD_LONG,   /* a text field is over UPLOAD_FIELD_MAX: 400 */
    UPLOAD_MAP_LARGE,    /* the map part is over UPLOAD_MAP_MAX: 400 */
    UPLOAD_IO,           /* the temporary files could not be written: 500 */
};

/* Largest text field (kind, encoding, date_order, dry_run) and mapping
 * part of an upload, in bytes. */
#define UPLOAD_FIELD_MAX 256
#define UPLOAD_MAP_MAX (1024 * 1024)

struct upload {
    struct MHD_PostProcessor *pp;
    uint64_t received; /* body bytes so far */
    char *dir;         /* temporary folder (NULL until a file part arrives) */
    FILE *file, *map;
    char *file_path, *map_path; /* inside dir; NULL when absent */
    size_t map_size;
    struct strbuf kind, encoding, date_order, dry_run;
    enum upload_error error;
    const char *problem; /* fixed English text for the log */
    const char *field;   /* the name of the field of UPLOAD_FIELD_LONG */
};

/* Ends the parse and closes the files. Returns 0, or -1 with up->error set. */
int upload_finish(struct upload *up);

/* Deletes the upload's files and folder; any argument may be NULL. */
void upload_remove_files(const char *dir, const char *file_path, const char *map_path);

#endif
