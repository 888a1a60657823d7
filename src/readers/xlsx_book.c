/*
 * Reading the package side of an XLSX workbook: relationships, the sheet
 * list, shared strings and styles. Every part is parsed by expat from
 * chunks of zip_fread, so no part is ever held whole (the shared strings
 * themselves are kept, since cells refer to them by index).
 */
#include <stdlib.h>
#include <string.h>

#include "readers/xlsx.h"
#include "util/hex.h"
#include "util/i18n.h"
#include "util/xalloc.h"

const char *xml_local(const char *name)
{
    const char *bar = strrchr(name, '|');

    return bar ? bar + 1 : name;
}

const char *xml_attr(const char **attrs, const char *local)
{
    for (size_t i = 0; attrs[i]; i += 2)
        if (!strcmp(xml_local(attrs[i]), local))
            return attrs[i + 1];
    return NULL;
}

XML_Parser xlsx_parser_create(void *user_data, XML_StartElementHandler start,
                              XML_EndElementHandler end, XML_CharacterDataHandler text)
{
    XML_Parser parser = XML_ParserCreateNS(NULL, '|');

    if (!parser)
        BUG("out of memory creating an XML parser");
    XML_SetUserData(parser, user_data);
    XML_SetElementHandler(parser, start, end);
    if (text)
        XML_SetCharacterDataHandler(parser, text);
    return parser;
}

int xlsx_parse_part(zip_t *zip, const char *part, XML_Parser parser, struct strbuf *err)
{
    char chunk[65536];
    zip_int64_t n;
    int ret = -1;
    zip_file_t *file = zip_fopen(zip, part, 0);

    if (!file) {
        sb_addf(err, _("the workbook has no part %s (%s)"), part, zip_strerror(zip));
        return -1;
    }
    do {
        n = zip_fread(file, chunk, sizeof(chunk));
        if (n < 0) {
            sb_addf(err, _("cannot read the workbook part %s (%s)"), part, zip_file_strerror(file));
            goto out;
        }
        if (XML_Parse(parser, chunk, (int)n, n == 0) == XML_STATUS_ERROR) {
            sb_addf(err, _("the workbook part %s is not well-formed XML (line %lu: %s)"), part,
                    (unsigned long)XML_GetCurrentLineNumber(parser),
                    XML_ErrorString(XML_GetErrorCode(parser)));
            goto out;
        }
    } while (n > 0);
    ret = 0;

out:
    zip_fclose(file);
    return ret;
}

/* Appends code point cp as UTF-8. */
static void add_utf8(struct strbuf *sb, unsigned cp)
{
    if (cp < 0x80) {
        sb_addch(sb, (char)cp);
    } else if (cp < 0x800) {
        sb_addch(sb, (char)(0xC0 | cp >> 6));
        sb_addch(sb, (char)(0x80 | (cp & 0x3F)));
    } else {
        sb_addch(sb, (char)(0xE0 | cp >> 12));
        sb_addch(sb, (char)(0x80 | (cp >> 6 & 0x3F)));
        sb_addch(sb, (char)(0x80 | (cp & 0x3F)));
    }
}

void xlsx_unescape(struct strbuf *text)
{
    struct strbuf out = STRBUF_INIT;
    const char *s = sb_str(text);

    if (!strstr(s, "_x"))
        return;
    for (size_t i = 0; i < text->len; i++) {
        unsigned cp = 0;
        bool escape = s[i] == '_' && s[i + 1] == 'x' && i + 7 <= text->len && s[i + 6] == '_';

        for (int k = 2; escape && k < 6; k++) {
            int h = hex_digit_value(s[i + k]);

            if (h < 0)
                escape = false;
            cp = cp << 4 | (unsigned)(h < 0 ? 0 : h);
        }
        if (escape && !(cp >= 0xD800 && cp <= 0xDFFF) && cp != 0) {
            add_utf8(&out, cp);
            i += 6;
        } else {
            sb_addch(&out, s[i]);
        }
    }
    sb_release(text);
    *text = out;
}

/* Relationships: Id, Type and Target of each <Relationship>. */
struct rel {
    char *id, *type, *target;
};

