/*
** doc.c: YAML (and JSON) text -> document tree, with positions and limits.
**
** Built on libyaml's event API rather than its document loader because
** libyaml 0.2.5 has no nesting limit and shares aliased nodes, so a loader
** that walks its graph as a tree is open to "billion laughs". Here every
** node is counted as it is made, and an alias adds the size of what it
** names, so an alias bomb stops at max_nodes however it is built. A cycle
** (an alias inside the node it names) is an error. Duplicate keys are an
** error. Scalars keep their bytes and style; typing them is the business of
** whoever knows what the value should be (checklist declarations, or the
** core schema in hc_scalar_resolve for undeclared facts).
*/
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "base/base.h"

typedef struct frame {
    hc_node *node;
    hc_node **kids;
    size_t n, cap;
    char *anchor;              /* registered when the collection ends */
} frame;

typedef struct anchor {
    char *name;
    hc_node *node;             /* NULL while the collection is still open */
} anchor;

struct hc_reader {
    yaml_parser_t parser;
    FILE *file;
    int own_file;
    long stream_start;        /* hc_reader_open_stream: where the text began; -1 unseekable */
    char *path;
    hc_limits lim;
    int ended;
    const char *mem;           /* the input, when reading from memory */
    size_t mem_len, mem_pos;
    size_t line_base, byte_base;   /* where a piece of a file began (split.c) */
    /* the input filter (see surrogate_filter) */
    unsigned char pending[8192 + 32];
    size_t npending, pending_pos;
    unsigned char carry[16];
    size_t ncarry;
    size_t backslashes;        /* a run of backslashes ending the text filtered so far */
    int input_eof;
    /* per-document state */
    frame *stack;
    size_t depth, stack_cap;
    anchor *anchors;
    size_t nanchors, anchors_cap;
    size_t total;              /* nodes so far, aliases expanded */
};

hc_arena *hc_doc_arena(hc_doc *d) { return d->arena; }
const hc_node *hc_doc_root(const hc_doc *d) { return d->root; }
const char *hc_doc_path(const hc_doc *d) { return d->path; }

void hc_doc_free(hc_doc **d)
{
    if (d == NULL || *d == NULL) return;
    hc_arena *a = (*d)->arena;
    hc_arena_free(&a);     /* the doc struct itself lives in its arena */
    *d = NULL;
}

const char *hc_node_kind_name(const hc_node *n)
{
    if (n == NULL) return "nothing";
    switch (n->kind) {
    case HC_MAP: return "a mapping";
    case HC_SEQ: return "a sequence";
    default: return "a scalar";
    }
}

const hc_node *hc_map_get(const hc_node *map, const char *key)
{
    if (map == NULL || map->kind != HC_MAP) return NULL;
    size_t klen = strlen(key);
    for (size_t i = 0; i < map->len; i++) {
        const hc_node *k = map->kids[2 * i];
        if (k->kind == HC_SCALAR && k->len == klen && memcmp(k->str, key, klen) == 0)
            return map->kids[2 * i + 1];
    }
    return NULL;
}

static int is_digits(const char *s, size_t n)
{
    if (n == 0) return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return 0;
    return 1;
}

