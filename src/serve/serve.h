/*
** serve.h: the web server's own interface, between its files (request.c,
** policy.c, ...) and for its tests. The server's face for the command line
** is include/hazcheck_serve.h.
*/
#ifndef HC_SERVE_H
#define HC_SERVE_H

#include <stddef.h>

#include "base/base.h"
#include "hazcheck_serve.h"
#include "hazcheck_report.h"
#include "hazcheck_store.h"

/* ------------------------------------------------------------ request.c */

#define HC_FIELDS_MAX 1024

typedef struct hc_field {
    char *name, *value;       /* decoded, NUL-free UTF-8 */
} hc_field;

typedef struct hc_fields {
    hc_field *v;
    size_t n;
} hc_fields;

/* A form body or query string; 0, or -1 with why in err (nothing kept). */
int hc_fields_parse(const char *text, size_t len, hc_fields *out, char *err, size_t errlen);
const char *hc_fields_get(const hc_fields *f, const char *name);   /* the first, or NULL */
/* One more field of a multipart form: 0, or -1 (NUL, not UTF-8, too many). */
int hc_fields_add(hc_fields *f, const char *name, const char *value, size_t len, char *err, size_t errlen);
void hc_fields_free(hc_fields *f);

/* The cookie 'name' of a Cookie header: 1 found (copied to out), 0 absent,
   -1 longer than outlen allows. */
int hc_cookie_find(const char *header, const char *name, char *out, size_t outlen);

/* ------------------------------------------------------- a request */

#define HC_UPLOADS_MAX 16             /* files in one multipart form */

/* A file of a multipart form, spooled in the data folder (server.c removes
   it after the answer unless a handler renamed it into place). */
typedef struct hc_upload {
    char *field;
    char path[4200];
    size_t len;
} hc_upload;

/* What a route sees of a request and writes of its answer (server.c fills
   the first part and sends the second). */
typedef struct hc_request {
    const char *method, *path;
    const char *body;             /* capped; NUL-terminated */
    size_t body_len;
    const char *cookie, *csrf_header, *content_type_in;
    const char *origin, *host;    /* the Origin and Host headers (pages' forms) */
    const char *arg_site, *arg_status;    /* ?site= and ?status= */
    const char *arg_since, *arg_until, *arg_by;
    const hc_fields *form;        /* a page's POST: its fields (urlencoded or multipart) */
    const hc_upload *files;       /* its files (multipart), nfiles of them */
    size_t nfiles;
    const hc_fields *args;        /* every query argument, for pages' filters */
    char address[64];
    int secure_cookies;
    hc_store *store;              /* this worker's */
    hc_engine *engine;            /* this worker's: its own Lua states */
    const char *data_dir;         /* evidence files */
    const hc_paper_opts *papers;
    const char *upload_path;      /* POST /api/v1/evidence: the body, spooled to a file */
    size_t upload_len;
    hc_session session;           /* when signed in (session.user not NULL) */
    hc_doc *register_doc;         /* the site register, once read (scope.c) */
    hc_doc *squads_doc;           /* whose each site is, once read, if the register was not */
    int status;
    hc_buf out;
    const char *content_type;     /* NULL: JSON */
    const char *csp;              /* NULL: the default Content-Security-Policy */
    char csp_buf[160];
    int file_fd;                  /* >= 0: answer with this file (server.c closes it) */
    size_t file_size;
    char disposition[128];
    char set_cookie[256];
    char location[512];           /* a redirect's target (303) */
} hc_request;

#define HC_EVIDENCE_MAX (16u << 20)      /* a phone's photo, a scanned PDF */
#define HC_EVIDENCE_PATH "/api/v1/evidence"

/* ------------------------------------------------------------ evidence.c */

/* The type of a file by its first bytes: "image/jpeg", "image/png",
   "application/pdf", or NULL for anything else (whatever it is called). */
const char *hc_evidence_type(const unsigned char *head, size_t n);
/* "sha256:" and 64 lowercase hex digits, and nothing else (no path). */
int hc_evidence_ref_valid(const char *ref);

