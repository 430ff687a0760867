/*
** sites.c: the site register (profiles, assigned inspector, contact) and
** enforcement measures on a site, with the site's status that follows.
*/
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "store/store.h"

static const char *text(const hc_node *map, const char *key)
{
    const hc_node *n = hc_map_get(map, key);
    return n && n->kind == HC_SCALAR && n->len ? n->str : NULL;
}

int hc_site_upsert(hc_store *s, const hc_node *p, hc_diags *d)
{
    const char *id = text(p, "id"), *name = text(p, "name");
    if (p->kind != HC_MAP || id == NULL) {
        hc_diags_add(d, HC_ERROR, s->path, 0, 0, "site profile has no 'id'");
        return -1;
    }
    char *json = hc_node_json(p);
    int result = -1;
    sqlite3_stmt *st = hc_store_stmt(s, "SELECT profile FROM sites WHERE id = ?", d);
    if (st == NULL) goto out;
    hc_bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    char *old = NULL;
    if (rc == SQLITE_ROW) old = hc_xstrdup((const char *)sqlite3_column_text(st, 0));
    else if (rc != SQLITE_DONE) {
        hc_store_error(s, d, "reading the site register");
        goto out;
    }
    sqlite3_reset(st);
    if (old && strcmp(old, json) == 0) {
        free(old);
        result = 0;
        goto out;
    }
    char now[21];
    hc_store_now(now);
    st = hc_store_stmt(s, old ? "UPDATE sites SET name = ?2, district = ?3, industry = ?4, squad = ?5, "
                                "inspector = ?6, contact = ?7, profile = ?8, updated_at = ?9 WHERE id = ?1"
                              : "INSERT INTO sites (id, name, district, industry, squad, inspector, "
                                "contact, profile, created_at, updated_at) "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)", d);
    if (st == NULL) {
        free(old);
        goto out;
    }
    hc_bind_text(st, 1, id);
    hc_bind_text(st, 2, name ? name : id);
    hc_bind_text(st, 3, text(p, "district"));
    hc_bind_text(st, 4, text(p, "industry"));
    hc_bind_text(st, 5, text(p, "squad"));
    hc_bind_text(st, 6, text(p, "inspector"));
    hc_bind_text(st, 7, text(p, "contact"));
    hc_bind_text(st, 8, json);
    hc_bind_text(st, 9, now);
    if (sqlite3_step(st) != SQLITE_DONE) {
        free(old);
        hc_store_error(s, d, "writing the site register");
        goto out;
    }
    /* the event keeps the old profile, so the change can be read back */
    hc_buf data = {0};
    if (old) hc_buf_printf(&data, "{\"before\":%s,\"after\":%s}", old, json);
    else hc_buf_puts(&data, json);
    int erc = hc_store_event(s, old ? "site.update" : "site.add", id, id, NULL, data.data, d);
    hc_buf_free(&data);
    result = erc ? -1 : old ? 2 : 1;
    free(old);
out:
    free(json);
    return result;
}

int hc_store_site_put(hc_store *s, const hc_node *profile, const char *path, hc_diags *d)
{
    (void)path;
    if (hc_store_begin(s, d)) return -1;
    int rc = hc_site_upsert(s, profile, d);
    if (rc < 0 || hc_store_commit(s, d) != 0) {
        hc_store_rollback(s);
        return -1;
    }
    return rc;
}

/* "listed", "suspended", "closed" as one label, or NULL for a site in good standing. */
static void site_status(int listed, const char *state, char *out, size_t n)
{
    snprintf(out, n, "%s%s%s", strcmp(state, "operating") == 0 ? "operating" : state,
             listed ? ", " : "", listed ? "listed (黑名单)" : "");
}

