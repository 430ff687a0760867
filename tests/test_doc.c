/* test_doc.c: YAML/JSON loading into the document tree, positions and limits. */
#include "testutil.h"

static hc_doc *load(const char *text, const hc_limits *lim, hc_diags *d)
{
    hc_reader *r = hc_reader_open_mem("t.yaml", text, strlen(text), lim, d);
    assert_non_null(r);
    hc_doc *doc = NULL;
    int rc = hc_reader_next(r, &doc, d);
    hc_reader_close(&r);
    return rc == 1 ? doc : NULL;
}

static void test_positions(void **state)
{
    (void)state;
    hc_diags d = {0};
    hc_doc *doc = load("a: 1\nb:\n  c: [x, \"y\"]\n", NULL, &d);
    assert_non_null(doc);
    const hc_node *root = hc_doc_root(doc);
    assert_int_equal(root->kind, HC_MAP);
    const hc_node *b = hc_map_get(root, "b");
    assert_non_null(b);
    const hc_node *c = hc_map_get(b, "c");
    assert_int_equal(c->kind, HC_SEQ);
    assert_int_equal(c->line, 3);
    assert_int_equal(c->col, 6);
    assert_int_equal(c->kids[1]->quoted, 1);
    assert_int_equal(c->kids[0]->quoted, 0);
    assert_int_equal(root->weight, 9);
    hc_doc_free(&doc);
    assert_null(doc);
    hc_diags_clear(&d);
}

static void test_core_schema(void **state)
{
    (void)state;
    hc_diags d = {0};
    hc_doc *doc = load("[no, true, \"true\", 0012, 1.5e3, ~, '', yes, -7, 1.2.3, .5]", NULL, &d);
    assert_non_null(doc);
    const hc_node *s = hc_doc_root(doc);
    int b;
    int64_t i;
    double x;
    assert_int_equal(hc_scalar_resolve(s->kids[0], &b, &i, &x), HC_SC_STRING);   /* Norway */
    assert_int_equal(hc_scalar_resolve(s->kids[1], &b, &i, &x), HC_SC_BOOL);
    assert_int_equal(b, 1);
    assert_int_equal(hc_scalar_resolve(s->kids[2], &b, &i, &x), HC_SC_STRING);   /* quoted */
    assert_int_equal(hc_scalar_resolve(s->kids[3], &b, &i, &x), HC_SC_INT);
    assert_int_equal(i, 12);
    assert_int_equal(hc_scalar_resolve(s->kids[4], &b, &i, &x), HC_SC_FLOAT);
    assert_true(x == 1500.0);
    assert_int_equal(hc_scalar_resolve(s->kids[5], &b, &i, &x), HC_SC_NULL);
    assert_int_equal(hc_scalar_resolve(s->kids[6], &b, &i, &x), HC_SC_STRING);
    assert_int_equal(hc_scalar_resolve(s->kids[7], &b, &i, &x), HC_SC_STRING);   /* YAML 1.1 only */
    assert_int_equal(hc_scalar_resolve(s->kids[8], &b, &i, &x), HC_SC_INT);
    assert_int_equal(i, -7);
    assert_int_equal(hc_scalar_resolve(s->kids[9], &b, &i, &x), HC_SC_STRING);
    assert_int_equal(hc_scalar_resolve(s->kids[10], &b, &i, &x), HC_SC_FLOAT);
    hc_doc_free(&doc);
    hc_diags_clear(&d);
}

static void test_duplicate_key(void **state)
{
    (void)state;
    hc_diags d = {0};
    assert_null(load("a: 1\nb: 2\na: 3\n", NULL, &d));
    const hc_diag *g = tu_find_diag(&d, "duplicate key 'a' (first at line 1)");
    assert_non_null(g);
    assert_int_equal(g->line, 3);
    assert_int_equal(g->col, 1);
    hc_diags_clear(&d);
    /* many keys take the sorted path */
    hc_buf b = {0};
    for (int i = 0; i < 100; i++) hc_buf_printf(&b, "k%d: %d\n", i, i);
    hc_buf_puts(&b, "k57: again\n");
    assert_null(load(b.data, NULL, &d));
    assert_true(tu_has_diag(&d, "duplicate key 'k57'"));
    hc_buf_free(&b);
    hc_diags_clear(&d);
}

static void test_depth_limit(void **state)
{
    (void)state;
    hc_diags d = {0};
    hc_buf b = {0};
    for (int i = 0; i < 100000; i++) hc_buf_putc(&b, '[');
    for (int i = 0; i < 100000; i++) hc_buf_putc(&b, ']');
    assert_null(load(b.data, NULL, &d));
    assert_true(tu_has_diag(&d, "nesting deeper than 64"));
    hc_diags_clear(&d);
    hc_buf_free(&b);
    /* 64 levels are fine */
    for (int i = 0; i < 64; i++) hc_buf_putc(&b, '[');
    for (int i = 0; i < 64; i++) hc_buf_putc(&b, ']');
    hc_doc *doc = load(b.data, NULL, &d);
    assert_non_null(doc);
    hc_doc_free(&doc);
    hc_buf_free(&b);
    hc_diags_clear(&d);
}

