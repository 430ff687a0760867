/*
** test_users.c: accounts and sessions (store/users.c): what an account must
** be; a password kept only as Argon2id and never in the log; a session token
** kept only as its SHA-256, new at every sign-in, dead at sign-out, after
** idling, after a working day, and when the password changes or the account
** is disabled; unknown names and wrong passwords answered alike; failures
** throttled per name and per address; the audit covers the accounts.
*/
#include "testdb.h"

static char dbpath[256];

static hc_store *fresh(const char *name)
{
    hc_store *s = tu_db_fresh(dbpath, "users", name);
    s->clock = 1800000000;                       /* sessions run on this clock */
    return s;
}

static void put_site(hc_store *s, const char *id)
{
    char yaml[128];
    snprintf(yaml, sizeof yaml, "{id: %s, name: 某厂}", id);
    hc_diags d = {0};
    hc_reader *r = hc_reader_open_mem("site", yaml, strlen(yaml), NULL, &d);
    hc_doc *doc;
    assert_int_equal(hc_reader_next(r, &doc, &d), 1);
    hc_reader_close(&r);
    assert_true(hc_store_site_put(s, hc_doc_root(doc), &d) >= 0);
    hc_doc_free(&doc);
    hc_diags_clear(&d);
}

static void refused(hc_store *s, const hc_user_spec *u, const char *pw, const char *why)
{
    hc_diags d = {0};
    assert_int_equal(hc_store_user_add(s, u, pw, &d), -1);
    if (!tu_has_diag(&d, why)) tu_dump(&d);
    assert_true(tu_has_diag(&d, why));
    hc_diags_clear(&d);
}

static void test_accounts(void **state)
{
    (void)state;
    hc_store *s = fresh("acc");
    put_site(s, "370181-0042");
    const char *mine[] = {"370181-0042"}, *nowhere[] = {"370181-9999"};
    refused(s, &(hc_user_spec){"", "admin", NULL, NULL, 0}, "long enough pw", "user name");
    refused(s, &(hc_user_spec){"a\tb", "admin", NULL, NULL, 0}, "long enough pw", "user name");
    refused(s, &(hc_user_spec){"局", "admin", NULL, NULL, 0}, "short", "8 to 256 characters");
    refused(s, &(hc_user_spec){"局", "boss", NULL, NULL, 0}, "long enough pw", "role 'boss'");
    refused(s, &(hc_user_spec){"王芳", "inspector", NULL, NULL, 0}, "long enough pw", "expected the squad");
    refused(s, &(hc_user_spec){"某厂", "enterprise", NULL, NULL, 0}, "long enough pw", "own sites");
    refused(s, &(hc_user_spec){"某厂", "enterprise", NULL, nowhere, 1}, "long enough pw", "not in the register");
    refused(s, &(hc_user_spec){"王芳", "inspector", "一中队", mine, 1}, "long enough pw", "only an enterprise");
    assert_int_equal(tu_count(s, "SELECT count(*) FROM users"), 0);
    hc_diags d = {0};
    /* eight characters, counted as characters: 八个汉字的口令也行 */
    assert_int_equal(hc_store_user_add(s, &(hc_user_spec){"王芳", "inspector", "一中队", NULL, 0},
                                       "安全生产人人有责", &d), 0);
    assert_int_equal(hc_store_user_add(s, &(hc_user_spec){"某厂", "enterprise", NULL, mine, 1},
                                       "correct horse", &d), 0);
    if (d.errors) tu_dump(&d);
    refused(s, &(hc_user_spec){"王芳", "leader", "二中队", NULL, 0}, "long enough pw", "exists already");
    tu_text_is(s, "SELECT substr(password, 1, 10) FROM users WHERE name = '王芳'", "$argon2id$");
    /* the log says who may do what, never the hash */
    tu_text_is(s, "SELECT data FROM events WHERE kind = 'user.add' AND subject = '某厂'",
               "{\"role\":\"enterprise\",\"squad\":null,\"sites\":[\"370181-0042\"]}");
    assert_int_equal(tu_count(s, "SELECT count(*) FROM events WHERE data LIKE '%argon2%'"), 0);
    hc_doc *list = hc_store_users(s, &d);
    assert_non_null(list);
    hc_buf b = {0};
    hc_node_serialize(hc_doc_root(list), &b);
    assert_null(strstr(b.data, "argon2"));
    assert_non_null(strstr(b.data, "一中队"));
    hc_buf_free(&b);
    hc_doc_free(&list);
    assert_int_equal(hc_store_audit(s, NULL, &d), 0);
    /* a role raised in the sqlite3 shell is caught */
    tu_exec(s, "UPDATE users SET role = 'admin' WHERE name = '某厂'");
    assert_int_equal(hc_store_audit(s, NULL, &d), 1);
    assert_true(tu_has_diag(&d, "user '某厂' is not what event"));
    hc_diags_clear(&d);
    hc_store_close(&s);
    tu_db_remove(dbpath);
}

