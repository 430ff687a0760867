/*
** users.c: the people who sign in to `hazcheck serve` (cli.md "Serving many
** users"): accounts, sessions and the throttling of failed sign-ins.
**
** An account has a role (the vocabulary's codes), a squad (leader,
** inspector) or its own sites (enterprise), and a password kept as an
** Argon2id string (base/secret.c). Every change to an account is an event
** and the audit covers the users table like the other records (rows.c).
**
** A session is a 256-bit random token the browser holds; the database holds
** only its SHA-256, so a copy of the file signs nobody in. A new token at
** every sign-in (no fixation); a session dies at sign-out, after IDLE_SECONDS
** unused or ABSOLUTE_SECONDS in all, and with every session of its user when
** the password changes or the account is disabled. Sessions and failures are
** not records: they are neither logged nor audited.
**
** Failed sign-ins are counted per name and per address: after
** MAX_FAILURES within THROTTLE_SECONDS both are refused until the window
** has passed, whatever the password, so guessing is slow and one address
** cannot lock every name out (nor one name every address) faster than that.
** An unknown name costs the same work as a wrong password and gets the same
** answer, so the time and the words do not tell which names exist.
*/
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/base.h"
#include "store/store.h"

#define IDLE_SECONDS (2LL * 3600)         /* a phone left on the table */
#define SEEN_STEP_SECONDS 60LL              /* how often a session's last use is written */
#define ABSOLUTE_SECONDS (12LL * 3600)    /* a working day */
#define MAX_FAILURES 5
#define THROTTLE_SECONDS (15LL * 60)
#define PASSWORD_MIN_CHARS 8
#define PASSWORD_MAX_BYTES 256

static long long now_seconds(const hc_store *s)
{
    return s->clock ? s->clock : (long long)time(NULL);
}

/* ------------------------------------------------------------ accounts */

static int check_name(const char *name, hc_diags *d)
{
    size_t n = name ? strlen(name) : 0;
    int ok = n > 0 && n <= 64 && hc_utf8_valid(name, n) && name[0] != ' ' && name[n - 1] != ' ';
    for (size_t i = 0; ok && i < n; i++) ok = (unsigned char)name[i] >= 0x20 && name[i] != 0x7F;
    if (!ok)
        hc_diags_add(d, HC_ERROR, NULL, 0, 0,
                     "user name '%s'; expected 1 to 64 bytes of text without control characters "
                     "or spaces at either end", name ? name : "");
    return ok ? 0 : -1;
}

static int check_password(const char *pw, hc_diags *d)
{
    size_t n = pw ? strlen(pw) : 0, chars = 0;
    for (size_t i = 0; i < n; i++) chars += ((unsigned char)pw[i] & 0xC0) != 0x80;
    if (pw == NULL || !hc_utf8_valid(pw, n) || chars < PASSWORD_MIN_CHARS || n > PASSWORD_MAX_BYTES) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "the password; expected %d to %d characters of text",
                     PASSWORD_MIN_CHARS, PASSWORD_MAX_BYTES);
        return -1;
    }
    return 0;
}

/* The role and where it reaches: a squad for the bureau's staff below the
   admin, own sites (each in the register) for an enterprise. */
static int check_scope(hc_store *s, const hc_user_spec *u, hc_diags *d)
{
    int role = hc_vocab_find(HC_VOCAB_ROLE, u->role ? u->role : "");
    if (role < 0) {
        char expected[96];
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "role '%s'; expected %s", u->role ? u->role : "",
                     hc_vocab_expected(HC_VOCAB_ROLE, expected, sizeof expected));
        return -1;
    }
    int staff = role == HC_ROLE_LEADER || role == HC_ROLE_INSPECTOR;
    if (staff && (u->squad == NULL || *u->squad == '\0')) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "a %s sees the sites of a squad; expected the squad",
                     hc_vocab_text(HC_VOCAB_ROLE, u->role));
        return -1;
    }
    if (role == HC_ROLE_ENTERPRISE && u->nsites == 0) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "an enterprise user sees only its own sites; expected "
                                              "at least one site id");
        return -1;
    }
    if (role != HC_ROLE_ENTERPRISE && u->nsites) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "only an enterprise user has sites of its own");
        return -1;
    }
    for (size_t i = 0; i < u->nsites; i++) {
        hc_stmt *st = hc_store_stmt(s, "SELECT 1 FROM sites WHERE id = ?", d);
        if (st == NULL) return -1;
        hc_sql_bind_text(st, 1, u->sites[i]);
        int got = hc_store_row(s, st, d);
        hc_sql_reset(st);
        if (got < 0) return -1;
        if (got == 0) {
            hc_diags_add(d, HC_ERROR, NULL, 0, 0,
                         "site '%s' is not in the register; register the site first", u->sites[i]);
            return -1;
        }
    }
    return 0;
}

