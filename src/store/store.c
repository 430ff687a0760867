/*
** store.c: the SQLite connection once open: prepared statements,
** transactions, errors, and readers' rows as data (opening and the schema are
** open.c's; the event log and its audit are audit.c's).
*/
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store.h"


int hc_store_fatal(const hc_store *s)
{
    switch ((s->commit_error ? s->commit_error : sqlite3_errcode(s->db)) & 0xff) {
    case SQLITE_FULL: case SQLITE_IOERR: case SQLITE_READONLY: case SQLITE_CORRUPT:
    case SQLITE_NOTADB: case SQLITE_CANTOPEN: case SQLITE_PERM:
        return 1;
    default:
        return 0;
    }
}

int hc_store_error(hc_store *s, hc_diags *d, const char *what)
{
    hc_diags_add(d, HC_ERROR, s->path, 0, 0, "database: %s: %s", _(what), sqlite3_errmsg(s->db));
    return -1;
}

int hc_store_exec(hc_store *s, const char *sql, hc_diags *d)
{
    char *err = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &err) != SQLITE_OK) {
        hc_diags_add(d, HC_ERROR, s->path, 0, 0, "database: %s", err ? err : "error");
        sqlite3_free(err);
        return -1;
    }
    return 0;
}

sqlite3_stmt *hc_store_stmt(hc_store *s, const char *sql, hc_diags *d)
{
    for (size_t i = 0; i < s->ncache; i++) {
        if (s->cache[i].sql == sql) {
            sqlite3_reset(s->cache[i].st);
            sqlite3_clear_bindings(s->cache[i].st);
            return s->cache[i].st;
        }
    }
    sqlite3_stmt *st = NULL;
    unsigned flags = s->ncache < 128 ? SQLITE_PREPARE_PERSISTENT : 0;
    if (sqlite3_prepare_v3(s->db, sql, -1, flags, &st, NULL) != SQLITE_OK) {
        hc_store_error(s, d, "prepare");
        return NULL;
    }
    if (s->ncache < 128) {
        s->cache[s->ncache].sql = sql;
        s->cache[s->ncache].st = st;
        s->ncache++;
    } else {
        /* never hit with the statements we have; a leak guard all the same */
        hc_diags_add(d, HC_ERROR, s->path, 0, 0, "database: statement cache full");
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

sqlite3_stmt *hc_store_stmt_built(hc_store *s, const char *sql, hc_diags *d)
{
    for (size_t i = 0; i < s->ncache; i++) {
        if (s->cache[i].built && strcmp(s->cache[i].built, sql) == 0) {
            sqlite3_reset(s->cache[i].st);
            sqlite3_clear_bindings(s->cache[i].st);
            return s->cache[i].st;
        }
    }
    /* a full cache gives up a built statement: the shapes of a filter are few,
       so this is a guard, not a path */
    size_t slot = s->ncache;
    for (size_t i = 0; slot == 128 && i < s->ncache; i++) {
        if (s->cache[i].built) {
            sqlite3_finalize(s->cache[i].st);
            free(s->cache[i].built);
            s->cache[i] = (struct stmt_cache){0};
            slot = i;
        }
    }
    if (slot == 128) {
        hc_diags_add(d, HC_ERROR, s->path, 0, 0, "database: statement cache full");
        return NULL;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        hc_store_error(s, d, "prepare");
        return NULL;
    }
    s->cache[slot].st = st;
    s->cache[slot].built = hc_xstrdup(sql);
    s->cache[slot].sql = s->cache[slot].built;
    if (slot == s->ncache) s->ncache++;
    return st;
}

int hc_store_row(hc_store *s, sqlite3_stmt *st, hc_diags *d)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) return 1;
    if (rc == SQLITE_DONE) return 0;
    return hc_store_error(s, d, "reading");
}

hc_node *hc_store_add_row(hc_doc *doc, hc_node *parent, const char *key, sqlite3_stmt *st,
                          const char *types)
{
    hc_node *map = hc_add_map(doc, parent, key);
    for (int i = 0; types[i]; i++) {
        if (types[i] == '-') continue;
        const char *name = sqlite3_column_name(st, i);
        if (sqlite3_column_type(st, i) == SQLITE_NULL) {
            hc_add_null(doc, map, name);
            continue;
        }
        switch (types[i]) {
        case 'i': hc_add_int(doc, map, name, sqlite3_column_int64(st, i)); break;
        case 'n': hc_add_num(doc, map, name, sqlite3_column_double(st, i)); break;
        case 'b': hc_add_bool(doc, map, name, sqlite3_column_int(st, i) != 0); break;
        case 'j': {
            /* JSON the store wrote itself (a profile, a list of texts) */
            const char *json = (const char *)sqlite3_column_text(st, i);
            hc_reader *r = hc_reader_open_mem(name, json, (size_t)sqlite3_column_bytes(st, i), NULL,
                                              NULL);
            hc_doc *val = NULL;
            if (r && hc_reader_next(r, &val, NULL) == 1)
                hc_tree_add(doc, map, name, hc_tree_copy(doc, hc_doc_root(val)));
            else
                hc_add_str(doc, map, name, json);
            hc_doc_free(&val);
            hc_reader_close(&r);
            break;
        }
        default:
            hc_add_strn(doc, map, name, (const char *)sqlite3_column_text(st, i),
                        (size_t)sqlite3_column_bytes(st, i));
        }
    }
    return map;
}

