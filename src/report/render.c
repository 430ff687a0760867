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

/* The page's language for <html lang>, beside the data as "lang": the words
   are in the reader's language, and a browser or screen reader is told which. */
void hc_page_lang(hc_doc *model)
{
    hc_add_str(model, (hc_node *)hc_doc_root(model), "lang", hc_language_zh() ? "zh-CN" : "en");
}

/* Render a page model through template 'name'; the stylesheet goes in beside
   the data as "css", so one print.css serves every page. */
int hc_render_page(const char *name, hc_doc *model, FILE *out, hc_diags *d)
{
    hc_page_lang(model);
    size_t csslen;
    char *cssowned;
    const char *css = hc_template_source("print.css", &csslen, &cssowned);
    hc_add_strn(model, (hc_node *)hc_doc_root(model), "css", css ? css : "", css ? csslen : 0);
    free(cssowned);
    hc_buf page = {0};
    int rc = hc_render_named(name, hc_doc_root(model), &page, d);
    if (rc == 0) fwrite(page.data, 1, page.len, out);
    hc_buf_free(&page);
    return rc;
}

/* ---------------------------------------------------------------- formats */

static const char *const format_names[HC_NFORMATS] = {"text", "json", "jsonl", "csv", "html", "md"};

int hc_format_parse(const char *name)
{
    for (int i = 0; name && i < HC_NFORMATS; i++)
        if (strcmp(name, format_names[i]) == 0) return i;
    return -1;
}

const char *hc_format_name(hc_format f)
{
    return (unsigned)f < HC_NFORMATS ? format_names[f] : "?";
}

int hc_format_refused(hc_format f, const char *what, const char *expected, hc_diags *d)
{
    hc_diags_add(d, HC_ERROR, NULL, 0, 0, "%s cannot be written as %s; expected %s", what,
                 hc_format_name(f), expected);
    return -1;
}

void hc_pad(FILE *out, const char *s, size_t width, int right)
{
    size_t w = hc_display_width(s);
    if (right)
        for (size_t i = w; i < width; i++) fputc(' ', out);
    fputs(s, out);
    if (!right)
        for (size_t i = w; i < width; i++) fputc(' ', out);
}

const char *hc_text(const hc_node *map, const char *key)
{
    const hc_node *n = hc_map_get(map, key);
    if (n == NULL || n->kind != HC_SCALAR) return NULL;
    if (!n->quoted && hc_scalar_resolve(n, NULL, NULL, NULL) == HC_SC_NULL) return NULL;
    return n->str;
}

int hc_flag(const hc_node *map, const char *key)
{
    int b = 0;
    const hc_node *n = hc_map_get(map, key);
    return n && n->kind == HC_SCALAR && hc_scalar_resolve(n, &b, NULL, NULL) == HC_SC_BOOL && b;
}

void hc_write_json_tree(FILE *f, const hc_node *n)
{
    if (n == NULL || n->kind == HC_SCALAR) {
        if (n) hc_write_json_node(f, n);
        else fputs("null", f);
    } else {
        hc_json j;                  /* indented: people read these too */
        hc_json_init(&j, f, 1);
        hc_json_node(&j, n);
    }
    fputc('\n', f);
}

void hc_void_mark(FILE *out, const hc_node *record)
{
    if (!hc_flag(record, "void")) return;
    const char *why = hc_text(record, "void_reason");
    fprintf(out, _(" [void: %s]"), why ? why : "");
}