static void json_texts(hc_buf *b, const char *const *v, size_t n)
{
    hc_buf_putc(b, '[');
    for (size_t i = 0; i < n; i++) {
        if (i) hc_buf_putc(b, ',');
        hc_json_quote(b, v[i], strlen(v[i]));
    }
    hc_buf_putc(b, ']');
}

int hc_store_user_add(hc_store *s, const hc_user_spec *u, const char *password, hc_diags *d)
{
    if (check_name(u->name, d) || check_password(password, d)) return -1;
    char hash[HC_PASSWORD_HASH_MAX];
    if (hc_password_hash(password, hash) != 0) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "could not hash the password (out of memory?)");
        return -1;
    }
    if (hc_store_begin(s, d)) return -1;
    hc_buf sites = {0}, data = {0};
    int rc = -1;
    if (check_scope(s, u, d)) goto out;
    hc_stmt *st = hc_store_stmt(s, "SELECT 1 FROM users WHERE name = ?", d);
    if (st == NULL) goto out;
    hc_sql_bind_text(st, 1, u->name);
    int got = hc_store_row(s, st, d);
    hc_sql_reset(st);
    if (got != 0) {
        if (got > 0) hc_diags_add(d, HC_ERROR, NULL, 0, 0, "user '%s' exists already", u->name);
        goto out;
    }
    json_texts(&sites, u->sites, u->nsites);
    char now[21];
    hc_time_now_utc(now);
    st = hc_store_stmt(s, "INSERT INTO users (name, role, squad, sites, password, created_at,"
                          " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)", d);
    if (st == NULL) goto out;
    const char *squad = u->squad && *u->squad ? u->squad : NULL;
    const char *v[] = {u->name, u->role, squad, sites.data, hash, now};
    for (int i = 0; i < 6; i++) hc_sql_bind_text(st, i + 1, v[i]);
    if (hc_sql_step(st) != HC_SQL_DONE) {
        hc_store_error(s, d, "adding the user");
        goto out;
    }
    /* the event says who may do what; never the password's hash */
    hc_buf_puts(&data, "{\"role\":");
    hc_json_quote(&data, u->role, strlen(u->role));
    hc_buf_puts(&data, ",\"squad\":");
    if (squad) hc_json_quote(&data, squad, strlen(squad));
    else hc_buf_puts(&data, "null");
    hc_buf_printf(&data, ",\"sites\":%s}", sites.data);
    hc_store_touch(s, HC_ROWS_USERS, u->name);
    if (hc_store_event(s, "user.add", u->name, NULL, NULL, data.data, d) == 0) rc = hc_store_commit(s, d);
out:
    if (rc) hc_store_rollback(s);
    hc_buf_free(&sites);
    hc_buf_free(&data);
    return rc;
}

/* Every session of 'name' ends (a new password, a disabled account). */
static int end_sessions(hc_store *s, const char *name, hc_diags *d)
{
    hc_stmt *st = hc_store_stmt(s, "DELETE FROM sessions WHERE \"user\" = ?", d);
    if (st == NULL) return -1;
    hc_sql_bind_text(st, 1, name);
    return hc_sql_step(st) == HC_SQL_DONE ? 0 : hc_store_error(s, d, "ending the user's sessions");
}

/* One change to an existing, enabled account: 'sql' with ?1 the name and ?2
   the time (and ?3 'extra'), its sessions ended, event 'kind' logged. */
