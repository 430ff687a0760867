/* test_tree.c: document trees built in code (src/base/tree.c). */
#include "testutil.h"

/* The JSON of a tree, compared with 'want'. */
static void json_is(const hc_node *n, const char *want)
{
    char *got = hc_node_json(n);
    assert_string_equal(got, want);
    free(got);
}

static void test_scalars_read_back_typed(void **state)
{
    (void)state;
    hc_doc *d = hc_doc_new("t");
    hc_node *r = (hc_node *)hc_doc_root(d);
    hc_add_str(d, r, "s", "0012");           /* a string that looks like a number stays one */
    hc_add_str(d, r, "t", "true");
    hc_add_num(d, r, "x", 66.666666666666671);
    hc_add_num(d, r, "whole", 25.0);
    hc_add_int(d, r, "n", -3);
    hc_add_bool(d, r, "b", 0);
    hc_add_null(d, r, "z");
    hc_add_str(d, r, "none", NULL);
    json_is(r, "{\"s\":\"0012\",\"t\":\"true\",\"x\":66.666666666666671,\"whole\":25,\"n\":-3,"
               "\"b\":false,\"z\":null,\"none\":null}");
    const hc_node *s = hc_map_get(r, "s");
    assert_non_null(s);
    assert_int_equal(hc_scalar_resolve(s, NULL, NULL, NULL), HC_SC_STRING);
    int b = 1;
    assert_int_equal(hc_scalar_resolve(hc_map_get(r, "b"), &b, NULL, NULL), HC_SC_BOOL);
    assert_int_equal(b, 0);
    hc_doc_free(&d);
}

static void test_many_children_keep_order(void **state)
{
    (void)state;
    hc_doc *d = hc_doc_new("t");
    hc_node *r = (hc_node *)hc_doc_root(d);
    hc_node *seq = hc_add_seq(d, r, "v");
    hc_node *map = hc_add_map(d, r, "m");
    char key[16];
    for (int i = 0; i < 1000; i++) {
        hc_add_int(d, seq, NULL, i);
        snprintf(key, sizeof key, "k%d", i);
        hc_add_int(d, map, key, i * 2);
    }
    assert_int_equal(seq->len, 1000);
    assert_int_equal(map->len, 1000);
    for (int i = 0; i < 1000; i++) {
        assert_int_equal(strtol(seq->kids[i]->str, NULL, 10), i);
        snprintf(key, sizeof key, "k%d", i);
        const hc_node *v = hc_map_get(map, key);
        assert_non_null(v);
        assert_int_equal(strtol(v->str, NULL, 10), i * 2);
    }
    hc_doc_free(&d);
}

static void test_copy_and_template(void **state)
{
    (void)state;
    hc_doc *src = hc_doc_new("a");
    hc_node *r = (hc_node *)hc_doc_root(src);
    hc_node *rows = hc_add_seq(src, r, "rows");
    hc_add_str(src, hc_add_map(src, rows, NULL), "name", "<b>章丘</b>");
    hc_add_str(src, hc_add_map(src, rows, NULL), "name", "二");
    hc_doc *dst = hc_doc_new("b");
    hc_node *copy = hc_tree_add(dst, (hc_node *)hc_doc_root(dst), "data", hc_tree_copy(dst, r));
    hc_doc_free(&src);              /* the copy owns its own text */
    json_is(copy, "{\"rows\":[{\"name\":\"<b>章丘</b>\"},{\"name\":\"二\"}]}");
    const char *tpl = "{{#data.rows}}[{{name}}]{{/data.rows}}";
    hc_buf out = {0};
    hc_diags dg = {0};
    assert_int_equal(hc_template_render(tpl, strlen(tpl), "t", hc_doc_root(dst), &out, &dg), 0);
    assert_string_equal(out.data, "[&lt;b&gt;章丘&lt;/b&gt;][二]");
    hc_buf_free(&out);
    hc_doc_free(&dst);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scalars_read_back_typed),
        cmocka_unit_test(test_many_children_keep_order),
        cmocka_unit_test(test_copy_and_template),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
