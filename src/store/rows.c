/*
** rows.c: the digests of the rows the event log vouches for.
**
** The chain alone proves only that the log was not edited; people read the
** tables (stats, actions, reports), and the sqlite3 shell can edit those. So
** every event also carries, hashed into the chain, the digest of each row
** its change left behind: writers name the rows they wrote (hc_store_touch)
** and hc_store_event digests them, as they are at that moment, into the
** event's `rows`. Replaying the log is then folding those digests, last
** write wins, and `audit verify` compares the fold with the tables: a row
** whose digest differs was edited, a row no event wrote was inserted, a row
** an event wrote that is gone was deleted.
**
** A row's digest is SHA-256 over "name=len:value;" for its non-NULL columns
** in table order: a column added later as NULL leaves old digests as they
** were. The findings of an inspection are digested together (they are
** written once, together, with the inspection), which keeps a recording's
** event at one digest per table instead of one per item.
**
** `rows` is length-prefixed text, "len:table;len:key;digest;" per row, so a
** key may hold any byte. Databases from before schema 4 get one
** audit.baseline event vouching for every row as it stood when migrated.
*/
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

static const struct covered {
    const char *table;
    const char *noun;    /* how verify names a key of it */
    const char *all;     /* key first, then every column; grouped by key */
    const char *one;
} covered[HC_ROWS_N] = {
    [HC_ROWS_SITES] = {"sites", N_("site"), "SELECT id, * FROM sites ORDER BY id",
                       "SELECT id, * FROM sites WHERE id = ?1"},
    [HC_ROWS_INSPECTIONS] = {"inspections", N_("inspection"), "SELECT id, * FROM inspections ORDER BY id",
                             "SELECT id, * FROM inspections WHERE id = ?1"},
    [HC_ROWS_FINDINGS] = {"findings", N_("the findings of inspection"),
                          "SELECT inspection_id, * FROM findings ORDER BY inspection_id, item",
                          "SELECT inspection_id, * FROM findings WHERE inspection_id = ?1 ORDER BY item"},
    [HC_ROWS_ACTIONS] = {"actions", N_("action"), "SELECT uid, * FROM actions ORDER BY uid",
                         "SELECT uid, * FROM actions WHERE uid = ?1"},
    [HC_ROWS_ENFORCEMENT] = {"enforcement", N_("enforcement measure"),
                             "SELECT uid, * FROM enforcement ORDER BY uid",
                             "SELECT uid, * FROM enforcement WHERE uid = ?1"},
    /* a role raised in the sqlite3 shell is found like a penalty lowered there */
    [HC_ROWS_USERS] = {"users", N_("user"), "SELECT name, * FROM users ORDER BY name",
                       "SELECT name, * FROM users WHERE name = ?1"},
};

/* A length in decimal: every column of every row the log vouches for has
   one, on every write and in `audit verify` (printf was the cost). */
static void put_length(hc_buf *b, size_t v)
{
    char tmp[24];
    size_t i = sizeof tmp;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    hc_buf_put(b, tmp + i, sizeof tmp - i);
}

/* One row's columns (after the key) as "name=len:value;" into b. */
static void encode_row(hc_stmt *st, hc_buf *b, int on_pg)
{
    int n = hc_sql_column_count(st);
    hc_buf_putc(b, '|');
    for (int i = 1; i < n; i++) {
        /* PostgreSQL's rowid is a column (schema_pg.c), SQLite's is not: neither is the row's */
        if (hc_sql_is_null(st, i)) continue;
        if (on_pg && strcmp(hc_sql_column_name(st, i), "rowid") == 0) continue;
        const char *v = hc_sql_text(st, i);
        int len = hc_sql_bytes(st, i);
        hc_buf_puts(b, hc_sql_column_name(st, i));
        hc_buf_putc(b, '=');
        put_length(b, (size_t)len);
        hc_buf_putc(b, ':');
        hc_buf_put(b, v ? v : "", (size_t)len);
        hc_buf_putc(b, ';');
    }
}

void hc_store_touch(hc_store *s, hc_rows_table t, const char *key)
{
    hc_buf_putc(&s->touched, (char)('0' + t));
    hc_buf_put(&s->touched, key, strlen(key) + 1);
}

void hc_store_untouch(hc_store *s)
{
    hc_buf_reset(&s->touched);
}

/* The digest of the rows of table t under key as they are now ("-" when
   there are none); 0, or -1 on a database error. */
