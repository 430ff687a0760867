/*
** ids.c: the names people type for records: an inspection by any unique
** prefix of its id (at least 6 characters; an ambiguous one lists the
** candidates), an action by its number here ("12", "#12") or by its uid
** "<inspection>#<item>", which is the same in every database (cli.md "Ids").
*/
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

#define MIN_PREFIX 6

char *hc_store_inspection_id(hc_store *s, const char *ref, hc_diags *d)
{
    hc_stmt *st = hc_store_stmt(s, "SELECT id FROM inspections WHERE id = ?1 UNION ALL"
                                        " SELECT id FROM (SELECT id FROM inspections"
                                        "  WHERE length(?1) >= ?2 AND substr(id, 1, length(?1)) = ?1"
                                        "  AND id <> ?1 ORDER BY id LIMIT 6) AS prefixed", d);
    if (st == NULL) return NULL;
    hc_sql_bind_text(st, 1, ref);
    hc_sql_bind_int(st, 2, MIN_PREFIX);
    char *found[6];
    int n = 0, got, exact = 0;
    while (n < 6 && (got = hc_store_row(s, st, d)) == 1) {
        found[n] = hc_xstrdup(hc_sql_text(st, 0));
        if (n == 0 && strcmp(found[0], ref) == 0) exact = 1;
        n++;
        if (exact) break;                 /* the whole id: no prefix question */
    }
    hc_sql_reset(st);
    if (n < 6 && got < 0) {
        for (int i = 0; i < n; i++) free(found[i]);
        return NULL;
    }
    if (n == 1) return found[0];
    if (n == 0) {
        if (strlen(ref) < MIN_PREFIX)
            hc_diags_add(d, HC_ERROR, s->path, 0, 0,
                         "no inspection '%s'; a shortened id needs at least %d characters", ref,
                         MIN_PREFIX);
        else
            hc_diags_add(d, HC_ERROR, s->path, 0, 0, "no inspection '%s' in the database", ref);
        return NULL;
    }
    hc_buf b = {0};
    for (int i = 0; i < n; i++) {
        hc_buf_printf(&b, "%s%s", i ? ", " : "", found[i]);
        free(found[i]);
    }
    hc_diags_add(d, HC_ERROR, s->path, 0, 0, "inspection id '%s' is ambiguous: %s%s", ref, b.data,
                 n == 6 ? ", ..." : "");
    hc_buf_free(&b);
    return NULL;
}

int hc_store_action_id(hc_store *s, const char *ref, long long *out, hc_diags *d)
{
    const char *p = ref[0] == '#' ? ref + 1 : ref;
    char *end;
    long long v = strtoll(p, &end, 10);
    if (*p && *end == '\0' && v > 0) {
        *out = v;
        return 0;
    }
    /* a uid: "<inspection>#<item>" */
    hc_stmt *st = hc_store_stmt(s, "SELECT id FROM actions WHERE uid = ?", d);
    if (st == NULL) return -1;
    hc_sql_bind_text(st, 1, ref);
    int got = hc_store_row(s, st, d);
    if (got == 1) *out = hc_sql_int(st, 0);
    hc_sql_reset(st);
    if (got == 0)
        hc_diags_add(d, HC_ERROR, s->path, 0, 0,
                     "no action '%s'; expected an action number or its uid INSPECTION#ITEM", ref);
    return got == 1 ? 0 : -1;
}
