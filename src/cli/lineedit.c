/*
** lineedit.c: reading an answer at `inspect`'s prompts. At a terminal, with
** libedit: the cursor keys move within the line, backspace deletes a whole
** Chinese character, and the up arrow brings back earlier answers of the
** session (no history file: answers are the inspection's, not the machine's).
** Without a terminal (a pipe, a test) lines are read as they come, so a
** script of answers works exactly as typed ones do.
**
** Ctrl-D on an empty line is the end of input; Ctrl-C ends the program as
** before: libedit puts the terminal back first, and the draft on disk already
** holds every accepted answer.
*/
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <editline/readline.h>

#include "cli/cli.h"

static int edited(FILE *in, FILE *out)
{
    return isatty(fileno(in)) && isatty(fileno(out));
}

int cli_read_line(FILE *in, FILE *out, const char *prompt, hc_buf *b)
{
    hc_buf_reset(b);
    if (edited(in, out)) {
        fflush(out);
        rl_instream = in;
        rl_outstream = out;
        char *line = readline(prompt);
        if (line == NULL) {
            hc_buf_put(b, "", 0);
            return 0;
        }
        hc_buf_puts(b, line);
        if (*line) add_history(line);
        free(line);
        return 1;
    }
    fputs(prompt, out);
    fflush(out);
    int c, any = 0;
    while ((c = fgetc(in)) != EOF) {
        any = 1;
        if (c == '\n') break;
        if (c != '\r') hc_buf_putc(b, (char)c);
    }
    if (b->data == NULL) hc_buf_put(b, "", 0);
    return any;
}
