/*
** answers.c: typing an item's answers against its declared inputs (for
** inspection files, rule tests and the interview alike).
**
** Values are typed by the checklist's declarations, never by YAML's guesses:
** an enum answer `no` stays "no", a text `0012` stays "0012", and a bool
** accepts true/false, yes/no and 是/否 in any case. A value that does not
** fit makes only its own item `error` (loading a whole inspection is
** inspection.c's).
*/
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "base/base.h"

typedef struct typer {
    hc_arena *a;
    const char *path;
    const hc_item *item;
    hc_answer *out;
    hc_diags *d;
} typer;

static void problem(typer *t, const hc_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void problem(typer *t, const hc_node *n, const char *fmt, ...)
{
    hc_buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    hc_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    if (!t->out->invalid) {
        t->out->invalid = 1;
        t->out->error = hc_arena_printf(t->a, "%s:%u:%u: %s", t->path, n->line, n->col, b.data);
        /* every message reads "item I[, input N]: what is wrong"; the reason is
           the part after the context, for someone who knows which input it was */
        const char *r = strncmp(b.data, "item ", 5) == 0 ? strstr(b.data, ": ") : NULL;
        t->out->reason = hc_arena_strdup(t->a, r ? r + 2 : b.data);
    }
    /* the result keeps the English (its JSON never changes with the language);
       the diagnostic is for the person at hand */
    va_start(ap, fmt);
    hc_buf_reset(&b);
    hc_buf_vprintf(&b, _(fmt), ap);
    va_end(ap);
    hc_diags_add(t->d, HC_ERROR, t->path, n->line, n->col, "%s", b.data);
    hc_buf_free(&b);
}

static int is_null(const hc_node *n)
{
    return n->kind == HC_SCALAR && hc_scalar_resolve(n, NULL, NULL, NULL) == HC_SC_NULL;
}

static int ascii_ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) return 0;
    return *a == *b;
}

/* Strict decimal: [-+]? digits [. digits] [e [-+] digits]; no hex, inf or nan. */
static int parse_number(const char *s, size_t len, double *out)
{
    size_t i = 0, digits = 0;
    if (i < len && (s[i] == '-' || s[i] == '+')) i++;
    while (i < len && isdigit((unsigned char)s[i])) i++, digits++;
    if (i < len && s[i] == '.') {
        i++;
        while (i < len && isdigit((unsigned char)s[i])) i++, digits++;
    }
    if (digits == 0) return -1;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '-' || s[i] == '+')) i++;
        size_t e = 0;
        while (i < len && isdigit((unsigned char)s[i])) i++, e++;
        if (e == 0) return -1;
    }
    if (i != len) return -1;
    *out = strtod(s, NULL);
    return isfinite(*out) ? 0 : -1;
}

static const char *input_what(const hc_input *in)
{
    return in->label ? in->label : in->name;
}

static void range_check(typer *t, const hc_input *in, const hc_node *n, double x)
{
    const char *u = in->unit ? in->unit : "";
    if (in->has_min && x < in->min)
        problem(t, n, "item %s, input %s: %s%s is below the minimum %g%s", t->item->id, in->name,
                n->str, u, in->min, u);
    else if (in->has_max && x > in->max)
        problem(t, n, "item %s, input %s: %s%s is above the maximum %g%s", t->item->id, in->name,
                n->str, u, in->max, u);
}

static void values_list(hc_buf *b, const hc_input *in)
{
    for (size_t i = 0; i < in->nvalues; i++) {
        hc_buf_printf(b, "%s%s", i ? ", " : "", in->values[i]);
        if (in->labels && in->labels[i]) hc_buf_printf(b, " (%s)", in->labels[i]);
    }
}

/* The value an answer names, by its code or its label (formats.md: "an answer
   may give the code or the label exactly"); -1 when it names none. Rules see
   the code either way. */
static long member(const hc_input *in, const hc_node *n)
{
    for (size_t i = 0; i < in->nvalues; i++)
        if (strlen(in->values[i]) == n->len && memcmp(in->values[i], n->str, n->len) == 0)
            return (long)i;
    for (size_t i = 0; in->labels && i < in->nvalues; i++)
        if (in->labels[i] && strlen(in->labels[i]) == n->len &&
            memcmp(in->labels[i], n->str, n->len) == 0)
            return (long)i;
    return -1;
}

static void not_member(typer *t, const hc_input *in, const hc_node *n)
{
    hc_buf b = {0};
    values_list(&b, in);
    const char *hint = hc_did_you_mean(n->str, in->values);
    problem(t, n, "item %s, input %s: '%s' is not allowed; expected one of %s%s%s%s", t->item->id,
            in->name, n->str, b.data, hint ? " (did you mean '" : "", hint ? hint : "",
            hint ? "'?)" : "");
    hc_buf_free(&b);
}

static void type_fields(typer *t, const hc_input *fields, size_t nfields, const hc_node *map,
                        hc_value *out, const char *owner);

