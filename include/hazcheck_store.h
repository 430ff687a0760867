/*
** hazcheck_store.h: the closed loop, libhazcheck's store: sites, recorded
** inspections, follow-up actions, enforcement, figures, bundles and the
** audit. Readers return document trees (data); hazcheck_report.h turns them
** into text, JSON, CSV and pages. Nothing here names SQLite: the store is one
** backend behind these functions.
*/
#ifndef HAZCHECK_STORE_H
#define HAZCHECK_STORE_H

#include "hazcheck.h"


/*
** The closed loop in SQLite: sites, inspections, findings, follow-up actions,
** enforcement and an append-only, hash-chained event log. Every function
** that changes something writes its events in the same transaction.
*/
typedef struct hc_store hc_store;

/* Open, creating and migrating, the database at 'path': a SQLite file, or a
   PostgreSQL database named by a libpq URI (postgresql://...; messages show it
   without its password). A store is used by one thread at a time (it may move
   between threads): threads that work at once each open their own, as
   `serve`'s workers do. */
hc_store *hc_store_open(const char *path, hc_diags *d);
/* Whether 'where' names a PostgreSQL database rather than a file. */
int hc_store_is_uri(const char *where);
void hc_store_close(hc_store **s);
/* Fold the write-ahead log into the database file (a server stopping). */
int hc_store_checkpoint(hc_store *s, hc_diags *d);
/* 1 if the last error means no further write can succeed (disk full, I/O
   error, read-only or damaged file): a batch should stop instead of repeating it. */
int hc_store_fatal(const hc_store *s);
/*
** Group commit, for a batch: between hc_store_group_begin and
** hc_store_group_commit every change (a record, say) is a savepoint inside
** one transaction, so a batch pays one fsync per group instead of one per
** inspection. Each change is still whole: one that fails is undone alone and
** the group goes on. Nothing of the group is durable, or visible to others,
** before the commit returns 0; a crash before it loses the group whole, and
** recording the batch again completes it. -1 from the commit (reported): the
** group is not stored, none of it. hc_store_group_open: 1 a group is open,
** 0 none, -1 one is begun but lost (an error that ends a transaction, a full
** disk say): its commit will say -1, and no change succeeds before it.
*/
int hc_store_group_begin(hc_store *s, hc_diags *d);
int hc_store_group_commit(hc_store *s, hc_diags *d);
int hc_store_group_open(hc_store *s);
/* Who makes the changes, and the date taken as today (overdue, defaults). */
void hc_store_set_actor(hc_store *s, const char *actor);
void hc_store_set_today(hc_store *s, const char *date);
const char *hc_store_today(const hc_store *s);
/* hc_site_lookup over the site register (ud is the store). */
int hc_store_site_lookup(void *store, const char *id, hc_doc **out, hc_diags *d);

/*
** Record an evaluated inspection with its findings and one action per
** failed item. Returns 1 recorded, 0 already recorded (nothing changed), -1 error.
*/
int hc_store_record(hc_store *s, const hc_result *r, hc_diags *d);

typedef struct hc_reinspect_summary {
    size_t verified, still_failing, new_hazards;
} hc_reinspect_summary;
/* Re-inspect the failed items of 'parent' (its id, or a unique prefix of 6 or
   more characters) with result r (recorded too). */
int hc_store_reinspect(hc_store *s, const char *parent, const hc_result *r,
                       hc_reinspect_summary *sum, hc_diags *d);

/*
** Whose site a record is, for a server deciding who may see it (lookup.c):
** 1 found, 0 none, -1 error. The caller frees what is returned.
**   hc_store_site_squad: the registered site's squad (NULL when it has none).
**   hc_store_inspection_result: the stored result (formats.md section 4, the
**     JSON text `record` wrote; json may be NULL: not read) and the
**     inspection's site id; 'id' is exact.
**   hc_store_evidence_sites: {sites: [{id, squad}]}, the sites of the answers
**     and rectification steps that cite the evidence 'ref' (NULL on error).
*/
int hc_store_site_squad(hc_store *s, const char *id, char **squad, hc_diags *d);
int hc_store_inspection_result(hc_store *s, const char *id, char **json, char **site, hc_diags *d);
hc_doc *hc_store_evidence_sites(hc_store *s, const char *ref, hc_diags *d);

/* Sites: 1 added, 2 updated (change logged), 0 unchanged, -1 error. */
int hc_store_site_put(hc_store *s, const hc_node *profile, hc_diags *d);

