/*
** import.c: `hazcheck import`: a bundle (bundle.h) merged into this database.
**
** IMPORT: MERGE RULES
**
** Before anything is written the bundle's digest is checked (bundle.h), and
** while it is read each event's hash and link. The whole bundle is one transaction (BEGIN IMMEDIATE ... COMMIT): a bad
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
**                already have does not undo it. The replay goes through
**                enforce.c's table of measures, oldest first.
**                An action an amendment carried over (record.c) moves to
**                the corrected inspection, with what that one found, when
**                ours still belongs to an inspection now voided and the
**                bundle's inspection stands here.
**   voids        a record voided where it comes from (voided_at) is voided
**                here, with its reason, unless it already is: a void wins
**                over any other state, since nothing comes back from one.
**                A void never travels backwards (an unvoided record changes
**                nothing here).
**   event        skipped when its uid is present; otherwise appended to
**                our hash chain with hc_store_append_event, keeping its
**                uid, at, by, kind, subject, site, note and data, in bundle
**                order. The chain is ours (prev_hash/hash are recomputed),
**                so hazcheck audit verify passes after an import.
**
** The events that travel say what happened; the rows they vouched for were
** the other database's (rows.c), and the merge rules above can leave ours
** different. So an import that wrote any row ends with one event of its own,
** `import`, vouching for every row it wrote as it now stands. Importing the
** same bundle twice writes nothing, not even that event.
**
** Statements are prepared here and finalized at the end rather than kept
** in the store's 64-slot cache, which the other modules share.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "store/bundle.h"
#include "store/store.h"

typedef enum { F_TEXT, F_DATE, F_TIME, F_REAL, F_BOOL } field_kind;

typedef struct field {
    const char *name;
    field_kind kind;
    int required;             /* not null */
    int codes;                /* F_TEXT: CODES(list) when it must be a code of that list */
} field;

/* A text field whose value must be a code of a vocabulary list (base/vocab.c). */
#define CODES(v) ((int)(v) + 1)

