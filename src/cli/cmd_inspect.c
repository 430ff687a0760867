/*
** cmd_inspect.c: the commands that evaluate and record into the database:
** record, reinspect, inspect.
*/
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"

/* --------------------------------------------------------------- record */

/* Group commit: a batch records up to GROUP_MAX inspections, or what
   GROUP_MS of work gives, per transaction (one fsync), each inspection whole
   in its own savepoint. What a group recorded is said only once it is
   committed, so "recorded" on the output is always in the database. */
#define GROUP_MAX 256
#define GROUP_MS 250

typedef struct record_ctx {
    hc_store *store;
    size_t recorded, already, failed, skipped;
    int stopped;                  /* the database cannot be written any more */
    hc_buf not_recorded;
    /* the open group: what it will have recorded, said at its commit */
    size_t g_recorded, g_already, g_n;
    hc_buf g_said, g_where;
    long long g_start;            /* hc_clock_ms when it began */
    int grouped;                  /* 0: each inspection its own transaction */
} record_ctx;

/* Group only input that is there to read: a file, not a pipe or a terminal
   that may pause between inspections (a group would hold the write lock, and
   the last inspection unsaid, for as long as the pause). */
static int input_is_files(const options *o)
{
    for (size_t i = 0; i < o->nargs; i++) {
        struct stat st;
        if (strcmp(o->args[i], "-") == 0 && (fstat(0, &st) != 0 || !S_ISREG(st.st_mode))) return 0;
    }
    return 1;
}

/* The database cannot be written any more: say so once, try no more. */
static void stop(record_ctx *c)
{
    c->stopped = 1;
    fprintf(stderr, _("hazcheck: the database cannot be written; stopping the batch\n"));
}

/* Commit the open group: say what it recorded, or, if it is lost, count
   every inspection in it as not recorded. */
static void group_end(record_ctx *c)
{
    if (c->g_n == 0 && hc_store_group_open(c->store) == 0) return;
    hc_diags d = {0};
    /* a group lost to an error was lost with that error's message: its
       inspections are listed as not recorded, not reported a second time */
    int lost = hc_store_group_open(c->store) < 0;
    if (hc_store_group_commit(c->store, &d) == 0) {
        if (c->g_said.len) fputs(c->g_said.data, stdout);
        c->recorded += c->g_recorded;
        c->already += c->g_already;
    } else {
        c->failed += c->g_recorded + c->g_already;
        if (c->g_where.len) hc_buf_puts(&c->not_recorded, c->g_where.data);
    }
    if (!lost) hc_diags_print(&d, stderr);
    hc_diags_clear(&d);
    /* most of a group's writes happen at its commit: a full disk shows here */
    if (!c->stopped && hc_store_fatal(c->store)) stop(c);
    fflush(stdout);
    c->g_recorded = c->g_already = c->g_n = 0;
    hc_buf_reset(&c->g_said);
    hc_buf_reset(&c->g_where);
}

static int record_one(void *ud, const hc_result *r)
{
    record_ctx *c = ud;
    if (c->stopped) {             /* say it once, not once per remaining inspection */
        c->skipped++;
        return HC_EXIT_FAIL;
    }
    hc_diags d = {0};
    int rc = 0;
    if (hc_store_group_open(c->store) == 0 && c->grouped) {
        c->g_n = 0;
        c->g_start = hc_clock_ms();
        /* the write lock, waited for once (the busy timeout), not again by the record */
        if (hc_store_group_begin(c->store, &d) != 0) rc = -1;
    }
    if (rc == 0) rc = hc_store_record(c->store, r, &d);
    hc_diags_print(&d, stderr);
    if (rc < 0) {
        c->failed++;
        hc_buf_printf(&c->not_recorded, "  %s:%u: inspection %s\n", r->in->path, r->in->line, r->in->id);
        /* an error that ended the group's transaction took the group with it;
           one that no write survives ends the batch (judged before the group's
           end, whose own statements leave other errors behind) */
        int fatal = hc_store_fatal(c->store);
        if (hc_store_group_open(c->store) < 0 || fatal) group_end(c);
        if (!c->stopped && fatal) stop(c);
        return HC_EXIT_FAIL;
    }
    if (rc == 0) {
        c->g_already++;
        hc_buf_printf(&c->g_said, _("%s: already recorded, nothing changed\n"), r->in->id);
    } else {
        c->g_recorded++;
        hc_buf_printf(&c->g_said,
                      hc_trn("recorded %s: %s %s, %s, reference score %g, %zu action opened\n",
                             "recorded %s: %s %s, %s, reference score %g, %zu actions opened\n",
                             r->counts[HC_FAIL]),
                      r->in->id, r->in->site_id, r->in->site_name ? r->in->site_name : "",
                      hc_verdict_name(r->verdict), r->score, r->counts[HC_FAIL]);
    }
    hc_buf_printf(&c->g_where, "  %s:%u: inspection %s\n", r->in->path, r->in->line, r->in->id);
    if (++c->g_n >= GROUP_MAX || hc_clock_ms() - c->g_start >= GROUP_MS) group_end(c);
    return cli_verdict_exit(r->verdict);
}

