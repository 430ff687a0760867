/*
** sql_pg.c: the store's statements on PostgreSQL, through libpq (sql.h says
** why the store has its own statement calls).
**
** libpq answers a whole result at once, so a statement here keeps its bound
** values as text, runs on its first step (prepared on the server once per
** connection, by a name of its own) and then steps through the rows it got.
** The store's SQL numbers its parameters as SQLite does (?, ?N, :name);
** PostgreSQL wants $N, so the text is translated once, at prepare, outside
** quoted strings and names, and a name keeps the number it first got.
** Booleans read as 1 and 0, as SQLite's do, so that one reader serves both.
*/
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

/* PostgreSQL's type oids (pg_type.h is a server header): those read as numbers */
enum { OID_BOOL = 16, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23, OID_TEXT = 25, OID_FLOAT4 = 700,
       OID_FLOAT8 = 701, OID_NUMERIC = 1700 };

struct hc_pg_stmt {
    hc_store *s;
    char name[24];                /* the server's name for it, once prepared */
    char *sql;                    /* translated to $N */
    int nparams;
    char **names;                 /* names[i]: parameter i+1's ":name", or NULL */
    char **values;                /* bound values as text (NULL: SQL NULL), owned */
    int prepared;
    PGresult *res;                /* the result being stepped through */
    int row, ran;
    char (*floats)[32];           /* the row's floating-point columns as SQLite writes them */
    int nfloats;
};

/* SQLite's placeholders to PostgreSQL's, outside '...' and "..." (and so
   never inside a string literal or a quoted name). "::" is a cast, not a name. */
static char *translate(const char *sql, char ***names, int *nparams)
{
    hc_buf out = {0};
    int n = 0;
    size_t cap = 0;
    char **nm = NULL;
    for (const char *p = sql; *p;) {
        if (*p == '\'' || *p == '"') {
            char q = *p;
            const char *e = p + 1;
            while (*e && !(*e == q && e[1] != q)) e += (*e == q) ? 2 : 1;
            if (*e) e++;
            hc_buf_put(&out, p, (size_t)(e - p));
            p = e;
            continue;
        }
        int num = 0;
        const char *name = NULL;      /* a :name seen for the first time */
        size_t name_len = 0;
        if (*p == '?') {
            p++;
            if (*p >= '0' && *p <= '9') {
                char *end;
                num = (int)strtol(p, &end, 10);
                p = end;
            } else {
                num = n + 1;
            }
        } else if (*p == ':' && p[1] != ':' && (p == sql || p[-1] != ':') &&
                   (p[1] == '_' || (p[1] >= 'a' && p[1] <= 'z') || (p[1] >= 'A' && p[1] <= 'Z'))) {
            const char *e = p + 1;
            while (*e == '_' || (*e >= 'a' && *e <= 'z') || (*e >= 'A' && *e <= 'Z') || (*e >= '0' && *e <= '9')) e++;
            size_t len = (size_t)(e - p);
            for (int i = 0; i < n && num == 0; i++)
                if (nm[i] && strlen(nm[i]) == len && memcmp(nm[i], p, len) == 0) num = i + 1;
            if (num == 0) name = p, num = n + 1;
            name_len = len;
            p = e;
        } else {
            hc_buf_putc(&out, *p++);
            continue;
        }
        if (num > n) {
            HC_GROW(nm, cap, (size_t)num);
            for (int i = n; i < num; i++) nm[i] = NULL;
            n = num;
        }
        if (name) nm[num - 1] = hc_xstrndup(name, name_len);
        hc_buf_printf(&out, "$%d", num);
    }
    *names = nm;
    *nparams = n;
    return hc_buf_take(&out);
}

/* ------------------------------------------------------------- errors */

