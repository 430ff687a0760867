/*
** options.c: argv -> options. Global and command options may stand anywhere;
** the first bare word is the command. Values are checked here, in the words
** of the command line (the library's messages name fields, never flags).
*/
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

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
int cli_parse_args(int argc, char **argv, options *o)
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
        else if (strcmp(a, "--strict") == 0) o->strict = 1;
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

void cli_free_options(options *o)
{
    free(o->args);
    free(o->packs);
    free(o->rules);
    free(o->sites);
    free(o->evidence);
}

