/*
** test_bundle.c: export and import between databases: a full round trip
** keeps every row and a valid hash chain, a second import changes nothing,
** --since brings only later rows (and the rows they need), a bad bundle is
** refused whole naming its line, and the merge rules for actions, sites and
** enforcement.
*/
#include "testdb.h"

static hc_engine *e;

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

/* ------------------------------------------------------------- helpers */

/* Temporary files of the current test; cleanup() removes them even when it fails. */
static char paths[32][256];
static int npaths;

static const char *tmp_path(const char *name)
{
    assert_true(npaths < 32);
    char *p = paths[npaths++];
    const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(p, 256, "%s/hc-exch-%d-%s", dir, (int)getpid(), name);
    return p;
}

static void remove_db(const char *path) { tu_db_remove(path); }

static int cleanup(void **state)
{
    (void)state;
    for (int i = 0; i < npaths; i++) remove_db(paths[i]);
    npaths = 0;
    return 0;
}

static hc_store *open_db(const char *name)
{
    const char *path = tmp_path(name);
    remove_db(path);
    hc_diags d = {0};
    hc_store *s = hc_store_open(path, &d);
    if (s == NULL) tu_dump(&d);
    assert_non_null(s);
    hc_diags_clear(&d);
    hc_store_set_actor(s, "tester");
    hc_store_set_today(s, "2026-09-20");
    return s;
}

static void close_db(hc_store **s)
{
    char path[256];
    snprintf(path, sizeof path, "%s", (*s)->path);
    hc_store_close(s);
    remove_db(path);
}

/* Every row of every table that travels, without local ids and hashes, as one text. */
static char *snapshot(hc_store *s)
{
    static const char *const q[] = {
        "SELECT 'sites', count(*), group_concat(x, '|') FROM (SELECT quote(id) || quote(name) ||"
        " quote(district) || quote(industry) || quote(squad) || quote(inspector) || quote(contact) ||"
        " quote(profile) || quote(listed) || quote(state) || quote(created_at) || quote(updated_at)"
        " AS x FROM sites ORDER BY id)",
        "SELECT 'inspections', count(*), group_concat(x, '|') FROM (SELECT quote(id) || quote(site_id) ||"
        " quote(checklist) || quote(checklist_version) || quote(checklist_sha256) || quote(date) ||"
        " quote(inspector) || quote(kind) || quote(parent) || quote(verdict) || quote(score) ||"
        " quote(result) || quote(recorded_at) || quote(recorded_by) || quote(voided_at) ||"
        " quote(void_reason) || quote(district) || quote(squad) || quote(industry)"
        " AS x FROM inspections ORDER BY id)",
        "SELECT 'findings', count(*), group_concat(x, '|') FROM (SELECT quote(inspection_id) ||"
        " quote(item) || quote(title) || quote(section) || quote(status) || quote(severity) ||"
        " quote(message) || quote(basis) || quote(remedy) || quote(ord) || quote(deadline) ||"
        " quote(inputs) || quote(note) || quote(evidence) AS x FROM findings"
        " ORDER BY inspection_id, item)",
        "SELECT 'actions', count(*), group_concat(x, '|') FROM (SELECT quote(uid) || quote(site_id) ||"
        " quote(inspection_id) || quote(item) || quote(title) || quote(severity) || quote(message) ||"
        " quote(basis) || quote(remedy) || quote(ord) || quote(deadline) || quote(status) ||"
        " quote(assignee) || quote(supervisor) || quote(cost) || quote(last_inspection_id) ||"
        " quote(opened_on) || quote(closed_on) || quote(voided_at) || quote(void_reason)"
        " AS x FROM actions ORDER BY uid)",
        "SELECT 'enforcement', count(*), group_concat(x, '|') FROM (SELECT quote(uid) ||"
        " quote(site_id) || quote(measure) || quote(date) || quote(amount) || quote(basis) ||"
        " quote(note) || quote(by) || quote(voided_at) || quote(void_reason) ||"
        " quote(district) || quote(squad) || quote(industry) AS x FROM enforcement ORDER BY uid)",
        "SELECT 'events', count(*), group_concat(x, '|') FROM (SELECT quote(uid) || quote(at) ||"
        " quote(by) || quote(kind) || quote(subject) || quote(site_id) || quote(note) || quote(data)"
        " AS x FROM events WHERE kind <> 'import' ORDER BY seq)",
    };
    hc_buf b = {0};
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(s->db, q[i], -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        const char *rows = (const char *)sqlite3_column_text(st, 2);
        hc_buf_printf(&b, "%s=%lld\n%s\n", (const char *)sqlite3_column_text(st, 0),
                      (long long)sqlite3_column_int64(st, 1), rows ? rows : "");
        sqlite3_finalize(st);
    }
    return hc_buf_take(&b);
}

/* The counts line of a snapshot ("sites=2 inspections=3 ..."). */
static char *counts(hc_store *s)
{
    static const char *const tables[] = {"sites", "inspections", "findings", "actions",
                                         "enforcement", "events"};
    static const char *const q[] = {
        "SELECT count(*) FROM sites", "SELECT count(*) FROM inspections",
        "SELECT count(*) FROM findings", "SELECT count(*) FROM actions",
        "SELECT count(*) FROM enforcement", "SELECT count(*) FROM events"};
    hc_buf b = {0};
    for (size_t i = 0; i < 6; i++) hc_buf_printf(&b, "%s%s=%lld", i ? " " : "", tables[i], tu_count(s, q[i]));
    return hc_buf_take(&b);
}

static void put_site(hc_store *s, const char *yaml)
{
    hc_diags d = {0};
    hc_reader *r = hc_reader_open_mem("site.yaml", yaml, strlen(yaml), NULL, &d);
    assert_non_null(r);
    hc_doc *doc;
    assert_int_equal(hc_reader_next(r, &doc, &d), 1);
    hc_reader_close(&r);
    int rc = hc_store_site_put(s, hc_doc_root(doc), &d);
    if (rc < 0) tu_dump(&d);
    assert_true(rc >= 0);
    hc_doc_free(&doc);
    hc_diags_clear(&d);
}

