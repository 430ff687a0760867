/*
** sandbox.h: one Lua 5.4 state in which every rule runs, reused across items
** and inspections, with instruction, memory and time budgets.
**
** The sandbox knows Lua and the document tree and typed values; it knows
** nothing of checklists. Callers compile code into references, begin an
** inspection (site, inspection facts, everyone's answers), then run
** references against one item's answers at a time.
*/
#ifndef HC_SANDBOX_H
#define HC_SANDBOX_H

#include "hazcheck.h"
#include "base/base.h"

typedef struct hc_sandbox hc_sandbox;

hc_sandbox *hc_sandbox_new(const hc_limits *lim, const char *const *rule_dirs,
                           size_t nrule_dirs);
void hc_sandbox_free(hc_sandbox **sb);

/*
** Compile Lua code that stands in 'path' from YAML line 'first_line' on.
** 'is_expr': the code is an expression (check, applies), else a chunk (rule).
** Lua line numbers equal the YAML file's lines. On success *ref names the
** function and *lines / *nlines (malloc'd, caller frees) its executable lines.
** On a syntax error returns -1, *errline is the YAML line, err the message.
*/
int hc_sandbox_compile(hc_sandbox *sb, const char *src, size_t len, int is_expr,
                       const char *path, unsigned first_line, int *ref,
                       int **lines, size_t *nlines, hc_buf *err, unsigned *errline);
void hc_sandbox_release(hc_sandbox *sb, int ref);

/* What the Lua code sees of one inspection. */
typedef struct hc_sb_context {
    const hc_node *site;              /* mapping, or NULL for {} */
    const char *id, *date, *kind, *inspector, *checklist;
    size_t nitems;
    const char *const *item_ids;
    const hc_value *const *obs;       /* per item: a MAP, or NULL for {} */
} hc_sb_context;

int hc_sandbox_begin(hc_sandbox *sb, const hc_sb_context *ctx, hc_buf *err);

typedef enum {
    HC_OUT_TRUE, HC_OUT_FALSE,        /* a plain value's truth */
    HC_OUT_NIL,                       /* returned nil */
    HC_OUT_PASS, HC_OUT_FAIL, HC_OUT_NA,   /* pass()/fail()/na() */
    HC_OUT_NOTHING,                   /* the code returned no value */
    HC_OUT_BAD,                       /* returned something else (msg says what) */
    HC_OUT_ERROR                      /* raised an error or broke a budget */
} hc_outcome_kind;

typedef struct hc_outcome {
    hc_outcome_kind kind;
    int has_msg;
    hc_buf msg;                       /* caller frees */
} hc_outcome;

/* Run compiled code with 'obs' set to item 'item' of the current inspection. */
void hc_sandbox_run(hc_sandbox *sb, int ref, size_t item, hc_outcome *out);

/* Time every run, by reference, while on (check --profile): calls, total and
   longest nanoseconds, time in the modules it calls included. hc_sandbox_timing
   gives a reference's (0 calls for one never run). */
typedef struct hc_rule_timing {
    unsigned long long calls, total_ns, max_ns;
} hc_rule_timing;
void hc_sandbox_profile(hc_sandbox *sb, int on);
hc_rule_timing hc_sandbox_timing(const hc_sandbox *sb, int ref);

/* Record Lua line hits of 'path' into hits[line] (line < nhits) while set. */
void hc_sandbox_cover(hc_sandbox *sb, const char *path, unsigned char *hits, size_t nhits);

/* 1 if a run since the last call ran long enough to be timed (and resets). */
int hc_sandbox_slow(hc_sandbox *sb);

/* Bytes the Lua state holds now. */
size_t hc_sandbox_memory(const hc_sandbox *sb);

#endif
