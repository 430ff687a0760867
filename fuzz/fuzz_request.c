/* fuzz_request.c: what a request brings (serve/request.c): any bytes as a form
   body and as a Cookie header, never a crash, a leak or a read past the end. */
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
    free(header);
    return 0;
}
