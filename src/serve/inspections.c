/*
** inspections.c: POST /api/v1/inspections and GET /api/v1/inspections/{id}
** [/report]: an inspection recorded through the same engine and store as
** `record`, and read back as its result or its printable papers.
**
** Decisions where cli.md is silent:
**   - The site is named by its registered id; an inline site mapping (which
**     `record` would add to the register, or use to overwrite a registered
**     site's squad) is the administrator's alone.
**   - An inspection with an answer that does not fit its item is refused
**     (422, every problem at body:line:column) and nothing is recorded: a
**     program or a form can put it right, and the legal record holds no item
**     in status error from a typing slip.
**   - Without an inspector, the signed-in user is the inspector.
**   - The id, when the body has none, is derived from the content (as for
**     files), so the same body sent twice, even at once, is one inspection:
**     the store's write transaction decides which of two requests records it.
*/
#include <stdlib.h>
#include <string.h>

#include "serve/serve.h"

/* The diagnostics as {"error": first, "problems": [every one]}. */
static void respond_diags(hc_request *rq, int status, const hc_diags *d, const char *fallback)
{
    rq->status = status;
    rq->content_type = NULL;
    hc_buf_reset(&rq->out);
    hc_buf problem = {0};
    hc_buf_puts(&rq->out, "{\"problems\":[");
    const char *first = NULL;
    size_t k = 0;
    for (size_t i = 0; i < d->n; i++) {
        const hc_diag *g = &d->v[i];
        if (g->level != HC_ERROR) continue;
        hc_buf_reset(&problem);
        if (g->file && g->line) hc_buf_printf(&problem, "%s:%u:%u: ", g->file, g->line, g->col ? g->col : 1);
        hc_buf_puts(&problem, g->msg);
        if (k++) hc_buf_putc(&rq->out, ',');
        hc_json_quote(&rq->out, problem.data, problem.len);
        if (first == NULL) first = g->msg;
    }
    hc_buf_puts(&rq->out, "],\"error\":");
    const char *e = first ? first : fallback;
    hc_json_quote(&rq->out, e, strlen(e));
    hc_buf_puts(&rq->out, "}\n");
    hc_buf_free(&problem);
}

static const char *head_text(const hc_node *head, const char *key)
{
    const hc_node *n = head && head->kind == HC_MAP ? hc_map_get(head, key) : NULL;
    return n && n->kind == HC_SCALAR ? n->str : NULL;
}

/* The inspection 'doc' holds (taken), as the policy allows: NULL and the
   refusal's status (its message in d) otherwise. */
static hc_inspection *load_allowed(hc_request *rq, hc_doc *doc, int *status, hc_diags *d)
{
    const hc_node *root = hc_doc_root(doc);
    const hc_node *head = hc_map_get(root, "inspection");
    const hc_node *site = head && head->kind == HC_MAP ? hc_map_get(head, "site") : NULL;
    const char *kind = head_text(head, "kind");
    *status = 0;
    if (site && site->kind == HC_MAP) {
        if (rq->session.role != HC_ROLE_ADMIN) {
            *status = 403;
            hc_diags_add(d, HC_ERROR, NULL, 0, 0, "name a registered site by its id; only an administrator adds sites");
        }
    } else if (site && site->kind == HC_SCALAR) {
        /* the same answer for a site that does not exist and one out of reach */
        hc_resource res = kind && strcmp(kind, "self") == 0 ? HC_RES_SELF_ASSESSMENT : HC_RES_INSPECTION;
        if (!hc_request_may(rq, HC_RES_SITE, HC_VERB_READ, site->str)) {
            *status = 404;
            hc_diags_add(d, HC_ERROR, NULL, 0, 0, "no such site");
        } else if (!hc_request_may(rq, res, HC_VERB_CREATE, site->str)) {
            *status = 403;
            hc_diags_add(d, HC_ERROR, NULL, 0, 0, "your role may not do this");
        }
    }
    if (*status) {
        hc_doc_free(&doc);
        return NULL;
    }
    hc_inspection *in = hc_inspection_load(rq->engine, doc, d);     /* it owns doc now */
    if (in == NULL || d->errors) {
        *status = in ? 422 : 400;
        hc_inspection_free(&in);
        return NULL;
    }
    if (in->inspector == NULL || *in->inspector == '\0') in->inspector = rq->session.user;
    return in;
}

