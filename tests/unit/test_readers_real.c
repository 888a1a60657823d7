/*
 * Tests of the readers on real exports: a GBK CSV without BOM, the same
 * HR data as UTF-8-BOM CSV and as an XLSX workbook with an Excel table,
 * and XLS workbooks in Chinese and English. The expected headers and
 * record counts were established independently with Python's csv
 * module, openpyxl 3.0.9 and xlrd 1.2.0 (Debian 12 packages).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "readers/source.h"
#include "support.h"
#include "util/xalloc.h"

#define DATA CAIRN_SHARED_DATA

/* All records of a source, copied. */
struct table {
    size_t nrows;
    size_t *nfields;
    char ***fields;
    long *lines;
};

static void table_free(struct table *t)
{
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t i = 0; i < t->nfields[r]; i++)
            free(t->fields[r][i]);
        free(t->fields[r]);
    }
    free(t->fields);
    free(t->nfields);
    free(t->lines);
}

static void read_table(const char *path, const char *sheet, struct table *t,
                       enum source_encoding *encoding)
{
    struct strbuf err = STRBUF_INIT;
    struct source_options opts = {.sheet = sheet};
    struct source *src = source_open(path, &opts, &err);
    struct source_record *rec;
    size_t alloc = 0, alloc2 = 0, alloc3 = 0;
    int rc;

    if (!src)
        fail_msg("source_open %s: %s", path, sb_str(&err));
    memset(t, 0, sizeof(*t));
    while ((rc = source_next(src, &rec, &err)) == 1) {
        XGROW(t->fields, alloc, t->nrows + 1);
        XGROW(t->nfields, alloc2, t->nrows + 1);
        XGROW(t->lines, alloc3, t->nrows + 1);
        t->nfields[t->nrows] = rec->nfields;
        t->lines[t->nrows] = rec->line;
        t->fields[t->nrows] = xcalloc(rec->nfields + 1, sizeof(char *));
        for (size_t i = 0; i < rec->nfields; i++)
            t->fields[t->nrows][i] = xstrdup(rec->fields[i]);
        t->nrows++;
    }
    if (rc < 0)
        fail_msg("%s line %ld: %s", path, source_error_line(src), sb_str(&err));
    if (encoding)
        *encoding = source_encoding_used(src);
    source_close(src);
    sb_release(&err);
}

/* The field of row r named by column c, or "" past the row's end. */
static const char *cell(const struct table *t, size_t r, size_t c)
{
    return c < t->nfields[r] ? t->fields[r][c] : "";
}

static void expect_row(const struct table *t, size_t r, const char *const *fields)
{
    size_t n = 0;

    while (fields[n])
        n++;
    for (size_t i = 0; i < n; i++)
        assert_string_equal(cell(t, r, i), fields[i]);
    assert_int_equal(t->nfields[r], n);
}

static void gbk_turnover_csv(void **state)
{
    struct table t;
    enum source_encoding enc;

    read_table(DATA "/cn-hr-turnover-gbk/员工数据.csv", NULL, &t, &enc);
    assert_int_equal(enc, ENCODING_GB18030);
    expect_row(&t, 0,
               ARGS("工作满意度", "绩效评估得分", "参与项目数量", "平均每月工作的小时数",
                    "在职工龄", "是否有工作事故", "是否离职", "是否晋升过", "部门", "薪资水平"));
    assert_int_equal(t.nrows, 1 + 14999);
    expect_row(&t, 1, ARGS("0.38", "0.53", "2", "157", "3", "0", "1", "0", "sales", "low"));
    expect_row(&t, 14999, ARGS("0.37", "0.52", "2", "158", "3", "0", "1", "0", "support", "low"));
    assert_int_equal(t.lines[14999], 15000);
    for (size_t r = 0; r < t.nrows; r++)
        assert_int_equal(t.nfields[r], 10);
    table_free(&t);
    (void)state;
}

static void ibm_csv_and_xlsx_agree(void **state)
{
    struct table csv, xlsx;
    enum source_encoding enc;
    size_t common = 0;

    read_table(DATA "/cn-ibm-hr-attrition/IBM_HR_员工流失数据_本土化版.csv", NULL, &csv, &enc);
    assert_int_equal(enc, ENCODING_UTF8);
    read_table(DATA "/cn-ibm-hr-attrition/IBM_HR_员工流失数据_本土化版.xlsx", NULL, &xlsx, NULL);

    /* 1,470 employees in both; the CSV has 47 columns, the workbook 43. */
    assert_int_equal(csv.nrows, 1 + 1470);
    assert_int_equal(xlsx.nrows, 1 + 1470);
    assert_int_equal(csv.nfields[0], 47);
    assert_int_equal(xlsx.nfields[0], 43);
    assert_string_equal(cell(&csv, 0, 0), "员工编号");
    assert_string_equal(cell(&xlsx, 0, 0), "员工编号");
    assert_int_equal(xlsx.lines[1470], 1471);

    /* Every column the two share by name has the same text in every row,
     * but for the pay rise, which the CSV gives as a fraction (0.11) and
     * the workbook in percent (11). */
    for (size_t xc = 0; xc < xlsx.nfields[0]; xc++) {
        size_t cc;

        for (cc = 0; cc < csv.nfields[0]; cc++)
            if (!strcmp(cell(&csv, 0, cc), cell(&xlsx, 0, xc)))
                break;
        if (cc == csv.nfields[0])
            continue;
        common++;
        for (size_t r = 1; r < csv.nrows; r++) {
            if (strcmp(cell(&xlsx, 0, xc), "调薪幅度")) {
                assert_string_equal(cell(&xlsx, r, xc), cell(&csv, r, cc));
                continue;
            }
            assert_int_equal(strtol(cell(&xlsx, r, xc), NULL, 10),
                             lround(strtod(cell(&csv, r, cc), NULL) * 100));
        }
    }
    assert_int_equal(common, 41);
    table_free(&csv);
    table_free(&xlsx);
    (void)state;
}

