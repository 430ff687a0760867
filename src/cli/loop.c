/*
** cli_loop.c: the closed-loop commands (record, reinspect, site, actions,
** action, enforce, audit): options in, library calls, exit codes out.
*/
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "base/base.h"

/* --by, else $HAZCHECK_USER, else the login name */
static const char *actor(const options *o)
{
    if (o->by && *o->by) return o->by;
    const char *env = getenv("HAZCHECK_USER");
    if (env && *env) return env;
    struct passwd *pw = getpwuid(getuid());
    if (pw && pw->pw_name) return pw->pw_name;
    env = getenv("USER");
    return env && *env ? env : "unknown";
}

static hc_store *open_store(const options *o, hc_diags *d)
{
    hc_store *s = hc_store_open(cli_db_path(o), d);
    if (s == NULL) return NULL;
    hc_store_set_actor(s, actor(o));
    char buf[11];
    hc_store_set_today(s, cli_today(o, buf));
    return s;
}

static int fail_with(hc_diags *d)
{
    hc_diags_print(d, stderr);
    return EXIT_FAIL;
}

/* The store and an engine whose site lookups fall back to its register, for
   the commands that evaluate and record; NULL (nothing left open) on failure. */
static hc_engine *store_engine(const options *o, hc_store **s, hc_diags *d)
{
    *s = open_store(o, d);
    if (*s == NULL) return NULL;
    hc_engine *e = cli_engine(o, d);
    if (e == NULL) {
        hc_store_close(s);
        return NULL;
    }
    hc_engine_set_site_lookup(e, hc_store_site_lookup, *s);
    return e;
}

/* --------------------------------------------------------------- record */

typedef struct record_ctx {
    hc_store *store;
    size_t recorded, already, failed, skipped;
    int stopped;                  /* the database cannot be written any more */
    hc_buf not_recorded;
} record_ctx;

static int record_one(void *ud, const hc_result *r)
{
    record_ctx *c = ud;
    if (c->stopped) {             /* say it once, not once per remaining inspection */
        c->skipped++;
        return EXIT_FAIL;
    }
    hc_diags d = {0};
    int rc = hc_store_record(c->store, r, &d);
    hc_diags_print(&d, stderr);
    if (rc < 0) {
        c->failed++;
        hc_buf_printf(&c->not_recorded, "  %s:%u: inspection %s\n", r->in->path, r->in->line, r->in->id);
        if (hc_store_fatal(c->store)) {
            c->stopped = 1;
            fprintf(stderr, "hazcheck: the database cannot be written; stopping the batch\n");
        }
        return EXIT_FAIL;
    }
    if (rc == 0) {
        c->already++;
        printf("%s: already recorded, nothing changed\n", r->in->id);
    } else {
        c->recorded++;
        printf("recorded %s: %s %s, %s, score %g, %zu action%s opened\n", r->in->id, r->in->site_id,
               r->in->site_name ? r->in->site_name : "", hc_verdict_name(r->verdict), r->score,
               r->counts[HC_FAIL], r->counts[HC_FAIL] == 1 ? "" : "s");
    }
    return hc_verdict_exit(r->verdict);
}

int cmd_record(const options *o)
{
    if (o->nargs == 0) {
        fprintf(stderr, "hazcheck record: expected one or more inspection files (- for standard input)\n");
        return EXIT_FAIL;
    }
    hc_diags d = {0};
    hc_store *s;
    hc_engine *e = store_engine(o, &s, &d);
    if (e == NULL) return fail_with(&d);
    int status = EXIT_OK;
    for (size_t i = 0; i < o->nsites; i++)
        if (hc_engine_add_sites(e, o->sites[i], &d) != 0) status = EXIT_FAIL;
    hc_diags_print(&d, stderr);
    record_ctx c = {s, 0, 0, 0, 0, 0, {0}};
    status = cli_worse(status, cli_each_inspection(o, e, o->args, o->nargs, record_one, &c));
    if (c.recorded + c.already + c.failed + c.skipped > 1 || c.failed)
        printf("%zu recorded, %zu already recorded, %zu not recorded\n", c.recorded, c.already,
               c.failed + c.skipped);
    if (c.failed) fprintf(stderr, "not recorded:\n%s", c.not_recorded.data);
    if (c.skipped)
        fprintf(stderr, "  and the %zu inspection%s after it (not tried once the database failed)\n",
                c.skipped, c.skipped == 1 ? "" : "s");
    hc_buf_free(&c.not_recorded);
    hc_engine_free(&e);
    hc_store_close(&s);
    return status;
}

/* ------------------------------------------------------------ reinspect */

