/*
** storefloor.c: the floor of `record`: SQLite alone writing the rows a
** recording left in a database, into a fresh one with the same schema
** (tables, indexes, triggers, foreign keys), the same settings (WAL,
** synchronous FULL) and the same commit groups, and doing nothing else: no
** YAML, no rules, no hashing, no event chain. hazcheck's store cannot be
** faster than this without a schema that writes less.
**
** The rows come from the recorded database by INSERT ... SELECT (from the OS
** page cache, a small share), one group of inspections a transaction, each
** with its site, findings, actions and notice; the event log and the other
** tables are spread evenly over the groups.
**
**   storefloor RECORDED.db FRESH.db [GROUP]    prints the inspections copied
*/
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

static sqlite3 *db;

static int run(const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "storefloor: %s: %s\n", sql, err ? err : "?");
        sqlite3_free(err);
        return -1;
    }
    return 0;
}

static long long count(const char *sql)
{
    sqlite3_stmt *st;
    long long n = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* The group's rows, table by table, in the order record writes them. */
static const char *const copy_group[] = {
    "INSERT OR IGNORE INTO main.sites SELECT * FROM src.sites WHERE id IN"
    " (SELECT site_id FROM src.inspections WHERE rowid BETWEEN ?1 AND ?2) ORDER BY rowid",
    "INSERT INTO main.inspections SELECT * FROM src.inspections WHERE rowid BETWEEN ?1 AND ?2 ORDER BY rowid",
    "INSERT INTO main.findings SELECT * FROM src.findings WHERE inspection_id IN"
    " (SELECT id FROM src.inspections WHERE rowid BETWEEN ?1 AND ?2) ORDER BY rowid",
    "INSERT INTO main.actions SELECT * FROM src.actions WHERE inspection_id IN"
    " (SELECT id FROM src.inspections WHERE rowid BETWEEN ?1 AND ?2) ORDER BY id",
    "INSERT INTO main.notices SELECT * FROM src.notices WHERE inspection_id IN"
    " (SELECT id FROM src.inspections WHERE rowid BETWEEN ?1 AND ?2)",
    /* the log, a slice the group's share of it */
    "INSERT INTO main.events SELECT * FROM src.events WHERE seq BETWEEN ?3 AND ?4 ORDER BY seq",
};
#define NCOPY (sizeof copy_group / sizeof copy_group[0])

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: storefloor RECORDED.db FRESH.db [GROUP]\n");
        return 2;
    }
    long group = argc > 3 ? atol(argv[3]) : 256;
    if (group < 1) group = 1;
    if (sqlite3_open(argv[2], &db) != SQLITE_OK) return 1;
    /* hazcheck's settings (store/open.c), then its schema as the recording left it */
    if (run("PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
            " PRAGMA temp_store = MEMORY; PRAGMA cache_size = -16384;"))
        return 1;
    sqlite3_stmt *st;
    /* the path bound, not spliced: any name a file may have */
    if (sqlite3_prepare_v2(db, "ATTACH ?1 AS src", -1, &st, NULL) != SQLITE_OK) return 1;
    sqlite3_bind_text(st, 1, argv[1], -1, SQLITE_STATIC);
    int attached = sqlite3_step(st) == SQLITE_DONE;
    sqlite3_finalize(st);
    if (!attached) {
        fprintf(stderr, "storefloor: %s: %s\n", argv[1], sqlite3_errmsg(db));
        return 1;
    }
    if (sqlite3_prepare_v2(db, "SELECT sql FROM src.sqlite_master WHERE sql IS NOT NULL"
                               " AND name NOT LIKE 'sqlite_%' ORDER BY rowid", -1, &st, NULL) != SQLITE_OK)
        return 1;
    if (run("BEGIN")) return 1;
    while (sqlite3_step(st) == SQLITE_ROW)
        if (run((const char *)sqlite3_column_text(st, 0))) return 1;
    sqlite3_finalize(st);
    /* the tables a recording writes little of, and whatever else was there */
    if (run("INSERT INTO main.meta SELECT * FROM src.meta; INSERT INTO main.sources SELECT * FROM src.sources;"
            " COMMIT"))
        return 1;

    long long n = count("SELECT count(*) FROM src.inspections");
    long long first = count("SELECT min(rowid) FROM src.inspections");
    long long events = count("SELECT max(seq) FROM src.events");
    if (n <= 0 || first < 0) return 1;
    long long groups = (n + group - 1) / group;
    sqlite3_stmt *copy[NCOPY];
    for (size_t k = 0; k < NCOPY; k++)
        if (sqlite3_prepare_v2(db, copy_group[k], -1, &copy[k], NULL) != SQLITE_OK) {
            fprintf(stderr, "storefloor: %s\n", sqlite3_errmsg(db));
            return 1;
        }
    for (long long g = 0; g < groups; g++) {
        if (run("BEGIN")) return 1;
        for (size_t k = 0; k < NCOPY; k++) {
            sqlite3_bind_int64(copy[k], 1, first + g * group);
            sqlite3_bind_int64(copy[k], 2, first + (g + 1) * group - 1);
            sqlite3_bind_int64(copy[k], 3, events * g / groups + 1);
            sqlite3_bind_int64(copy[k], 4, events * (g + 1) / groups);
            if (sqlite3_step(copy[k]) != SQLITE_DONE) {
                fprintf(stderr, "storefloor: %s\n", sqlite3_errmsg(db));
                return 1;
            }
            sqlite3_reset(copy[k]);
        }
        if (run("COMMIT")) return 1;
    }
    for (size_t k = 0; k < NCOPY; k++) sqlite3_finalize(copy[k]);
    printf("%lld\n", count("SELECT count(*) FROM main.inspections"));
    sqlite3_close(db);
    return 0;
}