static int change_user(hc_store *s, const char *name, const char *sql, const char *extra,
                       const char *kind, hc_diags *d)
{
    if (hc_store_begin(s, d)) return -1;
    int rc = -1;
    hc_stmt *st = hc_store_stmt(s, "SELECT disabled_at FROM users WHERE name = ?", d);
    if (st == NULL) goto out;
    hc_sql_bind_text(st, 1, name);
    int got = hc_store_row(s, st, d);
    int disabled = got == 1 && !hc_sql_is_null(st, 0);
    hc_sql_reset(st);
    if (got <= 0) {
        if (got == 0) hc_diags_add(d, HC_ERROR, NULL, 0, 0, "no user '%s'", name);
        goto out;
    }
    if (disabled) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "user '%s' is disabled", name);
        goto out;
    }
    char now[21];
    hc_time_now_utc(now);
    st = hc_store_stmt(s, sql, d);
    if (st == NULL) goto out;
    hc_sql_bind_text(st, 1, name);
    hc_sql_bind_text(st, 2, now);
    if (extra) hc_sql_bind_text(st, 3, extra);
    if (hc_sql_step(st) != HC_SQL_DONE) {
        hc_store_error(s, d, "changing the user");
        goto out;
    }
    hc_store_touch(s, HC_ROWS_USERS, name);
    if (end_sessions(s, name, d) == 0 && hc_store_event(s, kind, name, NULL, NULL, NULL, d) == 0)
        rc = hc_store_commit(s, d);
out:
    if (rc) hc_store_rollback(s);
    return rc;
}

int hc_store_user_passwd(hc_store *s, const char *name, const char *password, hc_diags *d)
{
    if (check_password(password, d)) return -1;
    char hash[HC_PASSWORD_HASH_MAX];
    if (hc_password_hash(password, hash) != 0) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "could not hash the password (out of memory?)");
        return -1;
    }
    return change_user(s, name, "UPDATE users SET password = ?3, updated_at = ?2 WHERE name = ?1",
                       hash, "user.passwd", d);
}

int hc_store_user_disable(hc_store *s, const char *name, hc_diags *d)
{
    return change_user(s, name, "UPDATE users SET disabled_at = ?2, updated_at = ?2 WHERE name = ?1",
                       NULL, "user.disable", d);
}

hc_doc *hc_store_users(hc_store *s, hc_diags *d)
{
    hc_stmt *st = hc_store_stmt(s, "SELECT name, role, squad, sites, disabled_at, created_at"
                                        " FROM users ORDER BY name", d);
    if (st == NULL) return NULL;
    hc_doc *doc = hc_doc_new("users");
    hc_node *list = hc_add_seq(doc, (hc_node *)hc_doc_root(doc), "users");
    if (hc_store_add_rows(s, st, doc, list, "sssjss", d) < 0) hc_doc_free(&doc);
    hc_sql_reset(st);
    return doc;
}

/* ------------------------------------------------------------ sessions */

void hc_session_free(hc_session *u)
{
    if (u == NULL) return;
    free(u->user);
    free(u->squad);
    for (size_t i = 0; i < u->nsites; i++) free(u->sites[i]);
    free(u->sites);
    memset(u, 0, sizeof *u);
}

/* The signed-in user's name, role, squad and sites from the account row. */
static int load_user(hc_store *s, const char *name, hc_session *out, int *disabled, char *hash,
                     hc_diags *d)
{
    hc_stmt *st = hc_store_stmt(s, "SELECT role, squad, sites, disabled_at, password FROM users"
                                        " WHERE name = ?", d);
    if (st == NULL) return -1;
    hc_sql_bind_text(st, 1, name);
    int got = hc_store_row(s, st, d);
    if (got == 1) {
        out->user = hc_xstrdup(name);
        int role = hc_vocab_find(HC_VOCAB_ROLE, hc_sql_text(st, 0));
        out->role = role < 0 ? HC_ROLE_ENTERPRISE : (hc_role)role;
        const char *squad = hc_sql_text(st, 1);
        out->squad = squad ? hc_xstrdup(squad) : NULL;
        *disabled = !hc_sql_is_null(st, 3);
        if (hash) snprintf(hash, HC_PASSWORD_HASH_MAX, "%s", hc_sql_text(st, 4));
        /* sites: the JSON list this module wrote */
        const char *json = hc_sql_text(st, 2);
        hc_reader *r = hc_reader_open_mem("sites", json, strlen(json), NULL, NULL);
        hc_doc *doc = NULL;
        if (r && hc_reader_next(r, &doc, NULL) == 1) {
            const hc_node *seq = hc_doc_root(doc);
            for (size_t i = 0; seq->kind == HC_SEQ && i < seq->len; i++) {
                out->sites = hc_xrealloc(out->sites, (out->nsites + 1) * sizeof *out->sites);
                out->sites[out->nsites++] = hc_xstrdup(seq->kids[i]->str);
            }
        }
        hc_doc_free(&doc);
        hc_reader_close(&r);
        if (role < 0) got = 0;                 /* a role we do not know signs nobody in */
    }
    hc_sql_reset(st);
    return got;
}

