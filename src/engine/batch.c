/*
** batch.c: a batch of inspection files read, loaded, evaluated and handed to
** the caller in input order, on the calling thread or on N workers (--jobs).
**
** With workers, the calling thread cuts each file into pieces of whole
** documents (split.c) and keeps a ring of them in flight; a worker takes the
** oldest piece waiting, parses it as a stream of its own with the file's line
** numbers, loads and evaluates each inspection on its own engine (its own Lua
** state and packs: nothing is shared between workers) and renders it; the
** calling thread delivers the pieces in order. So the output is the output of
** one thread, byte for byte, and memory is the ring's, whatever the batch's size.
**
** What a worker allocated, it frees: the calling thread hands a delivered
** piece's documents back to the worker that made them. (Freed on the calling
** thread, every block went back to another thread's malloc arena under its
** lock, and the two cores spent a third of their time on that and on page
** faults.)
**
** What the calling thread says about a file (cannot open it, no inspection in
** it) travels through the ring too, so that it comes in its place. A YAML error
** ends its file as it does for one thread (libyaml cannot resume): the file's
** later pieces, parsed all the same, are dropped unseen.
*/
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"

enum { PIECE_BYTES = 32 * 1024, SLOTS_PER_WORKER = 4 };

typedef struct entry {          /* one document of a piece */
    hc_diags d;                  /* reading and loading it, in order */
    hc_inspection *in;
    hc_result *res;              /* NULL: it could not be loaded */
    size_t from, len;            /* its rendering in the slot's text */
} entry;

typedef enum { PIECE, FILE_END, MESSAGE } slot_kind;

struct worker;

/* A delivered piece's documents, on their way back to the worker that made them. */
typedef struct garbage {
    entry *v;
    size_t n;
    hc_buf text;
    struct garbage *next;
} garbage;

typedef struct slot {
    int done;                    /* parsed, or the calling thread's word: to deliver */
    struct worker *by;           /* the worker that parsed it */
    slot_kind kind;
    char *name;                  /* the file as messages call it */
    hc_piece piece;
    entry *v;
    size_t n, cap;
    hc_diags tail;               /* after the last document: the reader's error */
    int broken;                  /* the reader failed */
    hc_buf text;
} slot;

/* The state of the file being delivered. */
typedef struct delivery {
    size_t docs;                 /* documents handed over */
    int broken;                  /* a YAML error ended the file */
} delivery;

typedef struct batch {
    const hc_batch_config *cfg;
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    slot *ring;
    size_t nring;
    size_t filled, taken;        /* sequence numbers: slots put in, passed by workers */
    int closing;
    /* the calling thread's own */
    size_t delivered;            /* sequence number of the oldest slot not handed over */
    delivery file;
    size_t failed;
} batch;

/* ------------------------------------------------------ one document */

/* Load, evaluate and render the next document of r; 1, 0 at the end, -1 on a
   reader error (its message in *d). */
static int one_document(hc_engine *e, hc_reader *r, const hc_batch_config *cfg, entry *x,
                        hc_buf *text, hc_diags *d)
{
    hc_doc *doc;
    int rc = hc_reader_next(r, &doc, d);
    if (rc != 1) return rc;
    x->d = *d;                   /* what the reader said on the way belongs to it */
    memset(d, 0, sizeof *d);
    x->in = hc_inspection_load(e, doc, &x->d);
    if (x->in == NULL) return 1;
    x->res = hc_evaluate(e, x->in);
    x->from = text->len;
    if (cfg->render) cfg->render(cfg->ud, x->res, text);
    x->len = text->len - x->from;
    return 1;
}

static void entry_free(entry *x)
{
    hc_diags_clear(&x->d);
    hc_result_free(&x->res);
    hc_inspection_free(&x->in);
}

/* What the caller is given for one document; 1 if it failed to load. */
static int hand_over(const hc_batch_config *cfg, entry *x, const hc_buf *text)
{
    if (x->d.n) cfg->report(cfg->ud, &x->d);
    if (x->res == NULL) return 1;
    cfg->deliver(cfg->ud, x->res, text->data ? text->data + x->from : "", x->len);
    return 0;
}

/* ------------------------------------------------------- one thread */

