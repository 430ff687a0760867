/*
** cli.h: what the command modules share: the parsed options, the command
** table, and the small helpers that turn options into library calls.
**
** The command line is a thin layer: main.c dispatches through the table in
** commands.c to one cmd_*.c file per group of commands, which call the
** library and common.c. Nothing calls back up: common.c knows no command.
*/
#ifndef HC_CLI_H
#define HC_CLI_H

#include <stdio.h>

#include "hazcheck.h"
#include "hazcheck_report.h"
#include "hazcheck_store.h"
#include "base/base.h"

enum { HC_EXIT_OK = 0, HC_EXIT_FAIL = 1 };

typedef struct options {
    const char *cmd;
    const char **args;
    size_t nargs;
    const char *db, *today, *format, *output;
    const char **packs, **rules, **sites;
    size_t npacks, nrules, nsites;
    int coverage, verbose, help, strict, version, resume, partial, profile;
    double min_coverage;
    const char *junit;
    const char *user, *note, *cost, *to, *amount, *date, *basis, *status, *inspector, *reason;
    const char *since, *until, *group_by;
    const char *squad, *from, *seed;          /* plan; squad also user add */
    const char *role;                         /* user add */
    const char *listen, *data, *trusted_proxy;   /* serve */
    int secure_cookies;
    int days, random;
    unsigned jobs;                            /* check, record: evaluating threads */
    const char **evidence;
    size_t nevidence;
    hc_limits limits;
    /* from the configuration file (config.c); its document owns the strings */
    hc_doc *config_doc;
    const char *cfg_db, *cfg_inspector, *cfg_authority, *cfg_notice_number;
    const char **cfg_packs;
    size_t ncfg_packs;
} options;

/* ------------------------------------------------------------- commands.c */

typedef struct command {
    const char *name;
    int (*run)(const options *o);
    const char *usage;            /* one or more lines, each "NAME ARGS  what it does" */
    int group;                    /* 0 files and checklists, 1 the closed loop */
    const char *options;          /* the options it takes (names, @groups: options.c) */
    const char *formats;          /* the --format values it writes, or "" */
} command;

typedef struct cli_option {
    const char *name;
    const char *arg;              /* what the value is, for help: "PATH"; NULL: no value */
    const char *help;
    int has_arg;
    int id;
} cli_option;

/* The option ids (options.c's switch; getopt_long's values). */
enum {
    O_HELP = 'h', O_OUTPUT = 'o', O_VERBOSE = 'v',
    O_VERSION = 256, O_DB, O_PACKS, O_RULES, O_SITE, O_TODAY, O_FORMAT, O_USER, O_COVERAGE,
    O_MIN_COVERAGE, O_JUNIT, O_STRICT, O_PROFILE, O_NOTE, O_COST, O_TO, O_AMOUNT, O_DATE, O_BASIS, O_STATUS,
    O_INSPECTOR, O_EVIDENCE, O_SINCE, O_UNTIL, O_BY, O_REASON,
    O_RESUME, O_PARTIAL, O_MAX_DEPTH, O_MAX_NODES, O_MAX_SCALAR, O_MAX_FILE, O_LUA_INSTRUCTIONS, O_LUA_MEMORY,
    O_LUA_MILLIS, O_MAX_INSPECTION_MILLIS,
    O_SQUAD, O_FROM, O_DAYS, O_RANDOM, O_SEED, O_ROLE, O_LISTEN, O_DATA, O_SECURE_COOKIES,
    O_TRUSTED_PROXY, O_JOBS
};

extern const cli_option cli_options[];
const cli_option *cli_option_by_id(int id);
/* 1 if command c takes --option. */
int cli_command_takes(const command *c, const char *option);
/* Does the space-separated list (with @groups) name 'name'? */
int cli_list_has(const char *list, const char *name);

extern const command cli_commands[];
const command *cli_command(const char *name);
/* The whole usage text (hazcheck --help), or one command's lines. */
void cli_usage(FILE *f);
void cli_command_usage(FILE *f, const command *c);

/* -------------------------------------------------------------- options.c */

int cli_parse_args(int argc, char **argv, options *o);
void cli_free_options(options *o);

/* --------------------------------------------------------------- common.c */

/* cli.md exit status for a verdict: 0, 2, 3 or 4. */
int cli_verdict_exit(hc_verdict v);
/* The engine for these options; NULL after printing why. */
hc_engine *cli_engine(const options *o, hc_diags *d);
/* -o FILE (or standard output); NULL after saying why. */
FILE *cli_open_output(const options *o);
int cli_close_output(FILE *f, const options *o);
/* --format as the enum; 'dflt' when not given. */
hc_format cli_format(const options *o, hc_format dflt);
/* Outcomes combine worst first: could not (1) > major (3) > general (2) > incomplete (4) > 0. */
int cli_worse(int a, int b);
const char *cli_today(const options *o, char buf[11]);
int cli_color(FILE *f);
/* ------------------------------------------------------------- config.c */

