/*
 * libFuzzer target for the record sources: the input is written to a
 * file and read to the end as text (in each encoding and both field
 * modes, chosen by the first byte), XLSX or XLS, as its first bytes
 * show. Every record must be well-formed: fields non-NULL and
 * NUL-terminated, lines positive and not decreasing.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "readers/source.h"
#include "util/xalloc.h"

static char path[64];

static void write_input(const uint8_t *data, size_t size)
{
    FILE *fp;

    if (!path[0]) {
        int fd;

        snprintf(path, sizeof(path), "/tmp/cairn-fuzz-source-XXXXXX");
        fd = mkstemp(path);
        if (fd < 0)
            abort();
        close(fd);
    }
    fp = fopen(path, "wb");
    if (!fp || fwrite(data, 1, size, fp) != size || fclose(fp))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct source_options opts = {0};
    struct strbuf err = STRBUF_INIT;
    struct source_record *rec;
    struct source *src;
    long last_line = 0;
    int rc;

    /* The first byte picks the options; the rest is the file. */
    if (size > 0) {
        opts.encoding = (enum source_encoding)(data[0] & 3);
        opts.whitespace_separated = data[0] & 4;
        opts.delimiter = (data[0] & 8) ? ';' : 0;
        opts.sheet = (data[0] & 16) ? "Sheet2" : NULL;
        data++;
        size--;
    }
    write_input(data, size);

    src = source_open(path, &opts, &err);
    if (!src)
        goto out;
    while ((rc = source_next(src, &rec, &err)) == 1) {
        if (rec->line < 1 || rec->line < last_line)
            abort();
        last_line = rec->line;
        for (size_t i = 0; i < rec->nfields; i++)
            if (!rec->fields[i] || strlen(rec->fields[i]) > size * 4 + 64)
                abort();
    }
    if (rc < 0 && source_error_offset(src) >= (long long)size + 1)
        abort();
    source_close(src);

out:
    sb_release(&err);
    return 0;
}
