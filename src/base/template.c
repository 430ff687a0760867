/*
** template.c: a Mustache subset for reports (inspection reports, notices,
** monthly figures) over the document tree.
**
** Why Mustache: it is logic-less, so a template is markup plus names that
** non-programmers can edit, and a template can never run code. Values are
** HTML-escaped by default, so text from inspection files and the database
** cannot inject markup; raw output has to be asked for ({{{ }}}).
** (Escaping is for element text and quoted attributes; a template must not
** put values inside <script>, unquoted attributes or URLs.)
**
** The template is parsed and checked completely before anything renders,
** so a malformed one yields a diagnostic and no partial output. Rendering is
** bounded: sections nest at most 32 deep, one render adds at most 64 MiB,
** and a work budget stops nested loops that produce nothing.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

/* ------------------------------------------------------------- parsing */

/* T_WORDS: {{_ English words}}, printed in the reader's language (lang.c), escaped */
typedef enum { T_TEXT, T_VAR, T_RAW, T_SECTION, T_INVERTED, T_END, T_WORDS } tok_kind;

#define WORDS_MAX 1000          /* longest {{_ ...}} text, so it fits a buffer */

typedef struct tok {
    tok_kind kind;
    size_t off;            /* template offset of the tag (or text), for messages */
    const char *s;         /* text, or the tag's name */
    size_t n;
    size_t end;            /* SECTION, INVERTED: index of the matching T_END */
} tok;

typedef struct parser {
    const char *t;
    size_t n;
    const char *name;
    hc_diags *d;
    tok *v;
    size_t nv, cap;
} parser;

#define NPOS ((size_t)-1)

/* 1-based line and column (in characters) of byte 'off'. */
static void locate(const char *t, size_t off, unsigned *line, unsigned *col)
{
    unsigned l = 1, c = 1;
    for (size_t i = 0; i < off; i++) {
        unsigned char b = (unsigned char)t[i];
        if (b == '\n') l++, c = 1;
        else if ((b & 0xC0) != 0x80) c++;
    }
    *line = l;
    *col = c;
}

static int fail_at(const char *t, const char *name, hc_diags *d, size_t off, const char *fmt,
                   ...) __attribute__((format(printf, 5, 6)));

/* One error diagnostic at template offset 'off'; returns -1. */
static int fail_at(const char *t, const char *name, hc_diags *d, size_t off, const char *fmt,
                   ...)
{
    unsigned line, col;
    locate(t, off, &line, &col);
    hc_buf m = {0};
    va_list ap;
    va_start(ap, fmt);
    hc_buf_vprintf(&m, _(fmt), ap);
    va_end(ap);
    hc_diags_add(d, HC_ERROR, name, line, col, "%s", m.data);
    hc_buf_free(&m);
    return -1;
}

static int perr(parser *p, size_t off, const char *msg)
{
    return fail_at(p->t, p->name, p->d, off, "%s", _(msg));
}

static size_t find_open(const char *t, size_t n, size_t from)
{
    for (size_t i = from; i + 1 < n; i++)
        if (t[i] == '{' && t[i + 1] == '{') return i;
    return NPOS;
}

static size_t find_close(const char *t, size_t n, size_t from)
{
    for (size_t i = from; i + 1 < n; i++)
        if (t[i] == '}' && t[i + 1] == '}') return i;
    return NPOS;
}

static size_t add(parser *p, tok_kind kind, size_t off, const char *s, size_t n)
{
    HC_GROW(p->v, p->cap, p->nv + 1);
    tok *k = &p->v[p->nv];
    k->kind = kind;
    k->off = off;
    k->s = s;
    k->n = n;
    k->end = 0;
    return p->nv++;
}

static void add_text(parser *p, size_t from, size_t to)
{
    if (to > from) add(p, T_TEXT, from, p->t + from, to - from);
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* Letters, digits, '_', '-' and any byte of a multi-byte UTF-8 character. */
static int is_name_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-' || c >= 0x80;
}

/* "." or segments of name bytes joined by single dots. */
static int valid_name(const char *s, size_t n)
{
    if (n == 1 && s[0] == '.') return 1;
    if (n == 0 || s[0] == '.' || s[n - 1] == '.') return 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.') {
            if (s[i + 1] == '.') return 0;
        } else if (!is_name_byte((unsigned char)s[i])) {
            return 0;
        }
    }
    return 1;
}

