/*
** figures.c: the period's figures (hc_store_figures) for people and programs:
** a text table, JSON, CSV, or a page a bureau chief reads (key numbers,
** hazards by month, by squad, district and industry, with charts whose
** numbers are printed on them: paper has no hover).
**
** Every format is written from the same data, so a page can never disagree
** with `stats --format json`. Chart geometry is computed here and handed to
** the template as plain rectangles, lines and texts: templates stay logic-less.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

/* The figures, in output order: where each is in a row, and its labels. */
enum {
    F_INSPECTIONS, F_SITES, F_GENERAL, F_MAJOR, F_VERIFIED, F_RATE, F_OVERDUE, F_INTERVIEWS,
    F_LISTED, F_PENALTIES, F_AMOUNT, F_SUSPENSIONS, F_CLOSE_DOWNS, F_INVESTMENT, NFIGURES
};

static const struct figure {
    const char *key, *sub;         /* the row's key (and sub-key) */
    const char *label;             /* the one-row list's label */
    const char *heading;           /* the --by table's column heading */
    const char *page;              /* the page's key numbers */
} figures[NFIGURES] = {
    {"inspections", NULL, N_("inspections"), N_("visits"), N_("inspections")},
    {"sites_inspected", NULL, N_("sites inspected"), N_("sites"), N_("sites")},
    {"hazards", "general", N_("hazards, general"), N_("general"), N_("general hazards")},
    {"hazards", "major", N_("hazards, major"), N_("major"), N_("major hazards")},
    {"verified", NULL, N_("verified"), N_("verified"), N_("verified")},
    {"rectification_rate", NULL, N_("rectification rate"), N_("rate"), N_("rectification rate")},
    {"overdue", NULL, N_("overdue"), N_("overdue"), N_("overdue")},
    {"interviews", NULL, N_("interviews"), N_("interv."), N_("interviews")},
    {"listed", NULL, N_("listed"), N_("listed"), N_("listed")},
    {"penalties", "count", N_("penalties"), N_("penalties"), N_("penalties")},
    {"penalties", "amount", N_("penalty sum"), N_("sum"), N_("fines, yuan")},
    {"suspensions", NULL, N_("suspensions"), N_("suspended"), N_("suspensions")},
    {"close_downs", NULL, N_("close-downs"), N_("closed"), N_("close-downs")},
    {"investment", NULL, N_("investment"), N_("invested"), N_("investment, yuan")},
};
static const char *const csv_names[NFIGURES] = {
    "inspections", "sites_inspected", "hazards_general", "hazards_major", "verified",
    "rectification_rate", "overdue", "interviews", "listed", "penalties_count",
    "penalties_amount", "suspensions", "close_downs", "investment"};

/* The words for each grouping (stats --by). */
static const struct { const char *code, *word; } groupings[] = {
    {"district", N_("district")}, {"squad", N_("squad")}, {"industry", N_("industry")},
    {"checklist", N_("checklist")}, {"month", N_("month")},
};

static double num(const hc_node *map, const char *key, const char *sub)
{
    const hc_node *n = hc_map_get(map, key);
    if (sub) n = hc_map_get(n, sub);
    if (n == NULL || n->kind != HC_SCALAR) return 0;
    return strtod(n->str, NULL);
}

static double figure(const hc_node *row, int f) { return num(row, figures[f].key, figures[f].sub); }

/* A group that found no hazards has no rate (null), which people read as "—". */
static int no_rate(const hc_node *row)
{
    const hc_node *n = hc_map_get(row, "rectification_rate");
    return n == NULL || (n->kind == HC_SCALAR && hc_scalar_resolve(n, NULL, NULL, NULL) == HC_SC_NULL);
}

/* v with 'decimals' decimals and its thousands grouped by commas, for people:
   12,345 and 25,000.00 (programs get plain numbers). */
static void with_thousands(char *out, size_t n, double v, int decimals)
{
    char raw[64];
    snprintf(raw, sizeof raw, "%.*f", decimals, fabs(v));
    size_t digits = strcspn(raw, ".");
    hc_buf b = {0};
    if (v < 0 && strspn(raw, "0.") != strlen(raw)) hc_buf_putc(&b, '-');
    for (size_t i = 0; raw[i]; i++) {
        if (i && i < digits && (digits - i) % 3 == 0) hc_buf_putc(&b, ',');
        hc_buf_putc(&b, raw[i]);
    }
    snprintf(out, n, "%s", b.data);
    hc_buf_free(&b);
}