/* YAML 1.2 core schema, decimal numbers only (as formats.md says). */
hc_scalar_type hc_scalar_resolve(const hc_node *n, int *b, int64_t *iv, double *x)
{
    if (n->kind != HC_SCALAR || n->quoted || n->block) return HC_SC_STRING;
    const char *s = n->str;
    size_t len = n->len;
    if (len == 0 || (len == 1 && s[0] == '~')) return HC_SC_NULL;
    /* the words, looked at only when the first letter can start one */
    switch (s[0]) {
    case 'n': case 'N':
        if (strcmp(s, "null") == 0 || strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0)
            return HC_SC_NULL;
        break;
    case 't': case 'T':
        if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE")) {
            if (b) *b = 1;
            return HC_SC_BOOL;
        }
        break;
    case 'f': case 'F':
        if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE")) {
            if (b) *b = 0;
            return HC_SC_BOOL;
        }
        break;
    default:
        break;
    }
    const char *p = s;
    size_t m = len;
    if (*p == '-' || *p == '+') p++, m--;
    if (is_digits(p, m) && m <= 18) {
        if (iv) *iv = strtoll(s, NULL, 10);
        return HC_SC_INT;
    }
    /* [-+]? ( . digits | digits ( . digits? )? ) ( [eE] [-+]? digits )? */
    size_t i = 0, d1 = 0, d2 = 0;
    while (i < m && p[i] >= '0' && p[i] <= '9') i++, d1++;
    if (i < m && p[i] == '.') {
        i++;
        while (i < m && p[i] >= '0' && p[i] <= '9') i++, d2++;
    }
    if (d1 + d2 == 0) return HC_SC_STRING;
    if (i < m && (p[i] == 'e' || p[i] == 'E')) {
        i++;
        if (i < m && (p[i] == '-' || p[i] == '+')) i++;
        size_t d3 = 0;
        while (i < m && p[i] >= '0' && p[i] <= '9') i++, d3++;
        if (d3 == 0) return HC_SC_STRING;
    }
    if (i != m) return HC_SC_STRING;
    if (x) *x = strtod(s, NULL);
    return HC_SC_FLOAT;
}

void hc_node_serialize(const hc_node *n, hc_buf *b)
{
    switch (n->kind) {
    case HC_SCALAR:
        hc_buf_printf(b, "%c%zu:", n->quoted ? 'Q' : 'S', n->len);
        hc_buf_put(b, n->str, n->len);
        break;
    case HC_SEQ:
    case HC_MAP:
        hc_buf_printf(b, "%c%zu[", n->kind == HC_SEQ ? 'L' : 'M', n->len);
        for (size_t i = 0; i < (n->kind == HC_MAP ? 2 * n->len : n->len); i++)
            hc_node_serialize(n->kids[i], b);
        hc_buf_putc(b, ']');
        break;
    }
}

/* ------------------------------------------------------------- reader */

static hc_reader *reader_new(const char *path, const hc_limits *lim)
{
    hc_reader *r = hc_xcalloc(1, sizeof *r);
    r->path = hc_xstrdup(path);
    r->stream_start = -1;
    if (lim) r->lim = *lim;
    else hc_limits_default(&r->lim);
    if (!yaml_parser_initialize(&r->parser)) {
        free(r->path);
        free(r);
        return NULL;
    }
    return r;
}

/*
** JSON writes characters outside the BMP as surrogate pairs (\ud83d\udd25, the
** default of Python's json.dumps); YAML 1.2 allows that but libyaml 0.2.5
** refuses it. The input is therefore read through this filter, which turns
** every escaped pair into the equivalent 8-digit escape (\U0001F525) before
** libyaml sees it. An escape is a backslash preceded by an even run of
** backslashes; a lone or reversed surrogate is left for libyaml to refuse.
*/
static int hexval(const unsigned char *p, unsigned *v)
{
    *v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned char c = p[i];
        unsigned x = c >= '0' && c <= '9' ? c - '0' + 0u : c >= 'a' && c <= 'f' ? c - 'a' + 10u
                   : c >= 'A' && c <= 'F' ? c - 'A' + 10u : 16u;
        if (x > 15) return -1;
        *v = *v * 16 + x;
    }
    return 0;
}

/* Filter in[0..n) into r->pending; returns how many input bytes were used
   (the rest may start a pair that continues in the next read). */
