/*
 * "cairn model train|score forecast": the monthly sales forecast of every
 * unit. train chooses and fits a model per unit by back-test and stores
 * them; score applies them through risk_forecast. Money is printed in
 * yuan, as everywhere on the command line.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/commands.h"
#include "models/cmd_model.h"
#include "models/forecast.h"
#include "models/risk.h"
#include "util/csv.h"
#include "util/i18n.h"
#include "util/textwidth.h"
#include "util/xalloc.h"

/* Money for people: yuan with two decimals. */
static void print_yuan(struct strbuf *sb, int64_t fen)
{
    sb_addf(sb, "%s%lld.%02lld", fen < 0 ? "-" : "", llabs((long long)fen) / 100,
            llabs((long long)fen) % 100);
}

int model_train_forecast(struct cli *cli, int argc, char **argv)
{
    struct model_request req;
    struct strbuf err = STRBUF_INIT;
    struct db *db;
    json_t *evaluation = NULL;
    int rc = model_parse_request(cli, argc, argv, "forecast", &req);

    if (rc >= 0)
        return rc;
    db = cli_open_db(cli, DB_OPEN_EXISTING);
    if (!db)
        return EXIT_FAILED;
    rc = forecast_train(db, req.as_of, &evaluation, &err);
    if (rc != 0) {
        if (rc > 0)
            cli_error(_("no unit has %d months of sales up to the last whole month; nothing to "
                        "forecast"),
                      FC_MIN_MONTHS);
        else
            cli_error("%s", err.buf);
        rc = EXIT_FAILED;
        goto out;
    }

    if (!strcmp(req.format, "json")) {
        cli_print_json(json_incref(evaluation));
    } else {
        json_t *mape = json_object_get(evaluation, "mape");
        json_t *baseline_mape = json_object_get(evaluation, "baseline_mape");
        json_t *online = json_object_get(evaluation, "online");

        printf(_("Stored the sales forecast of %lld units, fitted on the months up to %s\n"),
               (long long)json_integer_value(json_object_get(evaluation, "fitted")),
               json_string_value(json_object_get(evaluation, "last_month")));
        printf(_("Back-test, %lld one-month forecasts: MAE %.2f yuan (baseline %.2f)\n"),
               (long long)json_integer_value(json_object_get(evaluation, "forecasts")),
               json_number_value(json_object_get(evaluation, "mae")),
               json_number_value(json_object_get(evaluation, "baseline_mae")));
        if (json_is_number(mape))
            printf(_("MAPE %.1f%% (baseline %.1f%%)\n"), json_number_value(mape) * 100,
                   json_number_value(baseline_mape) * 100);
        if (json_is_number(json_object_get(online, "mae")))
            printf(_("Choosing each month's model on the months before it: MAE %.2f yuan "
                     "(baseline %.2f) over %lld forecasts\n"),
                   json_number_value(json_object_get(online, "mae")),
                   json_number_value(json_object_get(online, "baseline_mae")),
                   (long long)json_integer_value(json_object_get(online, "forecasts")));
    }
    rc = EXIT_OK;

out:
    json_decref(evaluation);
    db_close(db);
    sb_release(&err);
    return rc;
}

static void print_forecast_heading(void)
{
    static const char *const headings[] = {N_("forecast"), N_("lower"), N_("upper")};

    print_cell(stdout, _("unit"), 12, false);
    putchar(' ');
    print_cell(stdout, _("month"), 7, false);
    for (size_t k = 0; k < sizeof(headings) / sizeof(headings[0]); k++) {
        putchar(' ');
        print_cell(stdout, _(headings[k]), 14, true);
    }
    putchar(' ');
    print_cell(stdout, _("trend"), 12, true);
    printf("  %s\n", _("turning"));
}

static void print_forecasts(const char *format, const struct forecast_list *l)
{
    json_t *arr = json_array();

    for (size_t i = 0; i < l->n; i++) {
        const struct unit_forecast *f = &l->v[i];
        char month[8];

        date_month_format(date_month_index(f->month), month);
        if (!strcmp(format, "json")) {
            json_t *row =
                json_pack("{s:s, s:s, s:o, s:o, s:o}", "subject", f->unit, "month", month,
                          "forecast", forecast_yuan_json(f->forecast), "lower",
                          forecast_yuan_json(f->lower), "upper", forecast_yuan_json(f->upper));

            json_object_set_new(row, "trend", forecast_yuan_json(llround(f->trend)));
            json_object_set_new(row, "turning", json_boolean(f->turning));
            json_array_append_new(arr, row);
        } else {
            struct strbuf line = STRBUF_INIT;
            char sep = !strcmp(format, "csv") ? ',' : ' ';

            if (i == 0 && sep == ',')
                puts("subject,month,forecast,lower,upper,trend,turning");
            else if (i == 0)
                print_forecast_heading();
            if (sep == ',') {
                csv_write_field(&line, f->unit, ',');
                sb_addf(&line, ",%s,", month);
                print_yuan(&line, f->forecast);
                sb_addch(&line, ',');
                print_yuan(&line, f->lower);
                sb_addch(&line, ',');
                print_yuan(&line, f->upper);
                sb_addch(&line, ',');
                print_yuan(&line, llround(f->trend));
                sb_addf(&line, ",%d", f->turning);
                puts(line.buf);
            } else {
                struct strbuf money[4] = {STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT};

                print_yuan(&money[0], f->forecast);
                print_yuan(&money[1], f->lower);
                print_yuan(&money[2], f->upper);
                print_yuan(&money[3], llround(f->trend));
                print_cell(stdout, f->unit, 12, false);
                printf(" %-7s %14s %14s %14s %12s  %s\n", month, money[0].buf, money[1].buf,
                       money[2].buf, money[3].buf, f->turning ? _("yes") : "");
                for (int k = 0; k < 4; k++)
                    sb_release(&money[k]);
            }
            sb_release(&line);
        }
    }
    if (!strcmp(format, "json"))
        cli_print_json(arr);
    else
        json_decref(arr);
}

/* Tells on stderr when the orders end before the last whole month of the
 * as-of day, because the forecast is then of a month that has begun or
 * passed. */
static void note_data_end(const struct forecast_list *l)
{
    int as_of_month = date_month_index(l->as_of);
    char day[DATE_BUFSIZE], month[8];

    if (l->as_of != date_month_last(as_of_month))
        as_of_month--;
    if (l->last_order == DATE_NONE || l->last_month >= as_of_month)
        return;
    date_format(l->last_order, day);
    date_month_format(l->last_month + 1, month);
    fprintf(stderr,
            _("note: the latest order is dated %s, so the months after it are not counted as "
              "months without sales; the forecast is of %s\n"),
            day, month);
}

int model_score_forecast(struct cli *cli, int argc, char **argv)
{
    struct model_request req;
    struct forecast_list list;
    struct strbuf err = STRBUF_INIT;
    struct db *db;
    int rc = model_parse_score_request(cli, argc, argv, "forecast", &req);

    if (rc >= 0)
        return rc;
    db = cli_open_db(cli, DB_OPEN_EXISTING);
    if (!db)
        return EXIT_FAILED;
    rc = risk_forecast(db, req.as_of, &list, &err);
    if (rc != 0) {
        if (rc > 0)
            sb_addf(&err, _("no %s model is stored; run 'cairn model train %s' first"), "forecast",
                    "forecast");
        cli_error("%s", err.buf);
        rc = EXIT_FAILED;
    } else {
        note_data_end(&list);
        print_forecasts(req.format, &list);
        rc = EXIT_OK;
    }
    forecast_list_free(&list);
    db_close(db);
    sb_release(&err);
    return rc;
}
