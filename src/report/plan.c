/*
** plan.c: the visit plan (hc_store_plan) as people read it: a ranked list with
** the reasons in words, the 双随机 draw with its seed, and the visits per
** inspector (text, or an A4 page to pin up); JSON and CSV for programs.
**
** The store gives reasons as codes and numbers; the words are made here, in
** the reader's language, so the JSON never changes with it.
*/
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

static const char *dash(const char *s) { return s ? s : "-"; }

static long long num(const hc_node *map, const char *key)
{
    const char *t = hc_text(map, key);
    return t ? strtoll(t, NULL, 10) : 0;
}

/* One reason in words, with its points: "2 major hazards not yet verified (+60)". */
static void reason_text(const hc_node *r, hc_buf *b)
{
    const char *code = hc_text(r, "code");
    long long count = num(r, "count"), days = num(r, "days");
    if (code == NULL) return;
    if (strcmp(code, "open_major") == 0)
        hc_buf_printf(b, hc_trn("%lld major hazard not yet verified",
                                "%lld major hazards not yet verified", (unsigned long)count), count);
    else if (strcmp(code, "open_general") == 0)
        hc_buf_printf(b, hc_trn("%lld general hazard not yet verified",
                                "%lld general hazards not yet verified", (unsigned long)count), count);
    else if (strcmp(code, "overdue") == 0)
        hc_buf_printf(b, hc_trn("%lld action past its deadline, the longest by %lld days",
                                "%lld actions past their deadline, the longest by %lld days",
                                (unsigned long)count), count, days);
    else if (strcmp(code, "since_visit_day") == 0)
        hc_buf_printf(b, _("last inspected %lld days ago"), days);
    else if (strcmp(code, "never_visited") == 0)
        hc_buf_puts(b, _("never inspected by the bureau"));
    else if (strcmp(code, "listed") == 0)
        hc_buf_puts(b, _("blacklisted"));
    else if (strcmp(code, "suspended") == 0)
        hc_buf_puts(b, _("ordered to suspend: is it still stopped?"));
    else if (strncmp(code, "grade", 5) == 0)
        hc_buf_printf(b, _("a grade %lld major hazard source"), count);
    else if (strcmp(code, "self_understated") == 0)
        hc_buf_printf(b, hc_trn("its self-assessment passed %lld item the last inspection failed",
                                "its self-assessment passed %lld items the last inspection failed",
                                (unsigned long)count), count);
    else
        hc_buf_puts(b, code);
    hc_buf_printf(b, " (+%s)", dash(hc_text(r, "points")));
}

static char *reasons_text(const hc_node *site, const char *sep)
{
    hc_buf b = {0};
    hc_buf_puts(&b, "");
    const hc_node *why = hc_map_get(site, "reasons");
    for (size_t i = 0; why && i < why->len; i++) {
        if (i) hc_buf_puts(&b, sep);
        reason_text(why->kids[i], &b);
    }
    return hc_buf_take(&b);
}

/* Pad to a width in terminal cells (Chinese characters take two). */
static void pad(FILE *out, const char *s, size_t width)
{
    fputs(s, out);
    for (size_t w = hc_display_width(s); w < width; w++) fputc(' ', out);
}

