/*
** eval.h: evaluating items inside a begun sandbox context, shared by
** inspections (hc_evaluate) and rule tests.
*/
#ifndef HC_EVAL_H
#define HC_EVAL_H

#include "hazcheck.h"
#include "sandbox.h"
#include "util.h"

/*
** Evaluate item 'idx' of 'c' with the answer 'ans' in the sandbox context
** already begun. 'pack_applies' is the outcome of the pack's applies (1 yes,
** 0 no, -1 error with 'pack_msg'). Fills f->status and f->message (arena).
*/
void hc_eval_item(hc_sandbox *sb, const hc_checklist *c, size_t idx, const hc_answer *ans,
                  int pack_applies, const char *pack_msg, hc_arena *a, hc_finding *f);

/* Run the pack's applies: 1, 0, or -1 with *msg set (arena). */
int hc_eval_pack_applies(hc_sandbox *sb, const hc_checklist *c, hc_arena *a, const char **msg);

/* Counts, score and verdict from the findings. */
void hc_score(hc_result *r);

#endif
