/*
** exchange.c: export and import between databases (an inspector's laptop
** and the office), cli.md "Records you can trust".
**
** THE BUNDLE
**
** A stream of JSON documents, one per line, separated by lines "---" (so
** the YAML reader of doc.c reads it one document at a time and an import
** of any size holds one record in memory):
**
**   {"hazcheck_export":1,"since":"2026-09-01","exported_at":"2026-09-20T08:00:00Z"}
**   ---
**   {"type":"site","id":...,"name":...,...every column of sites...}
**   ---
**   {"type":"inspection",...every column of inspections...,"findings":[{...},...]}
**   ---
**   {"type":"action","uid":"<inspection>#<item>",...every column but the local id...}
**   ---
**   {"type":"enforcement","uid":...,...every column but the local id...}
**   ---
**   {"type":"event","uid":...,"at":...,"by":...,"kind":...,"subject":...,
**    "site_id":...,"note":...,"data":...}
**   ---
**   {"type":"end","records":N}
**
** Keys are the column names; a NULL column is null. Text columns that hold
** JSON themselves (a site's profile, an inspection's result, basis, inputs,
** evidence, an event's data) travel as JSON strings, byte for byte, so an
** event's fields are the same in every database. Reals are written with the
** fewest digits that read back to the same double. The "since" of the header
** is null for a full export.
**
** Records come in an order that keeps foreign keys whole on import: sites,
** inspections (in the order they were recorded, so a re-inspection follows
** the inspection it re-inspects), actions, enforcement, then events in the
** order of the exporting log. The "end" record counts the records before it;
** a bundle without it (cut short at a line boundary) or with another count
** is refused.
**
** WHAT --since DATE SELECTS (NULL: everything)
**
**   inspections  date >= since or recorded_at >= since (an inspection of
**                an earlier day entered late), plus those the rows below
**                need: the inspection and last re-inspection of every
**                action exported, and the inspection each one re-inspects
**                (back to the first);
**   actions      those of the inspections above (as first or as last
**                inspection: a re-inspection since moves an older action),
**                plus every action with an action event at >= since
**                (changed since);
**   enforcement  date >= since, or entered since (the time that ends its
**                uid, as sites.c makes it);
**   events       at >= since (times are compared as text: a date sorts
**                before every time of that day);
**   sites        updated_at >= since, plus every site an exported
**                inspection, action or enforcement measure names.
**
** IMPORT: MERGE RULES
**
** The whole bundle is one transaction (BEGIN IMMEDIATE ... COMMIT): a bad
** record anywhere leaves the database as it was, and the error names the
** bundle, its line and what was expected. Unknown record types, unknown or
** missing fields and values of the wrong type are refused.
**
**   site         its profile must be JSON text of a mapping with the
**                site's id. Inserted when missing, with its listed/state as
**                exported. When present with a different profile, the newer
**                one by updated_at wins: the imported name, district,
**                industry, squad, inspector, contact, profile and
**                updated_at replace ours only if its updated_at is later
**                (at the same second, the profile whose text sorts last, so
**                both databases end with the same one). The listed/state
**                of a site already present are never taken from the record:
**                they follow the enforcement measures (below).
**   inspection   inserted with its findings when its id is missing, else
**                skipped (an inspection never changes once recorded).
**   action       matched by uid; inserted when missing. When present, the
**                imported one wins only if it is further along
**                (open < rectified < verified): then its status, cost and
**                closed_on replace ours, and its assignee and
**                last_inspection_id too when they are not null. At the same
**                status we only fill an assignee we lack. An action behind
**                ours changes nothing: a reopen (rectified -> open) does not
**                travel as a step back; its event does. The other columns
**                (title, message, deadline, ...) are the first database's.
**   enforcement  matched by uid; inserted when missing. The site's listed
**                and state are then worked out again from every measure the
**                database now holds for that site, latest first (by date,
**                then the time in the uid, then the row): listed follows
**                the latest list/delist; state is closed after any
**                close-down (closing is final, as in sites.c), else follows
**                the latest suspend/resume. With no measure of a kind the
**                value stays as it was. So a measure older than one we
**                already have does not undo it.
**   event        skipped when its uid is present; otherwise appended to
**                our hash chain with hc_store_append_event, keeping its
**                uid, at, by, kind, subject, site, note and data, in bundle
**                order. The chain is ours (prev_hash/hash are recomputed),
**                so hazcheck audit verify passes after an import.
**
** The import writes no event of its own: the rows it brings are described
** by the events that travel with them. Importing the same bundle twice
** changes nothing.
**
** Statements are prepared here and finalized at the end rather than kept
** in the store's 64-slot cache, which the other modules share.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "store/store.h"

#define BUNDLE_VERSION 1

/* ================================================================ export */

/* A record being written: one JSON object on one line. */
typedef struct outrec {
    hc_buf b;
    int first;
} outrec;

static void rec_begin(outrec *r, const char *type)
{
    hc_buf_reset(&r->b);
    hc_buf_puts(&r->b, "{\"type\":");
    hc_json_quote(&r->b, type, strlen(type));
    r->first = 0;
}

static void rec_key(outrec *r, const char *k)
{
    if (!r->first) hc_buf_putc(&r->b, ',');
    r->first = 0;
    hc_json_quote(&r->b, k, strlen(k));
    hc_buf_putc(&r->b, ':');
}

