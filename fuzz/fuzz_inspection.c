/*
** fuzz_inspection.c: inspections and answers against a fixed checklist
** (tests/data/packs/mini.yaml, run from the repository's top folder):
** typing, evaluation in the sandbox, scoring and both outputs.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "hazcheck_report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static hc_engine *engine;
static FILE *sink;

static void cleanup(void)      /* so leak checkers see nothing held */
{
    hc_engine_free(&engine);
    if (sink) fclose(sink);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hc_diags d = {0};
    if (engine == NULL) {
        const char *packs[] = {"tests/data/packs"};
        const char *rules[] = {"tests/data/rules"};
        hc_engine_config cfg = {0};
        cfg.pack_dirs = packs;
        cfg.npack_dirs = 1;
        cfg.rule_dirs = rules;
        cfg.nrule_dirs = 1;
        hc_limits_default(&cfg.limits);
        cfg.limits.max_nodes = 100000;
        cfg.limits.lua_instructions = 200000;
        engine = hc_engine_new(&cfg, &d);
        hc_engine_add_sites(engine, "tests/data/site.yaml", &d);
        sink = fopen("/dev/null", "w");
        if (engine == NULL || sink == NULL) abort();
        atexit(cleanup);
    }
    hc_reader *r = hc_reader_open_mem("fuzz.yaml", (const char *)data, size, hc_engine_limits(engine), &d);
    hc_doc *doc;
    while (r && hc_reader_next(r, &doc, &d) == 1) {
        hc_inspection *in = hc_inspection_load(engine, doc, &d);
        if (in) {
            hc_result *res = hc_evaluate(engine, in);
            hc_write_json(sink, res, 0);
            hc_out_opts o = {1};
            hc_write_text(sink, res, &o);
            hc_result_free(&res);
            hc_inspection_free(&in);
        }
    }
    hc_reader_close(&r);
    hc_diags_clear(&d);
    return 0;
}
