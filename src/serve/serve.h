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
void hc_fields_free(hc_fields *f);

/* The cookie 'name' of a Cookie header: 1 found (copied to out), 0 absent,
   -1 longer than outlen allows. */
int hc_cookie_find(const char *header, const char *name, char *out, size_t outlen);

/* ------------------------------------------------------- a request */

/* What a route sees of a request and writes of its answer (server.c fills
   the first part and sends the second). */
typedef struct hc_request {
    const char *method, *path;
    const char *body;             /* capped; NUL-terminated */
    size_t body_len;
    const char *cookie, *csrf_header, *content_type_in;
    const char *arg_site, *arg_status;    /* ?site= and ?status= */
    const char *arg_since, *arg_until, *arg_by;
    char address[64];
    int secure_cookies;
    hc_store *store;              /* this worker's */
    hc_engine *engine;            /* this worker's: its own Lua states */
    const char *data_dir;         /* evidence files */
    const hc_paper_opts *papers;
    const char *upload_path;      /* POST /api/v1/evidence: the body, spooled to a file */
    size_t upload_len;
    hc_session session;           /* when signed in (session.user not NULL) */
    int status;
    hc_buf out;
    const char *content_type;     /* NULL: JSON */
    const char *csp;              /* NULL: the default Content-Security-Policy */
    char csp_buf[160];
    int file_fd;                  /* >= 0: answer with this file (server.c closes it) */
    size_t file_size;
    char disposition[128];
    char set_cookie[256];
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
/* A result as its JSON (formats.md section 4). */
void hc_respond_result(hc_request *rq, int status, const hc_result *r);
/* The body as one JSON object; NULL after answering 400. */
hc_doc *hc_json_body(hc_request *rq);
/* 1 if the signed-in user may 'verb' the 'res' of the registered site
   'site_id' (policy.c); 0 also when there is no such site. */
int hc_request_may(hc_request *rq, hc_resource res, hc_verb verb, const char *site_id);

/* ------------------------------------------------------ the API's handlers */

/* Each answers rq; 'rest' is what follows the route's prefix. */
void hc_api_inspection_post(hc_request *rq, const char *rest);
void hc_api_inspection_get(hc_request *rq, const char *rest);
void hc_api_evidence_post(hc_request *rq, const char *rest);
void hc_api_evidence_get(hc_request *rq, const char *rest);

#endif
