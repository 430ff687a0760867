/*
** test_figures.c: the arithmetic of `hazcheck stats` (cli.md "Figures") over a small
** database whose every figure is worked out by hand below, its groupings, its three
** formats and its refusals; and one run through the public record/re-inspect API.
*/
#include "testutil.h"

#include "store/store.h"
#include "hazcheck_report.h"

/*
** The fixture. Sites A and B are in 东城; C is in a district whose name holds a comma
** and quotes; D has no district.
**
**   inspections  i1 A fire 2026-01-10       i2 A fire 2026-02-05 (re-inspects i1)
**                i3 B wood 2026-01-20       i4 C fire 2026-03-15      i5 C fire 2025-12-20
**   actions      a1 A i1 general opened 01-10 deadline 02-09 verified 02-05 cost 1000
**                a2 A i1 major   opened 01-10 deadline 04-10 open (still failing at i2)
**                a3 B i3 general opened 01-20 deadline 02-19 rectified       cost 250.5
**                a4 C i4 general opened 03-15 deadline 04-14 open
**                a5 C i5 major   opened 2025-12-20 deadline 01-19 verified 01-15 cost 5000
**   enforcement  e1 A interview 01-12   e2 B penalty 01-25 1500.5   e3 B penalty 02-10 2000
**                e4 C list 03-16        e5 C suspend 03-20          e6 D close-down 02-01
**                e7 D penalty 2025-12-01 999                        e8 C delist 03-25
*/
static const char FIXTURE[] =
    "INSERT INTO sites (id, name, district, industry, squad, profile, created_at, updated_at) VALUES"
    " ('A', '甲厂', '东城', 'chem', 'sq1', '{}', 't', 't'),"
    " ('B', '乙厂', '东城', 'wood', 'sq2', '{}', 't', 't'),"
    " ('C', '丙厂', 'West, \"Old\" Town', 'chem', NULL, '{}', 't', 't'),"
    " ('D', '丁厂', NULL, NULL, 'sq1', '{}', 't', 't');\n"
    "INSERT INTO inspections (id, site_id, checklist, checklist_version, checklist_sha256, date,"
    " inspector, kind, parent, verdict, score, result, recorded_at, recorded_by) VALUES"
    " ('i1', 'A', 'fire', '1', 'x', '2026-01-10', NULL, 'routine', NULL, 'major', 0, '{}', 't', 't'),"
    " ('i2', 'A', 'fire', '1', 'x', '2026-02-05', NULL, 'reinspection', 'i1', 'major', 0, '{}', 't', 't'),"
    " ('i3', 'B', 'wood', '1', 'x', '2026-01-20', NULL, 'routine', NULL, 'general', 0, '{}', 't', 't'),"
    " ('i4', 'C', 'fire', '1', 'x', '2026-03-15', NULL, 'routine', NULL, 'general', 0, '{}', 't', 't'),"
    " ('i5', 'C', 'fire', '1', 'x', '2025-12-20', NULL, 'routine', NULL, 'major', 0, '{}', 't', 't');\n"
    "INSERT INTO actions (uid, site_id, inspection_id, item, title, severity, deadline, status, cost,"
    " last_inspection_id, opened_on, closed_on) VALUES"
    " ('i1#a', 'A', 'i1', 'a', 't', 'general', '2026-02-09', 'verified', 1000, 'i2', '2026-01-10', '2026-02-05'),"
    " ('i1#b', 'A', 'i1', 'b', 't', 'major', '2026-04-10', 'open', 0, 'i2', '2026-01-10', NULL),"
    " ('i3#a', 'B', 'i3', 'a', 't', 'general', '2026-02-19', 'rectified', 250.5, 'i3', '2026-01-20', NULL),"
    " ('i4#a', 'C', 'i4', 'a', 't', 'general', '2026-04-14', 'open', 0, 'i4', '2026-03-15', NULL),"
    " ('i5#a', 'C', 'i5', 'a', 't', 'major', '2026-01-19', 'verified', 5000, 'i5', '2025-12-20', '2026-01-15');\n"
    "INSERT INTO enforcement (uid, site_id, measure, date, amount, by) VALUES"
    " ('e1', 'A', 'interview', '2026-01-12', NULL, 't'),"
    " ('e2', 'B', 'penalty', '2026-01-25', 1500.5, 't'),"
    " ('e3', 'B', 'penalty', '2026-02-10', 2000, 't'),"
    " ('e4', 'C', 'list', '2026-03-16', NULL, 't'),"
    " ('e5', 'C', 'suspend', '2026-03-20', NULL, 't'),"
    " ('e6', 'D', 'close-down', '2026-02-01', NULL, 't'),"
    " ('e7', 'D', 'penalty', '2025-12-01', 999, 't'),"
    " ('e8', 'C', 'delist', '2026-03-25', NULL, 't');\n";

static char db_path[2][512];
static hc_store *fx;       /* the fixture database */
static const char *pack_path;

static const char *temp_db(int slot)
{
    const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(db_path[slot], sizeof db_path[slot], "%s/hc-test-stats-%d-%d.db", dir, (int)getpid(), slot);
    return db_path[slot];
}

static void remove_db(int slot)
{
    char p[600];
    unlink(db_path[slot]);
    snprintf(p, sizeof p, "%s-wal", db_path[slot]);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", db_path[slot]);
    unlink(p);
}

