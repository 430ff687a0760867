/*
** util.c: allocation, buffers, arenas, diagnostics, files, hashing, text width
** and dates: small services with no knowledge of hazcheck's formats.
*/
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/sha2.h>
#include <utf8proc.h>

#include "util.h"

static void oom(size_t n)
{
    fprintf(stderr, "hazcheck: out of memory (%zu bytes)\n", n);
    abort();
}

void *hc_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL) oom(n);
    return p;
}

void *hc_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (p == NULL) oom(n * size);
    return p;
}

void *hc_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (q == NULL) oom(n);
    return q;
}

char *hc_xstrndup(const char *s, size_t n)
{
    char *p = hc_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *hc_xstrdup(const char *s) { return hc_xstrndup(s, strlen(s)); }

void hc_grow(void **array, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) return;
    size_t c = *cap ? *cap : 8;
    while (c < need) {
        if (c > SIZE_MAX / 2 / size) oom(SIZE_MAX);
        c *= 2;
    }
    *array = hc_xrealloc(*array, c * size);
    *cap = c;
}

/* ------------------------------------------------------------ buffers */

void hc_buf_grow(hc_buf *b, size_t n)
{
    if (b->data && b->len + n + 1 <= b->cap) return;
    size_t c = b->cap ? b->cap : 64;
    while (c < b->len + n + 1) c *= 2;
    b->data = hc_xrealloc(b->data, c);
    b->cap = c;
}

void hc_buf_puts(hc_buf *b, const char *s) { hc_buf_put(b, s, strlen(s)); }

void hc_buf_vprintf(hc_buf *b, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);   /* NOLINT(clang-analyzer-valist.Uninitialized): va_copy above */
    va_end(cp);
    if (n < 0) return;
    hc_buf_put(b, "", 0);   /* make sure data exists */
    if (b->len + (size_t)n + 1 > b->cap) {
        size_t c = b->cap;
        while (c < b->len + (size_t)n + 1) c *= 2;
        b->data = hc_xrealloc(b->data, c);
        b->cap = c;
    }
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void hc_buf_printf(hc_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    hc_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void hc_buf_reset(hc_buf *b)
{
    b->len = 0;
    if (b->data) b->data[0] = '\0';
}

void hc_buf_free(hc_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *hc_buf_take(hc_buf *b)
{
    char *s = b->data ? b->data : hc_xstrdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return s;
}

/* ------------------------------------------------------------- arenas */

typedef struct chunk {
    struct chunk *next;
    size_t used, size;
    _Alignas(16) unsigned char mem[];
} chunk;

struct hc_arena { chunk *head; };

hc_arena *hc_arena_new(void) { return hc_xcalloc(1, sizeof(hc_arena)); }

void hc_arena_free(hc_arena **a)
{
    if (a == NULL || *a == NULL) return;
    chunk *c = (*a)->head;
    while (c) {
        chunk *n = c->next;
        free(c);
        c = n;
    }
    free(*a);
    *a = NULL;
}

void *hc_arena_alloc(hc_arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    chunk *c = a->head;
    if (c == NULL || c->size - c->used < n) {
        size_t size = n > 16384 ? n : 16384;
        c = hc_xmalloc(sizeof(chunk) + size);
        c->size = size;
        c->used = 0;
        /* a large block goes behind the current chunk so its space is not lost */
        if (a->head && n > 16384) {
            c->next = a->head->next;
            a->head->next = c;
        } else {
            c->next = a->head;
            a->head = c;
        }
    }
    void *p = c->mem + c->used;
    c->used += n;
    memset(p, 0, n);
    return p;
}

char *hc_arena_strndup(hc_arena *a, const char *s, size_t n)
{
    char *p = hc_arena_alloc(a, n + 1);
    if (n) memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *hc_arena_strdup(hc_arena *a, const char *s) { return hc_arena_strndup(a, s, strlen(s)); }

char *hc_arena_printf(hc_arena *a, const char *fmt, ...)
{
    hc_buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    hc_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    char *s = hc_arena_strndup(a, b.data ? b.data : "", b.len);
    hc_buf_free(&b);
    return s;
}

/* -------------------------------------------------------- diagnostics */

void hc_diags_add(hc_diags *d, hc_severity_level level, const char *file,
                  unsigned line, unsigned col, const char *fmt, ...)
{
    if (d == NULL) return;
    HC_GROW(d->v, d->cap, d->n + 1);
    hc_diag *g = &d->v[d->n++];
    g->level = level;
    g->file = file ? hc_xstrdup(file) : NULL;
    g->line = line;
    g->col = col;
    hc_buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    hc_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    g->msg = hc_buf_take(&b);
    if (level == HC_ERROR) d->errors++;
    else d->warnings++;
}

void hc_diags_print(hc_diags *d, FILE *f)
{
    for (size_t i = 0; i < d->n; i++) {
        hc_diag *g = &d->v[i];
        if (g->file) {
            fputs(g->file, f);
            if (g->line) fprintf(f, ":%u:%u", g->line, g->col ? g->col : 1);
            fputs(": ", f);
        } else {
            fputs("hazcheck: ", f);
        }
        if (g->level == HC_WARNING) fputs("warning: ", f);
        fputs(g->msg, f);
        fputc('\n', f);
    }
    hc_diags_clear(d);
}

void hc_diags_clear(hc_diags *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->v[i].file);
        free(d->v[i].msg);
    }
    free(d->v);
    memset(d, 0, sizeof *d);
}

/* -------------------------------------------------------------- files */

int hc_read_file(const char *path, size_t max, char **out, size_t *len,
                 char *err, size_t errlen)
{
    int is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (f == NULL) {
        snprintf(err, errlen, "cannot open: %s", strerror(errno));
        return -1;
    }
    hc_buf b = {0};
    char tmp[65536];
    size_t n;
    int rc = 0;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) {
        if (b.len + n > max) {
            snprintf(err, errlen, "file is larger than the limit of %zu bytes", max);
            rc = -1;
            break;
        }
        hc_buf_put(&b, tmp, n);
    }
    if (rc == 0 && ferror(f)) {
        snprintf(err, errlen, "cannot read: %s", strerror(errno));
        rc = -1;
    }
    if (!is_stdin) fclose(f);
    if (rc) {
        hc_buf_free(&b);
        return rc;
    }
    *len = b.len;
    *out = hc_buf_take(&b);
    return 0;
}

