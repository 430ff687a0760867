/*
** render.h: templates -> pages (HTML, text), shared by report and stats.
*/
#ifndef HC_RENDER_H
#define HC_RENDER_H

#include <stdio.h>

#include "hazcheck.h"
#include "base/base.h"

/* A template's text: $HAZCHECK_TEMPLATES/name if present, else the built-in
   one, else NULL. *owned is set when the caller must free it. */
const char *hc_template_source(const char *name, size_t *len, char **owned);

/* Render a document tree through the named template, appending to out. */
int hc_render_named(const char *name, const hc_node *data, hc_buf *out, hc_diags *d);

/* Render JSON data (an object) through the named template to out; the
   stylesheet is added to the data as "css". */
int hc_render_json(const char *json, const char *name, FILE *out, hc_diags *d);

#endif
