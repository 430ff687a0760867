/*
** test_evidence.c: what an uploaded file is, by its first bytes alone
** (serve/evidence.c): JPEG, PNG and PDF are taken; HTML, SVG, a script, a
** truncated signature or nothing are not, whatever they are called; and an
** evidence reference is a digest, never a path.
*/
#include "testutil.h"
#include "serve/serve.h"

static const char *type_of(const char *bytes, size_t n)
{
    return hc_evidence_type((const unsigned char *)bytes, n);
}

static void test_types_by_content(void **state)
{
    (void)state;
    assert_string_equal(type_of("\xff\xd8\xff\xe0\0\x10JFIF", 10), "image/jpeg");
    assert_string_equal(type_of("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), "image/png");
    assert_string_equal(type_of("%PDF-1.7\n", 9), "application/pdf");
    static const char *const refused[] = {
        "<html><script>alert(1)</script>",
        "<?xml version=\"1.0\"?><svg onload=\"alert(1)\"/>",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        "#!/bin/sh\nrm -rf /",
        "GIF89a",
        "\x89PNG\r\n",               /* a PNG signature cut short */
        " %PDF-1.7",                 /* not at the start */
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
        assert_null(type_of(refused[i], strlen(refused[i])));
    assert_null(type_of("\xff\xd8", 2));
    assert_null(type_of("", 0));
}

static void test_refs_are_digests(void **state)
{
    (void)state;
    char ok[80];
    snprintf(ok, sizeof ok, "sha256:%s", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    assert_true(hc_evidence_ref_valid(ok));
    static const char *const bad[] = {
        NULL, "", "sha256:", "IMG_0012.jpg", "sha256:../../etc/passwd",
        "sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",   /* upper case */
        "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde",    /* 63 */
        "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0",  /* 65 */
        "sha256:0123456789abcdef0123456789abcdef0123456789abcdef01234567/9abcdef",
        "md5:0123456789abcdef0123456789abcdef",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) assert_false(hc_evidence_ref_valid(bad[i]));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_types_by_content),
        cmocka_unit_test(test_refs_are_digests),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
