/*
** result_json.c: a result as JSON (formats.md section 4), the one form that
** programs read, the store keeps and the pages are checked against. It is
** the engine's because the store records it; it streams because a batch of
** any size must cost the memory of one inspection.
*/
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"

/*
** An item's title, section, severity, weight, basis and remedy are the same in
** every finding of every inspection against its checklist: they are escaped once,
** when the pack is loaded, as three fragments of compact JSON around the finding's
** own values (status, message, order, deadline, inputs, note, evidence). The
** fragments are made by the writer itself, so the text is the same byte for byte.
** Pretty output (one inspection at a time, for people) takes the plain path.
**
** The fragments belong to the checklist and never change after its load, so the
** threads of a batch (--jobs) and of serve, each with its own engine, write
** results at the same time with nothing shared: an earlier process-wide cache of
** the last eight packs and one kept buffer was a race between serve's workers.
*/
struct item_text {
    hc_buf head;        /* {"item":…,"title":…,"section":…,"status": */
    hc_buf mid;         /* ,"severity":…,"weight":…,"message": */
    hc_buf tail;        /* ,"basis":[…],"remedy":…,"order": */
    hc_buf *keys;       /* per input: "name": */
    size_t nkeys;
};

struct hc_pack_json {
    size_t n;
    struct item_text items[];
};

/* The text the writer adds after 'from' bytes, moved into 'out'. */
static void take_from(hc_json *t, size_t from, hc_buf *out)
{
    hc_buf_put(out, t->buf.data + from, t->buf.len - from);
    hc_buf_free(&t->buf);
}

static void make_item_text(const hc_item *it, struct item_text *x)
{
    hc_json t;
    hc_json_init(&t, NULL, 0);
    hc_json_begin_object(&t);
    hc_json_key(&t, "item");
    hc_json_string(&t, it->id);
    hc_json_key(&t, "title");
    hc_json_string(&t, it->title);
    hc_json_key(&t, "section");
    hc_json_string(&t, it->section);
    hc_json_key(&t, "status");
    take_from(&t, 0, &x->head);

    hc_json_init(&t, NULL, 0);
    hc_json_begin_object(&t);
    hc_json_key(&t, "status");
    hc_json_null(&t);
    size_t from = t.buf.len;
    hc_json_key(&t, "severity");
    hc_json_string(&t, hc_severity_name(it->severity));
    hc_json_key(&t, "weight");
    hc_json_number(&t, it->weight);
    hc_json_key(&t, "message");
    take_from(&t, from, &x->mid);

    hc_json_init(&t, NULL, 0);
    hc_json_begin_object(&t);
    hc_json_key(&t, "message");
    hc_json_null(&t);
    from = t.buf.len;
    hc_json_key(&t, "basis");
    hc_json_begin_array(&t);
    for (size_t k = 0; k < it->nbasis; k++) hc_json_string(&t, it->basis[k]);
    hc_json_end_array(&t);
    hc_json_key(&t, "remedy");
    hc_json_string(&t, it->remedy);
    hc_json_key(&t, "order");
    take_from(&t, from, &x->tail);

    x->nkeys = it->ninputs;
    x->keys = hc_xcalloc(it->ninputs ? it->ninputs : 1, sizeof *x->keys);
    for (size_t k = 0; k < it->ninputs; k++) {
        hc_json_init(&t, NULL, 0);
        hc_json_begin_object(&t);
        from = t.buf.len;
        hc_json_key(&t, it->inputs[k].name);
        take_from(&t, from, &x->keys[k]);
    }
}

struct hc_pack_json *hc_pack_json_new(const hc_checklist *c)
{
    struct hc_pack_json *p = hc_xcalloc(1, sizeof *p + c->nitems * sizeof p->items[0]);
    p->n = c->nitems;
    for (size_t i = 0; i < c->nitems; i++) make_item_text(&c->items[i], &p->items[i]);
    return p;
}

void hc_pack_json_free(struct hc_pack_json **pp)
{
    if (pp == NULL || *pp == NULL) return;
    struct hc_pack_json *p = *pp;
    for (size_t i = 0; i < p->n; i++) {
        struct item_text *x = &p->items[i];
        hc_buf_free(&x->head);
        hc_buf_free(&x->mid);
        hc_buf_free(&x->tail);
        for (size_t k = 0; k < x->nkeys; k++) hc_buf_free(&x->keys[k]);
        free(x->keys);
    }
    free(p);
    *pp = NULL;
}

static void put_buf(hc_buf *b, const hc_buf *x) { hc_buf_put(b, x->data, x->len); }

static void put_string(hc_buf *b, const char *s)
{
    if (s == NULL) hc_buf_put(b, "null", 4);
    else hc_json_quote(b, s, strlen(s));
}

