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
    hc_stmt *st = hc_store_stmt(s, "SELECT status, site_id, uid, voided_at FROM actions WHERE id = ?", d);
    if (st == NULL) return -1;
    hc_sql_bind_int(st, 1, *aid);
    int got = hc_store_row(s, st, d);
    if (got <= 0) {
        if (got == 0) hc_diags_add(d, HC_ERROR, s->path, 0, 0, "no action %lld", *aid);
        return -1;
    }
    if (!hc_sql_is_null(st, 3)) {      /* a void is final */
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "action %lld is void; it takes no more steps", *aid);
        hc_sql_reset(st);
        return -1;
    }
    snprintf(status, 16, "%s", hc_sql_text(st, 0));
    *site = hc_xstrdup(hc_sql_text(st, 1));
    *uid = hc_xstrdup(hc_sql_text(st, 2));
    hc_sql_reset(st);
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
    hc_stmt *st = hc_store_stmt(s, t->sql, d);
    if (st == NULL) goto fail;
    /* parameters by number; a statement binds only those it names */
    int np = hc_sql_param_count(st);
    hc_sql_bind_int(st, 1, aid);
    if (np >= 2) hc_sql_bind_text(st, 2, arg);
    if (np >= 3 && has_cost) hc_sql_bind_double(st, 3, cost);
    if (np >= 4) hc_sql_bind_text(st, 4, s->today);
    if (hc_sql_step(st) != HC_SQL_DONE) {
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

/* The conditions of a filter, shared by the list and its count: only those
   the filter sets, so that SQLite picks the index they match (a condition
   written as "(? IS NULL OR ...)" hides every index from the planner). Open
   means neither verified nor void, in the words of the partial indexes
   actions_open and actions_due. A list walks the actions in its order
   (SQLite's CROSS JOIN keeps them the outer loop, so the index actions_order or
   actions_due gives the first page without sorting them all); a count reads
   no site, and a squad is its sites' ids, so that the index alone counts,
   site by site (a join would look up the site of every action). A count of
   open actions narrowed only by site, squad and deadline sums the table
   open_days instead (schema 10: a row per site and deadline day), under the
   same alias, whose rows are all open. Appends " FROM ... WHERE ..." to 'sql';
   -1 for a status that is none (reported). */
enum { COUNT_ROWS, LIST_ROWS, SUM_OPEN_DAYS };
static int action_where(hc_buf *sql, const hc_action_filter *f, int how, int pg, hc_diags *d)
{
    int list = how == LIST_ROWS;
    const char *status = f ? f->status : NULL;
    int overdue = status && strcmp(status, "overdue") == 0;
    if (status && !overdue && hc_vocab_find(HC_VOCAB_ACTION_STATE, status) < 0) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0,
                     "action status '%s'; expected open, rectified, verified or overdue", status);
        return -1;
    }
    /* PostgreSQL has no CROSS JOIN with a condition, nor needs the hint; nor a WHERE 1 */
    hc_buf_puts(sql, list && pg             ? " FROM actions a JOIN sites s ON s.id = a.site_id WHERE true"
                     : list                 ? " FROM actions a CROSS JOIN sites s ON s.id = a.site_id WHERE 1"
                     : how == SUM_OPEN_DAYS ? " FROM open_days a WHERE 1 = 1"
                                            : " FROM actions a WHERE 1 = 1");
    if (f == NULL) return 0;
    if (f->site) hc_buf_puts(sql, " AND a.site_id = :site");
    if (status && !overdue) hc_buf_puts(sql, " AND a.status = :status AND a.voided_at IS NULL");
    if (f->inspector) hc_buf_puts(sql, " AND a.supervisor = :supervisor");
    if ((overdue || f->open_only) && how != SUM_OPEN_DAYS)
        hc_buf_puts(sql, " AND a.status <> 'verified' AND a.voided_at IS NULL");
    if (overdue) hc_buf_puts(sql, " AND a.deadline < :today");
    if (f->squad)
        hc_buf_puts(sql, list ? " AND s.squad = :squad" : " AND a.site_id IN (SELECT id FROM sites WHERE squad = :squad)");
    if (f->id) hc_buf_puts(sql, " AND a.id = :id");
    if (f->due_from) hc_buf_puts(sql, " AND a.deadline >= :due_from");
    if (f->due_until) hc_buf_puts(sql, " AND a.deadline <= :due_until");
    return 0;
}

/* Bind by name what the statement names (action_where wrote only what the
   filter sets, the list also names :today, :limit and :offset). */
static void bind_named(hc_stmt *st, const char *name, const char *value)
{
    int i = hc_sql_param_index(st, name);
    if (i > 0) hc_sql_bind_text(st, i, value);
}