/* The configuration file ($HAZCHECK_CONFIG, else $XDG_CONFIG_HOME/hazcheck/
   config.yaml), when there is one: 0, or -1 with what is wrong in it. */
int cli_config_load(options *o, hc_diags *d);
/* --db, else $HAZCHECK_DB, else the configuration's db, else
   $XDG_DATA_HOME/hazcheck/hazcheck.db. */
const char *cli_db_path(const options *o);
/* A command that only reads never creates a database (-1, saying where it
   looked); one that writes gets the database's folder made. */
int cli_db_ready(const options *o, int writes, hc_diags *d);
/* The pack folders in search order: --packs, $HAZCHECK_PACKS, the
   configuration's, ./checklists, the share folder. *owned: free it after use. */
size_t cli_pack_dirs(const options *o, const char **dirs, size_t max, char **owned);
/* The engine's configuration from the options: dirs (max entries) and *owned
   (free it) hold the pack folders' names while cfg is used. */
void cli_engine_config(const options *o, hc_engine_config *cfg, const char **dirs, size_t max,
                       char **owned);
/* --by, else $HAZCHECK_USER, else the login name */
const char *cli_actor(const options *o);
/* The store with the actor and today set; NULL (reported in d) on failure.
   'writes': the command changes the database (it may then create it). */
hc_store *cli_open_store(const options *o, int writes, hc_diags *d);
/* The store and an engine whose site lookups fall back to its register. */
hc_engine *cli_store_engine(const options *o, hc_store **s, hc_diags *d);
/* Print the diagnostics; HC_EXIT_FAIL. */
int cli_fail(hc_diags *d);
/* Evaluate every inspection in the files, calling fn with each result; the
   worst outcome (fn's or a file's) is returned. */
int cli_each_inspection(hc_engine *e, const char *const *files, size_t nfiles,
                        int (*fn)(void *ud, const hc_result *r), void *ud);
/* The same on o->jobs threads (check, record): render runs on the evaluating
   thread, fn on this one in input order with what render wrote; workers read
   the site register through connections of their own when register_db is set.
   profile, when set, is given every engine that evaluated (check --profile). */
typedef struct cli_batch {
    void (*render)(void *ud, const hc_result *r, hc_buf *out);
    int (*fn)(void *ud, const hc_result *r, const char *text, size_t len);
    void (*profile)(void *ud, hc_engine *const *engines, size_t n);
    int register_db;
    void *ud;
} cli_batch;
int cli_batch_run(const options *o, hc_engine *e, const char *const *files, size_t nfiles,
                  const cli_batch *how);
/* Open the store and the output, run fn, close both (a failed write is an error). */
int cli_with_store_output(const options *o, int writes,
                          int (*fn)(hc_store *, const options *, FILE *, hc_diags *));

/* ------------------------------------------------------------- lineedit.c */

/* Print 'prompt' and read one line (without the newline) into b: edited with
   libedit and kept in the session's history when in and out are a terminal.
   0 at the end of input. */
int cli_read_line(FILE *in, FILE *out, const char *prompt, hc_buf *b);

/* ------------------------------------------------------------ interview.c */

/*
** Ask the checklist's questions one by one (read from 'in', prompts to 'out'),
** skipping the items that do not apply, checking each answer as it is typed,
** and rewriting the inspection document at 'path' after every answer (going
** on from it when 'resuming'). 0 every item visited; 1 the input ended first
** (a partial inspection is in the file); -1 an error. *answered: items with
** an answer in the file.
*/
int cli_interview(hc_engine *e, const hc_checklist *c, const hc_node *site, const char *date,
                  const char *inspector, const char *path, int resuming, FILE *in, FILE *out,
                  size_t *answered, hc_diags *d);

/* -------------------------------------------------------------- cmd_*.c */

int cmd_check(const options *o);
int cmd_lint(const options *o);
int cmd_test(const options *o);
int cmd_packs(const options *o);
int cmd_show(const options *o);
int cmd_template(const options *o);
int cmd_record(const options *o);
int cmd_reinspect(const options *o);
int cmd_inspect(const options *o);
int cmd_site(const options *o);
int cmd_enforce(const options *o);
int cmd_actions(const options *o);
int cmd_action(const options *o);
int cmd_inspection(const options *o);
int cmd_stats(const options *o);
int cmd_report(const options *o);
int cmd_plan(const options *o);
int cmd_export(const options *o);
int cmd_import(const options *o);
int cmd_audit(const options *o);
int cmd_user(const options *o);
int cmd_serve(const options *o);

#endif
