/*
** enforce.c: enforcement measures on a site (interview, list, delist, penalty,
** suspend, resume, close-down) and the site status that follows from them.
*/
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "store/store.h"

int hc_store_enforce(hc_store *s, const char *site, const char *measure, const char *date,
                     const char *amount, const char *basis, const char *note, hc_diags *d)
{
    static const char *const measures[] = {"interview", "list", "delist", "penalty", "suspend",
                                           "resume", "close-down", NULL};
    int m = -1;
    for (int i = 0; measures[i]; i++)
        if (strcmp(measure, measures[i]) == 0) m = i;
    if (m < 0) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0,
                     "unknown measure '%s'; expected interview, list, delist, penalty, suspend, "
                     "resume or close-down", measure);
        return -1;
    }
    double amt = 0;
    if (m == 3) {
        char *end;
        amt = amount ? strtod(amount, &end) : -1;
        if (amount == NULL || *end || !(amt > 0)) {
            hc_diags_add(d, HC_ERROR, NULL, 0, 0, "a penalty needs --amount YUAN, a positive number");
            return -1;
        }
    } else if (amount) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "--amount goes with penalty only");
        return -1;
    }
    long days;
    if (date == NULL) date = s->today;
    if (hc_date_parse(date, strlen(date), &days) != 0) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "--date '%s'; expected YYYY-MM-DD", date);
        return -1;
    }
    if (hc_store_begin(s, d)) return -1;
    sqlite3_stmt *st = hc_store_stmt(s, "SELECT listed, state FROM sites WHERE id = ?", d);
    if (st == NULL) goto fail;
    hc_bind_text(st, 1, site);
    int got = hc_store_row(s, st, d);
    if (got <= 0) {
        if (got == 0) hc_diags_add(d, HC_ERROR, s->path, 0, 0, "no site '%s' in the register", site);
        goto fail;
    }
    int listed = sqlite3_column_int(st, 0);
    char state[16];
    snprintf(state, sizeof state, "%s", (const char *)sqlite3_column_text(st, 1));
    sqlite3_reset(st);
    /* the site's status follows the measures; impossible steps are refused */
    const char *refuse = NULL;
    const char *set_state = NULL;
    int set_listed = listed;
    switch (m) {
    case 1: if (listed) refuse = "is already listed"; set_listed = 1; break;
    case 2: if (!listed) refuse = "is not listed"; set_listed = 0; break;
    case 4:
        if (strcmp(state, "operating") != 0) refuse = strcmp(state, "closed") ? "is already suspended" : "is closed down";
        set_state = "suspended";
        break;
    case 5:
        if (strcmp(state, "suspended") != 0) refuse = strcmp(state, "closed") ? "is not suspended" : "is closed down";
        set_state = "operating";
        break;
    case 6: if (strcmp(state, "closed") == 0) refuse = "is already closed down"; set_state = "closed"; break;
    default: break;
    }
    if (refuse) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "cannot %s site %s: it %s", measure, site, refuse);
        goto fail;
    }
    /* site/measure/random/time: unique across databases; the time stays last
       (exchange.c reads it from there for --since) */
    char uid[600], now[21], rnd[33];
    hc_store_now(now);
    hc_store_uid(rnd);
    snprintf(uid, sizeof uid, "%s/%s/%s/%s", site, measure, rnd, now);
    st = hc_store_stmt(s, "INSERT INTO enforcement (uid, site_id, measure, date, amount, basis, note, by)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", d);
    if (st == NULL) goto fail;
    hc_bind_text(st, 1, uid);
    hc_bind_text(st, 2, site);
    hc_bind_text(st, 3, measure);
    hc_bind_text(st, 4, date);
    if (m == 3) sqlite3_bind_double(st, 5, amt);
    else sqlite3_bind_null(st, 5);
    hc_bind_text(st, 6, basis);
    hc_bind_text(st, 7, note);
    hc_bind_text(st, 8, s->actor);
    if (sqlite3_step(st) != SQLITE_DONE) {
        hc_store_error(s, d, "recording the measure");
        goto fail;
    }
    st = hc_store_stmt(s, "UPDATE sites SET listed = ?, state = coalesce(?, state) WHERE id = ?", d);
    if (st == NULL) goto fail;
    sqlite3_bind_int(st, 1, set_listed);
    hc_bind_text(st, 2, set_state);
    hc_bind_text(st, 3, site);
    if (sqlite3_step(st) != SQLITE_DONE) {
        hc_store_error(s, d, "updating the site");
        goto fail;
    }
    hc_buf data = {0};
    hc_buf_puts(&data, "{\"measure\":");
    hc_json_quote(&data, measure, strlen(measure));
    hc_buf_puts(&data, ",\"date\":");
    hc_json_quote(&data, date, strlen(date));
    if (m == 3) hc_buf_printf(&data, ",\"amount\":%.2f", amt);
    if (basis) {
        hc_buf_puts(&data, ",\"basis\":");
        hc_json_quote(&data, basis, strlen(basis));
    }
    hc_buf_putc(&data, '}');
    char kind[32];
    snprintf(kind, sizeof kind, "enforce.%s", measure);
    int erc = hc_store_event(s, kind, site, site, note, data.data, d);
    hc_buf_free(&data);
    if (erc || hc_store_commit(s, d)) goto fail;
    return 0;
fail:
    hc_store_rollback(s);
    return -1;
}