static int parse(parser *p)
{
    const char *t = p->t;
    size_t n = p->n, i = 0, text = 0;
    size_t open[HC_TEMPLATE_MAX_DEPTH];
    size_t depth = 0;
    for (;;) {
        size_t o = find_open(t, n, i);
        if (o == NPOS) {
            add_text(p, text, n);
            break;
        }
        size_t c = o + 2;
        int triple = c < n && t[c] == '{';
        if (triple) c++;
        size_t cl = find_close(t, n, c);
        if (cl == NPOS) return perr(p, o, triple ? "unclosed tag: '{{{' without '}}}'"
                                                 : "unclosed tag: '{{' without '}}'");
        size_t end = cl + 2;
        if (triple) {
            if (end < n && t[end] == '}') end++;
            else return perr(p, o, "'{{{' closed by '}}' instead of '}}}'");
        }
        size_t s = c, e = cl;
        while (s < e && is_space(t[s])) s++;
        tok_kind kind;
        int comment = 0;
        if (triple) {
            kind = T_RAW;
        } else if (s == e) {
            return perr(p, o, "empty tag '{{}}'");
        } else {
            switch (t[s]) {
            case '!': comment = 1, kind = T_TEXT; break;   /* kind unused */
            case '#': kind = T_SECTION, s++; break;
            case '^': kind = T_INVERTED, s++; break;
            case '/': kind = T_END, s++; break;
            case '&': kind = T_RAW, s++; break;
            case '>': return perr(p, o, "partials ('{{>') are not supported");
            case '=': return perr(p, o, "delimiter changes ('{{=') are not supported");
            case '<':
            case '$': return perr(p, o, "template inheritance ('{{<', '{{$') is not supported");
            default:
                if (t[s] == '_' && s + 1 < e && is_space(t[s + 1])) {
                    kind = T_WORDS, s++;
                } else if (t[s] == '.' || is_name_byte((unsigned char)t[s])) {
                    kind = T_VAR;
                } else {
                    unsigned char ch = (unsigned char)t[s];
                    char what[8];
                    if (ch > 0x20 && ch < 0x7f) snprintf(what, sizeof what, "'%c'", ch);
                    else snprintf(what, sizeof what, "0x%02x", ch);
                    return fail_at(t, p->name, p->d, o, "unknown tag kind %s", what);
                }
            }
        }
        if (!comment) {
            while (s < e && is_space(t[s])) s++;
            while (e > s && is_space(t[e - 1])) e--;
            if (e == s) return perr(p, o, kind == T_WORDS ? "'{{_' without words" : "tag without a name");
            if (kind == T_WORDS && e - s > WORDS_MAX)
                return perr(p, o, "'{{_ ...}}' longer than 1000 bytes");
            if (kind != T_WORDS && !valid_name(t + s, e - s))
                return fail_at(t, p->name, p->d, o, "invalid name '%.*s' in tag", (int)(e - s),
                               t + s);
        }

        /* Standalone line: only whitespace around a block or comment tag. */
        size_t next = end, keep = o;
        if (comment || kind == T_SECTION || kind == T_INVERTED || kind == T_END) {
            size_t ls = o, le = end;
            while (ls > text && (t[ls - 1] == ' ' || t[ls - 1] == '\t')) ls--;
            int alone = ls == 0 || t[ls - 1] == '\n';
            while (le < n && (t[le] == ' ' || t[le] == '\t')) le++;
            if (le == n) ;
            else if (t[le] == '\n') le++;
            else if (t[le] == '\r' && le + 1 < n && t[le + 1] == '\n') le += 2;
            else alone = 0;
            if (alone) keep = ls, next = le;
        }
        add_text(p, text, keep);
        text = i = next;
        if (comment) continue;

        if (kind == T_SECTION || kind == T_INVERTED) {
            if (depth == HC_TEMPLATE_MAX_DEPTH)
                return perr(p, o, "sections nested deeper than 32");
            open[depth++] = add(p, kind, o, t + s, e - s);
        } else if (kind == T_END) {
            if (depth == 0)
                return fail_at(t, p->name, p->d, o, "'{{/%.*s}}' closes no open section",
                               (int)(e - s), t + s);
            const tok *op = &p->v[open[depth - 1]];
            if (op->n != e - s || memcmp(op->s, t + s, op->n) != 0) {
                unsigned l, cc;
                locate(t, op->off, &l, &cc);
                return fail_at(t, p->name, p->d, o,
                               "'{{/%.*s}}' does not close the open section '%.*s' (opened at "
                               "%u:%u)",
                               (int)(e - s), t + s, (int)op->n, op->s, l, cc);
            }
            size_t close = add(p, T_END, o, t + s, e - s);   /* may move p->v */
            p->v[open[--depth]].end = close;
        } else {
            add(p, kind, o, t + s, e - s);
        }
    }
    if (depth > 0) {
        const tok *op = &p->v[open[depth - 1]];
        return fail_at(t, p->name, p->d, op->off, "unclosed section '%.*s' (no '{{/%.*s}}')",
                       (int)op->n, op->s, (int)op->n, op->s);
    }
    return 0;
}

