/*
** cmd_report.c: what the database gives back: stats, report, export,
** import, audit verify.
*/
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

int cmd_audit(const options *o)
{
    if (o->nargs != 1 || strcmp(o->args[0], "verify") != 0) {
        fprintf(stderr, _("hazcheck audit: expected 'verify'\n"));
        return HC_EXIT_FAIL;
    }
    hc_diags d = {0};
    hc_store *s = cli_open_store(o, 0, &d);
    if (s == NULL) return cli_fail(&d);
    long long events = 0;
    int rc = hc_store_audit(s, &events, &d);
    if (rc == 0) printf(_("audit: %lld events, chain intact\n"), events);
    hc_diags_print(&d, stderr);
    hc_store_close(&s);
    return rc == 0 ? HC_EXIT_OK : HC_EXIT_FAIL;
}

static int stats_fn(hc_store *s, const options *o, FILE *out, hc_diags *d)
{
    hc_format fmt = cli_format(o, HC_FMT_TEXT);
    hc_stats_query q = {o->since, o->until, o->group_by, fmt == HC_FMT_HTML};
    hc_doc *data = hc_store_figures(s, &q, d);
    if (data == NULL) return -1;
    int rc = hc_render_figures(out, data, fmt, d);
    hc_doc_free(&data);
    return rc;
}

static int export_fn(hc_store *s, const options *o, FILE *out, hc_diags *d)
{
    return hc_store_export(s, o->since, out, d);
}

static int import_fn(hc_store *s, const options *o, FILE *out, hc_diags *d)
{
    (void)out;
    return hc_store_import(s, o->args[0], d);
}

static int report_fn(hc_store *s, const options *o, FILE *out, hc_diags *d)
{
    hc_doc *data = hc_store_report_data(s, o->args[0], d);
    if (data == NULL) return -1;
    hc_paper_opts po = {o->cfg_authority, o->cfg_notice_number};
    int rc = hc_render_papers(out, data, cli_format(o, HC_FMT_TEXT), &po, d);
    hc_doc_free(&data);
    return rc;
}

int cmd_stats(const options *o)
{
    if (o->nargs) {
        fprintf(stderr, _("hazcheck stats: unexpected argument '%s'\n"), o->args[0]);
        return HC_EXIT_FAIL;
    }
    return cli_with_store_output(o, 0, stats_fn);
}

int cmd_export(const options *o) { return cli_with_store_output(o, 0, export_fn); }

int cmd_import(const options *o)
{
    if (o->nargs != 1) {
        fprintf(stderr, _("hazcheck import: expected one bundle FILE (from hazcheck export)\n"));
        return HC_EXIT_FAIL;
    }
    return cli_with_store_output(o, 1, import_fn);
}

int cmd_report(const options *o)
{
    if (o->nargs != 1) {
        fprintf(stderr, _("hazcheck report: expected one INSPECTION id\n"));
        return HC_EXIT_FAIL;
    }
    return cli_with_store_output(o, 0, report_fn);
}

