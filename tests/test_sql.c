/*
** test_sql.c: the store's statements (store/sql.c) on SQLite and on
** PostgreSQL alike: the same calls, the same SQL, the same answers. The
** PostgreSQL half runs against the server tests/run.sh starts for the suite
** ($HAZCHECK_TEST_PG, a libpq URI); without one it is skipped, and run.sh
** counts a server it cannot start as a failure.
*/
#include "testdb.h"

static char dbpath[256];

static hc_store *lite_store(void) { return tu_db_fresh(dbpath, "sql", "lite"); }

static hc_store *pg_store(void)
{
    const char *uri = getenv("HAZCHECK_TEST_PG");
    if (uri == NULL || *uri == '\0') return NULL;
    hc_store *s = hc_xcalloc(1, sizeof *s);
    s->path = hc_xstrdup(uri);
    hc_diags d = {0};
    if (hc_pg_connect(s, uri, &d) != 0) hc_diags_print(&d, stderr);
    assert_int_equal(d.n, 0);
    /* a clean slate: the tables of an earlier run go */
    assert_int_equal(hc_sql_exec(s, "DROP TABLE IF EXISTS sq_rows; DROP TABLE IF EXISTS sq_parent", NULL), 0);
    return s;
}

static int setup_lite(void **state)
{
    *state = lite_store();
    return *state ? 0 : -1;
}

static int setup_pg(void **state)
{
    *state = pg_store();
    if (*state == NULL) fprintf(stderr, "no $HAZCHECK_TEST_PG: the PostgreSQL half is skipped\n");
    return 0;
}

static int teardown(void **state)
{
    hc_store *s = *state;
    hc_store_close(&s);
    tu_db_remove(dbpath);
    return 0;
}

static hc_store *store_of(void **state)
{
    if (*state == NULL) skip();
    return *state;
}

/* Both dialects read this DDL alike. */
static void make_tables(hc_store *s)
{
    hc_diags d = {0};
    int rc = hc_sql_exec(s,
                         "DROP TABLE IF EXISTS sq_rows; DROP TABLE IF EXISTS sq_parent;"
                         "CREATE TABLE sq_parent (id TEXT PRIMARY KEY);"
                         "CREATE TABLE sq_rows (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
                         " amount DOUBLE PRECISION, parent TEXT REFERENCES sq_parent(id));"
                         "INSERT INTO sq_parent VALUES ('p1')",
                         &d);
    hc_diags_print(&d, stderr);
    assert_int_equal(rc, 0);
}

/* ?N, :name (one number however often it is named) and ?, as SQLite numbers
   them; a '?' or ':x' inside a string literal is text, not a parameter. */
static void test_parameters(void **state)
{
    hc_store *s = store_of(state);
    hc_diags d = {0};
    hc_stmt *st = hc_sql_prepare(s, "SELECT '?:a' AS t, ?2 AS b, :name AS c, :name || ?1 AS d, ? AS e", &d);
    assert_non_null(st);
    assert_int_equal(hc_sql_param_count(st), 4);
    assert_int_equal(hc_sql_param_index(st, ":name"), 3);
    assert_int_equal(hc_sql_param_index(st, ":other"), 0);
    hc_sql_bind_text(st, 1, "x");
    hc_sql_bind_text(st, 2, "y");
    hc_sql_bind_text(st, 3, "名");
    hc_sql_bind_text(st, 4, "e");
    hc_sql_bind_text(st, 9, "ignored");        /* a number it has not: ignored, as SQLite does */
    assert_int_equal(hc_sql_step(st), HC_SQL_ROW);
    assert_int_equal(hc_sql_column_count(st), 5);
    assert_string_equal(hc_sql_column_name(st, 3), "d");
    assert_string_equal(hc_sql_text(st, 0), "?:a");
    assert_string_equal(hc_sql_text(st, 1), "y");
    assert_string_equal(hc_sql_text(st, 2), "名");
    assert_string_equal(hc_sql_text(st, 3), "名x");
    assert_int_equal(hc_sql_bytes(st, 3), strlen("名x"));
    assert_string_equal(hc_sql_text(st, 4), "e");
    assert_int_equal(hc_sql_step(st), HC_SQL_DONE);
    /* cleared: the parameters are NULL again */
    hc_sql_clear(st);
    assert_int_equal(hc_sql_step(st), HC_SQL_ROW);
    assert_true(hc_sql_is_null(st, 1));
    assert_null(hc_sql_text(st, 1));
    hc_sql_finalize(st);
}

