/* fuzz_import.c: `import` of an export bundle into a fresh database. The
   bundle is sealed again before the import (its digest made to agree), so the
   fuzzer reaches the checks behind the digest: the chain, the records, the
   merge. The digest check itself is the unit tests'. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base.h"
#include "hazcheck_store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The start of the last line that opens an end record, or NULL. */
static uint8_t *end_line(uint8_t *b, size_t n)
{
    static const char END[] = "{\"type\":\"end\"";
    uint8_t *last = NULL;
    for (size_t i = 0; i + sizeof END - 1 <= n; i++)
        if ((i == 0 || b[i - 1] == '\n') && memcmp(b + i, END, sizeof END - 1) == 0) last = b + i;
    return last;
}

static void reseal(uint8_t *b, size_t n)
{
    static const char KEY[] = "\"sha256\":\"";
    uint8_t *end = end_line(b, n);
    if (end == NULL) return;
    size_t rest = n - (size_t)(end - b);
    for (size_t i = 0; i + sizeof KEY - 1 + 64 <= rest; i++) {
        if (memcmp(end + i, KEY, sizeof KEY - 1) == 0) {
            char hex[65];
            hc_sha256_hex(b, (size_t)(end - b), hex);
            memcpy(end + i + sizeof KEY - 1, hex, 64);
            return;
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *copy = malloc(size ? size : 1);
    if (copy == NULL) return 0;
    memcpy(copy, data, size);
    reseal(copy, size);
    char path[64];
    snprintf(path, sizeof path, "/tmp/hc-fuzz-import-%d.bundle", (int)getpid());
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        free(copy);
        return 0;
    }
    fwrite(copy, 1, size, f);
    fclose(f);
    free(copy);
    hc_diags d = {0};
    hc_store *s = hc_store_open(":memory:", &d);
    if (s) {
        hc_store_set_actor(s, "fuzz");
        hc_store_import(s, path, NULL, &d);
        hc_store_audit(s, NULL, &d);
        hc_store_close(&s);
    }
    hc_diags_clear(&d);
    unlink(path);
    return 0;
}
