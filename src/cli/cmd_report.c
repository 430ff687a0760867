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
    if (rc == 0) printf(_("audit: %lld events, chain intact, every table as the log wrote it\n"), events);
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

/* A cell padded to 'cells' terminal columns (Chinese counts two). */
static void cell(FILE *out, const char *text, size_t cells, int right)
{
    size_t w = hc_display_width(text);
    if (right) fprintf(out, "%*s%s", (int)(cells > w ? cells - w : 0), "", text);
    else fprintf(out, "%s%*s", text, (int)(cells > w ? cells - w : 0), "");
}

/* What the import added and what it already had, a row per kind of record. */
static int import_fn(hc_store *s, const options *o, FILE *out, hc_diags *d)
{
    hc_import_summary sum;
    if (hc_store_import(s, o->args[0], &sum, d) != 0) return -1;
    static const char *const kinds[HC_IMPORT_N] = {N_("sites"), N_("inspections"), N_("actions"),
                                                   N_("enforcement measures"), N_("events")};
    const char *heads[] = {_("added"), _("changed"), _("already here")};
    fprintf(out, _("imported %s:\n"), o->args[0]);
    cell(out, "", 24, 0);
    for (int k = 0; k < 3; k++) cell(out, heads[k], 14, 1);
    fputc('\n', out);
    for (int i = 0; i < HC_IMPORT_N; i++) {
        const long v[] = {sum.added[i], sum.changed[i], sum.held[i]};
        fputs("  ", out);
        cell(out, _(kinds[i]), 22, 0);
        for (int k = 0; k < 3; k++) {
            char n[24];
            snprintf(n, sizeof n, "%ld", v[k]);
            cell(out, n, 14, 1);
        }
        fputc('\n', out);
    }
    return 0;
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

