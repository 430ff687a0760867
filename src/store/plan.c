/*
** plan.c: who to visit next (cli.md "Planning visits"): a risk score per site
** from what the records show, and the 双随机 draw of the routine visits.
**
** The score is a sum of points, each from one fact about the site as of the
** plan's first day, weighted by the one table below (the README documents it;
** the configuration file's plan_weights overrides any of them):
**
**   open_major, open_general   per hazard not yet verified, by severity
**   overdue, overdue_day       per action past its deadline, and per day past it
**                              (at most OVERDUE_DAYS_MAX days an action)
**   since_visit_day            per day since the last inspection by the bureau
**                              (self-assessments are not visits; at most 365 days)
**   never_visited              instead of that, when the bureau never inspected it
**   listed, suspended          the site's enforcement status
**   grade1 .. grade4           the GB 18218 grade of its major hazard sources
**                              (profile key major_hazard_grade, 1 is the highest)
**   self_understated           per item the latest self-assessment passed that
**                              the last inspection failed (same checklist, later date)
**
** A site whose score reaches 'priority' is a priority visit. Closed sites are
** not planned. The rest are the pool of the draw: K sites, each with an
** inspector of its squad (never its resident inspector when the squad has
** another), drawn with hc_rng (base/rng.c) over lists sorted by their bytes.
** The draw's inputs, seed and picks are written to the event log, and
** `audit verify` draws again from the inputs and compares (hc_plan_audit).
**
** Reasons are returned as codes with their numbers, never as sentences: the
** report layer words them, so JSON stays the same in every language.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "store/store.h"

#define OVERDUE_DAYS_MAX 60
#define SINCE_VISIT_MAX 365
#define SEED_MAX 64

static const hc_plan_weight defaults[] = {
    {"open_major", 30, N_("points per major hazard not yet verified")},
    {"open_general", 5, N_("points per general hazard not yet verified")},
    {"overdue", 10, N_("points per action past its deadline")},
    {"overdue_day", 0.5, N_("points per day an action is past its deadline (at most 60 days an action)")},
    {"since_visit_day", 0.05, N_("points per day since the bureau's last inspection (at most 365 days)")},
    {"never_visited", 20, N_("points when the bureau has never inspected the site")},
    {"listed", 20, N_("points when the site is blacklisted")},
    {"suspended", 15, N_("points when the site is ordered to suspend (is it still stopped?)")},
    {"grade1", 25, N_("points for a grade 1 major hazard source (GB 18218)")},
    {"grade2", 18, N_("points for a grade 2 major hazard source")},
    {"grade3", 12, N_("points for a grade 3 major hazard source")},
    {"grade4", 6, N_("points for a grade 4 major hazard source")},
    {"self_understated", 8, N_("points per item a self-assessment passed that the last inspection failed")},
    {"priority", 30, N_("the score from which a site is a priority visit")},
};
enum { W_OPEN_MAJOR, W_OPEN_GENERAL, W_OVERDUE, W_OVERDUE_DAY, W_SINCE_VISIT_DAY, W_NEVER_VISITED,
       W_LISTED, W_SUSPENDED, W_GRADE1, W_GRADE2, W_GRADE3, W_GRADE4, W_SELF_UNDERSTATED,
       W_PRIORITY, NWEIGHTS };
_Static_assert(sizeof defaults / sizeof defaults[0] == NWEIGHTS, "one row per weight");

const hc_plan_weight *hc_plan_weights(size_t *n)
{
    *n = NWEIGHTS;
    return defaults;
}

/* ------------------------------------------------------- the score */

typedef struct reason {
    const char *code;          /* a weight's code */
    long long count, days;     /* how many; days (overdue, since the visit), or -1 */
    double points;
} reason;

typedef struct site_row {
    const char *id, *name, *squad, *inspector, *last_visit;   /* in the plan's arena */
    int listed, suspended;
    double score;
    reason why[8];
    size_t nwhy;
} site_row;

static void add_reason(site_row *r, const char *code, long long count, long long days,
                       double points)
{
    if (points == 0 || r->nwhy == sizeof r->why / sizeof r->why[0]) return;
    r->why[r->nwhy++] = (reason){code, count, days, points};
    r->score += points;
}

