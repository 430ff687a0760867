/*
** template.h: HTML reports from Mustache templates over the document tree.
**
** The subset: {{name}} (HTML-escaped), {{{name}}} and {{& name}} (raw),
** {{#name}}...{{/name}} sections, {{^name}}...{{/name}} inverted sections,
** {{! comments }}, dotted names (a.b.c) and {{.}} for the current item, with
** the Mustache spec's standalone-line rule. Partials, lambdas, delimiter
** changes and template inheritance are refused with an error.
**
** Values: a scalar renders as its text as written (1.50 stays 1.50); null,
** a missing name, a mapping and a sequence render as nothing. Falsy for
** sections: missing, null, false, "" and []; everything else (0, {}, the
** quoted string "false") is truthy.
*/
#ifndef HC_TEMPLATE_H
#define HC_TEMPLATE_H

#include "hazcheck.h"
#include "util.h"

#define HC_TEMPLATE_MAX_DEPTH  32                    /* nesting of sections */
#define HC_TEMPLATE_MAX_OUTPUT ((size_t)64 << 20)    /* bytes one render may add */
#define HC_TEMPLATE_MAX_WORK   ((size_t)1 << 30)     /* tags, iterations, keys compared */

/*
** Render template 'tpl' ('len' bytes, need not be NUL-terminated) over
** 'data' (may be NULL), appending to 'out'. 'name' names the template in
** diagnostics ("name:line:col: message", columns in characters).
**
** Returns 0, or -1 with one diagnostic: a malformed template (found before
** anything is rendered) or a broken limit. On -1, 'out' is left as it was.
*/
int hc_template_render(const char *tpl, size_t len, const char *name, const hc_node *data,
                       hc_buf *out, hc_diags *d);

/* The same with explicit bounds on the bytes added and the work done. */
int hc_template_render_limits(const char *tpl, size_t len, const char *name,
                              const hc_node *data, size_t max_output, size_t max_work,
                              hc_buf *out, hc_diags *d);

#endif
