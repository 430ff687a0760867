/*
** report.h: what the presentation modules share: templates, formats, and
** reading the data trees the store's readers return.
*/
#ifndef HC_REPORT_H
#define HC_REPORT_H

#include <stdio.h>

#include "base/base.h"
#include "hazcheck_report.h"

/* A template's text: $HAZCHECK_TEMPLATES/name if present, else the built-in
   one, else NULL. *owned is set when the caller must free it. */
const char *hc_template_source(const char *name, size_t *len, char **owned);

/* Render a document tree through the named template, appending to out. */
int hc_render_named(const char *name, const hc_node *data, hc_buf *out, hc_diags *d);

/* Render a page model through the named template to out; the stylesheet is
   added to the model as "css". */
int hc_render_page(const char *name, hc_doc *model, FILE *out, hc_diags *d);
/* The reader's language tag as the model's "lang" (hc_render_page adds it). */
void hc_page_lang(hc_doc *model);

/* "what cannot be written as FMT; expected ...": -1. */
int hc_format_refused(hc_format f, const char *what, const char *expected, hc_diags *d);
/* " [void: reason]" after a record a correction voided (its "void" flag). */
void hc_void_mark(FILE *out, const hc_node *record);

/* s padded with spaces to 'width' terminal cells (CJK count two), on the
   left when 'right' (numbers), else on the right: a table's cell. */
void hc_pad(FILE *out, const char *s, size_t width, int right);

/* A scalar's text from a data tree, NULL when absent or null. */
const char *hc_text(const hc_node *map, const char *key);
/* 1 when map[key] is true. */
int hc_flag(const hc_node *map, const char *key);

/* A data tree as JSON and a newline. */
void hc_write_json_tree(FILE *f, const hc_node *n);

#endif