static const char *label(const hc_node *row)
{
    const char *g = hc_text(row, "group");
    return g ? g : "(none)";
}

/* How many intervals an axis from 0 to a nice maximum has, so that every tick
   is a whole number: counts have no 1.25. 1, 2, 5 -> steps of 1; 10 -> 5 steps of
   2; 20 -> 4 of 5; 50 -> 5 of 10; and so on. */
static int intervals(double max)
{
    if (max <= 5) return max < 1 ? 1 : (int)max;
    double lead = max / pow(10, floor(log10(max)));
    return lead < 1.5 || lead > 4 ? 5 : 4;
}

/* A "nice" axis maximum: 1, 2, 5 times a power of ten, at least v. */
static double nice_max(double v)
{
    if (v <= 0) return 1;
    double p = pow(10, floor(log10(v)));
    for (int i = 0;; i++) {
        static const double m[] = {1, 2, 5, 10};
        if (m[i % 4] * p >= v) return m[i % 4] * p;
        if (i % 4 == 3) p *= 10;
    }
}

static void shape_rect(hc_builder *j, double x, double y, double w, double h, const char *cls)
{
    hc_builder_begin_object(j);
    hc_builder_key(j, "x");
    hc_builder_number(j, round(x * 10) / 10);
    hc_builder_key(j, "y");
    hc_builder_number(j, round(y * 10) / 10);
    hc_builder_key(j, "w");
    hc_builder_number(j, round(w * 10) / 10);
    hc_builder_key(j, "h");
    hc_builder_number(j, round(h * 10) / 10);
    hc_builder_key(j, "cls");
    hc_builder_string(j, cls);
    hc_builder_end(j);
}

static void shape_text(hc_builder *j, double x, double y, const char *anchor, const char *cls, const char *t)
{
    hc_builder_begin_object(j);
    hc_builder_key(j, "x");
    hc_builder_number(j, round(x * 10) / 10);
    hc_builder_key(j, "y");
    hc_builder_number(j, round(y * 10) / 10);
    hc_builder_key(j, "anchor");
    hc_builder_string(j, anchor);
    hc_builder_key(j, "cls");
    hc_builder_string(j, cls);
    hc_builder_key(j, "t");
    hc_builder_string(j, t);
    hc_builder_end(j);
}

static void fmt(char *out, size_t n, double v)
{
    with_thousands(out, n, v, v == floor(v) && fabs(v) < 1e15 ? 0 : 2);
}

/*
** A horizontal stacked bar chart of hazards (general + major) per group, with
** the number at the end of each bar, a scale with ticks, and a legend.
*/
static void hazard_chart(hc_builder *j, const char *title, const hc_node *groups)
{
    size_t n = groups && groups->kind == HC_SEQ ? groups->len : 0;
    double max = 0;
    for (size_t i = 0; i < n; i++) {
        double t = num(groups->kids[i], "hazards", "general") + num(groups->kids[i], "hazards", "major");
        if (t > max) max = t;
    }
    max = nice_max(max);
    const double W = 640, left = 150, right = 60, top = 34, bar = 18, gap = 10;
    double plot = W - left - right;
    double H = top + (double)n * (bar + gap) + 30;
    hc_builder_begin_object(j);
    hc_builder_key(j, "title");
    hc_builder_string(j, title);
    hc_builder_key(j, "w");
    hc_builder_number(j, W);
    hc_builder_key(j, "h");
    hc_builder_number(j, H);
    hc_builder_key(j, "empty");
    hc_builder_bool(j, n == 0);
    hc_builder_key(j, "rects");
    hc_builder_begin_array(j);
    shape_rect(j, left, 8, 12, 12, "general");
    shape_rect(j, left + 110, 8, 12, 12, "major");
    for (size_t i = 0; i < n; i++) {
        double g = num(groups->kids[i], "hazards", "general"), m = num(groups->kids[i], "hazards", "major");
        double y = top + (double)i * (bar + gap);
        shape_rect(j, left, y, plot * g / max, bar, "general");
        shape_rect(j, left + plot * g / max, y, plot * m / max, bar, "major");
    }
    hc_builder_end(j);
    hc_builder_key(j, "lines");
    hc_builder_begin_array(j);
    double base = top + (double)n * (bar + gap);
    int steps = intervals(max);
    for (int t = 0; t <= steps; t++) {
        double x = left + plot * t / steps;
        hc_builder_begin_object(j);
        hc_builder_key(j, "x1");
        hc_builder_number(j, x);
        hc_builder_key(j, "y1");
        hc_builder_number(j, top - 4);
        hc_builder_key(j, "x2");
        hc_builder_number(j, x);
        hc_builder_key(j, "y2");
        hc_builder_number(j, base);
        hc_builder_key(j, "cls");
        hc_builder_string(j, t == 0 ? "axis" : "grid");
        hc_builder_end(j);
    }
    hc_builder_end(j);
    hc_builder_key(j, "texts");
    hc_builder_begin_array(j);
    shape_text(j, left + 16, 18, "start", "legend", _("general hazards"));
    shape_text(j, left + 126, 18, "start", "legend", _("major hazards"));
    for (int t = 0; t <= steps; t++) {
        char v[32];
        fmt(v, sizeof v, max * t / steps);
        shape_text(j, left + plot * t / steps, base + 16, "middle", "tick", v);
    }
    for (size_t i = 0; i < n; i++) {
        const hc_node *gr = groups->kids[i];
        double g = num(gr, "hazards", "general"), m = num(gr, "hazards", "major");
        double y = top + (double)i * (bar + gap) + bar - 5;
        shape_text(j, left - 8, y, "end", "label", label(gr));
        char v[64];
        snprintf(v, sizeof v, _("%.0f (major %.0f)"), g + m, m);
        shape_text(j, left + plot * (g + m) / max + 6, y, "start", "value", v);
    }
    hc_builder_end(j);
    hc_builder_end(j);
}

