/*
** answers.h: typing an item's answers against its declared inputs, shared
** by inspection loading and rule tests.
*/
#ifndef HC_ANSWERS_H
#define HC_ANSWERS_H

#include "hazcheck.h"
#include "util.h"

/*
** Type the answer mapping 'map' (or NULL: no answer) for 'item' into 'out'.
** Problems make the answer invalid and are reported in 'd' (may be NULL)
** at file:line:col. Values borrow strings from the document.
*/
void hc_answer_type(hc_arena *a, const char *path, const hc_item *item, const hc_node *map,
                    hc_answer *out, hc_diags *d);

#endif
