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

/* ------------------------------------------------------- did you mean */

static size_t edit_distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > 64 || m > 64) return 99;
    size_t row[65];
    for (size_t j = 0; j <= m; j++) row[j] = j;
    for (size_t i = 1; i <= n; i++) {
        size_t prev = row[0];
        row[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t cur = row[j];
            size_t best = prev + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best) best = row[j] + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            prev = cur;
        }
    }
    return row[m];
}

const char *hc_did_you_mean(const char *word, const char *const *names)
{
    const char *best = NULL;
    size_t bestd = 99;
    for (int i = 0; names[i]; i++) {
        size_t dist = edit_distance(word, names[i]);
        if (dist < bestd) {
            bestd = dist;
            best = names[i];
        }
    }
    size_t len = strlen(word);
    size_t allowed = len <= 4 ? 1 : len <= 8 ? 2 : 3;
    return bestd <= allowed ? best : NULL;
}
