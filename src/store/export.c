/*
** export.c: `hazcheck export`: the records of a database (or those changed
** since a date) as a bundle (bundle.h) another database can import.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "store/bundle.h"
#include "store/store.h"

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
static void put_columns(outrec *r, hc_stmt *st)
{
    int n = hc_sql_column_count(st);
    for (int i = 0; i < n; i++) {
        rec_key(r, hc_sql_column_name(st, i));
        switch (hc_sql_column_type(st, i)) {
        case HC_SQL_NULL: hc_buf_puts(&r->b, "null"); break;
        case HC_SQL_INTEGER: hc_buf_printf(&r->b, "%lld", (long long)hc_sql_int(st, i)); break;
        case HC_SQL_FLOAT: put_real(&r->b, hc_sql_double(st, i)); break;
        default: {
            const char *t = hc_sql_text(st, i);
            hc_json_quote(&r->b, t ? t : "", hc_sql_bytes(st, i));
        }
        }
    }
}

/* Bytes of the bundle, counted into its digest (bundle.h) as they are written. */
static void emit(FILE *out, hc_sha256 *digest, const hc_buf *b)
{
    fwrite(b->data, 1, b->len, out);
    hc_sha256_update(digest, b->data, b->len);
}

static void rec_write(outrec *r, FILE *out, hc_sha256 *digest, size_t *count)
{
    hc_buf_puts(&r->b, "}\n---\n");
    emit(out, digest, &r->b);
    (*count)++;
}

/* Which inspections and actions --since selects (see the header comment);
   ?1 is the date or NULL. ins0: the inspections of the period; act: the
   actions exported; ins: ins0 and the inspections those actions and
   re-inspections refer to. */
#define SELECTED                                                                               \
    "WITH RECURSIVE"                                                                           \
    " ins0(id) AS (SELECT id FROM inspections"                                                 \
    "  WHERE ?1 IS NULL OR date >= ?1 OR recorded_at >= ?1 OR voided_at >= ?1),"               \
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

/* Enforcement of the period: dated since, entered since (the uid ends with
   the time it was entered, as enforce.c makes it) or voided since. */
#define ENFORCEMENT_SINCE \
    "(?1 IS NULL OR date >= ?1 OR substr(uid, -20) >= ?1 OR voided_at >= ?1)"

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
    " parent, verdict, score, result, recorded_at, recorded_by, voided_at, void_reason,"
    " district, squad, industry FROM inspections"
    " WHERE id IN (SELECT id FROM ins) ORDER BY rowid";

static const char SQL_FINDINGS[] =
    "SELECT item, title, section, status, severity, message, basis, remedy, ord, deadline,"
    " inputs, note, evidence FROM findings WHERE inspection_id = ? ORDER BY rowid";

static const char SQL_ACTIONS[] =
    SELECTED
    " SELECT uid, site_id, inspection_id, item, title, severity, message, basis, remedy, ord,"
    " deadline, status, assignee, supervisor, cost, last_inspection_id, opened_on, closed_on,"
    " voided_at, void_reason FROM actions WHERE uid IN (SELECT uid FROM act) ORDER BY id";

static const char SQL_ENFORCEMENT[] =
    "SELECT uid, site_id, measure, date, amount, basis, note, \"by\", voided_at, void_reason,"
    " district, squad, industry FROM enforcement"
    " WHERE " ENFORCEMENT_SINCE " ORDER BY id";

/* From the first event at or after ?1 to the last, every one: a piece of the
   chain without gaps, so the importer can check each link (times need not
   grow with seq: an imported event keeps the time it happened). */
static const char SQL_EVENTS[] =
    "SELECT uid, at, \"by\", kind, subject, site_id, note, data, rows, prev_hash, hash FROM events"
    " WHERE ?1 IS NULL OR seq >= (SELECT min(seq) FROM events WHERE at >= ?1) ORDER BY seq";

/* Write one record per row of 'sql'; inspections carry their findings. */
static int export_rows(hc_store *s, const char *sql, const char *type, const char *since,
                       FILE *out, hc_sha256 *digest, outrec *r, size_t *count, hc_diags *d)
{
    hc_stmt *fst = NULL;
    int is_inspection = strcmp(type, "inspection") == 0;
    hc_stmt *st = hc_sql_prepare(s, sql, d);
    if (st == NULL || (is_inspection && (fst = hc_sql_prepare(s, SQL_FINDINGS, d)) == NULL)) {
        hc_sql_finalize(st);
        return -1;
    }
    hc_sql_bind_text(st, 1, since);
    int rc;
    while ((rc = hc_sql_step(st)) == HC_SQL_ROW) {
        rec_begin(r, type);
        put_columns(r, st);
        if (is_inspection) {
            rec_key(r, "findings");
            hc_buf_putc(&r->b, '[');
            hc_sql_reset(fst);
            hc_sql_bind_text(fst, 1, hc_sql_text(st, 0));
            int frc, nf = 0;
            while ((frc = hc_sql_step(fst)) == HC_SQL_ROW) {
                if (nf++) hc_buf_putc(&r->b, ',');
                hc_buf_putc(&r->b, '{');
                r->first = 1;
                put_columns(r, fst);
                hc_buf_putc(&r->b, '}');
            }
            if (frc != HC_SQL_DONE) {
                rc = frc;
                break;
            }
            hc_buf_putc(&r->b, ']');
        }
        rec_write(r, out, digest, count);
    }
    hc_sql_finalize(fst);
    hc_sql_finalize(st);
    if (rc != HC_SQL_DONE) return hc_store_error(s, d, "reading for the export");
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
    hc_time_now_utc(now);
    outrec r = {{0}, 0};
    hc_buf_printf(&r.b, "{\"hazcheck_export\":%d,\"since\":", HC_BUNDLE_VERSION);
    if (since) hc_json_quote(&r.b, since, strlen(since));
    else hc_buf_puts(&r.b, "null");
    hc_buf_printf(&r.b, ",\"exported_at\":\"%s\"}\n---\n", now);
    hc_sha256 digest;
    hc_sha256_init(&digest);
    emit(out, &digest, &r.b);
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
        rc = export_rows(s, parts[i].sql, parts[i].type, since, out, &digest, &r, &count, d);
    hc_store_rollback(s);     /* nothing was written; ends the read transaction */
    if (rc == 0) {
        hc_buf_reset(&r.b);
        char hex[65];
        hc_sha256_final_hex(&digest, hex);
        hc_buf_printf(&r.b, "{\"type\":\"end\",\"records\":%zu,\"sha256\":\"%s\"}\n", count, hex);
        fwrite(r.b.data, 1, r.b.len, out);
    }
    hc_buf_free(&r.b);
    if (rc == 0 && (fflush(out) != 0 || ferror(out))) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "export: could not write the bundle");
        rc = -1;
    }
    return rc;
}
