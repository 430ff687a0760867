/*
** test_interview.c: the interview asks exactly what evaluation evaluates
** (src/engine/interview.c). It used to decide "does this item apply" on its
** own: it ignored the pack's applies and asked items whose applies returned
** fail(), which evaluation then marked n/a.
*/

#include "testutil.h"
#include "engine/engine.h"

/* What evaluation makes of item idx with no answers, for 'site'. */
static hc_status evaluated(hc_engine *e, const hc_checklist *c, size_t idx, const hc_node *site)
{
    hc_sandbox *sb = hc_engine_sandbox(e);
    hc_arena *a = hc_arena_new();
    hc_answer *answers = hc_arena_alloc(a, (c->nitems ? c->nitems : 1) * sizeof *answers);
    for (size_t i = 0; i < c->nitems; i++) hc_answer_type(a, c->path, &c->items[i], NULL, &answers[i], NULL);
    hc_eval_context x = {site, "t", "2026-09-09", "enforcement", NULL, answers};
    hc_buf err = {0};
    assert_int_equal(hc_eval_begin(sb, c, &x, a, &err), 0);
    const char *msg;
    int pack = hc_eval_pack_applies(sb, c, a, &msg);
    hc_finding f;
    hc_eval_item(sb, c, idx, &answers[idx], pack, msg, a, &f);
    hc_arena_free(&a);
    return f.status;
}

static int has_required(const hc_item *it)
{
    for (size_t i = 0; i < it->ninputs; i++)
        if (it->inputs[i].required) return 1;
    return 0;
}

/* For one site: every item the interview skips is n/a in evaluation, every
   item it asks (with a required input) is unanswered there. */
static size_t agree(hc_engine *e, const hc_checklist *c, const hc_node *site)
{
    size_t checked = 0;
    hc_diags d = {0};
    for (size_t i = 0; i < c->nitems; i++) {
        /* the interview's question and evaluation's answer, each in its own context */
        hc_interview *iv = hc_interview_begin(e, c, site, "2026-09-09", NULL, &d);
        assert_non_null(iv);
        const char *why;
        int asks = hc_interview_applies(iv, i, &why);
        hc_interview_end(&iv);
        hc_status st = evaluated(e, c, i, site);
        if (asks == 0 && st != HC_NA) fail_msg("%s %s: interview skips it, evaluation says %s", c->id, c->items[i].id, hc_status_name(st));
        if (asks < 0 && st != HC_ERROR_ST) fail_msg("%s %s: applies failed, evaluation says %s", c->id, c->items[i].id, hc_status_name(st));
        if (asks > 0 && has_required(&c->items[i]) && st != HC_UNANSWERED)
            fail_msg("%s %s: interview asks it, evaluation says %s", c->id, c->items[i].id, hc_status_name(st));
        checked++;
    }
    hc_diags_clear(&d);
    return checked;
}

static void test_every_shipped_pack(void **state)
{
    (void)state;
    hc_engine *e = tu_engine_at("checklists", "rules", NULL);
    hc_diags d = {0};
    hc_checklist **list;
    size_t n;
    assert_int_equal(hc_engine_list_packs(e, &list, &n, &d), 0);
    assert_true(n >= 5);
    size_t checked = 0, skipped_somewhere = 0;
    for (size_t p = 0; p < n; p++) {
        const hc_checklist *c = list[p];
        /* every site the pack's own tests use, and an empty one */
        checked += agree(e, c, NULL);
        for (size_t i = 0; i < c->nitems; i++)
            for (size_t t = 0; t < c->items[i].ntests; t++)
                if (c->items[i].tests[t].site) {
                    checked += agree(e, c, c->items[i].tests[t].site);
                    for (size_t k = 0; k < c->nitems; k++) {
                        hc_interview *iv = hc_interview_begin(e, c, c->items[i].tests[t].site, "2026-09-09", NULL, &d);
                        const char *why;
                        skipped_somewhere += hc_interview_applies(iv, k, &why) == 0;
                        hc_interview_end(&iv);
                    }
                }
    }
    assert_true(checked > 1000);           /* the packs' test sites were really tried */
    assert_true(skipped_somewhere > 0);    /* and some of them make items not apply */
    free(list);
    hc_diags_clear(&d);
    hc_engine_free(&e);
}

/* The two cases the old interview got wrong. */
static void test_pack_applies_and_fail(void **state)
{
    (void)state;
    const char *pack =
        "hazcheck: 1\nid: applies-t\nversion: '1'\ntitle: t\n"
        "applies: site.kind == 'dust'\n"
        "items:\n"
        "  - id: A\n    title: a\n    inputs: {x: {type: bool}}\n    check: obs.x\n"
        "  - id: B\n    title: b\n    applies: fail('no')\n    inputs: {x: {type: bool}}\n    check: obs.x\n";
    hc_engine *e = tu_engine(NULL);
    hc_diags d = {0};
    hc_checklist *c = hc_engine_load_path(e, tu_write("applies.yaml", pack), 0, &d);
    if (c == NULL) tu_dump(&d);
    assert_non_null(c);
    hc_doc *dust = hc_doc_new("site");
    hc_add_str(dust, (hc_node *)hc_doc_root(dust), "kind", "dust");
    hc_doc *mine = hc_doc_new("site");
    hc_add_str(mine, (hc_node *)hc_doc_root(mine), "kind", "mine");

    hc_interview *iv = hc_interview_begin(e, c, hc_doc_root(mine), "2026-09-09", NULL, &d);
    const char *why;
    assert_int_equal(hc_interview_applies(iv, 0, &why), 0);     /* the pack does not apply */
    assert_non_null(why);
    hc_interview_end(&iv);
    assert_int_equal(evaluated(e, c, 0, hc_doc_root(mine)), HC_NA);

    iv = hc_interview_begin(e, c, hc_doc_root(dust), "2026-09-09", NULL, &d);
    assert_int_equal(hc_interview_applies(iv, 0, &why), 1);
    assert_int_equal(hc_interview_applies(iv, 1, &why), 0);     /* applies returned fail() */
    char msg[256];
    hc_doc *ans = hc_doc_new("answer");
    hc_add_str(ans, (hc_node *)hc_doc_root(ans), "x", "maybe");
    assert_int_equal(hc_interview_check(iv, 0, hc_doc_root(ans), msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "expected true/false"));
    assert_string_equal(msg, "'maybe'; expected true/false, yes/no or 是/否");  /* no file, no item */
    hc_doc_free(&ans);
    hc_interview_end(&iv);
    assert_int_equal(evaluated(e, c, 1, hc_doc_root(dust)), HC_NA);

    hc_doc_free(&dust);
    hc_doc_free(&mine);
    hc_diags_clear(&d);
    hc_engine_free(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_shipped_pack),
        cmocka_unit_test(test_pack_applies_and_fail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