static void test_alias_bomb(void **state)
{
    (void)state;
    hc_diags d = {0};
    const char *bomb =
        "a: &a [x,x,x,x,x,x,x,x,x,x]\n"
        "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
        "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
        "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
        "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n";
    assert_null(load(bomb, NULL, &d));
    const hc_diag *g = tu_find_diag(&d, "more than 1000000 nodes");
    assert_non_null(g);
    assert_int_equal(g->line, 6);      /* stopped as soon as the count passed the limit */
    hc_diags_clear(&d);
    /* aliases are allowed and count as copies */
    hc_doc *doc = load("a: &x {k: v}\nb: *x\n", NULL, &d);
    assert_non_null(doc);
    assert_int_equal(hc_doc_root(doc)->weight, 9);   /* root, 2 keys, map of 3 twice */
    assert_string_equal(hc_map_get(hc_map_get(hc_doc_root(doc), "b"), "k")->str, "v");
    hc_doc_free(&doc);
    hc_diags_clear(&d);
}

static void test_alias_errors(void **state)
{
    (void)state;
    hc_diags d = {0};
    assert_null(load("a: &a [1, *a]\n", NULL, &d));
    assert_true(tu_has_diag(&d, "contains it (a cycle)"));
    hc_diags_clear(&d);
    assert_null(load("a: *nope\n", NULL, &d));
    assert_true(tu_has_diag(&d, "unknown alias *nope"));
    hc_diags_clear(&d);
}

static void test_scalar_limit_and_tags(void **state)
{
    (void)state;
    hc_limits lim;
    hc_limits_default(&lim);
    lim.max_scalar = 10;
    hc_diags d = {0};
    assert_null(load("a: 12345678901\n", &lim, &d));
    assert_true(tu_has_diag(&d, "larger than the limit of 10"));
    hc_diags_clear(&d);
    assert_null(load("a: !!python/object x\n", NULL, &d));
    assert_true(tu_has_diag(&d, "unknown tag"));
    hc_diags_clear(&d);
    hc_doc *doc = load("a: !!str 12\n", NULL, &d);
    assert_non_null(doc);
    const hc_node *a = hc_map_get(hc_doc_root(doc), "a");
    assert_int_equal(hc_scalar_resolve(a, NULL, NULL, NULL), HC_SC_STRING);
    hc_doc_free(&doc);
    hc_diags_clear(&d);
}

static void test_bad_text(void **state)
{
    (void)state;
    hc_diags d = {0};
    assert_null(load("a: 1\nb: \xff\xfe\n", NULL, &d));
    const hc_diag *g = tu_find_diag(&d, "not valid text");
    assert_non_null(g);
    assert_int_equal(g->line, 2);
    hc_diags_clear(&d);
    const char nul[] = "a: 1\nb: x\0y\n";
    hc_reader *r = hc_reader_open_mem("n.yaml", nul, sizeof nul - 1, NULL, &d);
    hc_doc *doc = NULL;
    assert_int_equal(hc_reader_next(r, &doc, &d), -1);
    hc_reader_close(&r);
    g = tu_find_diag(&d, "control characters");
    assert_non_null(g);
    assert_int_equal(g->line, 2);
    assert_int_equal(g->col, 5);
    hc_diags_clear(&d);
    /* an escaped NUL is data, kept with its length */
    doc = load("a: \"x\\0y\"\n", NULL, &d);
    assert_non_null(doc);
    assert_int_equal(hc_map_get(hc_doc_root(doc), "a")->len, 3);
    hc_doc_free(&doc);
    assert_null(load("a: [1, 2\n", NULL, &d));
    assert_true(tu_has_diag(&d, "YAML syntax"));
    hc_diags_clear(&d);
}

