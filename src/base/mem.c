/*
** mem.c: checked allocation, growable buffers and arenas.
**
** OOM policy: hc_xmalloc and friends print the size and abort(); the one
** exception is the Lua allocator (engine/sandbox.c), which must return NULL
** so that Lua raises a catchable memory error.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

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
    /* write into the room there is; only if it did not fit, grow and write
       again (formatting twice every time cost the writers of the event log) */
    hc_buf_grow(b, 64);
    va_list cp;
    va_copy(cp, ap);
    size_t room = b->cap - b->len;
    int n = vsnprintf(b->data + b->len, room, fmt, cp);   /* NOLINT(clang-analyzer-valist.Uninitialized): va_copy above */
    va_end(cp);
    if (n < 0) {
        b->data[b->len] = '\0';
        return;
    }
    if ((size_t)n >= room) {
        hc_buf_grow(b, (size_t)n);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    }
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

