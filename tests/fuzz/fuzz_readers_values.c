/*
 * libFuzzer target for the lenient value parsers and the header alias
 * lookup. Accepted amounts must be within range, and an accepted date
 * must lie in the years Cairn accepts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "readers/aliases.h"
#include "readers/values.h"
#include "util/decimal.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = xstrndup((const char *)data, size);
    struct strbuf number = STRBUF_INIT;
    int64_t hundredths;
    cdate day;
    int year, month, mday;

    for (int order = DATE_ORDER_NONE; order <= DATE_ORDER_MDY; order++) {
        if (value_parse_date(text, (enum date_order)order, &day) == VALUE_OK) {
            date_to_ymd(day, &year, &month, &mday);
            if (year < DATE_MIN_YEAR || year > DATE_MAX_YEAR)
                abort();
        }
    }
    if (value_parse_money(text, &hundredths) == VALUE_OK &&
        (hundredths > DECIMAL_MAX_HUNDREDTHS || hundredths < -DECIMAL_MAX_HUNDREDTHS))
        abort();
    value_parse_number(text, true, &number);
    alias_lookup("orders", text);
    alias_lookup("employees", text);

    sb_release(&number);
    free(text);
    return 0;
}
