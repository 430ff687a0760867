/*
** options.c: argv -> options, with getopt_long over one table of every
** option (name, argument, meaning). Options may stand before or after the
** command word, as `--opt value` or `--opt=value`; `--` ends them. Each
** command takes only the options its entry in commands.c lists: any other is
** an error that says what the command takes, with a did-you-mean.
** Values are checked here, in the words of the command line (the library's
** messages name fields, never flags).
*/
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* The options a command takes, for messages: "--packs, --rules, ..." */
static void list_taken(const command *c, hc_buf *b)
{
    for (const cli_option *p = cli_options; p->name; p++)
        if (cli_command_takes(c, p->name) && strcmp(p->name, "help") != 0)
            hc_buf_printf(b, "%s--%s", b->len ? ", " : "", p->name);
    if (b->len == 0) hc_buf_puts(b, _("no options"));
}

static int parse_size(const char *s, size_t *out)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || *end != '\0' || v == 0) return -1;
    *out = (size_t)v;
    return 0;
}

static const char **push(const char **list, size_t *n, const char *v)
{
    list = hc_xrealloc((void *)list, (*n + 1) * sizeof *list);
    list[(*n)++] = v;
    return list;
}

/* Store one option's value; -1 (after saying why) when the value is bad. */
static int take(options *o, int id, const char *v)
{
    size_t size;
    switch (id) {
    case O_HELP: o->help = 1; break;
    case O_VERSION: o->version = 1; break;
    case O_DB:
        if (*v == '\0') {      /* not the default database, silently: say so */
            fprintf(stderr, _("hazcheck: --db ''; expected a database file or a postgresql:// URI\n"));
            return -1;
        }
        o->db = v;
        break;
    case O_PACKS: o->packs = push(o->packs, &o->npacks, v); break;
    case O_RULES: o->rules = push(o->rules, &o->nrules, v); break;
    case O_SITE: o->sites = push(o->sites, &o->nsites, v); break;
    case O_EVIDENCE: o->evidence = push(o->evidence, &o->nevidence, v); break;
    case O_TODAY: o->today = v; break;
    case O_FORMAT: o->format = v; break;
    case O_OUTPUT: o->output = v; break;
    case O_USER: o->user = v; break;
    case O_COVERAGE: o->coverage = 1; break;
    case O_VERBOSE: o->verbose = 1; break;
    case O_STRICT: o->strict = 1; break;
    case O_PROFILE: o->profile = 1; break;
    case O_RESUME: o->resume = 1; break;
    case O_PARTIAL: o->partial = 1; break;
    case O_JUNIT: o->junit = v; break;
    case O_NOTE: o->note = v; break;
    case O_COST: o->cost = v; break;
    case O_TO: o->to = v; break;
    case O_REASON: o->reason = v; break;
    case O_AMOUNT: o->amount = v; break;
    case O_DATE: o->date = v; break;
    case O_BASIS: o->basis = v; break;
    case O_STATUS: o->status = v; break;
    case O_INSPECTOR: o->inspector = v; break;
    case O_SINCE: o->since = v; break;
    case O_UNTIL: o->until = v; break;
    case O_BY: o->group_by = v; break;
    case O_SQUAD: o->squad = v; break;
    case O_ROLE: o->role = v; break;
    case O_LISTEN: o->listen = v; break;
    case O_DATA: o->data = v; break;
    case O_SECURE_COOKIES: o->secure_cookies = 1; break;
    case O_TRUSTED_PROXY: o->trusted_proxy = v; break;
    case O_FROM: o->from = v; break;
    case O_SEED: o->seed = v; break;
    case O_MIN_COVERAGE: {
        char *end;
        o->min_coverage = strtod(v, &end);
        if (*v == '\0' || *end || o->min_coverage < 0 || o->min_coverage > 100) {
            fprintf(stderr, _("hazcheck: --min-coverage '%s'; expected a percentage 0-100\n"), v);
            return -1;
        }
        o->coverage = 1;
        break;
    }
    default:
        if (parse_size(v, &size) != 0) {
            fprintf(stderr, _("hazcheck: --%s '%s'; expected a positive whole number\n"),
                    cli_option_by_id(id)->name, v);
            return -1;
        }
        switch (id) {
        case O_MAX_DEPTH: o->limits.max_depth = size; break;
        case O_MAX_NODES: o->limits.max_nodes = size; break;
        case O_MAX_SCALAR: o->limits.max_scalar = size; break;
        case O_MAX_FILE: o->limits.max_file = size; break;
        case O_LUA_INSTRUCTIONS: o->limits.lua_instructions = size; break;
        case O_LUA_MEMORY: o->limits.lua_memory = size; break;
        case O_LUA_MILLIS: o->limits.lua_millis = (unsigned)size; break;
        case O_JOBS:
            if (size > 64) {
                fprintf(stderr, _("hazcheck: --%s '%s'; expected at most 64\n"), "jobs", v);
                return -1;
            }
            o->jobs = (unsigned)size;
            break;
        case O_DAYS:
        case O_RANDOM:
            if (size > 100000) {
                fprintf(stderr, _("hazcheck: --%s '%s'; expected at most 100000\n"),
                        cli_option_by_id(id)->name, v);
                return -1;
            }
            *(id == O_DAYS ? &o->days : &o->random) = (int)size;
            break;
        default: o->limits.inspection_millis = (unsigned)size; break;
        }
    }
    return 0;
}