/* Keep the connection's or the result's error as the store's last. */
static void keep_error(hc_store *s, const PGresult *res)
{
    const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(s->pg.conn);
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    free(s->pg.error);
    s->pg.error = hc_xstrdup(msg && *msg ? msg : "error");
    size_t len = strlen(s->pg.error);      /* libpq ends its messages with a newline */
    while (len && (s->pg.error[len - 1] == '\n' || s->pg.error[len - 1] == ' ')) s->pg.error[--len] = '\0';
    /* no SQLSTATE: the connection itself failed (class 08) */
    snprintf(s->pg.state, sizeof s->pg.state, "%s", state && strlen(state) == 5 ? state : "08006");
}

const char *hc_pg_errmsg(hc_store *s) { return s->pg.error ? s->pg.error : "not an error"; }

/* SQLSTATE as a number (five base-36 digits), so that it travels as SQLite's codes do. */
static int sqlstate_number(const char *state)
{
    int code = 0;
    for (int i = 0; i < 5 && state[i]; i++) {
        char c = state[i];
        code = code * 36 + (c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'Z' ? c - 'A' + 10 : 0);
    }
    return code;
}

int hc_pg_errcode(const hc_store *s) { return sqlstate_number(s->pg.state); }

/* The database's own failure, not the statement's: out of room (class 53),
   the system or its files (58), the connection (08), damaged data (XX), no
   permission (42501), a read-only server (25006). A class is the first two
   digits, the number divided by 36 cubed. */
int hc_pg_fatal(int code)
{
    static const char *const classes[] = {"53000", "58000", "08000", "XX000"};
    const int per_class = 36 * 36 * 36;
    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++)
        if (code / per_class == sqlstate_number(classes[i]) / per_class) return 1;
    return code == sqlstate_number("42501") || code == sqlstate_number("25006");
}

int hc_pg_foreign_key_error(hc_store *s) { return strcmp(s->pg.state, "23503") == 0; }

/* --------------------------------------------------------- statements */

hc_pg_stmt *hc_pg_prepare(hc_store *s, const char *sql)
{
    hc_pg_stmt *st = hc_xcalloc(1, sizeof *st);
    st->s = s;
    st->sql = translate(sql, &st->names, &st->nparams);
    st->values = hc_xcalloc(st->nparams ? (size_t)st->nparams : 1, sizeof *st->values);
    snprintf(st->name, sizeof st->name, "hc%u", ++s->pg.next);
    st->row = -1;
    return st;
}

void hc_pg_reset(hc_pg_stmt *st)
{
    PQclear(st->res);
    st->res = NULL;
    st->row = -1;
    st->ran = 0;
}

void hc_pg_clear(hc_pg_stmt *st)
{
    hc_pg_reset(st);
    for (int i = 0; i < st->nparams; i++) {
        free(st->values[i]);
        st->values[i] = NULL;
    }
}

void hc_pg_finalize(hc_pg_stmt *st)
{
    if (st == NULL) return;
    hc_pg_clear(st);
    if (st->prepared && st->s->pg.conn) {
        char sql[48];
        snprintf(sql, sizeof sql, "DEALLOCATE %s", st->name);
        PQclear(PQexec(st->s->pg.conn, sql));
    }
    for (int i = 0; i < st->nparams; i++) free(st->names[i]);
    free(st->floats);
    free(st->names);
    free(st->values);
    free(st->sql);
    free(st);
}

void hc_pg_bind(hc_pg_stmt *st, int i, const char *text)
{
    if (i < 1 || i > st->nparams) return;        /* as SQLite: a number it has not, ignored */
    free(st->values[i - 1]);
    st->values[i - 1] = text ? hc_xstrdup(text) : NULL;
}

int hc_pg_param_index(hc_pg_stmt *st, const char *name)
{
    for (int i = 0; i < st->nparams; i++)
        if (st->names[i] && strcmp(st->names[i], name) == 0) return i + 1;
    return 0;
}

int hc_pg_param_count(hc_pg_stmt *st) { return st->nparams; }

/* Prepare on the server, the parameters' types left for it to infer from
   their use. A parameter used only where any type would do ("?1 IS NULL OR
   date >= ?1" is asked of the first use) cannot be inferred: it is declared
   text, and the statement prepared again. A refusal inside a transaction
   would end it, so there a savepoint takes it (once per statement and
   connection: a prepared statement is kept). */