typedef struct reinspect_ctx {
    hc_store *store;
    const char *parent;
    int done;
} reinspect_ctx;

static int reinspect_one(void *ud, const hc_result *r)
{
    reinspect_ctx *c = ud;
    if (c->done++) {
        fprintf(stderr, "%s:%u: one re-inspection per command; this one was not recorded\n",
                r->in->path, r->in->line);
        return EXIT_FAIL;
    }
    hc_diags d = {0};
    hc_reinspect_summary sum;
    int rc = hc_store_reinspect(c->store, c->parent, r, &sum, &d);
    hc_diags_print(&d, stderr);
    if (rc < 0) return EXIT_FAIL;
    printf("re-inspection %s of %s: %zu verified and closed, %zu still failing, %zu new hazards\n",
           r->in->id, c->parent, sum.verified, sum.still_failing, sum.new_hazards);
    return sum.still_failing || sum.new_hazards ? hc_verdict_exit(r->verdict) : EXIT_OK;
}

int cmd_reinspect(const options *o)
{
    if (o->nargs != 2) {
        fprintf(stderr, "hazcheck reinspect: expected INSPECTION FILE\n");
        return EXIT_FAIL;
    }
    hc_diags d = {0};
    hc_store *s;
    hc_engine *e = store_engine(o, &s, &d);
    if (e == NULL) return fail_with(&d);
    reinspect_ctx c = {s, o->args[0], 0};
    int status = cli_each_inspection(o, e, o->args + 1, 1, reinspect_one, &c);
    hc_engine_free(&e);
    hc_store_close(&s);
    return status;
}

/* ----------------------------------------------------------------- site */

int cmd_site(const options *o)
{
    const char *sub = o->nargs ? o->args[0] : NULL;
    if (sub == NULL || (strcmp(sub, "add") != 0 && strcmp(sub, "list") != 0 && strcmp(sub, "show") != 0)) {
        fprintf(stderr, "hazcheck site: expected add FILE..., list, or show ID\n");
        return EXIT_FAIL;
    }
    hc_diags d = {0};
    hc_store *s = open_store(o, &d);
    if (s == NULL) return fail_with(&d);
    int json = o->format && strcmp(o->format, "json") == 0;
    int rc = EXIT_OK;
    if (strcmp(sub, "show") == 0 && o->nargs != 2) {
        fprintf(stderr, "hazcheck site show: expected one site ID\n");
        rc = EXIT_FAIL;
    } else if (strcmp(sub, "list") == 0 || strcmp(sub, "show") == 0) {
        FILE *out = cli_open_output(o);
        int ok = out != NULL &&
                 (strcmp(sub, "list") == 0 ? hc_store_site_list(s, out, json, &d)
                                           : hc_store_site_show(s, o->args[1], out, json, &d)) == 0;
        if (out && cli_close_output(out, o) != 0) ok = 0;
        rc = ok ? EXIT_OK : EXIT_FAIL;
    } else {
        if (o->nargs < 2) {
            fprintf(stderr, "hazcheck site add: expected one or more site profile files\n");
            rc = EXIT_FAIL;
        }
        hc_limits lim;
        hc_limits_default(&lim);
        for (size_t i = 1; i < o->nargs; i++) {
            hc_reader *r = hc_reader_open(o->args[i], &lim, &d);
            if (r == NULL) {
                rc = EXIT_FAIL;
                continue;
            }
            hc_doc *doc;
            int n;
            while ((n = hc_reader_next(r, &doc, &d)) == 1) {
                const hc_node *root = hc_doc_root(doc);
                const hc_node *p = hc_map_get(root, "site");
                if (p == NULL) p = root;
                const hc_node *id = hc_map_get(p, "id");
                if (p->kind != HC_MAP || id == NULL || id->kind != HC_SCALAR || id->len == 0) {
                    hc_diags_add(&d, HC_ERROR, o->args[i], root->line, root->col,
                                 "expected a site profile: a mapping under 'site:' with id and name");
                    rc = EXIT_FAIL;
                } else {
                    int put = hc_store_site_put(s, p, o->args[i], &d);
                    if (put < 0) rc = EXIT_FAIL;
                    else printf("%s: %s\n", id->str, put == 1 ? "added" : put == 2 ? "updated (change logged)" : "unchanged");
                }
                hc_doc_free(&doc);
            }
            if (n < 0) rc = EXIT_FAIL;
            hc_reader_close(&r);
        }
    }
    hc_diags_print(&d, stderr);
    hc_store_close(&s);
    return rc;
}

/* -------------------------------------------------------------- actions */

