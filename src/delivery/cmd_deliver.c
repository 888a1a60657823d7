/*
 * "cairn deliver": send a test message through the configured delivery
 * channels, list the delivery log, send the queued daily digests now, or
 * retry the messages that failed.
 * Warnings themselves are delivered by "cairn alerts run".
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "delivery/internal.h"
#include "settings/settings.h"
#include "store/events.h"
#include "util/date.h"
#include "util/i18n.h"
#include "util/tz.h"
#include "util/xalloc.h"

/* Default length of the listed log. */
#define LOG_LIMIT_DEFAULT 50

struct deliver_options {
    unsigned channels;
    bool channel_given;
    bool json;
    bool include_today;
    long limit;
    const char **to;
    size_t nto, to_alloc;
};

static const char *status_name(enum delivery_status status)
{
    switch (status) {
    case DELIVERY_NOT_CONFIGURED:
        return "not_configured";
    case DELIVERY_SENT:
        return "sent";
    case DELIVERY_ALREADY_SENT:
        return "already_sent";
    case DELIVERY_FAILED:
        return "failed";
    }
    return "?";
}

static void print_outcome(enum delivery_channel ch, const struct delivery_outcome *o)
{
    const char *name = delivery_channel_name(ch);

    switch (o->status) {
    case DELIVERY_NOT_CONFIGURED:
        printf(_("%s: not configured\n"), name);
        break;
    case DELIVERY_SENT:
        printf(_("%s: sent (attempts: %d, response code %ld)\n"), name, o->attempts,
               o->response_code);
        break;
    case DELIVERY_ALREADY_SENT:
        printf(_("%s: already sent\n"), name);
        break;
    case DELIVERY_FAILED:
        printf(_("%s: failed after %d attempts: %s\n"), name, o->attempts, sb_str(&o->error));
        break;
    }
}

/* Adds a made-up company warning, formatted as real ones are, so that
 * the test shows how warnings will read. */
static int add_sample_warning(struct db *db, const char *today, struct delivery_message *msg,
                              struct strbuf *err)
{
    json_t *figures = json_pack("{s:f, s:f, s:f}", "labor_cost_ratio", 0.3, "labor_cost", 30000.0,
                                "sales", 100000.0);
    struct delivery_warning sample = {"labor_cost_high", "company", "company", "",   NULL,
                                      figures,           NULL,      "test",    today};
    struct delivery_message formatted;
    char period[8];
    int rc;

    memcpy(period, today, 7);
    period[7] = '\0';
    sample.period = period;
    delivery_message_init(&formatted);
    rc = warning_format(db, &sample, today, &formatted, err);
    if (rc == 0) {
        delivery_message_add_line(msg, "%s", "");
        delivery_message_add_line(msg, _("Example of a warning (not a real one):"));
        delivery_message_add_line(msg, "%s", formatted.title);
        for (size_t i = 0; i < formatted.nlines; i++)
            delivery_message_add_line(msg, "%s", formatted.lines[i]);
    }
    delivery_message_release(&formatted);
    json_decref(figures);
    return rc;
}

/* Builds the test message in the delivery language. */
static int build_test_message(struct db *db, const struct deliver_options *opts,
                              struct delivery_message *msg, struct strbuf *err)
{
    char *lang = setting_get(db, "delivery.lang", err);
    char *company = setting_get(db, "company.name", err);
    char *from = setting_get(db, "delivery.smtp.from", err);
    char *saved, now[32], today[16];
    time_t t = time(NULL);
    struct tm tm;
    int rc = -1;

    if (!lang || !company || !from)
        goto out;
    gmtime_r(&t, &tm);
    strftime(now, sizeof(now), "%Y-%m-%d %H:%M:%S", &tm);
    strftime(today, sizeof(today), "%Y-%m-%d", &tm);

    saved = delivery_lang_push(i18n_catalog_for(lang) ? i18n_catalog_for(lang) : "zh_CN");
    delivery_message_set_lang(msg, i18n_catalog_for(lang));
    delivery_message_set_title(msg, _("Cairn test message"));
    delivery_message_add_line(msg, _("This is a test message from Cairn for %s."), company);
    delivery_message_add_line(msg, _("Sent at %s UTC; warnings will arrive in this form."), now);
    rc = add_sample_warning(db, today, msg, err);
    delivery_lang_pop(saved);
    if (rc)
        goto out;

    for (size_t i = 0; i < opts->nto; i++)
        delivery_message_add_recipient(msg, opts->to[i]);
    if (!opts->nto)
        delivery_message_add_recipient(msg, from);
    rc = 0;
out:
    free(lang);
    free(company);
    free(from);
    return rc;
}

