/*
** sql.c: the store's statements (sql.h says why they are not a database
** library's own calls): SQLite's calls with the store's types, or the
** PostgreSQL driver's (sql_pg.c) when the store's connection is PostgreSQL's.
*/
#include <stdio.h>
#include <stdlib.h>

#include "store/store.h"

struct hc_stmt {
    sqlite3_stmt *lite;
    hc_pg_stmt *pg;
};

static hc_stmt *prepare(hc_store *s, const char *sql, unsigned flags, hc_diags *d)
{
    hc_stmt *st;
    if (s->pg.conn) {
        st = hc_xcalloc(1, sizeof *st);
        st->pg = hc_pg_prepare(s, sql);
        return st;
    }
    sqlite3_stmt *lite = NULL;
    if (sqlite3_prepare_v3(s->db, sql, -1, flags, &lite, NULL) != SQLITE_OK) {
        hc_diags_add(d, HC_ERROR, s->path, 0, 0, "database: %s: %s", _("prepare"), sqlite3_errmsg(s->db));
        return NULL;
    }
    st = hc_xcalloc(1, sizeof *st);
    st->lite = lite;
    return st;
}

hc_stmt *hc_sql_prepare(hc_store *s, const char *sql, hc_diags *d) { return prepare(s, sql, 0, d); }

hc_stmt *hc_sql_prepare_kept(hc_store *s, const char *sql, hc_diags *d)
{
    return prepare(s, sql, SQLITE_PREPARE_PERSISTENT, d);
}

void hc_sql_finalize(hc_stmt *st)
{
    if (st == NULL) return;
    if (st->pg) hc_pg_finalize(st->pg);
    else sqlite3_finalize(st->lite);
    free(st);
}

void hc_sql_reset(hc_stmt *st)
{
    if (st->pg) hc_pg_reset(st->pg);
    else sqlite3_reset(st->lite);
}

void hc_sql_clear(hc_stmt *st)
{
    if (st->pg) {
        hc_pg_clear(st->pg);
        return;
    }
    sqlite3_reset(st->lite);
    sqlite3_clear_bindings(st->lite);
}

