/*
** ruletest.c: `hazcheck test`: run the tests that items carry, measure
** which outcomes and which Lua lines they reach, and write JUnit XML.
**
** A test runs one item through exactly the path an inspection takes
** (hc_eval_item after the pack's applies), so a passing test means the
** item behaves so in the field, not in some test-only mode.
*/
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"

static void xml_escape(hc_buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': hc_buf_puts(b, "&lt;"); break;
        case '>': hc_buf_puts(b, "&gt;"); break;
        case '&': hc_buf_puts(b, "&amp;"); break;
        case '"': hc_buf_puts(b, "&quot;"); break;
        default:
            if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t') hc_buf_putc(b, ' ');
            else hc_buf_putc(b, *s);
        }
    }
}

/* Run one test; returns 1 if it passed, filling 'why' otherwise. */
static int run_one(hc_sandbox *sb, const hc_checklist *c, size_t idx, const hc_test *t,
                   hc_status *got, hc_buf *why)
{
    const hc_item *it = &c->items[idx];
    hc_arena *a = hc_arena_new();
    hc_answer *answers = hc_arena_alloc(a, (c->nitems ? c->nitems : 1) * sizeof *answers);
    int ok = 1;
    if (t->answers) {
        for (size_t k = 0; k < t->answers->len; k++) {
            const hc_node *key = t->answers->kids[2 * k];
            long j = hc_checklist_find(c, key->str);
            if (j < 0) {
                hc_buf_printf(why, "test answers name item '%s', which the pack does not have",
                              key->str);
                ok = 0;
                goto out;
            }
            hc_answer_type(a, c->path, &c->items[j], t->answers->kids[2 * k + 1], &answers[j], NULL);
        }
    }
    hc_answer_type(a, c->path, it, t->obs, &answers[idx], NULL);
    hc_eval_context x = {t->site, "test", t->date, "enforcement", NULL, answers};
    hc_buf err = {0};
    hc_finding f;
    if (hc_eval_begin(sb, c, &x, a, &err) != 0) {
        f.status = HC_ERROR_ST;
        f.message = hc_arena_strdup(a, err.data ? err.data : "");
    } else {
        const char *msg;
        int applies = hc_eval_pack_applies(sb, c, a, &msg);
        hc_eval_item(sb, c, idx, &answers[idx], applies, msg, a, &f);
    }
    hc_buf_free(&err);
    *got = f.status;
    if (f.status != t->expect) {
        hc_buf_printf(why, "expected %s, got %s", hc_status_name(t->expect), hc_status_name(f.status));
        if (f.message) hc_buf_printf(why, " (%s)", f.message);
        ok = 0;
    } else if (t->message && (f.message == NULL || strstr(f.message, t->message) == NULL)) {
        hc_buf_printf(why, "expected a message containing \"%s\", got \"%s\"", t->message,
                      f.message ? f.message : "");
        ok = 0;
    }
out:
    hc_arena_free(&a);
    return ok;
}

