/*
** interview.c: `hazcheck inspect`: the checklist's questions one by one, in a
** terminal. Which items to ask and whether an answer fits are the engine's
** decisions (hc_interview_*, the same as evaluation's); this file is the
** dialogue. An answer that does not fit is asked again with the reason. The result is an ordinary inspection
** document (YAML), so it goes through exactly the path a file would:
** nothing here evaluates or stores anything itself.
**
** Answers: a value; empty to leave an optional input blank; "na REASON" (or
** "na") at an item's first question to mark the whole item not applicable;
** "note TEXT" is kept as the item's note; "?" repeats the help.
*/
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* Read one line (without the newline) into b; 0 at end of input. */
static int read_line(FILE *in, hc_buf *b)
{
    hc_buf_reset(b);
    int c, any = 0;
    while ((c = fgetc(in)) != EOF) {
        any = 1;
        if (c == '\n') break;
        if (c != '\r') hc_buf_putc(b, (char)c);
    }
    if (b->data == NULL) hc_buf_put(b, "", 0);
    return any;
}

static void trim(hc_buf *b)
{
    size_t s = 0, e = b->len;
    while (s < e && (b->data[s] == ' ' || b->data[s] == '\t')) s++;
    while (e > s && (b->data[e - 1] == ' ' || b->data[e - 1] == '\t')) e--;
    memmove(b->data, b->data + s, e - s);
    b->len = e - s;
    b->data[b->len] = '\0';
}

static void help(FILE *out, const hc_input *in)
{
    fprintf(out, "    %s (%s): ", in->label ? in->label : in->name, in->name);
    switch (in->type) {
    case HC_IN_BOOL: fputs("是/否, yes/no", out); break;
    case HC_IN_ENUM:
    case HC_IN_SET:
        fputs(in->type == HC_IN_ENUM ? "one of: " : "any of, comma-separated: ", out);
        for (size_t i = 0; i < in->nvalues; i++) {
            fprintf(out, "%s%s", i ? ", " : "", hc_input_value_label(in, i));
            if (in->labels && in->labels[i]) fprintf(out, " (%s)", in->values[i]);
        }
        break;
    case HC_IN_DATE: fputs("a date YYYY-MM-DD", out); break;
    case HC_IN_INTEGER: fputs("a whole number", out); break;
    case HC_IN_NUMBER: fputs("a number", out); break;
    case HC_IN_LIST: fputs("a list (JSON, e.g. [{\"field\": 1}])", out); break;
    default: fputs("text", out);
    }
    if (in->unit) fprintf(out, ", in %s", in->unit);
    if (in->has_min) fprintf(out, ", at least %g", in->min);
    if (in->has_max) fprintf(out, ", at most %g", in->max);
    fputs(in->required ? "\n" : " (optional: empty to skip)\n", out);
}

/* The answer as YAML flow text: JSON strings are YAML strings, and the
   checklist's declarations, not the quoting, give the type. */
static void answer_yaml(hc_buf *y, const hc_input *in, const char *text)
{
    if (in->type == HC_IN_LIST) {
        hc_buf_puts(y, text);
        return;
    }
    if (in->type != HC_IN_SET) {
        hc_json_quote(y, text, strlen(text));
        return;
    }
    hc_buf_putc(y, '[');
    const char *p = text;
    int first = 1;
    while (*p) {
        size_t n = strcspn(p, ",，");
        const char *e = p + n;
        while (p < e && *p == ' ') p++;
        const char *q = e;
        while (q > p && q[-1] == ' ') q--;
        if (q > p) {
            if (!first) hc_buf_putc(y, ',');
            hc_json_quote(y, p, (size_t)(q - p));
            first = 0;
        }
        if (*e == '\0') break;
        p = e + (*e == ',' ? 1 : strlen("，"));
    }
    hc_buf_putc(y, ']');
}

/* The item's answers so far, checked as the very YAML flow text the file will
   hold (so what was accepted is what a later reading of the file types):
   0 fits, -1 with the reason in why. */
static int fits(hc_interview *iv, size_t idx, const char *yaml, hc_buf *why)
{
    hc_diags d = {0};
    hc_reader *r = hc_reader_open_mem("answer", yaml, strlen(yaml), NULL, &d);
    hc_doc *doc = NULL;
    int rc = -1;
    if (r && hc_reader_next(r, &doc, &d) == 1) {
        char msg[512];
        rc = hc_interview_check(iv, idx, hc_doc_root(doc), msg, sizeof msg);
        if (rc) hc_buf_puts(why, msg);
    } else {
        hc_buf_puts(why, d.n ? d.v[0].msg : "not a value");
    }
    hc_doc_free(&doc);
    hc_reader_close(&r);
    hc_diags_clear(&d);
    return rc;
}

static int interview(hc_interview *iv, const hc_checklist *c, const hc_node *site,
                     const char *date, const char *inspector, FILE *in, FILE *out, hc_buf *doc,
                     hc_diags *d);

