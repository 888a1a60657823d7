/*
 * The import progress bar. It is redrawn at most five times a second,
 * so drawing costs little next to reading. The row estimate counts line
 * ends, so quoted line breaks make it high and the bar ends short of
 * 100 %. Mapped imports are estimated as unknown (no percentage).
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "import/progress.h"
#include "util/i18n.h"

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The number of line ends of a text file, minus the header; 0 for a
 * workbook (its first bytes are a ZIP or OLE2 signature) or on error. */
static long count_rows(const char *path)
{
    char buf[65536];
    long lines = 0;
    size_t n;
    FILE *fp = fopen(path, "rb");

    if (!fp)
        return 0;
    n = fread(buf, 1, sizeof(buf), fp);
    if (n >= 4 && (!memcmp(buf, "PK\3\4", 4) || !memcmp(buf, "\xD0\xCF\x11\xE0", 4))) {
        fclose(fp);
        return 0;
    }
    while (n > 0) {
        for (size_t i = 0; i < n; i++)
            lines += buf[i] == '\n';
        n = fread(buf, 1, sizeof(buf), fp);
    }
    fclose(fp);
    return lines > 0 ? lines - 1 : 0;
}

void import_progress_init(struct import_progress *p, const char *const *paths, size_t npaths)
{
    struct stat st;

    memset(p, 0, sizeof(*p));
    p->start = now();
    for (size_t i = 0; i < npaths; i++) {
        if (stat(paths[i], &st) || !S_ISREG(st.st_mode)) {
            p->expected = 0;
            return;
        }
        p->expected += count_rows(paths[i]);
    }
}

void import_progress_draw(void *ctx, long rows)
{
    struct import_progress *p = ctx;
    double t = now(), elapsed = t - p->start, rate;

    /* The last row of the estimate is always drawn, so the bar ends full. */
    if (t - p->last_draw < 0.2 && rows != p->expected)
        return;
    p->last_draw = t;
    rate = elapsed > 0 ? rows / elapsed : 0;
    if (p->expected > 0 && rows <= p->expected && rate > 0) {
        int width = 30, done = (int)((double)rows / (double)p->expected * width);

        fprintf(stderr, "\r[%.*s%*s] %3d%%  ", done, "##############################", width - done,
                "", (int)(100.0 * (double)rows / (double)p->expected));
        fprintf(stderr, _("%ld rows, %.0f rows/s, %.0f s left"), rows, rate,
                (double)(p->expected - rows) / rate);
    } else {
        fprintf(stderr, "\r");
        fprintf(stderr, _("%ld rows, %.0f rows/s"), rows, rate);
    }
    fprintf(stderr, "   ");
    fflush(stderr);
    p->drawn = 1;
}

void import_progress_end(struct import_progress *p)
{
    if (p->drawn)
        fprintf(stderr, "\r%80s\r", "");
}