static void test_sessions(void **state)
{
    (void)state;
    hc_store *s = fresh("ses");
    put_site(s, "370181-0042");
    const char *mine[] = {"370181-0042"};
    hc_diags d = {0};
    assert_int_equal(hc_store_user_add(s, &(hc_user_spec){"某厂", "enterprise", NULL, mine, 1},
                                       "correct horse", &d), 0);
    hc_session a, b, u;
    assert_int_equal(hc_store_sign_in(s, "某厂", "correct horse", "10.0.0.1", &a, &d), HC_SIGN_IN_OK);
    assert_int_equal(strlen(a.token), 64);
    assert_int_equal(strlen(a.csrf), 64);
    assert_string_equal(a.user, "某厂");
    assert_int_equal(a.role, HC_ROLE_ENTERPRISE);
    assert_int_equal(a.nsites, 1);
    assert_string_equal(a.sites[0], "370181-0042");
    /* the database keeps the token's hash only */
    assert_int_equal(tu_count(s, "SELECT count(*) FROM sessions"), 1);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM sessions WHERE token_hash = '%s'", a.token);
    assert_int_equal(tu_count(s, sql), 0);
    /* a second sign-in gets a new token; both work */
    assert_int_equal(hc_store_sign_in(s, "某厂", "correct horse", "10.0.0.2", &b, &d), HC_SIGN_IN_OK);
    assert_string_not_equal(a.token, b.token);
    assert_int_equal(hc_store_session(s, a.token, &u, &d), 1);
    assert_string_equal(u.csrf, a.csrf);
    hc_session_free(&u);
    /* sign-out kills the one session */
    assert_int_equal(hc_store_sign_out(s, a.token, &d), 0);
    assert_int_equal(hc_store_session(s, a.token, &u, &d), 0);
    assert_int_equal(hc_store_session(s, b.token, &u, &d), 1);
    hc_session_free(&u);
    /* idle for more than two hours: dead, and gone from the table */
    s->clock += 2 * 3600 + 1;
    assert_int_equal(hc_store_session(s, b.token, &u, &d), 0);
    assert_int_equal(tu_count(s, "SELECT count(*) FROM sessions"), 0);
    hc_session_free(&a);
    hc_session_free(&b);
    /* used every hour, it still ends after twelve */
    assert_int_equal(hc_store_sign_in(s, "某厂", "correct horse", "10.0.0.1", &a, &d), HC_SIGN_IN_OK);
    int alive = 0;
    for (int h = 1; h <= 13; h++) {
        s->clock += 3600;
        alive += hc_store_session(s, a.token, &u, &d) == 1;
        hc_session_free(&u);
    }
    assert_int_equal(alive, 11);
    hc_session_free(&a);
    /* its last use is written at most once a minute: a page read writes nothing */
    assert_int_equal(hc_store_sign_in(s, "某厂", "correct horse", "10.0.0.1", &a, &d), HC_SIGN_IN_OK);
    long long signed_in = s->clock;
    s->clock += 30;
    assert_int_equal(hc_store_session(s, a.token, &u, &d), 1);
    hc_session_free(&u);
    assert_int_equal(tu_count(s, "SELECT max(seen) FROM sessions"), signed_in);
    s->clock += 60;
    assert_int_equal(hc_store_session(s, a.token, &u, &d), 1);
    hc_session_free(&u);
    assert_int_equal(tu_count(s, "SELECT max(seen) FROM sessions"), signed_in + 90);
    hc_session_free(&a);
    /* a new password ends every session, and the old one no longer signs in */
    assert_int_equal(hc_store_sign_in(s, "某厂", "correct horse", "10.0.0.1", &a, &d), HC_SIGN_IN_OK);
    assert_int_equal(hc_store_user_passwd(s, "某厂", "battery staple", &d), 0);
    assert_int_equal(hc_store_session(s, a.token, &u, &d), 0);
    assert_int_equal(hc_store_sign_in(s, "某厂", "correct horse", "10.0.0.1", &b, &d), HC_SIGN_IN_REFUSED);
    hc_session_free(&a);
    assert_int_equal(hc_store_sign_in(s, "某厂", "battery staple", "10.0.0.1", &a, &d), HC_SIGN_IN_OK);
    /* disabled: its sessions end and it signs in no more, answered as a wrong password */
    assert_int_equal(hc_store_user_disable(s, "某厂", &d), 0);
    assert_int_equal(hc_store_session(s, a.token, &u, &d), 0);
    assert_int_equal(hc_store_sign_in(s, "某厂", "battery staple", "10.0.0.3", &b, &d), HC_SIGN_IN_REFUSED);
    assert_int_equal(hc_store_user_disable(s, "某厂", &d), -1);
    assert_true(tu_has_diag(&d, "is disabled"));
    hc_session_free(&a);
    char *kinds = tu_joined(s, "kind", " ", "events WHERE subject = '某厂'", "seq");
    assert_string_equal(kinds, "user.add user.passwd user.disable");
    free(kinds);
    /* a garbage token is no session */
    assert_int_equal(hc_store_session(s, "abc", &u, &d), 0);
    assert_int_equal(hc_store_session(s, NULL, &u, &d), 0);
    hc_diags_clear(&d);
    assert_int_equal(hc_store_audit(s, NULL, &d), 0);
    hc_store_close(&s);
    tu_db_remove(dbpath);
}

