/*
** pages.c: what every page of `serve` shares (the model with the signed-in
** user and the navigation the policy allows, rendering, redirects, the page
** for a refusal), and the pages of signing in and out, the home page of
** each role, and the style sheet.
**
** Pages are HTML forms over the same library calls as the API: a page
** request without a session is sent to the sign-in page (303), a form that
** changes something carries the session's CSRF token in the field "csrf",
** and a record the user may not see is the same 404 page as a missing one.
*/
#include <stdlib.h>
#include <string.h>

#include "serve/serve.h"

static int can(const hc_request *rq, hc_resource res, hc_verb verb)
{
    return hc_policy(rq->session.role, res, verb) != HC_SCOPE_NONE;
}

hc_doc *hc_page_model(hc_request *rq, const char *title)
{
    hc_doc *m = hc_doc_new("page");
    hc_node *root = (hc_node *)hc_doc_root(m);
    hc_add_str(m, root, "title", title);
    if (rq->session.user) {
        size_t n;
        const hc_word *roles = hc_vocab_words(HC_VOCAB_ROLE, &n);
        hc_add_str(m, root, "user", rq->session.user);
        hc_add_str(m, root, "role_label",
                   (size_t)rq->session.role < n ? hc_vocab_text(HC_VOCAB_ROLE, roles[rq->session.role].code) : "");
        hc_add_str(m, root, "csrf", rq->session.csrf);
        hc_add_bool(m, root, "may_inspect", can(rq, HC_RES_INSPECTION, HC_VERB_CREATE));
        hc_add_bool(m, root, "may_self", !can(rq, HC_RES_INSPECTION, HC_VERB_CREATE) &&
                                             can(rq, HC_RES_SELF_ASSESSMENT, HC_VERB_CREATE));
        const char *squad;
        hc_add_bool(m, root, "may_figures", hc_figures_scope(rq, &squad) == 0);   /* the rule /figures applies */
        hc_add_bool(m, root, "is_admin", can(rq, HC_RES_USER, HC_VERB_MANAGE));
        hc_add_bool(m, root, "is_staff", can(rq, HC_RES_ACTION, HC_VERB_VERIFY));
        hc_add_bool(m, root, "is_enterprise", rq->session.role == HC_ROLE_ENTERPRISE);
    }
    return m;
}

void hc_page_send(hc_request *rq, int status, const char *name, hc_doc **model)
{
    hc_diags d = {0};
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    int rc = f ? hc_render_web(f, name, *model, &d) : -1;
    if (f) fclose(f);
    hc_buf_reset(&rq->out);
    if (rc == 0) hc_buf_put(&rq->out, text, len);
    free(text);
    if (rc != 0) {
        hc_diags_print(&d, stderr);
        hc_buf_reset(&rq->out);
        hc_buf_puts(&rq->out, "<!DOCTYPE html><title>500</title><p>");
        hc_buf_puts(&rq->out, _("the page could not be made; see the server's log"));
        status = 500;
    }
    rq->status = status;
    rq->content_type = "text/html; charset=utf-8";
    hc_doc_free(model);
}

void hc_page_problem(hc_request *rq, int status, const char *message)
{
    hc_doc *m = hc_page_model(rq, _("Not done"));
    hc_add_str(m, (hc_node *)hc_doc_root(m), "problem", message);
    hc_page_send(rq, status, "problem", &m);
}

void hc_redirect(hc_request *rq, const char *to)
{
    rq->status = 303;
    rq->content_type = "text/plain; charset=utf-8";
    snprintf(rq->location, sizeof rq->location, "%s", to);
    hc_buf_reset(&rq->out);
}

void hc_redirect_sign_in(hc_request *rq)
{
    /* back to where the user was going, if that was a page to look at */
    char to[400] = "/login";
    if (rq->method && strcmp(rq->method, "GET") == 0 && rq->path && rq->path[0] == '/' && rq->path[1] != '/' &&
        strlen(rq->path) < 300 && strcmp(rq->path, "/") != 0 && strspn(rq->path, "/abcdefghijklmnopqrstuvwxyz"
                                                                             "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") ==
                                                                      strlen(rq->path))
        snprintf(to, sizeof to, "/login?next=%s", rq->path);
    hc_redirect(rq, to);
}