/* ----------------------------------------------------------- rendering */

typedef struct render {
    const tok *v;
    const char *t;
    const char *name;
    hc_diags *d;
    hc_buf *out;
    size_t start, max_out;
    size_t work, max_work;
    const hc_node *stack[HC_TEMPLATE_MAX_DEPTH + 1];
    size_t depth;
    int failed;
} render;

static int rerr(render *r, const tok *k, const char *msg)
{
    r->failed = 1;
    return fail_at(r->t, r->name, r->d, k->off, "%s", _(msg));
}

static int spend(render *r, const tok *k, size_t units)
{
    if (r->failed) return -1;
    if (units > r->max_work - r->work) {
        char m[96];
        snprintf(m, sizeof m, "rendering needs more than %zu units of work "
                 "(sections over large lists nested too deep?)", r->max_work);
        return rerr(r, k, m);
    }
    r->work += units;
    return 0;
}

static int emit(render *r, const tok *k, const char *s, size_t n)
{
    if (r->failed) return -1;
    if (n > r->max_out - (r->out->len - r->start)) {
        char m[64];
        if (r->max_out % (1 << 20) == 0)
            snprintf(m, sizeof m, "output larger than %zu MiB", r->max_out >> 20);
        else
            snprintf(m, sizeof m, "output larger than %zu bytes", r->max_out);
        return rerr(r, k, m);
    }
    hc_buf_put(r->out, s, n);
    return 0;
}

static int emit_escaped(render *r, const tok *k, const char *s, size_t n)
{
    size_t plain = 0;
    for (size_t i = 0; i < n; i++) {
        const char *ent;
        switch (s[i]) {
        case '&': ent = "&amp;"; break;
        case '<': ent = "&lt;"; break;
        case '>': ent = "&gt;"; break;
        case '"': ent = "&quot;"; break;
        case '\'': ent = "&#39;"; break;
        default: continue;
        }
        if (emit(r, k, s + plain, i - plain) || emit(r, k, ent, strlen(ent))) return -1;
        plain = i + 1;
    }
    return emit(r, k, s + plain, n - plain);
}

/* Value of key s[0..n) in a mapping, counting the keys compared as work. */
static const hc_node *map_get(render *r, const tok *k, const hc_node *map, const char *s,
                              size_t n)
{
    if (map == NULL || map->kind != HC_MAP) return NULL;
    if (spend(r, k, map->len + 1)) return NULL;
    for (size_t i = 0; i < map->len; i++) {
        const hc_node *key = map->kids[2 * i];
        if (key->kind == HC_SCALAR && key->len == n && memcmp(key->str, s, n) == 0)
            return map->kids[2 * i + 1];
    }
    return NULL;
}

/* Mustache lookup: the first segment down the context stack, the rest inside it. */
static const hc_node *lookup(render *r, const tok *k)
{
    if (k->n == 1 && k->s[0] == '.') return r->stack[r->depth - 1];
    const char *s = k->s, *end = k->s + k->n;
    const char *dot = memchr(s, '.', k->n);
    size_t seg = dot ? (size_t)(dot - s) : k->n;
    const hc_node *v = NULL;
    for (size_t f = r->depth; f-- > 0 && v == NULL;) {
        v = map_get(r, k, r->stack[f], s, seg);
        if (r->failed) return NULL;
    }
    while (v && dot) {
        s = dot + 1;
        dot = memchr(s, '.', (size_t)(end - s));
        seg = dot ? (size_t)(dot - s) : (size_t)(end - s);
        v = map_get(r, k, v, s, seg);
    }
    return v;
}