/* The file as messages call it: hc_reader_open's and hc_splitter_open's name. */
static const char *shown_name(const char *path)
{
    return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

static size_t run_here(hc_engine *e, const char *const *files, size_t nfiles,
                       const hc_batch_config *cfg)
{
    size_t failed = 0;
    hc_buf text = {0};
    for (size_t i = 0; i < nfiles; i++) {
        hc_diags d = {0};
        hc_reader *r = hc_reader_open(files[i], hc_engine_limits(e), &d);
        if (r == NULL) {
            cfg->report(cfg->ud, &d);
            failed++;
            continue;
        }
        size_t in_file = 0;
        int rc;
        for (;;) {
            entry x = {0};
            hc_buf_reset(&text);
            rc = one_document(e, r, cfg, &x, &text, &d);
            if (rc != 1) break;
            in_file++;
            failed += (size_t)hand_over(cfg, &x, &text);
            entry_free(&x);
        }
        if (rc < 0) failed++;
        else if (in_file == 0) {
            hc_diags_add(&d, HC_ERROR, shown_name(files[i]), 0, 0, "no inspection in the file");
            failed++;
        }
        if (d.n) cfg->report(cfg->ud, &d);
        hc_diags_clear(&d);
        hc_reader_close(&r);
    }
    hc_buf_free(&text);
    return failed;
}

/* ---------------------------------------------------------- workers */

static void work_on(batch *b, hc_engine *e, slot *s)
{
    hc_diags d = {0};
    hc_reader *r = hc_reader_open_piece(s->name, s->piece.text, s->piece.len, s->piece.line,
                                        s->piece.offset, hc_engine_limits(e), &d);
    if (r == NULL) {
        s->tail = d;
        s->broken = 1;
        return;
    }
    for (;;) {
        entry x = {0};
        int rc = one_document(e, r, b->cfg, &x, &s->text, &d);
        if (rc == 1) {
            HC_GROW(s->v, s->cap, s->n + 1);
            s->v[s->n++] = x;
            continue;
        }
        s->broken = rc < 0;
        break;
    }
    s->tail = d;
    hc_reader_close(&r);
}

typedef struct worker {
    batch *b;
    hc_engine *e;
    pthread_t t;
    garbage *garbage;            /* delivered, to be freed here */
} worker;

static void garbage_free(garbage *g)
{
    while (g) {
        garbage *next = g->next;
        for (size_t i = 0; i < g->n; i++) entry_free(&g->v[i]);
        free(g->v);
        hc_buf_free(&g->text);
        free(g);
        g = next;
    }
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    batch *b = w->b;
    pthread_mutex_lock(&b->mu);
    for (;;) {
        while (b->taken == b->filled && !b->closing && w->garbage == NULL)
            pthread_cond_wait(&b->work, &b->mu);
        if (w->garbage) {
            garbage *g = w->garbage;
            w->garbage = NULL;
            pthread_mutex_unlock(&b->mu);
            garbage_free(g);
            pthread_mutex_lock(&b->mu);
            continue;
        }
        if (b->taken == b->filled) break;
        slot *s = &b->ring[b->taken++ % b->nring];
        if (s->kind != PIECE) continue;     /* the calling thread's word: done already */
        s->by = w;
        pthread_mutex_unlock(&b->mu);
        work_on(b, w->e, s);
        pthread_mutex_lock(&b->mu);
        s->done = 1;
        pthread_cond_broadcast(&b->done);
    }
    pthread_mutex_unlock(&b->mu);
    return NULL;
}

/* ---------------------------------------------- the calling thread */

/* Empty a delivered slot: its documents go back to their worker, the rest
   (the piece, the name: this thread's) is freed here. */
static void slot_clear(batch *b, slot *s)
{
    if (s->by && (s->n || s->text.data || s->v)) {
        garbage *g = hc_xcalloc(1, sizeof *g);
        *g = (garbage){s->v, s->n, s->text, NULL};
        pthread_mutex_lock(&b->mu);
        g->next = s->by->garbage;
        s->by->garbage = g;
        pthread_cond_broadcast(&b->work);
        pthread_mutex_unlock(&b->mu);
    }
    free(s->piece.text);
    free(s->name);
    hc_diags_clear(&s->tail);
    memset(s, 0, sizeof *s);
}

static void deliver_slot(batch *b, slot *s)
{
    const hc_batch_config *cfg = b->cfg;
    delivery *f = &b->file;
    switch (s->kind) {
    case MESSAGE:
        cfg->report(cfg->ud, &s->tail);
        b->failed++;
        f->broken = 1;
        break;
    case FILE_END:
        if (!f->broken && f->docs == 0) {
            hc_diags d = {0};
            hc_diags_add(&d, HC_ERROR, s->name, 0, 0, "no inspection in the file");
            cfg->report(cfg->ud, &d);
            hc_diags_clear(&d);
            b->failed++;
        }
        *f = (delivery){0};
        break;
    case PIECE:
        if (f->broken) break;    /* after a YAML error, as one thread would: unseen */
        for (size_t i = 0; i < s->n; i++) {
            f->docs++;
            b->failed += (size_t)hand_over(cfg, &s->v[i], &s->text);
        }
        if (s->tail.n) cfg->report(cfg->ud, &s->tail);
        if (s->broken) {
            b->failed++;
            f->broken = 1;
        }
        break;
    }
}

/* Wait for the oldest slot, hand it over and free it. */
static void deliver_oldest(batch *b)
{
    slot *s = &b->ring[b->delivered % b->nring];
    pthread_mutex_lock(&b->mu);
    while (!s->done) pthread_cond_wait(&b->done, &b->mu);
    /* a word of this thread's that no worker has passed yet: passed now, or a
       worker would find its place filled again and take that piece twice */
    if (b->taken == b->delivered) b->taken++;
    pthread_mutex_unlock(&b->mu);
    deliver_slot(b, s);
    slot_clear(b, s);
    b->delivered++;
}

/* Put a slot in the ring, once there is room: a piece for the workers, or a
   word of the calling thread's, done already. */
static void enqueue(batch *b, slot *s)
{
    if (b->filled - b->delivered == b->nring) deliver_oldest(b);
    pthread_mutex_lock(&b->mu);
    slot *at = &b->ring[b->filled % b->nring];
    *at = *s;
    at->done = s->kind != PIECE;
    b->filled++;
    if (s->kind == PIECE) pthread_cond_signal(&b->work);
    pthread_mutex_unlock(&b->mu);
}

static void batch_destroy(batch *b)
{
    free(b->ring);
    pthread_cond_destroy(&b->work);
    pthread_cond_destroy(&b->done);
    pthread_mutex_destroy(&b->mu);
}

static size_t run_workers(const char *const *files, size_t nfiles, const hc_batch_config *cfg,
                          hc_engine *const *engines)
{
    batch b = {.cfg = cfg};
    pthread_mutex_init(&b.mu, NULL);
    pthread_cond_init(&b.work, NULL);
    pthread_cond_init(&b.done, NULL);
    b.nring = (size_t)cfg->jobs * SLOTS_PER_WORKER;
    b.ring = hc_xcalloc(b.nring, sizeof *b.ring);
    worker *w = hc_xcalloc(cfg->jobs, sizeof *w);
    unsigned started = 0;
    for (unsigned i = 0; i < cfg->jobs; i++) {
        w[i] = (worker){&b, engines[i], 0};
        if (pthread_create(&w[i].t, NULL, worker_main, &w[i]) != 0) break;
        started++;
    }
    if (started == 0) {               /* no thread to be had: the batch on this one */
        free(w);
        batch_destroy(&b);
        return run_here(engines[0], files, nfiles, cfg);
    }
    for (size_t i = 0; i < nfiles; i++) {
        const char *name = shown_name(files[i]);
        slot s = {.kind = MESSAGE};
        hc_splitter *sp = hc_splitter_open(files[i], PIECE_BYTES, &s.tail);
        int rc = sp ? 1 : -1;
        while (rc == 1) {
            s = (slot){.kind = PIECE};
            rc = hc_splitter_next(sp, &s.piece, &s.tail);
            if (rc == 1) {
                s.name = hc_xstrdup(name);
                enqueue(&b, &s);
            } else if (rc < 0) {
                s.kind = MESSAGE;     /* cannot read on: a message in its place */
            }
        }
        hc_splitter_close(&sp);
        if (rc < 0) enqueue(&b, &s);  /* (or cannot open it) */
        enqueue(&b, &(slot){.kind = FILE_END, .name = hc_xstrdup(name)});
    }
    while (b.delivered < b.filled) deliver_oldest(&b);
    pthread_mutex_lock(&b.mu);
    b.closing = 1;
    pthread_cond_broadcast(&b.work);
    pthread_mutex_unlock(&b.mu);
    for (unsigned i = 0; i < started; i++) pthread_join(w[i].t, NULL);
    free(w);
    batch_destroy(&b);
    return b.failed;
}

size_t hc_batch_run(hc_engine *e, const char *const *files, size_t nfiles, const hc_batch_config *cfg)
{
    if (cfg->jobs <= 1 || cfg->engines == NULL) return run_here(e, files, nfiles, cfg);
    return run_workers(files, nfiles, cfg, cfg->engines);
}
