/*
 * The table of `cairn alerts` for people: one block per warning with its
 * rule, scope, period, subject, owner and figures made readable.
 */
#ifndef CAIRN_ALERTS_PRINT_H
#define CAIRN_ALERTS_PRINT_H

#include "alerts/alerts.h"

void alerts_print_table(const struct alert_list *list, cdate as_of);

#endif
