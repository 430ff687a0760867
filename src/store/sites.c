/*
** sites.c: the site register (profiles, assigned inspector, contact) and
** enforcement measures on a site, with the site's status that follows.
*/
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "store/store.h"

static const char *text(const hc_node *map, const char *key)
{
    const hc_node *n = hc_map_get(map, key);
    return n && n->kind == HC_SCALAR && n->len ? n->str : NULL;
}

int hc_site_upsert(hc_store *s, const hc_node *p, hc_diags *d)
{
    if (hc_site_check(p, NULL, d) != 0) return -1;
    const char *id = text(p, "id"), *name = text(p, "name");
    char *json = hc_node_json(p);
    int result = -1;
    hc_stmt *st = hc_store_stmt(s, "SELECT profile FROM sites WHERE id = ?", d);
    if (st == NULL) goto out;
    hc_sql_bind_text(st, 1, id);
    int rc = hc_sql_step(st);
    char *old = NULL;
    if (rc == HC_SQL_ROW) old = hc_xstrdup(hc_sql_text(st, 0));
    else if (rc != HC_SQL_DONE) {
        hc_store_error(s, d, "reading the site register");
        goto out;
    }
    hc_sql_reset(st);
    if (old && strcmp(old, json) == 0) {
        free(old);
        result = 0;
        goto out;
    }
    char now[21];
    hc_time_now_utc(now);
    st = hc_store_stmt(s, old ? "UPDATE sites SET name = ?2, district = ?3, industry = ?4, squad = ?5, "
                                "inspector = ?6, contact = ?7, profile = ?8, updated_at = ?9 WHERE id = ?1"
                              : "INSERT INTO sites (id, name, district, industry, squad, inspector, "
                                "contact, profile, created_at, updated_at) "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)", d);
    if (st == NULL) {
        free(old);
        goto out;
    }
    hc_sql_bind_text(st, 1, id);
    hc_sql_bind_text(st, 2, name ? name : id);
    hc_sql_bind_text(st, 3, text(p, "district"));
    hc_sql_bind_text(st, 4, text(p, "industry"));
    hc_sql_bind_text(st, 5, text(p, "squad"));
    hc_sql_bind_text(st, 6, text(p, "inspector"));
    hc_sql_bind_text(st, 7, text(p, "contact"));
    hc_sql_bind_text(st, 8, json);
    hc_sql_bind_text(st, 9, now);
    if (hc_sql_step(st) != HC_SQL_DONE) {
        free(old);
        hc_store_error(s, d, "writing the site register");
        goto out;
    }
    /* the event keeps the old profile, so the change can be read back */
    hc_buf data = {0};
    if (old) hc_buf_printf(&data, "{\"before\":%s,\"after\":%s}", old, json);
    else hc_buf_puts(&data, json);
    hc_store_touch(s, HC_ROWS_SITES, id);
    int erc = hc_store_event(s, old ? "site.update" : "site.add", id, id, NULL, data.data, d);
    hc_buf_free(&data);
    result = erc ? -1 : old ? 2 : 1;
    free(old);
out:
    free(json);
    return result;
}

int hc_store_site_put(hc_store *s, const hc_node *profile, hc_diags *d)
{
    if (hc_store_begin(s, d)) return -1;
    int rc = hc_site_upsert(s, profile, d);
    if (rc < 0 || hc_store_commit(s, d) != 0) {
        hc_store_rollback(s);
        return -1;
    }
    return rc;
}

hc_doc *hc_store_sites(hc_store *s, hc_diags *d)
{
    hc_stmt *st = hc_store_stmt(
        s,
        "SELECT s.id AS id, s.name AS name, s.district AS district, s.industry AS industry,"
        " s.squad AS squad, s.inspector AS inspector, s.contact AS contact, s.listed AS listed,"
        " s.state AS state,"
        " (SELECT coalesce(sum(o.n), 0) FROM open_days o WHERE o.site_id = s.id) AS open_actions,"
        " (SELECT max(date) FROM inspections i WHERE i.site_id = s.id AND i.voided_at IS NULL)"
        "   AS last_inspection"
        " FROM sites s ORDER BY s.id",
        d);
    if (st == NULL) return NULL;
    hc_doc *doc = hc_doc_new("sites");
    hc_node *root = (hc_node *)hc_doc_root(doc);
    hc_add_str(doc, root, "today", s->today);
    if (hc_store_add_rows(s, st, doc, hc_add_seq(doc, root, "sites"), "sssssssbsis", d) < 0)
        hc_doc_free(&doc);
    return doc;
}

