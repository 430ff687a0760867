/*
** rng.c: the seeded generator of the 双随机 draw (cli.md "Planning visits").
**
** Anyone must be able to re-run a draw from its seed, on any machine, in any
** language: so the generator is not rand() (its sequence differs between C
** libraries) but SHA-256 in counter mode, which a few lines of Python repeat:
**
**     block i  = SHA-256("hazcheck-draw/1|" + seed + "|" + str(i))   i = 0, 1, 2 ...
**     value i  = the block's first 8 bytes as a big-endian unsigned 64-bit number
**     below(n) = the next value v with v < 2^64 - (2^64 mod n), taken mod n
**                (values at or above that bound are skipped, so every result is
**                equally likely)
**
** Draws are made by partial Fisher-Yates over lists sorted by their bytes
** (store/plan.c), so the same inputs and seed give the same picks.
*/
#include <stdint.h>
#include <stdlib.h>

#include "base/base.h"

void hc_rng_init(hc_rng *g, const char *seed)
{
    snprintf(g->seed, sizeof g->seed, "%s", seed);
    g->counter = 0;
}

static uint64_t next_value(hc_rng *g)
{
    char in[sizeof g->seed + 48], hex[65];
    int n = snprintf(in, sizeof in, "hazcheck-draw/1|%s|%llu", g->seed, g->counter++);
    hc_sha256_hex(in, (size_t)n, hex);
    uint64_t v = 0;
    for (int i = 0; i < 16; i++) {
        char c = hex[i];
        v = v << 4 | (uint64_t)(c <= '9' ? c - '0' : c - 'a' + 10);
    }
    return v;
}

size_t hc_rng_below(hc_rng *g, size_t n)
{
    if (n <= 1) return 0;
    uint64_t limit = UINT64_MAX - (UINT64_MAX % n + 1) % n;   /* 2^64 - (2^64 mod n), less one */
    uint64_t v;
    do v = next_value(g);
    while (v > limit);
    return (size_t)(v % n);
}
