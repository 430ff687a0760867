/*
** scope.c: what the signed-in user may see, as lists: the sites in reach of
** a permission (policy.c decides, site by site), and the actions and sites
** of those sites. The API and the pages show exactly these, so a page can
** never show what the API would refuse.
*/
#include <stdlib.h>
#include <string.h>

#include "serve/serve.h"

/* The site register, read once per request however many lists need it. */
static const hc_doc *register_of(hc_request *rq, hc_diags *d)
{
    if (rq->register_doc == NULL) rq->register_doc = hc_store_sites(rq->store, d);
    return rq->register_doc;
}

/* Whose each site is, for a permission: the register if it was read, else
   the ids and squads alone (the register counts every site's open actions). */
static const hc_doc *squads_of(hc_request *rq, hc_diags *d)
{
    if (rq->register_doc) return rq->register_doc;
    if (rq->squads_doc == NULL) rq->squads_doc = hc_store_site_squads(rq->store, d);
    return rq->squads_doc;
}

void hc_request_release(hc_request *rq)
{
    hc_doc_free(&rq->register_doc);
    hc_doc_free(&rq->squads_doc);
}

char **hc_scope_sites(hc_request *rq, hc_resource res, hc_verb verb, size_t *n)
{
    *n = 0;
    hc_diags d = {0};
    const hc_doc *all = squads_of(rq, &d);
    hc_diags_print(&d, stderr);
    if (all == NULL) return NULL;
    const hc_node *list = hc_map_get(hc_doc_root(all), "sites");
    hc_principal p = hc_principal_of(rq);
    char **ids = hc_xcalloc(list ? list->len + 1 : 1, sizeof *ids);
    for (size_t i = 0; list && i < list->len; i++)
        if (hc_policy_allows(&p, res, verb, hc_str_field(list->kids[i], "id"), hc_str_field(list->kids[i], "squad")))
            ids[(*n)++] = hc_xstrdup(hc_str_field(list->kids[i], "id"));
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
    const hc_doc *all = register_of(rq, d);
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
    *list = seq;
    return out;
}

/* The filter narrowed in the database to what the policy allows: 1 when the
   database's answer is then exactly the allowed one (all, a squad, one own
   site), 0 when the policy's list must still sort it (several own sites). */
static int narrow(const hc_request *rq, const hc_action_filter *f, hc_action_filter *out)
{
    *out = *f;
    switch (hc_policy(rq->session.role, HC_RES_ACTION, HC_VERB_READ)) {
    case HC_SCOPE_ALL:
        return 1;
    case HC_SCOPE_SQUAD:
        out->squad = rq->session.squad ? rq->session.squad : "";
        return 1;
    case HC_SCOPE_OWN:
        if (f->site) {
            int own = 0;
            for (size_t i = 0; i < rq->session.nsites && !own; i++) own = strcmp(rq->session.sites[i], f->site) == 0;
            if (!own) out->site = "";                     /* another's: nothing, not even a count */
            return 1;
        }
        if (rq->session.nsites == 1) out->site = rq->session.sites[0];
        return rq->session.nsites == 1;
    default:
        out->site = "";           /* nothing */
        return 1;
    }
}

hc_doc *hc_visible_actions(hc_request *rq, const hc_action_filter *f, const hc_node **list, hc_diags *d)
{
    size_t n = 0;
    char **ids = hc_scope_sites(rq, HC_RES_ACTION, HC_VERB_READ, &n);
    hc_action_filter narrowed;
    int exact = narrow(rq, f, &narrowed);
    if (!exact) narrowed.limit = narrowed.offset = 0;      /* paged below, once sorted */
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
    long skip = exact ? 0 : f->offset;
    /* the policy's list decides, whatever the database was asked */
    for (size_t i = 0; acts && i < acts->len; i++) {
        if (!hc_ids_have(ids, n, hc_str_field(acts->kids[i], "site"))) continue;
        if (skip > 0) {
            skip--;
            continue;
        }
        if (!exact && f->limit > 0 && (long)seq->len >= f->limit) break;
        hc_tree_add(out, seq, NULL, hc_tree_copy(out, acts->kids[i]));
    }
    hc_ids_free(ids, n);
    hc_doc_free(&all);
    *list = seq;
    return out;
}

long long hc_visible_action_count(hc_request *rq, const hc_action_filter *f, hc_diags *d)
{
    hc_action_filter narrowed;
    if (narrow(rq, f, &narrowed)) return hc_store_action_count(rq->store, &narrowed, d);
    hc_action_filter all = *f;
    all.limit = all.offset = 0;
    const hc_node *list = NULL;
    hc_doc *seen = hc_visible_actions(rq, &all, &list, d);
    long long count = seen ? (long long)list->len : -1;
    hc_doc_free(&seen);
    return count;
}

const hc_node *hc_action_in(const hc_node *list, const char *id)
{
    for (size_t i = 0; list && id && i < list->len; i++) {
        const char *v = hc_scalar_text(list->kids[i], "id");
        if (v && strcmp(v, id) == 0) return list->kids[i];
    }
    return NULL;
}