static int setup(void **state)
{
    (void)state;
    hc_diags d = {0};
    const char *path = temp_db(0);
    remove_db(0);
    fx = hc_store_open(path, &d);
    if (fx == NULL) {
        tu_dump(&d);
        return -1;
    }
    char *err = NULL;
    if (sqlite3_exec(fx->db, FIXTURE, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "fixture: %s\n", err);
        sqlite3_free(err);
        return -1;
    }
    hc_store_set_today(fx, "2026-03-01");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hc_store_close(&fx);
    remove_db(0);
    /* what a failed test left behind */
    if (db_path[1][0]) remove_db(1);
    if (pack_path) unlink(pack_path);
    return 0;
}

/* ------------------------------------------------------------ helpers */

typedef struct run {
    int rc;
    char *text;            /* everything written */
    size_t len;
    hc_diags d;
    hc_doc *doc;           /* json: the parsed output */
} run;

static void stats(run *r, hc_store *s, const char *since, const char *until, const char *by,
                  const char *format)
{
    memset(r, 0, sizeof *r);
    FILE *f = open_memstream(&r->text, &r->len);
    assert_non_null(f);
    hc_stats_query q = {since, until, by, strcmp(format, "html") == 0};   /* as `stats` asks */
    hc_doc *data = hc_store_figures(s, &q, &r->d);
    int fmt = hc_format_parse(format);
    r->rc = data && fmt >= 0 ? hc_render_figures(f, data, (hc_format)fmt, &r->d) : -1;
    hc_doc_free(&data);
    fclose(f);
    if (r->rc != 0) return;
    if (strcmp(format, "json") == 0) {
        hc_diags d = {0};
        hc_reader *rd = hc_reader_open_mem("stats.json", r->text, r->len, NULL, &d);
        assert_non_null(rd);
        int n = hc_reader_next(rd, &r->doc, &d);
        if (n != 1) tu_dump(&d);
        assert_int_equal(n, 1);
        hc_reader_close(&rd);
        hc_diags_clear(&d);
    }
}

static void done(run *r)
{
    if (r->doc) hc_doc_free(&r->doc);
    free(r->text);
    hc_diags_clear(&r->d);
}

/* JSON output of a query that must succeed. */
static const hc_node *json(run *r, hc_store *s, const char *since, const char *until, const char *by)
{
    stats(r, s, since, until, by, "json");
    if (r->rc != 0) tu_dump(&r->d);
    assert_int_equal(r->rc, 0);
    return hc_doc_root(r->doc);
}

/* What fig() gives for JSON null: the rate of a group without hazards. */
#define NONE (-1.0)

/* A figure by dotted path ("hazards.general"), which must be a number or null. */
static double fig(const hc_node *obj, const char *path)
{
    char key[64];
    const char *p = path;
    const hc_node *n = obj;
    while (*p) {
        size_t k = strcspn(p, ".");
        snprintf(key, sizeof key, "%.*s", (int)k, p);
        assert_non_null(n);
        assert_int_equal(n->kind, HC_MAP);
        n = hc_map_get(n, key);
        p += k + (p[k] == '.');
    }
    if (n == NULL) fail_msg("no figure '%s'", path);
    assert_int_equal(n->kind, HC_SCALAR);
    assert_false(n->quoted);             /* a number, not a string */
    if (hc_scalar_resolve(n, NULL, NULL, NULL) == HC_SC_NULL) return NONE;
    char *end;
    double x = strtod(n->str, &end);
    assert_true(*n->str && *end == '\0');
    return x;
}

#define assert_fig(obj, path, want)                                                  \
    do {                                                                             \
        double got_ = fig((obj), (path));                                            \
        if (!(got_ == (double)(want)))                                               \
            fail_msg("%s: got %.10g, expected %.10g", (path), got_, (double)(want)); \
    } while (0)

static const char *group_of(const hc_node *obj)
{
    assert_int_equal(obj->kind, HC_MAP);
    /* "group" comes first */
    assert_true(obj->len > 0);
    assert_string_equal(obj->kids[0]->str, "group");
    const hc_node *g = hc_map_get(obj, "group");
    assert_non_null(g);
    assert_int_equal(g->kind, HC_SCALAR);
    return g->str;
}

/* All twelve figures of one object, in the order of cli.md. */
static void assert_all(const hc_node *o, double ins, double sites, double gen, double maj,
                       double ver, double rate, double ovd, double itv, double lst, double pen,
                       double amt, double sus, double cls, double inv)
{
    assert_fig(o, "inspections", ins);
    assert_fig(o, "sites_inspected", sites);
    assert_fig(o, "hazards.general", gen);
    assert_fig(o, "hazards.major", maj);
    assert_fig(o, "verified", ver);
    assert_fig(o, "rectification_rate", rate);
    assert_fig(o, "overdue", ovd);
    assert_fig(o, "interviews", itv);
    assert_fig(o, "listed", lst);
    assert_fig(o, "penalties.count", pen);
    assert_fig(o, "penalties.amount", amt);
    assert_fig(o, "suspensions", sus);
    assert_fig(o, "close_downs", cls);
    assert_fig(o, "investment", inv);
}

/* -------------------------------------------------------------- tests */

