/*
** routes.c: what `serve` answers, as one table: each route names the
** resource and verb the policy (policy.c) must allow, whether it needs a
** session and whether it changes something (then the CSRF token must come
** with it). Nothing here decides access by itself: a route with no policy
** row answers 403 or 404, never by accident 200.
**
** A record the user may not see answers 404, exactly as a record that does
** not exist, so ids cannot be probed.
**
** Pages (for people) differ from the API (for programs) in three ways: no
** session sends them to the sign-in page instead of 401; the CSRF token may
** come as the form field "csrf"; and a form posted from another origin (the
** browser's Origin header) is refused, sign-in included, so that no other
** site can sign a victim in under the attacker's account.
*/
#include <stdlib.h>
#include <string.h>

#include "serve/serve.h"

/* --------------------------------------------------------------- table */

typedef struct route {
    const char *method;
    const char *path;             /* ends in '/': a prefix, the rest an id (and one more part) */
    int session;                  /* needs a signed-in user */
    int changes;                  /* needs the CSRF token */
    int page;                     /* for people: HTML, redirects, form fields */
    void (*fn)(hc_request *rq, const char *rest);
} route;

static const route routes[] = {
    /* the JSON API (cli.md) */
    {"POST", "/api/v1/login", 0, 0, 0, hc_api_sign_in},
    {"POST", "/api/v1/logout", 1, 1, 0, hc_api_sign_out},
    {"GET", "/api/v1/sites", 1, 0, 0, hc_api_sites},
    {"GET", "/api/v1/sites/", 1, 0, 0, hc_api_sites},
    {"POST", "/api/v1/inspections", 1, 1, 0, hc_api_inspection_post},
    {"GET", "/api/v1/inspections/", 1, 0, 0, hc_api_inspection_get},
    {"POST", HC_EVIDENCE_PATH, 1, 1, 0, hc_api_evidence_post},
    {"GET", HC_EVIDENCE_PATH "/", 1, 0, 0, hc_api_evidence_get},
    {"GET", "/api/v1/actions", 1, 0, 0, hc_api_actions},
    {"POST", "/api/v1/actions/", 1, 1, 0, hc_api_action_step},
    {"GET", "/api/v1/stats", 1, 0, 0, hc_api_stats},
    /* the pages */
    {"GET", "/static/", 0, 0, 1, hc_page_static},
    {"GET", "/favicon.ico", 0, 0, 1, hc_page_no_icon},
    {"GET", "/login", 0, 0, 1, hc_page_login},
    {"POST", "/login", 0, 0, 1, hc_page_login},
    {"POST", "/logout", 1, 1, 1, hc_page_logout},
    {"GET", "/", 1, 0, 1, hc_page_home},
    {"GET", "/sites", 1, 0, 1, hc_page_sites},
    {"GET", "/sites/", 1, 0, 1, hc_page_site},
    {"POST", "/sites/", 1, 1, 1, hc_page_site_measure},
    {"GET", "/actions", 1, 0, 1, hc_page_actions},
    {"GET", "/actions/", 1, 0, 1, hc_page_action},
    {"POST", "/actions/", 1, 1, 1, hc_page_action_step},
    {"GET", "/inspect", 1, 0, 1, hc_page_inspect},
    {"POST", "/inspect", 1, 1, 1, hc_page_inspect_start},
    {"GET", "/drafts/", 1, 0, 1, hc_page_draft},
    {"POST", "/drafts/", 1, 1, 1, hc_page_draft_save},
    {"GET", "/inspections/", 1, 0, 1, hc_page_inspection},
    {"GET", "/figures", 1, 0, 1, hc_page_figures},
    {"GET", "/users", 1, 0, 1, hc_page_users},
    {"POST", "/users", 1, 1, 1, hc_page_users_change},
};

/* A form from a page of another site: its Origin is not this server's. */
static int foreign_origin(const hc_request *rq)
{
    if (rq->origin == NULL) return 0;          /* not sent (an older browser, a program) */
    if (rq->host == NULL) return 1;
    const char *o = strstr(rq->origin, "://");
    return o == NULL || strcmp(o + 3, rq->host) != 0;
}

/* Does rq's path match r? *rest: what follows a prefix ("" for an exact path). */
static int matches(const route *r, const char *path, const char **rest)
{
    size_t n = strlen(r->path);
    if (n > 1 && r->path[n - 1] == '/') {      /* "/" itself is the home page only */
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
    int got = rq->cookie && hc_cookie_find(rq->cookie, HC_SESSION_COOKIE, token, sizeof token) == 1
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
    if (r->page && strcmp(rq->method, "POST") == 0 && foreign_origin(rq)) {
        hc_page_problem(rq, 403, _("this form was sent from another site"));
        return;
    }
    if (r->session) {
        if (hc_route_session(rq) != 1) {
            if (r->page) hc_redirect_sign_in(rq);
            else hc_respond_error(rq, 401, _("sign in first"));
            return;
        }
        const char *token = rq->csrf_header ? rq->csrf_header : r->page ? hc_form(rq, "csrf") : NULL;
        if (r->changes && (token == NULL || !hc_secret_equal(token, rq->session.csrf))) {
            if (r->page) hc_page_problem(rq, 403, _("the request lacks this session's CSRF token"));
            else hc_respond_error(rq, 403, _("the request lacks this session's CSRF token"));
            return;
        }
    }
    r->fn(rq, rest);
}
