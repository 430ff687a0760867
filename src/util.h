/*
** util.h: the small things every module needs: checked allocation, a growable
** byte buffer, an arena for document-lifetime memory, and diagnostics.
**
** OOM policy: hc_xmalloc and friends print the size and abort(). The one
** exception is the Lua allocator (sandbox.c), which must return NULL so that
** Lua raises a catchable memory error.
*/
#ifndef HC_UTIL_H
#define HC_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "hazcheck.h"

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

/* Display width of UTF-8 text in terminal cells (CJK count two). */
size_t hc_display_width(const char *s);
size_t hc_display_width_n(const char *s, size_t n);

/* CSV for spreadsheets: the UTF-8 byte order mark (so Excel reads Chinese
   text right) and one RFC 4180 field (quoted when it holds , " CR or LF; a
   value starting with = + - @ TAB or CR gets a leading ' so it is not run as
   a formula). */
void hc_csv_bom(FILE *f);
void hc_csv_field(FILE *f, const char *s);

/* 1 if s is valid UTF-8 of length n. */
int hc_utf8_valid(const char *s, size_t n);

#endif
