/*
** report_data.c: what an inspection's papers show, read from what the store
** recorded (the inspection, the site, the findings), so a report reprinted
** years later shows exactly what was found, whatever the packs say today.
** report/report.c lays it out; nothing here decides wording or order on a page.
*/
#include <stdlib.h>

#include "base/base.h"
#include "store/store.h"

/* The site's status (listed, state) on the inspection's date, not today's: a
   paper reprinted after a listing must not show it on a visit before. A site
   without measures here (its register came by import without them) shows the
   status the register holds. */
static const char *scalar_of(const hc_node *map, const char *key)
{
    const hc_node *n = map ? hc_map_get(map, key) : NULL;
    return n && n->kind == HC_SCALAR && n->len ? n->str : NULL;
}

static int status_then(hc_store *s, hc_doc *doc, hc_diags *d)
{
    hc_node *root = (hc_node *)hc_doc_root(doc);
    hc_node *site = (hc_node *)hc_map_get(root, "site");
    const char *id = scalar_of(site, "id");
    if (id == NULL) return 0;
    hc_stmt *st = hc_store_stmt(s, "SELECT listed, state, (SELECT count(*) FROM enforcement e"
                                        " WHERE e.site_id = s.id AND e.voided_at IS NULL)"
                                        " FROM sites s WHERE s.id = ?", d);
    if (st == NULL) return -1;
    hc_sql_bind_text(st, 1, id);
    int got = hc_store_row(s, st, d);
    if (got < 0) return -1;
    int listed = got ? (int)hc_sql_int(st, 0) : 0;
    char state[16];
    snprintf(state, sizeof state, "%s", got ? hc_sql_text(st, 1) : "operating");
    long long measures = got ? hc_sql_int(st, 2) : 0;
    hc_sql_reset(st);
    if (measures > 0 &&
        hc_site_status_at(s, id, scalar_of(hc_map_get(root, "inspection"), "date"), &listed, state, d) != 0)
        return -1;
    hc_add_bool(doc, site, "listed", listed);
    hc_add_str(doc, site, "state", state);
    return 0;
}

