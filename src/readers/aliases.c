/*
 * The header alias table and its lookup. The table is data: one row per
 * entity and field, its aliases separated by '|'. The canonical field name
 * itself always matches, so it is not repeated in the aliases. The test
 * checks that every field of the entity catalogue has a row with a
 * Chinese alias and that no alias names two fields of one entity.
 */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "readers/aliases.h"
#include "readers/values.h"

/* Aliases shared by several entities. */
#define EMPLOYEE_ID_ALIASES                                                                      \
    "工号|员工编号|员工号|员工工号|员工ID|员工编码|职工编号|人员编号|employee id|employee no|"    \
    "employee number|emp id|emp no|staff id|staff no"
#define CUSTOMER_ID_ALIASES                                                                      \
    "客户编号|客户ID|客户编码|客户代码|客户号|会员编号|会员ID|顾客编号|customer id|customer no|" \
    "customer number|customer code|client id|cust id|customerid"
#define START_DATE_ALIASES "开始日期|生效日期|起始日期|调入日期|start date|effective date|from date"
#define END_DATE_ALIASES "结束日期|截止日期|终止日期|失效日期|end date|to date|until"

static const struct alias_entry table[] = {
    /* org_units */
    {"org_units", "unit_id",
     "部门编号|部门编码|部门ID|组织编号|组织编码|组织ID|机构编号|机构编码|单元编号|id|unit id|"
     "unit code|org id|org unit id|department id|dept id|dept code"},
    {"org_units", "name",
     "部门名称|组织名称|机构名称|单元名称|名称|部门|unit name|department name|dept name|"
     "department"},
    {"org_units", "parent_id",
     "上级部门|上级部门编号|上级部门ID|上级组织|上级机构|上级编号|父部门|parent|parent id|"
     "parent unit|parent code"},
    {"org_units", "kind", "类型|组织类型|部门类型|层级|level|type|unit type"},
    {"org_units", "manager_id",
     "负责人|负责人工号|部门负责人|部门经理|经理|主管|manager|manager id|head|head id"},

    /* employees */
    {"employees", "employee_id", EMPLOYEE_ID_ALIASES "|编号|id|userid|user id"},
    {"employees", "name",
     "姓名|员工姓名|名字|人员姓名|职工姓名|员工|full name|employee name|staff name"},
    {"employees", "unit_id",
     "部门|团队|所属部门|所在部门|部门名称|部门路径|小组|组别|所属团队|销售团队|组织|所属组织|"
     "department|dept|team|unit|org unit"},
    {"employees", "position",
     "岗位|职位|职务|岗位名称|职位名称|角色|job title|title|position|role|job role"},
    {"employees", "employment_type",
     "用工类型|用工形式|雇佣类型|员工类型|聘用类型|员工性质|合同类型|employment type|"
     "employee type|worker type|contract type"},
    {"employees", "hire_date",
     "入职日期|入职时间|到岗日期|入司日期|加入日期|雇佣日期|hire date|date hired|start date|"
     "join date|date of joining|joined|onboarding date"},
    {"employees", "leave_date",
     "离职日期|离职时间|最后工作日|离司日期|leave date|termination date|exit date|"
     "separation date|last working day"},
    {"employees", "leave_reason",
     "离职原因|离职类型|离职方式|leave reason|termination reason|termination type|exit reason"},
    {"employees", "manager_id",
     "直属上级|直接上级|上级|直属主管|汇报对象|上级工号|直属上级工号|主管工号|manager|"
     "manager id|supervisor|reports to|line manager"},
    {"employees", "base_salary",
     "基本工资|底薪|基本薪资|基本月薪|月薪|固定工资|岗位工资|base salary|basic salary|base pay|"
     "monthly salary|salary"},
    {"employees", "email",
     "邮箱|电子邮箱|邮件|电子邮件|工作邮箱|企业邮箱|邮箱地址|email|e mail|mail|email address"},
    {"employees", "phone",
     "手机|电话|手机号|手机号码|联系电话|电话号码|联系方式|移动电话|phone|mobile|telephone|tel|"
     "cell phone|phone number|mobile phone"},

    /* assignments */
    {"assignments", "employee_id", EMPLOYEE_ID_ALIASES},
    {"assignments", "unit_id",
     "部门|团队|所属部门|调入部门|新部门|部门编号|department|dept|team|unit"},
    {"assignments", "start_date", START_DATE_ALIASES "|调动日期"},
    {"assignments", "end_date", END_DATE_ALIASES},

    /* customers */
    {"customers", "customer_id", CUSTOMER_ID_ALIASES "|编号|id"},
    {"customers", "name",
     "客户名称|客户名|客户姓名|客户|公司名称|单位名称|顾客姓名|名称|customer name|client name|"
     "account name|company name|customer|company"},
    {"customers", "unit_id",
     "所属区域|区域|地区|所属城市|城市|大区|所属部门|归属区域|部门|region|area|territory|city|"
     "unit"},
    {"customers", "segment",
     "客户类型|客户分类|客户类别|客户细分|细分|客户等级|客户群|segment|customer type|"
     "customer segment|category"},
    {"customers", "market_tier",
     "城市级别|城市等级|城市层级|市场层级|市场级别|市场等级|market tier|city tier|tier"},
    {"customers", "owner_id",
     "负责人|客户经理|销售员|业务员|销售代表|归属销售|所属销售|负责销售|跟进人|客户负责人|"
     "负责人工号|owner|owner id|account owner|account manager|sales rep|salesperson"},
    {"customers", "created_date",
     "创建日期|创建时间|建档日期|录入日期|注册日期|开户日期|首次合作日期|created|created date|"
     "create date|created at|creation date|registration date|signup date"},

    /* customer_owners */
    {"customer_owners", "customer_id", CUSTOMER_ID_ALIASES "|客户"},
    {"customer_owners", "employee_id",
     EMPLOYEE_ID_ALIASES "|负责人|客户经理|销售员|业务员|销售代表|负责人工号|owner|owner id|"
                         "sales rep|account owner"},
    {"customer_owners", "start_date", START_DATE_ALIASES},
    {"customer_owners", "end_date", END_DATE_ALIASES},

    /* orders */
    {"orders", "order_id",
     "订单号|订单编号|订单ID|订单代码|单号|单据编号|单据号|销售单号|出库单号|发票号|id|order id|"
     "order no|order number|orderid|invoice|invoice no|invoice number|invoiceno|document no"},
    {"orders", "order_date",
     "下单日期|订单日期|下单时间|订单时间|成交日期|销售日期|单据日期|开票日期|交易日期|交易时间|"
     "日期|order date|orderdate|date|invoice date|invoicedate|transaction date|sale date"},
    {"orders", "customer_id", CUSTOMER_ID_ALIASES "|客户|customer|client"},
    {"orders", "employee_id",
     "销售员|业务员|销售代表|销售人员|销售|经办人|开单人|导购|销售员工号|业务员编号|"
     EMPLOYEE_ID_ALIASES "|salesperson|sales person|sales rep|seller|rep|agent|owner"},
    {"orders", "amount",
     "金额|销售额|订单金额|实收金额|实付金额|成交金额|销售金额|交易金额|总金额|合计金额|应收金额|"
     "含税金额|价税合计|amount|sales|revenue|total|order amount|net amount|total amount|value"},
    {"orders", "product",
     "产品|产品名称|商品|商品名称|品名|货品名称|物料名称|产品线|product|product name|item|sku|"
     "description"},
    {"orders", "status", "状态|订单状态|交易状态|单据状态|status|order status|state"},

    /* visits */
    {"visits", "visit_id",
     "拜访编号|拜访ID|拜访记录编号|记录编号|记录ID|id|visit id|visit no|activity id"},
    {"visits", "visit_date",
     "拜访日期|拜访时间|签到时间|拜访开始时间|日期|visit date|activity date|date"},
    {"visits", "employee_id",
     EMPLOYEE_ID_ALIASES "|拜访人|拜访人工号|销售员|业务员|销售代表|sales rep|visited by|owner"},
    {"visits", "customer_id", CUSTOMER_ID_ALIASES "|客户|拜访客户|customer|account"},
    {"visits", "kind", "拜访类型|拜访方式|类型|方式|visit type|activity type|type"},

    /* customer_surveys */
    {"customer_surveys", "customer_id", CUSTOMER_ID_ALIASES "|客户|customer"},
    {"customer_surveys", "survey_date",
     "调查日期|调研日期|评价日期|评价时间|回访日期|日期|survey date|response date|date"},
    {"customer_surveys", "score",
     "满意度|评分|客户满意度|满意度评分|得分|分数|评价分数|score|csat|rating|satisfaction"},
    {"customer_surveys", "employee_id",
     EMPLOYEE_ID_ALIASES "|调查人|回访人|调研人|surveyor|interviewer"},

    /* employee_surveys */
    {"employee_surveys", "employee_id", EMPLOYEE_ID_ALIASES},
    {"employee_surveys", "survey_date", "调查日期|调研日期|日期|survey date|response date|date"},
    {"employee_surveys", "score",
     "满意度|评分|员工满意度|满意度评分|得分|分数|score|satisfaction|rating"},

    /* courses */
    {"courses", "course_id", "课程编号|课程ID|课程代码|课程编码|编号|id|course id|course code"},
    {"courses", "name", "课程名称|课程|名称|course name|course|title"},
    {"courses", "skill", "技能|技能名称|对应技能|能力项|skill|competency"},
    {"courses", "hours", "学时|课时|时长|培训时长|小时数|hours|duration|duration hours"},

    /* trainings */
    {"trainings", "employee_id", EMPLOYEE_ID_ALIASES "|学员|学员工号"},
    {"trainings", "course_id", "课程编号|课程ID|课程代码|课程编码|课程|course id|course code|course"},
    {"trainings", "assigned_date",
     "分配日期|指派日期|报名日期|安排日期|开始日期|assigned date|assigned|enrolled|enrollment date"},
    {"trainings", "due_date", "截止日期|应完成日期|到期日期|计划完成日期|due date|due|deadline"},
    {"trainings", "completed_date",
     "完成日期|实际完成日期|结业日期|completed date|completion date|completed"},
    {"trainings", "exam_score",
     "考试成绩|考试分数|考核成绩|测验成绩|成绩|分数|exam score|test score|score"},

    /* skills */
    {"skills", "employee_id", EMPLOYEE_ID_ALIASES},
    {"skills", "skill", "技能|技能名称|能力项|考核项目|skill|competency"},
    {"skills", "score", "评分|分数|得分|技能评分|评估分数|成绩|score|rating"},
    {"skills", "assessed_date",
     "评估日期|考核日期|评定日期|日期|assessed date|assessment date|date"},

    /* payroll */
    {"payroll", "employee_id", EMPLOYEE_ID_ALIASES},
    {"payroll", "month",
     "月份|工资月份|薪资月份|发薪月份|所属月份|期间|工资期间|month|pay month|period|pay period"},
    {"payroll", "base_pay",
     "基本工资|底薪|基本薪资|应发基本工资|固定工资|base pay|base salary|basic pay|basic salary"},
    {"payroll", "variable_pay",
     "提成|奖金|绩效工资|浮动工资|提成奖金|绩效奖金|佣金|变动工资|variable pay|commission|bonus|"
     "incentive"},
    {"payroll", "employer_cost",
     "公司成本|单位缴纳|企业缴纳|公司缴纳|单位承担|单位社保公积金|雇主成本|用人成本|employer cost|"
     "employer contributions|company cost"},

    /* expenses */
    {"expenses", "expense_id",
     "报销单号|报销编号|费用编号|费用单号|单号|单据编号|id|expense id|expense no|claim id|"
     "report id"},
    {"expenses", "employee_id",
     EMPLOYEE_ID_ALIASES "|报销人|报销人工号|申请人|claimant|submitted by"},
    {"expenses", "expense_date",
     "费用日期|发生日期|报销日期|申请日期|日期|expense date|claim date|transaction date|date"},
    {"expenses", "category",
     "费用类型|费用类别|报销类型|费用科目|科目|类别|category|expense type|type"},
    {"expenses", "amount", "金额|报销金额|费用金额|申请金额|amount|claim amount|total"},
    {"expenses", "status", "状态|审批状态|报销状态|单据状态|status|approval status"},

    /* targets */
    {"targets", "scope_kind", "对象类型|范围类型|目标类型|层级|scope kind|scope type|level"},
    {"targets", "scope_id", "对象编号|对象ID|对象|范围|scope id|scope"},
    {"targets", "period", "期间|周期|考核期|目标期间|月份|period|month"},
    {"targets", "metric", "指标|指标名称|考核指标|目标指标|metric|kpi|indicator"},
    {"targets", "value", "目标值|目标|指标值|目标金额|数值|value|target|target value|goal"},

    /* market */
    {"market", "unit_id", "区域|地区|大区|城市|部门|区域编号|unit|unit id|region|area|territory"},
    {"market", "period", "期间|月份|年份|年度|period|month|year"},
    {"market", "market_size",
     "市场规模|市场容量|市场总额|市场总量|市场销售额|行业销售额|market size|market|"
     "total market|market total"},
};

