/*
** sql.h: the store's statements, whatever database holds the store.
**
** The store's modules speak SQL through these calls only, never through a
** database's own library, so that one store's logic runs on SQLite (the
** embedded default) and on PostgreSQL (issue 15) without a second copy. A
** statement is prepared, bound, stepped row by row and reset, as SQLite does
** it; a backend that answers a whole result at once (libpq) keeps the result
** and steps through it.
**
** Parameters are numbered from 1 (?, ?N) or named (:name); columns from 0.
** Texts read from a row stay valid until the next step or reset.
*/
#ifndef HC_SQL_H
#define HC_SQL_H

#include <stddef.h>

#include "base/base.h"

typedef struct hc_store hc_store;
typedef struct hc_stmt hc_stmt;

enum { HC_SQL_ERROR = -1, HC_SQL_DONE = 0, HC_SQL_ROW = 1 };
enum { HC_SQL_NULL, HC_SQL_INTEGER, HC_SQL_FLOAT, HC_SQL_TEXT };

/* A statement of one's own (not cached): NULL on error (reported); free it
   with hc_sql_finalize. */
hc_stmt *hc_sql_prepare(hc_store *s, const char *sql, hc_diags *d);
void hc_sql_finalize(hc_stmt *st);
/* The same, for a statement kept for the connection's life (the store's cache). */
hc_stmt *hc_sql_prepare_kept(hc_store *s, const char *sql, hc_diags *d);

/* Back to before its first step, its bindings kept (reset) or cleared. */
void hc_sql_reset(hc_stmt *st);
void hc_sql_clear(hc_stmt *st);

/* A NULL text binds NULL. */
void hc_sql_bind_text(hc_stmt *st, int i, const char *v);
void hc_sql_bind_int(hc_stmt *st, int i, long long v);
void hc_sql_bind_double(hc_stmt *st, int i, double v);
void hc_sql_bind_null(hc_stmt *st, int i);
/* A LIMIT of n rows, or none when n <= 0 (SQLite's -1, PostgreSQL's NULL). */
void hc_sql_bind_limit(hc_stmt *st, int i, long long n);
/* The number of the parameter ":name", 0 if the statement has none. */
int hc_sql_param_index(hc_stmt *st, const char *name);
/* The largest parameter number the statement uses. */
int hc_sql_param_count(hc_stmt *st);

/* HC_SQL_ROW, HC_SQL_DONE or HC_SQL_ERROR (the store's last error says why). */
int hc_sql_step(hc_stmt *st);

int hc_sql_column_count(hc_stmt *st);
const char *hc_sql_column_name(hc_stmt *st, int col);
/* HC_SQL_NULL, _INTEGER, _FLOAT or _TEXT (a blob reads as text). */
int hc_sql_column_type(hc_stmt *st, int col);
int hc_sql_is_null(hc_stmt *st, int col);
const char *hc_sql_text(hc_stmt *st, int col);
size_t hc_sql_bytes(hc_stmt *st, int col);
long long hc_sql_int(hc_stmt *st, int col);
double hc_sql_double(hc_stmt *st, int col);

/* Run SQL without results (schema, transactions); d may be NULL. */
int hc_sql_exec(hc_store *s, const char *sql, hc_diags *d);
/* Whether a transaction is open (a database may end one itself on an error). */
int hc_sql_in_transaction(hc_store *s);
/* The connection's last error, as a code hc_sql_fatal reads: whether it was
   the database's own failure (a full disk, a damaged file, no permission) and
   not the statement's. */
int hc_sql_errcode(const hc_store *s);
int hc_sql_fatal(const hc_store *s, int errcode);
/* Close the connection (the store's statements are finalized first). */
void hc_sql_close(hc_store *s);

/* Rows the last INSERT, UPDATE or DELETE changed. */
long long hc_sql_changes(hc_store *s);
/* The database's words for the last error, and whether it was a foreign key's. */
const char *hc_sql_errmsg(hc_store *s);
int hc_sql_foreign_key_error(hc_store *s);

/*
** The PostgreSQL driver (sql_pg.c): the calls above for a store whose
** connection is PostgreSQL's (sql.c dispatches on it). Texts are bound as text;
** the server converts them to the column's type.
*/
typedef struct hc_pg_stmt hc_pg_stmt;
int hc_pg_connect(hc_store *s, const char *uri, hc_diags *d);
void hc_pg_close(hc_store *s);
int hc_pg_exec(hc_store *s, const char *sql, hc_diags *d);
int hc_pg_in_transaction(hc_store *s);
int hc_pg_errcode(const hc_store *s);
int hc_pg_fatal(int code);
const char *hc_pg_errmsg(hc_store *s);
int hc_pg_foreign_key_error(hc_store *s);
hc_pg_stmt *hc_pg_prepare(hc_store *s, const char *sql);
void hc_pg_finalize(hc_pg_stmt *st);
void hc_pg_reset(hc_pg_stmt *st);
void hc_pg_clear(hc_pg_stmt *st);
void hc_pg_bind(hc_pg_stmt *st, int i, const char *text);
int hc_pg_param_index(hc_pg_stmt *st, const char *name);
int hc_pg_param_count(hc_pg_stmt *st);
int hc_pg_step(hc_pg_stmt *st);
int hc_pg_column_count(hc_pg_stmt *st);
const char *hc_pg_column_name(hc_pg_stmt *st, int col);
int hc_pg_column_type(hc_pg_stmt *st, int col);
int hc_pg_is_null(hc_pg_stmt *st, int col);
const char *hc_pg_text(hc_pg_stmt *st, int col);
size_t hc_pg_bytes(hc_pg_stmt *st, int col);
long long hc_pg_int(hc_pg_stmt *st, int col);
double hc_pg_double(hc_pg_stmt *st, int col);

#endif
