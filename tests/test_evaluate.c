/* test_evaluate.c: item statuses, the evaluation order, scoring models, verdicts, deadlines,
   and results written as JSON on several threads at once. */
#include <pthread.h>

#include "testutil.h"
#include "hazcheck_report.h"

static hc_engine *e;

static int setup(void **state)
{
    (void)state;
    hc_limits lim;
    hc_limits_default(&lim);
    lim.lua_instructions = 1000000;
    e = tu_engine(&lim);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hc_engine_free(&e);
    return 0;
}

/* A pack of four items: a (major, w4), b (w3), c (w2, deadline 7), d (w1, applies on site.d). */
static const char *pack(const char *scoring, const char *extra)
{
    static char text[4096];
    snprintf(text, sizeof text,
             "hazcheck: 1\nid: ev\nversion: \"1\"\ntitle: t\n%s\n"
             "defaults: {deadline_days: {general: 30, major: 90}}\n%s\n"
             "items:\n"
             "  - {id: a, title: A, severity: major, weight: 4, inputs: {x: {type: integer}}, check: obs.x > 0}\n"
             "  - {id: b, title: B, weight: 3, inputs: {x: {type: integer}}, check: obs.x > 0}\n"
             "  - {id: c, title: C, weight: 2, deadline_days: 7, inputs: {x: {type: integer}}, check: obs.x > 0}\n"
             "  - {id: d, title: D, weight: 1, applies: site.d == true, inputs: {x: {type: integer}},\n"
             "     rule: \"if obs.x < 0 then error('negative') end return obs.x > 0\"}\n",
             scoring, extra ? extra : "");
    return tu_write("ev.yaml", text);
}

static hc_result *eval(const char *pack_path, const char *answers, const char *site_extra,
                       hc_inspection **inp)
{
    char text[2048];
    snprintf(text, sizeof text,
             "inspection: {id: e1, site: {id: s, name: n%s}, checklist: %s, date: 2026-09-09}\n"
             "answers:\n%s",
             site_extra ? site_extra : "", pack_path, answers);
    hc_diags d = {0};
    hc_reader *r = hc_reader_open_mem("e.yaml", text, strlen(text), NULL, &d);
    hc_doc *doc;
    assert_int_equal(hc_reader_next(r, &doc, &d), 1);
    hc_reader_close(&r);
    hc_inspection *in = hc_inspection_load(e, doc, &d);
    if (in == NULL) tu_dump(&d);
    assert_non_null(in);
    hc_diags_clear(&d);
    *inp = in;
    return hc_evaluate(e, in);
}

static void done(hc_result *r, hc_inspection *in)
{
    hc_result_free(&r);
    hc_inspection_free(&in);
}

/* Packs are cached by path, so each scoring model gets its own file name. */
static const char *pack_named(const char *name, const char *scoring)
{
    const char *tmp = pack(scoring, NULL);
    static char path[8][256];
    static int slot;
    char *p = path[slot++ % 8];
    snprintf(p, 256, "%s.%s.yaml", tmp, name);
    rename(tmp, p);
    return p;
}

