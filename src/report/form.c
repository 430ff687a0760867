/*
** form.c: a checklist as something to fill in: a printable form (`show`,
** text or Markdown) and a blank inspection file (`template`).
**
** People read these: when an item applies is said in the pack's words
** (applies_text), or not at all; the `applies` rule is Lua for the machine
** and never printed. Choices are shown by their labels.
*/
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "report/report.h"

/* Print s on one line: newlines become spaces. */
static void one_line(FILE *f, const char *s)
{
    for (; s && *s; s++) fputc(*s == '\n' || *s == '\r' ? ' ' : *s, f);
}

static void describe_input(FILE *f, const hc_input *in, int md)
{
    switch (in->type) {
    case HC_IN_BOOL: fputs(md ? _("☐ yes ☐ no") : _("( ) yes  ( ) no"), f); break;
    case HC_IN_ENUM:
    case HC_IN_SET:
        for (size_t i = 0; i < in->nvalues; i++)
            fprintf(f, "%s%s %s", i ? "  " : "", in->type == HC_IN_ENUM ? "( )" : "[ ]",
                    hc_input_value_label(in, i));
        if (in->type == HC_IN_SET) fputs(_("  (any of)"), f);
        break;
    case HC_IN_DATE: fputs("____-__-__", f); break;
    case HC_IN_LIST: fputs(_("(a list, one row each:"), f);
        for (size_t i = 0; i < in->nfields; i++)
            fprintf(f, "%s%s", i ? ", " : " ", in->fields[i].label ? in->fields[i].label : in->fields[i].name);
        fputs(")", f);
        break;
    default:
        fputs("________", f);
    }
    if (in->unit) fprintf(f, " %s", in->unit);
    if (in->has_min && in->has_max) fprintf(f, " (%g–%g)", in->min, in->max);
    else if (in->has_min) fprintf(f, " (≥ %g)", in->min);
    else if (in->has_max) fprintf(f, " (≤ %g)", in->max);
    if (!in->required) fputs(_(" (optional)"), f);
}

static void show_item(FILE *f, const hc_checklist *c, const hc_item *it, int md)
{
    (void)c;
    if (md) {
        fprintf(f, "### %s %s%s\n\n", it->id, it->title,
                it->severity == HC_SEV_MAJOR ? _(" **[major hazard]**") : "");
        if (it->nbasis) {
            fputs(_("- basis: "), f);
            for (size_t i = 0; i < it->nbasis; i++) fprintf(f, "%s%s", i ? "; " : "", it->basis[i]);
            fputc('\n', f);
        }
        if (it->applies_text) {
            fputs(_("- applies to: "), f);
            one_line(f, it->applies_text);
            fputc('\n', f);
        }
        if (it->status != HC_ST_STABLE)
            fprintf(f, _("- status: **%s**\n"), it->status == HC_ST_DRAFT ? "draft" : "deprecated");
        if (it->notes) {
            fputs(_("- notes: "), f);
            one_line(f, it->notes);
            fputc('\n', f);
        }
        if (it->ninputs) {
            fputs("\n| input | answer |\n|---|---|\n", f);
            for (size_t i = 0; i < it->ninputs; i++) {
                const hc_input *in = &it->inputs[i];
                fprintf(f, "| %s (`%s`) | ", in->label ? in->label : in->name, in->name);
                describe_input(f, in, 1);
                fputs(" |\n", f);
            }
        }
        if (it->remedy) {
            fputs(_("\nremedy: "), f);
            one_line(f, it->remedy);
            fputc('\n', f);
        }
        fputs(_("\n☐ pass ☐ fail ☐ n/a   note: ____________\n\n"), f);
        return;
    }
    int major = it->severity == HC_SEV_MAJOR;
    fprintf(f, "[ ] %s  %s%s%s%s\n", it->id, it->title, major ? "  " : "", major ? _("[major hazard]") : "",
            it->status == HC_ST_DRAFT        ? _("  (DRAFT)")
            : it->status == HC_ST_DEPRECATED ? _("  (DEPRECATED)")
                                             : "");
    if (it->notes) {
        fputs(_("      notes:   "), f);
        one_line(f, it->notes);
        fputc('\n', f);
    }
    if (it->nbasis) {
        fputs(_("      basis:   "), f);
        for (size_t i = 0; i < it->nbasis; i++) fprintf(f, "%s%s", i ? "; " : "", it->basis[i]);
        fputc('\n', f);
    }
    if (it->applies_text) {
        fputs(_("      applies to: "), f);
        one_line(f, it->applies_text);
        fputc('\n', f);
    }
    for (size_t i = 0; i < it->ninputs; i++) {
        const hc_input *in = &it->inputs[i];
        fprintf(f, "      %s (%s): ", in->label ? in->label : in->name, in->name);
        describe_input(f, in, 0);
        fputc('\n', f);
    }
    if (it->remedy) {
        fputs(_("      remedy:  "), f);
        one_line(f, it->remedy);
        fputc('\n', f);
    }
    fputs(_("      ( ) pass  ( ) fail  ( ) n/a   note: ________________\n\n"), f);
}

