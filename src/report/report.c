/*
** report.c: `hazcheck report INSPECTION`: the inspection report and its
** rectification notice (隐患整改通知书) and re-inspection record, as HTML
** that prints on A4, as text, or as the JSON the templates are fed.
**
** The data is assembled once, as JSON, from what the store recorded (the
** inspection, the site, the findings): so a report reprinted years later
** shows exactly what was found, whatever the packs say today. The JSON is
** read back into a document tree and rendered by a logic-less template
** (templates/report.html, embedded at build time; render.c finds it).
*/
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "store/store.h"
#include "report/report.h"

/* ----------------------------------------------------------- words */

static const char *zh(const char *const *names, const char *const *words, const char *v)
{
    for (int i = 0; v && names[i]; i++)
        if (strcmp(names[i], v) == 0) return words[i];
    return v;
}

static const char *const status_n[] = {"fail", "error", "unanswered", "pass", "na", NULL};
static const char *const status_w[] = {"不符合", "出错", "未作答", "符合", "不适用"};
static const char *const verdict_n[] = {"major-hazard", "general-hazards", "incomplete", "compliant", NULL};
static const char *const verdict_w[] = {"存在重大事故隐患", "存在一般事故隐患", "检查未完成", "合格"};
static const char *const order_n[] = {"rectify", "rectify-now", "suspend-equipment", "suspend-operation", NULL};
static const char *const order_w[] = {"", "立即整改", "停止使用相关设施设备", "局部或全部停产停业整顿"};
/* what the notice says of each immediate order */
static const char *const order_s[] = {"", "立即整改",
                                      "停止使用相关设施设备，隐患消除并经复查合格后方可恢复使用",
                                      "局部或全部停产停业整顿，隐患消除并经复查合格后方可恢复生产"};
static const char *const kind_n[] = {"enforcement", "self", "reinspection", NULL};
static const char *const kind_w[] = {"执法检查", "企业自查", "复查"};

static int status_rank(const char *st, int major)
{
    static const char *const order[] = {"fail", "error", "unanswered", "pass", "na"};
    for (int i = 0; i < 5; i++)
        if (strcmp(st, order[i]) == 0) return i * 2 + (i == 0 && !major);
    return 10;
}

static void date_zh(const char *date, char out[32])
{
    long days;
    if (date && hc_date_parse(date, strlen(date), &days) == 0)
        snprintf(out, 32, "%ld年%ld月%ld日", strtol(date, NULL, 10), strtol(date + 5, NULL, 10),
                 strtol(date + 8, NULL, 10));
    else snprintf(out, 32, "%s", date ? date : "");
}

/* A JSON array of texts (as stored) joined with "；". */
static char *join_json_texts(const char *json)
{
    hc_buf b = {0};
    hc_buf_puts(&b, "");
    if (json == NULL) return hc_buf_take(&b);
    hc_diags d = {0};
    hc_reader *r = hc_reader_open_mem("stored", json, strlen(json), NULL, &d);
    hc_doc *doc = NULL;
    if (r && hc_reader_next(r, &doc, &d) == 1) {
        const hc_node *n = hc_doc_root(doc);
        for (size_t i = 0; n->kind == HC_SEQ && i < n->len; i++)
            if (n->kids[i]->kind == HC_SCALAR) hc_buf_printf(&b, "%s%s", i ? "；" : "", n->kids[i]->str);
    }
    hc_doc_free(&doc);
    hc_reader_close(&r);
    hc_diags_clear(&d);
    return hc_buf_take(&b);
}

typedef struct frow {
    char *c[13];     /* item title section status severity message basis remedy ord deadline note evidence */
    size_t index;
} frow;

static char *dup_col(sqlite3_stmt *st, int i)
{
    const char *v = (const char *)sqlite3_column_text(st, i);
    return v ? hc_xstrdup(v) : NULL;
}

static int cmp_frow(const void *a, const void *b)
{
    const frow *x = a, *y = b;
    int rx = status_rank(x->c[3], strcmp(x->c[4], "major") == 0);
    int ry = status_rank(y->c[3], strcmp(y->c[4], "major") == 0);
    if (rx != ry) return rx - ry;
    return (x->index > y->index) - (x->index < y->index);
}

static void key_text(hc_json *j, const char *k, const char *v)
{
    hc_json_key(j, k);
    if (v && *v) hc_json_string(j, v);
    else hc_json_null(j);
}

