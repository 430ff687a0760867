/*
** score.c: counts, score and verdict (formats.md section 4).
**
** The score is over the items that are not na; unanswered and error items
** count as not passed. A checklist with no scored items scores 100.
*/
#include <math.h>

#include "engine/engine.h"

const char *hc_verdict_name(hc_verdict v) { return hc_vocab_code(HC_VOCAB_VERDICT, (int)v); }

void hc_score(hc_result *r)
{
    const hc_checklist *c = r->checklist;
    double wall = 0, wpass = 0, nall = 0, npass = 0, wlost = 0;
    for (int s = 0; s < HC_NSTATUS; s++) r->counts[s] = 0;
    r->major_failed = 0;
    for (size_t i = 0; i < r->n; i++) {
        const hc_finding *f = &r->findings[i];
        r->counts[f->status]++;
        if (f->status == HC_FAIL && f->item->severity == HC_SEV_MAJOR) r->major_failed++;
        if (f->status == HC_NA) continue;
        wall += f->item->weight;
        nall += 1;
        if (f->status == HC_PASS) {
            wpass += f->item->weight;
            npass += 1;
        } else {
            wlost += f->item->weight;
        }
    }
    double score;
    switch (c->model) {
    case HC_SCORE_FLAT: score = nall > 0 ? 100.0 * npass / nall : 100; break;
    case HC_SCORE_ABSOLUTE: score = npass == nall ? 100 : 0; break;
    case HC_SCORE_DEDUCT: score = c->total - wlost > 0 ? c->total - wlost : 0; break;
    default: score = wall > 0 ? 100.0 * wpass / wall : 100; break;
    }
    r->score = round(score * 100) / 100;    /* two decimals: what people read */
    r->passed_mark = c->has_pass_mark ? r->score >= c->pass_mark : -1;
    if (r->major_failed) r->verdict = HC_MAJOR_HAZARD;
    else if (r->counts[HC_FAIL]) r->verdict = HC_GENERAL_HAZARDS;
    else if (r->counts[HC_UNANSWERED] || r->counts[HC_ERROR_ST] ||
             (r->in && r->in->unknown_items))
        r->verdict = HC_INCOMPLETE;
    else r->verdict = HC_COMPLIANT;
}
