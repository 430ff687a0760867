/*
** api.c: the JSON API's handlers for sessions, sites, actions and figures
** (cli.md "Serving many users"); inspections.c and evidence.c have the rest.
** Each answers as cli.md says and asks the policy through scope.c.
*/
#include <stdlib.h>
#include <string.h>

#include "serve/serve.h"

/* ---------------------------------------------------------- handlers */

void hc_api_sign_in(hc_request *rq, const char *rest)
{
    (void)rest;
    hc_doc *body = hc_json_body(rq);
    if (body == NULL) return;
    const char *user = hc_str_field(hc_doc_root(body), "user"), *pw = hc_str_field(hc_doc_root(body), "password");
    hc_diags d = {0};
    hc_session_free(&rq->session);
    int rc = hc_store_sign_in(rq->store, user, pw, rq->address, &rq->session, &d);
    if (rc == HC_SIGN_IN_OK) {
        hc_set_session_cookie(rq, rq->session.token, 12 * 3600);
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

void hc_api_sign_out(hc_request *rq, const char *rest)
{
    (void)rest;
    char token[65];
    hc_diags d = {0};
    if (rq->cookie && hc_cookie_find(rq->cookie, HC_SESSION_COOKIE, token, sizeof token) == 1)
        hc_store_sign_out(rq->store, token, &d);
    hc_diags_clear(&d);
    hc_set_session_cookie(rq, "", 0);
    rq->status = 204;
    hc_buf_reset(&rq->out);
}

void hc_api_sites(hc_request *rq, const char *rest)
{
    hc_diags d = {0};
    const hc_node *list = NULL, *one = NULL;
    hc_doc *seen = hc_visible_sites(rq, &list, &d);
    hc_diags_print(&d, stderr);
    for (size_t i = 0; *rest && list && i < list->len && one == NULL; i++)
        if (strcmp(hc_str_field(list->kids[i], "id"), rest) == 0) one = list->kids[i];
    if (seen == NULL) hc_respond_error(rq, 500, _("the database failed; see the server's log"));
    else if (*rest == '\0') hc_respond_tree(rq, 200, list);
    else if (one) hc_respond_tree(rq, 200, one);
    else hc_respond_error(rq, 404, _("no such site"));
    hc_doc_free(&seen);
}

void hc_api_actions(hc_request *rq, const char *rest)
{
    (void)rest;
    const hc_node *list;
    hc_diags d = {0};
    hc_action_filter f = {.site = rq->arg_site, .status = rq->arg_status};
    hc_doc *out = hc_visible_actions(rq, &f, &list, &d);
    if (out) hc_respond_tree(rq, 200, list);
    else hc_respond_error(rq, d.errors && rq->arg_status ? 400 : 500,
                          d.n ? d.v[0].msg : _("the database failed; see the server's log"));
    hc_diags_clear(&d);
    hc_doc_free(&out);
}

/* POST /api/v1/actions/{id}/{rectify|verify|reopen|assign} (action_steps.c) */
void hc_api_action_step(hc_request *rq, const char *rest)
{
    const char *slash = strchr(rest, '/');
    char id[32];
    if (slash == NULL || slash == rest || (size_t)(slash - rest) >= sizeof id) {
        hc_respond_error(rq, 404, _("no such resource"));
        return;
    }
    snprintf(id, sizeof id, "%.*s", (int)(slash - rest), rest);
    hc_step st = {slash + 1, NULL, NULL, 0, NULL, NULL};
    hc_doc *body = NULL;
    int status = hc_action_step_check(rq, id, st.name);
    if (status == 200 && (body = hc_json_body(rq)) == NULL) return;      /* it answered 400 */
    const char *refs[16];
    if (body) {
        const hc_node *b = hc_doc_root(body), *ev = hc_map_get(b, "evidence"), *cost = hc_map_get(b, "cost");
        for (size_t i = 0; ev && ev->kind == HC_SEQ && i < ev->len && st.nrefs < 16; i++)
            if (ev->kids[i]->kind == HC_SCALAR) refs[st.nrefs++] = ev->kids[i]->str;
        st.note = hc_str_field(b, "note");
        st.refs = refs;
        st.cost = cost && cost->kind == HC_SCALAR ? cost->str : NULL;
        st.to = hc_str_field(b, "to");
    }
    hc_diags d = {0};
    const hc_node *after = NULL;
    hc_doc *seen = NULL;
    if (status == 200) status = hc_action_step_take(rq, id, &st, &seen, &after, &d);
    if (status == 200) hc_respond_tree(rq, 200, after);
    else hc_respond_error(rq, status, hc_step_refusal(status, &d));
    hc_diags_clear(&d);
    hc_doc_free(&seen);
    hc_doc_free(&body);
}

/* GET /api/v1/stats?since=&until=&by=: as `stats --format json`, over the
   sites the user may see (the policy's scope for the figures). */
void hc_api_stats(hc_request *rq, const char *rest)
{
    (void)rest;
    const char *squad;
    if (hc_figures_scope(rq, &squad) != 0) {
        hc_respond_error(rq, 403, _("your role may not do this"));
        return;
    }
    hc_stats_query q = {rq->arg_since, rq->arg_until, rq->arg_by, 0, squad};
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

