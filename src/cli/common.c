/*
** common.c: what every command shares: the engine and the store for the
** options given, the output file, today's date, the acting person, and how
** outcomes combine into one exit status (cli.md "Exit status").
*/
#include <pwd.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"          /* HC_SHARE_DIR, written by the Makefile from PREFIX */

#include "cli/cli.h"

int cli_verdict_exit(hc_verdict v)
{
    switch (v) {
    case HC_MAJOR_HAZARD: return 3;
    case HC_GENERAL_HAZARDS: return 2;
    case HC_INCOMPLETE: return 4;
    default: return 0;
    }
}

int cli_color(FILE *f)
{
    return isatty(fileno(f)) && getenv("NO_COLOR") == NULL;
}


const char *cli_today(const options *o, char buf[11])
{
    if (o->today) return o->today;
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(buf, 11, "%Y-%m-%d", &tm);
    return buf;
}

void cli_engine_config(const options *o, hc_engine_config *cfg, const char **dirs, size_t max,
                       char **owned)
{
    static const char *def_rules[] = {"rules", HC_SHARE_DIR "/rules"};
    memset(cfg, 0, sizeof *cfg);
    cfg->pack_dirs = dirs;
    cfg->npack_dirs = cli_pack_dirs(o, dirs, max, owned);
    cfg->rule_dirs = o->nrules ? o->rules : def_rules;
    cfg->nrule_dirs = o->nrules ? o->nrules : 2;
    cfg->limits = o->limits;
}

hc_engine *cli_engine(const options *o, hc_diags *d)
{
    const char *dirs[64];
    char *owned;
    hc_engine_config cfg;
    cli_engine_config(o, &cfg, dirs, 64, &owned);
    hc_engine *e = hc_engine_new(&cfg, d);       /* it copies the folders' names */
    free(owned);
    if (e == NULL) hc_diags_print(d, stderr);    /* every caller would, then give up */
    return e;
}

FILE *cli_open_output(const options *o)
{
    if (o->output == NULL || strcmp(o->output, "-") == 0) return stdout;
    FILE *f = fopen(o->output, "w");
    if (f == NULL) fprintf(stderr, _("hazcheck: %s: cannot open for writing\n"), o->output);
    return f;
}

/* Close the output and report a failed write (a full disk must not pass silently). */
int cli_close_output(FILE *f, const options *o)
{
    int bad = ferror(f);
    if (f != stdout) bad |= fclose(f) != 0;
    else bad |= fflush(f) != 0;
    if (bad) fprintf(stderr, _("hazcheck: %s: write failed\n"), o->output ? o->output : "<stdout>");
    return bad ? -1 : 0;
}

hc_format cli_format(const options *o, hc_format dflt)
{
    if (o->format == NULL) return dflt;
    if (strcmp(o->format, "markdown") == 0) return HC_FMT_MD;
    int f = hc_format_parse(o->format);
    return f < 0 ? dflt : (hc_format)f;        /* parse_args refused unknown names */
}

int cli_worse(int a, int b)
{
    static const int rank[] = {0, 4, 2, 3, 1};
    return rank[b] > rank[a] ? b : a;
}

/* ---------------------------------------------------------------- check */

typedef struct batch_ctx {
    const cli_batch *how;
    int status;
} batch_ctx;

static void batch_deliver(void *ud, const hc_result *r, const char *text, size_t len)
{
    batch_ctx *b = ud;
    b->status = cli_worse(b->status, b->how->fn(b->how->ud, r, text, len));
}

static void batch_render(void *ud, const hc_result *r, hc_buf *out)
{
    const batch_ctx *b = ud;
    b->how->render(b->how->ud, r, out);
}

static void batch_report(void *ud, hc_diags *d)
{
    (void)ud;
    hc_diags_print(d, stderr);
}

static void workers_free(hc_engine **engines, hc_store **stores, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        hc_engine_free(&engines[i]);
        hc_store_close(&stores[i]);
    }
    free(engines);
    free(stores);
}

/* The engines of --jobs: each set up as cli_engine and the caller's are (the
   same --site files, a site register read through a connection of its own).
   NULL, nothing left, when one cannot be made: the batch runs on one thread. */