/* Evaluate an inspection given as YAML text with this file's engine. */
static tu_evaluated eval(const char *text) { return tu_eval(e, text); }

static void record(hc_store *s, const char *text)
{
    tu_evaluated v = eval(text);
    hc_diags d = {0};
    int rc = hc_store_record(s, v.r, &d);
    if (rc != 1) tu_dump(&d);
    assert_int_equal(rc, 1);
    hc_diags_clear(&d);
    tu_done(v);
}

static void reinspect(hc_store *s, const char *parent, const char *text)
{
    tu_evaluated v = eval(text);
    hc_diags d = {0};
    hc_reinspect_summary sum;
    int rc = hc_store_reinspect(s, parent, v.r, &sum, &d);
    if (rc != 1) tu_dump(&d);
    assert_int_equal(rc, 1);
    hc_diags_clear(&d);
    tu_done(v);
}

static long long action_id(hc_store *s, const char *uid)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(s->db, "SELECT id FROM actions WHERE uid = ?", -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, uid, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return id;
}

static void act(hc_store *s, const char *uid, const char *what)
{
    char id[32];
    snprintf(id, sizeof id, "%lld", action_id(s, uid));
    hc_diags d = {0};
    int rc;
    if (strcmp(what, "rectify") == 0) {
        const char *ev[] = {"photo-1.jpg"};
        rc = hc_store_action_rectify(s, id, "安装泄爆片", ev, 1, "1234.56", &d);
    } else if (strcmp(what, "verify") == 0) {
        rc = hc_store_action_verify(s, id, "现场核查", &d);
    } else {
        rc = hc_store_action_assign(s, id, what, &d);
    }
    if (rc) tu_dump(&d);
    assert_int_equal(rc, 0);
    hc_diags_clear(&d);
}

static void enforce(hc_store *s, const char *site, const char *measure, const char *date,
                    const char *amount)
{
    hc_diags d = {0};
    int rc = hc_store_enforce(s, site, measure, date, amount, "《安全生产法》第一百零二条", "依法处理", &d);
    if (rc) tu_dump(&d);
    assert_int_equal(rc, 0);
    hc_diags_clear(&d);
}

static void export_to(hc_store *s, const char *since, const char *path)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    hc_diags d = {0};
    int rc = hc_store_export(s, since, f, &d);
    if (rc) tu_dump(&d);
    assert_int_equal(rc, 0);
    fclose(f);
    hc_diags_clear(&d);
}

static void import_ok(hc_store *s, const char *path)
{
    hc_diags d = {0};
    int rc = hc_store_import(s, path, NULL, &d);
    if (rc) tu_dump(&d);
    assert_int_equal(rc, 0);
    assert_int_equal(d.errors, 0);
    hc_diags_clear(&d);
}

static void audit_ok(hc_store *s)
{
    hc_diags d = {0};
    int rc = hc_store_audit(s, NULL, &d);
    if (rc) tu_dump(&d);
    assert_int_equal(rc, 0);
    hc_diags_clear(&d);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    hc_buf b = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) hc_buf_put(&b, chunk, n);
    fclose(f);
    if (b.data == NULL) hc_buf_puts(&b, "");
    return hc_buf_take(&b);
}

static void spit(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(text, 1, strlen(text), f);
    fclose(f);
}

/* The records of a bundle as "type:key" lines (key: id or uid), read one document at a time. */
static char *bundle_index(const char *path)
{
    hc_diags d = {0};
    hc_reader *r = hc_reader_open(path, NULL, &d);
    assert_non_null(r);
    hc_buf b = {0};
    hc_doc *doc;
    int n, first = 1;
    while ((n = hc_reader_next(r, &doc, &d)) == 1) {
        const hc_node *root = hc_doc_root(doc);
        assert_int_equal(root->kind, HC_MAP);
        if (first) {
            assert_non_null(hc_map_get(root, "hazcheck_export"));
            first = 0;
        } else {
            const hc_node *t = hc_map_get(root, "type");
            const hc_node *k = hc_map_get(root, "uid");
            if (k == NULL) k = hc_map_get(root, "id");
            hc_buf_printf(&b, "%s:%s\n", t->str, k ? k->str : "-");
        }
        hc_doc_free(&doc);
    }
    if (n < 0) tu_dump(&d);
    assert_int_equal(n, 0);
    hc_reader_close(&r);
    hc_diags_clear(&d);
    if (b.data == NULL) hc_buf_puts(&b, "");
    return hc_buf_take(&b);
}

static int has_line(const char *index, const char *line)
{
    size_t n = strlen(line);
    for (const char *p = index; (p = strstr(p, line)) != NULL; p++)
        if ((p == index || p[-1] == '\n') && p[n] == '\n') return 1;
    return 0;
}

static size_t count_prefix(const char *index, const char *type)
{
    size_t n = 0, len = strlen(type);
    for (const char *p = index; *p;) {
        if (strncmp(p, type, len) == 0 && p[len] == ':') n++;
        const char *nl = strchr(p, '\n');
        if (nl == NULL) break;
        p = nl + 1;
    }
    return n;
}

/* The 1-based line of the first occurrence of needle in text. */
static unsigned line_of(const char *text, const char *needle)
{
    const char *p = strstr(text, needle);
    assert_non_null(p);
    unsigned line = 1;
    for (const char *q = text; q < p; q++)
        if (*q == '\n') line++;
    return line;
}

/* ---------------------------------------------------------------- data */

#define S1 "{id: s1, name: 某木业有限公司, district: 章丘区, industry: 木材加工, contact: 张某, " \
           "inspector: 孟凡辉, dust: {dry_collection: true}}"