static void cn_superstore_xls(void **state)
{
    static const char path[] = DATA "/cn-superstore/示例 - 超市.xls";
    struct strbuf err = STRBUF_INIT;
    struct table t;
    char **names;

    assert_int_equal(source_sheet_names(path, &names, &err), 3);
    assert_string_equal(names[0], "订单");
    assert_string_equal(names[1], "退货");
    assert_string_equal(names[2], "销售人员");
    source_free_names(names);

    read_table(path, NULL, &t, NULL);
    assert_int_equal(t.nrows, 10001);
    expect_row(&t, 0,
               ARGS("行 ID", "订单 ID", "订单日期", "发货日期", "邮寄方式", "客户 ID", "客户名称",
                    "细分", "城市", "省/自治区", "国家", "地区", "产品 ID", "类别", "子类别",
                    "产品名称", "销售额", "数量", "折扣", "利润"));
    expect_row(&t, 1,
               ARGS("1", "US-2017-1357144", "2017-04-27", "2017-04-29", "二级", "曾惠-14485",
                    "曾惠", "公司", "杭州", "浙江", "中国", "华东", "办公用-用品-10002717",
                    "办公用品", "用品", "Fiskars 剪刀, 蓝色", "129.696", "2", "0.4", "-60.704"));
    assert_string_equal(cell(&t, 10000, 1), "CN-2014-3557528");
    assert_string_equal(cell(&t, 10000, 2), "2014-12-02");
    assert_int_equal(t.lines[10000], 10001);
    table_free(&t);

    read_table(path, "退货", &t, NULL);
    assert_int_equal(t.nrows, 297);
    expect_row(&t, 0, ARGS("订单 ID", "退回"));
    expect_row(&t, 1, ARGS("CN-2015-1196810", "是"));
    expect_row(&t, 296, ARGS("CN-2015-1363241", "是"));
    table_free(&t);

    read_table(path, "销售人员", &t, NULL);
    assert_int_equal(t.nrows, 7);
    expect_row(&t, 0, ARGS("地区", "地区经理"));
    expect_row(&t, 1, ARGS("东北", "楚杰"));
    expect_row(&t, 6, ARGS("西南", "白德伟"));
    table_free(&t);
    sb_release(&err);
    (void)state;
}

static void us_superstore_xls(void **state)
{
    static const char path[] = DATA "/superstore/Sample - Superstore.xls";
    struct table t;

    read_table(path, NULL, &t, NULL);
    assert_int_equal(t.nrows, 9995);
    expect_row(&t, 0,
               ARGS("Row ID", "Order ID", "Order Date", "Ship Date", "Ship Mode", "Customer ID",
                    "Customer Name", "Segment", "Country", "City", "State", "Postal Code", "Region",
                    "Product ID", "Category", "Sub-Category", "Product Name", "Sales", "Quantity",
                    "Discount", "Profit"));
    expect_row(&t, 1,
               ARGS("1", "CA-2013-152156", "2013-11-09", "2013-11-12", "Second Class", "CG-12520",
                    "Claire Gute", "Consumer", "United States", "Henderson", "Kentucky", "42420",
                    "South", "FUR-BO-10001798", "Furniture", "Bookcases",
                    "Bush Somerset Collection Bookcase", "261.96", "2", "0", "41.9136"));
    table_free(&t);

    read_table(path, "Returns", &t, NULL);
    assert_int_equal(t.nrows, 297);
    expect_row(&t, 1, ARGS("Yes", "CA-2014-153822"));
    table_free(&t);

    read_table(path, "People", &t, NULL);
    assert_int_equal(t.nrows, 5);
    expect_row(&t, 0, ARGS("Person", "Region"));
    expect_row(&t, 4, ARGS("Cassandra Brandow", "South"));
    table_free(&t);
    (void)state;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gbk_turnover_csv),
        cmocka_unit_test(ibm_csv_and_xlsx_agree),
        cmocka_unit_test(cn_superstore_xls),
        cmocka_unit_test(us_superstore_xls),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
