/*
** figures.c: figures for a period (cli.md "Figures"), as data; report/figures.c
** writes them as a table, JSON, CSV or a page with charts.
**
** The period is [since, until], both inclusive dates YYYY-MM-DD; NULL leaves that
** end open. Each figure is counted by its own date:
**
**   inspections         rows of `inspections` (re-inspections included) by their date
**   sites_inspected     distinct site_id among those rows
**   hazards.general/major
**                       actions OPENED in the period (actions.opened_on, which is the
**                       date of the inspection that opened them), by severity. A hazard
**                       still failing on re-inspection keeps its one action, so it is
**                       counted once, in the period of the inspection that found it.
**   verified            actions with status 'verified' whose closed_on is in the period
**                       (they may have been opened before it)
**   rectification_rate  the share of the hazards opened in the period that are verified
**                       with closed_on in the period:
**                           |opened in P  AND  status = verified AND closed_on in P|
**                           ---------------------------------------------------------
**                                          |opened in P|
**                       rounded to 4 decimals; 0 when nothing was opened. This is a
**                       cohort rate, so it always lies in 0..1; it is NOT `verified`
**                       divided by `hazards`, because `verified` also counts the closing
**                       of hazards found before the period (that quotient can pass 1).
**   overdue             actions opened in the period that are not verified and whose
**                       deadline is before today (s->today): a figure as of today, not
**                       as of the end of the period.
**   interviews, listed, penalties.count, suspensions, close_downs
**                       rows of `enforcement` dated in the period whose measure is
**                       interview, list, penalty, suspend, close-down respectively
**                       (measures are counted, not sites: a site listed twice counts
**                       twice; delist and resume are not counted anywhere)
**   penalties.amount    the sum of `amount` of those penalties, rounded to 0.01 yuan
**   investment          the sum of actions.cost (recorded on rectify) of the actions
**                       opened in the period, rounded to 0.01 yuan
**
** Grouping (--by): district, squad and industry are the site's CURRENT values in the
** `sites` table (a site that moved district is counted in its new one). checklist is
** inspections.checklist; an action belongs to the checklist of the inspection that
** opened it. Enforcement measures are taken against a site, not under a checklist, so
** with --by checklist they are not attributed to any group: interviews, listed,
** penalties, suspensions and close_downs are 0 in every checklist group. month is
** substr(date, 1, 7) of each figure's own date (inspection date, opened_on, closed_on,
** enforcement date); the rate of a month is that of the hazards opened in the month.
** Groups sort by their bytes (UTF-8 code point order), a NULL group ("(none)") last.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "store/store.h"

/* Fixed SQL fragments for each grouping: the group expression and the join it needs,
   for inspections (i), actions by opened_on and by closed_on (a), enforcement (e). */
typedef struct grouping {
    const char *name;
    const char *gi, *ji;
    const char *ga_open, *ga_closed, *ja;
    const char *ge, *je;          /* ge NULL: enforcement is not counted in any group */
} grouping;

static const grouping groupings[] = {
    {NULL, "NULL", "", "NULL", "NULL", "", "NULL", ""},
    {"district", "s.district", " LEFT JOIN sites s ON s.id = i.site_id", "s.district",
     "s.district", " LEFT JOIN sites s ON s.id = a.site_id", "s.district",
     " LEFT JOIN sites s ON s.id = e.site_id"},
    {"squad", "s.squad", " LEFT JOIN sites s ON s.id = i.site_id", "s.squad", "s.squad",
     " LEFT JOIN sites s ON s.id = a.site_id", "s.squad", " LEFT JOIN sites s ON s.id = e.site_id"},
    {"industry", "s.industry", " LEFT JOIN sites s ON s.id = i.site_id", "s.industry",
     "s.industry", " LEFT JOIN sites s ON s.id = a.site_id", "s.industry",
     " LEFT JOIN sites s ON s.id = e.site_id"},
    {"checklist", "i.checklist", "", "oi.checklist", "oi.checklist",
     " LEFT JOIN inspections oi ON oi.id = a.inspection_id", NULL, NULL},
    {"month", "substr(i.date, 1, 7)", "", "substr(a.opened_on, 1, 7)",
     "substr(a.closed_on, 1, 7)", "", "substr(e.date, 1, 7)", ""},
};
#define NGROUPINGS (sizeof groupings / sizeof groupings[0])

