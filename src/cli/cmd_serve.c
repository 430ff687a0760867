/*
** cmd_serve.c: `hazcheck serve` (cli.md "Serving many users"): the options
** into the server's configuration; the server is the library's (serve/).
*/
#include <stdlib.h>

#include "cli/cli.h"
#include "hazcheck_serve.h"

int cmd_serve(const options *o)
{
    if (o->nargs != 0) {
        fprintf(stderr, _("hazcheck serve: expected no arguments, only options\n"));
        return HC_EXIT_FAIL;
    }
    hc_diags d = {0};
    if (cli_db_ready(o, 1, &d) != 0) return cli_fail(&d);
    char today[11];
    hc_serve_config c = {o->listen, cli_db_path(o), o->data, {0}, {o->cfg_authority, o->cfg_notice_number},
                         o->secure_cookies, 0, o->today ? cli_today(o, today) : NULL, o->trusted_proxy};
    const char *dirs[64];           /* the packs and rules as every other command finds them */
    char *owned;
    cli_engine_config(o, &c.engine, dirs, 64, &owned);
    int rc = hc_serve_run(&c, &d);
    free(owned);
    hc_diags_print(&d, stderr);
    hc_diags_clear(&d);
    return rc == 0 ? HC_EXIT_OK : HC_EXIT_FAIL;
}