void hc_sql_bind_text(hc_stmt *st, int i, const char *v)
{
    if (st->pg) hc_pg_bind(st->pg, i, v);
    else if (v) sqlite3_bind_text(st->lite, i, v, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(st->lite, i);
}

void hc_sql_bind_int(hc_stmt *st, int i, long long v)
{
    if (st->lite) {
        sqlite3_bind_int64(st->lite, i, v);
        return;
    }
    char text[24];
    snprintf(text, sizeof text, "%lld", v);
    hc_pg_bind(st->pg, i, text);
}

void hc_sql_bind_double(hc_stmt *st, int i, double v)
{
    if (st->lite) {
        sqlite3_bind_double(st->lite, i, v);
        return;
    }
    char text[32];
    snprintf(text, sizeof text, "%.17g", v);
    hc_pg_bind(st->pg, i, text);
}

void hc_sql_bind_null(hc_stmt *st, int i) { hc_sql_bind_text(st, i, NULL); }

void hc_sql_bind_limit(hc_stmt *st, int i, long long n)
{
    if (n > 0) hc_sql_bind_int(st, i, n);
    else if (st->lite) sqlite3_bind_int64(st->lite, i, -1);
    else hc_pg_bind(st->pg, i, NULL);
}

int hc_sql_param_index(hc_stmt *st, const char *name)
{
    return st->pg ? hc_pg_param_index(st->pg, name) : sqlite3_bind_parameter_index(st->lite, name);
}

int hc_sql_param_count(hc_stmt *st)
{
    return st->pg ? hc_pg_param_count(st->pg) : sqlite3_bind_parameter_count(st->lite);
}

int hc_sql_step(hc_stmt *st)
{
    if (st->pg) return hc_pg_step(st->pg);
    int rc = sqlite3_step(st->lite);
    return rc == SQLITE_ROW ? HC_SQL_ROW : rc == SQLITE_DONE ? HC_SQL_DONE : HC_SQL_ERROR;
}

int hc_sql_column_count(hc_stmt *st)
{
    return st->pg ? hc_pg_column_count(st->pg) : sqlite3_column_count(st->lite);
}

const char *hc_sql_column_name(hc_stmt *st, int col)
{
    return st->pg ? hc_pg_column_name(st->pg, col) : sqlite3_column_name(st->lite, col);
}

int hc_sql_column_type(hc_stmt *st, int col)
{
    if (st->pg) return hc_pg_column_type(st->pg, col);
    switch (sqlite3_column_type(st->lite, col)) {
    case SQLITE_NULL: return HC_SQL_NULL;
    case SQLITE_INTEGER: return HC_SQL_INTEGER;
    case SQLITE_FLOAT: return HC_SQL_FLOAT;
    default: return HC_SQL_TEXT;
    }
}

int hc_sql_is_null(hc_stmt *st, int col)
{
    return st->pg ? hc_pg_is_null(st->pg, col) : sqlite3_column_type(st->lite, col) == SQLITE_NULL;
}

const char *hc_sql_text(hc_stmt *st, int col)
{
    return st->pg ? hc_pg_text(st->pg, col) : (const char *)sqlite3_column_text(st->lite, col);
}

size_t hc_sql_bytes(hc_stmt *st, int col)
{
    return st->pg ? hc_pg_bytes(st->pg, col) : (size_t)sqlite3_column_bytes(st->lite, col);
}

long long hc_sql_int(hc_stmt *st, int col)
{
    return st->pg ? hc_pg_int(st->pg, col) : sqlite3_column_int64(st->lite, col);
}

double hc_sql_double(hc_stmt *st, int col)
{
    return st->pg ? hc_pg_double(st->pg, col) : sqlite3_column_double(st->lite, col);
}

/* ------------------------------------------------------------ the connection */

int hc_sql_exec(hc_store *s, const char *sql, hc_diags *d)
{
    if (s->pg.conn) return hc_pg_exec(s, sql, d);
    char *err = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &err) != SQLITE_OK) {
        hc_diags_add(d, HC_ERROR, s->path, 0, 0, "database: %s", err ? err : "error");
        sqlite3_free(err);
        return -1;
    }
    return 0;
}

int hc_sql_in_transaction(hc_store *s)
{
    return s->pg.conn ? hc_pg_in_transaction(s) : !sqlite3_get_autocommit(s->db);
}

int hc_sql_errcode(const hc_store *s)
{
    return s->pg.conn ? hc_pg_errcode(s) : sqlite3_extended_errcode(s->db);
}

int hc_sql_fatal(const hc_store *s, int errcode)
{
    if (s->pg.conn) return hc_pg_fatal(errcode);
    switch (errcode & 0xff) {
    case SQLITE_FULL: case SQLITE_IOERR: case SQLITE_READONLY: case SQLITE_CORRUPT:
    case SQLITE_NOTADB: case SQLITE_CANTOPEN: case SQLITE_PERM:
        return 1;
    default:
        return 0;
    }
}

void hc_sql_close(hc_store *s)
{
    if (s->pg.conn) hc_pg_close(s);
    if (s->db == NULL) return;
    sqlite3_exec(s->db, "PRAGMA optimize", NULL, NULL, NULL);
    sqlite3_close(s->db);
    s->db = NULL;
}

long long hc_sql_changes(hc_store *s) { return s->pg.conn ? s->pg.changes : sqlite3_changes(s->db); }

const char *hc_sql_errmsg(hc_store *s) { return s->pg.conn ? hc_pg_errmsg(s) : sqlite3_errmsg(s->db); }

int hc_sql_foreign_key_error(hc_store *s)
{
    return s->pg.conn ? hc_pg_foreign_key_error(s)
                      : sqlite3_extended_errcode(s->db) == SQLITE_CONSTRAINT_FOREIGNKEY;
}
