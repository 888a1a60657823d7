/*
 * Tests of XLSX sources and cell formatting. The workbooks are written
 * by libxlsxwriter in the test itself: shared and inline strings, rich
 * text, dates under built-in and custom number formats, numbers that
 * need rounding to 15 significant digits, gaps between cells, empty
 * rows, several sheets, a chart sheet and an Excel table.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "readers/cells.h"
#include "readers/source.h"
#include "support.h"
#include "util/xalloc.h"

static char *tmpdir;

static int setup(void **state)
{
    (void)state;
    tmpdir = make_temp_dir();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    remove_tree(tmpdir);
    free(tmpdir);
    return 0;
}

static struct source *open_ok(const char *path, const char *sheet)
{
    struct strbuf err = STRBUF_INIT;
    struct source_options opts = {.sheet = sheet};
    struct source *src = source_open(path, &opts, &err);

    if (!src)
        fail_msg("source_open: %s", sb_str(&err));
    sb_release(&err);
    return src;
}

static void expect_record(struct source *src, long line, const char *const *fields)
{
    struct strbuf err = STRBUF_INIT;
    struct source_record *rec;
    size_t n = 0;
    int rc = source_next(src, &rec, &err);

    if (rc != 1)
        fail_msg("source_next returned %d: %s", rc, sb_str(&err));
    while (fields[n])
        n++;
    for (size_t i = 0; i < n && i < rec->nfields; i++)
        assert_string_equal(rec->fields[i], fields[i]);
    assert_int_equal(rec->nfields, n);
    assert_int_equal(rec->line, line);
    sb_release(&err);
}

static void expect_end(struct source *src)
{
    struct strbuf err = STRBUF_INIT;
    struct source_record *rec;

    assert_int_equal(source_next(src, &rec, &err), 0);
    sb_release(&err);
}

/* The main test workbook: a chart sheet first, then "人员" and "订单". */
static char *write_book(const char *name, bool constant_memory)
{
    lxw_workbook_options options = {.constant_memory = constant_memory, .tmpdir = tmpdir};
    char *path = path_join(tmpdir, name);
    lxw_workbook *wb = workbook_new_opt(path, &options);
    lxw_worksheet *people, *orders;
    lxw_format *iso, *builtin14, *stamp, *quoted, *money;
    lxw_datetime d1 = {2024, 3, 5, 0, 0, 0}, d2 = {2024, 3, 5, 14, 30, 0};
    lxw_datetime d3 = {1958, 12, 31, 0, 0, 0};

    assert_non_null(wb);
    people = workbook_add_worksheet(wb, "人员");
    orders = workbook_add_worksheet(wb, "订单");
    iso = workbook_add_format(wb);
    format_set_num_format(iso, "yyyy-mm-dd");
    builtin14 = workbook_add_format(wb);
    format_set_num_format_index(builtin14, 14);
    stamp = workbook_add_format(wb);
    format_set_num_format(stamp, "yyyy/m/d h:mm");
    quoted = workbook_add_format(wb);
    format_set_num_format(quoted, "0.00\" days\"");
    money = workbook_add_format(wb);
    format_set_num_format(money, "[$¥-804]#,##0.00;[Red]-[$¥-804]#,##0.00");

    /* Row 1: headers. Row 2: a date, a number needing rounding, a gap
     * (column D empty), text in E. Row 3: a date-time, an integer, a
     * boolean, a quoted "days" format. Row 4 is empty. Row 5: one cell. */
    worksheet_write_string(people, 0, 0, "工号", NULL);
    worksheet_write_string(people, 0, 1, "入职日期", NULL);
    worksheet_write_string(people, 0, 2, "基本工资", NULL);
    worksheet_write_string(people, 0, 3, "备注", NULL);
    worksheet_write_string(people, 0, 4, "状态", NULL);
    worksheet_write_string(people, 1, 0, "E001", NULL);
    worksheet_write_datetime(people, 1, 1, &d1, iso);
    worksheet_write_number(people, 1, 2, 99.98999999999999, money);
    worksheet_write_string(people, 1, 4, "在职", NULL);
    worksheet_write_string(people, 2, 0, "E002", NULL);
    worksheet_write_datetime(people, 2, 1, &d2, stamp);
    worksheet_write_number(people, 2, 2, 1470, NULL);
    worksheet_write_boolean(people, 2, 3, 1, NULL);
    worksheet_write_number(people, 2, 4, 2.5, quoted);
    worksheet_write_datetime(people, 4, 1, &d3, builtin14);

    worksheet_write_string(orders, 0, 0, "订单号", NULL);
    worksheet_write_string(orders, 0, 1, "金额", NULL);
    worksheet_write_string(orders, 1, 0, "A-1", NULL);
    worksheet_write_number(orders, 1, 1, 0.1 + 0.2, NULL);
    worksheet_write_string(orders, 2, 0, "A-2", NULL);
    worksheet_write_number(orders, 2, 1, -1234567.891, NULL);
    worksheet_write_formula_str(orders, 3, 0, "=\"A-\"&3", NULL, "A-3");
    worksheet_write_number(orders, 3, 1, 1e-7, NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    return path;
}

static void first_sheet_cells(bool constant_memory)
{
    char *path = write_book(constant_memory ? "inline.xlsx" : "shared.xlsx", constant_memory);
    struct source *src = open_ok(path, NULL);
    char *label = NULL;

    label = xstrdup(path);
    assert_non_null(strstr(source_name(src), "#人员"));
    expect_record(src, 1, ARGS("工号", "入职日期", "基本工资", "备注", "状态"));
    expect_record(src, 2, ARGS("E001", "2024-03-05", "99.99", "", "在职"));
    expect_record(src, 3, ARGS("E002", "2024-03-05T14:30:00", "1470", "TRUE", "2.5"));
    expect_record(src, 5, ARGS("", "1958-12-31"));
    expect_end(src);
    source_close(src);
    free(label);
    free(path);
}

static void shared_strings_sheet(void **state)
{
    (void)state;
    first_sheet_cells(false);
}

static void inline_strings_sheet(void **state)
{
    (void)state;
    first_sheet_cells(true);
}

static void second_sheet_by_name(void **state)
{
    char *path = write_book("named.xlsx", false);
    struct source *src = open_ok(path, "订单");

    assert_non_null(strstr(source_name(src), "#订单"));
    expect_record(src, 1, ARGS("订单号", "金额"));
    expect_record(src, 2, ARGS("A-1", "0.3"));
    expect_record(src, 3, ARGS("A-2", "-1234567.891"));
    expect_record(src, 4, ARGS("A-3", "0.0000001"));
    expect_end(src);
    source_close(src);
    free(path);
    (void)state;
}

static void missing_sheet_lists_names(void **state)
{
    char *path = write_book("missing.xlsx", false);
    struct strbuf err = STRBUF_INIT;
    struct source_options opts = {.sheet = "退货"};

    assert_null(source_open(path, &opts, &err));
    assert_non_null(strstr(sb_str(&err), "退货"));
    assert_non_null(strstr(sb_str(&err), "\"人员\", \"订单\""));
    sb_release(&err);
    free(path);
    (void)state;
}

static void sheet_names_in_order(void **state)
{
    char *path = write_book("names.xlsx", false);
    struct strbuf err = STRBUF_INIT;
    char **names;

    assert_int_equal(source_sheet_names(path, &names, &err), 2);
    assert_string_equal(names[0], "人员");
    assert_string_equal(names[1], "订单");
    assert_null(names[2]);
    source_free_names(names);
    sb_release(&err);
    free(path);
    (void)state;
}

static void chart_sheet_skipped(void **state)
{
    char *path = path_join(tmpdir, "chart.xlsx");
    lxw_workbook *wb = workbook_new(path);
    lxw_chartsheet *cs = workbook_add_chartsheet(wb, "图表");
    lxw_worksheet *ws = workbook_add_worksheet(wb, "数据");
    lxw_chart *chart = workbook_add_chart(wb, LXW_CHART_COLUMN);
    struct source *src;

    worksheet_write_string(ws, 0, 0, "月份", NULL);
    worksheet_write_string(ws, 0, 1, "销售额", NULL);
    worksheet_write_string(ws, 1, 0, "2024-01", NULL);
    worksheet_write_number(ws, 1, 1, 120000.5, NULL);
    chart_add_series(chart, NULL, "=数据!$B$2:$B$2");
    chartsheet_set_chart(cs, chart);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);

    src = open_ok(path, NULL);
    assert_non_null(strstr(source_name(src), "#数据"));
    expect_record(src, 1, ARGS("月份", "销售额"));
    expect_record(src, 2, ARGS("2024-01", "120000.5"));
    expect_end(src);
    source_close(src);
    free(path);
    (void)state;
}

