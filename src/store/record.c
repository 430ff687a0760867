/*
** record.c: evaluated inspections -> the store: the inspection with the
** exact checklist version and sha256, every finding, one action per failed
** item; and re-inspection, which closes what now passes and keeps open
** (the same hazard, not a new one) what still fails; and amendment, which
** records a corrected inspection in place of one recorded wrongly.
**
** Each inspection is one transaction: a crash leaves it whole or absent.
*/
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "store/store.h"

static char *result_json(const hc_result *r)
{
    hc_buf b = {0};
    hc_result_json(&b, r, 0);
    return hc_buf_take(&b);
}

static char *texts_json(const char *const *v, size_t n)
{
    hc_buf b = {0};
    hc_buf_putc(&b, '[');
    for (size_t i = 0; i < n; i++) {
        if (i) hc_buf_putc(&b, ',');
        hc_json_quote(&b, v[i], strlen(v[i]));
    }
    hc_buf_putc(&b, ']');
    return hc_buf_take(&b);
}

/* The answered inputs of a finding as JSON (the "inputs" of the result format). */
static char *inputs_json(const hc_result *r, size_t i)
{
    hc_json j;
    hc_json_init(&j, NULL, 0);
    hc_json_value(&j, &r->findings[i].answer->obs);
    return hc_buf_take(&j.buf);
}

static const char *profile_text(const hc_node *site, const char *key)
{
    const hc_node *n = hc_map_get(site, key);
    return n && n->kind == HC_SCALAR && n->len ? n->str : NULL;
}

/* 1 if the inspection is already in the store. */
static int exists(hc_store *s, const char *id, hc_diags *d)
{
    hc_stmt *st = hc_store_stmt(s, "SELECT 1 FROM inspections WHERE id = ?", d);
    if (st == NULL) return -1;
    hc_sql_bind_text(st, 1, id);
    int rc = hc_sql_step(st);
    hc_sql_reset(st);
    return rc == HC_SQL_ROW ? 1 : rc == HC_SQL_DONE ? 0 : hc_store_error(s, d, "reading inspections");
}


/* The statement that inserts 'rows' findings at once, in the order given (their
   rowid order, which the papers list them by). Its parameters are plain '?',
   numbered in order, so that the text is put together without formatting a
   number (it is made for every inspection, to find the prepared statement). */