static int prepare_on_server(hc_pg_stmt *st)
{
    hc_store *s = st->s;
    Oid *types = hc_xcalloc(st->nparams ? (size_t)st->nparams : 1, sizeof *types);
    int rc = -1;
    int guarded = hc_pg_in_transaction(s) && hc_pg_exec(s, "SAVEPOINT hc_prepare", NULL) == 0;
    for (int attempt = 0; attempt <= st->nparams; attempt++) {
        PGresult *p = PQprepare(s->pg.conn, st->name, st->sql, st->nparams, types);
        if (guarded && PQresultStatus(p) != PGRES_COMMAND_OK)
            PQclear(PQexec(s->pg.conn, "ROLLBACK TO SAVEPOINT hc_prepare"));
        int ok = PQresultStatus(p) == PGRES_COMMAND_OK;
        const char *state = ok ? NULL : PQresultErrorField(p, PG_DIAG_SQLSTATE);
        /* 42P08 (or 42P18): "could not determine data type of parameter $N" */
        int untyped = state && (strcmp(state, "42P08") == 0 || strcmp(state, "42P18") == 0);
        const char *which = untyped ? strstr(PQresultErrorMessage(p), "$") : NULL;
        int n = which ? (int)strtol(which + 1, NULL, 10) : 0;
        if (ok) {
            st->prepared = 1;
            rc = 0;
        } else if (n < 1 || n > st->nparams || types[n - 1] == OID_TEXT) {
            keep_error(s, p);
        } else {
            types[n - 1] = OID_TEXT;
            PQclear(p);
            continue;
        }
        PQclear(p);
        break;
    }
    free(types);
    if (guarded) PQclear(PQexec(s->pg.conn, "RELEASE SAVEPOINT hc_prepare"));
    return rc;
}

int hc_pg_step(hc_pg_stmt *st)
{
    hc_store *s = st->s;
    if (!st->ran) {
        st->ran = 1;
        if (!st->prepared && prepare_on_server(st) != 0) return HC_SQL_ERROR;
        st->res = PQexecPrepared(s->pg.conn, st->name, st->nparams, (const char *const *)st->values,
                                 NULL, NULL, 0);
        ExecStatusType status = PQresultStatus(st->res);
        if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
            keep_error(s, st->res);
            PQclear(st->res);
            st->res = NULL;
            return HC_SQL_ERROR;
        }
        st->row = -1;
        const char *n = PQcmdTuples(st->res);
        s->pg.changes = n && *n ? strtoll(n, NULL, 10) : 0;
    }
    if (st->res == NULL) return HC_SQL_DONE;
    if (st->row + 1 < PQntuples(st->res)) {
        st->row++;
        return HC_SQL_ROW;
    }
    PQclear(st->res);
    st->res = NULL;
    return HC_SQL_DONE;
}

/* ------------------------------------------------------------ columns */

int hc_pg_column_count(hc_pg_stmt *st) { return st->res ? PQnfields(st->res) : 0; }
const char *hc_pg_column_name(hc_pg_stmt *st, int col) { return st->res ? PQfname(st->res, col) : NULL; }

static int in_row(hc_pg_stmt *st, int col)
{
    return st->res && st->row >= 0 && col >= 0 && col < PQnfields(st->res);
}

int hc_pg_is_null(hc_pg_stmt *st, int col) { return !in_row(st, col) || PQgetisnull(st->res, st->row, col); }

/* A NUMERIC is what PostgreSQL's sum of integers gives: a whole one reads
   as the integer SQLite's sum would be, a fraction as a float. */
static int whole_numeric(const char *v) { return strpbrk(v, ".eEnN") == NULL; }

