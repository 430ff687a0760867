/* test_answers.c: inspections and answers typed by the checklist's declarations. */
#include "testutil.h"

static hc_engine *e;

static int setup(void **state)
{
    (void)state;
    e = tu_engine(NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hc_engine_free(&e);
    return 0;
}

static hc_inspection *load(const char *text, hc_diags *d)
{
    hc_reader *r = hc_reader_open_mem("i.yaml", text, strlen(text), NULL, d);
    hc_doc *doc = NULL;
    assert_int_equal(hc_reader_next(r, &doc, d), 1);
    hc_reader_close(&r);
    return hc_inspection_load(e, doc, d);
}

#define HEAD "inspection: {id: t1, site: {id: s1, name: n, dust: {dry_collection: true}}, checklist: mini, date: 2026-09-09}\n"

static const hc_value *field(const hc_inspection *in, const char *item, const char *name)
{
    long i = hc_checklist_find(in->checklist, item);
    const hc_value *m = &in->answers[i].obs;
    for (size_t k = 0; k < m->len; k++)
        if (strcmp(m->keys[k], name) == 0) return &m->u.items[k];
    return NULL;
}

static void test_typed_by_declaration(void **state)
{
    (void)state;
    hc_diags d = {0};
    hc_inspection *in = load(HEAD "answers:\n  G02: {devices: [screw, rotary_valve], code: 0012, count: 3}\n"
                                  "  G01: {thickness_mm: '1.5', blown: 否, cleaned_on: 2026-09-01}\n"
                                  "  D03: {explosion_control: none}\n", &d);
    assert_non_null(in);
    assert_int_equal(d.errors, 0);
    const hc_value *v = field(in, "G02", "code");
    assert_int_equal(v->kind, HC_V_STR);
    assert_string_equal(v->u.s, "0012");              /* text stays text */
    v = field(in, "G02", "count");
    assert_int_equal(v->kind, HC_V_INT);
    assert_int_equal(v->u.i, 3);
    v = field(in, "G02", "devices");
    assert_int_equal(v->kind, HC_V_SET);
    assert_int_equal(v->len, 2);
    assert_string_equal(v->u.items[1].u.s, "rotary_valve");
    v = field(in, "G01", "thickness_mm");
    assert_int_equal(v->kind, HC_V_NUM);
    assert_true(v->u.num == 1.5);
    v = field(in, "G01", "blown");
    assert_int_equal(v->kind, HC_V_BOOL);
    assert_int_equal(v->u.b, 0);
    v = field(in, "G01", "cleaned_on");
    assert_string_equal(v->u.s, "2026-09-01");
    v = field(in, "D03", "explosion_control");
    assert_string_equal(v->u.s, "none");
    assert_string_equal(in->id, "t1");
    assert_string_equal(in->kind, "enforcement");
    hc_inspection_free(&in);
    assert_null(in);
    hc_diags_clear(&d);
}

/* Answers are tried in the checklist's order first (inspection.c, answers.c):
   in any other order, each still reaches its own item and input. */
static void test_any_order(void **state)
{
    (void)state;
    static const char *const texts[] = {
        HEAD "answers:\n  D03: {explosion_control: none}\n"
             "  G01: {cleaned_on: 2026-09-01, blown: 否, thickness_mm: '1.5'}\n",
        HEAD "answers:\n  G01: {thickness_mm: '1.5', blown: 否, cleaned_on: 2026-09-01}\n"
             "  D03: {explosion_control: none}\n",
        HEAD "answers:\n  G01: {blown: 否, cleaned_on: 2026-09-01, thickness_mm: '1.5'}\n"
             "  D03: {explosion_control: none}\n  G01x: {a: 1}\n",
    };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        hc_diags d = {0};
        hc_inspection *in = load(texts[i], &d);
        assert_non_null(in);
        assert_int_equal(d.errors, i == 2);           /* G01x is no item */
        assert_true(field(in, "G01", "thickness_mm")->u.num == 1.5);
        assert_int_equal(field(in, "G01", "blown")->kind, HC_V_BOOL);
        assert_string_equal(field(in, "G01", "cleaned_on")->u.s, "2026-09-01");
        assert_string_equal(field(in, "D03", "explosion_control")->u.s, "none");
        hc_inspection_free(&in);
        hc_diags_clear(&d);
    }
}

