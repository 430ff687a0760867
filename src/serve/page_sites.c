/*
** page_sites.c: the sites the user may see, searched and filtered (text,
** squad, district, industry, 黑名单, 停产), and a site's page: its profile,
** its inspections, its actions and its enforcement measures, with the form
** that records a measure for who may.
*/
#include <stdlib.h>
#include <string.h>

#include "serve/serve.h"

/* Words for people beside the codes a template shows. */
static void label_site(hc_doc *m, hc_node *site)
{
    const char *state = hc_scalar_text(site, "state");
    hc_add_str(m, site, "state_label", state ? hc_vocab_text(HC_VOCAB_SITE_STATE, state) : NULL);
    hc_add_bool(m, site, "stopped", state && strcmp(state, "operating") != 0);
}

static int contains(const char *hay, const char *needle)
{
    return needle == NULL || (hay && strstr(hay, needle) != NULL);
}

static int same(const char *value, const char *wanted)
{
    return wanted == NULL || (value && strcmp(value, wanted) == 0);
}

/* The distinct values of 'key' among the sites, for a filter's choices. */
static void choices(hc_doc *m, hc_node *root, const char *name, const hc_node *sites, const char *key,
                    const char *chosen)
{
    hc_node *seq = hc_add_seq(m, root, name);
    for (size_t i = 0; sites && i < sites->len; i++) {
        const char *v = hc_str_field(sites->kids[i], key);
        int seen = v == NULL;
        for (size_t k = 0; k < i && !seen; k++) seen = same(hc_str_field(sites->kids[k], key), v);
        if (seen) continue;
        hc_node *o = hc_add_map(m, seq, NULL);
        hc_add_str(m, o, "value", v);
        hc_add_bool(m, o, "chosen", chosen && strcmp(chosen, v) == 0);
    }
}

void hc_page_sites(hc_request *rq, const char *rest)
{
    (void)rest;
    hc_diags d = {0};
    const hc_node *list = NULL;
    hc_doc *seen = hc_visible_sites(rq, &list, &d);
    hc_diags_print(&d, stderr);
    if (seen == NULL) {
        hc_page_problem(rq, 500, _("the database failed; see the server's log"));
        return;
    }
    const char *q = hc_arg(rq, "q"), *squad = hc_arg(rq, "squad"), *district = hc_arg(rq, "district"),
               *industry = hc_arg(rq, "industry");
    int listed = hc_arg(rq, "listed") != NULL, stopped = hc_arg(rq, "stopped") != NULL;
    hc_doc *m = hc_page_model(rq, _("Sites"));
    hc_node *root = (hc_node *)hc_doc_root(m);
    hc_add_str(m, root, "q", q);
    hc_add_bool(m, root, "listed_only", listed);
    hc_add_bool(m, root, "stopped_only", stopped);
    choices(m, root, "squads", list, "squad", squad);
    choices(m, root, "districts", list, "district", district);
    choices(m, root, "industries", list, "industry", industry);
    hc_node *rows = hc_add_seq(m, root, "sites");
    for (size_t i = 0; i < list->len; i++) {
        const hc_node *s = list->kids[i];
        const hc_node *l = hc_map_get(s, "listed");
        const char *state = hc_str_field(s, "state");
        if (!(contains(hc_str_field(s, "name"), q) || contains(hc_str_field(s, "id"), q))) continue;
        if (!same(hc_str_field(s, "squad"), squad) || !same(hc_str_field(s, "district"), district) ||
            !same(hc_str_field(s, "industry"), industry))
            continue;
        if (listed && !(l && strcmp(l->str, "true") == 0)) continue;
        if (stopped && (state == NULL || strcmp(state, "operating") == 0)) continue;
        label_site(m, hc_tree_add(m, rows, NULL, hc_tree_copy(m, s)));
    }
    hc_add_int(m, root, "count", (long long)rows->len);
    hc_doc_free(&seen);
    hc_page_send(rq, 200, "sites", &m);
}

#define SITE_ROWS 20          /* inspections and actions on a site's page */

static long long count_of(const hc_node *site, const char *key)
{
    const char *v = hc_scalar_text(site, key);
    return v ? strtoll(v, NULL, 10) : 0;
}

/* The site 'id' as its page shows it, if the user may see it; NULL (after
   answering 404) otherwise. */