/* The fields of each record type, in the order of the statements' parameters. */
static const field SITE_F[] = {
    {"id", F_TEXT, 1, 0},          {"name", F_TEXT, 1, 0},
    {"district", F_TEXT, 0, 0},    {"industry", F_TEXT, 0, 0},
    {"squad", F_TEXT, 0, 0},       {"inspector", F_TEXT, 0, 0},
    {"contact", F_TEXT, 0, 0},     {"profile", F_TEXT, 1, 0},
    {"listed", F_BOOL, 1, 0},      {"state", F_TEXT, 1, CODES(HC_VOCAB_SITE_STATE)},
    {"created_at", F_TIME, 1, 0},  {"updated_at", F_TIME, 1, 0},
};
static const field INSPECTION_F[] = {
    {"id", F_TEXT, 1, 0},          {"site_id", F_TEXT, 1, 0},
    {"checklist", F_TEXT, 1, 0},   {"checklist_version", F_TEXT, 1, 0},
    {"checklist_sha256", F_TEXT, 1, 0}, {"date", F_DATE, 1, 0},
    {"inspector", F_TEXT, 0, 0},   {"kind", F_TEXT, 1, 0},
    {"parent", F_TEXT, 0, 0},      {"verdict", F_TEXT, 1, 0},
    {"score", F_REAL, 1, 0},       {"result", F_TEXT, 1, 0},
    {"recorded_at", F_TIME, 1, 0}, {"recorded_by", F_TEXT, 1, 0},
    {"voided_at", F_TIME, 0, 0},   {"void_reason", F_TEXT, 0, 0},
    {"district", F_TEXT, 0, 0},    {"squad", F_TEXT, 0, 0},
    {"industry", F_TEXT, 0, 0},
};
/* parameter 1 is the inspection id; these are 2.. */
static const field FINDING_F[] = {
    {"item", F_TEXT, 1, 0},        {"title", F_TEXT, 1, 0},
    {"section", F_TEXT, 0, 0},     {"status", F_TEXT, 1, 0},
    {"severity", F_TEXT, 1, 0},    {"message", F_TEXT, 0, 0},
    {"basis", F_TEXT, 0, 0},       {"remedy", F_TEXT, 0, 0},
    {"ord", F_TEXT, 0, 0},         {"deadline", F_DATE, 0, 0},
    {"inputs", F_TEXT, 0, 0},      {"note", F_TEXT, 0, 0},
    {"evidence", F_TEXT, 0, 0},
};
static const field ACTION_F[] = {
    {"uid", F_TEXT, 1, 0},         {"site_id", F_TEXT, 1, 0},
    {"inspection_id", F_TEXT, 1, 0}, {"item", F_TEXT, 1, 0},
    {"title", F_TEXT, 1, 0},       {"severity", F_TEXT, 1, CODES(HC_VOCAB_SEVERITY)},
    {"message", F_TEXT, 0, 0},     {"basis", F_TEXT, 0, 0},
    {"remedy", F_TEXT, 0, 0},      {"ord", F_TEXT, 0, 0},
    {"deadline", F_DATE, 1, 0},    {"status", F_TEXT, 1, CODES(HC_VOCAB_ACTION_STATE)},
    {"assignee", F_TEXT, 0, 0},    {"supervisor", F_TEXT, 0, 0},
    {"cost", F_REAL, 1, 0},        {"last_inspection_id", F_TEXT, 0, 0},
    {"opened_on", F_DATE, 1, 0},   {"closed_on", F_DATE, 0, 0},
    {"voided_at", F_TIME, 0, 0},   {"void_reason", F_TEXT, 0, 0},
};
static const field ENFORCEMENT_F[] = {
    {"uid", F_TEXT, 1, 0},         {"site_id", F_TEXT, 1, 0},
    {"measure", F_TEXT, 1, CODES(HC_VOCAB_MEASURE)}, {"date", F_DATE, 1, 0},
    {"amount", F_REAL, 0, 0},      {"basis", F_TEXT, 0, 0},
    {"note", F_TEXT, 0, 0},        {"by", F_TEXT, 1, 0},
    {"voided_at", F_TIME, 0, 0},   {"void_reason", F_TEXT, 0, 0},
    {"district", F_TEXT, 0, 0},    {"squad", F_TEXT, 0, 0},
    {"industry", F_TEXT, 0, 0},
};
static const field EVENT_F[] = {
    {"uid", F_TEXT, 1, 0},         {"at", F_TIME, 1, 0},
    {"by", F_TEXT, 1, 0},          {"kind", F_TEXT, 1, 0},
    {"subject", F_TEXT, 1, 0},     {"site_id", F_TEXT, 0, 0},
    {"note", F_TEXT, 0, 0},        {"data", F_TEXT, 0, 0},
    {"rows", F_TEXT, 0, 0},        {"prev_hash", F_TEXT, 1, 0},
    {"hash", F_TEXT, 1, 0},
};
#define NF(a) (sizeof(a) / sizeof(a)[0])
#define MAXF 20

typedef struct val {
    const char *s;            /* text; NULL for null */
    double x;
    int null;
} val;

