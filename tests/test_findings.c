/* test_findings.c: results as JSON and text, text alignment of Chinese, forms and blank inspections. */
#include "base/base.h"
#include "testutil.h"
#include "hazcheck_report.h"

static char *capture_json(void (*fn)(hc_json *))
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    hc_json j;
    hc_json_init(&j, f, 0);
    fn(&j);
    fclose(f);
    return buf;
}

static void write_awkward(hc_json *j)
{
    hc_json_begin_object(j);
    hc_json_key(j, "s");
    hc_json_string_n(j, "a\"b\\c\n\t\x01\x7f\xff\xe2\x80\xa8中", 16);
    hc_json_key(j, "n");
    hc_json_number(j, 2.5);
    hc_json_key(j, "i");
    hc_json_number(j, 3);
    hc_json_key(j, "x");
    hc_json_number(j, 1.0 / 0.0);
    hc_json_key(j, "e");
    hc_json_begin_array(j);
    hc_json_end_array(j);
    hc_json_key(j, "z");
    hc_json_string(j, NULL);
    hc_json_end_object(j);
}

static void test_json_escaping(void **state)
{
    (void)state;
    char *s = capture_json(write_awkward);
    assert_string_equal(s, "{\"s\":\"a\\\"b\\\\c\\n\\t\\u0001\\u007f\xef\xbf\xbd\\u2028中\","
                           "\"n\":2.5,\"i\":3,\"x\":null,\"e\":[],\"z\":null}");
    free(s);
}

static void test_csv_fields(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    const char *v[] = {"plain", "a,b", "say \"hi\"", "two\nlines", "=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "中文", NULL};
    for (int i = 0; v[i]; i++) {
        hc_csv_field(f, v[i]);
        fputc('|', f);
    }
    fclose(f);
    assert_string_equal(buf, "plain|\"a,b\"|\"say \"\"hi\"\"\"|\"two\nlines\"|\"'=HYPERLINK(\"\"x\"\")\"|"
                             "\"'+1\"|\"'-2\"|\"'@SUM(A1)\"|中文|");
    free(buf);
}

static void test_show_and_template(void **state)
{
    (void)state;
    hc_engine *e = tu_engine(NULL);
    hc_diags d = {0};
    hc_checklist *c = hc_engine_checklist(e, "mini", &d);
    assert_non_null(c);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    hc_write_template(f, c, "2026-10-01");
    fclose(f);
    assert_non_null(strstr(buf, "checklist: mini@1.0"));
    assert_non_null(strstr(buf, "date: 2026-10-01"));
    assert_non_null(strstr(buf, "explosion_control:    # 控爆措施 — one of: none, venting, isolation, suppression, inerting"));
    assert_non_null(strstr(buf, "vent_area_m2:    # 泄爆口面积 — a number, in m2, at least 0 (optional)"));
    assert_non_null(strstr(buf, "devices:    # 卸灰装置 — a list [a, b] of any of:"));
    /* the template is itself a valid inspection document */
    hc_reader *r = hc_reader_open_mem("tpl", buf, len, NULL, &d);
    hc_doc *doc;
    assert_int_equal(hc_reader_next(r, &doc, &d), 1);
    hc_reader_close(&r);
    assert_non_null(hc_map_get(hc_map_get(hc_doc_root(doc), "answers"), "G02"));
    hc_doc_free(&doc);
    free(buf);

    f = open_memstream(&buf, &len);
    assert_int_equal(hc_show(f, c, NULL, HC_FMT_MD, NULL), 0);
    fclose(f);
    assert_non_null(strstr(buf, "# 测试检查表"));
    assert_non_null(strstr(buf, "## 除尘系统"));
    assert_non_null(strstr(buf, "### D03 干式除尘系统应采取控爆措施 **[major hazard]**"));
    assert_non_null(strstr(buf, "| 控爆措施 (`explosion_control`) |"));
    free(buf);
    f = open_memstream(&buf, &len);
    assert_int_equal(hc_show(f, c, &c->items[1], HC_FMT_TEXT, NULL), 0);
    fclose(f);
    assert_non_null(strstr(buf, "[ ] G01"));
    assert_null(strstr(buf, "D03"));
    free(buf);
    hc_diags_clear(&d);
    hc_engine_free(&e);
}

static void test_text_alignment(void **state)
{
    (void)state;
    /* ids of different widths: titles start in the same display column */
    hc_engine *e = tu_engine(NULL);
    const char *p = tu_write("al.yaml", "hazcheck: 1\nid: al\nversion: \"1\"\ntitle: t\nitems:\n"
                                        "  - {id: A1, title: 一, check: 'false'}\n"
                                        "  - {id: LONGID, title: 二, check: 'false'}\n");
    const char *i = "inspection: {id: x, site: {id: s, name: 企业}, checklist: %s, date: 2026-01-01}\n";
    char text[512];
    snprintf(text, sizeof text, i, p);
    hc_diags d = {0};
    hc_reader *r = hc_reader_open_mem("a.yaml", text, strlen(text), NULL, &d);
    hc_doc *doc;
    assert_int_equal(hc_reader_next(r, &doc, &d), 1);
    hc_reader_close(&r);
    hc_inspection *in = hc_inspection_load(e, doc, &d);
    assert_non_null(in);
    hc_result *res = hc_evaluate(e, in);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    hc_write_text(f, res, NULL);
    fclose(f);
    char *l1 = strstr(buf, "A1 "), *l2 = strstr(buf, "LONGID");
    assert_non_null(l1);
    assert_non_null(l2);
    char *t1 = strstr(l1, "一"), *t2 = strstr(l2, "二");
    /* display columns from the line start to the title */
    char *s1 = l1, *s2 = l2;
    while (s1 > buf && s1[-1] != '\n') s1--;
    while (s2 > buf && s2[-1] != '\n') s2--;
    assert_int_equal(hc_display_width_n(s1, (size_t)(t1 - s1)), hc_display_width_n(s2, (size_t)(t2 - s2)));
    free(buf);
    hc_result_free(&res);
    hc_inspection_free(&in);
    hc_diags_clear(&d);
    hc_engine_free(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_escaping),
        cmocka_unit_test(test_csv_fields),
        cmocka_unit_test(test_show_and_template),
        cmocka_unit_test(test_text_alignment),
    };
    return cmocka_run_group_tests_name("output", tests, NULL, NULL);
}