static void test_stream_and_json(void **state)
{
    (void)state;
    hc_diags d = {0};
    const char *s = "a: 1\n---\nb: 2\n---\n{\"c\":\t[1,\n\t2]}\n";
    hc_reader *r = hc_reader_open_mem("s.yaml", s, strlen(s), NULL, &d);
    hc_doc *doc;
    int n = 0, rc;
    while ((rc = hc_reader_next(r, &doc, &d)) == 1) {
        n++;
        hc_doc_free(&doc);
    }
    assert_int_equal(rc, 0);
    assert_int_equal(n, 3);
    hc_reader_close(&r);
    r = hc_reader_open_mem("e.yaml", "", 0, NULL, &d);
    assert_int_equal(hc_reader_next(r, &doc, &d), 0);
    hc_reader_close(&r);
    assert_int_equal(d.n, 0);
    /* a file that must hold one document */
    const char *p = tu_write("two.yaml", "a: 1\n---\nb: 2\n");
    assert_null(hc_doc_load_file(p, NULL, &d));
    assert_true(tu_has_diag(&d, "a second document"));
    hc_diags_clear(&d);
    p = tu_write("empty.yaml", "");
    assert_null(hc_doc_load_file(p, NULL, &d));
    assert_true(tu_has_diag(&d, "file is empty"));
    hc_diags_clear(&d);
    assert_null(hc_doc_load_file("/nonexistent/x.yaml", NULL, &d));
    assert_true(tu_has_diag(&d, "cannot open"));
    hc_diags_clear(&d);
}

/* JSON's surrogate pairs (Python's default) become real characters, wherever a
   read boundary falls; an escaped backslash before "u" stays literal text. */
static void test_surrogate_pairs(void **state)
{
    (void)state;
    for (int pad = 8150; pad < 8200; pad += 7) {
        hc_buf text = {0};
        hc_buf_puts(&text, "[\"");
        for (int i = 0; i < pad; i++) hc_buf_putc(&text, 'x');
        hc_buf_puts(&text, "\\ud83d\\udd25\", \"\\\\ud83d\\\\udd25\", \"\\u706b\"]");
        const char *path = tu_write("pairs.json", text.data);
        hc_diags d = {0};
        hc_doc *doc = hc_doc_load_file(path, NULL, &d);
        if (doc == NULL) tu_dump(&d);
        assert_non_null(doc);
        const hc_node *root = hc_doc_root(doc);
        assert_int_equal(root->len, 3);
        const hc_node *a = root->kids[0];
        assert_int_equal(a->len, (size_t)pad + 4);
        assert_memory_equal(a->str + pad, "\xF0\x9F\x94\xA5", 4);      /* U+1F525 */
        assert_string_equal(root->kids[1]->str, "\\ud83d\\udd25");   /* escaped: literal */
        assert_string_equal(root->kids[2]->str, "火");
        hc_doc_free(&doc);
        /* and the same from memory */
        hc_reader *r = hc_reader_open_mem("m", text.data, text.len, NULL, &d);
        assert_int_equal(hc_reader_next(r, &doc, &d), 1);
        assert_memory_equal(hc_doc_root(doc)->kids[0]->str + pad, "\xF0\x9F\x94\xA5", 4);
        hc_doc_free(&doc);
        hc_reader_close(&r);
        hc_buf_free(&text);
    }
    /* a lone surrogate is still refused */
    hc_diags d = {0};
    hc_reader *r = hc_reader_open_mem("m", "[\"\\ud83d\"]", 10, NULL, &d);
    hc_doc *doc;
    assert_int_equal(hc_reader_next(r, &doc, &d), -1);
    hc_reader_close(&r);
    assert_true(tu_has_diag(&d, "escape"));
    hc_diags_clear(&d);
}

static void test_dates_and_width(void **state)
{
    (void)state;
    long days;
    assert_int_equal(hc_date_parse("2024-02-29", 10, &days), 0);
    assert_int_equal(hc_date_parse("2026-02-29", 10, &days), -1);
    assert_int_equal(hc_date_parse("2026-13-01", 10, &days), -1);
    assert_int_equal(hc_date_parse("2026-1-01", 9, &days), -1);
    assert_int_equal(hc_date_parse("1970-01-01", 10, &days), 0);
    assert_int_equal(days, 0);
    char out[11];
    hc_date_parse("2026-09-09", 10, &days);
    hc_date_format(days + 30, out);
    assert_string_equal(out, "2026-10-09");
    hc_date_format(days + 113, out);
    assert_string_equal(out, "2026-12-31");
    hc_date_format(days + 114, out);
    assert_string_equal(out, "2027-01-01");
    assert_int_equal(hc_display_width("abc"), 3);
    assert_int_equal(hc_display_width("除尘系统"), 8);
    assert_int_equal(hc_display_width("D03 泄爆"), 8);
    char hex[65];
    hc_sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    char b64[45];
    hc_sha256_base64("abc", 3, b64);      /* as a CSP names a style: 'sha256-...' */
    assert_string_equal(b64, "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_positions),       cmocka_unit_test(test_core_schema),
        cmocka_unit_test(test_duplicate_key),   cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_alias_bomb),      cmocka_unit_test(test_alias_errors),
        cmocka_unit_test(test_scalar_limit_and_tags), cmocka_unit_test(test_bad_text),
        cmocka_unit_test(test_stream_and_json), cmocka_unit_test(test_surrogate_pairs),
        cmocka_unit_test(test_dates_and_width),
    };
    return cmocka_run_group_tests_name("doc", tests, NULL, NULL);
}