/* The shortest text that reads back as the same double. */
static void put_real(hc_buf *b, double x)
{
    if (!isfinite(x)) {
        hc_buf_puts(b, "null");
        return;
    }
    char tmp[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, x);
        if (strtod(tmp, NULL) == x) break;
    }
    /* "1e+20" is JSON; a bare integer-looking text reads back as a number too */
    hc_buf_puts(b, tmp);
}

/* Every column of the current row as "name":value. */
static void put_columns(outrec *r, sqlite3_stmt *st)
{
    int n = sqlite3_column_count(st);
    for (int i = 0; i < n; i++) {
        rec_key(r, sqlite3_column_name(st, i));
        switch (sqlite3_column_type(st, i)) {
        case SQLITE_NULL: hc_buf_puts(&r->b, "null"); break;
        case SQLITE_INTEGER: hc_buf_printf(&r->b, "%lld", (long long)sqlite3_column_int64(st, i)); break;
        case SQLITE_FLOAT: put_real(&r->b, sqlite3_column_double(st, i)); break;
        default: {
            const char *t = (const char *)sqlite3_column_text(st, i);
            hc_json_quote(&r->b, t ? t : "", (size_t)sqlite3_column_bytes(st, i));
        }
        }
    }
}

static void rec_write(outrec *r, FILE *out, size_t *count)
{
    hc_buf_puts(&r->b, "}\n---\n");
    fwrite(r->b.data, 1, r->b.len, out);
    (*count)++;
}

/* Which inspections and actions --since selects (see the header comment);
   ?1 is the date or NULL. ins0: the inspections of the period; act: the
   actions exported; ins: ins0 and the inspections those actions and
   re-inspections refer to. */
#define SELECTED                                                                               \
    "WITH RECURSIVE"                                                                           \
    " ins0(id) AS (SELECT id FROM inspections"                                                 \
    "  WHERE ?1 IS NULL OR date >= ?1 OR recorded_at >= ?1),"                                  \
    " act(uid) AS ("                                                                           \
    "  SELECT uid FROM actions WHERE ?1 IS NULL"                                               \
    "   OR inspection_id IN (SELECT id FROM ins0) OR last_inspection_id IN (SELECT id FROM ins0)" \
    "  UNION SELECT subject FROM events"                                                       \
    "   WHERE ?1 IS NOT NULL AND at >= ?1 AND kind LIKE 'action.%'),"                          \
    " ins(id) AS ("                                                                            \
    "  SELECT id FROM ins0"                                                                    \
    "  UNION SELECT inspection_id FROM actions WHERE uid IN (SELECT uid FROM act)"             \
    "  UNION SELECT last_inspection_id FROM actions"                                           \
    "   WHERE last_inspection_id IS NOT NULL AND uid IN (SELECT uid FROM act)"                 \
    "  UNION SELECT i.parent FROM inspections i JOIN ins ON i.id = ins.id"                     \
    "   WHERE i.parent IS NOT NULL)"

/* Enforcement of the period: dated since, or entered since (the uid ends with
   the time it was entered, as sites.c makes it). */
#define ENFORCEMENT_SINCE "(?1 IS NULL OR date >= ?1 OR substr(uid, -20) >= ?1)"

static const char SQL_SITES[] =
    SELECTED
    " SELECT id, name, district, industry, squad, inspector, contact, profile, listed, state,"
    " created_at, updated_at FROM sites"
    " WHERE ?1 IS NULL OR updated_at >= ?1"
    "  OR id IN (SELECT site_id FROM inspections WHERE id IN (SELECT id FROM ins))"
    "  OR id IN (SELECT site_id FROM actions WHERE uid IN (SELECT uid FROM act))"
    "  OR id IN (SELECT site_id FROM enforcement WHERE " ENFORCEMENT_SINCE ")"
    " ORDER BY id";

/* rowid: the order they were recorded in, so a parent comes before its re-inspection */
static const char SQL_INSPECTIONS[] =
    SELECTED
    " SELECT id, site_id, checklist, checklist_version, checklist_sha256, date, inspector, kind,"
    " parent, verdict, score, result, recorded_at, recorded_by FROM inspections"
    " WHERE id IN (SELECT id FROM ins) ORDER BY rowid";

static const char SQL_FINDINGS[] =
    "SELECT item, title, section, status, severity, message, basis, remedy, ord, deadline,"
    " inputs, note, evidence FROM findings WHERE inspection_id = ? ORDER BY rowid";

static const char SQL_ACTIONS[] =
    SELECTED
    " SELECT uid, site_id, inspection_id, item, title, severity, message, basis, remedy, ord,"
    " deadline, status, assignee, supervisor, cost, last_inspection_id, opened_on, closed_on"
    " FROM actions WHERE uid IN (SELECT uid FROM act) ORDER BY id";

static const char SQL_ENFORCEMENT[] =
    "SELECT uid, site_id, measure, date, amount, basis, note, by FROM enforcement"
    " WHERE " ENFORCEMENT_SINCE " ORDER BY id";

static const char SQL_EVENTS[] =
    "SELECT uid, at, by, kind, subject, site_id, note, data FROM events"
    " WHERE ?1 IS NULL OR at >= ?1 ORDER BY seq";