static void table_and_rich_text(void **state)
{
    char *path = path_join(tmpdir, "table.xlsx");
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Sheet1");
    lxw_format *bold = workbook_add_format(wb);
    lxw_rich_string_tuple part1 = {.format = bold, .string = "华东"};
    lxw_rich_string_tuple part2 = {.format = NULL, .string = "/杭州"};
    lxw_rich_string_tuple *parts[] = {&part1, &part2, NULL};
    struct source *src;

    /* A table starting at B2: the cells read as plain cells. The table
     * comes first because it writes default headers into its first row. */
    format_set_bold(bold);
    worksheet_add_table(ws, 1, 1, 3, 2, NULL);
    worksheet_write_string(ws, 1, 1, "部门", NULL);
    worksheet_write_string(ws, 1, 2, "人数", NULL);
    worksheet_write_rich_string(ws, 2, 1, parts, NULL);
    worksheet_write_number(ws, 2, 2, 12, NULL);
    /* libxlsxwriter writes text as given, so these reach the XML as the
     * OOXML escapes _x0041_ ("A") and _x005F_ ("_"). */
    worksheet_write_string(ws, 3, 1, "a_x0041_b_x005F_x0041_", NULL);
    worksheet_write_number(ws, 3, 2, 3, NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);

    src = open_ok(path, NULL);
    expect_record(src, 2, ARGS("", "部门", "人数"));
    expect_record(src, 3, ARGS("", "华东/杭州", "12"));
    expect_record(src, 4, ARGS("", "aAb_x0041_", "3"));
    expect_end(src);
    source_close(src);
    free(path);
    (void)state;
}