/* Failures of 'key' in the window now: its count, 0 when none or expired. */
static int failures(hc_store *s, const char *key, long long now, long long *count, hc_diags *d)
{
    hc_stmt *st = hc_store_stmt(s, "SELECT count, since FROM sign_in_failures WHERE key = ?", d);
    if (st == NULL) return -1;
    hc_sql_bind_text(st, 1, key);
    int got = hc_store_row(s, st, d);
    *count = got == 1 && hc_sql_int(st, 1) > now - THROTTLE_SECONDS
                 ? hc_sql_int(st, 0) : 0;
    hc_sql_reset(st);
    return got < 0 ? -1 : 0;
}

static int count_failure(hc_store *s, const char *key, long long now, hc_diags *d)
{
    hc_stmt *st = hc_store_stmt(
        s, "INSERT INTO sign_in_failures (key, count, since) VALUES (?1, 1, ?2)"
           " ON CONFLICT (key) DO UPDATE SET"
           " count = CASE WHEN sign_in_failures.since > ?2 - ?3 THEN sign_in_failures.count + 1 ELSE 1 END,"
           " since = CASE WHEN sign_in_failures.since > ?2 - ?3 THEN sign_in_failures.since ELSE ?2 END", d);
    if (st == NULL) return -1;
    hc_sql_bind_text(st, 1, key);
    hc_sql_bind_int(st, 2, now);
    hc_sql_bind_int(st, 3, THROTTLE_SECONDS);
    return hc_sql_step(st) == HC_SQL_DONE ? 0 : hc_store_error(s, d, "counting a failed sign-in");
}

static int forget_failures(hc_store *s, const char *key, hc_diags *d)
{
    hc_stmt *st = hc_store_stmt(s, "DELETE FROM sign_in_failures WHERE key = ?", d);
    if (st == NULL) return -1;
    hc_sql_bind_text(st, 1, key);
    return hc_sql_step(st) == HC_SQL_DONE ? 0 : hc_store_error(s, d, "clearing failed sign-ins");
}