static void test_statuses_and_verdicts(void **state)
{
    (void)state;
    const char *p = pack_named("w", "scoring: {model: weighted, pass_mark: 60}");
    hc_inspection *in;
    hc_result *r = eval(p, "  a: {x: 1}\n  b: {x: 0}\n  c: {x: 1}\n  d: {x: 1}\n", ", d: true", &in);
    assert_int_equal(r->findings[0].status, HC_PASS);
    assert_int_equal(r->findings[1].status, HC_FAIL);
    assert_string_equal(r->findings[1].message, "B");            /* default message: the title */
    assert_string_equal(r->findings[1].deadline, "2026-10-09");  /* general default: 30 days */
    assert_string_equal(r->findings[0].deadline, "");            /* only failed items */
    assert_int_equal(r->verdict, HC_GENERAL_HAZARDS);
    assert_true(r->score == 70);                                 /* (4+2+1)/10 */
    assert_int_equal(r->passed_mark, 1);
    done(r, in);

    r = eval(p, "  a: {x: 0}\n  b: {x: 1}\n  c: {x: 0}\n  d: {x: 1}\n", NULL, &in);
    assert_int_equal(r->findings[3].status, HC_NA);              /* applies false */
    assert_int_equal(r->verdict, HC_MAJOR_HAZARD);
    assert_int_equal(r->major_failed, 1);
    assert_string_equal(r->findings[0].deadline, "2026-12-08");  /* major default: 90 days */
    assert_string_equal(r->findings[2].deadline, "2026-09-16");  /* the item's own 7 days */
    assert_true(r->score == 33.33);                              /* 3/9, na not counted */
    assert_int_equal(r->passed_mark, 0);
    done(r, in);

    r = eval(p, "  a: {x: 1}\n  b: {}\n  c: {x: 1}\n  d: {x: -1}\n", ", d: true", &in);
    assert_int_equal(r->findings[1].status, HC_UNANSWERED);
    assert_non_null(strstr(r->findings[1].message, "x"));
    assert_int_equal(r->findings[3].status, HC_ERROR_ST);
    assert_non_null(strstr(r->findings[3].message, "negative"));
    assert_int_equal(r->findings[0].status, HC_PASS);            /* the others still evaluated */
    assert_int_equal(r->verdict, HC_INCOMPLETE);
    done(r, in);

    r = eval(p, "  a: {x: 1}\n  b: {na: 无此设备}\n  c: {x: 1}\n  d: {x: 1}\n", ", d: true", &in);
    assert_int_equal(r->findings[1].status, HC_NA);
    assert_string_equal(r->findings[1].message, "无此设备");
    assert_int_equal(r->verdict, HC_COMPLIANT);
    assert_true(r->score == 100);
    done(r, in);
}