/* Write one record per row of 'sql'; inspections carry their findings. */
static int export_rows(hc_store *s, const char *sql, const char *type, const char *since,
                       FILE *out, outrec *r, size_t *count, hc_diags *d)
{
    sqlite3_stmt *st = NULL, *fst = NULL;
    int is_inspection = strcmp(type, "inspection") == 0;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK ||
        (is_inspection && sqlite3_prepare_v2(s->db, SQL_FINDINGS, -1, &fst, NULL) != SQLITE_OK)) {
        hc_store_error(s, d, "preparing the export");
        sqlite3_finalize(st);
        return -1;
    }
    hc_bind_text(st, 1, since);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        rec_begin(r, type);
        put_columns(r, st);
        if (is_inspection) {
            rec_key(r, "findings");
            hc_buf_putc(&r->b, '[');
            sqlite3_reset(fst);
            hc_bind_text(fst, 1, (const char *)sqlite3_column_text(st, 0));
            int frc, nf = 0;
            while ((frc = sqlite3_step(fst)) == SQLITE_ROW) {
                if (nf++) hc_buf_putc(&r->b, ',');
                hc_buf_putc(&r->b, '{');
                r->first = 1;
                put_columns(r, fst);
                hc_buf_putc(&r->b, '}');
            }
            if (frc != SQLITE_DONE) {
                rc = frc;
                break;
            }
            hc_buf_putc(&r->b, ']');
        }
        rec_write(r, out, count);
    }
    sqlite3_finalize(fst);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return hc_store_error(s, d, "reading for the export");
    return 0;
}

int hc_store_export(hc_store *s, const char *since, FILE *out, hc_diags *d)
{
    long days;
    if (since && hc_date_parse(since, strlen(since), &days) != 0) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "--since '%s'; expected a date YYYY-MM-DD", since);
        return -1;
    }
    /* one read transaction: the bundle is a snapshot even while others write */
    if (hc_store_exec(s, "BEGIN", d)) return -1;
    char now[21];
    hc_store_now(now);
    outrec r = {{0}, 0};
    hc_buf_printf(&r.b, "{\"hazcheck_export\":%d,\"since\":", BUNDLE_VERSION);
    if (since) hc_json_quote(&r.b, since, strlen(since));
    else hc_buf_puts(&r.b, "null");
    hc_buf_printf(&r.b, ",\"exported_at\":\"%s\"}\n---\n", now);
    fwrite(r.b.data, 1, r.b.len, out);
    size_t count = 0;
    int rc = 0;
    static const struct { const char *sql, *type; } parts[] = {
        {SQL_SITES, "site"},
        {SQL_INSPECTIONS, "inspection"},
        {SQL_ACTIONS, "action"},
        {SQL_ENFORCEMENT, "enforcement"},
        {SQL_EVENTS, "event"},
    };
    for (size_t i = 0; rc == 0 && i < sizeof parts / sizeof parts[0]; i++)
        rc = export_rows(s, parts[i].sql, parts[i].type, since, out, &r, &count, d);
    hc_store_rollback(s);     /* nothing was written; ends the read transaction */
    if (rc == 0) {
        hc_buf_reset(&r.b);
        hc_buf_printf(&r.b, "{\"type\":\"end\",\"records\":%zu}\n", count);
        fwrite(r.b.data, 1, r.b.len, out);
    }
    hc_buf_free(&r.b);
    if (rc == 0 && (fflush(out) != 0 || ferror(out))) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "export: could not write the bundle");
        rc = -1;
    }
    return rc;
}

/* ================================================================ import */

typedef enum { F_TEXT, F_DATE, F_TIME, F_REAL, F_BOOL } field_kind;

typedef struct field {
    const char *name;
    field_kind kind;
    int required;             /* not null */
    const char *const *allowed;   /* F_TEXT: the values allowed, or NULL */
} field;

static const char *const STATES[] = {"operating", "suspended", "closed", NULL};
static const char *const SEVERITIES[] = {"general", "major", NULL};
static const char *const ACTION_STATUS[] = {"open", "rectified", "verified", NULL};
static const char *const MEASURES[] = {"interview", "list", "delist", "penalty", "suspend",
                                       "resume", "close-down", NULL};

