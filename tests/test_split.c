/* test_split.c: a batch file cut into pieces of whole documents (base/split.c). */
#include "testutil.h"

typedef struct pieces {
    hc_piece v[64];
    size_t n;
} pieces;

static void cut(const char *path, size_t target, pieces *p)
{
    hc_diags d = {0};
    hc_splitter *s = hc_splitter_open(path, target, &d);
    assert_non_null(s);
    p->n = 0;
    int rc;
    while ((rc = hc_splitter_next(s, &p->v[p->n], &d)) == 1) {
        assert_true(p->n < 63);
        p->n++;
    }
    assert_int_equal(rc, 0);
    assert_int_equal(d.n, 0);
    hc_splitter_close(&s);
}

static void drop(pieces *p)
{
    for (size_t i = 0; i < p->n; i++) free(p->v[i].text);
}

/* A reader over one piece, at its place in the file. */
static hc_reader *open_piece(const char *name, const hc_piece *p, hc_diags *d)
{
    return hc_reader_open_piece(name, p->text, p->len, p->line, p->offset, NULL, d);
}

/* The pieces, end to end, are the file; each begins where it says. */
static void check_whole(const char *text, const pieces *p)
{
    size_t at = 0;
    unsigned line = 1;
    for (size_t i = 0; i < p->n; i++) {
        assert_int_equal(p->v[i].offset, at);
        assert_int_equal(p->v[i].line, line);
        assert_memory_equal(p->v[i].text, text + at, p->v[i].len);
        for (size_t k = 0; k < p->v[i].len; k++) line += p->v[i].text[k] == '\n';
        at += p->v[i].len;
    }
    assert_int_equal(at, strlen(text));
}

static void test_cuts_only_at_document_starts(void **state)
{
    (void)state;
    const char *text = "a: 1\n"
                       "---\n"
                       "b: |\n  ---\n  text\n"
                       "---  # a comment\n"
                       "c: \"---\"\n"
                       "----: not a start\n"
                       "--- {d: 1}\n"
                       "e: 2\n";
    pieces p;
    cut(tu_write("s1.yaml", text), 1, &p);
    check_whole(text, &p);
    assert_int_equal(p.n, 4);
    assert_string_equal(p.v[0].text, "a: 1\n");
    assert_string_equal(p.v[1].text, "---\nb: |\n  ---\n  text\n");
    assert_string_equal(p.v[2].text, "---  # a comment\nc: \"---\"\n----: not a start\n");
    assert_string_equal(p.v[3].text, "--- {d: 1}\ne: 2\n");
    assert_int_equal(p.v[3].line, 9);
    drop(&p);
    /* a target of more bytes than the file: one piece */
    cut(tu_write("s1.yaml", text), 4096, &p);
    assert_int_equal(p.n, 1);
    check_whole(text, &p);
    drop(&p);
}

/* A directive belongs to the next document: no cut between them. */
static void test_directive_stays_with_its_document(void **state)
{
    (void)state;
    const char *text = "a: 1\n...\n%YAML 1.2\n---\nb: 2\n---\nc: 3\n";
    pieces p;
    cut(tu_write("s2.yaml", text), 1, &p);
    check_whole(text, &p);
    assert_int_equal(p.n, 2);
    assert_string_equal(p.v[0].text, "a: 1\n...\n%YAML 1.2\n---\nb: 2\n");
    assert_string_equal(p.v[1].text, "---\nc: 3\n");
    drop(&p);
}

/* A directive starts a line after any of libyaml's line breaks, and after a
   byte order mark at the file's start (stop 23's fuzz run: "\r%YAML 1.2\n---"
   was cut after the directive, and the piece had no document). */