#define S2 "{id: s2, name: \"某铝制品厂 \\\"二车间\\\"\", district: 历城区, contact: \"李某\\t(值班)\", " \
           "inspector: 王芳, dust: {dry_collection: true}}"

#define I1 "inspection: {id: i1, site: " S1 ", checklist: mini, date: 2026-09-01, inspector: 孟凡辉}\n" \
           "answers:\n  D03: {explosion_control: none, note: \"无泄爆\\n见照片\", evidence: [p1.jpg, p2.jpg]}\n" \
           "  G01: {thickness_mm: 3, blown: no}\n  G02: {devices: [rotary_valve], code: A, count: 1}\n"
#define I2 "inspection: {id: i2, site: " S2 ", checklist: mini, date: 2026-09-15}\n" \
           "answers:\n  D03: {explosion_control: venting, vent_area_m2: 1.25}\n" \
           "  G01: {thickness_mm: 0.2, blown: yes}\n  G02: {devices: [screw], code: B, count: 2}\n"
/* re-inspection of i1: D03 now passes, G01 still fails */
#define I3 "inspection: {id: i3, site: " S1 ", checklist: mini, date: 2026-09-16}\n" \
           "answers:\n  D03: {explosion_control: venting}\n  G01: {thickness_mm: 2, blown: no}\n" \
           "  G02: {devices: [rotary_valve], code: A, count: 1}\n"

/* Database A with two sites, three inspections (one a re-inspection), actions in every
   state, and enforcement that changes the sites' status. */
static hc_store *make_a(const char *name)
{
    hc_store *a = open_db(name);
    put_site(a, S1);
    put_site(a, S2);
    record(a, I1);
    record(a, I2);
    act(a, "i2#G01", "rectify");
    act(a, "i2#G02", "赵工");
    reinspect(a, "i1", I3);
    enforce(a, "s1", "interview", "2026-09-02", NULL);
    enforce(a, "s2", "list", "2026-09-16", NULL);
    enforce(a, "s2", "penalty", "2026-09-16", "12345.67");
    enforce(a, "s2", "suspend", "2026-09-17", NULL);
    return a;
}

/* ---------------------------------------------------------------- tests */

static void test_round_trip(void **state)
{
    (void)state;
    hc_store *a = make_a("rt-a.db");
    hc_store *b = open_db("rt-b.db");
    /* the data is what it should be before it travels */
    assert_int_equal(tu_count(a, "SELECT count(*) FROM inspections"), 3);
    assert_int_equal(tu_count(a, "SELECT count(*) FROM actions"), 4);
    assert_int_equal(tu_count(a, "SELECT count(*) FROM actions WHERE status = 'verified'"), 1);
    assert_int_equal(tu_count(a, "SELECT count(*) FROM actions WHERE status = 'rectified'"), 1);
    assert_int_equal(tu_count(a, "SELECT listed FROM sites WHERE id = 's2'"), 1);
    const char *bundle = tmp_path("rt.bundle");
    export_to(a, NULL, bundle);

    char *idx = bundle_index(bundle);
    assert_int_equal(count_prefix(idx, "site"), 2);
    assert_int_equal(count_prefix(idx, "inspection"), 3);
    assert_int_equal(count_prefix(idx, "action"), 4);
    assert_int_equal(count_prefix(idx, "enforcement"), 4);
    assert_int_equal(count_prefix(idx, "event"), tu_count(a, "SELECT count(*) FROM events"));
    assert_true(has_line(idx, "end:-"));
    /* foreign keys hold in bundle order: the re-inspection after what it re-inspects */
    assert_true(strstr(idx, "inspection:i1\n") < strstr(idx, "inspection:i3\n"));
    assert_true(strstr(idx, "site:s2\n") < strstr(idx, "inspection:i1\n"));
    free(idx);

    import_ok(b, bundle);
    char *sa = snapshot(a), *sb = snapshot(b);
    assert_string_equal(sb, sa);       /* every row, every column, the events in order */
    free(sb);
    audit_ok(b);
    /* B's chain is its own (A's events vouched for A's rows, not B's); B's last
       event is its import, vouching for every row it wrote */
    assert_int_equal(tu_count(b, "SELECT count(*) FROM events WHERE kind = 'import'"), 1);
    assert_int_equal(tu_count(b, "SELECT max(seq) FROM events WHERE kind = 'import'"),
                     tu_count(b, "SELECT max(seq) FROM events"));
    char *status = tu_text1(b, "SELECT listed || state FROM sites WHERE id = 's2'");
    assert_string_equal(status, "1suspended");
    free(status);

    /* the same bundle again changes nothing */
    import_ok(b, bundle);
    sb = snapshot(b);
    assert_string_equal(sb, sa);
    free(sb);
    audit_ok(b);

    /* and back the other way: A already has everything */
    const char *back = tmp_path("rt-back.bundle");
    export_to(b, NULL, back);
    import_ok(a, back);
    char *sa2 = snapshot(a);
    assert_string_equal(sa2, sa);
    free(sa2);
    audit_ok(a);
    free(sa);
    unlink(bundle);
    unlink(back);
    close_db(&a);
    close_db(&b);
}

