/*
** commands.c: the one table of commands: name, handler and usage. Dispatch,
** `hazcheck --help` and `hazcheck CMD --help` all read it, so a command and
** its help cannot drift apart.
*/
#include <string.h>

#include "config.h"          /* HC_SHARE_DIR */

#include "cli/cli.h"

const command cli_commands[] = {
    {"check", cmd_check,
     "check FILE...          evaluate inspections and print the findings (writes nothing)\n"
     "                       (--strict: a checklist no longer in force is an error)\n", 0},
    {"lint", cmd_lint, "lint PACK...           validate checklists\n", 0},
    {"test", cmd_test,
     "test PACK...           run the checklists' rule tests\n"
     "                       (--coverage, --min-coverage P, --junit FILE, --verbose)\n", 0},
    {"packs", cmd_packs, "packs                  list the available checklists\n", 0},
    {"show", cmd_show,
     "show CHECKLIST [ITEM]  print a checklist as a form (--format text|md|html)\n", 0},
    {"template", cmd_template,
     "template CHECKLIST     write a blank inspection file for a checklist\n", 0},
    {"record", cmd_record,
     "record FILE...         evaluate and store inspections, opening an action per failed item\n", 1},
    {"inspect", cmd_inspect,
     "inspect CHECKLIST --site FILE|ID  ask the questions one by one, then record (-o FILE keeps them)\n"
     "                       (--date D: the inspection's date)\n", 1},
    {"reinspect", cmd_reinspect,
     "reinspect INSPECTION FILE  re-check the failed items of an inspection\n", 1},
    {"site", cmd_site, "site add FILE... | site list | site show ID\n", 1},
    {"actions", cmd_actions,
     "actions [--site ID] [--status open|rectified|verified|overdue] [--inspector NAME]\n"
     "                       (--format text|json|csv)\n", 1},
    {"action", cmd_action,
     "action ID rectify --note TEXT [--evidence REF]... [--cost YUAN]\n"
     "action ID verify [--note TEXT] | reopen --note TEXT | assign --to NAME\n", 1},
    {"enforce", cmd_enforce,
     "enforce SITE interview|list|delist|penalty --amount YUAN|suspend|resume|close-down\n"
     "                       [--date D] [--basis TEXT] [--note TEXT]\n", 1},
    {"audit", cmd_audit, "audit verify           check the hash chain of the event log\n", 1},
    {"stats", cmd_stats,
     "stats [--since D] [--until D] [--by district|squad|industry|checklist|month]\n"
     "                       figures for a period (--format text|json|csv|html)\n", 1},
    {"export", cmd_export, "export [--since D] [-o FILE]  records for another database\n", 1},
    {"import", cmd_import, "import FILE            records from another database's export\n", 1},
    {"report", cmd_report,
     "report INSPECTION      the inspection report and rectification notice\n"
     "                       (--format html|text|json|csv)\n", 1},
    {NULL, NULL, NULL, 0},
};

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
    indent(f, c->usage);
    fputs("\nGlobal options and exit codes: hazcheck --help\n", f);
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
    fputs("  (changes are made --by NAME, else $HAZCHECK_USER, else the login name)\n"
          "\n"
          "global options (before or after the command):\n"
          "  --packs DIR            where checklists are found (repeatable; default ./checklists,\n"
          "                         then " HC_SHARE_DIR "/checklists)\n"
          "  --rules DIR            where Lua rule modules are found (default ./rules, then the share folder)\n"
          "  --site FILE            site profiles for inspections that name a site by id (repeatable)\n"
          "  --today YYYY-MM-DD     the date taken as today\n"
          "  --format F, -o FILE    output format (text, json, jsonl, csv, html, md) and file\n"
          "  --db PATH              the SQLite database (default $HAZCHECK_DB, else ./hazcheck.db)\n"
          "  limits: --max-depth N --max-nodes N --max-scalar BYTES --max-file BYTES\n"
          "          --lua-instructions N --lua-memory BYTES --lua-millis MS --max-inspection-millis MS\n"
          "\n"
          "exit status: 0 done (check: every applicable item passed), 1 could not do it,\n"
          "2 hidden hazards found, none major, 3 a major hazard (重大事故隐患),\n"
          "4 no hazard found but items unanswered or in error.\n", f);
}
