/*
** stats.c: figures for a period (cli.md "Figures"), as a text table, JSON or CSV.
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
    const char *name, *zh;
    const char *gi, *ji;
    const char *ga_open, *ga_closed, *ja;
    const char *ge, *je;          /* ge NULL: enforcement is not counted in any group */
} grouping;

static const grouping groupings[] = {
    {NULL, "全部", "NULL", "", "NULL", "NULL", "", "NULL", ""},
    {"district", "区县", "s.district", " LEFT JOIN sites s ON s.id = i.site_id", "s.district",
     "s.district", " LEFT JOIN sites s ON s.id = a.site_id", "s.district",
     " LEFT JOIN sites s ON s.id = e.site_id"},
    {"squad", "执法队", "s.squad", " LEFT JOIN sites s ON s.id = i.site_id", "s.squad", "s.squad",
     " LEFT JOIN sites s ON s.id = a.site_id", "s.squad", " LEFT JOIN sites s ON s.id = e.site_id"},
    {"industry", "行业", "s.industry", " LEFT JOIN sites s ON s.id = i.site_id", "s.industry",
     "s.industry", " LEFT JOIN sites s ON s.id = a.site_id", "s.industry",
     " LEFT JOIN sites s ON s.id = e.site_id"},
    {"checklist", "检查表", "i.checklist", "", "oi.checklist", "oi.checklist",
     " LEFT JOIN inspections oi ON oi.id = a.inspection_id", NULL, NULL},
    {"month", "月份", "substr(i.date, 1, 7)", "", "substr(a.opened_on, 1, 7)",
     "substr(a.closed_on, 1, 7)", "", "substr(e.date, 1, 7)", ""},
};
#define NGROUPINGS (sizeof groupings / sizeof groupings[0])

/* The figures, in output order. */
enum {
    F_INSPECTIONS, F_SITES, F_GENERAL, F_MAJOR, F_VERIFIED, F_RATE, F_OVERDUE, F_INTERVIEWS,
    F_LISTED, F_PENALTIES, F_AMOUNT, F_SUSPENSIONS, F_CLOSE_DOWNS, F_INVESTMENT, NFIGURES
};

static const struct figure {
    const char *csv;               /* CSV header */
    const char *zh, *en;           /* labels of the one-row list */
    const char *zh_short, *en_short;   /* the two header lines of the --by table */
} figures[NFIGURES] = {
    {"inspections", "检查次数", "inspections", "检查", "visits"},
    {"sites_inspected", "受检单位", "sites inspected", "单位", "sites"},
    {"hazards_general", "一般隐患", "hazards, general", "一般隐患", "general"},
    {"hazards_major", "重大隐患", "hazards, major", "重大隐患", "major"},
    {"verified", "验收销号", "verified", "销号", "verified"},
    {"rectification_rate", "整改率", "rectification rate", "整改率", "rate"},
    {"overdue", "逾期未改", "overdue", "逾期", "overdue"},
    {"interviews", "约谈", "interviews", "约谈", "interv."},
    {"listed", "列入黑名单", "listed", "黑名单", "listed"},
    {"penalties_count", "罚款次数", "penalties", "罚款", "penalties"},
    {"penalties_amount", "罚款金额(元)", "penalty sum", "罚款额(元)", "sum"},
    {"suspensions", "停产停业", "suspensions", "停产", "suspended"},
    {"close_downs", "关闭取缔", "close-downs", "关闭", "closed"},
    {"investment", "整改投入(元)", "investment", "投入(元)", "invested"},
};

