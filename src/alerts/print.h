/*
 * The table of `cairn alerts` for people: one block per warning with its
 * rule, scope, period, subject, owner and figures made readable.
 */
#ifndef CAIRN_ALERTS_PRINT_H
#define CAIRN_ALERTS_PRINT_H

#include "alerts/alerts.h"

/* Prints the rules' warnings of list, stopping at the first model warning. */
void alerts_print_table(const struct alert_list *list, cdate as_of);

/* Prints the model warnings of list (those after the rules' warnings)
 * under their own heading, naming the models in skipped (bits of enum
 * alert_model) that are not stored. */
void alerts_print_models(const struct alert_list *list, cdate as_of, unsigned skipped);

#endif
