/* test_lang.c: the reader's language (src/base/lang.c): which one the
   environment asks for, and words through the catalogue (build/locale). */
#include <locale.h>

#include "testutil.h"

#include "base/base.h"

static const char *localedir(void)
{
    const char *d = getenv("HC_LOCALEDIR");
    return d ? d : "build/locale";
}

static void ask(const char *language, const char *lc_all, const char *lang)
{
    static const char *const vars[] = {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < 4; i++) unsetenv(vars[i]);
    if (language) setenv("LANGUAGE", language, 1);
    if (lc_all) setenv("LC_ALL", lc_all, 1);
    if (lang) setenv("LANG", lang, 1);
}

static char *render(const char *tpl)
{
    hc_diags d = {0};
    hc_buf out = {0};
    int rc = hc_template_render(tpl, strlen(tpl), "t.html", NULL, &out, &d);
    if (rc != 0) tu_dump(&d);
    assert_int_equal(rc, 0);
    return hc_buf_take(&out);
}

/* English is the source text: nothing is looked up. */
static void test_english(void **state)
{
    (void)state;
    ask(NULL, NULL, "en_US.UTF-8");
    assert_int_equal(hc_language_init(localedir()), 0);
    assert_int_equal(hc_language_zh(), 0);
    assert_string_equal(hc_vocab_text(HC_VOCAB_STATUS, "fail"), "fail");
    assert_string_equal(hc_vocab_text(HC_VOCAB_MEASURE, "list"), "blacklist");
    assert_string_equal(hc_vocab_notice(HC_VOCAB_ORDER, "rectify"), "rectify by the deadline");
    char *html = render("<b>{{_ fail}}</b> {{_ a <b> & c}}");
    assert_string_equal(html, "<b>fail</b> a &lt;b&gt; &amp; c");
    free(html);
}

/* The first variable that is set decides, in gettext's order; a missing
   zh_CN locale does not stop Chinese (C.UTF-8 and LANGUAGE stand in). */
static void test_chinese(void **state)
{
    (void)state;
    ask(NULL, NULL, "zh_CN.UTF-8");
    assert_int_equal(hc_language_init(localedir()), 1);
    assert_string_equal(hc_vocab_text(HC_VOCAB_STATUS, "fail"), "不符合");
    assert_string_equal(hc_vocab_text(HC_VOCAB_MEASURE, "list"), "列入黑名单");
    assert_string_equal(hc_vocab_text(HC_VOCAB_INPUT_TYPE, "list"), "列表");
    assert_non_null(strstr(hc_vocab_notice(HC_VOCAB_ORDER, "suspend-equipment"), "复查合格后方可恢复使用"));
    assert_string_equal(hc_vocab_notice(HC_VOCAB_ORDER, "rectify"), "限期整改");
    assert_string_equal(hc_vocab_text(HC_VOCAB_STATUS, "praise"), "praise");   /* not a code */
    assert_string_equal(_("no such words in the catalogue"), "no such words in the catalogue");
    char *html = render("<b>{{_ fail}}</b>");
    assert_string_equal(html, "<b>不符合</b>");
    free(html);
    char buf[64];
    assert_string_equal(hc_vocab_expected(HC_VOCAB_ACTION_STATE, buf, sizeof buf),
                        "open、rectified或verified");

    ask("zh_CN:en", "C", NULL);                  /* LANGUAGE first */
    assert_int_equal(hc_language_init(localedir()), 1);
    assert_string_equal(hc_vocab_text(HC_VOCAB_STATUS, "pass"), "符合");
    ask("en", "zh_CN.UTF-8", "zh_CN.UTF-8");     /* LANGUAGE=en wins */
    assert_int_equal(hc_language_init(localedir()), 0);
    assert_string_equal(hc_vocab_text(HC_VOCAB_STATUS, "pass"), "pass");
    ask("", "", "zh_TW.UTF-8");                  /* empty ones do not count */
    assert_int_equal(hc_language_init(localedir()), 1);
    ask(NULL, NULL, NULL);
    assert_int_equal(hc_language_init(localedir()), 0);

    /* the fallback's own LANGUAGE=zh_CN must not keep a later English choice Chinese */
    ask(NULL, NULL, "zh_CN.UTF-8");
    assert_int_equal(hc_language_init(localedir()), 1);
    setenv("LANG", "C.UTF-8", 1);
    assert_int_equal(hc_language_init(localedir()), 0);
    assert_string_equal(hc_vocab_text(HC_VOCAB_STATUS, "fail"), "fail");
}

/* Numbers keep their decimal point whatever the language: LC_NUMERIC is never
   taken from the environment (C.UTF-8 exists everywhere, so taking it would show). */
static void test_numbers_unchanged(void **state)
{
    (void)state;
    ask(NULL, NULL, "zh_CN.UTF-8");
    setenv("LC_NUMERIC", "C.UTF-8", 1);
    hc_language_init(localedir());
    assert_string_equal(setlocale(LC_NUMERIC, NULL), "C");
    char buf[32];
    snprintf(buf, sizeof buf, "%.2f", 1.5);
    assert_string_equal(buf, "1.50");
    unsetenv("LC_NUMERIC");
}

/* A {{_ ...}} tag must hold words, and not too many of them. */
static void test_template_words_checked(void **state)
{
    (void)state;
    hc_diags d = {0};
    hc_buf out = {0};
    assert_int_not_equal(hc_template_render("a {{_ }} b", 10, "t.html", NULL, &out, &d), 0);
    assert_int_equal(d.errors, 1);
    hc_diags_clear(&d);
    char big[1100 + 8];
    memcpy(big, "{{_ ", 4);
    memset(big + 4, 'x', 1100);
    memcpy(big + 1104, "}}", 3);
    assert_int_not_equal(hc_template_render(big, strlen(big), "t.html", NULL, &out, &d), 0);
    assert_non_null(strstr(d.v[0].msg, "1000"));
    hc_diags_clear(&d);
    hc_buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_english),
        cmocka_unit_test(test_chinese),
        cmocka_unit_test(test_numbers_unchanged),
        cmocka_unit_test(test_template_words_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
