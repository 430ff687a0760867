/*
** testdb.h: SQL helpers for the tests of the store's modules (they reach the
** connection through store.h, as only tests should).
*/
#ifndef HC_TESTDB_H
#define HC_TESTDB_H

#include "store/store.h"
#include "testutil.h"

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

#endif
