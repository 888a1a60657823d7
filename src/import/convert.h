/*
 * Field conversion: turning one raw text value into the value stored for
 * a field of the entity catalogue. There is one function per field type,
 * each taking a mode: strict for canonical files (exactly the forms the
 * data format gives) or lenient for foreign files (the forms that
 * spreadsheets and other systems write). Every function returns 0 with the
 * converted value, or -1 with a message that names the value, says what is
 * wrong and how to write it.
 */
#ifndef CAIRN_IMPORT_CONVERT_H
#define CAIRN_IMPORT_CONVERT_H

#include <stdbool.h>
#include <stdint.h>

#include "store/entities.h"
#include "util/date.h"
#include "util/strbuf.h"
#include "util/tz.h"

enum value_mode {
    VALUE_STRICT,      /* canonical files */
    VALUE_LENIENT,     /* foreign files; ambiguous day/month orders refused */
    VALUE_LENIENT_DMY, /* foreign files, 05/03/2024 is 5 March */
    VALUE_LENIENT_MDY, /* foreign files, 05/03/2024 is 3 May */
};

/* Text columns hold at most this many bytes of a canonical form (dates,
 * months, periods) written by the converters. */
#define VALUE_FORM_SIZE 16

int value_date(const char *raw, enum value_mode mode, cdate *out, struct strbuf *msg);
/* An event date: *out is the date in tz. */
int value_event_date(const char *raw, enum value_mode mode, struct tz *tz, cdate *out,
                     struct strbuf *msg);
int value_month(const char *raw, enum value_mode mode, int *month_index, struct strbuf *msg);
/* A period YYYY-MM, YYYY-Qn or YYYY; months_only_or_year limits it to
 * YYYY-MM or YYYY (market sizes). form receives the canonical spelling. */
int value_period(const char *raw, enum value_mode mode, bool months_or_year,
                 char form[VALUE_FORM_SIZE], struct strbuf *msg);
/* Money in yuan with at most 2 decimals, as fen. */
int value_money(const char *raw, enum value_mode mode, int64_t *fen, struct strbuf *msg);
/* A score in [0, max_points] with at most 2 decimals, as hundredths. */
int value_score(const char *raw, enum value_mode mode, int max_points, int64_t *hundredths,
                struct strbuf *msg);
/* Hours (non-negative, at most 2 decimals), as hundredths. */
int value_hours(const char *raw, enum value_mode mode, int64_t *hundredths, struct strbuf *msg);
/* One of values (NULL-terminated); *index receives its position. */
int value_enum(const char *raw, enum value_mode mode, const char *const *values, int *index,
               struct strbuf *msg);
int value_metric(const char *raw, enum value_mode mode, struct strbuf *msg);
/* A decimal number of any precision, kept as written (target values);
 * form receives the text to store. */
int value_decimal(const char *raw, enum value_mode mode, struct strbuf *form, struct strbuf *msg);

/* How a converted field is stored. */
enum cell_kind { CELL_NULL, CELL_TEXT, CELL_INT };

struct field_value {
    enum cell_kind kind;
    int64_t i;          /* CELL_INT */
    const char *text;   /* CELL_TEXT: raw itself or form.buf */
    struct strbuf form; /* a canonical spelling written by the converter */
    /* FT_EVENT_DATE: the value stored as given, which is raw when it is a
     * canonical date or timestamp and the derived date otherwise. */
    const char *given;
    struct strbuf trimmed; /* raw without surrounding blanks, when it had any */
};

#define FIELD_VALUE_INIT {CELL_NULL, 0, NULL, STRBUF_INIT, NULL, STRBUF_INIT}

/*
 * Converts raw (never NULL; "" is empty) for field f into *v, which stays
 * valid until the next call with the same v or until raw changes. An empty
 * value gives the field's default, or CELL_NULL (an empty required value
 * is an error; an empty key that is not required is ""). tz is needed for
 * FT_EVENT_DATE only.
 */
int field_convert(const struct field_def *f, const char *raw, enum value_mode mode,
                  struct tz *tz, struct field_value *v, struct strbuf *msg);
void field_value_release(struct field_value *v);

#endif
