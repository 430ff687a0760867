/*
** test_secret.c: passwords and tokens (base/secret.c): a password hash is
** Argon2id, salted (two hashes of one password differ) and checks only its
** own password; tokens are 256-bit, fresh each time, and kept as SHA-256.
*/
#include "testutil.h"

static void test_passwords(void **state)
{
    (void)state;
    char a[HC_PASSWORD_HASH_MAX], b[HC_PASSWORD_HASH_MAX];
    assert_int_equal(hc_password_hash("正确的马电池订书钉", a), 0);
    assert_int_equal(hc_password_hash("正确的马电池订书钉", b), 0);
    assert_non_null(strstr(a, "$argon2id$"));
    assert_string_not_equal(a, b);                  /* salted */
    assert_int_equal(hc_password_check(a, "正确的马电池订书钉"), 1);
    assert_int_equal(hc_password_check(b, "正确的马电池订书钉"), 1);
    assert_int_equal(hc_password_check(a, "正确的马电池订书"), 0);
    assert_int_equal(hc_password_check(a, ""), 0);
    assert_int_equal(hc_password_check("not a hash", "x"), 0);
    assert_int_equal(hc_password_check(NULL, "x"), -1);
    hc_password_burn("anything");                  /* runs; nothing to see but its cost */
}

static void test_tokens(void **state)
{
    (void)state;
    char t1[65], t2[65], h1[65], h2[65];
    assert_int_equal(hc_token_new(t1), 0);
    assert_int_equal(hc_token_new(t2), 0);
    assert_int_equal(strlen(t1), 64);
    assert_int_equal(strspn(t1, "0123456789abcdef"), 64);
    assert_string_not_equal(t1, t2);
    hc_token_hash(t1, h1);
    hc_token_hash(t1, h2);
    assert_string_equal(h1, h2);
    assert_string_not_equal(h1, t1);
    hc_token_hash(t2, h2);
    assert_string_not_equal(h1, h2);
    assert_true(hc_secret_equal(t1, t1));
    assert_false(hc_secret_equal(t1, t2));
    assert_false(hc_secret_equal(t1, "abc"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_passwords),
        cmocka_unit_test(test_tokens),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