static int deliver_test(struct db *db, const struct deliver_options *opts)
{
    struct delivery_message msg;
    struct delivery_report report;
    struct strbuf err = STRBUF_INIT;
    json_t *list = json_array(), *item;
    int rc = EXIT_OK, attempted = 0, send_rc;

    delivery_message_init(&msg);
    delivery_report_init(&report);
    if (build_test_message(db, opts, &msg, &err)) {
        cli_error("%s", err.buf);
        rc = EXIT_FAILED;
        goto out;
    }
    send_rc = delivery_send(db, &msg, opts->channels, &report, &err);
    if (send_rc && !err.len)
        BUG("delivery_send failed without a message");

    /* One line or object per selected channel. */
    for (int ch = 0; ch < DELIVERY_CHANNEL_COUNT; ch++) {
        const struct delivery_outcome *o = &report.channel[ch];

        if (!(opts->channels & (1u << ch)))
            continue;
        attempted |= o->status != DELIVERY_NOT_CONFIGURED;
        if (o->status == DELIVERY_FAILED)
            rc = EXIT_FAILED;
        if (opts->json) {
            item = json_pack("{s:s, s:s, s:i}", "channel", delivery_channel_name(ch), "status",
                             status_name(o->status), "attempts", o->attempts);
            json_object_set_new(item, "response_code",
                                o->response_code ? json_integer(o->response_code) : json_null());
            json_object_set_new(item, "error",
                                o->status == DELIVERY_FAILED ? json_string(sb_str(&o->error))
                                                             : json_null());
            json_array_append_new(list, item);
        } else {
            print_outcome(ch, o);
        }
    }
    if (opts->json)
        cli_print_json(json_pack("{s:O}", "channels", list));
    if (send_rc && rc == EXIT_OK) {
        cli_error("%s", err.buf);
        rc = EXIT_FAILED;
    }
    if (!attempted) {
        cli_error("%s", opts->channel_given
                            ? _("the selected channel is not configured: set its delivery.* URL "
                                "with 'cairn config' (e-mail also needs delivery.smtp.from)")
                            : _("no delivery channel is configured: set delivery.wecom.url, "
                                "delivery.dingtalk.url, delivery.feishu.url or delivery.smtp.url "
                                "with 'cairn config'"));
        rc = EXIT_FAILED;
    }
out:
    json_decref(list);
    delivery_report_release(&report);
    delivery_message_release(&msg);
    sb_release(&err);
    return rc;
}

static int deliver_log(struct db *db, const struct deliver_options *opts)
{
    struct strbuf err = STRBUF_INIT;
    struct db_stmt *st;
    json_t *list = json_array(), *item;
    const char *key, *error;
    int step;

    st = db_prepare(db,
                    "SELECT id, time, channel, alert_key, day, attempts, status, "
                    "response_code, error FROM delivery_log ORDER BY id DESC LIMIT ?",
                    &err);
    if (!st) {
        cli_error("%s", err.buf);
        sb_release(&err);
        json_decref(list);
        return EXIT_FAILED;
    }
    db_bind_int64(st, 1, opts->limit);
    while ((step = db_step(st, &err)) == DB_ROW) {
        key = db_column_text(st, 3);
        error = db_column_text(st, 8);
        if (opts->json) {
            item = json_pack("{s:I, s:s, s:s, s:s?, s:s?, s:I, s:s}", "id",
                             (json_int_t)db_column_int64(st, 0), "time", db_column_text(st, 1),
                             "channel", db_column_text(st, 2), "alert_key", key, "day",
                             db_column_text(st, 4), "attempts", (json_int_t)db_column_int64(st, 5),
                             "status", db_column_text(st, 6));
            json_object_set_new(item, "response_code",
                                db_column_is_null(st, 7) ? json_null()
                                                         : json_integer(db_column_int64(st, 7)));
            json_object_set_new(item, "error", error ? json_string(error) : json_null());
            json_array_append_new(list, item);
        } else {
            printf("%s  %-8s  %-6s  %lld  %s%s%s%s%s\n", db_column_text(st, 1),
                   db_column_text(st, 2), db_column_text(st, 6), (long long)db_column_int64(st, 5),
                   key ? key : "-", key ? " " : "", key ? db_column_text(st, 4) : "",
                   error ? "  " : "", error ? error : "");
        }
    }
    db_finalize(st);
    if (step == DB_ERROR) {
        cli_error("%s", err.buf);
        sb_release(&err);
        json_decref(list);
        return EXIT_FAILED;
    }
    if (opts->json)
        cli_print_json(json_pack("{s:o}", "deliveries", list));
    else
        json_decref(list);
    sb_release(&err);
    return EXIT_OK;
}