static void put_integer(hc_buf *b, long long x)
{
    char tmp[24], *p = tmp + sizeof tmp;
    unsigned long long u = x < 0 ? 0ull - (unsigned long long)x : (unsigned long long)x;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (x < 0) *--p = '-';
    hc_buf_put(b, p, (size_t)(tmp + sizeof tmp - p));
}

/* The answer's inputs as hc_json_value writes them inside the finding: the names
   from the cache when they are the item's inputs (typed answers name them so),
   scalars directly, anything nested through the writer. */
static void put_inputs(hc_json *j, const hc_item *it, const hc_value *v, const struct item_text *x)
{
    hc_buf *b = &j->buf;
    if (v->kind != HC_V_MAP || v->len > x->nkeys) {
        j->depth = 3;
        j->first[3] = 0;
        j->after_key = 1;
        hc_json_value(j, v);
        return;
    }
    hc_buf_putc(b, '{');
    int first = 1;
    for (size_t i = 0; i < v->len; i++) {
        const hc_value *f = &v->u.items[i];
        if (f->kind == HC_V_NONE) continue;
        if (!first) hc_buf_putc(b, ',');
        first = 0;
        if (v->keys[i] == it->inputs[i].name) {
            put_buf(b, &x->keys[i]);
        } else {
            hc_json t;                  /* a name of its own: as the writer makes it */
            hc_json_init(&t, NULL, 0);
            hc_json_begin_object(&t);
            size_t from = t.buf.len;
            hc_json_key(&t, v->keys[i]);
            hc_buf_put(b, t.buf.data + from, t.buf.len - from);
            hc_buf_free(&t.buf);
        }
        switch (f->kind) {
        case HC_V_BOOL: hc_buf_puts(b, f->u.b ? "true" : "false"); break;
        case HC_V_INT: put_integer(b, (long long)f->u.i); break;
        case HC_V_NUM:
            if (isfinite(f->u.num) && f->u.num == floor(f->u.num) && fabs(f->u.num) < 1e15) {
                put_integer(b, (long long)f->u.num);
            } else {
                char tmp[32];
                size_t len = hc_json_format_number(f->u.num, tmp);
                hc_buf_put(b, tmp, len);
            }
            break;
        case HC_V_STR: hc_json_quote(b, f->u.s, f->len); break;
        default:
            j->depth = 4;               /* inside the inputs object, after its key */
            j->first[4] = 0;
            j->after_key = 1;
            hc_json_value(j, f);
            break;
        }
    }
    hc_buf_putc(b, '}');
}

/* One finding in compact form, the same bytes as finding_slow. */
static void finding_fast(hc_json *j, const hc_finding *fd, const struct item_text *x)
{
    const hc_item *it = fd->item;
    const hc_answer *a = fd->answer;
    hc_buf *b = &j->buf;
    if (!j->first[2]) hc_buf_putc(b, ',');
    put_buf(b, &x->head);
    put_string(b, hc_status_name(fd->status));
    put_buf(b, &x->mid);
    put_string(b, fd->message);
    put_buf(b, &x->tail);
    put_string(b, fd->status == HC_FAIL ? hc_order_name(it->order) : NULL);
    hc_buf_put(b, ",\"deadline\":", 12);
    put_string(b, fd->deadline[0] ? fd->deadline : NULL);
    hc_buf_put(b, ",\"inputs\":", 10);
    put_inputs(j, it, &a->obs, x);
    j->depth = 2;
    j->first[2] = 0;
    j->after_key = 0;
    hc_buf_put(b, ",\"note\":", 8);
    put_string(b, a->note);
    hc_buf_put(b, ",\"evidence\":[", 13);
    for (size_t k = 0; k < a->nevidence; k++) {
        if (k) hc_buf_putc(b, ',');
        put_string(b, a->evidence[k]);
    }
    hc_buf_put(b, "]}", 2);
}

static void finding_slow(hc_json *j, const hc_finding *fd)
{
    const hc_item *it = fd->item;
    const hc_answer *a = fd->answer;
    hc_json_begin_object(j);
    hc_json_key(j, "item");
    hc_json_string(j, it->id);
    hc_json_key(j, "title");
    hc_json_string(j, it->title);
    hc_json_key(j, "section");
    hc_json_string(j, it->section);
    hc_json_key(j, "status");
    hc_json_string(j, hc_status_name(fd->status));
    hc_json_key(j, "severity");
    hc_json_string(j, hc_severity_name(it->severity));
    hc_json_key(j, "weight");
    hc_json_number(j, it->weight);
    hc_json_key(j, "message");
    hc_json_string(j, fd->message);
    hc_json_key(j, "basis");
    hc_json_begin_array(j);
    for (size_t k = 0; k < it->nbasis; k++) hc_json_string(j, it->basis[k]);
    hc_json_end_array(j);
    hc_json_key(j, "remedy");
    hc_json_string(j, it->remedy);
    hc_json_key(j, "order");
    hc_json_string(j, fd->status == HC_FAIL ? hc_order_name(it->order) : NULL);
    hc_json_key(j, "deadline");
    hc_json_string(j, fd->deadline[0] ? fd->deadline : NULL);
    hc_json_key(j, "inputs");
    hc_json_value(j, &a->obs);
    hc_json_key(j, "note");
    hc_json_string(j, a->note);
    hc_json_key(j, "evidence");
    hc_json_begin_array(j);
    for (size_t k = 0; k < a->nevidence; k++) hc_json_string(j, a->evidence[k]);
    hc_json_end_array(j);
    hc_json_end_object(j);
}