static void write_text(FILE *out, const hc_node *root)
{
    const char *squad = hc_text(root, "squad");
    if (squad)
        fprintf(out, _("Visit plan %s to %s, squad %s\n"), hc_text(root, "from"),
                hc_text(root, "until"), squad);
    else
        fprintf(out, _("Visit plan %s to %s, every squad\n"), hc_text(root, "from"),
                hc_text(root, "until"));
    const hc_node *sites = hc_map_get(root, "sites");
    const hc_node *w = hc_map_get(root, "weights");
    fprintf(out, _("\nPriority visits (risk score %s or more): %lld\n"), dash(hc_text(w, "priority")),
            num(root, "priority_count"));
    int others = 0;
    for (size_t i = 0; sites && i < sites->len; i++) {
        const hc_node *s = sites->kids[i];
        if (!hc_flag(s, "priority") && !others) {
            fprintf(out, "%s", _("\nThe other sites, by risk score:\n"));
            others = 1;
        }
        fprintf(out, "%4zu  ", i + 1);
        pad(out, hc_text(s, "site"), 16);
        pad(out, dash(hc_text(s, "name")), 34);
        fprintf(out, " %6s  %s\n", hc_text(s, "score"), dash(hc_text(s, "inspector")));
        char *why = reasons_text(s, _("; "));
        if (*why) fprintf(out, "        %s\n", why);
        free(why);
    }
    if (sites == NULL || sites->len == 0) fprintf(out, "%s", _("no sites to plan\n"));
    const hc_node *dr = hc_map_get(root, "draw");
    if (dr) {
        const hc_node *picks = hc_map_get(dr, "picks");
        fprintf(out, _("\nRandom draw (双随机): %zu of %lld sites, seed %s\n"),
                picks ? picks->len : 0, num(dr, "pool"), hc_text(dr, "seed"));
        /* the same pool needs the same squad: the command to draw again names it */
        if (hc_text(root, "squad"))
            fprintf(out, _("(anyone can draw it again: hazcheck plan --squad %s --from %s --random %lld --seed %s)\n"),
                    hc_text(root, "squad"), hc_text(root, "from"), num(dr, "asked"), hc_text(dr, "seed"));
        else
            fprintf(out, _("(anyone can draw it again: hazcheck plan --from %s --random %lld --seed %s)\n"),
                    hc_text(root, "from"), num(dr, "asked"), hc_text(dr, "seed"));
        for (size_t i = 0; picks && i < picks->len; i++) {
            const hc_node *p = picks->kids[i];
            fprintf(out, "%4zu  ", i + 1);
            pad(out, hc_text(p, "site"), 16);
            pad(out, dash(hc_text(p, "name")), 34);
            fprintf(out, _(" inspector %s (resident %s)\n"), dash(hc_text(p, "inspector")),
                    dash(hc_text(p, "resident")));
        }
    }
    const hc_node *visits = hc_map_get(root, "visits");
    if (visits && visits->len) {
        fprintf(out, "%s", _("\nVisits by inspector\n"));
        for (size_t i = 0; i < visits->len; i++) {
            const hc_node *v = visits->kids[i];
            fputs("  ", out);
            pad(out, hc_text(v, "inspector") ? hc_text(v, "inspector") : _("(unassigned)"), 12);
            fprintf(out, " %s  ", hc_text(v, "date"));
            pad(out, hc_text(v, "site"), 16);
            pad(out, dash(hc_text(v, "name")), 34);
            const char *why = hc_text(v, "why");
            fprintf(out, " %s\n", why && strcmp(why, "priority") == 0 ? _("priority") : _("drawn"));
        }
    }
}

static void write_csv(FILE *out, const hc_node *root)
{
    hc_csv_bom(out);
    static const char *const heads[] = {N_("site"), N_("name"), N_("squad"), N_("inspector"),
                                        N_("risk score"), N_("priority"), N_("drawn"),
                                        N_("drawn inspector"), N_("visit date"), N_("reasons")};
    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
        if (i) fputc(',', out);
        hc_csv_field(out, _(heads[i]));
    }
    fputs("\r\n", out);
    const hc_node *sites = hc_map_get(root, "sites"), *dr = hc_map_get(root, "draw");
    const hc_node *picks = dr ? hc_map_get(dr, "picks") : NULL, *visits = hc_map_get(root, "visits");
    for (size_t i = 0; sites && i < sites->len; i++) {
        const hc_node *s = sites->kids[i];
        const char *id = hc_text(s, "site");
        const char *drawn_by = NULL, *date = NULL;
        int drawn = 0;
        for (size_t j = 0; picks && j < picks->len; j++)
            if (strcmp(hc_text(picks->kids[j], "site"), id) == 0)
                drawn = 1, drawn_by = hc_text(picks->kids[j], "inspector");
        for (size_t j = 0; visits && j < visits->len; j++)
            if (strcmp(hc_text(visits->kids[j], "site"), id) == 0) date = hc_text(visits->kids[j], "date");
        const char *cells[] = {id, hc_text(s, "name"), hc_text(s, "squad"), hc_text(s, "inspector"),
                               hc_text(s, "score"), hc_flag(s, "priority") ? _("yes") : _("no"),
                               drawn ? _("yes") : _("no"), drawn_by, date};
        for (size_t k = 0; k < sizeof cells / sizeof cells[0]; k++) {
            if (k) fputc(',', out);
            hc_csv_field(out, cells[k] ? cells[k] : "");
        }
        char *why = reasons_text(s, _("; "));
        fputc(',', out);
        hc_csv_field(out, why);
        free(why);
        fputs("\r\n", out);
    }
}

