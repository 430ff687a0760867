/*
** cli.h: what the command modules share: the parsed options and the small
** helpers that turn them into library calls.
*/
#ifndef HC_CLI_H
#define HC_CLI_H

#include <stdio.h>

#include "hazcheck.h"

enum { EXIT_OK = 0, EXIT_FAIL = 1 };

typedef struct options {
    const char *cmd;
    const char **args;
    size_t nargs;
    const char *db, *today, *format, *output;
    const char **packs, **rules, **sites;
    size_t npacks, nrules, nsites;
    int coverage, verbose, help;
    double min_coverage;
    const char *junit;
    const char *by, *note, *cost, *to, *amount, *date, *basis, *status, *inspector;
    const char *since, *until, *group_by;
    const char **evidence;
    size_t nevidence;
    hc_limits limits;
} options;


/* The engine for these options; NULL after printing why. */
hc_engine *cli_engine(const options *o, hc_diags *d);
FILE *cli_open_output(const options *o);
int cli_close_output(FILE *f, const options *o);
/* Outcomes combine worst first: could not (1) > major (3) > general (2) > incomplete (4) > 0. */
int cli_worse(int a, int b);
const char *cli_today(const options *o, char buf[11]);
int cli_color(FILE *f);
/* --db, else $HAZCHECK_DB, else ./hazcheck.db */
const char *cli_db_path(const options *o);
/* Evaluate every inspection in the files, calling fn with each result; the
   worst outcome (fn's or a file's) is returned. */
int cli_each_inspection(const options *o, hc_engine *e, const char *const *files, size_t nfiles,
                        int (*fn)(void *ud, const hc_result *r), void *ud);

/* cli_loop.c: the closed loop over the database */
int cmd_record(const options *o);
int cmd_reinspect(const options *o);
int cmd_site(const options *o);
int cmd_actions(const options *o);
int cmd_action(const options *o);
int cmd_enforce(const options *o);
int cmd_audit(const options *o);
int cmd_stats(const options *o);
int cmd_export(const options *o);
int cmd_import(const options *o);
int cmd_report(const options *o);
int cmd_inspect(const options *o);

#endif
