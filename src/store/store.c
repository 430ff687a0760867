/*
** store.c: the SQLite connection, the schema and its migrations, prepared
** statements, transactions, and readers' rows as data (the event log and its
** audit are audit.c's).
**
** Settings follow the research notes: NOFOLLOW open, extended result codes,
** a busy timeout so two inspectors recording into one file both succeed,
** foreign keys on, defensive mode, untrusted schema off, WAL, and
** BEGIN IMMEDIATE for every write so a crash never leaves half an
** inspection. Tables are STRICT so nothing can store the wrong type.
*/
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store.h"

/* Each entry takes the schema from version i to i+1; never edit a shipped one. */
static const char *const migrations[] = {
    /* 0 -> 1 */
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;\n"
    "CREATE TABLE sites (\n"
    "  id TEXT PRIMARY KEY, name TEXT NOT NULL, district TEXT, industry TEXT, squad TEXT,\n"
    "  inspector TEXT, contact TEXT, profile TEXT NOT NULL,\n"
    "  listed INTEGER NOT NULL DEFAULT 0 CHECK (listed IN (0, 1)),\n"
    "  state TEXT NOT NULL DEFAULT 'operating' CHECK (state IN ('operating', 'suspended', 'closed')),\n"
    "  created_at TEXT NOT NULL, updated_at TEXT NOT NULL) STRICT;\n"
    "CREATE TABLE inspections (\n"
    "  id TEXT PRIMARY KEY, site_id TEXT NOT NULL REFERENCES sites(id),\n"
    "  checklist TEXT NOT NULL, checklist_version TEXT NOT NULL, checklist_sha256 TEXT NOT NULL,\n"
    "  date TEXT NOT NULL, inspector TEXT, kind TEXT NOT NULL,\n"
    "  parent TEXT REFERENCES inspections(id),\n"
    "  verdict TEXT NOT NULL, score REAL NOT NULL, result TEXT NOT NULL,\n"
    "  recorded_at TEXT NOT NULL, recorded_by TEXT NOT NULL) STRICT;\n"
    "CREATE INDEX inspections_site ON inspections(site_id, date);\n"
    "CREATE TABLE findings (\n"
    "  inspection_id TEXT NOT NULL REFERENCES inspections(id), item TEXT NOT NULL,\n"
    "  title TEXT NOT NULL, section TEXT, status TEXT NOT NULL, severity TEXT NOT NULL,\n"
    "  message TEXT, basis TEXT, remedy TEXT, ord TEXT, deadline TEXT,\n"
    "  inputs TEXT, note TEXT, evidence TEXT,\n"
    "  PRIMARY KEY (inspection_id, item)) STRICT;\n"
    "CREATE TABLE actions (\n"
    "  id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE,\n"
    "  site_id TEXT NOT NULL REFERENCES sites(id),\n"
    "  inspection_id TEXT NOT NULL REFERENCES inspections(id), item TEXT NOT NULL,\n"
    "  title TEXT NOT NULL, severity TEXT NOT NULL CHECK (severity IN ('general', 'major')),\n"
    "  message TEXT, basis TEXT, remedy TEXT, ord TEXT, deadline TEXT NOT NULL,\n"
    "  status TEXT NOT NULL CHECK (status IN ('open', 'rectified', 'verified')),\n"
    "  assignee TEXT, supervisor TEXT, cost REAL NOT NULL DEFAULT 0,\n"
    "  last_inspection_id TEXT REFERENCES inspections(id),\n"
    "  opened_on TEXT NOT NULL, closed_on TEXT) STRICT;\n"
    "CREATE INDEX actions_site ON actions(site_id, status);\n"
    "CREATE TABLE enforcement (\n"
    "  id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE,\n"
    "  site_id TEXT NOT NULL REFERENCES sites(id),\n"
    "  measure TEXT NOT NULL CHECK (measure IN ('interview', 'list', 'delist', 'penalty',\n"
    "                                            'suspend', 'resume', 'close-down')),\n"
    "  date TEXT NOT NULL, amount REAL, basis TEXT, note TEXT, by TEXT NOT NULL) STRICT;\n"
    "CREATE TABLE events (\n"
    "  seq INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, at TEXT NOT NULL, by TEXT NOT NULL,\n"
    "  kind TEXT NOT NULL, subject TEXT NOT NULL, site_id TEXT, note TEXT, data TEXT,\n"
    "  prev_hash TEXT NOT NULL, hash TEXT NOT NULL) STRICT;\n"
    "CREATE INDEX events_subject ON events(subject);\n"
    /* views for the questions people ask with the sqlite3 shell */
    "CREATE VIEW open_actions_by_site AS\n"
    "  SELECT s.id AS site, s.name AS site_name, a.id AS action, a.item, a.title, a.severity,\n"
    "         a.status, a.deadline, a.assignee\n"
    "  FROM actions a JOIN sites s ON s.id = a.site_id WHERE a.status <> 'verified'\n"
    "  ORDER BY s.id, a.deadline;\n"
    "CREATE VIEW overdue_actions AS\n"
    "  SELECT a.id AS action, a.site_id AS site, a.item, a.title, a.severity, a.status,\n"
    "         a.deadline, a.assignee\n"
    "  FROM actions a WHERE a.status <> 'verified' AND a.deadline < date('now')\n"
    "  ORDER BY a.deadline;\n"
    "CREATE VIEW hazards_by_month AS\n"
    "  SELECT substr(i.date, 1, 7) AS month,\n"
    "         sum(a.severity = 'general') AS general, sum(a.severity = 'major') AS major\n"
    "  FROM actions a JOIN inspections i ON i.id = a.inspection_id\n"
    "  GROUP BY month ORDER BY month;\n",
    /* 2: the sources a pack's basis codes stand for, kept per pack version (by its
       sha256) so that papers reprinted later cite the instrument in full */
    "CREATE TABLE sources (\n"
    "  checklist_sha256 TEXT NOT NULL, code TEXT NOT NULL, title TEXT NOT NULL,\n"
    "  PRIMARY KEY (checklist_sha256, code)) STRICT;\n",
    /* 3: the numbers of the rectification notices, per year (notices.c) */
    "CREATE TABLE notices (\n"
    "  inspection_id TEXT PRIMARY KEY REFERENCES inspections(id),\n"
    "  year INTEGER NOT NULL, seq INTEGER NOT NULL, UNIQUE (year, seq)) STRICT;\n"
    /* inspections recorded before numbering get theirs in the order they were recorded */
    "INSERT INTO notices (inspection_id, year, seq)\n"
    "  SELECT id, CAST(substr(date, 1, 4) AS INTEGER),\n"
    "         row_number() OVER (PARTITION BY substr(date, 1, 4) ORDER BY recorded_at, id)\n"
    "  FROM inspections WHERE kind <> 'reinspection'\n"
    "    AND verdict IN ('general-hazards', 'major-hazard');\n",
};
#define NMIGRATIONS (sizeof migrations / sizeof migrations[0])