long hc_store_add_rows(hc_store *s, sqlite3_stmt *st, hc_doc *doc, hc_node *seq,
                       const char *types, hc_diags *d)
{
    long n = 0;
    int got;
    while ((got = hc_store_row(s, st, d)) == 1) {
        hc_store_add_row(doc, seq, NULL, st, types);
        n++;
    }
    return got < 0 ? -1 : n;
}

void hc_bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v) sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(st, i);
}

/* Whether the group's transaction still stands: SQLite ends a transaction
   itself on some errors (a full disk, an I/O error), savepoints and all; the
   group is then lost (2) until its commit says so. */
static int group_alive(hc_store *s)
{
    if (s->group == 1 && sqlite3_get_autocommit(s->db)) s->group = 2;
    return s->group == 1;
}

static int group_lost(hc_store *s, hc_diags *d)
{
    hc_diags_add(d, HC_ERROR, s->path, 0, 0, "database: the group's transaction ended early; not recorded");
    return -1;
}

int hc_store_begin(hc_store *s, hc_diags *d)
{
    if (s->group && !group_alive(s)) return group_lost(s, d);
    if (!s->group) s->commit_error = 0;
    return hc_store_exec(s, s->group ? "SAVEPOINT change" : "BEGIN IMMEDIATE", d);
}

int hc_store_commit(hc_store *s, hc_diags *d)
{
    if (s->group && !group_alive(s)) return group_lost(s, d);
    return hc_store_exec(s, s->group ? "RELEASE change" : "COMMIT", d);
}

void hc_store_rollback(hc_store *s)
{
    hc_buf_reset(&s->touched);        /* what was written is undone: nothing to vouch for */
    if (s->group && !group_alive(s)) return;
    if (sqlite3_get_autocommit(s->db)) return;
    /* a savepoint never begun (its begin failed) is not there to undo; the
       error of undoing a missing one changes nothing */
    if (s->group) sqlite3_exec(s->db, "ROLLBACK TO change; RELEASE change", NULL, NULL, NULL);
    else sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

int hc_store_group_begin(hc_store *s, hc_diags *d)
{
    if (s->group) return 0;
    if (hc_store_exec(s, "BEGIN IMMEDIATE", d) != 0) return -1;
    s->group = 1;
    s->commit_error = 0;
    return 0;
}

int hc_store_group_commit(hc_store *s, hc_diags *d)
{
    if (s->group == 0) return 0;
    if (!group_alive(s)) {
        s->group = 0;
        return group_lost(s, d);
    }
    s->group = 0;
    if (hc_store_exec(s, "COMMIT", d) == 0) return 0;
    /* a commit that fails (the disk full at the last write) may leave the
       transaction open: undo it, so the store is usable and the group gone,
       keeping why for hc_store_fatal */
    s->commit_error = sqlite3_extended_errcode(s->db);
    if (!sqlite3_get_autocommit(s->db)) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

int hc_store_group_open(hc_store *s)
{
    if (s->group == 0) return 0;
    return group_alive(s) ? 1 : -1;
}

void hc_store_close(hc_store **sp)
{
    if (sp == NULL || *sp == NULL) return;
    hc_store *s = *sp;
    for (size_t i = 0; i < s->ncache; i++) {
        sqlite3_finalize(s->cache[i].st);
        free(s->cache[i].built);
    }
    if (s->db) {
        sqlite3_exec(s->db, "PRAGMA optimize", NULL, NULL, NULL);
        sqlite3_close(s->db);
    }
    free(s->path);
    free(s->actor);
    hc_buf_free(&s->touched);
    free(s);
    *sp = NULL;
}

void hc_store_set_actor(hc_store *s, const char *actor)
{
    free(s->actor);
    s->actor = hc_xstrdup(actor && *actor ? actor : "unknown");
}

void hc_store_set_today(hc_store *s, const char *date)
{
    snprintf(s->today, sizeof s->today, "%s", date);
}

const char *hc_store_today(const hc_store *s)
{
    return s->today;
}

int hc_store_checkpoint(hc_store *s, hc_diags *d)
{
    /* TRUNCATE: the log file back to nothing, so a copy of the .db alone is whole */
    return hc_store_exec(s, "PRAGMA wal_checkpoint(TRUNCATE)", d);
}
