/*
** serve.h: the web server's own interface, between its files (request.c,
** policy.c, ...) and for its tests. The server's face for the command line
** is include/hazcheck_serve.h.
*/
#ifndef HC_SERVE_H
#define HC_SERVE_H

#include <stddef.h>

#include "hazcheck_serve.h"

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

#endif