hc_doc *hc_store_site_squads(hc_store *s, hc_diags *d)
{
    hc_stmt *st = hc_store_stmt(s, "SELECT id, squad FROM sites ORDER BY id", d);
    if (st == NULL) return NULL;
    hc_doc *doc = hc_doc_new("sites");
    hc_node *root = (hc_node *)hc_doc_root(doc);
    hc_add_str(doc, root, "today", s->today);
    if (hc_store_add_rows(s, st, doc, hc_add_seq(doc, root, "sites"), "ss", d) < 0) hc_doc_free(&doc);
    return doc;
}

hc_doc *hc_store_site(hc_store *s, const char *id, long rows, hc_diags *d)
{
    hc_stmt *st = hc_store_stmt(s, "SELECT id, name, district, industry, squad, inspector,"
                                        " contact, listed, state, profile FROM sites WHERE id = ?", d);
    if (st == NULL) return NULL;
    hc_sql_bind_text(st, 1, id);
    int got = hc_store_row(s, st, d);
    if (got <= 0) {
        if (got == 0) hc_diags_add(d, HC_ERROR, s->path, 0, 0, "no site '%s' in the register", id);
        return NULL;
    }
    hc_doc *doc = hc_doc_new("site");
    hc_node *site = hc_store_add_row(doc, (hc_node *)hc_doc_root(doc), "site", st, "sssssssbsj");
    hc_add_str(doc, site, "today", s->today);
    hc_sql_reset(st);

    static const struct part {
        const char *key, *types, *sql;
    } parts[] = {
        /* the latest ?3, shown oldest first */
        {"inspections", "ssssssnbs--",
         "SELECT * FROM (SELECT id, date, kind, checklist, checklist_version, verdict, score,"
         " voided_at IS NOT NULL AS void, void_reason, recorded_at, rowid AS seq"
         " FROM inspections WHERE site_id = ?1" HC_SQL_NEWEST_FIRST("")
         " LIMIT ?3) AS latest ORDER BY date, recorded_at, seq"},
        {"actions", "isssssssbbs",
         "SELECT id, item, title, severity, status, deadline, assignee, uid,"
         " (status <> 'verified' AND deadline < ?2 AND voided_at IS NULL) AS overdue,"
         " voided_at IS NOT NULL AS void, void_reason"
         " FROM actions WHERE site_id = ?1"
         " ORDER BY voided_at IS NOT NULL, status = 'verified', deadline, id LIMIT ?3"},
        /* numbered in this order by `enforce void` (corrections.c) */
        {"enforcement", "ssnsssbs",
         "SELECT date, measure, amount, basis, note, \"by\", voided_at IS NOT NULL AS void, void_reason"
         " FROM enforcement WHERE site_id = ? ORDER BY date, id"},
    };
    for (size_t k = 0; k < sizeof parts / sizeof parts[0]; k++) {
        st = hc_store_stmt(s, parts[k].sql, d);
        if (st == NULL) goto fail;
        hc_sql_bind_text(st, 1, id);
        if (hc_sql_param_count(st) > 1) hc_sql_bind_text(st, 2, s->today);
        if (hc_sql_param_count(st) > 2) hc_sql_bind_limit(st, 3, rows);
        if (hc_store_add_rows(s, st, doc, hc_add_seq(doc, site, parts[k].key), parts[k].types, d) < 0)
            goto fail;
    }
    /* how many there are in all, told apart from how many are shown */
    static const char *const counts[][2] = {
        {"n_inspections", "SELECT count(*) FROM inspections WHERE site_id = ?"},
        {"n_actions", "SELECT count(*) FROM actions WHERE site_id = ?"},
    };
    for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++) {
        st = hc_store_stmt(s, counts[k][1], d);
        if (st == NULL) goto fail;
        hc_sql_bind_text(st, 1, id);
        if (hc_store_row(s, st, d) != 1) goto fail;
        hc_add_int(doc, site, counts[k][0], hc_sql_int(st, 0));
        hc_sql_reset(st);
    }
    return doc;
fail:
    hc_doc_free(&doc);
    return NULL;
}

int hc_store_site_lookup(void *store, const char *id, hc_doc **out, hc_diags *d)
{
    hc_store *s = store;
    *out = NULL;
    hc_stmt *st = hc_store_stmt(s, "SELECT profile FROM sites WHERE id = ?", d);
    if (st == NULL) return -1;
    hc_sql_bind_text(st, 1, id);
    int got = hc_store_row(s, st, d);
    if (got <= 0) return got;
    const char *json = hc_sql_text(st, 0);
    size_t len = hc_sql_bytes(st, 0);
    hc_reader *r = hc_reader_open_mem("<site register>", json, len, NULL, d);
    int rc = r && hc_reader_next(r, out, d) == 1 ? 1 : -1;
    hc_reader_close(&r);
    hc_sql_reset(st);
    return rc;
}