static size_t surrogate_filter(hc_reader *r, const unsigned char *in, size_t n, int eof)
{
    size_t i = 0;
    r->npending = r->pending_pos = 0;
    while (i < n) {
        unsigned char c = in[i];
        if (c != '\\') {
            /* copy the run up to the next backslash at once */
            const unsigned char *bs = memchr(in + i, '\\', n - i);
            size_t k = bs ? (size_t)(bs - (in + i)) : n - i;
            memcpy(r->pending + r->npending, in + i, k);
            r->npending += k;
            i += k;
            r->backslashes = 0;
            continue;
        }
        if (r->backslashes % 2 == 0) {          /* c is an unescaped backslash */
            if (n - i < 12 && !eof) break;          /* may be a pair split across reads */
            unsigned hi, lo;
            if (n - i >= 12 && in[i + 1] == 'u' && hexval(in + i + 2, &hi) == 0 && hi >= 0xD800 &&
                hi <= 0xDBFF && in[i + 6] == '\\' && in[i + 7] == 'u' && hexval(in + i + 8, &lo) == 0 &&
                lo >= 0xDC00 && lo <= 0xDFFF) {
                unsigned cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                r->npending += (size_t)snprintf((char *)r->pending + r->npending, 11, "\\U%08X", cp);
                i += 12;
                r->backslashes = 0;
                continue;
            }
        }
        r->backslashes++;
        r->pending[r->npending++] = c;
        i++;
    }
    return i;
}

static int read_filtered(void *data, unsigned char *buffer, size_t size, size_t *size_read)
{
    hc_reader *r = data;
    while (r->pending_pos == r->npending) {
        if (r->input_eof && r->ncarry == 0) {
            *size_read = 0;
            return 1;
        }
        unsigned char raw[8192 + 16];
        size_t n = r->ncarry;
        memcpy(raw, r->carry, n);
        if (!r->input_eof) {
            size_t got;
            if (r->file) {
                got = fread(raw + n, 1, 8192, r->file);
                if (got == 0 && ferror(r->file)) return 0;
            } else {
                got = r->mem_len - r->mem_pos < 8192 ? r->mem_len - r->mem_pos : 8192;
                memcpy(raw + n, r->mem + r->mem_pos, got);
                r->mem_pos += got;
            }
            if (got == 0) r->input_eof = 1;
            n += got;
        }
        size_t used = surrogate_filter(r, raw, n, r->input_eof);
        /* what is left is the start of a possible pair: fewer than 12 bytes
           (the output never outgrows the input, so 'pending' cannot fill) */
        r->ncarry = n - used;
        memcpy(r->carry, raw + used, r->ncarry);
    }
    size_t k = r->npending - r->pending_pos < size ? r->npending - r->pending_pos : size;
    memcpy(buffer, r->pending + r->pending_pos, k);
    r->pending_pos += k;
    *size_read = k;
    return 1;
}

static hc_reader *open_file(const char *name, FILE *f, int own, const hc_limits *lim, hc_diags *d)
{
    hc_reader *r = reader_new(name, lim);
    if (r == NULL) {
        if (own) fclose(f);
        hc_diags_add(d, HC_ERROR, name, 0, 0, "out of memory starting the YAML parser");
        return NULL;
    }
    r->file = f;
    r->own_file = own;
    yaml_parser_set_input(&r->parser, read_filtered, r);
    return r;
}

hc_reader *hc_reader_open(const char *path, const hc_limits *lim, hc_diags *d)
{
    if (strcmp(path, "-") == 0) return open_file("<stdin>", stdin, 0, lim, d);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        hc_diags_add(d, HC_ERROR, path, 0, 0, "cannot open file");
        return NULL;
    }
    return open_file(path, f, 1, lim, d);
}

hc_reader *hc_reader_open_stream(const char *name, FILE *f, const hc_limits *lim, hc_diags *d)
{
    hc_reader *r = open_file(name, f, 0, lim, d);
    /* where the text starts, so an error's byte offset can be found again */
    if (r) r->stream_start = ftell(f);
    return r;
}

hc_reader *hc_reader_open_mem(const char *name, const char *buf, size_t len,
                              const hc_limits *lim, hc_diags *d)
{
    hc_reader *r = reader_new(name, lim);
    if (r == NULL) {
        hc_diags_add(d, HC_ERROR, name, 0, 0, "out of memory starting the YAML parser");
        return NULL;
    }
    r->mem = buf;
    r->mem_len = len;
    yaml_parser_set_input(&r->parser, read_filtered, r);
    return r;
}

