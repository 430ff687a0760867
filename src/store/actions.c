/*
** actions.c: follow-up actions and their life (cli.md "Follow-up"):
**
**   open --rectify--> rectified --verify--> verified (closed)
**     ^                   |
**     +------reopen-------+
**
** Every change is an event (time, actor, note) in the same transaction.
** An illegal transition is refused naming the action's current state.
** Overdue: not verified and today is past the deadline.
*/
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "store/store.h"

static int parse_id(const char *id, long long *out)
{
    const char *p = id[0] == '#' ? id + 1 : id;
    char *end;
    long long v = strtoll(p, &end, 10);
    if (*p == '\0' || *end || v <= 0) return -1;
    *out = v;
    return 0;
}

/* Load an action's status (and site) under the write lock. */
static int load(hc_store *s, const char *id, long long *aid, char status[16], char **site,
                char **uid, hc_diags *d)
{
    if (parse_id(id, aid) != 0) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "action '%s'; expected an action number", id);
        return -1;
    }
    sqlite3_stmt *st = hc_store_stmt(s, "SELECT status, site_id, uid FROM actions WHERE id = ?", d);
    if (st == NULL) return -1;
    sqlite3_bind_int64(st, 1, *aid);
    int got = hc_store_row(s, st, d);
    if (got <= 0) {
        if (got == 0) hc_diags_add(d, HC_ERROR, s->path, 0, 0, "no action %lld", *aid);
        return -1;
    }
    snprintf(status, 16, "%s", (const char *)sqlite3_column_text(st, 0));
    *site = hc_xstrdup((const char *)sqlite3_column_text(st, 1));
    *uid = hc_xstrdup((const char *)sqlite3_column_text(st, 2));
    sqlite3_reset(st);
    return 0;
}

/* The common shape of a transition: check the state, update, log, commit. */
static int transition(hc_store *s, const char *id, const char *from, const char *verb,
                      const char *sql, const char *arg, double cost, int has_cost,
                      const char *kind, const char *note, const char *data, hc_diags *d)
{
    if (hc_store_begin(s, d)) return -1;
    long long aid;
    char status[16];
    char *site = NULL, *uid = NULL;
    if (load(s, id, &aid, status, &site, &uid, d) != 0) goto fail;
    if (from && strstr(from, status) == NULL) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "cannot %s action %lld: it is %s%s", verb, aid, status,
                     strcmp(status, "verified") == 0 ? " (closed)"
                     : strcmp(status, "open") == 0 && strcmp(verb, "verify") == 0
                         ? "; rectify it first"
                         : "");
        goto fail;
    }
    sqlite3_stmt *st = hc_store_stmt(s, sql, d);
    if (st == NULL) goto fail;
    /* parameters by number; a statement binds only those it names */
    int np = sqlite3_bind_parameter_count(st);
    sqlite3_bind_int64(st, 1, aid);
    if (np >= 2) hc_bind_text(st, 2, arg);
    if (np >= 3 && has_cost) sqlite3_bind_double(st, 3, cost);
    if (np >= 4) hc_bind_text(st, 4, s->today);
    if (sqlite3_step(st) != SQLITE_DONE) {
        hc_store_error(s, d, "updating the action");
        goto fail;
    }
    if (hc_store_event(s, kind, uid, site, note, data, d) != 0) goto fail;
    if (hc_store_commit(s, d) != 0) goto fail;
    free(site);
    free(uid);
    return 0;
fail:
    free(site);
    free(uid);
    hc_store_rollback(s);
    return -1;
}