/* Numbers, texts, NULL and truth read the same from both. */
static void test_types(void **state)
{
    hc_store *s = store_of(state);
    hc_diags d = {0};
    hc_stmt *st = hc_sql_prepare(s, "SELECT CAST(?1 AS BIGINT) + 1 AS i, CAST(?2 AS DOUBLE PRECISION) * 2 AS f,"
                                    " NULL AS n, 1 = 1 AS yes, 1 = 2 AS no, 'x' AS t", &d);
    assert_non_null(st);
    hc_sql_bind_int(st, 1, 9007199254740993LL);
    hc_sql_bind_double(st, 2, 1.25);
    assert_int_equal(hc_sql_step(st), HC_SQL_ROW);
    assert_int_equal(hc_sql_column_type(st, 0), HC_SQL_INTEGER);
    assert_true(hc_sql_int(st, 0) == 9007199254740994LL);     /* beyond a double's exact integers */
    assert_int_equal(hc_sql_column_type(st, 1), HC_SQL_FLOAT);
    assert_true(hc_sql_double(st, 1) == 2.5);
    assert_int_equal(hc_sql_column_type(st, 2), HC_SQL_NULL);
    assert_true(hc_sql_is_null(st, 2));
    assert_int_equal(hc_sql_column_type(st, 3), HC_SQL_INTEGER);
    assert_int_equal(hc_sql_int(st, 3), 1);
    assert_string_equal(hc_sql_text(st, 3), "1");
    assert_int_equal(hc_sql_int(st, 4), 0);
    assert_int_equal(hc_sql_column_type(st, 5), HC_SQL_TEXT);
    hc_sql_finalize(st);
    /* a sum of integers is an integer (PostgreSQL's is a NUMERIC), of floats a float */
    st = hc_sql_prepare(s, "SELECT sum(n), sum(f) FROM (SELECT CAST(2 AS BIGINT) AS n, 0.5 AS f"
                           " UNION ALL SELECT CAST(3 AS BIGINT), 1.0) AS t", &d);
    assert_non_null(st);
    assert_int_equal(hc_sql_step(st), HC_SQL_ROW);
    assert_int_equal(hc_sql_column_type(st, 0), HC_SQL_INTEGER);
    assert_string_equal(hc_sql_text(st, 0), "5");
    assert_int_equal(hc_sql_int(st, 0), 5);
    assert_int_equal(hc_sql_column_type(st, 1), HC_SQL_FLOAT);
    assert_string_equal(hc_sql_text(st, 1), "1.5");
    hc_sql_finalize(st);
}

/* Rows step in order, a reset statement runs again with its bindings, and
   a write says how many rows it changed. */
static void test_rows_and_changes(void **state)
{
    hc_store *s = store_of(state);
    hc_diags d = {0};
    make_tables(s);
    hc_stmt *ins = hc_sql_prepare(s, "INSERT INTO sq_rows (id, name, amount, parent) VALUES (?, ?, ?, ?)", &d);
    assert_non_null(ins);
    static const char *const names[] = {"甲", "乙", "丙"};
    for (int i = 0; i < 3; i++) {
        hc_sql_clear(ins);
        hc_sql_bind_int(ins, 1, i + 1);
        hc_sql_bind_text(ins, 2, names[i]);
        hc_sql_bind_double(ins, 3, 0.5 * i);
        hc_sql_bind_text(ins, 4, i ? "p1" : NULL);
        assert_int_equal(hc_sql_step(ins), HC_SQL_DONE);
        assert_int_equal(hc_sql_changes(s), 1);
    }
    hc_sql_finalize(ins);
    hc_stmt *up = hc_sql_prepare(s, "UPDATE sq_rows SET amount = amount + 1 WHERE parent = :p", &d);
    hc_sql_bind_text(up, hc_sql_param_index(up, ":p"), "p1");
    assert_int_equal(hc_sql_step(up), HC_SQL_DONE);
    assert_int_equal(hc_sql_changes(s), 2);
    hc_sql_finalize(up);
    hc_stmt *sel = hc_sql_prepare(s, "SELECT id, name, amount, parent FROM sq_rows WHERE id >= ? ORDER BY id", &d);
    hc_sql_bind_int(sel, 1, 1);
    for (int run = 0; run < 2; run++) {
        int n = 0;
        while (hc_sql_step(sel) == HC_SQL_ROW) {
            assert_int_equal(hc_sql_int(sel, 0), n + 1);
            assert_string_equal(hc_sql_text(sel, 1), names[n]);
            assert_true(hc_sql_double(sel, 2) == 0.5 * n + (n ? 1 : 0));
            assert_int_equal(hc_sql_is_null(sel, 3), n == 0);
            n++;
        }
        assert_int_equal(n, 3);
        hc_sql_reset(sel);       /* its binding kept */
    }
    hc_sql_finalize(sel);
}

/* A refused write is an error with the database's words, a foreign key's
   is told apart, and neither is the database's own failure. */
