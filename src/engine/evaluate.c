/*
** evaluate.c: one inspection against its checklist -> findings.
**
** Per item, in this order: the pack does not apply -> na; an invalid
** answer -> error; the inspector said na -> na; the item's applies is
** false -> na; a required input has no answer -> unanswered; else the
** check or rule decides. A rule that errors or breaks a budget makes only
** its own item `error`.
*/
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/engine.h"

/* The engine's own words on a finding, in the pack's language (zh or en). */
static const char *say(const hc_checklist *c, const char *en, const char *zh)
{
    return c->lang && strncmp(c->lang, "zh", 2) == 0 ? zh : en;
}

static const char *outcome_msg(const hc_outcome *o, hc_arena *a)
{
    return o->has_msg ? hc_arena_strndup(a, o->msg.data ? o->msg.data : "", o->msg.len) : NULL;
}

int hc_eval_pack_applies(hc_sandbox *sb, const hc_checklist *c, hc_arena *a, const char **msg)
{
    *msg = NULL;
    if (c->applies.ref < 0) return 1;
    hc_outcome o = {0};
    hc_sandbox_run(sb, c->applies.ref, 0, &o);
    int r;
    switch (o.kind) {
    case HC_OUT_TRUE: case HC_OUT_PASS: case HC_OUT_BAD: r = 1; break;
    case HC_OUT_ERROR:
        r = -1;
        *msg = hc_arena_printf(a, "pack applies failed: %s", o.msg.data ? o.msg.data : "");
        break;
    default:
        r = 0;
        *msg = say(c, "the checklist does not apply to this site", "本检查表不适用于该场所");
    }
    hc_buf_free(&o.msg);
    return r;
}

/* The item's own applies: 1 yes, 0 no, -1 it failed; *why says why not. */
static int item_applies(hc_sandbox *sb, const hc_checklist *c, size_t idx, hc_arena *a,
                        const char **why)
{
    const hc_item *it = &c->items[idx];
    if (it->applies.ref < 0) return 1;
    hc_outcome o = {0};
    hc_sandbox_run(sb, it->applies.ref, idx, &o);
    int r = 1;
    if (o.kind == HC_OUT_ERROR) {
        r = -1;
        *why = hc_arena_printf(a, "applies failed: %s", o.msg.data ? o.msg.data : "");
    } else if (o.kind == HC_OUT_FALSE || o.kind == HC_OUT_NIL || o.kind == HC_OUT_FAIL ||
               o.kind == HC_OUT_NA) {
        r = 0;
        *why = o.kind == HC_OUT_NA && o.has_msg ? outcome_msg(&o, a)
                                                : say(c, "does not apply to this site", "不适用于该场所");
    }
    hc_buf_free(&o.msg);
    return r;
}

int hc_eval_applies(hc_sandbox *sb, const hc_checklist *c, size_t idx, hc_arena *a,
                    const char **why)
{
    int pack = hc_eval_pack_applies(sb, c, a, why);
    return pack <= 0 ? pack : item_applies(sb, c, idx, a, why);
}

int hc_eval_begin(hc_sandbox *sb, const hc_checklist *c, const hc_eval_context *x, hc_arena *a,
                  hc_buf *err)
{
    size_t n = c->nitems ? c->nitems : 1;
    const char **ids = hc_arena_alloc(a, n * sizeof *ids);
    const hc_value **obs = hc_arena_alloc(a, n * sizeof *obs);
    for (size_t i = 0; i < c->nitems; i++) {
        ids[i] = c->items[i].id;
        const hc_answer *ans = x->answers ? &x->answers[i] : NULL;
        obs[i] = ans && !ans->invalid && ans->obs.kind == HC_V_MAP ? &ans->obs : NULL;
    }
    hc_sb_context ctx = {x->site, x->id, x->date, x->kind, x->inspector, c->id, c->nitems, ids, obs};
    return hc_sandbox_begin(sb, &ctx, err);
}

