/*
 * End-to-end tests of "cairn export": the exact files written for a small
 * data set, and export → import into a fresh database → export giving the
 * same bytes for every file.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static const char *const dataset[][2] = {
    {"org_units.csv", "unit_id,name,parent_id,kind,manager_id\n"
                      "HQ,总公司,,company,E1\n"
                      "R1,华东大区,HQ,region,E2\n"},
    {"employees.csv", "employee_id,name,unit_id,hire_date,manager_id,base_salary,email\n"
                      "E1,张伟,HQ,2020-01-06,,30000,\" zw@example.com\"\n"
                      "E2,李娜,R1,2021-03-01,E1,20000.5,\n"
                      "E3,王芳,R1/杭州/一组,2022-05-10,E2,8000,\n"},
    {"customers.csv", "customer_id,name,owner_id\nC1,\"Acme, \"\"Big\"\" Inc.\",E3\n"},
    {"orders.csv", "order_id,order_date,customer_id,employee_id,amount,product\n"
                   "O1,2024-03-01T00:30:00+08:00,C1,E3,1234.5,\"a\nb\"\n"
                   "O2,2024-02-29T16:30Z,C1,E3,-20,\n"
                   "O3,2024-03-05,,,0.07,\n"},
    {"customer_surveys.csv", "customer_id,survey_date,score\nC1,2024-03-10T09:00:00+08:00,9.50\n"},
    {"courses.csv", "course_id,name,hours\nK1,销售基础,1.50\nK2,谈判,\n"},
    {"targets.csv", "scope_kind,scope_id,period,metric,value\n"
                    "company,,2024-Q1,sales,120000.500\n"},
};
#define NFILES (sizeof(dataset) / sizeof(dataset[0]))

static char *run_ok(const char *cwd, const char *const *args)
{
    struct run_result r = run_cairn(cwd, NULL, args);
    char *out = r.out;

    if (r.status != 0)
        fprintf(stderr, "stdout: %s\nstderr: %s\n", r.out, r.err);
    assert_int_equal(r.status, 0);
    free(r.err);
    return out;
}

/* The sorted names of a folder's files, joined by spaces. */
static char *list_files(const char *dir)
{
    char *names[64], *out = calloc(1, 4096);
    size_t n = 0;
    struct dirent *d;
    DIR *dp = opendir(dir);

    assert_non_null(dp);
    while ((d = readdir(dp)) && n < 64)
        if (d->d_name[0] != '.')
            names[n++] = strdup(d->d_name);
    closedir(dp);
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (strcmp(names[j], names[i]) < 0) {
                char *t = names[i];

                names[i] = names[j];
                names[j] = t;
            }
    for (size_t i = 0, len = 0; i < n; i++) {
        len += (size_t)snprintf(out + len, 4096 - len, "%s%s", i ? " " : "", names[i]);
        free(names[i]);
    }
    return out;
}

