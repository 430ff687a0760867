/*
** main.c: the hazcheck command line, a thin layer over the library: parse
** the options, find the command in the table (commands.c), run it, and
** return the exit code of cli.md. No evaluation logic lives here.
*/
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "config.h"          /* HC_LOCALE_DIR */

/* The catalogues: beside a binary run from its build folder (build/locale),
   else where `make install` put them. */
static void choose_language(void)
{
    static char dir[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - sizeof "/locale");
    struct stat st;
    if (n > 0) {
        dir[n] = '\0';
        char *slash = strrchr(dir, '/');
        if (slash) snprintf(slash, sizeof dir - (size_t)(slash - dir), "/locale");
        if (slash && stat(dir, &st) == 0 && S_ISDIR(st.st_mode)) {
            hc_language_init(dir);
            return;
        }
    }
    hc_language_init(HC_LOCALE_DIR);
}

int main(int argc, char **argv)
{
    /* A batch's JSON lines are some KB each: with stdio's 4 KB buffer, each
       took two write calls. Before anything is written, as setvbuf needs;
       with a buffer of ours, as glibc ignores the size without one. */
    if (!isatty(STDOUT_FILENO)) {
        static char out_buf[1 << 16];
        setvbuf(stdout, out_buf, _IOFBF, sizeof out_buf);
    }
    choose_language();
    options o;
    if (cli_parse_args(argc, argv, &o) != 0) {
        cli_free_options(&o);
        return HC_EXIT_FAIL;
    }
    hc_diags d = {0};
    if (cli_config_load(&o, &d) != 0) {
        hc_diags_print(&d, stderr);
        cli_free_options(&o);
        return HC_EXIT_FAIL;
    }
    hc_diags_print(&d, stderr);          /* warnings: unknown keys */
    const command *c = cli_command(o.cmd);
    int rc;
    if (o.version) {
        printf(_("hazcheck %s (formats version %d)\n"), HC_VERSION, HC_FORMAT_VERSION);
        rc = HC_EXIT_OK;
    } else if (o.help && c) {
        cli_command_usage(stdout, c);
        rc = HC_EXIT_OK;
    } else if (o.cmd == NULL || o.help) {
        cli_usage(o.help ? stdout : stderr);
        rc = o.help ? HC_EXIT_OK : HC_EXIT_FAIL;
    } else if (c) {
        rc = c->run(&o);
    } else {
        fprintf(stderr, _("hazcheck: unknown command '%s'; see 'hazcheck --help'\n"), o.cmd);
        rc = HC_EXIT_FAIL;
    }
    cli_free_options(&o);
    return rc;
}
