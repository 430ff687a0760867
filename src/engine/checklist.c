/*
** checklist.c: the checklist model and its validation (what `lint` checks).
**
** Every problem is reported at file:line:column with what was expected, and
** loading goes on after an error so that an author sees all of them at once.
** A pack with any error is not returned: evaluating against a half-valid
** pack would produce findings nobody could defend.
*/
#include <ctype.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "base/base.h"

typedef struct loader {
    hc_sandbox *sb;
    hc_checklist *c;
    hc_diags *d;
    const char *path;
    hc_arena *arena;
    int lint;
    int failed;
} loader;

#define ERR(ld, node, ...)                                                        \
    do {                                                                          \
        hc_diags_add((ld)->d, HC_ERROR, (ld)->path, (node) ? (node)->line : 0,   \
                     (node) ? (node)->col : 0, __VA_ARGS__);                      \
        (ld)->failed = 1;                                                         \
    } while (0)
#define WARN(ld, node, ...)                                                       \
    hc_diags_add((ld)->d, HC_WARNING, (ld)->path, (node) ? (node)->line : 0,     \
                 (node) ? (node)->col : 0, __VA_ARGS__)

/* ------------------------------------------------------------ names */

/* Names come from the one vocabulary (base/vocab.c); a NULL-terminated copy of
   one list's codes for the lookups below. */
typedef struct code_list { const char *v[16]; } code_list;

static code_list codes(hc_vocab v)
{
    code_list out = {{0}};
    size_t n;
    const hc_word *w = hc_vocab_words(v, &n);
    for (size_t i = 0; i < n && i < 15; i++) out.v[i] = w[i].code;
    return out;
}

const char *hc_status_name(hc_status s) { return hc_vocab_code(HC_VOCAB_STATUS, (int)s); }
const char *hc_order_name(hc_order o) { return hc_vocab_code(HC_VOCAB_ORDER, (int)o); }
const char *hc_severity_name(hc_item_severity s) { return hc_vocab_code(HC_VOCAB_SEVERITY, (int)s); }
const char *hc_input_type_name(hc_input_type t) { return hc_vocab_code(HC_VOCAB_INPUT_TYPE, (int)t); }

static int find_name(const char *s, const char *const *names)
{
    for (int i = 0; names[i]; i++)
        if (strcmp(s, names[i]) == 0) return i;
    return -1;
}

int hc_status_parse(const char *s) { return hc_vocab_find(HC_VOCAB_STATUS, s); }

/* ---------------------------------------------------------- field access */

static void check_keys(loader *ld, const hc_node *map, const char *what,
                       const char *const *known)
{
    for (size_t i = 0; i < map->len; i++) {
        const hc_node *k = map->kids[2 * i];
        if (find_name(k->str, known) >= 0) continue;
        const char *hint = hc_did_you_mean(k->str, known);
        if (hint)
            ERR(ld, k, "unknown key '%s' in %s; did you mean '%s'?", k->str, what, hint);
        else
            ERR(ld, k, "unknown key '%s' in %s", k->str, what);
    }
}

static const char *scalar_text(loader *ld, const hc_node *n, const char *key)
{
    if (n->kind != HC_SCALAR) {
        ERR(ld, n, "'%s' is %s; expected text", key, hc_node_kind_name(n));
        return NULL;
    }
    if (strlen(n->str) != n->len) {
        ERR(ld, n, "'%s' contains a NUL character; expected text", key);
        return NULL;
    }
    return n->str;
}

static const char *get_text(loader *ld, const hc_node *map, const char *key, int required)
{
    const hc_node *n = hc_map_get(map, key);
    if (n == NULL) {
        if (required) ERR(ld, map, "missing required key '%s'", key);
        return NULL;
    }
    const char *s = scalar_text(ld, n, key);
    if (s && required && *s == '\0') ERR(ld, n, "'%s' is empty; expected text", key);
    return s;
}

static int get_number(loader *ld, const hc_node *n, const char *key, double *out)
{
    int64_t i;
    double x;
    switch (n->kind == HC_SCALAR ? hc_scalar_resolve(n, NULL, &i, &x) : HC_SC_STRING) {
    case HC_SC_INT: *out = (double)i; return 0;
    case HC_SC_FLOAT: *out = x; return 0;
    default:
        ERR(ld, n, "'%s' is '%s'; expected a number", key, n->kind == HC_SCALAR ? n->str : "?");
        return -1;
    }
}

static int get_int(loader *ld, const hc_node *n, const char *key, int min, int *out)
{
    int64_t i;
    if (n->kind != HC_SCALAR || hc_scalar_resolve(n, NULL, &i, NULL) != HC_SC_INT ||
        i < min || i > 100000) {
        ERR(ld, n, "'%s' is '%s'; expected a whole number from %d", key,
            n->kind == HC_SCALAR ? n->str : "?", min);
        return -1;
    }
    *out = (int)i;
    return 0;
}