/* The page: the data, with the reasons in words and the visits grouped by inspector. */
static int write_html(FILE *out, const hc_node *root, hc_diags *d)
{
    hc_doc *m = hc_doc_new("plan page");
    hc_node *page = (hc_node *)hc_doc_root(m);
    static const char *const keep[] = {"from", "until", "squad", "priority_count"};
    for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++)
        hc_add_str(m, page, keep[i], hc_text(root, keep[i]));
    hc_add_str(m, page, "threshold", hc_text(hc_map_get(root, "weights"), "priority"));
    const hc_node *sites = hc_map_get(root, "sites");
    hc_node *pri = hc_add_seq(m, page, "priority"), *rest = hc_add_seq(m, page, "others");
    for (size_t i = 0; sites && i < sites->len; i++) {
        const hc_node *s = sites->kids[i];
        hc_node *x = hc_add_map(m, hc_flag(s, "priority") ? pri : rest, NULL);
        hc_add_int(m, x, "rank", (long long)i + 1);
        static const char *const f[] = {"site", "name", "inspector", "score", "last_visit"};
        for (size_t k = 0; k < sizeof f / sizeof f[0]; k++) hc_add_str(m, x, f[k], hc_text(s, f[k]));
        char *why = reasons_text(s, _("; "));
        hc_add_str(m, x, "reasons", why);
        free(why);
    }
    hc_add_bool(m, page, "has_others", rest->len > 0);
    const hc_node *dr = hc_map_get(root, "draw");
    if (dr) hc_tree_add(m, page, "draw", hc_tree_copy(m, dr));
    /* the visits by inspector, in the order inspectors first appear */
    const hc_node *visits = hc_map_get(root, "visits");
    hc_node *by = hc_add_seq(m, page, "inspectors");
    for (size_t i = 0; visits && i < visits->len; i++) {
        const char *who = hc_text(visits->kids[i], "inspector");
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++) {
            const char *w = hc_text(visits->kids[j], "inspector");
            seen = (w == who) || (w && who && strcmp(w, who) == 0);
        }
        if (seen) continue;
        hc_node *g = hc_add_map(m, by, NULL);
        hc_add_str(m, g, "inspector", who ? who : _("(unassigned)"));
        hc_node *list = hc_add_seq(m, g, "visits");
        for (size_t j = i; j < visits->len; j++) {
            const char *w = hc_text(visits->kids[j], "inspector");
            if (!((w == who) || (w && who && strcmp(w, who) == 0))) continue;
            hc_node *v = hc_add_map(m, list, NULL);
            static const char *const f[] = {"date", "site", "name", "score"};
            for (size_t k = 0; k < sizeof f / sizeof f[0]; k++)
                hc_add_str(m, v, f[k], hc_text(visits->kids[j], f[k]));
            const char *why = hc_text(visits->kids[j], "why");
            hc_add_bool(m, v, "priority", why && strcmp(why, "priority") == 0);
        }
    }
    int rc = hc_render_page("plan.html", m, out, d);
    hc_doc_free(&m);
    return rc;
}

int hc_render_plan(FILE *out, const hc_doc *data, hc_format fmt, hc_diags *d)
{
    const hc_node *root = hc_doc_root(data);
    switch (fmt) {
    case HC_FMT_TEXT: write_text(out, root); return 0;
    case HC_FMT_JSON: hc_write_json_tree(out, root); return 0;
    case HC_FMT_CSV: write_csv(out, root); return 0;
    case HC_FMT_HTML: return write_html(out, root, d);
    default: return hc_format_refused(fmt, "the plan", "text, json, csv or html", d);
    }
}
