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
**   rectification_rate  the share of the hazards found in the period that were verified
**                       by the period's end:
**                           |opened in P  AND  status = verified AND closed_on <= end(P)|
**                           -------------------------------------------------------------
**                                          |opened in P|
**                       rounded to 4 decimals; null (none) when nothing was opened. The
**                       end of P is --until, or no end (today) when open; a row of
**                       --by month is the period of its month, so its rate is as of
**                       the month's last day, and equals the rate of --since/--until
**                       that month. This is a cohort rate, so it always lies in 0..1;
**                       it is NOT `verified` divided by `hazards`, because `verified`
**                       also counts the closing of hazards found before the period
**                       (that quotient can pass 1).
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
** Grouping (--by): district, squad and industry are the site's values AT THE TIME:
** an inspection and a measure keep the site's district, squad and industry as they
** were when recorded (schema 6), and an action those of the inspection that opened
** it, so a site that moved district leaves its past in the old one. Rows recorded
** before schema 6 have none kept and use the site's current values. checklist is
** inspections.checklist; an action belongs to the checklist of the inspection that
** opened it. Enforcement measures are taken against a site, not under a checklist, so
** with --by checklist they are not attributed to any group: interviews, listed,
** penalties, suspensions and close_downs are 0 in every checklist group. month is
** substr(date, 1, 7) of each figure's own date (inspection date, opened_on, closed_on,
** enforcement date); every month from --since (else the first with a figure) to
** --until (else the last) has a row, zeros where nothing happened.
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
    const char *cutoff;           /* the end of a row's period, for the rate; NULL: the query's */
} grouping;

/* The end of the query's period: ?2, or no end. */
#define PERIOD_END "coalesce(?2, '9999-12-31')"

/* district, squad and industry: the value the inspection or measure recorded
   (schema 6), else the site's current one; an action takes its opening
   inspection's. */