static void test_whole_period(void **state)
{
    (void)state;
    hc_store_set_today(fx, "2026-03-01");
    run r;
    const hc_node *o = json(&r, fx, NULL, NULL, NULL);
    assert_int_equal(o->kind, HC_MAP);
    assert_null(hc_map_get(o, "group"));
    /* exactly the keys of cli.md, in its order */
    static const char *const keys[] = {"inspections", "sites_inspected", "hazards", "verified",
                                       "rectification_rate", "overdue", "interviews", "listed",
                                       "penalties", "suspensions", "close_downs", "investment"};
    assert_int_equal(o->len, 12);
    for (size_t i = 0; i < 12; i++) assert_string_equal(o->kids[2 * i]->str, keys[i]);
    /* 5 visits (i2 is a re-inspection) at A, B, C; a1 a3 a4 general, a2 a5 major;
       a1 and a5 verified, both of the cohort: 2/5; a3 past its deadline 02-19;
       penalties e2 e3 e7; costs 1000 + 250.5 + 5000; delist e8 counted nowhere */
    assert_all(o, 5, 3, 3, 2, 2, 0.4, 1, 1, 1, 3, 4499.5, 1, 1, 6250.5);
    done(&r);
}

static void test_period_cuts_rows(void **state)
{
    (void)state;
    hc_store_set_today(fx, "2026-03-01");
    run r;
    /* January and February: i1 i2 i3 (A, B); opened a1 a2 a3; verified a1 (02-05) and a5
       (01-15, opened before the period); only a1 is of the cohort: 1/3; e1 e2 e3 e6 */
    const hc_node *o = json(&r, fx, "2026-01-01", "2026-02-28", NULL);
    assert_all(o, 3, 2, 2, 1, 2, 0.3333, 1, 1, 0, 2, 3500.5, 0, 1, 1250.5);
    done(&r);

    /* the ends are inclusive: one day, 2026-01-10, holds i1, a1, a2 and nothing else */
    o = json(&r, fx, "2026-01-10", "2026-01-10", NULL);
    assert_all(o, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1000);
    done(&r);

    /* open at the start: up to 2026-01-15 holds i5 i1, a5 a1 a2, a5 verified 01-15, e7 e1 */
    o = json(&r, fx, NULL, "2026-01-15", NULL);
    assert_all(o, 2, 2, 1, 2, 1, 0.3333, 0, 1, 0, 1, 999, 0, 0, 6000);
    done(&r);

    /* open at the end: from 2026-02-01 holds i2 i4, a4, a1 verified 02-05, e3 e4 e5 e6 */
    o = json(&r, fx, "2026-02-01", NULL, NULL);
    assert_all(o, 2, 2, 1, 0, 1, 0, 0, 0, 1, 1, 2000, 1, 1, 0);
    done(&r);

    /* nothing at all: zeros, and no rate (null), rather than a 0 % that reads as failure */
    o = json(&r, fx, "2030-01-01", "2030-12-31", NULL);
    assert_all(o, 0, 0, 0, 0, 0, NONE, 0, 0, 0, 0, 0, 0, 0, 0);
    done(&r);
}

static void test_rectification_rate(void **state)
{
    (void)state;
    hc_store_set_today(fx, "2026-03-01");
    run r;
    /* 2025-12 to 2026-01: opened a5 a1 a2 a3; a5 verified 01-15 in, a1 verified 02-05 out */
    const hc_node *o = json(&r, fx, "2025-12-01", "2026-01-31", NULL);
    assert_fig(o, "verified", 1);
    assert_fig(o, "rectification_rate", 0.25);
    done(&r);
    /* the cohort, not verified/hazards: in Jan-Feb that quotient would be 2/3 */
    o = json(&r, fx, "2026-01-01", "2026-02-28", NULL);
    assert_fig(o, "verified", 2);
    assert_fig(o, "hazards.general", 2);
    assert_fig(o, "hazards.major", 1);
    assert_fig(o, "rectification_rate", 0.3333);       /* 1/3 to 4 decimals */
    done(&r);
    /* up to a5's closing day: a5 of a5 a1 a2 */
    o = json(&r, fx, "2025-12-01", "2026-01-15", NULL);
    assert_fig(o, "verified", 1);
    assert_fig(o, "rectification_rate", 0.3333);
    done(&r);
    o = json(&r, fx, "2025-12-20", "2025-12-31", NULL);
    assert_fig(o, "hazards.major", 1);
    assert_fig(o, "rectification_rate", 0);            /* a5 is verified, but after the period */
    done(&r);
    o = json(&r, fx, "2025-12-20", "2026-01-31", NULL);
    assert_fig(o, "rectification_rate", 0.25);         /* a5 of a5 a1 a2 a3 */
    done(&r);
}

/* Only status 'verified' counts as verified, whatever closed_on says (an action
   re-opened after it was closed, say, or a row from an older import). */
