/*
** page_admin.c: the figures page (as `stats --format html`, with its charts
** by month, squad, district and industry, over the sites the user may see)
** and the administrator's page of accounts: add, disable, new password.
*/
#include <stdlib.h>
#include <string.h>

#include "serve/serve.h"

void hc_page_figures(hc_request *rq, const char *rest)
{
    (void)rest;
    const char *squad;
    if (hc_figures_scope(rq, &squad) != 0) {
        hc_page_problem(rq, 403, _("your role may not do this"));
        return;
    }
    hc_stats_query q = {hc_arg(rq, "since"), hc_arg(rq, "until"), hc_arg(rq, "by"), 1, squad};
    hc_diags d = {0};
    hc_doc *data = hc_store_figures(rq->store, &q, &d);
    char *text = NULL;
    size_t len = 0;
    FILE *f = data ? open_memstream(&text, &len) : NULL;
    int rc = f ? hc_render_figures(f, data, HC_FMT_HTML, &d) : -1;
    if (f) fclose(f);
    if (rc != 0) {
        hc_page_problem(rq, data ? 500 : 400, d.n ? d.v[0].msg : _("the figures could not be made"));
    } else {
        hc_respond_document(rq, text, len);
    }
    free(text);
    hc_doc_free(&data);
    hc_diags_clear(&d);
}

static int admin(hc_request *rq)
{
    if (hc_policy(rq->session.role, HC_RES_USER, HC_VERB_MANAGE) == HC_SCOPE_ALL) return 1;
    hc_page_problem(rq, 403, _("your role may not do this"));
    return 0;
}

static void users_page(hc_request *rq, int status, const char *problem, const char *done)
{
    hc_diags d = {0};
    hc_doc *users = hc_store_users(rq->store, &d);
    hc_diags_print(&d, stderr);
    if (users == NULL) {
        hc_page_problem(rq, 500, _("the database failed; see the server's log"));
        return;
    }
    hc_doc *m = hc_page_model(rq, _("Users"));
    hc_node *root = (hc_node *)hc_doc_root(m);
    hc_node *list = hc_tree_add(m, root, "users", hc_tree_copy(m, hc_map_get(hc_doc_root(users), "users")));
    for (size_t i = 0; i < list->len; i++) {
        const char *role = hc_str_field(list->kids[i], "role");
        hc_add_str(m, list->kids[i], "role_label", role ? hc_vocab_text(HC_VOCAB_ROLE, role) : NULL);
    }
    hc_page_vocab(m, root, "roles", HC_VOCAB_ROLE);
    hc_add_str(m, root, "problem", problem);
    hc_add_str(m, root, "flash", done);
    hc_doc_free(&users);
    hc_page_send(rq, status, "users", &m);
}

void hc_page_users(hc_request *rq, const char *rest)
{
    (void)rest;
    if (admin(rq)) users_page(rq, 200, NULL, NULL);
}

/* POST /users: do=add (name, role, squad, sites: ids split by spaces or
   commas, password), do=disable (name), do=passwd (name, password). */
void hc_page_users_change(hc_request *rq, const char *rest)
{
    (void)rest;
    if (!admin(rq)) return;
    const char *what = hc_form(rq, "do"), *name = hc_form(rq, "name"), *pw = hc_form(rq, "password");
    hc_diags d = {0};
    int rc = -1;
    const char *done = NULL;
    hc_store_set_actor(rq->store, rq->session.user);
    if (what && strcmp(what, "add") == 0) {
        char *sites = hc_xstrdup(hc_form(rq, "sites") ? hc_form(rq, "sites") : "");
        const char *ids[64];
        size_t nids = 0;
        for (char *save = NULL, *t = strtok_r(sites, " ,，\t\r\n", &save); t && nids < 64;
             t = strtok_r(NULL, " ,，\t\r\n", &save))
            ids[nids++] = t;
        const char *squad = hc_form(rq, "squad");
        hc_user_spec u = {name, hc_form(rq, "role"), squad && *squad ? squad : NULL, ids, nids};
        rc = hc_store_user_add(rq->store, &u, pw, &d);
        free(sites);
        done = _("the account was added");
    } else if (what && strcmp(what, "disable") == 0) {
        rc = hc_store_user_disable(rq->store, name, &d);
        done = _("the account was disabled");
    } else if (what && strcmp(what, "passwd") == 0) {
        rc = hc_store_user_passwd(rq->store, name, pw, &d);
        done = _("the password was changed");
    } else {
        hc_diags_add(&d, HC_ERROR, NULL, 0, 0, "unknown change of an account");
    }
    hc_store_set_actor(rq->store, "unknown");
    if (rc == 0) users_page(rq, 200, NULL, done);
    else users_page(rq, 400, d.n ? d.v[0].msg : _("the change was refused"), NULL);
    hc_diags_clear(&d);
}
