/*
** testutil.h: what every unit test needs: cmocka (with its four
** pre-includes), and small helpers that build inputs from strings.
*/
#ifndef HC_TESTUTIL_H
#define HC_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hazcheck.h"
#include "base/base.h"

/* Write text to a fresh temporary file; returns its path (static buffer per slot). */
static inline const char *tu_write(const char *name, const char *text)
{
    static char paths[8][256];
    static int slot;
    char *p = paths[slot++ % 8];
    const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(p, 256, "%s/hc-test-%d-%s", dir, (int)getpid(), name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    fwrite(text, 1, strlen(text), f);
    fclose(f);
    return p;
}

/* 1 if some diagnostic's message contains 'needle'. */
static inline int tu_has_diag(const hc_diags *d, const char *needle)
{
    for (size_t i = 0; i < d->n; i++)
        if (strstr(d->v[i].msg, needle)) return 1;
    return 0;
}

/* The diagnostic containing 'needle', or NULL. */
static inline const hc_diag *tu_find_diag(const hc_diags *d, const char *needle)
{
    for (size_t i = 0; i < d->n; i++)
        if (strstr(d->v[i].msg, needle)) return &d->v[i];
    return NULL;
}

static inline void tu_dump(hc_diags *d)
{
    for (size_t i = 0; i < d->n; i++)
        fprintf(stderr, "  diag %u:%u %s\n", d->v[i].line, d->v[i].col, d->v[i].msg);
}

/* An engine over the packs in 'pack_dir' and the modules in 'rule_dir'. */
static inline hc_engine *tu_engine_at(const char *pack_dir, const char *rule_dir,
                                      const hc_limits *lim)
{
    const char *packs[] = {pack_dir};
    const char *rules[] = {rule_dir};
    hc_engine_config cfg = {0};
    cfg.pack_dirs = packs;
    cfg.npack_dirs = 1;
    cfg.rule_dirs = rules;
    cfg.nrule_dirs = 1;
    if (lim) cfg.limits = *lim;
    else hc_limits_default(&cfg.limits);
    hc_diags d = {0};
    hc_engine *e = hc_engine_new(&cfg, &d);
    hc_diags_clear(&d);
    assert_non_null(e);
    return e;
}

/* An engine over tests/data (packs) and tests/data/rules (modules). */
static inline hc_engine *tu_engine(const hc_limits *lim)
{
    return tu_engine_at("tests/data/packs", "tests/data/rules", lim);
}

/* An inspection given as YAML text, loaded and evaluated with engine 'e'. */
typedef struct tu_evaluated {
    hc_inspection *in;
    hc_result *r;
} tu_evaluated;

static inline tu_evaluated tu_eval(hc_engine *e, const char *text)
{
    hc_diags d = {0};
    hc_reader *rd = hc_reader_open_mem("i.yaml", text, strlen(text), NULL, &d);
    hc_doc *doc;
    assert_int_equal(hc_reader_next(rd, &doc, &d), 1);
    hc_reader_close(&rd);
    tu_evaluated v;
    v.in = hc_inspection_load(e, doc, &d);
    if (v.in == NULL) tu_dump(&d);
    assert_non_null(v.in);
    v.r = hc_evaluate(e, v.in);
    assert_non_null(v.r);
    hc_diags_clear(&d);
    return v;
}

static inline void tu_done(tu_evaluated v)
{
    hc_result_free(&v.r);
    hc_inspection_free(&v.in);
}

#endif