/* The statements of an import, prepared on first use. */
enum {
    Q_SITE_GET, Q_SITE_INS, Q_SITE_UPD, Q_INS_GET, Q_INS_INS, Q_FIND_INS, Q_ACT_GET, Q_ACT_INS,
    Q_ACT_AHEAD, Q_ACT_ASSIGNEE, Q_ENF_GET, Q_ENF_INS, Q_EV_GET, Q_INS_VOID, Q_ACT_VOID,
    Q_ENF_VOID, Q_ACT_MOVED, Q_N
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
                  " recorded_at, recorded_by, voided_at, void_reason, district, squad, industry)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
                  " ?17, ?18, ?19)",
    [Q_FIND_INS] = "INSERT INTO findings (inspection_id, item, title, section, status, severity,"
                   " message, basis, remedy, ord, deadline, inputs, note, evidence)"
                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    [Q_ACT_GET] = "SELECT status, assignee IS NULL FROM actions WHERE uid = ?1",
    [Q_ACT_INS] = "INSERT INTO actions (uid, site_id, inspection_id, item, title, severity,"
                  " message, basis, remedy, ord, deadline, status, assignee, supervisor, cost,"
                  " last_inspection_id, opened_on, closed_on, voided_at, void_reason)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
                  " ?16, ?17, ?18, ?19, ?20)",
    /* the imported action is further along: ?12 status, ?13 assignee, ?15 cost,
       ?16 last inspection, ?18 closed_on */
    [Q_ACT_AHEAD] = "UPDATE actions SET status = ?2, assignee = coalesce(?3, assignee), cost = ?4,"
                    " last_inspection_id = coalesce(?5, last_inspection_id), closed_on = ?6"
                    " WHERE uid = ?1",
    [Q_ACT_ASSIGNEE] = "UPDATE actions SET assignee = ?2 WHERE uid = ?1 AND assignee IS NULL",
    [Q_ENF_GET] = "SELECT 1 FROM enforcement WHERE uid = ?1",
    [Q_ENF_INS] = "INSERT INTO enforcement (uid, site_id, measure, date, amount, basis, note, \"by\","
                  " voided_at, void_reason, district, squad, industry)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    [Q_EV_GET] = "SELECT 1 FROM events WHERE uid = ?1",
    /* a void travels and wins: a record voided there is voided here (once) */
    [Q_INS_VOID] = "UPDATE inspections SET voided_at = ?2, void_reason = ?3"
                   " WHERE id = ?1 AND voided_at IS NULL",
    [Q_ACT_VOID] = "UPDATE actions SET voided_at = ?2, void_reason = ?3"
                   " WHERE uid = ?1 AND voided_at IS NULL",
    [Q_ENF_VOID] = "UPDATE enforcement SET voided_at = ?2, void_reason = ?3"
                   " WHERE uid = ?1 AND voided_at IS NULL",
    /* an amendment there carried the action over to the corrected inspection:
       ours still belongs to the one it corrected, which the bundle has voided */
    [Q_ACT_MOVED] = "UPDATE actions SET inspection_id = ?2, title = ?3, severity = ?4, message = ?5,"
                    " basis = ?6, remedy = ?7, ord = ?8, deadline = ?9, opened_on = ?10,"
                    " last_inspection_id = coalesce(?11, last_inspection_id)"
                    " WHERE uid = ?1 AND inspection_id <> ?2"
                    " AND EXISTS (SELECT 1 FROM inspections o WHERE o.id = actions.inspection_id"
                    "  AND o.voided_at IS NOT NULL)"
                    " AND EXISTS (SELECT 1 FROM inspections n WHERE n.id = ?2 AND n.voided_at IS NULL)",
};

typedef struct importer {
    hc_store *s;
    const char *path;
    hc_diags *d;
    hc_stmt *q[Q_N];
    size_t records;
    unsigned line;            /* of the record being read */
    const char *type;
    hc_import_summary sum;
    char chain[65];           /* the hash of the bundle's last event so far; "" before the first */
} importer;

static hc_stmt *q(importer *im, int which)
{
    if (im->q[which] == NULL) {
        im->q[which] = hc_sql_prepare(im->s, QSQL[which], im->d);
    } else {
        hc_sql_clear(im->q[which]);
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
    hc_buf_vprintf(&b, _(fmt), ap);
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
    if (hc_sql_foreign_key_error(im->s))
        return bad(im, NULL, "%s: it refers to a site or inspection that is neither in the "
                             "database nor earlier in the bundle",
                   what);
    if (hc_store_fatal(im->s)) {
        /* the database, not the bundle, is at fault: name the database */
        hc_diags_add(im->d, HC_ERROR, im->s->path, 0, 0, "database: %s (while importing: %s)",
                     hc_sql_errmsg(im->s), what);
        return -1;
    }
    return bad(im, NULL, "%s: database: %s", what, hc_sql_errmsg(im->s));
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
            if (f->codes && hc_vocab_find((hc_vocab)(f->codes - 1), n->str) < 0) {
                char names[160];
                return bad(im, n, "'%s' is \"%s\"; expected %s", f->name, n->str,
                           hc_vocab_expected((hc_vocab)(f->codes - 1), names, sizeof names));
            }
            v[i].s = n->str;
        }
    }
    return 0;
}

