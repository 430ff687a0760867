/*
** sites.c: the site register as people and programs read it: `site list`
** (one line a site) and `site show` (a site with its inspections, actions and
** enforcement), from hc_store_sites and hc_store_site.
*/
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

static const char *dash(const char *s) { return s ? s : "-"; }

/* "operating", or the state and the list as one label. */
static void site_status(const hc_node *site, char *out, size_t n)
{
    const char *state = hc_text(site, "state");
    int listed = hc_flag(site, "listed");
    const char *word = hc_vocab_text(HC_VOCAB_SITE_STATE, state ? state : "operating");
    if (listed) snprintf(out, n, _("%s, blacklisted"), word);
    else snprintf(out, n, "%s", word);
}

int hc_render_sites(FILE *out, const hc_doc *data, hc_format fmt, hc_diags *d)
{
    const hc_node *sites = hc_map_get(hc_doc_root(data), "sites");
    if (fmt == HC_FMT_JSON) {
        hc_write_json_tree(out, sites);
        return 0;
    }
    if (fmt != HC_FMT_TEXT) return hc_format_refused(fmt, "the site list", "text or json", d);
    /* headings padded by terminal cells: Chinese ones take two a character */
    static const char *const head[] = {N_("id"), N_("open"), N_("last"), N_("status")};
    static const size_t width[] = {16, 8, 6, 24};
    for (size_t k = 0; k < 4; k++) {
        const char *h = _(head[k]);
        fputs(h, out);
        for (size_t w = hc_display_width(h); w < width[k] + 1; w++) fputc(' ', out);
    }
    fprintf(out, "%s\n", _("name"));
    for (size_t i = 0; i < sites->len; i++) {
        const hc_node *s = sites->kids[i];
        const char *last = hc_text(s, "last_inspection");
        char status[64];
        site_status(s, status, sizeof status);
        fprintf(out, "%-16s %-8s %-6s ", hc_text(s, "id"), hc_text(s, "open_actions"),
                last ? last + 5 : "-");
        fputs(status, out);
        for (size_t w = hc_display_width(status); w < 24; w++) fputc(' ', out);
        fprintf(out, " %s\n", dash(hc_text(s, "name")));
    }
    return 0;
}

int hc_render_site(FILE *out, const hc_doc *data, hc_format fmt, hc_diags *d)
{
    const hc_node *site = hc_map_get(hc_doc_root(data), "site");
    if (fmt == HC_FMT_JSON) {
        hc_write_json_tree(out, site);
        return 0;
    }
    if (fmt != HC_FMT_TEXT) return hc_format_refused(fmt, "a site", "text or json", d);
    char status[64];
    site_status(site, status, sizeof status);
    fprintf(out, "%s (%s)\n", dash(hc_text(site, "name")), hc_text(site, "id"));
    fprintf(out, _("status: %s\n"), status);
    fprintf(out, _("district %s · industry %s · squad %s · inspector %s · contact %s\n"),
            dash(hc_text(site, "district")), dash(hc_text(site, "industry")),
            dash(hc_text(site, "squad")), dash(hc_text(site, "inspector")),
            dash(hc_text(site, "contact")));
    char *profile = hc_node_json(hc_map_get(site, "profile"));
    fprintf(out, _("profile: %s\n"), profile);
    free(profile);

    const hc_node *list = hc_map_get(site, "inspections");
    fputs(_("\ninspections:\n"), out);
    for (size_t i = 0; i < list->len; i++) {
        const hc_node *v = list->kids[i];
        fprintf(out, "  %s  %-12s %-16s %s %s  %s  %s", hc_text(v, "date"), hc_text(v, "kind"),
                hc_text(v, "verdict"), hc_text(v, "checklist"), hc_text(v, "checklist_version"),
                hc_text(v, "score"), hc_text(v, "id"));
        hc_void_mark(out, v);
        fputc('\n', out);
    }
    list = hc_map_get(site, "actions");
    fputs(_("\nactions:\n"), out);
    for (size_t i = 0; i < list->len; i++) {
        const hc_node *v = list->kids[i];
        fprintf(out, "  #%-4s %-10s %-8s %s%s %s  %s", hc_text(v, "id"), hc_text(v, "status"),
                hc_text(v, "severity"), hc_text(v, "deadline"),
                hc_flag(v, "overdue") ? " OVERDUE" : "", hc_text(v, "item"), hc_text(v, "title"));
        hc_void_mark(out, v);
        fputc('\n', out);
    }
    list = hc_map_get(site, "enforcement");
    fputs(_("\nenforcement:\n"), out);
    for (size_t i = 0; i < list->len; i++) {
        const hc_node *v = list->kids[i];
        const char *amount = hc_text(v, "amount");
        /* numbered: `enforce void SITE#N` names a measure by this number */
        fprintf(out, "  #%zu  %s  %-10s", i + 1, hc_text(v, "date"), hc_text(v, "measure"));
        if (amount) fprintf(out, " %s yuan", amount);
        fprintf(out, "  %s  %s (%s)", hc_text(v, "basis") ? hc_text(v, "basis") : "",
                hc_text(v, "note") ? hc_text(v, "note") : "", hc_text(v, "by"));
        hc_void_mark(out, v);
        fputc('\n', out);
    }
    return 0;
}
