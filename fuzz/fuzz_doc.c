/* fuzz_doc.c: the YAML/JSON document loader: any bytes, never a crash or a hang. */
#include <stdint.h>
#include <stdlib.h>

#include "base/base.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hc_limits lim;
    hc_limits_default(&lim);
    lim.max_nodes = 100000;          /* keep each run fast; the limit itself is under test */
    hc_diags d = {0};
    hc_reader *r = hc_reader_open_mem("fuzz", (const char *)data, size, &lim, &d);
    hc_doc *doc;
    while (r && hc_reader_next(r, &doc, &d) == 1) {
        hc_buf b = {0};
        hc_node_serialize(hc_doc_root(doc), &b);
        hc_buf_free(&b);
        hc_doc_free(&doc);
    }
    hc_reader_close(&r);
    hc_diags_clear(&d);
    return 0;
}
