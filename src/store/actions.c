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

/* Load an action's status (and site) under the write lock. */
static int load(hc_store *s, const char *id, long long *aid, char status[16], char **site,
                char **uid, hc_diags *d)
{
    if (hc_store_action_id(s, id, aid, d) != 0) return -1;
    sqlite3_stmt *st = hc_store_stmt(s, "SELECT status, site_id, uid, voided_at FROM actions WHERE id = ?", d);
    if (st == NULL) return -1;
    sqlite3_bind_int64(st, 1, *aid);
    int got = hc_store_row(s, st, d);
    if (got <= 0) {
        if (got == 0) hc_diags_add(d, HC_ERROR, s->path, 0, 0, "no action %lld", *aid);
        return -1;
    }
    if (sqlite3_column_type(st, 3) != SQLITE_NULL) {      /* a void is final */
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "action %lld is void; it takes no more steps", *aid);
        sqlite3_reset(st);
        return -1;
    }
    snprintf(status, 16, "%s", (const char *)sqlite3_column_text(st, 0));
    *site = hc_xstrdup((const char *)sqlite3_column_text(st, 1));
    *uid = hc_xstrdup((const char *)sqlite3_column_text(st, 2));
    sqlite3_reset(st);
    return 0;
}

/*
** The life of an action as a table: each step, the states it may be taken
** from, and the change it makes (?1 the action, ?2 the argument, ?3 a cost,
** ?4 today). Anything not in the table is refused naming the current state.
*/
typedef struct step {
    const char *verb;
    const char *from[3];          /* NULL-terminated */
    const char *sql;
    const char *event;
} step;

static const step steps[] = {
    {"rectify", {"open", NULL}, "UPDATE actions SET status = 'rectified', cost = cost + ?3 WHERE id = ?1",
     "action.rectify"},
    {"verify", {"rectified", NULL}, "UPDATE actions SET status = 'verified', closed_on = ?4 WHERE id = ?1",
     "action.verify"},
    {"reopen", {"rectified", NULL}, "UPDATE actions SET status = 'open' WHERE id = ?1", "action.reopen"},
    {"assign", {"open", "rectified", NULL}, "UPDATE actions SET assignee = ?2 WHERE id = ?1",
     "action.assign"},
};

static const step *find_step(const char *verb)
{
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (strcmp(steps[i].verb, verb) == 0) return &steps[i];
    return NULL;
}

int hc_action_step_allowed(const char *verb, const char *status)
{
    const step *t = find_step(verb);
    for (int i = 0; t && t->from[i]; i++)
        if (strcmp(t->from[i], status) == 0) return 1;
    return 0;
}

int hc_action_state_rank(const char *status)
{
    return hc_vocab_find(HC_VOCAB_ACTION_STATE, status);    /* open < rectified < verified */
}

/* Take one step: check the state, update, log, commit. */
static int transition(hc_store *s, const char *id, const char *verb, const char *arg, double cost,
                      int has_cost, const char *note, const char *data, hc_diags *d)
{
    const step *t = find_step(verb);
    if (hc_store_begin(s, d)) return -1;
    long long aid;
    char status[16];
    char *site = NULL, *uid = NULL;
    if (load(s, id, &aid, status, &site, &uid, d) != 0) goto fail;
    if (!hc_action_step_allowed(verb, status)) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "cannot %s action %lld: it is %s%s", verb, aid, status,
                     strcmp(status, "verified") == 0 ? " (closed)"
                     : strcmp(status, "open") == 0 && strcmp(verb, "verify") == 0
                         ? "; rectify it first"
                         : "");
        goto fail;
    }
    sqlite3_stmt *st = hc_store_stmt(s, t->sql, d);
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
    hc_store_touch(s, HC_ROWS_ACTIONS, uid);
    if (hc_store_event(s, t->event, uid, site, note, data, d) != 0) goto fail;
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
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "rectify needs a note: what was done");
        return -1;
    }
    double yuan = 0;
    if (cost) {
        char *end;
        yuan = strtod(cost, &end);
        if (*cost == '\0' || *end || !(yuan >= 0) || yuan > 1e12) {
            hc_diags_add(d, HC_ERROR, NULL, 0, 0, "cost '%s'; expected an amount in yuan", cost);
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
    int rc = transition(s, id, "rectify", NULL, yuan, 1, note, data.data, d);
    hc_buf_free(&data);
    return rc;
}

int hc_store_action_verify(hc_store *s, const char *id, const char *note, hc_diags *d)
{
    return transition(s, id, "verify", NULL, 0, 0, note, NULL, d);
}

int hc_store_action_reopen(hc_store *s, const char *id, const char *note, hc_diags *d)
{
    if (note == NULL || *note == '\0') {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "reopen needs a note: why the rectification failed");
        return -1;
    }
    return transition(s, id, "reopen", NULL, 0, 0, note, NULL, d);
}

int hc_store_action_assign(hc_store *s, const char *id, const char *to, hc_diags *d)
{
    if (to == NULL || *to == '\0') {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "assign needs the name of the person responsible");
        return -1;
    }
    hc_buf data = {0};
    hc_buf_puts(&data, "{\"to\":");
    hc_json_quote(&data, to, strlen(to));
    hc_buf_putc(&data, '}');
    int rc = transition(s, id, "assign", to, 0, 0, NULL, data.data, d);
    hc_buf_free(&data);
    return rc;
}

/* ---------------------------------------------------------------- listing */

