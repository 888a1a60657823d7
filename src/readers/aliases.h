/*
 * The built-in header alias table: the Chinese and English column names
 * that HR, CRM and ERP exports use, mapped to the canonical fields of
 * each entity (工号 and Employee No are employees.employee_id, 金额（元）
 * is orders.amount). Headers are compared after normalisation, so case,
 * full-width forms, spaces, underscores and a unit suffix do not matter.
 */
#ifndef CAIRN_ALIASES_H
#define CAIRN_ALIASES_H

#include <stddef.h>

#include "util/strbuf.h"

struct alias_entry {
    const char *entity;  /* "employees" */
    const char *field;   /* "employee_id" */
    const char *aliases; /* "工号|员工编号|emp no", separated by '|' */
};

/*
 * Returns the canonical field of entity that header names (its own name
 * or an alias), or NULL when there is none. The returned string is
 * static.
 */
const char *alias_lookup(const char *entity, const char *header);

/*
 * Appends the normalised form of a header to out: full-width forms
 * folded to ASCII, ASCII letters in lower case, spaces at the ends, a
 * trailing colon and trailing bracketed units ("金额（元）", "Sales
 * (CNY)", "【必填】") dropped, and each run of spaces, '_', '-' and '.'
 * made one '_' between ASCII letters or digits and dropped elsewhere
 * ("订单 ID" is "订单id", "Order Date" is "order_date").
 */
void alias_normalize(const char *header, struct strbuf *out);

/* The whole table, for tests and documentation. */
const struct alias_entry *alias_table(size_t *n);

#endif
