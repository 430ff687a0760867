/*
** cmd_inspection.c: corrections to a recorded inspection (cli.md
** "Corrections"): inspection void. The voids of an action and of a measure
** are verbs of `action` and `enforce`.
*/
#include <string.h>

#include "cli/cli.h"

int cmd_inspection(const options *o)
{
    if (o->nargs != 2 || strcmp(o->args[0], "void") != 0) {
        fprintf(stderr, _("hazcheck inspection: expected void ID --reason TEXT\n"));
        return HC_EXIT_FAIL;
    }
    hc_diags d = {0};
    hc_store *s = cli_open_store(o, 1, &d);
    if (s == NULL) return cli_fail(&d);
    int rc = hc_store_inspection_void(s, o->args[1], o->reason, &d);
    if (rc == 0) printf(_("inspection %s: void, with its actions\n"), o->args[1]);
    hc_diags_print(&d, stderr);
    hc_store_close(&s);
    return rc == 0 ? HC_EXIT_OK : HC_EXIT_FAIL;
}
