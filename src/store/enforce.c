/*
** enforce.c: enforcement measures on a site (interview, list, delist, penalty,
** suspend, resume, close-down) and the site status that follows from them.
*/
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "store/store.h"

/*
** What each measure does to a site's status, as a table: whether it needs an
** amount, what it sets 'listed' to (-1 unchanged), the state it needs ("!x":
** any but x) and the state it leaves, and what is said when the site is not
** in the state or list the measure needs. Closing down is final.
*/
static const struct measure_rule {
    const char *measure;
    int amount;
    int listed_to;
    const char *state_from, *state_to;
    const char *refuse;
} rules[] = {
    {"interview", 0, -1, NULL, NULL, NULL},
    {"list", 0, 1, NULL, NULL, "is already listed"},
    {"delist", 0, 0, NULL, NULL, "is not listed"},
    {"penalty", 1, -1, NULL, NULL, NULL},
    {"suspend", 0, -1, "operating", "suspended", "is already suspended"},
    {"resume", 0, -1, "suspended", "operating", "is not suspended"},
    {"close-down", 0, -1, "!closed", "closed", "is already closed down"},
};

static const struct measure_rule *find_rule(const char *measure)
{
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
        if (strcmp(rules[i].measure, measure) == 0) return &rules[i];
    return NULL;
}

const char *hc_measure_apply(const char *measure, int *listed, char state[16])
{
    const struct measure_rule *r = find_rule(measure);
    if (r == NULL) return "is not a measure";
    if (r->listed_to >= 0 && *listed == r->listed_to) return r->refuse;
    if (r->state_from) {
        int ok = r->state_from[0] == '!' ? strcmp(state, r->state_from + 1) != 0
                                          : strcmp(state, r->state_from) == 0;
        if (!ok) return strcmp(state, "closed") == 0 && strcmp(r->state_to, "closed") != 0
                            ? "is closed down" : r->refuse;
    }
    if (r->listed_to >= 0) *listed = r->listed_to;
    if (r->state_to) snprintf(state, 16, "%s", r->state_to);
    return NULL;
}

/* The status a site's measures that stand leave it in, oldest first, from
   an operating, unlisted site; only those dated on or before 'until' (NULL:
   all). *saw_list / *saw_state: whether any measure spoke to that part. */
static int status_fold(hc_store *s, const char *site, const char *until, int *listed,
                       char state[16], int *saw_list, int *saw_state, hc_diags *d)
{
    hc_stmt *st = hc_store_stmt(s, "SELECT measure FROM enforcement WHERE site_id = ?1"
                                        " AND voided_at IS NULL AND (?2 IS NULL OR date <= ?2)"
                                        " ORDER BY date, substr(uid, -20), id", d);
    if (st == NULL) return -1;
    hc_sql_bind_text(st, 1, site);
    hc_sql_bind_text(st, 2, until);
    *listed = 0;
    snprintf(state, 16, "operating");
    int got;
    while ((got = hc_store_row(s, st, d)) == 1) {
        const char *m = hc_sql_text(st, 0);
        const struct measure_rule *r = find_rule(m);
        if (r == NULL) continue;
        *saw_list |= r->listed_to >= 0;
        *saw_state |= r->state_to != NULL;
        (void)hc_measure_apply(m, listed, state);   /* a refused step changes nothing */
    }
    return got < 0 ? -1 : 0;
}

int hc_site_status_at(hc_store *s, const char *site, const char *date, int *listed, char state[16],
                      hc_diags *d)
{
    int saw_list = 0, saw_state = 0;
    return status_fold(s, site, date, listed, state, &saw_list, &saw_state, d);
}

int hc_site_status_replay(hc_store *s, const char *site, int from_scratch, hc_diags *d)
{
    int listed, saw_list = from_scratch, saw_state = from_scratch;
    char state[16];
    if (status_fold(s, site, NULL, &listed, state, &saw_list, &saw_state, d) != 0) return -1;
    hc_stmt *st;
    st = hc_store_stmt(s, "UPDATE sites SET listed = CASE WHEN ?2 THEN ?3 ELSE listed END,"
                          " state = CASE WHEN ?4 THEN ?5 ELSE state END WHERE id = ?1", d);
    if (st == NULL) return -1;
    hc_sql_bind_text(st, 1, site);
    hc_sql_bind_int(st, 2, saw_list);
    hc_sql_bind_int(st, 3, listed);
    hc_sql_bind_int(st, 4, saw_state);
    hc_sql_bind_text(st, 5, state);
    if (hc_sql_step(st) != HC_SQL_DONE) return hc_store_error(s, d, "updating the site's status");
    hc_store_touch(s, HC_ROWS_SITES, site);
    return 0;
}

