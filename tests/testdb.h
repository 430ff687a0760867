/*
** testdb.h: SQL helpers for the tests of the store's modules (they reach the
** connection through store.h, as only tests should).
*/
#ifndef HC_TESTDB_H
#define HC_TESTDB_H

#include "store/store.h"
#include "testutil.h"

/* The store's tests run on SQLite, or with HC_TEST_DB=postgresql on a
   database of its own on the suite's PostgreSQL server ($HAZCHECK_TEST_PG,
   tests/run.sh): the same tests, the same assertions, but for what only one
   of them has (tu_on_pg says which). */
static inline int tu_want_pg(void)
{
    const char *v = getenv("HC_TEST_DB");
    return v && strcmp(v, "postgresql") == 0;
}

static inline int tu_on_pg(const hc_store *s) { return s->pg.conn != NULL; }

/* A bare connection to a PostgreSQL URI (no schema made, no lock taken). */
static inline hc_store *tu_pg_connect(const char *uri)
{
    hc_store *s = hc_xcalloc(1, sizeof *s);
    s->path = hc_xstrdup(uri);
    s->actor = hc_xstrdup("tester");
    hc_diags d = {0};
    if (hc_pg_connect(s, uri, &d) != 0) tu_dump(&d);
    assert_int_equal(d.n, 0);
    return s;
}

/* SQL run on the server's own database (CREATE and DROP DATABASE). */
static inline void tu_pg_admin(const char *sql)
{
    const char *base = getenv("HAZCHECK_TEST_PG");
    assert_non_null(base);
    hc_store *a = tu_pg_connect(base);
    hc_diags d = {0};
    if (hc_sql_exec(a, sql, &d) != 0) tu_dump(&d);
    hc_store_close(&a);
}

/* Remove a database: a file and its WAL companions, or a PostgreSQL database. */
static inline void tu_db_remove(const char *path)
{
    if (hc_store_is_uri(path)) {
        const char *name = strchr(strstr(path, "://") + 3, '/') + 1;   /* after the authority */
        char sql[160];
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS \"%.*s\" WITH (FORCE)", (int)strcspn(name, "?"), name);
        tu_pg_admin(sql);
        return;
    }
    char p[300];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

/* A new, empty database named by the test file's tag and the test's name (a
   file under $TMPDIR, or a PostgreSQL database); where it is, is written to
   path. Actor "tester", today 2026-09-20. */
static inline hc_store *tu_db_fresh(char path[256], const char *tag, const char *name)
{
    if (tu_want_pg()) {
        const char *base = getenv("HAZCHECK_TEST_PG");
        assert_non_null(base);
        const char *q = strstr(base, "/hazcheck?");
        assert_non_null(q);
        snprintf(path, 256, "%.*s/hc_%s_%d_%s%s", (int)(q - base), base, tag, (int)getpid(), name,
                 q + strlen("/hazcheck"));
        tu_db_remove(path);
        char sql[160];
        snprintf(sql, sizeof sql, "CREATE DATABASE \"hc_%s_%d_%s\"", tag, (int)getpid(), name);
        tu_pg_admin(sql);
    } else {
        const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
        snprintf(path, 256, "%s/hc-%s-%d-%s.db", dir, tag, (int)getpid(), name);
        tu_db_remove(path);
    }
    hc_diags d = {0};
    hc_store *s = hc_store_open(path, &d);
    if (s == NULL) tu_dump(&d);
    assert_non_null(s);
    hc_store_set_actor(s, "tester");
    hc_store_set_today(s, "2026-09-20");
    return s;
}

/* Run SQL that must succeed. */
static inline void tu_exec(hc_store *s, const char *sql)
{
    hc_diags d = {0};
    if (hc_sql_exec(s, sql, &d) != 0) tu_dump(&d);
    assert_int_equal(d.n, 0);
}

/* The single integer a query returns. */
static inline long long tu_count(hc_store *s, const char *sql)
{
    hc_diags d = {0};
    hc_stmt *st = hc_sql_prepare(s, sql, &d);
    assert_non_null(st);
    int rc = hc_sql_step(st);
    if (rc != HC_SQL_ROW) fprintf(stderr, "%s: %s\n", sql, hc_sql_errmsg(s));
    assert_int_equal(rc, HC_SQL_ROW);
    long long n = hc_sql_int(st, 0);
    hc_sql_finalize(st);
    return n;
}

/* The single text a query returns (malloc'd), or NULL. */
static inline char *tu_text1(hc_store *s, const char *sql)
{
    hc_diags d = {0};
    hc_stmt *st = hc_sql_prepare(s, sql, &d);
    assert_non_null(st);
    char *v = NULL;
    if (hc_sql_step(st) == HC_SQL_ROW && hc_sql_text(st, 0)) v = hc_xstrdup(hc_sql_text(st, 0));
    hc_sql_finalize(st);
    return v;
}

/* The values of 'expr' over the rows of 'from' in the order 'order', joined
   by 'sep' (malloc'd; NULL for no rows): SQLite's group_concat, PostgreSQL's string_agg. */
static inline char *tu_joined(hc_store *s, const char *expr, const char *sep, const char *from, const char *order)
{
    char sql[1024];
    if (tu_on_pg(s))
        snprintf(sql, sizeof sql, "SELECT string_agg(%s, '%s' ORDER BY %s) FROM %s", expr, sep, order, from);
    else
        snprintf(sql, sizeof sql, "SELECT group_concat(%s, '%s') FROM (SELECT * FROM %s ORDER BY %s)", expr, sep,
                 from, order);
    return tu_text1(s, sql);
}

/* The single text a query returns must be 'want' (NULL: no row or NULL). */
static inline void tu_text_is(hc_store *s, const char *sql, const char *want)
{
    char *got = tu_text1(s, sql);
    if (want == NULL) assert_null(got);
    else {
        assert_non_null(got);
        assert_string_equal(got, want);
    }
    free(got);
}

#endif
