/*
** draw.c: the 双随机 draw: K sites from a pool and an inspector for each
** (store/plan.c gathers the pool and records the draw), and drawing every
** recorded draw again for `audit verify`. Kept apart from plan.c so that the
** audit, which plan.c writes through, can call it without a loop.
**
** The picks come from hc_rng (base/rng.c documents it, so that anyone can
** repeat a draw); every list is sorted by its bytes first.
*/
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "store/store.h"

int hc_same_text(const char *a, const char *b) { return a == b || (a && b && strcmp(a, b) == 0); }

/*
** Pick k of the n candidates (partial Fisher-Yates, in place: the picks end up
** first, in draw order) and, for each pick in turn, an inspector from its
** squad's roster other than its resident when there is another (NULL when the
** roster is empty). The caller's lists must be sorted by bytes.
*/
void hc_draw_pick(const char *seed, candidate *c, size_t n, size_t k, const roster *rosters,
                  size_t nrosters, const char **inspector)
{
    hc_rng g = {0};
    hc_rng_init(&g, seed);
    if (k > n) k = n;
    for (size_t j = 0; j < k; j++) {
        size_t r = j + hc_rng_below(&g, n - j);
        candidate t = c[j];
        c[j] = c[r];
        c[r] = t;
    }
    for (size_t j = 0; j < k; j++) {
        const roster *ro = NULL;
        for (size_t q = 0; q < nrosters; q++)
            if (hc_same_text(rosters[q].squad, c[j].squad)) ro = &rosters[q];
        inspector[j] = NULL;
        if (ro == NULL || ro->n == 0) continue;
        size_t others = 0;
        for (size_t q = 0; q < ro->n; q++) others += !hc_same_text(ro->names[q], c[j].resident);
        int skip_resident = others > 0;
        size_t m = skip_resident ? others : ro->n;
        size_t pick = hc_rng_below(&g, m);
        for (size_t q = 0; q < ro->n; q++) {
            if (skip_resident && hc_same_text(ro->names[q], c[j].resident)) continue;
            if (pick-- == 0) {
                inspector[j] = ro->names[q];
                break;
            }
        }
    }
}

/* ---------------------------------------------------- the draw, again */

static const char *str_at(const hc_node *map, const char *key)
{
    const hc_node *n = hc_map_get(map, key);
    int b;
    int64_t i;
    double x;
    if (n == NULL || n->kind != HC_SCALAR || hc_scalar_resolve(n, &b, &i, &x) == HC_SC_NULL)
        return NULL;
    return n->str;
}

/* Draw again from one recorded draw's inputs: 0 the same picks, 1 not (why in 'why'). */
static int redraw(const hc_node *rec, char *why, size_t len)
{
    const hc_node *c = hc_map_get(rec, "candidates"), *rs = hc_map_get(rec, "rosters"),
                  *picks = hc_map_get(rec, "picks"), *kn = hc_map_get(rec, "k");
    const char *seed = str_at(rec, "seed");
    int b;
    int64_t k = 0;
    double x;
    if (seed == NULL || c == NULL || c->kind != HC_SEQ || rs == NULL || rs->kind != HC_SEQ ||
        picks == NULL || picks->kind != HC_SEQ || kn == NULL ||
        hc_scalar_resolve(kn, &b, &k, &x) != HC_SC_INT || k < 0 || (size_t)k != picks->len) {
        snprintf(why, len, "%s", _("its record is incomplete"));
        return 1;
    }
    candidate *pool = hc_xcalloc(c->len + 1, sizeof *pool);
    for (size_t i = 0; i < c->len; i++)
        pool[i] = (candidate){str_at(c->kids[i], "site"), str_at(c->kids[i], "squad"),
                              str_at(c->kids[i], "resident")};
    roster *ro = hc_xcalloc(rs->len + 1, sizeof *ro);
    for (size_t i = 0; i < rs->len; i++) {
        const hc_node *names = hc_map_get(rs->kids[i], "inspectors");
        ro[i].squad = str_at(rs->kids[i], "squad");
        size_t m = names && names->kind == HC_SEQ ? names->len : 0;
        ro[i].names = hc_xcalloc(m + 1, sizeof *ro[i].names);
        for (size_t j = 0; j < m; j++)
            if (names->kids[j]->kind == HC_SCALAR) ro[i].names[ro[i].n++] = names->kids[j]->str;
    }
    int bad = 0;
    /* the inputs must be as the draw documents them: sorted, each site once */
    for (size_t i = 0; i + 1 < c->len && !bad; i++)
        if (pool[i].site == NULL || pool[i + 1].site == NULL || strcmp(pool[i].site, pool[i + 1].site) >= 0)
            bad = 1, snprintf(why, len, "%s", _("its candidates are not sorted, or repeat a site"));
    const char **inspector = hc_xcalloc((size_t)k + 1, sizeof *inspector);
    if (!bad) {
        hc_draw_pick(seed, pool, c->len, (size_t)k, ro, rs->len, inspector);
        for (size_t i = 0; i < (size_t)k && !bad; i++) {
            const char *site = str_at(picks->kids[i], "site"), *who = str_at(picks->kids[i], "inspector");
            if (!hc_same_text(site, pool[i].site) || !hc_same_text(who, inspector[i])) {
                bad = 1;
                snprintf(why, len, _("pick %zu is %s (%s), but the seed draws %s (%s)"), i + 1,
                         site ? site : "-", who ? who : "-", pool[i].site ? pool[i].site : "-",
                         inspector[i] ? inspector[i] : "-");
            }
        }
    }
    free(inspector);
    for (size_t i = 0; i < rs->len; i++) free(ro[i].names);
    free(ro);
    free(pool);
    return bad;
}

int hc_plan_audit(hc_store *s, hc_diags *d)
{
    hc_stmt *st = hc_store_stmt(s, "SELECT seq, data FROM events WHERE kind = 'plan.draw'"
                                        " ORDER BY seq", d);
    if (st == NULL) return -1;
    int rc = HC_SQL_DONE, bad = 0;
    while (!bad && (rc = hc_sql_step(st)) == HC_SQL_ROW) {
        long long seq = hc_sql_int(st, 0);
        const char *json = hc_sql_text(st, 1);
        char why[512] = "";
        hc_doc *rec = NULL;
        hc_reader *r = json ? hc_reader_open_mem("draw", json, strlen(json), NULL, NULL) : NULL;
        if (r == NULL || hc_reader_next(r, &rec, NULL) != 1 || hc_doc_root(rec)->kind != HC_MAP)
            snprintf(why, sizeof why, "%s", _("its record is not readable"));
        else if (redraw(hc_doc_root(rec), why, sizeof why) == 0)
            why[0] = '\0';
        hc_doc_free(&rec);
        hc_reader_close(&r);
        if (why[0]) {
            hc_diags_add(d, HC_ERROR, s->path, 0, 0,
                         _("audit: event %lld (plan.draw) does not draw again: %s"), seq, why);
            bad = 1;
        }
    }
    if (!bad && rc != HC_SQL_DONE) return hc_store_error(s, d, "reading the recorded draws");
    hc_sql_reset(st);
    return bad;
}