static int record_delivered(void *ud, const hc_result *r, const char *text, size_t len)
{
    (void)text, (void)len;
    return record_one(ud, r);
}

int cmd_record(const options *o)
{
    if (o->nargs == 0) {
        fprintf(stderr, _("hazcheck record: expected one or more inspection files (- for standard input)\n"));
        return HC_EXIT_FAIL;
    }
    hc_diags d = {0};
    hc_store *s;
    hc_engine *e = cli_store_engine(o, &s, &d);
    if (e == NULL) return cli_fail(&d);
    int status = HC_EXIT_OK;
    for (size_t i = 0; i < o->nsites; i++)
        if (hc_engine_add_sites(e, o->sites[i], &d) != 0) status = HC_EXIT_FAIL;
    hc_diags_print(&d, stderr);
    record_ctx c = {.store = s, .grouped = input_is_files(o)};
    cli_batch how = {.fn = record_delivered, .register_db = 1, .ud = &c};
    status = cli_worse(status, cli_batch_run(o, e, o->args, o->nargs, &how));
    group_end(&c);
    if (c.failed) status = cli_worse(status, HC_EXIT_FAIL);
    if (c.recorded + c.already + c.failed + c.skipped > 1 || c.failed)
        printf(_("%zu recorded, %zu already recorded, %zu not recorded\n"), c.recorded, c.already,
               c.failed + c.skipped);
    if (c.failed) fprintf(stderr, _("not recorded:\n%s"), c.not_recorded.data);
    if (c.skipped)
        fprintf(stderr, hc_trn("  and the %zu inspection after it (not tried once the database failed)\n",
                               "  and the %zu inspections after it (not tried once the database failed)\n",
                               c.skipped), c.skipped);
    hc_buf_free(&c.not_recorded);
    hc_buf_free(&c.g_said);
    hc_buf_free(&c.g_where);
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
        fprintf(stderr, _("%s:%u: one re-inspection per command; this one was not recorded\n"),
                r->in->path, r->in->line);
        return HC_EXIT_FAIL;
    }
    hc_diags d = {0};
    hc_reinspect_summary sum;
    int rc = hc_store_reinspect(c->store, c->parent, r, &sum, &d);
    hc_diags_print(&d, stderr);
    if (rc < 0) return HC_EXIT_FAIL;
    printf(_("re-inspection %s of %s: %zu verified and closed, %zu still failing, %zu new hazards\n"),
           r->in->id, c->parent, sum.verified, sum.still_failing, sum.new_hazards);
    return sum.still_failing || sum.new_hazards ? cli_verdict_exit(r->verdict) : HC_EXIT_OK;
}

int cmd_reinspect(const options *o)
{
    if (o->nargs != 2) {
        fprintf(stderr, _("hazcheck reinspect: expected INSPECTION FILE\n"));
        return HC_EXIT_FAIL;
    }
    hc_diags d = {0};
    hc_store *s;
    hc_engine *e = cli_store_engine(o, &s, &d);
    if (e == NULL) return cli_fail(&d);
    reinspect_ctx c = {s, o->args[0], 0};
    int status = cli_each_inspection(e, o->args + 1, 1, reinspect_one, &c);
    hc_engine_free(&e);
    hc_store_close(&s);
    return status;
}

/* ---------------------------------------------------------------- inspect */

/* Who inspects: the configuration's inspector, else the person named with
   --user or $HAZCHECK_USER; never the login name, which would print on the report. */
