/*
** packs.c: `hazcheck packs`: the checklists found, as a table or JSON.
*/
#include "report/report.h"

/* "2017-12-27 – 2026-09-29", "– 2026-09-29", or "-" when always in force. */
static void validity(const hc_checklist *c, char *buf, size_t len)
{
    if (c->valid_from == NULL && c->valid_until == NULL) snprintf(buf, len, "-");
    else snprintf(buf, len, "%s–%s", c->valid_from ? c->valid_from : "",
                  c->valid_until ? c->valid_until : "");
}

static void write_text(FILE *out, hc_checklist *const *packs, size_t n, const char *today)
{
    const char *head[5] = {_("id"), _("version"), _("domain"), _("items"), _("file")};
    size_t w[3] = {hc_display_width(head[0]), hc_display_width(head[1]), hc_display_width(head[2])};
    for (size_t i = 0; i < n; i++) {
        const size_t v[3] = {hc_display_width(packs[i]->id), hc_display_width(packs[i]->version),
                             packs[i]->domain ? hc_display_width(packs[i]->domain) : 1};
        for (int k = 0; k < 3; k++)
            if (v[k] > w[k]) w[k] = v[k];
    }
    for (int k = 0; k < 3; k++) {
        fputs(head[k], out);
        for (size_t x = hc_display_width(head[k]); x < w[k] + 2; x++) fputc(' ', out);
    }
    for (size_t x = hc_display_width(head[3]); x < 5; x++) fputc(' ', out);
    fprintf(out, "%s  %s\n", head[3], head[4]);
    for (size_t i = 0; i < n; i++) {
        const hc_checklist *c = packs[i];
        const char *cells[3] = {c->id, c->version, c->domain ? c->domain : "-"};
        for (int k = 0; k < 3; k++) {
            fputs(cells[k], out);
            for (size_t x = hc_display_width(cells[k]); x < w[k] + 2; x++) fputc(' ', out);
        }
        fprintf(out, "%5zu  %s", c->nitems, c->path);
        if (c->valid_from || c->valid_until) {
            char v[64];
            validity(c, v, sizeof v);
            fprintf(out, hc_checklist_in_force(c, today) ? _("  (valid %s)") : _("  (valid %s; NOT IN FORCE)"), v);
        }
        fputc('\n', out);
    }
}

int hc_render_packs(FILE *out, hc_checklist *const *packs, size_t n, const char *today,
                    hc_format fmt, hc_diags *d)
{
    if (fmt == HC_FMT_TEXT) {
        write_text(out, packs, n, today);
        return 0;
    }
    if (fmt != HC_FMT_JSON) return hc_format_refused(fmt, "the list of checklists", "text or json", d);
    hc_doc *m = hc_doc_new("packs");
    hc_node *list = hc_tree_node(m, HC_SEQ);
    for (size_t i = 0; i < n; i++) {
        const hc_checklist *c = packs[i];
        hc_node *o = hc_add_map(m, list, NULL);
        hc_add_str(m, o, "id", c->id);
        hc_add_str(m, o, "version", c->version);
        hc_add_str(m, o, "domain", c->domain);
        hc_add_int(m, o, "items", (long long)c->nitems);
        hc_add_str(m, o, "file", c->path);
        hc_add_str(m, o, "title", c->title);
        hc_add_str(m, o, "status", hc_vocab_code(HC_VOCAB_PACK_STATUS, (int)c->status));
        hc_node *v = hc_add_map(m, o, "valid");
        hc_add_str(m, v, "from", c->valid_from);
        hc_add_str(m, v, "until", c->valid_until);
        hc_add_str(m, o, "superseded_by", c->superseded_by);
        hc_add_bool(m, o, "in_force", hc_checklist_in_force(c, today));
    }
    hc_write_json_tree(out, list);
    hc_doc_free(&m);
    return 0;
}