/* Vertical bars per month: inspections and hazards side by side, numbers on top. */
static void month_chart(hc_builder *j, const hc_node *months)
{
    size_t n = months && months->kind == HC_SEQ ? months->len : 0;
    double max = 0;
    for (size_t i = 0; i < n; i++) {
        double a = num(months->kids[i], "inspections", NULL);
        double h = num(months->kids[i], "hazards", "general") + num(months->kids[i], "hazards", "major");
        if (a > max) max = a;
        if (h > max) max = h;
    }
    max = nice_max(max);
    const double W = 640, left = 44, top = 34, bottom = 40, plotH = 180;
    double slot = n ? (W - left - 10) / (double)n : 0, bw = slot * 0.32;
    if (bw > 26) bw = 26;
    double H = top + plotH + bottom;
    hc_builder_begin_object(j);
    hc_builder_key(j, "title");
    hc_builder_string(j, _("inspections and hazards by month"));
    hc_builder_key(j, "w");
    hc_builder_number(j, W);
    hc_builder_key(j, "h");
    hc_builder_number(j, H);
    hc_builder_key(j, "empty");
    hc_builder_bool(j, n == 0);
    hc_builder_key(j, "rects");
    hc_builder_begin_array(j);
    shape_rect(j, left, 8, 12, 12, "visits");
    shape_rect(j, left + 120, 8, 12, 12, "general");
    shape_rect(j, left + 240, 8, 12, 12, "major");
    for (size_t i = 0; i < n; i++) {
        const hc_node *m = months->kids[i];
        double a = num(m, "inspections", NULL), g = num(m, "hazards", "general"), mj = num(m, "hazards", "major");
        double x = left + slot * (double)i + slot / 2;
        double ha = plotH * a / max, hg = plotH * g / max, hm = plotH * mj / max;
        shape_rect(j, x - bw - 1, top + plotH - ha, bw, ha, "visits");
        shape_rect(j, x + 1, top + plotH - hg, bw, hg, "general");
        shape_rect(j, x + 1, top + plotH - hg - hm, bw, hm, "major");
    }
    hc_builder_end(j);
    hc_builder_key(j, "lines");
    hc_builder_begin_array(j);
    int steps = intervals(max);
    for (int t = 0; t <= steps; t++) {
        double y = top + plotH - plotH * t / steps;
        hc_builder_begin_object(j);
        hc_builder_key(j, "x1");
        hc_builder_number(j, left);
        hc_builder_key(j, "y1");
        hc_builder_number(j, y);
        hc_builder_key(j, "x2");
        hc_builder_number(j, W - 10);
        hc_builder_key(j, "y2");
        hc_builder_number(j, y);
        hc_builder_key(j, "cls");
        hc_builder_string(j, t == 0 ? "axis" : "grid");
        hc_builder_end(j);
    }
    hc_builder_end(j);
    hc_builder_key(j, "texts");
    hc_builder_begin_array(j);
    shape_text(j, left + 16, 18, "start", "legend", _("inspections"));
    shape_text(j, left + 136, 18, "start", "legend", _("general hazards"));
    shape_text(j, left + 256, 18, "start", "legend", _("major hazards"));
    for (int t = 0; t <= steps; t++) {
        char v[32];
        fmt(v, sizeof v, max * t / steps);
        shape_text(j, left - 6, top + plotH - plotH * t / steps + 4, "end", "tick", v);
    }
    for (size_t i = 0; i < n; i++) {
        const hc_node *m = months->kids[i];
        double a = num(m, "inspections", NULL), g = num(m, "hazards", "general"), mj = num(m, "hazards", "major");
        double x = left + slot * (double)i + slot / 2;
        char v[32];
        fmt(v, sizeof v, a);
        shape_text(j, x - bw / 2 - 1, top + plotH - plotH * a / max - 4, "middle", "value", v);
        fmt(v, sizeof v, g + mj);
        shape_text(j, x + bw / 2 + 1, top + plotH - plotH * (g + mj) / max - 4, "middle", "value", v);
        shape_text(j, x, top + plotH + 16, "middle", "label", label(m));
    }
    hc_builder_end(j);
    hc_builder_end(j);
}