#define AT_THE_TIME(col)                                                                         \
    {#col, "coalesce(i." #col ", s." #col ")", " LEFT JOIN sites s ON s.id = i.site_id",         \
     "coalesce(oi." #col ", s." #col ")", "coalesce(oi." #col ", s." #col ")",                    \
     " LEFT JOIN inspections oi ON oi.id = a.inspection_id LEFT JOIN sites s ON s.id = a.site_id", \
     "coalesce(e." #col ", s." #col ")", " LEFT JOIN sites s ON s.id = e.site_id", NULL}

static const grouping groupings[] = {
    {NULL, "NULL", "", "NULL", "NULL", "", "NULL", "", NULL},
    AT_THE_TIME(district),
    AT_THE_TIME(squad),
    AT_THE_TIME(industry),
    {"checklist", "i.checklist", "", "oi.checklist", "oi.checklist",
     " LEFT JOIN inspections oi ON oi.id = a.inspection_id", NULL, NULL, NULL},
    {"month", "substr(i.date, 1, 7)", "", "substr(a.opened_on, 1, 7)",
     "substr(a.closed_on, 1, 7)", "", "substr(e.date, 1, 7)", "",
     /* a month's row is the period of that month: its rate is as of the month's last day */
     "min(" PERIOD_END ", date(a.opened_on, 'start of month', '+1 month', '-1 day'))"},
};
#define NGROUPINGS (sizeof groupings / sizeof groupings[0])

/* ?4: only the rows of sites now in that squad (NULL: every site). */
#define IN_SCOPE(t) "(?4 IS NULL OR EXISTS (SELECT 1 FROM sites sc WHERE sc.id = " t ".site_id AND sc.squad = ?4))"

/* The aggregate query for one grouping, from fixed fragments only (no input). */
static char *build_query(const grouping *g)
{
    hc_buf b = {0};
    hc_buf_puts(&b,
                "SELECT min(g), total(ni), total(ns), total(gen), total(maj), total(ver), total(fix),"
                " total(ovd), total(itv), total(lst), total(pen), round(total(amt), 2),"
                " total(sus), total(cls), round(total(inv), 2) FROM (\n");
    /* inspections by their date */
    hc_buf_printf(&b,
                  "SELECT %s AS g, count(*) AS ni, count(DISTINCT i.site_id) AS ns, 0 AS gen,"
                  " 0 AS maj, 0 AS ver, 0 AS fix, 0 AS ovd, 0 AS itv, 0 AS lst, 0 AS pen,"
                  " 0 AS amt, 0 AS sus, 0 AS cls, 0 AS inv\n"
                  " FROM inspections i%s\n"
                  " WHERE i.voided_at IS NULL AND (?1 IS NULL OR i.date >= ?1) AND (?2 IS NULL OR i.date <= ?2)"
                  " AND " IN_SCOPE("i") "\n"
                  " GROUP BY 1\n",
                  g->gi, g->ji);
    /* actions opened in the period: hazards, the rate's cohort, overdue, investment */
    hc_buf_printf(&b,
                  "UNION ALL SELECT %s, 0, 0, sum(a.severity = 'general'), sum(a.severity = 'major'), 0,"
                  " sum(a.status = 'verified' AND a.closed_on IS NOT NULL AND a.closed_on <= %s),"
                  " sum(a.status <> 'verified' AND a.deadline < ?3), 0, 0, 0, 0, 0, 0, total(a.cost)\n"
                  " FROM actions a%s\n"
                  " WHERE a.voided_at IS NULL AND (?1 IS NULL OR a.opened_on >= ?1)"
                  " AND (?2 IS NULL OR a.opened_on <= ?2) AND " IN_SCOPE("a") "\n"
                  " GROUP BY 1\n",
                  g->ga_open, g->cutoff ? g->cutoff : PERIOD_END, g->ja);
    /* actions verified (closed) in the period */
    hc_buf_printf(&b,
                  "UNION ALL SELECT %s, 0, 0, 0, 0, count(*), 0, 0, 0, 0, 0, 0, 0, 0, 0\n"
                  " FROM actions a%s\n"
                  " WHERE a.status = 'verified' AND a.closed_on IS NOT NULL AND a.voided_at IS NULL"
                  " AND (?1 IS NULL OR a.closed_on >= ?1) AND (?2 IS NULL OR a.closed_on <= ?2)"
                  " AND " IN_SCOPE("a") "\n"
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
                      " AND (?2 IS NULL OR e.date <= ?2) AND " IN_SCOPE("e") "\n"
                      " GROUP BY 1\n",
                      g->ge, g->je);
    hc_buf_puts(&b, ") AS parts");
    /* without a grouping the outer aggregate has no GROUP BY: always exactly one row
       (and its group min(g), not g: PostgreSQL takes no bare column beside aggregates) */
    if (g->name) hc_buf_puts(&b, " GROUP BY g ORDER BY g IS NULL, g");
    return hc_buf_take(&b);
}

/* One group's figures as the query gives them. */
typedef struct figrow {
    char *group;                  /* NULL: no group (the whole period, or "(none)") */
    long long n[14];              /* the query's columns 1..14; 11 and 14 are sums in yuan */
    double amount, investment;
} figrow;

typedef struct figrows {
    figrow *v;
    size_t len;
} figrows;

static figrow *figrows_add(figrows *f, const char *group)
{
    f->v = hc_xrealloc(f->v, (f->len + 1) * sizeof *f->v);
    figrow *r = memset(&f->v[f->len++], 0, sizeof *f->v);
    r->group = group ? hc_xstrdup(group) : NULL;
    return r;
}

static void figrows_free(figrows *f)
{
    for (size_t i = 0; i < f->len; i++) free(f->v[i].group);
    free(f->v);
}

/* Run the query for grouping g. */
static int query(hc_store *s, const grouping *g, const hc_stats_query *q, figrows *out, hc_diags *d)
{
    char *sql = build_query(g);
    hc_stmt *st = hc_sql_prepare(s, sql, d);
    free(sql);
    if (st == NULL) return -1;
    hc_sql_bind_text(st, 1, q->since);
    hc_sql_bind_text(st, 2, q->until);
    hc_sql_bind_text(st, 3, s->today);
    hc_sql_bind_text(st, 4, q->squad);
    int got;
    while ((got = hc_store_row(s, st, d)) == 1) {
        figrow *r = figrows_add(out, g->name ? hc_sql_text(st, 0) : NULL);
        for (int c = 1; c <= 14; c++) r->n[c - 1] = hc_sql_int(st, c);
        r->amount = hc_sql_double(st, 11);
        r->investment = hc_sql_double(st, 14);
    }
    hc_sql_finalize(st);
    return got < 0 ? -1 : 0;
}

/* "YYYY-MM" as a month number, or -1. */
static long month_no(const char *t)
{
    long days;
    char first[11];
    if (t == NULL || strlen(t) < 7) return -1;
    snprintf(first, sizeof first, "%.7s-01", t);
    if (hc_date_parse(first, 10, &days) != 0) return -1;
    return strtol(t, NULL, 10) * 12 + strtol(t + 5, NULL, 10) - 1;
}

/* With --by month every month of the period has its row, zeros where nothing
   happened: a trend with holes reads as a trend without them. The period runs
   from --since (else the first month with figures) to --until (else the last). */
static void fill_months(figrows *f, const char *since, const char *until)
{
    long first = since ? month_no(since) : f->len ? month_no(f->v[0].group) : -1;
    long last = until ? month_no(until) : f->len ? month_no(f->v[f->len - 1].group) : -1;
    if (first < 0 || last < first || last - first > 1200) return;   /* a century at most */
    figrows all = {0};
    size_t k = 0;
    for (long m = first; m <= last; m++) {
        char name[48];
        snprintf(name, sizeof name, "%04ld-%02ld", m / 12, m % 12 + 1);
        while (k < f->len && f->v[k].group && strcmp(f->v[k].group, name) < 0) k++;   /* none: cut */
        if (k < f->len && f->v[k].group && strcmp(f->v[k].group, name) == 0) {
            figrow *r = figrows_add(&all, NULL);
            *r = f->v[k];
            f->v[k++].group = NULL;      /* moved */
        } else {
            figrows_add(&all, name);
        }
    }
    figrows_free(f);
    *f = all;
}

static void emit(hc_doc *doc, hc_node *rows, const figrows *f, int grouped)
{
    for (size_t i = 0; i < f->len; i++) {
        const figrow *fr = &f->v[i];
        hc_node *r = hc_add_map(doc, rows, NULL);
        if (grouped) hc_add_str(doc, r, "group", fr->group ? fr->group : "(none)");
        hc_add_int(doc, r, "inspections", fr->n[0]);
        hc_add_int(doc, r, "sites_inspected", fr->n[1]);
        hc_node *hz = hc_add_map(doc, r, "hazards");
        long long general = fr->n[2], major = fr->n[3], hazards = general + major;
        hc_add_int(doc, hz, "general", general);
        hc_add_int(doc, hz, "major", major);
        hc_add_int(doc, r, "verified", fr->n[4]);
        /* no hazards, no rate: null, not a 0 % that reads as a failure */
        if (hazards > 0)
            hc_add_num(doc, r, "rectification_rate",
                       round((double)fr->n[5] / (double)hazards * 10000.0) / 10000.0);
        else hc_add_null(doc, r, "rectification_rate");
        hc_add_int(doc, r, "overdue", fr->n[6]);
        hc_add_int(doc, r, "interviews", fr->n[7]);
        hc_add_int(doc, r, "listed", fr->n[8]);
        hc_node *pen = hc_add_map(doc, r, "penalties");
        hc_add_int(doc, pen, "count", fr->n[9]);
        hc_add_num(doc, pen, "amount", fr->amount);
        hc_add_int(doc, r, "suspensions", fr->n[11]);
        hc_add_int(doc, r, "close_downs", fr->n[12]);
        hc_add_num(doc, r, "investment", fr->investment);
    }
}

/* One grouping's rows into 'rows'. */
static int figures_of(hc_store *s, const grouping *g, const hc_stats_query *q, hc_doc *doc,
                      hc_node *rows, hc_diags *d)
{
    figrows f = {0};
    int rc = query(s, g, q, &f, d);
    if (rc == 0 && g->name && strcmp(g->name, "month") == 0) fill_months(&f, q->since, q->until);
    if (rc == 0) emit(doc, rows, &f, g->name != NULL);
    figrows_free(&f);
    return rc;
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
    if (figures_of(s, g, q, doc, rows, d) != 0) goto fail;
    if (q->breakdowns) {
        hc_node *bd = hc_add_map(doc, root, "breakdowns");
        for (size_t i = 0; i < NGROUPINGS; i++) {
            const char *name = groupings[i].name;
            if (name == NULL || strcmp(name, "checklist") == 0) continue;
            if (figures_of(s, &groupings[i], q, doc, hc_add_seq(doc, bd, name), d) != 0)
                goto fail;
        }
    }
    return doc;
fail:
    hc_doc_free(&doc);
    return NULL;
}
