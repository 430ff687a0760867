/*
** test_lookup.c: whose site a record is (store/lookup.c), the question the
** server's policy asks: a site's squad, an inspection's stored result and
** site, and the sites whose answers or rectification steps cite a file,
** found by the exact reference only.
*/
#include "testdb.h"

static char dbpath[256];

#define SITE(id, squad) "{id: " id ", name: 某木业, squad: " squad ", dust: {dry_collection: true}}"
#define PHOTO "sha256:" "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define OTHER_PHOTO "sha256:" "1123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define INSPECTION(id, site, evidence) "inspection: {id: " id ", site: " site ", checklist: mini, date: 2026-09-09}\n" \
    "answers:\n  D03: {explosion_control: none, evidence: [" evidence "]}\n" \
    "  G01: {thickness_mm: 0.5, blown: no}\n  G02: {devices: [rotary_valve], code: A, count: 1}\n"

static void test_lookup(void **state)
{
    (void)state;
    hc_engine *e = tu_engine(NULL);
    hc_store *s = tu_db_fresh(dbpath, "lookup", "all");
    hc_diags d = {0};
    tu_evaluated a = tu_eval(e, INSPECTION("i1", SITE("s1", "一中队"), PHOTO));
    tu_evaluated b = tu_eval(e, INSPECTION("i2", "{id: s2, name: 某厂, dust: {dry_collection: true}}", "x.jpg"));
    assert_int_equal(hc_store_record(s, a.r, &d), 1);
    assert_int_equal(hc_store_record(s, b.r, &d), 1);

    char *squad = NULL;
    assert_int_equal(hc_store_site_squad(s, "s1", &squad, &d), 1);
    assert_string_equal(squad, "一中队");
    free(squad);
    assert_int_equal(hc_store_site_squad(s, "s2", &squad, &d), 1);
    assert_null(squad);                               /* a site without a squad */
    assert_int_equal(hc_store_site_squad(s, "s3", &squad, &d), 0);
    assert_int_equal(hc_store_site_squad(s, "s1' OR '1'='1", &squad, &d), 0);

    char *json = NULL, *site = NULL;
    assert_int_equal(hc_store_inspection_result(s, "i1", &json, &site, &d), 1);
    assert_string_equal(site, "s1");
    assert_non_null(strstr(json, "\"verdict\":\"major-hazard\""));
    free(json);
    free(site);
    /* whose it is, without reading the result */
    assert_int_equal(hc_store_inspection_result(s, "i1", NULL, &site, &d), 1);
    assert_string_equal(site, "s1");
    free(site);
    /* exact ids only: a prefix finds nothing */
    assert_int_equal(hc_store_inspection_result(s, "i", &json, &site, &d), 0);
    assert_null(json);

    /* cited by an answer of i1 (s1); then also by a rectification at s2 */
    hc_doc *c = hc_store_evidence_sites(s, PHOTO, &d);
    const hc_node *sites = hc_map_get(hc_doc_root(c), "sites");
    assert_int_equal(sites->len, 1);
    assert_string_equal(hc_map_get(sites->kids[0], "id")->str, "s1");
    assert_string_equal(hc_map_get(sites->kids[0], "squad")->str, "一中队");
    hc_doc_free(&c);
    long long act = tu_count(s, "SELECT id FROM actions WHERE site_id = 's2' AND item = 'D03'");
    char ref[24];
    snprintf(ref, sizeof ref, "%lld", act);
    const char *cited[] = {PHOTO};
    assert_int_equal(hc_store_action_rectify(s, ref, "加装泄爆片", cited, 1, NULL, &d), 0);
    c = hc_store_evidence_sites(s, PHOTO, &d);
    sites = hc_map_get(hc_doc_root(c), "sites");
    assert_int_equal(sites->len, 2);
    assert_string_equal(hc_map_get(sites->kids[1], "id")->str, "s2");
    hc_doc_free(&c);
    /* another file, a part of the reference, a pattern: nothing */
    const char *none[] = {OTHER_PHOTO, "sha256:0123", "%", "x"};
    for (size_t i = 0; i < 4; i++) {
        c = hc_store_evidence_sites(s, none[i], &d);
        assert_int_equal(hc_map_get(hc_doc_root(c), "sites")->len, 0);   /* "x" is not x.jpg */
        hc_doc_free(&c);
    }
    if (d.errors) tu_dump(&d);
    assert_int_equal(d.errors, 0);
    tu_done(a);
    tu_done(b);
    hc_store_close(&s);
    tu_db_remove(dbpath);
    hc_engine_free(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lookup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