static void not_a_workbook(void **state)
{
    char *path = write_file(tmpdir, "fake.xlsx", "PK\x03\x04 this is no zip archive");
    struct strbuf err = STRBUF_INIT;

    assert_null(source_open(path, NULL, &err));
    assert_non_null(strstr(sb_str(&err), "fake.xlsx"));
    sb_release(&err);
    free(path);
    (void)state;
}

static long max_rss_kib(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static void long_sheet_flat_memory(void **state)
{
    lxw_workbook_options options = {.constant_memory = LXW_TRUE, .tmpdir = tmpdir};
    char *path = path_join(tmpdir, "long.xlsx");
    lxw_workbook *wb = workbook_new_opt(path, &options);
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    struct strbuf err = STRBUF_INIT;
    struct source_record *rec;
    struct source *src;
    long rows = 0, before;

    /* 300,000 rows of three inline-string and number cells, read with
     * less than 8 MiB of extra peak memory. */
    for (lxw_row_t r = 0; r < 300000; r++) {
        worksheet_write_string(ws, r, 0, "E0000001", NULL);
        worksheet_write_string(ws, r, 1, "张三丰", NULL);
        worksheet_write_number(ws, r, 2, 1234.5, NULL);
    }
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);

    before = max_rss_kib();
    src = open_ok(path, NULL);
    while (source_next(src, &rec, &err) == 1) {
        rows++;
        assert_int_equal(rec->line, rows);
        assert_int_equal(rec->nfields, 3);
    }
    assert_string_equal(sb_str(&err), "");
    assert_int_equal(rows, 300000);
    assert_true(max_rss_kib() - before < 8 * 1024);
    source_close(src);
    sb_release(&err);
    free(path);
    (void)state;
}