int hc_store_site_list(hc_store *s, FILE *out, int json, hc_diags *d)
{
    sqlite3_stmt *st = hc_store_stmt(
        s,
        "SELECT s.id, s.name, s.district, s.industry, s.squad, s.inspector, s.contact, s.listed, s.state,"
        " (SELECT count(*) FROM actions a WHERE a.site_id = s.id AND a.status <> 'verified'),"
        " (SELECT max(date) FROM inspections i WHERE i.site_id = s.id)"
        " FROM sites s ORDER BY s.id",
        d);
    if (st == NULL) return -1;
    hc_json j;
    if (json) {
        hc_json_init(&j, out, 1);
        hc_json_begin_array(&j);
    } else {
        fprintf(out, "%-16s %-8s %-6s %-24s %s\n", "id", "open", "last", "status", "name");
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *c[7];
        for (int i = 0; i < 7; i++) c[i] = (const char *)sqlite3_column_text(st, i);
        int listed = sqlite3_column_int(st, 7);
        const char *state = (const char *)sqlite3_column_text(st, 8);
        int open = sqlite3_column_int(st, 9);
        const char *last = (const char *)sqlite3_column_text(st, 10);
        char status[64];
        site_status(listed, state, status, sizeof status);
        if (json) {
            static const char *const keys[] = {"id", "name", "district", "industry", "squad",
                                               "inspector", "contact"};
            hc_json_begin_object(&j);
            for (int i = 0; i < 7; i++) {
                hc_json_key(&j, keys[i]);
                hc_json_string(&j, c[i]);
            }
            hc_json_key(&j, "listed");
            hc_json_bool(&j, listed);
            hc_json_key(&j, "state");
            hc_json_string(&j, state);
            hc_json_key(&j, "open_actions");
            hc_json_integer(&j, open);
            hc_json_key(&j, "last_inspection");
            hc_json_string(&j, last);
            hc_json_end_object(&j);
        } else {
            fprintf(out, "%-16s %-8d %-6s ", c[0], open, last ? last + 5 : "-");
            fputs(status, out);
            for (size_t w = hc_display_width(status); w < 24; w++) fputc(' ', out);
            fprintf(out, " %s\n", c[1]);
        }
    }
    if (json) hc_json_end_array(&j);
    if (rc != SQLITE_DONE) return hc_store_error(s, d, "listing sites");
    return 0;
}

