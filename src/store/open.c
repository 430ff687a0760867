/*
** open.c: opening a database: the file, its settings, the schema and its
** migrations.
**
** Settings follow the research notes: NOFOLLOW open, extended result codes,
** a busy timeout so two inspectors recording into one file both succeed,
** foreign keys on, defensive mode, untrusted schema off, WAL, and
** BEGIN IMMEDIATE for every write so a crash never leaves half an
** inspection. Tables are STRICT so nothing can store the wrong type.
**
** It sits above the rest of the store (it writes the audit baseline of
** schema 4 through audit.c), so nothing in the store calls it.
*/
#include <pthread.h>
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
    /* 4: each event vouches for the rows it wrote (rows.c); the rows already
       there are vouched for by one audit.baseline event, written by migrate() */
    "ALTER TABLE events ADD COLUMN rows TEXT;\n",
    /* 5: corrections (corrections.c): a voided record stays, marked, and no
       longer counts; the shell's views leave voided actions out */
    "ALTER TABLE inspections ADD COLUMN voided_at TEXT;\n"
    "ALTER TABLE inspections ADD COLUMN void_reason TEXT;\n"
    "ALTER TABLE actions ADD COLUMN voided_at TEXT;\n"
    "ALTER TABLE actions ADD COLUMN void_reason TEXT;\n"
    "ALTER TABLE enforcement ADD COLUMN voided_at TEXT;\n"
    "ALTER TABLE enforcement ADD COLUMN void_reason TEXT;\n"
    "DROP VIEW IF EXISTS open_actions_by_site;\n"
    "CREATE VIEW open_actions_by_site AS\n"
    "  SELECT s.id AS site, s.name AS site_name, a.id AS action, a.item, a.title, a.severity,\n"
    "         a.status, a.deadline, a.assignee\n"
    "  FROM actions a JOIN sites s ON s.id = a.site_id\n"
    "  WHERE a.status <> 'verified' AND a.voided_at IS NULL\n"
    "  ORDER BY s.id, a.deadline;\n"
    "DROP VIEW IF EXISTS overdue_actions;\n"
    "CREATE VIEW overdue_actions AS\n"
    "  SELECT a.id AS action, a.site_id AS site, a.item, a.title, a.severity, a.status,\n"
    "         a.deadline, a.assignee\n"
    "  FROM actions a WHERE a.status <> 'verified' AND a.voided_at IS NULL\n"
    "    AND a.deadline < date('now')\n"
    "  ORDER BY a.deadline;\n"
    "DROP VIEW IF EXISTS hazards_by_month;\n"
    "CREATE VIEW hazards_by_month AS\n"
    "  SELECT substr(i.date, 1, 7) AS month,\n"
    "         sum(a.severity = 'general') AS general, sum(a.severity = 'major') AS major\n"
    "  FROM actions a JOIN inspections i ON i.id = a.inspection_id WHERE a.voided_at IS NULL\n"
    "  GROUP BY month ORDER BY month;\n",
    /* 6: the site's district, squad and industry as they were when an
       inspection or a measure was recorded, so the figures group by the site's
       history (figures.c). Older rows stay NULL, which reads as "the site's
       values now": filling them in would change rows the log vouched for. */
    "ALTER TABLE inspections ADD COLUMN district TEXT;\n"
    "ALTER TABLE inspections ADD COLUMN squad TEXT;\n"
    "ALTER TABLE inspections ADD COLUMN industry TEXT;\n"
    "ALTER TABLE enforcement ADD COLUMN district TEXT;\n"
    "ALTER TABLE enforcement ADD COLUMN squad TEXT;\n"
    "ALTER TABLE enforcement ADD COLUMN industry TEXT;\n",
    /* 7: the people who sign in to `serve` (users.c): accounts, logged and
       audited like the other records; sessions and failed sign-ins, which are
       neither (a session is a key, kept only as its SHA-256) */
    "CREATE TABLE users (\n"
    "  name TEXT PRIMARY KEY, role TEXT NOT NULL, squad TEXT, sites TEXT NOT NULL DEFAULT '[]',\n"
    "  password TEXT NOT NULL, disabled_at TEXT, created_at TEXT NOT NULL,\n"
    "  updated_at TEXT NOT NULL) STRICT;\n"
    "CREATE TABLE sessions (\n"
    "  token_hash TEXT PRIMARY KEY, user TEXT NOT NULL REFERENCES users(name),\n"
    "  csrf TEXT NOT NULL, created INTEGER NOT NULL, seen INTEGER NOT NULL, address TEXT) STRICT;\n"
    "CREATE INDEX sessions_by_user ON sessions(user);\n"
    "CREATE TABLE sign_in_failures (\n"
    "  key TEXT PRIMARY KEY, count INTEGER NOT NULL, since INTEGER NOT NULL) STRICT;\n",
    /* 8: inspections being filled in on a page of `serve` (drafts.c), saved at
       every section so that a phone losing its signal loses nothing. Not a
       record: neither logged nor audited, and gone once submitted. */
    "CREATE TABLE drafts (\n"
    "  id TEXT PRIMARY KEY, user TEXT NOT NULL REFERENCES users(name),\n"
    "  site_id TEXT NOT NULL REFERENCES sites(id), checklist TEXT NOT NULL, kind TEXT NOT NULL,\n"
    "  date TEXT NOT NULL, answers TEXT NOT NULL DEFAULT '{}', created_at TEXT NOT NULL,\n"
    "  updated_at TEXT NOT NULL) STRICT;\n"
    "CREATE INDEX drafts_by_user ON drafts(user);\n",
    /* 9: what every page of `serve` asks, by index rather than by reading every
       row: a site's open actions (counted, and listed by deadline), all actions
       in the order the lists show them, and a site's last inspection that stands. Partial, so they hold only those rows; a query
       uses them when its WHERE names the same conditions; actions_open holds
       the columns of its condition too, so that a count reads the index alone. */
    "CREATE INDEX actions_open ON actions(site_id, deadline, status, voided_at)"
    " WHERE status <> 'verified' AND voided_at IS NULL;\n"
    "CREATE INDEX actions_due ON actions(deadline, id) WHERE status <> 'verified' AND voided_at IS NULL;\n"
    "CREATE INDEX actions_order ON actions(voided_at IS NOT NULL, status = 'verified', deadline, id);\n"
    "CREATE INDEX inspections_live ON inspections(site_id, date) WHERE voided_at IS NULL;\n",
    /* 10: how many actions are open, by site and deadline, kept by triggers
       (so no writer can forget it, whatever the path: record, a step, a
       correction, an import). Every page counts open and overdue actions, and
       counting them row by row grew with the store (a district's year is tens
       of thousands); this table has a row per site and deadline day, so a
       count is a sum over a few hundred rows, however many actions there are.
       Derived, not a record: neither logged nor audited, rebuilt here. */
    "CREATE TABLE open_days (\n"
    "  site_id TEXT NOT NULL, deadline TEXT NOT NULL, n INTEGER NOT NULL,\n"
    "  PRIMARY KEY (site_id, deadline)) STRICT, WITHOUT ROWID;\n"
    "CREATE INDEX open_days_by_deadline ON open_days(deadline);\n"
    "CREATE TRIGGER open_days_insert AFTER INSERT ON actions\n"
    "  WHEN NEW.status <> 'verified' AND NEW.voided_at IS NULL BEGIN\n"
    "  INSERT INTO open_days VALUES (NEW.site_id, NEW.deadline, 1)\n"
    "    ON CONFLICT (site_id, deadline) DO UPDATE SET n = n + 1;\n"
    "END;\n"
    "CREATE TRIGGER open_days_delete AFTER DELETE ON actions\n"
    "  WHEN OLD.status <> 'verified' AND OLD.voided_at IS NULL BEGIN\n"
    "  UPDATE open_days SET n = n - 1 WHERE site_id = OLD.site_id AND deadline = OLD.deadline;\n"
    "  DELETE FROM open_days WHERE site_id = OLD.site_id AND deadline = OLD.deadline AND n <= 0;\n"
    "END;\n"
    "CREATE TRIGGER open_days_leave AFTER UPDATE OF status, voided_at, deadline, site_id ON actions\n"
    "  WHEN OLD.status <> 'verified' AND OLD.voided_at IS NULL BEGIN\n"
    "  UPDATE open_days SET n = n - 1 WHERE site_id = OLD.site_id AND deadline = OLD.deadline;\n"
    "  DELETE FROM open_days WHERE site_id = OLD.site_id AND deadline = OLD.deadline AND n <= 0;\n"
    "END;\n"
    "CREATE TRIGGER open_days_enter AFTER UPDATE OF status, voided_at, deadline, site_id ON actions\n"
    "  WHEN NEW.status <> 'verified' AND NEW.voided_at IS NULL BEGIN\n"
    "  INSERT INTO open_days VALUES (NEW.site_id, NEW.deadline, 1)\n"
    "    ON CONFLICT (site_id, deadline) DO UPDATE SET n = n + 1;\n"
    "END;\n"
    "INSERT INTO open_days SELECT site_id, deadline, count(*) FROM actions\n"
    "  WHERE status <> 'verified' AND voided_at IS NULL GROUP BY site_id, deadline;\n",
};
#define NMIGRATIONS (sizeof migrations / sizeof migrations[0])