/* Writes a package by hand with libzip: parts[] is name, content pairs,
 * NULL-terminated. For features libxlsxwriter does not write. */
static char *write_package(const char *name, const char *const *parts)
{
    char *path = path_join(tmpdir, name);
    int zerr;
    zip_t *zip = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);

    assert_non_null(zip);
    for (size_t i = 0; parts[i]; i += 2) {
        zip_source_t *data = zip_source_buffer(zip, parts[i + 1], strlen(parts[i + 1]), 0);

        assert_non_null(data);
        assert_true(zip_file_add(zip, parts[i], data, ZIP_FL_OVERWRITE) >= 0);
    }
    assert_int_equal(zip_close(zip), 0);
    return path;
}

#define NS_MAIN  "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_REL   "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define REL_TYPE "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

static const char package_rels[] =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"" REL_TYPE "officeDocument\" Target=\"/book/main.xml\"/>"
    "</Relationships>";

/* A package in an unusual shape: the workbook at book/main.xml, prefixed
 * element names, the 1904 date system, an absolute sheet target, a
 * custom format that overrides built-in id 14, phonetic runs, error,
 * formula-string and ISO date cells, and cells without references. */
static const char *const odd_parts[] = {
    "_rels/.rels",
    package_rels,
    "book/main.xml",
    "<x:workbook xmlns:x=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\">"
    "<x:workbookPr date1904=\"1\"/><x:sheets>"
    "<x:sheet name=\"数据\" sheetId=\"1\" r:id=\"rId7\"/></x:sheets></x:workbook>",
    "book/_rels/main.xml.rels",
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId7\" Type=\"" REL_TYPE "worksheet\" Target=\"/book/s/one.xml\"/>"
    "<Relationship Id=\"rId8\" Type=\"" REL_TYPE "sharedStrings\" Target=\"strings.xml\"/>"
    "<Relationship Id=\"rId9\" Type=\"" REL_TYPE "styles\" Target=\"styles.xml\"/>"
    "</Relationships>",
    "book/strings.xml",
    "<x:sst xmlns:x=\"" NS_MAIN "\"><x:si><x:r><x:t>东</x:t></x:r><x:r><x:t>京</x:t></x:r>"
    "<x:rPh sb=\"0\" eb=\"1\"><x:t>トウキョウ</x:t></x:rPh></x:si>"
    "<x:si><x:t xml:space=\"preserve\"> 两端空格 </x:t></x:si></x:sst>",
    "book/styles.xml",
    "<x:styleSheet xmlns:x=\"" NS_MAIN "\"><x:numFmts count=\"1\">"
    "<x:numFmt numFmtId=\"14\" formatCode=\"0.0\"/></x:numFmts>"
    "<x:cellStyleXfs count=\"1\"><x:xf numFmtId=\"22\"/></x:cellStyleXfs>"
    "<x:cellXfs count=\"3\"><x:xf numFmtId=\"0\"/><x:xf numFmtId=\"14\"/>"
    "<x:xf numFmtId=\"22\"/></x:cellXfs></x:styleSheet>",
    "book/s/one.xml",
    "<x:worksheet xmlns:x=\"" NS_MAIN "\"><x:sheetData>"
    "<x:row><x:c t=\"s\"><x:v>0</x:v></x:c><x:c t=\"s\"><x:v>1</x:v></x:c></x:row>"
    "<x:row><x:c s=\"1\"><x:v>3</x:v></x:c><x:c s=\"2\"><x:v>0.5</x:v></x:c>"
    "<x:c t=\"e\"><x:v>#N/A</x:v></x:c><x:c t=\"str\"><x:f>A1&amp;B1</x:f><x:v>东京</x:v></x:c>"
    "<x:c t=\"d\"><x:v>2024-03-05T00:00:00</x:v></x:c></x:row>"
    "<x:row r=\"7\"><x:c r=\"C7\" s=\"2\"><x:v>43894</x:v></x:c></x:row>"
    "</x:sheetData></x:worksheet>",
    NULL,
};

