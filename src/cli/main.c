/*
** cli.c: the hazcheck command line, a thin layer over the library: it
** parses options, calls the library, prints, and maps outcomes to the exit
** codes of cli.md. No evaluation logic lives here.
*/
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hazcheck.h"
#include "base/base.h"

#include "config.h"          /* HC_SHARE_DIR, written by the Makefile from PREFIX */

#include "cli/cli.h"

static const char *const usage_text =
    "usage: hazcheck [global options] COMMAND [ARGS]\n"
    "\n"
    "Evaluate site inspections against safety checklists.\n"
    "\n"
    "commands:\n"
    "  check FILE...          evaluate inspections and print the findings (writes nothing)\n"
    "  lint PACK...           validate checklists\n"
    "  test PACK...           run the checklists' rule tests\n"
    "                         (--coverage, --min-coverage P, --junit FILE, --verbose)\n"
    "  packs                  list the available checklists\n"
    "  show CHECKLIST [ITEM]  print a checklist as a form (--format text|md)\n"
    "  template CHECKLIST     write a blank inspection file for a checklist\n"
    "\n"
    "the closed loop (in the database):\n"
    "  record FILE...         evaluate and store inspections, opening an action per failed item\n"
    "  inspect CHECKLIST --site FILE|ID  ask the questions one by one, then record (-o FILE keeps them)\n"
    "  reinspect INSPECTION FILE  re-check the failed items of an inspection\n"
    "  site add FILE... | site list | site show ID\n"
    "  actions [--site ID] [--status open|rectified|verified|overdue] [--inspector NAME]\n"
    "  action ID rectify --note TEXT [--evidence REF]... [--cost YUAN]\n"
    "  action ID verify [--note TEXT] | reopen --note TEXT | assign --to NAME\n"
    "  enforce SITE interview|list|delist|penalty --amount YUAN|suspend|resume|close-down\n"
    "                         [--date D] [--basis TEXT] [--note TEXT]\n"
    "  audit verify           check the hash chain of the event log\n"
    "  stats [--since D] [--until D] [--by district|squad|industry|checklist|month]\n"
    "                         figures for a period (--format text|json|csv)\n"
    "  export [--since D] [-o FILE] | import FILE   move records between databases\n"
    "  report INSPECTION      the inspection report and rectification notice (--format html|text|json)\n"
    "  (changes are made --by NAME, else $HAZCHECK_USER, else the login name)\n"
    "\n"
    "global options (before or after the command):\n"
    "  --packs DIR            where checklists are found (repeatable; default ./checklists,\n"
    "                         then " HC_SHARE_DIR "/checklists)\n"
    "  --rules DIR            where Lua rule modules are found (default ./rules, then the share folder)\n"
    "  --site FILE            site profiles for inspections that name a site by id (repeatable)\n"
    "  --today YYYY-MM-DD     the date taken as today\n"
    "  --format F, -o FILE    output format (text, json, jsonl, md) and file\n"
    "  --db PATH              the SQLite database (default $HAZCHECK_DB, else ./hazcheck.db)\n"
    "  limits: --max-depth N --max-nodes N --max-scalar BYTES --max-file BYTES\n"
    "          --lua-instructions N --lua-memory BYTES --lua-millis MS --max-inspection-millis MS\n"
    "\n"
    "exit status: 0 done (check: every applicable item passed), 1 could not do it,\n"
    "2 hidden hazards found, none major, 3 a major hazard (重大事故隐患),\n"
    "4 no hazard found but items unanswered or in error.\n";

/* `hazcheck CMD --help`: the usage lines of that command (and their
   continuation lines), then where the global options are described. */
static int command_help(const char *cmd)
{
    size_t n = strlen(cmd);
    int found = 0, in_cmd = 0;
    for (const char *p = usage_text; *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        int starts = len > 2 + n && p[0] == ' ' && p[1] == ' ' && strncmp(p + 2, cmd, n) == 0 &&
                     (p[2 + n] == ' ' || p[2 + n] == '\n');
        int continued = in_cmd && len > 4 && strncmp(p, "    ", 4) == 0;
        if (starts || continued) {
            printf("%.*s\n", (int)len, p);
            found = 1;
        }
        in_cmd = starts || continued;
        p += len + (e ? 1 : 0);
    }
    if (found) printf("\nGlobal options and exit codes: hazcheck --help\n");
    return found;
}