/*
** Readers return data, a document tree the caller frees with hc_doc_free
** (NULL and a diagnostic on error); hazcheck_report.h renders it. Each
** root has "today", the date overdue is judged against.
**   hc_store_sites: {sites: [{id, name, district, industry, squad, inspector,
**                   contact, listed, state, open_actions, last_inspection}]}
**   hc_store_site:  {site: {id, name, ..., listed, state, profile,
**                   inspections: [...], actions: [...], enforcement: [...],
**                   n_inspections, n_actions}}
**   With 'rows' > 0 a site's page holds only the latest 'rows' inspections
**   (still oldest first) and the first 'rows' actions (open ones first, by
**   deadline); n_inspections and n_actions count them all. 0: everything.
*/
hc_doc *hc_store_sites(hc_store *s, hc_diags *d);
hc_doc *hc_store_site(hc_store *s, const char *id, long rows, hc_diags *d);
/* Only whose each site is: {sites: [{id, squad}]}, without the figures that
   hc_store_sites counts (what a permission check needs, on every request). */
hc_doc *hc_store_site_squads(hc_store *s, hc_diags *d);

typedef struct hc_action_filter {
    const char *site, *status, *inspector;
    const char *squad;            /* only the sites now in this squad */
    const char *id;               /* only this action (its number) */
    int no_events;                /* leave out each action's events (a list page) */
    int open_only;                /* not verified, not void */
    const char *due_from, *due_until;   /* the deadline within these days (inclusive) */
    long limit, offset;           /* a page of the list (limit 0: all) */
} hc_action_filter;
/* {actions: [{id, site, site_name, inspection, item, title, severity, status,
   deadline, assignee, supervisor, message, order, uid, overdue, cost,
   site_listed, site_state, events: [{at, kind, by, note, evidence}]}]}
   (evidence: a rectification's references, else null) */
hc_doc *hc_store_action_list(hc_store *s, const hc_action_filter *f, hc_diags *d);
/* How many actions the filter lists, without its limit and offset; -1 on error. */
long long hc_store_action_count(hc_store *s, const hc_action_filter *f, hc_diags *d);
/* 'id' is an action's number here ("12" or "#12") or its uid "INSPECTION#ITEM",
   the same in every database. Illegal transitions fail naming the current state. */
int hc_store_action_rectify(hc_store *s, const char *id, const char *note,
                            const char *const *evidence, size_t nevidence, const char *cost,
                            hc_diags *d);
int hc_store_action_verify(hc_store *s, const char *id, const char *note, hc_diags *d);
int hc_store_action_reopen(hc_store *s, const char *id, const char *note, hc_diags *d);
int hc_store_action_assign(hc_store *s, const char *id, const char *to, hc_diags *d);
/* May an action in 'status' take the step 'verb' (rectify, verify, reopen, assign)? */
int hc_action_step_allowed(const char *verb, const char *status);

/* interview, list, delist, penalty (amount), suspend, resume, close-down. */
int hc_store_enforce(hc_store *s, const char *site, const char *measure, const char *date,
                     const char *amount, const char *basis, const char *note, hc_diags *d);

/* Figures for a period (cli.md "Figures"): {period: {since, until}, by,
   rows: [{group, inspections, ...}]} (one row without a grouping). */
typedef struct hc_stats_query {
    const char *since, *until;    /* dates, inclusive; NULL: open-ended */
    const char *by;               /* NULL, district, squad, industry, checklist or month */
    int breakdowns;               /* also "breakdowns": rows by month, squad, district and
                                     industry (what the page's charts show) */
    const char *squad;            /* only the sites now in this squad (what a squad's user sees) */
} hc_stats_query;
hc_doc *hc_store_figures(hc_store *s, const hc_stats_query *q, hc_diags *d);

/* Move inspections, findings, actions, enforcement and events between
   databases. Import is idempotent: what is already there is skipped. */
int hc_store_export(hc_store *s, const char *since, FILE *out, hc_diags *d);
/* Corrections (cli.md): each needs a reason, is an event, and is final. An
   inspection's void voids its actions; a measure is named by its site and its
   number as `site show` lists them (from 1). 0, or -1 with why. */
int hc_store_inspection_void(hc_store *s, const char *ref, const char *reason, hc_diags *d);
/* Record r as the corrected inspection in place of 'ref', which is voided with
   'reason': the actions of items that still fail carry over to r with their
   number and history, the others are voided, new failures open actions. r must
   be of the same site and checklist, under an id of its own. 0, or -1 named. */
typedef struct hc_amend_summary {
    size_t carried, voided, opened;
} hc_amend_summary;
int hc_store_inspection_amend(hc_store *s, const char *ref, const hc_result *r, const char *reason,
                              hc_amend_summary *sum, hc_diags *d);
int hc_store_action_void(hc_store *s, const char *ref, const char *reason, hc_diags *d);
int hc_store_enforce_void(hc_store *s, const char *site, long number, const char *reason,
                          hc_diags *d);

/* What an import did, by record type: added, changed (a site's newer profile,
   an action further along) and already held as it is. */
enum { HC_IMPORT_SITE, HC_IMPORT_INSPECTION, HC_IMPORT_ACTION, HC_IMPORT_MEASURE,
       HC_IMPORT_EVENT, HC_IMPORT_N };
