/*
** testdb.h: SQL helpers for the tests of the store's modules (they reach the
** connection through store.h, as only tests should).
*/
#ifndef HC_TESTDB_H
#define HC_TESTDB_H

#include "store/store.h"
#include "testutil.h"

/* Remove a database file and its WAL companions. */
static inline void tu_db_remove(const char *path)
{
    char p[300];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

/* A new, empty database under $TMPDIR named by the test file's tag and the
   test's name; its path is written to path. Actor "tester", today 2026-09-20. */
static inline hc_store *tu_db_fresh(char path[256], const char *tag, const char *name)
{
    const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(path, 256, "%s/hc-%s-%d-%s.db", dir, tag, (int)getpid(), name);
    tu_db_remove(path);
    hc_diags d = {0};
    hc_store *s = hc_store_open(path, &d);
    if (s == NULL) tu_dump(&d);
    assert_non_null(s);
    hc_store_set_actor(s, "tester");
    hc_store_set_today(s, "2026-09-20");
    return s;
}

/* The single integer a query returns. */
static inline long long tu_count(hc_store *s, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* The single text a query returns (malloc'd), or NULL. */
static inline char *tu_text1(hc_store *s, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL), SQLITE_OK);
    char *v = NULL;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        v = hc_xstrdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return v;
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
