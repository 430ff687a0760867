/*
** action_steps.c: moving an action (rectify, verify, reopen, assign), as the
** API and the action's page both do: an action the user cannot see is 404,
** one it sees but may not move this way 403, a step its state forbids 409;
** the step is logged under the signed-in user's name.
*/
#include <stdlib.h>
#include <string.h>

#include "serve/serve.h"

static const struct {
    const char *name;
    hc_verb verb;
} steps[] = {
    {"rectify", HC_VERB_RECTIFY}, {"verify", HC_VERB_VERIFY}, {"reopen", HC_VERB_REOPEN}, {"assign", HC_VERB_ASSIGN},
};

static int step_index(const char *name)
{
    for (size_t k = 0; name && k < sizeof steps / sizeof steps[0]; k++)
        if (strcmp(name, steps[k].name) == 0) return (int)k;
    return -1;
}

/* The action as the user sees it (in *seen), or NULL. */
static const hc_node *visible(hc_request *rq, const char *id, hc_doc **seen, hc_diags *d)
{
    const hc_node *list = NULL;
    hc_action_filter f = {.id = id};
    *seen = hc_visible_actions(rq, &f, &list, d);
    return *seen ? hc_action_in(list, id) : NULL;
}

int hc_action_may(hc_request *rq, const hc_node *act, const char *name)
{
    int k = step_index(name);
    if (k < 0 || act == NULL) return 0;
    size_t n = 0;
    char **may = hc_scope_sites(rq, HC_RES_ACTION, steps[k].verb, &n);
    int ok = hc_ids_have(may, n, hc_str_field(act, "site"));
    hc_ids_free(may, n);
    return ok;
}

int hc_action_step_check(hc_request *rq, const char *id, const char *name)
{
    if (step_index(name) < 0) return 404;
    hc_doc *seen = NULL;
    hc_diags d = {0};
    const hc_node *act = visible(rq, id, &seen, &d);
    hc_diags_print(&d, stderr);
    const char *status = act ? hc_str_field(act, "status") : NULL;
    int rc = seen == NULL ? 500 : act == NULL ? 404 : !hc_action_may(rq, act, name) ? 403
             : status && !hc_action_step_allowed(name, status) ? 409 : 200;
    hc_doc_free(&seen);
    return rc;
}

int hc_action_step_take(hc_request *rq, const char *id, const hc_step *st, hc_doc **seen,
                        const hc_node **after, hc_diags *d)
{
    *seen = NULL;
    *after = NULL;
    int check = hc_action_step_check(rq, id, st->name);
    if (check != 200) return check;
    hc_store_set_actor(rq->store, rq->session.user);
    int rc;
    switch (step_index(st->name)) {
    case 0: rc = hc_store_action_rectify(rq->store, id, st->note, st->refs, st->nrefs, st->cost, d); break;
    case 1: rc = hc_store_action_verify(rq->store, id, st->note, d); break;
    case 2: rc = hc_store_action_reopen(rq->store, id, st->note, d); break;
    default: rc = hc_store_action_assign(rq->store, id, st->to, d); break;
    }
    hc_store_set_actor(rq->store, "unknown");
    if (rc != 0) return 400;
    *after = visible(rq, id, seen, d);
    return *after ? 200 : 500;
}

const char *hc_step_refusal(int status, const hc_diags *d)
{
    switch (status) {
    case 404: return _("no such action");
    case 403: return _("your role may not do this");
    case 409: return _("this step is not allowed in the action's present state");
    case 400: return d->n ? d->v[0].msg : _("the step was refused");
    default: return _("the database failed; see the server's log");
    }
}