static void unusual_package(void **state)
{
    char *path = write_package("odd.xlsx", odd_parts);
    struct source *src = open_ok(path, NULL);

    assert_non_null(strstr(source_name(src), "#数据"));
    expect_record(src, 1, ARGS("东京", " 两端空格 "));
    expect_record(src, 2, ARGS("3", "1904-01-01T12:00:00", "#N/A", "东京", "2024-03-05T00:00:00"));
    expect_record(src, 7, ARGS("", "", "2024-03-05"));
    expect_end(src);
    source_close(src);
    free(path);
    (void)state;
}

static void expect_sheet_error(const char *name, const char *sheet_xml, long line,
                               const char *words)
{
    const char *parts[] = {
        "_rels/.rels",
        package_rels,
        "book/main.xml",
        "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\"><sheets>"
        "<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
        "book/_rels/main.xml.rels",
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"" REL_TYPE "worksheet\" Target=\"sheet.xml\"/>"
        "</Relationships>",
        "book/sheet.xml",
        sheet_xml,
        NULL,
    };
    char *path = write_package(name, parts);
    struct source *src = open_ok(path, NULL);
    struct strbuf err = STRBUF_INIT;
    struct source_record *rec;
    int rc;

    while ((rc = source_next(src, &rec, &err)) == 1)
        ;
    assert_int_equal(rc, -1);
    assert_int_equal(source_error_line(src), line);
    if (!strstr(sb_str(&err), words))
        fail_msg("message \"%s\" lacks \"%s\"", sb_str(&err), words);
    source_close(src);
    sb_release(&err);
    free(path);
}

static void broken_sheets(void **state)
{
    expect_sheet_error("bad-xml.xlsx",
                       "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"1\"><c><v>1</v></c>"
                       "</row><row r=\"2\"><c><v>2</c></row></sheetData></worksheet>",
                       2, "XML");
    expect_sheet_error("bad-string.xlsx",
                       "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"1\"><c><v>1</v></c>"
                       "</row><row r=\"3\"><c t=\"s\"><v>0</v></c></row></sheetData></worksheet>",
                       3, "shared string");
    expect_sheet_error("bad-number.xlsx",
                       "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"4\"><c><v>x1</v></c>"
                       "</row></sheetData></worksheet>",
                       4, "number");
    expect_sheet_error("bad-order.xlsx",
                       "<worksheet xmlns=\"" NS_MAIN
                       "\"><sheetData><row r=\"5\"><c r=\"B5\"><v>1</v>"
                       "</c><c r=\"A5\"><v>2</v></c></row></sheetData></worksheet>",
                       5, "reference");
    expect_sheet_error("bad-rows.xlsx",
                       "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"5\"><c><v>1</v></c>"
                       "</row><row r=\"3\"><c><v>2</v></c></row></sheetData></worksheet>",
                       3, "row");
    /* XML has no U+0000 character, so expat rejects the reference. */
    expect_sheet_error("nul-char.xlsx",
                       "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"1\"><c><v>1</v></c>"
                       "</row><row r=\"2\"><c t=\"inlineStr\"><is><t>a&#0;b</t></is></c></row>"
                       "</sheetData></worksheet>",
                       2, "XML");
    (void)state;
}

static void number_formatting(void **state)
{
    static const struct {
        double value;
        const char *text;
    } cases[] = {
        {99.98999999999999, "99.99"},
        {0.1 + 0.2, "0.3"},
        {1470, "1470"},
        {-60.70400000000001, "-60.704"},
        {129.696, "129.696"},
        {123456789012345678.0, "123456789012346000"},
        {1e-7, "0.0000001"},
        {0.5, "0.5"},
        {-0.0, "0"},
        {1e21, "1e+21"},
        {100, "100"},
        {12345.678901234567, "12345.6789012346"},
    };
    char out[CELL_TEXT_BUFSIZE];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        cell_format_number(cases[i].value, out);
        assert_string_equal(out, cases[i].text);
    }
    (void)state;
}