static int is_null(const hc_node *v)
{
    return v->kind == HC_SCALAR && hc_scalar_resolve(v, NULL, NULL, NULL) == HC_SC_NULL;
}

static int truthy(const hc_node *v)
{
    if (v == NULL) return 0;
    switch (v->kind) {
    case HC_SEQ: return v->len > 0;
    case HC_MAP: return 1;
    case HC_SCALAR: break;
    }
    if (v->len == 0) return 0;
    int b = 1;
    hc_scalar_type ty = hc_scalar_resolve(v, &b, NULL, NULL);
    return !(ty == HC_SC_NULL || (ty == HC_SC_BOOL && !b));
}

static int run(render *r, size_t from, size_t to);

static int block(render *r, const tok *k, size_t from, size_t to, const hc_node *push)
{
    if (spend(r, k, 1)) return -1;
    if (push) r->stack[r->depth++] = push;
    int rc = run(r, from, to);
    if (push) r->depth--;
    return rc;
}

static int run(render *r, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        const tok *k = &r->v[i];
        if (spend(r, k, 1)) return -1;
        const hc_node *v;
        switch (k->kind) {
        case T_TEXT:
            if (emit(r, k, k->s, k->n)) return -1;
            break;
        case T_WORDS: {
            char msgid[WORDS_MAX + 1];
            memcpy(msgid, k->s, k->n);
            msgid[k->n] = '\0';
            const char *words = _(msgid);
            if (emit_escaped(r, k, words, strlen(words))) return -1;
            break;
        }
        case T_VAR:
        case T_RAW:
            v = lookup(r, k);
            if (r->failed) return -1;
            if (v == NULL || v->kind != HC_SCALAR || is_null(v)) break;
            if (k->kind == T_RAW ? emit(r, k, v->str, v->len)
                                 : emit_escaped(r, k, v->str, v->len))
                return -1;
            break;
        case T_SECTION:
        case T_INVERTED:
            v = lookup(r, k);
            if (r->failed) return -1;
            if (k->kind == T_INVERTED) {
                if (!truthy(v) && block(r, k, i + 1, k->end, NULL)) return -1;
            } else if (truthy(v)) {
                if (v->kind == HC_SEQ) {
                    for (size_t j = 0; j < v->len; j++)
                        if (block(r, k, i + 1, k->end, v->kids[j])) return -1;
                } else if (block(r, k, i + 1, k->end, v->kind == HC_MAP ? v : NULL)) {
                    return -1;
                }
            }
            i = k->end;
            break;
        case T_END:
            break;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- API */

int hc_template_render_limits(const char *tpl, size_t len, const char *name,
                              const hc_node *data, size_t max_output, size_t max_work,
                              hc_buf *out, hc_diags *d)
{
    parser p = {0};
    p.t = tpl ? tpl : "";
    p.n = tpl ? len : 0;
    p.name = name;
    p.d = d;
    hc_buf_put(out, "", 0);
    size_t start = out->len;
    int rc = parse(&p);
    if (rc == 0) {
        render *r = hc_xcalloc(1, sizeof *r);
        r->v = p.v;
        r->t = p.t;
        r->name = name;
        r->d = d;
        r->out = out;
        r->start = start;
        r->max_out = max_output;
        r->max_work = max_work;
        r->stack[r->depth++] = data;
        rc = run(r, 0, p.nv);
        free(r);
    }
    free(p.v);
    if (rc != 0) {
        out->len = start;
        out->data[start] = '\0';
    }
    return rc;
}

int hc_template_render(const char *tpl, size_t len, const char *name, const hc_node *data,
                       hc_buf *out, hc_diags *d)
{
    return hc_template_render_limits(tpl, len, name, data, HC_TEMPLATE_MAX_OUTPUT,
                                     HC_TEMPLATE_MAX_WORK, out, d);
}
