/* test_batch.c: a batch on one thread and on several (engine/batch.c). */
#include <pthread.h>

#include "testutil.h"

/* ------------------------------------------ a batch on 1 and 3 threads */

/* What the caller was given, in order: results with their text, and messages. */
typedef struct transcript {
    hc_buf log;
    size_t results;
    size_t messages;
    pthread_t caller;
    int wrong_thread;
} transcript;

static void render(void *ud, const hc_result *r, struct hc_buf *out)
{
    (void)ud;
    hc_result_json(out, r, 0);
}

static void deliver(void *ud, const hc_result *r, const char *text, size_t len)
{
    transcript *t = ud;
    if (!pthread_equal(pthread_self(), t->caller)) t->wrong_thread++;
    hc_buf_printf(&t->log, "result %s %s %s:%u ", r->in->id, hc_verdict_name(r->verdict), r->in->path,
                  r->in->line);
    hc_buf_put(&t->log, text, len);
    hc_buf_putc(&t->log, '\n');
    t->results++;
}

static void report(void *ud, hc_diags *d)
{
    transcript *t = ud;
    if (!pthread_equal(pthread_self(), t->caller)) t->wrong_thread++;
    for (size_t i = 0; i < d->n; i++) {
        hc_buf_printf(&t->log, "message %s:%u:%u %s\n", d->v[i].file ? d->v[i].file : "-", d->v[i].line,
                      d->v[i].col, d->v[i].msg);
        t->messages++;
    }
    hc_diags_clear(d);
}

static void one_inspection(hc_buf *b, const char *tag, int i, const char *eol)
{
    static const char *const control[] = {"none", "venting", "isolation", "suppression"};
    hc_buf_printf(b, "---%s", eol);
    hc_buf_printf(b, "inspection:%s  id: %s-%04d%s", eol, tag, i, eol);
    hc_buf_printf(b, "  site: {id: \"370181-%04d\", name: 某木制品厂%d, dust: {kind: wood, dry_collection: %s}}%s",
                  i % 50, i, i % 7 ? "true" : "false", eol);
    hc_buf_printf(b, "  checklist: mini%s  date: 2026-09-%02d%s", eol, 1 + i % 28, eol);
    hc_buf_printf(b, "answers:%s  D03: {explosion_control: %s, note: \"第%d次检查\"}%s", eol,
                  control[i % 4], i, eol);
}

static const char *batch_file(const char *name, int n, int bad_pack_at, int bad_yaml_at, const char *eol)
{
    char tag[16];
    snprintf(tag, sizeof tag, "%.*s", (int)strcspn(name, "."), name);
    hc_buf b = {0};
    hc_buf_printf(&b, "# a batch%s", eol);
    for (int i = 0; i < n; i++) {
        if (i == bad_pack_at) {
            hc_buf_printf(&b, "---%sinspection: {id: bad-%d, site: {id: x, name: y}, checklist: nosuch, "
                              "date: 2026-09-09}%sanswers: {}%s", eol, i, eol, eol);
            continue;
        }
        if (i == bad_yaml_at) {
            hc_buf_printf(&b, "---%sinspection: {id: dup}%sinspection: {id: dup}%s", eol, eol, eol);
            continue;
        }
        one_inspection(&b, tag, i, eol);
    }
    const char *path = tu_write(name, b.data);
    hc_buf_free(&b);
    return path;
}

static size_t run(hc_engine *e, hc_engine *const *engines, unsigned jobs, const char *const *files,
                  size_t n, transcript *t)
{
    memset(t, 0, sizeof *t);
    t->caller = pthread_self();
    hc_batch_config cfg = {jobs, engines, render, deliver, report, t};
    return hc_batch_run(e, files, n, &cfg);
}

static void test_threads_give_what_one_thread_gives(void **state)
{
    (void)state;
    char paths[6][256];
    /* 1,500 inspections (about 30 pieces), one that names no known pack */
    snprintf(paths[0], 256, "%s", batch_file("b1.yaml", 1500, 700, -1, "\n"));
    snprintf(paths[1], 256, "%s", tu_write("b2.yaml", "# nothing but a comment\n"));
    snprintf(paths[2], 256, "%s", "/nonexistent/b3.yaml");
    /* CR LF lines, and a YAML error after 900: the rest of the file is never seen */
    snprintf(paths[3], 256, "%s", batch_file("b4.yaml", 1200, -1, 900, "\r\n"));
    snprintf(paths[4], 256, "%s", batch_file("b5.yaml", 3, -1, -1, "\n"));
    const char *files[] = {paths[0], paths[1], paths[2], paths[3], paths[4]};

    hc_engine *e = tu_engine(NULL);
    transcript one;
    size_t failed_one = run(e, NULL, 1, files, 5, &one);

    hc_engine *w[3] = {tu_engine(NULL), tu_engine(NULL), tu_engine(NULL)};
    transcript three;
    size_t failed_three = run(e, w, 3, files, 5, &three);

    /* what one thread gives, to begin with */
    assert_int_equal(one.results, 1499 + 900 + 3);
    assert_int_equal(failed_one, 4);        /* the unknown pack, the empty file, the missing one, the YAML error */
    assert_non_null(strstr(one.log.data, "no inspection in the file"));
    assert_non_null(strstr(one.log.data, "message /nonexistent/b3.yaml:0:0 cannot open file"));
    assert_non_null(strstr(one.log.data, "duplicate key 'inspection'"));
    assert_non_null(strstr(one.log.data, "result b4-0899 "));
    assert_null(strstr(one.log.data, "result b4-0901 "));   /* after the YAML error */
    assert_non_null(strstr(one.log.data, "result b1-1499 "));
    /* CR LF counted once: 8 lines an inspection after the first line */
    assert_non_null(strstr(one.log.data, "b4.yaml:7204:1 duplicate key"));
    assert_non_null(strstr(one.log.data, "b4.yaml:7195 {"));
    /* the same, byte for byte, on three threads, all handed over on this one */
    assert_int_equal(failed_three, failed_one);
    assert_int_equal(three.results, one.results);
    assert_int_equal(three.messages, one.messages);
    assert_int_equal(three.log.len, one.log.len);
    assert_memory_equal(three.log.data, one.log.data, one.log.len);
    assert_int_equal(three.wrong_thread, 0);
    assert_int_equal(one.wrong_thread, 0);

    hc_buf_free(&one.log);
    hc_buf_free(&three.log);
    for (int i = 0; i < 3; i++) hc_engine_free(&w[i]);
    hc_engine_free(&e);
}

/* Nothing to render: the caller is given an empty text. */
static void test_without_render(void **state)
{
    (void)state;
    const char *files[] = {batch_file("b6.yaml", 200, -1, -1, "\n")};
    hc_engine *e = tu_engine(NULL);
    hc_engine *w[2] = {tu_engine(NULL), tu_engine(NULL)};
    transcript t;
    memset(&t, 0, sizeof t);
    t.caller = pthread_self();
    hc_batch_config cfg = {2, w, NULL, deliver, report, &t};
    assert_int_equal(hc_batch_run(e, files, 1, &cfg), 0);
    assert_int_equal(t.results, 200);
    assert_null(strchr(t.log.data, '{'));
    hc_buf_free(&t.log);
    for (int i = 0; i < 2; i++) hc_engine_free(&w[i]);
    hc_engine_free(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads_give_what_one_thread_gives),
        cmocka_unit_test(test_without_render),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
