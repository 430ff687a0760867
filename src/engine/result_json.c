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
** every finding of every inspection against its checklist: they are escaped once
** per checklist, as three fragments of compact JSON around the finding's own values
** (status, message, order, deadline, inputs, note, evidence). The fragments are made
** by the writer itself, so the text is the same byte for byte. Pretty output (one
** inspection at a time, for people) takes the plain path.
**
** The cache is keyed by the checklist's address and SHA-256: a checklist freed and
** another loaded at the same address with the same hash has the same items. A few
** checklists are kept (a batch mixes a handful of packs); the oldest is replaced.
*/
struct item_text {
    hc_buf head;        /* {"item":…,"title":…,"section":…,"status": */
    hc_buf mid;         /* ,"severity":…,"weight":…,"message": */
    hc_buf tail;        /* ,"basis":[…],"remedy":…,"order": */
    hc_buf *keys;       /* per input: "name": */
    size_t nkeys;
};

#define NCACHE 8
static struct text_cache {
    const hc_checklist *c;
    char sha256[65];
    size_t n;
    struct item_text *items;
} caches[NCACHE];
static size_t next_slot;
static hc_buf keep;    /* hc_write_json's buffer, kept from one result to the next */

static void cache_clear(struct text_cache *tc)
{
    for (size_t i = 0; i < tc->n; i++) {
        hc_buf_free(&tc->items[i].head);
        hc_buf_free(&tc->items[i].mid);
        hc_buf_free(&tc->items[i].tail);
        for (size_t k = 0; k < tc->items[i].nkeys; k++) hc_buf_free(&tc->items[i].keys[k]);
        free(tc->items[i].keys);
    }
    free(tc->items);
    memset(tc, 0, sizeof *tc);
}

static void caches_free(void)
{
    for (size_t i = 0; i < NCACHE; i++) cache_clear(&caches[i]);
    hc_buf_free(&keep);
}

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

static void register_free(void)
{
    static int registered;
    if (!registered) {
        atexit(caches_free);
        registered = 1;
    }
}

static const struct item_text *item_texts(const hc_checklist *c)
{
    for (size_t i = 0; i < NCACHE; i++)
        if (caches[i].c == c && caches[i].n == c->nitems && strcmp(caches[i].sha256, c->sha256) == 0)
            return caches[i].items;
    struct text_cache *tc = &caches[next_slot];
    next_slot = (next_slot + 1) % NCACHE;
    cache_clear(tc);
    tc->c = c;
    memcpy(tc->sha256, c->sha256, sizeof tc->sha256);
    tc->n = c->nitems;
    tc->items = hc_xcalloc(c->nitems ? c->nitems : 1, sizeof *tc->items);
    for (size_t i = 0; i < c->nitems; i++) make_item_text(&c->items[i], &tc->items[i]);
    return tc->items;
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


void hc_write_json(FILE *f, const hc_result *r, int pretty)
{
    const hc_inspection *in = r->in;
    const hc_checklist *c = r->checklist;
    /* the text is built in a buffer kept from one result to the next, then written */
    hc_json j;
    hc_json_init(&j, NULL, pretty);
    hc_buf_free(&j.buf);
    register_free();
    j.buf = keep;
    hc_buf_reset(&j.buf);
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
    const struct item_text *cache = pretty ? NULL : item_texts(c);
    for (size_t i = 0; i < r->n; i++) {
        const hc_finding *fd = &r->findings[i];
        const hc_item *it = fd->item;
        uintptr_t off = (uintptr_t)it - (uintptr_t)c->items;
        if (cache && (uintptr_t)it >= (uintptr_t)c->items && off / sizeof *it < c->nitems &&
            off % sizeof *it == 0)
            finding_fast(&j, fd, &cache[off / sizeof *it]);
        else
            finding_slow(&j, fd);
    }
    hc_json_end_array(&j);
    hc_json_end_object(&j);
    if (pretty) hc_buf_putc(&j.buf, '\n');
    fwrite(j.buf.data, 1, j.buf.len, f);
    if (j.buf.cap > (1u << 20)) hc_buf_free(&j.buf);   /* one huge result is not kept */
    keep = j.buf;
}