static void export_writes_canonical_files(void **state)
{
    char *dir = make_temp_dir(), *db = path_join(dir, "a.db"), *data = path_join(dir, "in");
    char *out = path_join(dir, "out"), *s, *path;
    (void)state;

    for (size_t i = 0; i < NFILES; i++)
        free(write_file(data, dataset[i][0], dataset[i][1]));
    free(run_ok(dir, ARGS("--db", db, "init")));
    free(run_ok(dir, ARGS("--db", db, "import", data)));
    free(run_ok(dir, ARGS("--db", db, "export", out)));

    s = list_files(out);
    assert_string_equal(s, "courses.csv customer_surveys.csv customers.csv employees.csv "
                           "orders.csv org_units.csv targets.csv");
    free(s);

    path = path_join(out, "orders.csv");
    s = read_file(path, NULL);
    assert_string_equal(s, "order_id,order_date,customer_id,employee_id,amount,product,status\n"
                           "O1,2024-03-01T00:30:00+08:00,C1,E3,1234.50,\"a\nb\",completed\n"
                           "O2,2024-02-29T16:30Z,C1,E3,-20.00,,completed\n"
                           "O3,2024-03-05,,,0.07,,completed\n");
    free(s);
    free(path);

    path = path_join(out, "org_units.csv");
    s = read_file(path, NULL);
    assert_string_equal(s, "unit_id,name,parent_id,kind,manager_id\n"
                           "HQ,总公司,,company,E1\n"
                           "R1,华东大区,HQ,region,E2\n"
                           "R1/杭州,杭州,R1,city,\n"
                           "R1/杭州/一组,一组,R1/杭州,team,\n");
    free(s);
    free(path);

    path = path_join(out, "employees.csv");
    s = read_file(path, NULL);
    assert_string_equal(s, "employee_id,name,unit_id,position,employment_type,hire_date,"
                           "leave_date,leave_reason,manager_id,base_salary,email,phone\n"
                           "E1,张伟,HQ,,full_time,2020-01-06,,,,30000.00,\" zw@example.com\",\n"
                           "E2,李娜,R1,,full_time,2021-03-01,,,E1,20000.50,,\n"
                           "E3,王芳,R1/杭州/一组,,full_time,2022-05-10,,,E2,8000.00,,\n");
    free(s);
    free(path);

    path = path_join(out, "customers.csv");
    s = read_file(path, NULL);
    assert_string_equal(s, "customer_id,name,unit_id,segment,market_tier,owner_id,created_date\n"
                           "C1,\"Acme, \"\"Big\"\" Inc.\",,,,E3,\n");
    free(s);
    free(path);

    path = path_join(out, "customer_surveys.csv");
    s = read_file(path, NULL);
    assert_string_equal(s, "customer_id,survey_date,score,employee_id\n"
                           "C1,2024-03-10T09:00:00+08:00,9.5,\n");
    free(s);
    free(path);

    path = path_join(out, "courses.csv");
    s = read_file(path, NULL);
    assert_string_equal(s, "course_id,name,skill,hours\nK1,销售基础,,1.5\nK2,谈判,,\n");
    free(s);
    free(path);

    path = path_join(out, "targets.csv");
    s = read_file(path, NULL);
    assert_string_equal(s, "scope_kind,scope_id,period,metric,value\n"
                           "company,,2024-Q1,sales,120000.500\n");
    free(s);
    free(path);

    remove_tree(dir);
    free(dir);
    free(db);
    free(data);
    free(out);
}

static void export_import_export_is_identical(void **state)
{
    char *dir = make_temp_dir(), *db1 = path_join(dir, "a.db"), *db2 = path_join(dir, "b.db");
    char *data = path_join(dir, "in"), *out1 = path_join(dir, "out1"),
         *out2 = path_join(dir, "out2"), *names1, *names2, *save = NULL;
    (void)state;

    for (size_t i = 0; i < NFILES; i++)
        free(write_file(data, dataset[i][0], dataset[i][1]));
    free(run_ok(dir, ARGS("--db", db1, "init")));
    free(run_ok(dir, ARGS("--db", db1, "import", data)));
    free(run_ok(dir, ARGS("--db", db1, "export", out1)));
    free(run_ok(dir, ARGS("--db", db2, "init")));
    free(run_ok(dir, ARGS("--db", db2, "import", out1)));
    free(run_ok(dir, ARGS("--db", db2, "export", out2)));

    names1 = list_files(out1);
    names2 = list_files(out2);
    assert_string_equal(names1, names2);
    for (char *name = strtok_r(names1, " ", &save); name; name = strtok_r(NULL, " ", &save)) {
        char *p1 = path_join(out1, name), *p2 = path_join(out2, name);
        size_t n1, n2;
        char *a = read_file(p1, &n1), *b = read_file(p2, &n2);

        assert_int_equal(n1, n2);
        assert_memory_equal(a, b, n1);
        free(a);
        free(b);
        free(p1);
        free(p2);
    }
    free(names1);
    free(names2);
    remove_tree(dir);
    free(dir);
    free(db1);
    free(db2);
    free(data);
    free(out1);
    free(out2);
}

static void export_rejects_non_empty_folder(void **state)
{
    char *dir = make_temp_dir(), *db = path_join(dir, "a.db"), *out = path_join(dir, "out");
    struct run_result r;
    (void)state;

    free(run_ok(dir, ARGS("--db", db, "init")));
    free(write_file(out, "keep.txt", "mine\n"));
    r = run_cairn(dir, NULL, ARGS("--lang", "en", "--db", db, "export", out));
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "is not empty"));
    run_result_free(&r);

    /* An empty database exports no files. */
    remove_tree(out);
    free(run_ok(dir, ARGS("--db", db, "export", out)));
    {
        char *s = list_files(out);

        assert_string_equal(s, "");
        free(s);
    }
    remove_tree(dir);
    free(dir);
    free(db);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(export_writes_canonical_files),
        cmocka_unit_test(export_import_export_is_identical),
        cmocka_unit_test(export_rejects_non_empty_folder),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
