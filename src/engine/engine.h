/*
** engine.h: the engine layer's face for the layers above it and its own
** modules: loading checklists, typing answers, evaluating items in the
** sandbox, scoring. The sandbox itself (sandbox.h) is private to engine/.
*/
#ifndef HC_ENGINE_H
#define HC_ENGINE_H

#include "base/base.h"
#include "hazcheck.h"
#include "engine/sandbox.h"

/* ------------------------------------------------------ checklist.c */


/*
** Load and validate the pack at 'path', compiling its Lua into 'sb'.
** Returns NULL when there is any error (all are reported, not just the
** first). 'lint' adds the warnings that only authors need.
*/
hc_checklist *hc_checklist_load(hc_sandbox *sb, const char *path, const hc_limits *lim,
                                int lint, hc_diags *d);
/* The same over a buffer holding the file's bytes (borrowed; 'path' names it). */
hc_checklist *hc_checklist_load_mem(hc_sandbox *sb, const char *path, const char *buf, size_t len,
                                    const hc_limits *lim, int lint, hc_diags *d);
void hc_checklist_free(hc_checklist **c, hc_sandbox *sb);

/* result_json.c: the JSON text of each item's fixed fields, made once per pack. */
struct hc_pack_json *hc_pack_json_new(const hc_checklist *c);
void hc_pack_json_free(struct hc_pack_json **p);

/* Parse a status, order etc. name; -1 when unknown. */
int hc_status_parse(const char *s);


/* --------------------------------------------------------- engine.c */


hc_sandbox *hc_engine_sandbox(hc_engine *e);
/* The checklists loaded so far (the engine's), for the profile. */
hc_checklist *const *hc_engine_loaded(const hc_engine *e, size_t *n);
/* A registered site profile (a mapping) by id, or NULL. */
/* A site profile by id: 1 found (*out), 0 unknown, -1 the register failed (d). */
int hc_engine_site(hc_engine *e, const char *id, const hc_node **out, hc_diags *d);

/* ------------------------------------------------------------ site.c */

/* The site register: profiles from files, then those a lookup finds. */
typedef struct hc_site_register hc_site_register;
hc_site_register *hc_site_register_new(void);
void hc_site_register_free(hc_site_register **r);
void hc_site_register_lookup(hc_site_register *r, hc_site_lookup fn, void *ud);
int hc_site_register_add_file(hc_site_register *r, const char *path, const hc_limits *lim,
                              hc_diags *d);
/* 1 found (*out), 0 unknown, -1 error (reported). */
int hc_site_register_find(hc_site_register *r, const char *id, const hc_node **out, hc_diags *d);


/* ------------------------------------------------- answers.c */


/*
** Type the answer mapping 'map' (or NULL: no answer) for 'item' into 'out'.
** Problems make the answer invalid and are reported in 'd' (may be NULL)
** at file:line:col. Values borrow strings from the document.
*/
void hc_answer_type(hc_arena *a, const char *path, const hc_item *item, const hc_node *map,
                    hc_answer *out, hc_diags *d);


/* --------------------------------------------------------- evaluate.c */


/*
** Evaluate item 'idx' of 'c' with the answer 'ans' in the sandbox context
** already begun. 'pack_applies' is the outcome of the pack's applies (1 yes,
** 0 no, -1 error with 'pack_msg'). Fills f->status and f->message (arena).
*/
void hc_eval_item(hc_sandbox *sb, const hc_checklist *c, size_t idx, const hc_answer *ans,
                  int pack_applies, const char *pack_msg, hc_arena *a, hc_finding *f);

/* What rules see of one inspection; answers may be NULL (none yet). */
typedef struct hc_eval_context {
    const hc_node *site;
    const char *id, *date, *kind, *inspector;
    const hc_answer *answers;     /* one per item, or NULL */
} hc_eval_context;

/* Begin an inspection's context in the sandbox: 0, or -1 with err. The one
   place evaluation, rule tests and the interview set up what rules see. */
int hc_eval_begin(hc_sandbox *sb, const hc_checklist *c, const hc_eval_context *x, hc_arena *a,
                  hc_buf *err);

/* Does item idx apply, as evaluation decides it: the pack's applies, then the
   item's (false, nil, fail() and na() all mean no). 1 yes; 0 no and -1 an
   applies failed, with *why (arena). Evaluation and the interview both ask this. */
int hc_eval_applies(hc_sandbox *sb, const hc_checklist *c, size_t idx, hc_arena *a,
                    const char **why);

/* Run the pack's applies: 1, 0, or -1 with *msg set (arena). */
int hc_eval_pack_applies(hc_sandbox *sb, const hc_checklist *c, hc_arena *a, const char **msg);

/* Counts, score and verdict from the findings. */
void hc_score(hc_result *r);


#endif