typedef struct row {
    char *group;            /* NULL: the group's value is NULL, shown "(none)" */
    long long n[NFIGURES];  /* counts (F_RATE, F_AMOUNT, F_INVESTMENT unused) */
    double rate, amount, investment;
} row;

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
                  " WHERE (?1 IS NULL OR i.date >= ?1) AND (?2 IS NULL OR i.date <= ?2)\n"
                  " GROUP BY 1\n",
                  g->gi, g->ji);
    /* actions opened in the period: hazards, the rate's cohort, overdue, investment */
    hc_buf_printf(&b,
                  "UNION ALL SELECT %s, 0, 0, sum(a.severity = 'general'), sum(a.severity = 'major'), 0,"
                  " sum(a.status = 'verified' AND a.closed_on IS NOT NULL"
                  "     AND (?1 IS NULL OR a.closed_on >= ?1) AND (?2 IS NULL OR a.closed_on <= ?2)),"
                  " sum(a.status <> 'verified' AND a.deadline < ?3), 0, 0, 0, 0, 0, 0, total(a.cost)\n"
                  " FROM actions a%s\n"
                  " WHERE (?1 IS NULL OR a.opened_on >= ?1) AND (?2 IS NULL OR a.opened_on <= ?2)\n"
                  " GROUP BY 1\n",
                  g->ga_open, g->ja);
    /* actions verified (closed) in the period */
    hc_buf_printf(&b,
                  "UNION ALL SELECT %s, 0, 0, 0, 0, count(*), 0, 0, 0, 0, 0, 0, 0, 0, 0\n"
                  " FROM actions a%s\n"
                  " WHERE a.status = 'verified' AND a.closed_on IS NOT NULL"
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
                      " WHERE (?1 IS NULL OR e.date >= ?1) AND (?2 IS NULL OR e.date <= ?2)\n"
                      " GROUP BY 1\n",
                      g->ge, g->je);
    hc_buf_puts(&b, ")");
    /* without a grouping the outer aggregate has no GROUP BY: always exactly one row */
    if (g->name) hc_buf_puts(&b, " GROUP BY g ORDER BY g IS NULL, g");
    return hc_buf_take(&b);
}

static void free_rows(row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) free(rows[i].group);
    free(rows);
}

/* Run the query; the rows are the caller's. */
static int query(hc_store *s, const grouping *g, const char *since, const char *until,
                 row **out, size_t *nout, hc_diags *d)
{
    char *sql = build_query(g);
    sqlite3_stmt *st = NULL;
    int prc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    free(sql);
    if (prc != SQLITE_OK) return hc_store_error(s, d, "preparing the figures");
    hc_bind_text(st, 1, since);
    hc_bind_text(st, 2, until);
    hc_bind_text(st, 3, s->today);
    row *rows = NULL;
    size_t n = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        HC_GROW(rows, cap, n + 1);
        row *r = &rows[n++];
        memset(r, 0, sizeof *r);
        const char *grp = (const char *)sqlite3_column_text(st, 0);
        r->group = grp ? hc_xstrdup(grp) : NULL;
        static const int col[NFIGURES] = {
            [F_INSPECTIONS] = 1, [F_SITES] = 2, [F_GENERAL] = 3, [F_MAJOR] = 4,
            [F_VERIFIED] = 5, [F_OVERDUE] = 7, [F_INTERVIEWS] = 8, [F_LISTED] = 9,
            [F_PENALTIES] = 10, [F_SUSPENSIONS] = 12, [F_CLOSE_DOWNS] = 13,
        };
        for (int f = 0; f < NFIGURES; f++)
            if (col[f]) r->n[f] = sqlite3_column_int64(st, col[f]);
        long long fixed = sqlite3_column_int64(st, 6);
        long long hazards = r->n[F_GENERAL] + r->n[F_MAJOR];
        r->rate = hazards > 0 ? round((double)fixed / (double)hazards * 10000.0) / 10000.0 : 0.0;
        r->amount = sqlite3_column_double(st, 11);
        r->investment = sqlite3_column_double(st, 14);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        free_rows(rows, n);
        return hc_store_error(s, d, "computing the figures");
    }
    *out = rows;
    *nout = n;
    return 0;
}

/* ------------------------------------------------------------------ output */

/* One figure as text: counts as integers, money with 2 decimals, the rate as 4. */
static void cell(const row *r, int f, int percent, char *buf, size_t n)
{
    if (f == F_RATE) {
        if (percent) snprintf(buf, n, "%.2f%%", r->rate * 100.0);
        else snprintf(buf, n, "%.4f", r->rate);
    } else if (f == F_AMOUNT) {
        snprintf(buf, n, "%.2f", r->amount);
    } else if (f == F_INVESTMENT) {
        snprintf(buf, n, "%.2f", r->investment);
    } else {
        snprintf(buf, n, "%lld", r->n[f]);
    }
}