struct rels {
    struct rel *items;
    size_t n, alloc;
};

static void rels_start(void *data, const char *name, const char **attrs)
{
    struct rels *rels = data;
    const char *id = xml_attr(attrs, "Id"), *type = xml_attr(attrs, "Type");
    const char *target = xml_attr(attrs, "Target");

    if (strcmp(xml_local(name), "Relationship") || !id || !type || !target)
        return;
    XGROW(rels->items, rels->alloc, rels->n + 1);
    rels->items[rels->n++] = (struct rel){xstrdup(id), xstrdup(type), xstrdup(target)};
}

static void ignore_end(void *data, const char *name)
{
    (void)data;
    (void)name;
}

static void rels_free(struct rels *rels)
{
    for (size_t i = 0; i < rels->n; i++) {
        free(rels->items[i].id);
        free(rels->items[i].type);
        free(rels->items[i].target);
    }
    free(rels->items);
}

static int read_rels(zip_t *zip, const char *part, struct rels *rels, struct strbuf *err)
{
    XML_Parser parser = xlsx_parser_create(rels, rels_start, ignore_end, NULL);
    int rc = xlsx_parse_part(zip, part, parser, err);

    XML_ParserFree(parser);
    return rc;
}

/* The relationship whose type ends in "/suffix" (or has that id). */
static const struct rel *rel_find(const struct rels *rels, const char *type_suffix, const char *id)
{
    for (size_t i = 0; i < rels->n; i++) {
        const struct rel *r = &rels->items[i];
        size_t tl = strlen(r->type), sl = type_suffix ? strlen(type_suffix) : 0;

        if (id && !strcmp(r->id, id))
            return r;
        if (type_suffix && tl > sl && r->type[tl - sl - 1] == '/' &&
            !strcmp(r->type + tl - sl, type_suffix))
            return r;
    }
    return NULL;
}

/* Resolves a relationship target against the folder of the part that
 * owns the relationships ("xl"); an absolute target starts at the root. */
static char *resolve_target(const char *dir, const char *target)
{
    struct strbuf sb = STRBUF_INIT;

    if (target[0] == '/')
        return xstrdup(target + 1);
    if (*dir)
        sb_addf(&sb, "%s/", dir);
    while (!strncmp(target, "../", 3) && sb.len) {
        char *slash;

        sb_truncate(&sb, sb.len - 1);
        slash = strrchr(sb.buf, '/');
        sb_truncate(&sb, slash ? (size_t)(slash - sb.buf) + 1 : 0);
        target += 3;
    }
    sb_add(&sb, target);
    return sb_detach(&sb);
}

/* workbook.xml: the sheets in order, with their relationship ids. */
struct workbook_scan {
    struct xlsx_book *book;
    char **rids; /* parallel to book->sheets while scanning */
    size_t nrids, rids_alloc;
};

static void workbook_start(void *data, const char *name, const char **attrs)
{
    struct workbook_scan *scan = data;
    struct xlsx_book *book = scan->book;
    const char *local = xml_local(name);

    if (!strcmp(local, "workbookPr")) {
        const char *v = xml_attr(attrs, "date1904");

        book->date1904 = v && (!strcmp(v, "1") || !strcmp(v, "true"));
    } else if (!strcmp(local, "sheet")) {
        const char *sheet_name = xml_attr(attrs, "name"), *rid = xml_attr(attrs, "id");

        if (!sheet_name || !rid)
            return;
        XGROW(book->sheets, book->sheets_alloc, book->nsheets + 1);
        book->sheets[book->nsheets++] = (struct xlsx_sheet){xstrdup(sheet_name), NULL};
        XGROW(scan->rids, scan->rids_alloc, scan->nrids + 1);
        scan->rids[scan->nrids++] = xstrdup(rid);
    }
}

