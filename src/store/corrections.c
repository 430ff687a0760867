/*
** corrections.c: mistakes corrected by logged events (cli.md "Corrections").
**
** Nothing recorded is deleted. A void marks the row (voided_at, void_reason)
** and writes an event with the reason; readers leave voided rows out of the
** figures, the open actions, the plan and the site's status, and show them
** marked wherever the record itself appears. A void is final: there is no
** un-void, a mistaken void is corrected by recording again.
**
** Voiding an inspection voids its actions with it. A re-inspection moved
** actions of the inspection it re-checked (verified them, kept them open);
** a void cannot rewind that history, so voiding a re-inspection that moved
** any is refused, and so is voiding an inspection whose re-inspections still
** stand (void those first).
**
** An amendment (record.c) is a void of the inspection it corrects that keeps
** the actions the corrected inspection carries over.
*/
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

int hc_need_reason(const char *reason, hc_diags *d)
{
    if (reason && reason[strspn(reason, " \t")]) return 0;
    hc_diags_add(d, HC_ERROR, NULL, 0, 0, "a correction needs a reason");
    return -1;
}

/* Mark one row of 'sql' (?1 key, ?2 time, ?3 reason) void and vouch for it. */
static int mark(hc_store *s, const char *sql, hc_rows_table t, const char *key, const char *now,
                const char *reason, hc_diags *d)
{
    hc_stmt *st = hc_store_stmt(s, sql, d);
    if (st == NULL) return -1;
    hc_sql_bind_text(st, 1, key);
    hc_sql_bind_text(st, 2, now);
    hc_sql_bind_text(st, 3, reason);
    if (hc_sql_step(st) != HC_SQL_DONE) return hc_store_error(s, d, "marking the record void");
    hc_store_touch(s, t, key);
    return 0;
}

static int count_of(hc_store *s, const char *sql, const char *key, long long *n, hc_diags *d)
{
    hc_stmt *st = hc_store_stmt(s, sql, d);
    if (st == NULL) return -1;
    hc_sql_bind_text(st, 1, key);
    int got = hc_store_row(s, st, d);
    if (got < 0) return -1;
    *n = got ? hc_sql_int(st, 0) : 0;
    hc_sql_reset(st);
    return 0;
}

/* 1 if 'uid' is one of keep[0..n). */
static int kept(const char *uid, const char *const *keep, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(uid, keep[i]) == 0) return 1;
    return 0;
}

int hc_inspection_void_tx(hc_store *s, const char *id, const char *reason, const char *amended_by,
                          const char *const *keep, size_t nkeep, size_t *voided, hc_diags *d)
{
    hc_stmt *st = hc_store_stmt(s, "SELECT site_id, kind, voided_at FROM inspections WHERE id = ?", d);
    if (st == NULL) return -1;
    hc_sql_bind_text(st, 1, id);
    int got = hc_store_row(s, st, d);
    if (got <= 0) {
        if (got == 0) hc_diags_add(d, HC_ERROR, s->path, 0, 0, "no inspection '%s' in the database", id);
        return -1;
    }
    char *site = hc_xstrdup(hc_sql_text(st, 0));
    int already = !hc_sql_is_null(st, 2);
    hc_sql_reset(st);
    int rc = -1;
    long long standing = 0, moved = 0;
    if (already) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "inspection %s is already void", id);
        goto out;
    }
    if (count_of(s, "SELECT count(*) FROM inspections WHERE parent = ?1 AND voided_at IS NULL", id,
                 &standing, d) ||
        count_of(s, "SELECT count(*) FROM actions WHERE last_inspection_id = ?1 AND inspection_id <> ?1",
                 id, &moved, d))
        goto out;
    if (standing) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0,
                     "cannot void inspection %s: %lld re-inspection(s) of it still stand; void them first",
                     id, standing);
        goto out;
    }
    if (moved) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0,
                     "cannot void re-inspection %s: it moved %lld action(s) of the inspection it "
                     "re-checked, which a void cannot rewind; void those actions one by one",
                     id, moved);
        goto out;
    }
    char now[21];
    hc_time_now_utc(now);
    if (mark(s, "UPDATE inspections SET voided_at = ?2, void_reason = ?3 WHERE id = ?1",
             HC_ROWS_INSPECTIONS, id, now, reason, d))
        goto out;
    /* its actions go with it, but those an amendment carries over */
    st = hc_store_stmt(s, "SELECT uid FROM actions WHERE inspection_id = ? AND voided_at IS NULL", d);
    if (st == NULL) goto out;
    hc_sql_bind_text(st, 1, id);
    char **uids = NULL;
    size_t n = 0;
    while ((got = hc_store_row(s, st, d)) == 1) {
        const char *uid = hc_sql_text(st, 0);
        if (kept(uid, keep, nkeep)) continue;
        uids = hc_xrealloc(uids, (n + 1) * sizeof *uids);
        uids[n++] = hc_xstrdup(uid);
    }
    hc_sql_reset(st);
    int ok = got == 0;
    for (size_t i = 0; ok && i < n; i++)
        ok = mark(s, "UPDATE actions SET voided_at = ?2, void_reason = ?3 WHERE uid = ?1",
                  HC_ROWS_ACTIONS, uids[i], now, reason, d) == 0;
    for (size_t i = 0; i < n; i++) free(uids[i]);
    free(uids);
    if (!ok) goto out;
    hc_buf data = {0};
    hc_buf_printf(&data, "{\"actions\":%zu", n);
    if (amended_by) {
        hc_buf_puts(&data, ",\"amended_by\":");
        hc_json_quote(&data, amended_by, strlen(amended_by));
    }
    hc_buf_putc(&data, '}');
    rc = hc_store_event(s, "inspection.void", id, site, reason, data.data, d);
    hc_buf_free(&data);
    if (voided) *voided = n;
