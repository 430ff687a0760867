/*
** server.c: `hazcheck serve`: the HTTP side, through libmicrohttpd (a thread
** per connection, limits on connections, header memory and time per
** connection), and what every request goes through before and after its
** route (routes.c): the body capped or spooled to disk, a worker lent, the
** write turn taken by a request that may write, one access-log line.
**
** A worker is a database connection and an engine (Lua states); the pool
** holds a few (THREADS_DEFAULT), made on first need and lent to one request
** at a time, since neither SQLite connections nor Lua states may be used by
** two threads at once. WAL lets readers read while one writer writes.
** SIGTERM or SIGINT stops taking connections, lets the running requests
** finish, and checkpoints the database.
*/
#include <arpa/inet.h>
#include <errno.h>
#include <malloc.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/base.h"
#include "serve/serve.h"

#define BODY_MAX (256u << 10)           /* a form or an inspection as JSON */
#define THREADS_DEFAULT 8               /* workers: a writer, and readers beside it */

static const hc_serve_config *config;
static char data_dir[4096];

/* A database connection and an engine (Lua states), lent to one request at a
   time: neither may be shared between threads at once. */
typedef struct worker {
    hc_store *store;
    hc_engine *engine;
    struct worker *next;          /* in the free list */
} worker;

/* The pool. A request borrows a worker for its whole answer and gives it
   back; a request that may write first takes the write turn, so writers wait
   in line here (woken the moment the one before commits) instead of holding
   workers while SQLite's busy handler sleeps, and readers always find one.
   Readers waiting for a worker are served in the order they came: a freed
   worker is handed to the longest waiting, never to whoever asks next, so
   under load no request waits for many others' turns (the page's p99). */
typedef struct waiter {
    pthread_cond_t handed;
    worker *w;                    /* set by give_back */
    int make;                     /* or: make one (a worker failed to open) */
    struct waiter *next;
} waiter;

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t write_turn = PTHREAD_MUTEX_INITIALIZER;
static worker *free_workers;
static waiter *queue_head, *queue_tail;
static worker *writer;            /* the write turn's own */
static unsigned workers_made, workers_max;

static void close_worker(worker *w)
{
    hc_engine_free(&w->engine);
    hc_store_close(&w->store);
    free(w);
}

static worker *make_worker(hc_diags *d)
{
    hc_store *s = hc_store_open(config->db_path, d);
    if (s == NULL) return NULL;
    hc_engine *e = hc_engine_new(&config->engine, d);
    if (e == NULL) {
        hc_store_close(&s);
        return NULL;
    }
    hc_engine_set_site_lookup(e, hc_store_site_lookup, s);
    worker *w = hc_xcalloc(1, sizeof *w);
    w->store = s;
    w->engine = e;
    return w;
}

/* Hand a worker (or, for NULL, the right to make one) to the longest
   waiting reader; 0 when nobody waits. Called with pool_lock held. */
static int hand_to_waiter(worker *w)
{
    waiter *q = queue_head;
    if (q == NULL) return 0;
    queue_head = q->next;
    if (queue_head == NULL) queue_tail = NULL;
    q->w = w;
    q->make = w == NULL;
    pthread_cond_signal(&q->handed);
    return 1;
}

/* A worker, made on first need up to workers_max, else the next one freed. */
static worker *borrow(hc_diags *d)
{
    pthread_mutex_lock(&pool_lock);
    worker *w = NULL;
    int make = 0;
    if (queue_head == NULL && free_workers) {
        w = free_workers;
        free_workers = w->next;
    } else if (queue_head == NULL && workers_made < workers_max) {
        make = 1;
    } else {
        /* on the heap, not the stack: the queue is shared, and give_back
           takes it off before waking it */
        waiter *me = hc_xcalloc(1, sizeof *me);
        pthread_cond_init(&me->handed, NULL);
        if (queue_tail) queue_tail->next = me;
        else queue_head = me;
        queue_tail = me;
        while (me->w == NULL && !me->make) pthread_cond_wait(&me->handed, &pool_lock);
        pthread_cond_destroy(&me->handed);
        w = me->w;
        make = me->make;
        free(me);
    }
    if (make) workers_made++;
    pthread_mutex_unlock(&pool_lock);
    if (make && w == NULL && (w = make_worker(d)) == NULL) {
        pthread_mutex_lock(&pool_lock);
        workers_made--;
        hand_to_waiter(NULL);         /* the longest waiting tries in its turn */
        pthread_mutex_unlock(&pool_lock);
        return NULL;
    }
    if (config->today) hc_store_set_today(w->store, config->today);
    return w;
}

