/*
** engine.c: the long-lived context of a run: configuration, the one Lua
** sandbox, the packs loaded so far (each compiled once, however many
** inspections use it) and the site profiles given with --site.
*/
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "engine/engine.h"
#include "base/base.h"

struct hc_engine {
    char **pack_dirs;
    size_t npack_dirs;
    hc_limits limits;
    hc_sandbox *sb;
    hc_checklist **packs;
    size_t npacks, packs_cap;
    hc_site_register *sites;     /* --site files, then the lookup (site.c) */
};

void hc_engine_set_site_lookup(hc_engine *e, hc_site_lookup fn, void *ud)
{
    hc_site_register_lookup(e->sites, fn, ud);
}

int hc_engine_add_sites(hc_engine *e, const char *path, hc_diags *d)
{
    return hc_site_register_add_file(e->sites, path, &e->limits, d);
}

int hc_engine_site(hc_engine *e, const char *id, const hc_node **out, hc_diags *d)
{
    return hc_site_register_find(e->sites, id, out, d);
}

hc_sandbox *hc_engine_sandbox(hc_engine *e) { return e->sb; }

hc_checklist *const *hc_engine_loaded(const hc_engine *e, size_t *n)
{
    *n = e->npacks;
    return e->packs;
}
const hc_limits *hc_engine_limits(const hc_engine *e) { return &e->limits; }

hc_engine *hc_engine_new(const hc_engine_config *cfg, hc_diags *d)
{
    hc_engine *e = hc_xcalloc(1, sizeof *e);
    e->limits = cfg->limits;
    e->sites = hc_site_register_new();
    e->pack_dirs = hc_xcalloc(cfg->npack_dirs + 1, sizeof(char *));
    for (size_t i = 0; i < cfg->npack_dirs; i++) e->pack_dirs[i] = hc_xstrdup(cfg->pack_dirs[i]);
    e->npack_dirs = cfg->npack_dirs;
    e->sb = hc_sandbox_new(&e->limits, cfg->rule_dirs, cfg->nrule_dirs);
    if (e->sb == NULL) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "cannot start the Lua sandbox (memory budget %zu bytes)",
                     e->limits.lua_memory);
        hc_engine_free(&e);
        return NULL;
    }
    return e;
}

void hc_engine_free(hc_engine **ep)
{
    if (ep == NULL || *ep == NULL) return;
    hc_engine *e = *ep;
    for (size_t i = 0; i < e->npacks; i++) {
        hc_pack_json_free(&e->packs[i]->json);
        hc_checklist_free(&e->packs[i], e->sb);
    }
    free(e->packs);
    hc_site_register_free(&e->sites);
    for (size_t i = 0; i < e->npack_dirs; i++) free(e->pack_dirs[i]);
    free(e->pack_dirs);
    hc_sandbox_free(&e->sb);
    free(e);
    *ep = NULL;
}

static int file_exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static int looks_like_path(const char *ref)
{
    size_t n = strlen(ref);
    if (strchr(ref, '/')) return 1;
    static const char *const ext[] = {".yaml", ".yml", ".json"};
    for (int i = 0; i < 3; i++) {
        size_t k = strlen(ext[i]);
        if (n > k && strcmp(ref + n - k, ext[i]) == 0) return 1;
    }
    return 0;
}

hc_checklist *hc_engine_load_path(hc_engine *e, const char *path, int lint, hc_diags *d)
{
    for (size_t i = 0; i < e->npacks; i++)
        if (strcmp(e->packs[i]->path, path) == 0) return e->packs[i];
    hc_checklist *c = hc_checklist_load(e->sb, path, &e->limits, lint, d);
    if (c == NULL) return NULL;
    /* made here, once per pack, for every result the engine's thread will write */
    c->json = hc_pack_json_new(c);
    HC_GROW(e->packs, e->packs_cap, e->npacks + 1);
    e->packs[e->npacks++] = c;
    return c;
}

/* The id in a pack file, read cheaply (no validation, no compilation). */
static char *peek_id(const char *path, const hc_limits *lim)
{
    hc_diags d = {0};
    hc_doc *doc = hc_doc_load_file(path, lim, &d);
    hc_diags_clear(&d);
    if (doc == NULL) return NULL;
    const hc_node *id = hc_map_get(hc_doc_root(doc), "id");
    char *s = id && id->kind == HC_SCALAR ? hc_xstrdup(id->str) : NULL;
    hc_doc_free(&doc);
    return s;
}

static int version_ok(const hc_checklist *c, const char *pin)
{
    return pin == NULL || (c->version && strcmp(c->version, pin) == 0);
}