static void test_verified_needs_status(void **state)
{
    (void)state;
    hc_store_set_today(fx, "2026-03-01");
    assert_int_equal(sqlite3_exec(fx->db, "BEGIN;"
        "INSERT INTO actions (uid, site_id, inspection_id, item, title, severity, deadline, status,"
        " cost, last_inspection_id, opened_on, closed_on) VALUES ('i3#c', 'B', 'i3', 'c', 't',"
        " 'general', '2026-12-31', 'rectified', 0, 'i3', '2026-01-20', '2026-02-01')",
        NULL, NULL, NULL), SQLITE_OK);
    run r;
    stats(&r, fx, NULL, NULL, NULL, "json");
    /* undo the row before asserting, so a failure here leaves the other tests alone */
    assert_int_equal(sqlite3_exec(fx->db, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(r.rc, 0);
    const hc_node *o = hc_doc_root(r.doc);
    assert_fig(o, "hazards.general", 4);
    assert_fig(o, "verified", 2);                      /* a1 a5, not the new one */
    assert_fig(o, "rectification_rate", 0.3333);       /* 2 of 6 */
    done(&r);
    o = json(&r, fx, NULL, NULL, NULL);
    assert_fig(o, "hazards.general", 3);               /* the fixture as it was */
    done(&r);
}

static void test_overdue_as_of_today(void **state)
{
    (void)state;
    struct { const char *today; int overdue; } cases[] = {
        {"2026-02-19", 0},      /* a3's deadline is today: not yet overdue */
        {"2026-02-20", 1},      /* a3 */
        {"2026-04-11", 2},      /* a3, a2 (deadline 04-10) */
        {"2026-05-01", 3},      /* a3, a2, a4; a1 and a5 are verified, never overdue */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        hc_store_set_today(fx, cases[i].today);
        run r;
        const hc_node *o = json(&r, fx, NULL, NULL, NULL);
        assert_fig(o, "overdue", cases[i].overdue);
        done(&r);
    }
    /* only among actions opened in the period: March holds a4 alone */
    hc_store_set_today(fx, "2026-05-01");
    run r;
    const hc_node *o = json(&r, fx, "2026-03-01", "2026-03-31", NULL);
    assert_fig(o, "overdue", 1);
    done(&r);
    hc_store_set_today(fx, "2026-03-01");
}

static void test_penalties(void **state)
{
    (void)state;
    run r;
    const hc_node *o = json(&r, fx, "2026-01-25", "2026-02-10", NULL);
    assert_fig(o, "penalties.count", 2);
    assert_fig(o, "penalties.amount", 3500.5);           /* 1500.5 + 2000 */
    assert_fig(o, "close_downs", 1);
    done(&r);
    o = json(&r, fx, "2026-01-26", "2026-02-09", NULL);
    assert_fig(o, "penalties.count", 0);
    assert_fig(o, "penalties.amount", 0);
    done(&r);
}

static void test_by_district(void **state)
{
    (void)state;
    hc_store_set_today(fx, "2026-03-01");
    run r;
    const hc_node *a = json(&r, fx, NULL, NULL, "district");
    assert_int_equal(a->kind, HC_SEQ);
    assert_int_equal(a->len, 3);
    /* sorted by bytes: "W" (0x57) before "东" (0xE4...); the NULL district last */
    assert_string_equal(group_of(a->kids[0]), "West, \"Old\" Town");
    assert_string_equal(group_of(a->kids[1]), "东城");
    assert_string_equal(group_of(a->kids[2]), "(none)");
    /* C: i4 i5; a4 general, a5 major; a5 verified (1/2); e4 list, e5 suspend */
    assert_all(a->kids[0], 2, 1, 1, 1, 1, 0.5, 0, 0, 1, 0, 0, 1, 0, 5000);
    /* A and B: i1 i2 i3; a1 a3 general, a2 major; a1 verified (1/3); a3 overdue; e1 e2 e3 */
    assert_all(a->kids[1], 3, 2, 2, 1, 1, 0.3333, 1, 1, 0, 2, 3500.5, 0, 0, 1250.5);
    /* D: enforcement only, e6 close-down and e7 penalty */
    assert_all(a->kids[2], 0, 0, 0, 0, 0, NONE, 0, 0, 0, 1, 999, 0, 1, 0);
    done(&r);

    /* a period keeps only the groups with something in it */
    a = json(&r, fx, "2026-03-01", "2026-03-31", "district");
    assert_int_equal(a->len, 1);
    assert_string_equal(group_of(a->kids[0]), "West, \"Old\" Town");
    assert_all(a->kids[0], 1, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0);
    done(&r);

    /* nothing in the period: an empty array */
    a = json(&r, fx, "2030-01-01", NULL, "district");
    assert_int_equal(a->kind, HC_SEQ);
    assert_int_equal(a->len, 0);
    done(&r);
}

static void test_by_month(void **state)
{
    (void)state;
    hc_store_set_today(fx, "2026-03-01");
    run r;
    const hc_node *a = json(&r, fx, NULL, NULL, "month");
    assert_int_equal(a->len, 4);
    static const char *const months[] = {"2025-12", "2026-01", "2026-02", "2026-03"};
    for (size_t i = 0; i < 4; i++) assert_string_equal(group_of(a->kids[i]), months[i]);
    /* each figure in the month of its own date; the rate is that of the month's hazards
       as of the month's last day: a5 (opened 12-20) was verified only on 01-15, a1 (01-10)
       on 02-05; February found nothing, so it has no rate */
    assert_all(a->kids[0], 1, 1, 0, 1, 0, 0, 0, 0, 0, 1, 999, 0, 0, 5000);          /* i5 a5 e7 */
    assert_all(a->kids[1], 2, 2, 2, 1, 1, 0, 1, 1, 0, 1, 1500.5, 0, 0, 1250.5);     /* a5 closed */
    assert_all(a->kids[2], 1, 1, 0, 0, 1, NONE, 0, 0, 0, 1, 2000, 0, 1, 0);         /* a1 closed */
    assert_all(a->kids[3], 1, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0);
    done(&r);

    /* the period cuts months out, and cuts within a month */
    a = json(&r, fx, "2026-01-15", "2026-02-05", "month");
    assert_int_equal(a->len, 2);
    assert_string_equal(group_of(a->kids[0]), "2026-01");
    assert_string_equal(group_of(a->kids[1]), "2026-02");
    assert_all(a->kids[0], 1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1500.5, 0, 0, 250.5);      /* i3 a3 a5v e2 */
    assert_all(a->kids[1], 1, 1, 0, 0, 1, NONE, 0, 0, 0, 0, 0, 0, 1, 0);            /* i2 a1v e6 */
    done(&r);
}

/* One definition of every figure: the row of month M in `--by month` is what the
   whole-period figures say with --since and --until the first and last day of M
   (the reviewer's bug: a month at 66.67 % in one and 0.00 % in the other). */
static void test_a_month_row_is_that_months_figures(void **state)
{
    (void)state;
    static const char *const paths[] = {
        "inspections", "sites_inspected", "hazards.general", "hazards.major", "verified",
        "rectification_rate", "overdue", "interviews", "listed", "penalties.count",
        "penalties.amount", "suspensions", "close_downs", "investment"};
    static const struct { const char *month, *first, *last; } months[] = {
        {"2025-12", "2025-12-01", "2025-12-31"}, {"2026-01", "2026-01-01", "2026-01-31"},
        {"2026-02", "2026-02-01", "2026-02-28"}, {"2026-03", "2026-03-01", "2026-03-31"},
    };
    hc_store_set_today(fx, "2026-05-01");
    run r, one;
    const hc_node *a = json(&r, fx, NULL, NULL, "month");
    assert_int_equal(a->len, 4);
    for (size_t m = 0; m < 4; m++) {
        assert_string_equal(group_of(a->kids[m]), months[m].month);
        const hc_node *o = json(&one, fx, months[m].first, months[m].last, NULL);
        for (size_t k = 0; k < sizeof paths / sizeof paths[0]; k++) {
            double x = fig(a->kids[m], paths[k]), y = fig(o, paths[k]);
            if (x != y) fail_msg("%s %s: %g by month, %g for the month alone", months[m].month, paths[k], x, y);
        }
        done(&one);
    }
    done(&r);
    hc_store_set_today(fx, "2026-03-01");
}

/* Every month of the period has its row, zeros (and no rate) where nothing
   happened: Nov 2025 before the first figure, April and May after the last. */
static void test_every_month_of_the_period(void **state)
{
    (void)state;
    run r;
    const hc_node *a = json(&r, fx, "2025-11-15", "2026-05-31", "month");
    static const char *const months[] = {"2025-11", "2025-12", "2026-01", "2026-02",
                                         "2026-03", "2026-04", "2026-05"};
    assert_int_equal(a->len, 7);
    for (size_t i = 0; i < 7; i++) assert_string_equal(group_of(a->kids[i]), months[i]);
    assert_all(a->kids[0], 0, 0, 0, 0, 0, NONE, 0, 0, 0, 0, 0, 0, 0, 0);
    assert_all(a->kids[5], 0, 0, 0, 0, 0, NONE, 0, 0, 0, 0, 0, 0, 0, 0);
    assert_all(a->kids[6], 0, 0, 0, 0, 0, NONE, 0, 0, 0, 0, 0, 0, 0, 0);
    assert_fig(a->kids[3], "inspections", 1);                /* February is still there */
    done(&r);
    /* a gap inside the data is filled too: without February's rows */
    assert_int_equal(sqlite3_exec(fx->db, "BEGIN; UPDATE actions SET last_inspection_id = inspection_id;"
                                          " DELETE FROM inspections WHERE date LIKE '2026-02%';"
                                          " DELETE FROM enforcement WHERE date LIKE '2026-02%';"
                                          " UPDATE actions SET closed_on = NULL, status = 'open'"
                                          "  WHERE closed_on LIKE '2026-02%';",
                                  NULL, NULL, NULL), SQLITE_OK);
    stats(&r, fx, NULL, NULL, "month", "json");
    assert_int_equal(sqlite3_exec(fx->db, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(r.rc, 0);
    a = hc_doc_root(r.doc);
    assert_int_equal(a->len, 4);
    assert_string_equal(group_of(a->kids[2]), "2026-02");
    assert_all(a->kids[2], 0, 0, 0, 0, 0, NONE, 0, 0, 0, 0, 0, 0, 0, 0);
    done(&r);
}

/* The page's count axes tick at whole numbers only (the reviewer saw 1.25), and its
   key numbers group thousands; the fixture's largest bar is 2 or 3 hazards. */
static void test_page_ticks_and_numbers(void **state)
{
    (void)state;
    hc_store_set_today(fx, "2026-03-01");
    run r;
    stats(&r, fx, NULL, NULL, NULL, "html");
    assert_int_equal(r.rc, 0);
    size_t ticks = 0;
    for (const char *p = r.text; (p = strstr(p, "class=\"tick\">")) != NULL; ticks++) {
        p += strlen("class=\"tick\">");
        size_t n = strcspn(p, "<");
        if (memchr(p, '.', n)) fail_msg("a tick that is not a whole number: %.*s", (int)n, p);
    }
    assert_true(ticks >= 8);                      /* the month chart and three hazard charts */
    assert_non_null(strstr(r.text, "4,499.5"));    /* penalties, for people */
    done(&r);
}

/* A squad's user sees the figures of the sites now in its squad: sq1 holds A and D. */
static void test_a_squads_figures(void **state)
{
    (void)state;
    hc_store_set_today(fx, "2026-03-01");
    hc_diags d = {0};
    hc_stats_query q = {NULL, NULL, NULL, 0, "sq1"};
    hc_doc *data = hc_store_figures(fx, &q, &d);
    assert_non_null(data);
    const hc_node *o = hc_map_get(hc_doc_root(data), "rows")->kids[0];
    /* A: i1 i2, a1 general verified, a2 major; e1 interview; D: e6 close-down, e7 penalty 999 */
    assert_all(o, 2, 1, 1, 1, 1, 0.5, 0, 1, 0, 1, 999, 0, 1, 1000);
    hc_doc_free(&data);
    q.squad = "no such squad";
    data = hc_store_figures(fx, &q, &d);
    o = hc_map_get(hc_doc_root(data), "rows")->kids[0];
    assert_all(o, 0, 0, 0, 0, 0, NONE, 0, 0, 0, 0, 0, 0, 0, 0);
    hc_doc_free(&data);
    hc_diags_clear(&d);
}

static void test_by_other_groupings(void **state)
{
    (void)state;
    hc_store_set_today(fx, "2026-03-01");
    run r;
    /* checklist: actions follow the inspection that opened them; enforcement is in no group */
    const hc_node *a = json(&r, fx, NULL, NULL, "checklist");
    assert_int_equal(a->len, 2);
    assert_string_equal(group_of(a->kids[0]), "fire");
    assert_string_equal(group_of(a->kids[1]), "wood");
    assert_all(a->kids[0], 4, 2, 2, 2, 2, 0.5, 0, 0, 0, 0, 0, 0, 0, 6000);
    assert_all(a->kids[1], 1, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 250.5);
    done(&r);

    /* squad: sq1 holds A and D, sq2 B, C has none */
    a = json(&r, fx, NULL, NULL, "squad");
    assert_int_equal(a->len, 3);
    assert_string_equal(group_of(a->kids[0]), "sq1");
    assert_string_equal(group_of(a->kids[1]), "sq2");
    assert_string_equal(group_of(a->kids[2]), "(none)");
    assert_all(a->kids[0], 2, 1, 1, 1, 1, 0.5, 0, 1, 0, 1, 999, 0, 1, 1000);
    assert_all(a->kids[1], 1, 1, 1, 0, 0, 0, 1, 0, 0, 2, 3500.5, 0, 0, 250.5);
    done(&r);

    /* industry: chem holds A and C */
    a = json(&r, fx, NULL, NULL, "industry");
    assert_int_equal(a->len, 3);
    assert_string_equal(group_of(a->kids[0]), "chem");
    assert_fig(a->kids[0], "inspections", 4);
    assert_fig(a->kids[0], "sites_inspected", 2);
    assert_string_equal(group_of(a->kids[1]), "wood");
    assert_string_equal(group_of(a->kids[2]), "(none)");
    done(&r);
}

static void test_csv(void **state)
{
    (void)state;
    hc_store_set_today(fx, "2026-03-01");
    run r;
    stats(&r, fx, NULL, NULL, "district", "csv");
    assert_int_equal(r.rc, 0);
    static const char want[] =
        "\xEF\xBB\xBF"
        "group,inspections,sites_inspected,hazards_general,hazards_major,verified,"
        "rectification_rate,overdue,interviews,listed,penalties_count,penalties_amount,"
        "suspensions,close_downs,investment\r\n"
        "\"West, \"\"Old\"\" Town\",2,1,1,1,1,0.5000,0,0,1,0,0.00,1,0,5000.00\r\n"
        "东城,3,2,2,1,1,0.3333,1,1,0,2,3500.50,0,0,1250.50\r\n"
        "(none),0,0,0,0,0,,0,0,0,1,999.00,0,1,0.00\r\n";
    assert_int_equal(memcmp(r.text, "\xEF\xBB\xBF", 3), 0);   /* the byte order mark first */
    assert_string_equal(r.text, want);
    done(&r);

    /* without --by: no group column, one row */
    stats(&r, fx, NULL, NULL, NULL, "csv");
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.text,
                        "\xEF\xBB\xBF"
                        "inspections,sites_inspected,hazards_general,hazards_major,verified,"
                        "rectification_rate,overdue,interviews,listed,penalties_count,"
                        "penalties_amount,suspensions,close_downs,investment\r\n"
                        "5,3,3,2,2,0.4000,1,1,1,3,4499.50,1,1,6250.50\r\n");
    done(&r);
}

/* A line's width in terminal cells. */
static size_t line_width(const char *s, size_t n)
{
    return hc_display_width_n(s, n);
}

static void test_text(void **state)
{
    (void)state;
    hc_store_set_today(fx, "2026-03-01");
    run r;
    stats(&r, fx, NULL, NULL, NULL, "text");
    assert_int_equal(r.rc, 0);
    assert_non_null(strstr(r.text, "inspections"));
    assert_non_null(strstr(r.text, "40.00%"));              /* the rate, for people */
    assert_non_null(strstr(r.text, "4,499.50"));             /* thousands grouped for people */
    assert_non_null(strstr(r.text, "6,250.50"));
    done(&r);
    /* programs get plain numbers: CSV has no separators, and an empty field for no rate */
    stats(&r, fx, "2030-01-01", "2030-12-31", NULL, "csv");
    assert_int_equal(r.rc, 0);
    assert_non_null(strstr(r.text, "\r\n0,0,0,0,0,,0,"));
    done(&r);
    stats(&r, fx, NULL, NULL, NULL, "csv");
    assert_non_null(strstr(r.text, ",4499.50,"));
    done(&r);
    /* no hazards: "—" for people, never 0.00% */
    stats(&r, fx, "2030-01-01", "2030-12-31", NULL, "text");
    assert_non_null(strstr(r.text, "—"));
    assert_null(strstr(r.text, "0.00%"));
    done(&r);

    /* --by: one row per group under a header line, every line as wide as the others */
    stats(&r, fx, NULL, NULL, "district", "text");
    assert_int_equal(r.rc, 0);
    const char *p = strchr(r.text, '\n');          /* after the period line */
    assert_non_null(p);
    p++;
    size_t lines = 0, width = 0;
    while (*p) {
        const char *e = strchr(p, '\n');
        assert_non_null(e);
        size_t w = line_width(p, (size_t)(e - p));
        if (lines == 0) width = w;
        else assert_int_equal(w, width);
        lines++;
        p = e + 1;
    }
    assert_int_equal(lines, 4);                    /* a header line, 3 groups */
    assert_non_null(strstr(r.text, "district"));
    assert_non_null(strstr(r.text, "东城"));
    assert_non_null(strstr(r.text, "(none)"));
    done(&r);

    /* in Chinese the headings are two cells a character and the columns still line up */
    setenv("LANG", "zh_CN.UTF-8", 1);
    hc_language_init(getenv("HC_LOCALEDIR") ? getenv("HC_LOCALEDIR") : "build/locale");
    stats(&r, fx, NULL, NULL, "district", "text");
    assert_non_null(strstr(r.text, "辖区"));
    assert_non_null(strstr(r.text, "整改率"));
    p = strchr(r.text, '\n') + 1;
    for (lines = 0; *p; lines++) {
        const char *e = strchr(p, '\n');
        size_t w = line_width(p, (size_t)(e - p));
        if (lines == 0) width = w;
        else assert_int_equal(w, width);
        p = e + 1;
    }
    assert_int_equal(lines, 4);
    done(&r);
    setenv("LANG", "C.UTF-8", 1);
    hc_language_init(NULL);
}

static void test_refusals(void **state)
{
    (void)state;
    run r;
    stats(&r, fx, NULL, NULL, "county", "json");
    assert_int_equal(r.rc, -1);
    assert_true(tu_has_diag(&r.d, "county"));
    assert_true(tu_has_diag(&r.d, "district, squad, industry, checklist or month"));
    assert_int_equal(r.len, 0);                    /* nothing written */
    done(&r);

    stats(&r, fx, NULL, NULL, "", "text");
    assert_int_equal(r.rc, -1);
    assert_true(tu_has_diag(&r.d, "expected district"));
    done(&r);

    stats(&r, fx, "2026-03-01", "2026-02-28", NULL, "json");
    assert_int_equal(r.rc, -1);
    assert_true(tu_has_diag(&r.d, "starts 2026-03-01, after it ends 2026-02-28"));
    assert_int_equal(r.len, 0);
    done(&r);

    stats(&r, fx, "2026-02-30", NULL, NULL, "json");
    assert_int_equal(r.rc, -1);
    assert_true(tu_has_diag(&r.d, "start of period '2026-02-30'"));
    done(&r);

    stats(&r, fx, NULL, "2026-3-1", NULL, "json");
    assert_int_equal(r.rc, -1);
    assert_true(tu_has_diag(&r.d, "end of period '2026-3-1'"));
    done(&r);

    stats(&r, fx, NULL, NULL, NULL, "md");
    assert_int_equal(r.rc, -1);
    assert_true(tu_has_diag(&r.d, "text, json, csv or html"));
    done(&r);

    /* the same day at both ends is a period */
    stats(&r, fx, "2026-03-01", "2026-03-01", NULL, "json");
    assert_int_equal(r.rc, 0);
    done(&r);
}

/* ---------------------------------------------- through the public API */

/* The district the next inspection's site profile gives (a site that moves). */
static const char *site_district = "东城";

static hc_result *evaluate(hc_engine *e, const char *pack, const char *id, const char *date,
                           const char *answers, hc_inspection **inp)
{
    char text[2048];
    snprintf(text, sizeof text,
             "inspection: {id: %s, site: {id: s1, name: 某厂, district: %s}, checklist: %s,"
             " date: %s}\nanswers:\n%s",
             id, site_district, pack, date, answers);
    hc_diags d = {0};
    hc_reader *rd = hc_reader_open_mem("i.yaml", text, strlen(text), NULL, &d);
    assert_non_null(rd);
    hc_doc *doc;
    assert_int_equal(hc_reader_next(rd, &doc, &d), 1);
    hc_reader_close(&rd);
    hc_inspection *in = hc_inspection_load(e, doc, &d);
    if (in == NULL) tu_dump(&d);
    assert_non_null(in);
    hc_diags_clear(&d);
    *inp = in;
    hc_result *r = hc_evaluate(e, in);
    assert_non_null(r);
    return r;
}

static void test_through_record_and_reinspect(void **state)
{
    (void)state;
    const char *pack = pack_path = tu_write("stats-pack.yaml",
        "hazcheck: 1\nid: st\nversion: \"1\"\ntitle: t\n"
        "defaults: {deadline_days: {general: 30, major: 90}}\n"
        "items:\n"
        "  - {id: a, title: A, severity: major, inputs: {x: {type: integer}}, check: obs.x > 0}\n"
        "  - {id: b, title: B, inputs: {x: {type: integer}}, check: obs.x > 0}\n");
    hc_engine *e = tu_engine(NULL);
    hc_diags d = {0};
    hc_store *s = hc_store_open(temp_db(1), &d);
    if (s == NULL) tu_dump(&d);
    assert_non_null(s);
    hc_store_set_today(s, "2026-09-20");

    /* both items fail: two hazards, one major */
    hc_inspection *in;
    hc_result *r = evaluate(e, pack, "r1", "2026-09-01", "  a: {x: 0}\n  b: {x: 0}\n", &in);
    assert_int_equal(hc_store_record(s, r, &d), 1);
    hc_result_free(&r);
    hc_inspection_free(&in);
    assert_int_equal(hc_store_action_rectify(s, "2", "fixed", NULL, 0, "300.25", &d), 0);

    /* re-inspection: a still fails (the same hazard), b passes (verified) */
    r = evaluate(e, pack, "r2", "2026-09-10", "  a: {x: 0}\n  b: {x: 1}\n", &in);
    hc_reinspect_summary sum;
    int rc = hc_store_reinspect(s, "r1", r, &sum, &d);
    if (rc != 1) tu_dump(&d);
    assert_int_equal(rc, 1);
    assert_int_equal(sum.still_failing, 1);
    assert_int_equal(sum.verified, 1);
    hc_result_free(&r);
    hc_inspection_free(&in);
    assert_int_equal(hc_store_enforce(s, "s1", "penalty", "2026-09-11", "20000", NULL, NULL, &d), 0);
    assert_int_equal(hc_store_enforce(s, "s1", "interview", "2026-09-11", NULL, NULL, NULL, &d), 0);

    run o;
    const hc_node *f = json(&o, s, "2026-09-01", "2026-09-30", NULL);
    /* two visits, one site; two hazards, not three; b verified at r2: 1/2 */
    assert_all(f, 2, 1, 1, 1, 1, 0.5, 0, 1, 0, 1, 20000, 0, 0, 300.25);
    done(&o);
    f = json(&o, s, NULL, NULL, "district");
    assert_int_equal(f->len, 1);
    assert_string_equal(group_of(f->kids[0]), "东城");
    assert_fig(f->kids[0], "hazards.major", 1);
    done(&o);

    /* the site moves to 西城 and is inspected there: its past stays in 东城 */
    site_district = "西城";
    r = evaluate(e, pack, "r3", "2026-10-05", "  a: {x: 0}\n  b: {x: 0}\n", &in);
    assert_int_equal(hc_store_record(s, r, &d), 1);
    hc_result_free(&r);
    hc_inspection_free(&in);
    site_district = "东城";
    assert_int_equal(hc_store_enforce(s, "s1", "interview", "2026-10-06", NULL, NULL, NULL, &d), 0);
    f = json(&o, s, NULL, NULL, "district");
    assert_int_equal(f->len, 2);
    assert_string_equal(group_of(f->kids[0]), "东城");
    assert_string_equal(group_of(f->kids[1]), "西城");
    /* 东城: r1 r2, hazards a and b, the penalty and interview of 09-11 */
    assert_all(f->kids[0], 2, 1, 1, 1, 1, 0.5, 0, 1, 0, 1, 20000, 0, 0, 300.25);
    /* 西城: r3, its two new hazards, the interview after the move */
    assert_all(f->kids[1], 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0);
    done(&o);

    hc_diags_clear(&d);
    hc_store_close(&s);
    hc_engine_free(&e);
    remove_db(1);
    unlink(pack);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whole_period),
        cmocka_unit_test(test_period_cuts_rows),
        cmocka_unit_test(test_rectification_rate),
        cmocka_unit_test(test_a_month_row_is_that_months_figures),
        cmocka_unit_test(test_every_month_of_the_period),
        cmocka_unit_test(test_page_ticks_and_numbers),
        cmocka_unit_test(test_a_squads_figures),
        cmocka_unit_test(test_verified_needs_status),
        cmocka_unit_test(test_overdue_as_of_today),
        cmocka_unit_test(test_penalties),
        cmocka_unit_test(test_by_district),
        cmocka_unit_test(test_by_month),
        cmocka_unit_test(test_by_other_groupings),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_through_record_and_reinspect),
    };
    return cmocka_run_group_tests_name("stats", tests, setup, teardown);
}
