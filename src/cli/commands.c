/*
** commands.c: the one table of commands (name, handler, usage, the options
** it takes, the formats it writes) and the one table of options. Dispatch,
** option checking, `hazcheck --help` and `hazcheck help CMD` all read them,
** so a command and its help cannot drift apart.
*/
#include <string.h>

#include "config.h"          /* HC_SHARE_DIR */

#include "cli/cli.h"

const command cli_commands[] = {
    {"check", cmd_check,
     "check FILE...          evaluate inspections and print the findings (writes nothing)\n", 0,
     "@engine site db today format output strict", "text json jsonl"},
    {"lint", cmd_lint, "lint PACK...           validate checklists\n", 0, "@engine", ""},
    {"test", cmd_test, "test PACK...           run the checklists' rule tests\n", 0,
     "@engine coverage min-coverage junit verbose output", ""},
    {"packs", cmd_packs, "packs                  list the available checklists\n", 0,
     "@engine today format output", "text json jsonl"},
    {"show", cmd_show, "show CHECKLIST [ITEM]  print a checklist as a form\n", 0,
     "@engine format output", "text md html"},
    {"template", cmd_template,
     "template CHECKLIST     write a blank inspection file for a checklist\n", 0,
     "@engine today output", ""},
    {"record", cmd_record,
     "record FILE...         evaluate and store inspections, opening an action per failed item\n", 1,
     "@engine @store site", ""},
    {"inspect", cmd_inspect,
     "inspect CHECKLIST --site FILE|ID  ask the questions one by one, then record\n", 1,
     "@engine @store site date output resume partial", ""},
    {"reinspect", cmd_reinspect,
     "reinspect INSPECTION FILE  re-check the failed items of an inspection\n", 1,
     "@engine @store site", ""},
    {"site", cmd_site, "site add FILE... | site list | site show ID\n", 1,
     "@store @limits format output", "text json"},
    {"actions", cmd_actions, "actions                follow-up actions\n", 1,
     "@store site status inspector format output", "text json csv"},
    {"action", cmd_action,
     "action ID rectify --note TEXT [--evidence REF]... [--cost YUAN]\n"
     "action ID verify [--note TEXT] | reopen --note TEXT | assign --to NAME\n", 1,
     "@store note evidence cost to", ""},
    {"enforce", cmd_enforce,
     "enforce SITE interview|list|delist|penalty --amount YUAN|suspend|resume|close-down\n", 1,
     "@store date amount basis note", ""},
    {"audit", cmd_audit, "audit verify           check the hash chain of the event log\n", 1,
     "@store", ""},
    {"stats", cmd_stats, "stats                  figures for a period\n", 1,
     "@store since until by format output", "text json csv html"},
    {"export", cmd_export, "export                 records for another database\n", 1,
     "@store since output", ""},
    {"import", cmd_import, "import FILE            records from another database's export\n", 1,
     "@store @limits", ""},
    {"report", cmd_report,
     "report INSPECTION      the inspection report and rectification notice\n", 1,
     "@store format output", "html text json csv"},
    {"plan", cmd_plan,
     "plan                   who to visit next: sites by risk, and a 双随机 draw\n", 1,
     "@store squad from days random seed format output", "text json csv html"},
    {NULL, NULL, NULL, 0, NULL, NULL},
};