/*
** A piece of a longer file (split.c cuts a batch for --jobs) is parsed as a
** stream of its own, but its positions must be the file's: libyaml counts lines
** and bytes from its parser's mark and offset, so they start where the piece
** starts instead of at zero. A piece begins at the start of a line, so columns
** need nothing.
*/
hc_reader *hc_reader_open_piece(const char *name, const char *buf, size_t len, unsigned line,
                                size_t offset, const hc_limits *lim, hc_diags *d)
{
    hc_reader *r = hc_reader_open_mem(name, buf, len, lim, d);
    if (r == NULL) return NULL;
    r->line_base = line > 0 ? line - 1 : 0;
    r->byte_base = offset;
    r->parser.mark.line = r->line_base;
    r->parser.offset = offset;
    return r;
}

static void reset_doc_state(hc_reader *r)
{
    for (size_t i = 0; i < r->depth; i++) {
        free(r->stack[i].anchor);
        r->stack[i].anchor = NULL;
    }
    r->depth = 0;
    for (size_t i = 0; i < r->nanchors; i++) free(r->anchors[i].name);
    r->nanchors = 0;
    r->total = 0;
}

void hc_reader_close(hc_reader **rp)
{
    if (rp == NULL || *rp == NULL) return;
    hc_reader *r = *rp;
    reset_doc_state(r);
    for (size_t i = 0; i < r->stack_cap; i++) free(r->stack[i].kids);
    free(r->stack);
    free(r->anchors);
    yaml_parser_delete(&r->parser);
    if (r->own_file && r->file) fclose(r->file);
    free(r->path);
    free(r);
    *rp = NULL;
}

/* Line and column (0-based, in characters) of byte 'off' of the input. */
static int locate_offset(hc_reader *r, size_t off, yaml_mark_t *m)
{
    FILE *f = NULL;
    const unsigned char *s = NULL;
    if (r->mem) s = (const unsigned char *)r->mem;
    else if (r->file && r->own_file) f = fopen(r->path, "rb");
    else if (r->file && r->stream_start >= 0 && fseek(r->file, r->stream_start, SEEK_SET) == 0)
        f = r->file;          /* borrowed: read again from where the text began, not closed */
    if (s == NULL && f == NULL) return -1;
    size_t line = r->line_base, col = 0;
    off = off >= r->byte_base ? off - r->byte_base : 0;
    for (size_t i = 0; i < off; i++) {
        int c;
        if (s) {
            if (i >= r->mem_len) break;
            c = s[i];
        } else if ((c = fgetc(f)) == EOF) {
            break;
        }
        if (c == '\n') {
            line++;
            col = 0;
        } else if ((c & 0xC0) != 0x80) {
            col++;
        }
    }
    if (f && f != r->file) fclose(f);
    m->line = line;
    m->column = col;
    return 0;
}

static void parser_error(hc_reader *r, hc_diags *d)
{
    yaml_parser_t *p = &r->parser;
    yaml_mark_t m = p->error == YAML_READER_ERROR ? p->mark : p->problem_mark;
    const char *what = p->problem ? p->problem : "malformed YAML";
    if (p->error == YAML_READER_ERROR) {
        /* libyaml gives only a byte offset for bad bytes: find its line and column */
        if (locate_offset(r, p->problem_offset, &m) != 0) m.line = m.column = 0;
        hc_diags_add(d, HC_ERROR, r->path, (unsigned)m.line + 1, (unsigned)m.column + 1,
                     "not valid text: %s (byte %zu); expected UTF-8 YAML or JSON",
                     what, p->problem_offset);
    } else if (p->context)
        hc_diags_add(d, HC_ERROR, r->path, (unsigned)m.line + 1, (unsigned)m.column + 1,
                     "YAML syntax: %s %s (started at line %zu)", p->context, what,
                     p->context_mark.line + 1);
    else
        hc_diags_add(d, HC_ERROR, r->path, (unsigned)m.line + 1, (unsigned)m.column + 1,
                     "YAML syntax: %s", what);
}

