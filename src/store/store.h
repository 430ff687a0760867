/*
** store.h: what the store's modules (store, record, actions, sites, stats,
** exchange) share: the connection, transactions, statements and the event log.
*/
#ifndef HC_STORE_H
#define HC_STORE_H

#include <sqlite3.h>

#include "hazcheck_store.h"
#include "base/base.h"
#include "store/sql.h"

#define HC_SCHEMA_VERSION 10
#define HC_APPLICATION_ID 0x48415A43      /* "HAZC" */
#define HC_BUSY_MS 10000                   /* how long a writer waits for another */
#define HC_TURN_MS 3                       /* a batch's pause between groups: others' turn */

/* Inspections newest first: by date, then as recorded. recorded_at has whole
   seconds, so rowid (the order they were written, on SQLite and PostgreSQL
   alike, and kept by export and import) parts two of one second. T is a
   table's alias with its dot, or "". */
#define HC_SQL_NEWEST_FIRST(T) " ORDER BY " T "date DESC, " T "recorded_at DESC, " T "rowid DESC"

struct hc_store {
    sqlite3 *db;                  /* SQLite, or NULL when pg.conn is set */
    struct {
        struct pg_conn *conn;     /* PostgreSQL (libpq's PGconn; sql_pg.c) */
        char *error;              /* its last error, and that error's SQLSTATE */
        char state[6];
        long long changes;        /* rows the last statement changed */
        unsigned next;            /* the next prepared statement's name */
    } pg;
    char *path;
    char *actor;
    char today[11];
    struct stmt_cache {
        const char *sql;
        hc_stmt *st;
        char *built;              /* the text of a statement composed at run time, owned */
    } cache[128];
    size_t ncache;
    hc_buf touched;               /* rows written since the last event (rows.c) */
    long long clock;              /* seconds since 1970 for sessions (users.c); 0: the real clock */
    int group;                    /* a group commit's transaction is open: changes are savepoints */
    int commit_error;             /* why the last group's commit failed (its rollback clears SQLite's) */
    long long group_ended;        /* when the last group committed (hc_clock_ms), 0: never */
    long long busy_since;         /* when the current wait for the write lock began (open.c) */
};

/* schema_pg.c: the schema of a new PostgreSQL database, and its version. */
extern const char hc_pg_schema[];
extern const int hc_pg_schema_version;

/* A prepared statement for 'sql' (a string literal: cached by address), reset. */
hc_stmt *hc_store_stmt(hc_store *s, const char *sql, hc_diags *d);
/* A prepared statement for SQL composed at run time (a query with only the
   conditions a filter sets, so the planner can use the indexes they match),
   cached by its text. */
hc_stmt *hc_store_stmt_built(hc_store *s, const char *sql, hc_diags *d);
/* Report the connection's last error as "path: what: message". Returns -1. */
int hc_store_error(hc_store *s, hc_diags *d, const char *what);

/* Step a lookup: 1 a row, 0 no row, -1 a database error (reported: a damaged
   file must never read as "not found"). */
int hc_store_row(hc_store *s, hc_stmt *st, hc_diags *d);

/*
** Readers return data: the current row of 'st' as a mapping added to 'parent'
** (under 'key' when parent is a mapping), one entry per column named by the
** column (use AS in the SQL), typed by 'types', one letter a column: s text,
** i integer, n number, b boolean, j JSON the store wrote (read as a tree),
** - skipped. A NULL column is null whatever its letter.
*/
hc_node *hc_store_add_row(hc_doc *doc, hc_node *parent, const char *key, hc_stmt *st,
                          const char *types);
/* Every row of 'st' added to the sequence 'seq': the count, or -1 on a
   database error (reported; never read as "no more rows"). */
long hc_store_add_rows(hc_store *s, hc_stmt *st, hc_doc *doc, hc_node *seq,
                       const char *types, hc_diags *d);

/* BEGIN IMMEDIATE (takes the write lock now, so the busy timeout applies);
   inside a group commit, a savepoint, and commit and rollback its release
   and undoing. */
int hc_store_begin(hc_store *s, hc_diags *d);
int hc_store_commit(hc_store *s, hc_diags *d);
void hc_store_rollback(hc_store *s);

/* Run SQL without results (schema, pragmas). */
int hc_store_exec(hc_store *s, const char *sql, hc_diags *d);

/*
** Append an event to the hash chain, inside the caller's transaction.
** 'data' is JSON or NULL. Each event's hash covers the previous hash and
** every field, so altering or removing any row breaks the chain after it.
*/
int hc_store_event(hc_store *s, const char *kind, const char *subject, const char *site,
                   const char *note, const char *data, hc_diags *d);

/* The same, with the event's own uid, time and actor (an imported event keeps
   them; it is chained after the local log's last event). */
int hc_store_append_event(hc_store *s, const char *uid, const char *at, const char *by,
                          const char *kind, const char *subject, const char *site,
                          const char *note, const char *data, hc_diags *d);