/* ------------------------------------------------------------- routes.c */

/* Load the session of rq's cookie into rq->session: 1 signed in, 0 not. */
int hc_route_session(hc_request *rq);
/* Answer rq: find its route, check the session, the CSRF token and the policy. */
void hc_route(hc_request *rq);
/* {"error": "..."} with the status. */
void hc_respond_error(hc_request *rq, int status, const char *message);
/* A document tree as the JSON answer. */
void hc_respond_tree(hc_request *rq, int status, const hc_node *n);
/* A printed document (report, figures) as the answer is: its one <style>
   allowed by its SHA-256 in the Content Security Policy, nothing else inline. */
void hc_allow_own_style(hc_request *rq);
/* A printed document (HTML) as a 200 answer, its style allowed so. */
void hc_respond_document(hc_request *rq, const char *html, size_t len);
/* The squad whose figures the user may read (NULL: every site's); -1 when
   the user may read none. */
int hc_figures_scope(const hc_request *rq, const char **squad);
/* A result as its JSON (formats.md section 4). */
void hc_respond_result(hc_request *rq, int status, const hc_result *r);
/* The body as one JSON object; NULL after answering 400. */
hc_doc *hc_json_body(hc_request *rq);
/* The signed-in user as the policy sees them. */
hc_principal hc_principal_of(const hc_request *rq);
/* 1 if the signed-in user may 'verb' the 'res' of the registered site
   'site_id' (policy.c); 0 also when there is no such site. */
int hc_request_may(hc_request *rq, hc_resource res, hc_verb verb, const char *site_id);

#define HC_SESSION_COOKIE "hc_session"
void hc_set_session_cookie(hc_request *rq, const char *token, int max_age);
/* A quoted (string) field of a mapping, or NULL. */
const char *hc_str_field(const hc_node *obj, const char *key);
/* Any scalar field as text (a number too), or NULL. */
const char *hc_scalar_text(const hc_node *obj, const char *key);

/* --------------------------------------------------------------- scope.c */

/* The ids of the registered sites whose 'res' the user may 'verb' (n of
   them; free with hc_ids_free); NULL when the register cannot be read. */
char **hc_scope_sites(hc_request *rq, hc_resource res, hc_verb verb, size_t *n);
/* Free what the request read for its lists (server.c, when it is answered). */
void hc_request_release(hc_request *rq);
void hc_ids_free(char **ids, size_t n);
int hc_ids_have(char *const *ids, size_t n, const char *id);
/* As hc_store_sites and hc_store_action_list, only what the user may see;
   *list is the sequence. NULL (with d) on a database error. */
hc_doc *hc_visible_sites(hc_request *rq, const hc_node **list, hc_diags *d);
hc_doc *hc_visible_actions(hc_request *rq, const hc_action_filter *f, const hc_node **list, hc_diags *d);
/* How many the same filter lists, without its limit and offset; -1 on error. */
long long hc_visible_action_count(hc_request *rq, const hc_action_filter *f, hc_diags *d);
/* The action numbered 'id' in a list, or NULL. */
const hc_node *hc_action_in(const hc_node *list, const char *id);

/* -------------------------------------------------------- action_steps.c */

typedef struct hc_step {
    const char *name;             /* rectify, verify, reopen, assign */
    const char *note;
    const char *const *refs;      /* rectify: evidence */
    size_t nrefs;
    const char *cost, *to;
} hc_step;
/* 1 if the user may take step 'name' on the (visible) action 'act'. */
int hc_action_may(hc_request *rq, const hc_node *act, const char *name);
/* 200 if the user may take the step now, else 404, 403, 409 (or 500). */
int hc_action_step_check(hc_request *rq, const char *id, const char *name);
/* Take it: 200 and the action after it (*after, inside *seen, which the
   caller frees), or the status of the refusal (400 with why in d). */
int hc_action_step_take(hc_request *rq, const char *id, const hc_step *st, hc_doc **seen,
                        const hc_node **after, hc_diags *d);