static void give_back(worker *w)
{
    if (w == NULL) return;
    pthread_mutex_lock(&pool_lock);
    if (!hand_to_waiter(w)) {
        w->next = free_workers;
        free_workers = w;
    }
    pthread_mutex_unlock(&pool_lock);
}

static void close_pool(void)
{
    if (writer) close_worker(writer);
    writer = NULL;
    while (free_workers) {
        worker *w = free_workers;
        free_workers = w->next;
        close_worker(w);
    }
    workers_made = 0;
}

/* A request as it arrives, across libmicrohttpd's calls. */
typedef struct pending {
    hc_buf body;
    int too_big;                  /* 1: over a cap (413); 2: not kept (503); 3: a bad form (400) */
    char form_err[128];
    struct MHD_PostProcessor *pp; /* a multipart form of a page */
    hc_fields form, args;
    hc_buf part;                  /* the text field being read */
    char part_name[128];
    hc_upload files[HC_UPLOADS_MAX];
    size_t nfiles;
    int file_fd;                  /* the file field being read */
    size_t form_text;
    int spool_fd;                 /* an evidence upload goes to a file, not to memory */
    char spool[4200];
    size_t spool_len;
    long long start_ms;           /* hc_clock_ms when it arrived */
    hc_request rq;
} pending;

static void client_address(struct MHD_Connection *c, char *out, size_t n)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(out, n, "?");
    if (ci == NULL || ci->client_addr == NULL) return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, (socklen_t)n);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out, (socklen_t)n);
}

/* Behind a proxy on this machine (contrib/nginx.conf) every request comes
   from 127.0.0.1; the address sign-in throttling needs is then the last one
   the proxy appended to X-Forwarded-For. A client further away cannot forge
   it: the header is believed only from loopback, or from the one proxy
   --trusted-proxy names (several serve machines behind one proxy). */
static char trusted_proxy[INET6_ADDRSTRLEN];
static void proxied_address(struct MHD_Connection *c, char *addr, size_t n)
{
    if (strcmp(addr, "127.0.0.1") != 0 && strcmp(addr, "::1") != 0 &&
        (trusted_proxy[0] == '\0' || strcmp(addr, trusted_proxy) != 0))
        return;
    const char *xff = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For");
    if (xff == NULL) return;
    const char *last = strrchr(xff, ',');
    last = last ? last + 1 : xff;
    while (*last == ' ') last++;
    size_t len = strcspn(last, " ");
    if (len == 0 || len >= n || strspn(last, "0123456789abcdefABCDEF.:") < len) return;
    memcpy(addr, last, len);
    addr[len] = '\0';
}

/* Every response: its type, no caching of what a user may see, and a policy
   that lets a page run only our own scripts. */