/* Corrections (corrections.c). A correction must give a reason: 0, or -1 named. */
int hc_need_reason(const char *reason, hc_diags *d);
/* Void inspection 'id' and its actions but the uids in keep[0..nkeep) (an
   amendment carries them over), in the caller's transaction; the event names
   'amended_by' when given; *voided (may be NULL) counts the actions voided. */
int hc_inspection_void_tx(hc_store *s, const char *id, const char *reason, const char *amended_by,
                          const char *const *keep, size_t nkeep, size_t *voided, hc_diags *d);

/* The status (listed, state) a site's standing measures dated on or before
   'date' leave it in (enforce.c); what a paper of that date shows. */
int hc_site_status_at(hc_store *s, const char *site, const char *date, int *listed, char state[16],
                      hc_diags *d);

/* The chained hash of an event (what audit verify and import recompute):
   the previous hash and every field, length-prefixed; 'rows' only when present. */
void hc_store_event_hash(const char *prev, const char *uid, const char *at, const char *by,
                         const char *kind, const char *subject, const char *site,
                         const char *note, const char *data, const char *rows, char out[65]);

/*
** rows.c: the rows the event log vouches for. A writer names each row it
** wrote (its key: a site's id, an inspection's id, the inspection whose
** findings, an action's or a measure's uid); the next hc_store_event digests
** them into the event. Rolling back forgets them.
*/
typedef enum hc_rows_table {
    HC_ROWS_SITES, HC_ROWS_INSPECTIONS, HC_ROWS_FINDINGS, HC_ROWS_ACTIONS, HC_ROWS_ENFORCEMENT,
    HC_ROWS_USERS, HC_ROWS_N
} hc_rows_table;
void hc_store_touch(hc_store *s, hc_rows_table t, const char *key);
void hc_store_untouch(hc_store *s);
/* The touched rows' digests, as events.rows holds them, appended to 'rows'. */
int hc_store_touched_rows(hc_store *s, hc_buf *rows, hc_diags *d);
/* audit.c: one audit.baseline event vouching for every row there is (a
   database from before schema 4). */
int hc_store_audit_baseline(hc_store *s, hc_diags *d);
/* audit verify: the rows each event wrote, folded last write wins, against
   the tables. hc_rows_verify: 0 the same, 1 a row differs (named), -1 error. */
typedef struct hc_rows_expect hc_rows_expect;
hc_rows_expect *hc_rows_expect_new(void);
int hc_rows_expect_event(hc_rows_expect *e, long long seq, const char *rows);
int hc_rows_verify(hc_store *s, hc_rows_expect *e, hc_diags *d);
void hc_rows_expect_free(hc_rows_expect **e);
/* 128 random bits as 32 hex digits. */
void hc_store_uid(char out[33]);

/* Insert or update a site profile inside the caller's transaction:
   1 added, 2 updated (the change is an event), 0 unchanged, -1 error. */
int hc_site_upsert(hc_store *s, const hc_node *profile, hc_diags *d);

/* ids.c: what a person typed -> the inspection's id (malloc'd; NULL, with why,
   when unknown or ambiguous) or the action's number (0, or -1 with why). */
char *hc_store_inspection_id(hc_store *s, const char *ref, hc_diags *d);
int hc_store_action_id(hc_store *s, const char *ref, long long *out, hc_diags *d);

/* actions.c: 1 if the step 'verb' may be taken from 'status'; the rank of a
   status in an action's life (open 0 < rectified 1 < verified 2; -1 unknown). */
int hc_action_state_rank(const char *status);

/* enforce.c: apply a measure to a site's status (listed, state): NULL, or
   why it cannot be taken ("is already listed"), leaving the status as it was. */
const char *hc_measure_apply(const char *measure, int *listed, char state[16]);
/* Work a site's listed and state out again from every measure held for it
   that is not void, oldest first, through the same table (an import brings
   older measures). Without a measure of a kind the value stays as it was,
   unless from_scratch (a void: then not listed, operating). */
int hc_site_status_replay(hc_store *s, const char *site, int from_scratch, hc_diags *d);

/* draw.c: the 双随机 draw. A candidate site and a squad's inspectors (sorted
   by bytes); hc_draw_pick moves k picks to the front of c (in draw order) and
   gives each an inspector of its squad, not its resident when the squad has
   another (NULL when the squad has none). */
typedef struct candidate {
    const char *site, *squad, *resident;   /* squad, resident may be NULL */
} candidate;
typedef struct roster {
    const char *squad;                     /* NULL: sites without a squad */
    const char **names;
    size_t n;
} roster;
void hc_draw_pick(const char *seed, candidate *c, size_t n, size_t k, const roster *rosters,
                  size_t nrosters, const char **inspector);
/* Equal texts, NULL equal only to NULL. */
int hc_same_text(const char *a, const char *b);
/* Draw every recorded draw again from its inputs: 0 all the same, 1 one is
   not (named in d), -1 error. */
int hc_plan_audit(hc_store *s, hc_diags *d);

/* notices.c: give a recorded inspection that found hazards the next notice number
   of its year (once; re-inspections get none), inside the caller's transaction. */
int hc_notice_assign(hc_store *s, const char *inspection, hc_diags *d);

#endif