#define FINDING_COLUMNS 14
#define FINDINGS_AT_ONCE 16
static hc_stmt *findings_insert(hc_store *s, size_t rows, hc_diags *d)
{
    hc_buf sql = {0};
    hc_buf_puts(&sql, "INSERT INTO findings (inspection_id, item, title, section, status, severity,"
                      " message, basis, remedy, ord, deadline, inputs, note, evidence) VALUES ");
    for (size_t j = 0; j < rows; j++)
        hc_buf_puts(&sql, j ? ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    hc_stmt *st = hc_store_stmt_built(s, sql.data, d);
    hc_buf_free(&sql);
    return st;
}

static int insert_inspection(hc_store *s, const hc_result *r, const char *parent, hc_diags *d)
{
    const hc_inspection *in = r->in;
    const hc_checklist *c = r->checklist;
    hc_stmt *st = hc_store_stmt(
        s, "INSERT INTO inspections (id, site_id, checklist, checklist_version, checklist_sha256, date,"
           " inspector, kind, parent, verdict, score, result, recorded_at, recorded_by,"
           " district, squad, industry)"
           " SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
           " district, squad, industry FROM sites WHERE id = ?2", d);   /* the site as it is now */
    if (st == NULL) return -1;
    char now[21];
    hc_time_now_utc(now);
    char *json = result_json(r);
    const char *v[] = {in->id, in->site_id, c->id, c->version, c->sha256, in->date,
                       in->inspector, parent ? "reinspection" : in->kind, parent,
                       hc_verdict_name(r->verdict)};
    for (int i = 0; i < 10; i++) hc_sql_bind_text(st, i + 1, v[i]);
    hc_sql_bind_double(st, 11, r->score);
    hc_sql_bind_text(st, 12, json);
    hc_sql_bind_text(st, 13, now);
    hc_sql_bind_text(st, 14, s->actor);
    int rc = hc_sql_step(st);
    free(json);
    if (rc != HC_SQL_DONE) return hc_store_error(s, d, "recording the inspection");
    /* what the pack's basis codes stand for, once per pack version */
    for (size_t k = 0; k < c->nsources; k++) {
        st = hc_store_stmt(s, "INSERT INTO sources (checklist_sha256, code, title)"
                              " VALUES (?, ?, ?) ON CONFLICT DO NOTHING", d);
        if (st == NULL) return -1;
        hc_sql_bind_text(st, 1, c->sha256);
        hc_sql_bind_text(st, 2, c->sources[k].code);
        hc_sql_bind_text(st, 3, c->sources[k].title);
        if (hc_sql_step(st) != HC_SQL_DONE) return hc_store_error(s, d, "recording the sources");
    }
    /* FINDINGS_AT_ONCE rows a statement: one round trip for them on a server
       (PostgreSQL's), one statement to run on SQLite */
    for (size_t first = 0; first < r->n; first += FINDINGS_AT_ONCE) {
        size_t rows = r->n - first;
        if (rows > FINDINGS_AT_ONCE) rows = FINDINGS_AT_ONCE;
        st = findings_insert(s, rows, d);
        if (st == NULL) return -1;
        char *owned[FINDINGS_AT_ONCE][3];
        for (size_t j = 0; j < rows; j++) {
            const hc_finding *f = &r->findings[first + j];
            const hc_item *it = f->item;
            char *basis = owned[j][0] = texts_json(it->basis, it->nbasis);
            char *inputs = owned[j][1] = inputs_json(r, first + j);
            char *evidence = owned[j][2] = texts_json(f->answer->evidence, f->answer->nevidence);
            const char *fv[] = {in->id, it->id, it->title, it->section, hc_status_name(f->status),
                                hc_severity_name(it->severity), f->message, basis, it->remedy,
                                f->status == HC_FAIL ? hc_order_name(it->order) : NULL,
                                f->deadline[0] ? f->deadline : NULL, inputs, f->answer->note, evidence};
            for (int k = 0; k < FINDING_COLUMNS; k++) hc_sql_bind_text(st, (int)j * FINDING_COLUMNS + k + 1, fv[k]);
        }
        rc = hc_sql_step(st);
        for (size_t j = 0; j < rows; j++)
            for (int k = 0; k < 3; k++) free(owned[j][k]);
        if (rc != HC_SQL_DONE) return hc_store_error(s, d, "recording a finding");
    }
    hc_buf data = {0};
    hc_buf_puts(&data, "{\"checklist\":");
    hc_json_quote(&data, c->id, strlen(c->id));
    hc_buf_puts(&data, ",\"version\":");
    hc_json_quote(&data, c->version, strlen(c->version));
    hc_buf_printf(&data, ",\"sha256\":\"%s\",\"verdict\":\"%s\",\"score\":%.2f}", c->sha256,
                  hc_verdict_name(r->verdict), r->score);
    hc_store_touch(s, HC_ROWS_INSPECTIONS, in->id);
    hc_store_touch(s, HC_ROWS_FINDINGS, in->id);
    rc = hc_store_event(s, parent ? "inspection.reinspect" : "inspection.record", in->id, in->site_id,
                        parent, data.data, d);
    hc_buf_free(&data);
    return rc;
}

static int open_action(hc_store *s, const hc_result *r, size_t i, hc_diags *d)
{
    const hc_inspection *in = r->in;
    const hc_finding *f = &r->findings[i];
    const hc_item *it = f->item;
    hc_buf uidb = {0};            /* ids have no length limit: no fixed buffer */
    hc_buf_printf(&uidb, "%s#%s", in->id, it->id);
    const char *uid = uidb.data;
    char *basis = texts_json(it->basis, it->nbasis);
    hc_stmt *st = hc_store_stmt(
        s, "INSERT INTO actions (uid, site_id, inspection_id, item, title, severity, message, basis,"
           " remedy, ord, deadline, status, assignee, supervisor, last_inspection_id, opened_on)"
           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?)", d);
    if (st == NULL) {
        free(basis);
        hc_buf_free(&uidb);
        return -1;
    }
    const char *v[] = {uid, in->site_id, in->id, it->id, it->title, hc_severity_name(it->severity),
                       f->message, basis, it->remedy, hc_order_name(it->order), f->deadline,
                       profile_text(in->site, "contact"), profile_text(in->site, "inspector"),
                       in->id, in->date};
    for (int k = 0; k < 15; k++) hc_sql_bind_text(st, k + 1, v[k]);
    int rc = hc_sql_step(st);
    free(basis);
    if (rc != HC_SQL_DONE) {
        hc_buf_free(&uidb);
        return hc_store_error(s, d, "opening an action");
    }
    hc_buf data = {0};
    hc_buf_printf(&data, "{\"deadline\":\"%s\",\"severity\":\"%s\"}", f->deadline,
                  hc_severity_name(it->severity));
    /* action events name the action by its uid, which is the same in every database */
    hc_store_touch(s, HC_ROWS_ACTIONS, uid);
    rc = hc_store_event(s, "action.open", uid, in->site_id, f->message, data.data, d);
    hc_buf_free(&data);
    hc_buf_free(&uidb);
    return rc;
}

int hc_store_record(hc_store *s, const hc_result *r, hc_diags *d)
{
    if (hc_store_begin(s, d)) return -1;
    int ex = exists(s, r->in->id, d);
    if (ex != 0) {
        hc_store_rollback(s);
        return ex < 0 ? -1 : 0;
    }
    if (hc_site_upsert(s, r->in->site, d) < 0 || insert_inspection(s, r, NULL, d) != 0 ||
        hc_notice_assign(s, r->in->id, d) != 0)
        goto fail;
    for (size_t i = 0; i < r->n; i++)
        if (r->findings[i].status == HC_FAIL && open_action(s, r, i, d) != 0) goto fail;
    if (hc_store_commit(s, d) != 0) goto fail;
    return 1;
fail:
    hc_store_rollback(s);
    return -1;
}

/* --------------------------------------------------------- re-inspection */

static int reinspect(hc_store *s, const char *parent, const hc_result *r,
                     hc_reinspect_summary *sum, hc_diags *d);

int hc_store_reinspect(hc_store *s, const char *parent_ref, const hc_result *r,
                       hc_reinspect_summary *sum, hc_diags *d)
{
    memset(sum, 0, sizeof *sum);
    char *parent = hc_store_inspection_id(s, parent_ref, d);   /* a unique prefix will do */
    if (parent == NULL) return -1;
    int rc = reinspect(s, parent, r, sum, d);
    free(parent);
    return rc;
}

static int reinspect(hc_store *s, const char *parent, const hc_result *r,
                     hc_reinspect_summary *sum, hc_diags *d)
{
    if (hc_store_begin(s, d)) return -1;
    hc_stmt *st = hc_store_stmt(s, "SELECT site_id, checklist, voided_at FROM inspections WHERE id = ?", d);
    if (st == NULL) goto fail;
    hc_sql_bind_text(st, 1, parent);
    int got = hc_store_row(s, st, d);
    if (got <= 0) {
        if (got == 0) hc_diags_add(d, HC_ERROR, s->path, 0, 0, "no inspection '%s' in the database", parent);
        goto fail;
    }
    if (!hc_sql_is_null(st, 2)) {
        hc_sql_reset(st);
        hc_diags_add(d, HC_ERROR, r->in->path, r->in->line, 1,
                     "inspection %s is void; there is nothing to re-inspect", parent);
        goto fail;
    }
    int same_site = strcmp(hc_sql_text(st, 0), r->in->site_id) == 0;
    int same_pack = strcmp(hc_sql_text(st, 1), r->checklist->id) == 0;
    hc_sql_reset(st);
    if (!same_site || !same_pack) {
        hc_diags_add(d, HC_ERROR, r->in->path, r->in->line, 1,
                     "re-inspection must be of the same site and checklist as inspection %s", parent);
        goto fail;
    }
    int ex = exists(s, r->in->id, d);
    if (ex != 0) {
        if (ex > 0)
            hc_diags_add(d, HC_ERROR, r->in->path, r->in->line, 1,
                         "inspection %s is already recorded; give the re-inspection its own id", r->in->id);
        goto fail;
    }
    if (hc_site_upsert(s, r->in->site, d) < 0 || insert_inspection(s, r, parent, d) != 0) goto fail;
    hc_buf subject = {0};         /* the action's uid: ids have no length limit */
    for (size_t i = 0; i < r->n; i++) {
        const hc_finding *f = &r->findings[i];
        /* the open action for this item from the inspection re-inspected (or its own re-inspections) */
        st = hc_store_stmt(s, "SELECT id, status, uid FROM actions WHERE site_id = ? AND item = ?"
                              " AND status <> 'verified' AND voided_at IS NULL"
                              " AND (inspection_id = ? OR last_inspection_id = ?)"
                              " ORDER BY id LIMIT 1", d);
        if (st == NULL) goto fail_loop;
        hc_sql_bind_text(st, 1, r->in->site_id);
        hc_sql_bind_text(st, 2, f->item->id);
        hc_sql_bind_text(st, 3, parent);
        hc_sql_bind_text(st, 4, parent);
        long long aid = -1;
        char status[16] = "";
        hc_buf_reset(&subject);
        int rc = hc_sql_step(st);
        if (rc == HC_SQL_ROW) {
            aid = hc_sql_int(st, 0);
            snprintf(status, sizeof status, "%s", hc_sql_text(st, 1));
            hc_buf_puts(&subject, hc_sql_text(st, 2));
        } else if (rc != HC_SQL_DONE) {
            hc_store_error(s, d, "reading actions");
            goto fail_loop;
        }
        hc_sql_reset(st);
        if (aid < 0) {
            if (f->status == HC_FAIL) {         /* a hazard not found before: a new action */
                if (open_action(s, r, i, d) != 0) goto fail_loop;
                sum->new_hazards++;
            }
            continue;
        }
        if (f->status != HC_PASS && f->status != HC_FAIL) continue;   /* not re-checked */
        int pass = f->status == HC_PASS;
        st = hc_store_stmt(s, pass ? "UPDATE actions SET status = 'verified', closed_on = ?2,"
                                     " last_inspection_id = ?3 WHERE id = ?1"
                                   : "UPDATE actions SET status = 'open', message = coalesce(?4, message),"
                                     " last_inspection_id = ?3 WHERE id = ?1", d);
        if (st == NULL) goto fail_loop;
        hc_sql_bind_int(st, 1, aid);
        hc_sql_bind_text(st, 2, r->in->date);
        hc_sql_bind_text(st, 3, r->in->id);
        if (!pass) hc_sql_bind_text(st, 4, f->message);
        if (hc_sql_step(st) != HC_SQL_DONE) {
            hc_store_error(s, d, "updating an action");
            goto fail_loop;
        }
        hc_buf note = {0};
        if (pass) hc_buf_printf(&note, "复查合格 (re-inspection %s)", r->in->id);
        else hc_buf_printf(&note, "复查仍不合格 (re-inspection %s): %s", r->in->id, f->message ? f->message : "");
        hc_store_touch(s, HC_ROWS_ACTIONS, subject.data);
        rc = hc_store_event(s, pass ? "action.verify" : (strcmp(status, "rectified") == 0 ? "action.reopen" : "action.still-failing"),
                            subject.data, r->in->site_id, note.data, NULL, d);
        hc_buf_free(&note);
        if (rc) goto fail_loop;
        if (pass) sum->verified++;
        else sum->still_failing++;
    }
    hc_buf_free(&subject);
    if (hc_store_commit(s, d) != 0) goto fail;
    return 1;
fail_loop:
    hc_buf_free(&subject);
fail:
    hc_store_rollback(s);
    return -1;
}

/* ------------------------------------------------------------ amendment */

/* An action the corrected inspection carries over: it keeps its number, its
   status and its history (events name it by its uid, which stays), and now
   belongs to the corrected inspection, with what that one found. */
static int carry_action(hc_store *s, const hc_result *r, size_t i, const char *uid,
                        const char *old, hc_diags *d)
{
    const hc_finding *f = &r->findings[i];
    const hc_item *it = f->item;
    char *basis = texts_json(it->basis, it->nbasis);
    /* SET reads the row as it was: last_inspection_id follows only when it named the old one */
    hc_stmt *st = hc_store_stmt(
        s, "UPDATE actions SET inspection_id = ?2, title = ?3, severity = ?4, message = ?5,"
           " basis = ?6, remedy = ?7, ord = ?8, deadline = ?9, opened_on = ?10,"
           " last_inspection_id = CASE WHEN last_inspection_id = inspection_id THEN ?2"
           " ELSE last_inspection_id END WHERE uid = ?1", d);
    if (st == NULL) {
        free(basis);
        return -1;
    }
    const char *v[] = {uid, r->in->id, it->title, hc_severity_name(it->severity), f->message, basis,
                       it->remedy, hc_order_name(it->order), f->deadline, r->in->date};
    for (int k = 0; k < 10; k++) hc_sql_bind_text(st, k + 1, v[k]);
    int rc = hc_sql_step(st);
    free(basis);
    if (rc != HC_SQL_DONE) return hc_store_error(s, d, "carrying an action over");
    hc_buf data = {0};
    hc_buf_puts(&data, "{\"from\":");
    hc_json_quote(&data, old, strlen(old));
    hc_buf_puts(&data, ",\"to\":");
    hc_json_quote(&data, r->in->id, strlen(r->in->id));
    hc_buf_putc(&data, '}');
    hc_store_touch(s, HC_ROWS_ACTIONS, uid);
    rc = hc_store_event(s, "action.carry", uid, r->in->site_id, f->message, data.data, d);
    hc_buf_free(&data);
    return rc;
}

static int amend(hc_store *s, const char *old, const hc_result *r, const char *reason,
                 hc_amend_summary *sum, hc_diags *d)
{
    if (hc_store_begin(s, d)) return -1;
    char *parent = NULL;
    char **carried = hc_xcalloc(r->n ? r->n : 1, sizeof *carried);   /* per finding: its action's uid */
    const char **keep = hc_xcalloc(r->n ? r->n : 1, sizeof *keep);
    size_t nkeep = 0;
    int rc = -1;
    hc_stmt *st = hc_store_stmt(s, "SELECT site_id, checklist, parent FROM inspections WHERE id = ?", d);
    if (st == NULL) goto out;
    hc_sql_bind_text(st, 1, old);
    int got = hc_store_row(s, st, d);
    if (got <= 0) {
        if (got == 0) hc_diags_add(d, HC_ERROR, s->path, 0, 0, "no inspection '%s' in the database", old);
        goto out;
    }
    int same_site = strcmp(hc_sql_text(st, 0), r->in->site_id) == 0;
    int same_pack = strcmp(hc_sql_text(st, 1), r->checklist->id) == 0;
    if (!hc_sql_is_null(st, 2))
        parent = hc_xstrdup(hc_sql_text(st, 2));
    hc_sql_reset(st);
    if (!same_site || !same_pack) {
        hc_diags_add(d, HC_ERROR, r->in->path, r->in->line, 1,
                     "a correction must be of the same site and checklist as inspection %s; "
                     "void that one and record this file instead", old);
        goto out;
    }
    int ex = exists(s, r->in->id, d);
    if (ex != 0) {
        if (ex > 0)
            hc_diags_add(d, HC_ERROR, r->in->path, r->in->line, 1,
                         "inspection %s is already recorded; give the corrected inspection an id "
                         "of its own (or leave out its id to derive one from its content)",
                         r->in->id);
        goto out;
    }
    /* the standing action of every item that still fails carries over */
    for (size_t i = 0; i < r->n; i++) {
        if (r->findings[i].status != HC_FAIL) continue;
        st = hc_store_stmt(s, "SELECT uid FROM actions WHERE inspection_id = ? AND item = ?"
                              " AND voided_at IS NULL", d);
        if (st == NULL) goto out;
        hc_sql_bind_text(st, 1, old);
        hc_sql_bind_text(st, 2, r->findings[i].item->id);
        got = hc_store_row(s, st, d);
        if (got < 0) goto out;
        if (got == 1) keep[nkeep++] = carried[i] = hc_xstrdup(hc_sql_text(st, 0));
        hc_sql_reset(st);
    }
    if (hc_inspection_void_tx(s, old, reason, r->in->id, keep, nkeep, &sum->voided, d) != 0 ||
        hc_site_upsert(s, r->in->site, d) < 0 || insert_inspection(s, r, parent, d) != 0 ||
        hc_notice_assign(s, r->in->id, d) != 0)
        goto out;
    for (size_t i = 0; i < r->n; i++) {
        if (r->findings[i].status != HC_FAIL) continue;
        if (carried[i] ? carry_action(s, r, i, carried[i], old, d) : open_action(s, r, i, d)) goto out;
        if (carried[i]) sum->carried++;
        else sum->opened++;
    }
    rc = hc_store_commit(s, d);
out:
    if (rc != 0) hc_store_rollback(s);
    for (size_t i = 0; i < r->n; i++) free(carried[i]);
    free(carried);
    free(keep);
    free(parent);
    return rc;
}

int hc_store_inspection_amend(hc_store *s, const char *ref, const hc_result *r, const char *reason,
                              hc_amend_summary *sum, hc_diags *d)
{
    memset(sum, 0, sizeof *sum);
    if (hc_need_reason(reason, d)) return -1;
    char *old = hc_store_inspection_id(s, ref, d);   /* a unique prefix will do */
    if (old == NULL) return -1;
    int rc = amend(s, old, r, reason, sum, d);
    free(old);
    return rc;
}
