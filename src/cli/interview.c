/*
** interview.c: `hazcheck inspect`: the checklist's questions one by one, in a
** terminal. Which items to ask and whether an answer fits are the engine's
** decisions (hc_interview_*, the same as evaluation's); this file is the
** dialogue. An answer that does not fit is asked again with the reason.
**
** Nothing typed is lost: the answers are an ordinary inspection document
** (YAML), rewritten whole (temporary file, then rename) after every accepted
** answer, so Ctrl-C, a closed lid or a flat battery leaves a draft that
** `inspect --resume` goes on from. The same file is then what is recorded,
** through exactly the path a file given to `record` takes.
**
** Answers: a value (a choice also by its label or its number); empty to leave
** an optional input blank; "na REASON" (or "na") at an item's first question
** to mark the whole item not applicable; "note TEXT" and "evidence REF" (a
** photo or document, repeatable) are kept with the item; "back" returns to
** the item before; "?" shows the item's basis and remedy and the choices.
*/
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

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
    case HC_IN_BOOL: fputs(_("yes/no"), out); break;
    case HC_IN_ENUM:
    case HC_IN_SET:
        fputs(in->type == HC_IN_ENUM ? _("one of: ") : _("any of, comma-separated: "), out);
        for (size_t i = 0; i < in->nvalues; i++) {
            fprintf(out, "%s%s", i ? ", " : "", hc_input_value_label(in, i));
            if (in->labels && in->labels[i]) fprintf(out, " (%s)", in->values[i]);
        }
        break;
    case HC_IN_DATE: fputs(_("a date YYYY-MM-DD"), out); break;
    case HC_IN_INTEGER: fputs(_("a whole number"), out); break;
    case HC_IN_NUMBER: fputs(_("a number"), out); break;
    case HC_IN_LIST: fputs(_("a list, asked row by row (an empty first field ends it)"), out); break;
    default: fputs(_("text"), out);
    }
    if (in->unit) fprintf(out, _(", in %s"), in->unit);
    if (in->has_min) fprintf(out, _(", at least %g"), in->min);
    if (in->has_max) fprintf(out, _(", at most %g"), in->max);
    fputs(in->required ? "\n" : _(" (optional: empty to skip)\n"), out);
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

/* One item's answers as the body of a YAML flow mapping, and whether it was asked. */
typedef struct slot {
    hc_buf text;
    int set;
} slot;

typedef struct dialogue {
    hc_interview *iv;
    const hc_checklist *c;
    const char *head;             /* the inspection: header of the document */
    const char *path;             /* the draft, rewritten after every answer */
    slot *slots;
    FILE *in, *out;
    hc_diags *d;
} dialogue;

/* The whole document from what is answered so far. */
static void document(const dialogue *g, hc_buf *doc)
{
    hc_buf_reset(doc);
    hc_buf_puts(doc, g->head);
    for (size_t i = 0; i < g->c->nitems; i++)
        if (g->slots[i].set)
            hc_buf_printf(doc, "  %s: {%s}\n", g->c->items[i].id,
                          g->slots[i].text.data ? g->slots[i].text.data : "");
}

/* Write the draft whole or not at all (a temporary file renamed over it). */
static int save(const dialogue *g)
{
    hc_buf doc = {0}, tmp = {0};
    document(g, &doc);
    hc_buf_printf(&tmp, "%s.tmp", g->path);
    FILE *f = fopen(tmp.data, "w");
    int ok = f && fwrite(doc.data, 1, doc.len, f) == doc.len;
    if (f && fclose(f) != 0) ok = 0;
    if (ok && rename(tmp.data, g->path) != 0) ok = 0;
    if (!ok) {
        hc_diags_add(g->d, HC_ERROR, g->path, 0, 0, "cannot save the answers");
        remove(tmp.data);
    }
    hc_buf_free(&doc);
    hc_buf_free(&tmp);
    return ok ? 0 : -1;
}