/* Accept the core-schema tags (they add nothing we do not infer), force
   strings with !!str, and refuse everything else. */
static int check_tag(hc_reader *r, const yaml_char_t *tag, const yaml_mark_t *m,
                     unsigned char *quoted, hc_diags *d)
{
    if (tag == NULL) return 0;
    const char *t = (const char *)tag;
    if (strcmp(t, "!") == 0) return 0;
    if (strcmp(t, "tag:yaml.org,2002:str") == 0) {
        if (quoted) *quoted = 1;
        return 0;
    }
    static const char *const ok[] = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                                     "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null",
                                     "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", NULL};
    for (int i = 0; ok[i]; i++)
        if (strcmp(t, ok[i]) == 0) return 0;
    hc_diags_add(d, HC_ERROR, r->path, (unsigned)m->line + 1, (unsigned)m->column + 1,
                 "unknown tag '%s'; expected no tag (or !!str)", t);
    return -1;
}

static int count_nodes(hc_reader *r, size_t n, const yaml_mark_t *m, hc_diags *d)
{
    r->total += n;
    if (r->total > r->lim.max_nodes) {
        hc_diags_add(d, HC_ERROR, r->path, (unsigned)m->line + 1, (unsigned)m->column + 1,
                     "document has more than %zu nodes (aliases counted as copies); "
                     "expected a smaller document",
                     r->lim.max_nodes);
        return -1;
    }
    return 0;
}

static int add_anchor(hc_reader *r, const yaml_char_t *name, hc_node *node)
{
    for (size_t i = 0; i < r->nanchors; i++) {
        if (strcmp(r->anchors[i].name, (const char *)name) == 0) {
            r->anchors[i].node = node;   /* YAML allows redefining an anchor */
            return 0;
        }
    }
    HC_GROW(r->anchors, r->anchors_cap, r->nanchors + 1);
    r->anchors[r->nanchors].name = hc_xstrdup((const char *)name);
    r->anchors[r->nanchors].node = node;
    r->nanchors++;
    return 0;
}

static int append_node(hc_reader *r, hc_doc *doc, hc_node *n)
{
    if (r->depth == 0) {
        doc->root = n;
        return 0;
    }
    frame *f = &r->stack[r->depth - 1];
    HC_GROW(f->kids, f->cap, f->n + 1);
    f->kids[f->n++] = n;
    return 0;
}

static int keys_equal(const hc_node *a, const hc_node *b)
{
    return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
}

static int cmp_key(const void *x, const void *y)
{
    const hc_node *a = *(const hc_node *const *)x, *b = *(const hc_node *const *)y;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->str, b->str, n);
    if (c) return c;
    return a->len < b->len ? -1 : a->len > b->len;
}

static int check_map_keys(hc_reader *r, hc_node *map, hc_diags *d)
{
    size_t n = map->len;
    for (size_t i = 0; i < n; i++) {
        const hc_node *k = map->kids[2 * i];
        if (k->kind != HC_SCALAR) {
            hc_diags_add(d, HC_ERROR, r->path, k->line, k->col,
                         "mapping key is %s; expected a plain name", hc_node_kind_name(k));
            return -1;
        }
    }
    if (n < 2) return 0;
    if (n <= 16) {     /* small maps: pairwise, no allocation */
        for (size_t i = 1; i < n; i++)
            for (size_t j = 0; j < i; j++)
                if (keys_equal(map->kids[2 * i], map->kids[2 * j])) {
                    const hc_node *a = map->kids[2 * j], *b = map->kids[2 * i];
                    hc_diags_add(d, HC_ERROR, r->path, b->line, b->col,
                                 "duplicate key '%s' (first at line %u); expected each key once",
                                 b->str, a->line);
                    return -1;
                }
        return 0;
    }
    hc_node **keys = hc_xmalloc(n * sizeof *keys);
    for (size_t i = 0; i < n; i++) keys[i] = map->kids[2 * i];
    qsort(keys, n, sizeof *keys, cmp_key);
    int rc = 0;
    for (size_t i = 1; i < n; i++) {
        if (keys_equal(keys[i - 1], keys[i])) {
            const hc_node *a = keys[i - 1], *b = keys[i];
            if (a->line > b->line || (a->line == b->line && a->col > b->col)) {
                const hc_node *t = a;
                a = b;
                b = t;
            }
            hc_diags_add(d, HC_ERROR, r->path, b->line, b->col,
                         "duplicate key '%s' (first at line %u); expected each key once",
                         b->str, a->line);
            rc = -1;
            break;
        }
    }
    free(keys);
    return rc;
}

