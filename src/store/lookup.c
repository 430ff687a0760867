/*
** lookup.c: which site a record belongs to, the question `serve` asks before
** every answer (the policy decides by site: its id and its squad). A record
** that does not exist and one the user may not see must answer alike, so
** these say only "found" or "not found", never why.
*/
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "store/store.h"

static char *column_dup(hc_stmt *st, int i)
{
    const char *v = hc_sql_text(st, i);
    return v ? hc_xstrdup(v) : NULL;
}

int hc_store_site_squad(hc_store *s, const char *id, char **squad, hc_diags *d)
{
    *squad = NULL;
    hc_stmt *st = hc_store_stmt(s, "SELECT squad FROM sites WHERE id = ?", d);
    if (st == NULL) return -1;
    hc_sql_bind_text(st, 1, id);
    int got = hc_store_row(s, st, d);
    if (got == 1) *squad = column_dup(st, 0);
    hc_sql_reset(st);
    return got;
}

int hc_store_inspection_result(hc_store *s, const char *id, char **json, char **site, hc_diags *d)
{
    if (json) *json = NULL;
    *site = NULL;
    /* without 'json' the result (kilobytes) is not read: only whose it is */
    hc_stmt *st = hc_store_stmt(s, json ? "SELECT site_id, result FROM inspections WHERE id = ?"
                                             : "SELECT site_id FROM inspections WHERE id = ?", d);
    if (st == NULL) return -1;
    hc_sql_bind_text(st, 1, id);
    int got = hc_store_row(s, st, d);
    if (got == 1) {
        *site = column_dup(st, 0);
        if (json) *json = column_dup(st, 1);
    }
    hc_sql_reset(st);
    return got;
}

/* The answers (findings) and the rectification steps (events) that cite the
   file: every evidence reference the store keeps is in one of the two. */
hc_doc *hc_store_evidence_sites(hc_store *s, const char *ref, hc_diags *d)
{
    hc_stmt *st = hc_store_stmt(
        s,
        "SELECT DISTINCT c.site AS id, s.squad AS squad FROM ("
        "  SELECT i.site_id AS site FROM findings f JOIN inspections i ON i.id = f.inspection_id,"
        "    json_each(f.evidence) e WHERE f.evidence LIKE '%' || ?1 || '%' AND e.value = ?1"
        "  UNION"
        "  SELECT v.site_id FROM events v, json_each(v.data, '$.evidence') e"
        "    WHERE v.kind LIKE 'action.%' AND v.data LIKE '%' || ?1 || '%' AND e.value = ?1"
        ") c JOIN sites s ON s.id = c.site ORDER BY c.site",
        d);
    if (st == NULL) return NULL;
    hc_sql_bind_text(st, 1, ref);
    hc_doc *doc = hc_doc_new("evidence");
    if (hc_store_add_rows(s, st, doc, hc_add_seq(doc, (hc_node *)hc_doc_root(doc), "sites"), "ss", d) < 0)
        hc_doc_free(&doc);
    hc_sql_reset(st);
    return doc;
}