/* Bind v to parameters first.. of st. */
static void bind_vals(hc_stmt *st, int first, const field *fs, size_t nf, const val *v)
{
    for (size_t i = 0; i < nf; i++) {
        int p = first + (int)i;
        if (v[i].null) hc_sql_bind_null(st, p);
        else if (fs[i].kind == F_REAL) hc_sql_bind_double(st, p, v[i].x);
        else if (fs[i].kind == F_BOOL) hc_sql_bind_int(st, p, (int)v[i].x);
        else hc_sql_bind_text(st, p, v[i].s);
    }
}

/* Run a statement that returns nothing. */
static int run(importer *im, hc_stmt *st, const char *what)
{
    int rc = hc_sql_step(st);
    int ok = rc == HC_SQL_DONE;
    if (!ok) db_bad(im, what);
    hc_sql_reset(st);
    return ok ? 0 : -1;
}

/* A record merged: counted as added, changed or (when it changed nothing) held,
   and a row written vouched for by the import's event. */
static void counted(importer *im, int type, int present, int changed, hc_rows_table t,
                    const char *key)
{
    if (!changed) {
        im->sum.held[type]++;
        return;
    }
    if (present) im->sum.changed[type]++;
    else im->sum.added[type]++;
    hc_store_touch(im->s, t, key);
}

/* After a write by run(): whether the statement changed a row. */
static int changed_rows(importer *im)
{
    return hc_sql_changes(im->s) > 0;
}

/* A record voided where it comes from is voided here too: a void wins, since
   nothing comes back from one (corrections.c). 1 if our row changed, 0 if
   not (not voided there, or already voided here), -1 on error. */
static int take_void(importer *im, int which, const char *key, const val *at, const val *reason)
{
    if (at->null) return 0;
    hc_stmt *st = q(im, which);
    if (st == NULL) return -1;
    hc_sql_bind_text(st, 1, key);
    hc_sql_bind_text(st, 2, at->s);
    if (reason->null) hc_sql_bind_null(st, 3);
    else hc_sql_bind_text(st, 3, reason->s);
    if (run(im, st, "voiding it as its database did")) return -1;
    return changed_rows(im);
}

/* 1 if the lookup finds a row (its first column copied to out, if given), 0 if not, -1 error. */
static int lookup(importer *im, int which, const char *key, char *out, size_t outlen, int *col1)
{
    hc_stmt *st = q(im, which);
    if (st == NULL) return -1;
    hc_sql_bind_text(st, 1, key);
    int rc = hc_sql_step(st);
    if (rc == HC_SQL_ROW) {
        if (out) {
            const char *t = hc_sql_text(st, 0);
            snprintf(out, outlen, "%s", t ? t : "");
        }
        if (col1) *col1 = (int)hc_sql_int(st, 1);
    }
    hc_sql_reset(st);
    if (rc == HC_SQL_ROW) return 1;
    if (rc == HC_SQL_DONE) return 0;
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
    hc_stmt *st = q(im, Q_SITE_GET);
    if (st == NULL) return -1;
    hc_sql_bind_text(st, 1, v[0].s);
    int rc = hc_sql_step(st);
    int same = 0;
    if (rc == HC_SQL_ROW) same = strcmp(hc_sql_text(st, 0), v[7].s) == 0;
    hc_sql_reset(st);
    if (rc != HC_SQL_ROW && rc != HC_SQL_DONE) return db_bad(im, "reading the site register");
    if (same) {
        im->sum.held[HC_IMPORT_SITE]++;
        return 0;
    }
    /* missing: insert as exported; present and different: the newer profile wins
       (Q_SITE_UPD changes nothing unless ours is older) */
    int present = rc == HC_SQL_ROW;
    st = q(im, present ? Q_SITE_UPD : Q_SITE_INS);
    if (st == NULL) return -1;
    bind_vals(st, 1, SITE_F, NF(SITE_F), v);
    if (run(im, st, present ? "updating the site" : "adding the site")) return -1;
    counted(im, HC_IMPORT_SITE, present, changed_rows(im), HC_ROWS_SITES, v[0].s);
    return 0;
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
        /* indices in INSPECTION_F: 14 voided_at, 15 void_reason */
        int voided = take_void(im, Q_INS_VOID, v[0].s, &v[14], &v[15]);
        if (voided < 0) return -1;
        counted(im, HC_IMPORT_INSPECTION, 1, voided, HC_ROWS_INSPECTIONS, v[0].s);
        return 0;
    }
    hc_stmt *st = q(im, Q_INS_INS);
    if (st == NULL) return -1;
    bind_vals(st, 1, INSPECTION_F, NF(INSPECTION_F), v);
    if (run(im, st, "adding the inspection")) return -1;
    if (hc_notice_assign(im->s, v[0].s, im->d)) return -1;
    for (size_t i = 0; i < fl->len; i++) {
        val fv[MAXF];
        if (read_fields(im, fl->kids[i], FINDING_F, NF(FINDING_F), NULL, fv)) return -1;
        st = q(im, Q_FIND_INS);
        if (st == NULL) return -1;
        hc_sql_bind_text(st, 1, v[0].s);
        bind_vals(st, 2, FINDING_F, NF(FINDING_F), fv);
        if (run(im, st, "adding a finding")) return -1;
    }
    im->sum.added[HC_IMPORT_INSPECTION]++;
    hc_store_touch(im->s, HC_ROWS_INSPECTIONS, v[0].s);
    hc_store_touch(im->s, HC_ROWS_FINDINGS, v[0].s);
    return 0;
}