static int query_int(hc_store *s, const char *sql, int *out)
{
    hc_stmt *st = hc_sql_prepare(s, sql, NULL);
    if (st == NULL) return -1;
    int rc = hc_sql_step(st);
    if (rc == HC_SQL_ROW) *out = (int)hc_sql_int(st, 0);
    hc_sql_finalize(st);
    return rc == HC_SQL_ROW ? 0 : -1;
}

static int migrate(hc_store *s, hc_diags *d)
{
    if (hc_store_begin(s, d)) return -1;
    int v = 0;
    if (query_int(s, "PRAGMA user_version", &v) != 0) {
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
        query_int(s, "PRAGMA application_id", &app);
        query_int(s, "SELECT count(*) FROM sqlite_schema", &tables);
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
    if (v > 0 && v < 4 && hc_store_audit_baseline(s, d) != 0) {
        hc_store_rollback(s);
        return -1;
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

/* Waiting for another writer's lock: asked again every millisecond, up to
   HC_BUSY_MS in all. SQLite's own busy timeout backs off to a try every
   100 ms, which would miss the short turn a batch leaves between its groups
   (store.c), and wait for the whole batch. */
static int wait_for_the_lock(void *arg, int tries)
{
    hc_store *s = arg;
    long long now = hc_clock_ms();
    if (tries == 0) s->busy_since = now;
    if (now - s->busy_since >= HC_BUSY_MS) return 0;
    struct timespec ms = {0, 1000000L};
    nanosleep(&ms, NULL);
    return 1;
}

/* SQLite keeps memory statistics behind one process-wide mutex, taken on
   every allocation: `serve`'s readers queued on it. We never read them. Set
   once, before SQLite starts (afterwards sqlite3_config refuses, harmlessly). */
static void configure_sqlite(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int hc_store_is_uri(const char *where)
{
    return strncmp(where, "postgresql://", 13) == 0 || strncmp(where, "postgres://", 11) == 0;
}

/* A URI as messages show it: its password, if it has one, left out. */
static char *shown_uri(const char *uri)
{
    const char *auth = strstr(uri, "://") + 3;
    const char *at = strchr(auth, '@');
    const char *slash = strchr(auth, '/');
    const char *colon = strchr(auth, ':');
    if (at == NULL || (slash && slash < at) || colon == NULL || colon > at) {
        /* a password may also come as ?password=...: cut the query at it */
        const char *pw = strstr(uri, "password=");
        if (pw == NULL) return hc_xstrdup(uri);
        hc_buf b = {0};
        hc_buf_put(&b, uri, (size_t)(pw - uri));
        hc_buf_puts(&b, "password=***");
        const char *amp = strchr(pw, '&');
        if (amp) hc_buf_puts(&b, amp);
        return hc_buf_take(&b);
    }
    hc_buf b = {0};
    hc_buf_put(&b, uri, (size_t)(colon - uri));
    hc_buf_puts(&b, ":***");
    hc_buf_puts(&b, at);
    return hc_buf_take(&b);
}

/* PostgreSQL: the schema made once, by the first hazcheck to open an empty
   database (the others wait on the write lock), or its version checked. */
static int migrate_pg(hc_store *s, hc_diags *d)
{
    if (hc_store_begin(s, d)) return -1;
    int have_meta = 0, tables = 0, v = 0;
    if (query_int(s, "SELECT count(*) FROM information_schema.tables"
                      " WHERE table_schema = current_schema() AND table_name = 'meta'", &have_meta) ||
        query_int(s, "SELECT count(*) FROM information_schema.tables"
                      " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'", &tables)) {
        hc_store_rollback(s);
        return hc_store_error(s, d, "reading the schema version");
    }
    if (have_meta && query_int(s, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'schema'", &v)) v = 0;
    if (!have_meta && tables > 0) {
        hc_store_rollback(s);
        hc_diags_add(d, HC_ERROR, s->path, 0, 0, "not a hazcheck database (it has tables of something else)");
        return -1;
    }
    if (v > hc_pg_schema_version) {
        hc_store_rollback(s);
        hc_diags_add(d, HC_ERROR, s->path, 0, 0,
                     "database schema version %d is newer than this hazcheck knows (%d); "
                     "use a newer hazcheck",
                     v, hc_pg_schema_version);
        return -1;
    }
    if (!have_meta) {
        char sql[128];
        snprintf(sql, sizeof sql, "INSERT INTO meta (key, value) VALUES ('schema', '%d'), ('application', '%d')",
                 hc_pg_schema_version, HC_APPLICATION_ID);
        if (hc_store_exec(s, hc_pg_schema, d) || hc_store_exec(s, sql, d)) {
            hc_store_rollback(s);
            return -1;
        }
    }
    return hc_store_commit(s, d);
}

static hc_store *open_pg(hc_store *s, const char *uri, hc_diags *d)
{
    if (hc_pg_connect(s, uri, d) != 0 || migrate_pg(s, d) != 0) {
        hc_store_close(&s);
        return NULL;
    }
    return s;
}

hc_store *hc_store_open(const char *path, hc_diags *d)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, configure_sqlite);
    if (path == NULL || *path == '\0') {
        /* SQLite would open a private temporary database, gone at close: records lost */
        hc_diags_add(d, HC_ERROR, NULL, 0, 0,
                     "no database named; expected a database file or a postgresql:// URI");
        return NULL;
    }
    hc_store *s = hc_xcalloc(1, sizeof *s);
    s->path = hc_store_is_uri(path) ? shown_uri(path) : hc_xstrdup(path);
    s->actor = hc_xstrdup("unknown");
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(s->today, sizeof s->today, "%Y-%m-%d", &tm);
    if (hc_store_is_uri(path)) return open_pg(s, path, d);
    int rc = sqlite3_open_v2(path, &s->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW |
                                 SQLITE_OPEN_NOMUTEX,   /* a store is one thread's at a time */
                             NULL);
    if (rc != SQLITE_OK) {
        hc_diags_add(d, HC_ERROR, path, 0, 0, "cannot open the database: %s",
                     s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        hc_store_close(&s);
        return NULL;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_handler(s->db, wait_for_the_lock, s);
    sqlite3_db_config(s->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(s->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    sqlite3_db_config(s->db, SQLITE_DBCONFIG_DQS_DML, 0, NULL);
    sqlite3_db_config(s->db, SQLITE_DBCONFIG_DQS_DDL, 0, NULL);
    /* WAL: readers never block the writer; FULL sync: a recorded inspection
       survives a power cut (it may be evidence). */
    /* Two inspectors may open a fresh file at the same moment: switching it to
       WAL can then fail with SQLITE_BUSY without the busy handler being asked,
       so retry the set-up for a while before giving up. A group commit (a
       transaction of a few hundred inspections, each a savepoint) stays in
       memory: the savepoints' journal (temp_store) and the changed pages (a
       16 MiB cache) would otherwise spill to disk mid-group, 115 writes an
       inspection instead of 20. */
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int attempt = 0;; attempt++) {
        hc_diags tmp = {0};
        int ok = hc_store_exec(s, "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; "
                                  "PRAGMA synchronous = FULL; PRAGMA temp_store = MEMORY; "
                                  "PRAGMA cache_size = -16384;", &tmp) == 0 &&
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