out:
    free(site);
    return rc;
}

int hc_store_inspection_void(hc_store *s, const char *ref, const char *reason, hc_diags *d)
{
    if (hc_need_reason(reason, d)) return -1;
    char *id = hc_store_inspection_id(s, ref, d);   /* a unique prefix will do */
    if (id == NULL) return -1;
    int rc = hc_store_begin(s, d);
    if (rc == 0) rc = hc_inspection_void_tx(s, id, reason, NULL, NULL, 0, NULL, d);
    if (rc == 0) rc = hc_store_commit(s, d);
    if (rc) hc_store_rollback(s);
    free(id);
    return rc;
}

int hc_store_action_void(hc_store *s, const char *ref, const char *reason, hc_diags *d)
{
    if (hc_need_reason(reason, d)) return -1;
    if (hc_store_begin(s, d)) return -1;
    long long aid;
    char *uid = NULL, *site = NULL;
    if (hc_store_action_id(s, ref, &aid, d) != 0) goto fail;
    hc_stmt *st = hc_store_stmt(s, "SELECT uid, site_id, voided_at FROM actions WHERE id = ?", d);
    if (st == NULL) goto fail;
    hc_sql_bind_int(st, 1, aid);
    int got = hc_store_row(s, st, d);
    if (got <= 0) {
        if (got == 0) hc_diags_add(d, HC_ERROR, s->path, 0, 0, "no action %lld", aid);
        goto fail;
    }
    uid = hc_xstrdup(hc_sql_text(st, 0));
    site = hc_xstrdup(hc_sql_text(st, 1));
    int already = !hc_sql_is_null(st, 2);
    hc_sql_reset(st);
    if (already) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "action %lld is already void", aid);
        goto fail;
    }
    char now[21];
    hc_time_now_utc(now);
    if (mark(s, "UPDATE actions SET voided_at = ?2, void_reason = ?3 WHERE uid = ?1", HC_ROWS_ACTIONS,
             uid, now, reason, d) ||
        hc_store_event(s, "action.void", uid, site, reason, NULL, d) || hc_store_commit(s, d))
        goto fail;
    free(uid);
    free(site);
    return 0;
fail:
    free(uid);
    free(site);
    hc_store_rollback(s);
    return -1;
}

int hc_store_enforce_void(hc_store *s, const char *site, long number, const char *reason,
                          hc_diags *d)
{
    if (hc_need_reason(reason, d)) return -1;
    if (hc_store_begin(s, d)) return -1;
    /* numbered as `site show` lists them */
    hc_stmt *st = hc_store_stmt(s, "SELECT uid, measure, date, voided_at FROM enforcement"
                                        " WHERE site_id = ? ORDER BY date, id LIMIT 1 OFFSET ?", d);
    if (st == NULL) goto fail;
    hc_sql_bind_text(st, 1, site);
    hc_sql_bind_int(st, 2, number - 1);
    int got = number >= 1 ? hc_store_row(s, st, d) : 0;
    if (got <= 0) {
        if (got == 0)
            hc_diags_add(d, HC_ERROR, NULL, 0, 0,
                         "site %s has no measure %ld; expected its number in the site's list of "
                         "measures, from 1",
                         site, number);
        goto fail;
    }
    char *uid = hc_xstrdup(hc_sql_text(st, 0));
    hc_buf data = {0};
    hc_buf_puts(&data, "{\"measure\":");
    const char *m = hc_sql_text(st, 1), *date = hc_sql_text(st, 2);
    hc_json_quote(&data, m, strlen(m));
    hc_buf_puts(&data, ",\"date\":");
    hc_json_quote(&data, date, strlen(date));
    hc_buf_putc(&data, '}');
    int already = !hc_sql_is_null(st, 3);
    hc_sql_reset(st);
    int rc = -1;
    if (already) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "measure %ld of site %s is already void", number, site);
    } else {
        char now[21];
        hc_time_now_utc(now);
        /* the site's listed and state follow the measures that still stand */
        rc = mark(s, "UPDATE enforcement SET voided_at = ?2, void_reason = ?3 WHERE uid = ?1",
                  HC_ROWS_ENFORCEMENT, uid, now, reason, d);
        if (rc == 0) rc = hc_site_status_replay(s, site, 1, d);
        if (rc == 0) rc = hc_store_event(s, "enforce.void", site, site, reason, data.data, d);
    }
    free(uid);
    hc_buf_free(&data);
    if (rc || hc_store_commit(s, d)) goto fail;
    return 0;
fail:
    hc_store_rollback(s);
    return -1;
}
