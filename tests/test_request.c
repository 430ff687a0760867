/*
** test_request.c: what a request brings, parsed (serve/request.c): form
** bodies decode '+' and %XX, empty pieces are nothing, repeated names keep
** their order; a bad escape, a NUL, bad UTF-8 or too many fields refuse the
** whole form; cookies are found by exact name.
*/
#include "testutil.h"
#include "serve/serve.h"

static void test_form_decodes(void **state)
{
    (void)state;
    hc_fields f;
    char err[128];
    const char body[] = "note=%E6%97%A0%E6%B3%84%E7%88%86+%E5%8F%A3&&csrf=abc&empty=&flag&note=2";
    assert_int_equal(hc_fields_parse(body, strlen(body), &f, err, sizeof err), 0);
    assert_int_equal(f.n, 5);
    assert_string_equal(hc_fields_get(&f, "note"), "无泄爆 口");     /* the first of two */
    assert_string_equal(f.v[4].value, "2");
    assert_string_equal(hc_fields_get(&f, "csrf"), "abc");
    assert_string_equal(hc_fields_get(&f, "empty"), "");
    assert_string_equal(hc_fields_get(&f, "flag"), "");
    assert_null(hc_fields_get(&f, "missing"));
    hc_fields_free(&f);
    /* a body need not end in NUL: only len bytes are read */
    assert_int_equal(hc_fields_parse("a=1&b=2", 3, &f, err, sizeof err), 0);
    assert_int_equal(f.n, 1);
    hc_fields_free(&f);
    assert_int_equal(hc_fields_parse("", 0, &f, err, sizeof err), 0);
    assert_int_equal(f.n, 0);
    hc_fields_free(&f);
}

static void test_form_refuses_whole(void **state)
{
    (void)state;
    static const struct { const char *body, *why; } bad[] = {
        {"a=1&b=%4", "two hex digits"},
        {"a=1&b=%", "two hex digits"},
        {"a=%zz", "two hex digits"},
        {"a=1&b=x%00y", "NUL"},
        {"a=%FF%FE", "not UTF-8"},
        {"a=%C0%AF", "not UTF-8"},              /* an overlong '/' */
        {"%ZZ=1", "two hex digits"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        hc_fields f = {(hc_field *)1, 7};
        char err[128] = "";
        assert_int_equal(hc_fields_parse(bad[i].body, strlen(bad[i].body), &f, err, sizeof err), -1);
        if (strstr(err, bad[i].why) == NULL) fprintf(stderr, "%s: %s\n", bad[i].body, err);
        assert_non_null(strstr(err, bad[i].why));
        assert_null(f.v);                      /* nothing kept, nothing to free */
        assert_int_equal(f.n, 0);
    }
    hc_buf b = {0};
    for (int i = 0; i <= HC_FIELDS_MAX; i++) hc_buf_printf(&b, "k%d=v&", i);
    hc_fields f;
    char err[128];
    assert_int_equal(hc_fields_parse(b.data, b.len, &f, err, sizeof err), -1);
    assert_non_null(strstr(err, "more than"));
    hc_buf_free(&b);
}

static void test_cookies(void **state)
{
    (void)state;
    char v[65];
    assert_int_equal(hc_cookie_find("hc_session=abc; other=1", "hc_session", v, sizeof v), 1);
    assert_string_equal(v, "abc");
    assert_int_equal(hc_cookie_find("x=1;  hc_session=def ;y=2", "hc_session", v, sizeof v), 1);
    assert_string_equal(v, "def");
    /* a longer name that starts with ours is not ours */
    assert_int_equal(hc_cookie_find("hc_session2=evil", "hc_session", v, sizeof v), 0);
    assert_int_equal(hc_cookie_find("xhc_session=evil", "hc_session", v, sizeof v), 0);
    assert_int_equal(hc_cookie_find("", "hc_session", v, sizeof v), 0);
    assert_int_equal(hc_cookie_find("hc_session=", "hc_session", v, sizeof v), 0);
    char small[4];
    assert_int_equal(hc_cookie_find("hc_session=abcdef", "hc_session", small, sizeof small), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_form_decodes),
        cmocka_unit_test(test_form_refuses_whole),
        cmocka_unit_test(test_cookies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