static int digest_now(hc_store *s, hc_rows_table t, const char *key, char out[65], hc_diags *d)
{
    hc_stmt *st = hc_store_stmt(s, covered[t].one, d);
    if (st == NULL) return -1;
    hc_sql_bind_text(st, 1, key);
    hc_buf b = {0};
    int rc, rows = 0;
    while ((rc = hc_sql_step(st)) == HC_SQL_ROW) {
        encode_row(st, &b, s->pg.conn != NULL);
        rows++;
    }
    hc_sql_reset(st);
    if (rc != HC_SQL_DONE) {
        hc_buf_free(&b);
        return hc_store_error(s, d, "reading a row for the event log");
    }
    if (rows) hc_sha256_hex(b.data, b.len, out);
    else snprintf(out, 65, "-");
    hc_buf_free(&b);
    return 0;
}

int hc_store_touched_rows(hc_store *s, hc_buf *rows, hc_diags *d)
{
    const char *p = s->touched.data, *end = p + s->touched.len;
    int rc = 0;
    while (rc == 0 && p && p < end) {
        hc_rows_table t = (hc_rows_table)(*p - '0');
        const char *key = p + 1;
        char dg[65];
        rc = digest_now(s, t, key, dg, d);
        if (rc == 0)
            hc_buf_printf(rows, "%zu:%s;%zu:%s;%s;", strlen(covered[t].table), covered[t].table,
                          strlen(key), key, dg);
        p = key + strlen(key) + 1;
    }
    hc_store_untouch(s);
    return rc;
}

/* ------------------------------------------------------------ verifying */

typedef struct rowmark {
    int table;
    char *key;
    char digest[65];
    long long seq;           /* the event that wrote it; 0 for a row as found */
} rowmark;

typedef struct marks {
    rowmark *v;
    size_t n, cap;
} marks;

static void marks_add(marks *m, int table, const char *key, size_t klen, const char *dg,
                      long long seq)
{
    if (m->n == m->cap) {
        m->cap = m->cap ? 2 * m->cap : 256;
        m->v = hc_xrealloc(m->v, m->cap * sizeof *m->v);
    }
    rowmark *r = &m->v[m->n++];
    r->table = table;
    r->key = hc_xstrndup(key, klen);
    snprintf(r->digest, sizeof r->digest, "%s", dg);
    r->seq = seq;
}

static void marks_free(marks *m)
{
    for (size_t i = 0; i < m->n; i++) free(m->v[i].key);
    free(m->v);
    memset(m, 0, sizeof *m);
}