void hc_result_json(hc_buf *out, const hc_result *r, int pretty)
{
    const hc_inspection *in = r->in;
    const hc_checklist *c = r->checklist;
    hc_json j;
    hc_json_init(&j, NULL, pretty);
    hc_buf_free(&j.buf);
    j.buf = *out;          /* appended to the caller's buffer, given back at the end */
    hc_json_begin_object(&j);
    hc_json_key(&j, "hazcheck");
    hc_json_integer(&j, HC_FORMAT_VERSION);
    hc_json_key(&j, "inspection");
    hc_json_begin_object(&j);
    hc_json_key(&j, "id");
    hc_json_string(&j, in->id);
    hc_json_key(&j, "site");
    hc_json_string(&j, in->site_id);
    hc_json_key(&j, "site_name");
    hc_json_string(&j, in->site_name);
    hc_json_key(&j, "checklist");
    hc_json_string(&j, c->id);
    hc_json_key(&j, "checklist_version");
    hc_json_string(&j, c->version);
    hc_json_key(&j, "checklist_title");
    hc_json_string(&j, c->title);
    hc_json_key(&j, "checklist_sha256");
    hc_json_string(&j, c->sha256);
    hc_json_key(&j, "date");
    hc_json_string(&j, in->date);
    hc_json_key(&j, "inspector");
    hc_json_string(&j, in->inspector);
    hc_json_key(&j, "kind");
    hc_json_string(&j, in->kind);
    hc_json_end_object(&j);

    hc_json_key(&j, "summary");
    hc_json_begin_object(&j);
    hc_json_key(&j, "verdict");
    hc_json_string(&j, hc_verdict_name(r->verdict));
    hc_json_key(&j, "score");
    hc_json_number(&j, r->score);
    hc_json_key(&j, "pass_mark");
    if (c->has_pass_mark) hc_json_number(&j, c->pass_mark);
    else hc_json_null(&j);
    hc_json_key(&j, "passed_mark");
    if (r->passed_mark >= 0) hc_json_bool(&j, r->passed_mark);
    else hc_json_null(&j);
    hc_json_key(&j, "counts");
    hc_json_begin_object(&j);
    static const hc_status order[] = {HC_PASS, HC_FAIL, HC_NA, HC_UNANSWERED, HC_ERROR_ST};
    for (int i = 0; i < 5; i++) {
        hc_json_key(&j, hc_status_name(order[i]));
        hc_json_integer(&j, (long long)r->counts[order[i]]);
    }
    hc_json_end_object(&j);
    hc_json_key(&j, "major_failed");
    hc_json_integer(&j, (long long)r->major_failed);
    if (in->unknown_items) {
        hc_json_key(&j, "unknown_items");
        hc_json_integer(&j, (long long)in->unknown_items);
    }
    hc_json_end_object(&j);

    if (r->nwarnings) {
        hc_json_key(&j, "warnings");
        hc_json_begin_array(&j);
        for (size_t i = 0; i < r->nwarnings; i++) hc_json_string(&j, r->warnings[i]);
        hc_json_end_array(&j);
    }

    hc_json_key(&j, "findings");
    hc_json_begin_array(&j);
    const struct item_text *cache = pretty || c->json == NULL ? NULL : c->json->items;
    for (size_t i = 0; i < r->n; i++) {
        const hc_finding *fd = &r->findings[i];
        const hc_item *it = fd->item;
        uintptr_t off = (uintptr_t)it - (uintptr_t)c->items;
        if (cache && (uintptr_t)it >= (uintptr_t)c->items && off / sizeof *it < c->json->n &&
            off % sizeof *it == 0)
            finding_fast(&j, fd, &cache[off / sizeof *it]);
        else
            finding_slow(&j, fd);
    }
    hc_json_end_array(&j);
    hc_json_end_object(&j);
    if (pretty) hc_buf_putc(&j.buf, '\n');
    *out = j.buf;
}

void hc_write_json(FILE *f, const hc_result *r, int pretty)
{
    hc_buf b = {0};
    hc_result_json(&b, r, pretty);
    fwrite(b.data, 1, b.len, f);
    hc_buf_free(&b);
}