static int by_score(const void *a, const void *b)
{
    const site_row *x = a, *y = b;
    if (x->score != y->score) return x->score > y->score ? -1 : 1;
    return strcmp(x->id, y->id);
}

/* Points are shown with at most one decimal; sums are rounded the same way. */
static double round1(double x) { return round(x * 10) / 10; }

static const char *col(hc_stmt *st, int i, hc_arena *a)
{
    const char *t = hc_sql_text(st, i);
    return t ? hc_arena_strdup(a, t) : NULL;
}

static const char FACTS[] =
    "SELECT s.id, s.name, s.squad, s.inspector, s.listed, s.state,"
    " json_extract(s.profile, '$.major_hazard_grade'),"
    " (SELECT count(*) FROM actions a WHERE a.site_id = s.id AND a.status <> 'verified' AND a.voided_at IS NULL"
    "   AND a.severity = 'major' AND a.opened_on <= ?1),"
    " (SELECT count(*) FROM actions a WHERE a.site_id = s.id AND a.status <> 'verified' AND a.voided_at IS NULL"
    "   AND a.severity = 'general' AND a.opened_on <= ?1),"
    " (SELECT count(*) FROM actions a WHERE a.site_id = s.id AND a.status <> 'verified' AND a.voided_at IS NULL"
    "   AND a.deadline < ?1),"
    " (SELECT coalesce(sum(min(CAST(julianday(?1) - julianday(a.deadline) AS INTEGER), ?2)), 0)"
    "   FROM actions a WHERE a.site_id = s.id AND a.status <> 'verified' AND a.voided_at IS NULL AND a.deadline < ?1),"
    " (SELECT max(CAST(julianday(?1) - julianday(a.deadline) AS INTEGER)) FROM actions a"
    "   WHERE a.site_id = s.id AND a.status <> 'verified' AND a.voided_at IS NULL AND a.deadline < ?1),"
    " (SELECT max(i.date) FROM inspections i WHERE i.voided_at IS NULL AND i.site_id = s.id AND i.kind <> 'self'"
    "   AND i.date <= ?1),"
    /* items the latest self-assessment passed that the latest inspection failed */
    " (SELECT count(*) FROM inspections ie"
    "   JOIN inspections iself ON iself.id = (SELECT i.id FROM inspections i WHERE i.voided_at IS NULL AND i.site_id = s.id"
    "     AND i.kind = 'self' AND i.date <= ?1" HC_SQL_NEWEST_FIRST("i.") " LIMIT 1)"
    "     AND iself.checklist = ie.checklist AND iself.date >= ie.date"
    "   JOIN findings fe ON fe.inspection_id = ie.id AND fe.status = 'fail'"
    "   JOIN findings fs ON fs.inspection_id = iself.id AND fs.item = fe.item AND fs.status = 'pass'"
    "   WHERE ie.id = (SELECT i.id FROM inspections i WHERE i.voided_at IS NULL AND i.site_id = s.id"
    "     AND i.kind = 'enforcement' AND i.date <= ?1" HC_SQL_NEWEST_FIRST("i.") " LIMIT 1))"
    " FROM sites s WHERE s.state <> 'closed' AND (?3 IS NULL OR s.squad = ?3) ORDER BY s.id";

