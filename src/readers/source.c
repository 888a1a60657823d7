/*
 * The record-source front door. It detects the kind of file from its
 * first bytes (a ZIP archive is an XLSX workbook, an OLE2 compound file
 * an XLS workbook, anything else delimited text) and opens that reader.
 * A file named as a workbook that has neither signature and does not
 * look like text is rejected rather than read as text in some encoding.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "readers/decode.h"
#include "readers/source_impl.h"
#include "util/i18n.h"
#include "util/xalloc.h"

/* Whether the first bytes are an HTML page or an XML Spreadsheet 2003,
 * which web systems often save under an .xls name. */
static bool is_markup(const unsigned char *head, size_t n)
{
    char text[1025];
    const char *s = text;

    if (n > sizeof(text) - 1)
        n = sizeof(text) - 1;
    memcpy(text, head, n);
    text[n] = '\0';
    if (n >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF)
        s += 3;
    s += strspn(s, " \t\r\n");
    return *s == '<' && (strcasestr(s, "<html") || strcasestr(s, "<table") ||
                         strstr(s, "urn:schemas-microsoft-com:office:spreadsheet"));
}

/* Whether the name of path ends in ext (".xlsx"), ignoring case. */
static bool has_extension(const char *path, const char *ext)
{
    size_t n = strlen(path), e = strlen(ext);

    return n > e && !strcasecmp(path + n - e, ext);
}

/* Whether the first bytes look like text: UTF-16, or no control bytes
 * but tab, line feed and carriage return. Web systems often save text
 * exports under an .xls name, so such a file is still read as text. */
static bool looks_like_text(const unsigned char *head, size_t n)
{
    struct sniff_result enc;

    decode_sniff(head, n, false, &enc);
    if (enc.encoding == ENCODING_UTF16)
        return true;
    for (size_t i = 0; i < n; i++)
        if ((head[i] < 0x20 && head[i] != '\t' && head[i] != '\n' && head[i] != '\r') ||
            head[i] == 0x7F)
            return false;
    return true;
}

int source_format_of(const char *path, enum source_format *format, struct strbuf *err)
{
    static const unsigned char zip_magic[4] = {'P', 'K', 3, 4};
    static const unsigned char ole2_magic[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    unsigned char head[1024];
    size_t n;
    FILE *fp = fopen(path, "rb");

    if (!fp) {
        sb_addf(err, _("cannot open %s: %s"), path, strerror(errno));
        return -1;
    }
    n = fread(head, 1, sizeof(head), fp);
    fclose(fp);

    *format = FORMAT_TEXT;
    if (n >= sizeof(zip_magic) && !memcmp(head, zip_magic, sizeof(zip_magic))) {
        *format = FORMAT_XLSX;
    } else if (n >= sizeof(ole2_magic) && !memcmp(head, ole2_magic, sizeof(ole2_magic))) {
        *format = FORMAT_XLS;
    } else if (is_markup(head, n)) {
        sb_addf(err,
                _("%s is a web page or an XML spreadsheet, not a workbook or CSV file; open it in "
                  "Excel and save it as XLSX"),
                path);
        return -1;
    } else if (!looks_like_text(head, n)) {
        if (has_extension(path, ".xlsx") || has_extension(path, ".xlsm")) {
            sb_addf(err, _("%s is not an XLSX workbook (no zip signature): the file is damaged or is another kind of file under an .xlsx name"),
                    path);
            return -1;
        }
        if (has_extension(path, ".xls")) {
            sb_addf(err, _("%s is not an XLS workbook (no OLE2 signature): the file is damaged or is another kind of file under an .xls name"),
                    path);
            return -1;
        }
    }
    return 0;
}

char *source_sheet_label(const char *path, const char *sheet)
{
    struct strbuf sb = STRBUF_INIT;

    sb_addf(&sb, "%s#%s", path, sheet);
    return sb_detach(&sb);
}

struct source *source_open(const char *path, const struct source_options *opts, struct strbuf *err)
{
    static const struct source_options defaults;
    enum source_format format;
    struct source *src;
    int rc;

    if (!opts)
        opts = &defaults;
    if (source_format_of(path, &format, err))
        return NULL;

    src = xcalloc(1, sizeof(*src));
    src->error_offset = -1;
    src->encoding = ENCODING_UTF8;
    switch (format) {
    case FORMAT_XLSX:
        rc = xlsx_source_open(src, path, opts, err);
        break;
    case FORMAT_XLS:
        rc = xls_source_open(src, path, opts, err);
        break;
    default:
        rc = text_source_open(src, path, opts, err);
        break;
    }
    if (rc) {
        free(src->name);
        free(src);
        return NULL;
    }
    return src;
}

void source_close(struct source *src)
{
    if (!src)
        return;
    if (src->ops && src->impl)
        src->ops->close(src);
    free(src->name);
    free(src);
}

int source_next(struct source *src, struct source_record **rec, struct strbuf *err)
{
    src->error_line = 0;
    src->error_offset = -1;
    return src->ops->next(src, rec, err);
}

long source_error_line(const struct source *src)
{
    return src->error_line;
}

long long source_error_offset(const struct source *src)
{
    return src->error_offset;
}

const char *source_name(const struct source *src)
{
    return src->name;
}

enum source_encoding source_encoding_used(const struct source *src)
{
    return src->encoding;
}

const char *source_encoding_name(enum source_encoding enc)
{
    switch (enc) {
    case ENCODING_UTF8:
        return "UTF-8";
    case ENCODING_GB18030:
        return "GB18030";
    case ENCODING_UTF16:
        return "UTF-16";
    default:
        return "auto";
    }
}

int source_encoding_parse(const char *name, enum source_encoding *enc)
{
    static const struct {
        const char *name;
        enum source_encoding enc;
    } names[] = {
        {"auto", ENCODING_AUTO},       {"utf-8", ENCODING_UTF8},  {"utf8", ENCODING_UTF8},
        {"gb18030", ENCODING_GB18030}, {"gbk", ENCODING_GB18030}, {"gb2312", ENCODING_GB18030},
        {"utf-16", ENCODING_UTF16},    {"utf16", ENCODING_UTF16},
    };

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (!strcasecmp(name, names[i].name)) {
            *enc = names[i].enc;
            return 0;
        }
    }
    return -1;
}

long source_sheet_names(const char *path, char ***names, struct strbuf *err)
{
    enum source_format format;

    *names = NULL;
    if (source_format_of(path, &format, err))
        return -1;
    if (format == FORMAT_XLSX)
        return xlsx_sheet_names(path, names, err);
    if (format == FORMAT_XLS)
        return xls_sheet_names(path, names, err);
    sb_addf(err, _("%s is not an XLSX or XLS workbook"), path);
    return -1;
}

void source_free_names(char **names)
{
    if (!names)
        return;
    for (char **p = names; *p; p++)
        free(*p);
    free(names);
}
