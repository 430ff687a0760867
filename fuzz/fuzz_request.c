/* fuzz_request.c: what a request brings (serve/request.c, respond.c,
   evidence.c): any bytes as a form body, a Cookie header, an API JSON body
   (read as the handlers read it), a file's first bytes and an evidence
   reference; never a crash, a leak or a read past the end. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "serve/serve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hc_fields f;
    char err[160];
    if (hc_fields_parse((const char *)data, size, &f, err, sizeof err) == 0) {
        for (size_t i = 0; i < f.n; i++)
            if (!hc_utf8_valid(f.v[i].value, strlen(f.v[i].value))) abort();
        (void)hc_fields_get(&f, "csrf");
        hc_fields_free(&f);
    }
    char *header = malloc(size + 1);         /* a header is text: NUL-terminated */
    if (header == NULL) return 0;
    memcpy(header, data, size);
    header[size] = '\0';
    char value[65];
    (void)hc_cookie_find(header, "hc_session", value, sizeof value);
    /* an evidence reference is a digest or nothing: never a path */
    if (hc_evidence_ref_valid(header) && (strchr(header, '/') || strchr(header, '.'))) abort();
    free(header);
    (void)hc_evidence_type(data, size);
    /* the API's JSON body, as a handler reads it */
    hc_request rq;
    memset(&rq, 0, sizeof rq);
    char *body = malloc(size + 1);
    if (body == NULL) return 0;
    memcpy(body, data, size);
    body[size] = '\0';
    rq.body = body;
    rq.body_len = size;
    hc_doc *doc = hc_json_body(&rq);
    if (doc) {
        const hc_node *root = hc_doc_root(doc);
        if (root->kind != HC_MAP) abort();
        (void)hc_str_field(root, "user");
        (void)hc_scalar_text(root, "cost");
        hc_doc_free(&doc);
    } else if (rq.status != 400) {
        abort();                 /* refused bodies are a 400, nothing else */
    }
    hc_buf_free(&rq.out);
    free(body);
    return 0;
}