int hc_store_action_rectify(hc_store *s, const char *id, const char *note,
                            const char *const *evidence, size_t nevidence, const char *cost,
                            hc_diags *d)
{
    if (note == NULL || *note == '\0') {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "rectify needs --note TEXT: what was done");
        return -1;
    }
    double yuan = 0;
    if (cost) {
        char *end;
        yuan = strtod(cost, &end);
        if (*cost == '\0' || *end || !(yuan >= 0) || yuan > 1e12) {
            hc_diags_add(d, HC_ERROR, NULL, 0, 0, "--cost '%s'; expected an amount in yuan", cost);
            return -1;
        }
    }
    hc_buf data = {0};
    hc_buf_puts(&data, "{\"evidence\":[");
    for (size_t i = 0; i < nevidence; i++) {
        if (i) hc_buf_putc(&data, ',');
        hc_json_quote(&data, evidence[i], strlen(evidence[i]));
    }
    hc_buf_printf(&data, "],\"cost\":%.2f}", yuan);
    int rc = transition(s, id, "open", "rectify",
                        "UPDATE actions SET status = 'rectified', cost = cost + ?3 WHERE id = ?1",
                        NULL, yuan, 1, "action.rectify", note, data.data, d);
    hc_buf_free(&data);
    return rc;
}

int hc_store_action_verify(hc_store *s, const char *id, const char *note, hc_diags *d)
{
    return transition(s, id, "rectified", "verify",
                      "UPDATE actions SET status = 'verified', closed_on = ?4 WHERE id = ?1",
                      NULL, 0, 0, "action.verify", note, NULL, d);
}

int hc_store_action_reopen(hc_store *s, const char *id, const char *note, hc_diags *d)
{
    if (note == NULL || *note == '\0') {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "reopen needs --note TEXT: why the rectification failed");
        return -1;
    }
    return transition(s, id, "rectified", "reopen",
                      "UPDATE actions SET status = 'open' WHERE id = ?1",
                      NULL, 0, 0, "action.reopen", note, NULL, d);
}

int hc_store_action_assign(hc_store *s, const char *id, const char *to, hc_diags *d)
{
    if (to == NULL || *to == '\0') {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "assign needs --to NAME");
        return -1;
    }
    hc_buf data = {0};
    hc_buf_puts(&data, "{\"to\":");
    hc_json_quote(&data, to, strlen(to));
    hc_buf_putc(&data, '}');
    int rc = transition(s, id, "open rectified", "assign",
                        "UPDATE actions SET assignee = ?2 WHERE id = ?1", to, 0, 0, "action.assign",
                        NULL, data.data, d);
    hc_buf_free(&data);
    return rc;
}

/* ---------------------------------------------------------------- listing */