/* Reads the sheet list and the locations of shared strings and styles. */
static int read_workbook(struct xlsx_book *book, struct strbuf *err)
{
    struct rels root = {0}, wb_rels = {0};
    struct workbook_scan scan = {book, NULL, 0, 0};
    struct strbuf rels_part = STRBUF_INIT;
    const struct rel *r;
    char *workbook = NULL, *dir = NULL, *slash;
    XML_Parser parser = NULL;
    size_t kept = 0;
    int ret = -1;

    /* The package relationships name the workbook part. */
    if (zip_name_locate(book->zip, "_rels/.rels", 0) >= 0) {
        if (read_rels(book->zip, "_rels/.rels", &root, err))
            goto out;
        r = rel_find(&root, "officeDocument", NULL);
        if (r)
            workbook = resolve_target("", r->target);
    }
    if (!workbook)
        workbook = xstrdup("xl/workbook.xml");
    dir = xstrdup(workbook);
    slash = strrchr(dir, '/');
    *(slash ? slash : dir) = '\0';

    /* The sheets, then the workbook's relationships. */
    parser = xlsx_parser_create(&scan, workbook_start, ignore_end, NULL);
    if (xlsx_parse_part(book->zip, workbook, parser, err))
        goto out;
    sb_addf(&rels_part, "%s%s_rels/%s.rels", dir, *dir ? "/" : "", slash ? slash + 1 : workbook);
    if (read_rels(book->zip, rels_part.buf, &wb_rels, err))
        goto out;

    /* Keep the worksheets, in order; chart sheets have no cells. */
    for (size_t i = 0; i < book->nsheets; i++) {
        r = rel_find(&wb_rels, NULL, scan.rids[i]);
        if (r && strlen(r->type) > 10 && !strcmp(r->type + strlen(r->type) - 10, "/worksheet")) {
            book->sheets[kept].name = book->sheets[i].name;
            book->sheets[kept++].part = resolve_target(dir, r->target);
        } else {
            free(book->sheets[i].name);
        }
    }
    book->nsheets = kept;
    r = rel_find(&wb_rels, "sharedStrings", NULL);
    if (r)
        book->strings_part = resolve_target(dir, r->target);
    r = rel_find(&wb_rels, "styles", NULL);
    if (r)
        book->styles_part = resolve_target(dir, r->target);
    ret = 0;

out:
    if (parser)
        XML_ParserFree(parser);
    for (size_t i = 0; i < scan.nrids; i++)
        free(scan.rids[i]);
    free(scan.rids);
    rels_free(&root);
    rels_free(&wb_rels);
    sb_release(&rels_part);
    free(workbook);
    free(dir);
    return ret;
}

/* sharedStrings.xml: the text of each <si>, its phonetic runs left out. */
struct strings_scan {
    struct xlsx_book *book;
    int rph_depth;
    bool in_t;
    struct strbuf text;
};

static void strings_start(void *data, const char *name, const char **attrs)
{
    struct strings_scan *scan = data;
    const char *local = xml_local(name);

    (void)attrs;
    if (!strcmp(local, "si"))
        sb_reset(&scan->text);
    else if (!strcmp(local, "rPh"))
        scan->rph_depth++;
    else if (!strcmp(local, "t") && !scan->rph_depth)
        scan->in_t = true;
}

static void strings_end(void *data, const char *name)
{
    struct strings_scan *scan = data;
    struct xlsx_book *book = scan->book;
    const char *local = xml_local(name);

    if (!strcmp(local, "t")) {
        scan->in_t = false;
    } else if (!strcmp(local, "rPh")) {
        scan->rph_depth--;
    } else if (!strcmp(local, "si")) {
        xlsx_unescape(&scan->text);
        XGROW(book->strings, book->strings_alloc, book->nstrings + 1);
        book->strings[book->nstrings++] = xstrdup(sb_str(&scan->text));
    }
}

static void strings_text(void *data, const char *s, int len)
{
    struct strings_scan *scan = data;

    if (scan->in_t)
        sb_addn(&scan->text, s, (size_t)len);
}

/* styles.xml: custom number formats, then the cell styles (cellXfs). */
struct styles_scan {
    struct xlsx_book *book;
    bool in_cell_xfs;
    int *fmt_ids;
    unsigned char *fmt_kinds;
    size_t nfmts, ids_alloc, kinds_alloc;
};

