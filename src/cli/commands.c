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
     N_("check FILE...          evaluate inspections and print the findings (writes nothing)\n"), 0,
     "@engine site db today format output strict profile jobs", "text json jsonl"},
    {"lint", cmd_lint, N_("lint PACK...           validate checklists\n"), 0, "@engine", ""},
    {"test", cmd_test, N_("test PACK...           run the checklists' rule tests\n"), 0,
     "@engine coverage min-coverage junit verbose output", ""},
    {"packs", cmd_packs, N_("packs                  list the available checklists\n"), 0,
     "@engine today format output", "text json jsonl"},
    {"show", cmd_show, N_("show CHECKLIST [ITEM]  print a checklist as a form\n"), 0,
     "@engine format output", "text md html"},
    {"template", cmd_template,
     N_("template CHECKLIST     write a blank inspection file for a checklist\n"), 0,
     "@engine today output", ""},
    {"record", cmd_record,
     N_("record FILE...         evaluate and store inspections, opening an action per failed item\n"), 1,
     "@engine @store site jobs", ""},
    {"inspect", cmd_inspect,
     N_("inspect CHECKLIST --site FILE|ID  ask the questions one by one, then record\n"), 1,
     "@engine @store site date output resume partial", ""},
    {"reinspect", cmd_reinspect,
     N_("reinspect INSPECTION FILE  re-check the failed items of an inspection\n"), 1,
     "@engine @store site", ""},
    {"site", cmd_site, N_("site add FILE... | site list | site show ID\n"), 1,
     "@store @limits format output", "text json"},
    {"actions", cmd_actions, N_("actions                follow-up actions\n"), 1,
     "@store site status inspector format output", "text json csv"},
    {"action", cmd_action,
     N_("action ID rectify --note TEXT [--evidence REF]... [--cost YUAN]\n"
     "action ID verify [--note TEXT] | reopen --note TEXT | assign --to NAME\n"
     "action ID void --reason TEXT\n"), 1,
     "@store note evidence cost to reason", ""},
    {"enforce", cmd_enforce,
     N_("enforce SITE interview|list|delist|penalty --amount YUAN|suspend|resume|close-down\n"
     "enforce void SITE#N --reason TEXT\n"), 1,
     "@store date amount basis note reason", ""},
    {"inspection", cmd_inspection,
     N_("inspection void ID --reason TEXT\n"
     "inspection amend ID FILE --reason TEXT\n"), 1, "@engine @store site reason", ""},
    {"audit", cmd_audit, N_("audit verify           check the hash chain of the event log\n"), 1,
     "@store", ""},
    {"serve", cmd_serve,
     N_("serve                  the web application and JSON API\n"), 1,
     "@store @engine listen data secure-cookies trusted-proxy", ""},
    {"user", cmd_user,
     N_("user add NAME --role ROLE [--squad S] [--site ID]...  an account of serve\n"
     "user list | user passwd NAME | user disable NAME\n"), 1,
     "@store role squad site format output", "text json"},
    {"stats", cmd_stats, N_("stats                  figures for a period\n"), 1,
     "@store since until by format output", "text json csv html"},
    {"export", cmd_export, N_("export                 records for another database\n"), 1,
     "@store since output", ""},
    {"import", cmd_import, N_("import FILE            records from another database's export\n"), 1,
     "@store @limits", ""},
    {"report", cmd_report,
     N_("report INSPECTION      the inspection report and rectification notice\n"), 1,
     "@store format output", "html text json csv"},
    {"plan", cmd_plan,
     N_("plan                   who to visit next: sites by risk, and a 双随机 draw\n"), 1,
     "@store squad from days random seed format output", "text json csv html"},
    {NULL, NULL, NULL, 0, NULL, NULL},
};