static void *grow_list(const char **list, size_t n)
{
    return hc_xrealloc((void *)list, (n + 1) * sizeof *list);
}

static int parse_size(const char *s, size_t *out)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || *end != '\0' || v == 0) return -1;
    *out = (size_t)v;
    return 0;
}

/* Global and command options may stand anywhere; the first bare word is the command. */
static int parse_args(int argc, char **argv, options *o)
{
    memset(o, 0, sizeof *o);
    o->min_coverage = -1;
    hc_limits_default(&o->limits);
    o->args = hc_xcalloc((size_t)argc + 1, sizeof *o->args);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
#define TAKES(name) (strcmp(a, name) == 0 && (val ? 1 : (fprintf(stderr, "hazcheck: %s needs a value\n", name), -1)))
        int t;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) o->help = 1;
        else if (strcmp(a, "--version") == 0) o->cmd = "--version";
        else if (strcmp(a, "--coverage") == 0) o->coverage = 1;
        else if (strcmp(a, "--verbose") == 0 || strcmp(a, "-v") == 0) o->verbose = 1;
        else if ((t = TAKES("--db"))) { if (t < 0) return -1; o->db = val; i++; }
        else if ((t = TAKES("--today"))) { if (t < 0) return -1; o->today = val; i++; }
        else if ((t = TAKES("--format"))) { if (t < 0) return -1; o->format = val; i++; }
        else if ((t = TAKES("-o"))) { if (t < 0) return -1; o->output = val; i++; }
        else if ((t = TAKES("--junit"))) { if (t < 0) return -1; o->junit = val; i++; }
        else if ((t = TAKES("--by"))) {
            /* --by is the actor, except for stats, where it is the grouping */
            if (t < 0) return -1;
            if (o->cmd && strcmp(o->cmd, "stats") == 0) o->group_by = val;
            else o->by = val;
            i++;
        }
        else if ((t = TAKES("--since"))) { if (t < 0) return -1; o->since = val; i++; }
        else if ((t = TAKES("--until"))) { if (t < 0) return -1; o->until = val; i++; }
        else if ((t = TAKES("--note"))) { if (t < 0) return -1; o->note = val; i++; }
        else if ((t = TAKES("--cost"))) { if (t < 0) return -1; o->cost = val; i++; }
        else if ((t = TAKES("--to"))) { if (t < 0) return -1; o->to = val; i++; }
        else if ((t = TAKES("--amount"))) { if (t < 0) return -1; o->amount = val; i++; }
        else if ((t = TAKES("--date"))) { if (t < 0) return -1; o->date = val; i++; }
        else if ((t = TAKES("--basis"))) { if (t < 0) return -1; o->basis = val; i++; }
        else if ((t = TAKES("--status"))) { if (t < 0) return -1; o->status = val; i++; }
        else if ((t = TAKES("--inspector"))) { if (t < 0) return -1; o->inspector = val; i++; }
        else if ((t = TAKES("--evidence"))) {
            if (t < 0) return -1;
            o->evidence = grow_list(o->evidence, o->nevidence);
            o->evidence[o->nevidence++] = val;
            i++;
        }
        else if ((t = TAKES("--packs"))) {
            if (t < 0) return -1;
            o->packs = grow_list(o->packs, o->npacks);
            o->packs[o->npacks++] = val;
            i++;
        } else if ((t = TAKES("--rules"))) {
            if (t < 0) return -1;
            o->rules = grow_list(o->rules, o->nrules);
            o->rules[o->nrules++] = val;
            i++;
        } else if ((t = TAKES("--site"))) {
            if (t < 0) return -1;
            o->sites = grow_list(o->sites, o->nsites);
            o->sites[o->nsites++] = val;
            i++;
        } else if ((t = TAKES("--min-coverage"))) {
            if (t < 0 || val == NULL) return -1;
            char *end;
            o->min_coverage = strtod(val, &end);
            if (*end || o->min_coverage < 0 || o->min_coverage > 100) {
                fprintf(stderr, "hazcheck: --min-coverage '%s'; expected a percentage 0-100\n", val);
                return -1;
            }
            o->coverage = 1;
            i++;
        } else if (strncmp(a, "--max-", 6) == 0 || strncmp(a, "--lua-", 6) == 0) {
            size_t v;
            if (val == NULL || parse_size(val, &v) != 0) {
                fprintf(stderr, "hazcheck: %s needs a positive whole number\n", a);
                return -1;
            }
            i++;
            if (!strcmp(a, "--max-depth")) o->limits.max_depth = v;
            else if (!strcmp(a, "--max-nodes")) o->limits.max_nodes = v;
            else if (!strcmp(a, "--max-scalar")) o->limits.max_scalar = v;
            else if (!strcmp(a, "--max-file")) o->limits.max_file = v;
            else if (!strcmp(a, "--lua-instructions")) o->limits.lua_instructions = v;
            else if (!strcmp(a, "--lua-memory")) o->limits.lua_memory = v;
            else if (!strcmp(a, "--lua-millis")) o->limits.lua_millis = (unsigned)v;
            else if (!strcmp(a, "--max-inspection-millis")) o->limits.inspection_millis = (unsigned)v;
            else {
                fprintf(stderr, "hazcheck: unknown option '%s'\n", a);
                return -1;
            }
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "hazcheck: unknown option '%s'; see 'hazcheck --help'\n", a);
            return -1;
        } else if (o->cmd == NULL) {
            o->cmd = a;
        } else {
            o->args[o->nargs++] = a;
        }
