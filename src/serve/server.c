/*
** server.c: `hazcheck serve`: the HTTP side, through libmicrohttpd (a thread
** pool, limits on connections, header memory and time per connection), and
** what every request goes through before and after its route (routes.c):
** the body capped, the session looked up, one access-log line.
**
** Each worker thread has its own database connection and engine (Lua states),
** made on its first request and freed when the thread ends (a pthread key's
** destructor): neither SQLite connections nor Lua states are shared between
** threads, and WAL lets them read while
** one writes. SIGTERM or SIGINT stops taking connections, lets the running
** requests finish, and checkpoints the database.
*/
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/base.h"
#include "serve/serve.h"

#define BODY_MAX (256u << 10)           /* a form or an inspection as JSON */
#define THREADS_DEFAULT 4

static pthread_key_t worker_key;
static pthread_once_t worker_once = PTHREAD_ONCE_INIT;
static const hc_serve_config *config;
static char data_dir[4096];

/* What each worker thread keeps between requests. */
typedef struct worker {
    hc_store *store;
    hc_engine *engine;
} worker;

static void close_worker(void *p)
{
    worker *w = p;
    hc_engine_free(&w->engine);
    hc_store_close(&w->store);
    free(w);
}

static void make_key(void)
{
    pthread_key_create(&worker_key, close_worker);
}

/* This worker's connection and engine, made on first use. */
static worker *this_worker(hc_diags *d)
{
    pthread_once(&worker_once, make_key);
    worker *w = pthread_getspecific(worker_key);
    if (w == NULL) {
        hc_store *s = hc_store_open(config->db_path, d);
        if (s == NULL) return NULL;
        hc_engine *e = hc_engine_new(&config->engine, d);
        if (e == NULL) {
            hc_store_close(&s);
            return NULL;
        }
        hc_engine_set_site_lookup(e, hc_store_site_lookup, s);
        w = hc_xcalloc(1, sizeof *w);
        w->store = s;
        w->engine = e;
        pthread_setspecific(worker_key, w);
    }
    if (config->today) hc_store_set_today(w->store, config->today);
    return w;
}

/* A request as it arrives, across libmicrohttpd's calls. */
typedef struct pending {
    hc_buf body;
    int too_big;
    int spool_fd;                 /* an evidence upload goes to a file, not to memory */
    char spool[4200];
    size_t spool_len;
    struct timespec start;
    hc_request rq;
} pending;

static long long millis_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) * 1000LL + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

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
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Content-Security-Policy",
                            rq->csp ? rq->csp
                                    : "default-src 'self'; script-src 'self'; object-src 'none'; "
                                      "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    if (rq->set_cookie[0]) MHD_add_response_header(r, "Set-Cookie", rq->set_cookie);
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)rq->status, r);
    MHD_destroy_response(r);
    return ok;
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
        clock_gettime(CLOCK_MONOTONIC, &p->start);
        *con_cls = p;
        if (strcmp(method, "POST") == 0 && strcmp(url, HC_EVIDENCE_PATH) == 0) {
            /* only a signed-in user's upload is written to disk at all */
            hc_diags d = {0};
            worker *w = this_worker(&d);
            hc_diags_print(&d, stderr);
            p->rq.method = method;
            p->rq.path = url;
            p->rq.cookie = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Cookie");
            p->rq.store = w ? w->store : NULL;
            if (w == NULL || hc_route_session(&p->rq) != 1) {
                hc_respond_error(&p->rq, w ? 401 : 503, w ? _("sign in first") : _("the database cannot be opened"));
                return reply(c, &p->rq);
            }
            snprintf(p->spool, sizeof p->spool, "%s/.upload-XXXXXX", data_dir);
            p->spool_fd = mkstemp(p->spool);
            if (p->spool_fd < 0) p->spool[0] = '\0';
        }
        return MHD_YES;
    }
    if (*upload_size) {
        /* read on, but keep nothing past the cap: the answer is 413 */
        if (p->spool[0]) {
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
    rq->arg_site = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "site");
    rq->arg_status = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "status");
    rq->arg_since = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "since");
    rq->arg_until = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "until");
    rq->arg_by = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "by");
    rq->secure_cookies = config->secure_cookies;
    rq->data_dir = data_dir;
    rq->papers = &config->papers;
    if (p->spool[0]) {
        rq->upload_path = p->spool;
        rq->upload_len = p->spool_len;
    }
    client_address(c, rq->address, sizeof rq->address);
    hc_diags d = {0};
    worker *w = this_worker(&d);
    rq->store = w ? w->store : NULL;
    rq->engine = w ? w->engine : NULL;
    if (p->too_big == 1) hc_respond_error(rq, 413, _("the request is too large"));
    else if (p->too_big || (strcmp(method, "POST") == 0 && strcmp(url, HC_EVIDENCE_PATH) == 0 && !p->spool[0]))
        hc_respond_error(rq, 503, _("the upload could not be kept; see the server's log"));
    else if (rq->store == NULL) hc_respond_error(rq, 503, _("the database cannot be opened"));
    else hc_route(rq);
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
                p->rq.method, p->rq.path, p->rq.status, millis_since(&p->start));
    }
    if (p->spool_fd >= 0) close(p->spool_fd);
    if (p->spool[0]) unlink(p->spool);          /* kept evidence was renamed away */
    if (p->rq.file_fd >= 0) close(p->rq.file_fd);
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

int hc_serve_run(const hc_serve_config *c, hc_diags *d)
{
    config = c;
    struct sockaddr_in sa;
    if (parse_listen(c->listen ? c->listen : "127.0.0.1:8080", &sa, d)) return -1;
    if (hc_secret_init() != 0) {
        hc_diags_add(d, HC_ERROR, NULL, 0, 0, "no secure randomness: sessions cannot be made");
        return -1;
    }
    if (c->data_dir) {
        snprintf(data_dir, sizeof data_dir, "%s", c->data_dir);
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
    struct MHD_Daemon *dm = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL_LINUX_ONLY, 0, NULL, NULL, on_request, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(c->threads ? c->threads : THREADS_DEFAULT),
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)256, MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)64,
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
    MHD_stop_daemon(dm);                    /* waits for the workers; their stores close */
    pthread_sigmask(SIG_UNBLOCK, &stop, NULL);
    s = hc_store_open(c->db_path, d);
    if (s) {
        hc_store_checkpoint(s, d);
        hc_store_close(&s);
    }
    return 0;
}