/* The aggregate query for one grouping, from fixed fragments only (no input). */
static char *build_query(const grouping *g)
{
    hc_buf b = {0};
    hc_buf_puts(&b,
                "SELECT g, total(ni), total(ns), total(gen), total(maj), total(ver), total(fix),"
                " total(ovd), total(itv), total(lst), total(pen), round(total(amt), 2),"
                " total(sus), total(cls), round(total(inv), 2) FROM (\n");
    /* inspections by their date */
    hc_buf_printf(&b,
                  "SELECT %s AS g, count(*) AS ni, count(DISTINCT i.site_id) AS ns, 0 AS gen,"
                  " 0 AS maj, 0 AS ver, 0 AS fix, 0 AS ovd, 0 AS itv, 0 AS lst, 0 AS pen,"
                  " 0 AS amt, 0 AS sus, 0 AS cls, 0 AS inv\n"
                  " FROM inspections i%s\n"
                  " WHERE i.voided_at IS NULL AND (?1 IS NULL OR i.date >= ?1) AND (?2 IS NULL OR i.date <= ?2)\n"
                  " GROUP BY 1\n",
                  g->gi, g->ji);
    /* actions opened in the period: hazards, the rate's cohort, overdue, investment */
    hc_buf_printf(&b,
                  "UNION ALL SELECT %s, 0, 0, sum(a.severity = 'general'), sum(a.severity = 'major'), 0,"
                  " sum(a.status = 'verified' AND a.closed_on IS NOT NULL"
                  "     AND (?1 IS NULL OR a.closed_on >= ?1) AND (?2 IS NULL OR a.closed_on <= ?2)),"
                  " sum(a.status <> 'verified' AND a.deadline < ?3), 0, 0, 0, 0, 0, 0, total(a.cost)\n"
                  " FROM actions a%s\n"
                  " WHERE a.voided_at IS NULL AND (?1 IS NULL OR a.opened_on >= ?1)"
                  " AND (?2 IS NULL OR a.opened_on <= ?2)\n"
                  " GROUP BY 1\n",
                  g->ga_open, g->ja);
    /* actions verified (closed) in the period */
    hc_buf_printf(&b,
                  "UNION ALL SELECT %s, 0, 0, 0, 0, count(*), 0, 0, 0, 0, 0, 0, 0, 0, 0\n"
                  " FROM actions a%s\n"
                  " WHERE a.status = 'verified' AND a.closed_on IS NOT NULL AND a.voided_at IS NULL"
                  " AND (?1 IS NULL OR a.closed_on >= ?1) AND (?2 IS NULL OR a.closed_on <= ?2)\n"
                  " GROUP BY 1\n",
                  g->ga_closed, g->ja);
    /* enforcement measures by their date */
    if (g->ge)
        hc_buf_printf(&b,
                      "UNION ALL SELECT %s, 0, 0, 0, 0, 0, 0, 0, sum(e.measure = 'interview'),"
                      " sum(e.measure = 'list'), sum(e.measure = 'penalty'),"
                      " total(CASE WHEN e.measure = 'penalty' THEN e.amount END),"
                      " sum(e.measure = 'suspend'), sum(e.measure = 'close-down'), 0\n"
                      " FROM enforcement e%s\n"
                      " WHERE e.voided_at IS NULL AND (?1 IS NULL OR e.date >= ?1)"
                      " AND (?2 IS NULL OR e.date <= ?2)\n"
                      " GROUP BY 1\n",
                      g->ge, g->je);
    hc_buf_puts(&b, ")");
    /* without a grouping the outer aggregate has no GROUP BY: always exactly one row */
    if (g->name) hc_buf_puts(&b, " GROUP BY g ORDER BY g IS NULL, g");
    return hc_buf_take(&b);
}