static enum MHD_Result reply(struct MHD_Connection *c, hc_request *rq)
{
    struct MHD_Response *r;
    if (rq->file_fd >= 0) {
        r = MHD_create_response_from_fd(rq->file_size, rq->file_fd);   /* it closes the file */
        rq->file_fd = -1;
    } else {
        r = MHD_create_response_from_buffer(rq->out.len, rq->out.data ? rq->out.data : (void *)"",
                                            MHD_RESPMEM_MUST_COPY);
    }
    if (r == NULL) return MHD_NO;
    if (rq->disposition[0]) MHD_add_response_header(r, "Content-Disposition", rq->disposition);
    MHD_add_response_header(r, "Content-Type", rq->content_type ? rq->content_type
                                                                : "application/json; charset=utf-8");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    /* same-origin, not no-referrer: with no-referrer a browser sends "Origin:
       null" on our own forms, and routes.c refuses forms from another origin */
    MHD_add_response_header(r, "Referrer-Policy", "same-origin");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Content-Security-Policy",
                            rq->csp ? rq->csp
                                    : "default-src 'self'; script-src 'self'; object-src 'none'; "
                                      "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    if (rq->set_cookie[0]) MHD_add_response_header(r, "Set-Cookie", rq->set_cookie);
    if (rq->location[0]) MHD_add_response_header(r, "Location", rq->location);
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)rq->status, r);
    MHD_destroy_response(r);
    return ok;
}

static int is_multipart(struct MHD_Connection *c)
{
    const char *t = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
    return t && strncasecmp(t, "multipart/form-data", 19) == 0;
}

/* The text field read so far joins the form. */
static void end_part(pending *p)
{
    if (p->part_name[0] && !p->too_big &&
        hc_fields_add(&p->form, p->part_name, p->part.data ? p->part.data : "", p->part.len, p->form_err,
                      sizeof p->form_err) != 0)
        p->too_big = 3;
    p->part_name[0] = '\0';
    hc_buf_reset(&p->part);
}

static void end_file(pending *p)
{
    if (p->file_fd >= 0) close(p->file_fd);
    p->file_fd = -1;
}

/* libmicrohttpd's multipart parser hands over each field in pieces: text is
   gathered (at most BODY_MAX in all), a file goes to its own spool file (at
   most HC_UPLOADS_MAX files of HC_EVIDENCE_MAX each). An empty file input
   sends a part with a file name and no bytes: it is no file. */
