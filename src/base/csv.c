/*
** csv.c: CSV fields for spreadsheets (RFC 4180, formulas neutralised).
*/
#include <string.h>

#include "base/base.h"

void hc_csv_bom(FILE *f) { fputs("\xEF\xBB\xBF", f); }

void hc_csv_field(FILE *f, const char *s)
{
    if (s == NULL) return;
    /* a value a spreadsheet would run as a formula gets a leading apostrophe,
       which Excel and LibreOffice take as "this is text" (OWASP's advice) */
    int formula = *s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r';
    if (!formula && strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    if (formula) fputc('\'', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

