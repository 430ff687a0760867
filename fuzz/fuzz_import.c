/* fuzz_import.c: `import` of an export bundle into a fresh database. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "hazcheck_store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/hc-fuzz-import-%d.bundle", (int)getpid());
    FILE *f = fopen(path, "wb");
    if (f == NULL) return 0;
    fwrite(data, 1, size, f);
    fclose(f);
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
