/*
 * Settings: every setting is declared once, in settings.c's sorted table,
 * with its type, default and limits; values live in the settings table
 * of the database. A setting never written has its default.
 */
#ifndef CAIRN_SETTINGS_H
#define CAIRN_SETTINGS_H

#include "db/db.h"

enum setting_type {
    SETTING_TEXT,
    SETTING_DECIMAL,  /* a number within [min, max] */
    SETTING_MONEY,    /* yuan with at most 2 decimals, within [min, max] */
    SETTING_INTEGER,  /* a whole number within [min, max] */
    SETTING_TIME,     /* HH:MM, 24-hour, company time */
    SETTING_TIMEZONE, /* an IANA zone id known to ICU */
    SETTING_URL,      /* http(s):// or smtp(s):// URL, or empty */
    SETTING_EMAIL,    /* an e-mail address, or empty */
};

struct setting_def {
    const char *name;
    enum setting_type type;
    const char *default_value;
    double min, max;  /* for numeric types */
    int secret;       /* written, never printed back */
    const char *help; /* N_() text */
    /* Runs inside the transaction that stores a new value. */
    int (*on_change)(struct db *db, const char *value, struct strbuf *err);
};

extern const struct setting_def settings_table[];
extern const size_t settings_count;

const struct setting_def *setting_find(const char *name);

/* Returns the value (or the default) as a new string the caller frees;
 * NULL with a message in err when the database cannot be read. */
char *setting_get(struct db *db, const char *name, struct strbuf *err);

/* The value as a double; for numeric settings only. */
int setting_get_double(struct db *db, const char *name, double *out, struct strbuf *err);

/* Validates and stores a value in one transaction with its on_change
 * hook. Returns 0, or -1 with a message in err (nothing stored). */
int setting_set(struct db *db, const char *name, const char *value, struct strbuf *err);

/* Whether the setting has been written (as opposed to its default). */
int setting_is_set(struct db *db, const char *name);

#endif
