/*
** split.c: a batch file cut into pieces of whole documents, so that several
** threads can parse it (check and record --jobs). Each piece is parsed as a
** stream of its own (hc_reader_open_piece), with the file's line numbers.
**
** A cut goes only before a line that starts with "---" and a blank (or ends
** there): at the start of a line that is always a document start in YAML 1.2,
** which ends any block scalar and is an error inside a flow collection or a
** quoted scalar (an error in both readings, after which the batch reader stops
** the file either way). Two cases keep a piece whole:
**   - a directive line (%YAML, %TAG) since the last document start belongs to
**     the next document, so no cut separates them;
**   - a file that starts with a UTF-16 byte order mark is not cut at all (its
**     "---" is not these bytes).
** Lines start and are counted as libyaml has them (CR LF, CR, LF, NEL, LS and
** PS), so a directive after a lone CR is seen, and a piece's first line is the
** line libyaml would report for it. A UTF-8 byte order mark before the file's
** first directive does not hide it.
**
** Memory: a piece is cut once it holds 'target' bytes and a document start
** follows; the buffer holds one piece and the read-ahead, never the file.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

struct hc_splitter {
    FILE *f;
    int own;
    char *name;
    size_t target;
    char *buf;                  /* buf[start..len): what is read and not yet handed out */
    size_t start, len, cap;
    size_t scan;                /* the start of the first line not passed yet */
    size_t judged;              /* line starts below this are judged (directive, document start) */
    size_t seen;                /* bytes searched for a newline, in a line read in parts */
    int directive;              /* a % line since the last document start */
    int whole;                  /* never cut (UTF-16) */
    int eof;
    unsigned line;              /* the first line of buf[start] */
    size_t offset;              /* its byte in the file */
};

static hc_splitter *splitter_new(const char *name, FILE *f, int own, size_t target)
{
    hc_splitter *s = hc_xcalloc(1, sizeof *s);
    s->f = f;
    s->own = own;
    s->name = hc_xstrdup(name);
    s->target = target ? target : 1;
    s->line = 1;
    return s;
}

hc_splitter *hc_splitter_open(const char *path, size_t target, hc_diags *d)
{
    if (strcmp(path, "-") == 0) return splitter_new("<stdin>", stdin, 0, target);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        /* the words hc_reader_open uses: a batch says the same with any --jobs */
        hc_diags_add(d, HC_ERROR, path, 0, 0, "cannot open file");
        return NULL;
    }
    return splitter_new(path, f, 1, target);
}

hc_splitter *hc_splitter_open_stream(const char *name, FILE *f, size_t target)
{
    return splitter_new(name, f, 0, target);
}

const char *hc_splitter_name(const hc_splitter *s) { return s->name; }

void hc_splitter_close(hc_splitter **sp)
{
    if (sp == NULL || *sp == NULL) return;
    hc_splitter *s = *sp;
    if (s->own) fclose(s->f);
    free(s->buf);
    free(s->name);
    free(s);
    *sp = NULL;
}

/* Read more of the file; 0 at its end, -1 on a read error. */
static int fill(hc_splitter *s, hc_diags *d)
{
    if (s->start > 0 && s->start >= s->len / 2) {      /* slide what is left to the front */
        memmove(s->buf, s->buf + s->start, s->len - s->start);
        s->len -= s->start;
        s->scan -= s->start;
        s->judged = s->judged > s->start ? s->judged - s->start : 0;
        s->seen = s->seen > s->start ? s->seen - s->start : 0;
        s->start = 0;
    }
    HC_GROW(s->buf, s->cap, s->len + 65536 + 1);
    size_t got = fread(s->buf + s->len, 1, s->cap - s->len - 1, s->f);
    if (got == 0 && ferror(s->f)) {
        hc_diags_add(d, HC_ERROR, s->name, 0, 0, "cannot read the file: %s", strerror(errno));
        return -1;
    }
    if (s->offset == 0 && s->len == 0 && got >= 2) {      /* the file's first bytes */
        unsigned char a = (unsigned char)s->buf[0], b = (unsigned char)s->buf[1];
        if ((a == 0xFE && b == 0xFF) || (a == 0xFF && b == 0xFE)) s->whole = 1;
    }
    s->len += got;
    if (got == 0) s->eof = 1;
    return got > 0;
}

