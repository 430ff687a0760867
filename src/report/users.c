/*
** users.c: the accounts of `serve` as people and programs read them (`user
** list`), from hc_store_users: never a password, not even its hash.
*/
#include <string.h>

#include "report/report.h"

/* Where an account reaches: its squad, its sites, or everything. */
static void reach(const hc_node *u, hc_buf *b)
{
    const char *squad = hc_text(u, "squad");
    const hc_node *sites = hc_map_get(u, "sites");
    if (squad) hc_buf_puts(b, squad);
    for (size_t i = 0; sites && sites->kind == HC_SEQ && i < sites->len; i++)
        hc_buf_printf(b, "%s%s", i ? ", " : "", sites->kids[i]->str);
    if (b->len == 0) hc_buf_puts(b, _("everything"));
}

int hc_render_users(FILE *out, const hc_doc *data, hc_format fmt, hc_diags *d)
{
    const hc_node *users = hc_map_get(hc_doc_root(data), "users");
    if (fmt == HC_FMT_JSON) {
        hc_write_json_tree(out, users);
        return 0;
    }
    if (fmt != HC_FMT_TEXT) return hc_format_refused(fmt, "the user list", "text or json", d);
    if (users->len == 0) {
        fputs(_("no users\n"), out);
        return 0;
    }
    for (size_t i = 0; i < users->len; i++) {
        const hc_node *u = users->kids[i];
        hc_buf where = {0};
        reach(u, &where);
        const char *name = hc_text(u, "name");
        fputs(name, out);
        for (size_t w = hc_display_width(name); w < 16; w++) fputc(' ', out);
        const char *role = hc_vocab_text(HC_VOCAB_ROLE, hc_text(u, "role"));
        fprintf(out, " %s", role);
        for (size_t w = hc_display_width(role); w < 14; w++) fputc(' ', out);
        fprintf(out, " %s%s\n", where.data, hc_text(u, "disabled_at") ? _("  (disabled)") : "");
        hc_buf_free(&where);
    }
    return 0;
}