/* A choice typed by its number (1-based) becomes its code: "2" or "1, 3". */
static void by_number(const hc_input *in, hc_buf *line)
{
    if (in->type != HC_IN_ENUM && in->type != HC_IN_SET) return;
    hc_buf out = {0};
    const char *p = line->data;
    while (*p) {
        while (*p == ' ' || *p == ',') p++;
        if (*p == '\0') break;
        char *end;
        long k = strtol(p, &end, 10);
        if (end == p || (*end && *end != ',' && *end != ' ') || k < 1 || (size_t)k > in->nvalues) {
            hc_buf_free(&out);
            return;                   /* not all numbers: the text is taken as typed */
        }
        hc_buf_printf(&out, "%s%s", out.len ? ", " : "", in->values[k - 1]);
        p = end;
        if (in->type == HC_IN_ENUM && *p) {
            hc_buf_free(&out);
            return;
        }
    }
    if (out.len) {
        hc_buf_reset(line);
        hc_buf_put(line, out.data, out.len);
    }
    hc_buf_free(&out);
}

static void item_help(FILE *out, const hc_item *it)
{
    for (size_t b = 0; b < it->nbasis; b++) fprintf(out, _("    basis: %s\n"), it->basis[b]);
    if (it->remedy) fprintf(out, _("    remedy: %s\n"), it->remedy);
    fputs(_("    answers: a value · empty (optional inputs) · na REASON (first question) · "
          "note TEXT · evidence REF · back · ?\n"), out);
}

/*
** A list input, asked row by row and field by field ("row 2, 名称>"): an empty
** first field ends the list. Fills 'line' with the list as YAML flow text.
** 1 done, 0 back, -1 end of input. A field that is itself a list is typed as
** JSON, the one place left where it is.
*/
static int ask_rows(dialogue *g, const hc_input *list, hc_buf *line)
{
    hc_buf rows = {0}, row = {0};
    hc_buf_putc(&rows, '[');
    int rc = 1;
    for (size_t r = 1;; r++) {
        hc_buf_reset(&row);
        int ended = 0;
        for (size_t f = 0; f < list->nfields && !ended; f++) {
            const hc_input *fld = &list->fields[f];
            for (;;) {
                char prompt[512];
                snprintf(prompt, sizeof prompt, "    %s %zu, %s> ", list->label ? list->label : list->name,
                         r, fld->label ? fld->label : fld->name);
                if (!cli_read_line(g->in, g->out, prompt, line)) {
                    rc = -1;
                    goto out;
                }
                trim(line);
                if (strcmp(line->data, "back") == 0) {
                    rc = 0;
                    goto out;
                }
                if (strcmp(line->data, "?") == 0) {
                    help(g->out, fld);
                    fputs(_("    (an empty first field ends the list)\n"), g->out);
                    continue;
                }
                break;
            }
            if (line->len == 0) {
                ended = f == 0;       /* no first field: the list is complete */
                continue;             /* an empty later field: left out of the row */
            }
            by_number(fld, line);
            if (row.len) hc_buf_puts(&row, ", ");
            hc_buf_printf(&row, "%s: ", fld->name);
            answer_yaml(&row, fld, line->data);
        }
        if (ended) break;
        if (rows.len > 1) hc_buf_puts(&rows, ", ");
        hc_buf_printf(&rows, "{%s}", row.data ? row.data : "");
    }
    hc_buf_putc(&rows, ']');
    hc_buf_reset(line);
    hc_buf_put(line, rows.data, rows.len);
out:
    hc_buf_free(&rows);
    hc_buf_free(&row);
    return rc;
}