static void test_import_chains_after_local_events(void **state)
{
    (void)state;
    hc_store *a = make_a("chain-a.db");
    /* B has a life of its own: a site and an inspection A does not know */
    hc_store *b = open_db("chain-b.db");
    put_site(b, "{id: s9, name: 另一家}");
    record(b, "inspection: {id: b1, site: {id: s9, name: 另一家}, checklist: mini, date: 2026-09-03}\n"
              "answers:\n  G01: {thickness_mm: 5, blown: no}\n  G02: {devices: [screw]}\n");
    long long before = tu_count(b, "SELECT count(*) FROM events");
    const char *bundle = tmp_path("chain.bundle");
    export_to(a, NULL, bundle);
    import_ok(b, bundle);
    audit_ok(b);
    /* A's events, and B's import event vouching for the rows it wrote */
    assert_int_equal(tu_count(b, "SELECT count(*) FROM events"), before + tu_count(a, "SELECT count(*) FROM events") + 1);
    assert_int_equal(tu_count(b, "SELECT count(*) FROM inspections"), 4);
    assert_int_equal(tu_count(b, "SELECT count(*) FROM sites"), 3);
    /* A's events follow B's own and keep their uid, time and actor */
    assert_int_equal(tu_count(b, "SELECT count(*) FROM events e WHERE seq > " "(SELECT min(seq) FROM events WHERE subject = 'i1')"
                              " AND by <> 'tester' AND kind <> 'import'"), 0);
    assert_int_equal(tu_count(b, "SELECT max(seq) FROM events WHERE subject = 'b1'") <
                     tu_count(b, "SELECT min(seq) FROM events WHERE subject = 'i1'"), 1);
    /* importing into B again, and B's bundle into A, duplicate nothing */
    char *sb = snapshot(b);
    import_ok(b, bundle);
    char *sb2 = snapshot(b);
    assert_string_equal(sb2, sb);
    free(sb2);
    const char *back = tmp_path("chain-back.bundle");
    export_to(b, NULL, back);
    long long a_events = tu_count(a, "SELECT count(*) FROM events");
    import_ok(a, back);
    audit_ok(a);
    /* B's events (its import's among them) and A's own import event */
    assert_int_equal(tu_count(a, "SELECT count(*) FROM events"), before + a_events + 2);
    assert_int_equal(tu_count(a, "SELECT count(*) FROM inspections"), 4);
    free(sb);
    unlink(bundle);
    unlink(back);
    close_db(&a);
    close_db(&b);
}

/* Events carry the real time, so "later" rows are dated in 2099 and older ones are
   made to look entered long ago. */
static void test_since_selects_later_rows_and_what_they_need(void **state)
{
    (void)state;
    hc_store *a = open_db("since2-a.db");
    put_site(a, S1);
    put_site(a, S2);
    record(a, "inspection: {id: old, site: " S1 ", checklist: mini, date: 2020-01-10}\n"
              "answers:\n  D03: {explosion_control: none}\n  G01: {thickness_mm: 3, blown: no}\n"
              "  G02: {devices: [rotary_valve], code: A, count: 1}\n");
    record(a, "inspection: {id: new, site: " S2 ", checklist: mini, date: 2099-01-05}\n"
              "answers:\n  D03: {explosion_control: venting}\n  G01: {thickness_mm: 3, blown: no}\n"
              "  G02: {devices: [rotary_valve], code: A, count: 1}\n");
    enforce(a, "s1", "interview", "2020-01-11", NULL);
    enforce(a, "s2", "penalty", "2099-01-06", "5000");
    assert_int_equal(sqlite3_exec(a->db, "UPDATE enforcement SET uid = 's1/interview/2020-01-11T09:00:00Z'"
                                         " WHERE measure = 'interview'", NULL, NULL, NULL), SQLITE_OK);
    /* old rows: made to look as if they were entered in 2020 (sites and inspections
       have no hash; events do, so those all stay "now" < 2099) */
    assert_int_equal(sqlite3_exec(a->db, "UPDATE sites SET updated_at = '2020-01-01T00:00:00Z';"
                                         "UPDATE inspections SET recorded_at = '2020-01-10T10:00:00Z'"
                                         " WHERE id = 'old'", NULL, NULL, NULL), SQLITE_OK);
    const char *bundle = tmp_path("since2.bundle");

    /* 1. only the 2099 rows, and the site they need */
    export_to(a, "2099-01-01", bundle);
    char *idx = bundle_index(bundle);
    assert_int_equal(count_prefix(idx, "site"), 1);
    assert_true(has_line(idx, "site:s2"));
    assert_int_equal(count_prefix(idx, "inspection"), 1);
    assert_true(has_line(idx, "inspection:new"));
    assert_int_equal(count_prefix(idx, "action"), 1);
    assert_true(has_line(idx, "action:new#G01"));
    assert_int_equal(count_prefix(idx, "enforcement"), 1);
    assert_false(has_line(idx, "enforcement:s1/interview/2020-01-11T09:00:00Z"));
    assert_int_equal(count_prefix(idx, "event"), 0);
    free(idx);
    /* it imports on its own into an empty database */
    hc_store *b = open_db("since2-b.db");
    import_ok(b, bundle);
    audit_ok(b);
    char *c = counts(b);
    assert_string_equal(c, "sites=1 inspections=1 findings=3 actions=1 enforcement=1 events=1");
    free(c);

    /* 2. an old action changed in 2099 comes, with its inspection and site */
    assert_int_equal(sqlite3_exec(a->db, "UPDATE actions SET assignee = '李四' WHERE uid = 'old#D03'",
                                  NULL, NULL, NULL), SQLITE_OK);
    hc_diags d = {0};
    assert_int_equal(hc_store_begin(a, &d), 0);
    assert_int_equal(hc_store_append_event(a, "future-1", "2099-02-01T08:00:00Z", "tester", "action.assign",
                                           "old#D03", "s1", NULL, "{\"to\":\"李四\"}", &d), 0);
    assert_int_equal(hc_store_commit(a, &d), 0);
    /* A's rows were aged and edited by hand above, behind the log's back: its audit says so */
    assert_int_equal(hc_store_audit(a, NULL, &d), 1);
    assert_true(tu_has_diag(&d, "changed outside hazcheck"));
    hc_diags_clear(&d);
    export_to(a, "2099-01-01", bundle);
    idx = bundle_index(bundle);
    assert_true(has_line(idx, "site:s1"));
    assert_true(has_line(idx, "inspection:old"));
    assert_true(has_line(idx, "action:old#D03"));
    assert_false(has_line(idx, "action:old#G01"));
    assert_int_equal(count_prefix(idx, "event"), 1);
    assert_true(has_line(idx, "event:future-1"));
    free(idx);
    import_ok(b, bundle);
    audit_ok(b);
    char *who = tu_text1(b, "SELECT assignee FROM actions WHERE uid = 'old#D03'");
    assert_string_equal(who, "李四");    /* new to B: inserted as A has it now */
    free(who);

    /* 3. a 2099 re-inspection of the old inspection brings the actions it moved */
    reinspect(a, "old", "inspection: {id: re, site: " S1 ", checklist: mini, date: 2099-01-07}\n"
                        "answers:\n  D03: {explosion_control: venting}\n  G01: {thickness_mm: 3, blown: no}\n"
                        "  G02: {devices: [rotary_valve], code: A, count: 1}\n");
    export_to(a, "2099-01-01", bundle);
    idx = bundle_index(bundle);
    assert_true(has_line(idx, "inspection:re"));
    assert_true(has_line(idx, "inspection:old"));
    assert_true(strstr(idx, "inspection:old\n") < strstr(idx, "inspection:re\n"));
    assert_true(has_line(idx, "action:old#G01"));
    free(idx);
    import_ok(b, bundle);
    audit_ok(b);
    char *st = tu_text1(b, "SELECT status || '/' || last_inspection_id FROM actions WHERE uid = 'old#D03'");
    assert_string_equal(st, "verified/re");
    free(st);

    /* a bad date is refused */
    FILE *f = fopen(bundle, "wb");
    assert_int_equal(hc_store_export(a, "2099-13-01", f, &d), -1);
    fclose(f);
    assert_true(tu_has_diag(&d, "expected a date"));
    hc_diags_clear(&d);
    unlink(bundle);
    close_db(&a);
    close_db(&b);
}