static int with_store_output(const options *o, int (*fn)(hc_store *, const options *, FILE *, hc_diags *));

static int actions_fn(hc_store *s, const options *o, FILE *out, hc_diags *d)
{
    hc_action_filter f = {o->nsites ? o->sites[0] : NULL, o->status, o->inspector};
    int format = !o->format ? 0 : strcmp(o->format, "json") == 0 ? 1 : strcmp(o->format, "csv") == 0 ? 2 : 0;
    return hc_store_actions(s, &f, out, format, d);
}

int cmd_actions(const options *o) { return with_store_output(o, actions_fn); }

int cmd_action(const options *o)
{
    if (o->nargs != 2) {
        fprintf(stderr, "hazcheck action: expected ID rectify|verify|reopen|assign\n");
        return EXIT_FAIL;
    }
    const char *id = o->args[0], *verb = o->args[1];
    hc_diags d = {0};
    hc_store *s = open_store(o, &d);
    if (s == NULL) return fail_with(&d);
    int rc;
    if (strcmp(verb, "rectify") == 0)
        rc = hc_store_action_rectify(s, id, o->note, o->evidence, o->nevidence, o->cost, &d);
    else if (strcmp(verb, "verify") == 0)
        rc = hc_store_action_verify(s, id, o->note, &d);
    else if (strcmp(verb, "reopen") == 0)
        rc = hc_store_action_reopen(s, id, o->note, &d);
    else if (strcmp(verb, "assign") == 0)
        rc = hc_store_action_assign(s, id, o->to, &d);
    else {
        hc_diags_add(&d, HC_ERROR, NULL, 0, 0, "unknown action verb '%s'; expected rectify, verify, reopen or assign", verb);
        rc = -1;
    }
    if (rc == 0) printf("action %s: %s done\n", id, verb);
    hc_diags_print(&d, stderr);
    hc_store_close(&s);
    return rc == 0 ? EXIT_OK : EXIT_FAIL;
}

/* -------------------------------------------------------- enforce, audit */

int cmd_enforce(const options *o)
{
    if (o->nargs != 2) {
        fprintf(stderr, "hazcheck enforce: expected SITE interview|list|delist|penalty|suspend|resume|close-down\n");
        return EXIT_FAIL;
    }
    hc_diags d = {0};
    hc_store *s = open_store(o, &d);
    if (s == NULL) return fail_with(&d);
    int rc = hc_store_enforce(s, o->args[0], o->args[1], o->date, o->amount, o->basis, o->note, &d);
    if (rc == 0) printf("site %s: %s recorded\n", o->args[0], o->args[1]);
    hc_diags_print(&d, stderr);
    hc_store_close(&s);
    return rc == 0 ? EXIT_OK : EXIT_FAIL;
}

int cmd_audit(const options *o)
{
    if (o->nargs != 1 || strcmp(o->args[0], "verify") != 0) {
        fprintf(stderr, "hazcheck audit: expected 'verify'\n");
        return EXIT_FAIL;
    }
    hc_diags d = {0};
    hc_store *s = open_store(o, &d);
    if (s == NULL) return fail_with(&d);
    int rc = hc_store_audit(s, stdout, &d);
    hc_diags_print(&d, stderr);
    hc_store_close(&s);
    return rc == 0 ? EXIT_OK : EXIT_FAIL;
}

/* -------------------------------------------- stats, export, import, report */

/* The shape of every command that reads the store and writes one output:
   open both, run 'fn', close both (reporting a failed write), print diagnostics. */
static int with_store_output(const options *o, int (*fn)(hc_store *, const options *, FILE *, hc_diags *))
{
    hc_diags d = {0};
    hc_store *s = open_store(o, &d);
    if (s == NULL) return fail_with(&d);
    FILE *out = cli_open_output(o);
    int rc = out && fn(s, o, out, &d) == 0 ? EXIT_OK : EXIT_FAIL;
    if (out && cli_close_output(out, o) != 0) rc = EXIT_FAIL;
    hc_diags_print(&d, stderr);
    hc_store_close(&s);
    return rc;
}

static int stats_fn(hc_store *s, const options *o, FILE *out, hc_diags *d)
{
    hc_stats_query q = {o->since, o->until, o->group_by};
    if (o->format && strcmp(o->format, "html") == 0) return hc_store_stats_html(s, &q, out, d);
    return hc_store_stats(s, &q, out, o->format ? o->format : "text", d);
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
    return hc_store_report(s, o->args[0], o->format ? o->format : "text", out, d);
}

int cmd_stats(const options *o)
{
    if (o->nargs) {
        fprintf(stderr, "hazcheck stats: unexpected argument '%s'\n", o->args[0]);
        return EXIT_FAIL;
    }
    return with_store_output(o, stats_fn);
}