/* An unknown option: the nearest known name, when it is a plausible typo. */
static void unknown(const char *cmd, const char *arg)
{
    const char *names[128];
    size_t n = 0;
    for (const cli_option *p = cli_options; p->name && n < 127; p++) names[n++] = p->name;
    names[n] = NULL;
    const char *word = arg + strspn(arg, "-");
    char bare[64];
    snprintf(bare, sizeof bare, "%.*s", (int)strcspn(word, "="), word);
    const char *hint = hc_did_you_mean(bare, names);
    fprintf(stderr, _("hazcheck%s%s: unknown option '%s'"), cmd ? " " : "", cmd ? cmd : "", arg);
    if (hint) fprintf(stderr, _("; did you mean '--%s'?"), hint);
    fputc('\n', stderr);
}

/* -o FILE.html without --format: the format the file's name says. */
static const char *format_of_file(const char *path)
{
    static const struct { const char *ext, *format; } map[] = {
        {".html", "html"}, {".htm", "html"}, {".json", "json"}, {".jsonl", "jsonl"},
        {".csv", "csv"}, {".txt", "text"}, {".md", "md"},
    };
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof map / sizeof map[0]; i++)
        if (strcmp(dot, map[i].ext) == 0) return map[i].format;
    return NULL;
}

int cli_parse_args(int argc, char **argv, options *o)
{
    memset(o, 0, sizeof *o);
    o->min_coverage = -1;
    hc_limits_default(&o->limits);
    o->args = hc_xcalloc((size_t)argc + 1, sizeof *o->args);

    size_t n = 0;
    while (cli_options[n].name) n++;
    struct option *longs = hc_xcalloc(n + 1, sizeof *longs);
    for (size_t i = 0; i < n; i++)
        longs[i] = (struct option){cli_options[i].name, cli_options[i].has_arg ? required_argument
                                                                           : no_argument,
                                   NULL, cli_options[i].id};
    int *seen = hc_xcalloc((size_t)argc + 1, sizeof *seen);   /* option ids, in order */
    size_t nseen = 0;
    int rc = 0;
    opterr = 0;
    optind = 1;
    int c;
    /* GNU getopt_long permutes argv, so options may follow the command word; a
       leading ':' makes a missing value ':' rather than '?' */
    while ((c = getopt_long(argc, argv, ":ho:v", longs, NULL)) != -1) {
        if (c == '?' || c == ':') {
            const char *arg = argv[optind - 1];
            if (c == ':') fprintf(stderr, _("hazcheck: %s needs a value\n"), arg);
            else unknown(NULL, arg);
            rc = -1;
            break;
        }
        const char *v = optarg;
        if (take(o, c, v) != 0) {
            rc = -1;
            break;
        }
        seen[nseen++] = c;
    }
    for (int i = optind; rc == 0 && i < argc; i++) {
        if (o->cmd == NULL) o->cmd = argv[i];
        else o->args[o->nargs++] = argv[i];
    }
    /* `hazcheck help CMD` is `hazcheck CMD --help` */
    if (rc == 0 && o->cmd && strcmp(o->cmd, "help") == 0) {
        o->help = 1;
        o->cmd = o->nargs ? o->args[0] : NULL;
        if (o->nargs) {
            memmove(o->args, o->args + 1, (o->nargs - 1) * sizeof *o->args);
            o->nargs--;
        }
    }
    const command *cmd = o->cmd ? cli_command(o->cmd) : NULL;
    /* a command takes only its own options */
    for (size_t i = 0; rc == 0 && cmd && i < nseen; i++) {
        const cli_option *p = cli_option_by_id(seen[i]);
        if (p && !cli_command_takes(cmd, p->name) && strcmp(p->name, "version") != 0) {
            hc_buf b = {0};
            list_taken(cmd, &b);
            fprintf(stderr, _("hazcheck %s: --%s is not an option of %s; it takes %s\n"), cmd->name,
                    p->name, cmd->name, b.data);
            hc_buf_free(&b);
            rc = -1;
        }
    }
    free(seen);
    free(longs);
    if (rc) return rc;

    /* only for a command that writes several formats: export -o bundle.json is its one format */
    if (o->format == NULL && o->output && strcmp(o->output, "-") != 0 && cmd && cmd->formats &&
        *cmd->formats)
        o->format = format_of_file(o->output);
    if (o->format && cmd && !o->help) {
        int f = strcmp(o->format, "markdown") == 0 ? HC_FMT_MD : hc_format_parse(o->format);
        if (f < 0 || !cli_list_has(cmd->formats, hc_format_name((hc_format)f))) {
            fprintf(stderr, _("hazcheck %s: --format '%s'; %s writes %s\n"), cmd->name, o->format,
                    cmd->name, cmd->formats && *cmd->formats ? cmd->formats : "no other format");
            return -1;
        }
    }
    const char *dates[] = {o->since, o->until, o->date, o->today, o->from};
    static const char *const date_opts[] = {"--since", "--until", "--date", "--today", "--from"};
    for (int k = 0; k < 5; k++) {
        long dd;
        if (dates[k] && hc_date_parse(dates[k], strlen(dates[k]), &dd) != 0) {
            fprintf(stderr, _("hazcheck: %s '%s'; expected a date YYYY-MM-DD\n"), date_opts[k],
                    dates[k]);
            return -1;
        }
    }
    return 0;
}

void cli_free_options(options *o)
{
    hc_doc_free(&o->config_doc);
    free(o->cfg_packs);
    free(o->args);
    free(o->packs);
    free(o->rules);
    free(o->sites);
    free(o->evidence);
}
