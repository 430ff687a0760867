/*
** inspection.c: an inspection document -> a typed inspection: the header
** (id, site, checklist, date, inspector, kind), the site profile (inline or
** from the register), the checklist (through the engine), and every answer
** typed by answers.c. A file without a date, a site or a known checklist is
** unusable as a whole; an answer that does not fit spoils only its own item.
*/
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"

static const char *const top_keys[] = {"inspection", "answers", NULL};
static const char *const head_keys[] = {"id", "site", "checklist", "date", "inspector", "kind", NULL};
static const char *const kinds[] = {"enforcement", "self", "reinspection", NULL};

static const char *text_of(const hc_node *map, const char *key)
{
    const hc_node *n = hc_map_get(map, key);
    return n && n->kind == HC_SCALAR && n->len ? n->str : NULL;
}

static void unknown_keys(hc_diags *d, const char *path, const hc_node *map, const char *what,
                         const char *const *known)
{
    for (size_t i = 0; i < map->len; i++) {
        const hc_node *k = map->kids[2 * i];
        int ok = 0;
        for (int j = 0; known[j] && !ok; j++) ok = strcmp(k->str, known[j]) == 0;
        if (ok) continue;
        const char *hint = hc_did_you_mean(k->str, known);
        hc_diags_add(d, HC_WARNING, path, k->line, k->col, "unknown key '%s' in %s ignored%s%s%s",
                     k->str, what, hint ? _("; did you mean '") : "", hint ? hint : "",
                     hint ? _("'?") : "");
    }
}

void hc_inspection_free(hc_inspection **ip)
{
    if (ip == NULL || *ip == NULL) return;
    hc_inspection *in = *ip;
    hc_doc_free(&in->doc);
    hc_arena_free(&in->arena);
    free(in);
    *ip = NULL;
}

