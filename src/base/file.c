/*
** file.c: reading a whole file, or standard input, under a size limit.
*/
#include <errno.h>
#include <string.h>

#include "base/base.h"

int hc_read_file(const char *path, size_t max, char **out, size_t *len,
                 char *err, size_t errlen)
{
    int is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (f == NULL) {
        snprintf(err, errlen, "cannot open: %s", strerror(errno));
        return -1;
    }
    hc_buf b = {0};
    char tmp[65536];
    size_t n;
    int rc = 0;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) {
        if (b.len + n > max) {
            snprintf(err, errlen, "file is larger than the limit of %zu bytes", max);
            rc = -1;
            break;
        }
        hc_buf_put(&b, tmp, n);
    }
    if (rc == 0 && ferror(f)) {
        snprintf(err, errlen, "cannot read: %s", strerror(errno));
        rc = -1;
    }
    if (!is_stdin) fclose(f);
    if (rc) {
        hc_buf_free(&b);
        return rc;
    }
    *len = b.len;
    *out = hc_buf_take(&b);
    return 0;
}