/* Run the query and add one row per group to 'rows'. */
static int query(hc_store *s, const grouping *g, const char *since, const char *until,
                 hc_doc *doc, hc_node *rows, hc_diags *d)
{
    char *sql = build_query(g);
    sqlite3_stmt *st = NULL;
    int prc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    free(sql);
    if (prc != SQLITE_OK) return hc_store_error(s, d, "preparing the figures");
    hc_bind_text(st, 1, since);
    hc_bind_text(st, 2, until);
    hc_bind_text(st, 3, s->today);
    int got;
    while ((got = hc_store_row(s, st, d)) == 1) {
        hc_node *r = hc_add_map(doc, rows, NULL);
        if (g->name) {
            const char *grp = (const char *)sqlite3_column_text(st, 0);
            hc_add_str(doc, r, "group", grp ? grp : "(none)");
        }
#define COUNT(key, col) hc_add_int(doc, r, key, sqlite3_column_int64(st, col))
        COUNT("inspections", 1);
        COUNT("sites_inspected", 2);
        hc_node *hz = hc_add_map(doc, r, "hazards");
        long long general = sqlite3_column_int64(st, 3), major = sqlite3_column_int64(st, 4);
        hc_add_int(doc, hz, "general", general);
        hc_add_int(doc, hz, "major", major);
        COUNT("verified", 5);
        long long fixed = sqlite3_column_int64(st, 6), hazards = general + major;
        hc_add_num(doc, r, "rectification_rate",
                   hazards > 0 ? round((double)fixed / (double)hazards * 10000.0) / 10000.0 : 0.0);
        COUNT("overdue", 7);
        COUNT("interviews", 8);
        COUNT("listed", 9);
        hc_node *pen = hc_add_map(doc, r, "penalties");
        hc_add_int(doc, pen, "count", sqlite3_column_int64(st, 10));
        hc_add_num(doc, pen, "amount", sqlite3_column_double(st, 11));
        COUNT("suspensions", 12);
        COUNT("close_downs", 13);
        hc_add_num(doc, r, "investment", sqlite3_column_double(st, 14));
#undef COUNT
    }
    sqlite3_finalize(st);
    return got < 0 ? -1 : 0;
}

/* ------------------------------------------------------------------ entry */

hc_doc *hc_store_figures(hc_store *s, const hc_stats_query *q, hc_diags *d)
{
    static const hc_stats_query all = {0};
    if (q == NULL) q = &all;
    const grouping *g = NULL;
    for (size_t i = 0; i < NGROUPINGS; i++)
        if (q->by == NULL ? groupings[i].name == NULL
                          : groupings[i].name && strcmp(q->by, groupings[i].name) == 0)
            g = &groupings[i];
    if (g == NULL) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0,
                     "grouping '%s'; expected district, squad, industry, checklist or month", q->by);
        return NULL;
    }
    long since_days = 0, until_days = 0;
    if (q->since && hc_date_parse(q->since, strlen(q->since), &since_days) != 0) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "start of period '%s'; expected a date YYYY-MM-DD",
                     q->since);
        return NULL;
    }
    if (q->until && hc_date_parse(q->until, strlen(q->until), &until_days) != 0) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "end of period '%s'; expected a date YYYY-MM-DD",
                     q->until);
        return NULL;
    }
    if (q->since && q->until && since_days > until_days) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "the period starts %s, after it ends %s; it is empty",
                     q->since, q->until);
        return NULL;
    }
    hc_doc *doc = hc_doc_new("figures");
    hc_node *root = (hc_node *)hc_doc_root(doc);
    hc_add_str(doc, root, "today", s->today);
    hc_node *period = hc_add_map(doc, root, "period");
    hc_add_str(doc, period, "since", q->since);
    hc_add_str(doc, period, "until", q->until);
    hc_add_str(doc, root, "by", g->name);
    hc_node *rows = hc_add_seq(doc, root, "rows");
    if (query(s, g, q->since, q->until, doc, rows, d) != 0) goto fail;
    if (q->breakdowns) {
        hc_node *bd = hc_add_map(doc, root, "breakdowns");
        for (size_t i = 0; i < NGROUPINGS; i++) {
            const char *name = groupings[i].name;
            if (name == NULL || strcmp(name, "checklist") == 0) continue;
            if (query(s, &groupings[i], q->since, q->until, doc, hc_add_seq(doc, bd, name), d) != 0)
                goto fail;
        }
    }
    return doc;
fail:
    hc_doc_free(&doc);
    return NULL;
}