static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
                               const char *content_type, const char *transfer_encoding, const char *data,
                               uint64_t off, size_t size)
{
    (void)kind;
    (void)content_type;
    (void)transfer_encoding;
    pending *p = cls;
    if (p->too_big) return MHD_YES;
    if (filename == NULL) {
        if (off == 0 || strcmp(key, p->part_name) != 0) {
            end_part(p);
            end_file(p);
            snprintf(p->part_name, sizeof p->part_name, "%s", key);
        }
        p->form_text += size;
        if (p->form_text > BODY_MAX) p->too_big = 1;
        else hc_buf_put(&p->part, data, size);
        return MHD_YES;
    }
    end_part(p);
    if (off == 0) {
        end_file(p);
        if (size == 0 && *filename == '\0') return MHD_YES;
        if (p->nfiles == HC_UPLOADS_MAX) {
            p->too_big = 1;
            return MHD_YES;
        }
        hc_upload *u = &p->files[p->nfiles];
        snprintf(u->path, sizeof u->path, "%s/.upload-XXXXXX", data_dir);
        p->file_fd = mkstemp(u->path);
        if (p->file_fd < 0) {
            p->too_big = 2;
            return MHD_YES;
        }
        u->field = hc_xstrdup(key);
        u->len = 0;
        p->nfiles++;
    }
    hc_upload *u = &p->files[p->nfiles - 1];
    if (p->file_fd < 0 || size == 0) return MHD_YES;
    if (u->len + size > HC_EVIDENCE_MAX) p->too_big = 1;
    else if (write(p->file_fd, data, size) != (ssize_t)size) p->too_big = 2;
    else u->len += size;
    return MHD_YES;
}

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    pending *p = cls;
    char err[128];
    if (key && hc_fields_add(&p->args, key, value ? value : "", value ? strlen(value) : 0, err, sizeof err) != 0)
        p->too_big = 3;
    return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    (void)cls;
    (void)version;
    pending *p = *con_cls;
    if (p == NULL) {
        p = hc_xcalloc(1, sizeof *p);
        p->spool_fd = -1;
        p->rq.file_fd = -1;
        p->start_ms = hc_clock_ms();
        *con_cls = p;
        p->file_fd = -1;
        int multipart = strcmp(method, "POST") == 0 && strncmp(url, "/api/", 5) != 0 && is_multipart(c);
        if ((strcmp(method, "POST") == 0 && strcmp(url, HC_EVIDENCE_PATH) == 0) || multipart) {
            /* only a signed-in user's upload is written to disk at all */
            hc_diags d = {0};
            worker *w = borrow(&d);
            hc_diags_print(&d, stderr);
            p->rq.method = method;
            p->rq.path = url;
            p->rq.cookie = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Cookie");
            p->rq.store = w ? w->store : NULL;
            int signed_in = w && hc_route_session(&p->rq) == 1;
            give_back(w);
            p->rq.store = NULL;
            if (!signed_in) {
                if (multipart && w) hc_redirect_sign_in(&p->rq);
                else hc_respond_error(&p->rq, w ? 401 : 503, w ? _("sign in first") : _("the database cannot be opened"));
                return reply(c, &p->rq);
            }
            if (multipart) {
                p->pp = MHD_create_post_processor(c, 64 << 10, on_part, p);
                if (p->pp == NULL) p->too_big = 3;
                return MHD_YES;
            }
            snprintf(p->spool, sizeof p->spool, "%s/.upload-XXXXXX", data_dir);
            p->spool_fd = mkstemp(p->spool);
            if (p->spool_fd < 0) p->spool[0] = '\0';
        }
        return MHD_YES;
    }
    if (*upload_size) {
        /* read on, but keep nothing past the cap: the answer is 413 */
        if (p->pp) {
            if (!p->too_big && MHD_post_process(p->pp, upload, *upload_size) != MHD_YES) p->too_big = 3;
        } else if (p->spool[0]) {
            if (p->spool_len + *upload_size > HC_EVIDENCE_MAX) p->too_big = 1;
            else if (write(p->spool_fd, upload, *upload_size) != (ssize_t)*upload_size) p->too_big = 2;
            else p->spool_len += *upload_size;
        } else if (p->body.len + *upload_size > BODY_MAX) {
            p->too_big = 1;
        } else {
            hc_buf_put(&p->body, upload, *upload_size);
        }
        *upload_size = 0;
        return MHD_YES;
    }
    hc_request *rq = &p->rq;
    rq->method = method;
    rq->path = url;
    rq->body = p->body.data ? p->body.data : "";
    rq->body_len = p->body.len;
    rq->cookie = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Cookie");
    rq->csrf_header = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token");
    rq->content_type_in = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
    rq->origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
    rq->host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
    rq->arg_site = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "site");
    rq->arg_status = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "status");
    rq->arg_since = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "since");
    rq->arg_until = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "until");
    rq->arg_by = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "by");
    if (p->pp) {
        end_part(p);
        end_file(p);
        MHD_destroy_post_processor(p->pp);
        p->pp = NULL;
    } else if (strcmp(method, "POST") == 0 && strncmp(url, "/api/", 5) != 0 && !p->too_big) {
        /* a page's urlencoded form (a JSON or empty body stays the body alone) */
        const char *t = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
        if (t && strncasecmp(t, "application/x-www-form-urlencoded", 33) == 0 &&
            hc_fields_parse(p->body.data ? p->body.data : "", p->body.len, &p->form, p->form_err,
                            sizeof p->form_err) != 0)
            p->too_big = 3;
    }
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_arg, p);
    rq->form = &p->form;
    rq->args = &p->args;
    rq->files = p->files;
    rq->nfiles = p->nfiles;
    rq->secure_cookies = config->secure_cookies;
    rq->data_dir = data_dir;
    rq->papers = &config->papers;
    if (p->spool[0]) {
        rq->upload_path = p->spool;
        rq->upload_len = p->spool_len;
    }
    client_address(c, rq->address, sizeof rq->address);
    proxied_address(c, rq->address, sizeof rq->address);
    hc_diags d = {0};
    int writes = strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
    worker *w = NULL;
    if (writes) {
        /* the one writer at a time has a worker of its own: it never waits
           behind readers for one */
        pthread_mutex_lock(&write_turn);
        if (writer == NULL) writer = make_worker(&d);
        w = writer;
        if (w && config->today) hc_store_set_today(w->store, config->today);
    } else {
        w = borrow(&d);
    }
    rq->store = w ? w->store : NULL;
    rq->engine = w ? w->engine : NULL;
    if (p->too_big == 1) hc_respond_error(rq, 413, _("the request is too large"));
    else if (p->too_big == 3) hc_respond_error(rq, 400, p->form_err[0] ? p->form_err : _("the form could not be read"));
    else if (p->too_big || (strcmp(method, "POST") == 0 && strcmp(url, HC_EVIDENCE_PATH) == 0 && !p->spool[0]))
        hc_respond_error(rq, 503, _("the upload could not be kept; see the server's log"));
    else if (rq->store == NULL) hc_respond_error(rq, 503, _("the database cannot be opened"));
    else hc_route(rq);
    hc_request_release(rq);
    rq->store = NULL;
    rq->engine = NULL;
    if (writes) pthread_mutex_unlock(&write_turn);
    else give_back(w);
    if (d.n) hc_diags_print(&d, stderr);
    hc_diags_clear(&d);
    return reply(c, rq);
}

