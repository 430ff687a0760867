/*
** actions.c: follow-up actions as a list for people, JSON for programs and
** CSV for the office's spreadsheets, from hc_store_action_list.
*/
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

static void write_csv(FILE *out, const hc_node *list)
{
    hc_csv_bom(out);
    fputs(_("id,site,site_name,inspection,item,title,severity,status,deadline,overdue,"
          "assignee,supervisor,message,order,cost"), out);
    fputs("\r\n", out);
    static const char *const keys[] = {"site", "site_name", "inspection", "item", "title",
                                       "severity", "status", "deadline"};
    static const char *const tail[] = {"assignee", "supervisor", "message", "order"};
    for (size_t i = 0; i < list->len; i++) {
        const hc_node *a = list->kids[i];
        fputs(hc_text(a, "id"), out);
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
            fputc(',', out);
            hc_csv_field(out, hc_text(a, keys[k]));
        }
        fprintf(out, ",%s", hc_flag(a, "overdue") ? "yes" : "no");
        for (size_t k = 0; k < sizeof tail / sizeof tail[0]; k++) {
            fputc(',', out);
            hc_csv_field(out, hc_text(a, tail[k]));
        }
        const char *cost = hc_text(a, "cost");
        fprintf(out, ",%.2f\r\n", cost ? strtod(cost, NULL) : 0.0);
    }
}

static void write_text(FILE *out, const hc_node *list)
{
    if (list->len == 0) {
        fputs(_("no actions\n"), out);
        return;
    }
    for (size_t i = 0; i < list->len; i++) {
        const hc_node *a = list->kids[i];
        const char *state = hc_text(a, "site_state");
        int stopped = state && strcmp(state, "operating") != 0;
        fprintf(out, "#%-4s %-9s %-7s %s%s  %s %s  %s (%s)%s", hc_text(a, "id"),
                hc_text(a, "status"), hc_text(a, "severity"), hc_text(a, "deadline"),
                hc_flag(a, "overdue") ? " OVERDUE" : "", hc_text(a, "item"), hc_text(a, "title"),
                hc_text(a, "site_name"), hc_text(a, "site"),
                hc_flag(a, "site_listed") ? _(" [blacklisted]") : "");
        if (stopped) fprintf(out, " [%s]", state);
        hc_void_mark(out, a);
        /* enough of the inspection's id to name it (report, reinspect take a prefix) */
        const char *insp = hc_text(a, "inspection");
        size_t cut = insp ? strlen(insp) : 0;
        if (cut > 8) {
            cut = 8;
            while (cut > 0 && ((unsigned char)insp[cut] & 0xC0) == 0x80) cut--;
        }
        if (insp) fprintf(out, "  ← %.*s%s", (int)cut, insp, cut < strlen(insp) ? "…" : "");
        fputc('\n', out);
    }
}

int hc_render_actions(FILE *out, const hc_doc *data, hc_format fmt, hc_diags *d)
{
    const hc_node *list = hc_map_get(hc_doc_root(data), "actions");
    switch (fmt) {
    case HC_FMT_TEXT: write_text(out, list); return 0;
    case HC_FMT_JSON: hc_write_json_tree(out, list); return 0;
    case HC_FMT_CSV: write_csv(out, list); return 0;
    default: return hc_format_refused(fmt, "actions", "text, json or csv", d);
    }
}