/* The report's data as JSON text (caller frees), or NULL with a diagnostic. */
static char *report_data(hc_store *s, const char *id, hc_diags *d)
{
    sqlite3_stmt *st = hc_store_stmt(s, "SELECT i.site_id, i.checklist, i.checklist_version, i.checklist_sha256,"
                                        " i.date, i.inspector, i.kind, i.parent, i.verdict, i.score, i.result,"
                                        " i.recorded_at, i.recorded_by, s.name, s.district, s.industry, s.squad,"
                                        " s.inspector, s.contact, s.listed, s.state"
                                        " FROM inspections i JOIN sites s ON s.id = i.site_id WHERE i.id = ?", d);
    if (st == NULL) return NULL;
    hc_bind_text(st, 1, id);
    int got = hc_store_row(s, st, d);
    if (got <= 0) {
        if (got == 0) hc_diags_add(d, HC_ERROR, s->path, 0, 0, "no inspection '%s' in the database", id);
        return NULL;
    }
    char *c[21];
    for (int i = 0; i < 21; i++) c[i] = dup_col(st, i);
    double score = sqlite3_column_double(st, 9);
    int listed = sqlite3_column_int(st, 19);
    sqlite3_reset(st);

    /* what the stored result adds: the pass mark and the checklist's title */
    char *pass_mark = NULL, *checklist_title = NULL;
    hc_diags tmp = {0};
    hc_reader *r = hc_reader_open_mem("result", c[10], strlen(c[10]), NULL, &tmp);
    hc_doc *doc = NULL;
    if (r && hc_reader_next(r, &doc, &tmp) == 1) {
        const hc_node *pm = hc_map_get(hc_map_get(hc_doc_root(doc), "summary"), "pass_mark");
        if (pm && pm->kind == HC_SCALAR && hc_scalar_resolve(pm, NULL, NULL, NULL) != HC_SC_NULL)
            pass_mark = hc_xstrdup(pm->str);
        const hc_node *t = hc_map_get(hc_map_get(hc_doc_root(doc), "inspection"), "checklist_title");
        if (t && t->kind == HC_SCALAR) checklist_title = hc_xstrdup(t->str);
    }
    hc_doc_free(&doc);
    hc_reader_close(&r);
    hc_diags_clear(&tmp);

    /* findings, in checklist order */
    st = hc_store_stmt(s, "SELECT item, title, section, status, severity, message, basis, remedy, ord,"
                          " deadline, note, evidence FROM findings WHERE inspection_id = ? ORDER BY rowid", d);
    frow *rows = NULL;
    size_t n = 0, cap = 0;
    if (st) {
        hc_bind_text(st, 1, id);
        while (sqlite3_step(st) == SQLITE_ROW) {
            HC_GROW(rows, cap, n + 1);
            for (int i = 0; i < 12; i++) rows[n].c[i] = dup_col(st, i);
            rows[n].c[12] = NULL;
            rows[n].index = n;
            n++;
        }
        sqlite3_reset(st);
    }

    hc_json j;
    hc_json_init(&j, NULL, 0);
    hc_json_begin_object(&j);
    char dz[32];
    hc_json_key(&j, "inspection");
    hc_json_begin_object(&j);
    key_text(&j, "id", id);
    key_text(&j, "checklist", c[1]);
    key_text(&j, "checklist_title", checklist_title ? checklist_title : c[1]);
    key_text(&j, "checklist_version", c[2]);
    key_text(&j, "checklist_sha256", c[3]);
    key_text(&j, "date", c[4]);
    date_zh(c[4], dz);
    key_text(&j, "date_zh", dz);
    key_text(&j, "inspector", c[5]);
    key_text(&j, "kind", c[6]);
    key_text(&j, "kind_zh", zh(kind_n, kind_w, c[6]));
    key_text(&j, "parent", c[7]);
    key_text(&j, "verdict", c[8]);
    key_text(&j, "verdict_zh", zh(verdict_n, verdict_w, c[8]));
    hc_json_key(&j, "score");
    hc_json_number(&j, score);
    key_text(&j, "pass_mark", pass_mark);
    key_text(&j, "recorded_at", c[11]);
    key_text(&j, "recorded_by", c[12]);
    hc_json_end_object(&j);

    hc_json_key(&j, "site");
    hc_json_begin_object(&j);
    key_text(&j, "id", c[0]);
    static const char *const sk[] = {"name", "district", "industry", "squad", "inspector", "contact"};
    for (int i = 0; i < 6; i++) key_text(&j, sk[i], c[13 + i]);
    char status[96] = "";
    if (strcmp(c[20], "operating") != 0)
        snprintf(status, sizeof status, "%s", strcmp(c[20], "suspended") == 0 ? "停产整顿中" : "已关闭");
    if (listed)
        snprintf(status + strlen(status), sizeof status - strlen(status), "%s列入严重失信主体名单", *status ? "；" : "");
    key_text(&j, "status", status);
    hc_json_end_object(&j);

    size_t counts[5] = {0}, major = 0;
    for (size_t i = 0; i < n; i++) {
        for (int k = 0; k < 5; k++)
            if (strcmp(rows[i].c[3], status_n[k]) == 0) counts[k]++;
        if (strcmp(rows[i].c[3], "fail") == 0 && strcmp(rows[i].c[4], "major") == 0) major++;
    }
    hc_json_key(&j, "counts");
    hc_json_begin_object(&j);
    for (int k = 0; k < 5; k++) {
        hc_json_key(&j, status_n[k]);
        hc_json_integer(&j, (long long)counts[k]);
    }
    hc_json_key(&j, "major");
    hc_json_integer(&j, (long long)major);
    hc_json_end_object(&j);

    /* hazards for the notice: failed items numbered in checklist order */
    hc_json_key(&j, "hazards");
    hc_json_begin_array(&j);
    hc_buf majors = {0};
    size_t no = 0, norders = 0;
    for (size_t i = 0; i < n; i++) {
        char **f = rows[i].c;
        if (strcmp(f[3], "fail") != 0) continue;
        no++;
        int is_major = strcmp(f[4], "major") == 0;
        if (is_major) hc_buf_printf(&majors, "%s%zu", majors.len ? "、" : "", no);
        if (f[8] && strcmp(f[8], "rectify") != 0) norders++;
        char *basis = join_json_texts(f[6]);
        hc_json_begin_object(&j);
        hc_json_key(&j, "no");
        hc_json_integer(&j, (long long)no);
        key_text(&j, "item", f[0]);
        key_text(&j, "title", f[1]);
        key_text(&j, "message", f[5]);
        key_text(&j, "basis_text", basis);
        key_text(&j, "remedy", f[7]);
        key_text(&j, "deadline", f[9]);
        key_text(&j, "order_zh", zh(order_n, order_w, f[8]));
        hc_json_key(&j, "major");
        hc_json_bool(&j, is_major);
        hc_json_end_object(&j);
        free(basis);
    }
    hc_json_end_array(&j);
    hc_json_key(&j, "has_hazards");
    hc_json_bool(&j, no > 0);
    key_text(&j, "major_numbers", majors.data);
    hc_buf_free(&majors);
    hc_json_key(&j, "orders");
    hc_json_bool(&j, norders > 0);
    hc_json_key(&j, "orders_list");
    hc_json_begin_array(&j);
    no = 0;
    for (size_t i = 0; i < n; i++) {
        char **f = rows[i].c;
        if (strcmp(f[3], "fail") != 0) continue;
        no++;
        if (f[8] == NULL || strcmp(f[8], "rectify") == 0) continue;
        hc_json_begin_object(&j);
        hc_json_key(&j, "no");
        hc_json_integer(&j, (long long)no);
        key_text(&j, "item", f[0]);
        key_text(&j, "order_zh", zh(order_n, order_s, f[8]));
        hc_json_end_object(&j);
    }
    hc_json_end_array(&j);
    hc_json_key(&j, "notice");
    hc_json_begin_object(&j);
    /* the id's first 8 bytes, cut back to a whole UTF-8 character */
    size_t cut = strlen(id) < 8 ? strlen(id) : 8;
    while (cut > 0 && cut < strlen(id) && ((unsigned char)id[cut] & 0xC0) == 0x80) cut--;
    char number[96];
    snprintf(number, sizeof number, "编号：%.4s%.2s%.2s-%.*s", c[4], c[4] + 5, c[4] + 8, (int)cut, id);
    key_text(&j, "number", number);
    hc_json_end_object(&j);

    /* sections in order of first appearance, failures first within each */
    qsort(rows, n, sizeof *rows, cmp_frow);
    hc_json_key(&j, "sections");
    hc_json_begin_array(&j);
    char *done = hc_xcalloc(n ? n : 1, 1);
    /* sections come in the order of their first item in the checklist */
    for (;;) {
        const char *sec = NULL;
        size_t best = (size_t)-1;
        int found = 0, null_sec = 0;
        for (size_t i = 0; i < n; i++) {
            if (done[i]) continue;
            if (rows[i].index < best) {
                best = rows[i].index;
                sec = rows[i].c[2];
                null_sec = sec == NULL;
                found = 1;
            }
        }
        if (!found) break;
        hc_json_begin_object(&j);
        key_text(&j, "name", null_sec ? "其他" : sec);
        hc_json_key(&j, "findings");
        hc_json_begin_array(&j);
        for (size_t i = 0; i < n; i++) {
            char **f = rows[i].c;
            int same = null_sec ? f[2] == NULL : f[2] && strcmp(f[2], sec) == 0;
            if (done[i] || !same) continue;
            done[i] = 1;
            int failed = strcmp(f[3], "fail") == 0;
            char *basis = join_json_texts(f[6]);
            char *evidence = join_json_texts(f[11]);
            hc_json_begin_object(&j);
            key_text(&j, "item", f[0]);
            key_text(&j, "title", f[1]);
            key_text(&j, "status", f[3]);
            key_text(&j, "status_zh", zh(status_n, status_w, f[3]));
            hc_json_key(&j, "major");
            hc_json_bool(&j, failed && strcmp(f[4], "major") == 0);
            hc_json_key(&j, "failed");
            hc_json_bool(&j, failed);
            key_text(&j, "message", f[5]);
            key_text(&j, "basis_text", basis);
            key_text(&j, "remedy", f[7]);
            key_text(&j, "order_zh", failed ? zh(order_n, order_w, f[8]) : NULL);
            key_text(&j, "deadline", f[9]);
            key_text(&j, "note", f[10]);
            key_text(&j, "evidence_text", evidence);
            hc_json_end_object(&j);
            free(basis);
            free(evidence);
        }
        hc_json_end_array(&j);
        hc_json_end_object(&j);
    }
    free(done);
    hc_json_end_array(&j);
    char now[21];
    hc_store_now(now);
    key_text(&j, "generated_at", now);
    key_text(&j, "generated_by", HC_VERSION);
    hc_json_end_object(&j);

    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < 13; k++) free(rows[i].c[k]);
    free(rows);
    for (int i = 0; i < 21; i++) free(c[i]);
    free(pass_mark);
    free(checklist_title);
    return hc_buf_take(&j.buf);
}