/* ------------------------------------------------------------- page */

static void kpi(hc_builder *j, const char *k, const hc_node *row, int f)
{
    char t[48];
    double v = row ? figure(row, f) : 0;
    if (f == F_RATE) {
        if (row == NULL || no_rate(row)) snprintf(t, sizeof t, "—");
        else snprintf(t, sizeof t, "%.1f%%", v * 100);
    } else {
        fmt(t, sizeof t, v);
    }
    hc_builder_begin_object(j);
    hc_builder_key(j, "k");
    hc_builder_string(j, k);
    hc_builder_key(j, "v");
    hc_builder_string(j, t);
    hc_builder_end(j);
}

static int write_page(FILE *out, const hc_node *root, hc_diags *d)
{
    const hc_node *rows = hc_map_get(root, "rows"), *bd = hc_map_get(root, "breakdowns");
    const hc_node *t = rows && rows->len ? rows->kids[0] : NULL;
    const hc_node *period = hc_map_get(root, "period");
    hc_doc *m = hc_doc_new("figures");
    hc_builder b, *j = &b;
    hc_builder_init(j, m);
    hc_builder_begin_object(j);
    hc_builder_key(j, "since");
    const char *since = hc_text(period, "since"), *until = hc_text(period, "until");
    hc_builder_string(j, since ? since : _("(the beginning)"));
    hc_builder_key(j, "until");
    hc_builder_string(j, until ? until : hc_text(root, "today"));
    hc_builder_key(j, "kpis");
    hc_builder_begin_array(j);
    for (int f = 0; f < NFIGURES; f++) kpi(j, _(figures[f].page), t, f);
    hc_builder_end(j);
    hc_builder_key(j, "charts");
    hc_builder_begin_array(j);
    month_chart(j, hc_map_get(bd, "month"));
    hazard_chart(j, _("hazards by squad"), hc_map_get(bd, "squad"));
    hazard_chart(j, _("hazards by district"), hc_map_get(bd, "district"));
    hazard_chart(j, _("hazards by industry"), hc_map_get(bd, "industry"));
    hc_builder_end(j);
    char now[21], local[20];
    hc_time_now_utc(now);
    hc_time_local(now, local);
    hc_builder_key(j, "generated_at");
    hc_builder_string(j, local);
    hc_builder_end(j);
    int rc = hc_render_page("stats.html", m, out, d);
    hc_doc_free(&m);
    return rc;
}

/* ------------------------------------------------------- text, CSV, JSON */

/* One figure as text: counts as integers, money with 2 decimals, the rate as 4.
   For people (a terminal) the rate is a percentage, thousands are grouped and
   no rate is "—"; for programs (CSV) plain numbers, and no rate an empty field. */
static void cell(const hc_node *row, int f, int people, char *buf, size_t n)
{
    double v = figure(row, f);
    if (f == F_RATE) {
        if (no_rate(row)) snprintf(buf, n, "%s", people ? "—" : "");
        else if (people) snprintf(buf, n, "%.2f%%", v * 100.0);
        else snprintf(buf, n, "%.4f", v);
    } else if (people) {
        with_thousands(buf, n, v, f == F_AMOUNT || f == F_INVESTMENT ? 2 : 0);
    } else {
        snprintf(buf, n, f == F_AMOUNT || f == F_INVESTMENT ? "%.2f" : "%.0f", v);
    }
}

