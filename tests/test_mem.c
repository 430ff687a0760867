/*
** test_mem.c: the growing buffer (hc_buf) and the arena. hc_buf_printf writes
** into the room there is and formats again only when that was too small: it
** must give what snprintf gives at every boundary of the room.
*/
#include <string.h>

#include "testutil.h"

static void test_printf_at_every_boundary(void **state)
{
    (void)state;
    char text[400], want[1200], one[500];
    for (int i = 0; i < (int)sizeof text - 1; i++) text[i] = (char)('a' + i % 26);
    /* a buffer already holding 0..130 bytes, then a piece of 0..398 bytes:
       every way the piece can fit, just fit, or overflow the room */
    for (size_t fill = 0; fill <= 130; fill += 13) {
        for (size_t len = 0; len < sizeof text - 1; len += 7) {
            hc_buf b = {0};
            memset(want, 0, sizeof want);
            for (size_t k = 0; k < fill; k++) hc_buf_putc(&b, 'x');
            memset(want, 'x', fill);
            hc_buf_printf(&b, "%.*s|%d", (int)len, text, (int)len);
            snprintf(one, sizeof one, "%.*s|%d", (int)len, text, (int)len);
            strcat(want, one);
            assert_int_equal(b.len, strlen(want));
            assert_string_equal(b.data, want);
            assert_true(b.cap > b.len);
            hc_buf_free(&b);
        }
    }
}

static void test_printf_appends(void **state)
{
    (void)state;
    hc_buf b = {0};
    for (int i = 0; i < 1000; i++) hc_buf_printf(&b, "%d,", i);
    assert_int_equal(b.len, 10 * 2 + 90 * 3 + 900 * 4);
    assert_memory_equal(b.data, "0,1,2,", 6);
    assert_string_equal(b.data + b.len - 4, "999,");
    hc_buf_printf(&b, "%s", "");
    assert_int_equal(b.len, 3890);
    char *s = hc_buf_take(&b);
    assert_null(b.data);
    assert_int_equal(strlen(s), 3890);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_printf_at_every_boundary),
        cmocka_unit_test(test_printf_appends),
    };
    return cmocka_run_group_tests_name("mem", tests, NULL, NULL);
}
