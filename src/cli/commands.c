/*
 * The command table. Keep it sorted by name: command_find uses bsearch.
 * Each command's handler lives in the folder of its capability.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "util/i18n.h"

const struct command commands[] = {
    {"alerts", cmd_alerts, N_("Show, record and acknowledge early warnings"),
     N_("Usage: cairn alerts [--as-of YYYY-MM-DD] [--scope S] [--models] [--format table|json]\n"
        "       cairn alerts run [--as-of YYYY-MM-DD] [--format table|json]\n"
        "       cairn alerts ack ID\n"
        "       cairn alerts resolve ID\n"
        "\n"
        "Without a subcommand, evaluates the seven warning rules as of a date and\n"
        "prints the warnings whose scope lies in S; it changes nothing. Month m is\n"
        "the latest month that has ended on the as-of date. 'run' evaluates as of\n"
        "today in the company time zone, records new warnings, keeps those that\n"
        "still hold (same id, first date and state), resolves those that no longer\n"
        "hold and delivers the new ones. 'ack' and 'resolve' change the state of a\n"
        "recorded warning (exit 1 when there is no such id).\n"
        "\n"
        "  --as-of YYYY-MM-DD   evaluation date (default today, company time)\n"
        "  --scope S            company (default), unit:ID or employee:ID\n"
        "  --models             also print model warnings, once a model is stored\n"
        "  --format table|json  output format (default table)\n")},
    {"config", cmd_config, N_("Show or change settings"),
     N_("Usage: cairn config [NAME [VALUE]] [--format text|json]\n"
        "\n"
        "Without NAME, lists every setting as 'name = value'. With NAME, prints\n"
        "its value; with NAME and VALUE, checks and stores the value. Secrets are\n"
        "stored but never printed back.\n"
        "\n"
        "  --format text|json   output format of the list (default text)\n")},
    {"deliver", cmd_deliver, N_("Send a test message to the delivery channels, or list deliveries"),
     N_("Usage: cairn deliver test [--channel wecom|dingtalk|feishu|email|all] [--to ADDRESS]...\n"
        "                         [--format text|json]\n"
        "       cairn deliver log [--limit N] [--format text|json]\n"
        "       cairn deliver digest [--include-today]\n"
        "       cairn deliver retry\n"
        "\n"
        "'test' sends a test message through each configured channel (the\n"
        "delivery.* settings), with the retries and timeout warnings get, and\n"
        "prints what each channel did; exit 1 when a channel failed or none is\n"
        "configured. 'log' lists the latest deliveries, newest first. 'digest'\n"
        "sends the queued daily digests of the days before today (with\n"
        "delivery.digest = daily). 'retry' sends again the warnings that\n"
        "failed on a channel in the last 7 days. 'cairn alerts run' delivers\n"
        "new warnings and retries failed ones first.\n"
        "\n"
        "  --channel NAME       the channel to test (default all)\n"
        "  --to ADDRESS         e-mail recipient of the test message; repeatable\n"
        "                       (default the delivery.smtp.from address)\n"
        "  --limit N            number of log rows to list (default 50)\n"
        "  --include-today      also send today's digest, before the day is over\n"
        "  --format text|json   output format (default text)\n")},
    {"demo", cmd_demo, N_("Generate the demo company, or build a demo database"),
     N_("Usage: cairn [--db PATH] demo [--out DIR] [--seed N] [--size small|medium|large]\n"
        "                            [--listen ADDR:PORT] [--no-serve] [--stories FILE]\n"
        "\n"
        "Generates a Chinese city sales company with planted stories that fire (or\n"
        "just miss) each early warning as of 2026-11-30; its data runs from\n"
        "2024-01-01 to 2026-11-30, and the same seed and size always give the same\n"
        "files. Without --out, builds a fresh demo database (./demo.db, or --db\n"
        "when given on the command line; CAIRN_DB is ignored), prints what it\n"
        "holds and the demo logins, one per role, and serves it until Ctrl-C. An\n"
        "existing file that is not a demo database is never replaced.\n"
        "\n"
        "  --out DIR            write the canonical CSV files to DIR (new or empty)\n"
        "                       instead of building a database\n"
        "  --seed N             seed of the generator, 0 or more (default 1)\n"
        "  --size SIZE          small (about 80 employees, 5,000 orders), medium\n"
        "                       (1,000 employees, 100,000 orders) or large (10,000\n"
        "                       employees, 1,000,000 orders); default small\n"
        "  --listen ADDR:PORT   address and TCP port to serve on (default\n"
        "                       127.0.0.1:8080)\n"
        "  --no-serve           build the database and exit without serving\n"
        "  --stories FILE       also write the story manifest (JSON) to FILE\n")},
    {"explain", cmd_explain, N_("Explain the change in sales between two periods"),
     N_("Usage: cairn explain sales --period P --vs P2 [--scope S] [--as-of YYYY-MM-DD]\n"
        "                           [--format table|json]\n"
        "\n"
        "Splits the change in sales of scope S from period P2 to period P three\n"
        "ways, each summing exactly (to the fen) to the change: the headcount\n"
        "effect and the per-capita effect (the symmetric split of average\n"
        "headcount times sales per head, rounding fen on the per-capita part);\n"
        "existing and new customers (a customer is new in a period that holds\n"
        "its first purchase); and one part per child unit plus 'other' for the\n"
        "rows of S outside its children.\n"
        "\n"
        "  --period P           the period explained: YYYY-MM, YYYY-Qn or YYYY\n"
        "  --vs P2              the period compared against\n"
        "  --scope S            company (default), unit:ID or employee:ID\n"
        "  --as-of YYYY-MM-DD   evaluation date (default today, company time)\n"
        "  --format table|json  output format (default table)\n")},
    {"export", cmd_export, N_("Write the database as a canonical data set"),
     N_("Usage: cairn export DIR\n"
        "\n"
        "Writes every entity that has rows as a canonical CSV file in DIR, which\n"
        "must be empty or absent: columns in the data format's order, money with\n"
        "two decimals, event dates as they were imported. Settings, users and\n"
        "import batches are not exported.\n")},
    {"help", cmd_help, N_("List the commands, or show one command's help"),
     N_("Usage: cairn help [COMMAND]\n")},
    {"import", cmd_import, N_("Import files of the canonical data set"),
     N_("Usage: cairn import PATH... [--kind ENTITY] [--skip-bad-rows] [--rejects FILE]\n"
        "                    [--dry-run] [--encoding auto|utf-8|gb18030|utf-16]\n"
        "                    [--sheet NAME] [--map FILE] [--date-order ymd|dmy|mdy]\n"
        "                    [--format text|json]\n"
        "\n"
        "Imports canonical files (orders.csv, employees.csv, ...) and folders of\n"
        "them in one transaction: either every row is stored or, on any error,\n"
        "nothing is. Rows are matched by their key, so importing the same file\n"
        "again changes nothing. Each stored run is an import batch that\n"
        "'cairn imports undo' can take back.\n"
        "\n"
        "  --kind ENTITY        the entity of files given directly (for example\n"
        "                       orders), for files not named after it\n"
        "  --skip-bad-rows      store the valid rows; reject the invalid ones and\n"
        "                       the rows that refer to them\n"
        "  --rejects FILE       where rejected rows go (default\n"
        "                       rejected-BATCH.csv in the current folder)\n"
        "  --dry-run            check and count everything, store nothing\n"
        "  --encoding NAME      character encoding of the files (default auto)\n"
        "  --sheet NAME         the workbook sheet to read (default the first)\n"
        "  --map FILE           a mapping file (JSON) that turns the sources in the\n"
        "                       one folder or workbook PATH into entities\n"
        "  --date-order ORDER   day and month order of dates such as 05/03/2024\n"
        "                       in foreign files: dmy or mdy (default: refuse\n"
        "                       ambiguous dates)\n"
        "  --format text|json   output format of the report (default text)\n")},
    {"imports", cmd_imports, N_("List import batches, or undo one"),
     N_("Usage: cairn imports [--format text|json]\n"
        "       cairn imports undo ID\n"
        "\n"
        "Lists the import batches, newest first, with their files and counts.\n"
        "'undo ID' deletes the rows batch ID inserted and restores the rows it\n"
        "updated; it is refused when a later batch changed the same rows.\n"
        "\n"
        "  --format text|json   output format of the list (default text)\n")},
    {"init", cmd_init, N_("Create an empty database"),
     N_("Usage: cairn [--db PATH] init\n"
        "\n"
        "Creates an empty Cairn database with the current schema at PATH\n"
        "(default ./cairn.db, or CAIRN_DB). An existing Cairn database is left\n"
        "untouched.\n")},
    {"kpi", cmd_kpi, N_("Show the key results of a scope and period"),
     N_("Usage: cairn kpi --period P [--scope company|unit:ID|employee:ID]\n"
        "                [--metrics NAME,...] [--as-of YYYY-MM-DD] [--format table|json|csv]\n"
        "\n"
        "Computes every key-result metric (sales, growth, customers, team, cost)\n"
        "of one scope for one period, with targets and status.\n"
        "\n"
        "  --period P        a month (2024-03), quarter (2024-Q1) or year (2024)\n"
        "  --scope S         company (default), unit:ID with every unit below it,\n"
        "                    or employee:ID\n"
        "  --metrics LIST    only these metrics, by name, separated by commas\n"
        "  --as-of DATE      evaluation date; rows after it are ignored (default:\n"
        "                    today in the company time zone)\n"
        "  --format FORMAT   table (default), json or csv; JSON and CSV give money\n"
        "                    in yuan and ratios as unrounded fractions\n")},
    {"model", cmd_model, N_("Evaluate and fit the prediction models"),
     N_("Usage: cairn model eval --csv FILE --label COLUMN [--positive VALUE]\n"
        "                        [--drop COL,...] [--folds K] [--seed N]\n"
        "                        [--fold-column COL] [--format text|json]\n"
        "       cairn model bgnbd --calibration-end DATE [--holdout-end DATE]\n"
        "                         [--format text|json]\n"
        "       cairn model eval attrition [--as-of DATE] [--format text|json]\n"
        "       cairn model train attrition [--as-of DATE] [--format text|json]\n"
        "       cairn model score attrition [--as-of DATE] [--format table|json|csv]\n"
        "\n"
        "eval --csv cross-validates a logistic regression and gradient-boosted\n"
        "trees (XGBoost) on any flat table (CSV in UTF-8, GBK or UTF-16, XLSX,\n"
        "XLS) without a database, and reports ROC-AUC, PR-AUC, the Brier score,\n"
        "lift in the top 10 percent and a calibration table; the learner with the\n"
        "best PR-AUC is shown first. Numeric columns are used as they are (blanks are\n"
        "missing), other columns are one-hot encoded, and constant columns and\n"
        "text columns with a distinct value in every row are dropped.\n"
        "\n"
        "  --csv FILE           the table; its first row names the columns\n"
        "  --label COLUMN       the column to predict\n"
        "  --positive VALUE     the label value of the positive class (needed\n"
        "                       unless the label is 0/1)\n"
        "  --drop COL,...       columns to leave out (for example an ID)\n"
        "  --folds K            stratified cross-validation folds (default 5)\n"
        "  --seed N             seed of the fold assignment and the trees\n"
        "                       (default 1)\n"
        "  --fold-column COL    take each row's fold from this column instead\n"
        "  --format text|json   output format (default text)\n"
        "\n"
        "bgnbd fits the BG/NBD model of repeat purchases by maximum likelihood\n"
        "to the completed orders of customers whose first purchase is on or\n"
        "before the calibration end, and with --holdout-end compares predicted\n"
        "and actual repeat purchases after it.\n"
        "\n"
        "  --calibration-end DATE  the last day of the fitting period\n"
        "  --holdout-end DATE      the last day of the holdout period\n"
        "\n"
        "The attrition model predicts who leaves within 90 days, from tenure,\n"
        "pay against the same position, employee surveys, sales and leavers\n"
        "around each employee. eval tests on the employees of DATE - 90 days\n"
        "(DATE defaults to the last day of the data), trained on earlier\n"
        "cut-offs only. train fits it on the history and stores it in the\n"
        "database. score lists every employee employed on DATE, highest risk\n"
        "first, with the main factors in words.\n")},
    {"reconcile", cmd_reconcile, N_("Compare source files with the database"),
     N_("Usage: cairn reconcile PATH... [--kind ENTITY] [--encoding NAME] [--sheet NAME]\n"
        "                       [--map FILE] [--date-order ORDER] [--format text|json]\n"
        "\n"
        "Reads the files as 'cairn import' would and compares them with the rows\n"
        "of the database that have the same keys: row counts, and per month of\n"
        "each entity's main date the row counts and money sums, then the keys\n"
        "missing from the database or different there. Rows the import would\n"
        "reject are counted apart. Other rows of the database are no mismatch.\n"
        "Exits 0 when everything matches, 1 otherwise.\n"
        "\n"
        "  --kind ENTITY        the entity of files given directly\n"
        "  --encoding NAME      character encoding of the files (default auto)\n"
        "  --sheet NAME         the workbook sheet to read (default the first)\n"
        "  --map FILE           the mapping file the sources were imported with\n"
        "  --date-order ORDER   day and month order of ambiguous dates: dmy or mdy\n"
        "  --format text|json   output format of the report (default text)\n")},
    {"serve", cmd_serve, N_("Serve the web dashboard and the JSON API"),
     N_("Usage: cairn serve [--listen ADDR:PORT]\n"
        "\n"
        "Serves the dashboard page and the JSON API under /api/v1/ until stopped\n"
        "with Ctrl-C or SIGTERM. Accounts are managed with 'cairn user'.\n"
        "\n"
        "  --listen ADDR:PORT   address and TCP port to listen on (default\n"
        "                       127.0.0.1:8080; [::1]:PORT for IPv6; port 0 lets\n"
        "                       the system choose, and the address is printed)\n")},
    {"user", cmd_user, N_("Add, list or remove web accounts, or change a password"),
     N_("Usage: cairn user add LOGIN --role ROLE [--scope unit:ID|employee:ID]\n"
        "       cairn user list [--format text|json]\n"
        "       cairn user remove LOGIN\n"
        "       cairn user passwd LOGIN\n"
        "\n"
        "add and passwd read the password from the first line of standard input\n"
        "(at least 8 characters). Removing an account or changing its password\n"
        "ends its sessions.\n"
        "\n"
        "  --role ROLE     gm, team_lead, hr, finance or rep\n"
        "  --scope SCOPE   unit:ID (required for team_lead; optional for gm, hr and\n"
        "                  finance, who see the whole company without it) or\n"
        "                  employee:ID (required for rep)\n"
        "  --format FORMAT text (default) or json, for list\n")},
    {"version", cmd_version, N_("Print the version"), N_("Usage: cairn version\n")},
};
const size_t ncommands = sizeof(commands) / sizeof(commands[0]);

static int compare_command(const void *key, const void *elem)
{
    return strcmp(key, ((const struct command *)elem)->name);
}

const struct command *command_find(const char *name)
{
    return bsearch(name, commands, ncommands, sizeof(commands[0]), compare_command);
}