static hc_doc *site_model(hc_request *rq, const char *id)
{
    if (!hc_request_may(rq, HC_RES_SITE, HC_VERB_READ, id)) {
        hc_page_problem(rq, 404, _("no such site"));
        return NULL;
    }
    hc_diags d = {0};
    /* a site inspected monthly for years has hundreds of rows: the page shows
       the latest and the open first, the rest a link away (?all=1) */
    const char *all = hc_arg(rq, "all");
    hc_doc *data = hc_store_site(rq->store, id, all && strcmp(all, "1") == 0 ? 0 : SITE_ROWS, &d);
    hc_diags_print(&d, stderr);
    if (data == NULL) {
        hc_page_problem(rq, 500, _("the database failed; see the server's log"));
        return NULL;
    }
    const hc_node *site = hc_map_get(hc_doc_root(data), "site");
    hc_doc *m = hc_page_model(rq, hc_str_field(site, "name") ? hc_str_field(site, "name") : id);
    hc_node *root = (hc_node *)hc_doc_root(m);
    hc_node *s = hc_tree_add(m, root, "site", hc_tree_copy(m, site));
    label_site(m, s);
    hc_node *acts = (hc_node *)hc_map_get(s, "actions");
    for (size_t i = 0; acts && i < acts->len; i++) {
        const char *st = hc_str_field(acts->kids[i], "status");
        hc_add_str(m, acts->kids[i], "status_label", st ? hc_vocab_text(HC_VOCAB_ACTION_STATE, st) : NULL);
    }
    hc_node *ins = (hc_node *)hc_map_get(s, "inspections");
    for (size_t i = 0; ins && i < ins->len; i++) {
        const char *v = hc_str_field(ins->kids[i], "verdict");
        hc_add_str(m, ins->kids[i], "verdict_label", v ? hc_vocab_text(HC_VOCAB_VERDICT, v) : NULL);
    }
    hc_node *enf = (hc_node *)hc_map_get(s, "enforcement");
    for (size_t i = 0; enf && i < enf->len; i++) {
        const char *v = hc_str_field(enf->kids[i], "measure");
        hc_add_str(m, enf->kids[i], "measure_label", v ? hc_vocab_text(HC_VOCAB_MEASURE, v) : NULL);
    }
    hc_add_bool(m, s, "more_actions", acts && count_of(s, "n_actions") > (long long)acts->len);
    hc_add_bool(m, s, "more_inspections", ins && count_of(s, "n_inspections") > (long long)ins->len);
    hc_add_bool(m, root, "may_enforce", hc_request_may(rq, HC_RES_MEASURE, HC_VERB_CREATE, id));
    hc_add_bool(m, root, "may_inspect_here", hc_request_may(rq, HC_RES_INSPECTION, HC_VERB_CREATE, id) ||
                                                 hc_request_may(rq, HC_RES_SELF_ASSESSMENT, HC_VERB_CREATE, id));
    hc_page_vocab(m, root, "measures", HC_VOCAB_MEASURE);
    hc_add_str(m, root, "today", hc_str_field(site, "today"));
    hc_doc_free(&data);
    return m;
}

void hc_page_site(hc_request *rq, const char *rest)
{
    if (strchr(rest, '/')) {
        hc_page_problem(rq, 404, _("no such resource"));
        return;
    }
    hc_doc *m = site_model(rq, rest);
    if (m) hc_page_send(rq, 200, "site", &m);
}

/* POST /sites/{id}/measures: an enforcement measure, as `enforce` records it. */
void hc_page_site_measure(hc_request *rq, const char *rest)
{
    const char *slash = strchr(rest, '/');
    char id[128];
    if (slash == NULL || strcmp(slash, "/measures") != 0 || (size_t)(slash - rest) >= sizeof id) {
        hc_page_problem(rq, 404, _("no such resource"));
        return;
    }
    snprintf(id, sizeof id, "%.*s", (int)(slash - rest), rest);
    if (!hc_request_may(rq, HC_RES_SITE, HC_VERB_READ, id)) {
        hc_page_problem(rq, 404, _("no such site"));
        return;
    }
    if (!hc_request_may(rq, HC_RES_MEASURE, HC_VERB_CREATE, id)) {
        hc_page_problem(rq, 403, _("your role may not do this"));
        return;
    }
    hc_diags d = {0};
    const char *amount = hc_form(rq, "amount");
    hc_store_set_actor(rq->store, rq->session.user);
    int rc = hc_store_enforce(rq->store, id, hc_form(rq, "measure"), hc_form(rq, "date"),
                              amount && *amount ? amount : NULL, hc_form(rq, "basis"), hc_form(rq, "note"), &d);
    hc_store_set_actor(rq->store, "unknown");
    if (rc != 0) {
        hc_doc *m = site_model(rq, id);
        if (m) {
            hc_add_str(m, (hc_node *)hc_doc_root(m), "problem", d.n ? d.v[0].msg : _("the measure was refused"));
            hc_page_send(rq, 400, "site", &m);
        }
    } else {
        char to[200];
        snprintf(to, sizeof to, "/sites/%s", id);
        hc_redirect(rq, to);
    }
    hc_diags_clear(&d);
}