static hc_engine **worker_engines(const options *o, const cli_batch *how, hc_store ***stores)
{
    hc_engine **v = hc_xcalloc(o->jobs, sizeof *v);
    *stores = hc_xcalloc(o->jobs, sizeof **stores);
    for (unsigned i = 0; i < o->jobs; i++) {
        hc_diags d = {0};
        v[i] = cli_engine(o, &d);
        if (v[i] != NULL) {
            for (size_t k = 0; k < o->nsites; k++) hc_engine_add_sites(v[i], o->sites[k], &d);
            if (how->register_db) (*stores)[i] = hc_store_open(cli_db_path(o), &d);
            if ((*stores)[i]) hc_engine_set_site_lookup(v[i], hc_store_site_lookup, (*stores)[i]);
            if (how->profile) hc_engine_profile(v[i], 1);
        }
        hc_diags_clear(&d);      /* the caller's own engine said it already */
        if (v[i] == NULL) {
            workers_free(v, *stores, i);
            *stores = NULL;
            return NULL;
        }
    }
    return v;
}

int cli_batch_run(const options *o, hc_engine *e, const char *const *files, size_t nfiles,
                  const cli_batch *how)
{
    batch_ctx b = {how, HC_EXIT_OK};
    hc_store **stores = NULL;
    hc_engine **engines = o && o->jobs > 1 ? worker_engines(o, how, &stores) : NULL;
    unsigned jobs = engines ? o->jobs : 1;
    if (jobs > 1) {
        /* the workers free a piece's memory and take as much again for the next:
           kept, not given back to the system and faulted in again every time
           (that cost the two cores a fifth of their time) */
        mallopt(M_TRIM_THRESHOLD, 8 << 20);
        mallopt(M_MMAP_THRESHOLD, 4 << 20);
    }
    hc_batch_config cfg = {jobs, engines, how->render ? batch_render : NULL, batch_deliver, batch_report, &b};
    if (hc_batch_run(e, files, nfiles, &cfg) > 0) b.status = cli_worse(b.status, HC_EXIT_FAIL);
    /* check --profile: the rules' times on every engine that evaluated, added up */
    if (how->profile) how->profile(how->ud, engines ? engines : &e, jobs);
    if (engines) workers_free(engines, stores, jobs);
    return b.status;
}

typedef struct each_ctx {
    int (*fn)(void *ud, const hc_result *r);
    void *ud;
} each_ctx;

static int each_one(void *ud, const hc_result *r, const char *text, size_t len)
{
    (void)text, (void)len;
    each_ctx *c = ud;
    return c->fn(c->ud, r);
}

int cli_each_inspection(hc_engine *e, const char *const *files, size_t nfiles,
                        int (*fn)(void *ud, const hc_result *r), void *ud)
{
    each_ctx c = {fn, ud};
    cli_batch how = {.fn = each_one, .ud = &c};
    return cli_batch_run(NULL, e, files, nfiles, &how);
}

/* --by, else $HAZCHECK_USER, else the login name */
const char *cli_actor(const options *o)
{
    if (o->user && *o->user) return o->user;
    const char *env = getenv("HAZCHECK_USER");
    if (env && *env) return env;
    struct passwd *pw = getpwuid(getuid());
    if (pw && pw->pw_name) return pw->pw_name;
    env = getenv("USER");
    return env && *env ? env : "unknown";
}

hc_store *cli_open_store(const options *o, int writes, hc_diags *d)
{
    if (cli_db_ready(o, writes, d) != 0) return NULL;
    hc_store *s = hc_store_open(cli_db_path(o), d);
    if (s == NULL) return NULL;
    hc_store_set_actor(s, cli_actor(o));
    char buf[11];
    hc_store_set_today(s, cli_today(o, buf));
    return s;
}

int cli_fail(hc_diags *d)
{
    hc_diags_print(d, stderr);
    return HC_EXIT_FAIL;
}

/* The store and an engine whose site lookups fall back to its register, for
   the commands that evaluate and record; NULL (nothing left open) on failure. */
hc_engine *cli_store_engine(const options *o, hc_store **s, hc_diags *d)
{
    *s = cli_open_store(o, 1, d);
    if (*s == NULL) return NULL;
    hc_engine *e = cli_engine(o, d);
    if (e == NULL) {
        hc_store_close(s);
        return NULL;
    }
    hc_engine_set_site_lookup(e, hc_store_site_lookup, *s);
    return e;
}

/* The shape of every command that reads the store and writes one output:
   open both, run 'fn', close both (reporting a failed write), print diagnostics. */
int cli_with_store_output(const options *o, int writes,
                          int (*fn)(hc_store *, const options *, FILE *, hc_diags *))
{
    hc_diags d = {0};
    hc_store *s = cli_open_store(o, writes, &d);
    if (s == NULL) return cli_fail(&d);
    FILE *out = cli_open_output(o);
    int rc = out && fn(s, o, out, &d) == 0 ? HC_EXIT_OK : HC_EXIT_FAIL;
    if (out && cli_close_output(out, o) != 0) rc = HC_EXIT_FAIL;
    hc_diags_print(&d, stderr);
    hc_store_close(&s);
    return rc;
}