/* The inspection's findings as CSV: one row each, for the office's spreadsheets. */
static int findings_csv(hc_store *s, const char *id, FILE *out, hc_diags *d)
{
    sqlite3_stmt *st = hc_store_stmt(s, "SELECT i.site_id, i.date, f.item, f.title, f.section, f.status,"
                                        " f.severity, f.message, f.basis, f.remedy, f.ord, f.deadline, f.note"
                                        " FROM findings f JOIN inspections i ON i.id = f.inspection_id"
                                        " WHERE f.inspection_id = ? ORDER BY f.rowid", d);
    if (st == NULL) return -1;
    hc_bind_text(st, 1, id);
    hc_csv_bom(out);
    fputs("inspection,site,date,item,title,section,status,severity,message,basis,remedy,order,deadline,note\r\n", out);
    int n = 0, got;
    while ((got = hc_store_row(s, st, d)) == 1) {
        n++;
        hc_csv_field(out, id);
        for (int i = 0; i < 13; i++) {
            fputc(',', out);
            const char *v = (const char *)sqlite3_column_text(st, i);
            if (i == 8) {
                char *b = join_json_texts(v);
                hc_csv_field(out, b);
                free(b);
            } else {
                hc_csv_field(out, v);
            }
        }
        fputs("\r\n", out);
    }
    if (got < 0) return -1;
    if (n == 0) {
        hc_diags_add(d, HC_ERROR, s->path, 0, 0, "no inspection '%s' in the database", id);
        return -1;
    }
    return 0;
}

int hc_store_report(hc_store *s, const char *id, const char *format, FILE *out, hc_diags *d)
{
    if (strcmp(format, "csv") == 0) return findings_csv(s, id, out, d);
    char *json = report_data(s, id, d);
    if (json == NULL) return -1;
    int rc = 0;
    if (strcmp(format, "json") == 0) {
        fputs(json, out);
        fputc('\n', out);
    } else if (strcmp(format, "html") == 0) {
        rc = hc_render_json(json, "report.html", out, d);
    } else if (strcmp(format, "text") == 0) {
        rc = hc_render_json(json, "report.txt", out, d);
    } else {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "report --format '%s'; expected html, text, json or csv", format);
        rc = -1;
    }
    free(json);
    return rc;
}
