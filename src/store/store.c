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
    return hc_sql_fatal(s, s->commit_error ? s->commit_error : hc_sql_errcode(s));
}

int hc_store_error(hc_store *s, hc_diags *d, const char *what)
{
    hc_diags_add(d, HC_ERROR, s->path, 0, 0, "database: %s: %s", _(what), hc_sql_errmsg(s));
    return -1;
}

int hc_store_exec(hc_store *s, const char *sql, hc_diags *d)
{
    return hc_sql_exec(s, sql, d);
}

hc_stmt *hc_store_stmt(hc_store *s, const char *sql, hc_diags *d)
{
    for (size_t i = 0; i < s->ncache; i++) {
        if (s->cache[i].sql == sql) {
            hc_sql_clear(s->cache[i].st);
            return s->cache[i].st;
        }
    }
    if (s->ncache < 128) {
        hc_stmt *st = hc_sql_prepare_kept(s, sql, d);
        if (st == NULL) return NULL;
        s->cache[s->ncache].sql = sql;
        s->cache[s->ncache].st = st;
        s->ncache++;
        return st;
    }
    /* never hit with the statements we have; a guard all the same */
    hc_diags_add(d, HC_ERROR, s->path, 0, 0, "database: statement cache full");
    return NULL;
}

hc_stmt *hc_store_stmt_built(hc_store *s, const char *sql, hc_diags *d)
{
    for (size_t i = 0; i < s->ncache; i++) {
        if (s->cache[i].built && strcmp(s->cache[i].built, sql) == 0) {
            hc_sql_clear(s->cache[i].st);
            return s->cache[i].st;
        }
    }
    /* a full cache gives up a built statement: the shapes of a filter are few,
       so this is a guard, not a path */
    size_t slot = s->ncache;
    for (size_t i = 0; slot == 128 && i < s->ncache; i++) {
        if (s->cache[i].built) {
            hc_sql_finalize(s->cache[i].st);
            free(s->cache[i].built);
            s->cache[i] = (struct stmt_cache){0};
            slot = i;
        }
    }
    if (slot == 128) {
        hc_diags_add(d, HC_ERROR, s->path, 0, 0, "database: statement cache full");
        return NULL;
    }
    hc_stmt *st = hc_sql_prepare_kept(s, sql, d);
    if (st == NULL) return NULL;
    s->cache[slot].st = st;
    s->cache[slot].built = hc_xstrdup(sql);
    s->cache[slot].sql = s->cache[slot].built;
    if (slot == s->ncache) s->ncache++;
    return st;
}

int hc_store_row(hc_store *s, hc_stmt *st, hc_diags *d)
{
    int rc = hc_sql_step(st);
    if (rc == HC_SQL_ROW) return 1;
    if (rc == HC_SQL_DONE) return 0;
    return hc_store_error(s, d, "reading");
}

hc_node *hc_store_add_row(hc_doc *doc, hc_node *parent, const char *key, hc_stmt *st,
                          const char *types)
{
    hc_node *map = hc_add_map(doc, parent, key);
    for (int i = 0; types[i]; i++) {
        if (types[i] == '-') continue;
        const char *name = hc_sql_column_name(st, i);
        if (hc_sql_is_null(st, i)) {
            hc_add_null(doc, map, name);
            continue;
        }
        switch (types[i]) {
        case 'i': hc_add_int(doc, map, name, hc_sql_int(st, i)); break;
        case 'n': hc_add_num(doc, map, name, hc_sql_double(st, i)); break;
        case 'b': hc_add_bool(doc, map, name, (int)hc_sql_int(st, i) != 0); break;
        case 'j': {
            /* JSON the store wrote itself (a profile, a list of texts) */
            const char *json = hc_sql_text(st, i);
            hc_reader *r = hc_reader_open_mem(name, json, hc_sql_bytes(st, i), NULL,
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
            hc_add_strn(doc, map, name, hc_sql_text(st, i),
                        hc_sql_bytes(st, i));
        }
    }
    return map;
}

long hc_store_add_rows(hc_store *s, hc_stmt *st, hc_doc *doc, hc_node *seq,
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

/* Whether the group's transaction still stands: SQLite ends a transaction
   itself on some errors (a full disk, an I/O error), savepoints and all; the
   group is then lost (2) until its commit says so. */
static int group_alive(hc_store *s)
{
    if (s->group == 1 && !hc_sql_in_transaction(s)) s->group = 2;
    return s->group == 1;
}

static int group_lost(hc_store *s, hc_diags *d)
{
    hc_diags_add(d, HC_ERROR, s->path, 0, 0, "database: the group's transaction ended early; not recorded");
    return -1;
}

/* A write takes the store's one write lock first, so that writers queue
   rather than fail, and the event log stays one chain: SQLite's database lock
   (IMMEDIATE), or on PostgreSQL a lock of the transaction's, the same number
   for every hazcheck (several machines included), released at its end. */
static const char *begin_writing(const hc_store *s)
{
    return s->pg.conn ? "BEGIN; SELECT pg_advisory_xact_lock(1212242499)"   /* HC_APPLICATION_ID */
                      : "BEGIN IMMEDIATE";
}

int hc_store_begin(hc_store *s, hc_diags *d)
{
    if (s->group && !group_alive(s)) return group_lost(s, d);
    if (!s->group) s->commit_error = 0;
    return hc_store_exec(s, s->group ? "SAVEPOINT change" : begin_writing(s), d);
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
    if (!hc_sql_in_transaction(s)) return;
    /* a savepoint never begun (its begin failed) is not there to undo; the
       error of undoing a missing one changes nothing */
    hc_sql_exec(s, s->group ? "ROLLBACK TO change; RELEASE change" : "ROLLBACK", NULL);
}

int hc_store_group_begin(hc_store *s, hc_diags *d)
{
    if (s->group) return 0;
    /* A batch gives up SQLite's write lock between its groups for HC_TURN_MS,
       so that a writer waiting for it (an inspector's phone through serve, a
       second record) gets its turn within a group's time rather than after
       the whole batch; they poll every millisecond (open.c). PostgreSQL queues
       the waiters of a lock itself, in order. */
    long long since = s->group_ended ? hc_clock_ms() - s->group_ended : HC_TURN_MS;
    if (!s->pg.conn && since >= 0 && since < HC_TURN_MS) {
        struct timespec pause = {0, (long)(HC_TURN_MS - since) * 1000000L};
        nanosleep(&pause, NULL);
    }
    if (hc_store_exec(s, begin_writing(s), d) != 0) return -1;
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
    if (hc_store_exec(s, "COMMIT", d) == 0) {
        s->group_ended = hc_clock_ms();
        return 0;
    }
    /* a commit that fails (the disk full at the last write) may leave the
       transaction open: undo it, so the store is usable and the group gone,
       keeping why for hc_store_fatal */
    s->commit_error = hc_sql_errcode(s);
    if (hc_sql_in_transaction(s)) hc_sql_exec(s, "ROLLBACK", NULL);
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
        hc_sql_finalize(s->cache[i].st);
        free(s->cache[i].built);
    }
    hc_sql_close(s);
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
    /* TRUNCATE: the log file back to nothing, so a copy of the .db alone is whole;
       PostgreSQL's server keeps its own log */
    if (s->pg.conn) return 0;
    return hc_store_exec(s, "PRAGMA wal_checkpoint(TRUNCATE)", d);
}