/* Ask item i. 1 answered, 0 go back, -1 end of input. */
static int ask_item(dialogue *g, size_t i, hc_buf *line)
{
    const hc_item *it = &g->c->items[i];
    slot *sl = &g->slots[i];
    hc_buf_reset(&sl->text);
    hc_buf extra = {0};           /* note and evidence, kept apart from the inputs */
    hc_buf evidence = {0};
    int rc = 1;
    for (size_t k = 0; k < it->ninputs; k++) {
        const hc_input *inp = &it->inputs[k];
        help(g->out, inp);
        for (;;) {
            if (inp->type == HC_IN_LIST) {
                int got = ask_rows(g, inp, line);
                if (got <= 0) {
                    rc = got;
                    goto out;
                }
                goto typed;
            }
            char prompt[256];
            snprintf(prompt, sizeof prompt, "    %s> ", inp->name);
            if (!cli_read_line(g->in, g->out, prompt, line)) {
                rc = -1;
                goto out;
            }
            trim(line);
            if (strcmp(line->data, "?") == 0) {
                item_help(g->out, it);
                help(g->out, inp);
                continue;
            }
            if (strcmp(line->data, "back") == 0) {
                rc = 0;
                goto out;
            }
            if (strncmp(line->data, "note ", 5) == 0) {
                hc_buf_reset(&extra);
                hc_buf_puts(&extra, "note: ");
                hc_json_quote(&extra, line->data + 5, line->len - 5);
                continue;
            }
            if (strncmp(line->data, "evidence ", 9) == 0) {
                if (evidence.len) hc_buf_puts(&evidence, ", ");
                hc_json_quote(&evidence, line->data + 9, line->len - 9);
                continue;
            }
            if (k == 0 && (strcmp(line->data, "na") == 0 || strncmp(line->data, "na ", 3) == 0)) {
                const char *why = line->data[2] ? line->data + 3 : "现场确认不适用";
                hc_buf_puts(&sl->text, "na: ");
                hc_json_quote(&sl->text, why, strlen(why));
                goto out;
            }
            if (line->len == 0) {
                if (inp->required) {
                    fputs(_("    ! required: give an answer, or \"na REASON\" at the first question\n"),
                          g->out);
                    continue;
                }
                break;
            }
            by_number(inp, line);
        typed:;
            hc_buf trial = {0};
            hc_buf_puts(&trial, "{");
            if (sl->text.len) {
                hc_buf_put(&trial, sl->text.data, sl->text.len);
                hc_buf_puts(&trial, ", ");
            }
            hc_buf_printf(&trial, "%s: ", inp->name);
            answer_yaml(&trial, inp, line->data);
            hc_buf_puts(&trial, "}");
            hc_buf why = {0};
            int fit = fits(g->iv, i, trial.data, &why) == 0;
            if (fit) {
                hc_buf_reset(&sl->text);
                hc_buf_put(&sl->text, trial.data + 1, trial.len - 2);
                /* saved after every answer: Ctrl-C or a flat battery loses nothing typed */
                sl->set = 1;
                if (save(g) != 0) rc = -1;
            } else {
                fprintf(g->out, "    ! %s\n", why.data ? why.data : _("does not fit"));
            }
            hc_buf_free(&trial);
            hc_buf_free(&why);
            if (rc < 0) goto out;
            if (fit) break;
        }
    }
out:
    if (rc == 1 || (rc < 0 && sl->text.len)) {
        if (extra.len) hc_buf_printf(&sl->text, "%s%s", sl->text.len ? ", " : "", extra.data);
        if (evidence.len)
            hc_buf_printf(&sl->text, "%sevidence: [%s]", sl->text.len ? ", " : "", evidence.data);
        sl->set = 1;
        if (save(g) != 0) rc = -1;
    } else if (rc == 0) {
        sl->set = 0;
        hc_buf_reset(&sl->text);
    }
    hc_buf_free(&extra);
    hc_buf_free(&evidence);
    return rc;
}