static hc_doc *report_data(hc_store *s, const char *id, hc_diags *d)
{
    hc_stmt *st = hc_store_stmt(
        s,
        "SELECT i.id AS id, i.checklist AS checklist,"
        " json_extract(i.result, '$.inspection.checklist_title') AS checklist_title,"
        " i.checklist_version AS checklist_version, i.checklist_sha256 AS checklist_sha256,"
        " i.date AS date, i.inspector AS inspector, i.kind AS kind, i.parent AS parent,"
        " i.verdict AS verdict, i.score AS score,"
        " json_extract(i.result, '$.summary.pass_mark') AS pass_mark,"
        " i.recorded_at AS recorded_at, i.recorded_by AS recorded_by,"
        " json_extract(i.result, '$.warnings') AS warnings,"
        " n.year AS notice_year, n.seq AS notice_seq,"
        " i.voided_at AS voided_at, i.void_reason AS void_reason"
        " FROM inspections i LEFT JOIN notices n ON n.inspection_id = i.id WHERE i.id = ?",
        d);
    if (st == NULL) return NULL;
    hc_sql_bind_text(st, 1, id);
    int got = hc_store_row(s, st, d);
    if (got <= 0) {
        if (got == 0) hc_diags_add(d, HC_ERROR, s->path, 0, 0, "no inspection '%s' in the database", id);
        return NULL;
    }
    hc_doc *doc = hc_doc_new("report");
    hc_node *root = (hc_node *)hc_doc_root(doc);
    hc_store_add_row(doc, root, "inspection", st, "ssssssssssnnssjiiss");
    hc_sql_reset(st);

    static const struct part {
        const char *key, *types, *sql;
        int one;                      /* a mapping (one row), else a sequence */
    } parts[] = {
        {"site", "sssssss",
         "SELECT s.id AS id, s.name AS name, s.district AS district, s.industry AS industry,"
         " s.squad AS squad, s.inspector AS inspector, s.contact AS contact"
         " FROM sites s JOIN inspections i ON i.site_id = s.id WHERE i.id = ?", 1},
        {"findings", "sssssssjsssjj",
         "SELECT item, title, section, status, severity, message, remedy, basis, ord AS \"order\","
         " deadline, note, inputs, evidence"
         " FROM findings WHERE inspection_id = ? ORDER BY rowid", 0},
        {"sources", "ss",
         "SELECT so.code AS code, so.title AS title FROM sources so"
         " JOIN inspections i ON i.checklist_sha256 = so.checklist_sha256 WHERE i.id = ?"
         " ORDER BY so.code", 0},
        /* a re-inspection: the first inspection of its chain, whose notice it follows up,
           and how many re-inspections deep it is */
        {"origin", "ssiii",
         "WITH RECURSIVE up(id, parent, depth) AS ("
         "  SELECT id, parent, 0 FROM inspections WHERE id = ?1"
         "  UNION ALL SELECT i.id, i.parent, up.depth + 1 FROM inspections i JOIN up ON i.id = up.parent)"
         " SELECT i.id AS id, i.date AS date, n.year AS notice_year, n.seq AS notice_seq,"
         " up.depth AS depth FROM up JOIN inspections i ON i.id = up.id"
         " LEFT JOIN notices n ON n.inspection_id = i.id WHERE up.parent IS NULL AND up.depth > 0", 1},
        /* ... and the hazards it re-checked: its answered items that had an action
           from an inspection before it in the chain, with that action's deadline */
        {"rechecked", "sssss",
         "WITH RECURSIVE up(id) AS ("
         "  SELECT parent FROM inspections WHERE id = ?1 AND parent IS NOT NULL"
         "  UNION SELECT i.parent FROM inspections i JOIN up ON i.id = up.id WHERE i.parent IS NOT NULL)"
         " SELECT f.item AS item, f.title AS title, f.status AS status, f.severity AS severity,"
         " (SELECT a.deadline FROM actions a WHERE a.site_id = i.site_id AND a.item = f.item"
         "   AND a.voided_at IS NULL AND a.inspection_id IN (SELECT id FROM up)"
         "   ORDER BY a.id DESC LIMIT 1) AS deadline"
         " FROM findings f JOIN inspections i ON i.id = f.inspection_id"
         " WHERE f.inspection_id = ?1 AND f.status IN ('pass', 'fail')"
         "  AND EXISTS (SELECT 1 FROM actions a WHERE a.site_id = i.site_id AND a.item = f.item"
         "   AND a.voided_at IS NULL AND a.inspection_id IN (SELECT id FROM up))"
         " ORDER BY f.rowid", 0},
    };
    for (size_t k = 0; k < sizeof parts / sizeof parts[0]; k++) {
        st = hc_store_stmt(s, parts[k].sql, d);
        if (st == NULL) goto fail;
        hc_sql_bind_text(st, 1, id);
        if (parts[k].one) {
            got = hc_store_row(s, st, d);
            if (got < 0) goto fail;
            if (got == 1) hc_store_add_row(doc, root, parts[k].key, st, parts[k].types);
            hc_sql_reset(st);
        } else if (hc_store_add_rows(s, st, doc, hc_add_seq(doc, root, parts[k].key),
                                     parts[k].types, d) < 0) {
            goto fail;
        }
    }
    if (status_then(s, doc, d) != 0) goto fail;
    return doc;
fail:
    hc_doc_free(&doc);
    return NULL;
}

hc_doc *hc_store_report_data(hc_store *s, const char *ref, hc_diags *d)
{
    char *id = hc_store_inspection_id(s, ref, d);     /* a unique prefix will do */
    if (id == NULL) return NULL;
    hc_doc *doc = report_data(s, id, d);
    free(id);
    return doc;
}