static const char *inspector(const options *o)
{
    if (o->cfg_inspector) return o->cfg_inspector;
    if (o->user && *o->user) return o->user;
    const char *env = getenv("HAZCHECK_USER");
    return env && *env ? env : NULL;
}

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
        doc = hc_doc_load_file(x, &o->limits, d);
        if (doc == NULL) return NULL;
        *profile = hc_site_profile(hc_doc_root(doc), x, d);
    } else {
        int got = hc_store_site_lookup(s, x, &doc, d);
        if (got == 0)
            hc_diags_add(d, HC_ERROR, NULL, 0, 0, "site '%s' is neither a file nor a registered site", x);
        if (got <= 0) return NULL;
        *profile = hc_site_check(hc_doc_root(doc), x, d) == 0 ? hc_doc_root(doc) : NULL;
    }
    if (*profile == NULL) hc_doc_free(&doc);
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
    if (rc < 0) return HC_EXIT_FAIL;
    c->recorded = 1;
    printf(_("\nrecorded %s; follow-up: hazcheck actions --site %s\n"), r->in->id, r->in->site_id);
    return cli_verdict_exit(r->verdict);
}

/* Where the answers go: -o FILE, else inspection-SITE-DATE.yaml; a new inspection
   never overwrites an earlier file (-2, -3, ... are tried), a resumed one needs it. */
static int answers_path(const options *o, const char *site, const char *date, char *path,
                        size_t n, hc_diags *d)
{
    char base[512];
    if (o->output) snprintf(base, sizeof base, "%s", o->output);
    else snprintf(base, sizeof base, "inspection-%s-%s.yaml", site, date);
    snprintf(path, n, "%s", base);
    if (o->resume) {
        if (access(path, F_OK) == 0) return 0;
        hc_diags_add(d, HC_ERROR, path, 0, 0, "no saved answers to resume");
        return -1;
    }
    const char *dot = strrchr(base, '.');
    size_t stem = dot && dot > base ? (size_t)(dot - base) : strlen(base);
    for (int k = 2; access(path, F_OK) == 0; k++) {
        if (k > 999) {
            hc_diags_add(d, HC_ERROR, base, 0, 0, "too many earlier files with this name");
            return -1;
        }
        snprintf(path, n, "%.*s-%d%s", (int)stem, base, k, dot && dot > base ? dot : "");
    }
    return 0;
}

/* The input ended before the last item: record what is there? On a terminal the
   inspector is asked; otherwise only with --partial. */
static int record_partial(const options *o, size_t answered, size_t total)
{
    if (!isatty(fileno(stdin))) return o->partial;
    clearerr(stdin);                  /* Ctrl-D ends one read, not the terminal */
    printf(_("\n%zu of %zu items answered. Record this partial inspection now? [y/N] "), answered,
           total);
    fflush(stdout);
    char buf[16] = "";
    if (fgets(buf, sizeof buf, stdin) == NULL) return 0;
    return buf[0] == 'y' || buf[0] == 'Y' || strncmp(buf, "是", 3) == 0;
}

int cmd_inspect(const options *o)
{
    if (o->nargs != 1) {
        fprintf(stderr, _("hazcheck inspect: expected CHECKLIST --site SITE\n"));
        return HC_EXIT_FAIL;
    }
    hc_diags d = {0};
    hc_store *s;
    hc_engine *e = cli_store_engine(o, &s, &d);
    if (e == NULL) return cli_fail(&d);
    const hc_node *profile = NULL;
    hc_doc *site = inspect_site(o, s, &profile, &d);
    hc_checklist *c = site ? hc_engine_checklist(e, o->args[0], &d) : NULL;
    int status = HC_EXIT_FAIL;
    char buf[11], path[600];
    const char *date = o->date ? o->date : cli_today(o, buf);
    if (c && answers_path(o, hc_map_get(profile, "id")->str, date, path, sizeof path, &d) == 0) {
        size_t answered = 0;
        int rc = cli_interview(e, c, profile, date, inspector(o), path, o->resume, stdin, stdout,
                               &answered, &d);
        int record = rc == 0 || (rc == 1 && answered > 0 && record_partial(o, answered, c->nitems));
        if (rc >= 0 && !record) {
            printf(answered ? _("\nanswers kept in %s (%zu of %zu items); nothing recorded. Go on with:\n"
                                "  hazcheck inspect %s --site %s --date %s -o %s --resume\n")
                             : _("\nno answers kept in %s (%zu of %zu items); nothing recorded. Go on with:\n"
                                 "  hazcheck inspect %s --site %s --date %s -o %s --resume\n"),
                   path, answered, c->nitems, o->args[0], o->sites[0], date, path);
        } else if (record) {
            printf(_("\nsaved %s\n"), path);
            inspect_ctx ctx = {s, 0};
            const char *files[] = {path};
            status = cli_each_inspection(e, files, 1, inspect_record, &ctx);
        }
    }
    hc_diags_print(&d, stderr);
    hc_doc_free(&site);
    hc_engine_free(&e);
    hc_store_close(&s);
    return status;
}
