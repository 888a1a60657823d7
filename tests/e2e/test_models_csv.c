/*
 * "cairn model eval --csv" end to end on three public data sets: IBM HR
 * attrition, a Chinese HR turnover table in GBK and IBM Telco churn. The
 * row and positive counts must equal those counted here straight from the
 * files. The cross-validated ROC-AUC and PR-AUC must clear lower bounds
 * set with a margin below the published leakage-free results (about 0.79
 * to 0.85 ROC-AUC on the IBM HR data, about 0.84 on Telco).
 * Small hand-made tables check the options, the dropped columns, the
 * given folds, an XLSX workbook against the same table as CSV, and the
 * usage errors. None of these files quote fields, so
 * the counts split lines on commas.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "support.h"

#define HR_FILE CAIRN_SHARED_DATA "/ibm-hr-attrition/WA_Fn-UseC_-HR-Employee-Attrition.csv"
#define CN_FILE CAIRN_SHARED_DATA "/cn-hr-turnover-gbk/\xe5\x91\x98\xe5\xb7\xa5\xe6\x95\xb0\xe6\x8d\xae.csv"
#define TELCO_FILE CAIRN_SHARED_DATA "/ibm-telco-churn/WA_Fn-UseC_-Telco-Customer-Churn.csv"

/* Counts the data rows of a comma-separated file without quoting and
 * those whose field number col (from 0) equals positive. */
static void count_rows(const char *path, int col, const char *positive, long *rows,
                       long *positives)
{
    char line[4096];
    FILE *f = fopen(path, "r");
    bool header = true;

    assert_non_null(f);
    *rows = *positives = 0;
    while (fgets(line, sizeof(line), f)) {
        char *p = line;

        line[strcspn(line, "\r\n")] = '\0';
        if (header || !*line) {
            header = false;
            continue;
        }
        for (int i = 0; i < col; i++) {
            p = strchr(p, ',');
            assert_non_null(p);
            p++;
        }
        p[strcspn(p, ",")] = '\0';
        (*rows)++;
        *positives += strcmp(p, positive) == 0;
    }
    fclose(f);
}

static double number(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);

    assert_true(json_is_number(v));
    return json_number_value(v);
}

static json_t *learner_entry(json_t *out, const char *name)
{
    json_t *learners = json_object_get(out, "learners"), *l;
    size_t i;

    json_array_foreach(learners, i, l)
        if (strcmp(json_string_value(json_object_get(l, "learner")), name) == 0)
            return l;
    fail_msg("no learner %s", name);
    return NULL;
}

static bool has_dropped(json_t *out, const char *column, const char *reason)
{
    json_t *dropped = json_object_get(out, "dropped"), *d;
    size_t i;

    json_array_foreach(dropped, i, d)
        if (strcmp(json_string_value(json_object_get(d, "column")), column) == 0 &&
            strcmp(json_string_value(json_object_get(d, "reason")), reason) == 0)
            return true;
    return false;
}

/* Checks what every result must satisfy: the shape, the top level being
 * the learner with the best PR-AUC, and a calibration table whose rows
 * add up to n. */
static void check_shape(json_t *out)
{
    json_t *cal = json_object_get(out, "calibration"), *learners, *row;
    const char *chosen = json_string_value(json_object_get(out, "learner"));
    double best = -1.0;
    long total = 0;
    size_t i;

    assert_string_equal(json_string_value(json_object_get(out, "model")), "csv");
    learners = json_object_get(out, "learners");
    assert_int_equal(json_array_size(learners), 2);
    json_array_foreach(learners, i, row) {
        if (number(row, "pr_auc") > best)
            best = number(row, "pr_auc");
    }
    assert_true(number(out, "pr_auc") == best);
    assert_true(number(learner_entry(out, chosen), "auc") == number(out, "auc"));
    json_array_foreach(cal, i, row) {
        double predicted = number(row, "predicted"), observed = number(row, "observed");
        json_int_t bin = json_integer_value(json_object_get(row, "bin"));

        assert_true(bin >= 1 && bin <= 10);
        assert_true(predicted >= (double)(bin - 1) / 10.0 && predicted <= (double)bin / 10.0);
        assert_true(observed >= 0.0 && observed <= 1.0);
        total += (long)json_integer_value(json_object_get(row, "n"));
    }
    assert_int_equal(total, json_integer_value(json_object_get(out, "n")));
    assert_true(number(out, "brier") > 0.0 && number(out, "brier") < 0.25);
    assert_true(number(out, "lift_top10") > 1.0);
}

