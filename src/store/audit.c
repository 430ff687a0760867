/*
** audit.c: the append-only, hash-chained event log and `audit verify`.
**
** Every change to the closed loop writes an event in the same transaction.
** Each event's hash covers the previous hash and every field of the event,
** length-prefixed, so altering, inserting or removing any row breaks the
** chain after it; meta.head keeps the last hash, so a cut tail is found too.
** Since schema 4 an event also carries the digests of the rows it wrote
** (rows.c), so verify proves the tables as well as the log.
*/
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "store/store.h"

void hc_store_uid(char out[33])
{
    unsigned char b[16];
    if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b) {
        /* no entropy source: time and address still make a collision unlikely */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        for (size_t i = 0; i < sizeof b; i++)
            b[i] = (unsigned char)((ts.tv_nsec >> (i % 8 * 8)) ^ ((uintptr_t)out >> (i % 8)) ^ i);
    }
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < sizeof b; i++) {
        out[2 * i] = hex[b[i] >> 4];
        out[2 * i + 1] = hex[b[i] & 15];
    }
    out[32] = '\0';
}

/* Length-prefixed fields, so no two events share one. */
void hc_store_event_hash(const char *prev, const char *uid, const char *at, const char *by,
                         const char *kind, const char *subject, const char *site,
                         const char *note, const char *data, const char *rows, char out[65])
{
    hc_buf b = {0};
    const char *f[] = {prev, uid, at, by, kind, subject, site, note, data};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        if (f[i]) hc_buf_printf(&b, "%zu:%s;", strlen(f[i]), f[i]);
        else hc_buf_puts(&b, "-;");
    }
    /* only when present: the events written before schema 4 keep their hashes */
    if (rows) hc_buf_printf(&b, "rows%zu:%s;", strlen(rows), rows);
    hc_sha256_hex(b.data, b.len, out);
    hc_buf_free(&b);
}

static const char GENESIS[] = "0000000000000000000000000000000000000000000000000000000000000000";

static int append(hc_store *s, const char *uid, const char *at, const char *by, const char *kind,
                  const char *subject, const char *site, const char *note, const char *data,
                  const char *rows, hc_diags *d)
{
    char prev[65] = "";
    hc_stmt *st = hc_store_stmt(s, "SELECT hash FROM events ORDER BY seq DESC LIMIT 1", d);
    if (st == NULL) return -1;
    int rc = hc_sql_step(st);
    if (rc == HC_SQL_ROW) snprintf(prev, sizeof prev, "%s", hc_sql_text(st, 0));
    else if (rc == HC_SQL_DONE) snprintf(prev, sizeof prev, "%s", GENESIS);
    else return hc_store_error(s, d, "reading the event log");
    hc_sql_reset(st);
    char hash[65];
    hc_store_event_hash(prev, uid, at, by, kind, subject, site, note, data, rows, hash);
    st = hc_store_stmt(s, "INSERT INTO events (uid, at, \"by\", kind, subject, site_id, note, data, "
                          "prev_hash, hash, rows) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", d);
    if (st == NULL) return -1;
    const char *v[] = {uid, at, by, kind, subject, site, note, data, prev, hash, rows};
    for (int i = 0; i < 11; i++) hc_sql_bind_text(st, i + 1, v[i]);
    if (hc_sql_step(st) != HC_SQL_DONE) return hc_store_error(s, d, "writing an event");
    st = hc_store_stmt(s, "INSERT INTO meta (key, value) VALUES ('head', ?) "
                          "ON CONFLICT (key) DO UPDATE SET value = excluded.value", d);
    if (st == NULL) return -1;
    hc_sql_bind_text(st, 1, hash);
    if (hc_sql_step(st) != HC_SQL_DONE) return hc_store_error(s, d, "writing the chain head");
    return 0;
}

/* An imported event vouches for no row here: the rows of another database
   are not ours (the import's own event vouches for what it wrote). */
int hc_store_append_event(hc_store *s, const char *uid, const char *at, const char *by,
                          const char *kind, const char *subject, const char *site,
                          const char *note, const char *data, hc_diags *d)
{
    return append(s, uid, at, by, kind, subject, site, note, data, NULL, d);
}

int hc_store_event(hc_store *s, const char *kind, const char *subject, const char *site,
                   const char *note, const char *data, hc_diags *d)
{
    char uid[33], at[21];
    hc_store_uid(uid);
    hc_time_now_utc(at);
    hc_buf rows = {0};
    int rc = hc_store_touched_rows(s, &rows, d);
    if (rc == 0)
        rc = append(s, uid, at, s->actor, kind, subject, site, note, data, rows.len ? rows.data : NULL, d);
    hc_buf_free(&rows);
    return rc;
}

/* A database from before schema 4: its events vouched for no row, so one
   event vouches for every row as it stands when migrated. */
