/*
** secret.c: passwords and session tokens, through libsodium.
**
** Passwords are stored as Argon2id strings (crypto_pwhash_str: the salt and
** the cost travel inside the string, so a later raise of the cost leaves old
** hashes readable). The cost is libsodium's "interactive" one: a sign-in on
** this 2-core machine must stay well under a second.
**
** A session token is 32 random bytes (256 bits) sent to the browser as hex;
** the server keeps only its SHA-256, so a copy of the database holds no
** usable token. A fast hash is enough for a secret with 256 bits of entropy,
** unlike a password, which a person chose.
*/
#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "base/base.h"

_Static_assert(HC_PASSWORD_HASH_MAX == crypto_pwhash_STRBYTES, "the stored hash's size");

int hc_secret_init(void)
{
    /* thread-safe and idempotent; 1 means "already initialised" */
    return sodium_init() < 0 ? -1 : 0;
}

int hc_password_hash(const char *password, char out[HC_PASSWORD_HASH_MAX])
{
    if (hc_secret_init() != 0) return -1;
    return crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0
               ? 0
               : -1;
}

int hc_password_check(const char *hash, const char *password)
{
    if (hc_secret_init() != 0 || hash == NULL) return -1;
    /* a string that is not a hash of ours never matches */
    if (strlen(hash) >= HC_PASSWORD_HASH_MAX) return 0;
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

static char dummy_hash[HC_PASSWORD_HASH_MAX];
static int dummy_ready;
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
    dummy_ready = hc_password_hash("hazcheck: no such user", dummy_hash) == 0;
}

void hc_password_burn(const char *password)
{
    /* the same work as a real check, for a user who does not exist, so the
       time of a refusal does not tell whether the name is known */
    pthread_once(&dummy_once, make_dummy);
    if (dummy_ready) (void)hc_password_check(dummy_hash, password);
}

int hc_token_new(char out[65])
{
    if (hc_secret_init() != 0) return -1;
    unsigned char b[32];
    randombytes_buf(b, sizeof b);
    sodium_bin2hex(out, 65, b, sizeof b);
    sodium_memzero(b, sizeof b);
    return 0;
}

void hc_token_hash(const char *token, char out[65])
{
    hc_sha256_hex(token, strlen(token), out);
}

int hc_secret_equal(const char *a, const char *b)
{
    size_t n = strlen(a);
    return n == strlen(b) && sodium_memcmp(a, b, n) == 0;
}
