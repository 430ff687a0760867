/*
** web.c: the pages of `serve`, rendered like every other document: a page's
** own template (templates/web-NAME.html) over the model the server built,
** set inside the one layout (web-layout.html: the head, the navigation, the
** signed-in user), with the one style sheet (web.css) served as a file so
** that the Content Security Policy forbids every inline style and script.
** Words are {{_ English}} and read in the server's language.
*/
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "report/report.h"

int hc_render_web(FILE *out, const char *name, hc_doc *model, hc_diags *d)
{
    char tpl[96];
    snprintf(tpl, sizeof tpl, "web-%s.html", name);
    hc_buf body = {0};
    int rc = hc_render_named(tpl, hc_doc_root(model), &body, d);
    if (rc == 0) {
        hc_add_strn(model, (hc_node *)hc_doc_root(model), "body", body.data ? body.data : "", body.len);
        hc_page_lang(model);
        hc_buf page = {0};
        rc = hc_render_named("web-layout.html", hc_doc_root(model), &page, d);
        if (rc == 0) fwrite(page.data, 1, page.len, out);
        hc_buf_free(&page);
    }
    hc_buf_free(&body);
    return rc;
}

const char *hc_web_asset(const char *name, size_t *len, const char **type, char **owned)
{
    static const struct { const char *name, *type; } assets[] = {
        {"web.css", "text/css; charset=utf-8"},
        {"web.js", "text/javascript; charset=utf-8"},
    };
    for (size_t i = 0; i < sizeof assets / sizeof assets[0]; i++)
        if (strcmp(name, assets[i].name) == 0) {
            *type = assets[i].type;
            return hc_template_source(name, len, owned);
        }
    *owned = NULL;
    return NULL;
}