static void test_directive_after_any_line_break(void **state)
{
    (void)state;
    static const char *const before[] = {"\r", "\r\n", "\xC2\x85", "\xE2\x80\xA8", "\xE2\x80\xA9"};
    for (size_t i = 0; i < sizeof before / sizeof *before; i++) {
        char text[128];
        snprintf(text, sizeof text, "a: 1\n...%s%%YAML 1.2\n---\nb: 2\n---\nc: 3\n", before[i]);
        pieces p;
        cut(tu_write("s9.yaml", text), 1, &p);
        assert_int_equal(p.n, 2);
        assert_int_equal(p.v[0].len + p.v[1].len, strlen(text));
        assert_string_equal(p.v[1].text, "---\nc: 3\n");
        drop(&p);
    }
    const char *text = "\xEF\xBB\xBF%YAML 1.2\n---\na: 1\n---\nb: 2\n";
    pieces p;
    cut(tu_write("s9.yaml", text), 1, &p);
    assert_int_equal(p.n, 2);
    assert_string_equal(p.v[1].text, "---\nb: 2\n");
    drop(&p);
    /* a document start after a lone CR is one too */
    text = "a: 1\r---\rb: 2\r";
    cut(tu_write("s9.yaml", text), 1, &p);
    assert_int_equal(p.n, 2);
    assert_int_equal(p.v[1].line, 2);
    drop(&p);
}

/* A break of two or three bytes cut by the end of a read is still a break:
   shifted byte by byte, one of the breaks below falls across every read. */
static void test_break_across_reads(void **state)
{
    (void)state;
    static const char unit[] = "a: 1\n...\xC2\x85%YAML 1.2\n---\nb: 2\n"
                               "a: 1\n...\xE2\x80\xA8%YAML 1.2\n---\nb: 2\n";
    for (size_t shift = 0; shift < sizeof unit - 1; shift++) {
        hc_buf text = {0};
        hc_buf_printf(&text, "#%*s\n", (int)shift, "");
        while (text.len < 300000) hc_buf_puts(&text, unit);
        pieces p;
        cut(tu_write("s10.yaml", text.data), 1, &p);
        assert_int_equal(p.n, 1);      /* every "---" follows a directive */
        drop(&p);
        hc_buf_free(&text);
    }
}

/* Lines are counted as libyaml counts them, so a piece's first line is the
   line a message about it names: CR LF once, a lone CR, NEL, LS and PS. */
static void test_lines_counted_as_libyaml_counts_them(void **state)
{
    (void)state;
    const char *text = "a: 1\r\n"
                       "b: \"x\xC2\x85y\"\n"
                       "c: \"x\xE2\x80\xA8y\xE2\x80\xA9z\"\r"
                       "d: 2\n"
                       "---\n"
                       "e: [\n";
    pieces p;
    cut(tu_write("s3.yaml", text), 1, &p);
    assert_int_equal(p.n, 2);
    assert_int_equal(p.v[1].line, 8);
    /* libyaml, reading the whole file, finds the second piece unfinished at its end (line 10) */
    hc_diags d = {0};
    hc_reader *r = hc_reader_open_mem("s3.yaml", text, strlen(text), NULL, &d);
    hc_doc *doc;
    assert_int_equal(hc_reader_next(r, &doc, &d), 1);
    hc_doc_free(&doc);
    assert_int_equal(hc_reader_next(r, &doc, &d), -1);
    hc_reader_close(&r);
    unsigned whole_line = d.v[0].line;
    char *whole_msg = hc_xstrdup(d.v[0].msg);
    hc_diags_clear(&d);
    r = open_piece("s3.yaml", &p.v[1], &d);
    assert_int_equal(hc_reader_next(r, &doc, &d), -1);
    hc_reader_close(&r);
    assert_int_equal(d.v[0].line, whole_line);
    assert_string_equal(d.v[0].msg, whole_msg);
    assert_int_equal(whole_line, 10);
    free(whole_msg);
    hc_diags_clear(&d);
    drop(&p);
}

