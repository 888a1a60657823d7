/*
 * The parts of an XLSX package that the sheet reader needs: the list of
 * worksheets (workbook.xml and its relationships, in workbook order), the
 * shared strings, the number format kind of each cell style, and the date
 * system. Only src/readers includes this.
 */
#ifndef CAIRN_XLSX_H
#define CAIRN_XLSX_H

#include <expat.h>
#include <stdbool.h>
#include <zip.h>

#include "readers/cells.h"
#include "util/strbuf.h"

struct xlsx_sheet {
    char *name;
    char *part; /* path of the sheet's XML inside the package */
};

struct xlsx_book {
    zip_t *zip;
    bool date1904;
    struct xlsx_sheet *sheets; /* worksheets only, in workbook order */
    size_t nsheets, sheets_alloc;
    char *strings_part, *styles_part; /* NULL when the package has none */

    char **strings; /* shared strings, by index */
    size_t nstrings, strings_alloc;
    unsigned char *xf_kinds; /* enum cell_kind of each cell style */
    size_t nxf, xf_alloc;
};

/* Opens the package at path and reads its sheet list; with cells, also
 * the shared strings and styles. -1 with a message in err. */
int xlsx_book_open(struct xlsx_book *book, const char *path, bool cells, struct strbuf *err);
void xlsx_book_close(struct xlsx_book *book);

/* Feeds the package part named part to parser in chunks; -1 with a
 * message in err when the part is missing or is not well-formed XML. */
int xlsx_parse_part(zip_t *zip, const char *part, XML_Parser parser, struct strbuf *err);

/* A new namespace-aware parser: element names reach handlers as
 * "namespace|local", and xml_local strips the namespace. */
XML_Parser xlsx_parser_create(void *user_data, XML_StartElementHandler start,
                              XML_EndElementHandler end, XML_CharacterDataHandler text);
const char *xml_local(const char *name);
/* The value of the attribute whose local name is local, or NULL. */
const char *xml_attr(const char **attrs, const char *local);

/* Replaces the _xHHHH_ escapes of OOXML strings with their characters. */
void xlsx_unescape(struct strbuf *text);

#endif
