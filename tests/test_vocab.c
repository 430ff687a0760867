/*
** test_vocab.c: one vocabulary (src/base/vocab.c). The words for a code used
** to live in eight places and had drifted apart (the terminal and the printed
** report worded the same order two ways); the schema's CHECK lists and the
** enums must agree with it.
*/
#include "testdb.h"
#include "hazcheck_report.h"
#include "engine/engine.h"

static void test_enums_are_rows(void **state)
{
    (void)state;
    for (int s = 0; s < HC_NSTATUS; s++)
        assert_int_equal(hc_status_parse(hc_status_name((hc_status)s)), s);
    assert_string_equal(hc_status_name(HC_FAIL), "fail");
    assert_string_equal(hc_status_name(HC_NA), "na");
    assert_string_equal(hc_verdict_name(HC_MAJOR_HAZARD), "major-hazard");
    assert_string_equal(hc_order_name(HC_ORDER_SUSPEND_EQUIPMENT), "suspend-equipment");
    assert_string_equal(hc_severity_name(HC_SEV_MAJOR), "major");
    assert_string_equal(hc_input_type_name(HC_IN_LIST), "list");
    assert_string_equal(hc_vocab_code(HC_VOCAB_STATUS, 99), "?");
    assert_int_equal(hc_vocab_find(HC_VOCAB_MEASURE, "praise"), -1);
    assert_string_equal(hc_vocab_text(HC_VOCAB_MEASURE, "praise"), "praise");   /* unknown: the code */
    char buf[128];
    assert_string_equal(hc_vocab_expected(HC_VOCAB_ACTION_STATE, buf, sizeof buf),
                        "open, rectified or verified");
    /* every list is complete: a code and a word (the catalogue's msgid) for each row */
    for (int v = 0; v < HC_NVOCAB; v++) {
        size_t n;
        const hc_word *w = hc_vocab_words((hc_vocab)v, &n);
        assert_true(n > 0);
        for (size_t i = 0; i < n; i++) {
            assert_non_null(w[i].code);
            assert_true(strlen(w[i].word) > 0);
            assert_int_equal(hc_vocab_find((hc_vocab)v, w[i].code), (int)i);
        }
    }
}

/* The database refuses what the vocabulary does not know, and takes all it knows. */
static void test_schema_agrees(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s/hc-vocab-%d.db", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
             (int)getpid());
    unlink(path);
    hc_diags d = {0};
    hc_store *s = hc_store_open(path, &d);
    assert_non_null(s);
    static const struct { hc_vocab v; const char *table, *column; } lists[] = {
        {HC_VOCAB_SITE_STATE, "sites", "state"},
        {HC_VOCAB_ACTION_STATE, "actions", "status"},
        {HC_VOCAB_SEVERITY, "actions", "severity"},
        {HC_VOCAB_MEASURE, "enforcement", "measure"},
    };
    for (size_t k = 0; k < sizeof lists / sizeof lists[0]; k++) {
        /* the table's CHECK, found in its CREATE statement */
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT sql FROM sqlite_schema WHERE name = '%s'", lists[k].table);
        char *create = tu_text1(s, sql);
        assert_non_null(create);
        size_t n;
        const hc_word *w = hc_vocab_words(lists[k].v, &n);
        for (size_t i = 0; i < n; i++) {
            char quoted[64];
            snprintf(quoted, sizeof quoted, "'%s'", w[i].code);
            if (strstr(create, quoted) == NULL) fail_msg("%s.%s does not allow %s", lists[k].table, lists[k].column, quoted);
        }
        free(create);
    }
    hc_store_close(&s);
    unlink(path);
    hc_diags_clear(&d);
}

/* The terminal and the printed notice take the same word for an order. */
static void test_terminal_and_paper_agree(void **state)
{
    (void)state;
    hc_engine *e = tu_engine(NULL);
    tu_evaluated v = tu_eval(e, "inspection: {site: {id: s1, name: n, dust: {dry_collection: true}},"
                                " checklist: mini, date: 2026-09-09}\n"
                                "answers:\n  D03: {explosion_control: none}\n");
    assert_int_equal(v.r->findings[0].status, HC_FAIL);
    const char *order = hc_order_name(v.r->findings[0].item->order);
    const char *word = hc_vocab_text(HC_VOCAB_ORDER, order);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    hc_out_opts o = {0};
    hc_write_text(f, v.r, &o);
    fclose(f);
    assert_non_null(strstr(buf, word));
    assert_non_null(strstr(buf, hc_vocab_text(HC_VOCAB_VERDICT, hc_verdict_name(v.r->verdict))));
    free(buf);
    tu_done(v);
    hc_engine_free(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_enums_are_rows),
        cmocka_unit_test(test_schema_agrees),
        cmocka_unit_test(test_terminal_and_paper_agree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
