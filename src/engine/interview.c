/*
** interview.c: the question logic of `hazcheck inspect`: which items to ask
** and whether an answer fits, decided exactly as evaluation will decide it
** (hc_eval_applies, hc_answer_type), so the interview never asks what
** evaluation then marks n/a, nor accepts an answer a file could not hold.
** The terminal dialogue itself is the command line's (cli/interview.c).
*/
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"

struct hc_interview {
    hc_engine *e;
    const hc_checklist *c;
    hc_arena *arena;              /* the applies messages, until the end */
};

hc_interview *hc_interview_begin(hc_engine *e, const hc_checklist *c, const hc_node *site,
                                 const char *date, const char *inspector, hc_diags *d)
{
    hc_interview *iv = hc_xcalloc(1, sizeof *iv);
    iv->e = e;
    iv->c = c;
    iv->arena = hc_arena_new();
    /* the site's context, with no answers yet, so applies can be asked before any question */
    hc_eval_context x = {site, "interview", date, "enforcement", inspector, NULL};
    hc_buf err = {0};
    if (hc_eval_begin(hc_engine_sandbox(e), c, &x, iv->arena, &err) != 0) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "cannot prepare the rule context: %s",
                     err.data ? err.data : "");
        hc_buf_free(&err);
        hc_interview_end(&iv);
        return NULL;
    }
    hc_buf_free(&err);
    return iv;
}

void hc_interview_end(hc_interview **ivp)
{
    if (ivp == NULL || *ivp == NULL) return;
    hc_arena_free(&(*ivp)->arena);
    free(*ivp);
    *ivp = NULL;
}

int hc_interview_applies(hc_interview *iv, size_t idx, const char **why)
{
    *why = NULL;
    return hc_eval_applies(hc_engine_sandbox(iv->e), iv->c, idx, iv->arena, why);
}

int hc_interview_check(hc_interview *iv, size_t idx, const hc_node *answers, char *why,
                       size_t whylen)
{
    hc_arena *a = hc_arena_new();
    hc_answer ans = {0};
    hc_answer_type(a, "answer", &iv->c->items[idx], answers, &ans, NULL);
    int rc = ans.invalid ? -1 : 0;
    if (rc && whylen) snprintf(why, whylen, "%s", ans.reason);
    hc_arena_free(&a);
    return rc;
}