static void styles_start(void *data, const char *name, const char **attrs)
{
    struct styles_scan *scan = data;
    struct xlsx_book *book = scan->book;
    const char *local = xml_local(name), *id = xml_attr(attrs, "numFmtId");

    if (!strcmp(local, "cellXfs")) {
        scan->in_cell_xfs = true;
    } else if (!strcmp(local, "numFmt") && id) {
        const char *code = xml_attr(attrs, "formatCode");

        XGROW(scan->fmt_ids, scan->ids_alloc, scan->nfmts + 1);
        XGROW(scan->fmt_kinds, scan->kinds_alloc, scan->nfmts + 1);
        scan->fmt_ids[scan->nfmts] = (int)strtol(id, NULL, 10);
        scan->fmt_kinds[scan->nfmts++] =
            (unsigned char)(code ? cell_format_kind(code) : CELL_NUMBER);
    } else if (!strcmp(local, "xf") && scan->in_cell_xfs) {
        int fmt = id ? (int)strtol(id, NULL, 10) : 0;
        enum cell_kind kind = cell_builtin_kind(fmt);

        for (size_t i = 0; i < scan->nfmts; i++)
            if (scan->fmt_ids[i] == fmt)
                kind = (enum cell_kind)scan->fmt_kinds[i];
        XGROW(book->xf_kinds, book->xf_alloc, book->nxf + 1);
        book->xf_kinds[book->nxf++] = (unsigned char)kind;
    }
}

static void styles_end(void *data, const char *name)
{
    struct styles_scan *scan = data;

    if (!strcmp(xml_local(name), "cellXfs"))
        scan->in_cell_xfs = false;
}

static int read_cells_info(struct xlsx_book *book, struct strbuf *err)
{
    struct strings_scan strings = {book, 0, false, STRBUF_INIT};
    struct styles_scan styles = {book, false, NULL, NULL, 0, 0, 0};
    XML_Parser parser;
    int ret = 0;

    if (book->strings_part) {
        parser = xlsx_parser_create(&strings, strings_start, strings_end, strings_text);
        ret = xlsx_parse_part(book->zip, book->strings_part, parser, err);
        XML_ParserFree(parser);
        sb_release(&strings.text);
    }
    if (!ret && book->styles_part) {
        parser = xlsx_parser_create(&styles, styles_start, styles_end, NULL);
        ret = xlsx_parse_part(book->zip, book->styles_part, parser, err);
        XML_ParserFree(parser);
        free(styles.fmt_ids);
        free(styles.fmt_kinds);
    }
    return ret;
}

int xlsx_book_open(struct xlsx_book *book, const char *path, bool cells, struct strbuf *err)
{
    int zerr = 0;

    memset(book, 0, sizeof(*book));
    book->zip = zip_open(path, ZIP_RDONLY, &zerr);
    if (!book->zip) {
        zip_error_t ze;

        zip_error_init_with_code(&ze, zerr);
        if (zerr == ZIP_ER_NOZIP || zerr == ZIP_ER_INCONS || zerr == ZIP_ER_CRC)
            sb_addf(err, _("%s is not a valid XLSX workbook (%s); it may be truncated or damaged, so save it again from Excel"),
                    path, zip_error_strerror(&ze));
        else
            sb_addf(err, _("cannot open the workbook %s (%s)"), path, zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return -1;
    }
    if (read_workbook(book, err) || (cells && read_cells_info(book, err))) {
        xlsx_book_close(book);
        return -1;
    }
    return 0;
}

void xlsx_book_close(struct xlsx_book *book)
{
    if (book->zip)
        zip_discard(book->zip);
    for (size_t i = 0; i < book->nsheets; i++) {
        free(book->sheets[i].name);
        free(book->sheets[i].part);
    }
    free(book->sheets);
    for (size_t i = 0; i < book->nstrings; i++)
        free(book->strings[i]);
    free(book->strings);
    free(book->xf_kinds);
    free(book->strings_part);
    free(book->styles_part);
    memset(book, 0, sizeof(*book));
}