static int deliver_digest(struct db *db, const struct deliver_options *opts)
{
    struct strbuf err = STRBUF_INIT;
    struct tz *tz = company_tz_open(db, &err);
    char today[DATE_BUFSIZE];
    int rc = EXIT_OK;

    if (!tz) {
        cli_error("%s", err.buf);
        sb_release(&err);
        return EXIT_FAILED;
    }
    date_format(tz_today(tz), today);
    tz_close(tz);
    if (delivery_flush_digest(db, today, opts->include_today, &err)) {
        cli_error("%s", err.buf);
        rc = EXIT_FAILED;
    }
    sb_release(&err);
    return rc;
}

static int deliver_retry(struct db *db)
{
    struct strbuf err = STRBUF_INIT;
    int rc = EXIT_OK;

    if (delivery_retry_failed(db, &err)) {
        cli_error("%s", err.buf);
        rc = EXIT_FAILED;
    }
    sb_release(&err);
    return rc;
}

static int parse_channel(struct cli *cli, const char *arg, struct deliver_options *opts)
{
    int ch;

    if (!strcmp(arg, "all")) {
        opts->channels = DELIVERY_ALL_CHANNELS;
        return 0;
    }
    ch = delivery_channel_parse(arg);
    if (ch < 0)
        return cli_usage_error(
            cli, _("unknown channel '%s': use wecom, dingtalk, feishu, email or all"), arg);
    opts->channels = 1u << ch;
    return 0;
}

int cmd_deliver(struct cli *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"channel", required_argument, NULL, 'c'}, {"to", required_argument, NULL, 't'},
        {"format", required_argument, NULL, 'f'},  {"limit", required_argument, NULL, 'l'},
        {"include-today", no_argument, NULL, 'i'}, {NULL, 0, NULL, 0},
    };
    struct deliver_options opts = {DELIVERY_ALL_CHANNELS, false, false, false,
                                   LOG_LIMIT_DEFAULT,     NULL,  0,     0};
    const char *sub;
    struct db *db;
    char *end;
    int c, rc;

    /* Options. */
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (c) {
        case 'c':
            if ((rc = parse_channel(cli, optarg, &opts)))
                goto out;
            opts.channel_given = true;
            break;
        case 't':
            if (!delivery_address_is_plain(optarg)) {
                rc = cli_usage_error(cli, _("invalid e-mail address '%s'"), optarg);
                goto out;
            }
            XGROW(opts.to, opts.to_alloc, opts.nto + 1);
            opts.to[opts.nto++] = optarg;
            break;
        case 'f':
            if (strcmp(optarg, "json") && strcmp(optarg, "text")) {
                rc = cli_usage_error(cli, _("unknown format '%s': use text or json"), optarg);
                goto out;
            }
            opts.json = !strcmp(optarg, "json");
            break;
        case 'l':
            opts.limit = strtol(optarg, &end, 10);
            if (!*optarg || *end || opts.limit < 1) {
                rc = cli_usage_error(
                    cli, _("invalid --limit '%s': expected a whole number of 1 or more"), optarg);
                goto out;
            }
            break;
        case 'i':
            opts.include_today = true;
            break;
        default:
            rc = cli_bad_option(cli, optopt, argv[optind - 1]);
            goto out;
        }
    }

    /* The subcommand. */
    if (optind >= argc) {
        rc = cli_usage_error(cli, "%s", _("missing subcommand: use test, log, digest or retry"));
        goto out;
    }
    sub = argv[optind];
    if (strcmp(sub, "test") && strcmp(sub, "log") && strcmp(sub, "digest") &&
        strcmp(sub, "retry")) {
        rc =
            cli_usage_error(cli, _("unknown subcommand '%s': use test, log, digest or retry"), sub);
        goto out;
    }
    if (optind + 1 < argc) {
        rc = cli_usage_error(cli, _("unexpected argument '%s'"), argv[optind + 1]);
        goto out;
    }

    db = cli_open_db(cli, DB_OPEN_EXISTING);
    if (!db) {
        rc = EXIT_FAILED;
        goto out;
    }
    if (!strcmp(sub, "test"))
        rc = deliver_test(db, &opts);
    else if (!strcmp(sub, "log"))
        rc = deliver_log(db, &opts);
    else if (!strcmp(sub, "digest"))
        rc = deliver_digest(db, &opts);
    else
        rc = deliver_retry(db);
    db_close(db);
out:
    free(opts.to);
    return rc;
}
