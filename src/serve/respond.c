/*
** respond.c: what every handler of the API answers with (a JSON error, a
** document tree as JSON), reads its body with, and asks the policy through
** for a record of a registered site.
*/
#include <stdlib.h>
#include <string.h>

#include "serve/serve.h"

void hc_respond_error(hc_request *rq, int status, const char *message)
{
    rq->status = status;
    rq->content_type = NULL;
    hc_buf_reset(&rq->out);
    hc_buf_puts(&rq->out, "{\"error\":");
    hc_json_quote(&rq->out, message, strlen(message));
    hc_buf_puts(&rq->out, "}\n");
}

void hc_set_session_cookie(hc_request *rq, const char *token, int max_age)
{
    snprintf(rq->set_cookie, sizeof rq->set_cookie,
             HC_SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", token, max_age,
             rq->secure_cookies ? "; Secure" : "");
}

const char *hc_str_field(const hc_node *obj, const char *key)
{
    const hc_node *n = obj && obj->kind == HC_MAP ? hc_map_get(obj, key) : NULL;
    return n && n->kind == HC_SCALAR && n->quoted ? n->str : NULL;
}

const char *hc_scalar_text(const hc_node *obj, const char *key)
{
    const hc_node *n = obj && obj->kind == HC_MAP ? hc_map_get(obj, key) : NULL;
    return n && n->kind == HC_SCALAR ? n->str : NULL;
}

/* What a library writer puts on a stream, as the answer. */
static void respond_written(hc_request *rq, int status, const hc_node *n, const hc_result *r)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (f == NULL) {
        hc_respond_error(rq, 500, _("out of memory"));
        return;
    }
    if (r) hc_write_json(f, r, 0);
    else if (n) hc_write_json_node(f, n);
    fclose(f);
    rq->status = status;
    hc_buf_reset(&rq->out);
    hc_buf_put(&rq->out, text, len);
    free(text);
}

void hc_respond_tree(hc_request *rq, int status, const hc_node *n)
{
    respond_written(rq, status, n, NULL);
}

void hc_respond_result(hc_request *rq, int status, const hc_result *r)
{
    respond_written(rq, status, NULL, r);
}

hc_principal hc_principal_of(const hc_request *rq)
{
    hc_principal p = {rq->session.user, rq->session.role, rq->session.squad,
                      (const char *const *)rq->session.sites, rq->session.nsites};
    return p;
}

int hc_request_may(hc_request *rq, hc_resource res, hc_verb verb, const char *site_id)
{
    char *squad = NULL;
    hc_diags d = {0};
    int got = site_id ? hc_store_site_squad(rq->store, site_id, &squad, &d) : 0;
    hc_diags_print(&d, stderr);
    hc_principal p = hc_principal_of(rq);
    int ok = got == 1 && hc_policy_allows(&p, res, verb, site_id, squad);
    free(squad);
    return ok;
}

hc_doc *hc_json_body(hc_request *rq)
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


void hc_allow_own_style(hc_request *rq)
{
    const char *html = rq->out.data;
    const char *a = html ? strstr(html, "<style>") : NULL;
    const char *b = a ? strstr(a, "</style>") : NULL;
    if (b == NULL) return;
    a += strlen("<style>");
    char b64[45];
    hc_sha256_base64(a, (size_t)(b - a), b64);
    snprintf(rq->csp_buf, sizeof rq->csp_buf,
             "default-src 'none'; style-src 'sha256-%s'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'",
             b64);
    rq->csp = rq->csp_buf;
}

void hc_respond_document(hc_request *rq, const char *html, size_t len)
{
    rq->status = 200;
    rq->content_type = "text/html; charset=utf-8";
    hc_buf_reset(&rq->out);
    hc_buf_put(&rq->out, html, len);
    hc_allow_own_style(rq);
}

int hc_figures_scope(const hc_request *rq, const char **squad)
{
    hc_scope scope = hc_policy(rq->session.role, HC_RES_FIGURES, HC_VERB_READ);
    *squad = scope == HC_SCOPE_SQUAD ? rq->session.squad : NULL;
    if (scope == HC_SCOPE_NONE || scope == HC_SCOPE_OWN ||
        (scope == HC_SCOPE_SQUAD && (rq->session.squad == NULL || *rq->session.squad == '\0')))
        return -1;
    return 0;
}