/* Every option, for every command: its name, whether it takes a value (and what), its id, and one line of help. */
const cli_option cli_options[] = {
    {"help", NULL, N_("this help"), 0, O_HELP},
    {"version", NULL, N_("the version"), 0, O_VERSION},
    {"db", "PATH", N_("the database (default $HAZCHECK_DB, the configuration's, else ~/.local/share/hazcheck/hazcheck.db)"), 1, O_DB},
    {"packs", "DIR", N_("where checklists are found first (repeatable; then $HAZCHECK_PACKS, the configuration's, ./checklists, the share folder)"), 1, O_PACKS},
    {"rules", "DIR", N_("where Lua rule modules are found (default ./rules, then the share folder)"), 1, O_RULES},
    {"site", "FILE|ID", N_("a site: a profile file, or a registered site's id"), 1, O_SITE},
    {"today", "DATE", N_("the date taken as today (deadlines, overdue)"), 1, O_TODAY},
    {"format", "F", N_("output format"), 1, O_FORMAT},
    {"output", "FILE", N_("write to FILE (-o; .html .json .csv .txt .md imply the format)"), 1, O_OUTPUT},
    {"user", "NAME", N_("who makes the change (default $HAZCHECK_USER, else the login name)"), 1, O_USER},
    {"coverage", NULL, N_("report outcomes and Lua line coverage per item"), 0, O_COVERAGE},
    {"min-coverage", "P", N_("fail below P percent coverage"), 1, O_MIN_COVERAGE},
    {"junit", "FILE", N_("also write JUnit XML to FILE"), 1, O_JUNIT},
    {"verbose", NULL, N_("list passing tests too (-v)"), 0, O_VERBOSE},
    {"strict", NULL, N_("a checklist no longer in force is an error (exit 1)"), 0, O_STRICT},
    {"profile", NULL, N_("afterwards, the time each rule took, slowest first (on standard error)"), 0, O_PROFILE},
    {"note", "TEXT", N_("what was done, or why"), 1, O_NOTE},
    {"cost", "YUAN", N_("what the rectification cost"), 1, O_COST},
    {"to", "NAME", N_("the person responsible"), 1, O_TO},
    {"reason", "TEXT", N_("why the record is corrected (required)"), 1, O_REASON},
    {"amount", "YUAN", N_("the penalty's amount"), 1, O_AMOUNT},
    {"date", "DATE", N_("the date of what is recorded (default today)"), 1, O_DATE},
    {"basis", "TEXT", N_("the legal basis of the measure"), 1, O_BASIS},
    {"status", "S", N_("open, rectified, verified or overdue"), 1, O_STATUS},
    {"inspector", "NAME", N_("the inspector who supervises"), 1, O_INSPECTOR},
    {"evidence", "REF", N_("a photo or document (repeatable)"), 1, O_EVIDENCE},
    {"since", "DATE", N_("from this date on"), 1, O_SINCE},
    {"until", "DATE", N_("up to this date"), 1, O_UNTIL},
    {"by", "G", N_("group by district, squad, industry, checklist or month"), 1, O_BY},
    {"resume", NULL, N_("go on from the answers saved in the file (-o, else the default name)"), 0, O_RESUME},
    {"partial", NULL, N_("record the answers so far when the input ends early (no terminal)"), 0, O_PARTIAL},
    {"max-depth", "N", N_("limit: nesting of a document (64)"), 1, O_MAX_DEPTH},
    {"max-nodes", "N", N_("limit: nodes of a document, aliases counted as copies (1000000)"), 1, O_MAX_NODES},
    {"max-scalar", "BYTES", N_("limit: bytes of one scalar (1048576)"), 1, O_MAX_SCALAR},
    {"max-file", "BYTES", N_("limit: bytes of a checklist or module file (67108864)"), 1, O_MAX_FILE},
    {"lua-instructions", "N", N_("limit: Lua instructions per rule (10000000)"), 1, O_LUA_INSTRUCTIONS},
    {"lua-memory", "BYTES", N_("limit: bytes of the Lua state (67108864)"), 1, O_LUA_MEMORY},
    {"lua-millis", "MS", N_("limit: wall time per rule (2000)"), 1, O_LUA_MILLIS},
    {"max-inspection-millis", "MS", N_("limit: wall time per inspection (30000)"), 1, O_MAX_INSPECTION_MILLIS},
    {"squad", "NAME", N_("a squad: the plan's sites, or a user's"), 1, O_SQUAD},
    {"role", "ROLE", N_("a user's role: admin, leader, inspector or enterprise"), 1, O_ROLE},
    {"listen", "ADDR:PORT", N_("where serve listens (default 127.0.0.1:8080)"), 1, O_LISTEN},
    {"data", "DIR", N_("where serve keeps evidence files (default beside the database)"), 1, O_DATA},
    {"secure-cookies", NULL, N_("mark cookies Secure (behind a TLS proxy)"), 0, O_SECURE_COOKIES},
    {"trusted-proxy", "ADDR", N_("believe X-Forwarded-For from this address too (a proxy on another machine)"), 1,
     O_TRUSTED_PROXY},
    {"from", "DATE", N_("the plan's first day (default today)"), 1, O_FROM},
    {"days", "N", N_("how many days the plan covers (default 7)"), 1, O_DAYS},
    {"random", "K", N_("also draw K sites at random, with their inspectors (双随机)"), 1, O_RANDOM},
    {"jobs", "N", N_("evaluate on N threads (check, record); the output stays in input order (default 1)"), 1, O_JOBS},
    {"seed", "X", N_("the draw's seed: the same seed draws the same again (default: a new one)"), 1, O_SEED},
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
    fputs(_("usage:\n"), f);
    indent(f, _(c->usage));
    fputs(_("\noptions:\n"), f);
    for (const cli_option *p = cli_options; p->name; p++) {
        if (!cli_command_takes(c, p->name)) continue;
        char left[64];
        snprintf(left, sizeof left, "--%s%s%s", p->name, p->arg ? " " : "", p->arg ? p->arg : "");
        fprintf(f, "  %-26s %s", left, _(p->help));
        if (strcmp(p->name, "format") == 0 && c->formats) fprintf(f, ": %s", c->formats);
        fputc('\n', f);
    }
    fputs(_("\nExit codes: hazcheck --help\n"), f);
}

void cli_usage(FILE *f)
{
    fputs(_("usage: hazcheck [global options] COMMAND [ARGS]\n"
          "\n"
          "Evaluate site inspections against safety checklists.\n"
          "\n"
          "commands:\n"), f);
    for (const command *c = cli_commands; c->name; c++) {
        if (c->group == 1 && c > cli_commands && c[-1].group == 0)
            fputs(_("\nthe closed loop (in the database):\n"), f);
        indent(f, _(c->usage));
    }
    fputs(_("\n"
          "options (before or after the command; each command takes only its own:\n"
          "hazcheck help COMMAND lists them):\n"
          "  --packs DIR            where checklists are found (repeatable; searched first, then\n"
          "                         $HAZCHECK_PACKS, the configuration's, ./checklists and\n"), f);
    fputs("                         " HC_SHARE_DIR "/checklists)\n", f);
    fputs(_("  --rules DIR            where Lua rule modules are found (default ./rules, then the share folder)\n"
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
          "4 no hazard found but items unanswered or in error.\n"), f);
}