static hc_node *new_node(hc_doc *doc, hc_node_kind kind, const yaml_mark_t *m)
{
    hc_node *n = hc_arena_alloc(doc->arena, sizeof *n);
    n->kind = kind;
    n->line = (unsigned)m->line + 1;
    n->col = (unsigned)m->column + 1;
    n->weight = 1;
    return n;
}

/* Handle one event inside a document. 1 = document done, 0 = go on, -1 = error. */
static int on_event(hc_reader *r, hc_doc *doc, yaml_event_t *e, hc_diags *d)
{
    const yaml_mark_t *m = &e->start_mark;
    switch (e->type) {
    case YAML_SCALAR_EVENT: {
        if (e->data.scalar.length > r->lim.max_scalar) {
            hc_diags_add(d, HC_ERROR, r->path, (unsigned)m->line + 1, (unsigned)m->column + 1,
                         "scalar of %zu bytes is larger than the limit of %zu",
                         e->data.scalar.length, r->lim.max_scalar);
            return -1;
        }
        if (count_nodes(r, 1, m, d)) return -1;
        hc_node *n = new_node(doc, HC_SCALAR, m);
        yaml_scalar_style_t st = e->data.scalar.style;
        n->quoted = st == YAML_SINGLE_QUOTED_SCALAR_STYLE || st == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
        n->block = st == YAML_LITERAL_SCALAR_STYLE || st == YAML_FOLDED_SCALAR_STYLE;
        if (check_tag(r, e->data.scalar.tag, m, &n->quoted, d)) return -1;
        n->len = e->data.scalar.length;
        n->str = hc_arena_strndup(doc->arena, (const char *)e->data.scalar.value, n->len);
        if (e->data.scalar.anchor) add_anchor(r, e->data.scalar.anchor, n);
        return append_node(r, doc, n);
    }
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
        int is_map = e->type == YAML_MAPPING_START_EVENT;
        if (r->depth >= r->lim.max_depth) {
            hc_diags_add(d, HC_ERROR, r->path, (unsigned)m->line + 1, (unsigned)m->column + 1,
                         "nesting deeper than %zu levels; expected a flatter document",
                         r->lim.max_depth);
            return -1;
        }
        if (count_nodes(r, 1, m, d)) return -1;
        const yaml_char_t *tag = is_map ? e->data.mapping_start.tag : e->data.sequence_start.tag;
        const yaml_char_t *anc = is_map ? e->data.mapping_start.anchor
                                        : e->data.sequence_start.anchor;
        if (check_tag(r, tag, m, NULL, d)) return -1;
        hc_node *n = new_node(doc, is_map ? HC_MAP : HC_SEQ, m);
        if (r->depth + 1 > r->stack_cap) {
            size_t old = r->stack_cap;
            HC_GROW(r->stack, r->stack_cap, r->depth + 1);
            memset(r->stack + old, 0, (r->stack_cap - old) * sizeof *r->stack);
        }
        frame *f = &r->stack[r->depth++];
        f->node = n;
        f->n = 0;        /* the kids buffer is kept from earlier use */
        if (anc) {
            /* registered as open: an alias to it from inside is a cycle */
            add_anchor(r, anc, NULL);
            f->anchor = hc_xstrdup((const char *)anc);
        }
        return 0;
    }
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT: {
        frame *f = &r->stack[r->depth - 1];
        hc_node *n = f->node;
        n->kids = hc_arena_alloc(doc->arena, (f->n ? f->n : 1) * sizeof *n->kids);
        if (f->n) memcpy(n->kids, f->kids, f->n * sizeof *n->kids);
        n->len = n->kind == HC_MAP ? f->n / 2 : f->n;
        for (size_t i = 0; i < f->n; i++) n->weight += f->kids[i]->weight;
        char *anc = f->anchor;
        f->anchor = NULL;
        r->depth--;
        if (n->kind == HC_MAP && check_map_keys(r, n, d)) {
            free(anc);
            return -1;
        }
        if (anc) {
            add_anchor(r, (const yaml_char_t *)anc, n);
            free(anc);
        }
        return append_node(r, doc, n);
    }
    case YAML_ALIAS_EVENT: {
        const char *name = (const char *)e->data.alias.anchor;
        for (size_t i = r->nanchors; i-- > 0;) {
            if (strcmp(r->anchors[i].name, name) == 0) {
                hc_node *t = r->anchors[i].node;
                if (t == NULL) {
                    hc_diags_add(d, HC_ERROR, r->path, (unsigned)m->line + 1,
                                 (unsigned)m->column + 1,
                                 "alias *%s refers to a node that contains it (a cycle)", name);
                    return -1;
                }
                if (count_nodes(r, t->weight, m, d)) return -1;
                return append_node(r, doc, t);
            }
        }
        hc_diags_add(d, HC_ERROR, r->path, (unsigned)m->line + 1, (unsigned)m->column + 1,
                     "unknown alias *%s; expected an anchor &%s before it", name, name);
        return -1;
    }
    case YAML_DOCUMENT_END_EVENT:
        return 1;
    default:
        return 0;
    }
}

