/*
** hazcheck_serve.h: the web application and JSON API over the library
** (cli.md "Serving many users"): who may do what, in one table.
*/
#ifndef HAZCHECK_SERVE_H
#define HAZCHECK_SERVE_H

#include <stddef.h>

#include "hazcheck.h"
#include "hazcheck_report.h"

/* What a request acts on, and how. */
typedef enum {
    HC_RES_SITE, HC_RES_INSPECTION, HC_RES_SELF_ASSESSMENT, HC_RES_ACTION, HC_RES_EVIDENCE,
    HC_RES_MEASURE, HC_RES_FIGURES, HC_RES_USER, HC_NRESOURCES
} hc_resource;
typedef enum {
    HC_VERB_READ, HC_VERB_CREATE, HC_VERB_RECTIFY, HC_VERB_VERIFY, HC_VERB_REOPEN,
    HC_VERB_ASSIGN, HC_VERB_MANAGE, HC_NVERBS
} hc_verb;
/* Which sites' records a permission reaches. */
typedef enum { HC_SCOPE_NONE, HC_SCOPE_OWN, HC_SCOPE_SQUAD, HC_SCOPE_ALL } hc_scope;

/* The one policy table: what 'role' may do with 'res', over which sites. */
hc_scope hc_policy(hc_role role, hc_resource res, hc_verb verb);

/* A signed-in user as the policy sees them. */
typedef struct hc_principal {
    const char *name;
    hc_role role;
    const char *squad;                 /* leader, inspector: their squad */
    const char *const *sites;          /* enterprise: its own sites */
    size_t nsites;
} hc_principal;

/* 1 if p may 'verb' the 'res' of a site with this id and squad, else 0. A
   handler that gets 0 for a record answers 404, as if it did not exist. */
int hc_policy_allows(const hc_principal *p, hc_resource res, hc_verb verb, const char *site_id,
                     const char *site_squad);

/* `hazcheck serve` (serve/server.c): the web application and JSON API over
   one database, until SIGTERM or SIGINT. 0 after a clean stop, -1 (said in d)
   when it cannot start. */
typedef struct hc_serve_config {
    const char *listen;           /* ADDRESS:PORT; NULL: 127.0.0.1:8080; port 0: any */
    const char *db_path;
    const char *data_dir;         /* evidence files; NULL: "evidence" beside the database */
    hc_engine_config engine;      /* each worker makes its own engine from it */
    hc_paper_opts papers;         /* the authority and notice numbers of the reports */
    int secure_cookies;           /* behind a TLS proxy: cookies marked Secure */
    unsigned threads;             /* workers (connection + engine) lent to requests; 0: 8 */
    const char *today;            /* NULL: the real date */
    const char *trusted_proxy;    /* an address (besides loopback) whose X-Forwarded-For is
                                     believed: a proxy on another machine; NULL: none */
} hc_serve_config;
int hc_serve_run(const hc_serve_config *c, hc_diags *d);

#endif