static void write_csv(FILE *out, int grouped, const hc_node *rows)
{
    hc_csv_bom(out);
    if (grouped) fputs(_("group,"), out);
    for (int f = 0; f < NFIGURES; f++) fprintf(out, "%s%s", f ? "," : "", csv_names[f]);
    fputs("\r\n", out);
    for (size_t i = 0; i < rows->len; i++) {
        if (grouped) {
            hc_csv_field(out, label(rows->kids[i]));
            fputc(',', out);
        }
        for (int f = 0; f < NFIGURES; f++) {
            char buf[64];
            cell(rows->kids[i], f, 0, buf, sizeof buf);
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

static void write_text(FILE *out, const hc_node *root)
{
    const hc_node *period = hc_map_get(root, "period"), *rows = hc_map_get(root, "rows");
    const char *since = hc_text(period, "since"), *until = hc_text(period, "until");
    const char *by = hc_text(root, "by");
    if (since == NULL && until == NULL) fputs(_("period: all dates"), out);
    else fprintf(out, _("period: %s – %s"), since ? since : "", until ? until : "");
    fprintf(out, _("   (overdue as of %s)\n"), hc_text(root, "today"));
    if (by == NULL) {
        /* one row: a list of labelled figures, values right-aligned */
        char labels[NFIGURES][96], values[NFIGURES][64];
        size_t lw = 0, vw = 0;
        for (int f = 0; f < NFIGURES; f++) {
            snprintf(labels[f], sizeof labels[f], "%s", _(figures[f].label));
            if (rows->len) cell(rows->kids[0], f, 1, values[f], sizeof values[f]);
            else snprintf(values[f], sizeof values[f], "0");
            size_t a = hc_display_width(labels[f]), b = hc_display_width(values[f]);
            if (a > lw) lw = a;
            if (b > vw) vw = b;
        }
        for (int f = 0; f < NFIGURES; f++) {
            hc_pad(out, labels[f], lw + 2, 0);
            hc_pad(out, values[f], vw, 1);
            fputc('\n', out);
        }
        return;
    }
    size_t n = rows->len;
    if (n == 0) {
        fputs(_("no figures for this period\n"), out);
        return;
    }
    const char *by_word = by;
    for (size_t i = 0; i < sizeof groupings / sizeof groupings[0]; i++)
        if (strcmp(groupings[i].code, by) == 0) by_word = _(groupings[i].word);
    /* one row per group: a header line, columns as wide as needed */
    char **names = hc_xcalloc(n, sizeof *names);
    char (*cells)[NFIGURES][64] = hc_xcalloc(n, sizeof *cells);
    size_t width[NFIGURES + 1];
    width[0] = hc_display_width(by_word);
    for (int f = 0; f < NFIGURES; f++) width[f + 1] = hc_display_width(_(figures[f].heading));
    for (size_t i = 0; i < n; i++) {
        names[i] = printable(label(rows->kids[i]));
        size_t w = hc_display_width(names[i]);
        if (w > width[0]) width[0] = w;
        for (int f = 0; f < NFIGURES; f++) {
            cell(rows->kids[i], f, 1, cells[i][f], sizeof cells[i][f]);
            w = hc_display_width(cells[i][f]);
            if (w > width[f + 1]) width[f + 1] = w;
        }
    }
    hc_pad(out, by_word, width[0], 0);
    for (int f = 0; f < NFIGURES; f++) {
        fputs("  ", out);
        hc_pad(out, _(figures[f].heading), width[f + 1], 1);
    }
    fputc('\n', out);
    for (size_t i = 0; i < n; i++) {
        hc_pad(out, names[i], width[0], 0);
        for (int f = 0; f < NFIGURES; f++) {
            fputs("  ", out);
            hc_pad(out, cells[i][f], width[f + 1], 1);
        }
        fputc('\n', out);
        free(names[i]);
    }
    free(names);
    free(cells);
}

int hc_render_figures(FILE *out, const hc_doc *data, hc_format fmt, hc_diags *d)
{
    const hc_node *root = hc_doc_root(data), *rows = hc_map_get(root, "rows");
    int grouped = hc_text(root, "by") != NULL;
    switch (fmt) {
    case HC_FMT_TEXT: write_text(out, root); return 0;
    case HC_FMT_CSV: write_csv(out, grouped, rows); return 0;
    case HC_FMT_JSON:
        /* one object for the whole period, an array of groups with --by */
        hc_write_json_tree(out, grouped ? rows : rows->len ? rows->kids[0] : NULL);
        return 0;
    case HC_FMT_HTML: return write_page(out, root, d);
    default: return hc_format_refused(fmt, "figures", "text, json, csv or html", d);
    }
}