static int get_bool(loader *ld, const hc_node *n, const char *key, int *out)
{
    int b;
    if (n->kind != HC_SCALAR || hc_scalar_resolve(n, &b, NULL, NULL) != HC_SC_BOOL) {
        ERR(ld, n, "'%s' is '%s'; expected true or false", key,
            n->kind == HC_SCALAR ? n->str : "?");
        return -1;
    }
    *out = b;
    return 0;
}

static int get_enum(loader *ld, const hc_node *map, const char *key, hc_vocab vocab, int dflt)
{
    code_list list = codes(vocab);
    const char *const *names = list.v;
    const hc_node *n = hc_map_get(map, key);
    if (n == NULL) return dflt;
    const char *s = scalar_text(ld, n, key);
    if (s == NULL) return dflt;
    int v = find_name(s, names);
    if (v >= 0) return v;
    hc_buf b = {0};
    for (int i = 0; names[i]; i++) hc_buf_printf(&b, "%s%s", i ? ", " : "", names[i]);
    const char *hint = hc_did_you_mean(s, names);
    if (hint) ERR(ld, n, "'%s' is '%s'; expected one of %s (did you mean '%s'?)", key, s, b.data, hint);
    else ERR(ld, n, "'%s' is '%s'; expected one of %s", key, s, b.data);
    hc_buf_free(&b);
    return dflt;
}

/* A list of texts; a single scalar counts as a list of one. */
static const char **get_texts(loader *ld, const hc_node *n, const char *key, size_t *count)
{
    *count = 0;
    if (n == NULL) return NULL;
    if (n->kind == HC_SCALAR) {
        const char **v = hc_arena_alloc(ld->arena, sizeof *v);
        v[0] = scalar_text(ld, n, key);
        *count = v[0] ? 1 : 0;
        return v;
    }
    if (n->kind != HC_SEQ) {
        ERR(ld, n, "'%s' is %s; expected a list of texts", key, hc_node_kind_name(n));
        return NULL;
    }
    const char **v = hc_arena_alloc(ld->arena, (n->len + 1) * sizeof *v);
    for (size_t i = 0; i < n->len; i++) {
        const char *s = scalar_text(ld, n->kids[i], key);
        if (s) v[(*count)++] = s;
    }
    return v;
}

