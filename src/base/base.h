/*
** base.h: the base layer's face: the small services every layer needs
** (allocation, buffers, arenas, diagnostics, files, hashing, text width,
** CSV, dates), the document tree's internals, the streaming JSON writer and
** the template engine. It knows nothing of checklists, stores or pages.
**
** OOM policy: hc_xmalloc and friends print the size and abort(). The one
** exception is the Lua allocator (engine/sandbox.c), which must return NULL
** so that Lua raises a catchable memory error.
*/
#ifndef HC_BASE_H
#define HC_BASE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <nettle/sha2.h>

#include "hazcheck.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/*
** Words for people (lang.c): _("English") is looked up in the catalogue of
** the reader's language; N_("English") only marks a string in a static table
** for the catalogue, to be passed through _() where it is printed.
*/
const char *hc_tr(const char *msgid) __attribute__((format_arg(1)));
const char *hc_trn(const char *one, const char *many, unsigned long n)
    __attribute__((format_arg(1))) __attribute__((format_arg(2)));
#define _(s) hc_tr(s)
#define N_(s) (s)

void *hc_xmalloc(size_t n);
void *hc_xcalloc(size_t n, size_t size);
void *hc_xrealloc(void *p, size_t n);
char *hc_xstrdup(const char *s);
char *hc_xstrndup(const char *s, size_t n);

/* Grow an array of 'size'-byte elements so that it holds at least 'need'. */
void hc_grow(void **array, size_t *cap, size_t need, size_t size);
#define HC_GROW(arr, cap, need) hc_grow((void **)&(arr), &(cap), (need), sizeof *(arr))

/* A growable, always NUL-terminated byte buffer. Zero-initialise to use. */
typedef struct hc_buf {
    char *data;
    size_t len, cap;
} hc_buf;

void hc_buf_grow(hc_buf *b, size_t n);     /* room for n more bytes and a NUL */
void hc_buf_puts(hc_buf *b, const char *s);