static int import_action(importer *im, const hc_node *rec)
{
    val v[MAXF];
    if (read_fields(im, rec, ACTION_F, NF(ACTION_F), NULL, v)) return -1;
    char status[16];
    int no_assignee = 0;
    int ex = lookup(im, Q_ACT_GET, v[0].s, status, sizeof status, &no_assignee);
    if (ex < 0) return -1;
    hc_stmt *st;
    if (ex == 0) {
        st = q(im, Q_ACT_INS);
        if (st == NULL) return -1;
        bind_vals(st, 1, ACTION_F, NF(ACTION_F), v);
        if (run(im, st, "adding the action")) return -1;
        counted(im, HC_IMPORT_ACTION, 0, changed_rows(im), HC_ROWS_ACTIONS, v[0].s);
        return 0;
    }
    /* indices in ACTION_F: 11 status, 12 assignee, 14 cost, 15 last_inspection_id,
       17 closed_on, 18 voided_at, 19 void_reason */
    int ours = hc_action_state_rank(status), theirs = hc_action_state_rank(v[11].s);
    int changed = 0;
    if (theirs > ours) {
        st = q(im, Q_ACT_AHEAD);
        if (st == NULL) return -1;
        hc_sql_bind_text(st, 1, v[0].s);
        static const int take[] = {11, 12, 14, 15, 17};
        for (int k = 0; k < 5; k++) bind_vals(st, 2 + k, &ACTION_F[take[k]], 1, &v[take[k]]);
        if (run(im, st, "updating the action")) return -1;
        changed = changed_rows(im);
    } else if (theirs == ours && no_assignee && !v[12].null) {
        st = q(im, Q_ACT_ASSIGNEE);
        if (st == NULL) return -1;
        hc_sql_bind_text(st, 1, v[0].s);
        hc_sql_bind_text(st, 2, v[12].s);
        if (run(im, st, "updating the action")) return -1;
        changed = changed_rows(im);
    }
    st = q(im, Q_ACT_MOVED);
    if (st == NULL) return -1;
    bind_vals(st, 1, ACTION_F, 1, v);                      /* uid */
    bind_vals(st, 2, &ACTION_F[2], 1, &v[2]);              /* inspection_id */
    bind_vals(st, 3, &ACTION_F[4], 7, &v[4]);              /* title .. deadline */
    bind_vals(st, 10, &ACTION_F[16], 1, &v[16]);           /* opened_on */
    bind_vals(st, 11, &ACTION_F[15], 1, &v[15]);           /* last_inspection_id */
    if (run(im, st, "moving the action to the corrected inspection")) return -1;
    changed |= changed_rows(im);
    int voided = take_void(im, Q_ACT_VOID, v[0].s, &v[18], &v[19]);
    if (voided < 0) return -1;
    counted(im, HC_IMPORT_ACTION, 1, changed || voided, HC_ROWS_ACTIONS, v[0].s);
    return 0;
}