int hc_store_fatal(const hc_store *s)
{
    switch (sqlite3_errcode(s->db) & 0xff) {
    case SQLITE_FULL: case SQLITE_IOERR: case SQLITE_READONLY: case SQLITE_CORRUPT:
    case SQLITE_NOTADB: case SQLITE_CANTOPEN: case SQLITE_PERM:
        return 1;
    default:
        return 0;
    }
}

int hc_store_error(hc_store *s, hc_diags *d, const char *what)
{
    hc_diags_add(d, HC_ERROR, s->path, 0, 0, "database: %s: %s", _(what), sqlite3_errmsg(s->db));
    return -1;
}

int hc_store_exec(hc_store *s, const char *sql, hc_diags *d)
{
    char *err = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &err) != SQLITE_OK) {
        hc_diags_add(d, HC_ERROR, s->path, 0, 0, "database: %s", err ? err : "error");
        sqlite3_free(err);
        return -1;
    }
    return 0;
}

sqlite3_stmt *hc_store_stmt(hc_store *s, const char *sql, hc_diags *d)
{
    for (size_t i = 0; i < s->ncache; i++) {
        if (s->cache[i].sql == sql) {
            sqlite3_reset(s->cache[i].st);
            sqlite3_clear_bindings(s->cache[i].st);
            return s->cache[i].st;
        }
    }
    sqlite3_stmt *st = NULL;
    unsigned flags = s->ncache < 128 ? SQLITE_PREPARE_PERSISTENT : 0;
    if (sqlite3_prepare_v3(s->db, sql, -1, flags, &st, NULL) != SQLITE_OK) {
        hc_store_error(s, d, "prepare");
        return NULL;
    }
    if (s->ncache < 128) {
        s->cache[s->ncache].sql = sql;
        s->cache[s->ncache].st = st;
        s->ncache++;
    } else {
        /* never hit with the statements we have; a leak guard all the same */
        hc_diags_add(d, HC_ERROR, s->path, 0, 0, "database: statement cache full");
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

int hc_store_row(hc_store *s, sqlite3_stmt *st, hc_diags *d)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) return 1;
    if (rc == SQLITE_DONE) return 0;
    return hc_store_error(s, d, "reading");
}

