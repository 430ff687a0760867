/*
** cmd_user.c: `hazcheck user add|list|passwd|disable` (cli.md "Serving many
** users"): the accounts of `serve`. A password is read from the terminal,
** asked twice with the echo off, or else from the first line of standard
** input (a script, a pipe); never from the command line, where `ps` and the
** shell's history would keep it.
*/
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"

/* One line of f without its end of line; NULL at end of input. */
static char *read_line(FILE *f)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, f);
    if (n < 0) {
        free(line);
        return NULL;
    }
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
    return line;
}

/* Ask at the terminal with the echo off. */
static char *ask_hidden(const char *prompt)
{
    struct termios old, quiet;
    int tty = tcgetattr(STDIN_FILENO, &old) == 0;
    fputs(prompt, stderr);
    fflush(stderr);
    if (tty) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    char *line = read_line(stdin);
    if (tty) tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    fputc('\n', stderr);
    return line;
}

/* The new password: asked twice at a terminal, else the first line of input. */
static char *new_password(void)
{
    if (!isatty(STDIN_FILENO)) {
        char *pw = read_line(stdin);
        if (pw == NULL) fprintf(stderr, _("hazcheck user: no password on standard input\n"));
        return pw;
    }
    char *a = ask_hidden(_("new password: ")), *b = a ? ask_hidden(_("the same again: ")) : NULL;
    if (a && b && strcmp(a, b) == 0) {
        free(b);
        return a;
    }
    if (a && b) fprintf(stderr, _("hazcheck user: the two passwords differ; nothing changed\n"));
    free(a);
    free(b);
    return NULL;
}

static void burn(char *pw)
{
    if (pw) {
        volatile char *p = pw;
        while (*p) *p++ = 0;
    }
    free(pw);
}

int cmd_user(const options *o)
{
    const char *verb = o->nargs ? o->args[0] : "";
    int named = strcmp(verb, "add") == 0 || strcmp(verb, "passwd") == 0 || strcmp(verb, "disable") == 0;
    if (!(strcmp(verb, "list") == 0 && o->nargs == 1) && !(named && o->nargs == 2)) {
        fprintf(stderr, _("hazcheck user: expected add NAME --role ROLE [--squad S] [--site ID]..., "
                          "list, passwd NAME or disable NAME\n"));
        return HC_EXIT_FAIL;
    }
    hc_diags d = {0};
    hc_store *s = cli_open_store(o, strcmp(verb, "list") != 0, &d);
    if (s == NULL) return cli_fail(&d);
    int rc = -1;
    if (strcmp(verb, "list") == 0) {
        FILE *out = cli_open_output(o);
        hc_doc *users = out ? hc_store_users(s, &d) : NULL;
        if (users) rc = hc_render_users(out, users, cli_format(o, HC_FMT_TEXT), &d);
        hc_doc_free(&users);
        if (out && cli_close_output(out, o) != 0) rc = -1;
    } else if (strcmp(verb, "disable") == 0) {
        rc = hc_store_user_disable(s, o->args[1], &d);
        if (rc == 0) printf(_("user %s: disabled; their sessions have ended\n"), o->args[1]);
    } else {
        char *pw = new_password();
        if (pw && strcmp(verb, "add") == 0) {
            hc_user_spec u = {o->args[1], o->role, o->squad, o->sites, o->nsites};
            rc = hc_store_user_add(s, &u, pw, &d);
            if (rc == 0) printf(_("user %s added (%s)\n"), o->args[1], hc_vocab_text(HC_VOCAB_ROLE, o->role));
        } else if (pw) {
            rc = hc_store_user_passwd(s, o->args[1], pw, &d);
            if (rc == 0) printf(_("user %s: new password; their sessions have ended\n"), o->args[1]);
        }
        burn(pw);
    }
    hc_diags_print(&d, stderr);
    hc_store_close(&s);
    return rc == 0 ? HC_EXIT_OK : HC_EXIT_FAIL;
}
