/*
** report.c: `hazcheck report INSPECTION`: the inspection report and its
** rectification notice (隐患整改通知书) and re-inspection record, as HTML
** that prints on A4, as text, as the JSON the templates are fed, or the
** findings as CSV.
**
** The data is what the store recorded (hc_store_report_data); this module
** turns it into a page model: words from the vocabulary, hazards numbered
** for the notice, findings grouped by section with failures first. The page
** model is the `--format json` output, so what a page shows can always be
** checked by a program; a logic-less template lays it out
** (templates/report.html, report.txt).
*/
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report/report.h"

static int status_rank(const char *st, int major)
{
    static const char *const order[] = {"fail", "error", "unanswered", "pass", "na"};
    for (int i = 0; i < 5; i++)
        if (strcmp(st, order[i]) == 0) return i * 2 + (i == 0 && !major);
    return 10;
}

/* A date as the papers write it in the reader's language (2026年9月10日); the
   model's key keeps its old name, date_zh, which programs read. */
static void date_zh(const char *date, char out[32])
{
    long days;
    if (date && hc_date_parse(date, strlen(date), &days) == 0)
        /* TRANSLATORS: a date on the papers: year, month, day (2026年9月10日) */
        snprintf(out, 32, _("%ld-%02ld-%02ld"), strtol(date, NULL, 10), strtol(date + 5, NULL, 10),
                 strtol(date + 8, NULL, 10));
    else snprintf(out, 32, "%s", date ? date : "");
}


/* Texts of a sequence joined with "；" (arena of the model). */
static const char *joined(hc_doc *m, const hc_node *seq)
{
    if (seq == NULL || seq->kind != HC_SEQ || seq->len == 0) return NULL;
    hc_buf b = {0};
    for (size_t i = 0; i < seq->len; i++)
        if (seq->kids[i]->kind == HC_SCALAR)
            hc_buf_printf(&b, "%s%s", b.len ? "；" : "", seq->kids[i]->str);
    char *s = hc_arena_strndup(hc_doc_arena(m), b.data ? b.data : "", b.len);
    hc_buf_free(&b);
    return *s ? s : NULL;
}

/* The basis codes of a finding cited in full ("《…》（应急管理部令第10号）第十一条第（三）项"),
   from the sources recorded with the pack version; joined with "；". */
static const char *cited(hc_doc *m, const hc_node *basis, const hc_node *sources)
{
    if (basis == NULL || basis->kind != HC_SEQ || basis->len == 0) return NULL;
    size_t ns = sources && sources->kind == HC_SEQ ? sources->len : 0;
    hc_source *src = hc_xcalloc(ns + 1, sizeof *src);
    for (size_t i = 0; i < ns; i++)
        src[i] = (hc_source){hc_text(sources->kids[i], "code"), hc_text(sources->kids[i], "title")};
    hc_buf b = {0};
    char one[1024];
    for (size_t i = 0; i < basis->len; i++)
        if (basis->kids[i]->kind == HC_SCALAR && src)
            hc_buf_printf(&b, "%s%s", b.len ? "；" : "",
                          hc_basis_text(src, ns, basis->kids[i]->str, one, sizeof one));
    free(src);
    char *s = hc_arena_strndup(hc_doc_arena(m), b.data ? b.data : "", b.len);
    hc_buf_free(&b);
    return *s ? s : NULL;
}

/* key: the text, or null when absent or empty (templates test for it). */
static void put(hc_doc *m, hc_node *map, const char *key, const char *v)
{
    hc_add_str(m, map, key, v && *v ? v : NULL);
}

typedef struct frow {
    const hc_node *f;
    size_t index;
} frow;

static int cmp_frow(const void *a, const void *b)
{
    const frow *x = a, *y = b;
    int rx = status_rank(hc_text(x->f, "status"), strcmp(hc_text(x->f, "severity"), "major") == 0);
    int ry = status_rank(hc_text(y->f, "status"), strcmp(hc_text(y->f, "severity"), "major") == 0);
    if (rx != ry) return rx - ry;
    return (x->index > y->index) - (x->index < y->index);
}