static void write_json(FILE *out, const grouping *g, const row *rows, size_t n)
{
    hc_json j;
    hc_json_init(&j, out, 1);
    if (g->name) hc_json_begin_array(&j);
    for (size_t i = 0; i < n; i++) {
        const row *r = &rows[i];
        hc_json_begin_object(&j);
        if (g->name) {
            hc_json_key(&j, "group");
            hc_json_string(&j, r->group ? r->group : "(none)");
        }
        hc_json_key(&j, "inspections");
        hc_json_integer(&j, r->n[F_INSPECTIONS]);
        hc_json_key(&j, "sites_inspected");
        hc_json_integer(&j, r->n[F_SITES]);
        hc_json_key(&j, "hazards");
        hc_json_begin_object(&j);
        hc_json_key(&j, "general");
        hc_json_integer(&j, r->n[F_GENERAL]);
        hc_json_key(&j, "major");
        hc_json_integer(&j, r->n[F_MAJOR]);
        hc_json_end_object(&j);
        hc_json_key(&j, "verified");
        hc_json_integer(&j, r->n[F_VERIFIED]);
        hc_json_key(&j, "rectification_rate");
        hc_json_number(&j, r->rate);
        hc_json_key(&j, "overdue");
        hc_json_integer(&j, r->n[F_OVERDUE]);
        hc_json_key(&j, "interviews");
        hc_json_integer(&j, r->n[F_INTERVIEWS]);
        hc_json_key(&j, "listed");
        hc_json_integer(&j, r->n[F_LISTED]);
        hc_json_key(&j, "penalties");
        hc_json_begin_object(&j);
        hc_json_key(&j, "count");
        hc_json_integer(&j, r->n[F_PENALTIES]);
        hc_json_key(&j, "amount");
        hc_json_number(&j, r->amount);
        hc_json_end_object(&j);
        hc_json_key(&j, "suspensions");
        hc_json_integer(&j, r->n[F_SUSPENSIONS]);
        hc_json_key(&j, "close_downs");
        hc_json_integer(&j, r->n[F_CLOSE_DOWNS]);
        hc_json_key(&j, "investment");
        hc_json_number(&j, r->investment);
        hc_json_end_object(&j);
    }
    if (g->name) hc_json_end_array(&j);
}

static void write_csv(FILE *out, const grouping *g, const row *rows, size_t n)
{
    hc_csv_bom(out);
    if (g->name) fputs("group,", out);
    for (int f = 0; f < NFIGURES; f++) fprintf(out, "%s%s", f ? "," : "", figures[f].csv);
    fputs("\r\n", out);
    for (size_t i = 0; i < n; i++) {
        if (g->name) {
            hc_csv_field(out, rows[i].group ? rows[i].group : "(none)");
            fputc(',', out);
        }
        for (int f = 0; f < NFIGURES; f++) {
            char buf[64];
            cell(&rows[i], f, 0, buf, sizeof buf);
            fprintf(out, "%s%s", f ? "," : "", buf);
        }
        fputs("\r\n", out);
    }
}

/* Text for a terminal: control characters (an escape sequence in a site's district,
   say) become spaces. Returns a malloc'd copy. */
static char *printable(const char *s)
{
    char *t = hc_xstrdup(s);
    for (unsigned char *p = (unsigned char *)t; *p; p++)
        if (*p < 0x20 || *p == 0x7F) *p = ' ';
    return t;
}

/* Write s padded with spaces to 'width' terminal cells (CJK count two). */
static void pad(FILE *out, const char *s, size_t width, int right)
{
    size_t w = hc_display_width(s);
    if (right)
        for (size_t i = w; i < width; i++) fputc(' ', out);
    fputs(s, out);
    if (!right)
        for (size_t i = w; i < width; i++) fputc(' ', out);
}

static void write_period(FILE *out, const char *since, const char *until, const char *today)
{
    if (since == NULL && until == NULL) fputs("统计期间 period: 全部 all dates", out);
    else fprintf(out, "统计期间 period: %s – %s", since ? since : "", until ? until : "");
    fprintf(out, "   (逾期 overdue as of %s)\n", today);
}