static int match_id(const char *s, int pack)
{
    if (*s == '\0') return 0;
    if (pack && !((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9'))) return 0;
    for (const char *p = s; *p; p++) {
        int ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' ||
                 *p == '_' || *p == '-' || (!pack && *p >= 'A' && *p <= 'Z');
        if (!ok) return 0;
    }
    return 1;
}

static int is_identifier(const char *s)
{
    if (!(isalpha((unsigned char)*s) || *s == '_')) return 0;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_')) return 0;
    return 1;
}

/* ---------------------------------------------------------------- code */

static void compile(loader *ld, hc_code *code, const hc_node *n, const char *key,
                    int is_expr)
{
    code->ref = -1;
    code->node = n;
    code->src = scalar_text(ld, n, key);
    if (code->src == NULL) return;
    if (*code->src == '\0') {
        ERR(ld, n, "'%s' is empty; expected Lua code", key);
        code->src = NULL;
        return;
    }
    /* a block scalar's text starts on the line after its indicator */
    unsigned first = n->block ? n->line + 1 : n->line;
    hc_buf err = {0};
    unsigned line = first;
    if (hc_sandbox_compile(ld->sb, code->src, n->len, is_expr, ld->path, first, &code->ref,
                           &code->lines, &code->nlines, &err, &line) != 0) {
        /* an error at the closing ")" we add belongs to the last line of the code */
        unsigned last = first;
        for (const char *p = code->src; *p; p++)
            if (*p == '\n' && p[1]) last++;
        if (line > last) line = last;
        unsigned col = line == n->line ? n->col : 1;
        hc_diags_add(ld->d, HC_ERROR, ld->path, line, col, "Lua syntax error in '%s': %s",
                     key, err.data ? err.data : "?");
        ld->failed = 1;
        code->ref = -1;
    }
    hc_buf_free(&err);
}

/* Names a rule reads as obs.NAME or obs["NAME"] (a cheap static check). */
static void check_obs_names(loader *ld, const hc_item *it, const hc_code *code)
{
    const char *s = code->src;
    if (s == NULL) return;
    for (const char *p = strstr(s, "obs"); p; p = strstr(p + 3, "obs")) {
        if (p > s && (isalnum((unsigned char)p[-1]) || p[-1] == '_' || p[-1] == '.')) continue;
        const char *q = p + 3;
        char name[128];
        size_t n = 0;
        if (*q == '.') {
            q++;
            while ((isalnum((unsigned char)*q) || *q == '_') && n < sizeof name - 1) name[n++] = *q++;
        } else if (q[0] == '[' && (q[1] == '"' || q[1] == '\'')) {
            char quote = q[1];
            q += 2;
            while (*q && *q != quote && n < sizeof name - 1) name[n++] = *q++;
        } else {
            continue;
        }
        name[n] = '\0';
        if (n == 0) continue;
        int found = 0;
        for (size_t i = 0; i < it->ninputs && !found; i++)
            found = strcmp(it->inputs[i].name, name) == 0;
        if (!found) {
            const char *names[64];
            size_t k = 0;
            for (size_t i = 0; i < it->ninputs && k < 63; i++) names[k++] = it->inputs[i].name;
            names[k] = NULL;
            const char *hint = hc_did_you_mean(name, names);
            ERR(ld, code->node, "item %s: code reads obs.%s but the item has no input '%s'%s%s%s",
                it->id, name, name, hint ? _("; did you mean '") : "", hint ? hint : "",
                hint ? _("'?") : "");
        }
    }
}

/* -------------------------------------------------------------- inputs */

static const char *const input_keys[] = {"type", "values", "unit", "min", "max", "required",
                                         "label", "fields", NULL};

static void load_inputs(loader *ld, const hc_node *map, hc_input **out, size_t *nout,
                        const char *owner, int depth);

static int has_non_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80) return 1;
    return 0;
}

/* An `applies` rule is Lua, for the machine; a form for people states it in
   words (applies_text) or not at all, so a zh-CN pack should give the words. */
static void warn_applies_text(loader *ld, const hc_node *ap, const char *text)
{
    int zh = ld->c->lang == NULL || strncmp(ld->c->lang, "zh", 2) == 0;
    if (ld->lint && zh && (text == NULL || *text == '\0'))
        WARN(ld, ap, "'applies' has no 'applies_text'; the printed form cannot say when this "
                     "applies (applies_text: 采用干式除尘的)");
}

/* values: [code, ...] or {code: label, ...}. People are shown the label: a
   zh-CN pack labels every code that is not already Chinese (a lint warning). */
static void load_values(loader *ld, hc_input *in, const hc_node *n)
{
    if (n->kind == HC_SEQ) {
        in->values = get_texts(ld, n, "values", &in->nvalues);
    } else {
        in->values = hc_arena_alloc(ld->arena, n->len * sizeof *in->values);
        in->labels = hc_arena_alloc(ld->arena, n->len * sizeof *in->labels);
        for (size_t i = 0; i < n->len; i++) {
            const char *label = scalar_text(ld, n->kids[2 * i + 1], "value label");
            in->values[in->nvalues] = n->kids[2 * i]->str;
            in->labels[in->nvalues++] = label && *label ? label : NULL;
        }
    }
    for (size_t i = 0; i < in->nvalues; i++) {
        const hc_node *at = n->kind == HC_SEQ ? n->kids[i] : n->kids[2 * i];
        for (size_t j = 0; j < i; j++) {
            if (strcmp(in->values[i], in->values[j]) == 0)
                ERR(ld, at, "value '%s' is listed twice", in->values[i]);
            else if (in->labels && in->labels[i] && in->labels[j] &&
                     strcmp(in->labels[i], in->labels[j]) == 0)
                ERR(ld, at, "label '%s' names two values ('%s' and '%s')", in->labels[i],
                    in->values[j], in->values[i]);
        }
        /* a label that is another value's code would make an answer ambiguous */
        for (size_t j = 0; in->labels && in->labels[i] && j < in->nvalues; j++)
            if (j != i && strcmp(in->labels[i], in->values[j]) == 0)
                ERR(ld, at, "label '%s' of '%s' is the code of another value", in->labels[i],
                    in->values[i]);
        int zh = ld->c->lang == NULL || strncmp(ld->c->lang, "zh", 2) == 0;
        if (ld->lint && zh && !has_non_ascii(in->values[i]) &&
            !(in->labels && in->labels[i]))
            WARN(ld, at, "value '%s' of input '%s' has no label; people would see the code "
                         "(values: {%s: 中文名称, ...})", in->values[i], in->name, in->values[i]);
    }
}

static void load_input(loader *ld, hc_input *in, const hc_node *name, const hc_node *def,
                       const char *owner, int depth)
{
    in->name = scalar_text(ld, name, "input name");
    in->node = def;
    in->required = 1;
    if (in->name == NULL) return;
    if (!is_identifier(in->name))
        ERR(ld, name, "input name '%s' in %s; expected letters, digits and _ (a Lua name)",
            in->name, owner);
    if (!strcmp(in->name, "note") || !strcmp(in->name, "evidence") || !strcmp(in->name, "na"))
        ERR(ld, name, "input name '%s' is reserved (note, evidence and na belong to every answer)",
            in->name);
    if (def->kind != HC_MAP) {
        ERR(ld, def, "input '%s' is %s; expected a mapping with at least 'type'", in->name,
            hc_node_kind_name(def));
        return;
    }
    check_keys(ld, def, "an input", input_keys);
    if (hc_map_get(def, "type") == NULL) ERR(ld, def, "input '%s' has no 'type'", in->name);
    in->type = (hc_input_type)get_enum(ld, def, "type", HC_VOCAB_INPUT_TYPE, HC_IN_TEXT);
    in->label = get_text(ld, def, "label", 0);
    in->unit = get_text(ld, def, "unit", 0);
    const hc_node *n;
    if ((n = hc_map_get(def, "required"))) get_bool(ld, n, "required", &in->required);
    int numeric = in->type == HC_IN_NUMBER || in->type == HC_IN_INTEGER;
    if ((n = hc_map_get(def, "min"))) {
        if (!numeric) ERR(ld, n, "'min' applies to number and integer inputs only");
        else if (get_number(ld, n, "min", &in->min) == 0) in->has_min = 1;
    }
    if ((n = hc_map_get(def, "max"))) {
        if (!numeric) ERR(ld, n, "'max' applies to number and integer inputs only");
        else if (get_number(ld, n, "max", &in->max) == 0) in->has_max = 1;
    }
    if (in->has_min && in->has_max && in->min > in->max)
        ERR(ld, def, "input '%s': min %g is above max %g", in->name, in->min, in->max);
    n = hc_map_get(def, "values");
    if (in->type == HC_IN_ENUM || in->type == HC_IN_SET) {
        if (n == NULL || (n->kind != HC_SEQ && n->kind != HC_MAP) || n->len == 0) {
            ERR(ld, n ? n : def,
                "input '%s' (%s) needs 'values', a non-empty list of codes or mapping of code: label",
                in->name, hc_input_type_name(in->type));
        } else {
            load_values(ld, in, n);
        }
    } else if (n) {
        ERR(ld, n, "'values' applies to enum and set inputs only");
    }
    n = hc_map_get(def, "fields");
    if (in->type == HC_IN_LIST) {
        if (n == NULL || n->kind != HC_MAP || n->len == 0)
            ERR(ld, n ? n : def, "input '%s' (list) needs 'fields', a mapping of inputs", in->name);
        else if (depth >= 4)
            ERR(ld, n, "lists nested more than 4 deep");
        else
            load_inputs(ld, n, &in->fields, &in->nfields, in->name, depth + 1);
    } else if (n) {
        ERR(ld, n, "'fields' applies to list inputs only");
    }
}

static void load_inputs(loader *ld, const hc_node *map, hc_input **out, size_t *nout,
                        const char *owner, int depth)
{
    *out = hc_arena_alloc(ld->arena, (map->len ? map->len : 1) * sizeof **out);
    *nout = map->len;
    for (size_t i = 0; i < map->len; i++)
        load_input(ld, &(*out)[i], map->kids[2 * i], map->kids[2 * i + 1], owner, depth);
}

/* --------------------------------------------------------------- tests */

static const char *const test_keys[] = {"name", "obs", "site", "answers", "date", "expect",
                                        "message", NULL};

static void load_tests(loader *ld, hc_item *it, const hc_node *seq)
{
    if (seq->kind != HC_SEQ) {
        ERR(ld, seq, "'tests' is %s; expected a list of tests", hc_node_kind_name(seq));
        return;
    }
    it->tests = hc_arena_alloc(ld->arena, (seq->len ? seq->len : 1) * sizeof *it->tests);
    it->ntests = seq->len;
    for (size_t i = 0; i < seq->len; i++) {
        const hc_node *t = seq->kids[i];
        hc_test *ts = &it->tests[i];
        ts->node = t;
        if (t->kind != HC_MAP) {
            ERR(ld, t, "test is %s; expected a mapping with 'expect'", hc_node_kind_name(t));
            continue;
        }
        check_keys(ld, t, "a test", test_keys);
        ts->name = get_text(ld, t, "name", 0);
        if (ts->name == NULL) ts->name = hc_arena_printf(ld->arena, "test %zu", i + 1);
        const char *k[] = {"obs", "site", "answers"};
        const hc_node **slot[] = {&ts->obs, &ts->site, &ts->answers};
        for (int j = 0; j < 3; j++) {
            const hc_node *n = hc_map_get(t, k[j]);
            if (n && n->kind != HC_MAP && !(n->kind == HC_SCALAR && n->len == 0 && !n->quoted))
                ERR(ld, n, "test '%s': '%s' is %s; expected a mapping", ts->name, k[j],
                    hc_node_kind_name(n));
            else if (n && n->kind == HC_MAP)
                *slot[j] = n;
        }
        ts->date = get_text(ld, t, "date", 0);
        long days;
        if (ts->date && hc_date_parse(ts->date, strlen(ts->date), &days) != 0)
            ERR(ld, hc_map_get(t, "date"), "test '%s': date '%s'; expected YYYY-MM-DD", ts->name,
                ts->date);
        if (ts->date == NULL) ts->date = "2000-01-01";
        if (hc_map_get(t, "expect") == NULL)
            ERR(ld, t, "test '%s' has no 'expect'; expected pass, fail, na, unanswered or error",
                ts->name);
        ts->expect = (hc_status)get_enum(ld, t, "expect", HC_VOCAB_STATUS, HC_PASS);
        ts->message = get_text(ld, t, "message", 0);
    }
}

/* --------------------------------------------------------------- items */

static const char *const item_keys[] = {"id", "title", "section", "status", "tags", "severity",
                                        "weight", "basis", "applies", "inputs", "check", "rule",
                                        "message", "remedy", "deadline_days", "order", "tests",
                                        "notes", "applies_text", NULL};

static void load_item(loader *ld, hc_item *it, const hc_node *n)
{
    hc_checklist *c = ld->c;
    it->node = n;
    it->deadline_days = -1;
    it->applies.ref = it->code.ref = -1;
    if (n->kind != HC_MAP) {
        ERR(ld, n, "item is %s; expected a mapping with id, title and check or rule",
            hc_node_kind_name(n));
        it->id = "?";
        return;
    }
    check_keys(ld, n, "an item", item_keys);
    it->id = get_text(ld, n, "id", 1);
    if (it->id == NULL) it->id = "?";
    else if (!match_id(it->id, 0))
        ERR(ld, hc_map_get(n, "id"), "item id '%s'; expected letters, digits, '.', '_' or '-'",
            it->id);
    it->title = get_text(ld, n, "title", 1);
    if (it->title == NULL) it->title = it->id;
    it->section = get_text(ld, n, "section", 0);
    it->notes = get_text(ld, n, "notes", 0);
    it->applies_text = get_text(ld, n, "applies_text", 0);
    it->status = (hc_pack_status)get_enum(ld, n, "status", HC_VOCAB_PACK_STATUS, HC_ST_STABLE);
    it->tags = get_texts(ld, hc_map_get(n, "tags"), "tags", &it->ntags);
    it->severity = (hc_item_severity)get_enum(ld, n, "severity", HC_VOCAB_SEVERITY,
                                              (int)c->default_severity);
    it->weight = c->default_weight;
    const hc_node *w = hc_map_get(n, "weight");
    if (w && get_number(ld, w, "weight", &it->weight) == 0 && !(it->weight > 0))
        ERR(ld, w, "weight %g; expected a number above 0", it->weight);
    const hc_node *b = hc_map_get(n, "basis");
    it->basis = get_texts(ld, b, "basis", &it->nbasis);
    for (size_t i = 0; i < it->nbasis; i++) {
        const char *s = it->basis[i];
        size_t len = strcspn(s, " \t(");
        int found = 0;
        for (size_t j = 0; j < c->nsources && !found; j++)
            found = strlen(c->sources[j].code) == len && strncmp(s, c->sources[j].code, len) == 0;
        if (!found) {
            const hc_node *bn = b->kind == HC_SEQ && i < b->len ? b->kids[i] : b;
            ERR(ld, bn, "basis '%s' does not start with a code from 'sources'", s);
        }
    }
    if (it->nbasis == 0 && ld->lint) WARN(ld, n, "item %s has no 'basis'", it->id);
    it->message = get_text(ld, n, "message", 0);
    it->remedy = get_text(ld, n, "remedy", 0);
    const hc_node *dd = hc_map_get(n, "deadline_days");
    if (dd) get_int(ld, dd, "deadline_days", 0, &it->deadline_days);
    it->order = (hc_order)get_enum(ld, n, "order", HC_VOCAB_ORDER, HC_ORDER_RECTIFY);
    const hc_node *in = hc_map_get(n, "inputs");
    if (in) {
        if (in->kind == HC_MAP) load_inputs(ld, in, &it->inputs, &it->ninputs, it->id, 0);
        else if (!(in->kind == HC_SCALAR && in->len == 0 && !in->quoted))
            ERR(ld, in, "'inputs' is %s; expected a mapping of input names",
                hc_node_kind_name(in));
    }
    const hc_node *ap = hc_map_get(n, "applies");
    if (ap) compile(ld, &it->applies, ap, "applies", 1);
    if (ap) warn_applies_text(ld, ap, it->applies_text);
    const hc_node *ck = hc_map_get(n, "check"), *ru = hc_map_get(n, "rule");
    if (ck && ru)
        ERR(ld, ru, "item %s has both 'check' and 'rule'; expected exactly one", it->id);
    else if (!ck && !ru)
        ERR(ld, n, "item %s has neither 'check' nor 'rule'; expected exactly one", it->id);
    else if (ck)
        compile(ld, &it->code, ck, "check", 1);
    else {
        it->is_rule = 1;
        compile(ld, &it->code, ru, "rule", 0);
    }
    check_obs_names(ld, it, &it->code);
    const hc_node *ts = hc_map_get(n, "tests");
    if (ts) load_tests(ld, it, ts);
    if (ld->lint && it->ntests == 0) WARN(ld, n, "item %s has no tests", it->id);
}

/* ---------------------------------------------------------------- pack */

static const char *const pack_keys[] = {"hazcheck", "id", "version", "title", "domain", "lang",
                                        "status", "notes", "sources", "applies", "applies_text",
                                        "scoring", "defaults", "items", "valid", "superseded_by",
                                        NULL};
static const char *const valid_keys[] = {"from", "until", NULL};

/* valid: {from: DATE, until: DATE}, either end optional (formats.md "Validity of a pack"). */
static void load_validity(loader *ld, hc_checklist *c, const hc_node *root)
{
    const hc_node *v = hc_map_get(root, "valid");
    c->superseded_by = get_text(ld, root, "superseded_by", 0);
    if (v == NULL) return;
    if (v->kind != HC_MAP) {
        ERR(ld, v, "'valid' is %s; expected a mapping {from: YYYY-MM-DD, until: YYYY-MM-DD}",
            hc_node_kind_name(v));
        return;
    }
    check_keys(ld, v, "valid", valid_keys);
    const char **ends[2] = {&c->valid_from, &c->valid_until};
    for (int k = 0; k < 2; k++) {
        const hc_node *n = hc_map_get(v, valid_keys[k]);
        if (n == NULL) continue;
        const char *t = scalar_text(ld, n, valid_keys[k]);
        long days;
        if (t && hc_date_parse(t, strlen(t), &days) == 0) *ends[k] = t;
        else if (t) ERR(ld, n, "valid.%s '%s'; expected a date YYYY-MM-DD", valid_keys[k], t);
    }
    if (c->valid_from && c->valid_until && strcmp(c->valid_from, c->valid_until) > 0)
        ERR(ld, v, "valid from %s until %s: the period is empty", c->valid_from, c->valid_until);
}
static const char *const scoring_keys[] = {"model", "pass_mark", "total", NULL};
static const char *const defaults_keys[] = {"severity", "weight", "deadline_days", NULL};

static int cmp_item_id(const void *a, const void *b, void *items);

static void load_pack(loader *ld, const hc_node *root)
{
    hc_checklist *c = ld->c;
    if (root == NULL || root->kind != HC_MAP) {
        ERR(ld, root, "checklist is %s; expected a mapping with hazcheck, id, version, title, items",
            hc_node_kind_name(root));
        return;
    }
    check_keys(ld, root, "a checklist", pack_keys);
    const hc_node *v = hc_map_get(root, "hazcheck");
    int64_t fmt = 0;
    if (v == NULL)
        ERR(ld, root, "missing required key 'hazcheck' (the format version, 1)");
    else if (v->kind != HC_SCALAR || hc_scalar_resolve(v, NULL, &fmt, NULL) != HC_SC_INT ||
             fmt != HC_FORMAT_VERSION)
        ERR(ld, v, "format version '%s'; this hazcheck reads version %d",
            v->kind == HC_SCALAR ? v->str : "?", HC_FORMAT_VERSION);
    c->id = get_text(ld, root, "id", 1);
    if (c->id && !match_id(c->id, 1))
        ERR(ld, hc_map_get(root, "id"), "pack id '%s'; expected [a-z0-9][a-z0-9._-]*", c->id);
    c->version = get_text(ld, root, "version", 1);
    c->title = get_text(ld, root, "title", 1);
    c->domain = get_text(ld, root, "domain", 0);
    c->lang = get_text(ld, root, "lang", 0);
    if (c->lang == NULL) c->lang = "zh-CN";
    c->notes = get_text(ld, root, "notes", 0);
    c->applies_text = get_text(ld, root, "applies_text", 0);
    load_validity(ld, c, root);
    c->status = (hc_pack_status)get_enum(ld, root, "status", HC_VOCAB_PACK_STATUS, HC_ST_STABLE);
    const hc_node *src = hc_map_get(root, "sources");
    if (src && src->kind == HC_MAP) {
        c->sources = hc_arena_alloc(ld->arena, (src->len ? src->len : 1) * sizeof *c->sources);
        for (size_t i = 0; i < src->len; i++) {
            c->sources[c->nsources].code = src->kids[2 * i]->str;
            c->sources[c->nsources].title = scalar_text(ld, src->kids[2 * i + 1], "source title");
            if (c->sources[c->nsources].title) c->nsources++;
        }
    } else if (src && !(src->kind == HC_SCALAR && src->len == 0)) {
        ERR(ld, src, "'sources' is %s; expected a mapping CODE: full title", hc_node_kind_name(src));
    }
    const hc_node *ap = hc_map_get(root, "applies");
    c->applies.ref = -1;
    if (ap) compile(ld, &c->applies, ap, "applies", 1);
    if (ap) warn_applies_text(ld, ap, c->applies_text);

    c->model = HC_SCORE_WEIGHTED;
    c->total = 100;
    const hc_node *sc = hc_map_get(root, "scoring");
    if (sc && sc->kind == HC_MAP) {
        check_keys(ld, sc, "scoring", scoring_keys);
        c->model = (hc_score_model)get_enum(ld, sc, "model", HC_VOCAB_SCORING, HC_SCORE_WEIGHTED);
        const hc_node *pm = hc_map_get(sc, "pass_mark");
        if (pm && get_number(ld, pm, "pass_mark", &c->pass_mark) == 0) {
            c->has_pass_mark = 1;
            if (c->pass_mark < 0 || c->pass_mark > 100)
                ERR(ld, pm, "pass_mark %g; expected a percentage from 0 to 100", c->pass_mark);
        }
        const hc_node *tt = hc_map_get(sc, "total");
        if (tt) {
            if (get_number(ld, tt, "total", &c->total) == 0 && !(c->total > 0))
                ERR(ld, tt, "total %g; expected a number above 0", c->total);
            if (c->model != HC_SCORE_DEDUCT)
                ERR(ld, tt, "'total' applies to the deduct model only");
        }
    } else if (sc) {
        ERR(ld, sc, "'scoring' is %s; expected a mapping", hc_node_kind_name(sc));
    }

    c->default_severity = HC_SEV_GENERAL;
    c->default_weight = 1;
    c->deadline_general = 30;
    c->deadline_major = 90;
    const hc_node *df = hc_map_get(root, "defaults");
    if (df && df->kind == HC_MAP) {
        check_keys(ld, df, "defaults", defaults_keys);
        c->default_severity = (hc_item_severity)get_enum(ld, df, "severity", HC_VOCAB_SEVERITY,
                                                         HC_SEV_GENERAL);
        const hc_node *w = hc_map_get(df, "weight");
        if (w && get_number(ld, w, "weight", &c->default_weight) == 0 && !(c->default_weight > 0))
            ERR(ld, w, "weight %g; expected a number above 0", c->default_weight);
        const hc_node *dd = hc_map_get(df, "deadline_days");
        if (dd && dd->kind == HC_MAP) {
            static const char *const dk[] = {"general", "major", NULL};
            check_keys(ld, dd, "deadline_days", dk);
            const hc_node *g = hc_map_get(dd, "general"), *m = hc_map_get(dd, "major");
            if (g) get_int(ld, g, "general", 0, &c->deadline_general);
            if (m) get_int(ld, m, "major", 0, &c->deadline_major);
        } else if (dd) {
            int days;
            if (get_int(ld, dd, "deadline_days", 0, &days) == 0)
                c->deadline_general = c->deadline_major = days;
        }
    } else if (df) {
        ERR(ld, df, "'defaults' is %s; expected a mapping", hc_node_kind_name(df));
    }

    const hc_node *items = hc_map_get(root, "items");
    if (items == NULL) {
        ERR(ld, root, "missing required key 'items'");
        return;
    }
    if (items->kind != HC_SEQ) {
        ERR(ld, items, "'items' is %s; expected a list of items", hc_node_kind_name(items));
        return;
    }
    if (items->len == 0) WARN(ld, items, "the pack has no items");
    c->items = hc_arena_alloc(ld->arena, (items->len ? items->len : 1) * sizeof *c->items);
    c->nitems = items->len;
    for (size_t i = 0; i < items->len; i++) load_item(ld, &c->items[i], items->kids[i]);
    /* duplicate ids: sort an index by id (it doubles as the lookup index) */
    size_t *idx = hc_arena_alloc(ld->arena, (c->nitems ? c->nitems : 1) * sizeof *idx);
    for (size_t i = 0; i < c->nitems; i++) idx[i] = i;
    for (size_t i = 1; i < c->nitems; i++) {       /* insertion sort: packs are small */
        size_t x = idx[i], j = i;
        while (j > 0 && cmp_item_id(&idx[j - 1], &x, c->items) > 0) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = x;
    }
    for (size_t i = 1; i < c->nitems; i++) {
        const hc_item *a = &c->items[idx[i - 1]], *b = &c->items[idx[i]];
        if (strcmp(a->id, b->id) == 0 && strcmp(a->id, "?") != 0) {
            const hc_item *later = a->node->line > b->node->line ? a : b;
            const hc_item *first = later == a ? b : a;
            ERR(ld, hc_map_get(later->node, "id"), "duplicate item id '%s' (first at line %u)",
                later->id, first->node->line);
        }
    }
    c->by_id = idx;
}

static int cmp_item_id(const void *a, const void *b, void *items)
{
    const hc_item *it = items;
    return strcmp(it[*(const size_t *)a].id, it[*(const size_t *)b].id);
}

long hc_checklist_find(const hc_checklist *c, const char *id)
{
    size_t lo = 0, hi = c->nitems;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int r = strcmp(c->items[c->by_id[mid]].id, id);
        if (r == 0) return (long)c->by_id[mid];
        if (r < 0) lo = mid + 1;
        else hi = mid;
    }
    return -1;
}

