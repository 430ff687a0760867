/* test_checklist.c: the checklist model and every validation rule of formats.md section 1. */
#include "engine/engine.h"
#include "engine/sandbox.h"
#include "testutil.h"

static hc_sandbox *sb;

static int setup(void **state)
{
    (void)state;
    sb = hc_sandbox_new(NULL, NULL, 0);
    return sb ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    hc_sandbox_free(&sb);
    return 0;
}

#define HEAD "hazcheck: 1\nid: p\nversion: \"1\"\ntitle: t\nsources: {MEM10-2023: x}\n"

/* Load 'text' with lint on; returns the pack or NULL, diagnostics in d. */
static hc_checklist *load(const char *text, hc_diags *d)
{
    return hc_checklist_load(sb, tu_write("pack.yaml", text), NULL, 1, d);
}

static void expect_error(const char *text, const char *needle, unsigned line, unsigned col)
{
    hc_diags d = {0};
    hc_checklist *c = load(text, &d);
    const hc_diag *g = tu_find_diag(&d, needle);
    if (g == NULL || c != NULL) {
        fprintf(stderr, "wanted '%s' in:\n", needle);
        tu_dump(&d);
    }
    assert_null(c);
    assert_non_null(g);
    assert_int_equal(g->level, HC_ERROR);
    if (line) assert_int_equal(g->line, line);
    if (col) assert_int_equal(g->col, col);
    hc_diags_clear(&d);
}

static void test_the_sample_pack(void **state)
{
    (void)state;
    hc_diags d = {0};
    hc_checklist *c = hc_checklist_load(sb, "tests/data/packs/mini.yaml", NULL, 0, &d);
    assert_non_null(c);
    assert_string_equal(c->id, "mini");
    assert_string_equal(c->version, "1.0");
    assert_int_equal(c->nitems, 3);
    assert_int_equal(strlen(c->sha256), 64);
    assert_int_equal(c->has_pass_mark, 1);
    assert_int_equal(c->deadline_major, 60);
    const hc_item *d03 = &c->items[hc_checklist_find(c, "D03")];
    assert_int_equal(d03->severity, HC_SEV_MAJOR);
    assert_int_equal(d03->order, HC_ORDER_SUSPEND_EQUIPMENT);
    assert_int_equal(d03->ninputs, 2);
    assert_int_equal(d03->inputs[0].type, HC_IN_ENUM);
    assert_int_equal(d03->inputs[0].nvalues, 5);
    assert_int_equal(d03->inputs[1].required, 0);
    assert_int_equal(d03->inputs[1].has_min, 1);
    assert_int_equal(d03->ntests, 3);
    assert_true(d03->code.ref >= 0 && d03->applies.ref >= 0);
    const hc_item *g01 = &c->items[hc_checklist_find(c, "G01")];
    assert_int_equal(g01->is_rule, 1);
    assert_int_equal(g01->code.lines[0], 54);       /* Lua lines are the YAML file's */
    assert_int_equal(hc_checklist_find(c, "nope"), -1);
    hc_checklist_free(&c, sb);
    assert_null(c);
    hc_diags_clear(&d);
}

static void test_header_rules(void **state)
{
    (void)state;
    expect_error("id: p\nversion: \"1\"\ntitle: t\nitems: []\n", "missing required key 'hazcheck'", 1, 1);
    expect_error("hazcheck: 2\nid: p\nversion: \"1\"\ntitle: t\nitems: []\n", "this hazcheck reads version 1", 1, 11);
    expect_error("hazcheck: 1\nid: Bad_Id\nversion: \"1\"\ntitle: t\nitems: []\n", "pack id 'Bad_Id'", 2, 5);
    expect_error("hazcheck: 1\nid: p\ntitle: t\nitems: []\n", "missing required key 'version'", 0, 0);
    expect_error("hazcheck: 1\nid: p\nversion: \"1\"\ntitle: t\nitem: []\n", "did you mean 'items'", 5, 1);
    expect_error(HEAD "scoring: {model: weigthed}\nitems: []\n", "did you mean 'weighted'", 6, 18);
    expect_error(HEAD "scoring: {pass_mark: 120}\nitems: []\n", "pass_mark 120", 0, 0);
    expect_error(HEAD "scoring: {model: flat, total: 50}\nitems: []\n", "deduct model only", 0, 0);
    expect_error(HEAD "defaults: {weight: 0}\nitems: []\n", "expected a number above 0", 0, 0);
}

