/*
** hash.c: SHA-256 as hex, through nettle.
*/
#include <stdint.h>

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

