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
    hc_session session;           /* when signed in (session.user not NULL) */
    int status;
    hc_buf out;
    const char *content_type;     /* NULL: JSON */
    char set_cookie[256];
} hc_request;

/* ------------------------------------------------------------- routes.c */

/* Answer rq: find its route, check the session, the CSRF token and the policy. */
void hc_route(hc_request *rq);
/* {"error": "..."} with the status. */
void hc_respond_error(hc_request *rq, int status, const char *message);

#endif
