/*
** evidence.c: photos and documents (cli.md: POST and GET /api/v1/evidence).
**
** A file is kept under its SHA-256 in the data folder (DATA/ab/abcd...), so
** the same photo sent twice is one file, a reference cannot name anything
** but a kept file, and an answer or a rectification step that cites it puts
** its digest into the audit chain. What a file is, is decided by its first
** bytes, never by its name or the Content-Type a client claims: JPEG, PNG and
** PDF are taken; an HTML page or an SVG called photo.jpg is refused (415).
**
** The upload arrives in a spool file (server.c: only a signed-in user's, at
** most HC_EVIDENCE_MAX) and is renamed into place once its digest is known.
** A file is served only to a user who may see a record that cites it (an
** uncited upload is seen by nobody but the administrator), with its type,
** nosniff and a policy that lets it run nothing.
*/
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "serve/serve.h"

const char *hc_evidence_type(const unsigned char *head, size_t n)
{
    static const struct { const char *type; const char *magic; size_t len; } kinds[] = {
        {"image/jpeg", "\xff\xd8\xff", 3},
        {"image/png", "\x89PNG\r\n\x1a\n", 8},
        {"application/pdf", "%PDF-", 5},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (n >= kinds[i].len && memcmp(head, kinds[i].magic, kinds[i].len) == 0) return kinds[i].type;
    return NULL;
}

int hc_evidence_ref_valid(const char *ref)
{
    if (ref == NULL || strncmp(ref, "sha256:", 7) != 0 || strlen(ref) != 7 + 64) return 0;
    for (const char *p = ref + 7; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return 0;
    return 1;
}

/* DATA/ab/abcdef... for a valid ref (the folder too when 'dir' is set). */
static void kept_path(const hc_request *rq, const char *hex, char *out, size_t n, int dir)
{
    if (dir) snprintf(out, n, "%s/%.2s", rq->data_dir, hex);
    else snprintf(out, n, "%s/%.2s/%s", rq->data_dir, hex, hex);
}

static int read_head(int fd, unsigned char *head, size_t n, size_t *got)
{
    *got = 0;
    if (lseek(fd, 0, SEEK_SET) != 0) return -1;
    ssize_t k = read(fd, head, n);
    if (k < 0) return -1;
    *got = (size_t)k;
    return 0;
}

static int digest_file(int fd, char hex[65])
{
    hc_sha256 h;
    hc_sha256_init(&h);
    unsigned char buf[1 << 16];
    ssize_t k;
    if (lseek(fd, 0, SEEK_SET) != 0) return -1;
    while ((k = read(fd, buf, sizeof buf)) > 0) hc_sha256_update(&h, buf, (size_t)k);
    if (k < 0) return -1;
    hc_sha256_final_hex(&h, hex);
    return 0;
}

int hc_evidence_keep(hc_request *rq, const char *spool, size_t len, char ref[72])
{
    int fd = spool ? open(spool, O_RDONLY | O_CLOEXEC) : -1;
    unsigned char head[16];
    size_t n = 0;
    char hex[65], dir[4200], path[4300];
    int status = 201;
    int readable = fd >= 0 && read_head(fd, head, sizeof head, &n) == 0;
    if (readable && len == 0) status = 400;
    else if (readable && hc_evidence_type(head, n) == NULL) status = 415;
    else if (!readable || digest_file(fd, hex) != 0) status = 500;
    else {
        kept_path(rq, hex, dir, sizeof dir, 1);
        kept_path(rq, hex, path, sizeof path, 0);
        if ((mkdir(dir, 0750) != 0 && errno != EEXIST) || rename(spool, path) != 0) {
            fprintf(stderr, "hazcheck serve: %s: %s\n", path, strerror(errno));
            status = 500;
        } else {
            snprintf(ref, 72, "sha256:%s", hex);
        }
    }
    if (fd >= 0) close(fd);
    return status;
}

/* POST /api/v1/evidence: 201 {"ref": "sha256:..."} */
void hc_api_evidence_post(hc_request *rq, const char *rest)
{
    (void)rest;
    if (hc_policy(rq->session.role, HC_RES_EVIDENCE, HC_VERB_CREATE) == HC_SCOPE_NONE) {
        hc_respond_error(rq, 403, _("your role may not do this"));
        return;
    }
    char ref[72];
    int status = hc_evidence_keep(rq, rq->upload_path, rq->upload_len, ref);
    if (status == 201) {
        rq->status = 201;
        hc_buf_reset(&rq->out);
        hc_buf_printf(&rq->out, "{\"ref\":\"%s\"}\n", ref);
    } else {
        hc_respond_error(rq, status, hc_evidence_refusal(status));
    }
}

const char *hc_evidence_refusal(int status)
{
    return status == 400 ? _("the body is empty; send the file itself")
         : status == 415 ? _("only JPEG, PNG and PDF files are taken, judged by their content")
                         : _("the upload could not be kept; see the server's log");
}

/* May the user see a record that cites 'ref'? */
static int may_see(hc_request *rq, const char *ref)
{
    if (hc_policy(rq->session.role, HC_RES_EVIDENCE, HC_VERB_READ) == HC_SCOPE_ALL) return 1;
    hc_diags d = {0};
    hc_doc *cited = hc_store_evidence_sites(rq->store, ref, &d);
    hc_diags_print(&d, stderr);
    const hc_node *sites = cited ? hc_map_get(hc_doc_root(cited), "sites") : NULL;
    hc_principal p = hc_principal_of(rq);
    int ok = 0;
    for (size_t i = 0; sites && i < sites->len && !ok; i++) {
        const hc_node *id = hc_map_get(sites->kids[i], "id"), *squad = hc_map_get(sites->kids[i], "squad");
        ok = hc_policy_allows(&p, HC_RES_EVIDENCE, HC_VERB_READ, id ? id->str : NULL,
                              squad && squad->kind == HC_SCALAR && squad->quoted ? squad->str : NULL);
    }
    hc_doc_free(&cited);
    return ok;
}

/* GET /api/v1/evidence/{ref} */
void hc_api_evidence_get(hc_request *rq, const char *rest)
{
    char path[4300];
    if (!hc_evidence_ref_valid(rest) || !may_see(rq, rest)) {
        hc_respond_error(rq, 404, _("no such evidence"));
        return;
    }
    kept_path(rq, rest + 7, path, sizeof path, 0);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    unsigned char head[16];
    size_t n = 0;
    struct stat st;
    const char *type = NULL;
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && read_head(fd, head, sizeof head, &n) == 0)
        type = hc_evidence_type(head, n);
    if (type == NULL || lseek(fd, 0, SEEK_SET) != 0) {
        if (fd >= 0) close(fd);
        hc_respond_error(rq, 404, _("no such evidence"));
        return;
    }
    rq->status = 200;
    rq->content_type = type;
    rq->file_fd = fd;
    rq->file_size = (size_t)st.st_size;
    rq->csp = "default-src 'none'; img-src 'self'; frame-ancestors 'none'; sandbox";
    snprintf(rq->disposition, sizeof rq->disposition, "inline; filename=\"%.16s.%s\"", rest + 7,
             strcmp(type, "image/jpeg") == 0 ? "jpg" : strcmp(type, "image/png") == 0 ? "png" : "pdf");
}