/* One line per request on standard error: time, user, method, path, status, ms. */
static void on_done(void *cls, struct MHD_Connection *c, void **con_cls,
                    enum MHD_RequestTerminationCode why)
{
    (void)cls;
    (void)c;
    (void)why;
    pending *p = *con_cls;
    if (p == NULL) return;
    if (p->rq.method) {
        char now[21];
        hc_time_now_utc(now);
        fprintf(stderr, "%s %s %s %s %d %lldms\n", now, p->rq.session.user ? p->rq.session.user : "-",
                p->rq.method, p->rq.path, p->rq.status, hc_clock_ms() - p->start_ms);
    }
    if (p->spool_fd >= 0) close(p->spool_fd);
    if (p->spool[0]) unlink(p->spool);          /* kept evidence was renamed away */
    if (p->rq.file_fd >= 0) close(p->rq.file_fd);
    if (p->pp) MHD_destroy_post_processor(p->pp);
    end_file(p);
    for (size_t i = 0; i < p->nfiles; i++) {
        unlink(p->files[i].path);                 /* kept evidence was renamed away */
        free(p->files[i].field);
    }
    hc_fields_free(&p->form);
    hc_fields_free(&p->args);
    hc_buf_free(&p->part);
    hc_session_free(&p->rq.session);
    hc_buf_free(&p->rq.out);
    hc_buf_free(&p->body);
    free(p);
    *con_cls = NULL;
}

/* "ADDR:PORT" into a socket address (IPv4 only for now: the proxy is local). */
static int parse_listen(const char *listen, struct sockaddr_in *sa, hc_diags *d)
{
    const char *colon = strrchr(listen, ':');
    char host[64];
    long port = colon ? strtol(colon + 1, NULL, 10) : -1;
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    if (colon == NULL || (size_t)(colon - listen) >= sizeof host || port < 0 || port > 65535 ||
        (snprintf(host, sizeof host, "%.*s", (int)(colon - listen), listen),
         inet_pton(AF_INET, host, &sa->sin_addr) != 1)) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "listen address '%s'; expected ADDRESS:PORT, e.g. 127.0.0.1:8080",
                     listen);
        return -1;
    }
    sa->sin_port = htons((uint16_t)port);
    return 0;
}

static int loopback(const struct sockaddr_in *sa)
{
    return (ntohl(sa->sin_addr.s_addr) >> 24) == 127;
}