static void test_item_rules(void **state)
{
    (void)state;
    expect_error(HEAD "items:\n  - id: 'a b'\n    title: x\n    check: 'true'\n", "item id 'a b'", 7, 9);
    expect_error(HEAD "items:\n  - title: x\n    check: 'true'\n", "missing required key 'id'", 7, 5);
    expect_error(HEAD "items:\n  - {id: a, title: x, check: 'true'}\n  - {id: a, title: y, check: 'true'}\n",
                 "duplicate item id 'a' (first at line 7)", 8, 0);
    expect_error(HEAD "items:\n  - {id: a, title: x, check: 'true', basis: [GB1 2]}\n",
                 "basis 'GB1 2' does not start with a code from 'sources'", 7, 0);
    expect_error(HEAD "items:\n  - {id: a, title: x}\n", "neither 'check' nor 'rule'", 0, 0);
    expect_error(HEAD "items:\n  - {id: a, title: x, check: 'true', rule: 'return true'}\n",
                 "both 'check' and 'rule'", 0, 0);
    expect_error(HEAD "items:\n  - {id: a, title: x, check: 'true', severity: big}\n",
                 "expected one of general, major", 0, 0);
    expect_error(HEAD "items:\n  - {id: a, title: x, check: 'true', weight: -1}\n", "above 0", 0, 0);
    expect_error(HEAD "items:\n  - {id: a, title: x, check: 'true', order: stop}\n",
                 "expected one of rectify, rectify-now", 0, 0);
    expect_error(HEAD "items:\n  - {id: a, title: x, check: 'true', titel: y}\n", "did you mean 'title'", 0, 0);
}

static void test_input_rules(void **state)
{
    (void)state;
    expect_error(HEAD "items:\n  - id: a\n    title: x\n    check: 'true'\n    inputs:\n      evidence: {type: text}\n",
                 "input name 'evidence' is reserved", 11, 7);
    expect_error(HEAD "items:\n  - id: a\n    title: x\n    check: 'true'\n    inputs:\n      na: {type: bool}\n",
                 "input name 'na' is reserved", 0, 0);
    expect_error(HEAD "items:\n  - id: a\n    title: x\n    check: 'true'\n    inputs:\n      k: {type: enum}\n",
                 "needs 'values'", 0, 0);
    expect_error(HEAD "items:\n  - id: a\n    title: x\n    check: 'true'\n    inputs:\n      k: {type: set, values: []}\n",
                 "needs 'values'", 0, 0);
    expect_error(HEAD "items:\n  - id: a\n    title: x\n    check: 'true'\n    inputs:\n      k: {type: numbr}\n",
                 "did you mean 'number'", 11, 17);
}

static void test_input_rules_more(void **state)
{
    (void)state;
    expect_error(HEAD "items:\n  - id: a\n    title: x\n    check: 'true'\n    inputs:\n      k: {type: number, min: 5, max: 1}\n",
                 "min 5 is above max 1", 0, 0);
    expect_error(HEAD "items:\n  - id: a\n    title: x\n    check: 'true'\n    inputs:\n      k: {type: text, min: 1}\n",
                 "'min' applies to number and integer inputs only", 0, 0);
    expect_error(HEAD "items:\n  - id: a\n    title: x\n    check: 'true'\n    inputs:\n      k: {type: list}\n",
                 "needs 'fields'", 0, 0);
    expect_error(HEAD "items:\n  - id: a\n    title: x\n    check: 'true'\n    inputs:\n      k: {type: enum, values: [a, a]}\n",
                 "listed twice", 0, 0);
    expect_error(HEAD "items:\n  - id: a\n    title: x\n    check: obs.volum > 1\n    inputs:\n      volume: {type: number}\n",
                 "reads obs.volum but the item has no input 'volum'; did you mean 'volume'", 0, 0);
}

