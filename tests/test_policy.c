/*
** test_policy.c: the one policy table (serve/policy.c) against cli.md's roles:
** every cell of role x resource x verb is walked, the grants the spec names
** are there, nothing else is; squads and an enterprise's own sites bound what
** a grant reaches.
*/
#include "testutil.h"
#include "hazcheck_serve.h"

static void test_the_roles_of_the_spec(void **state)
{
    (void)state;
    /* admin: everything, users too */
    for (int r = 0; r < HC_NRESOURCES; r++)
        for (int v = 0; v < HC_NVERBS; v++)
            assert_int_equal(hc_policy(HC_ROLE_ADMIN, (hc_resource)r, (hc_verb)v), HC_SCOPE_ALL);
    /* only the admin manages users or reaches anything with MANAGE */
    for (int role = HC_ROLE_LEADER; role < HC_NROLES; role++) {
        for (int v = 0; v < HC_NVERBS; v++)
            assert_int_equal(hc_policy((hc_role)role, HC_RES_USER, (hc_verb)v), HC_SCOPE_NONE);
        for (int r = 0; r < HC_NRESOURCES; r++)
            assert_int_equal(hc_policy((hc_role)role, (hc_resource)r, HC_VERB_MANAGE), HC_SCOPE_NONE);
    }
    /* inspectors and leaders: their squad; record, verify, reopen, assign, measures */
    for (int role = HC_ROLE_LEADER; role <= HC_ROLE_INSPECTOR; role++) {
        hc_role ro = (hc_role)role;
        assert_int_equal(hc_policy(ro, HC_RES_SITE, HC_VERB_READ), HC_SCOPE_SQUAD);
        assert_int_equal(hc_policy(ro, HC_RES_INSPECTION, HC_VERB_CREATE), HC_SCOPE_SQUAD);
        assert_int_equal(hc_policy(ro, HC_RES_ACTION, HC_VERB_VERIFY), HC_SCOPE_SQUAD);
        assert_int_equal(hc_policy(ro, HC_RES_ACTION, HC_VERB_REOPEN), HC_SCOPE_SQUAD);
        assert_int_equal(hc_policy(ro, HC_RES_ACTION, HC_VERB_ASSIGN), HC_SCOPE_SQUAD);
        assert_int_equal(hc_policy(ro, HC_RES_MEASURE, HC_VERB_CREATE), HC_SCOPE_SQUAD);
        assert_int_equal(hc_policy(ro, HC_RES_FIGURES, HC_VERB_READ), HC_SCOPE_SQUAD);
        /* the enterprise rectifies and assesses itself, not the bureau */
        assert_int_equal(hc_policy(ro, HC_RES_ACTION, HC_VERB_RECTIFY), HC_SCOPE_NONE);
        assert_int_equal(hc_policy(ro, HC_RES_SELF_ASSESSMENT, HC_VERB_CREATE), HC_SCOPE_NONE);
    }
    /* an enterprise: its own sites; self-assessments and rectification only */
    hc_role en = HC_ROLE_ENTERPRISE;
    assert_int_equal(hc_policy(en, HC_RES_SITE, HC_VERB_READ), HC_SCOPE_OWN);
    assert_int_equal(hc_policy(en, HC_RES_SELF_ASSESSMENT, HC_VERB_CREATE), HC_SCOPE_OWN);
    assert_int_equal(hc_policy(en, HC_RES_ACTION, HC_VERB_RECTIFY), HC_SCOPE_OWN);
    assert_int_equal(hc_policy(en, HC_RES_INSPECTION, HC_VERB_CREATE), HC_SCOPE_NONE);
    assert_int_equal(hc_policy(en, HC_RES_ACTION, HC_VERB_VERIFY), HC_SCOPE_NONE);
    assert_int_equal(hc_policy(en, HC_RES_MEASURE, HC_VERB_CREATE), HC_SCOPE_NONE);
    assert_int_equal(hc_policy(en, HC_RES_FIGURES, HC_VERB_READ), HC_SCOPE_NONE);
    /* nothing reaches wider than the admin's ALL for anyone else */
    for (int role = HC_ROLE_LEADER; role < HC_NROLES; role++)
        for (int r = 0; r < HC_NRESOURCES; r++)
            for (int v = 0; v < HC_NVERBS; v++)
                assert_true(hc_policy((hc_role)role, (hc_resource)r, (hc_verb)v) != HC_SCOPE_ALL);
    /* out-of-range values are refused, not read past the table */
    assert_int_equal(hc_policy(HC_ROLE_ADMIN, HC_NRESOURCES, HC_VERB_READ), HC_SCOPE_NONE);
    assert_int_equal(hc_policy((hc_role)99, HC_RES_SITE, HC_VERB_READ), HC_SCOPE_NONE);
}

static void test_scopes_bound_the_sites(void **state)
{
    (void)state;
    hc_principal insp = {"王芳", HC_ROLE_INSPECTOR, "一中队", NULL, 0};
    assert_true(hc_policy_allows(&insp, HC_RES_SITE, HC_VERB_READ, "370181-0042", "一中队"));
    assert_false(hc_policy_allows(&insp, HC_RES_SITE, HC_VERB_READ, "370181-0042", "二中队"));
    assert_false(hc_policy_allows(&insp, HC_RES_SITE, HC_VERB_READ, "370181-0042", NULL));
    hc_principal nosquad = {"赵", HC_ROLE_INSPECTOR, "", NULL, 0};
    assert_false(hc_policy_allows(&nosquad, HC_RES_SITE, HC_VERB_READ, "x", ""));
    const char *mine[] = {"370181-0042", "370181-0043"};
    hc_principal ent = {"某木业", HC_ROLE_ENTERPRISE, NULL, mine, 2};
    assert_true(hc_policy_allows(&ent, HC_RES_ACTION, HC_VERB_RECTIFY, "370181-0043", "一中队"));
    assert_false(hc_policy_allows(&ent, HC_RES_ACTION, HC_VERB_RECTIFY, "370181-0044", "一中队"));
    /* a prefix of an own site is not an own site */
    assert_false(hc_policy_allows(&ent, HC_RES_SITE, HC_VERB_READ, "370181-004", NULL));
    assert_false(hc_policy_allows(&ent, HC_RES_SITE, HC_VERB_READ, NULL, NULL));
    assert_false(hc_policy_allows(&ent, HC_RES_ACTION, HC_VERB_VERIFY, "370181-0042", NULL));
    hc_principal admin = {"局", HC_ROLE_ADMIN, NULL, NULL, 0};
    assert_true(hc_policy_allows(&admin, HC_RES_USER, HC_VERB_MANAGE, NULL, NULL));
    assert_false(hc_policy_allows(NULL, HC_RES_SITE, HC_VERB_READ, "x", "y"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_roles_of_the_spec),
        cmocka_unit_test(test_scopes_bound_the_sites),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
