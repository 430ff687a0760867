/*
** scope.c: what the signed-in user may see, as lists: the sites in reach of
** a permission (policy.c decides, site by site), and the actions and sites
** of those sites. The API and the pages show exactly these, so a page can
** never show what the API would refuse.
*/
#include <stdlib.h>
#include <string.h>

#include "serve/serve.h"

char **hc_scope_sites(hc_request *rq, hc_resource res, hc_verb verb, size_t *n)
{
    *n = 0;
    hc_diags d = {0};
    hc_doc *all = hc_store_sites(rq->store, &d);
    hc_diags_print(&d, stderr);
    if (all == NULL) return NULL;
    const hc_node *list = hc_map_get(hc_doc_root(all), "sites");
    hc_principal p = hc_principal_of(rq);
    char **ids = hc_xcalloc(list ? list->len + 1 : 1, sizeof *ids);
    for (size_t i = 0; list && i < list->len; i++)
        if (hc_policy_allows(&p, res, verb, hc_str_field(list->kids[i], "id"), hc_str_field(list->kids[i], "squad")))
            ids[(*n)++] = hc_xstrdup(hc_str_field(list->kids[i], "id"));
    hc_doc_free(&all);
    return ids;
}

void hc_ids_free(char **ids, size_t n)
{
    for (size_t i = 0; ids && i < n; i++) free(ids[i]);
    free(ids);
}

int hc_ids_have(char *const *ids, size_t n, const char *id)
{
    for (size_t i = 0; ids && id && i < n; i++)
        if (strcmp(ids[i], id) == 0) return 1;
    return 0;
}

hc_doc *hc_visible_sites(hc_request *rq, const hc_node **list, hc_diags *d)
{
    hc_doc *all = hc_store_sites(rq->store, d);
    if (all == NULL) return NULL;
    const hc_node *sites = hc_map_get(hc_doc_root(all), "sites");
    hc_principal p = hc_principal_of(rq);
    hc_doc *out = hc_doc_new("sites");
    hc_node *root = (hc_node *)hc_doc_root(out);
    hc_tree_add(out, root, "today", hc_tree_copy(out, hc_map_get(hc_doc_root(all), "today")));
    hc_node *seq = hc_add_seq(out, root, "sites");
    for (size_t i = 0; sites && i < sites->len; i++) {
        const hc_node *s = sites->kids[i];
        if (hc_policy_allows(&p, HC_RES_SITE, HC_VERB_READ, hc_str_field(s, "id"), hc_str_field(s, "squad")))
            hc_tree_add(out, seq, NULL, hc_tree_copy(out, s));
    }
    hc_doc_free(&all);
    *list = seq;
    return out;
}

hc_doc *hc_visible_actions(hc_request *rq, const hc_action_filter *f, const hc_node **list, hc_diags *d)
{
    size_t n = 0;
    char **ids = hc_scope_sites(rq, HC_RES_ACTION, HC_VERB_READ, &n);
    /* the database narrows by squad for speed; the policy's list below decides */
    hc_action_filter narrowed = *f;
    if (hc_policy(rq->session.role, HC_RES_ACTION, HC_VERB_READ) == HC_SCOPE_SQUAD) narrowed.squad = rq->session.squad;
    hc_doc *all = ids ? hc_store_action_list(rq->store, &narrowed, d) : NULL;
    if (all == NULL) {
        hc_ids_free(ids, n);
        return NULL;
    }
    hc_doc *out = hc_doc_new("actions");
    hc_node *root = (hc_node *)hc_doc_root(out);
    hc_tree_add(out, root, "today", hc_tree_copy(out, hc_map_get(hc_doc_root(all), "today")));
    hc_node *seq = hc_add_seq(out, root, "actions");
    const hc_node *acts = hc_map_get(hc_doc_root(all), "actions");
    for (size_t i = 0; acts && i < acts->len; i++)
        if (hc_ids_have(ids, n, hc_str_field(acts->kids[i], "site")))
            hc_tree_add(out, seq, NULL, hc_tree_copy(out, acts->kids[i]));
    hc_ids_free(ids, n);
    hc_doc_free(&all);
    *list = seq;
    return out;
}

const hc_node *hc_action_in(const hc_node *list, const char *id)
{
    for (size_t i = 0; list && id && i < list->len; i++) {
        const char *v = hc_scalar_text(list->kids[i], "id");
        if (v && strcmp(v, id) == 0) return list->kids[i];
    }
    return NULL;
}