static void test_bool_spellings(void **state)
{
    (void)state;
    const char *yes[] = {"true", "TRUE", "Yes", "yes", "是", NULL};
    const char *no[] = {"false", "No", "NO", "否", NULL};
    for (int k = 0; k < 2; k++) {
        const char **list = k ? no : yes;
        for (int i = 0; list[i]; i++) {
            char text[512];
            snprintf(text, sizeof text, HEAD "answers:\n  G01: {thickness_mm: 0, blown: %s}\n", list[i]);
            hc_diags d = {0};
            hc_inspection *in = load(text, &d);
            const hc_value *v = field(in, "G01", "blown");
            assert_int_equal(v->kind, HC_V_BOOL);
            assert_int_equal(v->u.b, k ? 0 : 1);
            hc_inspection_free(&in);
            hc_diags_clear(&d);
        }
    }
}

/* The answer must make only its item invalid, with a message naming 'needle'. */
static void invalid(const char *answers, const char *item, const char *needle)
{
    char text[1024];
    snprintf(text, sizeof text, HEAD "answers:\n%s", answers);
    hc_diags d = {0};
    hc_inspection *in = load(text, &d);
    assert_non_null(in);
    long i = hc_checklist_find(in->checklist, item);
    if (!in->answers[i].invalid || !tu_has_diag(&d, needle)) tu_dump(&d);
    assert_true(in->answers[i].invalid);
    assert_true(tu_has_diag(&d, needle));
    assert_non_null(strstr(in->answers[i].error, "i.yaml:"));
    for (size_t k = 0; k < in->checklist->nitems; k++)
        if ((long)k != i) assert_false(in->answers[k].invalid);
    hc_inspection_free(&in);
    hc_diags_clear(&d);
}

static void test_invalid_answers(void **state)
{
    (void)state;
    invalid("  D03: {explosion_control: no}\n", "D03", "'no' is not allowed; expected one of none, venting");
    invalid("  D03: {explosion_control: vnting}\n", "D03", "did you mean 'venting'");
    invalid("  G01: {thickness_mm: -1, blown: no}\n", "G01", "below the minimum 0");
    invalid("  G01: {thickness_mm: 0x10, blown: no}\n", "G01", "expected a number");
    invalid("  G01: {thickness_mm: .inf, blown: no}\n", "G01", "expected a number");
    invalid("  G01: {thickness_mm: 1, blown: maybe}\n", "G01", "expected true/false, yes/no or 是/否");
    invalid("  G01: {thickness_mm: 1, blown: no, cleaned_on: 2026-02-30}\n", "G01", "expected a date");
    invalid("  G01: {thickness_mm: [1], blown: no}\n", "G01", "got a sequence");
    invalid("  G01: {thickness: 1, blown: no}\n", "G01", "has no input 'thickness'; did you mean 'thickness_mm'");
    invalid("  G02: {devices: [screw, screw], code: a, count: 1}\n", "G02", "listed twice");
    invalid("  G02: {devices: [crane], code: a, count: 1}\n", "G02", "'crane' is not allowed");
    invalid("  G02: {devices: [screw], code: a, count: 1.5}\n", "G02", "expected a whole number");
    invalid("  G02: [1, 2]\n", "G02", "expected a mapping of its inputs");
}