int hc_serve_run(const hc_serve_config *c, hc_diags *d)
{
    config = c;
    struct sockaddr_in sa;
    if (parse_listen(c->listen ? c->listen : "127.0.0.1:8080", &sa, d)) return -1;
    trusted_proxy[0] = '\0';
    if (c->trusted_proxy) {
        /* compared as the connection's address is written (inet_ntop) */
        unsigned char bin[sizeof(struct in6_addr)];
        int family = strchr(c->trusted_proxy, ':') ? AF_INET6 : AF_INET;
        if (inet_pton(family, c->trusted_proxy, bin) != 1) {
            hc_diags_add(d, HC_ERROR, NULL, 0, 0, "trusted proxy '%s'; expected an IP address, e.g. 10.0.0.5",
                         c->trusted_proxy);
            return -1;
        }
        inet_ntop(family, bin, trusted_proxy, sizeof trusted_proxy);
    }
    if (hc_secret_init() != 0) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "no secure randomness: sessions cannot be made");
        return -1;
    }
    if (c->data_dir) {
        snprintf(data_dir, sizeof data_dir, "%s", c->data_dir);
    } else if (hc_store_is_uri(c->db_path)) {
        /* a server's database has no folder beside it; several machines serving
           one database need one folder they all reach */
        hc_diags_add(d, HC_ERROR, NULL, 0, 0,
                     "serve on a PostgreSQL database needs --data FOLDER for the evidence files");
        return -1;
    } else {
        const char *slash = strrchr(c->db_path, '/');
        snprintf(data_dir, sizeof data_dir, "%.*s%sevidence", slash ? (int)(slash - c->db_path) : 0,
                 c->db_path, slash ? "/" : "");
    }
    if (mkdir(data_dir, 0750) != 0 && errno != EEXIST) {
        hc_diags_add(d, HC_ERROR, data_dir, 0, 0, "cannot make the evidence folder: %s", strerror(errno));
        return -1;
    }
    /* the database must open (and migrate) before anyone is let in */
    hc_store *s = hc_store_open(c->db_path, d);
    if (s == NULL) return -1;
    hc_store_close(&s);
    /* the pool's threads inherit this mask: only the main thread takes the signals */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    /* a thread per connection: a request waiting for the write turn or a
       worker holds up its own connection only (a pool of polling threads
       would stall every connection that shares the waiting thread) */
    workers_max = c->threads ? c->threads : THREADS_DEFAULT;
    /* a request builds and frees megabytes of document trees: keep freed
       memory for the next one instead of handing it back to the kernel and
       faulting it in again (the profile under load showed half the time there) */
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
    mallopt(M_ARENA_MAX, 4);
    struct MHD_Daemon *dm = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL, 0, NULL, NULL,
        on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)256,
        /* behind a proxy (on this machine, or trusted) every client is the
           proxy's address: the limit per address is then the proxy's to keep */
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)(loopback(&sa) || trusted_proxy[0] ? 0 : 64),
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 << 10),
        MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL, MHD_OPTION_END);
    if (dm == NULL) {
        pthread_sigmask(SIG_UNBLOCK, &stop, NULL);
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "cannot listen on %s (in use, or not an address of this machine)",
                     c->listen ? c->listen : "127.0.0.1:8080");
        return -1;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(dm, MHD_DAEMON_INFO_BIND_PORT);
    char host[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &sa.sin_addr, host, sizeof host);
    fprintf(stderr, _("hazcheck serve: listening on http://%s:%u/ (stop with Ctrl-C or SIGTERM)\n"), host,
            di ? (unsigned)di->port : (unsigned)ntohs(sa.sin_port));
    fflush(stderr);
    int sig = 0;
    sigwait(&stop, &sig);
    fprintf(stderr, _("hazcheck serve: stopping (signal %d): finishing the requests under way\n"), sig);
    MHD_stop_daemon(dm);                    /* waits for the requests under way */
    close_pool();
    pthread_sigmask(SIG_UNBLOCK, &stop, NULL);
    s = hc_store_open(c->db_path, d);
    if (s) {
        hc_store_checkpoint(s, d);
        hc_store_close(&s);
    }
    return 0;
}