static void show_text(FILE *f, const hc_checklist *c, const hc_item *only, int md)
{
    if (md) fprintf(f, "# %s\n\n`%s` version %s", c->title, c->id, c->version);
    else fprintf(f, "%s\n%s %s", c->title, c->id, c->version);
    if (c->domain) fprintf(f, " · %s", c->domain);
    fprintf(f, _(" · %zu items%s\n\n"), c->nitems,
            c->status == HC_ST_DRAFT ? " · DRAFT" : c->status == HC_ST_DEPRECATED ? " · DEPRECATED" : "");
    if (only) {
        show_item(f, c, only, md);
        return;
    }
    fputs(_("site: ____________  date: ____-__-__  inspector: ____________\n\n"), f);
    if (c->nsources) {
        fputs(md ? "## Sources\n\n" : "Sources\n", f);
        for (size_t i = 0; i < c->nsources; i++)
            fprintf(f, md ? "- `%s` %s\n" : "  %-14s %s\n", c->sources[i].code, c->sources[i].title);
        fputc('\n', f);
    }
    /* sections in order of first appearance */
    for (size_t i = 0; i < c->nitems; i++) {
        const char *sec = c->items[i].section;
        int seen = 0;
        for (size_t k = 0; k < i && !seen; k++) {
            const char *s2 = c->items[k].section;
            seen = (sec == NULL && s2 == NULL) || (sec && s2 && strcmp(sec, s2) == 0);
        }
        if (seen) continue;
        fprintf(f, md ? "## %s\n\n" : "== %s ==\n\n", sec ? sec : "(no section)");
        for (size_t k = i; k < c->nitems; k++) {
            const char *s2 = c->items[k].section;
            if ((sec == NULL && s2 == NULL) || (sec && s2 && strcmp(sec, s2) == 0))
                show_item(f, c, &c->items[k], md);
        }
    }
}

static void template_input(FILE *f, const hc_input *in, int indent)
{
    fprintf(f, "%*s%s:", indent, "", in->name);
    if (in->type == HC_IN_LIST) {
        fputs("    # ", f);
        if (in->label) {
            one_line(f, in->label);
            fputs(" — ", f);
        }
        fputs(_("a list; each row:\n"), f);
        fprintf(f, "%*s  -\n", indent, "");
        for (size_t i = 0; i < in->nfields; i++) template_input(f, &in->fields[i], indent + 4);
        return;
    }
    fputs("    # ", f);
    if (in->label) {
        one_line(f, in->label);
        fputs(" — ", f);
    }
    switch (in->type) {
    case HC_IN_BOOL: fputs(_("yes or no"), f); break;
    case HC_IN_ENUM:
    case HC_IN_SET:
        fputs(in->type == HC_IN_ENUM ? _("one of: ") : _("a list [a, b] of any of: "), f);
        /* the file may hold the code or the label: both are shown */
        for (size_t i = 0; i < in->nvalues; i++) {
            fprintf(f, "%s%s", i ? ", " : "", in->values[i]);
            if (in->labels && in->labels[i]) fprintf(f, " (%s)", in->labels[i]);
        }
        break;
    case HC_IN_DATE: fputs(_("a date YYYY-MM-DD"), f); break;
    case HC_IN_INTEGER: fputs(_("a whole number"), f); break;
    case HC_IN_NUMBER: fputs(_("a number"), f); break;
    default: fputs(_("text"), f);
    }
    if (in->unit) fprintf(f, _(", in %s"), in->unit);
    if (in->has_min) fprintf(f, _(", at least %g"), in->min);
    if (in->has_max) fprintf(f, _(", at most %g"), in->max);
    if (!in->required) fputs(_(" (optional)"), f);
    fputc('\n', f);
}

void hc_write_template(FILE *f, const hc_checklist *c, const char *date)
{
    fprintf(f, _("# Blank inspection for checklist %s %s: "), c->id, c->version);
    one_line(f, c->title);
    fputs(_("\n# Fill in the answers. An item that does not apply: write `na: reason`.\n"
          "# Empty answers count as unanswered.\n"), f);
    /* the keys are the file's format; only the comments are for people */
    fprintf(f, "inspection:\n"
               "  site: \"\"        # %s\n"
               "  checklist: %s@%s\n"
               "  date: %s\n"
               "  inspector: \"\"\n"
               "  kind: enforcement   # enforcement | self | reinspection\n"
               "answers:\n",
            _("a registered site id, or a mapping: {id: ..., name: ..., ...}"), c->id, c->version, date);
    for (size_t i = 0; i < c->nitems; i++) {
        const hc_item *it = &c->items[i];
        fputs("  # ", f);
        one_line(f, it->title);
        if (it->severity == HC_SEV_MAJOR) fprintf(f, " %s", _("[major hazard]"));
        if (it->applies_text) {
            fputs(_("  (applies to: "), f);
            one_line(f, it->applies_text);
            fputc(')', f);
        }
        fprintf(f, "\n  %s:\n", it->id);
        for (size_t k = 0; k < it->ninputs; k++) template_input(f, &it->inputs[k], 4);
        fputs("    note:\n    evidence: []\n", f);
    }
}

