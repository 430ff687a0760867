/*
** routes.c: what `serve` answers, as one table: each route names the
** resource and verb the policy (policy.c) must allow, whether it needs a
** session and whether it changes something (then the CSRF token must come
** with it). Nothing here decides access by itself: a route with no policy
** row answers 403 or 404, never by accident 200.
**
** A record the user may not see answers 404, exactly as a record that does
** not exist, so ids cannot be probed.
*/
#include <stdlib.h>
#include <string.h>

#include "hazcheck_report.h"
#include "serve/serve.h"

#define SESSION_COOKIE "hc_session"

static void set_cookie(hc_request *rq, const char *token, int max_age)
{
    snprintf(rq->set_cookie, sizeof rq->set_cookie,
             SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", token, max_age,
             rq->secure_cookies ? "; Secure" : "");
}

/* A scalar string field of a JSON object body, or NULL. */
static const char *field(const hc_node *obj, const char *key)
{
    const hc_node *n = obj && obj->kind == HC_MAP ? hc_map_get(obj, key) : NULL;
    return n && n->kind == HC_SCALAR && n->quoted ? n->str : NULL;
}

/* Any scalar field as text (a number too), or NULL. */
static const char *scalar(const hc_node *obj, const char *key)
{
    const hc_node *n = obj && obj->kind == HC_MAP ? hc_map_get(obj, key) : NULL;
    return n && n->kind == HC_SCALAR ? n->str : NULL;
}

/* The action numbered 'id' in a list, or NULL. */
static const hc_node *action_in(const hc_node *list, const char *id)
{
    for (size_t i = 0; list && i < list->len; i++) {
        const char *v = scalar(list->kids[i], "id");
        if (v && strcmp(v, id) == 0) return list->kids[i];
    }
    return NULL;
}

/* ---------------------------------------------------------- handlers */

static void sign_in(hc_request *rq, const char *rest)
{
    (void)rest;
    hc_doc *body = hc_json_body(rq);
    if (body == NULL) return;
    const char *user = field(hc_doc_root(body), "user"), *pw = field(hc_doc_root(body), "password");
    hc_diags d = {0};
    hc_session_free(&rq->session);
    int rc = hc_store_sign_in(rq->store, user, pw, rq->address, &rq->session, &d);
    if (rc == HC_SIGN_IN_OK) {
        set_cookie(rq, rq->session.token, 12 * 3600);
        hc_doc *out = hc_doc_new("signed-in");
        hc_node *o = (hc_node *)hc_doc_root(out);
        hc_add_str(out, o, "user", rq->session.user);
        size_t nroles;
        const hc_word *roles = hc_vocab_words(HC_VOCAB_ROLE, &nroles);
        hc_add_str(out, o, "role", (size_t)rq->session.role < nroles ? roles[rq->session.role].code : "");
        hc_add_str(out, o, "csrf", rq->session.csrf);
        hc_respond_tree(rq, 200, hc_doc_root(out));
        hc_doc_free(&out);
    } else if (rc == HC_SIGN_IN_THROTTLED) {
        hc_session_free(&rq->session);
        hc_respond_error(rq, 429, _("too many failed sign-ins; try again in a quarter of an hour"));
    } else if (rc == HC_SIGN_IN_REFUSED) {
        hc_session_free(&rq->session);
        hc_respond_error(rq, 401, _("wrong user name or password"));
    } else {
        hc_session_free(&rq->session);
        hc_respond_error(rq, 500, _("the database failed; see the server's log"));
        hc_diags_print(&d, stderr);
    }
    hc_diags_clear(&d);
    hc_doc_free(&body);
}

static void sign_out(hc_request *rq, const char *rest)
{
    (void)rest;
    char token[65];
    hc_diags d = {0};
    if (rq->cookie && hc_cookie_find(rq->cookie, SESSION_COOKIE, token, sizeof token) == 1)
        hc_store_sign_out(rq->store, token, &d);
    hc_diags_clear(&d);
    set_cookie(rq, "", 0);
    rq->status = 204;
    hc_buf_reset(&rq->out);
}