/* Answers already in the draft being resumed: those items are not asked again. */
static int resume(dialogue *g, hc_diags *d)
{
    hc_doc *doc = hc_doc_load_file(g->path, NULL, d);
    if (doc == NULL) return -1;
    const hc_node *answers = hc_map_get(hc_doc_root(doc), "answers");
    for (size_t k = 0; answers && answers->kind == HC_MAP && k < answers->len; k++) {
        long i = hc_checklist_find(g->c, answers->kids[2 * k]->str);
        const hc_node *v = answers->kids[2 * k + 1];
        if (i < 0 || v->kind != HC_MAP) continue;
        char *json = hc_node_json(v);              /* JSON is YAML flow: {...} */
        size_t len = strlen(json);
        hc_buf_reset(&g->slots[i].text);
        if (len >= 2) hc_buf_put(&g->slots[i].text, json + 1, len - 2);
        g->slots[i].set = 1;
        free(json);
    }
    hc_doc_free(&doc);
    return 0;
}

int cli_interview(hc_engine *e, const hc_checklist *c, const hc_node *site, const char *date,
                  const char *inspector, const char *path, int resuming, FILE *in, FILE *out,
                  size_t *answered, hc_diags *d)
{
    *answered = 0;
    hc_interview *iv = hc_interview_begin(e, c, site, date, inspector, d);
    if (iv == NULL) return -1;
    hc_buf head = {0};
    char *site_json = hc_node_json(site);
    hc_buf_printf(&head, "inspection:\n  site: %s\n  checklist: ", site_json);
    free(site_json);
    hc_buf pinned = {0};                 /* the exact version asked */
    hc_buf_printf(&pinned, "%s@%s", c->id, c->version);
    hc_json_quote(&head, pinned.data, pinned.len);
    hc_buf_free(&pinned);
    hc_buf_printf(&head, "\n  date: %s\n", date);
    if (inspector) {
        hc_buf_puts(&head, "  inspector: ");
        hc_json_quote(&head, inspector, strlen(inspector));
        hc_buf_putc(&head, '\n');
    }
    hc_buf_puts(&head, "answers:\n");
    dialogue g = {iv, c, head.data, path, hc_xcalloc(c->nitems ? c->nitems : 1, sizeof(slot)),
                  in, out, d};
    int rc = resuming ? resume(&g, d) : save(&g);
    if (rc == 0) {
        size_t *asked = hc_xcalloc(c->nitems ? c->nitems : 1, sizeof *asked);   /* for 'back' */
        size_t nasked = 0;
        fprintf(out, _("%s %s: %s — %zu items. Answers are saved to %s as you go (Ctrl-C keeps "
                       "them; --resume goes on). \"?\" explains, \"back\" returns to the item "
                       "before.\n"), c->id, c->version, c->title, c->nitems, path);
        hc_buf line = {0};
        for (size_t i = 0; i < c->nitems;) {
            const hc_item *it = &c->items[i];
            const char *skip;
            if (g.slots[i].set) {        /* resumed */
                i++;
                continue;
            }
            if (hc_interview_applies(iv, i, &skip) <= 0) {
                /* an applies that fails is evaluation's error to report, not a question */
                fprintf(out, _("\n[%zu/%zu] %s %s — does not apply, skipped (%s)\n"), i + 1,
                        c->nitems, it->id, it->title, skip ? skip : "");
                i++;
                continue;
            }
            fprintf(out, "\n[%zu/%zu] %s %s%s\n", i + 1, c->nitems, it->id, it->title,
                    it->severity == HC_SEV_MAJOR ? "  [重大]" : "");
            if (it->nbasis) fprintf(out, _("    basis: %s\n"), it->basis[0]);
            int got = ask_item(&g, i, &line);
            if (got < 0) {
                rc = 1;                  /* end of input: partial */
                break;
            }
            if (got == 0) {              /* back: the item before, asked again */
                if (nasked > 0) {
                    i = asked[--nasked];
                    g.slots[i].set = 0;
                    hc_buf_reset(&g.slots[i].text);
                    save(&g);
                }
                continue;
            }
            asked[nasked++] = i;
            i++;
        }
        hc_buf_free(&line);
        free(asked);
    }
    for (size_t i = 0; i < c->nitems; i++) {
        *answered += g.slots[i].set;
        hc_buf_free(&g.slots[i].text);
    }
    free(g.slots);
    hc_buf_free(&head);
    hc_interview_end(&iv);
    return rc;
}
