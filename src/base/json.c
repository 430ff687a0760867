/*
** json.c: the streaming JSON writer. Strings are escaped per RFC 8259;
** valid UTF-8 passes through unescaped (Chinese text stays readable), and
** invalid bytes become U+FFFD so the output is always valid JSON.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

void hc_json_init(hc_json *j, FILE *f, int pretty)
{
    memset(j, 0, sizeof *j);
    j->f = f;
    hc_buf_put(&j->buf, "", 0);
    j->pretty = pretty;
    j->first[0] = 1;
}

static void newline(hc_json *j)
{
    if (!j->pretty) return;
    hc_buf_putc(&j->buf, '\n');
    for (int i = 0; i < j->depth; i++) hc_buf_put(&j->buf, "  ", 2);
}

/* Separator and indentation before a value or key. */
static void before(hc_json *j)
{
    if (j->after_key) {
        j->after_key = 0;
        return;
    }
    if (!j->first[j->depth]) hc_buf_putc(&j->buf, ',');
    if (j->depth > 0) newline(j);
    j->first[j->depth] = 0;
}

static void open(hc_json *j, char c)
{
    before(j);
    hc_buf_putc(&j->buf, c);
    if (j->depth < 63) j->depth++;
    j->first[j->depth] = 1;
}

static void close_(hc_json *j, char c)
{
    int empty = j->first[j->depth];
    if (j->depth > 0) j->depth--;
    if (!empty) newline(j);
    hc_buf_putc(&j->buf, c);
    if (j->depth == 0 && j->f) {      /* without a file the text stays in j->buf */
        if (j->pretty) hc_buf_putc(&j->buf, '\n');
        fwrite(j->buf.data, 1, j->buf.len, j->f);
        hc_buf_free(&j->buf);
    }
}

void hc_json_begin_object(hc_json *j) { open(j, '{'); }
void hc_json_end_object(hc_json *j) { close_(j, '}'); }
void hc_json_begin_array(hc_json *j) { open(j, '['); }
void hc_json_end_array(hc_json *j) { close_(j, ']'); }

void hc_json_key(hc_json *j, const char *k)
{
    before(j);
    /* keys are our own names: plain ASCII goes out as it is */
    size_t n = 0;
    int plain = 1;
    for (; k[n]; n++)
        if (!((k[n] >= 'a' && k[n] <= 'z') || (k[n] >= 'A' && k[n] <= 'Z') ||
              (k[n] >= '0' && k[n] <= '9') || k[n] == '_' || k[n] == '-'))
            plain = 0;
    if (plain) {
        hc_buf_grow(&j->buf, n + 4);
        char *p = j->buf.data + j->buf.len;
        *p++ = '"';
        memcpy(p, k, n);
        p += n;
        *p++ = '"';
        *p++ = ':';
        if (j->pretty) *p++ = ' ';
        j->buf.len = (size_t)(p - j->buf.data);
        j->buf.data[j->buf.len] = '\0';
    } else {
        hc_json_quote(&j->buf, k, n);
        hc_buf_puts(&j->buf, j->pretty ? ": " : ":");
    }
    j->after_key = 1;
}

static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t len;
    unsigned min;
    unsigned cp;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) len = 2, cp = c & 0x1F, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF) len = 3, cp = c & 0x0F, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4) len = 4, cp = c & 0x07, min = 0x10000;
    else return 0;
    if (len > n) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

/* 1 for bytes that cannot go into a JSON string as they are */
static const unsigned char special[256] = {
    1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
    0,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1,
    1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
    1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
    1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
    1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
};

void hc_json_quote(hc_buf *b, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    hc_buf_grow(b, n + 2);
    hc_buf_putc(b, '"');
    size_t run = 0;    /* start of bytes that need no escaping */
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i];
        if (!special[c]) {
            i++;
            continue;
        }
        const char *esc = NULL;
        char tmp[8];
        size_t k = 1;
        if (c == '"') esc = "\\\"";
        else if (c == '\\') esc = "\\\\";
        else if (c == '\n') esc = "\\n";
        else if (c == '\r') esc = "\\r";
        else if (c == '\t') esc = "\\t";
        else if (c < 0x20 || c == 0x7F) {
            snprintf(tmp, sizeof tmp, "\\u%04x", c);
            esc = tmp;
        } else {
            k = utf8_seq(p + i, n - i);
            if (k == 0) {
                esc = "\xEF\xBF\xBD";
                k = 1;
            } else if (k == 3 && c == 0xE2 && p[i + 1] == 0x80 && (p[i + 2] == 0xA8 || p[i + 2] == 0xA9)) {
                /* U+2028/2029 break JavaScript string literals */
                esc = p[i + 2] == 0xA8 ? "\\u2028" : "\\u2029";
            }
        }
        if (esc) {
            hc_buf_put(b, p + run, i - run);
            hc_buf_puts(b, esc);
            i += k;
            run = i;
        } else {
            i += k;
        }
    }
    hc_buf_put(b, p + run, n - run);
    hc_buf_putc(b, '"');
}

void hc_json_string_n(hc_json *j, const char *s, size_t n)
{
    before(j);
    hc_json_quote(&j->buf, s, n);
}

void hc_json_string(hc_json *j, const char *s)
{
    if (s == NULL) {
        hc_json_null(j);
        return;
    }
    hc_json_string_n(j, s, strlen(s));
}

