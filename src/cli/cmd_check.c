/*
** cmd_check.c: the commands over checklists and inspection files that touch
** no database (check only reads its site register): check, lint, test,
** packs, show, template.
*/
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

typedef struct check_out {
    int strict;                   /* a pack out of force is an error (check --strict) */
    FILE *out;
    int json, jsonl;
    hc_out_opts oo;
    size_t count;
} check_out;

/* On the evaluating thread: the JSON, for json and jsonl (text is written below). */
static void render_result(void *ud, const hc_result *res, hc_buf *out)
{
    check_out *c = ud;
    if (c->json || c->jsonl) {
        hc_result_json(out, res, c->json);
        if (c->jsonl) hc_buf_putc(out, '\n');
    }
}

static int print_result(void *ud, const hc_result *res, const char *text, size_t len)
{
    check_out *c = ud;
    if (c->json || c->jsonl) {
        fwrite(text, 1, len, c->out);
    } else {
        if (c->count) fputs("\n────────────────────────────────────────\n\n", c->out);
        hc_write_text(c->out, res, &c->oo);
    }
    c->count++;
    if (c->strict && res->out_of_force) {
        fprintf(stderr, "%s:%u: %s (--strict)\n", res->in->path, res->in->line, res->warnings[0]);
        return HC_EXIT_FAIL;
    }
    return cli_verdict_exit(res->verdict);
}

/* on standard error, so that the findings on standard output stay data */
static void print_profile(void *ud, hc_engine *const *engines, size_t n)
{
    (void)ud;
    hc_diags d = {0};
    hc_doc *prof = hc_engine_profile_report(engines, n);
    hc_render_profile(stderr, prof, &d);
    hc_doc_free(&prof);
    hc_diags_print(&d, stderr);
}

/* check reads the site register when a database exists, and never writes to it */
static hc_store *existing_store(const options *o, hc_diags *d)
{
    const char *path = cli_db_path(o);
    if (access(path, R_OK) != 0) return NULL;
    return hc_store_open(path, d);
}

int cmd_check(const options *o)
{
    if (o->nargs == 0) {
        fprintf(stderr, _("hazcheck check: expected one or more inspection files (- for standard input)\n"));
        return HC_EXIT_FAIL;
    }
    hc_diags d = {0};
    hc_engine *e = cli_engine(o, &d);
    if (e == NULL) return HC_EXIT_FAIL;
    int status = HC_EXIT_OK;
    for (size_t i = 0; i < o->nsites; i++)
        if (hc_engine_add_sites(e, o->sites[i], &d) != 0) status = HC_EXIT_FAIL;
    hc_store *store = existing_store(o, &d);
    if (store == NULL && d.n) {
        /* check writes nothing, so an unreadable database only costs the register */
        for (size_t i = 0; i < d.n; i++) d.v[i].level = HC_WARNING;
        fprintf(stderr, _("hazcheck: warning: the site register in %s cannot be read; sites named "
                        "by id must come with --site:\n"), cli_db_path(o));
    }
    if (store) hc_engine_set_site_lookup(e, hc_store_site_lookup, store);
    hc_diags_print(&d, stderr);
    FILE *out = cli_open_output(o);
    if (out == NULL) {
        hc_engine_free(&e);
        hc_store_close(&store);
        return HC_EXIT_FAIL;
    }
    const char *fmt = o->format ? o->format : "text";
    check_out c = {o->strict, out, strcmp(fmt, "json") == 0, strcmp(fmt, "jsonl") == 0, {cli_color(out)}, 0};
    if (o->profile) hc_engine_profile(e, 1);
    cli_batch how = {render_result, print_result, o->profile ? print_profile : NULL, store != NULL, &c};
    status = cli_worse(status, cli_batch_run(o, e, o->args, o->nargs, &how));
    if (cli_close_output(out, o) != 0) status = HC_EXIT_FAIL;
    hc_engine_free(&e);
    hc_store_close(&store);
    return status;
}

/* ------------------------------------------------------------ lint, test */

static int load_packs(const options *o, hc_engine *e, int lint, hc_checklist ***out, size_t *n,
                      hc_diags *d)
{
    int rc = 0;
    *out = NULL;
    *n = 0;
    if (o->nargs == 0) return hc_engine_list_packs(e, out, n, d);
    *out = hc_xcalloc(o->nargs, sizeof **out);
    for (size_t i = 0; i < o->nargs; i++) {
        hc_checklist *c = lint ? hc_engine_load_path(e, o->args[i], 1, d)
                               : hc_engine_checklist(e, o->args[i], d);
        if (c == NULL && lint == 0) {
            /* name the argument on a bare "unknown checklist" */
            rc = -1;
            continue;
        }
        if (c == NULL) {
            rc = -1;
            continue;
        }
        (*out)[(*n)++] = c;
    }
    return rc;
}