/* A site's squad and id as the policy reads them. */
static int sees_site(const hc_request *rq, const hc_node *site)
{
    hc_principal p = {rq->session.user, rq->session.role, rq->session.squad,
                      (const char *const *)rq->session.sites, rq->session.nsites};
    return hc_policy_allows(&p, HC_RES_SITE, HC_VERB_READ, field(site, "id"), field(site, "squad"));
}

static void sites(hc_request *rq, const char *rest)
{
    hc_diags d = {0};
    hc_doc *all = hc_store_sites(rq->store, &d);
    if (all == NULL) {
        hc_diags_print(&d, stderr);
        hc_diags_clear(&d);
        hc_respond_error(rq, 500, _("the database failed; see the server's log"));
        return;
    }
    const hc_node *list = hc_map_get(hc_doc_root(all), "sites");
    hc_doc *out = hc_doc_new("sites");
    hc_node *seq = hc_add_seq(out, (hc_node *)hc_doc_root(out), "sites");
    const hc_node *one = NULL;
    for (size_t i = 0; list && i < list->len; i++) {
        const hc_node *s = list->kids[i];
        if (!sees_site(rq, s)) continue;
        if (*rest == '\0') hc_tree_add(out, seq, NULL, hc_tree_copy(out, s));
        else if (strcmp(field(s, "id"), rest) == 0) one = s;
    }
    if (*rest == '\0') hc_respond_tree(rq, 200, seq);
    else if (one) hc_respond_tree(rq, 200, one);
    else hc_respond_error(rq, 404, _("no such site"));
    hc_doc_free(&out);
    hc_doc_free(&all);
    hc_diags_clear(&d);
}

/* The ids of the sites the user may 'verb' the actions of; NULL on error. */
static char **sites_for(hc_request *rq, hc_verb verb, size_t *n)
{
    *n = 0;
    hc_diags d = {0};
    hc_doc *all = hc_store_sites(rq->store, &d);
    hc_diags_clear(&d);
    if (all == NULL) return NULL;
    const hc_node *list = hc_map_get(hc_doc_root(all), "sites");
    hc_principal p = {rq->session.user, rq->session.role, rq->session.squad,
                      (const char *const *)rq->session.sites, rq->session.nsites};
    char **ids = hc_xcalloc(list ? list->len + 1 : 1, sizeof *ids);
    *n = 0;
    for (size_t i = 0; list && i < list->len; i++)
        if (hc_policy_allows(&p, HC_RES_ACTION, verb, field(list->kids[i], "id"), field(list->kids[i], "squad")))
            ids[(*n)++] = hc_xstrdup(field(list->kids[i], "id"));
    hc_doc_free(&all);
    return ids;
}

static void free_ids(char **ids, size_t n)
{
    for (size_t i = 0; ids && i < n; i++) free(ids[i]);
    free(ids);
}

static int listed(char *const *ids, size_t n, const char *id)
{
    for (size_t i = 0; ids && id && i < n; i++)
        if (strcmp(ids[i], id) == 0) return 1;
    return 0;
}

/* The actions (filtered by ?site= and ?status=) of the sites the user may see. */
static hc_doc *visible_actions(hc_request *rq, const hc_node **list)
{
    size_t n = 0;
    char **ids = sites_for(rq, HC_VERB_READ, &n);
    hc_diags d = {0};
    hc_action_filter f = {rq->arg_site, rq->arg_status, NULL};
    hc_doc *all = ids ? hc_store_action_list(rq->store, &f, &d) : NULL;
    if (all == NULL) {
        free_ids(ids, n);
        hc_respond_error(rq, d.errors && rq->arg_status ? 400 : 500,
                         d.n ? d.v[0].msg : _("the database failed; see the server's log"));
        hc_diags_clear(&d);
        return NULL;
    }
    hc_diags_clear(&d);
    hc_doc *out = hc_doc_new("actions");
    hc_node *seq = hc_add_seq(out, (hc_node *)hc_doc_root(out), "actions");
    const hc_node *acts = hc_map_get(hc_doc_root(all), "actions");
    for (size_t i = 0; acts && i < acts->len; i++)
        if (listed(ids, n, field(acts->kids[i], "site"))) hc_tree_add(out, seq, NULL, hc_tree_copy(out, acts->kids[i]));
    free_ids(ids, n);
    hc_doc_free(&all);
    *list = seq;
    return out;
}