size_t hc_json_format_number(double x, char out[32])
{
    if (!isfinite(x)) return (size_t)snprintf(out, 32, "null");
    if (x == floor(x) && fabs(x) < 1e15) return (size_t)snprintf(out, 32, "%lld", (long long)x);
    /* A number with a few decimals (0.6, 12.75): if x is the double nearest to m / 10^k,
       "%.15g" prints exactly that decimal (m has at most 15 digits here), and in fixed
       notation since |x| >= 1e-4; write it without printf. */
    static const double pow10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6};
    double ax = fabs(x);
    if (ax >= 1e-4 && ax < 1e9) {
        for (int k = 1; k <= 6; k++) {
            double y = ax * pow10[k];
            if (y >= 9e15) break;
            long long m = llround(y);
            if ((double)m / pow10[k] != ax) continue;
            char digits[24];
            int nd = 0;
            for (long long t = m; t; t /= 10) digits[nd++] = (char)('0' + t % 10);
            while (nd <= k) digits[nd++] = '0';            /* a leading "0." */
            int lo = 0;
            while (lo < k && digits[lo] == '0') lo++;      /* trailing zeros of the fraction */
            size_t len = 0;
            if (x < 0) out[len++] = '-';
            for (int d = nd - 1; d >= k; d--) out[len++] = digits[d];
            if (lo < k) {
                out[len++] = '.';
                for (int d = k - 1; d >= lo; d--) out[len++] = digits[d];
            }
            out[len] = '\0';
            return len;
        }
    }
    /* the shortest of 15 or 17 digits that reads back as the same number */
    int len = snprintf(out, 32, "%.15g", x);
    if (strtod(out, NULL) != x) len = snprintf(out, 32, "%.17g", x);
    return (size_t)len;
}

void hc_json_number(hc_json *j, double x)
{
    if (isfinite(x) && x == floor(x) && fabs(x) < 1e15) {
        hc_json_integer(j, (long long)x);
        return;
    }
    before(j);
    char tmp[32];
    size_t len = hc_json_format_number(x, tmp);
    hc_buf_put(&j->buf, tmp, len);
}

void hc_json_integer(hc_json *j, long long x)
{
    before(j);
    char tmp[24], *p = tmp + sizeof tmp;
    unsigned long long u = x < 0 ? 0ull - (unsigned long long)x : (unsigned long long)x;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (x < 0) *--p = '-';
    hc_buf_put(&j->buf, p, (size_t)(tmp + sizeof tmp - p));
}

void hc_json_bool(hc_json *j, int b)
{
    before(j);
    hc_buf_puts(&j->buf, b ? "true" : "false");
}

void hc_json_null(hc_json *j)
{
    before(j);
    hc_buf_puts(&j->buf, "null");
}

void hc_json_value(hc_json *j, const hc_value *v)
{
    switch (v->kind) {
    case HC_V_NONE: hc_json_null(j); break;
    case HC_V_BOOL: hc_json_bool(j, v->u.b); break;
    case HC_V_NUM: hc_json_number(j, v->u.num); break;
    case HC_V_INT: hc_json_integer(j, (long long)v->u.i); break;
    case HC_V_STR: hc_json_string_n(j, v->u.s, v->len); break;
    case HC_V_SET:
    case HC_V_LIST:
        hc_json_begin_array(j);
        for (size_t i = 0; i < v->len; i++) hc_json_value(j, &v->u.items[i]);
        hc_json_end_array(j);
        break;
    case HC_V_MAP:
        hc_json_begin_object(j);
        for (size_t i = 0; i < v->len; i++) {
            if (v->u.items[i].kind == HC_V_NONE) continue;
            hc_json_key(j, v->keys[i]);
            hc_json_value(j, &v->u.items[i]);
        }
        hc_json_end_object(j);
        break;
    }
}

/* ------------------------------------------------- document trees */

void hc_write_json_string(FILE *f, const char *s)
{
    if (s == NULL) {
        fputs("null", f);
        return;
    }
    hc_buf b = {0};
    hc_json_quote(&b, s, strlen(s));
    fwrite(b.data, 1, b.len, f);
    hc_buf_free(&b);
}

void hc_json_node(hc_json *j, const hc_node *n)
{
    switch (n->kind) {
    case HC_SCALAR: {
        int b;
        int64_t i;
        double x;
        switch (hc_scalar_resolve(n, &b, &i, &x)) {
        case HC_SC_NULL: hc_json_null(j); break;
        case HC_SC_BOOL: hc_json_bool(j, b); break;
        case HC_SC_INT: hc_json_integer(j, (long long)i); break;
        case HC_SC_FLOAT: hc_json_number(j, x); break;
        default: hc_json_string_n(j, n->str, n->len);
        }
        break;
    }
    case HC_SEQ:
        hc_json_begin_array(j);
        for (size_t k = 0; k < n->len; k++) hc_json_node(j, n->kids[k]);
        hc_json_end_array(j);
        break;
    case HC_MAP:
        hc_json_begin_object(j);
        for (size_t k = 0; k < n->len; k++) {
            hc_json_key(j, n->kids[2 * k]->str);
            hc_json_node(j, n->kids[2 * k + 1]);
        }
        hc_json_end_object(j);
        break;
    }
}

void hc_write_json_node(FILE *f, const hc_node *n)
{
    hc_json j;
    hc_json_init(&j, f, 0);
    if (n->kind == HC_SCALAR) {     /* a bare scalar: no enclosing value to flush it */
        hc_json_node(&j, n);
        fwrite(j.buf.data, 1, j.buf.len, f);
        hc_buf_free(&j.buf);
        return;
    }
    hc_json_node(&j, n);
}

char *hc_node_json(const hc_node *n)
{
    if (n->kind == HC_SCALAR) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        if (f == NULL) return hc_xstrdup("null");
        hc_write_json_node(f, n);
        fclose(f);
        return buf;
    }
    hc_json j;
    hc_json_init(&j, NULL, 0);
    hc_json_node(&j, n);
    return hc_buf_take(&j.buf);
}