static void test_lua_syntax_at_yaml_line(void **state)
{
    (void)state;
    expect_error(HEAD "items:\n  - id: a\n    title: x\n    rule: |\n      local a = 1\n      if a then\n        return pass(\n      end\n",
                 "Lua syntax error in 'rule'", 13, 0);
    expect_error(HEAD "items:\n  - id: a\n    title: x\n    check: obs.a ==\n", "Lua syntax error in 'check'", 9, 12);
    expect_error(HEAD "items:\n  - id: a\n    title: x\n    check: 'true'\n    applies: site.x ~=\n",
                 "Lua syntax error in 'applies'", 10, 0);
}

static void test_tests_and_warnings(void **state)
{
    (void)state;
    expect_error(HEAD "items:\n  - id: a\n    title: x\n    check: 'true'\n    tests:\n      - {obs: {}, expect: maybe}\n",
                 "expected one of fail, error, unanswered, pass, na", 0, 0);
    expect_error(HEAD "items:\n  - id: a\n    title: x\n    check: 'true'\n    tests:\n      - {obs: {}}\n",
                 "has no 'expect'", 0, 0);
    expect_error(HEAD "items:\n  - id: a\n    title: x\n    check: 'true'\n    tests:\n      - {obs: {}, expect: pass, date: 2026-02-31}\n",
                 "expected YYYY-MM-DD", 0, 0);
    hc_diags d = {0};
    hc_checklist *c = load(HEAD "items:\n  - {id: a, title: x, check: 'true', basis: MEM10-2023 第三条}\n", &d);
    assert_non_null(c);
    const hc_diag *g = tu_find_diag(&d, "item a has no tests");
    assert_non_null(g);
    assert_int_equal(g->level, HC_WARNING);
    hc_checklist_free(&c, sb);
    hc_diags_clear(&d);
    /* an applies rule without its words: the form could not say when it applies */
    c = load(HEAD "applies: site.dust ~= nil\nitems:\n"
                  "  - {id: a, title: x, check: 'true', basis: MEM10-2023 第三条, applies: 'site.wet == true'}\n",
             &d);
    assert_non_null(c);
    size_t n = 0;
    for (size_t i = 0; i < d.n; i++) n += strstr(d.v[i].msg, "has no 'applies_text'") != NULL;
    assert_int_equal(n, 2);                        /* the pack's and the item's */
    hc_checklist_free(&c, sb);
    hc_diags_clear(&d);
    c = load(HEAD "applies: site.dust ~= nil\napplies_text: 涉及粉尘的\nitems:\n"
                  "  - {id: a, title: x, check: 'true', basis: MEM10-2023 第三条, applies: 'site.wet == true',"
                  " applies_text: 采用湿式除尘的}\n", &d);
    assert_non_null(c);
    assert_null(tu_find_diag(&d, "applies_text"));
    assert_string_equal(c->applies_text, "涉及粉尘的");
    assert_string_equal(c->items[0].applies_text, "采用湿式除尘的");
    hc_checklist_free(&c, sb);
    hc_diags_clear(&d);
    /* without lint, no warnings */
    c = hc_checklist_load(sb, tu_write("p2.yaml", HEAD "items:\n  - {id: a, title: x, check: 'true'}\n"), NULL, 0, &d);
    assert_non_null(c);
    assert_int_equal(d.n, 0);
    hc_checklist_free(&c, sb);
}

static void test_many_errors_reported_at_once(void **state)
{
    (void)state;
    hc_diags d = {0};
    assert_null(load(HEAD "items:\n  - {id: a, title: x}\n  - {id: 'b c', title: y, check: 'true'}\n"
                          "  - {id: d, titl: z, check: 'true'}\n", &d));
    assert_true(d.errors >= 4);
    hc_diags_clear(&d);
    assert_int_equal(hc_status_parse("unanswered"), HC_UNANSWERED);
    const char *names[] = {"severity", "section", NULL};
    assert_string_equal(hc_did_you_mean("sevrity", names), "severity");
    assert_null(hc_did_you_mean("zzzzzzzz", names));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_sample_pack),  cmocka_unit_test(test_header_rules),
        cmocka_unit_test(test_item_rules),       cmocka_unit_test(test_input_rules),
        cmocka_unit_test(test_input_rules_more), cmocka_unit_test(test_lua_syntax_at_yaml_line),
        cmocka_unit_test(test_tests_and_warnings), cmocka_unit_test(test_many_errors_reported_at_once),
    };
    return cmocka_run_group_tests_name("checklist", tests, setup, teardown);
}