static int required_missing(const hc_checklist *c, const hc_item *it, const hc_answer *ans,
                            hc_arena *a, const char **msg)
{
    hc_buf b = {0};
    for (size_t i = 0; i < it->ninputs; i++) {
        const hc_input *in = &it->inputs[i];
        if (!in->required) continue;
        if (ans->obs.u.items && ans->obs.u.items[i].kind != HC_V_NONE) continue;
        if (b.len == 0) hc_buf_puts(&b, say(c, "no answer for ", "未作答："));
        else hc_buf_puts(&b, say(c, ", ", "、"));
        if (in->label) hc_buf_printf(&b, "%s (%s)", in->label, in->name);
        else hc_buf_puts(&b, in->name);
    }
    if (b.len == 0) return 0;
    *msg = hc_arena_strndup(a, b.data, b.len);
    hc_buf_free(&b);
    return 1;
}

void hc_eval_item(hc_sandbox *sb, const hc_checklist *c, size_t idx, const hc_answer *ans,
                  int pack_applies, const char *pack_msg, hc_arena *a, hc_finding *f)
{
    const hc_item *it = &c->items[idx];
    f->item = it;
    f->answer = ans;
    f->message = NULL;
    f->deadline[0] = '\0';
    if (pack_applies <= 0) {
        f->status = pack_applies < 0 ? HC_ERROR_ST : HC_NA;
        f->message = pack_msg;
        return;
    }
    if (ans->invalid) {
        f->status = HC_ERROR_ST;
        f->message = ans->error;
        return;
    }
    if (ans->na) {
        f->status = HC_NA;
        f->message = *ans->na ? ans->na
                              : say(c, "marked not applicable by the inspector", "检查人员标记为不适用");
        return;
    }
    int applies = item_applies(sb, c, idx, a, &f->message);
    if (applies <= 0) {
        f->status = applies < 0 ? HC_ERROR_ST : HC_NA;
        return;
    }
    hc_outcome o = {0};
    if (required_missing(c, it, ans, a, &f->message)) {
        f->status = HC_UNANSWERED;
        goto out;
    }
    if (it->code.ref < 0) {
        f->status = HC_ERROR_ST;
        f->message = "item has no compiled check or rule";
        goto out;
    }
    hc_sandbox_run(sb, it->code.ref, idx, &o);
    switch (o.kind) {
    case HC_OUT_TRUE:
        f->status = HC_PASS;
        break;
    case HC_OUT_FALSE:
    case HC_OUT_NIL:
        if (it->is_rule && o.kind == HC_OUT_NIL) {
            f->status = HC_ERROR_ST;
            f->message = "rule returned nil; expected pass(), fail(msg), na(reason) or a boolean";
        } else {
            f->status = HC_FAIL;
        }
        break;
    case HC_OUT_PASS: f->status = HC_PASS; f->message = outcome_msg(&o, a); break;
    case HC_OUT_FAIL: f->status = HC_FAIL; f->message = outcome_msg(&o, a); break;
    case HC_OUT_NA:
        f->status = HC_NA;
        f->message = o.has_msg ? outcome_msg(&o, a) : say(c, "not applicable", "不适用");
        break;
    case HC_OUT_NOTHING:
        f->status = HC_ERROR_ST;
        f->message = "rule returned nothing; expected pass(), fail(msg), na(reason) or a boolean";
        break;
    case HC_OUT_BAD:
        if (!it->is_rule) {
            f->status = HC_PASS;        /* a check: any value but false and nil is truthy */
        } else {
            f->status = HC_ERROR_ST;
            f->message = hc_arena_printf(a, "rule %s; expected pass(), fail(msg), na(reason) or a boolean",
                                         o.msg.data ? o.msg.data : "returned something else");
        }
        break;
    case HC_OUT_ERROR:
        f->status = HC_ERROR_ST;
        f->message = outcome_msg(&o, a);
        break;
    }
    if (f->status == HC_FAIL && f->message == NULL)
        f->message = it->message ? it->message : it->title;
out:
    hc_buf_free(&o.msg);
}

/* What a reader of the result must know beside the findings: a pack out of
   its validity (the verdict rests on rules no longer in force), answers for
   items the pack does not have. */