/* Voids travel and win: an inspection, an action and a measure voided in A
   after B had them are voided in B too, with their reasons, by a full bundle
   and by one --since the day of the voids; the site's status follows the
   measures that still stand; a second import changes nothing. */
static void test_voids_travel_and_win(void **state)
{
    (void)state;
    hc_store *a = make_a("void-a.db");
    hc_store *b = open_db("void-b.db");
    hc_store *c = open_db("void-c.db");
    const char *path = tmp_path("void.bundle");
    export_to(a, NULL, path);
    import_ok(b, path);
    import_ok(c, path);
    tu_text_is(b, "SELECT state FROM sites WHERE id = 's2'", "suspended");

    hc_diags d = {0};
    assert_int_equal(hc_store_inspection_void(a, "i2", "录入了错误的企业", &d), 0);
    assert_int_equal(hc_store_action_void(a, "1", "重复录入", &d), 0);
    assert_int_equal(hc_store_enforce_void(a, "s2", 3, "暂扣决定已撤销", &d), 0);   /* the suspend */
    if (d.errors) tu_dump(&d);
    hc_diags_clear(&d);
    tu_text_is(a, "SELECT state FROM sites WHERE id = 's2'", "operating");

    export_to(a, NULL, path);
    hc_import_summary sum;
    assert_int_equal(hc_store_import(b, path, &sum, &d), 0);
    assert_int_equal(sum.changed[HC_IMPORT_INSPECTION], 1);
    assert_int_equal(sum.changed[HC_IMPORT_MEASURE], 1);
    assert_int_equal(sum.changed[HC_IMPORT_ACTION],
                     tu_count(a, "SELECT count(*) FROM actions WHERE voided_at IS NOT NULL"));
    char *sa = snapshot(a), *sb = snapshot(b);
    assert_string_equal(sb, sa);
    free(sb);
    tu_text_is(b, "SELECT void_reason FROM inspections WHERE id = 'i2'", "录入了错误的企业");
    tu_text_is(b, "SELECT state FROM sites WHERE id = 's2'", "operating");
    audit_ok(b);

    /* again: nothing to change */
    assert_int_equal(hc_store_import(b, path, &sum, &d), 0);
    for (int i = 0; i < HC_IMPORT_N; i++) {
        assert_int_equal(sum.changed[i], 0);
        assert_int_equal(sum.added[i], 0);
    }

    /* the same through a bundle of what changed since the voids' day */
    char today[11];
    char now[21];
    hc_time_now_utc(now);
    snprintf(today, sizeof today, "%.10s", now);
    export_to(a, today, path);
    import_ok(c, path);
    char *sc = snapshot(c);
    assert_string_equal(sc, sa);
    free(sc);
    free(sa);
    audit_ok(c);
    hc_diags_clear(&d);
    close_db(&a);
    close_db(&b);
    close_db(&c);
}

/* An amendment travels: B, which had the inspection as first recorded, ends
   with it void, the corrected one recorded, the still-failing action moved to
   the corrected one (same uid, same state), the others voided. */
static void test_amendments_travel(void **state)
{
    (void)state;
    hc_store *a = open_db("amend-a.db");
    hc_store *b = open_db("amend-b.db");
    put_site(a, S1);
    record(a, I1);
    act(a, "i1#D03", "rectify");
    const char *path = tmp_path("amend.bundle");
    export_to(a, NULL, path);
    import_ok(b, path);

    tu_evaluated v = eval("inspection: {id: i1b, site: " S1 ", checklist: mini, date: 2026-09-01}\n"
                          "answers:\n  D03: {explosion_control: none}\n"
                          "  G01: {thickness_mm: 0.5, blown: no}\n"
                          "  G02: {devices: [rotary_valve], code: A, count: 1}\n");
    hc_diags d = {0};
    hc_amend_summary sum;
    int rc = hc_store_inspection_amend(a, "i1", v.r, "积尘厚度录错", &sum, &d);
    if (rc) tu_dump(&d);
    assert_int_equal(rc, 0);
    assert_int_equal(sum.carried, 1);
    tu_done(v);

    export_to(a, NULL, path);
    import_ok(b, path);
    char *sa = snapshot(a), *sb = snapshot(b);
    assert_string_equal(sb, sa);
    free(sa);
    free(sb);
    tu_text_is(b, "SELECT inspection_id || '/' || status FROM actions WHERE uid = 'i1#D03'",
               "i1b/rectified");
    audit_ok(b);
    hc_diags_clear(&d);
    close_db(&a);
    close_db(&b);
}