hc_checklist *hc_checklist_load_mem(hc_sandbox *sb, const char *path, const char *buf, size_t len,
                                    const hc_limits *lim, int lint, hc_diags *d)
{
    hc_reader *r = hc_reader_open_mem(path, buf, len, lim, d);
    hc_doc *doc = NULL;
    int rc = r ? hc_reader_next(r, &doc, d) : -1;
    if (rc == 0) hc_diags_add(d, HC_ERROR, path, 1, 1, "file is empty; expected a checklist");
    if (rc == 1) {
        hc_doc *extra = NULL;
        if (hc_reader_next(r, &extra, d) != 0) {
            if (extra)
                hc_diags_add(d, HC_ERROR, path, hc_doc_root(extra)->line, 1,
                             "a second document; expected one checklist per file");
            hc_doc_free(&extra);
            hc_doc_free(&doc);
        }
    }
    hc_reader_close(&r);
    if (doc == NULL) return NULL;
    hc_checklist *c = hc_xcalloc(1, sizeof *c);
    c->path = hc_xstrdup(path);
    c->applies.ref = -1;
    hc_sha256_hex(buf, len, c->sha256);
    c->doc = doc;
    loader ld = {sb, c, d, c->path, hc_doc_arena(doc), lint, 0};
    load_pack(&ld, hc_doc_root(doc));
    if (ld.failed) {
        hc_checklist_free(&c, sb);
        return NULL;
    }
    return c;
}

