/*
** policy.c: who may do what (cli.md "Serving many users"), in one table that
** every handler consults; nothing else in the server decides access.
**
** A row grants a role a verb on a resource over a scope of sites: all, the
** user's squad, or the enterprise user's own sites. What no row grants is
** refused. The table is data so that a reviewer reads the whole policy in one
** screen and a test can walk every cell of it.
**
** Decisions where cli.md is silent: inspectors see the figures of their squad
** (the API refuses only enterprise users); evidence may be uploaded by anyone
** who may cite it (the file is reachable only through a record that cites it);
** only the enterprise rectifies (an inspector verifies what it says it did);
** self-assessments are the enterprise's, inspections the bureau's.
*/
#include <string.h>

#include "hazcheck_serve.h"

typedef struct grant {
    hc_role role;
    hc_resource res;
    hc_verb verb;
    hc_scope scope;
} grant;

#define STAFF(role, scope)                                                                     \
    {role, HC_RES_SITE, HC_VERB_READ, scope}, {role, HC_RES_INSPECTION, HC_VERB_READ, scope},  \
    {role, HC_RES_INSPECTION, HC_VERB_CREATE, scope},                                           \
    {role, HC_RES_SELF_ASSESSMENT, HC_VERB_READ, scope},                                        \
    {role, HC_RES_ACTION, HC_VERB_READ, scope}, {role, HC_RES_ACTION, HC_VERB_VERIFY, scope},  \
    {role, HC_RES_ACTION, HC_VERB_REOPEN, scope}, {role, HC_RES_ACTION, HC_VERB_ASSIGN, scope}, \
    {role, HC_RES_EVIDENCE, HC_VERB_READ, scope}, {role, HC_RES_EVIDENCE, HC_VERB_CREATE, scope}, \
    {role, HC_RES_MEASURE, HC_VERB_READ, scope}, {role, HC_RES_MEASURE, HC_VERB_CREATE, scope}, \
    {role, HC_RES_FIGURES, HC_VERB_READ, scope}

static const grant table[] = {
    /* the squads: what their sites need from the bureau */
    STAFF(HC_ROLE_LEADER, HC_SCOPE_SQUAD),
    STAFF(HC_ROLE_INSPECTOR, HC_SCOPE_SQUAD),
    /* an enterprise: its own sites, its self-assessments, its rectification */
    {HC_ROLE_ENTERPRISE, HC_RES_SITE, HC_VERB_READ, HC_SCOPE_OWN},
    {HC_ROLE_ENTERPRISE, HC_RES_INSPECTION, HC_VERB_READ, HC_SCOPE_OWN},
    {HC_ROLE_ENTERPRISE, HC_RES_SELF_ASSESSMENT, HC_VERB_READ, HC_SCOPE_OWN},
    {HC_ROLE_ENTERPRISE, HC_RES_SELF_ASSESSMENT, HC_VERB_CREATE, HC_SCOPE_OWN},
    {HC_ROLE_ENTERPRISE, HC_RES_ACTION, HC_VERB_READ, HC_SCOPE_OWN},
    {HC_ROLE_ENTERPRISE, HC_RES_ACTION, HC_VERB_RECTIFY, HC_SCOPE_OWN},
    {HC_ROLE_ENTERPRISE, HC_RES_EVIDENCE, HC_VERB_READ, HC_SCOPE_OWN},
    {HC_ROLE_ENTERPRISE, HC_RES_EVIDENCE, HC_VERB_CREATE, HC_SCOPE_OWN},
    {HC_ROLE_ENTERPRISE, HC_RES_MEASURE, HC_VERB_READ, HC_SCOPE_OWN},
};

hc_scope hc_policy(hc_role role, hc_resource res, hc_verb verb)
{
    if (role == HC_ROLE_ADMIN && (unsigned)res < HC_NRESOURCES && (unsigned)verb < HC_NVERBS)
        return HC_SCOPE_ALL;          /* the bureau's administrator: everything, users too */
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (table[i].role == role && table[i].res == res && table[i].verb == verb) return table[i].scope;
    return HC_SCOPE_NONE;
}

int hc_policy_allows(const hc_principal *p, hc_resource res, hc_verb verb, const char *site_id,
                     const char *site_squad)
{
    if (p == NULL) return 0;
    switch (hc_policy(p->role, res, verb)) {
    case HC_SCOPE_ALL:
        return 1;
    case HC_SCOPE_SQUAD:
        /* a user or a site without a squad reaches nothing by squad */
        return p->squad && *p->squad && site_squad && strcmp(p->squad, site_squad) == 0;
    case HC_SCOPE_OWN:
        for (size_t i = 0; site_id && i < p->nsites; i++)
            if (p->sites[i] && strcmp(p->sites[i], site_id) == 0) return 1;
        return 0;
    default:
        return 0;
    }
}