/* Every site in scope with its score and reasons, unsorted; -1 on a database error. */
static long read_sites(hc_store *s, const char *asof, const char *squad, const double *w,
                       hc_arena *a, site_row **out, hc_diags *d)
{
    hc_stmt *st = hc_store_stmt(s, FACTS, d);
    if (st == NULL) return -1;
    hc_sql_bind_text(st, 1, asof);
    hc_sql_bind_int(st, 2, OVERDUE_DAYS_MAX);
    hc_sql_bind_text(st, 3, squad);
    site_row *rows = NULL;
    size_t n = 0, cap = 0;
    long days_asof;
    hc_date_parse(asof, strlen(asof), &days_asof);
    int rc;
    while ((rc = hc_sql_step(st)) == HC_SQL_ROW) {
        HC_GROW(rows, cap, n + 1);
        site_row *r = &rows[n++];
        memset(r, 0, sizeof *r);
        r->id = col(st, 0, a);
        r->name = col(st, 1, a);
        r->squad = col(st, 2, a);
        r->inspector = col(st, 3, a);
        r->listed = (int)hc_sql_int(st, 4);
        const char *state = hc_sql_text(st, 5);
        r->suspended = state && strcmp(state, "suspended") == 0;
        int grade = hc_sql_column_type(st, 6) == HC_SQL_INTEGER ? (int)hc_sql_int(st, 6) : 0;
        long long major = hc_sql_int(st, 7), general = hc_sql_int(st, 8);
        long long overdue = hc_sql_int(st, 9), overdue_days = hc_sql_int(st, 10);
        long long worst = hc_sql_int(st, 11);
        r->last_visit = col(st, 12, a);
        long long understated = hc_sql_int(st, 13);

        add_reason(r, "open_major", major, -1, major * w[W_OPEN_MAJOR]);
        add_reason(r, "open_general", general, -1, general * w[W_OPEN_GENERAL]);
        add_reason(r, "overdue", overdue, worst, overdue * w[W_OVERDUE] + overdue_days * w[W_OVERDUE_DAY]);
        long visit;
        if (r->last_visit && hc_date_parse(r->last_visit, strlen(r->last_visit), &visit) == 0) {
            long long since = days_asof - visit;
            if (since > SINCE_VISIT_MAX) since = SINCE_VISIT_MAX;
            add_reason(r, "since_visit_day", 1, days_asof - visit, since * w[W_SINCE_VISIT_DAY]);
        } else {
            add_reason(r, "never_visited", 1, -1, w[W_NEVER_VISITED]);
        }
        if (r->listed) add_reason(r, "listed", 1, -1, w[W_LISTED]);
        if (r->suspended) add_reason(r, "suspended", 1, -1, w[W_SUSPENDED]);
        if (grade >= 1 && grade <= 4)
            add_reason(r, defaults[W_GRADE1 + grade - 1].code, grade, -1, w[W_GRADE1 + grade - 1]);
        add_reason(r, "self_understated", understated, -1, understated * w[W_SELF_UNDERSTATED]);
        for (size_t i = 0; i < r->nwhy; i++) r->why[i].points = round1(r->why[i].points);
        r->score = round1(r->score);
    }
    if (rc != HC_SQL_DONE) {
        free(rows);
        return hc_store_error(s, d, "reading the sites to plan");
    }
    *out = rows;
    return (long)n;
}

/* The squads' inspectors: every resident inspector named in the register, by squad. */
static long read_rosters(hc_store *s, hc_arena *a, roster **out, hc_diags *d)
{
    hc_stmt *st = hc_store_stmt(s, "SELECT DISTINCT squad, inspector FROM sites"
                                        " WHERE inspector IS NOT NULL AND inspector <> ''"
                                        " ORDER BY squad, inspector", d);   /* BINARY: by bytes */
    if (st == NULL) return -1;
    roster *r = NULL;
    size_t n = 0, cap = 0, namecap = 0;
    int rc;
    while ((rc = hc_sql_step(st)) == HC_SQL_ROW) {
        const char *squad = col(st, 0, a), *name = col(st, 1, a);
        if (n == 0 || !hc_same_text(r[n - 1].squad, squad)) {
            HC_GROW(r, cap, n + 1);
            r[n++] = (roster){squad, NULL, 0};
            namecap = 0;
        }
        roster *ro = &r[n - 1];
        HC_GROW(ro->names, namecap, ro->n + 1);
        ro->names[ro->n++] = name;
    }
    if (rc != HC_SQL_DONE) {
        for (size_t i = 0; i < n; i++) free(r[i].names);
        free(r);
        return hc_store_error(s, d, "reading the squads");
    }
    *out = r;
    return (long)n;
}

static void free_rosters(roster *r, long n)
{
    for (long i = 0; i < n; i++) free(r[i].names);
    free(r);
}

/* ------------------------------------------------------------ the plan */