hc_inspection *hc_inspection_load(hc_engine *e, hc_doc *doc, hc_diags *d)
{
    hc_inspection *in = hc_xcalloc(1, sizeof *in);
    in->doc = doc;
    in->arena = hc_arena_new();
    in->path = hc_doc_path(doc);
    const hc_node *root = hc_doc_root(doc);
    in->line = root->line;
    const char *path = in->path;
    const hc_node *head = hc_map_get(root, "inspection");
    if (root->kind != HC_MAP || head == NULL || head->kind != HC_MAP) {
        hc_diags_add(d, HC_ERROR, path, root->line, root->col,
                     "not an inspection; expected a mapping with 'inspection:' (id, site, "
                     "checklist, date) and 'answers:'");
        goto fail;
    }
    unknown_keys(d, path, root, "an inspection file", top_keys);
    unknown_keys(d, path, head, "'inspection'", head_keys);
    in->date = text_of(head, "date");
    long days;
    if (in->date == NULL) {
        hc_diags_add(d, HC_ERROR, path, head->line, head->col,
                     "inspection has no 'date'; expected date: YYYY-MM-DD");
        goto fail;
    }
    if (hc_date_parse(in->date, strlen(in->date), &days) != 0) {
        const hc_node *n = hc_map_get(head, "date");
        hc_diags_add(d, HC_ERROR, path, n->line, n->col,
                     "inspection date '%s'; expected a real date YYYY-MM-DD", in->date);
        goto fail;
    }
    const hc_node *site = hc_map_get(head, "site");
    if (site == NULL || (site->kind == HC_SCALAR && site->len == 0)) {
        hc_diags_add(d, HC_ERROR, path, head->line, head->col,
                     "inspection has no 'site'; expected a registered site id or a site profile");
        goto fail;
    }
    if (site->kind == HC_SCALAR) {
        int got = hc_engine_site(e, site->str, &in->site, d);
        if (got < 0) goto fail;
        if (got == 0) {
            hc_diags_add(d, HC_ERROR, path, site->line, site->col,
                         "site '%s' is not known; give its profile with --site FILE or inline",
                         site->str);
            goto fail;
        }
    } else if (site->kind == HC_MAP) {
        if (hc_site_check(site, path, d) != 0) goto fail;
        in->site = site;
    } else {
        hc_diags_add(d, HC_ERROR, path, site->line, site->col,
                     "'site' is a sequence; expected a site id or a site profile mapping");
        goto fail;
    }
    in->site_id = text_of(in->site, "id");
    in->site_name = text_of(in->site, "name");
    in->checklist_ref = text_of(head, "checklist");
    if (in->checklist_ref == NULL) {
        hc_diags_add(d, HC_ERROR, path, head->line, head->col,
                     "inspection has no 'checklist'; expected a pack id such as dust-explosion");
        goto fail;
    }
    size_t before = d ? d->n : 0;
    const hc_checklist *c = hc_engine_checklist(e, in->checklist_ref, d);
    if (c == NULL) {
        /* name this file and line on the unknown-checklist message */
        const hc_node *n = hc_map_get(head, "checklist");
        for (size_t i = before; d && i < d->n; i++)
            if (d->v[i].file == NULL) {
                d->v[i].file = hc_xstrdup(path);
                d->v[i].line = n->line;
                d->v[i].col = n->col;
            }
        goto fail;
    }
    in->checklist = c;
    in->inspector = text_of(head, "inspector");
    in->kind = text_of(head, "kind");
    if (in->kind == NULL) in->kind = "enforcement";
    else {
        int ok = 0;
        for (int i = 0; kinds[i] && !ok; i++) ok = strcmp(in->kind, kinds[i]) == 0;
        if (!ok) {
            const hc_node *n = hc_map_get(head, "kind");
            hc_diags_add(d, HC_ERROR, path, n->line, n->col,
                         "inspection kind '%s'; expected enforcement, self or reinspection", in->kind);
            goto fail;
        }
    }
    in->id = text_of(head, "id");
    if (in->id == NULL) {
        /* derived from the content, so recording the same file twice is idempotent */
        hc_buf b = {0};
        hc_node_serialize(root, &b);
        char hex[65];
        hc_sha256_hex(b.data, b.len, hex);
        hc_buf_free(&b);
        hex[32] = '\0';
        in->id = hc_arena_strdup(in->arena, hex);
    }
    in->answers = hc_arena_alloc(in->arena, (c->nitems ? c->nitems : 1) * sizeof *in->answers);
    for (size_t i = 0; i < c->nitems; i++)
        hc_answer_type(in->arena, path, &c->items[i], NULL, &in->answers[i], NULL);
    const hc_node *ans = hc_map_get(root, "answers");
    if (ans && ans->kind == HC_MAP) {
        size_t next = 0;      /* answers mostly come in the checklist's order: try it first */
        for (size_t i = 0; i < ans->len; i++) {
            const hc_node *k = ans->kids[2 * i];
            long idx = next < c->nitems && strcmp(c->items[next].id, k->str) == 0
                           ? (long)next : hc_checklist_find(c, k->str);
            if (idx < 0) {
                const char **ids = hc_arena_alloc(in->arena, (c->nitems + 1) * sizeof *ids);
                for (size_t j = 0; j < c->nitems; j++) ids[j] = c->items[j].id;
                const char *hint = hc_did_you_mean(k->str, ids);
                hc_diags_add(d, HC_ERROR, path, k->line, k->col,
                             "answer for item '%s', which checklist %s does not have%s%s%s",
                             k->str, c->id, hint ? _("; did you mean '") : "", hint ? hint : "",
                             hint ? _("'?") : "");
                in->unknown_items++;
                continue;
            }
            hc_answer_type(in->arena, path, &c->items[idx], ans->kids[2 * i + 1],
                           &in->answers[idx], d);
            next = (size_t)idx + 1;
        }
    } else if (ans && !(ans->kind == HC_SCALAR && ans->len == 0)) {
        hc_diags_add(d, HC_ERROR, path, ans->line, ans->col,
                     "'answers' is %s; expected a mapping from item id to answers",
                     hc_node_kind_name(ans));
        goto fail;
    }
    return in;
fail:
    hc_inspection_free(&in);
    return NULL;
}
