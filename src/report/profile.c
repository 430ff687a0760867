/*
** profile.c: `check --profile`: the time each rule took, slowest first, so a
** pack author finds the rule that makes a batch slow (hc_engine_profile_report
** gives the figures; this lays them out).
*/
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

/* A cell, padded to a display width (headings are Chinese: two columns a character). */
static void cell(FILE *out, const char *s, size_t width, int right)
{
    size_t w = hc_display_width(s);
    if (right)
        for (size_t x = w; x < width; x++) fputc(' ', out);
    fputs(s, out);
    if (!right)
        for (size_t x = w; x < width; x++) fputc(' ', out);
}

/* What part of an item ran, in words (the codes are the report's, English). */
static const char *part_label(const char *part)
{
    if (strcmp(part, "rule") == 0) return _("rule");
    if (strcmp(part, "check") == 0) return _("check");
    return _("applies");
}

int hc_render_profile(FILE *out, const hc_doc *profile, hc_diags *d)
{
    (void)d;
    const hc_node *rules = hc_map_get(hc_doc_root(profile), "rules");
    const char *head[6] = {_("rule"), _("part"), _("calls"), _("total ms"), _("mean µs"), _("max µs")};
    size_t w[6];
    for (int k = 0; k < 6; k++) w[k] = hc_display_width(head[k]);
    char (*name)[160] = hc_xcalloc(rules && rules->len ? rules->len : 1, sizeof *name);
    char (*num)[4][32] = hc_xcalloc(rules && rules->len ? rules->len : 1, sizeof *num);
    double total = 0;
    for (size_t i = 0; rules && i < rules->len; i++) {
        const hc_node *r = rules->kids[i];
        const hc_node *item = hc_map_get(r, "item");
        snprintf(name[i], sizeof name[i], "%s@%s %s", hc_map_get(r, "checklist")->str,
                 hc_map_get(r, "version")->str, item && item->str ? item->str : _("(the checklist)"));
        const char *keys[4] = {"calls", "total_ms", "mean_us", "max_us"};
        for (int k = 0; k < 4; k++) {
            double v = strtod(hc_map_get(r, keys[k])->str, NULL);
            snprintf(num[i][k], sizeof num[i][k], k == 0 ? "%.0f" : "%.1f", v);
        }
        total += strtod(hc_map_get(r, "total_ms")->str, NULL);
        const char *cells[6] = {name[i], part_label(hc_map_get(r, "part")->str), num[i][0], num[i][1], num[i][2], num[i][3]};
        for (int k = 0; k < 6; k++)
            if (hc_display_width(cells[k]) > w[k]) w[k] = hc_display_width(cells[k]);
    }
    fprintf(out, _("Time in rules, slowest first (%.1f ms in all):\n"), total);
    for (int k = 0; k < 6; k++) {
        cell(out, head[k], w[k], k >= 2);
        fputs(k < 5 ? "  " : "\n", out);
    }
    for (size_t i = 0; rules && i < rules->len; i++) {
        const char *cells[6] = {name[i], part_label(hc_map_get(rules->kids[i], "part")->str), num[i][0], num[i][1],
                                num[i][2], num[i][3]};
        for (int k = 0; k < 6; k++) {
            cell(out, cells[k], w[k], k >= 2);
            fputs(k < 5 ? "  " : "\n", out);
        }
    }
    free(name);
    free(num);
    return 0;
}