static void write_text(FILE *out, const grouping *g, const row *rows, size_t n,
                       const char *since, const char *until, const char *today)
{
    write_period(out, since, until, today);
    if (g->name == NULL) {
        /* one row: a list of labelled figures, values right-aligned */
        char labels[NFIGURES][96], values[NFIGURES][64];
        size_t lw = 0, vw = 0;
        for (int f = 0; f < NFIGURES; f++) {
            snprintf(labels[f], sizeof labels[f], "%s %s", figures[f].zh, figures[f].en);
            cell(&rows[0], f, 1, values[f], sizeof values[f]);
            size_t a = hc_display_width(labels[f]), b = hc_display_width(values[f]);
            if (a > lw) lw = a;
            if (b > vw) vw = b;
        }
        for (int f = 0; f < NFIGURES; f++) {
            pad(out, labels[f], lw + 2, 0);
            pad(out, values[f], vw, 1);
            fputc('\n', out);
        }
        return;
    }
    if (n == 0) {
        fputs("no figures for this period\n", out);
        return;
    }
    /* one row per group: two header lines (Chinese, English), columns as wide as needed */
    char **groups = hc_xcalloc(n, sizeof *groups);
    char (*cells)[NFIGURES][64] = hc_xcalloc(n, sizeof *cells);
    size_t width[NFIGURES + 1];
    width[0] = hc_display_width(g->zh);
    if (strlen(g->name) > width[0]) width[0] = strlen(g->name);
    for (int f = 0; f < NFIGURES; f++) {
        size_t a = hc_display_width(figures[f].zh_short), b = strlen(figures[f].en_short);
        width[f + 1] = a > b ? a : b;
    }
    for (size_t i = 0; i < n; i++) {
        groups[i] = printable(rows[i].group ? rows[i].group : "(none)");
        size_t w = hc_display_width(groups[i]);
        if (w > width[0]) width[0] = w;
        for (int f = 0; f < NFIGURES; f++) {
            cell(&rows[i], f, 1, cells[i][f], sizeof cells[i][f]);
            w = hc_display_width(cells[i][f]);
            if (w > width[f + 1]) width[f + 1] = w;
        }
    }
    for (int line = 0; line < 2; line++) {
        pad(out, line ? g->name : g->zh, width[0], 0);
        for (int f = 0; f < NFIGURES; f++) {
            fputs("  ", out);
            pad(out, line ? figures[f].en_short : figures[f].zh_short, width[f + 1], 1);
        }
        fputc('\n', out);
    }
    for (size_t i = 0; i < n; i++) {
        pad(out, groups[i], width[0], 0);
        for (int f = 0; f < NFIGURES; f++) {
            fputs("  ", out);
            pad(out, cells[i][f], width[f + 1], 1);
        }
        fputc('\n', out);
        free(groups[i]);
    }
    free(groups);
    free(cells);
}

/* ------------------------------------------------------------------ entry */

int hc_store_stats(hc_store *s, const hc_stats_query *q, FILE *out, const char *format, hc_diags *d)
{
    static const hc_stats_query all = {0};
    if (q == NULL) q = &all;
    if (format == NULL) format = "text";
    int fmt = strcmp(format, "text") == 0 ? 0 : strcmp(format, "json") == 0 ? 1
            : strcmp(format, "csv") == 0 ? 2 : -1;
    if (fmt < 0) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "--format '%s' for stats; expected text, json or csv", format);
        return -1;
    }
    const grouping *g = NULL;
    for (size_t i = 0; i < NGROUPINGS; i++)
        if (q->by == NULL ? groupings[i].name == NULL
                          : groupings[i].name && strcmp(q->by, groupings[i].name) == 0)
            g = &groupings[i];
    if (g == NULL) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0,
                     "--by '%s'; expected district, squad, industry, checklist or month", q->by);
        return -1;
    }
    long since_days = 0, until_days = 0;
    if (q->since && hc_date_parse(q->since, strlen(q->since), &since_days) != 0) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "--since '%s'; expected a date YYYY-MM-DD", q->since);
        return -1;
    }
    if (q->until && hc_date_parse(q->until, strlen(q->until), &until_days) != 0) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "--until '%s'; expected a date YYYY-MM-DD", q->until);
        return -1;
    }
    if (q->since && q->until && since_days > until_days) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "--since %s is after --until %s; the period is empty",
                     q->since, q->until);
        return -1;
    }
    row *rows = NULL;
    size_t n = 0;
    if (query(s, g, q->since, q->until, &rows, &n, d) != 0) return -1;
    if (g->name == NULL && n == 0) {     /* not expected: an ungrouped aggregate has one row */
        rows = hc_xcalloc(1, sizeof *rows);
        n = 1;
    }
    if (fmt == 1) write_json(out, g, rows, n);
    else if (fmt == 2) write_csv(out, g, rows, n);
    else write_text(out, g, rows, n, q->since, q->until, s->today);
    free_rows(rows, n);
    return 0;
}