static void ibm_hr_attrition(void **state)
{
    json_t *out;
    long rows, positives;

    (void)state;
    count_rows(HR_FILE, 1, "Yes", &rows, &positives);
    out = run_cairn_json(NULL, ARGS("model", "eval", "--csv", HR_FILE, "--label", "Attrition",
                                    "--positive", "Yes", "--format", "json"), 0);
    check_shape(out);
    assert_int_equal(json_integer_value(json_object_get(out, "n")), rows);
    assert_int_equal(json_integer_value(json_object_get(out, "positives")), positives);
    assert_int_equal(json_integer_value(json_object_get(out, "folds")), 5);
    assert_true(number(out, "auc") >= 0.78);
    assert_true(number(out, "pr_auc") >= 0.50);
    assert_true(number(learner_entry(out, "logistic_regression"), "auc") >= 0.80);
    assert_true(number(learner_entry(out, "xgboost"), "auc") >= 0.75);
    assert_true(has_dropped(out, "EmployeeCount", "constant"));
    assert_true(has_dropped(out, "Over18", "constant"));
    assert_true(has_dropped(out, "StandardHours", "constant"));
    assert_int_equal(json_array_size(json_object_get(out, "dropped")), 3);
    json_decref(out);
}

static void cn_hr_gbk(void **state)
{
    json_t *out;
    long rows, positives;

    (void)state;
    /* 是否离职 is the seventh column and contains 0 and 1, so no --positive. */
    count_rows(CN_FILE, 6, "1", &rows, &positives);
    out = run_cairn_json(NULL, ARGS("model", "eval", "--csv", CN_FILE, "--label",
                                    "\xe6\x98\xaf\xe5\x90\xa6\xe7\xa6\xbb\xe8\x81\x8c",
                                    "--format", "json"), 0);
    check_shape(out);
    assert_int_equal(json_integer_value(json_object_get(out, "n")), rows);
    assert_int_equal(json_integer_value(json_object_get(out, "positives")), positives);
    /* Trees separate this table almost perfectly; a linear model cannot. */
    assert_string_equal(json_string_value(json_object_get(out, "learner")), "xgboost");
    assert_true(number(out, "auc") >= 0.95);
    assert_true(number(out, "pr_auc") >= 0.90);
    assert_true(number(learner_entry(out, "logistic_regression"), "auc") >= 0.75);
    json_decref(out);
}

static void telco_churn(void **state)
{
    json_t *out;
    long rows, positives;

    (void)state;
    count_rows(TELCO_FILE, 20, "Yes", &rows, &positives);
    out = run_cairn_json(NULL, ARGS("model", "eval", "--csv", TELCO_FILE, "--label", "Churn",
                                    "--positive", "Yes", "--drop", "customerID",
                                    "--folds", "4", "--seed", "7", "--format", "json"), 0);
    check_shape(out);
    assert_int_equal(json_integer_value(json_object_get(out, "n")), rows);
    assert_int_equal(json_integer_value(json_object_get(out, "positives")), positives);
    assert_int_equal(json_integer_value(json_object_get(out, "folds")), 4);
    assert_int_equal(json_integer_value(json_object_get(out, "seed")), 7);
    assert_true(number(out, "auc") >= 0.82);
    assert_true(number(out, "pr_auc") >= 0.60);
    assert_true(number(learner_entry(out, "logistic_regression"), "auc") >= 0.82);
    assert_true(number(learner_entry(out, "xgboost"), "auc") >= 0.82);
    assert_true(has_dropped(out, "customerID", "requested"));
    /* TotalCharges has blanks but stays one numeric feature: 45 in all. */
    assert_int_equal(json_integer_value(json_object_get(out, "features")), 45);
    json_decref(out);
}

/* A small table: id is an identifier, region is constant, city is
 * categorical, score numeric with a blank, fold the given split, and the
 * label blank in one row. */
static char *small_table(const char *dir)
{
    struct {
        char buf[4096];
        size_t len;
    } t = {.len = 0};

    t.len += (size_t)snprintf(t.buf + t.len, sizeof(t.buf) - t.len,
                              "id,region,city,score,fold,left\n");
    for (int i = 0; i < 40; i++) {
        int left = i % 4 == 0 || i % 7 == 0;

        t.len += (size_t)snprintf(t.buf + t.len, sizeof(t.buf) - t.len,
                                  "E%02d,north,%s,%s,%d,%s\n", i, i % 3 ? "Shanghai" : "Beijing",
                                  i == 5 ? "" : (left ? "2.5" : (i % 2 ? "7" : "6.5")), i % 5,
                                  i == 39 ? "" : (left ? "yes" : "no"));
    }
    return write_file(dir, "small.csv", t.buf);
}

