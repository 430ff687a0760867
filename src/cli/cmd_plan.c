/*
** cmd_plan.c: `hazcheck plan`: who to visit next (store/plan.c scores and
** draws; report/plan.c writes it). The configuration's plan_weights may
** override any weight of the README's table.
*/
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* plan_weights: {code: points, ...} from the configuration file, or none. */
static int config_weights(const options *o, hc_plan_weight **out, size_t *n, hc_diags *d)
{
    *out = NULL;
    *n = 0;
    const hc_node *root = o->config_doc ? hc_doc_root(o->config_doc) : NULL;
    const hc_node *w = root && root->kind == HC_MAP ? hc_map_get(root, "plan_weights") : NULL;
    if (w == NULL) return 0;
    const char *path = hc_doc_path(o->config_doc);
    if (w->kind != HC_MAP) {
        hc_diags_add(d, HC_ERROR, path, w->line, w->col,
                     _("'plan_weights' is %s; expected a mapping of weight: points"),
                     hc_node_kind_name(w));
        return -1;
    }
    *out = hc_xcalloc(w->len + 1, sizeof **out);
    for (size_t i = 0; i < w->len; i++) {
        const hc_node *k = w->kids[2 * i], *v = w->kids[2 * i + 1];
        int b;
        int64_t x;
        double f;
        hc_scalar_type t = v->kind == HC_SCALAR ? hc_scalar_resolve(v, &b, &x, &f) : HC_SC_NULL;
        if (t != HC_SC_INT && t != HC_SC_FLOAT) {
            hc_diags_add(d, HC_ERROR, path, v->line, v->col,
                         _("plan_weights: '%s' must be a number of points"), k->str);
            free(*out);
            *out = NULL;
            return -1;
        }
        (*out)[(*n)++] = (hc_plan_weight){k->str, t == HC_SC_INT ? (double)x : f, NULL};
    }
    return 0;
}

static int plan_fn(hc_store *s, const options *o, FILE *out, hc_diags *d)
{
    hc_plan_weight *w;
    size_t nw;
    if (config_weights(o, &w, &nw, d)) return -1;
    hc_plan_query q = {o->squad, o->from, o->days, o->random, o->seed, w, nw};
    hc_doc *plan = hc_store_plan(s, &q, d);
    free(w);
    if (plan == NULL) return -1;
    int rc = hc_render_plan(out, plan, cli_format(o, HC_FMT_TEXT), d);
    hc_doc_free(&plan);
    return rc;
}

/* A draw is written to the event log; a plan without one only reads. */
int cmd_plan(const options *o)
{
    if (o->nargs) {
        fprintf(stderr, _("hazcheck plan: takes no arguments; see 'hazcheck help plan'\n"));
        return HC_EXIT_FAIL;
    }
    return cli_with_store_output(o, o->random > 0, plan_fn);
}