/* Import a broken bundle into b: refused, naming the file and line, b unchanged. */
static void refused(hc_store *b, const char *path, const char *text, unsigned line, const char *msg)
{
    spit(path, text);
    char *before = snapshot(b);
    char *head = tu_text1(b, "SELECT value FROM meta WHERE key = 'head'");
    hc_diags d = {0};
    assert_int_equal(hc_store_import(b, path, NULL, &d), -1);
    const hc_diag *dg = tu_find_diag(&d, msg);
    if (dg == NULL || dg->line != line) {
        fprintf(stderr, "expected line %u: %s\n", line, msg);
        tu_dump(&d);
    }
    assert_non_null(dg);
    assert_int_equal(dg->line, line);
    assert_non_null(dg->file);
    assert_string_equal(dg->file, path);
    hc_diags_clear(&d);
    char *after = snapshot(b);
    assert_string_equal(after, before);
    char *head2 = tu_text1(b, "SELECT value FROM meta WHERE key = 'head'");
    assert_string_equal(head2, head);
    free(before);
    free(after);
    free(head);
    free(head2);
    audit_ok(b);
    /* the database is not left in a transaction */
    assert_int_equal(sqlite3_get_autocommit(b->db), 1);
}

/* The bundle sealed again as an export would: the end record's "sha256" made
   that of every byte before its line. An edit then reaches the checks behind
   the digest (fields, chain), as it would from a forger who recomputed it. */
static char *reseal(char *text)
{
    char *end = NULL;
    for (char *p = text; (p = strstr(p, "{\"type\":\"end\"")) != NULL; p++)
        if (p == text || p[-1] == '\n') end = p;
    char *sha = end ? strstr(end, "\"sha256\":\"") : NULL;
    if (sha == NULL) return text;
    sha += strlen("\"sha256\":\"");
    assert_true(strlen(sha) >= 64);
    char hex[65];
    hc_sha256_hex(text, (size_t)(end - text), hex);
    memcpy(sha, hex, 64);
    return text;
}

/* text with the first 'from' after 'after' replaced by 'to', left as edited:
   the digest no longer agrees. */
static char *edit(const char *text, const char *after, const char *from, const char *to)
{
    const char *start = after ? strstr(text, after) : text;
    assert_non_null(start);
    const char *p = strstr(start, from);
    assert_non_null(p);
    hc_buf b = {0};
    hc_buf_put(&b, text, (size_t)(p - text));
    hc_buf_puts(&b, to);
    hc_buf_puts(&b, p + strlen(from));
    return hc_buf_take(&b);
}

/* The same, sealed again. */
static char *replace(const char *text, const char *after, const char *from, const char *to)
{
    return reseal(edit(text, after, from, to));
}