int hc_store_site_show(hc_store *s, const char *id, FILE *out, int json, hc_diags *d)
{
    sqlite3_stmt *st = hc_store_stmt(s, "SELECT name, district, industry, squad, inspector, contact,"
                                        " listed, state, profile FROM sites WHERE id = ?", d);
    if (st == NULL) return -1;
    hc_bind_text(st, 1, id);
    int got = hc_store_row(s, st, d);
    if (got <= 0) {
        if (got == 0) hc_diags_add(d, HC_ERROR, s->path, 0, 0, "no site '%s' in the register", id);
        return -1;
    }
    char *c[6];
    for (int i = 0; i < 6; i++) {
        const char *v = (const char *)sqlite3_column_text(st, i);
        c[i] = v ? hc_xstrdup(v) : NULL;
    }
    int listed = sqlite3_column_int(st, 6);
    char state[16], status[64];
    snprintf(state, sizeof state, "%s", (const char *)sqlite3_column_text(st, 7));
    site_status(listed, state, status, sizeof status);
    char *profile = hc_xstrdup((const char *)sqlite3_column_text(st, 8));
    sqlite3_reset(st);

    hc_json j;
    if (json) {
        hc_json_init(&j, out, 1);
        hc_json_begin_object(&j);
        hc_json_key(&j, "id");
        hc_json_string(&j, id);
        static const char *const keys[] = {"name", "district", "industry", "squad", "inspector", "contact"};
        for (int i = 0; i < 6; i++) {
            hc_json_key(&j, keys[i]);
            hc_json_string(&j, c[i]);
        }
        hc_json_key(&j, "listed");
        hc_json_bool(&j, listed);
        hc_json_key(&j, "state");
        hc_json_string(&j, state);
    } else {
        fprintf(out, "%s (%s)\n", c[0], id);
        fprintf(out, "status: %s\n", status);
        fprintf(out, "district %s · industry %s · squad %s · inspector %s · contact %s\n",
                c[1] ? c[1] : "-", c[2] ? c[2] : "-", c[3] ? c[3] : "-", c[4] ? c[4] : "-",
                c[5] ? c[5] : "-");
        fprintf(out, "profile: %s\n", profile);
    }
    /* inspections */
    st = hc_store_stmt(s, "SELECT id, date, kind, checklist, checklist_version, verdict, score, inspector"
                          " FROM inspections WHERE site_id = ? ORDER BY date, recorded_at", d);
    if (st == NULL) goto fail;
    hc_bind_text(st, 1, id);
    if (json) {
        hc_json_key(&j, "inspections");
        hc_json_begin_array(&j);
    } else {
        fputs("\ninspections:\n", out);
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *v[8];
        for (int i = 0; i < 8; i++) v[i] = (const char *)sqlite3_column_text(st, i);
        if (json) {
            static const char *const keys[] = {"id", "date", "kind", "checklist", "checklist_version",
                                               "verdict"};
            hc_json_begin_object(&j);
            for (int i = 0; i < 6; i++) {
                hc_json_key(&j, keys[i]);
                hc_json_string(&j, v[i]);
            }
            hc_json_key(&j, "score");
            hc_json_number(&j, sqlite3_column_double(st, 6));
            hc_json_end_object(&j);
        } else {
            fprintf(out, "  %s  %-12s %-16s %s %s  %s  %s\n", v[1], v[2], v[5], v[3], v[4], v[6], v[0]);
        }
    }
    if (json) hc_json_end_array(&j);
    /* actions */
    st = hc_store_stmt(s, "SELECT id, item, title, severity, status, deadline, assignee FROM actions"
                          " WHERE site_id = ? ORDER BY status = 'verified', deadline, id", d);
    if (st == NULL) goto fail;
    hc_bind_text(st, 1, id);
    if (json) {
        hc_json_key(&j, "actions");
        hc_json_begin_array(&j);
    } else {
        fputs("\nactions:\n", out);
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *v[7];
        for (int i = 1; i < 7; i++) v[i] = (const char *)sqlite3_column_text(st, i);
        long long aid = sqlite3_column_int64(st, 0);
        int overdue = strcmp(v[4], "verified") != 0 && strcmp(s->today, v[5]) > 0;
        if (json) {
            hc_json_begin_object(&j);
            hc_json_key(&j, "id");
            hc_json_integer(&j, aid);
            static const char *const keys[] = {NULL, "item", "title", "severity", "status", "deadline", "assignee"};
            for (int i = 1; i < 7; i++) {
                hc_json_key(&j, keys[i]);
                hc_json_string(&j, v[i]);
            }
            hc_json_key(&j, "overdue");
            hc_json_bool(&j, overdue);
            hc_json_end_object(&j);
        } else {
            fprintf(out, "  #%-4lld %-10s %-8s %s%s %s  %s\n", aid, v[4], v[3], v[5],
                    overdue ? " OVERDUE" : "", v[1], v[2]);
        }
    }
    if (json) hc_json_end_array(&j);
    /* enforcement */
    st = hc_store_stmt(s, "SELECT date, measure, amount, basis, note, by FROM enforcement"
                          " WHERE site_id = ? ORDER BY date, id", d);
    if (st == NULL) goto fail;
    hc_bind_text(st, 1, id);
    if (json) {
        hc_json_key(&j, "enforcement");
        hc_json_begin_array(&j);
    } else {
        fputs("\nenforcement:\n", out);
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *v[6];
        for (int i = 0; i < 6; i++) v[i] = (const char *)sqlite3_column_text(st, i);
        if (json) {
            hc_json_begin_object(&j);
            hc_json_key(&j, "date");
            hc_json_string(&j, v[0]);
            hc_json_key(&j, "measure");
            hc_json_string(&j, v[1]);
            hc_json_key(&j, "amount");
            if (v[2]) hc_json_number(&j, sqlite3_column_double(st, 2));
            else hc_json_null(&j);
            hc_json_key(&j, "basis");
            hc_json_string(&j, v[3]);
            hc_json_key(&j, "note");
            hc_json_string(&j, v[4]);
            hc_json_key(&j, "by");
            hc_json_string(&j, v[5]);
            hc_json_end_object(&j);
        } else {
            fprintf(out, "  %s  %-10s", v[0], v[1]);
            if (v[2]) fprintf(out, " %s yuan", v[2]);
            fprintf(out, "  %s  %s (%s)\n", v[3] ? v[3] : "", v[4] ? v[4] : "", v[5]);
        }
    }
    if (json) {
        hc_json_end_array(&j);
        hc_json_end_object(&j);
    }
    for (int i = 0; i < 6; i++) free(c[i]);
    free(profile);
    return 0;
fail:
    for (int i = 0; i < 6; i++) free(c[i]);
    free(profile);
    return -1;
}

/* ------------------------------------------------------------ enforcement */

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
