/*
** json.h: a small streaming JSON writer. Output is written as it is made,
** so a batch of any size costs the memory of one inspection.
*/
#ifndef HC_JSON_H
#define HC_JSON_H

#include <stdio.h>

#include "util.h"

/* Writes go to 'buf'; the whole value reaches 'f' when the outermost value closes
   (one fwrite per inspection instead of one locked stdio call per token). */
typedef struct hc_json {
    FILE *f;
    hc_buf buf;
    int pretty;
    int depth;
    int first[64];        /* nothing written yet at this depth */
    int after_key;
} hc_json;

/* With f NULL the text stays in j->buf for the caller to take (hc_buf_take). */
void hc_json_init(hc_json *j, FILE *f, int pretty);
void hc_json_begin_object(hc_json *j);
void hc_json_end_object(hc_json *j);
void hc_json_begin_array(hc_json *j);
void hc_json_end_array(hc_json *j);
void hc_json_key(hc_json *j, const char *k);
void hc_json_string(hc_json *j, const char *s);       /* NULL writes null */
void hc_json_string_n(hc_json *j, const char *s, size_t n);
void hc_json_number(hc_json *j, double x);
void hc_json_integer(hc_json *j, long long x);
void hc_json_bool(hc_json *j, int b);
void hc_json_null(hc_json *j);

/* A typed answer value. */
void hc_json_value(hc_json *j, const hc_value *v);

/* A document subtree as JSON text (malloc'd; caller frees). */
char *hc_node_json(const hc_node *n);

/* Append s as a JSON string literal (quotes included) to b. */
void hc_json_quote(hc_buf *b, const char *s, size_t n);

#endif