/* The conditions of a filter, shared by the list and its count: ?1 site,
   ?2 status, ?3 supervisor, ?4 overdue only, ?5 today, ?6 squad, ?7 action,
   ?8 open only, ?9 and ?10 the deadline's first and last day. */
#define ACTION_WHERE                                                                              \
    " FROM actions a JOIN sites s ON s.id = a.site_id"                                            \
    " WHERE (?1 IS NULL OR a.site_id = ?1)"                                                       \
    "   AND (?2 IS NULL OR (a.status = ?2 AND a.voided_at IS NULL))"                              \
    "   AND (?3 IS NULL OR a.supervisor = ?3)"                                                    \
    "   AND (?4 = 0 OR (a.status <> 'verified' AND a.deadline < ?5 AND a.voided_at IS NULL))"     \
    "   AND (?6 IS NULL OR s.squad = ?6) AND (?7 IS NULL OR a.id = ?7)"                           \
    "   AND (?8 = 0 OR (a.status <> 'verified' AND a.voided_at IS NULL))"                         \
    "   AND (?9 IS NULL OR a.deadline >= ?9) AND (?10 IS NULL OR a.deadline <= ?10)"

/* Bind a filter's values to a statement made with ACTION_WHERE; -1 for a
   status that is none (reported). */
static int bind_filter(hc_store *s, sqlite3_stmt *st, const hc_action_filter *f, hc_diags *d)
{
    const char *status = f ? f->status : NULL;
    int overdue_only = status && strcmp(status, "overdue") == 0;
    if (status && !overdue_only && hc_vocab_find(HC_VOCAB_ACTION_STATE, status) < 0) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0,
                     "action status '%s'; expected open, rectified, verified or overdue", status);
        return -1;
    }
    hc_bind_text(st, 1, f ? f->site : NULL);
    hc_bind_text(st, 2, overdue_only ? NULL : status);
    hc_bind_text(st, 3, f ? f->inspector : NULL);
    sqlite3_bind_int(st, 4, overdue_only);
    hc_bind_text(st, 5, s->today);
    hc_bind_text(st, 6, f ? f->squad : NULL);
    hc_bind_text(st, 7, f ? f->id : NULL);
    sqlite3_bind_int(st, 8, f ? f->open_only : 0);
    hc_bind_text(st, 9, f ? f->due_from : NULL);
    hc_bind_text(st, 10, f ? f->due_until : NULL);
    return 0;
}

long long hc_store_action_count(hc_store *s, const hc_action_filter *f, hc_diags *d)
{
    sqlite3_stmt *st = hc_store_stmt(s, "SELECT count(*)" ACTION_WHERE, d);
    if (st == NULL || bind_filter(s, st, f, d) != 0) {
        if (st) sqlite3_reset(st);
        return -1;
    }
    int got = hc_store_row(s, st, d);
    long long n = got == 1 ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_reset(st);
    return n;
}

hc_doc *hc_store_action_list(hc_store *s, const hc_action_filter *f, hc_diags *d)
{
    sqlite3_stmt *st = hc_store_stmt(
        s,
        "SELECT a.id AS id, a.site_id AS site, s.name AS site_name, a.inspection_id AS inspection,"
        " a.item AS item, a.title AS title, a.severity AS severity, a.status AS status,"
        " a.deadline AS deadline, a.assignee AS assignee, a.supervisor AS supervisor,"
        " a.message AS message, a.ord AS \"order\", a.uid AS uid,"
        " (a.status <> 'verified' AND a.deadline < ?5 AND a.voided_at IS NULL) AS overdue, a.cost AS cost,"
        " s.listed AS site_listed, s.state AS site_state,"
        " a.voided_at IS NOT NULL AS void, a.void_reason AS void_reason"
        ACTION_WHERE
        " ORDER BY a.voided_at IS NOT NULL, a.status = 'verified', a.deadline, a.id LIMIT ?11 OFFSET ?12",
        d);
    if (st == NULL) return NULL;
    if (bind_filter(s, st, f, d) != 0) {
        sqlite3_reset(st);
        return NULL;
    }
    sqlite3_bind_int64(st, 11, f && f->limit > 0 ? f->limit : -1);
    sqlite3_bind_int64(st, 12, f && f->offset > 0 ? f->offset : 0);
    hc_doc *doc = hc_doc_new("actions");
    hc_node *root = (hc_node *)hc_doc_root(doc);
    hc_add_str(doc, root, "today", s->today);
    hc_node *list = hc_add_seq(doc, root, "actions");
    if (hc_store_add_rows(s, st, doc, list, "isssssssssssssbnbsbs", d) < 0) goto fail;
    if (f && f->no_events) return doc;
    /* each action's life, from the event log */
    st = hc_store_stmt(s, "SELECT at, CASE WHEN kind LIKE 'action.%' THEN substr(kind, 8)"
                          " ELSE kind END AS kind, by, note,"
                          " CASE WHEN kind = 'action.rectify' THEN json_extract(data, '$.evidence') END"
                          " AS evidence FROM events WHERE subject = ? ORDER BY seq",
                       d);
    if (st == NULL) goto fail;
    for (size_t i = 0; i < list->len; i++) {
        hc_node *a = list->kids[i];
        sqlite3_reset(st);
        hc_bind_text(st, 1, hc_map_get(a, "uid")->str);
        if (hc_store_add_rows(s, st, doc, hc_add_seq(doc, a, "events"), "ssssj", d) < 0) goto fail;
    }
    return doc;
fail:
    hc_doc_free(&doc);
    return NULL;
}