int hc_run_tests(hc_engine *e, hc_checklist *const *packs, size_t n, const hc_test_opts *o,
                 FILE *out, hc_test_summary *sum)
{
    hc_sandbox *sb = hc_engine_sandbox(e);
    memset(sum, 0, sizeof *sum);
    hc_buf xml = {0};
    if (o->junit) hc_buf_puts(&xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
    for (size_t p = 0; p < n; p++) {
        const hc_checklist *c = packs[p];
        hc_buf cases = {0};
        size_t suite_tests = 0, suite_fail = 0;
        for (size_t i = 0; i < c->nitems; i++) {
            const hc_item *it = &c->items[i];
            int maxline = 0;
            for (size_t k = 0; k < it->code.nlines; k++)
                if (it->code.lines[k] > maxline) maxline = it->code.lines[k];
            unsigned char *hits = hc_xcalloc((size_t)maxline + 1, 1);
            if (o->coverage) hc_sandbox_cover(sb, c->path, hits, (size_t)maxline + 1);
            int seen_pass = 0, seen_fail = 0;
            for (size_t k = 0; k < it->ntests; k++) {
                const hc_test *t = &it->tests[k];
                hc_buf why = {0};
                hc_status got = HC_ERROR_ST;
                int ok = run_one(sb, c, i, t, &got, &why);
                seen_pass |= got == HC_PASS;
                seen_fail |= got == HC_FAIL;
                suite_tests++;
                if (ok) {
                    sum->passed++;
                    if (o->verbose) fprintf(out, "ok    %s %s '%s'\n", c->id, it->id, t->name);
                } else {
                    sum->failed++;
                    suite_fail++;
                    fprintf(out, "%s:%u:%u: FAIL %s %s '%s': %s\n", c->path, t->node->line,
                            t->node->col, c->id, it->id, t->name, why.data);
                }
                if (o->junit) {
                    hc_buf_puts(&cases, "    <testcase classname=\"");
                    xml_escape(&cases, c->id);
                    hc_buf_putc(&cases, '.');
                    xml_escape(&cases, it->id);
                    hc_buf_puts(&cases, "\" name=\"");
                    xml_escape(&cases, t->name);
                    hc_buf_puts(&cases, "\"");
                    if (ok) {
                        hc_buf_puts(&cases, "/>\n");
                    } else {
                        hc_buf_puts(&cases, "><failure message=\"");
                        xml_escape(&cases, why.data);
                        hc_buf_puts(&cases, "\"/></testcase>\n");
                    }
                }
                hc_buf_free(&why);
            }
            if (o->coverage) hc_sandbox_cover(sb, NULL, NULL, 0);
            sum->items++;
            if (seen_pass && seen_fail) sum->items_both++;
            size_t hit = 0;
            hc_buf missed = {0};
            for (size_t k = 0; k < it->code.nlines; k++) {
                if (hits[it->code.lines[k]]) hit++;
                else hc_buf_printf(&missed, "%s%d", missed.len ? "," : "", it->code.lines[k]);
            }
            sum->lines += it->code.nlines;
            sum->lines_hit += hit;
            if (o->coverage) {
                fprintf(out, "cover %s %-8s %s%s  lines %zu/%zu%s%s%s\n", c->id, it->id,
                        seen_pass ? "pass" : "----", seen_fail ? "+fail" : "     ", hit,
                        it->code.nlines, missed.len ? " (not run: line " : "",
                        missed.len ? missed.data : "", missed.len ? ")" : "");
            }
            hc_buf_free(&missed);
            free(hits);
        }
        if (o->junit) {
            hc_buf_puts(&xml, "  <testsuite name=\"");
            xml_escape(&xml, c->id);
            hc_buf_printf(&xml, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n", suite_tests,
                          suite_fail);
            if (cases.len) hc_buf_puts(&xml, cases.data);
            hc_buf_puts(&xml, "  </testsuite>\n");
        }
        hc_buf_free(&cases);
    }
    int rc = sum->failed ? 1 : 0;
    if (o->coverage) {
        double pi = sum->items ? 100.0 * (double)sum->items_both / (double)sum->items : 100;
        double pl = sum->lines ? 100.0 * (double)sum->lines_hit / (double)sum->lines : 100;
        fprintf(out, "coverage: %zu/%zu items seen both pass and fail (%.1f%%), %zu/%zu Lua lines run (%.1f%%)\n",
                sum->items_both, sum->items, pi, sum->lines_hit, sum->lines, pl);
        if (o->min_coverage >= 0 && (pi < o->min_coverage || pl < o->min_coverage)) {
            fprintf(out, "coverage below the minimum of %.1f%%\n", o->min_coverage);
            rc = 1;
        }
    }
    if (o->junit) {
        hc_buf_puts(&xml, "</testsuites>\n");
        fwrite(xml.data, 1, xml.len, o->junit);
    }
    hc_buf_free(&xml);
    fprintf(out, "%zu passed, %zu failed\n", sum->passed, sum->failed);
    return rc;
}