static void test_reserved_and_unknown(void **state)
{
    (void)state;
    hc_diags d = {0};
    hc_inspection *in = load(HEAD "answers:\n  D03: {explosion_control: none, note: 风管无泄爆口, evidence: [a.jpg, b.jpg]}\n"
                                  "  G01: {na: 无积尘区域}\n  G02: {na: true}\n  X9: {a: 1}\n", &d);
    assert_non_null(in);
    long i = hc_checklist_find(in->checklist, "D03");
    assert_string_equal(in->answers[i].note, "风管无泄爆口");
    assert_int_equal(in->answers[i].nevidence, 2);
    assert_string_equal(in->answers[i].evidence[1], "b.jpg");
    i = hc_checklist_find(in->checklist, "G01");
    assert_string_equal(in->answers[i].na, "无积尘区域");
    i = hc_checklist_find(in->checklist, "G02");
    assert_non_null(in->answers[i].na);
    assert_int_equal(in->unknown_items, 1);
    const hc_diag *g = tu_find_diag(&d, "answer for item 'X9'");
    assert_non_null(g);
    assert_int_equal(g->line, 6);
    assert_int_equal(g->col, 3);
    hc_inspection_free(&in);
    hc_diags_clear(&d);
}

static void test_whole_file_errors(void **state)
{
    (void)state;
    hc_diags d = {0};
    assert_null(load("inspection: {site: {id: s, name: n}, checklist: mini}\n", &d));
    assert_true(tu_has_diag(&d, "no 'date'"));
    hc_diags_clear(&d);
    assert_null(load("inspection: {date: 2026-01-01, checklist: mini}\n", &d));
    assert_true(tu_has_diag(&d, "no 'site'"));
    hc_diags_clear(&d);
    assert_null(load("inspection: {date: 2026-01-01, site: {id: s}, checklist: nope}\n", &d));
    const hc_diag *g = tu_find_diag(&d, "unknown checklist 'nope'");
    assert_non_null(g);
    assert_string_equal(g->file, "i.yaml");
    hc_diags_clear(&d);
    assert_null(load("inspection: {date: 2026-01-01, site: unregistered, checklist: mini}\n", &d));
    assert_true(tu_has_diag(&d, "site 'unregistered' is not known"));
    hc_diags_clear(&d);
    assert_null(load("- just\n- a list\n", &d));
    assert_true(tu_has_diag(&d, "not an inspection"));
    hc_diags_clear(&d);
    assert_null(load("inspection: {date: 2026-01-01, site: {id: s}, checklist: mini, kind: audit}\n", &d));
    assert_true(tu_has_diag(&d, "expected enforcement, self or reinspection"));
    hc_diags_clear(&d);
    assert_null(load("inspection: {date: 2026-01-01, site: {id: s}, checklist: mini@2.0}\n", &d));
    assert_true(tu_has_diag(&d, "not the pinned 2.0"));
    hc_diags_clear(&d);
}

static void test_generated_id_and_sites(void **state)
{
    (void)state;
    hc_diags d = {0};
    const char *text = "inspection: {site: \"370181-0042\", checklist: mini, date: 2026-01-01}\n";
    assert_null(load(text, &d));
    hc_diags_clear(&d);
    assert_int_equal(hc_engine_add_sites(e, "tests/data/site.yaml", &d), 0);
    hc_inspection *a = load(text, &d);
    hc_inspection *b = load(text, &d);
    assert_non_null(a);
    assert_string_equal(a->site_name, "章丘某木制品加工有限公司");
    assert_int_equal(strlen(a->id), 32);
    assert_string_equal(a->id, b->id);            /* the same content, the same id */
    hc_inspection_free(&a);
    hc_inspection_free(&b);
    a = load("inspection: {site: \"370181-0042\", checklist: mini, date: 2026-01-02}\n", &d);
    b = load(text, &d);
    assert_string_not_equal(a->id, b->id);
    hc_inspection_free(&a);
    hc_inspection_free(&b);
    assert_int_not_equal(hc_engine_add_sites(e, "tests/data/batch.yaml", &d), 0);
    hc_diags_clear(&d);
}