/* A node's position and a bad byte's offset are the file's. */
static void test_piece_positions_are_the_files(void **state)
{
    (void)state;
    const char *text = "a: 1\n---\nb: 2\n---\nc: \xff\n";
    pieces p;
    cut(tu_write("s4.yaml", text), 1, &p);
    assert_int_equal(p.n, 3);
    hc_diags d = {0};
    hc_reader *r = open_piece("s4.yaml", &p.v[1], &d);
    hc_doc *doc;
    assert_int_equal(hc_reader_next(r, &doc, &d), 1);
    const hc_node *b = hc_map_get(hc_doc_root(doc), "b");
    assert_int_equal(b->line, 3);
    assert_int_equal(b->col, 4);
    hc_doc_free(&doc);
    hc_reader_close(&r);
    r = open_piece("s4.yaml", &p.v[2], &d);
    assert_int_equal(hc_reader_next(r, &doc, &d), -1);
    hc_reader_close(&r);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.v[0].line, 5);
    assert_int_equal(d.v[0].col, 4);
    assert_non_null(strstr(d.v[0].msg, "byte 21"));
    hc_diags_clear(&d);
    drop(&p);
}

/* UTF-16 is not cut ("---" is other bytes there); a file with no document
   start is one piece however long; an empty file is no piece. */
static void test_whole_files(void **state)
{
    (void)state;
    static const char utf16[] = "\xff\xfe-\0-\0-\0\n\0a\0:\0 \0\x31\0\n\0-\0-\0-\0\n\0";
    const char *path = tu_write("s5.yaml", "");
    FILE *f = fopen(path, "wb");
    fwrite(utf16, 1, sizeof utf16 - 1, f);
    fclose(f);
    pieces p;
    cut(path, 1, &p);
    assert_int_equal(p.n, 1);
    assert_int_equal(p.v[0].len, sizeof utf16 - 1);
    drop(&p);
    hc_buf big = {0};
    for (int i = 0; i < 20000; i++) hc_buf_printf(&big, "k%d: %d\n", i, i);
    cut(tu_write("s6.yaml", big.data), 1024, &p);
    assert_int_equal(p.n, 1);
    check_whole(big.data, &p);
    drop(&p);
    hc_buf_free(&big);
    cut(tu_write("s7.yaml", ""), 1, &p);
    assert_int_equal(p.n, 0);
}

/* Over several reads: pieces of about the target, every cut at a document start. */
static void test_long_file(void **state)
{
    (void)state;
    hc_buf text = {0};
    for (int i = 0; i < 3000; i++)
        hc_buf_printf(&text, "---\nid: %d\nnote: |\n  %0*d\n", i, 1 + i % 97, 0);
    pieces p;
    cut(tu_write("s8.yaml", text.data), 65536, &p);
    check_whole(text.data, &p);
    assert_true(p.n >= 2);
    for (size_t i = 0; i < p.n; i++) {
        assert_memory_equal(p.v[i].text, "---\n", 4);
        if (i + 1 < p.n) assert_true(p.v[i].len >= 65536 && p.v[i].len < 65536 + 200);
    }
    drop(&p);
    hc_buf_free(&text);
}

static void test_cannot_open(void **state)
{
    (void)state;
    hc_diags d = {0};
    assert_null(hc_splitter_open("/nonexistent/x.yaml", 1, &d));
    assert_int_equal(d.n, 1);
    assert_string_equal(d.v[0].file, "/nonexistent/x.yaml");
    hc_diags_clear(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cuts_only_at_document_starts),
        cmocka_unit_test(test_directive_stays_with_its_document),
        cmocka_unit_test(test_directive_after_any_line_break),
        cmocka_unit_test(test_break_across_reads),
        cmocka_unit_test(test_lines_counted_as_libyaml_counts_them),
        cmocka_unit_test(test_piece_positions_are_the_files),
        cmocka_unit_test(test_whole_files),
        cmocka_unit_test(test_long_file),
        cmocka_unit_test(test_cannot_open),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