/* a field equal to a code; a missing field equals nothing */
static int is(const hc_node *map, const char *key, const char *code)
{
    const char *v = hc_text(map, key);
    return v && strcmp(v, code) == 0;
}

static int failed(const hc_node *f) { return strcmp(hc_text(f, "status"), "fail") == 0; }
static int major(const hc_node *f) { return strcmp(hc_text(f, "severity"), "major") == 0; }

/* The verdict a paper shows. A re-inspection leaves unanswered what it did not
   re-check, by design, so its "incomplete" means nothing: with nothing failing
   or in error, what it checked is in order. */
static const char *paper_verdict(const hc_node *data, const hc_node *findings)
{
    const char *v = hc_text(hc_map_get(data, "inspection"), "verdict");
    if (v == NULL || strcmp(v, "incomplete") != 0 || hc_map_get(data, "origin") == NULL) return v;
    for (size_t i = 0; i < findings->len; i++)
        if (is(findings->kids[i], "status", "fail") || is(findings->kids[i], "status", "error")) return v;
    return "compliant";
}

static void model_inspection(hc_doc *m, hc_node *root, const hc_node *in, const char *verdict)
{
    hc_node *o = hc_add_map(m, root, "inspection");
    const char *date = hc_text(in, "date");
    char dz[32];
    date_zh(date, dz);
    put(m, o, "id", hc_text(in, "id"));
    put(m, o, "checklist", hc_text(in, "checklist"));
    const char *title = hc_text(in, "checklist_title");
    put(m, o, "checklist_title", title ? title : hc_text(in, "checklist"));
    put(m, o, "checklist_version", hc_text(in, "checklist_version"));
    put(m, o, "checklist_sha256", hc_text(in, "checklist_sha256"));
    put(m, o, "date", date);
    put(m, o, "date_zh", dz);
    put(m, o, "inspector", hc_text(in, "inspector"));
    put(m, o, "kind", hc_text(in, "kind"));
    put(m, o, "kind_zh", hc_vocab_text(HC_VOCAB_KIND, hc_text(in, "kind")));
    put(m, o, "parent", hc_text(in, "parent"));
    put(m, o, "verdict", verdict);
    put(m, o, "verdict_zh", hc_vocab_text(HC_VOCAB_VERDICT, verdict));
    const hc_node *score = hc_map_get(in, "score");
    hc_tree_add(m, o, "score", hc_tree_copy(m, score));
    const hc_node *pm = hc_map_get(in, "pass_mark");
    if (pm && hc_text(in, "pass_mark")) hc_tree_add(m, o, "pass_mark", hc_tree_copy(m, pm));
    else hc_add_null(m, o, "pass_mark");
    put(m, o, "recorded_at", hc_text(in, "recorded_at"));
    char local[20];
    hc_time_local(hc_text(in, "recorded_at"), local);
    put(m, o, "recorded_at_local", local);
    /* the login that recorded it is for programs and the event log; papers name
       the inspectors (inspection.inspector), never a login */
    put(m, o, "recorded_by", hc_text(in, "recorded_by"));
    /* a voided inspection stays printable, marked on every page (cli.md "Corrections") */
    put(m, o, "voided_at", hc_text(in, "voided_at"));
    put(m, o, "void_reason", hc_text(in, "void_reason"));
    /* a pack out of its validity, answers the pack does not know: said on every paper */
    const hc_node *w = hc_map_get(in, "warnings");
    hc_node *list = hc_add_seq(m, root, "warnings");
    for (size_t i = 0; w && w->kind == HC_SEQ && i < w->len; i++)
        if (w->kids[i]->kind == HC_SCALAR) hc_add_str(m, list, NULL, w->kids[i]->str);
}