/* formats.md value labels: an answer by code or by label; rules see the code. */
static void test_value_labels(void **state)
{
    (void)state;
    const char *pack =
        "hazcheck: 1\nid: lab\nversion: '1'\ntitle: t\n"
        "items:\n"
        "  - id: S\n    title: s\n"
        "    inputs:\n"
        "      structure: {type: enum, values: {frame: 框架结构, masonry: 砖混结构, 其他: ''}}\n"
        "      parts: {type: set, values: {roof: 屋面, wall: 墙体}, required: false}\n"
        "    check: obs.structure == 'frame'\n";
    hc_diags d = {0};
    const char *path = tu_write("labels.yaml", pack);
    hc_checklist *c = hc_engine_load_path(e, path, 1, &d);
    if (c == NULL) tu_dump(&d);
    assert_non_null(c);
    assert_false(tu_has_diag(&d, "has no label"));   /* every code not already Chinese is labelled */
    const hc_input *in = &c->items[0].inputs[0];
    assert_string_equal(hc_input_value_label(in, 0), "框架结构");
    assert_string_equal(hc_input_value_label(in, 2), "其他");   /* no label: the code */
    hc_diags_clear(&d);
    char text[512];
    snprintf(text, sizeof text, "inspection: {id: l1, site: {id: s1, name: n}, checklist: %s,"
                                " date: 2026-09-09}\nanswers:\n  S: {structure: 框架结构, parts: [墙体, roof]}\n",
             path);
    hc_inspection *insp = load(text, &d);
    assert_non_null(insp);
    assert_int_equal(d.errors, 0);
    const hc_value *v = field(insp, "S", "structure");
    assert_string_equal(v->u.s, "frame");      /* the label is read as its code */
    v = field(insp, "S", "parts");
    assert_string_equal(v->u.items[0].u.s, "wall");
    assert_string_equal(v->u.items[1].u.s, "roof");
    hc_result *r = hc_evaluate(e, insp);
    assert_int_equal(r->findings[0].status, HC_PASS);
    hc_result_free(&r);
    hc_inspection_free(&insp);
    /* the same value twice, once by code and once by label, is a repeat */
    snprintf(text, sizeof text, "inspection: {id: l2, site: {id: s1, name: n}, checklist: %s,"
                                " date: 2026-09-09}\nanswers:\n  S: {structure: frame, parts: [wall, 墙体]}\n",
             path);
    insp = load(text, &d);
    assert_non_null(insp);
    assert_true(insp->answers[0].invalid);
    assert_true(tu_has_diag(&d, "listed twice"));
    hc_inspection_free(&insp);
    hc_diags_clear(&d);
    /* a zh-CN pack with an unlabelled English code: a lint warning; ambiguous labels: errors */
    const char *bad =
        "hazcheck: 1\nid: lab2\nversion: '1'\ntitle: t\n"
        "items:\n"
        "  - id: S\n    title: s\n"
        "    inputs:\n"
        "      a: {type: enum, values: [steel_portal, 框架]}\n"
        "      b: {type: enum, values: {x: 同名, y: 同名}}\n"
        "      c: {type: enum, values: {x: y, y: 乙}}\n"
        "    check: 'true'\n";
    assert_null(hc_engine_load_path(e, tu_write("labels2.yaml", bad), 1, &d));
    assert_true(tu_has_diag(&d, "value 'steel_portal' of input 'a' has no label"));
    assert_true(tu_has_diag(&d, "label '同名' names two values"));
    assert_true(tu_has_diag(&d, "label 'y' of 'x' is the code of another value"));
    hc_diags_clear(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_typed_by_declaration), cmocka_unit_test(test_value_labels),
        cmocka_unit_test(test_any_order),
        cmocka_unit_test(test_bool_spellings),
        cmocka_unit_test(test_invalid_answers),      cmocka_unit_test(test_reserved_and_unknown),
        cmocka_unit_test(test_whole_file_errors),    cmocka_unit_test(test_generated_id_and_sites),
    };
    return cmocka_run_group_tests_name("answers", tests, setup, teardown);
}