static void serial_dates(void **state)
{
    static const struct {
        double serial;
        bool date1904;
        enum cell_kind kind;
        const char *text; /* NULL: rejected */
    } cases[] = {
        {1, false, CELL_DATE, "1900-01-01"},
        {59, false, CELL_DATE, "1900-02-28"},
        {60, false, CELL_DATE, NULL},
        {61, false, CELL_DATE, "1900-03-01"},
        {45356, false, CELL_DATE, "2024-03-05"},
        {45356.5, false, CELL_DATE, "2024-03-05T12:00:00"},
        {45356.99999999, false, CELL_DATE, "2024-03-06"},
        {42852, false, CELL_DATE, "2017-04-27"},
        {0, true, CELL_DATE, "1904-01-01"},
        {43894, true, CELL_DATE, "2024-03-05"},
        {0.75, false, CELL_TIME, "18:00:00"},
        {0, false, CELL_DATE, NULL},
        {-1, false, CELL_DATE, NULL},
        {401769, false, CELL_DATE, "3000-01-01"},
    };
    char out[CELL_TEXT_BUFSIZE];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int rc = cell_format_serial(cases[i].serial, cases[i].date1904, cases[i].kind, out);

        if (i == sizeof(cases) / sizeof(cases[0]) - 1) {
            assert_int_equal(rc, -1); /* year 3000 is outside 1900-2999 */
            continue;
        }
        if (!cases[i].text) {
            assert_int_equal(rc, -1);
            continue;
        }
        assert_int_equal(rc, 0);
        assert_string_equal(out, cases[i].text);
    }
    (void)state;
}

static void format_kinds(void **state)
{
    assert_int_equal(cell_format_kind("yyyy-mm-dd"), CELL_DATE);
    assert_int_equal(cell_format_kind("yyyy\"年\"m\"月\"d\"日\""), CELL_DATE);
    assert_int_equal(cell_format_kind("[$-F800]dddd, mmmm dd, yyyy"), CELL_DATE);
    assert_int_equal(cell_format_kind("h:mm:ss AM/PM"), CELL_TIME);
    assert_int_equal(cell_format_kind("0.00\" days\""), CELL_NUMBER);
    assert_int_equal(cell_format_kind("[h]:mm"), CELL_NUMBER);
    assert_int_equal(cell_format_kind("#,##0.00_);[Red](#,##0.00)"), CELL_NUMBER);
    assert_int_equal(cell_format_kind("0\\d"), CELL_NUMBER);
    assert_int_equal(cell_format_kind("General"), CELL_NUMBER);
    assert_int_equal(cell_builtin_kind(14), CELL_DATE);
    assert_int_equal(cell_builtin_kind(22), CELL_DATE);
    assert_int_equal(cell_builtin_kind(20), CELL_TIME);
    assert_int_equal(cell_builtin_kind(31), CELL_DATE);
    assert_int_equal(cell_builtin_kind(4), CELL_NUMBER);
    assert_int_equal(cell_builtin_kind(49), CELL_NUMBER);
    (void)state;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shared_strings_sheet),   cmocka_unit_test(inline_strings_sheet),
        cmocka_unit_test(second_sheet_by_name),   cmocka_unit_test(missing_sheet_lists_names),
        cmocka_unit_test(sheet_names_in_order),   cmocka_unit_test(chart_sheet_skipped),
        cmocka_unit_test(table_and_rich_text),    cmocka_unit_test(not_a_workbook),
        cmocka_unit_test(long_sheet_flat_memory), cmocka_unit_test(unusual_package),
        cmocka_unit_test(broken_sheets),          cmocka_unit_test(number_formatting),
        cmocka_unit_test(serial_dates),           cmocka_unit_test(format_kinds),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
