/*
** text.c: UTF-8 validity and display width in terminal cells (utf8proc).
*/
#include <string.h>

#include <utf8proc.h>

#include "base/base.h"

size_t hc_display_width_n(const char *s, size_t n)
{
    /* utf8proc knows the East Asian Width tables; invalid bytes count one */
    size_t w = 0, i = 0;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0) {
            w++;
            i++;
            continue;
        }
        int cw = utf8proc_charwidth(cp);
        w += cw > 0 ? (size_t)cw : 0;
        i += (size_t)k;
    }
    return w;
}

size_t hc_display_width(const char *s) { return hc_display_width_n(s, strlen(s)); }

int hc_utf8_valid(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0) return 0;
        i += (size_t)k;
    }
    return 1;
}