#undef TAKES
    }
    if (o->format && strcmp(o->format, "text") != 0 && strcmp(o->format, "json") != 0 &&
        strcmp(o->format, "jsonl") != 0 && strcmp(o->format, "md") != 0 && strcmp(o->format, "markdown") != 0 &&
        strcmp(o->format, "csv") != 0 && strcmp(o->format, "html") != 0) {
        fprintf(stderr, "hazcheck: --format '%s'; expected text, json, jsonl, csv, html or md\n", o->format);
        return -1;
    }
    if (o->cmd && strcmp(o->cmd, "stats") == 0 && o->by && o->group_by == NULL) {
        o->group_by = o->by;     /* "stats --by month" given before the command word */
        o->by = NULL;
    }
    const char *dates[] = {o->since, o->until, o->date};
    for (int k = 0; k < 3; k++) {
        long dd;
        if (dates[k] && hc_date_parse(dates[k], strlen(dates[k]), &dd) != 0) {
            fprintf(stderr, "hazcheck: date '%s'; expected YYYY-MM-DD\n", dates[k]);
            return -1;
        }
    }
    if (o->today) {
        long d;
        if (hc_date_parse(o->today, strlen(o->today), &d) != 0) {
            fprintf(stderr, "hazcheck: --today '%s'; expected a date YYYY-MM-DD\n", o->today);
            return -1;
        }
    }
    return 0;
}

static void free_options(options *o)
{
    free(o->args);
    free(o->packs);
    free(o->rules);
    free(o->sites);
    free(o->evidence);
}

int cli_color(FILE *f)
{
    return isatty(fileno(f)) && getenv("NO_COLOR") == NULL;
}