static void bind_filter(hc_store *s, hc_stmt *st, const hc_action_filter *f)
{
    bind_named(st, ":today", s->today);
    if (f == NULL) return;
    bind_named(st, ":site", f->site);
    bind_named(st, ":status", f->status);
    bind_named(st, ":supervisor", f->inspector);
    bind_named(st, ":squad", f->squad);
    bind_named(st, ":id", f->id);
    bind_named(st, ":due_from", f->due_from);
    bind_named(st, ":due_until", f->due_until);
}

/* The statement 'head' + the filter's conditions + 'tail', prepared and bound. */
static hc_stmt *filtered(hc_store *s, const char *head, const hc_action_filter *f, int how,
                              const char *tail, hc_diags *d)
{
    hc_buf sql = {0};
    hc_buf_puts(&sql, head);
    hc_stmt *st = NULL;
    if (action_where(&sql, f, how, s->pg.conn != NULL, d) == 0) {
        hc_buf_puts(&sql, tail);
        st = hc_store_stmt_built(s, sql.data, d);
    }
    hc_buf_free(&sql);
    if (st) bind_filter(s, st, f);
    return st;
}

long long hc_store_action_count(hc_store *s, const hc_action_filter *f, hc_diags *d)
{
    int overdue = f && f->status && strcmp(f->status, "overdue") == 0;
    int by_day = f && (overdue || (f->open_only && f->status == NULL)) && f->inspector == NULL && f->id == NULL;
    hc_stmt *st = by_day
                           ? filtered(s, "SELECT coalesce(sum(a.n), 0)", f, SUM_OPEN_DAYS, "", d)
                           : filtered(s, "SELECT count(*)", f, COUNT_ROWS, "", d);
    if (st == NULL) return -1;
    int got = hc_store_row(s, st, d);
    long long n = got == 1 ? hc_sql_int(st, 0) : -1;
    hc_sql_reset(st);
    return n;
}

hc_doc *hc_store_action_list(hc_store *s, const hc_action_filter *f, hc_diags *d)
{
    /* open ones first, soonest deadline first; among open ones alone the
       order is the deadline's, which the index actions_due gives unsorted */
    static const char all_order[] =
        " ORDER BY a.voided_at IS NOT NULL, a.status = 'verified', a.deadline, a.id LIMIT :limit OFFSET :offset";
    int open = f && (f->open_only || (f->status && strcmp(f->status, "overdue") == 0));
    hc_stmt *st = filtered(
        s,
        "SELECT a.id AS id, a.site_id AS site, s.name AS site_name, a.inspection_id AS inspection,"
        " a.item AS item, a.title AS title, a.severity AS severity, a.status AS status,"
        " a.deadline AS deadline, a.assignee AS assignee, a.supervisor AS supervisor,"
        " a.message AS message, a.ord AS \"order\", a.uid AS uid,"
        " (a.status <> 'verified' AND a.deadline < :today AND a.voided_at IS NULL) AS overdue, a.cost AS cost,"
        " s.listed AS site_listed, s.state AS site_state,"
        " a.voided_at IS NOT NULL AS void, a.void_reason AS void_reason",
        f, LIST_ROWS, open ? " ORDER BY a.deadline, a.id LIMIT :limit OFFSET :offset" : all_order, d);
    if (st == NULL) return NULL;
    hc_sql_bind_limit(st, hc_sql_param_index(st, ":limit"), f ? f->limit : 0);
    hc_sql_bind_int(st, hc_sql_param_index(st, ":offset"), f && f->offset > 0 ? f->offset : 0);
    hc_doc *doc = hc_doc_new("actions");
    hc_node *root = (hc_node *)hc_doc_root(doc);
    hc_add_str(doc, root, "today", s->today);
    hc_node *list = hc_add_seq(doc, root, "actions");
    if (hc_store_add_rows(s, st, doc, list, "isssssssssssssbnbsbs", d) < 0) goto fail;
    if (f && f->no_events) return doc;
    /* each action's life, from the event log */
    st = hc_store_stmt(s, "SELECT at, CASE WHEN kind LIKE 'action.%' THEN substr(kind, 8)"
                          " ELSE kind END AS kind, \"by\", note,"
                          " CASE WHEN kind = 'action.rectify' THEN json_extract(data, '$.evidence') END"
                          " AS evidence FROM events WHERE subject = ? ORDER BY seq",
                       d);
    if (st == NULL) goto fail;
    for (size_t i = 0; i < list->len; i++) {
        hc_node *a = list->kids[i];
        hc_sql_reset(st);
        hc_sql_bind_text(st, 1, hc_map_get(a, "uid")->str);
        if (hc_store_add_rows(s, st, doc, hc_add_seq(doc, a, "events"), "ssssj", d) < 0) goto fail;
    }
    return doc;
fail:
    hc_doc_free(&doc);
    return NULL;
}
