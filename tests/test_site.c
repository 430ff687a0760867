/*
** test_site.c: the one rule for a site profile (src/engine/site.c). It used to
** be written three times with different rules: the engine took a document's
** root only when it had an id, `site add` took any root, `inspect --site` any
** root with an id.
*/
#include "testdb.h"

static hc_doc *doc_of(const char *text)
{
    hc_diags d = {0};
    hc_reader *r = hc_reader_open_mem("p.yaml", text, strlen(text), NULL, &d);
    hc_doc *doc = NULL;
    assert_int_equal(hc_reader_next(r, &doc, &d), 1);
    hc_reader_close(&r);
    hc_diags_clear(&d);
    return doc;
}

static void test_where_a_profile_is(void **state)
{
    (void)state;
    static const struct { const char *text, *id, *error; } cases[] = {
        {"site: {id: a1, name: 甲}\n", "a1", NULL},
        {"id: a2\nname: 乙\n", "a2", NULL},                           /* the root itself */
        {"name: 丙\ndistrict: x\n", NULL, "expected a site profile"},  /* a root without an id */
        {"site: {name: 丁}\n", NULL, "has no 'id'"},
        {"site: [a, b]\n", NULL, "expected a site profile"},
        {"site: {id: '', name: 戊}\n", NULL, "has no 'id'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        hc_doc *doc = doc_of(cases[i].text);
        hc_diags d = {0};
        const hc_node *p = hc_site_profile(hc_doc_root(doc), "p.yaml", &d);
        if (cases[i].id) {
            assert_non_null(p);
            assert_string_equal(hc_map_get(p, "id")->str, cases[i].id);
            assert_int_equal(d.errors, 0);
        } else {
            assert_null(p);
            if (!tu_has_diag(&d, cases[i].error)) fail_msg("case %zu: no '%s'", i, cases[i].error);
            assert_string_equal(d.v[0].file, "p.yaml");
            assert_true(d.v[0].line >= 1);
        }
        hc_diags_clear(&d);
        hc_doc_free(&doc);
    }
    /* a missing name is a warning, not an error */
    hc_doc *doc = doc_of("site: {id: a3}\n");
    hc_diags d = {0};
    assert_non_null(hc_site_profile(hc_doc_root(doc), "p.yaml", &d));
    assert_int_equal(d.errors, 0);
    assert_int_equal(d.warnings, 1);
    hc_diags_clear(&d);
    hc_doc_free(&doc);
}

/* The engine's --site files and the store's register apply the same rule. */
static void test_everyone_uses_it(void **state)
{
    (void)state;
    hc_engine *e = tu_engine(NULL);
    hc_diags d = {0};
    assert_int_equal(hc_engine_add_sites(e, tu_write("s1.yaml", "name: 丙\n"), &d), -1);
    assert_true(tu_has_diag(&d, "expected a site profile"));
    hc_diags_clear(&d);
    assert_int_equal(hc_engine_add_sites(e, tu_write("s2.yaml", "id: r1\nname: 根\n"), &d), 0);
    hc_engine_free(&e);

    char path[256];
    snprintf(path, sizeof path, "%s/hc-site-%d.db", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
             (int)getpid());
    unlink(path);
    hc_store *s = hc_store_open(path, &d);
    assert_non_null(s);
    hc_doc *doc = doc_of("name: 丙\n");
    assert_int_equal(hc_store_site_put(s, hc_doc_root(doc), &d), -1);
    assert_true(tu_has_diag(&d, "has no 'id'"));
    hc_diags_clear(&d);
    hc_doc_free(&doc);
    /* a register that cannot be read says so; it is not "no such site" */
    hc_doc *found = NULL;
    assert_int_equal(hc_store_site_lookup(s, "nope", &found, &d), 0);
    assert_int_equal(d.errors, 0);
    char *err = NULL;
    assert_int_equal(sqlite3_exec(s->db, "PRAGMA foreign_keys = OFF; ALTER TABLE sites RENAME TO gone",
                                  NULL, NULL, &err), SQLITE_OK);
    assert_int_equal(hc_store_site_lookup(s, "nope", &found, &d), -1);
    assert_null(found);
    assert_true(d.errors > 0);
    hc_store_close(&s);
    unlink(path);
    hc_diags_clear(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_where_a_profile_is),
        cmocka_unit_test(test_everyone_uses_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