const char *hc_arg(const hc_request *rq, const char *name)
{
    const char *v = rq->args ? hc_fields_get(rq->args, name) : NULL;
    return v && *v ? v : NULL;
}

const char *hc_form(const hc_request *rq, const char *name)
{
    return rq->form ? hc_fields_get(rq->form, name) : NULL;
}

void hc_page_vocab(hc_doc *m, hc_node *parent, const char *key, hc_vocab v)
{
    size_t n;
    const hc_word *w = hc_vocab_words(v, &n);
    hc_node *seq = hc_add_seq(m, parent, key);
    for (size_t i = 0; i < n; i++) {
        hc_node *o = hc_add_map(m, seq, NULL);
        hc_add_str(m, o, "code", w[i].code);
        hc_add_str(m, o, "label", hc_vocab_text(v, w[i].code));
    }
}

/* ------------------------------------------------------------- sign-in */

/* Where to go after signing in: a local path only (never another site). */
static const char *next_page(const char *next)
{
    if (next == NULL || next[0] != '/' || next[1] == '/' || next[1] == '\\') return "/";
    for (const char *p = next; *p; p++)
        if (!(*p == '/' || *p == '-' || *p == '_' || *p == '.' || (*p >= '0' && *p <= '9') ||
              (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
            return "/";
    return next;
}

static void sign_in_page(hc_request *rq, int status, const char *problem, const char *name)
{
    hc_doc *m = hc_page_model(rq, _("Sign in"));
    hc_node *root = (hc_node *)hc_doc_root(m);
    hc_add_str(m, root, "problem", problem);
    hc_add_str(m, root, "name", name);
    hc_add_str(m, root, "next", next_page(hc_arg(rq, "next")));
    hc_page_send(rq, status, "login", &m);
}

void hc_page_login(hc_request *rq, const char *rest)
{
    (void)rest;
    if (strcmp(rq->method, "GET") == 0) {
        sign_in_page(rq, 200, NULL, NULL);
        return;
    }
    const char *name = hc_form(rq, "user"), *pw = hc_form(rq, "password");
    hc_diags d = {0};
    hc_session_free(&rq->session);
    int rc = hc_store_sign_in(rq->store, name, pw, rq->address, &rq->session, &d);
    hc_diags_print(&d, stderr);
    if (rc == HC_SIGN_IN_OK) {
        hc_set_session_cookie(rq, rq->session.token, 12 * 3600);
        hc_redirect(rq, next_page(hc_form(rq, "next")));
        return;
    }
    hc_session_free(&rq->session);
    sign_in_page(rq, rc == HC_SIGN_IN_THROTTLED ? 429 : rc == HC_SIGN_IN_REFUSED ? 401 : 500,
                 rc == HC_SIGN_IN_THROTTLED ? _("too many failed sign-ins; try again in a quarter of an hour")
                 : rc == HC_SIGN_IN_REFUSED ? _("wrong user name or password")
                                            : _("the database failed; see the server's log"),
                 name);
}

void hc_page_logout(hc_request *rq, const char *rest)
{
    (void)rest;
    hc_diags d = {0};
    char token[65];
    if (rq->cookie && hc_cookie_find(rq->cookie, HC_SESSION_COOKIE, token, sizeof token) == 1)
        hc_store_sign_out(rq->store, token, &d);
    hc_diags_print(&d, stderr);
    hc_set_session_cookie(rq, "", 0);
    hc_session_free(&rq->session);
    hc_redirect(rq, "/login");
}

/* ---------------------------------------------------------------- home */

#define HOME_ROWS 10              /* actions per list on the home page */

/* The actions the user sees, split for the home page: overdue, due within a
   week, the rest open; the first few of each (by deadline) and how many in
   all, each asked of the database (the rest are a link away). */
static void add_actions(hc_request *rq, hc_doc *m)
{
    hc_node *root = (hc_node *)hc_doc_root(m);
    const char *today = hc_store_today(rq->store);
    long day = 0;
    char week[11] = "", tomorrow_week[11] = "";
    if (hc_date_parse(today, strlen(today), &day) == 0) {
        hc_date_format(day + 7, week);
        hc_date_format(day + 8, tomorrow_week);
    }
    hc_action_filter groups[3] = {
        {.status = "overdue", .no_events = 1, .limit = HOME_ROWS},
        {.open_only = 1, .due_from = today, .due_until = week, .no_events = 1, .limit = HOME_ROWS},
        {.open_only = 1, .due_from = tomorrow_week, .no_events = 1, .limit = HOME_ROWS},
    };
    static const char *const keys[3][4] = {{"overdue", "has_overdue", "more_overdue", "n_overdue"},
                                           {"this_week", "has_this_week", "more_this_week", "n_this_week"},
                                           {"open", "has_open", "more_open", "n_open"}};
    for (int g = 0; g < 3; g++) {
        hc_diags d = {0};
        const hc_node *list = NULL;
        long long n = hc_visible_action_count(rq, &groups[g], &d);
        hc_doc *acts = n > 0 ? hc_visible_actions(rq, &groups[g], &list, &d) : NULL;
        hc_diags_print(&d, stderr);
        hc_node *into = hc_add_seq(m, root, keys[g][0]);
        for (size_t i = 0; list && i < list->len; i++) {
            const hc_node *a = list->kids[i];
            hc_node *row = hc_tree_add(m, into, NULL, hc_tree_copy(m, a));
            const char *status = hc_scalar_text(a, "status");
            hc_add_str(m, row, "status_label", status ? hc_vocab_text(HC_VOCAB_ACTION_STATE, status) : NULL);
            hc_add_str(m, row, "severity_label", hc_vocab_text(HC_VOCAB_SEVERITY, hc_scalar_text(a, "severity")));
        }
        hc_add_bool(m, root, keys[g][1], n > 0);
        hc_add_bool(m, root, keys[g][2], n > HOME_ROWS);
        hc_add_int(m, root, keys[g][3], n > 0 ? n : 0);
        hc_doc_free(&acts);
    }
}

void hc_page_home(hc_request *rq, const char *rest)
{
    (void)rest;
    hc_doc *m = hc_page_model(rq, _("Home"));
    hc_node *root = (hc_node *)hc_doc_root(m);
    const hc_node *sites = NULL;
    hc_diags d = {0};
    hc_doc *seen = hc_visible_sites(rq, &sites, &d);
    hc_diags_print(&d, stderr);
    if (sites) hc_tree_add(m, root, "sites", hc_tree_copy(m, sites));
    hc_add_bool(m, root, "has_sites", sites && sites->len);
    hc_doc_free(&seen);
    add_actions(rq, m);
    if (rq->session.role == HC_ROLE_LEADER || rq->session.role == HC_ROLE_ADMIN) {
        hc_stats_query q = {NULL, NULL, NULL, 0, rq->session.role == HC_ROLE_LEADER ? rq->session.squad : NULL};
        hc_doc *f = hc_store_figures(rq->store, &q, &d);
        hc_diags_print(&d, stderr);
        const hc_node *rows = f ? hc_map_get(hc_doc_root(f), "rows") : NULL;
        if (rows && rows->len) hc_tree_add(m, root, "figures", hc_tree_copy(m, rows->kids[0]));
        hc_doc_free(&f);
    }
    hc_page_send(rq, 200, "home", &m);
}

/* --------------------------------------------------------------- assets */

void hc_page_static(hc_request *rq, const char *rest)
{
    size_t len;
    const char *type;
    char *owned;
    const char *text = hc_web_asset(rest, &len, &type, &owned);
    if (text == NULL) {
        hc_respond_error(rq, 404, _("no such resource"));
        return;
    }
    rq->status = 200;
    rq->content_type = type;
    hc_buf_reset(&rq->out);
    hc_buf_put(&rq->out, text, len);
    free(owned);
}

/* Browsers ask for it on every site: nothing, rather than a 404 in their console. */
void hc_page_no_icon(hc_request *rq, const char *rest)
{
    (void)rest;
    rq->status = 204;
    hc_buf_reset(&rq->out);
}
