/*
** figures.c: `hazcheck stats --format html`: the period's figures as a page a
** bureau chief reads: key numbers, hazards by month, by squad, district and
** industry, with charts whose numbers are printed on them (paper has no hover).
**
** The figures come from hc_store_stats (JSON), so the page can never disagree
** with `stats --format json`. Chart geometry is computed here and handed to
** the template as plain rectangles, lines and texts: templates stay logic-less.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "report/report.h"
#include "store/store.h"

/* Run a stats query into a parsed document. */
static hc_doc *stats_doc(hc_store *s, const char *since, const char *until, const char *by, hc_diags *d)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL) return NULL;
    hc_stats_query q = {since, until, by};
    int rc = hc_store_stats(s, &q, f, "json", d);
    fclose(f);
    hc_doc *doc = NULL;
    if (rc == 0) {
        hc_reader *r = hc_reader_open_mem("stats", buf, len, NULL, d);
        if (r == NULL || hc_reader_next(r, &doc, d) != 1) doc = NULL;
        hc_reader_close(&r);
    }
    free(buf);
    return doc;
}

static double num(const hc_node *map, const char *key, const char *sub)
{
    const hc_node *n = hc_map_get(map, key);
    if (sub) n = hc_map_get(n, sub);
    if (n == NULL || n->kind != HC_SCALAR) return 0;
    return strtod(n->str, NULL);
}

static const char *text(const hc_node *map, const char *key)
{
    const hc_node *n = hc_map_get(map, key);
    return n && n->kind == HC_SCALAR ? n->str : "";
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

static void shape_rect(hc_json *j, double x, double y, double w, double h, const char *cls)
{
    hc_json_begin_object(j);
    hc_json_key(j, "x");
    hc_json_number(j, round(x * 10) / 10);
    hc_json_key(j, "y");
    hc_json_number(j, round(y * 10) / 10);
    hc_json_key(j, "w");
    hc_json_number(j, round(w * 10) / 10);
    hc_json_key(j, "h");
    hc_json_number(j, round(h * 10) / 10);
    hc_json_key(j, "cls");
    hc_json_string(j, cls);
    hc_json_end_object(j);
}

static void shape_text(hc_json *j, double x, double y, const char *anchor, const char *cls, const char *t)
{
    hc_json_begin_object(j);
    hc_json_key(j, "x");
    hc_json_number(j, round(x * 10) / 10);
    hc_json_key(j, "y");
    hc_json_number(j, round(y * 10) / 10);
    hc_json_key(j, "anchor");
    hc_json_string(j, anchor);
    hc_json_key(j, "cls");
    hc_json_string(j, cls);
    hc_json_key(j, "t");
    hc_json_string(j, t);
    hc_json_end_object(j);
}

static void fmt(char *out, size_t n, double v)
{
    if (v == floor(v) && fabs(v) < 1e15) snprintf(out, n, "%.0f", v);
    else snprintf(out, n, "%.2f", v);
}

/*
** A horizontal stacked bar chart of hazards (general + major) per group, with
** the number at the end of each bar, a scale with ticks, and a legend.
*/
static void hazard_chart(hc_json *j, const char *title, const hc_node *groups)
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
    hc_json_begin_object(j);
    hc_json_key(j, "title");
    hc_json_string(j, title);
    hc_json_key(j, "w");
    hc_json_number(j, W);
    hc_json_key(j, "h");
    hc_json_number(j, H);
    hc_json_key(j, "empty");
    hc_json_bool(j, n == 0);
    hc_json_key(j, "rects");
    hc_json_begin_array(j);
    shape_rect(j, left, 8, 12, 12, "general");
    shape_rect(j, left + 110, 8, 12, 12, "major");
    for (size_t i = 0; i < n; i++) {
        double g = num(groups->kids[i], "hazards", "general"), m = num(groups->kids[i], "hazards", "major");
        double y = top + (double)i * (bar + gap);
        shape_rect(j, left, y, plot * g / max, bar, "general");
        shape_rect(j, left + plot * g / max, y, plot * m / max, bar, "major");
    }
    hc_json_end_array(j);
    hc_json_key(j, "lines");
    hc_json_begin_array(j);
    double base = top + (double)n * (bar + gap);
    for (int t = 0; t <= 4; t++) {
        double x = left + plot * t / 4;
        hc_json_begin_object(j);
        hc_json_key(j, "x1");
        hc_json_number(j, x);
        hc_json_key(j, "y1");
        hc_json_number(j, top - 4);
        hc_json_key(j, "x2");
        hc_json_number(j, x);
        hc_json_key(j, "y2");
        hc_json_number(j, base);
        hc_json_key(j, "cls");
        hc_json_string(j, t == 0 ? "axis" : "grid");
        hc_json_end_object(j);
    }
    hc_json_end_array(j);
    hc_json_key(j, "texts");
    hc_json_begin_array(j);
    shape_text(j, left + 16, 18, "start", "legend", "一般隐患 general");
    shape_text(j, left + 126, 18, "start", "legend", "重大隐患 major");
    for (int t = 0; t <= 4; t++) {
        char v[32];
        fmt(v, sizeof v, max * t / 4);
        shape_text(j, left + plot * t / 4, base + 16, "middle", "tick", v);
    }
    for (size_t i = 0; i < n; i++) {
        const hc_node *gr = groups->kids[i];
        double g = num(gr, "hazards", "general"), m = num(gr, "hazards", "major");
        double y = top + (double)i * (bar + gap) + bar - 5;
        shape_text(j, left - 8, y, "end", "label", text(gr, "group"));
        char v[64];
        snprintf(v, sizeof v, "%.0f（重大 %.0f）", g + m, m);
        shape_text(j, left + plot * (g + m) / max + 6, y, "start", "value", v);
    }
    hc_json_end_array(j);
    hc_json_end_object(j);
}