static void test_bad_bundles_are_refused_whole(void **state)
{
    (void)state;
    hc_store *a = open_db("bad-a.db");
    put_site(a, S1);
    record(a, I1);
    hc_store *b = open_db("bad-b.db");
    const char *good = tmp_path("bad-good.bundle");
    export_to(a, NULL, good);
    import_ok(b, good);
    /* A moves on: the broken bundles below carry new rows that must not land in B */
    put_site(a, S2);
    record(a, I2);
    enforce(a, "s2", "list", "2026-09-16", NULL);
    export_to(a, NULL, good);
    char *text = slurp(good);
    const char *bad = tmp_path("bad.bundle");

    /* cut short in the middle of the last event: a JSON error at that line */
    char *last = strrchr(text, '\n');
    assert_non_null(last);
    const char *cut_at = strstr(text, "{\"type\":\"end\"");
    assert_non_null(cut_at);
    const char *prev_ev = cut_at - 5;                 /* inside "}\n---\n" before the end record */
    while (prev_ev > text && prev_ev[-1] != '\n') prev_ev--;
    size_t keep = (size_t)(prev_ev - text) + 40;     /* 40 bytes into the last event's line */
    char *cut = hc_xstrndup(text, keep);
    refused(b, bad, cut, line_of(text, prev_ev), "YAML syntax");
    free(cut);

    /* cut short at a line boundary, before the end record: after the last event's
       line, the error names the line where the end record should be */
    cut = hc_xstrndup(text, (size_t)(cut_at - text) - 4);
    refused(b, bad, cut, line_of(text, "{\"type\":\"end\"") - 1, "stops before its end record");
    free(cut);
    cut = hc_xstrndup(text, (size_t)(prev_ev - text));      /* ends with "---\n" */
    refused(b, bad, cut, line_of(text, prev_ev), "an empty document");
    free(cut);

    /* an end record that does not match what came before */
    char *t = replace(text, "{\"type\":\"end\"", "\"records\":", "\"records\":1");
    refused(b, bad, t, line_of(text, "{\"type\":\"end\""), "expected the whole bundle");
    free(t);

    /* edited in a text editor after export: the digest no longer agrees */
    unsigned end_line = line_of(text, "{\"type\":\"end\"");
    t = edit(text, "\"type\":\"enforcement\"", "\"measure\":\"list\"", "\"measure\":\"delist\"");
    refused(b, bad, t, end_line, "does not match its SHA-256 digest");
    free(t);
    t = edit(text, "{\"type\":\"end\"", "\"sha256\":", "\"sha255\":");
    refused(b, bad, t, end_line, "carries no digest");
    free(t);

    /* the digest recomputed: the chain still names an event edited or removed */
    t = replace(text, "\"type\":\"event\"", "\"by\":\"tester\"", "\"by\":\"someone\"");
    refused(b, bad, t, line_of(text, "\"type\":\"event\""), "does not hash to its 'hash'");
    free(t);
    {
        const char *ev1 = strstr(text, "{\"type\":\"event\"");
        const char *ev2 = strstr(ev1 + 1, "{\"type\":\"event\"");
        assert_non_null(ev2);
        const char *ev3 = strstr(ev2 + 1, "{\"type\":\"event\"");
        assert_non_null(ev3);
        hc_buf cut2 = {0};
        hc_buf_put(&cut2, text, (size_t)(ev2 - text));
        hc_buf_puts(&cut2, ev3);                     /* the second event gone */
        const char *rec = strstr(cut2.data, "\"records\":");
        long n = strtol(rec + strlen("\"records\":"), NULL, 10);
        char from[32], to[32];
        snprintf(from, sizeof from, "\"records\":%ld", n);
        snprintf(to, sizeof to, "\"records\":%ld", n - 1);
        t = replace(cut2.data, "{\"type\":\"end\"", from, to);
        hc_buf_free(&cut2);
        refused(b, bad, t, line_of(text, ev2), "does not follow the event before it");
        free(t);
    }

    /* a record of a type we do not know */
    t = replace(text, "\"type\":\"enforcement\"", "\"type\":\"enforcement\"", "\"type\":\"widget\"");
    refused(b, bad, t, line_of(text, "\"type\":\"enforcement\""), "unknown record type 'widget'");
    free(t);

    /* a field of the wrong type */
    t = replace(text, "\"type\":\"action\"", "\"cost\":0", "\"cost\":\"cheap\"");
    refused(b, bad, t, line_of(text, "\"type\":\"action\""), "'cost' is \"cheap\"; expected a number");
    free(t);
    t = replace(text, "\"type\":\"action\"", "\"status\":\"open\"", "\"status\":\"done\"");
    refused(b, bad, t, line_of(text, "\"type\":\"action\""), "expected open, rectified or verified");
    free(t);
    t = replace(text, "\"type\":\"event\"", "\"at\":\"", "\"at\":\"yesterday");
    refused(b, bad, t, line_of(text, "\"type\":\"event\""), "expected a time");
    free(t);
    t = replace(text, "\"type\":\"site\"", "\"name\":", "\"nmae\":");
    refused(b, bad, t, line_of(text, "\"type\":\"site\""), "unknown field 'nmae'");
    free(t);

    t = replace(text, "\"id\":\"s2\"", "\"profile\":\"{\\\"id\\\":\\\"s2\\\"", "\"profile\":\"{\\\"id\\\":\\\"s3\\\"");
    refused(b, bad, t, line_of(text, "\"id\":\"s2\""), "'profile' is not a site profile of \"s2\"");
    free(t);

    /* bad JSON on the line of the second site */
    t = replace(text, "\"id\":\"s2\"", "\"id\":\"s2\",", "\"id\":\"s2\",,");
    refused(b, bad, t, line_of(text, "\"id\":\"s2\""), "YAML syntax");
    free(t);

    /* a bundle that is not one */
    refused(b, bad, "{\"hello\": 1}\n", 1, "not a hazcheck export");
    refused(b, bad, "", 1, "the file is empty");
    t = replace(text, NULL, "\"hazcheck_export\":2", "\"hazcheck_export\":7");
    refused(b, bad, t, 1, "bundle format 7");
    free(t);

    /* an action whose inspection is nowhere: the foreign key, named at its line */
    t = replace(text, "\"type\":\"action\"", "\"inspection_id\":\"i2\"", "\"inspection_id\":\"i-none\"");
    refused(b, bad, t, line_of(text, "\"inspection_id\":\"i2\""), "neither in the database nor earlier");
    free(t);

    /* a missing file */
    hc_diags d = {0};
    assert_int_equal(hc_store_import(b, tmp_path("no-such.bundle"), NULL, &d), -1);
    assert_true(tu_has_diag(&d, "cannot open"));
    hc_diags_clear(&d);

    /* and the intact bundle still goes in */
    import_ok(b, good);
    char *sa = snapshot(a), *sb = snapshot(b);
    assert_string_equal(sb, sa);
    free(sa);
    free(sb);
    free(text);
    unlink(good);
    unlink(bad);
    close_db(&a);
    close_db(&b);
}

static void test_actions_move_forward_only(void **state)
{
    (void)state;
    hc_store *a = make_a("fwd-a.db");
    hc_store *b = open_db("fwd-b.db");
    const char *first = tmp_path("fwd-1.bundle"), *second = tmp_path("fwd-2.bundle");
    export_to(a, NULL, first);
    import_ok(b, first);
    char *st = tu_text1(b, "SELECT status FROM actions WHERE uid = 'i3#G01'");
    assert_null(st);     /* still failing on re-inspection: the same action as i1#G01 */
    st = tu_text1(b, "SELECT status FROM actions WHERE uid = 'i1#G01'");
    assert_string_equal(st, "open");
    free(st);

    /* rectified in A after the first import */
    act(a, "i1#G01", "钱工");
    act(a, "i1#G01", "rectify");
    act(a, "i2#G01", "verify");
    export_to(a, NULL, second);
    import_ok(b, second);
    audit_ok(b);
    st = tu_text1(b, "SELECT status || '/' || cost || '/' || coalesce(closed_on, '-') || '/' || assignee"
                  " FROM actions WHERE uid = 'i1#G01'");
    assert_string_equal(st, "rectified/1234.56/-/钱工");
    free(st);
    st = tu_text1(b, "SELECT status || '/' || closed_on FROM actions WHERE uid = 'i2#G01'");
    assert_string_equal(st, "verified/2026-09-20");
    free(st);
    /* its rectify event came with it and shows in B's action history */
    assert_int_equal(tu_count(b, "SELECT count(*) FROM events WHERE subject = 'i1#G01' AND kind = 'action.rectify'"), 1);
    char *sa = snapshot(a), *sb = snapshot(b);
    assert_string_equal(sb, sa);
    free(sb);

    /* the older bundle again does not move anything back */
    import_ok(b, first);
    sb = snapshot(b);
    assert_string_equal(sb, sa);
    free(sb);
    free(sa);

    /* B is further along than a bundle: B keeps its state; a missing assignee is filled */
    act(b, "i1#G01", "verify");
    assert_int_equal(sqlite3_exec(b->db, "UPDATE actions SET assignee = NULL WHERE uid = 'i2#G02'",
                                  NULL, NULL, NULL), SQLITE_OK);
    import_ok(b, second);
    st = tu_text1(b, "SELECT status FROM actions WHERE uid = 'i1#G01'");
    assert_string_equal(st, "verified");
    free(st);
    st = tu_text1(b, "SELECT assignee FROM actions WHERE uid = 'i2#G02'");
    assert_string_equal(st, "赵工");
    free(st);
    audit_ok(b);
    unlink(first);
    unlink(second);
    close_db(&a);
    close_db(&b);
}

