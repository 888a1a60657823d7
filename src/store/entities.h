/*
 * The catalogue of canonical entities: for each file of the data set, its
 * table, key and fields with their types, rules and references. Import,
 * export and reconcile are driven by this one description.
 */
#ifndef CAIRN_ENTITIES_H
#define CAIRN_ENTITIES_H

#include <stdbool.h>
#include <stddef.h>

enum field_type {
    FT_ID,         /* opaque id text */
    FT_TEXT,       /* free text */
    FT_ENUM,       /* one of field.enum_values */
    FT_DATE,       /* YYYY-MM-DD */
    FT_EVENT_DATE, /* YYYY-MM-DD or an ISO 8601 timestamp; stored with _given */
    FT_MONTH,      /* YYYY-MM */
    FT_PERIOD,     /* YYYY-MM, YYYY-Qn or YYYY */
    FT_MARKET_PERIOD, /* YYYY-MM or YYYY */
    FT_MONEY,      /* yuan with at most 2 decimals, stored as fen */
    FT_SCORE10,    /* 0-10 with at most 2 decimals, stored as hundredths */
    FT_SCORE100,   /* 0-100 with at most 2 decimals, stored as hundredths */
    FT_HOURS,      /* non-negative, at most 2 decimals, stored as hundredths */
    FT_METRIC,     /* a metric name */
    FT_DECIMAL,    /* a decimal number kept as written (target values) */
};

enum field_flags {
    FF_REQUIRED = 1 << 0,
    FF_KEY = 1 << 1,      /* part of the entity's key */
    FF_PERSONAL = 1 << 2, /* personal data: email, phone */
    FF_PAY = 1 << 3,      /* pay data: base_salary, payroll amounts */
};

struct field_def {
    const char *name;
    enum field_type type;
    unsigned flags;
    const char *const *enum_values; /* FT_ENUM: NULL-terminated */
    const char *refers_to;          /* entity whose key this names, or NULL */
    const char *default_value;      /* used when the column is absent or empty */
};

struct entity_def {
    const char *name;  /* "orders": also the table name */
    const char *file;  /* "orders.csv" */
    const struct field_def *fields;
    size_t nfields;
    /* The field whose month groups rows in reconcile reports, or NULL. */
    const char *main_date;
    /* The money field summed in reconcile reports, or NULL. */
    const char *main_amount;
};

/* Entities in dependency order (units and employees first). */
extern const struct entity_def *const entities[];
extern const size_t nentities;

const struct entity_def *entity_by_name(const char *name);
/* Matches a canonical file name ("orders.csv"), case-insensitively. */
const struct entity_def *entity_by_file(const char *file);
const struct field_def *entity_field(const struct entity_def *e, const char *name);

/* Whether a metric name is one that metrics are defined for. */
bool metric_name_known(const char *name);

#endif