static int import_enforcement(importer *im, const hc_node *rec)
{
    val v[MAXF];
    if (read_fields(im, rec, ENFORCEMENT_F, NF(ENFORCEMENT_F), NULL, v)) return -1;
    int ex = lookup(im, Q_ENF_GET, v[0].s, NULL, 0, NULL);
    if (ex < 0) return -1;
    int changed;
    if (ex > 0) {
        /* indices in ENFORCEMENT_F: 8 voided_at, 9 void_reason */
        changed = take_void(im, Q_ENF_VOID, v[0].s, &v[8], &v[9]);
        if (changed < 0) return -1;
    } else {
        hc_stmt *st = q(im, Q_ENF_INS);
        if (st == NULL) return -1;
        bind_vals(st, 1, ENFORCEMENT_F, NF(ENFORCEMENT_F), v);
        if (run(im, st, "adding the measure")) return -1;
        changed = changed_rows(im);
    }
    counted(im, HC_IMPORT_MEASURE, ex > 0, changed, HC_ROWS_ENFORCEMENT, v[0].s);
    if (!changed) return 0;
    /* listed and state again from every measure now held (the merge rules);
       from scratch after a void, as corrections.c does, since a voided
       measure must leave no trace of its own */
    return hc_site_status_replay(im->s, v[1].s, ex > 0, im->d);
}