int hc_store_audit_baseline(hc_store *s, hc_diags *d)
{
    static const char *const keys[HC_ROWS_N] = {
        [HC_ROWS_SITES] = "SELECT id FROM sites ORDER BY id",
        [HC_ROWS_INSPECTIONS] = "SELECT id FROM inspections ORDER BY id",
        [HC_ROWS_FINDINGS] = "SELECT DISTINCT inspection_id FROM findings ORDER BY inspection_id",
        [HC_ROWS_ACTIONS] = "SELECT uid FROM actions ORDER BY uid",
        [HC_ROWS_ENFORCEMENT] = "SELECT uid FROM enforcement ORDER BY uid",
        [HC_ROWS_USERS] = "SELECT name FROM users ORDER BY name",
    };
    long n = 0;
    for (int t = 0; t < HC_ROWS_N; t++) {
        hc_stmt *st = hc_sql_prepare(s, keys[t], d);
        if (st == NULL) return -1;
        int rc;
        while ((rc = hc_sql_step(st)) == HC_SQL_ROW) {
            hc_store_touch(s, (hc_rows_table)t, hc_sql_text(st, 0));
            n++;
        }
        hc_sql_finalize(st);
        if (rc != HC_SQL_DONE) {
            hc_store_untouch(s);
            return hc_store_error(s, d, "reading the tables for the audit baseline");
        }
    }
    if (n == 0) return 0;
    char data[64];
    snprintf(data, sizeof data, "{\"rows\":%ld}", n);
    return hc_store_event(s, "audit.baseline", "schema 4", NULL,
                          "rows as they stood when the event log began to cover the tables", data, d);
}

/* The tail: the head kept in meta must be the last event's hash (a cut tail
   leaves the chain valid). 0 intact, 1 cut (named), -1 error. */
static int chain_tail(hc_store *s, const char *last, long long n, long long next, hc_diags *d)
{
    hc_stmt *h = hc_store_stmt(s, "SELECT value FROM meta WHERE key = 'head'", d);
    if (h == NULL) return -1;
    int got = hc_store_row(s, h, d);
    if (got < 0) return -1;
    int bad = 0;
    if (got == 1) {
        const char *head = hc_sql_text(h, 0);
        if (n == 0 || head == NULL || strcmp(head, last) != 0) {
            hc_diags_add(d, HC_ERROR, s->path, 0, 0,
                         "audit: event %lld is bad: events after it were removed", next);
            bad = 1;
        }
    } else if (n > 0) {
        hc_diags_add(d, HC_ERROR, s->path, 0, 0,
                     "audit: the chain head is missing: the log's tail cannot be checked");
        bad = 1;
    }
    hc_sql_reset(h);
    return bad;
}

int hc_store_audit(hc_store *s, long long *events, hc_diags *d)
{
    hc_stmt *st = hc_sql_prepare(s, "SELECT seq, uid, at, \"by\", kind, subject, site_id, note, data, "
                                    "prev_hash, hash, rows FROM events ORDER BY seq", d);
    if (st == NULL) return -1;
    hc_rows_expect *want = hc_rows_expect_new();
    char prev[65];
    snprintf(prev, sizeof prev, "%s", GENESIS);
    long long n = 0, expect_seq = 1;
    int bad = 0, rc;
    while ((rc = hc_sql_step(st)) == HC_SQL_ROW) {
        long long seq = hc_sql_int(st, 0);
        const char *c[12];
        for (int i = 1; i < 12; i++) c[i] = hc_sql_text(st, i);
        char hash[65];
        hc_store_event_hash(prev, c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[11], hash);
        const char *why = NULL;
        if (seq != expect_seq) why = "an event before it is missing";
        else if (c[9] == NULL || strcmp(c[9], prev) != 0) why = "it does not follow the event before it";
        else if (c[10] == NULL || strcmp(c[10], hash) != 0) why = "its contents were altered";
        else if (c[11] && hc_rows_expect_event(want, seq, c[11]) != 0) why = "its rows cannot be read";
        if (why) {
            hc_diags_add(d, HC_ERROR, s->path, 0, 0, "audit: event %lld (%s %s) is bad: %s", seq,
                         c[4] ? c[4] : "?", c[5] ? c[5] : "?", why);
            bad = 1;
            break;
        }
        snprintf(prev, sizeof prev, "%s", hash);
        expect_seq = seq + 1;
        n++;
    }
    hc_sql_finalize(st);
    if (rc != HC_SQL_ROW && rc != HC_SQL_DONE) {
        hc_rows_expect_free(&want);
        return hc_store_error(s, d, "reading the event log");
    }
    int result = bad ? 1 : chain_tail(s, prev, n, expect_seq, d);
    /* the tables must be what the log says it wrote */
    if (result == 0) result = hc_rows_verify(s, want, d);
    /* every recorded 双随机 draw must come out the same when drawn again */
    if (result == 0) result = hc_plan_audit(s, d);
    hc_rows_expect_free(&want);
    if (events) *events = n;
    return result;
}