int hc_pg_column_type(hc_pg_stmt *st, int col)
{
    if (hc_pg_is_null(st, col)) return HC_SQL_NULL;
    switch (PQftype(st->res, col)) {
    case OID_BOOL: case OID_INT2: case OID_INT4: case OID_INT8: return HC_SQL_INTEGER;
    case OID_NUMERIC: return whole_numeric(PQgetvalue(st->res, st->row, col)) ? HC_SQL_INTEGER : HC_SQL_FLOAT;
    case OID_FLOAT4: case OID_FLOAT8: return HC_SQL_FLOAT;
    default: return HC_SQL_TEXT;
    }
}

/* A floating-point number as SQLite writes it (15 significant digits, and a
   whole number with ".0"), so that a row reads, and digests, alike on both. */
static const char *as_sqlite_float(hc_pg_stmt *st, int col, const char *v)
{
    if (st->nfloats < PQnfields(st->res)) {
        st->nfloats = PQnfields(st->res);
        st->floats = hc_xrealloc(st->floats, (size_t)st->nfloats * sizeof *st->floats);
    }
    char *out = st->floats[col];
    int len = snprintf(out, sizeof st->floats[col], "%.15g", strtod(v, NULL));
    if (strpbrk(out, ".eni") == NULL && len > 0 && (size_t)len + 3 <= sizeof st->floats[col])
        snprintf(out + len, sizeof st->floats[col] - (size_t)len, ".0");
    return out;
}

const char *hc_pg_text(hc_pg_stmt *st, int col)
{
    if (hc_pg_is_null(st, col)) return NULL;
    const char *v = PQgetvalue(st->res, st->row, col);
    switch (PQftype(st->res, col)) {
    case OID_BOOL: return *v == 't' ? "1" : "0";
    case OID_FLOAT4: case OID_FLOAT8: return as_sqlite_float(st, col, v);
    case OID_NUMERIC: return whole_numeric(v) ? v : as_sqlite_float(st, col, v);
    default: return v;
    }
}

size_t hc_pg_bytes(hc_pg_stmt *st, int col)
{
    const char *v = hc_pg_text(st, col);
    return v ? strlen(v) : 0;
}

long long hc_pg_int(hc_pg_stmt *st, int col)
{
    const char *v = hc_pg_text(st, col);
    if (v == NULL) return 0;
    return hc_pg_column_type(st, col) == HC_SQL_FLOAT ? (long long)strtod(v, NULL) : strtoll(v, NULL, 10);
}

double hc_pg_double(hc_pg_stmt *st, int col)
{
    const char *v = hc_pg_text(st, col);
    return v ? strtod(v, NULL) : 0;
}

/* --------------------------------------------------------- connection */

int hc_pg_connect(hc_store *s, const char *uri, hc_diags *d)
{
    s->pg.conn = PQconnectdb(uri);
    if (PQstatus(s->pg.conn) != CONNECTION_OK) {
        keep_error(s, NULL);
        hc_diags_add(d, HC_ERROR, s->path, 0, 0, "database: cannot connect: %s", s->pg.error);
        return -1;
    }
    /* the store's texts are UTF-8 and its SQL standard: say so whatever the server's defaults */
    return hc_pg_exec(s, "SET client_encoding = 'UTF8'; SET standard_conforming_strings = on;"
                         " SET client_min_messages = warning", d);
}

int hc_pg_exec(hc_store *s, const char *sql, hc_diags *d)
{
    PGresult *res = PQexec(s->pg.conn, sql);
    ExecStatusType status = PQresultStatus(res);
    int ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY;
    if (!ok) {
        keep_error(s, res);
        hc_diags_add(d, HC_ERROR, s->path, 0, 0, "database: %s", s->pg.error);
    }
    PQclear(res);
    return ok ? 0 : -1;
}

int hc_pg_in_transaction(hc_store *s)
{
    PGTransactionStatusType t = PQtransactionStatus(s->pg.conn);
    return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

void hc_pg_close(hc_store *s)
{
    PQfinish(s->pg.conn);
    s->pg.conn = NULL;
    free(s->pg.error);
    s->pg.error = NULL;
}
