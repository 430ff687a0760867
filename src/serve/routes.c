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

void hc_respond_error(hc_request *rq, int status, const char *message)
{
    rq->status = status;
    rq->content_type = NULL;
    hc_buf_reset(&rq->out);
    hc_buf_puts(&rq->out, "{\"error\":");
    hc_json_quote(&rq->out, message, strlen(message));
    hc_buf_puts(&rq->out, "}\n");
}

/* A document tree as the JSON answer. */
static void respond_tree(hc_request *rq, int status, const hc_node *n)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (f == NULL) {
        hc_respond_error(rq, 500, _("out of memory"));
        return;
    }
    hc_write_json_node(f, n);
    fclose(f);
    rq->status = status;
    hc_buf_reset(&rq->out);
    hc_buf_put(&rq->out, text, len);
    free(text);
}

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

/* The body as one JSON object; NULL after answering 400. */
static hc_doc *json_body(hc_request *rq)
{
    hc_diags d = {0};
    hc_limits lim;
    hc_limits_default(&lim);
    lim.max_depth = 16;
    lim.max_nodes = 20000;
    hc_reader *r = rq->body_len && rq->body[0] == '{'
                       ? hc_reader_open_mem("body", rq->body, rq->body_len, &lim, &d) : NULL;
    hc_doc *doc = NULL;
    if (r == NULL || hc_reader_next(r, &doc, &d) != 1 || hc_doc_root(doc)->kind != HC_MAP) {
        hc_doc_free(&doc);
        hc_respond_error(rq, 400, _("the body is not a JSON object"));
    }
    hc_reader_close(&r);
    hc_diags_clear(&d);
    return doc;
}

/* ---------------------------------------------------------- handlers */

static void sign_in(hc_request *rq, const char *rest)
{
    (void)rest;
    hc_doc *body = json_body(rq);
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
        respond_tree(rq, 200, hc_doc_root(out));
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
    if (*rest == '\0') respond_tree(rq, 200, seq);
    else if (one) respond_tree(rq, 200, one);
    else hc_respond_error(rq, 404, _("no such site"));
    hc_doc_free(&out);
    hc_doc_free(&all);
    hc_diags_clear(&d);
}

/* --------------------------------------------------------------- table */

typedef struct route {
    const char *method;
    const char *path;             /* ends in '/': a prefix, the rest is an id */
    int session;                  /* needs a signed-in user */
    int changes;                  /* needs the CSRF token */
    void (*fn)(hc_request *rq, const char *rest);
} route;

static const route routes[] = {
    {"POST", "/api/v1/login", 0, 0, sign_in},
    {"POST", "/api/v1/logout", 1, 1, sign_out},
    {"GET", "/api/v1/sites", 1, 0, sites},
    {"GET", "/api/v1/sites/", 1, 0, sites},
};

/* Does rq's path match r? *rest: what follows a prefix ("" for an exact path). */
static int matches(const route *r, const char *path, const char **rest)
{
    size_t n = strlen(r->path);
    if (r->path[n - 1] == '/') {
        if (strncmp(path, r->path, n) != 0 || path[n] == '\0' || strchr(path + n, '/')) return 0;
        *rest = path + n;
        return 1;
    }
    *rest = "";
    return strcmp(path, r->path) == 0;
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
        char token[65];
        hc_diags d = {0};
        int got = rq->cookie && hc_cookie_find(rq->cookie, SESSION_COOKIE, token, sizeof token) == 1
                      ? hc_store_session(rq->store, token, &rq->session, &d) : 0;
        hc_diags_clear(&d);
        if (got != 1) {
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
