/*
** diag.c: diagnostics (file:line:col: message) and the default resource limits.
*/
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

void hc_diags_add(hc_diags *d, hc_severity_level level, const char *file,
                  unsigned line, unsigned col, const char *fmt, ...)
{
    if (d == NULL) return;
    HC_GROW(d->v, d->cap, d->n + 1);
    hc_diag *g = &d->v[d->n++];
    g->level = level;
    g->file = file ? hc_xstrdup(file) : NULL;
    g->line = line;
    g->col = col;
    hc_buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    /* the one place messages are worded: the format is looked up in the catalogue
       here, so every caller's literal is translated (xgettext: keyword hc_diags_add:6) */
    hc_buf_vprintf(&b, _(fmt), ap);
    va_end(ap);
    g->msg = hc_buf_take(&b);
    if (level == HC_ERROR) d->errors++;
    else d->warnings++;
}

void hc_diags_print(hc_diags *d, FILE *f)
{
    for (size_t i = 0; i < d->n; i++) {
        hc_diag *g = &d->v[i];
        if (g->file) {
            fputs(g->file, f);
            if (g->line) fprintf(f, ":%u:%u", g->line, g->col ? g->col : 1);
            fputs(": ", f);
        } else {
            fputs("hazcheck: ", f);
        }
        if (g->level == HC_WARNING) fputs(_("warning: "), f);
        fputs(g->msg, f);
        fputc('\n', f);
    }
    hc_diags_clear(d);
}

void hc_diags_clear(hc_diags *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->v[i].file);
        free(d->v[i].msg);
    }
    free(d->v);
    memset(d, 0, sizeof *d);
}


void hc_limits_default(hc_limits *l)
{
    l->max_depth = 64;
    l->max_nodes = 1000000;
    l->max_scalar = 1 << 20;
    l->max_file = 64u << 20;
    l->lua_instructions = 10000000;
    l->lua_memory = 64u << 20;
    l->lua_millis = 2000;
    l->inspection_millis = 30000;
}