/* Vertical bars per month: inspections and hazards side by side, numbers on top. */
static void month_chart(hc_json *j, const hc_node *months)
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
    hc_json_begin_object(j);
    hc_json_key(j, "title");
    hc_json_string(j, "各月检查与隐患 · inspections and hazards by month");
    hc_json_key(j, "w");
    hc_json_number(j, W);
    hc_json_key(j, "h");
    hc_json_number(j, H);
    hc_json_key(j, "empty");
    hc_json_bool(j, n == 0);
    hc_json_key(j, "rects");
    hc_json_begin_array(j);
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
    hc_json_end_array(j);
    hc_json_key(j, "lines");
    hc_json_begin_array(j);
    for (int t = 0; t <= 4; t++) {
        double y = top + plotH - plotH * t / 4;
        hc_json_begin_object(j);
        hc_json_key(j, "x1");
        hc_json_number(j, left);
        hc_json_key(j, "y1");
        hc_json_number(j, y);
        hc_json_key(j, "x2");
        hc_json_number(j, W - 10);
        hc_json_key(j, "y2");
        hc_json_number(j, y);
        hc_json_key(j, "cls");
        hc_json_string(j, t == 0 ? "axis" : "grid");
        hc_json_end_object(j);
    }
    hc_json_end_array(j);
    hc_json_key(j, "texts");
    hc_json_begin_array(j);
    shape_text(j, left + 16, 18, "start", "legend", "检查 inspections");
    shape_text(j, left + 136, 18, "start", "legend", "一般隐患 general");
    shape_text(j, left + 256, 18, "start", "legend", "重大隐患 major");
    for (int t = 0; t <= 4; t++) {
        char v[32];
        fmt(v, sizeof v, max * t / 4);
        shape_text(j, left - 6, top + plotH - plotH * t / 4 + 4, "end", "tick", v);
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
        shape_text(j, x, top + plotH + 16, "middle", "label", text(m, "group"));
    }
    hc_json_end_array(j);
    hc_json_end_object(j);
}

static void kpi(hc_json *j, const char *k, double v, int percent)
{
    char t[48];
    if (percent) snprintf(t, sizeof t, "%.1f%%", v * 100);
    else fmt(t, sizeof t, v);
    hc_json_begin_object(j);
    hc_json_key(j, "k");
    hc_json_string(j, k);
    hc_json_key(j, "v");
    hc_json_string(j, t);
    hc_json_end_object(j);
}

int hc_store_stats_html(hc_store *s, const hc_stats_query *q, FILE *out, hc_diags *d)
{
    hc_doc *total = stats_doc(s, q->since, q->until, NULL, d);
    if (total == NULL) return -1;
    static const char *const groupings[] = {"month", "squad", "district", "industry"};
    hc_doc *by[4] = {NULL};
    for (int i = 0; i < 4; i++) by[i] = stats_doc(s, q->since, q->until, groupings[i], d);
    const hc_node *t = hc_doc_root(total);
    hc_json j;
    hc_json_init(&j, NULL, 0);
    hc_json_begin_object(&j);
    hc_json_key(&j, "since");
    hc_json_string(&j, q->since ? q->since : "（开始）");
    hc_json_key(&j, "until");
    hc_json_string(&j, q->until ? q->until : s->today);
    hc_json_key(&j, "kpis");
    hc_json_begin_array(&j);
    kpi(&j, "检查（次） inspections", num(t, "inspections", NULL), 0);
    kpi(&j, "检查单位（家） sites", num(t, "sites_inspected", NULL), 0);
    kpi(&j, "一般隐患 general hazards", num(t, "hazards", "general"), 0);
    kpi(&j, "重大隐患 major hazards", num(t, "hazards", "major"), 0);
    kpi(&j, "已整改验收 verified", num(t, "verified", NULL), 0);
    kpi(&j, "整改率 rectification rate", num(t, "rectification_rate", NULL), 1);
    kpi(&j, "逾期未改 overdue", num(t, "overdue", NULL), 0);
    kpi(&j, "约谈（家次） interviews", num(t, "interviews", NULL), 0);
    kpi(&j, "列入黑名单 listed", num(t, "listed", NULL), 0);
    kpi(&j, "行政处罚（起） penalties", num(t, "penalties", "count"), 0);
    kpi(&j, "罚款（元） fines, yuan", num(t, "penalties", "amount"), 0);
    kpi(&j, "停产整顿 suspensions", num(t, "suspensions", NULL), 0);
    kpi(&j, "关闭取缔 close-downs", num(t, "close_downs", NULL), 0);
    kpi(&j, "整改投入（元） investment, yuan", num(t, "investment", NULL), 0);
    hc_json_end_array(&j);
    hc_json_key(&j, "charts");
    hc_json_begin_array(&j);
    month_chart(&j, by[0] ? hc_doc_root(by[0]) : NULL);
    hazard_chart(&j, "各中队发现隐患 · hazards by squad", by[1] ? hc_doc_root(by[1]) : NULL);
    hazard_chart(&j, "各辖区发现隐患 · hazards by district", by[2] ? hc_doc_root(by[2]) : NULL);
    hazard_chart(&j, "各行业发现隐患 · hazards by industry", by[3] ? hc_doc_root(by[3]) : NULL);
    hc_json_end_array(&j);
    char now[21];
    hc_store_now(now);
    hc_json_key(&j, "generated_at");
    hc_json_string(&j, now);
    hc_json_end_object(&j);
    char *json = hc_buf_take(&j.buf);
    int rc = hc_render_json(json, "stats.html", out, d);
    free(json);
    hc_doc_free(&total);
    for (int i = 0; i < 4; i++) hc_doc_free(&by[i]);
    return rc;
}
