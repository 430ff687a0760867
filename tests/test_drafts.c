/*
** test_drafts.c: an inspection being filled in on the pages of `serve`
** (store/drafts.c): a draft is its user's alone, keeps each item's answer as
** saved (set, replaced, removed), names items whatever they hold, and is
** gone once deleted; drafts are not records, so the audit does not see them.
*/
#include "testdb.h"

static char dbpath[256];

static void add_user(hc_store *s, const char *name)
{
    hc_diags d = {0};
    hc_user_spec u = {name, "admin", NULL, NULL, 0};
    assert_int_equal(hc_store_user_add(s, &u, "correct horse", &d), 0);
    hc_diags_clear(&d);
}

static void test_drafts(void **state)
{
    (void)state;
    hc_store *s = tu_db_fresh(dbpath, "drafts", "all");
    hc_diags d = {0};
    hc_reader *r = hc_reader_open_mem("site", "{id: s1, name: 某木业}", strlen("{id: s1, name: 某木业}"), NULL, &d);
    hc_doc *site;
    assert_int_equal(hc_reader_next(r, &site, &d), 1);
    hc_reader_close(&r);
    assert_true(hc_store_site_put(s, hc_doc_root(site), &d) >= 0);
    hc_doc_free(&site);
    add_user(s, "王芳");
    add_user(s, "李明");

    char id[65];
    hc_draft_spec spec = {"王芳", "s1", "mini", "enforcement", "2026-10-01"};
    assert_int_equal(hc_store_draft_new(s, &spec, id, &d), 0);
    assert_int_equal(strlen(id), 64);
    /* a draft for a site not in the register is refused by the database */
    char other[65];
    hc_draft_spec nowhere = {"王芳", "s9", "mini", "enforcement", "2026-10-01"};
    assert_int_equal(hc_store_draft_new(s, &nowhere, other, &d), -1);
    hc_diags_clear(&d);

    assert_int_equal(hc_store_draft_answer(s, id, "王芳", "D03", "{\"explosion_control\":\"none\"}", &d), 0);
    assert_int_equal(hc_store_draft_answer(s, id, "王芳", "G.01-a", "{\"na\":\"无\"}", &d), 0);   /* a dot is no step */
    assert_int_equal(hc_store_draft_answer(s, id, "王芳", "a\"b", "{}", &d), -1);   /* no item id has a quote */
    hc_diags_clear(&d);
    assert_int_equal(hc_store_draft_answer(s, id, "王芳", "D03", "{\"explosion_control\":\"venting\"}", &d), 0);
    hc_doc *doc = NULL;
    assert_int_equal(hc_store_draft(s, id, "王芳", &doc, &d), 1);
    const hc_node *dr = hc_map_get(hc_doc_root(doc), "draft");
    assert_string_equal(hc_map_get(dr, "site")->str, "s1");
    assert_string_equal(hc_map_get(dr, "kind")->str, "enforcement");
    const hc_node *ans = hc_map_get(dr, "answers");
    assert_int_equal(ans->len, 2);
    assert_string_equal(hc_map_get(hc_map_get(ans, "D03"), "explosion_control")->str, "venting");
    assert_string_equal(hc_map_get(hc_map_get(ans, "G.01-a"), "na")->str, "无");
    hc_doc_free(&doc);
    /* removed when emptied */
    assert_int_equal(hc_store_draft_answer(s, id, "王芳", "D03", NULL, &d), 0);
    assert_int_equal(hc_store_draft(s, id, "王芳", &doc, &d), 1);
    assert_null(hc_map_get(hc_map_get(hc_map_get(hc_doc_root(doc), "draft"), "answers"), "D03"));
    hc_doc_free(&doc);

    /* another user neither reads nor writes it */
    assert_int_equal(hc_store_draft(s, id, "李明", &doc, &d), 0);
    assert_null(doc);
    assert_int_equal(hc_store_draft_answer(s, id, "李明", "G01", "{}", &d), -1);
    assert_int_equal(hc_store_draft_delete(s, id, "李明", &d), 0);
    assert_int_equal(tu_count(s, "SELECT count(*) FROM drafts"), 1);
    /* not a record: no event, and the audit passes */
    long long events = tu_count(s, "SELECT count(*) FROM events");
    assert_int_equal(hc_store_draft_delete(s, id, "王芳", &d), 0);
    assert_int_equal(tu_count(s, "SELECT count(*) FROM drafts"), 0);
    assert_int_equal(tu_count(s, "SELECT count(*) FROM events"), events);
    assert_int_equal(hc_store_draft(s, id, "王芳", &doc, &d), 0);
    long long n = 0;
    assert_int_equal(hc_store_audit(s, &n, &d), 0);
    if (d.errors) tu_dump(&d);
    hc_diags_clear(&d);
    hc_store_close(&s);
    tu_db_remove(dbpath);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_drafts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
