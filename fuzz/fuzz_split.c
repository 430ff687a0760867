/*
** fuzz_split.c: a file read in pieces (base/split.c, for --jobs) gives the
** documents that reading it whole gives, at the same lines and columns, and
** fails where reading it whole fails; any difference aborts.
**
** Not compared: text that is not valid (a bad UTF-8 byte, a control
** character). libyaml decodes up to 16 KB ahead of what it parses, so read
** whole it refuses such text while still in a document before the bad byte,
** and in pieces only once it gets there (ARCHITECTURE.md, "Threads split the
** input").
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Each document as its root's position and its tree; 1 if the reader failed. */
static int read_all(hc_reader *r, hc_buf *out, hc_diags *d)
{
    hc_doc *doc;
    int rc;
    while ((rc = hc_reader_next(r, &doc, d)) == 1) {
        const hc_node *root = hc_doc_root(doc);
        hc_buf_printf(out, "%u:%u:", root->line, root->col);
        hc_node_serialize(root, out);
        hc_buf_putc(out, '\n');
        hc_doc_free(&doc);
    }
    return rc < 0;
}

static int invalid_text(const hc_diags *d)
{
    for (size_t i = 0; i < d->n; i++)
        if (strstr(d->v[i].msg, "not valid text")) return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) return 0;
    hc_limits lim;
    hc_limits_default(&lim);
    lim.max_nodes = 100000;
    hc_diags dw = {0}, dp = {0};
    hc_buf whole = {0}, pieces = {0};
    hc_reader *r = hc_reader_open_mem("f", (const char *)data, size, &lim, &dw);
    int whole_failed = read_all(r, &whole, &dw);
    hc_reader_close(&r);

    FILE *f = fmemopen((void *)data, size, "rb");
    hc_splitter *s = f ? hc_splitter_open_stream("f", f, 1) : NULL;
    int pieces_failed = 0;
    hc_piece p;
    while (s && !pieces_failed && hc_splitter_next(s, &p, &dp) == 1) {
        r = hc_reader_open_piece("f", p.text, p.len, p.line, p.offset, &lim, &dp);
        pieces_failed = read_all(r, &pieces, &dp);
        hc_reader_close(&r);
        free(p.text);
    }
    hc_splitter_close(&s);
    if (f) fclose(f);

    if (!invalid_text(&dw) && !invalid_text(&dp)) {
        int same = whole_failed == pieces_failed && whole.len == pieces.len &&
                   (whole.len == 0 || memcmp(whole.data, pieces.data, whole.len) == 0);
        if (same && whole_failed && (dw.n == 0 || dp.n == 0 || dw.v[0].line != dp.v[0].line))
            same = 0;
        if (!same) {
            fprintf(stderr, "whole (%s):\n%.*s\npieces (%s):\n%.*s\n", whole_failed ? "failed" : "ok",
                    (int)whole.len, whole.data ? whole.data : "", pieces_failed ? "failed" : "ok",
                    (int)pieces.len, pieces.data ? pieces.data : "");
            if (dw.n) fprintf(stderr, "whole: %u:%u %s\n", dw.v[0].line, dw.v[0].col, dw.v[0].msg);
            if (dp.n) fprintf(stderr, "pieces: %u:%u %s\n", dp.v[0].line, dp.v[0].col, dp.v[0].msg);
            abort();
        }
    }
    hc_buf_free(&whole);
    hc_buf_free(&pieces);
    hc_diags_clear(&dw);
    hc_diags_clear(&dp);
    return 0;
}