const char *cli_db_path(const options *o)
{
    if (o->db) return o->db;
    const char *env = getenv("HAZCHECK_DB");
    return env && *env ? env : "hazcheck.db";
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

hc_engine *cli_engine(const options *o, hc_diags *d)
{
    const char *def_packs[] = {"checklists", HC_SHARE_DIR "/checklists"};
    const char *def_rules[] = {"rules", HC_SHARE_DIR "/rules"};
    hc_engine_config cfg = {0};
    cfg.pack_dirs = o->npacks ? o->packs : def_packs;
    cfg.npack_dirs = o->npacks ? o->npacks : 2;
    cfg.rule_dirs = o->nrules ? o->rules : def_rules;
    cfg.nrule_dirs = o->nrules ? o->nrules : 2;
    cfg.limits = o->limits;
    hc_engine *e = hc_engine_new(&cfg, d);
    if (e == NULL) hc_diags_print(d, stderr);    /* every caller would, then give up */
    return e;
}

FILE *cli_open_output(const options *o)
{
    if (o->output == NULL || strcmp(o->output, "-") == 0) return stdout;
    FILE *f = fopen(o->output, "w");
    if (f == NULL) fprintf(stderr, "hazcheck: %s: cannot open for writing\n", o->output);
    return f;
}

/* Close the output and report a failed write (a full disk must not pass silently). */
int cli_close_output(FILE *f, const options *o)
{
    int bad = ferror(f);
    if (f != stdout) bad |= fclose(f) != 0;
    else bad |= fflush(f) != 0;
    if (bad) fprintf(stderr, "hazcheck: %s: write failed\n", o->output ? o->output : "<stdout>");
    return bad ? -1 : 0;
}

int cli_worse(int a, int b)
{
    static const int rank[] = {0, 4, 2, 3, 1};
    return rank[b] > rank[a] ? b : a;
}

/* ---------------------------------------------------------------- check */

int cli_each_inspection(const options *o, hc_engine *e, const char *const *files, size_t nfiles,
                        int (*fn)(void *ud, const hc_result *r), void *ud)
{
    hc_diags d = {0};
    int status = EXIT_OK;
    for (size_t i = 0; i < nfiles; i++) {
        hc_reader *r = hc_reader_open(files[i], hc_engine_limits(e), &d);
        if (r == NULL) {
            hc_diags_print(&d, stderr);
            status = cli_worse(status, EXIT_FAIL);
            continue;
        }
        hc_doc *doc;
        int rc;
        size_t in_file = 0;
        while ((rc = hc_reader_next(r, &doc, &d)) == 1) {
            in_file++;
            hc_inspection *in = hc_inspection_load(e, doc, &d);
            hc_diags_print(&d, stderr);
            if (in == NULL) {
                status = cli_worse(status, EXIT_FAIL);
                continue;
            }
            hc_result *res = hc_evaluate(e, in);
            int st = fn(ud, res);
            status = cli_worse(status, st);
            hc_result_free(&res);
            hc_inspection_free(&in);
        }
        hc_diags_print(&d, stderr);
        if (rc < 0) status = cli_worse(status, EXIT_FAIL);
        else if (in_file == 0) {
            fprintf(stderr, "%s: no inspection in the file\n", files[i]);
            status = cli_worse(status, EXIT_FAIL);
        }
        hc_reader_close(&r);
    }
    (void)o;
    return status;
}

typedef struct check_out {
    FILE *out;
    int json, jsonl;
    hc_out_opts oo;
    size_t count;
} check_out;

static int print_result(void *ud, const hc_result *res)
{
    check_out *c = ud;
    if (c->json || c->jsonl) {
        hc_write_json(c->out, res, c->json);
        if (c->jsonl) fputc('\n', c->out);
    } else {
        if (c->count) fputs("\n────────────────────────────────────────\n\n", c->out);
        hc_write_text(c->out, res, &c->oo);
    }
    c->count++;
    return hc_verdict_exit(res->verdict);
}

/* check reads the site register when a database exists, and never writes to it */
static hc_store *existing_store(const options *o, hc_diags *d)
{
    const char *path = cli_db_path(o);
    if (access(path, R_OK) != 0) return NULL;
    return hc_store_open(path, d);
}

static int cmd_check(const options *o)
{
    if (o->nargs == 0) {
        fprintf(stderr, "hazcheck check: expected one or more inspection files (- for standard input)\n");
        return EXIT_FAIL;
    }
    hc_diags d = {0};
    hc_engine *e = cli_engine(o, &d);
    if (e == NULL) return EXIT_FAIL;
    int status = EXIT_OK;
    for (size_t i = 0; i < o->nsites; i++)
        if (hc_engine_add_sites(e, o->sites[i], &d) != 0) status = EXIT_FAIL;
    hc_store *store = existing_store(o, &d);
    if (store == NULL && d.n) {
        /* check writes nothing, so an unreadable database only costs the register */
        for (size_t i = 0; i < d.n; i++) d.v[i].level = HC_WARNING;
        fprintf(stderr, "hazcheck: warning: the site register in %s cannot be read; sites named "
                        "by id must come with --site:\n", cli_db_path(o));
    }
    if (store) hc_engine_set_site_lookup(e, hc_store_site_lookup, store);
    hc_diags_print(&d, stderr);
    FILE *out = cli_open_output(o);
    if (out == NULL) {
        hc_engine_free(&e);
        hc_store_close(&store);
        return EXIT_FAIL;
    }
    const char *fmt = o->format ? o->format : "text";
    check_out c = {out, strcmp(fmt, "json") == 0, strcmp(fmt, "jsonl") == 0, {cli_color(out)}, 0};
    status = cli_worse(status, cli_each_inspection(o, e, o->args, o->nargs, print_result, &c));
    if (cli_close_output(out, o) != 0) status = EXIT_FAIL;
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

static int cmd_lint(const options *o)
{
    hc_diags d = {0};
    hc_engine *e = cli_engine(o, &d);
    if (e == NULL) return EXIT_FAIL;
    hc_checklist **packs;
    size_t n;
    int rc = load_packs(o, e, 1, &packs, &n, &d);
    /* ids are unique among loaded packs: an inspection names its pack by id */
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < i; k++)
            if (strcmp(packs[i]->id, packs[k]->id) == 0)
                hc_diags_add(&d, HC_ERROR, packs[i]->path, 1, 1, "pack id '%s' is also the id of %s",
                             packs[i]->id, packs[k]->path);
    size_t errors = d.errors, warnings = d.warnings;
    hc_diags_print(&d, stderr);
    for (size_t i = 0; i < n; i++)
        printf("%s: ok (%s %s, %zu items)\n", packs[i]->path, packs[i]->id, packs[i]->version,
               packs[i]->nitems);
    printf("%zu error%s, %zu warning%s\n", errors, errors == 1 ? "" : "s", warnings,
           warnings == 1 ? "" : "s");
    free(packs);
    hc_engine_free(&e);
    return rc == 0 && errors == 0 ? EXIT_OK : EXIT_FAIL;
}

static int cmd_test(const options *o)
{
    hc_diags d = {0};
    hc_engine *e = cli_engine(o, &d);
    if (e == NULL) return EXIT_FAIL;
    hc_checklist **packs;
    size_t n;
    int rc = load_packs(o, e, 0, &packs, &n, &d);
    hc_diags_print(&d, stderr);
    FILE *junit = NULL;
    if (o->junit) {
        junit = fopen(o->junit, "w");
        if (junit == NULL) {
            fprintf(stderr, "hazcheck: %s: cannot open for writing\n", o->junit);
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
    return rc == 0 && trc == 0 ? EXIT_OK : EXIT_FAIL;
}

/* ------------------------------------------------- packs, show, template */

static int cmd_packs(const options *o)
{
    hc_diags d = {0};
    hc_engine *e = cli_engine(o, &d);
    if (e == NULL) return EXIT_FAIL;
    hc_checklist **packs;
    size_t n;
    int rc = hc_engine_list_packs(e, &packs, &n, &d);
    hc_diags_print(&d, stderr);
    FILE *out = cli_open_output(o);
    if (out == NULL) out = stdout;
    int json = o->format && (!strcmp(o->format, "json") || !strcmp(o->format, "jsonl"));
    size_t w[4] = {2, 7, 6, 5};
    for (size_t i = 0; i < n && !json; i++) {
        const size_t v[4] = {hc_display_width(packs[i]->id), hc_display_width(packs[i]->version),
                       packs[i]->domain ? hc_display_width(packs[i]->domain) : 1, 0};
        for (int k = 0; k < 3; k++)
            if (v[k] > w[k]) w[k] = v[k];
    }
    if (json) fputs("[", out);
    else fprintf(out, "%-*s  %-*s  %-*s  %5s  %s\n", (int)w[0], "id", (int)w[1], "version",
                 (int)w[2], "domain", "items", "file");
    for (size_t i = 0; i < n; i++) {
        const hc_checklist *c = packs[i];
        if (json) {
            fprintf(out, "%s\n  {\"id\": ", i ? "," : "");
            hc_write_json_string(out, c->id);
            fputs(", \"version\": ", out);
            hc_write_json_string(out, c->version);
            fputs(", \"domain\": ", out);
            if (c->domain) hc_write_json_string(out, c->domain);
            else fputs("null", out);
            fprintf(out, ", \"items\": %zu, \"file\": ", c->nitems);
            hc_write_json_string(out, c->path);
            fputs(", \"title\": ", out);
            hc_write_json_string(out, c->title);
            fputs("}", out);
            continue;
        }
        fprintf(out, "%s", c->id);
        for (size_t k = hc_display_width(c->id); k < w[0] + 2; k++) fputc(' ', out);
        fprintf(out, "%s", c->version);
        for (size_t k = hc_display_width(c->version); k < w[1] + 2; k++) fputc(' ', out);
        const char *dom = c->domain ? c->domain : "-";
        fprintf(out, "%s", dom);
        for (size_t k = hc_display_width(dom); k < w[2] + 2; k++) fputc(' ', out);
        fprintf(out, "%5zu  %s\n", c->nitems, c->path);
    }
    if (json) fputs("\n]\n", out);
    if (cli_close_output(out, o) != 0) rc = -1;
    free(packs);
    hc_engine_free(&e);
    return rc == 0 ? EXIT_OK : EXIT_FAIL;
}

static int cmd_show_or_template(const options *o, int is_template)
{
    if (o->nargs < 1 || o->nargs > (is_template ? 1u : 2u)) {
        fprintf(stderr, is_template ? "hazcheck template: expected one CHECKLIST (an id or a file)\n"
                                    : "hazcheck show: expected CHECKLIST [ITEM]\n");
        return EXIT_FAIL;
    }
    hc_diags d = {0};
    hc_engine *e = cli_engine(o, &d);
    if (e == NULL) return EXIT_FAIL;
    hc_checklist *c = hc_engine_checklist(e, o->args[0], &d);
    hc_diags_print(&d, stderr);
    int rc = EXIT_FAIL;
    if (c) {
        const hc_item *only = NULL;
        if (o->nargs == 2) {
            long k = hc_checklist_find(c, o->args[1]);
            if (k < 0) {
                fprintf(stderr, "hazcheck show: checklist %s has no item '%s'\n", c->id, o->args[1]);
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
        else if (o->format && strcmp(o->format, "html") == 0) ok = hc_show_html(out, c, only, &d) == 0;
        else hc_show(out, c, only, o->format && (!strcmp(o->format, "md") || !strcmp(o->format, "markdown")));
        hc_diags_print(&d, stderr);
        rc = cli_close_output(out, o) == 0 && ok ? EXIT_OK : EXIT_FAIL;
    }
out:
    hc_engine_free(&e);
    return rc;
}

int main(int argc, char **argv)
{
    options o;
    if (parse_args(argc, argv, &o) != 0) {
        free_options(&o);
        return EXIT_FAIL;
    }
    int rc;
    if (o.cmd && strcmp(o.cmd, "--version") == 0) {
        printf("hazcheck %s (formats version %d)\n", HC_VERSION, HC_FORMAT_VERSION);
        rc = EXIT_OK;
    } else if (o.help && o.cmd && command_help(o.cmd)) {
        rc = EXIT_OK;
    } else if (o.cmd == NULL || o.help) {
        fputs(usage_text, o.help ? stdout : stderr);
        rc = o.help ? EXIT_OK : EXIT_FAIL;
    } else if (!strcmp(o.cmd, "check")) rc = cmd_check(&o);
    else if (!strcmp(o.cmd, "lint")) rc = cmd_lint(&o);
    else if (!strcmp(o.cmd, "test")) rc = cmd_test(&o);
    else if (!strcmp(o.cmd, "packs")) rc = cmd_packs(&o);
    else if (!strcmp(o.cmd, "show")) rc = cmd_show_or_template(&o, 0);
    else if (!strcmp(o.cmd, "template")) rc = cmd_show_or_template(&o, 1);
    else if (!strcmp(o.cmd, "record")) rc = cmd_record(&o);
    else if (!strcmp(o.cmd, "reinspect")) rc = cmd_reinspect(&o);
    else if (!strcmp(o.cmd, "site")) rc = cmd_site(&o);
    else if (!strcmp(o.cmd, "actions")) rc = cmd_actions(&o);
    else if (!strcmp(o.cmd, "action")) rc = cmd_action(&o);
    else if (!strcmp(o.cmd, "enforce")) rc = cmd_enforce(&o);
    else if (!strcmp(o.cmd, "audit")) rc = cmd_audit(&o);
    else if (!strcmp(o.cmd, "stats")) rc = cmd_stats(&o);
    else if (!strcmp(o.cmd, "export")) rc = cmd_export(&o);
    else if (!strcmp(o.cmd, "import")) rc = cmd_import(&o);
    else if (!strcmp(o.cmd, "report")) rc = cmd_report(&o);
    else if (!strcmp(o.cmd, "inspect")) rc = cmd_inspect(&o);
    else {
        fprintf(stderr, "hazcheck: unknown command '%s'; see 'hazcheck --help'\n", o.cmd);
        rc = EXIT_FAIL;
    }
    free_options(&o);
    return rc;
}
