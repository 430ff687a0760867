/*
** request.c: what a request brings, parsed: a form body or a query string
** (application/x-www-form-urlencoded) and the Cookie header.
**
** Every byte comes from someone who may be attacking. So: at most
** HC_FIELDS_MAX fields; a bad percent escape, a NUL or text that is not
** UTF-8 refuses the whole request (a handler never sees half a form); the
** caller has already capped the body's size. A refusal says what was wrong,
** for the 400 page; it never echoes the bytes back.
*/
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "serve/serve.h"

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decode one name or value: '+' is a space, %XX a byte. NULL when malformed. */
static char *decode(const char *s, size_t n, const char **why)
{
    char *out = hc_xmalloc(n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)s[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%') {
            int h = i + 2 < n ? hexval((unsigned char)s[i + 1]) : -1;
            int l = h >= 0 ? hexval((unsigned char)s[i + 2]) : -1;
            if (l < 0) {
                *why = N_("a percent sign not followed by two hex digits");
                free(out);
                return NULL;
            }
            c = h * 16 + l;
            i += 2;
        }
        if (c == 0) {
            *why = N_("a NUL byte");
            free(out);
            return NULL;
        }
        out[k++] = (char)c;
    }
    out[k] = '\0';
    if (!hc_utf8_valid(out, k)) {
        *why = N_("text that is not UTF-8");
        free(out);
        return NULL;
    }
    return out;
}

int hc_fields_parse(const char *text, size_t len, hc_fields *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *stop = amp ? amp : end;
        if (stop > p) {                       /* "a=1&&b=2": empty pieces are nothing */
            if (out->n == HC_FIELDS_MAX) {
                snprintf(err, errlen, _("more than %d fields"), HC_FIELDS_MAX);
                goto bad;
            }
            const char *eq = memchr(p, '=', (size_t)(stop - p));
            const char *why = NULL;
            char *name = decode(p, (size_t)((eq ? eq : stop) - p), &why);
            char *value = name ? (eq ? decode(eq + 1, (size_t)(stop - eq - 1), &why) : hc_xstrdup(""))
                               : NULL;
            if (value == NULL) {
                free(name);
                snprintf(err, errlen, _("field %zu holds %s"), out->n + 1, _(why));
                goto bad;
            }
            out->v = hc_xrealloc(out->v, (out->n + 1) * sizeof *out->v);
            out->v[out->n].name = name;
            out->v[out->n].value = value;
            out->n++;
        }
        p = stop + 1;
    }
    return 0;
bad:
    hc_fields_free(out);
    return -1;
}

int hc_fields_add(hc_fields *f, const char *name, const char *value, size_t len, char *err, size_t errlen)
{
    if (f->n == HC_FIELDS_MAX) {
        snprintf(err, errlen, _("more than %d fields"), HC_FIELDS_MAX);
        return -1;
    }
    if (memchr(value, 0, len) || !hc_utf8_valid(value, len) || !hc_utf8_valid(name, strlen(name))) {
        snprintf(err, errlen, _("field %zu holds %s"), f->n + 1, _("text that is not UTF-8"));
        return -1;
    }
    f->v = hc_xrealloc(f->v, (f->n + 1) * sizeof *f->v);
    f->v[f->n].name = hc_xstrdup(name);
    f->v[f->n].value = hc_xmalloc(len + 1);
    memcpy(f->v[f->n].value, value, len);
    f->v[f->n].value[len] = '\0';
    f->n++;
    return 0;
}

const char *hc_fields_get(const hc_fields *f, const char *name)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->v[i].name, name) == 0) return f->v[i].value;
    return NULL;
}

void hc_fields_free(hc_fields *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->v[i].name);
        free(f->v[i].value);
    }
    free(f->v);
    memset(f, 0, sizeof *f);
}

int hc_cookie_find(const char *header, const char *name, char *out, size_t outlen)
{
    /* "a=1; b=2": pairs split by ';', spaces around them ignored; the first
       pair with the name wins (a browser sends the most specific first) */
    size_t nlen = strlen(name);
    for (const char *p = header; p && *p;) {
        while (*p == ' ' || *p == '\t' || *p == ';') p++;
        const char *semi = strchr(p, ';');
        size_t plen = semi ? (size_t)(semi - p) : strlen(p);
        if (plen > nlen && memcmp(p, name, nlen) == 0 && p[nlen] == '=') {
            const char *v = p + nlen + 1;
            size_t vlen = plen - nlen - 1;
            while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t')) vlen--;
            if (vlen == 0) return 0;          /* an emptied cookie is no cookie */
            if (vlen + 1 > outlen) return -1;
            memcpy(out, v, vlen);
            out[vlen] = '\0';
            return 1;
        }
        p = semi;
    }
    return 0;
}