hc_node *hc_store_add_row(hc_doc *doc, hc_node *parent, const char *key, sqlite3_stmt *st,
                          const char *types)
{
    hc_node *map = hc_add_map(doc, parent, key);
    for (int i = 0; types[i]; i++) {
        if (types[i] == '-') continue;
        const char *name = sqlite3_column_name(st, i);
        if (sqlite3_column_type(st, i) == SQLITE_NULL) {
            hc_add_null(doc, map, name);
            continue;
        }
        switch (types[i]) {
        case 'i': hc_add_int(doc, map, name, sqlite3_column_int64(st, i)); break;
        case 'n': hc_add_num(doc, map, name, sqlite3_column_double(st, i)); break;
        case 'b': hc_add_bool(doc, map, name, sqlite3_column_int(st, i) != 0); break;
        case 'j': {
            /* JSON the store wrote itself (a profile, a list of texts) */
            const char *json = (const char *)sqlite3_column_text(st, i);
            hc_reader *r = hc_reader_open_mem(name, json, (size_t)sqlite3_column_bytes(st, i), NULL,
                                              NULL);
            hc_doc *val = NULL;
            if (r && hc_reader_next(r, &val, NULL) == 1)
                hc_tree_add(doc, map, name, hc_tree_copy(doc, hc_doc_root(val)));
            else
                hc_add_str(doc, map, name, json);
            hc_doc_free(&val);
            hc_reader_close(&r);
            break;
        }
        default:
            hc_add_strn(doc, map, name, (const char *)sqlite3_column_text(st, i),
                        (size_t)sqlite3_column_bytes(st, i));
        }
    }
    return map;
}

long hc_store_add_rows(hc_store *s, sqlite3_stmt *st, hc_doc *doc, hc_node *seq,
                       const char *types, hc_diags *d)
{
    long n = 0;
    int got;
    while ((got = hc_store_row(s, st, d)) == 1) {
        hc_store_add_row(doc, seq, NULL, st, types);
        n++;
    }
    return got < 0 ? -1 : n;
}

void hc_bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v) sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(st, i);
}

int hc_store_begin(hc_store *s, hc_diags *d)
{
    return hc_store_exec(s, "BEGIN IMMEDIATE", d);
}

int hc_store_commit(hc_store *s, hc_diags *d)
{
    return hc_store_exec(s, "COMMIT", d);
}

void hc_store_rollback(hc_store *s)
{
    if (!sqlite3_get_autocommit(s->db)) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}


static int pragma_int(hc_store *s, const char *sql, int *out)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) *out = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

