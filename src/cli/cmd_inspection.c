/*
** cmd_inspection.c: corrections to a recorded inspection (cli.md
** "Corrections"): inspection void and inspection amend. The voids of an
** action and of a measure are verbs of `action` and `enforce`.
*/
#include <string.h>

#include "cli/cli.h"

static int void_one(const options *o)
{
    hc_diags d = {0};
    hc_store *s = cli_open_store(o, 1, &d);
    if (s == NULL) return cli_fail(&d);
    int rc = hc_store_inspection_void(s, o->args[1], o->reason, &d);
    if (rc == 0) printf(_("inspection %s: void, with its actions\n"), o->args[1]);
    hc_diags_print(&d, stderr);
    hc_store_close(&s);
    return rc == 0 ? HC_EXIT_OK : HC_EXIT_FAIL;
}

typedef struct amend_ctx {
    hc_store *store;
    const options *o;
    int done;
} amend_ctx;

static int amend_one(void *ud, const hc_result *r)
{
    amend_ctx *c = ud;
    if (c->done++) {
        fprintf(stderr, _("%s:%u: one corrected inspection per command; this one was not recorded\n"),
                r->in->path, r->in->line);
        return HC_EXIT_FAIL;
    }
    hc_diags d = {0};
    hc_amend_summary sum;
    int rc = hc_store_inspection_amend(c->store, c->o->args[1], r, c->o->reason, &sum, &d);
    hc_diags_print(&d, stderr);
    if (rc != 0) return HC_EXIT_FAIL;
    printf(_("inspection %s corrects %s (now void): %zu actions carried over, %zu voided, %zu new\n"),
           r->in->id, c->o->args[1], sum.carried, sum.voided, sum.opened);
    return cli_verdict_exit(r->verdict);
}

/* Evaluated like `record`, then recorded in place of the inspection it corrects. */
static int amend(const options *o)
{
    hc_diags d = {0};
    hc_store *s;
    hc_engine *e = cli_store_engine(o, &s, &d);
    if (e == NULL) return cli_fail(&d);
    amend_ctx c = {s, o, 0};
    int status = cli_each_inspection(e, o->args + 2, 1, amend_one, &c);
    hc_engine_free(&e);
    hc_store_close(&s);
    return status;
}

int cmd_inspection(const options *o)
{
    if (o->nargs == 2 && strcmp(o->args[0], "void") == 0) return void_one(o);
    if (o->nargs == 3 && strcmp(o->args[0], "amend") == 0) return amend(o);
    fprintf(stderr, _("hazcheck inspection: expected void ID --reason TEXT, or amend ID FILE --reason TEXT\n"));
    return HC_EXIT_FAIL;
}