int hc_store_sign_in(hc_store *s, const char *name, const char *password, const char *address,
                     hc_session *out, hc_diags *d)
{
    memset(out, 0, sizeof *out);
    long long now = now_seconds(s), by_name = 0, by_addr = 0;
    hc_buf kn = {0}, ka = {0};
    hc_buf_printf(&kn, "user:%s", name ? name : "");
    hc_buf_printf(&ka, "addr:%s", address ? address : "");
    int result = -1;
    if (hc_store_begin(s, d)) goto done;
    if (failures(s, kn.data, now, &by_name, d) || failures(s, ka.data, now, &by_addr, d)) goto fail;
    if (by_name >= MAX_FAILURES || by_addr >= MAX_FAILURES) {
        hc_password_burn(password ? password : "");      /* throttled answers take as long */
        result = HC_SIGN_IN_THROTTLED;
        hc_store_rollback(s);
        goto done;
    }
    int disabled = 0;
    char hash[HC_PASSWORD_HASH_MAX] = "";
    int got = name && password ? load_user(s, name, out, &disabled, hash, d) : 0;
    if (got < 0) goto fail;
    int ok = 0;
    if (got == 1) ok = hc_password_check(hash, password) == 1 && !disabled;
    else hc_password_burn(password ? password : "");
    if (!ok) {
        hc_session_free(out);
        if (count_failure(s, kn.data, now, d) || count_failure(s, ka.data, now, d)) goto fail;
        result = hc_store_commit(s, d) == 0 ? HC_SIGN_IN_REFUSED : -1;
        goto done;
    }
    if (hc_token_new(out->token) || hc_token_new(out->csrf)) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "no secure randomness for a session token");
        goto fail;
    }
    char token_hash[65];
    hc_token_hash(out->token, token_hash);
    hc_stmt *st = hc_store_stmt(s, "INSERT INTO sessions (token_hash, \"user\", csrf, created, seen,"
                                        " address) VALUES (?1, ?2, ?3, ?4, ?4, ?5)", d);
    if (st == NULL) goto fail;
    hc_sql_bind_text(st, 1, token_hash);
    hc_sql_bind_text(st, 2, name);
    hc_sql_bind_text(st, 3, out->csrf);
    hc_sql_bind_int(st, 4, now);
    hc_sql_bind_text(st, 5, address);
    if (hc_sql_step(st) != HC_SQL_DONE) {
        hc_store_error(s, d, "starting the session");
        goto fail;
    }
    if (forget_failures(s, kn.data, d) || hc_store_commit(s, d)) goto fail;
    result = HC_SIGN_IN_OK;
    goto done;
fail:
    hc_store_rollback(s);
    hc_session_free(out);
done:
    hc_buf_free(&kn);
    hc_buf_free(&ka);
    return result;
}

int hc_store_session(hc_store *s, const char *token, hc_session *out, hc_diags *d)
{
    memset(out, 0, sizeof *out);
    if (token == NULL || strlen(token) != 64) return 0;
    char token_hash[65];
    hc_token_hash(token, token_hash);
    long long now = now_seconds(s);
    hc_stmt *st = hc_store_stmt(s, "SELECT \"user\", csrf, created, seen FROM sessions"
                                        " WHERE token_hash = ?", d);
    if (st == NULL) return -1;
    hc_sql_bind_text(st, 1, token_hash);
    int got = hc_store_row(s, st, d);
    if (got <= 0) {
        hc_sql_reset(st);
        return got;
    }
    char *user = hc_xstrdup(hc_sql_text(st, 0));
    snprintf(out->csrf, sizeof out->csrf, "%s", hc_sql_text(st, 1));
    long long created = hc_sql_int(st, 2), seen = hc_sql_int(st, 3);
    hc_sql_reset(st);
    int disabled = 0, live = now - seen < IDLE_SECONDS && now - created < ABSOLUTE_SECONDS;
    got = live ? load_user(s, user, out, &disabled, NULL, d) : 0;
    int rc = got < 0 ? -1 : got == 1 && !disabled;
    /* a live session is seen now; a dead one is gone. "Now" to the minute: a
       page read then writes nothing (and never waits for a writer) more than
       once a minute, and the idle limit of two hours is kept to a minute. */
    if (rc == 1 && now - seen < SEEN_STEP_SECONDS) {
        free(user);
        return 1;
    }
    st = hc_store_stmt(s, rc == 1 ? "UPDATE sessions SET seen = ?2 WHERE token_hash = ?1"
                                  : "DELETE FROM sessions WHERE token_hash = ?1", d);
    if (st && rc >= 0) {
        hc_sql_bind_text(st, 1, token_hash);
        if (rc == 1) hc_sql_bind_int(st, 2, now);
        if (hc_sql_step(st) != HC_SQL_DONE) rc = hc_store_error(s, d, "updating the session");
    }
    free(user);
    if (rc != 1) hc_session_free(out);
    return rc;
}

int hc_store_sign_out(hc_store *s, const char *token, hc_diags *d)
{
    if (token == NULL) return 0;
    char token_hash[65];
    hc_token_hash(token, token_hash);
    hc_stmt *st = hc_store_stmt(s, "DELETE FROM sessions WHERE token_hash = ?", d);
    if (st == NULL) return -1;
    hc_sql_bind_text(st, 1, token_hash);
    return hc_sql_step(st) == HC_SQL_DONE ? 0 : hc_store_error(s, d, "ending the session");
}