static void test_throttling(void **state)
{
    (void)state;
    hc_store *s = fresh("thr");
    hc_diags d = {0};
    assert_int_equal(hc_store_user_add(s, &(hc_user_spec){"局", "admin", NULL, NULL, 0}, "correct horse", &d), 0);
    assert_int_equal(hc_store_user_add(s, &(hc_user_spec){"王芳", "inspector", "一中队", NULL, 0},
                                       "correct horse", &d), 0);
    hc_session u;
    /* an unknown name and a wrong password: the same answer */
    assert_int_equal(hc_store_sign_in(s, "nobody", "correct horse", "10.0.0.9", &u, &d), HC_SIGN_IN_REFUSED);
    for (int i = 0; i < 4; i++)
        assert_int_equal(hc_store_sign_in(s, "局", "wrong guess", "10.0.0.1", &u, &d), HC_SIGN_IN_REFUSED);
    /* five failures for 局: even the right password waits, from any address */
    assert_int_equal(hc_store_sign_in(s, "局", "wrong guess", "10.0.0.2", &u, &d), HC_SIGN_IN_REFUSED);
    assert_int_equal(hc_store_sign_in(s, "局", "correct horse", "10.0.0.3", &u, &d), HC_SIGN_IN_THROTTLED);
    /* 10.0.0.1 failed four times; one more, with another name, and it waits too */
    assert_int_equal(hc_store_sign_in(s, "王芳", "wrong guess", "10.0.0.1", &u, &d), HC_SIGN_IN_REFUSED);
    assert_int_equal(hc_store_sign_in(s, "王芳", "correct horse", "10.0.0.1", &u, &d), HC_SIGN_IN_THROTTLED);
    /* ... while 王芳 from elsewhere is fine */
    assert_int_equal(hc_store_sign_in(s, "王芳", "correct horse", "10.0.0.4", &u, &d), HC_SIGN_IN_OK);
    hc_session_free(&u);
    /* after the window, 局 signs in again */
    s->clock += 15 * 60 + 1;
    assert_int_equal(hc_store_sign_in(s, "局", "correct horse", "10.0.0.1", &u, &d), HC_SIGN_IN_OK);
    assert_int_equal(u.role, HC_ROLE_ADMIN);
    hc_session_free(&u);
    if (d.errors) tu_dump(&d);
    assert_int_equal(d.errors, 0);
    hc_store_close(&s);
    tu_db_remove(dbpath);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accounts),
        cmocka_unit_test(test_sessions),
        cmocka_unit_test(test_throttling),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
