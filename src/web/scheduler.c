/*
 * The warning scheduler of "cairn serve": a thread that runs the logic
 * of "cairn alerts run" through alerts_record. That call evaluates as of
 * today in the company time zone, the model warnings of the stored
 * models included, records new and resolved warnings and delivers the
 * new ones. It runs once a day when the company's clock
 * passes the setting alerts.evaluate_at, and whenever an import job has
 * stored rows. Each run is logged with its counts or its error.
 *
 * A server started after that day's time waits for the next day's: the
 * daily run happens when the clock passes the time while the server
 * runs. The thread checks the clock every SCHEDULER_TICK seconds.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "alerts/record.h"
#include "settings/settings.h"
#include "store/events.h"
#include "util/i18n.h"
#include "util/tz.h"
#include "web/jobs.h"
#include "web/log.h"
#include "web/web.h"

#define SCHEDULER_TICK 30

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static bool stopping, run_requested, started;
static pthread_t thread;
static const char *scheduler_db_path;

/* Seconds since local midnight in tz at now. Found by bisection on the
 * date's change, so that only tz_date_at is needed. */
static int64_t seconds_since_midnight(struct tz *tz, int64_t now)
{
    cdate today = tz_date_at(tz, now);
    int64_t lo = now - 2 * 86400, hi = now; /* date(lo) < today == date(hi) */

    while (hi - lo > 1) {
        int64_t mid = lo + (hi - lo) / 2;

        if (tz_date_at(tz, mid) == today)
            hi = mid;
        else
            lo = mid;
    }
    return now - hi;
}

/* Reads alerts.evaluate_at ("HH:MM") as seconds after midnight. */
static int evaluate_at(struct db *db, int64_t *out, struct strbuf *err)
{
    char *text = setting_get(db, "alerts.evaluate_at", err);
    int hours, minutes;

    if (!text)
        return -1;
    if (sscanf(text, "%d:%d", &hours, &minutes) != 2) {
        sb_addf(err, "invalid alerts.evaluate_at '%s'", text);
        free(text);
        return -1;
    }
    free(text);
    *out = (int64_t)hours * 3600 + minutes * 60;
    return 0;
}

/* Runs alerts_record as of today and logs the outcome. The factors of
 * the model warnings are in the server's own language, which API
 * requests may switch meanwhile, hence the gettext lock. */
static void run_alerts(struct db *db, cdate today, const char *why)
{
    struct strbuf err = STRBUF_INIT;
    struct alert_run_summary sum = {0};
    struct web_gettext saved;
    int rc;

    web_gettext_enter_lang(i18n_lang(), &saved);
    rc = alerts_record(db, today, &sum, &err);
    web_gettext_leave(&saved);

    if (rc == 0 || rc == ALERTS_DELIVERY_FAILED || rc == ALERTS_MODELS_FAILED)
        log_line(LOG_INFO, 0, NULL, "alerts run (%s): %zu new, %zu still holding, %zu resolved",
                 why, sum.added, sum.held, sum.resolved);
    if (rc)
        log_line(LOG_ERROR, 0, NULL, "alerts run (%s) failed: %s", why, err.buf);
    sb_release(&err);
}

/* One check of the clock and of requests; returns the day it ran for,
 * or last_day when it did not run. The first check (last_day DATE_NONE)
 * only notes whether today's time has passed already. */
static cdate tick(struct db *db, cdate last_day, bool requested)
{
    struct strbuf err = STRBUF_INIT;
    struct tz *tz = company_tz_open(db, &err);
    int64_t now = time(NULL), at;
    cdate today;

    if (!tz || evaluate_at(db, &at, &err)) {
        log_line(LOG_ERROR, 0, NULL, "alerts schedule: %s", err.buf);
        if (tz)
            tz_close(tz);
        sb_release(&err);
        return last_day;
    }
    today = tz_date_at(tz, now);
    if (last_day == DATE_NONE)
        last_day = seconds_since_midnight(tz, now) >= at ? today : today - 1;
    if (today != last_day && seconds_since_midnight(tz, now) >= at) {
        run_alerts(db, today, "daily");
        last_day = today;
    } else if (requested) {
        run_alerts(db, today, "after import");
    }
    tz_close(tz);
    sb_release(&err);
    return last_day;
}

static void *scheduler_thread(void *arg)
{
    struct strbuf err = STRBUF_INIT;
    struct db *db = NULL;
    cdate last_day = DATE_NONE;
    bool first = true;

    (void)arg;
    for (;;) {
        struct timespec until;
        bool requested;

        pthread_mutex_lock(&lock);
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += SCHEDULER_TICK;
        while (!stopping && !run_requested && !first)
            if (pthread_cond_timedwait(&wake, &lock, &until))
                break;
        if (stopping) {
            pthread_mutex_unlock(&lock);
            break;
        }
        requested = run_requested;
        run_requested = false;
        first = false;
        pthread_mutex_unlock(&lock);

        if (!db && db_open(&db, scheduler_db_path, DB_OPEN_EXISTING, &err)) {
            log_line(LOG_ERROR, 0, NULL, "alerts schedule: opening the database: %s", err.buf);
            sb_reset(&err);
            db = NULL;
            continue;
        }
        last_day = tick(db, last_day, requested);
    }
    if (db)
        db_close(db);
    sb_release(&err);
    return NULL;
}

int scheduler_start(const char *db_path, struct strbuf *err)
{
    scheduler_db_path = db_path;
    stopping = false;
    run_requested = false;
    if (pthread_create(&thread, NULL, scheduler_thread, NULL)) {
        sb_add(err, "cannot start the alerts scheduler thread");
        return -1;
    }
    started = true;
    return 0;
}

void scheduler_stop(void)
{
    if (!started)
        return;
    pthread_mutex_lock(&lock);
    stopping = true;
    pthread_cond_broadcast(&wake);
    pthread_mutex_unlock(&lock);
    pthread_join(thread, NULL);
    started = false;
}

void scheduler_request_run(void)
{
    pthread_mutex_lock(&lock);
    run_requested = true;
    pthread_cond_signal(&wake);
    pthread_mutex_unlock(&lock);
}