static void test_scoring_models(void **state)
{
    (void)state;
    const char *ans = "  a: {x: 1}\n  b: {x: 0}\n  c: {x: 0}\n  d: {}\n";   /* d unanswered */
    struct { const char *name, *scoring; double score; } cases[] = {
        {"flat", "scoring: {model: flat}", 25},                     /* 1 of 4 */
        {"abs", "scoring: {model: absolute}", 0},
        {"ded", "scoring: {model: deduct, total: 10}", 4},          /* 10 - (3+2+1) */
        {"ded0", "scoring: {model: deduct, total: 5}", 0},          /* never below 0 */
        {"wt", "scoring: {model: weighted}", 40},                   /* 4/10 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *p = pack_named(cases[i].name, cases[i].scoring);
        hc_inspection *in;
        hc_result *r = eval(p, ans, ", d: true", &in);
        if (r->score != cases[i].score) fprintf(stderr, "%s: %g\n", cases[i].name, r->score);
        assert_true(r->score == cases[i].score);
        assert_int_equal(r->passed_mark, -1);
        done(r, in);
    }
    /* every item passes: absolute gives 100; no scored items gives 100 */
    const char *p = pack_named("abs2", "scoring: {model: absolute}");
    hc_inspection *in;
    hc_result *r = eval(p, "  a: {x: 1}\n  b: {x: 1}\n  c: {x: 1}\n  d: {x: 1}\n", ", d: true", &in);
    assert_true(r->score == 100);
    done(r, in);
    r = eval(p, "  a: {na: x}\n  b: {na: x}\n  c: {na: x}\n", NULL, &in);
    assert_true(r->score == 100);
    assert_int_equal(r->counts[HC_NA], 4);
    done(r, in);
}

static void test_pack_applies(void **state)
{
    (void)state;
    const char *tmp = tu_write("pa.yaml",
                               "hazcheck: 1\nid: pa\nversion: \"1\"\ntitle: t\napplies: site.dust ~= nil\n"
                               "items:\n  - {id: a, title: A, check: 'true'}\n");
    hc_inspection *in;
    hc_result *r = eval(tmp, "  a: {}\n", NULL, &in);
    assert_int_equal(r->findings[0].status, HC_NA);
    done(r, in);
    r = eval(tmp, "  a: {}\n", ", dust: {kind: wood}", &in);
    assert_int_equal(r->findings[0].status, HC_PASS);
    done(r, in);
}

/* formats.md "Validity of a pack": evaluated all the same, with a warning. */
static void test_validity(void **state)
{
    (void)state;
    const char *tmp = tu_write("va.yaml",
                               "hazcheck: 1\nid: va\nversion: \"1\"\ntitle: t\n"
                               "valid: {from: 2020-01-01, until: 2026-09-08}\n"
                               "superseded_by: 新标准 2026\n"
                               "items:\n  - {id: a, title: A, check: 'true'}\n");
    hc_inspection *in;
    hc_result *r = eval(tmp, "  a: {}\n", NULL, &in);          /* dated 2026-09-09: a day late */
    assert_int_equal(r->findings[0].status, HC_PASS);           /* still evaluated */
    assert_int_equal(r->out_of_force, 1);
    assert_int_equal(r->nwarnings, 1);
    assert_non_null(strstr(r->warnings[0], "2026-09-08"));
    assert_non_null(strstr(r->warnings[0], "新标准 2026"));
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    hc_write_json(f, r, 0);
    fclose(f);
    assert_non_null(strstr(buf, "\"warnings\":[\"检查表 va 1 的适用期为2020-01-01起至2026-09-08"));
    free(buf);
    done(r, in);
    /* the last day is still in force; the day before 'from' is not */
    const char *tmp2 = tu_write("vb.yaml",
                                "hazcheck: 1\nid: vb\nversion: \"1\"\ntitle: t\nvalid: {until: 2026-09-09}\n"
                                "items:\n  - {id: a, title: A, check: 'true'}\n");
    r = eval(tmp2, "  a: {}\n", NULL, &in);
    assert_int_equal(r->out_of_force, 0);
    assert_int_equal(r->nwarnings, 0);
    done(r, in);
    hc_diags d = {0};
    const char *bad = tu_write("vc.yaml",
                               "hazcheck: 1\nid: vc\nversion: \"1\"\ntitle: t\nvalid: {until: 2026-13-01, to: x}\n"
                               "items:\n  - {id: a, title: A, check: 'true'}\n");
    assert_null(hc_engine_load_path(e, bad, 1, &d));
    assert_true(tu_has_diag(&d, "valid.until '2026-13-01'; expected a date"));
    assert_true(tu_has_diag(&d, "unknown key 'to' in valid"));
    hc_diags_clear(&d);
}

static void test_runaway_rule_is_contained(void **state)
{
    (void)state;
    const char *tmp = tu_write("rw.yaml",
                               "hazcheck: 1\nid: rw\nversion: \"1\"\ntitle: t\n"
                               "items:\n"
                               "  - {id: a, title: A, rule: 'while true do end'}\n"
                               "  - {id: b, title: B, rule: 'return fail(\"坏\")'}\n"
                               "  - {id: c, title: C, rule: 'return 42'}\n"
                               "  - {id: d, title: D, check: '42'}\n"
                               "  - {id: e, title: E, rule: 'local x = 1'}\n");
    hc_inspection *in;
    hc_result *r = eval(tmp, "  a: {}\n", NULL, &in);
    assert_int_equal(r->findings[0].status, HC_ERROR_ST);
    assert_non_null(strstr(r->findings[0].message, "instruction budget"));
    assert_int_equal(r->findings[1].status, HC_FAIL);
    assert_string_equal(r->findings[1].message, "坏");
    assert_int_equal(r->findings[2].status, HC_ERROR_ST);    /* a rule must say pass/fail/na */
    assert_int_equal(r->findings[3].status, HC_PASS);        /* a check: 42 is truthy */
    assert_int_equal(r->findings[4].status, HC_ERROR_ST);
    assert_non_null(strstr(r->findings[4].message, "returned nothing"));
    done(r, in);
}

static void test_json_and_text_output(void **state)
{
    (void)state;
    const char *p = pack_named("out", "scoring: {model: weighted, pass_mark: 80}");
    hc_inspection *in;
    hc_result *r = eval(p, "  a: {x: 0, note: \"引号\\\"和\\n换行\", evidence: [IMG_1.jpg]}\n  b: {x: 1}\n  c: {x: 1}\n",
                        NULL, &in);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    hc_write_json(f, r, 0);
    fclose(f);
    assert_non_null(strstr(buf, "\"verdict\":\"major-hazard\""));
    assert_non_null(strstr(buf, "\"note\":\"引号\\\"和\\n换行\""));
    assert_non_null(strstr(buf, "\"evidence\":[\"IMG_1.jpg\"]"));
    assert_non_null(strstr(buf, "\"deadline\":\"2026-12-08\""));
    assert_non_null(strstr(buf, "\"inputs\":{\"x\":0}"));
    assert_non_null(strstr(buf, "\"counts\":{\"pass\":2,\"fail\":1,\"na\":1,\"unanswered\":0,\"error\":0}"));
    assert_null(strchr(buf, '\n'));                  /* compact: one line for jsonl */
    free(buf);
    f = open_memstream(&buf, &len);
    hc_out_opts o = {0};
    hc_write_text(f, r, &o);
    fclose(f);
    assert_non_null(strstr(buf, "verdict: major-hazard"));
    char *fail = strstr(buf, "FAIL");
    char *pass = strstr(buf, "PASS");
    assert_true(fail && pass && fail < pass);        /* failures first */
    assert_null(strstr(buf, "\033["));               /* no colour unless asked */
    free(buf);
    done(r, in);
}

/* ------------------------------------------------- JSON on two threads */

static const char *mini_inspection =
    "inspection:\n"
    "  id: j-1\n"
    "  site: {id: \"370181-0042\", name: 某公司, dust: {kind: wood, dry_collection: true}}\n"
    "  checklist: mini\n"
    "  date: 2026-09-09\n"
    "answers:\n"
    "  D03: {explosion_control: none, note: \"风管\\\"未设\\\"泄爆口\", evidence: [a.jpg]}\n";

typedef struct writer {
    hc_engine *e;
    const char *want;
    int wrong;
} writer;

static void *write_many(void *arg)
{
    writer *w = arg;
    tu_evaluated v = tu_eval(w->e, mini_inspection);
    for (int i = 0; i < 3000; i++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        hc_write_json(f, v.r, 0);
        fclose(f);
        if (strcmp(buf, w->want) != 0) w->wrong++;
        free(buf);
    }
    tu_done(v);
    return NULL;
}

/* serve's workers (and a batch's threads) write results at once, each with its
   own engine: the text of each is what one thread alone writes. Until the item
   texts became the pack's, every thread shared one cache of them and one buffer. */
static void test_json_written_on_two_threads(void **state)
{
    (void)state;
    hc_engine *e1 = tu_engine(NULL), *e2 = tu_engine(NULL);
    tu_evaluated v = tu_eval(e1, mini_inspection);
    hc_buf want = {0};
    hc_result_json(&want, v.r, 0);
    tu_done(v);
    assert_non_null(strstr(want.data, "\"note\":\"风管\\\"未设\\\"泄爆口\""));
    writer w[2] = {{e1, want.data, 0}, {e2, want.data, 0}};
    pthread_t t[2];
    for (int i = 0; i < 2; i++) assert_int_equal(pthread_create(&t[i], NULL, write_many, &w[i]), 0);
    for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
    assert_int_equal(w[0].wrong, 0);
    assert_int_equal(w[1].wrong, 0);
    hc_buf_free(&want);
    hc_engine_free(&e1);
    hc_engine_free(&e2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_statuses_and_verdicts), cmocka_unit_test(test_scoring_models),
        cmocka_unit_test(test_pack_applies),          cmocka_unit_test(test_runaway_rule_is_contained),
        cmocka_unit_test(test_json_and_text_output), cmocka_unit_test(test_validity),
        cmocka_unit_test(test_json_written_on_two_threads),
    };
    return cmocka_run_group_tests_name("eval", tests, setup, teardown);
}
