/*
 * The owner of a customer on a day, as one SQL expression, shared by the
 * metrics (customers at risk) and the churn warnings (src/alerts).
 */
#ifndef CAIRN_METRICS_OWNER_AT_H
#define CAIRN_METRICS_OWNER_AT_H

/*
 * SQL for the owner of customer CUST on day DAY (both SQL expressions):
 * the covering customer_owners row with the latest start; none when the
 * customer has owner rows but none covers the day; customers.owner_id
 * when it has no owner rows.
 */
#define OWNER_AT(cust, day)                                                                      \
    "CASE WHEN EXISTS (SELECT 1 FROM customer_owners o WHERE o.customer_id = " cust ")"          \
    " THEN (SELECT o.employee_id FROM customer_owners o WHERE o.customer_id = " cust             \
    " AND o.start_date <= " day " AND (o.end_date IS NULL OR o.end_date >= " day ")"             \
    " ORDER BY o.start_date DESC LIMIT 1)"                                                       \
    " ELSE (SELECT c.owner_id FROM customers c WHERE c.customer_id = " cust ") END"

#endif