int cli_interview(hc_engine *e, const hc_checklist *c, const hc_node *site, const char *date,
                  const char *inspector, FILE *in, FILE *out, char **doc, hc_diags *d)
{
    *doc = NULL;
    hc_interview *iv = hc_interview_begin(e, c, site, date, inspector, d);
    if (iv == NULL) return -1;
    hc_buf b = {0};
    int rc = interview(iv, c, site, date, inspector, in, out, &b, d);
    hc_interview_end(&iv);
    *doc = hc_buf_take(&b);
    return rc;
}

static int interview(hc_interview *iv, const hc_checklist *c, const hc_node *site,
                     const char *date, const char *inspector, FILE *in, FILE *out, hc_buf *doc,
                     hc_diags *d)
{
    char *site_json = hc_node_json(site);
    hc_buf_printf(doc, "inspection:\n  site: %s\n  checklist: ", site_json);
    free(site_json);
    hc_buf pinned = {0};                 /* the exact version asked */
    hc_buf_printf(&pinned, "%s@%s", c->id, c->version);
    hc_json_quote(doc, pinned.data, pinned.len);
    hc_buf_free(&pinned);
    hc_buf_printf(doc, "\n  date: %s\n", date);
    if (inspector) {
        hc_buf_puts(doc, "  inspector: ");
        hc_json_quote(doc, inspector, strlen(inspector));
        hc_buf_putc(doc, '\n');
    }
    hc_buf_puts(doc, "answers:\n");

    fprintf(out, "%s %s: %s — %zu items. Answer each question; \"na REASON\" marks an item not "
                 "applicable, \"note TEXT\" adds a note, \"?\" explains.\n",
            c->id, c->version, c->title, c->nitems);
    hc_buf line = {0};
    int rc = 0, asked = 0, eof = 0;
    for (size_t i = 0; i < c->nitems && !eof; i++) {
        const hc_item *it = &c->items[i];
        const char *skip;
        if (hc_interview_applies(iv, i, &skip) <= 0) {
            /* an applies that fails is evaluation's error to report, not a question */
            fprintf(out, "\n[%zu/%zu] %s %s — does not apply, skipped (%s)\n", i + 1, c->nitems,
                    it->id, it->title, skip ? skip : "");
            continue;
        }
        fprintf(out, "\n[%zu/%zu] %s %s%s\n", i + 1, c->nitems, it->id, it->title,
                it->severity == HC_SEV_MAJOR ? "  [重大]" : "");
        if (it->nbasis) fprintf(out, "    basis: %s\n", it->basis[0]);
        hc_buf item = {0};            /* this item's answers as a YAML flow mapping body */
        const char *note = NULL;
        char *note_owned = NULL;
        int na = 0;
        for (size_t k = 0; k < it->ninputs && !eof && !na; k++) {
            const hc_input *inp = &it->inputs[k];
            help(out, inp);
            for (;;) {
                fprintf(out, "    %s> ", inp->name);
                fflush(out);
                if (!read_line(in, &line)) {
                    eof = 1;
                    break;
                }
                trim(&line);
                asked++;
                if (strcmp(line.data, "?") == 0) {
                    help(out, inp);
                    continue;
                }
                if (strncmp(line.data, "note ", 5) == 0) {
                    free(note_owned);
                    note_owned = hc_xstrdup(line.data + 5);
                    note = note_owned;
                    continue;
                }
                if (k == 0 && (strcmp(line.data, "na") == 0 || strncmp(line.data, "na ", 3) == 0)) {
                    na = 1;
                    hc_buf_puts(&item, item.len ? ", na: " : "na: ");
                    const char *why = line.data[2] ? line.data + 3 : "现场确认不适用";
                    hc_json_quote(&item, why, strlen(why));
                    break;
                }
                if (line.len == 0) {
                    if (inp->required) {
                        fputs("    ! required: give an answer, or \"na REASON\" at the first question\n", out);
                        continue;
                    }
                    break;
                }
                hc_buf trial = {0};
                hc_buf_puts(&trial, "{");
                if (item.len) {
                    hc_buf_put(&trial, item.data, item.len);
                    hc_buf_puts(&trial, ", ");
                }
                hc_buf_printf(&trial, "%s: ", inp->name);
                answer_yaml(&trial, inp, line.data);
                hc_buf_puts(&trial, "}");
                hc_buf why = {0};
                if (fits(iv, i, trial.data, &why) == 0) {
                    hc_buf_reset(&item);
                    hc_buf_put(&item, trial.data + 1, trial.len - 2);
                    hc_buf_free(&trial);
                    hc_buf_free(&why);
                    break;
                }
                fprintf(out, "    ! %s\n", why.data ? why.data : "does not fit");
                hc_buf_free(&trial);
                hc_buf_free(&why);
            }
        }
        if (note) {
            hc_buf_puts(&item, item.len ? ", note: " : "note: ");
            hc_json_quote(&item, note, strlen(note));
        }
        hc_buf_printf(doc, "  %s: {%s}\n", it->id, item.data ? item.data : "");
        hc_buf_free(&item);
        free(note_owned);
    }
    if (eof) {
        fprintf(out, "\n(end of input: the remaining items stay unanswered)\n");
        rc = asked ? 0 : -1;
        if (!asked) hc_diags_add(d, HC_ERROR, NULL, 0, 0, "no answers were given");
    }
    hc_buf_free(&line);
    return rc;
}
