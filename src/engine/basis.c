/*
** basis.c: a basis as a person outside the bureau can look it up. Packs cite
** "MEM10-2023 第十一条(三)": a code from the pack's `sources` and a place in
** that source. A rectification notice must name the instrument in full and the
** article the way Chinese legal texts are cited:
**
**     MEM10-2023 第十一条(三)  ->  《工贸企业重大事故隐患判定标准》（应急管理部令第10号）第十一条第（三）项
**     GB15577-2018 8.1.5       ->  GB 15577-2018《粉尘防爆安全规程》第8.1.5条
**
** Rules: "第N条(M)" becomes "第N条第（M）项"; a bare clause number of a standard
** "8.1.5" becomes "第8.1.5条"; anything else is kept as written. A code the pack
** does not list keeps the basis as written (lint reports it).
*/
#include <stdio.h>
#include <string.h>

#include "engine/engine.h"

static int is_clause(const char *s)
{
    if (*s < '0' || *s > '9') return 0;
    for (; *s; s++)
        if ((*s < '0' || *s > '9') && *s != '.') return 0;
    return 1;
}

char *hc_basis_text(const hc_source *sources, size_t nsources, const char *basis, char *out,
                    size_t n)
{
    size_t len = strcspn(basis, " ");
    const char *title = NULL;
    for (size_t i = 0; i < nsources && !title; i++)
        if (strlen(sources[i].code) == len && strncmp(basis, sources[i].code, len) == 0)
            title = sources[i].title;
    if (title == NULL) {
        snprintf(out, n, "%s", basis);
        return out;
    }
    const char *place = basis + len;
    while (*place == ' ') place++;
    /* 第十一条(三) or 第十一条（三）: the item in brackets becomes 第（三）项 */
    const char *open = strstr(place, "条(");
    size_t olen = 4;                                  /* "条" is 3 bytes, "(" 1 */
    if (open == NULL) {
        open = strstr(place, "条（");
        olen = 6;                                     /* "（" is 3 bytes */
    }
    if (open) {
        const char *item = open + olen;
        const char *close = strstr(item, ")");
        size_t clen = 1;
        const char *wide = strstr(item, "）");
        if (close == NULL || (wide && wide < close)) close = wide, clen = 3;
        if (close) {
            snprintf(out, n, "%s%.*s条第（%.*s）项%s", title, (int)(open - place), place,
                     (int)(close - item), item, close + clen);
            return out;
        }
    }
    if (is_clause(place)) snprintf(out, n, "%s第%s条", title, place);
    else snprintf(out, n, "%s%s", title, place);
    return out;
}