/* How many times c occurs in p[0..n) where 'also' (the bytes after it) follow. */
static unsigned count_runs(const char *p, size_t n, int c, const char *also)
{
    unsigned k = 0;
    size_t m = strlen(also);
    for (const char *q = p, *end = p + n; (q = memchr(q, c, (size_t)(end - q))) != NULL; q++)
        if ((size_t)(end - q - 1) >= m && memcmp(q + 1, also, m) == 0) k++;
    return k;
}

/* Lines in p[0..n) as libyaml counts them: LF, CR (CR LF once), NEL, LS and PS.
   Searched for byte by byte with memchr, as the rare ones are rarely there. */
static unsigned count_lines(const char *p, size_t n)
{
    unsigned lines = count_runs(p, n, '\n', "");
    for (const char *q = p, *end = p + n; (q = memchr(q, '\r', (size_t)(end - q))) != NULL; q++)
        if (q + 1 == end || q[1] != '\n') lines++;
    return lines + count_runs(p, n, 0xC2, "\x85") + count_runs(p, n, 0xE2, "\x80\xA8") +
           count_runs(p, n, 0xE2, "\x80\xA9");
}

static int is_document_start(const char *p, size_t n)
{
    return n >= 3 && p[0] == '-' && p[1] == '-' && p[2] == '-' &&
           (n == 3 || p[3] == ' ' || p[3] == '\t' || p[3] == '\r' || p[3] == '\n');
}

/* Just after the first line break in p[0..end), or NULL. libyaml breaks lines at
   LF, CR, NEL, LS and PS, so a directive or a document start can follow any of
   them (CR LF is two breaks here: the empty line between is neither). */
static const char *after_break(const char *p, const char *end)
{
    const unsigned char *q = (const unsigned char *)p, *e = (const unsigned char *)end;
    for (; q < e; q++) {
        if (*q == '\n' || *q == '\r') return (const char *)q + 1;
        if (*q == 0xC2 && e - q >= 2 && q[1] == 0x85) return (const char *)q + 2;
        if (*q == 0xE2 && e - q >= 3 && q[1] == 0x80 && (q[2] == 0xA8 || q[2] == 0xA9))
            return (const char *)q + 3;
    }
    return NULL;
}

static void hand_out(hc_splitter *s, size_t end, hc_piece *p)
{
    size_t n = end - s->start;
    p->text = hc_xmalloc(n + 1);
    memcpy(p->text, s->buf + s->start, n);
    p->text[n] = '\0';
    p->len = n;
    p->line = s->line;
    p->offset = s->offset;
    s->line += count_lines(s->buf + s->start, n);
    s->offset += n;
    s->start = end;
}

int hc_splitter_next(hc_splitter *s, hc_piece *p, hc_diags *d)
{
    memset(p, 0, sizeof *p);
    for (;;) {
        /* each line from s->scan on: a directive, a document start, or neither */
        while (!s->whole) {
            size_t at = s->scan, rest = s->len - at;
            if (rest == 0 || (rest < 4 && !s->eof)) break;       /* four bytes tell "--- " */
            const char *line = s->buf + at;
            if (at >= s->judged) {           /* not yet (a long line is read in parts) */
                /* libyaml reads a UTF-8 byte order mark at the file's start as no column */
                int file_start = s->offset == 0 && at == 0;
                size_t bom = file_start && rest > 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
                if (line[bom] == '%') s->directive = 1;
                else if (at > s->start && is_document_start(line, rest)) {
                    if (at - s->start >= s->target && !s->directive) {
                        hand_out(s, at, p);
                        s->judged = at + 1;
                        return 1;
                    }
                    s->directive = 0;
                }
                s->judged = at + 1;
            }
            size_t from = s->seen > at ? s->seen : at;
            const char *next = after_break(s->buf + from, s->buf + s->len);
            if (next == NULL) {
                /* not searched again, but for a break of 2 or 3 bytes the read cut */
                s->seen = s->len - from > 2 ? s->len - 2 : from;
                if (s->eof) s->scan = s->len;
                break;
            }
            s->scan = (size_t)(next - s->buf);
        }
        if (s->eof) {
            if (s->len == s->start) return 0;
            hand_out(s, s->len, p);
            return 1;
        }
        if (fill(s, d) < 0) return -1;
    }
}