static int mark_cmp(const void *a, const void *b)
{
    const rowmark *x = a, *y = b;
    if (x->table != y->table) return x->table < y->table ? -1 : 1;
    int c = strcmp(x->key, y->key);
    if (c) return c;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

struct hc_rows_expect {
    marks m;
};

hc_rows_expect *hc_rows_expect_new(void)
{
    return hc_xcalloc(1, sizeof(hc_rows_expect));
}

void hc_rows_expect_free(hc_rows_expect **e)
{
    if (*e == NULL) return;
    marks_free(&(*e)->m);
    free(*e);
    *e = NULL;
}

/* One length-prefixed field at *p: its text and length; NULL when malformed. */
static const char *field(const char **p, const char *end, size_t *len)
{
    char *colon;
    unsigned long long n = strtoull(*p, &colon, 10);
    if (colon == *p || colon >= end || *colon != ':' || n > (size_t)(end - colon - 1)) return NULL;
    const char *v = colon + 1;
    if (v[n] != ';') return NULL;
    *len = (size_t)n;
    *p = v + n + 1;
    return v;
}

int hc_rows_expect_event(hc_rows_expect *e, long long seq, const char *rows)
{
    const char *p = rows, *end = rows + strlen(rows);
    while (p < end) {
        size_t tl, kl;
        const char *t = field(&p, end, &tl);
        const char *k = t ? field(&p, end, &kl) : NULL;
        const char *semi = k ? memchr(p, ';', (size_t)(end - p)) : NULL;
        if (semi == NULL || semi - p > 64) return -1;
        int table = -1;
        for (int i = 0; i < HC_ROWS_N; i++)
            if (strlen(covered[i].table) == tl && memcmp(covered[i].table, t, tl) == 0) table = i;
        if (table < 0) return -1;
        char dg[65];
        memcpy(dg, p, (size_t)(semi - p));
        dg[semi - p] = '\0';
        marks_add(&e->m, table, k, kl, dg, seq);
        p = semi + 1;
    }
    return 0;
}

/* Every covered row as it is now, one mark per key. */
static int rows_now(hc_store *s, marks *m, hc_diags *d)
{
    for (int t = 0; t < HC_ROWS_N; t++) {
        hc_stmt *st = hc_sql_prepare(s, covered[t].all, d);
        if (st == NULL) return -1;
        hc_buf b = {0};
        char *key = NULL;
        int rc;
        while ((rc = hc_sql_step(st)) == HC_SQL_ROW) {
            const char *k = hc_sql_text(st, 0);
            if (k == NULL) k = "";
            if (key && strcmp(key, k) != 0) {
                char dg[65];
                hc_sha256_hex(b.data, b.len, dg);
                marks_add(m, t, key, strlen(key), dg, 0);
                hc_buf_reset(&b);
                free(key);
                key = NULL;
            }
            if (key == NULL) key = hc_xstrdup(k);
            encode_row(st, &b, s->pg.conn != NULL);
        }
        if (key) {
            char dg[65];
            hc_sha256_hex(b.data, b.len, dg);
            marks_add(m, t, key, strlen(key), dg, 0);
        }
        free(key);
        hc_buf_free(&b);
        hc_sql_finalize(st);
        if (rc != HC_SQL_DONE) return hc_store_error(s, d, "reading the tables");
    }
    return 0;
}

/* Whether mark i is overwritten by a later write of the same row (the marks
   sorted by table, key, seq): replaying keeps the last write only. */
static int overwritten(const marks *m, size_t i)
{
    return i + 1 < m->n && m->v[i + 1].table == m->v[i].table &&
           strcmp(m->v[i + 1].key, m->v[i].key) == 0;
}

int hc_rows_verify(hc_store *s, hc_rows_expect *e, hc_diags *d)
{
    marks now = {0};
    if (rows_now(s, &now, d) != 0) {
        marks_free(&now);
        return -1;
    }
    marks *want = &e->m;
    if (want->n) qsort(want->v, want->n, sizeof *want->v, mark_cmp);
    if (now.n) qsort(now.v, now.n, sizeof *now.v, mark_cmp);
    size_t i = 0, j = 0, differ = 0;
    const rowmark *first = NULL, *first_want = NULL;
    const char *why = NULL;
    while (i < want->n || j < now.n) {
        if (i < want->n && overwritten(want, i)) {
            i++;
            continue;
        }
        int c = i == want->n ? 1 : j == now.n ? -1 : mark_cmp(&(rowmark){want->v[i].table, want->v[i].key, "", 0},
                                                                &(rowmark){now.v[j].table, now.v[j].key, "", 0});
        const char *w_why = NULL;
        const rowmark *row = NULL, *wrote = NULL;
        if (c < 0) {                   /* written by the log, not in the table */
            if (strcmp(want->v[i].digest, "-") != 0) {
                w_why = "deleted";
                row = wrote = &want->v[i];
            }
            i++;
        } else if (c > 0) {            /* in the table, written by no event */
            w_why = "inserted";
            row = &now.v[j];
            j++;
        } else {
            if (strcmp(want->v[i].digest, now.v[j].digest) != 0) {
                w_why = strcmp(want->v[i].digest, "-") == 0 ? "inserted" : "edited";
                row = &now.v[j];
                wrote = &want->v[i];
            }
            i++;
            j++;
        }
        if (w_why) {
            if (differ++ == 0) {
                first = row;
                first_want = wrote;
                why = w_why;
            }
        }
    }
    if (differ) {
        const char *noun = _(covered[first->table].noun);
        if (strcmp(why, "edited") == 0)
            hc_diags_add(d, HC_ERROR, s->path, 0, 0,
                         "audit: %s '%s' is not what event %lld wrote: it was changed outside "
                         "hazcheck",
                         noun, first->key, first_want->seq);
        else if (strcmp(why, "deleted") == 0)
            hc_diags_add(d, HC_ERROR, s->path, 0, 0,
                         "audit: %s '%s', written by event %lld, is missing: it was deleted "
                         "outside hazcheck",
                         noun, first->key, first_want->seq);
        else
            hc_diags_add(d, HC_ERROR, s->path, 0, 0,
                         "audit: %s '%s' was written by no event: it was added outside hazcheck",
                         noun, first->key);
        if (differ > 1)
            hc_diags_add(d, HC_ERROR, s->path, 0, 0, "audit: %zu more rows differ from the event log",
                         differ - 1);
    }
    marks_free(&now);
    return differ ? 1 : 0;
}