/* ------------------------------------------------------------------ HTML */

static void model_input(hc_doc *m, hc_node *list, const hc_input *in)
{
    hc_node *o = hc_add_map(m, list, NULL);
    hc_add_str(m, o, "name", in->name);
    hc_add_str(m, o, "label", in->label ? in->label : in->name);
    hc_add_str(m, o, "unit", in->unit);
    hc_add_bool(m, o, "required", in->required);
    int choices = in->type == HC_IN_BOOL || in->type == HC_IN_ENUM || in->type == HC_IN_SET;
    hc_add_bool(m, o, "has_choices", choices);
    hc_node *ch = hc_add_seq(m, o, "choices");
    if (in->type == HC_IN_BOOL) {
        hc_add_str(m, ch, NULL, _("yes"));
        hc_add_str(m, ch, NULL, _("no"));
    }
    for (size_t i = 0; choices && i < in->nvalues; i++)
        hc_add_str(m, ch, NULL, hc_input_value_label(in, i));
    char range[96] = "";
    if (in->has_min && in->has_max) snprintf(range, sizeof range, "%g–%g", in->min, in->max);
    else if (in->has_min) snprintf(range, sizeof range, "≥ %g", in->min);
    else if (in->has_max) snprintf(range, sizeof range, "≤ %g", in->max);
    else if (in->type == HC_IN_DATE) snprintf(range, sizeof range, "年　月　日");
    else if (in->type == HC_IN_SET) snprintf(range, sizeof range, "可多选");
    else if (in->type == HC_IN_LIST) snprintf(range, sizeof range, "逐项列出（可附页）");
    hc_add_str(m, o, "range", *range ? range : NULL);
}

static int same_section(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

static void model_item(hc_doc *m, hc_node *items, const hc_item *it)
{
    hc_node *o = hc_add_map(m, items, NULL);
    hc_add_str(m, o, "id", it->id);
    hc_add_str(m, o, "title", it->title);
    hc_add_bool(m, o, "major", it->severity == HC_SEV_MAJOR);
    hc_add_bool(m, o, "draft", it->status == HC_ST_DRAFT);
    hc_buf b = {0};
    for (size_t q = 0; q < it->nbasis; q++) hc_buf_printf(&b, "%s%s", q ? "；" : "", it->basis[q]);
    hc_add_str(m, o, "basis_text", b.len ? b.data : NULL);
    hc_buf_free(&b);
    hc_add_str(m, o, "applies", it->applies_text);
    hc_add_bool(m, o, "has_inputs", it->ninputs > 0);
    hc_node *inputs = hc_add_seq(m, o, "inputs");
    for (size_t q = 0; q < it->ninputs; q++) model_input(m, inputs, &it->inputs[q]);
}

static int show_html(FILE *f, const hc_checklist *c, const hc_item *only, hc_diags *d)
{
    hc_doc *m = hc_doc_new("form");
    hc_node *root = (hc_node *)hc_doc_root(m);
    hc_add_str(m, root, "id", c->id);
    hc_add_str(m, root, "version", c->version);
    hc_add_str(m, root, "title", c->title);
    hc_add_bool(m, root, "draft", c->status == HC_ST_DRAFT);
    hc_add_str(m, root, "applies_text", c->applies_text);
    hc_add_bool(m, root, "has_sources", c->nsources > 0 && only == NULL);
    hc_node *sources = hc_add_seq(m, root, "sources");
    for (size_t i = 0; i < c->nsources; i++) {
        hc_node *o = hc_add_map(m, sources, NULL);
        hc_add_str(m, o, "code", c->sources[i].code);
        hc_add_str(m, o, "title", c->sources[i].title);
    }
    hc_node *sections = hc_add_seq(m, root, "sections");
    for (size_t i = 0; i < c->nitems; i++) {
        const char *sec = c->items[i].section;
        int seen = 0;
        for (size_t k = 0; k < i && !seen; k++) seen = same_section(sec, c->items[k].section);
        if (seen || (only && !same_section(sec, only->section))) continue;
        hc_node *o = hc_add_map(m, sections, NULL);
        hc_add_str(m, o, "name", sec ? sec : _("other"));
        hc_node *items = hc_add_seq(m, o, "items");
        for (size_t k = i; k < c->nitems; k++)
            if (same_section(sec, c->items[k].section) && (only == NULL || &c->items[k] == only))
                model_item(m, items, &c->items[k]);
    }
    int rc = hc_render_page("form.html", m, f, d);
    hc_doc_free(&m);
    return rc;
}

int hc_show(FILE *f, const hc_checklist *c, const hc_item *only, hc_format fmt, hc_diags *d)
{
    switch (fmt) {
    case HC_FMT_TEXT: show_text(f, c, only, 0); return 0;
    case HC_FMT_MD: show_text(f, c, only, 1); return 0;
    case HC_FMT_HTML: return show_html(f, c, only, d);
    default: return hc_format_refused(fmt, "a checklist form", "text, md or html", d);
    }
}