static int migrate(hc_store *s, hc_diags *d)
{
    if (hc_store_begin(s, d)) return -1;
    int v = 0;
    if (pragma_int(s, "PRAGMA user_version", &v) != 0) {
        hc_store_rollback(s);
        return hc_store_error(s, d, "reading the schema version");
    }
    if (v > (int)NMIGRATIONS) {
        hc_store_rollback(s);
        hc_diags_add(d, HC_ERROR, s->path, 0, 0,
                     "database schema version %d is newer than this hazcheck knows (%d); "
                     "use a newer hazcheck",
                     v, (int)NMIGRATIONS);
        return -1;
    }
    if (v == 0) {
        int app = 0, tables = 0;
        pragma_int(s, "PRAGMA application_id", &app);
        pragma_int(s, "SELECT count(*) FROM sqlite_schema", &tables);
        if (tables > 0 && app != HC_APPLICATION_ID) {
            hc_store_rollback(s);
            hc_diags_add(d, HC_ERROR, s->path, 0, 0,
                         "not a hazcheck database (it has tables of something else)");
            return -1;
        }
    }
    for (size_t i = (size_t)v; i < NMIGRATIONS; i++) {
        if (hc_store_exec(s, migrations[i], d)) {
            hc_store_rollback(s);
            return -1;
        }
    }
    if (v < (int)NMIGRATIONS) {
        char sql[96];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d; PRAGMA application_id = %d;",
                 (int)NMIGRATIONS, HC_APPLICATION_ID);
        if (hc_store_exec(s, sql, d)) {
            hc_store_rollback(s);
            return -1;
        }
    }
    return hc_store_commit(s, d);
}

hc_store *hc_store_open(const char *path, hc_diags *d)
{
    hc_store *s = hc_xcalloc(1, sizeof *s);
    s->path = hc_xstrdup(path);
    s->actor = hc_xstrdup("unknown");
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(s->today, sizeof s->today, "%Y-%m-%d", &tm);
    int rc = sqlite3_open_v2(path, &s->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW, NULL);
    if (rc != SQLITE_OK) {
        hc_diags_add(d, HC_ERROR, path, 0, 0, "cannot open the database: %s",
                     s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        hc_store_close(&s);
        return NULL;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, HC_BUSY_MS);
    sqlite3_db_config(s->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(s->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    sqlite3_db_config(s->db, SQLITE_DBCONFIG_DQS_DML, 0, NULL);
    sqlite3_db_config(s->db, SQLITE_DBCONFIG_DQS_DDL, 0, NULL);
    /* WAL: readers never block the writer; FULL sync: a recorded inspection
       survives a power cut (it may be evidence). */
    /* Two inspectors may open a fresh file at the same moment: switching it to
       WAL can then fail with SQLITE_BUSY without the busy handler being asked,
       so retry the set-up for a while before giving up. */
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int attempt = 0;; attempt++) {
        hc_diags tmp = {0};
        int ok = hc_store_exec(s, "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; "
                                  "PRAGMA synchronous = FULL;", &tmp) == 0 &&
                 migrate(s, &tmp) == 0;
        int busy = (sqlite3_errcode(s->db) & 0xff) == SQLITE_BUSY ||
                   (sqlite3_errcode(s->db) & 0xff) == SQLITE_LOCKED;
        /* retry only within the busy timeout: each attempt may already have waited */
        clock_gettime(CLOCK_MONOTONIC, &t1);
        long waited = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
        if (ok || !busy || waited >= HC_BUSY_MS) {
            for (size_t i = 0; i < tmp.n; i++)
                hc_diags_add(d, tmp.v[i].level, tmp.v[i].file, tmp.v[i].line, tmp.v[i].col, "%s",
                             tmp.v[i].msg);
            hc_diags_clear(&tmp);
            if (ok) return s;
            hc_store_close(&s);
            return NULL;
        }
        hc_diags_clear(&tmp);
        struct timespec pause = {0, 50 * 1000000L};
        nanosleep(&pause, NULL);
    }
}

void hc_store_close(hc_store **sp)
{
    if (sp == NULL || *sp == NULL) return;
    hc_store *s = *sp;
    for (size_t i = 0; i < s->ncache; i++) sqlite3_finalize(s->cache[i].st);
    if (s->db) {
        sqlite3_exec(s->db, "PRAGMA optimize", NULL, NULL, NULL);
        sqlite3_close(s->db);
    }
    free(s->path);
    free(s->actor);
    free(s);
    *sp = NULL;
}

void hc_store_set_actor(hc_store *s, const char *actor)
{
    free(s->actor);
    s->actor = hc_xstrdup(actor && *actor ? actor : "unknown");
}

void hc_store_set_today(hc_store *s, const char *date)
{
    snprintf(s->today, sizeof s->today, "%s", date);
}
