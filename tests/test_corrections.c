/*
** test_corrections.c: mistakes corrected by logged events (corrections.c,
** and the amendment in record.c): an amended inspection is voided, the
** actions of items that still fail carry over with their number, status and
** history, the others are voided, new failures open actions; what an
** amendment refuses; the audit still passes.
*/
#include "testdb.h"

static hc_engine *e;
static char dbpath[256];

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

static void remove_db(void) { tu_db_remove(dbpath); }

static hc_store *fresh(const char *name) { return tu_db_fresh(dbpath, "corr", name); }

#define SITE "{id: s1, name: 某木业, district: 章丘区, contact: 张某, inspector: 孟凡辉, dust: {dry_collection: true}}"
#define OTHER "{id: s2, name: 某铝厂, district: 历城区, dust: {dry_collection: true}}"
/* D03 and G01 fail */
#define WRONG "inspection: {id: i1, site: " SITE ", checklist: mini, date: 2026-09-09}\n" \
    "answers:\n  D03: {explosion_control: none}\n  G01: {thickness_mm: 3, blown: no}\n" \
    "  G02: {devices: [rotary_valve], code: A, count: 1}\n"
/* the same visit as it really was: D03 fails, G01 passes (1 mm was misread as 3), G02 fails */
#define RIGHT(id, site) "inspection: {id: " id ", site: " site ", checklist: mini, date: 2026-09-10}\n" \
    "answers:\n  D03: {explosion_control: none}\n  G01: {thickness_mm: 0.5, blown: no}\n" \
    "  G02: {devices: [rotary_valve], code: A, count: 0}\n"

static void test_amend_carries_still_failing_actions(void **state)
{
    (void)state;
    hc_store *s = fresh("amend");
    tu_evaluated v = tu_eval(e, WRONG);
    hc_diags d = {0};
    assert_int_equal(hc_store_record(s, v.r, &d), 1);
    assert_int_equal(tu_count(s, "SELECT count(*) FROM actions"), 2);
    long long d03 = tu_count(s, "SELECT id FROM actions WHERE item = 'D03'");
    char ref[24];
    snprintf(ref, sizeof ref, "%lld", d03);
    assert_int_equal(hc_store_action_rectify(s, ref, "加装泄爆片", NULL, 0, "800", &d), 0);

    tu_evaluated w = tu_eval(e, RIGHT("i1b", SITE));
    hc_amend_summary sum;
    /* no reason, no such inspection, another site, the same id: refused, nothing written */
    long long events = tu_count(s, "SELECT count(*) FROM events");
    assert_int_equal(hc_store_inspection_amend(s, "i1", w.r, " ", &sum, &d), -1);
    assert_true(tu_has_diag(&d, "needs a reason"));
    assert_int_equal(hc_store_inspection_amend(s, "nope", w.r, "读数录错", &sum, &d), -1);
    assert_true(tu_has_diag(&d, "nope"));
    tu_evaluated other = tu_eval(e, RIGHT("i1c", OTHER));
    assert_int_equal(hc_store_inspection_amend(s, "i1", other.r, "读数录错", &sum, &d), -1);
    assert_true(tu_has_diag(&d, "same site and checklist"));
    tu_done(other);
    tu_evaluated same = tu_eval(e, RIGHT("i1", SITE));
    assert_int_equal(hc_store_inspection_amend(s, "i1", same.r, "读数录错", &sum, &d), -1);
    assert_true(tu_has_diag(&d, "id of its own"));
    tu_done(same);
    assert_int_equal(tu_count(s, "SELECT count(*) FROM events"), events);
    tu_text_is(s, "SELECT voided_at FROM inspections WHERE id = 'i1'", NULL);
    hc_diags_clear(&d);

    assert_int_equal(hc_store_inspection_amend(s, "i1", w.r, "G01 积尘厚度读数录错", &sum, &d), 0);
    if (d.errors) tu_dump(&d);
    assert_int_equal(sum.carried, 1);      /* D03 still fails */
    assert_int_equal(sum.voided, 1);       /* G01 passes now */
    assert_int_equal(sum.opened, 1);       /* G02 newly fails */
    tu_text_is(s, "SELECT void_reason FROM inspections WHERE id = 'i1'", "G01 积尘厚度读数录错");
    tu_text_is(s, "SELECT kind || '/' || date FROM inspections WHERE id = 'i1b'", "enforcement/2026-09-10");   /* the default kind */
    /* D03's action: the same number, still rectified, its history kept, now under i1b */
    tu_text_is(s, "SELECT inspection_id || '/' || status || '/' || opened_on"
                  " FROM actions WHERE item = 'D03'", "i1b/rectified/2026-09-10");
    assert_int_equal(tu_count(s, "SELECT cost * 10 FROM actions WHERE item = 'D03'"), 8000);
    assert_int_equal(tu_count(s, "SELECT id FROM actions WHERE item = 'D03'"), d03);
    char *kinds = tu_joined(s, "kind", ",", "events WHERE subject = 'i1#D03'", "seq");
    assert_string_equal(kinds, "action.open,action.rectify,action.carry");
    free(kinds);
    tu_text_is(s, "SELECT void_reason FROM actions WHERE item = 'G01'", "G01 积尘厚度读数录错");
    tu_text_is(s, "SELECT inspection_id || '/' || status FROM actions WHERE item = 'G02'", "i1b/open");
    /* the open actions are the corrected inspection's */
    assert_int_equal(tu_count(s, "SELECT count(*) FROM actions WHERE voided_at IS NULL"), 2);
    tu_text_is(s, "SELECT data FROM events WHERE kind = 'inspection.void'",
               "{\"actions\":1,\"amended_by\":\"i1b\"}");
    /* once void, i1 cannot be amended again */
    tu_evaluated again = tu_eval(e, RIGHT("i1d", SITE));
    assert_int_equal(hc_store_inspection_amend(s, "i1", again.r, "再改", &sum, &d), -1);
    assert_true(tu_has_diag(&d, "already void"));
    tu_done(again);
    hc_diags_clear(&d);
    assert_int_equal(hc_store_audit(s, NULL, &d), 0);
    tu_done(v);
    tu_done(w);
    hc_store_close(&s);
    remove_db();
}

/* An inspection that was re-inspected is corrected by voiding the
   re-inspection first: amending it is refused and changes nothing. */
static void test_amend_refuses_a_reinspected_inspection(void **state)
{
    (void)state;
    hc_store *s = fresh("amend-re");
    tu_evaluated v = tu_eval(e, WRONG);
    hc_diags d = {0};
    assert_int_equal(hc_store_record(s, v.r, &d), 1);
    tu_evaluated re = tu_eval(e, RIGHT("i2", SITE));
    hc_reinspect_summary rs;
    assert_int_equal(hc_store_reinspect(s, "i1", re.r, &rs, &d), 1);
    tu_evaluated w = tu_eval(e, RIGHT("i1b", SITE));
    hc_amend_summary sum;
    long long events = tu_count(s, "SELECT count(*) FROM events");
    assert_int_equal(hc_store_inspection_amend(s, "i1", w.r, "读数录错", &sum, &d), -1);
    assert_true(tu_has_diag(&d, "still stand"));
    assert_int_equal(tu_count(s, "SELECT count(*) FROM events"), events);
    assert_int_equal(tu_count(s, "SELECT count(*) FROM inspections WHERE id = 'i1b'"), 0);
    hc_diags_clear(&d);
    tu_done(v);
    tu_done(re);
    tu_done(w);
    hc_store_close(&s);
    remove_db();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_amend_carries_still_failing_actions),
        cmocka_unit_test(test_amend_refuses_a_reinspected_inspection),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