int cmd_export(const options *o) { return with_store_output(o, export_fn); }

int cmd_import(const options *o)
{
    if (o->nargs != 1) {
        fprintf(stderr, "hazcheck import: expected one bundle FILE (from hazcheck export)\n");
        return EXIT_FAIL;
    }
    return with_store_output(o, import_fn);
}

int cmd_report(const options *o)
{
    if (o->nargs != 1) {
        fprintf(stderr, "hazcheck report: expected one INSPECTION id\n");
        return EXIT_FAIL;
    }
    return with_store_output(o, report_fn);
}

/* ---------------------------------------------------------------- inspect */

/* The site for `inspect --site X`: a profile file, or a registered site id. */
static hc_doc *inspect_site(const options *o, hc_store *s, const hc_node **profile, hc_diags *d)
{
    const char *x = o->nsites ? o->sites[0] : NULL;
    if (x == NULL) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "inspect needs --site FILE or --site ID (a registered site)");
        return NULL;
    }
    hc_doc *doc = NULL;
    if (access(x, R_OK) == 0) {
        doc = hc_doc_load_file(x, NULL, d);
        if (doc == NULL) return NULL;
        const hc_node *root = hc_doc_root(doc);
        *profile = hc_map_get(root, "site") ? hc_map_get(root, "site") : root;
    } else {
        doc = hc_store_site_lookup(s, x);
        if (doc == NULL) {
            hc_diags_add(d, HC_ERROR, NULL, 0, 0, "site '%s' is neither a file nor a registered site", x);
            return NULL;
        }
        *profile = hc_doc_root(doc);
    }
    const hc_node *id = hc_map_get(*profile, "id");
    if ((*profile)->kind != HC_MAP || id == NULL || id->kind != HC_SCALAR) {
        hc_diags_add(d, HC_ERROR, x, 1, 1, "expected a site profile with an id");
        hc_doc_free(&doc);
        return NULL;
    }
    return doc;
}

typedef struct inspect_ctx {
    hc_store *store;
    int recorded;
} inspect_ctx;

static int inspect_record(void *ud, const hc_result *r)
{
    inspect_ctx *c = ud;
    hc_out_opts oo = {cli_color(stdout)};
    fputc('\n', stdout);
    hc_write_text(stdout, r, &oo);
    hc_diags d = {0};
    int rc = hc_store_record(c->store, r, &d);
    hc_diags_print(&d, stderr);
    if (rc < 0) return EXIT_FAIL;
    c->recorded = 1;
    printf("\nrecorded %s; follow-up: hazcheck actions --site %s\n", r->in->id, r->in->site_id);
    return hc_verdict_exit(r->verdict);
}

int cmd_inspect(const options *o)
{
    if (o->nargs != 1) {
        fprintf(stderr, "hazcheck inspect: expected CHECKLIST --site SITE\n");
        return EXIT_FAIL;
    }
    hc_diags d = {0};
    hc_store *s;
    hc_engine *e = store_engine(o, &s, &d);
    if (e == NULL) return fail_with(&d);
    const hc_node *profile = NULL;
    hc_doc *site = inspect_site(o, s, &profile, &d);
    hc_checklist *c = site ? hc_engine_checklist(e, o->args[0], &d) : NULL;
    int status = EXIT_FAIL;
    if (c) {
        char buf[11];
        const char *date = o->date ? o->date : cli_today(o, buf);
        char *doc = NULL;
        if (hc_interview(e, c, profile, date, actor(o), stdin, stdout, &doc, &d) == 0) {
            /* keep what was typed: the file is the record if anything below fails */
            char path[512];
            const hc_node *id = hc_map_get(profile, "id");
            if (o->output) snprintf(path, sizeof path, "%s", o->output);
            else snprintf(path, sizeof path, "inspection-%s-%s.yaml", id->str, date);
            FILE *f = fopen(path, "w");
            size_t len = strlen(doc);
            if (f == NULL || fwrite(doc, 1, len, f) != len || fclose(f) != 0) {
                hc_diags_add(&d, HC_ERROR, path, 0, 0, "cannot save the inspection");
            } else {
                printf("\nsaved %s\n", path);
                inspect_ctx ctx = {s, 0};
                const char *files[] = {path};
                status = cli_each_inspection(o, e, files, 1, inspect_record, &ctx);
            }
        }
        free(doc);
    }
    hc_diags_print(&d, stderr);
    hc_doc_free(&site);
    hc_engine_free(&e);
    hc_store_close(&s);
    return status;
}
