/*
** profile.c: `check --profile`: the time each rule took, slowest first, so a
** pack author finds the rule that makes a batch slow (hc_engine_profile_report
** gives the figures; this lays them out).
*/
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

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
    size_t n = rules ? rules->len : 0;
    const char *head[6] = {_("rule"), _("part"), _("calls"), _("total ms"), _("mean µs"), _("max µs")};
    size_t w[6];
    for (int k = 0; k < 6; k++) w[k] = hc_display_width(head[k]);
    /* each row's cells, made once, measured, then written */
    char (*name)[160] = hc_xcalloc(n ? n : 1, sizeof *name);
    char (*num)[4][32] = hc_xcalloc(n ? n : 1, sizeof *num);
    const char *(*cells)[6] = hc_xcalloc(n ? n : 1, sizeof *cells);
    static const char *const keys[4] = {"calls", "total_ms", "mean_us", "max_us"};
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        const hc_node *r = rules->kids[i];
        const char *item = hc_text(r, "item"), *part = hc_text(r, "part");
        snprintf(name[i], sizeof name[i], "%s@%s %s", hc_text(r, "checklist"), hc_text(r, "version"),
                 item ? item : _("(the checklist)"));
        cells[i][0] = name[i];
        cells[i][1] = part_label(part ? part : "");
        for (int k = 0; k < 4; k++) {
            const char *v = hc_text(r, keys[k]);
            snprintf(num[i][k], sizeof num[i][k], k == 0 ? "%.0f" : "%.1f", v ? strtod(v, NULL) : 0);
            cells[i][k + 2] = num[i][k];
        }
        const char *ms = hc_text(r, "total_ms");
        total += ms ? strtod(ms, NULL) : 0;
        for (int k = 0; k < 6; k++)
            if (hc_display_width(cells[i][k]) > w[k]) w[k] = hc_display_width(cells[i][k]);
    }
    fprintf(out, _("Time in rules, slowest first (%.1f ms in all):\n"), total);
    for (size_t i = 0; i <= n; i++) {               /* the heading, then the rows */
        for (int k = 0; k < 6; k++) {
            hc_pad(out, i == 0 ? head[k] : cells[i - 1][k], w[k], k >= 2);
            fputs(k < 5 ? "  " : "\n", out);
        }
    }
    free(name);
    free(num);
    free(cells);
    return 0;
}