static void test_sites_and_enforcement_merge(void **state)
{
    (void)state;
    hc_store *a = make_a("site-a.db");
    hc_store *b = open_db("site-b.db");
    const char *bundle = tmp_path("site.bundle");
    export_to(a, NULL, bundle);
    import_ok(b, bundle);

    /* A's newer profile replaces B's */
    put_site(a, "{id: s1, name: 某木业有限公司（新）, district: 章丘区, dust: {dry_collection: false}}");
    assert_int_equal(sqlite3_exec(a->db, "UPDATE sites SET updated_at = '2099-01-01T00:00:00Z' WHERE id = 's1'",
                                  NULL, NULL, NULL), SQLITE_OK);
    /* B's newer profile of s2 is not replaced by A's older one */
    put_site(b, "{id: s2, name: B改的名字}");
    assert_int_equal(sqlite3_exec(b->db, "UPDATE sites SET updated_at = '2099-06-01T00:00:00Z' WHERE id = 's2'",
                                  NULL, NULL, NULL), SQLITE_OK);
    /* measures: A resumes s2 and delists it; B had closed s1 down meanwhile */
    enforce(a, "s2", "resume", "2026-10-01", NULL);
    enforce(a, "s2", "delist", "2026-10-02", NULL);
    enforce(b, "s1", "close-down", "2026-10-03", NULL);
    export_to(a, NULL, bundle);
    import_ok(b, bundle);
    audit_ok(b);
    char *v = tu_text1(b, "SELECT name || '/' || updated_at FROM sites WHERE id = 's1'");
    assert_string_equal(v, "某木业有限公司（新）/2099-01-01T00:00:00Z");
    free(v);
    v = tu_text1(b, "SELECT name FROM sites WHERE id = 's2'");
    assert_string_equal(v, "B改的名字");
    free(v);
    v = tu_text1(b, "SELECT listed || state FROM sites WHERE id = 's2'");
    assert_string_equal(v, "0operating");     /* A's later measures applied */
    free(v);
    v = tu_text1(b, "SELECT listed || state FROM sites WHERE id = 's1'");
    assert_string_equal(v, "0closed");        /* A's profile change does not reopen it */
    free(v);
    assert_int_equal(tu_count(b, "SELECT count(*) FROM enforcement"), 7);

    /* an older measure arriving late does not undo a later one */
    hc_store *c = open_db("site-c.db");
    put_site(c, S2);
    enforce(c, "s2", "list", "2026-11-01", NULL);
    /* sites.c makes a measure's uid from site, measure and the second it was entered,
       so C's would be A's if both ran in the same second: give it its own */
    assert_int_equal(sqlite3_exec(c->db, "UPDATE enforcement SET uid = 's2/list/2026-11-01T08:00:00Z'",
                                  NULL, NULL, NULL), SQLITE_OK);
    const char *cb = tmp_path("site-c.bundle");
    export_to(c, NULL, cb);
    import_ok(b, cb);           /* s2 exists in B: the newer profile by updated_at (B's) stays */
    v = tu_text1(b, "SELECT listed || name FROM sites WHERE id = 's2'");
    assert_string_equal(v, "1B改的名字");      /* the list of 11-01 is the latest list/delist */
    free(v);
    enforce(c, "s2", "delist", "2026-11-02", NULL);
    assert_int_equal(sqlite3_exec(c->db, "UPDATE enforcement SET date = '2026-01-01',"
                                         " uid = 's2/delist/2026-11-02T08:00:00Z' WHERE measure = 'delist'",
                                  NULL, NULL, NULL), SQLITE_OK);
    export_to(c, NULL, cb);
    import_ok(b, cb);
    v = tu_text1(b, "SELECT listed FROM sites WHERE id = 's2'");
    assert_string_equal(v, "1");              /* a delist dated before the list changes nothing */
    free(v);
    audit_ok(b);
    unlink(bundle);
    unlink(cb);
    close_db(&a);
    close_db(&b);
    close_db(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_round_trip, cleanup),
        cmocka_unit_test_teardown(test_import_chains_after_local_events, cleanup),
        cmocka_unit_test_teardown(test_since_selects_later_rows_and_what_they_need, cleanup),
        cmocka_unit_test_teardown(test_bad_bundles_are_refused_whole, cleanup),
        cmocka_unit_test_teardown(test_actions_move_forward_only, cleanup),
        cmocka_unit_test_teardown(test_sites_and_enforcement_merge, cleanup),
        cmocka_unit_test_teardown(test_voids_travel_and_win, cleanup),
        cmocka_unit_test_teardown(test_amendments_travel, cleanup),
    };
    return cmocka_run_group_tests_name("exchange", tests, setup, teardown);
}