int hc_store_actions(hc_store *s, const hc_action_filter *f, FILE *out, int json, hc_diags *d)
{
    int csv = json == 2;
    if (csv) json = 0;
    const char *status = f->status;
    int overdue_only = status && strcmp(status, "overdue") == 0;
    if (status && !overdue_only && strcmp(status, "open") != 0 && strcmp(status, "rectified") != 0 &&
        strcmp(status, "verified") != 0) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "--status '%s'; expected open, rectified, verified or overdue",
                     status);
        return -1;
    }
    sqlite3_stmt *st = hc_store_stmt(
        s,
        "SELECT a.id, a.site_id, s.name, a.inspection_id, a.item, a.title, a.severity, a.status,"
        " a.deadline, a.assignee, a.supervisor, a.message, a.ord, a.cost, s.listed, s.state, a.uid"
        " FROM actions a JOIN sites s ON s.id = a.site_id"
        " WHERE (?1 IS NULL OR a.site_id = ?1)"
        "   AND (?2 IS NULL OR a.status = ?2)"
        "   AND (?3 IS NULL OR a.supervisor = ?3)"
        "   AND (?4 = 0 OR (a.status <> 'verified' AND a.deadline < ?5))"
        " ORDER BY a.status = 'verified', a.deadline, a.id",
        d);
    if (st == NULL) return -1;
    hc_bind_text(st, 1, f->site);
    hc_bind_text(st, 2, overdue_only ? NULL : status);
    hc_bind_text(st, 3, f->inspector);
    sqlite3_bind_int(st, 4, overdue_only);
    hc_bind_text(st, 5, s->today);
    hc_json j;
    if (json) {
        hc_json_init(&j, out, 1);
        hc_json_begin_array(&j);
    }
    sqlite3_stmt *ev = NULL;
    if (json && sqlite3_prepare_v2(s->db, "SELECT at, kind, by, note FROM events WHERE subject = ?"
                                          " ORDER BY seq", -1, &ev, NULL) != SQLITE_OK)
        return hc_store_error(s, d, "reading events");
    int rc, n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(st, 0);
        const char *c[17];
        for (int i = 1; i < 17; i++) c[i] = (const char *)sqlite3_column_text(st, i);
        int overdue = strcmp(c[7], "verified") != 0 && strcmp(s->today, c[8]) > 0;
        int listed = sqlite3_column_int(st, 14);
        n++;
        if (csv) {
            if (n == 1) {
                hc_csv_bom(out);
                fputs("id,site,site_name,inspection,item,title,severity,status,deadline,overdue,"
                      "assignee,supervisor,message,order,cost\r\n", out);
            }
            fprintf(out, "%lld", id);
            for (int i = 1; i <= 9; i++) {
                fputc(',', out);
                hc_csv_field(out, c[i]);
                if (i == 8) fprintf(out, ",%s", overdue ? "yes" : "no");
            }
            for (int i = 10; i <= 12; i++) {
                fputc(',', out);
                hc_csv_field(out, c[i]);
            }
            fprintf(out, ",%.2f\r\n", sqlite3_column_double(st, 13));
            continue;
        }
        if (!json) {
            fprintf(out, "#%-4lld %-9s %-7s %s%s  %s %s  %s (%s)%s%s%s", id, c[7], c[6], c[8],
                    overdue ? " OVERDUE" : "", c[4], c[5], c[2], c[1],
                    listed ? " [listed 黑名单]" : "",
                    strcmp(c[15], "operating") ? " [" : "", strcmp(c[15], "operating") ? c[15] : "");
            if (strcmp(c[15], "operating") != 0) fputc(']', out);
            fputc('\n', out);
            continue;
        }
        hc_json_begin_object(&j);
        hc_json_key(&j, "id");
        hc_json_integer(&j, id);
        static const char *const keys[] = {NULL, "site", "site_name", "inspection", "item", "title",
                                           "severity", "status", "deadline", "assignee", "supervisor",
                                           "message", "order"};
        for (int i = 1; i <= 12; i++) {
            hc_json_key(&j, keys[i]);
            hc_json_string(&j, c[i]);
        }
        hc_json_key(&j, "uid");
        hc_json_string(&j, c[16]);
        hc_json_key(&j, "overdue");
        hc_json_bool(&j, overdue);
        hc_json_key(&j, "cost");
        hc_json_number(&j, sqlite3_column_double(st, 13));
        hc_json_key(&j, "site_listed");
        hc_json_bool(&j, listed);
        hc_json_key(&j, "site_state");
        hc_json_string(&j, c[15]);
        hc_json_key(&j, "events");
        hc_json_begin_array(&j);
        sqlite3_reset(ev);
        hc_bind_text(ev, 1, c[16]);
        while (sqlite3_step(ev) == SQLITE_ROW) {
            hc_json_begin_object(&j);
            static const char *const ek[] = {"at", "kind", "by", "note"};
            for (int i = 0; i < 4; i++) {
                hc_json_key(&j, ek[i]);
                const char *v = (const char *)sqlite3_column_text(ev, i);
                /* "action.rectify" -> "rectify": the kind within an action's life */
                if (i == 1 && v && strncmp(v, "action.", 7) == 0) v += 7;
                hc_json_string(&j, v);
            }
            hc_json_end_object(&j);
        }
        hc_json_end_array(&j);
        hc_json_end_object(&j);
    }
    if (ev) sqlite3_finalize(ev);
    if (json) hc_json_end_array(&j);
    else if (n == 0 && !csv) fputs("no actions\n", out);
    if (rc != SQLITE_DONE) return hc_store_error(s, d, "listing actions");
    return 0;
}
