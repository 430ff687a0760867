/*
** checklist.h: document tree -> checklist model, with every rule of
** formats.md section 1 checked and the item code compiled once.
*/
#ifndef HC_CHECKLIST_H
#define HC_CHECKLIST_H

#include "hazcheck.h"
#include "sandbox.h"

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

/* Parse a status, order etc. name; -1 when unknown. */
int hc_status_parse(const char *s);

/* The closest of 'names' to 'word' if it is a plausible typo, else NULL. */
const char *hc_did_you_mean(const char *word, const char *const *names);

#endif