static void actions(hc_request *rq, const char *rest)
{
    (void)rest;
    const hc_node *list;
    hc_doc *out = visible_actions(rq, &list);
    if (out) hc_respond_tree(rq, 200, list);
    hc_doc_free(&out);
}

/* POST /api/v1/actions/{id}/{rectify|verify|reopen|assign}: an action the user
   cannot see is 404; one it sees but may not move this way, 403; a step its
   state does not allow, 409 naming the state. */
static void action_step(hc_request *rq, const char *rest)
{
    static const struct { const char *name; hc_verb verb; } steps[] = {
        {"rectify", HC_VERB_RECTIFY}, {"verify", HC_VERB_VERIFY},
        {"reopen", HC_VERB_REOPEN}, {"assign", HC_VERB_ASSIGN},
    };
    const char *slash = strchr(rest, '/');
    size_t k = 0;
    while (slash && k < sizeof steps / sizeof steps[0] && strcmp(slash + 1, steps[k].name) != 0) k++;
    if (slash == NULL || k == sizeof steps / sizeof steps[0] || slash == rest) {
        hc_respond_error(rq, 404, _("no such resource"));
        return;
    }
    char id[32];
    snprintf(id, sizeof id, "%.*s", (int)(slash - rest), rest);
    rq->arg_site = rq->arg_status = NULL;
    const hc_node *list, *act = NULL;
    hc_doc *seen = visible_actions(rq, &list);
    if (seen == NULL) return;
    act = action_in(list, id);
    size_t n = 0;
    char **may = act ? sites_for(rq, steps[k].verb, &n) : NULL;
    hc_doc *body = act && listed(may, n, field(act, "site")) ? hc_json_body(rq) : NULL;
    const char *status = act ? field(act, "status") : NULL;
    if (act == NULL) hc_respond_error(rq, 404, _("no such action"));
    else if (!listed(may, n, field(act, "site"))) hc_respond_error(rq, 403, _("your role may not do this"));
    else if (body == NULL) {
        /* json_body has answered */
    } else if (status && !hc_action_step_allowed(steps[k].name, status)) {
        hc_respond_error(rq, 409, _("this step is not allowed in the action's present state"));
    } else {
        const hc_node *b = hc_doc_root(body);
        hc_diags d = {0};
        hc_store_set_actor(rq->store, rq->session.user);
        int rc;
        if (k == 0) {
            const hc_node *ev = hc_map_get(b, "evidence");
            const char *refs[16];
            size_t nrefs = 0;
            for (size_t i = 0; ev && ev->kind == HC_SEQ && i < ev->len && nrefs < 16; i++)
                if (ev->kids[i]->kind == HC_SCALAR) refs[nrefs++] = ev->kids[i]->str;
            const hc_node *cost = hc_map_get(b, "cost");
            rc = hc_store_action_rectify(rq->store, id, field(b, "note"), refs, nrefs,
                                         cost && cost->kind == HC_SCALAR ? cost->str : NULL, &d);
        } else if (k == 1) rc = hc_store_action_verify(rq->store, id, field(b, "note"), &d);
        else if (k == 2) rc = hc_store_action_reopen(rq->store, id, field(b, "note"), &d);
        else rc = hc_store_action_assign(rq->store, id, field(b, "to"), &d);
        hc_store_set_actor(rq->store, "unknown");
        if (rc != 0) {
            hc_respond_error(rq, 400, d.n ? d.v[0].msg : _("the step was refused"));
        } else {
            hc_doc_free(&seen);
            seen = visible_actions(rq, &list);
            if (seen && (act = action_in(list, id)) != NULL) hc_respond_tree(rq, 200, act);
            else if (seen) hc_respond_error(rq, 500, _("the action is gone after the step"));
        }
        hc_diags_clear(&d);
    }
    free_ids(may, n);
    hc_doc_free(&body);
    hc_doc_free(&seen);
}

/* GET /api/v1/stats?since=&until=&by=: as `stats --format json`, over the
   sites the user may see (the policy's scope for the figures). */