static void type_value(typer *t, const hc_input *in, const hc_node *n, hc_value *v)
{
    v->kind = HC_V_NONE;
    if (is_null(n)) return;
    if (in->type != HC_IN_SET && in->type != HC_IN_LIST && n->kind != HC_SCALAR) {
        problem(t, n, "item %s, input %s: got %s; expected a %s", t->item->id, in->name,
                hc_node_kind_name(n), hc_input_type_name(in->type));
        return;
    }
    switch (in->type) {
    case HC_IN_BOOL:
        if (ascii_ieq(n->str, "true") || ascii_ieq(n->str, "yes") || strcmp(n->str, "是") == 0) {
            v->kind = HC_V_BOOL;
            v->u.b = 1;
        } else if (ascii_ieq(n->str, "false") || ascii_ieq(n->str, "no") ||
                   strcmp(n->str, "否") == 0) {
            v->kind = HC_V_BOOL;
            v->u.b = 0;
        } else {
            problem(t, n, "item %s, input %s: '%s'; expected true/false, yes/no or 是/否",
                    t->item->id, in->name, n->str);
        }
        return;
    case HC_IN_NUMBER: {
        double x;
        if (parse_number(n->str, n->len, &x) != 0) {
            problem(t, n, "item %s, input %s (%s): '%s'; expected a number%s%s", t->item->id,
                    in->name, input_what(in), n->str, in->unit ? " in " : "",
                    in->unit ? in->unit : "");
            return;
        }
        range_check(t, in, n, x);
        v->kind = HC_V_NUM;
        v->u.num = x;
        return;
    }
    case HC_IN_INTEGER: {
        const char *s = n->str;
        size_t i = (*s == '-' || *s == '+') ? 1 : 0, digits = 0;
        while (isdigit((unsigned char)s[i])) i++, digits++;
        if (digits == 0 || i != n->len || digits > 15) {
            problem(t, n, "item %s, input %s (%s): '%s'; expected a whole number", t->item->id,
                    in->name, input_what(in), n->str);
            return;
        }
        long long x = strtoll(s, NULL, 10);
        range_check(t, in, n, (double)x);
        v->kind = HC_V_INT;
        v->u.i = x;
        return;
    }
    case HC_IN_TEXT:
        v->kind = HC_V_STR;
        v->u.s = n->str;
        v->len = n->len;
        return;
    case HC_IN_ENUM: {
        long k = member(in, n);
        if (k < 0) {
            not_member(t, in, n);
            return;
        }
        v->kind = HC_V_STR;
        v->u.s = in->values[k];
        v->len = strlen(in->values[k]);
        return;
    }
    case HC_IN_DATE: {
        long days;
        if (hc_date_parse(n->str, n->len, &days) != 0) {
            problem(t, n, "item %s, input %s: '%s'; expected a date YYYY-MM-DD", t->item->id,
                    in->name, n->str);
            return;
        }
        v->kind = HC_V_STR;
        v->u.s = n->str;
        v->len = n->len;
        return;
    }
    case HC_IN_SET: {
        size_t cnt = n->kind == HC_SEQ ? n->len : 1;
        const hc_node *const *kids = n->kind == HC_SEQ ? (const hc_node *const *)n->kids : &n;
        if (n->kind == HC_MAP) {
            problem(t, n, "item %s, input %s: got a mapping; expected a list of values",
                    t->item->id, in->name);
            return;
        }
        v->u.items = hc_arena_alloc(t->a, (cnt ? cnt : 1) * sizeof *v->u.items);
        for (size_t i = 0; i < cnt; i++) {
            const hc_node *m = kids[i];
            long k = m->kind == HC_SCALAR ? member(in, m) : -1;
            if (k < 0) {
                if (m->kind != HC_SCALAR)
                    problem(t, m, "item %s, input %s: got %s; expected a value", t->item->id,
                            in->name, hc_node_kind_name(m));
                else
                    not_member(t, in, m);
                return;
            }
            const char *code = in->values[k];
            for (size_t j = 0; j < i; j++)
                if (strcmp(v->u.items[j].u.s, code) == 0) {     /* by code or by label */
                    problem(t, m, "item %s, input %s: '%s' is listed twice", t->item->id,
                            in->name, m->str);
                    return;
                }
            v->u.items[i].kind = HC_V_STR;
            v->u.items[i].u.s = code;
            v->u.items[i].len = strlen(code);
        }
        v->kind = HC_V_SET;
        v->len = cnt;
        return;
    }
    case HC_IN_LIST:
        if (n->kind != HC_SEQ) {
            problem(t, n, "item %s, input %s: got %s; expected a list of mappings", t->item->id,
                    in->name, hc_node_kind_name(n));
            return;
        }
        v->u.items = hc_arena_alloc(t->a, (n->len ? n->len : 1) * sizeof *v->u.items);
        for (size_t i = 0; i < n->len; i++) {
            const hc_node *row = n->kids[i];
            if (row->kind != HC_MAP) {
                problem(t, row, "item %s, input %s: row %zu is %s; expected a mapping",
                        t->item->id, in->name, i + 1, hc_node_kind_name(row));
                return;
            }
            type_fields(t, in->fields, in->nfields, row, &v->u.items[i], in->name);
            for (size_t f = 0; f < in->nfields; f++)
                if (in->fields[f].required && v->u.items[i].u.items[f].kind == HC_V_NONE)
                    problem(t, row, "item %s, input %s: row %zu has no '%s'", t->item->id,
                            in->name, i + 1, in->fields[f].name);
        }
        v->kind = HC_V_LIST;
        v->len = n->len;
        return;
    }
}