static int import_event(importer *im, const hc_node *rec)
{
    val v[MAXF];
    if (read_fields(im, rec, EVENT_F, NF(EVENT_F), NULL, v)) return -1;
    /* the bundle's events are a piece of the exporting database's chain: each
       one hashes to its hash and follows the one before (bundle.h) */
    char hash[65];
    hc_store_event_hash(v[9].s, v[0].s, v[1].s, v[2].s, v[3].s, v[4].s, v[5].s, v[6].s, v[7].s,
                        v[8].null ? NULL : v[8].s, hash);
    if (strcmp(hash, v[10].s) != 0)
        return bad(im, hc_map_get(rec, "hash"),
                   "event %s does not hash to its 'hash': it was changed after it was logged; "
                   "expected the event as its database logged it", v[0].s);
    if (im->chain[0] && strcmp(v[9].s, im->chain) != 0)
        return bad(im, hc_map_get(rec, "prev_hash"),
                   "event %s does not follow the event before it in the bundle: an event was "
                   "removed, added or moved; expected an unbroken piece of the exporting "
                   "database's event log", v[0].s);
    snprintf(im->chain, sizeof im->chain, "%s", hash);
    int ex = lookup(im, Q_EV_GET, v[0].s, NULL, 0, NULL);
    if (ex != 0) {
        if (ex > 0) im->sum.held[HC_IMPORT_EVENT]++;
        return ex < 0 ? -1 : 0;
    }
    im->sum.added[HC_IMPORT_EVENT]++;
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
    if (hc_scalar_resolve(n, NULL, &ver, NULL) != HC_SC_INT || ver != HC_BUNDLE_VERSION)
        return bad(im, n, "bundle format %s is not one this hazcheck reads; expected %d",
                   n->kind == HC_SCALAR ? n->str : "?", HC_BUNDLE_VERSION);
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

/* The import's own event, vouching for the rows it wrote (none: no event). */
static int import_event_own(importer *im)
{
    if (im->s->touched.len == 0) return 0;
    hc_buf data = {0};
    static const char *const names[HC_IMPORT_N] = {"sites", "inspections", "actions",
                                                   "enforcement", "events"};
    hc_buf_puts(&data, "{\"added\":{");
    for (int i = 0; i < HC_IMPORT_N; i++)
        hc_buf_printf(&data, "%s\"%s\":%ld", i ? "," : "", names[i], im->sum.added[i]);
    hc_buf_puts(&data, "},\"changed\":{");
    for (int i = 0; i < HC_IMPORT_N; i++)
        hc_buf_printf(&data, "%s\"%s\":%ld", i ? "," : "", names[i], im->sum.changed[i]);
    hc_buf_puts(&data, "}}");
    const char *base = strrchr(im->path, '/');
    int rc = hc_store_event(im->s, "import", base ? base + 1 : im->path, NULL, NULL, data.data, im->d);
    hc_buf_free(&data);
    return rc;
}

/* The digest (bundle.h): copy the bundle from 'in' to 'copy', hashing on the
   way; the SHA-256 of every byte before the last end record's line must be
   the "sha256" that record holds. Reading the copy afterwards means the bytes
   imported are the bytes checked, and standard input is read only once.
   0: it agrees; 1: there is no end record (the reading pass then names what
   is missing, at its line); -1: refused, named. */
static int check_digest(importer *im, FILE *in, FILE *copy)
{
    static const char END[] = "{\"type\":\"end\"";
    hc_sha256 all, before_end;
    hc_sha256_init(&all);
    char *line = NULL, *end_line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned lineno = 0, end_lineno = 0;
    while ((n = getline(&line, &cap, in)) > 0) {
        lineno++;
        if ((size_t)n >= sizeof END - 1 && memcmp(line, END, sizeof END - 1) == 0) {
            before_end = all;
            free(end_line);
            end_line = hc_xstrndup(line, (size_t)n);
            end_lineno = lineno;
        }
        hc_sha256_update(&all, line, (size_t)n);
        if (fwrite(line, 1, (size_t)n, copy) != (size_t)n) break;
    }
    int failed = ferror(in) || ferror(copy) || fflush(copy) != 0;
    free(line);
    if (failed) {
        free(end_line);
        hc_diags_add(im->d, HC_ERROR, im->path, 0, 0,
                     "could not read the bundle into a temporary copy to check it");
        return -1;
    }
    if (end_line == NULL) return 1;
    im->line = end_lineno;
    im->type = "end";
    hc_diags pd = {0};
    hc_reader *r = hc_reader_open_mem(im->path, end_line, strlen(end_line), NULL, &pd);
    hc_doc *doc = NULL;
    const hc_node *claim = NULL;
    if (r && hc_reader_next(r, &doc, &pd) == 1 && hc_doc_root(doc)->kind == HC_MAP)
        claim = hc_map_get(hc_doc_root(doc), "sha256");
    char hex[65];
    hc_sha256_final_hex(&before_end, hex);
    int rc = 0;
    if (claim == NULL || claim->kind != HC_SCALAR)
        rc = bad(im, NULL, "no \"sha256\": the bundle carries no digest to check it by; expected "
                           "a bundle sealed by its export (format %d): export it again",
                 HC_BUNDLE_VERSION);
    else if (strcmp(claim->str, hex) != 0)
        rc = bad(im, NULL, "the bundle's content does not match its SHA-256 digest: it was "
                            "changed after export; expected the bundle byte for byte as exported");
    hc_doc_free(&doc);
    hc_reader_close(&r);
    hc_diags_clear(&pd);
    free(end_line);
    im->type = NULL;
    return rc;
}

int hc_store_import(hc_store *s, const char *path, hc_import_summary *sum, hc_diags *d)
{
    /* one record can be large (an inspection's result): allow big scalars */
    hc_limits lim;
    hc_limits_default(&lim);
    lim.max_scalar = 64u << 20;
    importer im = {0};
    im.s = s;
    im.path = strcmp(path, "-") == 0 ? "<stdin>" : path;
    im.d = d;
    FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (in == NULL) {
        hc_diags_add(d, HC_ERROR, path, 0, 0, "cannot open file");
        return -1;
    }
    FILE *copy = tmpfile();
    int checked = copy ? check_digest(&im, in, copy) : -1;
    if (copy == NULL)
        hc_diags_add(d, HC_ERROR, im.path, 0, 0, "could not make a temporary copy of the bundle to check it");
    if (in != stdin) fclose(in);
    hc_reader *r = NULL;
    if (checked >= 0 && fseek(copy, 0, SEEK_SET) == 0) r = hc_reader_open_stream(im.path, copy, &lim, d);
    if (r == NULL) {
        if (copy) fclose(copy);
        return -1;
    }
    if (hc_store_begin(s, d)) {
        hc_reader_close(&r);
        fclose(copy);
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
    fclose(copy);
    for (int i = 0; i < Q_N; i++)
        if (im.q[i]) hc_sql_reset(im.q[i]);
    if (rc == 0 && import_event_own(&im) != 0) rc = -1;
    if (rc == 0 && hc_store_commit(s, d) != 0) rc = -1;
    if (rc != 0) hc_store_rollback(s);
    else if (sum) *sum = im.sum;
    for (int i = 0; i < Q_N; i++) hc_sql_finalize(im.q[i]);
    return rc;
}