/* The same table as small_table, as the first sheet of a workbook with
 * numbers in number cells and blank cells left empty. */
static char *small_workbook(const char *dir)
{
    char *path = path_join(dir, "small.xlsx");
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    const char *header[] = {"id", "region", "city", "score", "fold", "left"};
    char id[8];

    for (int c = 0; c < 6; c++)
        worksheet_write_string(ws, 0, (lxw_col_t)c, header[c], NULL);
    for (int i = 0; i < 40; i++) {
        int left = i % 4 == 0 || i % 7 == 0;
        lxw_row_t row = (lxw_row_t)(i + 1);

        snprintf(id, sizeof(id), "E%02d", i);
        worksheet_write_string(ws, row, 0, id, NULL);
        worksheet_write_string(ws, row, 1, "north", NULL);
        worksheet_write_string(ws, row, 2, i % 3 ? "Shanghai" : "Beijing", NULL);
        if (i != 5)
            worksheet_write_number(ws, row, 3, left ? 2.5 : (i % 2 ? 7 : 6.5), NULL);
        worksheet_write_number(ws, row, 4, i % 5, NULL);
        if (i != 39)
            worksheet_write_string(ws, row, 5, left ? "yes" : "no", NULL);
    }
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    return path;
}

static void workbook_matches_csv(void **state)
{
    char *dir = make_temp_dir(), *csv = small_table(dir), *xlsx = small_workbook(dir);
    json_t *from_csv, *from_xlsx;
    const char *keys[] = {"n", "positives", "features", "folds", "rows_without_label"};

    (void)state;
    from_csv = run_cairn_json(NULL, ARGS("model", "eval", "--csv", csv, "--label", "left",
                                         "--positive", "yes", "--fold-column", "fold",
                                         "--format", "json"), 0);
    from_xlsx = run_cairn_json(NULL, ARGS("model", "eval", "--csv", xlsx, "--label", "left",
                                          "--positive", "yes", "--fold-column", "fold",
                                          "--format", "json"), 0);
    for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
        assert_int_equal(json_integer_value(json_object_get(from_xlsx, keys[k])),
                         json_integer_value(json_object_get(from_csv, keys[k])));
    assert_true(number(from_xlsx, "auc") == number(from_csv, "auc"));
    assert_true(number(from_xlsx, "brier") == number(from_csv, "brier"));
    assert_true(has_dropped(from_xlsx, "id", "identifier"));
    json_decref(from_csv);
    json_decref(from_xlsx);
    remove_tree(dir);
    free(csv);
    free(xlsx);
    free(dir);
}

static void small_table_options(void **state)
{
    char *dir = make_temp_dir(), *path = small_table(dir);
    json_t *out, *again;

    (void)state;
    out = run_cairn_json(NULL, ARGS("model", "eval", "--csv", path, "--label", "left",
                                    "--positive", "yes", "--fold-column", "fold",
                                    "--format", "json"), 0);
    /* Row 39 has no label; of the other 39 rows, 0,4,..,36 and 7,14,21,
     * 35 are leavers (28 counted once): 10 + 4 = 14. */
    assert_int_equal(json_integer_value(json_object_get(out, "n")), 39);
    assert_int_equal(json_integer_value(json_object_get(out, "positives")), 14);
    assert_int_equal(json_integer_value(json_object_get(out, "rows_without_label")), 1);
    assert_int_equal(json_integer_value(json_object_get(out, "folds")), 5);
    assert_string_equal(json_string_value(json_object_get(out, "fold_column")), "fold");
    assert_true(has_dropped(out, "id", "identifier"));
    assert_true(has_dropped(out, "region", "constant"));
    /* city one-hot (2) and score (1). */
    assert_int_equal(json_integer_value(json_object_get(out, "features")), 3);
    /* score separates leavers (2.5) from stayers perfectly, blank aside. */
    assert_true(number(out, "auc") >= 0.95);

    again = run_cairn_json(NULL, ARGS("model", "eval", "--csv", path, "--label", "left",
                                      "--positive", "yes", "--fold-column", "fold",
                                      "--format", "json"), 0);
    assert_true(number(again, "auc") == number(out, "auc"));
    assert_true(number(again, "brier") == number(out, "brier"));
    json_decref(out);
    json_decref(again);
    remove_tree(dir);
    free(path);
    free(dir);
}