static void test_errors(void **state)
{
    hc_store *s = store_of(state);
    hc_diags d = {0};
    make_tables(s);
    assert_int_equal(hc_sql_exec(s, "INSERT INTO sq_rows (id, name) VALUES (1, 'a')", NULL), 0);
    hc_stmt *st = hc_sql_prepare(s, "INSERT INTO sq_rows (id, name, parent) VALUES (?, ?, ?)", &d);
    hc_sql_bind_int(st, 1, 2);
    hc_sql_bind_text(st, 2, "a");            /* not unique */
    assert_int_equal(hc_sql_step(st), HC_SQL_ERROR);
    assert_true(strlen(hc_sql_errmsg(s)) > 0);
    assert_false(hc_sql_foreign_key_error(s));
    assert_false(hc_sql_fatal(s, hc_sql_errcode(s)));
    hc_sql_clear(st);
    hc_sql_bind_int(st, 1, 3);
    hc_sql_bind_text(st, 2, "b");
    hc_sql_bind_text(st, 3, "nobody");       /* no such parent */
    assert_int_equal(hc_sql_step(st), HC_SQL_ERROR);
    assert_true(hc_sql_foreign_key_error(s));
    hc_sql_finalize(st);
    /* SQL that does not parse: reported at prepare (SQLite) or at the step (PostgreSQL) */
    st = hc_sql_prepare(s, "SELEC 1", &d);
    if (st) {
        assert_int_equal(hc_sql_step(st), HC_SQL_ERROR);
        hc_sql_finalize(st);
    } else {
        assert_int_equal(d.n, 1);
    }
    hc_diags_clear(&d);
    assert_int_equal(hc_sql_exec(s, "SELEC 1", &d), -1);
    assert_int_equal(d.n, 1);
    hc_diags_clear(&d);
}

/* A transaction is seen open until it ends; its rollback undoes its writes. */
static void test_transactions(void **state)
{
    hc_store *s = store_of(state);
    make_tables(s);
    assert_false(hc_sql_in_transaction(s));
    assert_int_equal(hc_sql_exec(s, "BEGIN", NULL), 0);
    assert_true(hc_sql_in_transaction(s));
    assert_int_equal(hc_sql_exec(s, "INSERT INTO sq_rows (id, name) VALUES (7, 'x')", NULL), 0);
    assert_int_equal(hc_sql_exec(s, "SAVEPOINT change", NULL), 0);
    assert_int_equal(hc_sql_exec(s, "INSERT INTO sq_rows (id, name) VALUES (8, 'y')", NULL), 0);
    assert_int_equal(hc_sql_exec(s, "ROLLBACK TO change; RELEASE change", NULL), 0);
    assert_true(hc_sql_in_transaction(s));
    assert_int_equal(hc_sql_exec(s, "COMMIT", NULL), 0);
    assert_false(hc_sql_in_transaction(s));
    hc_diags d = {0};
    hc_stmt *st = hc_sql_prepare(s, "SELECT count(*), min(id) FROM sq_rows", &d);
    assert_int_equal(hc_sql_step(st), HC_SQL_ROW);
    assert_int_equal(hc_sql_int(st, 0), 1);
    assert_int_equal(hc_sql_int(st, 1), 7);
    hc_sql_finalize(st);
    assert_int_equal(hc_sql_exec(s, "BEGIN; INSERT INTO sq_rows (id, name) VALUES (9, 'z'); ROLLBACK", NULL), 0);
    st = hc_sql_prepare(s, "SELECT count(*) FROM sq_rows", &d);
    assert_int_equal(hc_sql_step(st), HC_SQL_ROW);
    assert_int_equal(hc_sql_int(st, 0), 1);
    hc_sql_finalize(st);
}

/* A URI's password never reaches a message: the store names the database
   by its URI with the password left out. */
static void test_uri_password_hidden(void **state)
{
    (void)state;
    static const char *const uris[] = {
        "postgresql://hc:s3cretpw@/nodb?host=/nonexistent/socket/dir",
        "postgresql:///nodb?host=/nonexistent/socket/dir&password=s3cretpw&user=hc",
    };
    for (size_t i = 0; i < sizeof uris / sizeof uris[0]; i++) {
        hc_diags d = {0};
        assert_true(hc_store_is_uri(uris[i]));
        assert_null(hc_store_open(uris[i], &d));
        assert_true(d.n > 0);
        for (size_t k = 0; k < d.n; k++) {
            assert_null(strstr(d.v[k].msg, "s3cretpw"));
            assert_true(d.v[k].file == NULL || strstr(d.v[k].file, "s3cretpw") == NULL);
        }
        assert_non_null(strstr(d.v[0].file, "***"));
        hc_diags_clear(&d);
    }
    assert_false(hc_store_is_uri("/var/lib/hazcheck/hazcheck.db"));
    assert_false(hc_store_is_uri("postgresql.db"));
}

#define BOTH(t) cmocka_unit_test(t)
int main(void)
{
    const struct CMUnitTest tests[] = {
        BOTH(test_parameters), BOTH(test_types), BOTH(test_rows_and_changes), BOTH(test_errors),
        BOTH(test_transactions),
    };
    int failed = cmocka_run_group_tests_name("sql on SQLite", tests, setup_lite, teardown);
    failed += cmocka_run_group_tests_name("sql on PostgreSQL", tests, setup_pg, teardown);
    const struct CMUnitTest uri[] = {cmocka_unit_test(test_uri_password_hidden)};
    failed += cmocka_run_group_tests_name("PostgreSQL URIs", uri, NULL, NULL);
    return failed;
}