/* The message of a refused step's status. */
const char *hc_step_refusal(int status, const hc_diags *d);

/* ------------------------------------------------------ the API's handlers */

void hc_api_sign_in(hc_request *rq, const char *rest);
void hc_api_sign_out(hc_request *rq, const char *rest);
void hc_api_sites(hc_request *rq, const char *rest);
void hc_api_actions(hc_request *rq, const char *rest);
void hc_api_action_step(hc_request *rq, const char *rest);
void hc_api_stats(hc_request *rq, const char *rest);

/* Each answers rq; 'rest' is what follows the route's prefix. */
void hc_api_inspection_post(hc_request *rq, const char *rest);
/* Record the inspection 'doc' (taken) as the signed-in user, as the policy
   allows: 201 recorded or 200 a repeat (its id in *id, to free; its result's
   JSON appended to json), else the refusal's status (404, 403, 400, 422, 409,
   500) with the problems in d. */
int hc_inspection_record(hc_request *rq, hc_doc *doc, char **id, hc_buf *json, hc_diags *d);
/* The papers of inspection 'id' (exact; already allowed) as the HTML answer. */
void hc_inspection_report(hc_request *rq, const char *id);
void hc_api_inspection_get(hc_request *rq, const char *rest);
void hc_api_evidence_post(hc_request *rq, const char *rest);
void hc_api_evidence_get(hc_request *rq, const char *rest);
/* Keep an uploaded file (its spool path, renamed into place) as evidence:
   201 and its "sha256:..." reference in ref, or 400 (empty), 415 (not a JPEG,
   PNG or PDF by its bytes), 500. */
int hc_evidence_keep(hc_request *rq, const char *spool, size_t len, char ref[72]);
const char *hc_evidence_refusal(int status);      /* what a refused upload is told */

/* --------------------------------------------------------------- pages */

/* A page's model: the title, the signed-in user and what the navigation offers. */
hc_doc *hc_page_model(hc_request *rq, const char *title);
/* Render templates/web-NAME.html over *model (freed) as the answer. */
void hc_page_send(hc_request *rq, int status, const char *name, hc_doc **model);
/* A page saying why something was not done. */
void hc_page_problem(hc_request *rq, int status, const char *message);
void hc_redirect(hc_request *rq, const char *to);           /* 303 */
void hc_redirect_sign_in(hc_request *rq);
const char *hc_arg(const hc_request *rq, const char *name);  /* a query argument, NULL if empty */
const char *hc_form(const hc_request *rq, const char *name); /* a form field, or NULL */
/* Every word of a vocabulary as [{code, label}] under 'key', for a <select>. */
void hc_page_vocab(hc_doc *m, hc_node *parent, const char *key, hc_vocab v);

void hc_page_login(hc_request *rq, const char *rest);
void hc_page_logout(hc_request *rq, const char *rest);
void hc_page_home(hc_request *rq, const char *rest);
void hc_page_static(hc_request *rq, const char *rest);
void hc_page_no_icon(hc_request *rq, const char *rest);
void hc_page_sites(hc_request *rq, const char *rest);          /* page_sites.c */
void hc_page_site(hc_request *rq, const char *rest);
void hc_page_site_measure(hc_request *rq, const char *rest);
void hc_page_actions(hc_request *rq, const char *rest);        /* page_actions.c */
void hc_page_action(hc_request *rq, const char *rest);
void hc_page_action_step(hc_request *rq, const char *rest);
void hc_page_inspect(hc_request *rq, const char *rest);        /* page_inspect.c */
void hc_page_inspect_start(hc_request *rq, const char *rest);
void hc_page_draft(hc_request *rq, const char *rest);
void hc_page_draft_save(hc_request *rq, const char *rest);
void hc_page_inspection(hc_request *rq, const char *rest);
void hc_page_figures(hc_request *rq, const char *rest);        /* page_admin.c */
void hc_page_users(hc_request *rq, const char *rest);
void hc_page_users_change(hc_request *rq, const char *rest);

#endif