int hc_store_enforce(hc_store *s, const char *site, const char *measure, const char *date,
                     const char *amount, const char *basis, const char *note, hc_diags *d)
{
    const struct measure_rule *rule = find_rule(measure);
    if (rule == NULL) {
        char expected[128];
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "unknown measure '%s'; expected %s", measure,
                     hc_vocab_expected(HC_VOCAB_MEASURE, expected, sizeof expected));
        return -1;
    }
    double amt = 0;
    if (rule->amount) {
        char *end;
        amt = amount ? strtod(amount, &end) : -1;
        if (amount == NULL || *end || !(amt > 0)) {
            hc_diags_add(d, HC_ERROR, NULL, 0, 0, "a %s needs an amount in yuan, a positive number",
                         measure);
            return -1;
        }
    } else if (amount) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "an amount goes with a penalty only");
        return -1;
    }
    long days;
    if (date == NULL) date = s->today;
    if (hc_date_parse(date, strlen(date), &days) != 0) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "date of the measure '%s'; expected YYYY-MM-DD", date);
        return -1;
    }
    if (hc_store_begin(s, d)) return -1;
    hc_stmt *st = hc_store_stmt(s, "SELECT listed, state FROM sites WHERE id = ?", d);
    if (st == NULL) goto fail;
    hc_sql_bind_text(st, 1, site);
    int got = hc_store_row(s, st, d);
    if (got <= 0) {
        if (got == 0) hc_diags_add(d, HC_ERROR, s->path, 0, 0, "no site '%s' in the register", site);
        goto fail;
    }
    int listed = (int)hc_sql_int(st, 0);
    char state[16];
    snprintf(state, sizeof state, "%s", hc_sql_text(st, 1));
    hc_sql_reset(st);
    /* the site's status follows the measures; impossible steps are refused */
    int set_listed = listed;
    char set_state[16];
    snprintf(set_state, sizeof set_state, "%s", state);
    const char *refuse = hc_measure_apply(measure, &set_listed, set_state);
    if (refuse) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "cannot %s site %s: it %s", measure, site, refuse);
        goto fail;
    }
    /* site/measure/random/time: unique across databases; the time stays last
       (export.c reads it from there for a partial export) */
    char uid[600], now[21], rnd[33];
    hc_time_now_utc(now);
    hc_store_uid(rnd);
    snprintf(uid, sizeof uid, "%s/%s/%s/%s", site, measure, rnd, now);
    st = hc_store_stmt(s, "INSERT INTO enforcement (uid, site_id, measure, date, amount, basis, note, \"by\","
                          " district, squad, industry) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
                          " district, squad, industry FROM sites WHERE id = ?2", d);
    if (st == NULL) goto fail;
    hc_sql_bind_text(st, 1, uid);
    hc_sql_bind_text(st, 2, site);
    hc_sql_bind_text(st, 3, measure);
    hc_sql_bind_text(st, 4, date);
    if (rule->amount) hc_sql_bind_double(st, 5, amt);
    else hc_sql_bind_null(st, 5);
    hc_sql_bind_text(st, 6, basis);
    hc_sql_bind_text(st, 7, note);
    hc_sql_bind_text(st, 8, s->actor);
    if (hc_sql_step(st) != HC_SQL_DONE) {
        hc_store_error(s, d, "recording the measure");
        goto fail;
    }
    st = hc_store_stmt(s, "UPDATE sites SET listed = ?, state = ? WHERE id = ?", d);
    if (st == NULL) goto fail;
    hc_sql_bind_int(st, 1, set_listed);
    hc_sql_bind_text(st, 2, set_state);
    hc_sql_bind_text(st, 3, site);
    if (hc_sql_step(st) != HC_SQL_DONE) {
        hc_store_error(s, d, "updating the site");
        goto fail;
    }
    hc_buf data = {0};
    hc_buf_puts(&data, "{\"measure\":");
    hc_json_quote(&data, measure, strlen(measure));
    hc_buf_puts(&data, ",\"date\":");
    hc_json_quote(&data, date, strlen(date));
    if (rule->amount) hc_buf_printf(&data, ",\"amount\":%.2f", amt);
    if (basis) {
        hc_buf_puts(&data, ",\"basis\":");
        hc_json_quote(&data, basis, strlen(basis));
    }
    hc_buf_putc(&data, '}');
    char kind[32];
    snprintf(kind, sizeof kind, "enforce.%s", measure);
    hc_store_touch(s, HC_ROWS_ENFORCEMENT, uid);
    hc_store_touch(s, HC_ROWS_SITES, site);
    int erc = hc_store_event(s, kind, site, site, note, data.data, d);
    hc_buf_free(&data);
    if (erc || hc_store_commit(s, d)) goto fail;
    return 0;
fail:
    hc_store_rollback(s);
    return -1;
}