hc_checklist *hc_checklist_load(hc_sandbox *sb, const char *path, const hc_limits *lim,
                                int lint, hc_diags *d)
{
    char *buf;
    size_t len;
    char err[256];
    hc_limits def;
    if (lim == NULL) {
        hc_limits_default(&def);
        lim = &def;
    }
    if (hc_read_file(path, lim->max_file, &buf, &len, err, sizeof err) != 0) {
        hc_diags_add(d, HC_ERROR, path, 0, 0, "%s", err);
        return NULL;
    }
    hc_checklist *c = hc_checklist_load_mem(sb, path, buf, len, lim, lint, d);
    free(buf);
    return c;
}

static void free_code(hc_code *code, hc_sandbox *sb)
{
    if (code->ref >= 0 && sb) hc_sandbox_release(sb, code->ref);
    free(code->lines);
    code->lines = NULL;
}

void hc_checklist_free(hc_checklist **cp, hc_sandbox *sb)
{
    if (cp == NULL || *cp == NULL) return;
    hc_checklist *c = *cp;
    free_code(&c->applies, sb);
    for (size_t i = 0; i < c->nitems; i++) {
        free_code(&c->items[i].applies, sb);
        free_code(&c->items[i].code, sb);
    }
    free(c->path);
    hc_doc_free(&c->doc);
    free(c);
    *cp = NULL;
}

int hc_checklists_unique(hc_checklist *const *packs, size_t n, hc_diags *d)
{
    /* an inspection names its pack by id, so two loaded packs may not share one */
    int rc = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < i; k++)
            if (strcmp(packs[i]->id, packs[k]->id) == 0) {
                hc_diags_add(d, HC_ERROR, packs[i]->path, 1, 1, "pack id '%s' is also the id of %s",
                             packs[i]->id, packs[k]->path);
                rc = -1;
            }
    return rc;
}

int hc_checklist_in_force(const hc_checklist *c, const char *date)
{
    /* dates YYYY-MM-DD compare as text */
    if (c->valid_from && strcmp(date, c->valid_from) < 0) return 0;
    if (c->valid_until && strcmp(date, c->valid_until) > 0) return 0;
    return 1;
}

const char *hc_input_value_label(const hc_input *in, size_t i)
{
    return in->labels && in->labels[i] ? in->labels[i] : in->values[i];
}