/* The fields of each record type, in the order of the statements' parameters. */
static const field SITE_F[] = {
    {"id", F_TEXT, 1, NULL},          {"name", F_TEXT, 1, NULL},
    {"district", F_TEXT, 0, NULL},    {"industry", F_TEXT, 0, NULL},
    {"squad", F_TEXT, 0, NULL},       {"inspector", F_TEXT, 0, NULL},
    {"contact", F_TEXT, 0, NULL},     {"profile", F_TEXT, 1, NULL},
    {"listed", F_BOOL, 1, NULL},      {"state", F_TEXT, 1, STATES},
    {"created_at", F_TIME, 1, NULL},  {"updated_at", F_TIME, 1, NULL},
};
static const field INSPECTION_F[] = {
    {"id", F_TEXT, 1, NULL},          {"site_id", F_TEXT, 1, NULL},
    {"checklist", F_TEXT, 1, NULL},   {"checklist_version", F_TEXT, 1, NULL},
    {"checklist_sha256", F_TEXT, 1, NULL}, {"date", F_DATE, 1, NULL},
    {"inspector", F_TEXT, 0, NULL},   {"kind", F_TEXT, 1, NULL},
    {"parent", F_TEXT, 0, NULL},      {"verdict", F_TEXT, 1, NULL},
    {"score", F_REAL, 1, NULL},       {"result", F_TEXT, 1, NULL},
    {"recorded_at", F_TIME, 1, NULL}, {"recorded_by", F_TEXT, 1, NULL},
};
/* parameter 1 is the inspection id; these are 2.. */
static const field FINDING_F[] = {
    {"item", F_TEXT, 1, NULL},        {"title", F_TEXT, 1, NULL},
    {"section", F_TEXT, 0, NULL},     {"status", F_TEXT, 1, NULL},
    {"severity", F_TEXT, 1, NULL},    {"message", F_TEXT, 0, NULL},
    {"basis", F_TEXT, 0, NULL},       {"remedy", F_TEXT, 0, NULL},
    {"ord", F_TEXT, 0, NULL},         {"deadline", F_DATE, 0, NULL},
    {"inputs", F_TEXT, 0, NULL},      {"note", F_TEXT, 0, NULL},
    {"evidence", F_TEXT, 0, NULL},
};
static const field ACTION_F[] = {
    {"uid", F_TEXT, 1, NULL},         {"site_id", F_TEXT, 1, NULL},
    {"inspection_id", F_TEXT, 1, NULL}, {"item", F_TEXT, 1, NULL},
    {"title", F_TEXT, 1, NULL},       {"severity", F_TEXT, 1, SEVERITIES},
    {"message", F_TEXT, 0, NULL},     {"basis", F_TEXT, 0, NULL},
    {"remedy", F_TEXT, 0, NULL},      {"ord", F_TEXT, 0, NULL},
    {"deadline", F_DATE, 1, NULL},    {"status", F_TEXT, 1, ACTION_STATUS},
    {"assignee", F_TEXT, 0, NULL},    {"supervisor", F_TEXT, 0, NULL},
    {"cost", F_REAL, 1, NULL},        {"last_inspection_id", F_TEXT, 0, NULL},
    {"opened_on", F_DATE, 1, NULL},   {"closed_on", F_DATE, 0, NULL},
};
static const field ENFORCEMENT_F[] = {
    {"uid", F_TEXT, 1, NULL},         {"site_id", F_TEXT, 1, NULL},
    {"measure", F_TEXT, 1, MEASURES}, {"date", F_DATE, 1, NULL},
    {"amount", F_REAL, 0, NULL},      {"basis", F_TEXT, 0, NULL},
    {"note", F_TEXT, 0, NULL},        {"by", F_TEXT, 1, NULL},
};
static const field EVENT_F[] = {
    {"uid", F_TEXT, 1, NULL},         {"at", F_TIME, 1, NULL},
    {"by", F_TEXT, 1, NULL},          {"kind", F_TEXT, 1, NULL},
    {"subject", F_TEXT, 1, NULL},     {"site_id", F_TEXT, 0, NULL},
    {"note", F_TEXT, 0, NULL},        {"data", F_TEXT, 0, NULL},
};
#define NF(a) (sizeof(a) / sizeof(a)[0])
#define MAXF 18

typedef struct val {
    const char *s;            /* text; NULL for null */
    double x;
    int null;
} val;