/* Every option, for every command: its name, whether it takes a value (and what), its id, and one line of help. */
const cli_option cli_options[] = {
    {"help", NULL, "this help", 0, O_HELP},
    {"version", NULL, "the version", 0, O_VERSION},
    {"db", "PATH", "the database (default $HAZCHECK_DB, the configuration's, else ~/.local/share/hazcheck/hazcheck.db)", 1, O_DB},
    {"packs", "DIR", "where checklists are found first (repeatable; then $HAZCHECK_PACKS, the configuration's, ./checklists, the share folder)", 1, O_PACKS},
    {"rules", "DIR", "where Lua rule modules are found (default ./rules, then the share folder)", 1, O_RULES},
    {"site", "FILE|ID", "a site: a profile file, or a registered site's id", 1, O_SITE},
    {"today", "DATE", "the date taken as today (deadlines, overdue)", 1, O_TODAY},
    {"format", "F", "output format", 1, O_FORMAT},
    {"output", "FILE", "write to FILE (-o; .html .json .csv .txt .md imply the format)", 1, O_OUTPUT},
    {"user", "NAME", "who makes the change (default $HAZCHECK_USER, else the login name)", 1, O_USER},
    {"coverage", NULL, "report outcomes and Lua line coverage per item", 0, O_COVERAGE},
    {"min-coverage", "P", "fail below P percent coverage", 1, O_MIN_COVERAGE},
    {"junit", "FILE", "also write JUnit XML to FILE", 1, O_JUNIT},
    {"verbose", NULL, "list passing tests too (-v)", 0, O_VERBOSE},
    {"strict", NULL, "a checklist no longer in force is an error (exit 1)", 0, O_STRICT},
    {"note", "TEXT", "what was done, or why", 1, O_NOTE},
    {"cost", "YUAN", "what the rectification cost", 1, O_COST},
    {"to", "NAME", "the person responsible", 1, O_TO},
    {"amount", "YUAN", "the penalty's amount", 1, O_AMOUNT},
    {"date", "DATE", "the date of what is recorded (default today)", 1, O_DATE},
    {"basis", "TEXT", "the legal basis of the measure", 1, O_BASIS},
    {"status", "S", "open, rectified, verified or overdue", 1, O_STATUS},
    {"inspector", "NAME", "the inspector who supervises", 1, O_INSPECTOR},
    {"evidence", "REF", "a photo or document (repeatable)", 1, O_EVIDENCE},
    {"since", "DATE", "from this date on", 1, O_SINCE},
    {"until", "DATE", "up to this date", 1, O_UNTIL},
    {"by", "G", "group by district, squad, industry, checklist or month", 1, O_BY},
    {"resume", NULL, "go on from the answers saved in the file (-o, else the default name)", 0, O_RESUME},
    {"partial", NULL, "record the answers so far when the input ends early (no terminal)", 0, O_PARTIAL},
    {"max-depth", "N", "limit: nesting of a document (64)", 1, O_MAX_DEPTH},
    {"max-nodes", "N", "limit: nodes of a document, aliases counted as copies (1000000)", 1, O_MAX_NODES},
    {"max-scalar", "BYTES", "limit: bytes of one scalar (1048576)", 1, O_MAX_SCALAR},
    {"max-file", "BYTES", "limit: bytes of a checklist or module file (67108864)", 1, O_MAX_FILE},
    {"lua-instructions", "N", "limit: Lua instructions per rule (10000000)", 1, O_LUA_INSTRUCTIONS},
    {"lua-memory", "BYTES", "limit: bytes of the Lua state (67108864)", 1, O_LUA_MEMORY},
    {"lua-millis", "MS", "limit: wall time per rule (2000)", 1, O_LUA_MILLIS},
    {"max-inspection-millis", "MS", "limit: wall time per inspection (30000)", 1, O_MAX_INSPECTION_MILLIS},
    {"squad", "NAME", "only the sites of this squad", 1, O_SQUAD},
    {"from", "DATE", "the plan's first day (default today)", 1, O_FROM},
    {"days", "N", "how many days the plan covers (default 7)", 1, O_DAYS},
    {"random", "K", "also draw K sites at random, with their inspectors (双随机)", 1, O_RANDOM},
    {"seed", "X", "the draw's seed: the same seed draws the same again (default: a new one)", 1, O_SEED},
    {NULL, NULL, NULL, 0, 0},
};

/* Groups a command's option list may name. */
static const struct {
    const char *name, *members;
} groups[] = {
    {"@limits", "max-depth max-nodes max-scalar max-file lua-instructions lua-memory lua-millis "
                "max-inspection-millis"},
    {"@engine", "packs rules @limits"},
    {"@store", "db today user"},
};

