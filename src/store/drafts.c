/*
** drafts.c: an inspection being filled in through the pages of `serve`,
** kept per user and saved item by item, so a phone that loses its signal
** loses nothing. A draft is not a record: it is neither logged nor audited,
** only its user reads or changes it, and it is deleted once submitted.
*/
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "store/store.h"

int hc_store_draft_new(hc_store *s, const hc_draft_spec *spec, char id[65], hc_diags *d)
{
    if (hc_token_new(id) != 0) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "no secure randomness: the draft cannot be named");
        return -1;
    }
    hc_stmt *st = hc_store_stmt(s, "INSERT INTO drafts (id, \"user\", site_id, checklist, kind, date,"
                                        " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)", d);
    if (st == NULL) return -1;
    char now[21];
    hc_time_now_utc(now);
    const char *v[] = {id, spec->user, spec->site, spec->checklist, spec->kind, spec->date, now};
    for (int i = 0; i < 7; i++) hc_sql_bind_text(st, i + 1, v[i]);
    int rc = hc_sql_step(st);
    hc_sql_reset(st);
    return rc == HC_SQL_DONE ? 0 : hc_store_error(s, d, "saving the draft");
}

int hc_store_draft(hc_store *s, const char *id, const char *user, hc_doc **out, hc_diags *d)
{
    *out = NULL;
    hc_stmt *st = hc_store_stmt(s, "SELECT id, site_id AS site, checklist, kind, date, answers,"
                                        " updated_at FROM drafts WHERE id = ?1 AND \"user\" = ?2", d);
    if (st == NULL) return -1;
    hc_sql_bind_text(st, 1, id);
    hc_sql_bind_text(st, 2, user);
    int got = hc_store_row(s, st, d);
    if (got == 1) {
        *out = hc_doc_new("draft");
        hc_store_add_row(*out, (hc_node *)hc_doc_root(*out), "draft", st, "sssssjs");
    }
    hc_sql_reset(st);
    return got;
}

int hc_store_draft_answer(hc_store *s, const char *id, const char *user, const char *item, const char *json,
                          hc_diags *d)
{
    /* the item's key quoted in the JSON path: item ids are letters, digits,
       '.', '_' and '-' (checklist.c), so a dot is part of the key, not a step */
    if (item == NULL || *item == '\0' || strpbrk(item, "\"\\") != NULL) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "item id '%s'; expected letters, digits, '.', '_' or '-'",
                     item ? item : "");
        return -1;
    }
    hc_buf path = {0};
    hc_buf_puts(&path, "$.");
    hc_json_quote(&path, item, strlen(item));
    hc_stmt *st = hc_store_stmt(
        s, json ? "UPDATE drafts SET answers = json_set(answers, ?1, json(?2)), updated_at = ?3"
                  " WHERE id = ?4 AND \"user\" = ?5"
                : "UPDATE drafts SET answers = json_remove(answers, ?1), updated_at = ?3 WHERE id = ?4 AND \"user\" = ?5",
        d);
    if (st == NULL) {
        hc_buf_free(&path);
        return -1;
    }
    char now[21];
    hc_time_now_utc(now);
    hc_sql_bind_text(st, 1, path.data);
    if (json) hc_sql_bind_text(st, 2, json);
    hc_sql_bind_text(st, 3, now);
    hc_sql_bind_text(st, 4, id);
    hc_sql_bind_text(st, 5, user);
    int rc = hc_sql_step(st);
    hc_sql_reset(st);
    hc_buf_free(&path);
    if (rc != HC_SQL_DONE) return hc_store_error(s, d, "saving the draft");
    return hc_sql_changes(s) == 1 ? 0 : -1;
}

int hc_store_draft_delete(hc_store *s, const char *id, const char *user, hc_diags *d)
{
    hc_stmt *st = hc_store_stmt(s, "DELETE FROM drafts WHERE id = ? AND \"user\" = ?", d);
    if (st == NULL) return -1;
    hc_sql_bind_text(st, 1, id);
    hc_sql_bind_text(st, 2, user);
    int rc = hc_sql_step(st);
    hc_sql_reset(st);
    return rc == HC_SQL_DONE ? 0 : hc_store_error(s, d, "deleting the draft");
}
