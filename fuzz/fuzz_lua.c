/*
** fuzz_lua.c: arbitrary Lua source as a rule in the sandbox, with small
** budgets: it may fail in any way it likes, but never escape, crash or hang.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/sandbox.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static hc_sandbox *sb;

static void cleanup(void) { hc_sandbox_free(&sb); }   /* so leak checkers see nothing held */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (sb == NULL) {
        hc_limits lim;
        hc_limits_default(&lim);
        lim.lua_instructions = 100000;
        lim.lua_memory = 16u << 20;
        lim.lua_millis = 500;
        const char *dirs[] = {"tests/data/rules"};
        sb = hc_sandbox_new(&lim, dirs, 1);
        if (sb == NULL) abort();
        atexit(cleanup);
    }
    int ref;
    hc_buf err = {0};
    unsigned line;
    if (hc_sandbox_compile(sb, (const char *)data, size, 0, "fuzz.yaml", 1, &ref, NULL, NULL, &err,
                           &line) == 0) {
        static hc_value fields[2] = {{.kind = HC_V_NUM, .u.num = 1.5}, {.kind = HC_V_STR, .len = 4, .u.s = "none"}};
        static const char *keys[] = {"x", "control"};
        static hc_value obs = {.kind = HC_V_MAP, .len = 2, .u.items = fields, .keys = keys};
        const hc_value *obsv[] = {&obs};
        const char *ids[] = {"A1"};
        hc_sb_context ctx = {NULL, "f", "2026-01-01", "self", NULL, "fuzz", 1, ids, obsv};
        if (hc_sandbox_begin(sb, &ctx, &err) == 0) {
            hc_outcome o = {0};
            hc_sandbox_run(sb, ref, 0, &o);
            hc_buf_free(&o.msg);
        }
        hc_sandbox_release(sb, ref);
    }
    hc_buf_free(&err);
    return 0;
}
