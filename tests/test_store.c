/*
** test_store.c: the SQLite store: migrations, recording (idempotent, whole
** or nothing), action transitions and overdue, re-inspection, enforcement,
** the site register and the hash-chained event log under tampering.
*/
#include "testdb.h"
#include "hazcheck_report.h"

static hc_engine *e;
static char dbpath[256];

static int setup(void **state)
{
    (void)state;
    e = tu_engine(NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hc_engine_free(&e);
    return 0;
}

static void remove_db(void) { tu_db_remove(dbpath); }

static hc_store *fresh(const char *name) { return tu_db_fresh(dbpath, "store", name); }

/* Evaluate an inspection given as YAML text with this file's engine. */
static tu_evaluated eval(const char *text) { return tu_eval(e, text); }

#define SITE "{id: s1, name: 某木业, district: 章丘区, contact: 张某, inspector: 孟凡辉, dust: {dry_collection: true}}"
#define FAILING "inspection: {id: i1, site: " SITE ", checklist: mini, date: 2026-09-09}\n" \
    "answers:\n  D03: {explosion_control: none, note: 无泄爆}\n  G01: {thickness_mm: 3, blown: no}\n" \
    "  G02: {devices: [rotary_valve], code: A, count: 1}\n"

/* What schema 10 added: the open actions counted by site and deadline. */
#define UNDO_10 "DROP TRIGGER open_days_insert; DROP TRIGGER open_days_delete; DROP TRIGGER open_days_leave;" \
    " DROP TRIGGER open_days_enter; DROP TABLE open_days;"
/* What schema 9 added: the indexes of open actions and standing inspections. */
#define UNDO_9 "DROP INDEX actions_open; DROP INDEX actions_due; DROP INDEX actions_order; DROP INDEX inspections_live;"
/* What schema 8 added: the drafts of serve's inspection pages. */
#define UNDO_8 "DROP TABLE drafts;"
/* What schema 7 added: the accounts of serve. */
#define UNDO_7 "DROP TABLE sessions; DROP TABLE sign_in_failures; DROP TABLE users;"
/* What schema 6 added: the site's district, squad and industry at the time. */
#define UNDO_6                                                                                   \
    "ALTER TABLE inspections DROP COLUMN district; ALTER TABLE inspections DROP COLUMN squad;"     \
    "ALTER TABLE inspections DROP COLUMN industry; ALTER TABLE enforcement DROP COLUMN district;" \
    "ALTER TABLE enforcement DROP COLUMN squad; ALTER TABLE enforcement DROP COLUMN industry;"
/* A database as schema 4 left it: without the corrections' columns. */
#define UNDO_5                                                                                   \
    "DROP VIEW open_actions_by_site; DROP VIEW overdue_actions; DROP VIEW hazards_by_month;"          \
    "ALTER TABLE inspections DROP COLUMN voided_at; ALTER TABLE inspections DROP COLUMN void_reason;" \
    "ALTER TABLE actions DROP COLUMN voided_at; ALTER TABLE actions DROP COLUMN void_reason;"         \
    "ALTER TABLE enforcement DROP COLUMN voided_at; ALTER TABLE enforcement DROP COLUMN void_reason;"

static void test_migrations(void **state)
{
    (void)state;
    if (tu_want_pg()) skip();      /* SQLite's history; PostgreSQL starts at the latest (schema_pg.c) */
    hc_store *s = fresh("mig");
    assert_int_equal(tu_count(s, "PRAGMA user_version"), HC_SCHEMA_VERSION);
    assert_int_equal(tu_count(s, "PRAGMA application_id"), HC_APPLICATION_ID);
    assert_int_equal(tu_count(s, "PRAGMA foreign_keys"), 1);
    char *mode = tu_text1(s, "PRAGMA journal_mode");
    assert_string_equal(mode, "wal");
    free(mode);
    hc_store_close(&s);
    /* reopening an up-to-date database changes nothing */
    hc_diags d = {0};
    s = hc_store_open(dbpath, &d);
    assert_non_null(s);
    assert_int_equal(tu_count(s, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"), 14);
    /* a version 1 database (before the sources table) gains it and keeps its rows */
    tu_exec(s, "DROP TABLE notices; DROP TABLE sources; "
               UNDO_10 UNDO_9 UNDO_8 UNDO_7 UNDO_6 UNDO_5 "ALTER TABLE events DROP COLUMN rows; PRAGMA user_version = 1");
    hc_store_close(&s);
    s = hc_store_open(dbpath, &d);
    assert_non_null(s);
    assert_int_equal(tu_count(s, "PRAGMA user_version"), HC_SCHEMA_VERSION);
    assert_int_equal(tu_count(s, "SELECT count(*) FROM sqlite_schema WHERE name = 'sources'"), 1);
    /* a newer schema than we know is refused */
    tu_exec(s, "PRAGMA user_version = 99");
    hc_store_close(&s);
    assert_null(hc_store_open(dbpath, &d));
    assert_true(tu_has_diag(&d, "newer than this hazcheck knows"));
    hc_diags_clear(&d);
    remove_db();
    /* somebody else's database is refused, not migrated */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
    sqlite3_exec(db, "CREATE TABLE t (x)", NULL, NULL, NULL);
    sqlite3_close(db);
    assert_null(hc_store_open(dbpath, &d));
    assert_true(tu_has_diag(&d, "not a hazcheck database"));
    hc_diags_clear(&d);
    /* no name is no database (SQLite would open a temporary one, gone at close) */
    assert_null(hc_store_open("", &d));
    assert_true(tu_has_diag(&d, "no database named"));
    hc_diags_clear(&d);
    /* version 0 (an empty file) migrates to the latest */
    remove_db();
    s = hc_store_open(dbpath, &d);
    assert_non_null(s);
    assert_int_equal(tu_count(s, "PRAGMA user_version"), HC_SCHEMA_VERSION);
    hc_store_close(&s);
    remove_db();
}

static void test_record_is_idempotent(void **state)
{
    (void)state;
    hc_store *s = fresh("rec");
    tu_evaluated v = eval(FAILING);
    hc_diags d = {0};
    assert_int_equal(hc_store_record(s, v.r, &d), 1);
    assert_int_equal(tu_count(s, "SELECT count(*) FROM inspections"), 1);
    assert_int_equal(tu_count(s, "SELECT count(*) FROM findings"), 3);
    assert_int_equal(tu_count(s, "SELECT count(*) FROM actions"), 2);
    char *sha = tu_text1(s, "SELECT checklist_sha256 FROM inspections");
    assert_string_equal(sha, v.r->checklist->sha256);
    free(sha);
    char *who = tu_text1(s, "SELECT assignee || '/' || supervisor || '/' || deadline FROM actions WHERE item = 'D03'");
    assert_string_equal(who, "张某/孟凡辉/2026-11-08");
    free(who);
    long long events = tu_count(s, "SELECT count(*) FROM events");
    assert_int_equal(events, 4);   /* site.add, inspection.record, 2 x action.open */
    assert_int_equal(hc_store_record(s, v.r, &d), 0);
    assert_int_equal(tu_count(s, "SELECT count(*) FROM actions"), 2);
    assert_int_equal(tu_count(s, "SELECT count(*) FROM events"), events);
    assert_int_equal(hc_store_audit(s, NULL, &d), 0);
    tu_done(v);
    hc_store_close(&s);
    remove_db();
}

/* Notices are numbered per year in the order they are issued, once, and only for
   inspections that found hazards (the notice printed a date and an id before). */
static void test_notice_numbers(void **state)
{
    (void)state;
    hc_store *s = fresh("notices");
    hc_diags d = {0};
    const char *docs[] = {
        FAILING,
        "inspection: {id: i2, site: " SITE ", checklist: mini, date: 2026-10-01}\n"
        "answers:\n  D03: {explosion_control: none}\n",
        "inspection: {id: i3, site: " SITE ", checklist: mini, date: 2027-01-05}\n"
        "answers:\n  D03: {explosion_control: none}\n",
        "inspection: {id: i4, site: " SITE ", checklist: mini, date: 2026-10-02}\n"
        "answers:\n  D03: {explosion_control: venting, vent_area_m2: 2}\n"
        "  G01: {thickness_mm: 0, blown: no}\n  G02: {devices: [rotary_valve], code: A, count: 1}\n",
    };
    for (size_t i = 0; i < 4; i++) {
        tu_evaluated v = eval(docs[i]);
        assert_int_equal(hc_store_record(s, v.r, &d), 1);
        assert_int_equal(hc_store_record(s, v.r, &d), 0);      /* again: the number stays */
        tu_done(v);
    }
    char *got = tu_joined(s, "inspection_id || '=' || year || '/' || seq", " ", "notices", "year, seq");
    assert_string_equal(got, "i1=2026/1 i2=2026/2 i3=2027/1");   /* i4 found nothing */
    free(got);
    hc_store_close(&s);
    remove_db();
}

/* A trigger that refuses an action 'when' holds, with the error "boom". */
static void refuse_action(hc_store *s, const char *name, const char *when)
{
    char sql[512];
    if (tu_on_pg(s))
        snprintf(sql, sizeof sql,
                 "CREATE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                 " IF %s THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$;"
                 " CREATE TRIGGER %s BEFORE INSERT ON actions FOR EACH ROW EXECUTE FUNCTION %s()",
                 name, when, name, name);
    else
        snprintf(sql, sizeof sql, "CREATE TRIGGER %s BEFORE INSERT ON actions WHEN %s"
                                  " BEGIN SELECT raise(ABORT, 'boom'); END", name, when);
    tu_exec(s, sql);
}

static void test_record_is_whole_or_nothing(void **state)
{
    (void)state;
    hc_store *s = fresh("atomic");
    tu_evaluated v = eval(FAILING);
    /* make the second action insert fail: the whole inspection must roll back */
    refuse_action(s, "no_g01", "NEW.item = 'G01'");
    hc_diags d = {0};
    assert_int_equal(hc_store_record(s, v.r, &d), -1);
    assert_true(tu_has_diag(&d, "boom"));
    hc_diags_clear(&d);
    assert_int_equal(tu_count(s, "SELECT count(*) FROM inspections"), 0);
    assert_int_equal(tu_count(s, "SELECT count(*) FROM findings"), 0);
    assert_int_equal(tu_count(s, "SELECT count(*) FROM actions"), 0);
    assert_int_equal(tu_count(s, "SELECT count(*) FROM sites"), 0);
    assert_int_equal(tu_count(s, "SELECT count(*) FROM events"), 0);
    tu_done(v);
    hc_store_close(&s);
    remove_db();
}

/* An inspection given its id and site, failing like FAILING. */
static tu_evaluated eval_as(const char *id, const char *site)
{
    char text[768];
    snprintf(text, sizeof text,
             "inspection: {id: %s, site: {id: %s, name: 某木业, dust: {dry_collection: true}},"
             " checklist: mini, date: 2026-09-09}\n"
             "answers:\n  D03: {explosion_control: none}\n  G01: {thickness_mm: 3, blown: no}\n"
             "  G02: {devices: [rotary_valve], code: A, count: 1}\n", id, site);
    return eval(text);
}

/* A count seen from another connection (which takes no lock: a group holds the write lock). */
static int count_elsewhere(const char *sql)
{
    if (hc_store_is_uri(dbpath)) {
        hc_store *o = tu_pg_connect(dbpath);
        int n = (int)tu_count(o, sql);
        hc_store_close(&o);
        return n;
    }
    sqlite3 *db;
    sqlite3_stmt *st;
    int n = -1;
    if (sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return n;
}

/* Group commit: each inspection whole in its savepoint (one that fails is
   undone alone), nothing visible or durable before the commit, a group never
   committed leaves nothing, and a group whose transaction ended early says so
   at its commit instead of claiming what it held. */
static void test_group_commit(void **state)
{
    (void)state;
    hc_store *s = fresh("group");
    hc_diags d = {0};
    refuse_action(s, "no_g2", "NEW.inspection_id = 'g2' AND NEW.item = 'G01'");
    assert_int_equal(hc_store_group_open(s), 0);
    assert_int_equal(hc_store_group_begin(s, &d), 0);
    assert_int_equal(hc_store_group_open(s), 1);
    const char *ids[] = {"g1", "g2", "g3", "g1"};
    const int want[] = {1, -1, 1, 0};           /* g2 fails; g1 again is already recorded */
    for (int i = 0; i < 4; i++) {
        tu_evaluated v = eval_as(ids[i], i == 1 ? "gs2" : "gs1");
        assert_int_equal(hc_store_record(s, v.r, &d), want[i]);
        tu_done(v);
    }
    assert_true(tu_has_diag(&d, "boom"));
    hc_diags_clear(&d);
    assert_int_equal(hc_store_group_open(s), 1);
    assert_int_equal(count_elsewhere("SELECT count(*) FROM inspections"), 0);   /* not before the commit */
    assert_int_equal(hc_store_group_commit(s, &d), 0);
    assert_int_equal(hc_store_group_open(s), 0);
    assert_int_equal(count_elsewhere("SELECT count(*) FROM inspections"), 2);
    assert_int_equal(count_elsewhere("SELECT count(*) FROM inspections WHERE id = 'g2'"), 0);
    assert_int_equal(count_elsewhere("SELECT count(*) FROM sites WHERE id = 'gs2'"), 0);  /* undone whole */
    assert_int_equal(count_elsewhere("SELECT count(*) FROM actions WHERE inspection_id = 'g2'"), 0);
    assert_true(count_elsewhere("SELECT count(*) FROM actions") > 0);
    assert_int_equal(hc_store_audit(s, NULL, &d), 0);
    /* a group never committed (a crash, say) leaves nothing */
    assert_int_equal(hc_store_group_begin(s, &d), 0);
    tu_evaluated v = eval_as("g4", "gs1");
    assert_int_equal(hc_store_record(s, v.r, &d), 1);
    tu_done(v);
    hc_store_close(&s);
    s = hc_store_open(dbpath, &d);
    assert_non_null(s);
    assert_int_equal(tu_count(s, "SELECT count(*) FROM inspections WHERE id = 'g4'"), 0);
    /* a group whose transaction ended under it: no change succeeds in it, and
       its commit says it is lost */
    assert_int_equal(hc_store_group_begin(s, &d), 0);
    v = eval_as("g5", "gs1");
    assert_int_equal(hc_store_record(s, v.r, &d), 1);
    tu_done(v);
    tu_exec(s, "ROLLBACK");
    assert_int_equal(hc_store_group_open(s), -1);
    v = eval_as("g6", "gs1");
    assert_int_equal(hc_store_record(s, v.r, &d), -1);
    tu_done(v);
    assert_true(tu_has_diag(&d, "ended early"));
    hc_diags_clear(&d);
    assert_int_equal(hc_store_group_commit(s, &d), -1);
    assert_int_equal(hc_store_group_open(s), 0);
    hc_diags_clear(&d);
    /* and the store goes on, one transaction a record */
    v = eval_as("g7", "gs1");
    assert_int_equal(hc_store_record(s, v.r, &d), 1);
    tu_done(v);
    assert_int_equal(tu_count(s, "SELECT count(*) FROM inspections"), 3);
    assert_int_equal(hc_store_audit(s, NULL, &d), 0);
    hc_store_close(&s);
    remove_db();
}

static void test_action_life(void **state)
{
    (void)state;
    hc_store *s = fresh("life");
    tu_evaluated v = eval(FAILING);
    hc_diags d = {0};
    assert_int_equal(hc_store_record(s, v.r, &d), 1);
    char *id = tu_text1(s, "SELECT id FROM actions WHERE item = 'G01'");
    assert_int_equal(hc_store_action_verify(s, id, NULL, &d), -1);
    assert_true(tu_has_diag(&d, "it is open; rectify it first"));
    hc_diags_clear(&d);
    assert_int_equal(hc_store_action_reopen(s, id, "x", &d), -1);
    assert_true(tu_has_diag(&d, "cannot reopen action"));
    hc_diags_clear(&d);
    assert_int_equal(hc_store_action_rectify(s, id, NULL, NULL, 0, NULL, &d), -1);   /* a note is required */
    hc_diags_clear(&d);
    assert_int_equal(hc_store_action_rectify(s, id, "x", NULL, 0, "-5", &d), -1);
    hc_diags_clear(&d);
    const char *ev[] = {"IMG_1.jpg"};
    assert_int_equal(hc_store_action_rectify(s, id, "已清扫", ev, 1, "800", &d), 0);
    assert_int_equal(hc_store_action_rectify(s, id, "again", NULL, 0, NULL, &d), -1);
    assert_true(tu_has_diag(&d, "it is rectified"));
    hc_diags_clear(&d);
    assert_int_equal(hc_store_action_reopen(s, id, "复查仍有积尘", &d), 0);
    assert_int_equal(hc_store_action_rectify(s, id, "再次清扫", NULL, 0, "200.5", &d), 0);
    assert_int_equal(hc_store_action_assign(s, id, "李某", &d), 0);
    assert_int_equal(hc_store_action_verify(s, id, "现场核实", &d), 0);
    assert_int_equal(hc_store_action_verify(s, id, NULL, &d), -1);
    assert_true(tu_has_diag(&d, "it is verified (closed)"));
    hc_diags_clear(&d);
    assert_int_equal(hc_store_action_assign(s, id, "王某", &d), -1);
    hc_diags_clear(&d);
    assert_int_equal(hc_store_action_verify(s, "999", NULL, &d), -1);
    assert_true(tu_has_diag(&d, "no action 999"));
    hc_diags_clear(&d);
    assert_int_equal(hc_store_action_verify(s, "abc", NULL, &d), -1);
    hc_diags_clear(&d);
    char *row = tu_text1(s, "SELECT status || '/' || cost || '/' || assignee || '/' || closed_on FROM actions WHERE item = 'G01'");
    assert_string_equal(row, "verified/1000.5/李某/2026-09-20");
    free(row);
    char from[128];
    snprintf(from, sizeof from, "events WHERE subject = (SELECT uid FROM actions WHERE id = %s)", id);
    char *kinds = tu_joined(s, "kind", ",", from, "seq");
    assert_string_equal(kinds, "action.open,action.rectify,action.reopen,action.rectify,action.assign,action.verify");
    free(kinds);
    free(id);
    assert_int_equal(hc_store_audit(s, NULL, &d), 0);
    tu_done(v);
    hc_store_close(&s);
    remove_db();
}

static void test_overdue(void **state)
{
    (void)state;
    hc_store *s = fresh("overdue");
    tu_evaluated v = eval(FAILING);
    hc_diags d = {0};
    assert_int_equal(hc_store_record(s, v.r, &d), 1);
    /* G01 is due 2026-10-09 (30 days), D03 2026-11-08 (60 days) */
    hc_action_filter f = {NULL, "overdue", NULL};
    hc_store_set_today(s, "2026-10-09");
    hc_doc *list = hc_store_action_list(s, &f, &d);
    assert_non_null(list);
    assert_int_equal(hc_map_get(hc_doc_root(list), "actions")->len, 0);   /* due today is not overdue */
    hc_doc_free(&list);
    hc_store_set_today(s, "2026-10-10");
    list = hc_store_action_list(s, &f, &d);
    assert_non_null(list);
    const hc_node *acts = hc_map_get(hc_doc_root(list), "actions");
    assert_int_equal(acts->len, 1);
    assert_string_equal(hc_map_get(acts->kids[0], "item")->str, "G01");
    assert_string_equal(hc_map_get(acts->kids[0], "overdue")->str, "true");
    assert_int_equal(hc_map_get(acts->kids[0], "id")->quoted, 0);          /* a number, not text */
    hc_doc_free(&list);
    hc_action_filter bad = {NULL, "sleeping", NULL};
    assert_null(hc_store_action_list(s, &bad, &d));
    assert_true(tu_has_diag(&d, "expected open, rectified, verified or overdue"));
    hc_diags_clear(&d);
    tu_done(v);
    hc_store_close(&s);
    remove_db();
}

/* What one action is, for checking the filters against a brute-force answer. */
typedef struct {
    char id[16], site[8], status[12], deadline[11];
    int is_void;
} act_row;

static int act_matches(const act_row *a, const hc_action_filter *f, const char *today, const char *squad_of[])
{
    int open = strcmp(a->status, "verified") != 0 && !a->is_void;
    if (f->site && strcmp(a->site, f->site) != 0) return 0;
    if (f->status && strcmp(f->status, "overdue") == 0) {
        if (!open || strcmp(a->deadline, today) >= 0) return 0;
    } else if (f->status && (strcmp(a->status, f->status) != 0 || a->is_void)) {
        return 0;
    }
    if (f->open_only && !open) return 0;
    if (f->squad && strcmp(squad_of[a->site[1] - '0'], f->squad) != 0) return 0;
    if (f->id && strcmp(a->id, f->id) != 0) return 0;
    if (f->due_from && strcmp(a->deadline, f->due_from) < 0) return 0;
    if (f->due_until && strcmp(a->deadline, f->due_until) > 0) return 0;
    return 1;
}

/* Every filter's count and list against the brute-force answer over the
   actions as they are now ('n_expected' of them). */
static void check_filters(hc_store *s, const char *squad_of[], size_t n_expected)
{
    hc_diags d = {0};
    act_row all[32];
    size_t n = 0;
    hc_stmt *st = hc_sql_prepare(s, "SELECT id, site_id, status, deadline, voided_at IS NOT NULL"
                                    " FROM actions ORDER BY id", &d);
    assert_non_null(st);
    while (hc_sql_step(st) == HC_SQL_ROW && n < 32) {
        snprintf(all[n].id, sizeof all[n].id, "%s", hc_sql_text(st, 0));
        snprintf(all[n].site, sizeof all[n].site, "%s", hc_sql_text(st, 1));
        snprintf(all[n].status, sizeof all[n].status, "%s", hc_sql_text(st, 2));
        snprintf(all[n].deadline, sizeof all[n].deadline, "%s", hc_sql_text(st, 3));
        all[n].is_void = (int)hc_sql_int(st, 4);
        n++;
    }
    hc_sql_finalize(st);
    assert_int_equal(n, n_expected);
    const hc_action_filter filters[] = {
        {0},
        {.site = "s2"},
        {.status = "open"},
        {.status = "verified"},
        {.status = "rectified", .site = "s3"},
        {.status = "overdue"},
        {.status = "overdue", .squad = "一中队"},
        {.open_only = 1, .squad = "二中队"},
        {.open_only = 1, .due_from = "2026-10-20", .due_until = "2026-10-27"},
        {.open_only = 1, .due_from = "2026-11-01"},
        {.id = "5"},
        {.squad = "一中队", .limit = 2, .offset = 1},
        {.squad = "三中队"},
        {.site = ""},
        {.open_only = 1, .site = "s1"},
        {.status = "overdue", .site = "s2"},
        {.status = "open", .open_only = 1},
        {.open_only = 1, .due_until = "2026-10-19"},
        {.status = "overdue", .due_from = "2026-10-01", .squad = "二中队"},
    };
    for (size_t k = 0; k < sizeof filters / sizeof filters[0]; k++) {
        const hc_action_filter *f = &filters[k];
        long long expect = 0;
        for (size_t i = 0; i < n; i++) expect += act_matches(&all[i], f, "2026-10-20", squad_of);
        assert_int_equal(hc_store_action_count(s, f, &d), expect);
        hc_doc *list = hc_store_action_list(s, f, &d);
        assert_non_null(list);
        const hc_node *acts = hc_map_get(hc_doc_root(list), "actions");
        long long shown = expect - f->offset;
        if (shown < 0) shown = 0;
        if (f->limit > 0 && shown > f->limit) shown = f->limit;
        assert_int_equal((long long)acts->len, shown);
        for (size_t i = 0; i < acts->len; i++) {
            const char *id = hc_map_get(acts->kids[i], "id")->str;
            const act_row *a = NULL;
            for (size_t j = 0; j < n && a == NULL; j++)
                if (strcmp(all[j].id, id) == 0) a = &all[j];
            assert_non_null(a);
            assert_true(act_matches(a, f, "2026-10-20", squad_of));
            /* standing before void, open before verified, then by deadline */
            if (i > 0) {
                const hc_node *p = acts->kids[i - 1];
                int pv = strcmp(hc_map_get(p, "void")->str, "true") == 0;
                int pd = strcmp(hc_map_get(p, "status")->str, "verified") == 0;
                int td = strcmp(a->status, "verified") == 0;
                assert_true(pv <= a->is_void);
                if (pv == a->is_void) assert_true(pd <= td);
                if (pv == a->is_void && pd == td)
                    assert_true(strcmp(hc_map_get(p, "deadline")->str, a->deadline) <= 0);
            }
        }
        hc_doc_free(&list);
    }
    /* the register's open actions of each site */
    hc_doc *reg = hc_store_sites(s, &d);
    assert_non_null(reg);
    const hc_node *sites = hc_map_get(hc_doc_root(reg), "sites");
    assert_int_equal(sites->len, 6);
    for (size_t k = 0; k < sites->len; k++) {
        const char *id = hc_map_get(sites->kids[k], "id")->str;
        hc_action_filter f = {.site = id, .open_only = 1};
        long long expect = 0;
        for (size_t i = 0; i < n; i++) expect += act_matches(&all[i], &f, "2026-10-20", squad_of);
        assert_int_equal(strtoll(hc_map_get(sites->kids[k], "open_actions")->str, NULL, 10), expect);
    }
    hc_doc_free(&reg);
    /* the counts by site and deadline (schema 10's triggers) are a recount's */
    assert_int_equal(tu_count(s, "SELECT count(*) FROM (SELECT site_id, deadline, count(*) FROM actions"
                                 " WHERE status <> 'verified' AND voided_at IS NULL GROUP BY 1, 2"
                                 " EXCEPT SELECT * FROM open_days) AS missing"), 0);
    assert_int_equal(tu_count(s, "SELECT count(*) FROM (SELECT * FROM open_days EXCEPT"
                                 " SELECT site_id, deadline, count(*) FROM actions"
                                 " WHERE status <> 'verified' AND voided_at IS NULL GROUP BY 1, 2) AS extra"), 0);
}

/* The list and the count of every filter agree with each other and with the
   filter's meaning, whichever conditions it sets (the SQL is composed from the
   set ones: bug-prone), and the lists the pages of serve ask on every request
   are answered from the indexes of schema 9, not by reading every action. */
static void test_action_filters(void **state)
{
    (void)state;
    hc_store *s = fresh("filters");
    hc_diags d = {0};
    const char *squad_of[] = {"", "一中队", "二中队", "一中队", "二中队", "一中队", "二中队"};
    for (int i = 1; i <= 6; i++) {
        char text[1024];
        snprintf(text, sizeof text,
                 "inspection: {id: f%d, site: {id: s%d, name: 某木业%d, squad: %s, dust: {dry_collection: true}},"
                 " checklist: mini, date: 2026-09-%02d}\n"
                 "answers:\n  D03: {explosion_control: none}\n  G01: {thickness_mm: 3, blown: no}\n"
                 "  G02: {devices: [rotary_valve], code: A, count: 1}\n",
                 i, i, i, squad_of[i], i * 3);
        tu_evaluated v = eval(text);
        assert_int_equal(hc_store_record(s, v.r, &d), 1);
        tu_done(v);
    }
    /* some done, one rectified, one void */
    tu_exec(s, "UPDATE actions SET status = 'verified' WHERE id IN (1, 4, 9);"
               "UPDATE actions SET status = 'rectified' WHERE id = 6;"
               "UPDATE actions SET voided_at = '2026-10-01', void_reason = 'x' WHERE id = 7;");
    hc_store_set_today(s, "2026-10-20");
    check_filters(s, squad_of, 12);
    /* every way an action enters or leaves the open ones, or moves between
       days and sites: reopened, un-voided, verified, voided, a deadline moved,
       a site changed, deleted */
    tu_exec(s, "UPDATE actions SET status = 'open' WHERE id = 4;"
               "UPDATE actions SET voided_at = NULL, void_reason = NULL WHERE id = 7;"
               "UPDATE actions SET status = 'verified' WHERE id = 2;"
               "UPDATE actions SET voided_at = '2026-10-02', void_reason = 'y' WHERE id = 3;"
               "UPDATE actions SET deadline = '2026-10-19' WHERE id IN (5, 8);"
               "UPDATE actions SET site_id = 's1' WHERE id = 10;"
               "DELETE FROM actions WHERE id = 11;");
    check_filters(s, squad_of, 11);
    hc_diags d2 = {0};
    hc_action_filter bad = {.status = "sleeping"};
    assert_int_equal(hc_store_action_count(s, &bad, &d2), -1);
    assert_true(tu_has_diag(&d2, "expected open, rectified, verified or overdue"));
    hc_diags_clear(&d2);
    /* the plans of what every page asks: an index, never every action */
    static const struct {
        const char *sql, *uses;
    } plans[] = {
        {"SELECT count(*) FROM actions a WHERE 1 AND a.status <> 'verified' AND a.voided_at IS NULL"
         " AND a.deadline < '2026-10-20' AND a.site_id IN (SELECT id FROM sites WHERE squad = 'x')",
         "COVERING INDEX actions_open"},
        {"SELECT a.id FROM actions a CROSS JOIN sites s ON s.id = a.site_id WHERE 1 AND a.status <> 'verified'"
         " AND a.voided_at IS NULL AND s.squad = 'x' ORDER BY a.deadline, a.id LIMIT 10",
         "INDEX actions_due"},
        {"SELECT a.id FROM actions a CROSS JOIN sites s ON s.id = a.site_id WHERE 1 AND s.squad = 'x'"
         " ORDER BY a.voided_at IS NOT NULL, a.status = 'verified', a.deadline, a.id LIMIT 50",
         "INDEX actions_order"},
        {"SELECT (SELECT max(date) FROM inspections i WHERE i.site_id = s.id AND i.voided_at IS NULL) FROM sites s",
         "INDEX inspections_live"},
    };
    for (size_t k = 0; k < sizeof plans / sizeof plans[0] && !tu_on_pg(s); k++) {   /* SQLite's planner */
        sqlite3_stmt *q;
        char eqp[1024];
        snprintf(eqp, sizeof eqp, "EXPLAIN QUERY PLAN %s", plans[k].sql);
        assert_int_equal(sqlite3_prepare_v2(s->db, eqp, -1, &q, NULL), SQLITE_OK);
        int found = 0;
        while (sqlite3_step(q) == SQLITE_ROW) {
            const char *detail = (const char *)sqlite3_column_text(q, 3);
            if (detail && strstr(detail, plans[k].uses)) found = 1;
            /* neither reading every action nor sorting them all */
            if (detail) assert_string_not_equal(detail, "SCAN a");
            if (detail) assert_null(strstr(detail, "TEMP B-TREE"));
        }
        sqlite3_finalize(q);
        if (!found) fprintf(stderr, "plan of %s does not use %s\n", plans[k].sql, plans[k].uses);
        assert_true(found);
    }
    hc_store_close(&s);
    remove_db();
}

static void test_reinspection(void **state)
{
    (void)state;
    hc_store *s = fresh("re");
    tu_evaluated v = eval(FAILING);
    hc_diags d = {0};
    assert_int_equal(hc_store_record(s, v.r, &d), 1);
    /* G01 now passes, D03 still fails, G02 newly fails */
    tu_evaluated w = eval("inspection: {id: i2, site: " SITE ", checklist: mini, date: 2026-09-30, kind: reinspection}\n"
                       "answers:\n  D03: {explosion_control: isolation}\n  G01: {thickness_mm: 0.5, blown: no}\n"
                       "  G02: {devices: [rotary_valve], code: A, count: 0}\n");
    hc_reinspect_summary sum;
    assert_int_equal(hc_store_reinspect(s, "nope", w.r, &sum, &d), -1);
    assert_true(tu_has_diag(&d, "no inspection 'nope'"));
    hc_diags_clear(&d);
    assert_int_equal(hc_store_reinspect(s, "i1", w.r, &sum, &d), 1);
    assert_int_equal(sum.verified, 1);
    assert_int_equal(sum.still_failing, 1);
    assert_int_equal(sum.new_hazards, 1);
    char *st = tu_joined(s, "item || '=' || status", ",", "actions", "item");
    assert_string_equal(st, "D03=open,G01=verified,G02=open");
    free(st);
    /* the same hazard, not a new one: still one action for D03, now pointing at i2 */
    assert_int_equal(tu_count(s, "SELECT count(*) FROM actions WHERE item = 'D03'"), 1);
    char *last = tu_text1(s, "SELECT last_inspection_id FROM actions WHERE item = 'D03'");
    assert_string_equal(last, "i2");
    free(last);
    char *kind = tu_text1(s, "SELECT kind || '/' || parent FROM inspections WHERE id = 'i2'");
    assert_string_equal(kind, "reinspection/i1");
    free(kind);
    assert_int_equal(hc_store_reinspect(s, "i1", w.r, &sum, &d), -1);      /* i2 is recorded already */
    hc_diags_clear(&d);
    assert_int_equal(hc_store_audit(s, NULL, &d), 0);
    tu_done(v);
    tu_done(w);
    hc_store_close(&s);
    remove_db();
}

/* Two inspections of a site on one date, recorded in the same second (the
   clock's grain), are listed in the order they were recorded, whatever their
   ids: SQLite and PostgreSQL once told them apart differently (stop 23's CI). */
static void test_same_second_in_recorded_order(void **state)
{
    (void)state;
    hc_store *s = fresh("second");
    tu_evaluated first = eval_as("z1", "s1"), second = eval_as("a1", "s1");
    hc_diags d = {0};
    assert_int_equal(hc_store_record(s, first.r, &d), 1);
    assert_int_equal(hc_store_record(s, second.r, &d), 1);
    assert_int_equal(tu_count(s, "UPDATE inspections SET recorded_at = '2026-09-09T08:00:00Z' RETURNING 1"), 1);
    for (long rows = 0; rows <= 1; rows++) {   /* all of them, and only the latest */
        hc_doc *site = hc_store_site(s, "s1", rows, &d);
        assert_non_null(site);
        const hc_node *ins = hc_map_get(hc_map_get(hc_doc_root(site), "site"), "inspections");
        assert_int_equal(ins->len, rows ? 1 : 2);
        assert_string_equal(hc_map_get(ins->kids[ins->len - 1], "id")->str, "a1");
        if (!rows) assert_string_equal(hc_map_get(ins->kids[0], "id")->str, "z1");
        hc_doc_free(&site);
    }
    assert_int_equal(d.n, 0);
    tu_done(first);
    tu_done(second);
    hc_store_close(&s);
    remove_db();
}

static void test_sites_and_enforcement(void **state)
{
    (void)state;
    hc_store *s = fresh("sites");
    hc_diags d = {0};
    const char *y1 = "{id: s9, name: 甲企业, district: 章丘区, squad: 四中队}";
    const char *y2 = "{id: s9, name: 甲企业, district: 章丘区, squad: 三中队}";
    hc_reader *r = hc_reader_open_mem("p.yaml", y1, strlen(y1), NULL, &d);
    hc_doc *doc1, *doc2;
    hc_reader_next(r, &doc1, &d);
    hc_reader_close(&r);
    r = hc_reader_open_mem("p.yaml", y2, strlen(y2), NULL, &d);
    hc_reader_next(r, &doc2, &d);
    hc_reader_close(&r);
    assert_int_equal(hc_store_site_put(s, hc_doc_root(doc1), &d), 1);
    assert_int_equal(hc_store_site_put(s, hc_doc_root(doc1), &d), 0);
    assert_int_equal(hc_store_site_put(s, hc_doc_root(doc2), &d), 2);
    char *data = tu_text1(s, "SELECT data FROM events WHERE kind = 'site.update'");
    assert_non_null(strstr(data, "四中队"));      /* the change keeps the old value */
    assert_non_null(strstr(data, "三中队"));
    free(data);
    /* the register feeds the engine */
    hc_doc *found = NULL;
    assert_int_equal(hc_store_site_lookup(s, "s9", &found, &d), 1);
    assert_non_null(found);
    assert_string_equal(hc_map_get(hc_doc_root(found), "squad")->str, "三中队");
    hc_doc_free(&found);
    assert_int_equal(hc_store_site_lookup(s, "nope", &found, &d), 0);
    assert_null(found);

    assert_int_equal(hc_store_enforce(s, "s9", "interview", "2026-09-01", NULL, "安全生产法 第六十五条", "约谈主要负责人", &d), 0);
    assert_int_equal(hc_store_enforce(s, "s9", "penalty", NULL, NULL, NULL, NULL, &d), -1);   /* no amount */
    assert_true(tu_has_diag(&d, "amount"));
    hc_diags_clear(&d);
    assert_int_equal(hc_store_enforce(s, "s9", "penalty", "2026-09-02", "25000", "6号令 第十五条", NULL, &d), 0);
    assert_int_equal(hc_store_enforce(s, "s9", "resume", NULL, NULL, NULL, NULL, &d), -1);
    assert_true(tu_has_diag(&d, "it is not suspended"));
    hc_diags_clear(&d);
    assert_int_equal(hc_store_enforce(s, "s9", "suspend", NULL, NULL, NULL, NULL, &d), 0);
    assert_int_equal(hc_store_enforce(s, "s9", "list", NULL, NULL, NULL, NULL, &d), 0);
    assert_int_equal(hc_store_enforce(s, "s9", "list", NULL, NULL, NULL, NULL, &d), -1);
    hc_diags_clear(&d);
    char *st = tu_text1(s, "SELECT listed || '/' || state FROM sites WHERE id = 's9'");
    assert_string_equal(st, "1/suspended");
    free(st);
    assert_int_equal(hc_store_enforce(s, "s9", "close-down", NULL, NULL, NULL, NULL, &d), 0);
    assert_int_equal(hc_store_enforce(s, "s9", "resume", NULL, NULL, NULL, NULL, &d), -1);
    assert_true(tu_has_diag(&d, "it is closed down"));
    hc_diags_clear(&d);
    assert_int_equal(hc_store_enforce(s, "nope", "interview", NULL, NULL, NULL, NULL, &d), -1);
    assert_int_equal(hc_store_enforce(s, "s9", "praise", NULL, NULL, NULL, NULL, &d), -1);
    hc_diags_clear(&d);
    assert_int_equal(tu_count(s, "SELECT count(*) FROM enforcement"), 5);
    assert_int_equal(tu_count(s, "SELECT sum(amount) FROM enforcement"), 25000);
    /* the import's path (replaying every measure through the same table) agrees
       with the live one; it used to be a second copy of the rules in SQL */
    assert_int_equal(tu_count(s, "UPDATE sites SET listed = 0, state = 'operating' WHERE id = 's9'"
                                 " RETURNING 1"), 1);
    assert_int_equal(hc_site_status_replay(s, "s9", 0, &d), 0);
    st = tu_text1(s, "SELECT listed || '/' || state FROM sites WHERE id = 's9'");
    assert_string_equal(st, "1/closed");
    free(st);
    /* the site's status shows where the site does */
    hc_doc *site = hc_store_site(s, "s9", 0, &d);
    assert_non_null(site);
    const hc_node *sn = hc_map_get(hc_doc_root(site), "site");
    assert_string_equal(hc_map_get(sn, "state")->str, "closed");
    assert_string_equal(hc_map_get(sn, "listed")->str, "true");
    const hc_node *enf = hc_map_get(sn, "enforcement");
    assert_int_equal(enf->len, 5);
    assert_string_equal(hc_map_get(enf->kids[1], "measure")->str, "penalty");
    assert_string_equal(hc_map_get(enf->kids[1], "amount")->str, "25000");
    hc_doc_free(&site);
    assert_null(hc_store_site(s, "nope", 0, &d));
    assert_true(tu_has_diag(&d, "no site 'nope'"));
    hc_diags_clear(&d);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    hc_doc *sites = hc_store_sites(s, &d);
    assert_non_null(sites);
    /* whose each site is, without the figures: the same sites in the same order */
    hc_doc *squads = hc_store_site_squads(s, &d);
    assert_non_null(squads);
    const hc_node *full = hc_map_get(hc_doc_root(sites), "sites"), *light = hc_map_get(hc_doc_root(squads), "sites");
    assert_int_equal(light->len, full->len);
    assert_true(light->len > 0);
    for (size_t i = 0; i < light->len; i++) {
        assert_string_equal(hc_map_get(light->kids[i], "id")->str, hc_map_get(full->kids[i], "id")->str);
        assert_int_equal(light->kids[i]->len, 2);                     /* id and squad, nothing else */
    }
    hc_doc_free(&squads);
    assert_int_equal(hc_render_sites(out, sites, HC_FMT_TEXT, &d), 0);
    assert_int_equal(hc_render_sites(out, sites, HC_FMT_CSV, &d), -1);    /* not a format for it */
    hc_doc_free(&sites);
    fclose(out);
    assert_non_null(strstr(buf, "closed, blacklisted"));
    free(buf);
    hc_diags_clear(&d);
    assert_int_equal(hc_store_audit(s, NULL, &d), 0);
    hc_doc_free(&doc1);
    hc_doc_free(&doc2);
    hc_store_close(&s);
    remove_db();
}

static void test_hash_chain_detects_tampering(void **state)
{
    (void)state;
    const char *edits[] = {
        "UPDATE events SET note = 'edited' WHERE seq = 2",
        "UPDATE events SET by = 'someone else' WHERE seq = 3",
        "DELETE FROM events WHERE seq = 2",
        "DELETE FROM events WHERE seq = (SELECT max(seq) FROM events)",
        "UPDATE events SET hash = '00', prev_hash = '00' WHERE seq = 1",
    };
    const char *expect[] = {"event 2", "event 3", "event 3", "removed", "event 1"};
    for (size_t k = 0; k < sizeof edits / sizeof edits[0]; k++) {
        hc_store *s = fresh("chain");
        tu_evaluated v = eval(FAILING);
        hc_diags d = {0};
        assert_int_equal(hc_store_record(s, v.r, &d), 1);
        assert_int_equal(hc_store_audit(s, NULL, &d), 0);
        tu_exec(s, edits[k]);
        assert_int_equal(hc_store_audit(s, NULL, &d), 1);
        if (!tu_has_diag(&d, expect[k])) tu_dump(&d);
        assert_true(tu_has_diag(&d, expect[k]));
        hc_diags_clear(&d);
        tu_done(v);
        hc_store_close(&s);
        remove_db();
    }
}

/* A database with a row in every table the log vouches for. */
static hc_store *every_table(tu_evaluated *v)
{
    hc_store *s = fresh("rows");
    *v = eval(FAILING);
    hc_diags d = {0};
    assert_int_equal(hc_store_record(s, v->r, &d), 1);
    assert_int_equal(hc_store_action_assign(s, "1", "张工", &d), 0);
    assert_int_equal(hc_store_enforce(s, v->r->in->site_id, "penalty", "2026-09-02", "25000", NULL,
                                      "罚款", &d), 0);
    assert_int_equal(hc_store_audit(s, NULL, &d), 0);
    hc_diags_clear(&d);
    return s;
}

/* audit verify covers the tables: each table edited, given a row and robbed of
   one behind hazcheck's back (as the sqlite3 shell can) is found and named. */
static void test_audit_covers_the_tables(void **state)
{
    (void)state;
    static const char *const tables[] = {"sites", "inspections", "findings", "actions", "enforcement"};
    static const char *const nouns[] = {"site", "inspection", "the findings of inspection", "action",
                                        "enforcement measure"};
    /* a copy of a row under a new key: the key column, then what else must differ */
    static const char *const copy[] = {"id = 'zz'", "id = 'zz'", "item = 'ZZ'",
                                       "uid = 'zz', id = NULL", "uid = 'zz', id = NULL"};
    static const char *const rowkey_pg[] = {"id", "rowid", "rowid", "id", "id"};
    static const char *const edit[] = {"name = '改过的名字'", "verdict = 'compliant'",
                                       "status = 'pass'", "status = 'verified'", "amount = 250"};
    for (size_t t = 0; t < 5; t++) {
        for (int how = 0; how < 3; how++) {
            tu_evaluated v;
            hc_store *s = every_table(&v);
            char sql[512];
            /* a row by its place: SQLite's rowid; on PostgreSQL the table's key, or
               its rowid column where it has one (schema_pg.c), which a copy leaves
               to be numbered afresh, and foreign keys unchecked as the shell would */
            int pg = tu_on_pg(s);
            const char *place = pg ? rowkey_pg[t] : "rowid";
            int has_rowid = pg && strcmp(place, "rowid") == 0;
            if (how == 0)
                snprintf(sql, sizeof sql, "UPDATE %s SET %s WHERE %s = (SELECT min(%s) FROM %s)",
                         tables[t], edit[t], place, place, tables[t]);
            else if (how == 1)
                snprintf(sql, sizeof sql, "CREATE TEMP TABLE c AS SELECT * FROM %s LIMIT 1; "
                                          "UPDATE c SET %s;%s INSERT INTO %s SELECT * FROM c",
                         tables[t], copy[t], has_rowid ? " ALTER TABLE c DROP COLUMN rowid;" : "", tables[t]);
            else
                snprintf(sql, sizeof sql, "%s DELETE FROM %s WHERE %s = (SELECT max(%s) FROM %s)",
                         pg ? "SET session_replication_role = replica;" : "PRAGMA foreign_keys = OFF;",
                         tables[t], place, place, tables[t]);
            tu_exec(s, sql);
            hc_diags d = {0};
            assert_int_equal(hc_store_audit(s, NULL, &d), 1);
            char want[64];
            snprintf(want, sizeof want, "audit: %s '", nouns[t]);
            static const char *const why[] = {"changed outside", "added outside", "deleted outside"};
            /* an inspection's findings are vouched for together: a finding more or
               less changes them */
            const char *w = t == 2 ? why[0] : why[how];
            if (!tu_has_diag(&d, want) || !tu_has_diag(&d, w)) tu_dump(&d);
            assert_true(tu_has_diag(&d, want));
            assert_true(tu_has_diag(&d, w));
            hc_diags_clear(&d);
            tu_done(v);
            hc_store_close(&s);
            remove_db();
        }
    }
}

/* A database from before schema 4 gets a baseline event for the rows it has,
   after which an edit is found like any other. */
static void test_audit_baseline_for_older_databases(void **state)
{
    (void)state;
    if (tu_want_pg()) skip();      /* SQLite's history */
    tu_evaluated v;
    hc_store *s = every_table(&v);
    /* as schema 3 left it: no rows column; its events vouched for no row (they
       are dropped here, the tables kept, so the baseline alone vouches) */
    tu_exec(s, "DELETE FROM events; DELETE FROM meta WHERE key = 'head'; "
               UNDO_10 UNDO_9 UNDO_8 UNDO_7 UNDO_6 UNDO_5 "ALTER TABLE events DROP COLUMN rows; PRAGMA user_version = 3");
    hc_store_close(&s);
    hc_diags d = {0};
    s = hc_store_open(dbpath, &d);
    assert_non_null(s);
    assert_int_equal(tu_count(s, "SELECT count(*) FROM events WHERE kind = 'audit.baseline'"), 1);
    assert_int_equal(tu_count(s, "SELECT count(*) FROM events"), 1);
    char *rows = tu_text1(s, "SELECT rows FROM events WHERE kind = 'audit.baseline'");
    assert_non_null(strstr(rows, "5:sites;"));
    assert_non_null(strstr(rows, "11:enforcement;"));
    assert_non_null(strstr(rows, "8:findings;"));
    free(rows);
    long long n = 0;
    assert_int_equal(hc_store_audit(s, &n, &d), 0);
    assert_int_equal(n, 1);
    /* opened again: no second baseline */
    hc_store_close(&s);
    s = hc_store_open(dbpath, &d);
    assert_int_equal(tu_count(s, "SELECT count(*) FROM events"), 1);
    /* from then on an edit is found like any other */
    tu_exec(s, "UPDATE enforcement SET amount = 250");
    assert_int_equal(hc_store_audit(s, NULL, &d), 1);
    assert_true(tu_has_diag(&d, "audit: enforcement measure '"));
    hc_diags_clear(&d);
    tu_done(v);
    hc_store_close(&s);
    remove_db();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_migrations),
        cmocka_unit_test(test_record_is_idempotent),
        cmocka_unit_test(test_notice_numbers),
        cmocka_unit_test(test_record_is_whole_or_nothing),
        cmocka_unit_test(test_group_commit),
        cmocka_unit_test(test_action_life),
        cmocka_unit_test(test_overdue),
        cmocka_unit_test(test_action_filters),
        cmocka_unit_test(test_reinspection),
        cmocka_unit_test(test_same_second_in_recorded_order),
        cmocka_unit_test(test_sites_and_enforcement),
        cmocka_unit_test(test_hash_chain_detects_tampering),
        cmocka_unit_test(test_audit_covers_the_tables),
        cmocka_unit_test(test_audit_baseline_for_older_databases),
    };
    return cmocka_run_group_tests_name("store", tests, setup, teardown);
}
