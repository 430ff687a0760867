/* test_basis.c: a basis with its source's full title and the article as cited
   (src/engine/basis.c). The notice of issue 11 printed "MEM10-2023 第十一条(三)". */
#include "testutil.h"

static void test_cited_in_full(void **state)
{
    (void)state;
    hc_source src[] = {{"MEM10-2023", "《工贸企业重大事故隐患判定标准》（应急管理部令第10号）"},
                       {"GB15577-2018", "GB 15577-2018《粉尘防爆安全规程》"}};
    char buf[512];
    assert_string_equal(hc_basis_text(src, 2, "MEM10-2023 第十一条(三)", buf, sizeof buf),
                        "《工贸企业重大事故隐患判定标准》（应急管理部令第10号）第十一条第（三）项");
    assert_string_equal(hc_basis_text(src, 2, "MEM10-2023 第十一条（三）", buf, sizeof buf),
                        "《工贸企业重大事故隐患判定标准》（应急管理部令第10号）第十一条第（三）项");
    assert_string_equal(hc_basis_text(src, 2, "MEM10-2023 第十四条", buf, sizeof buf),
                        "《工贸企业重大事故隐患判定标准》（应急管理部令第10号）第十四条");
    assert_string_equal(hc_basis_text(src, 2, "GB15577-2018 8.1.5", buf, sizeof buf),
                        "GB 15577-2018《粉尘防爆安全规程》第8.1.5条");
    /* a code the pack does not list, or no place at all: as written */
    assert_string_equal(hc_basis_text(src, 2, "AQ3067-2026 5.1.1", buf, sizeof buf), "AQ3067-2026 5.1.1");
    assert_string_equal(hc_basis_text(src, 2, "GB15577-2018", buf, sizeof buf), "GB 15577-2018《粉尘防爆安全规程》");
    assert_string_equal(hc_basis_text(NULL, 0, "MEM10-2023 第十一条(三)", buf, sizeof buf),
                        "MEM10-2023 第十一条(三)");
    /* a short buffer is cut, never overrun */
    char small[16];
    hc_basis_text(src, 2, "MEM10-2023 第十一条(三)", small, sizeof small);
    assert_true(strlen(small) < sizeof small);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_cited_in_full)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
