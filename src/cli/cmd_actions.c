/*
** cmd_actions.c: follow-up actions: actions (the list), action ID VERB.
*/
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* -------------------------------------------------------------- actions */

static int actions_fn(hc_store *s, const options *o, FILE *out, hc_diags *d)
{
    hc_action_filter f = {.site = o->nsites ? o->sites[0] : NULL, .status = o->status, .inspector = o->inspector};
    hc_doc *data = hc_store_action_list(s, &f, d);
    if (data == NULL) return -1;
    int rc = hc_render_actions(out, data, cli_format(o, HC_FMT_TEXT), d);
    hc_doc_free(&data);
    return rc;
}

int cmd_actions(const options *o) { return cli_with_store_output(o, 0, actions_fn); }

int cmd_action(const options *o)
{
    if (o->nargs != 2) {
        fprintf(stderr, _("hazcheck action: expected ID rectify|verify|reopen|assign|void\n"));
        return HC_EXIT_FAIL;
    }
    const char *id = o->args[0], *verb = o->args[1];
    hc_diags d = {0};
    hc_store *s = cli_open_store(o, 1, &d);
    if (s == NULL) return cli_fail(&d);
    int rc;
    if (strcmp(verb, "rectify") == 0)
        rc = hc_store_action_rectify(s, id, o->note, o->evidence, o->nevidence, o->cost, &d);
    else if (strcmp(verb, "verify") == 0)
        rc = hc_store_action_verify(s, id, o->note, &d);
    else if (strcmp(verb, "reopen") == 0)
        rc = hc_store_action_reopen(s, id, o->note, &d);
    else if (strcmp(verb, "assign") == 0)
        rc = hc_store_action_assign(s, id, o->to, &d);
    else if (strcmp(verb, "void") == 0)
        rc = hc_store_action_void(s, id, o->reason, &d);
    else {
        hc_diags_add(&d, HC_ERROR, NULL, 0, 0, "unknown action verb '%s'; expected rectify, verify, reopen, assign or void", verb);
        rc = -1;
    }
    if (rc == 0) printf(_("action %s: %s done\n"), id, verb);
    hc_diags_print(&d, stderr);
    hc_store_close(&s);
    return rc == 0 ? HC_EXIT_OK : HC_EXIT_FAIL;
}