int hc_inspection_record(hc_request *rq, hc_doc *doc, char **id, hc_buf *json, hc_diags *d)
{
    *id = NULL;
    int status;
    hc_inspection *in = load_allowed(rq, doc, &status, d);
    if (in == NULL) return status;
    hc_result *r = hc_evaluate(rq->engine, in);
    hc_store_set_actor(rq->store, rq->session.user);
    int rc = hc_store_record(rq->store, r, d);
    hc_store_set_actor(rq->store, "unknown");
    if (rc == 1) {
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        if (f) {
            hc_write_json(f, r, 0);
            fclose(f);
            hc_buf_put(json, text, len);
            free(text);
        }
        status = 201;
    } else if (rc == 0) {
        char *stored = NULL, *site = NULL;
        if (hc_store_inspection_result(rq->store, in->id, &stored, &site, d) == 1 && strcmp(site, in->site_id) == 0) {
            hc_buf_puts(json, stored);
            status = 200;
        } else {
            hc_diags_add(d, HC_ERROR, NULL, 0, 0, "an inspection with this id is recorded for another site");
            status = 409;
        }
        free(stored);
        free(site);
    } else {
        hc_diags_print(d, stderr);
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "the database failed; see the server's log");
        status = hc_store_fatal(rq->store) ? 503 : 500;
    }
    if (status == 200 || status == 201) *id = hc_xstrdup(in->id);
    hc_result_free(&r);
    hc_inspection_free(&in);
    return status;
}

/* POST /api/v1/inspections: 201 and the result; 200 and the recorded result
   for a repeat. */
void hc_api_inspection_post(hc_request *rq, const char *rest)
{
    (void)rest;
    hc_doc *doc = hc_json_body(rq);
    if (doc == NULL) return;
    hc_diags d = {0};
    char *id = NULL;
    hc_buf json = {0};
    int status = hc_inspection_record(rq, doc, &id, &json, &d);
    if (status == 200 || status == 201) {
        rq->status = status;
        hc_buf_reset(&rq->out);
        hc_buf_put(&rq->out, json.data, json.len);
    } else {
        respond_diags(rq, status, &d, _("the inspection could not be read"));
    }
    free(id);
    hc_buf_free(&json);
    hc_diags_clear(&d);
}

void hc_inspection_report(hc_request *rq, const char *id)
{
    hc_diags d = {0};
    hc_doc *data = hc_store_report_data(rq->store, id, &d);
    char *text = NULL;
    size_t len = 0;
    FILE *f = data ? open_memstream(&text, &len) : NULL;
    int rc = f ? hc_render_papers(f, data, HC_FMT_HTML, rq->papers, &d) : -1;
    if (f) fclose(f);
    if (rc != 0) {
        hc_diags_print(&d, stderr);
        hc_respond_error(rq, 500, _("the report could not be made; see the server's log"));
    } else {
        hc_respond_document(rq, text, len);
    }
    free(text);
    hc_doc_free(&data);
    hc_diags_clear(&d);
}

/* GET /api/v1/inspections/{id} and .../{id}/report */
void hc_api_inspection_get(hc_request *rq, const char *rest)
{
    const char *slash = strchr(rest, '/');
    if (slash && strcmp(slash, "/report") != 0) {
        hc_respond_error(rq, 404, _("no such resource"));
        return;
    }
    char id[128];
    size_t n = slash ? (size_t)(slash - rest) : strlen(rest);
    if (n == 0 || n >= sizeof id) {
        hc_respond_error(rq, 404, _("no such inspection"));
        return;
    }
    memcpy(id, rest, n);
    id[n] = '\0';
    char *json = NULL, *site = NULL;
    hc_diags d = {0};
    int got = hc_store_inspection_result(rq->store, id, slash ? NULL : &json, &site, &d);
    hc_diags_print(&d, stderr);
    if (got < 0) hc_respond_error(rq, 500, _("the database failed; see the server's log"));
    else if (got == 0 || !hc_request_may(rq, HC_RES_INSPECTION, HC_VERB_READ, site))
        hc_respond_error(rq, 404, _("no such inspection"));
    else if (slash) hc_inspection_report(rq, id);
    else {
        rq->status = 200;
        hc_buf_reset(&rq->out);
        hc_buf_puts(&rq->out, json);
    }
    free(json);
    free(site);
}
