/*
** config.c: where things are (cli.md "Configuration and language"): the
** optional configuration file, the database's default place, and the
** folders searched for packs. Reading a file here is the command line's job:
** the library is handed paths, never told to look in a home folder.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"          /* HC_SHARE_DIR */

#include "cli/cli.h"

/* $VAR/rest, else $HOME/fallback/rest, in buf; NULL when neither is set. */
static const char *xdg(const char *var, const char *fallback, const char *rest, char *buf, size_t n)
{
    const char *base = getenv(var), *home = getenv("HOME");
    if (base && *base) snprintf(buf, n, "%s/%s", base, rest);
    else if (home && *home) snprintf(buf, n, "%s/%s/%s", home, fallback, rest);
    else return NULL;
    return buf;
}

static const char *const config_keys[] = {"db", "packs", "inspector", "authority", "notice_number",
                                          "plan_weights", NULL};

static const char *text_of(const hc_node *map, const char *key, const char *path, hc_diags *d)
{
    const hc_node *n = hc_map_get(map, key);
    if (n == NULL) return NULL;
    if (n->kind != HC_SCALAR || n->len == 0) {
        hc_diags_add(d, HC_ERROR, path, n->line, n->col, "'%s' is %s; expected text", key,
                     hc_node_kind_name(n));
        return NULL;
    }
    return n->str;
}

int cli_config_load(options *o, hc_diags *d)
{
    char buf[4096];           /* cppcheck-suppress variableScope ; 'path' points into it */
    const char *path = getenv("HAZCHECK_CONFIG");
    int explicit = path && *path;
    if (!explicit) path = xdg("XDG_CONFIG_HOME", ".config", "hazcheck/config.yaml", buf, sizeof buf);
    if (path == NULL || (!explicit && access(path, F_OK) != 0)) return 0;   /* optional */
    hc_doc *doc = hc_doc_load_file(path, &o->limits, d);
    if (doc == NULL) return -1;
    o->config_doc = doc;
    const hc_node *root = hc_doc_root(doc);
    if (root->kind != HC_MAP) {
        if (root->kind == HC_SCALAR && root->len == 0) return 0;           /* an empty file */
        hc_diags_add(d, HC_ERROR, path, root->line, root->col,
                     "the configuration is %s; expected a mapping (db, packs, inspector, "
                     "authority, notice_number)", hc_node_kind_name(root));
        return -1;
    }
    size_t before = d->errors;
    for (size_t i = 0; i < root->len; i++) {
        const hc_node *k = root->kids[2 * i];
        int known = 0;
        for (int j = 0; config_keys[j]; j++) known |= strcmp(k->str, config_keys[j]) == 0;
        if (!known) {
            const char *hint = hc_did_you_mean(k->str, config_keys);
            hc_diags_add(d, HC_WARNING, path, k->line, k->col, "unknown key '%s' ignored%s%s%s",
                         k->str, hint ? _("; did you mean '") : "", hint ? hint : "", hint ? _("'?") : "");
        }
    }
    o->cfg_db = text_of(root, "db", path, d);
    o->cfg_inspector = text_of(root, "inspector", path, d);
    o->cfg_authority = text_of(root, "authority", path, d);
    o->cfg_notice_number = text_of(root, "notice_number", path, d);
    const hc_node *p = hc_map_get(root, "packs");
    if (p && p->kind == HC_SCALAR && p->len) {
        o->cfg_packs = hc_xcalloc(1, sizeof *o->cfg_packs);
        o->cfg_packs[o->ncfg_packs++] = p->str;
    } else if (p && p->kind == HC_SEQ) {
        o->cfg_packs = hc_xcalloc(p->len ? p->len : 1, sizeof *o->cfg_packs);
        for (size_t i = 0; i < p->len; i++) {
            if (p->kids[i]->kind == HC_SCALAR && p->kids[i]->len) o->cfg_packs[o->ncfg_packs++] = p->kids[i]->str;
            else hc_diags_add(d, HC_ERROR, path, p->kids[i]->line, p->kids[i]->col,
                              "a packs folder is %s; expected a path", hc_node_kind_name(p->kids[i]));
        }
    } else if (p) {
        hc_diags_add(d, HC_ERROR, path, p->line, p->col, "'packs' is %s; expected a folder or a list of folders",
                     hc_node_kind_name(p));
    }
    return d->errors > before ? -1 : 0;
}

const char *cli_db_path(const options *o)
{
    static char buf[4096];
    if (o->db) return o->db;
    const char *env = getenv("HAZCHECK_DB");
    if (env && *env) return env;
    if (o->cfg_db) return o->cfg_db;
    const char *p = xdg("XDG_DATA_HOME", ".local/share", "hazcheck/hazcheck.db", buf, sizeof buf);
    return p ? p : "hazcheck.db";
}

/* mkdir -p of the folder that holds 'path'. */
static int make_parent(const char *path)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash == NULL || slash == dir) return 0;
    *slash = '\0';
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    return mkdir(dir, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

int cli_db_ready(const options *o, int writes, hc_diags *d)
{
    const char *path = cli_db_path(o);
    if (hc_store_is_uri(path)) return 0;          /* a server's database: it says itself */
    if (access(path, F_OK) == 0) return 0;
    if (!writes) {
        /* reading never creates a database: an empty one would answer "nothing" */
        hc_diags_add(d, HC_ERROR, NULL, 0, 0,
                     "no database at %s (nothing has been recorded there); choose one with "
                     "--db PATH, $HAZCHECK_DB or 'db:' in the configuration file", path);
        return -1;
    }
    if (make_parent(path) != 0) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "cannot create the folder of %s: %s", path,
                     strerror(errno));
        return -1;
    }
    return 0;
}

size_t cli_pack_dirs(const options *o, const char **dirs, size_t max, char **owned)
{
    /* --packs first, then $HAZCHECK_PACKS, the configuration's, ./checklists, the share folder */
    size_t n = 0;
    for (size_t i = 0; i < o->npacks && n < max; i++) dirs[n++] = o->packs[i];
    const char *env = getenv("HAZCHECK_PACKS");
    *owned = NULL;
    if (env && *env) {
        *owned = hc_xstrdup(env);
        for (char *p = strtok(*owned, ":"); p && n < max; p = strtok(NULL, ":"))
            if (*p) dirs[n++] = p;
    }
    for (size_t i = 0; i < o->ncfg_packs && n < max; i++) dirs[n++] = o->cfg_packs[i];
    if (n < max) dirs[n++] = "checklists";
    if (n < max) dirs[n++] = HC_SHARE_DIR "/checklists";
    return n;
}
