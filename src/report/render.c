/*
** render.c: templates -> pages. Finds a template (built in, or overridden by
** a file in $HAZCHECK_TEMPLATES so an office can restyle its documents
** without rebuilding) and renders JSON data through it, with the one
** stylesheet (print.css) given to every page as "css".
*/
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "report/report.h"

extern const struct {
    const char *name;
    const char *data;
    size_t len;
} hc_templates[];

/* A template's text: $HAZCHECK_TEMPLATES/name if present, else the built-in one. */
const char *hc_template_source(const char *name, size_t *len, char **owned)
{
    *owned = NULL;
    const char *dir = getenv("HAZCHECK_TEMPLATES");
    if (dir && *dir) {
        char path[4096], err[128];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        if (hc_read_file(path, 4u << 20, owned, len, err, sizeof err) == 0) return *owned;
    }
    for (size_t i = 0; hc_templates[i].name; i++)
        if (strcmp(hc_templates[i].name, name) == 0) {
            *len = hc_templates[i].len;
            return hc_templates[i].data;
        }
    return NULL;
}

int hc_render_named(const char *name, const hc_node *data, hc_buf *out, hc_diags *d)
{
    size_t len;
    char *owned;
    const char *tpl = hc_template_source(name, &len, &owned);
    if (tpl == NULL) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "no template '%s'", name);
        return -1;
    }
    int rc = hc_template_render(tpl, len, name, data, out, d);
    free(owned);
    return rc;
}

/* Render JSON data (an object) through template 'name'; the stylesheet goes
   in beside the data as "css", so one print.css serves every page. */
int hc_render_json(const char *json, const char *name, FILE *out, hc_diags *d)
{
    size_t csslen;
    char *cssowned;
    const char *css = hc_template_source("print.css", &csslen, &cssowned);
    hc_buf text = {0};
    hc_buf_puts(&text, "{\"css\":");
    hc_json_quote(&text, css ? css : "", css ? csslen : 0);
    free(cssowned);
    while (*json == ' ' || *json == '\n') json++;
    if (*json != '{') {
        hc_buf_free(&text);
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "%s: the data is not a JSON object", name);
        return -1;
    }
    if (json[1] != '}') hc_buf_putc(&text, ',');
    hc_buf_puts(&text, json + 1);
    hc_limits lim;
    hc_limits_default(&lim);
    lim.max_scalar = 16u << 20;
    hc_reader *r = hc_reader_open_mem(name, text.data, text.len, &lim, d);
    hc_doc *doc = NULL;
    int rc = -1;
    if (r && hc_reader_next(r, &doc, d) == 1) {
        hc_buf html = {0};
        rc = hc_render_named(name, hc_doc_root(doc), &html, d);
        if (rc == 0) fwrite(html.data, 1, html.len, out);
        hc_buf_free(&html);
    }
    hc_doc_free(&doc);
    hc_reader_close(&r);
    hc_buf_free(&text);
    return rc;
}