typedef struct hc_import_summary {
    long added[HC_IMPORT_N], changed[HC_IMPORT_N], held[HC_IMPORT_N];
} hc_import_summary;
/* sum may be NULL; it is filled only when the import commits. */
int hc_store_import(hc_store *s, const char *path, hc_import_summary *sum, hc_diags *d);

/*
** The people who sign in to `serve` (users.c). An account: a name, a role
** (admin, leader, inspector, enterprise), a squad (leader, inspector) or its
** own registered sites (enterprise), a password of 8 or more characters. Each
** change is an event; a new password or a disabled account ends its sessions.
*/
typedef struct hc_user_spec {
    const char *name, *role, *squad;
    const char *const *sites;
    size_t nsites;
} hc_user_spec;
int hc_store_user_add(hc_store *s, const hc_user_spec *u, const char *password, hc_diags *d);
int hc_store_user_passwd(hc_store *s, const char *name, const char *password, hc_diags *d);
int hc_store_user_disable(hc_store *s, const char *name, hc_diags *d);
/* Every account as {"users": [...]}, without its password: name, role, squad,
   sites, disabled_at, created_at. */
hc_doc *hc_store_users(hc_store *s, hc_diags *d);

/* A signed-in user; hc_session_free frees what it holds. */
typedef struct hc_session {
    char *user, *squad;
    char **sites;
    size_t nsites;
    hc_role role;
    char token[65];               /* only from hc_store_sign_in: the browser's cookie */
    char csrf[65];                /* what every change must carry */
} hc_session;
void hc_session_free(hc_session *u);
enum { HC_SIGN_IN_OK, HC_SIGN_IN_REFUSED, HC_SIGN_IN_THROTTLED };
/* HC_SIGN_IN_OK (a new session in *out), REFUSED (an unknown name, a wrong
   password or a disabled account: the same answer), THROTTLED (too many
   failures of this name or address of late), or -1 on a database error. */
int hc_store_sign_in(hc_store *s, const char *name, const char *password, const char *address,
                     hc_session *out, hc_diags *d);
/* The session of a token: 1 (its user in *out), 0 (none, expired, disabled), -1 error. */
int hc_store_session(hc_store *s, const char *token, hc_session *out, hc_diags *d);
int hc_store_sign_out(hc_store *s, const char *token, hc_diags *d);

/*
** Drafts (drafts.c): an inspection being filled in on the pages of `serve`,
** its user's alone. hc_store_draft: 1 and {draft: {id, site, checklist, kind,
** date, answers, updated_at}} in *out, 0 none (or another user's), -1 error.
** hc_store_draft_answer sets the answer of 'item' (JSON text), or removes it
** (json NULL).
*/
typedef struct hc_draft_spec {
    const char *user, *site, *checklist, *kind, *date;
} hc_draft_spec;
int hc_store_draft_new(hc_store *s, const hc_draft_spec *spec, char id[65], hc_diags *d);
int hc_store_draft(hc_store *s, const char *id, const char *user, hc_doc **out, hc_diags *d);
int hc_store_draft_answer(hc_store *s, const char *id, const char *user, const char *item, const char *json,
                          hc_diags *d);
int hc_store_draft_delete(hc_store *s, const char *id, const char *user, hc_diags *d);

/* What an inspection's report, rectification notice and re-inspection record
   show, as recorded (templates/report.html documents the fields). */
hc_doc *hc_store_report_data(hc_store *s, const char *ref, hc_diags *d);   /* ref: id or prefix */

/*
** Who to visit next (cli.md "Planning visits"; store/plan.c explains the score
** and the draw): {from, until, days, squad, weights, sites: [{site, name, squad,
** inspector, last_visit, score, priority, reasons: [{code, count, days, points}]}]
** (highest score first), priority_count, draw: {seed, asked, pool, picks: [{site,
** name, squad, resident, inspector}]} (with random > 0; the draw is then written
** to the event log), visits: [{date, inspector, site, name, why, score}]}.
*/
typedef struct hc_plan_weight {
    const char *code;
    double value;
    const char *what;             /* for people (English; translate with the catalogue) */
} hc_plan_weight;
typedef struct hc_plan_query {
    const char *squad;            /* NULL: every squad */
    const char *from;             /* the plan's first day; NULL: today */
    int days;                     /* 0: 7 */
    int random;                   /* sites to draw (双随机); 0: no draw */
    const char *seed;             /* NULL: a fresh one (in the result) */
    const hc_plan_weight *weights;   /* overrides of the defaults, by code */
    size_t nweights;
} hc_plan_query;
hc_doc *hc_store_plan(hc_store *s, const hc_plan_query *q, hc_diags *d);
/* The weights and their defaults, in the order the README lists them. */
const hc_plan_weight *hc_plan_weights(size_t *n);

/* 0 intact (*events: how many, when not NULL); 1 not, the first bad event
   named in d; -1 error. Recorded draws are drawn again (hc_store_plan). */
int hc_store_audit(hc_store *s, long long *events, hc_diags *d);

#endif
