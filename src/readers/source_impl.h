/*
 * The inside of struct source, shared by the readers behind source.h:
 * each kind of file (delimited text, XLSX, XLS) fills in an operations
 * table and keeps its own state in impl. Only src/readers includes this.
 */
#ifndef CAIRN_SOURCE_IMPL_H
#define CAIRN_SOURCE_IMPL_H

#include "readers/source.h"

struct source_ops {
    /* Same contract as source_next; sets src->error_line and
     * src->error_offset before returning -1. */
    int (*next)(struct source *src, struct source_record **rec, struct strbuf *err);
    /* Frees impl; source_close frees the rest. */
    void (*close)(struct source *src);
};

struct source {
    const struct source_ops *ops;
    char *name;
    enum source_encoding encoding; /* the encoding read (text files) */
    long error_line;
    long long error_offset;
    void *impl;
};

/* Each reader's opener fills src->ops, src->impl and src->name; on
 * failure it returns -1 with a message in err and leaves src->impl NULL. */
int text_source_open(struct source *src, const char *path, const struct source_options *opts,
                     struct strbuf *err);
int xlsx_source_open(struct source *src, const char *path, const struct source_options *opts,
                     struct strbuf *err);
int xls_source_open(struct source *src, const char *path, const struct source_options *opts,
                    struct strbuf *err);

/* The sheet names of a workbook, as source_sheet_names returns them. */
long xlsx_sheet_names(const char *path, char ***names, struct strbuf *err);
long xls_sheet_names(const char *path, char ***names, struct strbuf *err);

/* A new "path#sheet" string, the name of a workbook source. */
char *source_sheet_label(const char *path, const char *sheet);

/* Detects the kind of file at path from its first bytes. */
enum source_format { FORMAT_TEXT, FORMAT_XLSX, FORMAT_XLS };
int source_format_of(const char *path, enum source_format *format, struct strbuf *err);

#endif