int cmd_lint(const options *o)
{
    hc_diags d = {0};
    hc_engine *e = cli_engine(o, &d);
    if (e == NULL) return HC_EXIT_FAIL;
    hc_checklist **packs;
    size_t n;
    int rc = load_packs(o, e, 1, &packs, &n, &d);
    hc_checklists_unique(packs, n, &d);
    size_t errors = d.errors, warnings = d.warnings;
    hc_diags_print(&d, stderr);
    for (size_t i = 0; i < n; i++)
        printf(_("%s: ok (%s %s, %zu items)\n"), packs[i]->path, packs[i]->id, packs[i]->version,
               packs[i]->nitems);
    char e_text[64], w_text[64];
    snprintf(e_text, sizeof e_text, hc_trn("%zu error", "%zu errors", errors), errors);
    snprintf(w_text, sizeof w_text, hc_trn("%zu warning", "%zu warnings", warnings), warnings);
    printf(_("%s, %s\n"), e_text, w_text);
    free(packs);
    hc_engine_free(&e);
    return rc == 0 && errors == 0 ? HC_EXIT_OK : HC_EXIT_FAIL;
}

int cmd_test(const options *o)
{
    hc_diags d = {0};
    hc_engine *e = cli_engine(o, &d);
    if (e == NULL) return HC_EXIT_FAIL;
    hc_checklist **packs;
    size_t n;
    int rc = load_packs(o, e, 0, &packs, &n, &d);
    hc_diags_print(&d, stderr);
    FILE *junit = NULL;
    if (o->junit) {
        junit = fopen(o->junit, "w");
        if (junit == NULL) {
            fprintf(stderr, _("hazcheck: %s: cannot open for writing\n"), o->junit);
            rc = -1;
        }
    }
    hc_test_opts to = {o->coverage, o->min_coverage, junit, o->verbose};
    hc_test_summary sum;
    FILE *out = cli_open_output(o);
    if (out == NULL) out = stdout;
    int trc = hc_run_tests(e, packs, n, &to, out, &sum);
    if (cli_close_output(out, o) != 0) rc = -1;
    if (junit && fclose(junit) != 0) rc = -1;
    free(packs);
    hc_engine_free(&e);
    return rc == 0 && trc == 0 ? HC_EXIT_OK : HC_EXIT_FAIL;
}

/* ------------------------------------------------- packs, show, template */

int cmd_packs(const options *o)
{
    hc_diags d = {0};
    hc_engine *e = cli_engine(o, &d);
    if (e == NULL) return HC_EXIT_FAIL;
    hc_checklist **packs;
    size_t n;
    int rc = hc_engine_list_packs(e, &packs, &n, &d);
    hc_diags_print(&d, stderr);
    FILE *out = cli_open_output(o);
    if (out == NULL) out = stdout;
    hc_format fmt = cli_format(o, HC_FMT_TEXT);
    char buf[11];
    if (hc_render_packs(out, packs, n, cli_today(o, buf), fmt == HC_FMT_JSONL ? HC_FMT_JSON : fmt,
                        &d) != 0)
        rc = -1;
    hc_diags_print(&d, stderr);
    if (cli_close_output(out, o) != 0) rc = -1;
    free(packs);
    hc_engine_free(&e);
    return rc == 0 ? HC_EXIT_OK : HC_EXIT_FAIL;
}

static int show_or_template(const options *o, int is_template)
{
    if (o->nargs < 1 || o->nargs > (is_template ? 1u : 2u)) {
        fputs(is_template ? _("hazcheck template: expected one CHECKLIST (an id or a file)\n")
                          : _("hazcheck show: expected CHECKLIST [ITEM]\n"), stderr);
        return HC_EXIT_FAIL;
    }
    hc_diags d = {0};
    hc_engine *e = cli_engine(o, &d);
    if (e == NULL) return HC_EXIT_FAIL;
    hc_checklist *c = hc_engine_checklist(e, o->args[0], &d);
    hc_diags_print(&d, stderr);
    int rc = HC_EXIT_FAIL;
    if (c) {
        const hc_item *only = NULL;
        if (o->nargs == 2) {
            long k = hc_checklist_find(c, o->args[1]);
            if (k < 0) {
                fprintf(stderr, _("hazcheck show: checklist %s has no item '%s'\n"), c->id, o->args[1]);
                goto out;
            }
            only = &c->items[k];
        }
        FILE *out = cli_open_output(o);
        if (out == NULL) goto out;
        int ok = 1;
        if (is_template) {
            char buf[11];
            hc_write_template(out, c, cli_today(o, buf));
        }
        else ok = hc_show(out, c, only, cli_format(o, HC_FMT_TEXT), &d) == 0;
        hc_diags_print(&d, stderr);
        rc = cli_close_output(out, o) == 0 && ok ? HC_EXIT_OK : HC_EXIT_FAIL;
    }
out:
    hc_engine_free(&e);
    return rc;
}

int cmd_show(const options *o) { return show_or_template(o, 0); }
int cmd_template(const options *o) { return show_or_template(o, 1); }
