/*
** cmd_site.c: the site register and enforcement: site add|list|show, enforce.
*/
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* ----------------------------------------------------------------- site */

int cmd_site(const options *o)
{
    const char *sub = o->nargs ? o->args[0] : NULL;
    if (sub == NULL || (strcmp(sub, "add") != 0 && strcmp(sub, "list") != 0 && strcmp(sub, "show") != 0)) {
        fprintf(stderr, _("hazcheck site: expected add FILE..., list, or show ID\n"));
        return HC_EXIT_FAIL;
    }
    hc_diags d = {0};
    hc_store *s = cli_open_store(o, strcmp(sub, "add") == 0, &d);
    if (s == NULL) return cli_fail(&d);
    int rc = HC_EXIT_OK;
    if (strcmp(sub, "show") == 0 && o->nargs != 2) {
        fprintf(stderr, _("hazcheck site show: expected one site ID\n"));
        rc = HC_EXIT_FAIL;
    } else if (strcmp(sub, "list") == 0 || strcmp(sub, "show") == 0) {
        FILE *out = cli_open_output(o);
        int list = strcmp(sub, "list") == 0;
        hc_doc *data = out ? list ? hc_store_sites(s, &d) : hc_store_site(s, o->args[1], 0, &d) : NULL;
        hc_format fmt = cli_format(o, HC_FMT_TEXT);
        int ok = data != NULL &&
                 (list ? hc_render_sites(out, data, fmt, &d) : hc_render_site(out, data, fmt, &d)) == 0;
        hc_doc_free(&data);
        if (out && cli_close_output(out, o) != 0) ok = 0;
        rc = ok ? HC_EXIT_OK : HC_EXIT_FAIL;
    } else {
        if (o->nargs < 2) {
            fprintf(stderr, _("hazcheck site add: expected one or more site profile files\n"));
            rc = HC_EXIT_FAIL;
        }
        for (size_t i = 1; i < o->nargs; i++) {
            hc_reader *r = hc_reader_open(o->args[i], &o->limits, &d);
            if (r == NULL) {
                rc = HC_EXIT_FAIL;
                continue;
            }
            hc_doc *doc;
            int n;
            while ((n = hc_reader_next(r, &doc, &d)) == 1) {
                const hc_node *p = hc_site_profile(hc_doc_root(doc), o->args[i], &d);
                if (p == NULL) {
                    rc = HC_EXIT_FAIL;
                } else {
                    int put = hc_store_site_put(s, p, &d);
                    if (put < 0) rc = HC_EXIT_FAIL;
                    else printf(put == 1   ? _("%s: added\n")
                                : put == 2 ? _("%s: updated (change logged)\n")
                                           : _("%s: unchanged\n"),
                                hc_map_get(p, "id")->str);
                }
                hc_doc_free(&doc);
            }
            if (n < 0) rc = HC_EXIT_FAIL;
            hc_reader_close(&r);
        }
    }
    hc_diags_print(&d, stderr);
    hc_store_close(&s);
    return rc;
}

/* enforce void SITE#N: the measure numbered N in the site's list (the last
   '#', since a site id may hold one) */
static int enforce_void(const options *o)
{
    const char *ref = o->args[1], *hash = strrchr(ref, '#');
    char *end = NULL;
    long n = hash ? strtol(hash + 1, &end, 10) : 0;
    if (hash == NULL || hash == ref || end == hash + 1 || *end || n < 1) {
        fprintf(stderr, _("hazcheck enforce void: expected SITE#N, the site and the measure's number "
                          "in `site show SITE`, got '%s'\n"), ref);
        return HC_EXIT_FAIL;
    }
    char *site = hc_xstrndup(ref, (size_t)(hash - ref));
    hc_diags d = {0};
    hc_store *s = cli_open_store(o, 1, &d);
    int rc = s ? hc_store_enforce_void(s, site, n, o->reason, &d) : -1;
    if (rc == 0) printf(_("site %s: measure %ld void\n"), site, n);
    hc_diags_print(&d, stderr);
    free(site);
    hc_store_close(&s);
    return rc == 0 ? HC_EXIT_OK : HC_EXIT_FAIL;
}

int cmd_enforce(const options *o)
{
    if (o->nargs == 2 && strcmp(o->args[0], "void") == 0) return enforce_void(o);
    if (o->nargs != 2) {
        fprintf(stderr, _("hazcheck enforce: expected SITE interview|list|delist|penalty|suspend|resume|close-down\n"));
        return HC_EXIT_FAIL;
    }
    hc_diags d = {0};
    hc_store *s = cli_open_store(o, 1, &d);
    if (s == NULL) return cli_fail(&d);
    int rc = hc_store_enforce(s, o->args[0], o->args[1], o->date, o->amount, o->basis, o->note, &d);
    if (rc == 0) printf(_("site %s: %s recorded\n"), o->args[0], o->args[1]);
    hc_diags_print(&d, stderr);
    hc_store_close(&s);
    return rc == 0 ? HC_EXIT_OK : HC_EXIT_FAIL;
}