hc_checklist *hc_engine_checklist(hc_engine *e, const char *ref, hc_diags *d)
{
    if (looks_like_path(ref) && file_exists(ref)) return hc_engine_load_path(e, ref, 0, d);
    char *id = hc_xstrdup(ref);
    char *pin = strchr(id, '@');
    if (pin) *pin++ = '\0';
    hc_checklist *found = NULL;
    const char *other_version = NULL;
    for (size_t i = 0; i < e->npacks && !found; i++) {
        hc_checklist *c = e->packs[i];
        if (c->id && strcmp(c->id, id) == 0) {
            if (version_ok(c, pin)) found = c;
            else other_version = c->version;
        }
    }
    static const char *const ext[] = {"yaml", "yml", "json"};
    for (size_t i = 0; i < e->npack_dirs && !found; i++) {
        char path[4096];
        for (int k = 0; k < 3 && !found; k++) {
            snprintf(path, sizeof path, "%s/%s.%s", e->pack_dirs[i], id, ext[k]);
            if (!file_exists(path)) continue;
            hc_checklist *c = hc_engine_load_path(e, path, 0, d);
            if (c == NULL) goto out;            /* its errors are reported */
            if (c->id && strcmp(c->id, id) == 0 && version_ok(c, pin)) found = c;
            else if (c->id && strcmp(c->id, id) == 0) other_version = c->version;
        }
        if (found) break;
        /* a pack whose file is not named after its id */
        DIR *dir = opendir(e->pack_dirs[i]);
        if (dir == NULL) continue;
        struct dirent *de;
        while (!found && (de = readdir(dir)) != NULL) {
            size_t n = strlen(de->d_name);
            if (n < 6 || strcmp(de->d_name + n - 5, ".yaml") != 0) continue;
            snprintf(path, sizeof path, "%s/%s", e->pack_dirs[i], de->d_name);
            char *pid = peek_id(path, &e->limits);
            if (pid && strcmp(pid, id) == 0) {
                hc_checklist *c = hc_engine_load_path(e, path, 0, d);
                if (c && version_ok(c, pin)) found = c;
                else if (c) other_version = c->version;
            }
            free(pid);
        }
        closedir(dir);
    }
    if (!found) {
        if (other_version)
            hc_diags_add(d, HC_ERROR, NULL, 0, 0,
                         "checklist '%s' is version %s here, not the pinned %s", id,
                         other_version, pin);
        else
            hc_diags_add(d, HC_ERROR, NULL, 0, 0,
                         "unknown checklist '%s'; expected a pack id found in the pack "
                         "folders (see 'hazcheck packs') or a file path",
                         id);
    }
out:
    free(id);
    return found;
}

static int cmp_pack(const void *a, const void *b)
{
    const hc_checklist *x = *(hc_checklist *const *)a, *y = *(hc_checklist *const *)b;
    return strcmp(x->id, y->id);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* What a YAML file in a packs folder plainly is when it is not a checklist: an
   inspection or a site document (NULL: a checklist, or broken, which loading says). */
static const char *not_a_checklist(const char *path, const hc_limits *lim)
{
    hc_diags d = {0};
    hc_doc *doc = hc_doc_load_file(path, lim, &d);
    hc_diags_clear(&d);
    if (doc == NULL) return NULL;
    const hc_node *root = hc_doc_root(doc);
    const char *what = NULL;
    if (root->kind == HC_MAP && hc_map_get(root, "hazcheck") == NULL &&
        hc_map_get(root, "items") == NULL) {
        if (hc_map_get(root, "inspection")) what = "an inspection";
        else if (hc_map_get(root, "site")) what = "a site profile";
    }
    hc_doc_free(&doc);
    return what;
}

int hc_engine_list_packs(hc_engine *e, hc_checklist ***out, size_t *n, hc_diags *d)
{
    hc_checklist **v = NULL;
    size_t nv = 0, cap = 0;
    int rc = 0;
    for (size_t i = 0; i < e->npack_dirs; i++) {
        DIR *dir = opendir(e->pack_dirs[i]);
        if (dir == NULL) continue;
        char **names = NULL;
        size_t nn = 0, ncap = 0;
        struct dirent *de;
        while ((de = readdir(dir)) != NULL) {
            size_t len = strlen(de->d_name);
            int ok = (len > 5 && strcmp(de->d_name + len - 5, ".yaml") == 0) ||
                     (len > 4 && strcmp(de->d_name + len - 4, ".yml") == 0);
            if (!ok) continue;
            HC_GROW(names, ncap, nn + 1);
            names[nn++] = hc_xstrdup(de->d_name);
        }
        closedir(dir);
        if (nn) qsort(names, nn, sizeof *names, cmp_str);
        for (size_t k = 0; k < nn; k++) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", e->pack_dirs[i], names[k]);
            free(names[k]);
            const char *other = not_a_checklist(path, &e->limits);
            if (other) {
                hc_diags_add(d, HC_WARNING, path, 1, 1, "%s, not a checklist; skipped", other);
                continue;
            }
            hc_checklist *c = hc_engine_load_path(e, path, 0, d);
            if (c == NULL) {
                rc = -1;
                continue;
            }
            size_t dup = nv;           /* an earlier folder (or file) wins */
            for (size_t j = 0; j < nv && dup == nv; j++)
                if (strcmp(v[j]->id, c->id) == 0) dup = j;
            if (dup < nv) {
                hc_diags_add(d, HC_WARNING, c->path, 1, 1,
                             "pack id '%s' is also the id of %s, which comes first; this file is not used",
                             c->id, v[dup]->path);
                continue;
            }
            HC_GROW(v, cap, nv + 1);
            v[nv++] = c;
        }
        free(names);
    }
    if (nv) qsort(v, nv, sizeof *v, cmp_pack);
    *out = v;
    *n = nv;
    return rc;
}