/* ---------------------------------------------------------- hashing */

void hc_sha256_hex(const void *data, size_t len, char out[65])
{
    /* nettle: a vetted implementation; a record used in court should not
       rest on a hand-written hash. */
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, len, data);
    sha256_digest(&ctx, sizeof digest, digest);
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < sizeof digest; i++) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 15];
    }
    out[64] = '\0';
}

/* ------------------------------------------------------------- text */

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

/* ---------------------------------------------------------------- csv */

void hc_csv_bom(FILE *f) { fputs("\xEF\xBB\xBF", f); }

void hc_csv_field(FILE *f, const char *s)
{
    if (s == NULL) return;
    /* a value a spreadsheet would run as a formula gets a leading apostrophe,
       which Excel and LibreOffice take as "this is text" (OWASP's advice) */
    int formula = *s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r';
    if (!formula && strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    if (formula) fputc('\'', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* -------------------------------------------------------------- dates */

/* Days from civil (Howard Hinnant's algorithm): exact for the proleptic
   Gregorian calendar, no time zones involved. */
static long days_from_civil(long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

int hc_date_parse(const char *s, size_t len, long *days)
{
    if (len != 10 || s[4] != '-' || s[7] != '-') return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return -1;
    long y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    unsigned m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
    unsigned d = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
    static const unsigned mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || m < 1 || m > 12 || d < 1) return -1;
    unsigned max = mdays[m - 1];
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) max = 29;
    if (d > max) return -1;
    *days = days_from_civil(y, m, d);
    return 0;
}

void hc_date_format(long z, char out[11])
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = (long)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned d = doy - (153 * mp + 2) / 5 + 1;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    if (y < 0 || y > 9999) y = 9999;
    snprintf(out, 11, "%04ld-%02u-%02u", y % 10000, m % 100, d % 100);
}

void hc_limits_default(hc_limits *l)
{
    l->max_depth = 64;
    l->max_nodes = 1000000;
    l->max_scalar = 1 << 20;
    l->max_file = 64u << 20;
    l->lua_instructions = 10000000;
    l->lua_memory = 64u << 20;
    l->lua_millis = 2000;
    l->inspection_millis = 30000;
}