/* "1" and "1.0" in the fold column name the same fold. */
static void fold_column_equal_numbers(void **state)
{
    char *dir = make_temp_dir(), *path, text[2048];
    size_t len = 0;
    json_t *out;

    (void)state;
    len += (size_t)snprintf(text + len, sizeof(text) - len, "x,fold,y\n");
    for (int i = 0; i < 20; i++) {
        const char *fold = i % 2 ? (i % 4 == 1 ? "1.0" : "1") : (i % 4 == 2 ? "2.00" : "2");

        len += (size_t)snprintf(text + len, sizeof(text) - len, "%d,%s,%d\n", i * 7 % 11, fold,
                                i % 3 == 0);
    }
    path = write_file(dir, "folds.csv", text);
    out = run_cairn_json(NULL, ARGS("model", "eval", "--csv", path, "--label", "y",
                                    "--fold-column", "fold", "--format", "json"), 0);
    assert_int_equal(json_integer_value(json_object_get(out, "folds")), 2);
    assert_int_equal(json_integer_value(json_object_get(out, "n")), 20);
    assert_int_equal(json_integer_value(json_object_get(out, "positives")), 7);
    json_decref(out);
    remove_tree(dir);
    free(path);
    free(dir);
}

static void expect_status(const char *const *args, int status, const char *in_err)
{
    struct run_result r = run_cairn(NULL, NULL, args);

    assert_int_equal(r.status, status);
    if (in_err && !strstr(r.err, in_err))
        fail_msg("stderr lacks \"%s\": %s", in_err, r.err);
    run_result_free(&r);
}

static void usage_errors(void **state)
{
    char *dir = make_temp_dir(), *path = small_table(dir);

    (void)state;
    /* The label is yes/no, so --positive is required. */
    expect_status(ARGS("--lang", "en", "model", "eval", "--csv", path, "--label", "left"), 2,
                  "--positive");
    expect_status(ARGS("--lang", "en", "model", "eval", "--csv", path, "--label", "left",
                       "--positive", "yes", "--folds", "1"), 2, "--folds");
    expect_status(ARGS("--lang", "en", "model", "eval", "--csv", path, "--label", "left",
                       "--positive", "yes", "--folds", "3", "--fold-column", "fold"), 2, NULL);
    expect_status(ARGS("--lang", "en", "model", "eval", "--csv", path), 2, "--label");
    expect_status(ARGS("--lang", "en", "model", "eval", "--csv", path, "--label", "left",
                       "--positive", "yes", "--format", "xml"), 2, "xml");
    expect_status(ARGS("--lang", "en", "model", "frobnicate"), 2, "frobnicate");
    /* A positive class that never occurs, more folds than positives, a
     * missing file: the work fails (1). */
    expect_status(ARGS("--lang", "en", "model", "eval", "--csv", path, "--label", "left",
                       "--positive", "maybe"), 1, "maybe");
    expect_status(ARGS("--lang", "en", "model", "eval", "--csv", path, "--label", "left",
                       "--positive", "yes", "--folds", "20"), 1, "20 folds");
    expect_status(ARGS("--lang", "en", "model", "eval", "--csv", "/nonexistent/x.csv",
                       "--label", "left"), 1, NULL);
    remove_tree(dir);
    free(path);
    free(dir);
}

/* A column named on the command line but missing from the file is an
 * input error (1); the message names the file, the column and the
 * columns the file has. */
static void missing_columns(void **state)
{
    char *dir = make_temp_dir(), *path = small_table(dir);
    const char *const columns = "its columns are: id, region, city, score, fold, left";

    (void)state;
    expect_status(ARGS("--lang", "en", "model", "eval", "--csv", path, "--label", "gone",
                       "--positive", "yes"), 1, "has no column gone (given to --label)");
    expect_status(ARGS("--lang", "en", "model", "eval", "--csv", path, "--label", "gone",
                       "--positive", "yes"), 1, columns);
    expect_status(ARGS("--lang", "en", "model", "eval", "--csv", path, "--label", "left",
                       "--positive", "yes", "--drop", "id,nope"), 1,
                  "has no column nope (given to --drop)");
    expect_status(ARGS("--lang", "en", "model", "eval", "--csv", path, "--label", "left",
                       "--positive", "yes", "--fold-column", "batch"), 1,
                  "has no column batch (given to --fold-column)");
    expect_status(ARGS("--lang", "en", "model", "eval", "--csv", path, "--label", "left",
                       "--positive", "yes", "--fold-column", "batch"), 1, path);
    remove_tree(dir);
    free(path);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ibm_hr_attrition),
        cmocka_unit_test(cn_hr_gbk),
        cmocka_unit_test(telco_churn),
        cmocka_unit_test(small_table_options),
        cmocka_unit_test(fold_column_equal_numbers),
        cmocka_unit_test(workbook_matches_csv),
        cmocka_unit_test(usage_errors),
        cmocka_unit_test(missing_columns),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
