/*
** tree.c: document trees built in code, for the readers that return data.
**
** A reader (the store's sites, actions, figures, a report) builds its answer
** as a document tree, the same structure a YAML or JSON file is read into;
** the presentation layer then writes it as JSON (hc_write_json_node), lays it
** out through a template, or walks it for text and CSV. So a page can never
** disagree with `--format json`, and nothing is printed and parsed back.
**
** Scalars are stored as their text, typed the way the YAML 1.2 core schema
** would read them back: strings are quoted, numbers and booleans are plain,
** and null is a plain empty scalar. Numbers are written exactly as the JSON
** writer writes them, so a number reads the same on a page and in JSON.
*/
#include <stdlib.h>

#include "base/base.h"

hc_doc *hc_doc_new(const char *name)
{
    hc_arena *a = hc_arena_new();
    hc_doc *d = hc_arena_alloc(a, sizeof *d);     /* the doc lives in its arena, as doc.c's do */
    d->arena = a;
    d->path = hc_arena_strdup(a, name ? name : "(data)");
    d->root = hc_tree_node(d, HC_MAP);
    return d;
}

hc_node *hc_tree_node(hc_doc *d, hc_node_kind kind)
{
    hc_node *n = hc_arena_alloc(d->arena, sizeof *n);
    n->kind = kind;
    n->weight = 1;
    if (kind == HC_SCALAR) n->str = hc_arena_strndup(d->arena, "", 0);
    return n;
}

/* Children live in power-of-two arrays (at least 4 slots); an array is full
   exactly when its slot count is a power of two, so no capacity is stored. */
static size_t slots_of(const hc_node *n) { return n->kind == HC_MAP ? 2 * n->len : n->len; }

static void append(hc_doc *d, hc_node *parent, hc_node *key, hc_node *value)
{
    size_t used = slots_of(parent), need = used + (key ? 2 : 1);
    size_t cap = 0;
    if (used) for (cap = 4; cap < used; cap *= 2) {}
    if (need > cap) {
        size_t grown = cap ? cap * 2 : 4;
        while (grown < need) grown *= 2;
        hc_node **kids = hc_arena_alloc(d->arena, grown * sizeof *kids);
        if (used) memcpy(kids, parent->kids, used * sizeof *kids);
        parent->kids = kids;
    }
    if (key) parent->kids[used++] = key;
    parent->kids[used] = value;
    parent->len++;
    parent->weight += value->weight + (key != NULL);
}

hc_node *hc_tree_add(hc_doc *d, hc_node *parent, const char *key, hc_node *value)
{
    if (parent->kind == HC_MAP) {
        hc_node *k = hc_tree_node(d, HC_SCALAR);
        if (key == NULL) key = "";
        k->len = strlen(key);
        k->str = hc_arena_strndup(d->arena, key, k->len);
        k->quoted = 1;
        append(d, parent, k, value);
    } else {
        append(d, parent, NULL, value);
    }
    return value;
}

static hc_node *scalar(hc_doc *d, const char *s, size_t n, int quoted)
{
    hc_node *v = hc_tree_node(d, HC_SCALAR);
    v->str = hc_arena_strndup(d->arena, s, n);
    v->len = n;
    v->quoted = (unsigned char)quoted;
    return v;
}

hc_node *hc_add_map(hc_doc *d, hc_node *parent, const char *key)
{
    return hc_tree_add(d, parent, key, hc_tree_node(d, HC_MAP));
}

hc_node *hc_add_seq(hc_doc *d, hc_node *parent, const char *key)
{
    return hc_tree_add(d, parent, key, hc_tree_node(d, HC_SEQ));
}

hc_node *hc_add_strn(hc_doc *d, hc_node *parent, const char *key, const char *s, size_t n)
{
    if (s == NULL) return hc_add_null(d, parent, key);
    return hc_tree_add(d, parent, key, scalar(d, s, n, 1));
}

hc_node *hc_add_str(hc_doc *d, hc_node *parent, const char *key, const char *s)
{
    return hc_add_strn(d, parent, key, s, s ? strlen(s) : 0);
}

hc_node *hc_add_num(hc_doc *d, hc_node *parent, const char *key, double x)
{
    char tmp[32];
    size_t n = hc_json_format_number(x, tmp);
    return hc_tree_add(d, parent, key, scalar(d, tmp, n, 0));
}

hc_node *hc_add_int(hc_doc *d, hc_node *parent, const char *key, long long x)
{
    char tmp[24];
    int n = snprintf(tmp, sizeof tmp, "%lld", x);
    return hc_tree_add(d, parent, key, scalar(d, tmp, (size_t)n, 0));
}

hc_node *hc_add_bool(hc_doc *d, hc_node *parent, const char *key, int b)
{
    return hc_tree_add(d, parent, key, scalar(d, b ? "true" : "false", b ? 4 : 5, 0));
}

hc_node *hc_add_null(hc_doc *d, hc_node *parent, const char *key)
{
    return hc_tree_add(d, parent, key, scalar(d, "", 0, 0));
}

hc_node *hc_tree_copy(hc_doc *d, const hc_node *n)
{
    hc_node *c = hc_tree_node(d, n->kind);
    c->quoted = n->quoted;
    c->block = n->block;
    if (n->kind == HC_SCALAR) {
        c->str = hc_arena_strndup(d->arena, n->str, n->len);
        c->len = n->len;
        return c;
    }
    for (size_t i = 0; i < n->len; i++) {
        if (n->kind == HC_MAP)
            hc_tree_add(d, c, n->kids[2 * i]->str, hc_tree_copy(d, n->kids[2 * i + 1]));
        else
            hc_tree_add(d, c, NULL, hc_tree_copy(d, n->kids[i]));
    }
    return c;
}

/* ---------------------------------------------------------- builder */

static hc_node *place(hc_builder *b, hc_node *value)
{
    if (b->depth == 0) {                 /* the first value replaces the root */
        b->doc->root = value;
        return value;
    }
    hc_tree_add(b->doc, b->stack[b->depth - 1], b->key, value);
    b->key = NULL;
    return value;
}

static void push(hc_builder *b, hc_node *n)
{
    place(b, n);
    if (b->depth < (int)(sizeof b->stack / sizeof b->stack[0])) b->stack[b->depth++] = n;
}

void hc_builder_init(hc_builder *b, hc_doc *doc)
{
    memset(b, 0, sizeof *b);
    b->doc = doc;
}

void hc_builder_begin_object(hc_builder *b) { push(b, hc_tree_node(b->doc, HC_MAP)); }
void hc_builder_begin_array(hc_builder *b) { push(b, hc_tree_node(b->doc, HC_SEQ)); }
void hc_builder_end(hc_builder *b)
{
    if (b->depth > 0) b->depth--;
}
void hc_builder_key(hc_builder *b, const char *k) { b->key = k; }

static hc_node *parent_of(hc_builder *b) { return b->depth ? b->stack[b->depth - 1] : NULL; }

void hc_builder_string(hc_builder *b, const char *s)
{
    hc_node *p = parent_of(b);
    if (p) hc_add_str(b->doc, p, b->key, s);
    b->key = NULL;
}

void hc_builder_number(hc_builder *b, double x)
{
    hc_node *p = parent_of(b);
    if (p) hc_add_num(b->doc, p, b->key, x);
    b->key = NULL;
}

void hc_builder_bool(hc_builder *b, int v)
{
    hc_node *p = parent_of(b);
    if (p) hc_add_bool(b->doc, p, b->key, v);
    b->key = NULL;
}