/* The statements of an import, prepared on first use. */
enum {
    Q_SITE_GET, Q_SITE_INS, Q_SITE_UPD, Q_INS_GET, Q_INS_INS, Q_FIND_INS, Q_ACT_GET, Q_ACT_INS,
    Q_ACT_AHEAD, Q_ACT_ASSIGNEE, Q_ENF_GET, Q_ENF_INS, Q_SITE_STATUS, Q_EV_GET, Q_N
};
static const char *const QSQL[Q_N] = {
    [Q_SITE_GET] = "SELECT profile, updated_at FROM sites WHERE id = ?1",
    [Q_SITE_INS] = "INSERT INTO sites (id, name, district, industry, squad, inspector, contact,"
                   " profile, listed, state, created_at, updated_at)"
                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    /* the same parameters; ?9..?11 (listed, state, created_at) are bound but not taken */
    [Q_SITE_UPD] = "UPDATE sites SET name = ?2, district = ?3, industry = ?4, squad = ?5,"
                   " inspector = ?6, contact = ?7, profile = ?8, updated_at = ?12"
                   " WHERE id = ?1 AND (updated_at < ?12 OR (updated_at = ?12 AND profile < ?8))",
    [Q_INS_GET] = "SELECT 1 FROM inspections WHERE id = ?1",
    [Q_INS_INS] = "INSERT INTO inspections (id, site_id, checklist, checklist_version,"
                  " checklist_sha256, date, inspector, kind, parent, verdict, score, result,"
                  " recorded_at, recorded_by)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    [Q_FIND_INS] = "INSERT INTO findings (inspection_id, item, title, section, status, severity,"
                   " message, basis, remedy, ord, deadline, inputs, note, evidence)"
                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    [Q_ACT_GET] = "SELECT status, assignee IS NULL FROM actions WHERE uid = ?1",
    [Q_ACT_INS] = "INSERT INTO actions (uid, site_id, inspection_id, item, title, severity,"
                  " message, basis, remedy, ord, deadline, status, assignee, supervisor, cost,"
                  " last_inspection_id, opened_on, closed_on)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
                  " ?16, ?17, ?18)",
    /* the imported action is further along: ?12 status, ?13 assignee, ?15 cost,
       ?16 last inspection, ?18 closed_on */
    [Q_ACT_AHEAD] = "UPDATE actions SET status = ?2, assignee = coalesce(?3, assignee), cost = ?4,"
                    " last_inspection_id = coalesce(?5, last_inspection_id), closed_on = ?6"
                    " WHERE uid = ?1",
    [Q_ACT_ASSIGNEE] = "UPDATE actions SET assignee = ?2 WHERE uid = ?1 AND assignee IS NULL",
    [Q_ENF_GET] = "SELECT 1 FROM enforcement WHERE uid = ?1",
    [Q_ENF_INS] = "INSERT INTO enforcement (uid, site_id, measure, date, amount, basis, note, by)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    /* listed and state again from every measure held for the site (header comment) */
    [Q_SITE_STATUS] =
        "UPDATE sites SET"
        " listed = coalesce((SELECT e.measure = 'list' FROM enforcement e"
        "   WHERE e.site_id = sites.id AND e.measure IN ('list', 'delist')"
        "   ORDER BY e.date DESC, substr(e.uid, -20) DESC, e.id DESC LIMIT 1), listed),"
        " state = CASE WHEN EXISTS (SELECT 1 FROM enforcement e"
        "   WHERE e.site_id = sites.id AND e.measure = 'close-down') THEN 'closed'"
        "  ELSE coalesce((SELECT CASE e.measure WHEN 'suspend' THEN 'suspended' ELSE 'operating' END"
        "   FROM enforcement e WHERE e.site_id = sites.id AND e.measure IN ('suspend', 'resume')"
        "   ORDER BY e.date DESC, substr(e.uid, -20) DESC, e.id DESC LIMIT 1), state) END"
        " WHERE id = ?1",
    [Q_EV_GET] = "SELECT 1 FROM events WHERE uid = ?1",
};

typedef struct importer {
    hc_store *s;
    const char *path;
    hc_diags *d;
    sqlite3_stmt *q[Q_N];
    size_t records;
    unsigned line;            /* of the record being read */
    const char *type;
} importer;

static sqlite3_stmt *q(importer *im, int which)
{
    if (im->q[which] == NULL) {
        if (sqlite3_prepare_v2(im->s->db, QSQL[which], -1, &im->q[which], NULL) != SQLITE_OK) {
            hc_store_error(im->s, im->d, "preparing the import");
            im->q[which] = NULL;
            return NULL;
        }
    } else {
        sqlite3_reset(im->q[which]);
        sqlite3_clear_bindings(im->q[which]);
    }
    return im->q[which];
}

/* An error at a node of the record being read (n NULL: the record). */
static int bad(importer *im, const hc_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int bad(importer *im, const hc_node *n, const char *fmt, ...)
{
    hc_buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    hc_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    if (im->type) hc_diags_add(im->d, HC_ERROR, im->path, n ? n->line : im->line, n ? n->col : 1,
                               "%s record: %s", im->type, b.data);
    else hc_diags_add(im->d, HC_ERROR, im->path, n ? n->line : im->line, n ? n->col : 1, "%s", b.data);
    hc_buf_free(&b);
    return -1;
}

/* A statement that failed: the database's reason, at the record's line. */
static int db_bad(importer *im, const char *what)
{
    int ext = sqlite3_extended_errcode(im->s->db);
    if (ext == SQLITE_CONSTRAINT_FOREIGNKEY)
        return bad(im, NULL, "%s: it refers to a site or inspection that is neither in the "
                             "database nor earlier in the bundle",
                   what);
    if (hc_store_fatal(im->s)) {
        /* the database, not the bundle, is at fault: name the database */
        hc_diags_add(im->d, HC_ERROR, im->s->path, 0, 0, "database: %s (while importing: %s)",
                     sqlite3_errmsg(im->s->db), what);
        return -1;
    }
    return bad(im, NULL, "%s: database: %s", what, sqlite3_errmsg(im->s->db));
}

static int is_time(const char *t)
{
    /* 2026-09-09T10:11:12Z */
    static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
    if (strlen(t) != sizeof shape - 1) return 0;
    for (size_t i = 0; shape[i]; i++) {
        if (shape[i] == 'd' ? (t[i] < '0' || t[i] > '9') : t[i] != shape[i]) return 0;
    }
    long days;
    return hc_date_parse(t, 10, &days) == 0;
}

static const char *kind_expected(const field *f)
{
    switch (f->kind) {
    case F_DATE: return "a date \"YYYY-MM-DD\"";
    case F_TIME: return "a time \"YYYY-MM-DDTHH:MM:SSZ\"";
    case F_REAL: return "a number";
    case F_BOOL: return "true, false, 0 or 1";
    default: return "a string";
    }
}

/* Check the record's keys and read its fields into v (in field order). */
static int read_fields(importer *im, const hc_node *rec, const field *fs, size_t nf,
                       const char *extra_key, val *v)
{
    for (size_t k = 0; k < rec->len; k++) {
        const hc_node *key = rec->kids[2 * k];
        if (strcmp(key->str, "type") == 0 || (extra_key && strcmp(key->str, extra_key) == 0))
            continue;
        size_t i = 0;
        while (i < nf && strcmp(fs[i].name, key->str) != 0) i++;
        if (i == nf) {
            hc_buf names = {0};
            for (size_t j = 0; j < nf; j++) hc_buf_printf(&names, "%s%s", j ? ", " : "", fs[j].name);
            bad(im, key, "unknown field '%s'; expected %s", key->str, names.data);
            hc_buf_free(&names);
            return -1;
        }
    }
    for (size_t i = 0; i < nf; i++) {
        const field *f = &fs[i];
        const hc_node *n = hc_map_get(rec, f->name);
        memset(&v[i], 0, sizeof v[i]);
        v[i].null = 1;
        if (n == NULL) {
            if (f->required) return bad(im, NULL, "'%s' is missing; expected %s", f->name, kind_expected(f));
            continue;
        }
        if (n->kind != HC_SCALAR)
            return bad(im, n, "'%s' is %s; expected %s", f->name, hc_node_kind_name(n), kind_expected(f));
        int b = 0;
        int64_t iv = 0;
        double x = 0;
        hc_scalar_type t = hc_scalar_resolve(n, &b, &iv, &x);
        if (t == HC_SC_NULL) {
            if (f->required) return bad(im, n, "'%s' is null; expected %s", f->name, kind_expected(f));
            continue;
        }
        v[i].null = 0;
        switch (f->kind) {
        case F_REAL:
            if (t == HC_SC_INT) x = (double)iv;
            else if (t != HC_SC_FLOAT) return bad(im, n, "'%s' is \"%s\"; expected a number", f->name, n->str);
            v[i].x = x;
            break;
        case F_BOOL:
            if (t == HC_SC_BOOL) v[i].x = b;
            else if (t == HC_SC_INT && (iv == 0 || iv == 1)) v[i].x = (double)iv;
            else return bad(im, n, "'%s' is %s; expected %s", f->name, n->str, kind_expected(f));
            break;
        default:
            if (!n->quoted) return bad(im, n, "'%s' is %s; expected %s", f->name, n->str, kind_expected(f));
            if (strlen(n->str) != n->len)
                return bad(im, n, "'%s' holds a NUL character; expected text", f->name);
            if (i == 0 && n->len == 0)      /* the first field is the record's key */
                return bad(im, n, "'%s' is empty; expected %s", f->name, kind_expected(f));
            long days;
            if ((f->kind == F_DATE && hc_date_parse(n->str, n->len, &days) != 0) ||
                (f->kind == F_TIME && !is_time(n->str)))
                return bad(im, n, "'%s' is \"%s\"; expected %s", f->name, n->str, kind_expected(f));
            if (f->allowed) {
                size_t j = 0;
                while (f->allowed[j] && strcmp(f->allowed[j], n->str) != 0) j++;
                if (f->allowed[j] == NULL) {
                    hc_buf names = {0};
                    for (j = 0; f->allowed[j]; j++)
                        hc_buf_printf(&names, "%s%s", j ? (f->allowed[j + 1] ? ", " : " or ") : "",
                                      f->allowed[j]);
                    bad(im, n, "'%s' is \"%s\"; expected %s", f->name, n->str, names.data);
                    hc_buf_free(&names);
                    return -1;
                }
            }
            v[i].s = n->str;
        }
    }
    return 0;
}

/* Bind v to parameters first.. of st. */
static void bind_vals(sqlite3_stmt *st, int first, const field *fs, size_t nf, const val *v)
{
    for (size_t i = 0; i < nf; i++) {
        int p = first + (int)i;
        if (v[i].null) sqlite3_bind_null(st, p);
        else if (fs[i].kind == F_REAL) sqlite3_bind_double(st, p, v[i].x);
        else if (fs[i].kind == F_BOOL) sqlite3_bind_int(st, p, (int)v[i].x);
        else hc_bind_text(st, p, v[i].s);
    }
}

/* Run a statement that returns nothing. */
static int run(importer *im, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    int ok = rc == SQLITE_DONE;
    if (!ok) db_bad(im, what);
    sqlite3_reset(st);
    return ok ? 0 : -1;
}

/* 1 if the lookup finds a row (its first column copied to out, if given), 0 if not, -1 error. */
static int lookup(importer *im, int which, const char *key, char *out, size_t outlen, int *col1)
{
    sqlite3_stmt *st = q(im, which);
    if (st == NULL) return -1;
    hc_bind_text(st, 1, key);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        if (out) {
            const char *t = (const char *)sqlite3_column_text(st, 0);
            snprintf(out, outlen, "%s", t ? t : "");
        }
        if (col1) *col1 = sqlite3_column_int(st, 1);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW) return 1;
    if (rc == SQLITE_DONE) return 0;
    return db_bad(im, "looking it up");
}

static int import_site(importer *im, const hc_node *rec)
{
    val v[MAXF];
    if (read_fields(im, rec, SITE_F, NF(SITE_F), NULL, v)) return -1;
    /* the profile is what evaluations read: it must be a mapping with this id */
    hc_diags pd = {0};
    hc_reader *pr = hc_reader_open_mem("profile", v[7].s, strlen(v[7].s), NULL, &pd);
    hc_doc *pdoc = NULL;
    const hc_node *pid = NULL;
    if (pr && hc_reader_next(pr, &pdoc, &pd) == 1) pid = hc_map_get(hc_doc_root(pdoc), "id");
    int ok = pid && pid->kind == HC_SCALAR && strcmp(pid->str, v[0].s) == 0;
    hc_doc_free(&pdoc);
    hc_reader_close(&pr);
    hc_diags_clear(&pd);
    if (!ok)
        return bad(im, hc_map_get(rec, "profile"),
                   "'profile' is not a site profile of \"%s\"; expected the profile as JSON text "
                   "with \"id\": \"%s\"", v[0].s, v[0].s);
    sqlite3_stmt *st = q(im, Q_SITE_GET);
    if (st == NULL) return -1;
    hc_bind_text(st, 1, v[0].s);
    int rc = sqlite3_step(st);
    int same = 0;
    if (rc == SQLITE_ROW) same = strcmp((const char *)sqlite3_column_text(st, 0), v[7].s) == 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_bad(im, "reading the site register");
    if (same) return 0;
    /* missing: insert as exported; present and different: the newer profile wins
       (Q_SITE_UPD changes nothing unless ours is older) */
    st = q(im, rc == SQLITE_ROW ? Q_SITE_UPD : Q_SITE_INS);
    if (st == NULL) return -1;
    bind_vals(st, 1, SITE_F, NF(SITE_F), v);
    return run(im, st, rc == SQLITE_ROW ? "updating the site" : "adding the site");
}

static int import_inspection(importer *im, const hc_node *rec)
{
    val v[MAXF];
    if (read_fields(im, rec, INSPECTION_F, NF(INSPECTION_F), "findings", v)) return -1;
    const hc_node *fl = hc_map_get(rec, "findings");
    if (fl == NULL) return bad(im, NULL, "'findings' is missing; expected a list of findings");
    if (fl->kind != HC_SEQ)
        return bad(im, fl, "'findings' is %s; expected a list of findings", hc_node_kind_name(fl));
    for (size_t i = 0; i < fl->len; i++)
        if (fl->kids[i]->kind != HC_MAP)
            return bad(im, fl->kids[i], "a finding is %s; expected a mapping", hc_node_kind_name(fl->kids[i]));
    int ex = lookup(im, Q_INS_GET, v[0].s, NULL, 0, NULL);
    if (ex != 0) {
        if (ex < 0) return -1;
        /* present: skipped, but its findings are checked all the same, so a
           bad bundle is refused whatever the database holds */
        val fv[MAXF];
        for (size_t i = 0; i < fl->len; i++)
            if (read_fields(im, fl->kids[i], FINDING_F, NF(FINDING_F), NULL, fv)) return -1;
        return 0;
    }
    sqlite3_stmt *st = q(im, Q_INS_INS);
    if (st == NULL) return -1;
    bind_vals(st, 1, INSPECTION_F, NF(INSPECTION_F), v);
    if (run(im, st, "adding the inspection")) return -1;
    for (size_t i = 0; i < fl->len; i++) {
        val fv[MAXF];
        if (read_fields(im, fl->kids[i], FINDING_F, NF(FINDING_F), NULL, fv)) return -1;
        st = q(im, Q_FIND_INS);
        if (st == NULL) return -1;
        hc_bind_text(st, 1, v[0].s);
        bind_vals(st, 2, FINDING_F, NF(FINDING_F), fv);
        if (run(im, st, "adding a finding")) return -1;
    }
    return 0;
}

static int status_rank(const char *s)
{
    return strcmp(s, "verified") == 0 ? 2 : strcmp(s, "rectified") == 0 ? 1 : 0;
}

static int import_action(importer *im, const hc_node *rec)
{
    val v[MAXF];
    if (read_fields(im, rec, ACTION_F, NF(ACTION_F), NULL, v)) return -1;
    char status[16];
    int no_assignee = 0;
    int ex = lookup(im, Q_ACT_GET, v[0].s, status, sizeof status, &no_assignee);
    if (ex < 0) return -1;
    sqlite3_stmt *st;
    if (ex == 0) {
        st = q(im, Q_ACT_INS);
        if (st == NULL) return -1;
        bind_vals(st, 1, ACTION_F, NF(ACTION_F), v);
        return run(im, st, "adding the action");
    }
    /* indices in ACTION_F: 11 status, 12 assignee, 14 cost, 15 last_inspection_id, 17 closed_on */
    int ours = status_rank(status), theirs = status_rank(v[11].s);
    if (theirs > ours) {
        st = q(im, Q_ACT_AHEAD);
        if (st == NULL) return -1;
        hc_bind_text(st, 1, v[0].s);
        static const int take[] = {11, 12, 14, 15, 17};
        for (int k = 0; k < 5; k++) bind_vals(st, 2 + k, &ACTION_F[take[k]], 1, &v[take[k]]);
        return run(im, st, "updating the action");
    }
    if (theirs == ours && no_assignee && !v[12].null) {
        st = q(im, Q_ACT_ASSIGNEE);
        if (st == NULL) return -1;
        hc_bind_text(st, 1, v[0].s);
        hc_bind_text(st, 2, v[12].s);
        return run(im, st, "updating the action");
    }
    return 0;
}

static int import_enforcement(importer *im, const hc_node *rec)
{
    val v[MAXF];
    if (read_fields(im, rec, ENFORCEMENT_F, NF(ENFORCEMENT_F), NULL, v)) return -1;
    int ex = lookup(im, Q_ENF_GET, v[0].s, NULL, 0, NULL);
    if (ex != 0) return ex < 0 ? -1 : 0;
    sqlite3_stmt *st = q(im, Q_ENF_INS);
    if (st == NULL) return -1;
    bind_vals(st, 1, ENFORCEMENT_F, NF(ENFORCEMENT_F), v);
    if (run(im, st, "adding the measure")) return -1;
    st = q(im, Q_SITE_STATUS);
    if (st == NULL) return -1;
    hc_bind_text(st, 1, v[1].s);
    return run(im, st, "updating the site's status");
}

static int import_event(importer *im, const hc_node *rec)
{
    val v[MAXF];
    if (read_fields(im, rec, EVENT_F, NF(EVENT_F), NULL, v)) return -1;
    int ex = lookup(im, Q_EV_GET, v[0].s, NULL, 0, NULL);
    if (ex != 0) return ex < 0 ? -1 : 0;
    if (hc_store_append_event(im->s, v[0].s, v[1].s, v[2].s, v[3].s, v[4].s, v[5].s, v[6].s,
                              v[7].s, im->d) != 0)
        return bad(im, NULL, "could not append event %s to the log", v[0].s);
    return 0;
}

/* The header: {"hazcheck_export": 1, ...}. */
static int check_header(importer *im, const hc_node *root)
{
    const hc_node *n = root->kind == HC_MAP ? hc_map_get(root, "hazcheck_export") : NULL;
    if (n == NULL)
        return bad(im, root, "not a hazcheck export; expected the header "
                             "{\"hazcheck_export\": 1, \"since\": ..., \"exported_at\": ...} first");
    int64_t ver = 0;
    if (hc_scalar_resolve(n, NULL, &ver, NULL) != HC_SC_INT || ver != BUNDLE_VERSION)
        return bad(im, n, "bundle format %s is not one this hazcheck reads; expected %d",
                   n->kind == HC_SCALAR ? n->str : "?", BUNDLE_VERSION);
    return 0;
}

/* One record. 1: the end record; 0: done; -1: error. */
static int import_record(importer *im, const hc_node *root)
{
    im->type = NULL;
    if (root->kind == HC_SCALAR && root->len == 0 && !root->quoted)
        return bad(im, root, "an empty document (is the bundle cut short?); expected a record");
    if (root->kind != HC_MAP)
        return bad(im, root, "a record is %s; expected a mapping with a \"type\"", hc_node_kind_name(root));
    const hc_node *t = hc_map_get(root, "type");
    if (t == NULL || t->kind != HC_SCALAR)
        return bad(im, t ? t : root, "a record without a \"type\"; expected site, inspection, "
                                      "action, enforcement, event or end");
    static const struct {
        const char *type;
        int (*fn)(importer *, const hc_node *);
    } types[] = {
        {"site", import_site},        {"inspection", import_inspection}, {"action", import_action},
        {"enforcement", import_enforcement}, {"event", import_event},
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        if (strcmp(t->str, types[i].type) == 0) {
            im->type = types[i].type;
            im->records++;
            return types[i].fn(im, root);
        }
    }
    if (strcmp(t->str, "end") == 0) {
        im->type = "end";
        const hc_node *n = hc_map_get(root, "records");
        int64_t count = -1;
        if (n == NULL || hc_scalar_resolve(n, NULL, &count, NULL) != HC_SC_INT)
            return bad(im, n ? n : root, "\"records\" is missing or not a whole number; "
                                         "expected the number of records before it");
        if (count < 0 || (uint64_t)count != im->records)
            return bad(im, n, "the bundle says %lld records but holds %zu; expected the whole "
                              "bundle as exported",
                       (long long)count, im->records);
        return 1;
    }
    return bad(im, t, "unknown record type '%s'; expected site, inspection, action, enforcement, "
                      "event or end", t->str);
}

int hc_store_import(hc_store *s, const char *path, hc_diags *d)
{
    /* one record can be large (an inspection's result): allow big scalars */
    hc_limits lim;
    hc_limits_default(&lim);
    lim.max_scalar = 64u << 20;
    hc_reader *r = hc_reader_open(path, &lim, d);
    if (r == NULL) return -1;
    importer im = {0};
    im.s = s;
    im.path = strcmp(path, "-") == 0 ? "<stdin>" : path;
    im.d = d;
    if (hc_store_begin(s, d)) {
        hc_reader_close(&r);
        return -1;
    }
    int rc = 0, ended = 0, ndocs = 0;
    unsigned last_line = 0;
    hc_doc *doc = NULL;
    for (;;) {
        int n = hc_reader_next(r, &doc, d);
        if (n < 0) {
            rc = -1;
            break;
        }
        if (n == 0) break;
        const hc_node *root = hc_doc_root(doc);
        im.line = root ? root->line : last_line + 1;
        last_line = im.line;
        im.type = NULL;
        if (root == NULL) rc = bad(&im, NULL, "an empty document; expected a record");
        else if (ended) rc = bad(&im, root, "a document after the end record; expected nothing more");
        else if (ndocs == 0) rc = check_header(&im, root);
        else {
            int e = import_record(&im, root);
            if (e < 0) rc = -1;
            else if (e == 1) ended = 1;
        }
        ndocs++;
        hc_doc_free(&doc);
        if (rc) break;
    }
    if (rc == 0 && ndocs == 0) {
        im.line = 1;
        rc = bad(&im, NULL, "the file is empty; expected a hazcheck export bundle");
    } else if (rc == 0 && !ended) {
        im.type = NULL;
        im.line = last_line + 1;
        rc = bad(&im, NULL, "the bundle stops before its end record (cut short?); expected "
                            "{\"type\":\"end\",\"records\":N} last");
    }
    hc_reader_close(&r);
    for (int i = 0; i < Q_N; i++)
        if (im.q[i]) sqlite3_reset(im.q[i]);
    if (rc == 0 && hc_store_commit(s, d) != 0) rc = -1;
    if (rc != 0) hc_store_rollback(s);
    for (int i = 0; i < Q_N; i++) sqlite3_finalize(im.q[i]);
    return rc;
}
