/* fuzz_checklist.c: the checklist loader and linter, Lua compilation included. */
#include <stdint.h>
#include <stdlib.h>

#include "engine/engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static hc_sandbox *sb;

static void cleanup(void) { hc_sandbox_free(&sb); }   /* so leak checkers see nothing held */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (sb == NULL) {
        hc_limits lim;
        hc_limits_default(&lim);
        lim.lua_memory = 32u << 20;
        sb = hc_sandbox_new(&lim, NULL, 0);
        atexit(cleanup);
    }
    hc_limits lim;
    hc_limits_default(&lim);
    lim.max_nodes = 100000;
    hc_diags d = {0};
    hc_checklist *c = hc_checklist_load_mem(sb, "fuzz.yaml", (const char *)data, size, &lim, 1, &d);
    hc_checklist_free(&c, sb);
    hc_diags_clear(&d);
    return 0;
}