static void stats(hc_request *rq, const char *rest)
{
    (void)rest;
    hc_scope scope = hc_policy(rq->session.role, HC_RES_FIGURES, HC_VERB_READ);
    if (scope == HC_SCOPE_NONE || scope == HC_SCOPE_OWN ||
        (scope == HC_SCOPE_SQUAD && (rq->session.squad == NULL || *rq->session.squad == '\0'))) {
        hc_respond_error(rq, 403, _("your role may not do this"));
        return;
    }
    hc_stats_query q = {rq->arg_since, rq->arg_until, rq->arg_by, 0,
                        scope == HC_SCOPE_SQUAD ? rq->session.squad : NULL};
    hc_diags d = {0};
    hc_doc *data = hc_store_figures(rq->store, &q, &d);
    if (data == NULL) {
        hc_respond_error(rq, 400, d.n ? d.v[0].msg : _("the figures could not be made"));
    } else {
        /* the shape of stats --format json: one object, or an array with --by */
        const hc_node *rows = hc_map_get(hc_doc_root(data), "rows");
        hc_respond_tree(rq, 200, rq->arg_by ? rows : rows->kids[0]);
    }
    hc_doc_free(&data);
    hc_diags_clear(&d);
}

/* --------------------------------------------------------------- table */

typedef struct route {
    const char *method;
    const char *path;             /* ends in '/': a prefix, the rest an id (and one more part) */
    int session;                  /* needs a signed-in user */
    int changes;                  /* needs the CSRF token */
    void (*fn)(hc_request *rq, const char *rest);
} route;

static const route routes[] = {
    {"POST", "/api/v1/login", 0, 0, sign_in},
    {"POST", "/api/v1/logout", 1, 1, sign_out},
    {"GET", "/api/v1/sites", 1, 0, sites},
    {"GET", "/api/v1/sites/", 1, 0, sites},
    {"POST", "/api/v1/inspections", 1, 1, hc_api_inspection_post},
    {"GET", "/api/v1/inspections/", 1, 0, hc_api_inspection_get},
    {"POST", HC_EVIDENCE_PATH, 1, 1, hc_api_evidence_post},
    {"GET", HC_EVIDENCE_PATH "/", 1, 0, hc_api_evidence_get},
    {"GET", "/api/v1/actions", 1, 0, actions},
    {"POST", "/api/v1/actions/", 1, 1, action_step},
    {"GET", "/api/v1/stats", 1, 0, stats},
};

/* Does rq's path match r? *rest: what follows a prefix ("" for an exact path). */
static int matches(const route *r, const char *path, const char **rest)
{
    size_t n = strlen(r->path);
    if (r->path[n - 1] == '/') {
        const char *slash = strchr(path + n, '/');
        if (strncmp(path, r->path, n) != 0 || path[n] == '\0' || (slash && strchr(slash + 1, '/'))) return 0;
        *rest = path + n;
        return 1;
    }
    *rest = "";
    return strcmp(path, r->path) == 0;
}

int hc_route_session(hc_request *rq)
{
    if (rq->session.user) return 1;           /* already, before an upload was taken */
    char token[65];
    hc_diags d = {0};
    int got = rq->cookie && hc_cookie_find(rq->cookie, SESSION_COOKIE, token, sizeof token) == 1
                  ? hc_store_session(rq->store, token, &rq->session, &d) : 0;
    hc_diags_print(&d, stderr);
    return got == 1;
}

void hc_route(hc_request *rq)
{
    const route *r = NULL, *other_method = NULL;
    const char *rest = "";
    for (size_t i = 0; i < sizeof routes / sizeof routes[0] && r == NULL; i++) {
        const char *tail;
        if (!matches(&routes[i], rq->path, &tail)) continue;
        if (strcmp(routes[i].method, rq->method) == 0) {
            r = &routes[i];
            rest = tail;
        } else {
            other_method = &routes[i];
        }
    }
    if (r == NULL) {
        hc_respond_error(rq, other_method ? 405 : 404,
                         other_method ? _("method not allowed here") : _("no such resource"));
        return;
    }
    if (r->session) {
        if (hc_route_session(rq) != 1) {
            hc_respond_error(rq, 401, _("sign in first"));
            return;
        }
        if (r->changes && (rq->csrf_header == NULL || !hc_secret_equal(rq->csrf_header, rq->session.csrf))) {
            hc_respond_error(rq, 403, _("the request lacks this session's CSRF token"));
            return;
        }
    }
    r->fn(rq, rest);
}