static int weights_of(const hc_plan_query *q, double w[NWEIGHTS], hc_diags *d)
{
    for (size_t i = 0; i < NWEIGHTS; i++) w[i] = defaults[i].value;
    for (size_t k = 0; k < q->nweights; k++) {
        size_t i = 0;
        while (i < NWEIGHTS && strcmp(defaults[i].code, q->weights[k].code) != 0) i++;
        if (i == NWEIGHTS) {
            const char *names[NWEIGHTS + 1];
            for (size_t j = 0; j < NWEIGHTS; j++) names[j] = defaults[j].code;
            names[NWEIGHTS] = NULL;
            const char *hint = hc_did_you_mean(q->weights[k].code, names);
            if (hint)
                hc_diags_add(d, HC_ERROR, "plan_weights", 0, 0,
                             _("unknown weight '%s'; did you mean '%s'?"), q->weights[k].code, hint);
            else
                hc_diags_add(d, HC_ERROR, "plan_weights", 0, 0, _("unknown weight '%s'"),
                             q->weights[k].code);
            return -1;
        }
        if (!isfinite(q->weights[k].value) || q->weights[k].value < 0) {
            hc_diags_add(d, HC_ERROR, "plan_weights", 0, 0,
                         _("weight '%s' must be a number of points, 0 or more"), defaults[i].code);
            return -1;
        }
        w[i] = q->weights[k].value;
    }
    return 0;
}

/* Monday to Friday of [from, from + days); every day when that holds none. */
static size_t workdays(long from, int days, long *out)
{
    size_t n = 0;
    for (int i = 0; i < days; i++) {
        long z = from + i;
        int weekday = (int)(((z + 4) % 7 + 7) % 7);       /* 1970-01-01 was a Thursday; 0 Sunday */
        if (weekday != 0 && weekday != 6) out[n++] = z;
    }
    if (n == 0)
        for (int i = 0; i < days; i++) out[n++] = from + i;
    return n;
}

static void add_site(hc_doc *doc, hc_node *seq, const site_row *r, int priority, double *w)
{
    hc_node *m = hc_add_map(doc, seq, NULL);
    hc_add_str(doc, m, "site", r->id);
    hc_add_str(doc, m, "name", r->name);
    hc_add_str(doc, m, "squad", r->squad);
    hc_add_str(doc, m, "inspector", r->inspector);
    hc_add_str(doc, m, "last_visit", r->last_visit);
    hc_add_num(doc, m, "score", r->score);
    hc_add_bool(doc, m, "priority", priority);
    hc_node *why = hc_add_seq(doc, m, "reasons");
    for (size_t i = 0; i < r->nwhy; i++) {
        hc_node *x = hc_add_map(doc, why, NULL);
        hc_add_str(doc, x, "code", r->why[i].code);
        hc_add_int(doc, x, "count", r->why[i].count);
        if (r->why[i].days >= 0) hc_add_int(doc, x, "days", r->why[i].days);
        hc_add_num(doc, x, "points", r->why[i].points);
    }
    (void)w;
}

/* The draw's record: what it was drawn from, the seed and the picks (JSON). */
static char *draw_record(const hc_plan_query *q, const char *from, const char *seed,
                         const candidate *pool, size_t npool, size_t k, const candidate *picked,
                         const char *const *inspector, const roster *rosters, size_t nrosters)
{
    hc_doc *doc = hc_doc_new("draw");
    hc_node *root = (hc_node *)hc_doc_root(doc);
    hc_add_str(doc, root, "seed", seed);
    hc_add_str(doc, root, "from", from);
    hc_add_str(doc, root, "squad", q->squad);
    hc_add_int(doc, root, "k", (long long)k);
    hc_node *c = hc_add_seq(doc, root, "candidates");
    for (size_t i = 0; i < npool; i++) {
        hc_node *m = hc_add_map(doc, c, NULL);
        hc_add_str(doc, m, "site", pool[i].site);
        hc_add_str(doc, m, "squad", pool[i].squad);
        hc_add_str(doc, m, "resident", pool[i].resident);
    }
    hc_node *rs = hc_add_seq(doc, root, "rosters");
    for (size_t i = 0; i < nrosters; i++) {
        hc_node *m = hc_add_map(doc, rs, NULL);
        hc_add_str(doc, m, "squad", rosters[i].squad);
        hc_node *names = hc_add_seq(doc, m, "inspectors");
        for (size_t j = 0; j < rosters[i].n; j++) hc_add_str(doc, names, NULL, rosters[i].names[j]);
    }
    hc_node *p = hc_add_seq(doc, root, "picks");
    for (size_t i = 0; i < k; i++) {
        hc_node *m = hc_add_map(doc, p, NULL);
        hc_add_str(doc, m, "site", picked[i].site);
        hc_add_str(doc, m, "inspector", inspector[i]);
    }
    char *json = hc_node_json(root);
    hc_doc_free(&doc);
    return json;
}

