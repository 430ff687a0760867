/*
** profile.c: check --profile, which rule makes a batch slow. The sandbox
** times each run by the reference of the code it ran; here references are
** named back as pack, item and part, and ordered by total time.
*/
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "engine/sandbox.h"

void hc_engine_profile(hc_engine *e, int on)
{
    hc_sandbox_profile(hc_engine_sandbox(e), on);
}

typedef struct timed {
    const hc_checklist *c;
    const hc_item *it;            /* NULL: the pack's own applies */
    const char *part;
    hc_rule_timing t;
} timed;

static int slowest_first(const void *a, const void *b)
{
    const timed *x = a, *y = b;
    if (x->t.total_ns != y->t.total_ns) return x->t.total_ns > y->t.total_ns ? -1 : 1;
    return x->t.calls > y->t.calls ? -1 : x->t.calls < y->t.calls;
}

static void add_timed(timed **v, size_t *n, size_t *cap, const hc_sandbox *sb, const hc_checklist *c,
                      const hc_item *it, const char *part, int ref)
{
    hc_rule_timing t = hc_sandbox_timing(sb, ref);
    if (t.calls == 0) return;
    if (*n == *cap) {
        *cap = *cap ? 2 * *cap : 64;
        *v = hc_xrealloc(*v, *cap * sizeof **v);
    }
    (*v)[(*n)++] = (timed){c, it, part, t};
}

/* The same rule on several engines: the same pack (id and version), item and part. */
static int same_rule_order(const void *a, const void *b)
{
    const timed *x = a, *y = b;
    int c = strcmp(x->c->id, y->c->id);
    if (c == 0) c = strcmp(x->c->version, y->c->version);
    if (c == 0 && x->it != y->it) {
        if (x->it == NULL || y->it == NULL) return x->it == NULL ? -1 : 1;
        c = strcmp(x->it->id, y->it->id);
    }
    return c ? c : strcmp(x->part, y->part);
}

static size_t merge_same_rules(timed *v, size_t n)
{
    if (n < 2) return n;
    qsort(v, n, sizeof *v, same_rule_order);
    size_t k = 0;
    for (size_t i = 1; i < n; i++) {
        if (same_rule_order(&v[k], &v[i]) == 0) {
            v[k].t.calls += v[i].t.calls;
            v[k].t.total_ns += v[i].t.total_ns;
            if (v[i].t.max_ns > v[k].t.max_ns) v[k].t.max_ns = v[i].t.max_ns;
        } else {
            v[++k] = v[i];
        }
    }
    return k + 1;
}

hc_doc *hc_engine_profile_report(hc_engine *const *engines, size_t nengines)
{
    size_t n = 0, cap = 0;
    timed *v = NULL;
    for (size_t k = 0; k < nengines; k++) {
        hc_engine *e = engines[k];
        const hc_sandbox *sb = hc_engine_sandbox(e);
        size_t npacks = 0;
        hc_checklist *const *packs = hc_engine_loaded(e, &npacks);
        for (size_t p = 0; p < npacks; p++) {
            const hc_checklist *c = packs[p];
            add_timed(&v, &n, &cap, sb, c, NULL, "applies", c->applies.ref);
            for (size_t i = 0; i < c->nitems; i++) {
                const hc_item *it = &c->items[i];
                add_timed(&v, &n, &cap, sb, c, it, "applies", it->applies.ref);
                add_timed(&v, &n, &cap, sb, c, it, it->is_rule ? "rule" : "check", it->code.ref);
            }
        }
    }
    if (nengines > 1) n = merge_same_rules(v, n);
    if (n) qsort(v, n, sizeof *v, slowest_first);
    hc_doc *doc = hc_doc_new("profile");
    hc_node *rules = hc_add_seq(doc, (hc_node *)hc_doc_root(doc), "rules");
    for (size_t k = 0; k < n; k++) {
        hc_node *r = hc_add_map(doc, rules, NULL);
        hc_add_str(doc, r, "checklist", v[k].c->id);
        hc_add_str(doc, r, "version", v[k].c->version);
        hc_add_str(doc, r, "item", v[k].it ? v[k].it->id : NULL);
        hc_add_str(doc, r, "part", v[k].part);
        hc_add_int(doc, r, "calls", (long long)v[k].t.calls);
        hc_add_num(doc, r, "total_ms", (double)v[k].t.total_ns / 1e6);
        hc_add_num(doc, r, "mean_us", (double)v[k].t.total_ns / 1e3 / (double)v[k].t.calls);
        hc_add_num(doc, r, "max_us", (double)v[k].t.max_ns / 1e3);
    }
    free(v);
    return doc;
}
