/*
** doc.h: the document tree's internals shared with the modules that build
** models from it. The tree itself is declared in hazcheck.h.
*/
#ifndef HC_DOC_H
#define HC_DOC_H

#include "hazcheck.h"
#include "util.h"

struct hc_doc {
    hc_arena *arena;           /* every node and string of the document */
    hc_node *root;
    char *path;
};

/* The arena of a document, for models whose memory lives as long as it. */
hc_arena *hc_doc_arena(hc_doc *d);

/* A stable text form of a subtree (kinds, lengths and bytes), for hashing. */
void hc_node_serialize(const hc_node *n, hc_buf *b);

/* Name of a node's kind for messages: "a mapping", "a sequence", "a scalar". */
const char *hc_node_kind_name(const hc_node *n);

#endif