static void model_site(hc_doc *m, hc_node *root, const hc_node *site)
{
    hc_node *o = hc_add_map(m, root, "site");
    static const char *const keys[] = {"id", "name", "district", "industry", "squad", "inspector",
                                       "contact"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        put(m, o, keys[i], site ? hc_text(site, keys[i]) : NULL);
    char status[96] = "";
    const char *state = site ? hc_text(site, "state") : NULL;
    if (state && strcmp(state, "operating") != 0)
        snprintf(status, sizeof status, "%s", hc_vocab_text(HC_VOCAB_SITE_STATE, state));
    if (site && hc_flag(site, "listed"))
        snprintf(status + strlen(status), sizeof status - strlen(status), "%s列入严重失信主体名单",
                 *status ? "；" : "");
    put(m, o, "status", status);
}

/* The notice: failed items numbered in checklist order, the immediate orders. */
/*
** The notice's number: the configured pattern with {year}, {seq} and {site}
** (章应急责改〔{year}〕{seq}号), from the number the store gave the notice when
** the inspection was recorded; without a pattern, year-seq; without a stored
** number (an inspection recorded before numbering could not get one), the date
** and the id's first 8 bytes.
*/
static void notice_number(const hc_node *in, const char *site, const char *pattern, hc_buf *out)
{
    const char *year = hc_text(in, "notice_year"), *seq = hc_text(in, "notice_seq");
    if (year && seq) {
        /* TRANSLATORS: the notice's number when none is configured; keep {year} and {seq} */
        if (pattern == NULL) pattern = _("No. {year}-{seq}");
        for (const char *p = pattern; *p;) {
            const char *var = NULL;
            size_t skip = 0;
            if (strncmp(p, "{year}", 6) == 0) var = year, skip = 6;
            else if (strncmp(p, "{seq}", 5) == 0) var = seq, skip = 5;
            else if (strncmp(p, "{site}", 6) == 0) var = site ? site : "", skip = 6;
            if (var) {
                hc_buf_puts(out, var);
                p += skip;
            } else {
                hc_buf_putc(out, *p++);
            }
        }
        return;
    }
    const char *id = hc_text(in, "id"), *date = hc_text(in, "date");
    size_t cut = strlen(id) < 8 ? strlen(id) : 8;
    while (cut > 0 && cut < strlen(id) && ((unsigned char)id[cut] & 0xC0) == 0x80) cut--;
    /* TRANSLATORS: the notice's number of an inspection recorded before numbering:
       the date's year, month and day, and the id's first bytes */
    hc_buf_printf(out, _("No. %.4s%.2s%.2s-%.*s"), date, date + 5, date + 8, (int)cut, id);
}

static void model_notice(hc_doc *m, hc_node *root, const hc_node *findings, const hc_node *in,
                         const hc_node *sources, const hc_paper_opts *po)
{
    hc_node *hazards = hc_add_seq(m, root, "hazards");
    hc_node *orders = hc_tree_node(m, HC_SEQ);
    hc_buf majors = {0};
    long long no = 0;
    for (size_t i = 0; i < findings->len; i++) {
        const hc_node *f = findings->kids[i];
        if (!failed(f)) continue;
        no++;
        if (major(f)) hc_buf_printf(&majors, "%s%lld", majors.len ? "、" : "", no);
        const char *order = hc_text(f, "order");
        hc_node *h = hc_add_map(m, hazards, NULL);
        hc_add_int(m, h, "no", no);
        put(m, h, "item", hc_text(f, "item"));
        put(m, h, "title", hc_text(f, "title"));
        put(m, h, "message", hc_text(f, "message"));
        put(m, h, "basis_text", cited(m, hc_map_get(f, "basis"), sources));
        put(m, h, "remedy", hc_text(f, "remedy"));
        put(m, h, "deadline", hc_text(f, "deadline"));
        put(m, h, "order_zh", hc_vocab_text(HC_VOCAB_ORDER, order));
        hc_add_bool(m, h, "major", major(f));
        if (order && strcmp(order, "rectify") != 0) {
            hc_node *o = hc_add_map(m, orders, NULL);
            hc_add_int(m, o, "no", no);
            put(m, o, "item", hc_text(f, "item"));
            put(m, o, "order_zh", hc_vocab_notice(HC_VOCAB_ORDER, order));
        }
    }
    hc_add_bool(m, root, "has_hazards", no > 0);
    put(m, root, "major_numbers", majors.data);
    hc_buf_free(&majors);
    hc_add_bool(m, root, "orders", orders->len > 0);
    hc_tree_add(m, root, "orders_list", orders);
    hc_buf number = {0};
    notice_number(in, hc_text(hc_map_get(hc_doc_root(m), "site"), "id"), po ? po->notice_number : NULL,
                  &number);
    put(m, hc_add_map(m, root, "notice"), "number", number.data);
    hc_buf_free(&number);
}

/* The opinion's number: the origin notice's, the document code 责改 (责令限期
   整改) made 复查 (整改复查), as the 2017 document set numbers them; else the
   notice's number marked 复查. A second re-inspection of the same notice adds
   its depth, so no two opinions share a number. */
static void opinion_number(const char *notice, long long depth, hc_buf *out)
{
    if (notice == NULL) notice = "";
    const char *code = strstr(notice, "责改");
    if (code) hc_buf_printf(out, "%.*s复查%s", (int)(code - notice), notice, code + strlen("责改"));
    else hc_buf_printf(out, "%s（复查）", notice);
    if (depth > 1) hc_buf_printf(out, "-%lld", depth);
}

/*
** A re-inspection's 整改复查意见书 (regulations.md 7.5): after the notice of the
** first inspection of its chain, each hazard it re-checked and the opinion on
** it, and the hazards it found that were not there before.
*/
static void model_opinion(hc_doc *m, hc_node *root, const hc_node *data, const hc_node *findings,
                          const hc_paper_opts *po)
{
    const hc_node *origin = hc_map_get(data, "origin");
    const hc_node *rechecked = hc_map_get(data, "rechecked");
    int is_re = origin && origin->kind == HC_MAP;
    hc_add_bool(m, root, "is_reinspection", is_re);
    if (!is_re) return;
    hc_node *o = hc_add_map(m, root, "opinion");
    hc_buf notice = {0}, number = {0};
    notice_number(origin, hc_text(hc_map_get(data, "site"), "id"), po ? po->notice_number : NULL,
                  &notice);
    const hc_node *depth = hc_map_get(origin, "depth");
    opinion_number(notice.data, depth ? strtoll(depth->str, NULL, 10) : 1, &number);
    put(m, o, "number", number.data);
    put(m, o, "origin_notice", notice.data);
    hc_buf_free(&notice);
    hc_buf_free(&number);
    char dz[32];
    date_zh(hc_text(origin, "date"), dz);
    put(m, o, "origin_date_zh", dz);
    put(m, o, "origin_id", hc_text(origin, "id"));
    hc_node *items = hc_add_seq(m, o, "items");
    long long passed = 0, still = 0;
    size_t nr = rechecked && rechecked->kind == HC_SEQ ? rechecked->len : 0;
    for (size_t i = 0; i < nr; i++) {
        const hc_node *r = rechecked->kids[i];
        int ok = is(r, "status", "pass");
        passed += ok;
        still += !ok;
        hc_node *it = hc_add_map(m, items, NULL);
        hc_add_int(m, it, "no", (long long)i + 1);
        put(m, it, "item", hc_text(r, "item"));
        put(m, it, "title", hc_text(r, "title"));
        put(m, it, "deadline", hc_text(r, "deadline"));
        hc_add_bool(m, it, "passed", ok);
        hc_add_bool(m, it, "major", is(r, "severity", "major"));
        put(m, it, "opinion_zh", ok ? _("rectified; passed re-inspection")
                                    : _("not rectified; rectification goes on"));
    }
    hc_add_int(m, o, "passed", passed);
    hc_add_int(m, o, "still_failing", still);
    hc_add_bool(m, o, "any_still_failing", still > 0);
    /* failures at this visit with no hazard before: new, with their own deadline */
    hc_node *fresh = hc_add_seq(m, o, "new_hazards");
    long long no = 0;
    for (size_t i = 0; i < findings->len; i++) {
        const hc_node *f = findings->kids[i];
        if (!failed(f)) continue;
        int known = 0;
        const char *item = hc_text(f, "item");
        for (size_t k = 0; item && k < nr && !known; k++) known = is(rechecked->kids[k], "item", item);
        if (known) continue;
        hc_node *h = hc_add_map(m, fresh, NULL);
        hc_add_int(m, h, "no", ++no);
        put(m, h, "item", hc_text(f, "item"));
        put(m, h, "title", hc_text(f, "title"));
        put(m, h, "deadline", hc_text(f, "deadline"));
        hc_add_bool(m, h, "major", major(f));
    }
    hc_add_bool(m, o, "any_new", no > 0);
}

/* Sections in the order of their first item, failures first within each. A
   re-inspection shows only what it checked: the items it left unanswered were
   not looked at, and are not findings of that visit. */
static void model_sections(hc_doc *m, hc_node *root, const hc_node *findings,
                           const hc_node *sources, int answered_only)
{
    size_t n = findings->len;
    frow *rows = hc_xcalloc(n ? n : 1, sizeof *rows);
    for (size_t i = 0; i < n; i++) rows[i] = (frow){findings->kids[i], i};
    qsort(rows, n, sizeof *rows, cmp_frow);
    hc_node *sections = hc_add_seq(m, root, "sections");
    char *done = hc_xcalloc(n ? n : 1, 1);
    for (size_t i = 0; answered_only && i < n; i++)
        done[i] = strcmp(hc_text(rows[i].f, "status"), "unanswered") == 0;
    for (;;) {
        const char *sec = NULL;
        size_t best = (size_t)-1;
        int found = 0;
        for (size_t i = 0; i < n; i++) {
            if (done[i] || rows[i].index >= best) continue;
            best = rows[i].index;
            sec = hc_text(rows[i].f, "section");
            found = 1;
        }
        if (!found) break;
        hc_node *s = hc_add_map(m, sections, NULL);
        put(m, s, "name", sec ? sec : _("other"));
        hc_node *list = hc_add_seq(m, s, "findings");
        for (size_t i = 0; i < n; i++) {
            const hc_node *f = rows[i].f;
            const char *fs = hc_text(f, "section");
            int same = sec == NULL ? fs == NULL : fs && strcmp(fs, sec) == 0;
            if (done[i] || !same) continue;
            done[i] = 1;
            int fail = failed(f);
            hc_node *o = hc_add_map(m, list, NULL);
            put(m, o, "item", hc_text(f, "item"));
            put(m, o, "title", hc_text(f, "title"));
            put(m, o, "status", hc_text(f, "status"));
            put(m, o, "status_zh", hc_vocab_text(HC_VOCAB_STATUS, hc_text(f, "status")));
            hc_add_bool(m, o, "major", fail && major(f));
            hc_add_bool(m, o, "failed", fail);
            put(m, o, "message", hc_text(f, "message"));
            put(m, o, "basis_text", cited(m, hc_map_get(f, "basis"), sources));
            put(m, o, "remedy", hc_text(f, "remedy"));
            put(m, o, "order_zh", fail ? hc_vocab_text(HC_VOCAB_ORDER, hc_text(f, "order")) : NULL);
            put(m, o, "deadline", hc_text(f, "deadline"));
            put(m, o, "note", hc_text(f, "note"));
            put(m, o, "evidence_text", joined(m, hc_map_get(f, "evidence")));
        }
    }
    free(done);
    free(rows);
}

/* The page model of the report, notice and re-inspection record. */
static hc_doc *page_model(const hc_doc *data, const hc_paper_opts *po)
{
    const hc_node *root = hc_doc_root(data);
    const hc_node *in = hc_map_get(root, "inspection");
    const hc_node *findings = hc_map_get(root, "findings");
    hc_doc *m = hc_doc_new("report");
    hc_node *mr = (hc_node *)hc_doc_root(m);
    model_inspection(m, mr, in, paper_verdict(root, findings));
    model_site(m, mr, hc_map_get(root, "site"));
    hc_node *counts = hc_add_map(m, mr, "counts");
    long long major_failed = 0;
    for (int k = 0; k < HC_NSTATUS; k++) {
        long long c = 0;
        for (size_t i = 0; i < findings->len; i++)
            c += strcmp(hc_text(findings->kids[i], "status"), hc_status_name((hc_status)k)) == 0;
        hc_add_int(m, counts, hc_status_name((hc_status)k), c);
    }
    for (size_t i = 0; i < findings->len; i++)
        major_failed += failed(findings->kids[i]) && major(findings->kids[i]);
    hc_add_int(m, counts, "major", major_failed);
    const hc_node *sources = hc_map_get(root, "sources");
    model_notice(m, mr, findings, in, sources, po);
    if (po && po->authority) put(m, mr, "authority", po->authority);
    model_opinion(m, mr, root, findings, po);
    model_sections(m, mr, findings, sources, hc_map_get(root, "origin") != NULL);
    char now[21], local[20];
    hc_time_now_utc(now);
    hc_time_local(now, local);
    put(m, mr, "generated_at", local);
    put(m, mr, "generated_by", HC_VERSION);
    return m;
}

/* The inspection's findings as CSV: one row each, for the office's spreadsheets. */
static void findings_csv(FILE *out, const hc_doc *data)
{
    const hc_node *root = hc_doc_root(data);
    const hc_node *in = hc_map_get(root, "inspection"), *findings = hc_map_get(root, "findings");
    hc_csv_bom(out);
    fputs(_("inspection,site,date,item,title,section,status,severity,message,basis,remedy,order,"
          "deadline,note"), out);
    fputs("\r\n", out);
    hc_doc *tmp = hc_doc_new("csv");
    for (size_t i = 0; i < findings->len; i++) {
        const hc_node *f = findings->kids[i];
        const char *cells[] = {
            hc_text(in, "id"), hc_text(hc_map_get(root, "site"), "id"), hc_text(in, "date"),
            hc_text(f, "item"), hc_text(f, "title"), hc_text(f, "section"), hc_text(f, "status"),
            hc_text(f, "severity"), hc_text(f, "message"), joined(tmp, hc_map_get(f, "basis")),
            hc_text(f, "remedy"), hc_text(f, "order"), hc_text(f, "deadline"), hc_text(f, "note"),
        };
        for (size_t k = 0; k < sizeof cells / sizeof cells[0]; k++) {
            if (k) fputc(',', out);
            hc_csv_field(out, cells[k]);
        }
        fputs("\r\n", out);
    }
    hc_doc_free(&tmp);
}

int hc_render_report(FILE *out, const hc_doc *data, hc_format fmt, hc_diags *d)
{
    return hc_render_papers(out, data, fmt, NULL, d);
}

int hc_render_papers(FILE *out, const hc_doc *data, hc_format fmt, const hc_paper_opts *po,
                     hc_diags *d)
{
    if (fmt == HC_FMT_CSV) {
        findings_csv(out, data);
        return 0;
    }
    if (fmt != HC_FMT_JSON && fmt != HC_FMT_HTML && fmt != HC_FMT_TEXT)
        return hc_format_refused(fmt, "a report", "html, text, json or csv", d);
    hc_doc *m = page_model(data, po);
    int rc = 0;
    if (fmt == HC_FMT_JSON) hc_write_json_tree(out, hc_doc_root(m));
    else rc = hc_render_page(fmt == HC_FMT_HTML ? "report.html" : "report.txt", m, out, d);
    hc_doc_free(&m);
    return rc;
}