static void warn(hc_result *r)
{
    const hc_checklist *c = r->checklist;
    const hc_inspection *in = r->in;
    const char *w[2];
    size_t n = 0;
    if (!hc_checklist_in_force(c, in->date)) {
        r->out_of_force = 1;
        hc_buf b = {0};
        int zh = c->lang && strncmp(c->lang, "zh", 2) == 0;
        if (zh) {
            hc_buf_printf(&b, "检查表 %s %s ", c->id, c->version);
            if (c->valid_from && c->valid_until)
                hc_buf_printf(&b, "的适用期为%s起至%s", c->valid_from, c->valid_until);
            else if (c->valid_until) hc_buf_printf(&b, "适用至%s", c->valid_until);
            else hc_buf_printf(&b, "自%s起适用", c->valid_from);
            hc_buf_printf(&b, "，检查日期 %s 不在适用期内", in->date);
            if (c->superseded_by) hc_buf_printf(&b, "；已由%s替代", c->superseded_by);
            hc_buf_puts(&b, "，本结果不能作为现行标准下的判定依据");
        } else {
            hc_buf_printf(&b, "checklist %s %s is valid %s%s%s%s; the inspection date %s is outside it",
                          c->id, c->version, c->valid_from ? "from " : "",
                          c->valid_from ? c->valid_from : "", c->valid_until ? " until " : "",
                          c->valid_until ? c->valid_until : "", in->date);
            if (c->superseded_by) hc_buf_printf(&b, "; superseded by %s", c->superseded_by);
        }
        w[n++] = hc_arena_strndup(r->arena, b.data, b.len);
        hc_buf_free(&b);
    }
    if (in->unknown_items)
        w[n++] = hc_arena_printf(r->arena, say(c, "%zu answers name items the checklist does not have",
                                               "%zu 项作答对应的检查项不在本检查表中"),
                                 in->unknown_items);
    if (n == 0) return;
    r->warnings = hc_arena_alloc(r->arena, n * sizeof *r->warnings);
    for (size_t i = 0; i < n; i++) r->warnings[i] = w[i];
    r->nwarnings = n;
}

hc_result *hc_evaluate(hc_engine *e, const hc_inspection *in)
{
    const hc_checklist *c = in->checklist;
    hc_sandbox *sb = hc_engine_sandbox(e);
    hc_result *r = hc_xcalloc(1, sizeof *r);
    r->arena = hc_arena_new();
    r->in = in;
    r->checklist = c;
    r->n = c->nitems;
    r->findings = hc_arena_alloc(r->arena, (c->nitems ? c->nitems : 1) * sizeof *r->findings);

    hc_eval_context x = {in->site, in->id, in->date, in->kind, in->inspector, in->answers};
    hc_buf err = {0};
    int applies;
    const char *msg = NULL;
    if (hc_eval_begin(sb, c, &x, r->arena, &err) != 0) {
        applies = -1;
        msg = hc_arena_printf(r->arena, "cannot prepare the rule context: %s",
                              err.data ? err.data : "");
    } else {
        applies = hc_eval_pack_applies(sb, c, r->arena, &msg);
    }
    hc_buf_free(&err);
    long date = 0;
    hc_date_parse(in->date, strlen(in->date), &date);
    /* a budget for the whole inspection, so many slow rules cannot add up to a hang */
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    unsigned budget = hc_engine_limits(e)->inspection_millis;
    long ms = 0;
    hc_sandbox_slow(sb);
    for (size_t i = 0; i < c->nitems; i++) {
        hc_finding *f = &r->findings[i];
        /* only a rule that ran long enough to reach the hook can have spent real time */
        if (budget && hc_sandbox_slow(sb)) {
            clock_gettime(CLOCK_MONOTONIC, &now);
            ms = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
        }
        if (budget && ms > (long)budget) {
            f->item = &c->items[i];
            f->answer = &in->answers[i];
            f->status = HC_ERROR_ST;
            f->message = hc_arena_printf(r->arena, "not evaluated: the inspection exceeded its time "
                                                   "budget (%u ms)", budget);
            f->deadline[0] = '\0';
            continue;
        }
        hc_eval_item(sb, c, i, &in->answers[i], applies, msg, r->arena, f);
        if (f->status == HC_FAIL) {
            const hc_item *it = f->item;
            int days = it->deadline_days >= 0 ? it->deadline_days
                       : it->severity == HC_SEV_MAJOR ? c->deadline_major
                                                      : c->deadline_general;
            hc_date_format(date + days, f->deadline);
        }
    }
    hc_score(r);
    warn(r);
    return r;
}

void hc_result_free(hc_result **rp)
{
    if (rp == NULL || *rp == NULL) return;
    hc_arena_free(&(*rp)->arena);
    free(*rp);
    *rp = NULL;
}
