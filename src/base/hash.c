/*
** hash.c: SHA-256 as hex (and as base64, the form a Content-Security-Policy
** names a style by), through nettle.
*/
#include <stdint.h>

#include <nettle/base64.h>
#include <nettle/sha2.h>

#include "base/base.h"

/* nettle: a vetted implementation; a record used in court should not rest on
   a hand-written hash. */
void hc_sha256_init(hc_sha256 *h)
{
    sha256_init(h);
}

void hc_sha256_update(hc_sha256 *h, const void *data, size_t len)
{
    sha256_update(h, len, data);
}

void hc_sha256_final_hex(hc_sha256 *h, char out[65])
{
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_digest(h, sizeof digest, digest);
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < sizeof digest; i++) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 15];
    }
    out[64] = '\0';
}

void hc_sha256_hex(const void *data, size_t len, char out[65])
{
    hc_sha256 h;
    hc_sha256_init(&h);
    hc_sha256_update(&h, data, len);
    hc_sha256_final_hex(&h, out);
}


void hc_sha256_base64(const void *data, size_t len, char out[45])
{
    struct sha256_ctx h;
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_init(&h);
    sha256_update(&h, len, data);
    sha256_digest(&h, sizeof digest, digest);
    base64_encode_raw(out, sizeof digest, digest);
    out[44] = '\0';                  /* 32 bytes: 44 characters, the last '=' */
}