static const char **input_names(hc_arena *a, const hc_input *in, size_t n)
{
    const char **names = hc_arena_alloc(a, (n + 1) * sizeof *names);
    for (size_t i = 0; i < n; i++) names[i] = in[i].name;
    return names;
}

/* Type a mapping against declared inputs (item inputs or list fields). */
static void type_fields(typer *t, const hc_input *fields, size_t nfields, const hc_node *map,
                        hc_value *out, const char *owner)
{
    out->kind = HC_V_MAP;
    out->len = nfields;
    out->u.items = hc_arena_alloc(t->a, (nfields ? nfields : 1) * sizeof *out->u.items);
    out->keys = input_names(t->a, fields, nfields);
    int top = owner == NULL;
    size_t next = 0;
    for (size_t i = 0; i < map->len; i++) {
        const hc_node *k = map->kids[2 * i], *val = map->kids[2 * i + 1];
        if (top && strcmp(k->str, "note") == 0) {
            if (val->kind == HC_SCALAR) t->out->note = val->str;
            else problem(t, val, "item %s: note is %s; expected text", t->item->id, hc_node_kind_name(val));
            continue;
        }
        if (top && strcmp(k->str, "evidence") == 0) {
            size_t cnt = val->kind == HC_SEQ ? val->len : 1;
            if (val->kind == HC_MAP) {
                problem(t, val, "item %s: evidence is a mapping; expected a list of references",
                        t->item->id);
                continue;
            }
            if (is_null(val)) continue;
            const char **ev = hc_arena_alloc(t->a, (cnt ? cnt : 1) * sizeof *ev);
            size_t ne = 0;
            for (size_t j = 0; j < cnt; j++) {
                const hc_node *e = val->kind == HC_SEQ ? val->kids[j] : val;
                if (e->kind == HC_SCALAR) ev[ne++] = e->str;
                else problem(t, e, "item %s: evidence entry is %s; expected a file name or reference",
                             t->item->id, hc_node_kind_name(e));
            }
            t->out->evidence = ev;
            t->out->nevidence = ne;
            continue;
        }
        if (top && strcmp(k->str, "na") == 0) {
            int b;
            if (val->kind != HC_SCALAR) {
                problem(t, val, "item %s: na is %s; expected the reason as text", t->item->id,
                        hc_node_kind_name(val));
            } else if (hc_scalar_resolve(val, &b, NULL, NULL) == HC_SC_BOOL) {
                if (b) t->out->na = "";     /* no reason given: eval words it */
            } else if (!is_null(val)) {
                t->out->na = val->str;
            }
            continue;
        }
        size_t f = next;      /* answers mostly come in the inputs' order: try it first */
        if (f >= nfields || strcmp(fields[f].name, k->str) != 0)
            for (f = 0; f < nfields; f++)
                if (strcmp(fields[f].name, k->str) == 0) break;
        if (f == nfields) {
            const char *hint = hc_did_you_mean(k->str, out->keys);
            if (top)
                problem(t, k, "item %s has no input '%s'%s%s%s", t->item->id, k->str,
                        hint ? "; did you mean '" : "", hint ? hint : "", hint ? "'?" : "");
            else
                problem(t, k, "item %s, list %s has no field '%s'%s%s%s", t->item->id, owner,
                        k->str, hint ? "; did you mean '" : "", hint ? hint : "", hint ? "'?" : "");
            continue;
        }
        type_value(t, &fields[f], val, &out->u.items[f]);
        next = f + 1;
    }
}

void hc_answer_type(hc_arena *a, const char *path, const hc_item *item, const hc_node *map,
                    hc_answer *out, hc_diags *d)
{
    typer t = {a, path, item, out, d};
    memset(out, 0, sizeof *out);
    if (map == NULL) {
        out->obs.kind = HC_V_MAP;
        out->obs.len = item->ninputs;
        out->obs.u.items = hc_arena_alloc(a, (item->ninputs ? item->ninputs : 1) * sizeof(hc_value));
        out->obs.keys = input_names(a, item->inputs, item->ninputs);
        return;
    }
    out->present = 1;
    if (map->kind != HC_MAP) {
        if (is_null(map)) {
            hc_answer_type(a, path, item, NULL, out, d);
            out->present = 1;
            return;
        }
        hc_answer_type(a, path, item, NULL, out, NULL);
        out->present = 1;
        problem(&t, map, "answer for item %s is %s; expected a mapping of its inputs", item->id,
                hc_node_kind_name(map));
        return;
    }
    type_fields(&t, item->inputs, item->ninputs, map, &out->obs, NULL);
}