/* Inline: the output writers call these for every token. */
static inline void hc_buf_put(hc_buf *b, const void *p, size_t n)
{
    if (b->data == NULL || b->len + n + 1 > b->cap) hc_buf_grow(b, n);
    if (n) memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static inline void hc_buf_putc(hc_buf *b, char c)
{
    if (b->data == NULL || b->len + 2 > b->cap) hc_buf_grow(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}
void hc_buf_printf(hc_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void hc_buf_vprintf(hc_buf *b, const char *fmt, va_list ap);
void hc_buf_reset(hc_buf *b);
void hc_buf_free(hc_buf *b);
/* Hand the buffer's string to the caller (who frees it); the buffer is reset. */
char *hc_buf_take(hc_buf *b);

/*
** An arena: many small allocations freed together. Documents, typed answers
** and results live in arenas, so one inspection in a batch costs one free.
*/
typedef struct hc_arena hc_arena;

hc_arena *hc_arena_new(void);
void hc_arena_free(hc_arena **a);
void *hc_arena_alloc(hc_arena *a, size_t n);         /* zeroed, 16-aligned */
char *hc_arena_strndup(hc_arena *a, const char *s, size_t n);
char *hc_arena_strdup(hc_arena *a, const char *s);
char *hc_arena_printf(hc_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Read a whole file (or standard input for "-") up to 'max' bytes. */
int hc_read_file(const char *path, size_t max, char **out, size_t *len,
                 char *err, size_t errlen);

/* Bytes -> lowercase hex sha256 (65 bytes with the NUL). */
void hc_sha256_hex(const void *data, size_t len, char out[65]);

/* The same over bytes that come in pieces (a bundle read line by line). */
typedef struct sha256_ctx hc_sha256;
void hc_sha256_init(hc_sha256 *h);
void hc_sha256_update(hc_sha256 *h, const void *data, size_t len);
void hc_sha256_final_hex(hc_sha256 *h, char out[65]);
/* Bytes -> sha256 in standard base64 with padding (45 bytes with the NUL). */
void hc_sha256_base64(const void *data, size_t len, char out[45]);

/* Passwords and session tokens (secret.c, libsodium). */
#define HC_PASSWORD_HASH_MAX 128          /* crypto_pwhash_STRBYTES */
int hc_secret_init(void);                 /* 0, or -1 when no secure randomness */
int hc_password_hash(const char *password, char out[HC_PASSWORD_HASH_MAX]);   /* 0 / -1 */
int hc_password_check(const char *hash, const char *password);  /* 1 match, 0 not, -1 error */
void hc_password_burn(const char *password);   /* a check's cost, for an unknown user */
int hc_token_new(char out[65]);           /* 256 random bits as hex; 0 / -1 */
void hc_token_hash(const char *token, char out[65]);
int hc_secret_equal(const char *a, const char *b);   /* in time independent of where they differ */

/* Display width of UTF-8 text in terminal cells (CJK count two). */
size_t hc_display_width(const char *s);
size_t hc_display_width_n(const char *s, size_t n);

/* The current UTC time as 2026-09-09T10:11:12Z. */
void hc_time_now_utc(char out[21]);
/* Milliseconds on the monotonic clock, for how long something took. */
long long hc_clock_ms(void);

/* The seeded generator of the 双随机 draw (rng.c documents it so that anyone
   can repeat a draw): the same seed gives the same numbers on every machine. */
typedef struct hc_rng {
    char seed[128];
    unsigned long long counter;
} hc_rng;
void hc_rng_init(hc_rng *g, const char *seed);      /* a seed of up to 127 bytes */
size_t hc_rng_below(hc_rng *g, size_t n);           /* uniform in [0, n); 0 when n <= 1 */

/* CSV for spreadsheets: the UTF-8 byte order mark (so Excel reads Chinese
   text right) and one RFC 4180 field (quoted when it holds , " CR or LF; a
   value starting with = + - @ TAB or CR gets a leading ' so it is not run as
   a formula). */
void hc_csv_bom(FILE *f);
void hc_csv_field(FILE *f, const char *s);

/* The closest of 'names' (NULL-terminated) to 'word' if it is a plausible
   typo, else NULL. */
const char *hc_did_you_mean(const char *word, const char *const *names);

/* 1 if s is valid UTF-8 of length n. */
int hc_utf8_valid(const char *s, size_t n);


/* ------------------------------------------------- the document tree */


struct hc_doc {
    hc_arena *arena;           /* every node and string of the document */
    hc_node *root;
    char *path;
};

/* The arena of a document, for models whose memory lives as long as it. */
hc_arena *hc_doc_arena(hc_doc *d);

/* A stable text form of a subtree (kinds, lengths and bytes), for hashing. */
void hc_node_serialize(const hc_node *n, hc_buf *b);

/* Name of a node's kind for messages: "a mapping", "a sequence", "a scalar". */
const char *hc_node_kind_name(const hc_node *n);


/* ---------------------------------- a batch cut for several threads (split.c) */

/* A piece of a file: whole documents, to be read with hc_reader_open_piece. */
typedef struct hc_piece {
    char *text;                /* owned by the caller, NUL-terminated */
    size_t len;
    unsigned line;             /* its first line in the file, 1-based */
    size_t offset;             /* its first byte in the file */
} hc_piece;

typedef struct hc_splitter hc_splitter;

/* path "-" reads standard input (named "<stdin>"); a piece is cut once it has
   'target' bytes, at the next document start. NULL and a diagnostic on failure. */
hc_splitter *hc_splitter_open(const char *path, size_t target, hc_diags *d);
/* The same over a caller-owned open file, read from where it stands. */
hc_splitter *hc_splitter_open_stream(const char *name, FILE *f, size_t target);
/* What messages call the file. */
const char *hc_splitter_name(const hc_splitter *s);
/* 1: *p is the next piece; 0: end of file; -1: a read error (diagnosed). */
int hc_splitter_next(hc_splitter *s, hc_piece *p, hc_diags *d);
void hc_splitter_close(hc_splitter **s);


/* ------------------------------------------- trees built in code (tree.c) */

/* A document whose root is an empty mapping, to be filled by a reader and
   freed with hc_doc_free. 'name' stands for its path in messages. */
hc_doc *hc_doc_new(const char *name);
/* A detached node of the document (a scalar is the empty plain scalar, null). */
hc_node *hc_tree_node(hc_doc *d, hc_node_kind kind);
/* Add 'value' (a node of d) under 'key' to a mapping, or at the end of a
   sequence (key ignored); returns value. Keys are not checked for repeats. */
hc_node *hc_tree_add(hc_doc *d, hc_node *parent, const char *key, hc_node *value);
hc_node *hc_add_map(hc_doc *d, hc_node *parent, const char *key);
hc_node *hc_add_seq(hc_doc *d, hc_node *parent, const char *key);
hc_node *hc_add_str(hc_doc *d, hc_node *parent, const char *key, const char *s); /* NULL: null */
hc_node *hc_add_strn(hc_doc *d, hc_node *parent, const char *key, const char *s, size_t n);
hc_node *hc_add_num(hc_doc *d, hc_node *parent, const char *key, double x);
hc_node *hc_add_int(hc_doc *d, hc_node *parent, const char *key, long long x);
hc_node *hc_add_bool(hc_doc *d, hc_node *parent, const char *key, int b);
hc_node *hc_add_null(hc_doc *d, hc_node *parent, const char *key);
/* A deep copy of n (of any document) into d. */
hc_node *hc_tree_copy(hc_doc *d, const hc_node *n);

/* A tree built in the order of the JSON writer's calls (begin, key, value,
   end), for code that lays out nested data top to bottom. The first value
   begun becomes the document's root. */
typedef struct hc_builder {
    hc_doc *doc;
    hc_node *stack[64];
    int depth;
    const char *key;
} hc_builder;
void hc_builder_init(hc_builder *b, hc_doc *doc);
void hc_builder_begin_object(hc_builder *b);
void hc_builder_begin_array(hc_builder *b);
void hc_builder_end(hc_builder *b);
void hc_builder_key(hc_builder *b, const char *k);
void hc_builder_string(hc_builder *b, const char *s);     /* NULL: null */
void hc_builder_number(hc_builder *b, double x);
void hc_builder_bool(hc_builder *b, int v);

/* --------------------------------------------------------- JSON writer */

#include <stdio.h>


/* Writes go to 'buf'; the whole value reaches 'f' when the outermost value closes
   (one fwrite per inspection instead of one locked stdio call per token). */
typedef struct hc_json {
    FILE *f;
    hc_buf buf;
    int pretty;
    int depth;
    int first[64];        /* nothing written yet at this depth */
    int after_key;
} hc_json;

/* With f NULL the text stays in j->buf for the caller to take (hc_buf_take). */
void hc_json_init(hc_json *j, FILE *f, int pretty);
void hc_json_begin_object(hc_json *j);
void hc_json_end_object(hc_json *j);
void hc_json_begin_array(hc_json *j);
void hc_json_end_array(hc_json *j);
void hc_json_key(hc_json *j, const char *k);
void hc_json_string(hc_json *j, const char *s);       /* NULL writes null */
void hc_json_string_n(hc_json *j, const char *s, size_t n);
void hc_json_number(hc_json *j, double x);
void hc_json_integer(hc_json *j, long long x);
void hc_json_bool(hc_json *j, int b);
void hc_json_null(hc_json *j);

/* A typed answer value. */
void hc_json_value(hc_json *j, const hc_value *v);

/* A document subtree, scalars typed by the core schema. */
void hc_json_node(hc_json *j, const hc_node *n);

/* A document subtree as JSON text (malloc'd; caller frees). */
char *hc_node_json(const hc_node *n);

/* x as JSON writes it (shortest exact form; integers without a point; null
   when not finite) into out; returns the length. */
size_t hc_json_format_number(double x, char out[32]);

/* Append s as a JSON string literal (quotes included) to b. */
void hc_json_quote(hc_buf *b, const char *s, size_t n);


/* ------------------------------------------------------------ templates */
/*
** template.c: HTML reports from Mustache templates over the document tree.
**
** The subset: {{name}} (HTML-escaped), {{{name}}} and {{& name}} (raw),
** {{#name}}...{{/name}} sections, {{^name}}...{{/name}} inverted sections,
** {{! comments }}, dotted names (a.b.c) and {{.}} for the current item, with
** the Mustache spec's standalone-line rule. Partials, lambdas, delimiter
** changes and template inheritance are refused with an error.
**
** Values: a scalar renders as its text as written (1.50 stays 1.50); null,
** a missing name, a mapping and a sequence render as nothing. Falsy for
** sections: missing, null, false, "" and []; everything else (0, {}, the
** quoted string "false") is truthy.
*/


#define HC_TEMPLATE_MAX_DEPTH  32                    /* nesting of sections */
#define HC_TEMPLATE_MAX_OUTPUT ((size_t)64 << 20)    /* bytes one render may add */
#define HC_TEMPLATE_MAX_WORK   ((size_t)1 << 30)     /* tags, iterations, keys compared */

/*
** Render template 'tpl' ('len' bytes, need not be NUL-terminated) over
** 'data' (may be NULL), appending to 'out'. 'name' names the template in
** diagnostics ("name:line:col: message", columns in characters).
**
** Returns 0, or -1 with one diagnostic: a malformed template (found before
** anything is rendered) or a broken limit. On -1, 'out' is left as it was.
*/
int hc_template_render(const char *tpl, size_t len, const char *name, const hc_node *data,
                       hc_buf *out, hc_diags *d);

/* The same with explicit bounds on the bytes added and the work done. */
int hc_template_render_limits(const char *tpl, size_t len, const char *name,
                              const hc_node *data, size_t max_output, size_t max_work,
                              hc_buf *out, hc_diags *d);


#endif