int hc_reader_next(hc_reader *r, hc_doc **out, hc_diags *d)
{
    *out = NULL;
    if (r->ended) return 0;
    yaml_event_t e;
    /* skip to the start of a document, or the end of the stream */
    for (;;) {
        if (!yaml_parser_parse(&r->parser, &e)) {
            parser_error(r, d);
            r->ended = 1;
            return -1;
        }
        yaml_event_type_t t = e.type;
        yaml_event_delete(&e);
        if (t == YAML_STREAM_END_EVENT) {
            r->ended = 1;
            return 0;
        }
        if (t == YAML_DOCUMENT_START_EVENT) break;
    }
    hc_arena *a = hc_arena_new();
    hc_doc *doc = hc_arena_alloc(a, sizeof *doc);
    doc->arena = a;
    doc->path = hc_arena_strdup(a, r->path);
    int rc;
    for (;;) {
        if (!yaml_parser_parse(&r->parser, &e)) {
            parser_error(r, d);
            rc = -1;
            break;
        }
        rc = on_event(r, doc, &e, d);
        yaml_event_delete(&e);
        if (rc) break;
    }
    reset_doc_state(r);
    if (rc < 0) {
        r->ended = 1;     /* libyaml cannot resume after an error */
        hc_doc_free(&doc);
        return -1;
    }
    *out = doc;
    return 1;
}

hc_doc *hc_doc_load_file(const char *path, const hc_limits *lim, hc_diags *d)
{
    hc_reader *r = hc_reader_open(path, lim, d);
    if (r == NULL) return NULL;
    hc_doc *doc = NULL, *extra = NULL;
    int rc = hc_reader_next(r, &doc, d);
    if (rc == 0) {
        hc_diags_add(d, HC_ERROR, path, 1, 1, "file is empty; expected a YAML or JSON document");
    } else if (rc == 1) {
        int rc2 = hc_reader_next(r, &extra, d);
        if (rc2 != 0) {
            if (rc2 == 1)
                hc_diags_add(d, HC_ERROR, path, hc_doc_root(extra)->line, 1,
                             "a second document; expected exactly one in this file");
            hc_doc_free(&extra);
            hc_doc_free(&doc);
        }
    }
    hc_reader_close(&r);
    return doc;
}
