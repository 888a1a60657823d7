/*
 * Cairn's schema, version by version. A migration is appended, never
 * edited once released: the database records the version it is at in
 * meta('schema_version') and db_open applies the newer ones in order.
 *
 * Conventions of the entity tables (one per canonical file):
 * - columns carry the canonical field names of the data format;
 * - money is INTEGER fen, scores INTEGER hundredths of a point;
 * - dates are TEXT 'YYYY-MM-DD'; an event date (order_date, visit_date,
 *   survey_date, expense_date) is the date in the company time zone and
 *   <name>_given keeps the value as imported (a date or a timestamp with
 *   its offset), from which the date is derived again when the time zone
 *   setting changes; keys that contain an event date use the given value;
 * - batch_id is the import batch that last wrote the row, for undo;
 * - references are declared DEFERRABLE INITIALLY DEFERRED, so that one
 *   import transaction can load the files in any order. The importer
 *   checks them itself first, to report the line of a bad reference.
 */
#include <stdio.h>

#include "db/schema.h"
#include "util/i18n.h"

static const char *const migrations[] = {
    /* Version 1: the canonical data set, settings and import batches. */
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "INSERT INTO meta VALUES ('application', 'cairn');"
    "CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);"

    "CREATE TABLE batches ("
    "  batch_id INTEGER PRIMARY KEY,"
    "  started_at TEXT NOT NULL,"  /* UTC, ISO 8601 */
    "  user TEXT NOT NULL,"
    "  inserted INTEGER NOT NULL DEFAULT 0,"
    "  updated INTEGER NOT NULL DEFAULT 0,"
    "  undone INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE batch_files ("
    "  batch_id INTEGER NOT NULL REFERENCES batches(batch_id),"
    "  path TEXT NOT NULL, kind TEXT, sha256 TEXT NOT NULL,"
    "  rows INTEGER NOT NULL DEFAULT 0, inserted INTEGER NOT NULL DEFAULT 0,"
    "  updated INTEGER NOT NULL DEFAULT 0, unchanged INTEGER NOT NULL DEFAULT 0,"
    "  rejected INTEGER NOT NULL DEFAULT 0);"
    /* The row images a batch overwrote: entity, key (JSON array of the key
     * values), the row before (JSON object of column values) and the batch
     * that had written it. Rows a batch inserted have batch_id = that batch
     * in their table and no entry here. */
    "CREATE TABLE batch_changes ("
    "  batch_id INTEGER NOT NULL REFERENCES batches(batch_id),"
    "  entity TEXT NOT NULL, key TEXT NOT NULL, before TEXT NOT NULL,"
    "  before_batch INTEGER,"
    "  PRIMARY KEY (batch_id, entity, key));"
    "CREATE INDEX batch_changes_before ON batch_changes(before_batch);"

    "CREATE TABLE org_units ("
    "  unit_id TEXT PRIMARY KEY, name TEXT NOT NULL,"
    "  parent_id TEXT REFERENCES org_units(unit_id) DEFERRABLE INITIALLY DEFERRED,"
    "  kind TEXT NOT NULL CHECK (kind IN ('company','region','city','team')),"
    "  manager_id TEXT REFERENCES employees(employee_id) DEFERRABLE INITIALLY DEFERRED,"
    "  batch_id INTEGER);"
    "CREATE INDEX org_units_parent ON org_units(parent_id);"

    "CREATE TABLE employees ("
    "  employee_id TEXT PRIMARY KEY, name TEXT NOT NULL,"
    "  unit_id TEXT REFERENCES org_units(unit_id) DEFERRABLE INITIALLY DEFERRED,"
    "  position TEXT CHECK (position IN ('sales','team_lead','manager','support','hr','finance','other')),"
    "  employment_type TEXT NOT NULL DEFAULT 'full_time'"
    "    CHECK (employment_type IN ('full_time','temporary','intern')),"
    "  hire_date TEXT NOT NULL, leave_date TEXT,"
    "  leave_reason TEXT CHECK (leave_reason IN ('voluntary','involuntary')),"
    "  manager_id TEXT REFERENCES employees(employee_id) DEFERRABLE INITIALLY DEFERRED,"
    "  base_salary INTEGER, email TEXT, phone TEXT,"
    "  batch_id INTEGER);"
    "CREATE INDEX employees_unit ON employees(unit_id);"

    "CREATE TABLE assignments ("
    "  employee_id TEXT NOT NULL REFERENCES employees(employee_id) DEFERRABLE INITIALLY DEFERRED,"
    "  unit_id TEXT NOT NULL REFERENCES org_units(unit_id) DEFERRABLE INITIALLY DEFERRED,"
    "  start_date TEXT NOT NULL, end_date TEXT, batch_id INTEGER,"
    "  PRIMARY KEY (employee_id, start_date));"

    "CREATE TABLE customers ("
    "  customer_id TEXT PRIMARY KEY, name TEXT,"
    "  unit_id TEXT REFERENCES org_units(unit_id) DEFERRABLE INITIALLY DEFERRED,"
    "  segment TEXT, market_tier TEXT,"
    "  owner_id TEXT REFERENCES employees(employee_id) DEFERRABLE INITIALLY DEFERRED,"
    "  created_date TEXT, batch_id INTEGER);"
    "CREATE INDEX customers_owner ON customers(owner_id);"

    "CREATE TABLE customer_owners ("
    "  customer_id TEXT NOT NULL REFERENCES customers(customer_id) DEFERRABLE INITIALLY DEFERRED,"
    "  employee_id TEXT NOT NULL REFERENCES employees(employee_id) DEFERRABLE INITIALLY DEFERRED,"
    "  start_date TEXT NOT NULL, end_date TEXT, batch_id INTEGER,"
    "  PRIMARY KEY (customer_id, start_date));"
    "CREATE INDEX customer_owners_employee ON customer_owners(employee_id);"

    "CREATE TABLE orders ("
    "  order_id TEXT PRIMARY KEY, order_date TEXT NOT NULL, order_date_given TEXT NOT NULL,"
    "  customer_id TEXT REFERENCES customers(customer_id) DEFERRABLE INITIALLY DEFERRED,"
    "  employee_id TEXT REFERENCES employees(employee_id) DEFERRABLE INITIALLY DEFERRED,"
    "  amount INTEGER NOT NULL, product TEXT,"
    "  status TEXT NOT NULL DEFAULT 'completed' CHECK (status IN ('completed','cancelled','refunded')),"
    "  batch_id INTEGER);"
    "CREATE INDEX orders_employee_date ON orders(employee_id, order_date);"
    "CREATE INDEX orders_customer_date ON orders(customer_id, order_date);"
    "CREATE INDEX orders_date ON orders(order_date);"

    "CREATE TABLE visits ("
    "  visit_id TEXT PRIMARY KEY, visit_date TEXT NOT NULL, visit_date_given TEXT NOT NULL,"
    "  employee_id TEXT NOT NULL REFERENCES employees(employee_id) DEFERRABLE INITIALLY DEFERRED,"
    "  customer_id TEXT REFERENCES customers(customer_id) DEFERRABLE INITIALLY DEFERRED,"
    "  kind TEXT, batch_id INTEGER);"
    "CREATE INDEX visits_employee_date ON visits(employee_id, visit_date);"

    "CREATE TABLE customer_surveys ("
    "  customer_id TEXT NOT NULL REFERENCES customers(customer_id) DEFERRABLE INITIALLY DEFERRED,"
    "  survey_date_given TEXT NOT NULL, survey_date TEXT NOT NULL,"
    "  score INTEGER NOT NULL,"
    "  employee_id TEXT REFERENCES employees(employee_id) DEFERRABLE INITIALLY DEFERRED,"
    "  batch_id INTEGER,"
    "  PRIMARY KEY (customer_id, survey_date_given));"
    "CREATE INDEX customer_surveys_date ON customer_surveys(survey_date);"

    "CREATE TABLE employee_surveys ("
    "  employee_id TEXT NOT NULL REFERENCES employees(employee_id) DEFERRABLE INITIALLY DEFERRED,"
    "  survey_date_given TEXT NOT NULL, survey_date TEXT NOT NULL,"
    "  score INTEGER NOT NULL, batch_id INTEGER,"
    "  PRIMARY KEY (employee_id, survey_date_given));"

    "CREATE TABLE courses ("
    "  course_id TEXT PRIMARY KEY, name TEXT NOT NULL, skill TEXT,"
    "  hours INTEGER," /* hundredths of an hour */
    "  batch_id INTEGER);"

    "CREATE TABLE trainings ("
    "  employee_id TEXT NOT NULL REFERENCES employees(employee_id) DEFERRABLE INITIALLY DEFERRED,"
    "  course_id TEXT NOT NULL REFERENCES courses(course_id) DEFERRABLE INITIALLY DEFERRED,"
    "  assigned_date TEXT NOT NULL, due_date TEXT NOT NULL, completed_date TEXT,"
    "  exam_score INTEGER, batch_id INTEGER,"
    "  PRIMARY KEY (employee_id, course_id, assigned_date));"
    "CREATE INDEX trainings_due ON trainings(due_date);"

    "CREATE TABLE skills ("
    "  employee_id TEXT NOT NULL REFERENCES employees(employee_id) DEFERRABLE INITIALLY DEFERRED,"
    "  skill TEXT NOT NULL, score INTEGER NOT NULL, assessed_date TEXT NOT NULL,"
    "  batch_id INTEGER,"
    "  PRIMARY KEY (employee_id, skill, assessed_date));"

    "CREATE TABLE payroll ("
    "  employee_id TEXT NOT NULL REFERENCES employees(employee_id) DEFERRABLE INITIALLY DEFERRED,"
    "  month TEXT NOT NULL, base_pay INTEGER NOT NULL,"
    "  variable_pay INTEGER NOT NULL DEFAULT 0, employer_cost INTEGER NOT NULL DEFAULT 0,"
    "  batch_id INTEGER,"
    "  PRIMARY KEY (employee_id, month));"
    "CREATE INDEX payroll_month ON payroll(month);"

    "CREATE TABLE expenses ("
    "  expense_id TEXT PRIMARY KEY,"
    "  employee_id TEXT NOT NULL REFERENCES employees(employee_id) DEFERRABLE INITIALLY DEFERRED,"
    "  expense_date TEXT NOT NULL, expense_date_given TEXT NOT NULL,"
    "  category TEXT NOT NULL CHECK (category IN ('travel','entertainment','marketing','other')),"
    "  amount INTEGER NOT NULL,"
    "  status TEXT NOT NULL CHECK (status IN ('submitted','approved','rejected')),"
    "  batch_id INTEGER);"
    "CREATE INDEX expenses_employee_date ON expenses(employee_id, expense_date);"

    "CREATE TABLE targets ("
    "  scope_kind TEXT NOT NULL CHECK (scope_kind IN ('company','unit','employee')),"
    "  scope_id TEXT NOT NULL DEFAULT '',"
    "  period TEXT NOT NULL, metric TEXT NOT NULL,"
    "  value TEXT NOT NULL," /* exact decimal as written */
    "  batch_id INTEGER,"
    "  PRIMARY KEY (scope_kind, scope_id, period, metric));"

    "CREATE TABLE market ("
    "  unit_id TEXT NOT NULL REFERENCES org_units(unit_id) DEFERRABLE INITIALLY DEFERRED,"
    "  period TEXT NOT NULL, market_size INTEGER NOT NULL, batch_id INTEGER,"
    "  PRIMARY KEY (unit_id, period));",

    /* Version 2: rollups of the orders for the key-result metrics, rebuilt
     * by rollups_refresh (src/metrics/rollup.c) after every import. Unlike
     * the entity tables they hold integers only: day is a cdate day number,
     * month a month index (year * 12 + month - 1), and ekey, ukey and ckey
     * are the 0-based ranks of employee_id, unit_id and customer_id in
     * byte order at the last refresh (-1: no seller, or no unit that day).
     * ukey is the seller's unit on the order date. sales is the signed
     * sales contribution in fen; purchases counts completed orders with a
     * positive amount. meta('rollups_stale') is 1 until the first refresh. */
    "CREATE TABLE rollup_customers (ckey INTEGER PRIMARY KEY, customer_id TEXT NOT NULL UNIQUE);"
    "CREATE TABLE rollup_seller_day ("
    "  day INTEGER NOT NULL, ekey INTEGER NOT NULL, ukey INTEGER NOT NULL,"
    "  sales INTEGER NOT NULL, purchases INTEGER NOT NULL,"
    "  PRIMARY KEY (day, ekey)) WITHOUT ROWID;"
    "CREATE INDEX rollup_seller_day_employee ON rollup_seller_day(ekey, day);"
    "CREATE TABLE rollup_seller_month ("
    "  month INTEGER NOT NULL, ekey INTEGER NOT NULL, ukey INTEGER NOT NULL,"
    "  sales INTEGER NOT NULL, purchases INTEGER NOT NULL,"
    "  PRIMARY KEY (month, ekey, ukey)) WITHOUT ROWID;"
    "CREATE TABLE rollup_customer_day ("
    "  day INTEGER NOT NULL, ckey INTEGER NOT NULL, ekey INTEGER NOT NULL, ukey INTEGER NOT NULL,"
    "  sales INTEGER NOT NULL, purchases INTEGER NOT NULL,"
    "  PRIMARY KEY (day, ckey, ekey)) WITHOUT ROWID;"
    "CREATE INDEX rollup_customer_day_customer ON rollup_customer_day(ckey, day);"
    "CREATE TABLE rollup_customer_month ("
    "  month INTEGER NOT NULL, ckey INTEGER NOT NULL, ekey INTEGER NOT NULL, ukey INTEGER NOT NULL,"
    "  sales INTEGER NOT NULL, purchases INTEGER NOT NULL,"
    "  PRIMARY KEY (month, ckey, ekey, ukey)) WITHOUT ROWID;"
    "CREATE TABLE rollup_first_purchase ("
    "  ckey INTEGER PRIMARY KEY, day INTEGER NOT NULL, ekey INTEGER NOT NULL, ukey INTEGER NOT NULL);"
    "CREATE INDEX rollup_first_purchase_day ON rollup_first_purchase(day);"
    "INSERT INTO meta VALUES ('rollups_stale', '1');",

    /* Version 3: web accounts, sessions, login throttling and the audit
     * log (src/auth). scope is "company", "unit:ID" or "employee:ID";
     * password_hash carries its scrypt parameters; a session row holds
     * the SHA-256 of its token, never the token; session and attempt
     * times are Unix seconds, audit times UTC ISO 8601 text. */
    "CREATE TABLE users ("
    "  login TEXT PRIMARY KEY,"
    "  role TEXT NOT NULL CHECK (role IN ('gm','team_lead','hr','finance','rep')),"
    "  scope TEXT NOT NULL, password_hash TEXT NOT NULL,"
    "  created_at TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE sessions ("
    "  token_hash TEXT PRIMARY KEY,"
    "  login TEXT NOT NULL REFERENCES users(login) ON DELETE CASCADE,"
    "  csrf TEXT NOT NULL, created_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL, last_seen INTEGER NOT NULL);"
    "CREATE INDEX sessions_login ON sessions(login);"
    "CREATE TABLE login_attempts ("
    "  id INTEGER PRIMARY KEY, time INTEGER NOT NULL,"
    "  login TEXT NOT NULL, ip TEXT NOT NULL, ok INTEGER NOT NULL);"
    "CREATE INDEX login_attempts_login ON login_attempts(login, time);"
    "CREATE INDEX login_attempts_ip ON login_attempts(ip, time);"
    "CREATE TABLE audit ("
    "  id INTEGER PRIMARY KEY, time TEXT NOT NULL, login TEXT,"
    "  action TEXT NOT NULL, subject TEXT, detail TEXT);"
    "CREATE INDEX audit_time ON audit(time);",

    /* Version 4: rollups of visits, surveys and approved expenses, rebuilt
     * with the order rollups (same keys and day numbers as version 2).
     * owner is the ekey of the customer's owner on the survey day, -1 for
     * none; score_sum is in hundredths of a point; sales_expenses are the
     * travel and entertainment part of expenses, both in fen. */
    "CREATE TABLE rollup_visit_day ("
    "  day INTEGER NOT NULL, ekey INTEGER NOT NULL, visits INTEGER NOT NULL,"
    "  PRIMARY KEY (day, ekey)) WITHOUT ROWID;"
    "CREATE TABLE rollup_employee_survey_day ("
    "  day INTEGER NOT NULL, ekey INTEGER NOT NULL, score_sum INTEGER NOT NULL,"
    "  surveys INTEGER NOT NULL, PRIMARY KEY (day, ekey)) WITHOUT ROWID;"
    "CREATE TABLE rollup_customer_survey_day ("
    "  day INTEGER NOT NULL, ckey INTEGER NOT NULL, owner INTEGER NOT NULL,"
    "  score_sum INTEGER NOT NULL, surveys INTEGER NOT NULL,"
    "  PRIMARY KEY (day, ckey)) WITHOUT ROWID;"
    "CREATE TABLE rollup_expense_day ("
    "  day INTEGER NOT NULL, ekey INTEGER NOT NULL, sales_expenses INTEGER NOT NULL,"
    "  expenses INTEGER NOT NULL, PRIMARY KEY (day, ekey)) WITHOUT ROWID;"
    "UPDATE meta SET value = '1' WHERE key = 'rollups_stale';",

    /* Version 5: the record of early warnings (src/alerts). identity is
     * rule|scope|subject (rule|subject for customer_at_risk); open is 1
     * while the warning held at the latest `cairn alerts run`, and at
     * most one open record has a given identity. state is what people
     * set; dates are YYYY-MM-DD in company time; figures is the JSON
     * object of the warning's figures at its latest evaluation. */
    "CREATE TABLE alerts ("
    "  id INTEGER PRIMARY KEY, rule TEXT NOT NULL, scope TEXT NOT NULL,"
    "  subject TEXT NOT NULL, identity TEXT NOT NULL,"
    "  state TEXT NOT NULL CHECK (state IN ('new','acknowledged','resolved')),"
    "  first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, period TEXT NOT NULL,"
    "  figures TEXT NOT NULL, owner TEXT, open INTEGER NOT NULL DEFAULT 1,"
    "  resolved_on TEXT);"
    "CREATE UNIQUE INDEX alerts_open_identity ON alerts(identity) WHERE open = 1;"
    "CREATE INDEX alerts_state ON alerts(state, last_seen);",

    /* Version 6: delivery of warnings (src/delivery). delivery_log has one
     * row per message and channel: time is UTC ISO 8601, alert_key and
     * day (YYYY-MM-DD, the day first seen) identify a keyed message, which
     * is sent at most once per channel and day; status is 'sent' or
     * 'failed' after the attempts. delivery_queue holds the warnings
     * formatted for the daily digest until their day's digest is sent;
     * lines and recipients are JSON arrays of strings. */
    "CREATE TABLE delivery_log ("
    "  id INTEGER PRIMARY KEY, time TEXT NOT NULL, channel TEXT NOT NULL,"
    "  alert_key TEXT, day TEXT, attempts INTEGER NOT NULL,"
    "  status TEXT NOT NULL CHECK (status IN ('sent','failed')),"
    "  response_code INTEGER, error TEXT);"
    "CREATE UNIQUE INDEX delivery_log_sent ON delivery_log(channel, alert_key, day)"
    "  WHERE status = 'sent' AND alert_key IS NOT NULL;"
    "CREATE TABLE delivery_queue ("
    "  id INTEGER PRIMARY KEY, day TEXT NOT NULL, alert_key TEXT NOT NULL,"
    "  title TEXT NOT NULL, lines TEXT NOT NULL, link TEXT, recipients TEXT NOT NULL,"
    "  UNIQUE (alert_key, day));",

    /* Version 7: each customer's latest survey day with its scores (from
     * rollup_customer_survey_day), and an index to find a customer's
     * surveys by day, so that customers at risk are found without reading
     * every survey. */
    "CREATE TABLE rollup_customer_latest_survey ("
    "  ckey INTEGER PRIMARY KEY, day INTEGER NOT NULL, score_sum INTEGER NOT NULL,"
    "  surveys INTEGER NOT NULL);"
    "CREATE INDEX rollup_customer_latest_survey_day ON rollup_customer_latest_survey(day);"
    "CREATE INDEX rollup_customer_survey_day_customer ON rollup_customer_survey_day(ckey, day);"
    "UPDATE meta SET value = '1' WHERE key = 'rollups_stale';",

    /* Version 8: stored prediction models (src/models), one row per model
     * name. params is the fitted model as JSON (for the logistic
     * regression: features, imputation medians, means, standard
     * deviations and coefficients); evaluation is the JSON of its
     * held-out evaluation, or NULL when the data had too few leavers;
     * as_of is the data's last day (YYYY-MM-DD) and trained_at UTC. */
    "CREATE TABLE models ("
    "  name TEXT PRIMARY KEY, learner TEXT NOT NULL, as_of TEXT NOT NULL,"
    "  trained_at TEXT NOT NULL, params TEXT NOT NULL, evaluation TEXT);",

    /* Version 9: the outbox of delivery (src/delivery): a keyed message
     * (see delivery_log) that failed on a channel, kept as JSON (title,
     * lines, link, lang, recipients) until that channel takes it or a
     * week has passed; created is UTC ISO 8601. */
    "CREATE TABLE delivery_outbox ("
    "  id INTEGER PRIMARY KEY, channel TEXT NOT NULL, alert_key TEXT NOT NULL,"
    "  day TEXT NOT NULL, message TEXT NOT NULL, created TEXT NOT NULL,"
    "  UNIQUE (channel, alert_key, day));",

    /* Version 10: the web server's import jobs (src/web/jobs.c), and the
     * data generation that the server's answer cache is keyed by. state is
     * queued, running, done or failed; report is the JSON of "cairn
     * import" once the job ends; created and finished are UTC ISO 8601.
     * The triggers raise meta('data_generation') on every import batch
     * (stored or undone) and every settings change, also those made by
     * other processes, so a cached answer is never served after them. */
    "CREATE TABLE import_jobs ("
    "  id INTEGER PRIMARY KEY, login TEXT NOT NULL, file TEXT NOT NULL,"
    "  state TEXT NOT NULL, rows INTEGER NOT NULL DEFAULT 0, report TEXT,"
    "  created TEXT NOT NULL, finished TEXT);"
    "INSERT OR IGNORE INTO meta VALUES ('data_generation', '0');"
    "CREATE TRIGGER batches_insert_generation AFTER INSERT ON batches BEGIN"
    "  UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_generation'; END;"
    "CREATE TRIGGER batches_update_generation AFTER UPDATE ON batches BEGIN"
    "  UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_generation'; END;"
    "CREATE TRIGGER settings_insert_generation AFTER INSERT ON settings BEGIN"
    "  UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_generation'; END;"
    "CREATE TRIGGER settings_update_generation AFTER UPDATE ON settings BEGIN"
    "  UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_generation'; END;"
    "CREATE TRIGGER settings_delete_generation AFTER DELETE ON settings BEGIN"
    "  UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_generation'; END;",

    /* Version 11: recorded warnings also raise meta('data_generation'),
     * because the server caches the warning list, which shows each
     * warning's record (state, first and last seen). */
    "CREATE TRIGGER alerts_insert_generation AFTER INSERT ON alerts BEGIN"
    "  UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_generation'; END;"
    "CREATE TRIGGER alerts_update_generation AFTER UPDATE ON alerts BEGIN"
    "  UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_generation'; END;"
    "CREATE TRIGGER alerts_delete_generation AFTER DELETE ON alerts BEGIN"
    "  UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_generation'; END;",

    /* Version 12: mapping files saved from the import page (name, the
     * JSON text, who saved it and when, UTC ISO 8601), and whether an
     * import job only checks its data (dry run) instead of storing it. */
    "CREATE TABLE mappings ("
    "  name TEXT PRIMARY KEY, text TEXT NOT NULL, login TEXT NOT NULL, saved TEXT NOT NULL);"
    "ALTER TABLE import_jobs ADD COLUMN dry_run INTEGER NOT NULL DEFAULT 0;",

    /* Version 13: a model stored, replaced or removed ("cairn model
     * train") also raises meta('data_generation'), because the server
     * caches the model scores (src/web/api_risk.c). */
    "CREATE TRIGGER models_insert_generation AFTER INSERT ON models BEGIN"
    "  UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_generation'; END;"
    "CREATE TRIGGER models_update_generation AFTER UPDATE ON models BEGIN"
    "  UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_generation'; END;"
    "CREATE TRIGGER models_delete_generation AFTER DELETE ON models BEGIN"
    "  UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_generation'; END;",

    /* Version 14: the per-seller and per-customer lookups of purchases
     * (opening rate, customers at risk) read the orders through their
     * own (employee_id, order_date) and (customer_id, order_date)
     * indexes. The rollups' copies of those indexes cost a large import
     * about 0.6 s to build and served nothing else. */
    "DROP INDEX IF EXISTS rollup_seller_day_employee;"
    "DROP INDEX IF EXISTS rollup_customer_day_customer;",
};

#define NMIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

int db_latest_schema_version(void)
{
    return NMIGRATIONS;
}

int db_schema_version(struct db *db)
{
    int64_t v = 0;
    int64_t has_meta = 0;

    if (db_query_int64(db, "SELECT count(*) FROM sqlite_master WHERE name = 'meta'", 0,
                       &has_meta, NULL) ||
        !has_meta)
        return 0;
    if (db_query_int64(db, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'schema_version'",
                       0, &v, NULL))
        return 0;
    return (int)v;
}

int schema_migrate(struct db *db, struct strbuf *err)
{
    int version = db_schema_version(db);
    char sql[128];

    if (version > NMIGRATIONS) {
        sb_addf(err, _("the database has schema version %d, newer than this cairn (%d); upgrade cairn"),
                version, NMIGRATIONS);
        return -1;
    }
    for (int v = version; v < NMIGRATIONS; v++) {
        if (db_begin(db, err))
            return -1;
        snprintf(sql, sizeof(sql),
                 "INSERT OR REPLACE INTO meta VALUES ('schema_version', '%d')", v + 1);
        if (db_exec(db, migrations[v], err) || db_exec(db, sql, err) || db_commit(db, err)) {
            db_rollback(db);
            return -1;
        }
    }
    return 0;
}
