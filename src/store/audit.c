/*
** audit.c: the append-only, hash-chained event log and `audit verify`.
**
** Every change to the closed loop writes an event in the same transaction.
** Each event's hash covers the previous hash and every field of the event,
** length-prefixed, so altering, inserting or removing any row breaks the
** chain after it; meta.head keeps the last hash, so a cut tail is found too.
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

/* The chained hash of an event: length-prefixed fields, so no two events share one. */
static void event_hash(const char *prev, const char *uid, const char *at, const char *by,
                       const char *kind, const char *subject, const char *site,
                       const char *note, const char *data, char out[65])
{
    hc_buf b = {0};
    const char *f[] = {prev, uid, at, by, kind, subject, site, note, data};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        if (f[i]) hc_buf_printf(&b, "%zu:%s;", strlen(f[i]), f[i]);
        else hc_buf_puts(&b, "-;");
    }
    hc_sha256_hex(b.data, b.len, out);
    hc_buf_free(&b);
}

static const char GENESIS[] = "0000000000000000000000000000000000000000000000000000000000000000";

int hc_store_append_event(hc_store *s, const char *uid, const char *at, const char *by,
                          const char *kind, const char *subject, const char *site,
                          const char *note, const char *data, hc_diags *d)
{
    char prev[65] = "";
    sqlite3_stmt *st = hc_store_stmt(s, "SELECT hash FROM events ORDER BY seq DESC LIMIT 1", d);
    if (st == NULL) return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) snprintf(prev, sizeof prev, "%s", (const char *)sqlite3_column_text(st, 0));
    else if (rc == SQLITE_DONE) snprintf(prev, sizeof prev, "%s", GENESIS);
    else return hc_store_error(s, d, "reading the event log");
    sqlite3_reset(st);
    char hash[65];
    event_hash(prev, uid, at, by, kind, subject, site, note, data, hash);
    st = hc_store_stmt(s, "INSERT INTO events (uid, at, by, kind, subject, site_id, note, data, "
                          "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", d);
    if (st == NULL) return -1;
    const char *v[] = {uid, at, by, kind, subject, site, note, data, prev, hash};
    for (int i = 0; i < 10; i++) hc_bind_text(st, i + 1, v[i]);
    if (sqlite3_step(st) != SQLITE_DONE) return hc_store_error(s, d, "writing an event");
    st = hc_store_stmt(s, "INSERT INTO meta (key, value) VALUES ('head', ?) "
                          "ON CONFLICT (key) DO UPDATE SET value = excluded.value", d);
    if (st == NULL) return -1;
    hc_bind_text(st, 1, hash);
    if (sqlite3_step(st) != SQLITE_DONE) return hc_store_error(s, d, "writing the chain head");
    return 0;
}

int hc_store_event(hc_store *s, const char *kind, const char *subject, const char *site,
                   const char *note, const char *data, hc_diags *d)
{
    char uid[33], at[21];
    hc_store_uid(uid);
    hc_time_now_utc(at);
    return hc_store_append_event(s, uid, at, s->actor, kind, subject, site, note, data, d);
}

int hc_store_audit(hc_store *s, long long *events, hc_diags *d)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT seq, uid, at, by, kind, subject, site_id, note, data, "
                                  "prev_hash, hash FROM events ORDER BY seq", -1, &st, NULL) != SQLITE_OK)
        return hc_store_error(s, d, "reading the event log");
    char prev[65];
    snprintf(prev, sizeof prev, "%s", GENESIS);
    long long n = 0, expect_seq = 1;
    int bad = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long long seq = sqlite3_column_int64(st, 0);
        const char *c[11];
        for (int i = 1; i < 11; i++) c[i] = (const char *)sqlite3_column_text(st, i);
        char hash[65];
        event_hash(prev, c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], hash);
        const char *why = NULL;
        if (seq != expect_seq) why = "an event before it is missing";
        else if (c[9] == NULL || strcmp(c[9], prev) != 0) why = "it does not follow the event before it";
        else if (c[10] == NULL || strcmp(c[10], hash) != 0) why = "its contents were altered";
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
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return hc_store_error(s, d, "reading the event log");
    if (!bad) {
        /* the tail: the head kept in meta must be the last event's hash */
        sqlite3_stmt *h = hc_store_stmt(s, "SELECT value FROM meta WHERE key = 'head'", d);
        if (h == NULL) return -1;
        int got = hc_store_row(s, h, d);
        if (got < 0) return -1;
        if (got == 1) {
            const char *head = (const char *)sqlite3_column_text(h, 0);
            if (n == 0 || head == NULL || strcmp(head, prev) != 0) {
                hc_diags_add(d, HC_ERROR, s->path, 0, 0,
                             "audit: event %lld is bad: events after it were removed", expect_seq);
                bad = 1;
            }
        } else if (n > 0) {
            hc_diags_add(d, HC_ERROR, s->path, 0, 0,
                         "audit: the chain head is missing: the log's tail cannot be checked");
            bad = 1;
        }
        sqlite3_reset(h);
    }
    if (!bad) {
        /* every recorded 双随机 draw must come out the same when drawn again */
        int drawn = hc_plan_audit(s, d);
        if (drawn < 0) return -1;
        bad = drawn;
    }
    if (events) *events = n;
    return bad;
}
