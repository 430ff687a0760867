/*
** site.c: site profiles: the one rule for finding a profile in a document,
** and the register of profiles a run knows (files given with --site, then
** the store's register through a lookup function).
**
** A profile is the mapping under 'site:', or the document's root itself
** when that is a mapping with an 'id'. It must have a non-empty 'id'; a
** missing 'name' is only a warning (formats.md section 2 asks for both, and
** older files lack names). Rules see the whole mapping as `site`.
*/
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"

int hc_site_check(const hc_node *p, const char *path, hc_diags *d)
{
    if (p == NULL || p->kind != HC_MAP) {
        hc_diags_add(d, HC_ERROR, path, p ? p->line : 1, p ? p->col : 1,
                     "expected a site profile: a mapping (under 'site:') with id and name");
        return -1;
    }
    const hc_node *id = hc_map_get(p, "id");
    if (id == NULL || id->kind != HC_SCALAR || id->len == 0) {
        hc_diags_add(d, HC_ERROR, path, p->line, p->col,
                     "site profile has no 'id'; expected a unique site id");
        return -1;
    }
    const hc_node *name = hc_map_get(p, "name");
    if (name == NULL || name->kind != HC_SCALAR || name->len == 0)
        hc_diags_add(d, HC_WARNING, path, p->line, p->col, "site profile has no 'name'");
    return 0;
}

const hc_node *hc_site_profile(const hc_node *root, const char *path, hc_diags *d)
{
    const hc_node *p = hc_map_get(root, "site");
    if (p == NULL && root->kind == HC_MAP && hc_map_get(root, "id")) p = root;
    if (p == NULL) {
        hc_diags_add(d, HC_ERROR, path, root->line, root->col,
                     "expected a site profile: a mapping under 'site:' with id and name");
        return NULL;
    }
    return hc_site_check(p, path, d) == 0 ? p : NULL;
}

/* ------------------------------------------------------------ register */

typedef struct entry {
    const char *id;
    const hc_node *profile;
} entry;

struct hc_site_register {
    hc_doc **docs;               /* owned: every profile points into one of these */
    size_t ndocs, docs_cap;
    entry *v;
    size_t n, cap;
    hc_site_lookup lookup;
    void *lookup_ud;
};

hc_site_register *hc_site_register_new(void) { return hc_xcalloc(1, sizeof(hc_site_register)); }

void hc_site_register_free(hc_site_register **rp)
{
    if (rp == NULL || *rp == NULL) return;
    hc_site_register *r = *rp;
    for (size_t i = 0; i < r->ndocs; i++) hc_doc_free(&r->docs[i]);
    free(r->docs);
    free(r->v);
    free(r);
    *rp = NULL;
}

void hc_site_register_lookup(hc_site_register *r, hc_site_lookup fn, void *ud)
{
    r->lookup = fn;
    r->lookup_ud = ud;
}

static void add(hc_site_register *r, hc_doc *doc, const hc_node *profile)
{
    HC_GROW(r->docs, r->docs_cap, r->ndocs + 1);
    r->docs[r->ndocs++] = doc;
    HC_GROW(r->v, r->cap, r->n + 1);
    r->v[r->n].id = hc_map_get(profile, "id")->str;
    r->v[r->n].profile = profile;
    r->n++;
}

int hc_site_register_find(hc_site_register *r, const char *id, const hc_node **out, hc_diags *d)
{
    *out = NULL;
    for (size_t i = r->n; i-- > 0;)      /* the last one given wins */
        if (strcmp(r->v[i].id, id) == 0) {
            *out = r->v[i].profile;
            return 1;
        }
    if (r->lookup == NULL) return 0;
    hc_doc *doc = NULL;
    int got = r->lookup(r->lookup_ud, id, &doc, d);
    if (got <= 0) return got;
    const hc_node *root = hc_doc_root(doc);
    if (hc_site_check(root, hc_doc_path(doc), d) != 0) {
        hc_doc_free(&doc);
        return -1;
    }
    add(r, doc, root);
    *out = root;
    return 1;
}

int hc_site_register_add_file(hc_site_register *r, const char *path, const hc_limits *lim,
                              hc_diags *d)
{
    hc_reader *rd = hc_reader_open(path, lim, d);
    if (rd == NULL) return -1;
    hc_doc *doc;
    int rc, count = 0, bad = 0;
    while ((rc = hc_reader_next(rd, &doc, d)) == 1) {
        const hc_node *p = hc_site_profile(hc_doc_root(doc), path, d);
        if (p == NULL) {
            bad = 1;
            hc_doc_free(&doc);
            continue;
        }
        add(r, doc, p);
        count++;
    }
    hc_reader_close(&rd);
    if (rc < 0) return -1;
    if (count == 0 && !bad) {
        hc_diags_add(d, HC_ERROR, path, 1, 1, "no site profile in the file");
        return -1;
    }
    return bad ? -1 : 0;
}