const cli_option *cli_option_by_id(int id)
{
    for (const cli_option *p = cli_options; p->name; p++)
        if (p->id == id) return p;
    return NULL;
}

/* Does the space-separated list 'list' (with @groups) name option 'name'? */
int cli_list_has(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; p && *p;) {
        while (*p == ' ') p++;
        size_t len = strcspn(p, " ");
        if (len == 0) break;
        if (p[0] == '@') {
            for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++)
                if (strlen(groups[g].name) == len && strncmp(p, groups[g].name, len) == 0 &&
                    cli_list_has(groups[g].members, name))
                    return 1;
        } else if (len == n && strncmp(p, name, n) == 0) {
            return 1;
        }
        p += len;
    }
    return 0;
}

int cli_command_takes(const command *c, const char *option)
{
    /* every command has --help; the rest are the command's own */
    return strcmp(option, "help") == 0 || cli_list_has(c->options, option);
}

const command *cli_command(const char *name)
{
    for (const command *c = cli_commands; name && c->name; c++)
        if (strcmp(c->name, name) == 0) return c;
    return NULL;
}

/* Each usage line indented two spaces. */
static void indent(FILE *f, const char *lines)
{
    for (const char *p = lines; *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        fprintf(f, "  %.*s\n", (int)len, p);
        p += len + (e ? 1 : 0);
    }
}

void cli_command_usage(FILE *f, const command *c)
{
    fputs("usage:\n", f);
    indent(f, c->usage);
    fputs("\noptions:\n", f);
    for (const cli_option *p = cli_options; p->name; p++) {
        if (!cli_command_takes(c, p->name)) continue;
        char left[64];
        snprintf(left, sizeof left, "--%s%s%s", p->name, p->arg ? " " : "", p->arg ? p->arg : "");
        fprintf(f, "  %-26s %s", left, p->help);
        if (strcmp(p->name, "format") == 0 && c->formats) fprintf(f, ": %s", c->formats);
        fputc('\n', f);
    }
    fputs("\nExit codes: hazcheck --help\n", f);
}

void cli_usage(FILE *f)
{
    fputs("usage: hazcheck [global options] COMMAND [ARGS]\n"
          "\n"
          "Evaluate site inspections against safety checklists.\n"
          "\n"
          "commands:\n", f);
    for (const command *c = cli_commands; c->name; c++) {
        if (c->group == 1 && c > cli_commands && c[-1].group == 0)
            fputs("\nthe closed loop (in the database):\n", f);
        indent(f, c->usage);
    }
    fputs("\n"
          "options (before or after the command; each command takes only its own:\n"
          "hazcheck help COMMAND lists them):\n"
          "  --packs DIR            where checklists are found (repeatable; searched first, then\n"
          "                         $HAZCHECK_PACKS, the configuration's, ./checklists and\n"
          "                         " HC_SHARE_DIR "/checklists)\n"
          "  --rules DIR            where Lua rule modules are found (default ./rules, then the share folder)\n"
          "  --site FILE            site profiles for inspections that name a site by id (repeatable)\n"
          "  --today YYYY-MM-DD     the date taken as today\n"
          "  --format F, -o FILE    output format (text, json, jsonl, csv, html, md) and file\n"
          "  --user NAME            who makes a change (default $HAZCHECK_USER, else the login name)\n"
          "  --db PATH              the database (default $HAZCHECK_DB, the configuration's db, else\n"
          "                         $XDG_DATA_HOME/hazcheck/hazcheck.db); reading never creates one\n"

          "  limits: --max-depth N --max-nodes N --max-scalar BYTES --max-file BYTES\n"
          "          --lua-instructions N --lua-memory BYTES --lua-millis MS --max-inspection-millis MS\n"
          "configuration: $HAZCHECK_CONFIG, else $XDG_CONFIG_HOME/hazcheck/config.yaml\n"
          "\n"
          "exit status: 0 done (check: every applicable item passed), 1 could not do it,\n"
          "2 hidden hazards found, none major, 3 a major hazard (重大事故隐患),\n"
          "4 no hazard found but items unanswered or in error.\n", f);
}