static int valid_seed(const char *seed)
{
    size_t n = strlen(seed);
    if (n == 0 || n > SEED_MAX) return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)seed[i] <= ' ' || seed[i] == 0x7f) return 0;
    return 1;
}

hc_doc *hc_store_plan(hc_store *s, const hc_plan_query *q, hc_diags *d)
{
    double w[NWEIGHTS];
    if (weights_of(q, w, d)) return NULL;
    const char *from = q->from ? q->from : s->today;
    long from_day;
    if (hc_date_parse(from, strlen(from), &from_day) != 0) {
        hc_diags_add(d, HC_ERROR, s->path, 0, 0, _("plan: '%s' is not a date (YYYY-MM-DD)"), from);
        return NULL;
    }
    int days = q->days > 0 ? q->days : 7;
    if (days > 366) {
        hc_diags_add(d, HC_ERROR, s->path, 0, 0, _("plan: at most 366 days, not %d"), days);
        return NULL;
    }
    char seed[SEED_MAX + 1];
    if (q->seed) {
        if (!valid_seed(q->seed)) {
            hc_diags_add(d, HC_ERROR, s->path, 0, 0,
                         _("plan: a seed is 1 to 64 characters without spaces"));
            return NULL;
        }
        snprintf(seed, sizeof seed, "%s", q->seed);
    } else {
        char uid[33];
        hc_store_uid(uid);
        snprintf(seed, sizeof seed, "%.16s", uid);
    }

    hc_doc *doc = hc_doc_new("plan");
    hc_arena *a = hc_doc_arena(doc);
    site_row *rows = NULL;
    roster *rosters = NULL;
    long nrosters = 0;
    candidate *pool = NULL;
    const char **inspector = NULL;
    char *record = NULL;
    long n = read_sites(s, from, q->squad, w, a, &rows, d);
    if (n < 0) goto fail;
    nrosters = read_rosters(s, a, &rosters, d);
    if (nrosters < 0) goto fail;
    if (rows && n > 1) qsort(rows, (size_t)n, sizeof *rows, by_score);

    hc_node *root = (hc_node *)hc_doc_root(doc);
    char until[11];
    hc_date_format(from_day + days - 1, until);
    hc_add_str(doc, root, "from", from);
    hc_add_str(doc, root, "until", until);
    hc_add_int(doc, root, "days", days);
    hc_add_str(doc, root, "squad", q->squad);
    hc_node *wm = hc_add_map(doc, root, "weights");
    for (size_t i = 0; i < NWEIGHTS; i++) hc_add_num(doc, wm, defaults[i].code, w[i]);

    /* the ranking; priority visits first, the rest the pool of the draw, by id */
    hc_node *sites = hc_add_seq(doc, root, "sites");
    size_t npool = 0, npriority = 0;
    pool = hc_xcalloc((size_t)n + 1, sizeof *pool);
    for (long i = 0; i < n; i++) {
        int priority = rows[i].score >= w[W_PRIORITY];
        npriority += (size_t)priority;
        add_site(doc, sites, &rows[i], priority, w);
        if (!priority) pool[npool++] = (candidate){rows[i].id, rows[i].squad, rows[i].inspector};
    }
    hc_add_int(doc, root, "priority_count", (long long)npriority);
    for (size_t i = 1; i < npool; i++)              /* sorted by bytes, as rng.c documents */
        for (size_t j = i; j > 0 && strcmp(pool[j - 1].site, pool[j].site) > 0; j--) {
            candidate t = pool[j];
            pool[j] = pool[j - 1];
            pool[j - 1] = t;
        }

    size_t k = q->random > 0 ? (size_t)q->random : 0;
    if (k > npool) {
        if (k > 0)
            hc_diags_add(d, HC_WARNING, s->path, 0, 0,
                         hc_trn("plan: %zu site asked for, only %zu can be drawn",
                                "plan: %zu sites asked for, only %zu can be drawn", k), k, npool);
        k = npool;
    }
    inspector = hc_xcalloc(k + 1, sizeof *inspector);
    candidate *picked = hc_xcalloc(npool + 1, sizeof *picked);
    memcpy(picked, pool, npool * sizeof *pool);
    if (q->random > 0) {
        hc_draw_pick(seed, picked, npool, k, rosters, (size_t)nrosters, inspector);
        hc_node *dr = hc_add_map(doc, root, "draw");
        hc_add_str(doc, dr, "seed", seed);
        hc_add_int(doc, dr, "asked", q->random);
        hc_add_int(doc, dr, "pool", (long long)npool);
        hc_node *ps = hc_add_seq(doc, dr, "picks");
        for (size_t i = 0; i < k; i++) {
            hc_node *m = hc_add_map(doc, ps, NULL);
            hc_add_str(doc, m, "site", picked[i].site);
            const site_row *r = NULL;
            for (long j = 0; j < n && r == NULL; j++)
                if (strcmp(rows[j].id, picked[i].site) == 0) r = &rows[j];
            hc_add_str(doc, m, "name", r ? r->name : NULL);
            hc_add_str(doc, m, "squad", picked[i].squad);
            hc_add_str(doc, m, "resident", picked[i].resident);
            hc_add_str(doc, m, "inspector", inspector[i]);
        }
        record = draw_record(q, from, seed, pool, npool, k, picked, inspector, rosters,
                             (size_t)nrosters);
    }

    /* the visits: priority sites to their resident inspector, drawn ones to theirs,
       each inspector's visits spread over the working days in turn */
    long *work = hc_xcalloc((size_t)days, sizeof *work);
    size_t nwork = workdays(from_day, days, work);
    hc_node *visits = hc_add_seq(doc, root, "visits");
    size_t nvisit = npriority + k;
    const char **who = hc_xcalloc(nvisit + 1, sizeof *who);
    const char **where = hc_xcalloc(nvisit + 1, sizeof *where);
    for (size_t i = 0; i < npriority; i++) who[i] = rows[i].inspector, where[i] = rows[i].id;
    for (size_t i = 0; i < k; i++) who[npriority + i] = inspector[i], where[npriority + i] = picked[i].site;
    size_t *turn = hc_xcalloc(nvisit + 1, sizeof *turn);
    for (size_t i = 0; i < nvisit; i++) {
        size_t t = 0;
        for (size_t j = 0; j < i; j++) t += hc_same_text(who[j], who[i]);
        turn[i] = t;
    }
    for (size_t i = 0; i < nvisit; i++) {
        hc_node *v = hc_add_map(doc, visits, NULL);
        char date[11];
        hc_date_format(work[turn[i] % nwork], date);
        hc_add_str(doc, v, "date", date);
        hc_add_str(doc, v, "inspector", who[i]);
        hc_add_str(doc, v, "site", where[i]);
        const site_row *r = NULL;
        for (long j = 0; j < n && r == NULL; j++)
            if (strcmp(rows[j].id, where[i]) == 0) r = &rows[j];
        hc_add_str(doc, v, "name", r ? r->name : NULL);
        hc_add_str(doc, v, "why", i < npriority ? "priority" : "random");
        hc_add_num(doc, v, "score", r ? r->score : 0);
    }
    free(turn);
    free(who);
    free(where);
    free(work);
    free(picked);

    if (record) {
        /* the draw is a fact: it is kept, so that anyone can draw it again */
        if (hc_store_begin(s, d) || hc_store_event(s, "plan.draw", seed, NULL, NULL, record, d) ||
            hc_store_commit(s, d)) {
            hc_store_rollback(s);
            goto fail;
        }
    }
    free(record);
    free(inspector);
    free(pool);
    free_rosters(rosters, nrosters);
    free(rows);
    return doc;
fail:
    free(record);
    free(inspector);
    free(pool);
    free_rosters(rosters, nrosters > 0 ? nrosters : 0);
    free(rows);
    hc_doc_free(&doc);
    return NULL;
}
