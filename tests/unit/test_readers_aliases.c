/*
 * Tests of the header alias table: the common Chinese and English
 * headers, normalisation (case, full-width forms, colons, unit suffixes),
 * and the table's consistency with the entity catalogue.
 */
#include <stdlib.h>
#include <string.h>

#include "readers/aliases.h"
#include "store/entities.h"
#include "support.h"

static void common_headers(void **state)
{
    static const struct {
        const char *entity, *header, *field;
    } cases[] = {
        {"employees", "工号", "employee_id"},
        {"employees", "员工编号", "employee_id"},
        {"employees", "员工号", "employee_id"},
        {"employees", "姓名", "name"},
        {"employees", "员工姓名", "name"},
        {"employees", "部门", "unit_id"},
        {"employees", "团队", "unit_id"},
        {"employees", "所属部门", "unit_id"},
        {"employees", "岗位", "position"},
        {"employees", "职位", "position"},
        {"employees", "入职日期", "hire_date"},
        {"employees", "离职日期", "leave_date"},
        {"employees", "离职原因", "leave_reason"},
        {"employees", "基本工资", "base_salary"},
        {"employees", "底薪", "base_salary"},
        {"employees", "邮箱", "email"},
        {"employees", "手机", "phone"},
        {"employees", "电话", "phone"},
        {"employees", "Employee ID", "employee_id"},
        {"employees", "Hire Date", "hire_date"},
        {"customers", "客户编号", "customer_id"},
        {"customers", "客户ID", "customer_id"},
        {"customers", "客户名称", "name"},
        {"customers", "Customer Name", "name"},
        {"orders", "订单号", "order_id"},
        {"orders", "订单编号", "order_id"},
        {"orders", "订单ID", "order_id"},
        {"orders", "订单 ID", "order_id"},
        {"orders", "下单日期", "order_date"},
        {"orders", "订单日期", "order_date"},
        {"orders", "金额", "amount"},
        {"orders", "销售额", "amount"},
        {"orders", "订单金额", "amount"},
        {"orders", "实收金额", "amount"},
        {"orders", "产品", "product"},
        {"orders", "产品名称", "product"},
        {"orders", "状态", "status"},
        {"orders", "销售员", "employee_id"},
        {"orders", "业务员", "employee_id"},
        {"orders", "销售代表", "employee_id"},
        {"orders", "客户 ID", "customer_id"},
        {"orders", "Order Date", "order_date"},
        {"orders", "InvoiceNo", "order_id"},
        {"customer_surveys", "满意度", "score"},
        {"customer_surveys", "评分", "score"},
        {"employee_surveys", "满意度", "score"},
        {"payroll", "提成", "variable_pay"},
        {"market", "市场规模", "market_size"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *field = alias_lookup(cases[i].entity, cases[i].header);

        if (!field || strcmp(field, cases[i].field))
            fail_msg("%s \"%s\": %s, expected %s", cases[i].entity, cases[i].header,
                     field ? field : "none", cases[i].field);
    }
    (void)state;
}

static void normalised_headers(void **state)
{
    static const struct {
        const char *header, *normal;
    } cases[] = {
        {"  工号  ", "工号"},
        {"　工号　", "工号"},
        {"工号：", "工号"},
        {"工号:", "工号"},
        {"金额（元）", "金额"},
        {"金额(元)", "金额"},
        {"金额 （单位：元）", "金额"},
        {"姓名【必填】", "姓名"},
        {"Sales (CNY)", "sales"},
        {"ORDER_DATE", "order_date"},
        {"Order  Date", "order_date"},
        {"e-mail", "e_mail"},
        {"ＥＭＡＩＬ", "email"},
        {"(元)", "(元)"},
        {"_id_", "id"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct strbuf out = STRBUF_INIT;

        alias_normalize(cases[i].header, &out);
        assert_string_equal(sb_str(&out), cases[i].normal);
        sb_release(&out);
    }
    (void)state;
}

static void normalised_lookups(void **state)
{
    assert_string_equal(alias_lookup("orders", "金额（元）"), "amount");
    assert_string_equal(alias_lookup("orders", "ORDER_ID"), "order_id");
    assert_string_equal(alias_lookup("employees", "　工号："), "employee_id");
    assert_string_equal(alias_lookup("employees", "E-Mail"), "email");
    assert_string_equal(alias_lookup("employees", "Base Salary (CNY)"), "base_salary");
    (void)state;
}

static void unknown_headers(void **state)
{
    assert_null(alias_lookup("employees", "血型"));
    assert_null(alias_lookup("employees", ""));
    assert_null(alias_lookup("employees", "   "));
    assert_null(alias_lookup("orders", "客户名称"));
    assert_null(alias_lookup("no_such_entity", "工号"));
    (void)state;
}

/* Every catalogue field matches its own name and has a Chinese alias. */
static void every_field_covered(void **state)
{
    size_t n;
    const struct alias_entry *t = alias_table(&n);

    for (size_t e = 0; e < nentities; e++) {
        const struct entity_def *def = entities[e];

        for (size_t f = 0; f < def->nfields; f++) {
            const char *name = def->fields[f].name;
            bool chinese = false;
            const char *field = alias_lookup(def->name, name);

            if (!field || strcmp(field, name))
                fail_msg("%s.%s does not match itself", def->name, name);
            for (size_t i = 0; i < n; i++) {
                if (strcmp(t[i].entity, def->name) || strcmp(t[i].field, name))
                    continue;
                for (const char *p = t[i].aliases; *p; p++)
                    if ((unsigned char)*p >= 0x80)
                        chinese = true;
            }
            if (!chinese)
                fail_msg("%s.%s has no Chinese alias", def->name, name);
        }
    }
    (void)state;
}

/* Each row names a catalogue field, and no alias names two fields. */
static void table_consistent(void **state)
{
    size_t n;
    const struct alias_entry *t = alias_table(&n);

    for (size_t i = 0; i < n; i++) {
        const struct entity_def *def = entity_by_name(t[i].entity);
        const char *a = t[i].aliases;

        if (!def || !entity_field(def, t[i].field))
            fail_msg("row %zu names %s.%s, which is not in the catalogue", i, t[i].entity,
                     t[i].field);
        while (*a) {
            size_t len = strcspn(a, "|");
            char *alias = strndup(a, len);
            const char *field = alias_lookup(t[i].entity, alias);

            if (!field || strcmp(field, t[i].field))
                fail_msg("%s alias \"%s\" maps to %s, not %s", t[i].entity, alias,
                         field ? field : "none", t[i].field);
            free(alias);
            a += len + (a[len] == '|');
        }
    }
    (void)state;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(common_headers),      cmocka_unit_test(normalised_headers),
        cmocka_unit_test(normalised_lookups),  cmocka_unit_test(unknown_headers),
        cmocka_unit_test(every_field_covered), cmocka_unit_test(table_consistent),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