const struct alias_entry *alias_table(size_t *n)
{
    *n = sizeof(table) / sizeof(table[0]);
    return table;
}

/* Drops a trailing group "open ... close" when text remains before it. */
static bool drop_bracketed(struct strbuf *sb, const char *open, const char *close)
{
    size_t cl = strlen(close);
    const char *start = NULL, *end;

    if (sb->len <= cl || strcmp(sb->buf + sb->len - cl, close))
        return false;
    end = sb->buf + sb->len - cl;
    for (const char *p = sb->buf; (p = strstr(p, open)) && p < end; p++)
        start = p;
    if (!start || start == sb->buf)
        return false;
    sb_truncate(sb, (size_t)(start - sb->buf));
    return true;
}

void alias_normalize(const char *header, struct strbuf *out)
{
    struct strbuf folded = STRBUF_INIT;
    bool changed = true, gap = false;
    size_t begin = out->len;

    value_fold_width(header, &folded);
    if (!folded.buf) {
        sb_release(&folded);
        return;
    }

    /* Trailing spaces, colons and bracketed suffixes, repeatedly. */
    while (changed) {
        changed = false;
        while (folded.len && strchr(" \t\r\n:", folded.buf[folded.len - 1])) {
            sb_truncate(&folded, folded.len - 1);
            changed = true;
        }
        if (drop_bracketed(&folded, "(", ")") || drop_bracketed(&folded, "[", "]") ||
            drop_bracketed(&folded, "【", "】"))
            changed = true;
    }

    /* Lower case, and one '_' for each run of separators between ASCII
     * letters or digits ("Order Date"); between Chinese text and anything
     * the run is dropped ("订单 ID" is "订单id"). */
    for (const char *p = folded.buf; *p; p++) {
        char c = *p;

        if (c == ' ' || c == '\t' || c == '_' || c == '-' || c == '.') {
            gap = true;
            continue;
        }
        if (gap && out->len > begin && isalnum((unsigned char)out->buf[out->len - 1]) &&
            isalnum((unsigned char)c))
            sb_addch(out, '_');
        gap = false;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        sb_addch(out, c);
    }
    sb_release(&folded);
}

/* Whether the normalised header equals the normalised alias a[0..len). */
static bool alias_matches(const char *normal, const char *alias, size_t len)
{
    struct strbuf one = STRBUF_INIT, norm = STRBUF_INIT;
    bool same;

    sb_addn(&one, alias, len);
    alias_normalize(one.buf, &norm);
    same = !strcmp(sb_str(&norm), normal);
    sb_release(&one);
    sb_release(&norm);
    return same;
}

const char *alias_lookup(const char *entity, const char *header)
{
    struct strbuf normal = STRBUF_INIT;
    const char *found = NULL;

    alias_normalize(header, &normal);
    if (!normal.len)
        goto out;

    /* The canonical names first, so that "name" is never an alias's. */
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]) && !found; i++)
        if (!strcmp(table[i].entity, entity) && !strcmp(table[i].field, normal.buf))
            found = table[i].field;

    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]) && !found; i++) {
        const char *a = table[i].aliases;

        if (strcmp(table[i].entity, entity))
            continue;
        while (*a && !found) {
            size_t len = strcspn(a, "|");

            if (alias_matches(normal.buf, a, len))
                found = table[i].field;
            a += len + (a[len] == '|');
        }
    }

out:
    sb_release(&normal);
    return found;
}
