/* test_template.c: the Mustache subset for HTML reports (src/base/template.c). */
#include "testutil.h"

#include "base/base.h"

/* A document from JSON or YAML text; the caller frees it. */
static hc_doc *load(const char *text)
{
    hc_diags d = {0};
    hc_reader *r = hc_reader_open_mem("data.yaml", text, strlen(text), NULL, &d);
    assert_non_null(r);
    hc_doc *doc = NULL;
    int rc = hc_reader_next(r, &doc, &d);
    hc_reader_close(&r);
    if (rc != 1) tu_dump(&d);
    assert_int_equal(rc, 1);
    hc_diags_clear(&d);
    return doc;
}

/* Render 'tpl' over the data in 'json' and compare with 'want'. */
static void check(const char *tpl, const char *json, const char *want)
{
    hc_doc *doc = json ? load(json) : NULL;
    hc_diags d = {0};
    hc_buf out = {0};
    int rc = hc_template_render(tpl, strlen(tpl), "t.html", doc ? hc_doc_root(doc) : NULL, &out,
                                &d);
    if (rc != 0) tu_dump(&d);
    assert_int_equal(rc, 0);
    assert_int_equal(d.n, 0);
    if (strcmp(out.data, want) != 0)
        fprintf(stderr, "  template: %s\n  got:  [%s]\n  want: [%s]\n", tpl, out.data, want);
    assert_string_equal(out.data, want);
    hc_buf_free(&out);
    hc_doc_free(&doc);
}

/* Render a malformed template: exactly one error at line:col containing 'msg',
   and the output buffer left exactly as it was. */
static void check_error(const char *tpl, const char *json, unsigned line, unsigned col,
                        const char *msg)
{
    hc_doc *doc = json ? load(json) : NULL;
    hc_diags d = {0};
    hc_buf out = {0};
    hc_buf_puts(&out, "before|");
    int rc = hc_template_render(tpl, strlen(tpl), "t.html", doc ? hc_doc_root(doc) : NULL, &out,
                                &d);
    if (rc != -1 || d.n != 1 || !tu_has_diag(&d, msg)) {
        fprintf(stderr, "  template: %s\n  want %u:%u %s\n", tpl, line, col, msg);
        tu_dump(&d);
    }
    assert_int_equal(rc, -1);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.errors, 1);
    assert_non_null(tu_find_diag(&d, msg));
    assert_string_equal(d.v[0].file, "t.html");
    assert_int_equal(d.v[0].line, line);
    assert_int_equal(d.v[0].col, col);
    assert_string_equal(out.data, "before|");
    assert_int_equal(out.len, 7);
    hc_diags_clear(&d);
    hc_buf_free(&out);
    hc_doc_free(&doc);
}

static void test_variables(void **state)
{
    (void)state;
    const char *data = "{\"name\": \"Acme Ltd\", \"n\": 1.50, \"t\": true,"
                       " \"nul\": null, \"m\": {\"k\": \"v\"}, \"s\": [1, 2],"
                       " \"site\": {\"addr\": {\"city\": \"Foshan\"}}}";
    check("Hello {{name}}!", data, "Hello Acme Ltd!");
    check("{{ name }}|{{{ name }}}|{{& name}}|{{&name}}", data,
          "Acme Ltd|Acme Ltd|Acme Ltd|Acme Ltd");
    check("[{{missing}}][{{{missing}}}][{{nul}}][{{m}}][{{s}}]", data, "[][][][][]");
    check("{{n}} {{t}}", data, "1.50 true");
    check("{{site.addr.city}}", data, "Foshan");
    check("[{{site.addr.zip}}][{{site.nope.city}}][{{name.x}}]", data, "[][][]");
    check("", data, "");
    check("no tags at all", NULL, "no tags at all");
    check("{{name}}", NULL, "");
    /* YAML data; numbers as written */
    check("{{a}}/{{b}}/{{c}}/{{d}}", "a: 1e3\nb: 007\nc: ~\nd: 'x'\n", "1e3/007//x");
    /* a lone brace or closing braces are text */
    check("a { b } }} c", NULL, "a { b } }} c");
}

static void test_escaping(void **state)
{
    (void)state;
    const char *data = "{\"x\": \"<script>alert(1)</script>\", \"q\": \"\\\"a\\\" & 'b'\"}";
    check("{{x}}", data, "&lt;script&gt;alert(1)&lt;/script&gt;");
    check("<p title=\"{{q}}\">{{q}}</p>", data,
          "<p title=\"&quot;a&quot; &amp; &#39;b&#39;\">&quot;a&quot; &amp; &#39;b&#39;</p>");
    check("{{{x}}}|{{&q}}", data, "<script>alert(1)</script>|\"a\" & 'b'");
    /* {{.}} is escaped too, and template text is never escaped */
    check("{{#l}}{{.}}{{/l}} & <b>", "{\"l\": [\"<i>\", \"&\"]}", "&lt;i&gt;&amp; & <b>");
    /* an entity in the data is escaped again, not trusted */
    check("{{e}}", "{\"e\": \"&lt;\"}", "&amp;lt;");
}

static void test_sections_list_map_scalar(void **state)
{
    (void)state;
    const char *data = "items:\n"
                       "  - {id: A1, title: Guard}\n"
                       "  - {id: A2, title: Exit}\n"
                       "site: {name: Acme, district: Nanhai}\n"
                       "name: outer\n"
                       "flag: true\n"
                       "zero: 0\n"
                       "word: 'false'\n"
                       "empty_map: {}\n";
    check("{{#items}}<li>{{id}}: {{title}}</li>{{/items}}", data,
          "<li>A1: Guard</li><li>A2: Exit</li>");
    check("{{#site}}{{name}} ({{district}}){{/site}}", data, "Acme (Nanhai)");
    /* a truthy scalar renders once with the context unchanged */
    check("{{#flag}}[{{name}}|{{flag}}]{{/flag}}", data, "[outer|true]");
    check("{{#zero}}zero is truthy{{/zero}}", data, "zero is truthy");
    check("{{#word}}quoted 'false' is a string{{/word}}", data, "quoted 'false' is a string");
    check("{{#empty_map}}{}{{name}}{{/empty_map}}", data, "{}outer");
    /* a list of lists pushes each inner list; {{#.}} iterates it */
    check("{{#l}}({{#.}}{{.}}{{/.}}){{/l}}", "{\"l\": [[1, 2], [], [3]]}", "(12)()(3)");
    /* dotted section names */
    check("{{#site.name}}has name{{/site.name}}{{#site.zip}}no{{/site.zip}}", data, "has name");
}

static void test_falsy(void **state)
{
    (void)state;
    const char *data = "{\"f\": false, \"n\": null, \"e\": \"\", \"l\": [], \"F\": \"false\","
                       " \"t\": \"x\"}";
    check("{{#f}}1{{/f}}{{#n}}2{{/n}}{{#e}}3{{/e}}{{#l}}4{{/l}}{{#missing}}5{{/missing}}", data,
          "");
    check("{{^f}}1{{/f}}{{^n}}2{{/n}}{{^e}}3{{/e}}{{^l}}4{{/l}}{{^missing}}5{{/missing}}", data,
          "12345");
    /* JSON "false" is a quoted string: truthy */
    check("{{#F}}s{{/F}}{{^F}}b{{/F}}", data, "s");
    check("{{#t}}yes{{/t}}{{^t}}no{{/t}}", data, "yes");
    /* YAML plain null, ~, empty and False are falsy; 'no' is a string in YAML 1.2 */
    check("{{#a}}a{{/a}}{{#b}}b{{/b}}{{#c}}c{{/c}}{{#d}}d{{/d}}{{#e}}e{{/e}}",
          "a: ~\nb:\nc: False\nd: no\ne: NULL\n", "d");
}

static void test_inverted(void **state)
{
    (void)state;
    const char *data = "{\"items\": [{\"id\": 1}], \"none\": [], \"name\": \"x\"}";
    check("{{^items}}nothing{{/items}}", data, "");
    check("{{^none}}No hazards found for {{name}}.{{/none}}", data, "No hazards found for x.");
    /* the inverted block keeps the context: it does not push anything */
    check("{{#items}}{{^none}}{{id}}{{/none}}{{/items}}", data, "1");
    check("{{#items}}{{#none}}x{{/none}}{{^none}}y{{/none}}{{/items}}", data, "y");
}

static void test_context_stack(void **state)
{
    (void)state;
    const char *data = "inspector: Meng\n"
                       "site: {name: Acme, inspector: Site-level}\n"
                       "findings:\n"
                       "  - id: A1\n"
                       "    actions: [{what: fix guard}, {what: train, inspector: Li}]\n"
                       "  - id: A2\n"
                       "    actions: []\n";
    /* inner names fall back to the outer frames, the nearest frame wins */
    check("{{#findings}}{{id}}:{{#actions}}[{{what}} by {{inspector}} for {{id}}]{{/actions}};"
          "{{/findings}}",
          data, "A1:[fix guard by Meng for A1][train by Li for A1];A2:;");
    check("{{#site}}{{inspector}}{{#findings}}/{{id}} {{inspector}} {{name}}{{/findings}}{{/site}}",
          data, "Site-level/A1 Site-level Acme/A2 Site-level Acme");
    /* the first frame with the first segment wins: no fallback for the rest */
    check("{{#a}}[{{b.c}}]{{/a}}", "{\"a\": {\"b\": {}}, \"b\": {\"c\": \"ERROR\"}}", "[]");
    check("{{#a}}[{{b.c}}]{{/a}}", "{\"a\": {\"x\": 1}, \"b\": {\"c\": \"outer\"}}", "[outer]");
    /* a scalar frame is skipped in lookups */
    check("{{#l}}{{.}}{{name}};{{/l}}", "{\"l\": [\"a\", \"b\"], \"name\": \"N\"}", "aN;bN;");
    /* and the stack unwinds: after the section the outer frame is on top again */
    check("{{#site}}{{name}}{{/site}}-{{name}}", "{\"site\": {\"name\": \"in\"}, \"name\": \"out\"}",
          "in-out");
}

static void test_dot(void **state)
{
    (void)state;
    check("{{#tags}}<{{.}}>{{/tags}}", "tags: [fire, 1.0, null, true]\n", "<fire><1.0><><true>");
    check("[{{.}}]", "{\"a\": 1}", "[]");   /* a mapping renders as nothing */
    check("[{{.}}]", "\"top\"", "[top]");   /* a scalar document */
    check("{{#.}}({{.}}){{/.}}", "[1, 2]", "(1)(2)");
    check("{{#m}}{{#.}}in{{/.}}{{/m}}", "{\"m\": {\"k\": 1}}", "in");
}

static void test_standalone(void **state)
{
    (void)state;
    const char *data = "{\"b\": true, \"l\": [1, 2], \"v\": \"V\"}";
    check("| This Is\n{{#b}}\n|\n{{/b}}\n| A Line", data, "| This Is\n|\n| A Line");
    check("| This Is\n  {{#b}}\n|\n  {{/b}}\n| A Line", data, "| This Is\n|\n| A Line");
    check("<ul>\n  {{#l}}\n  <li>{{.}}</li>\n  {{/l}}\n</ul>\n", data,
          "<ul>\n  <li>1</li>\n  <li>2</li>\n</ul>\n");
    check("|\r\n{{#b}}\r\n{{/b}}\r\n|", data, "|\r\n|");
    check("\t {{#b}} \t\n#{{/b}}\n", data, "#\n");            /* tabs and spaces, start of file */
    check("#{{#b}}\n/\n  {{/b}}", data, "#\n/\n");            /* standalone at end of file */
    check("{{^b}}\nno\n{{/b}}\nend\n", data, "end\n");
    check("Begin.\n{{! Comment Block! }}\nEnd.\n", NULL, "Begin.\nEnd.\n");
    check("Begin.\n  {{!\n  two\n  lines\n  }}  \nEnd.\n", NULL, "Begin.\nEnd.\n");
    /* not standalone: other text or another tag on the line */
    check(" {{#b}}YES{{/b}}\n {{#b}}GOOD{{/b}}\n", data, " YES\n GOOD\n");
    check("  {{#b}}{{/b}}\n", data, "  \n");
    check("a {{! c }}\nb", NULL, "a \nb");
    check("{{! c }} x\n", NULL, " x\n");
    /* variable tags are never standalone */
    check("a\n  {{v}}\nb", data, "a\n  V\nb");
    check("a\n  {{{v}}}\nb", data, "a\n  V\nb");
    check("a\n  {{missing}}\nb", data, "a\n  \nb");
}

static void test_comments(void **state)
{
    (void)state;
    check("12345{{! Comment Block! }}67890", NULL, "1234567890");
    check("a{{!}}b{{! {x} <y> & }}c", NULL, "abc");
    check("x{{!\n  multi\n  line {{ is fine\n}}y", NULL, "xy");
    check("{{! {{name}} }}", "{\"name\": \"N\"}", " }}");   /* ends at the first }} */
}

static void test_chinese(void **state)
{
    (void)state;
    const char *data = "单位: 佛山市某木制品有限公司\n"
                       "隐患:\n"
                       "  - {编号: A1, 描述: \"除尘系统未设置泄爆装置 <重大>\"}\n"
                       "  - {编号: A2, 描述: 砂光机未接地}\n";
    check("<h1>{{单位}} 检查报告</h1>\n"
          "{{#隐患}}\n"
          "<p>{{编号}}：{{描述}}</p>\n"
          "{{/隐患}}\n"
          "{{^隐患}}\n"
          "<p>未发现隐患。</p>\n"
          "{{/隐患}}\n",
          data,
          "<h1>佛山市某木制品有限公司 检查报告</h1>\n"
          "<p>A1：除尘系统未设置泄爆装置 &lt;重大&gt;</p>\n"
          "<p>A2：砂光机未接地</p>\n");
    check("{{{单位}}}", data, "佛山市某木制品有限公司");
    check("重大事故隐患：{{none}}。", NULL, "重大事故隐患：。");
}

static void test_errors(void **state)
{
    (void)state;
    check_error("<p>\n  {{#items}}\n  x\n", NULL, 2, 3, "unclosed section 'items'");
    check_error("{{#a}}{{#b}}", NULL, 1, 7, "unclosed section 'b'");
    check_error("{{#a}}\n {{#b}}x{{/a}}", NULL, 2, 9,
                "'{{/a}}' does not close the open section 'b' (opened at 2:2)");
    check_error("ok\n{{/a}}", NULL, 2, 1, "'{{/a}}' closes no open section");
    check_error("{{^a}}{{/b}}", NULL, 1, 7, "does not close the open section 'a'");
    check_error("x {{%pragma}}", NULL, 1, 3, "unknown tag kind '%'");
    check_error("x\n\n   {{ ?x}}", NULL, 3, 4, "unknown tag kind '?'");
    check_error("a\n b {{> header}}", NULL, 2, 4, "partials ('{{>') are not supported");
    check_error("{{=<% %>=}}<% a %>", NULL, 1, 1, "delimiter changes ('{{=') are not supported");
    check_error("{{<parent}}{{/parent}}", NULL, 1, 1, "template inheritance");
    check_error("{{$block}}{{/block}}", NULL, 1, 1, "template inheritance");
    check_error("ab{{name", NULL, 1, 3, "unclosed tag: '{{' without '}}'");
    check_error("{{{name}}", NULL, 1, 1, "'{{{' closed by '}}' instead of '}}}'");
    check_error("{{{name", NULL, 1, 1, "unclosed tag: '{{{' without '}}}'");
    check_error("{{a b}}", NULL, 1, 1, "invalid name 'a b' in tag");
    check_error("{{a..b}}", NULL, 1, 1, "invalid name 'a..b'");
    check_error("{{.a}}", NULL, 1, 1, "invalid name '.a'");
    check_error("{{#}}{{/}}", NULL, 1, 1, "tag without a name");
    check_error("{{ }}", NULL, 1, 1, "empty tag");
    /* columns count characters, not bytes */
    check_error("检查{{#隐患}}", NULL, 1, 3, "unclosed section '隐患'");
    check_error("一\n二三{{>p}}", NULL, 2, 3, "partials");
    /* malformed anywhere means nothing renders, even with good data */
    check_error("{{name}} then {{#x}}", "{\"name\": \"N\"}", 1, 15, "unclosed section 'x'");
    /* the diagnostic prints as name:line:col: message */
    hc_diags d = {0};
    hc_buf out = {0};
    assert_int_equal(hc_template_render("\n {{/x}}", 8, "notice.html", NULL, &out, &d), -1);
    char *text = NULL;
    size_t tlen = 0;
    FILE *f = open_memstream(&text, &tlen);
    assert_non_null(f);
    hc_diags_print(&d, f);
    fclose(f);
    assert_string_equal(text, "notice.html:2:2: '{{/x}}' closes no open section\n");
    free(text);
    hc_buf_free(&out);
}

/* n nested sections over 'a' (true), with "x" at the centre. */
static char *nested(int n)
{
    hc_buf b = {0};
    for (int i = 0; i < n; i++) hc_buf_puts(&b, "{{#a}}");
    hc_buf_puts(&b, "x");
    for (int i = 0; i < n; i++) hc_buf_puts(&b, "{{/a}}");
    return hc_buf_take(&b);
}

static void test_depth_limit(void **state)
{
    (void)state;
    char *t = nested(32);
    check(t, "{\"a\": true}", "x");
    free(t);
    /* a mapping pushes a frame at every level: 32 frames above the root */
    t = nested(32);
    check(t, "{\"a\": {\"a\": {}}}", "x");
    free(t);
    t = nested(33);
    check_error(t, "{\"a\": true}", 1, 1 + 32 * 6, "sections nested deeper than 32");
    free(t);
    t = nested(1000);
    check_error(t, NULL, 1, 1 + 32 * 6, "sections nested deeper than 32");
    free(t);
}

/* A list of n small mappings as JSON. */
static hc_doc *list_doc(int n)
{
    hc_buf b = {0};
    hc_buf_puts(&b, "{\"l\": [");
    for (int i = 0; i < n; i++) hc_buf_printf(&b, "%s{\"i\": %d}", i ? "," : "", i);
    hc_buf_puts(&b, "]}");
    hc_doc *doc = load(b.data);
    hc_buf_free(&b);
    return doc;
}

static void test_output_limit(void **state)
{
    (void)state;
    hc_doc *doc = list_doc(1000);
    /* 1000 x 1000 x 1000 x 128 bytes would be 128 GB */
    hc_buf t = {0};
    hc_buf_puts(&t, "{{#l}}{{#l}}\n{{#l}}");
    for (int i = 0; i < 8; i++) hc_buf_puts(&t, "0123456789abcdef");
    hc_buf_puts(&t, "{{/l}}{{/l}}{{/l}}");
    hc_diags d = {0};
    hc_buf out = {0};
    assert_int_equal(hc_template_render(t.data, t.len, "big.html", hc_doc_root(doc), &out, &d), -1);
    const hc_diag *g = tu_find_diag(&d, "output larger than 64 MiB");
    assert_non_null(g);
    assert_int_equal(d.n, 1);
    assert_int_equal(g->line, 2);      /* the text being written when the limit was reached */
    assert_int_equal(g->col, 7);
    assert_int_equal(out.len, 0);
    assert_true(out.cap <= ((size_t)128 << 20));
    hc_diags_clear(&d);

    /* exactly at the limit is fine; one byte more is not */
    hc_buf_reset(&out);
    hc_buf_puts(&out, "kept");
    assert_int_equal(hc_template_render_limits("{{#l}}ab{{/l}}", 14, "t", hc_doc_root(doc),
                                               2000, HC_TEMPLATE_MAX_WORK, &out, &d), 0);
    assert_int_equal(out.len, 4 + 2000);
    hc_buf_reset(&out);
    hc_buf_puts(&out, "kept");
    assert_int_equal(hc_template_render_limits("{{#l}}ab{{/l}}", 14, "t", hc_doc_root(doc),
                                               1999, HC_TEMPLATE_MAX_WORK, &out, &d), -1);
    assert_true(tu_has_diag(&d, "output larger than 1999 bytes"));
    assert_string_equal(out.data, "kept");
    hc_diags_clear(&d);
    hc_buf_free(&out);
    hc_buf_free(&t);
    hc_doc_free(&doc);
}

static void test_work_limit(void **state)
{
    (void)state;
    hc_doc *doc = list_doc(1000);
    /* nested loops that write nothing: 1000^6 iterations unless stopped */
    const char *t = "{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{missing}}{{/l}}{{/l}}{{/l}}{{/l}}"
                    "{{/l}}{{/l}}";
    hc_diags d = {0};
    hc_buf out = {0};
    /* a million iterations that write nothing: over a budget of a million, under 10^8 */
    const char *t2 = "{{#l}}{{#l}}{{missing}}{{/l}}{{/l}}";
    assert_int_equal(hc_template_render_limits(t2, strlen(t2), "t", hc_doc_root(doc), 100,
                                               100000000, &out, &d), 0);
    assert_int_equal(d.n, 0);
    assert_int_equal(out.len, 0);
    assert_int_equal(hc_template_render_limits(t2, strlen(t2), "t", hc_doc_root(doc), 100,
                                               1000000, &out, &d), -1);
    const hc_diag *g = tu_find_diag(&d, "more than 1000000 units of work");
    assert_non_null(g);
    assert_int_equal(g->col, 13);      /* the {{missing}} being looked up */
    hc_diags_clear(&d);
    assert_int_equal(hc_template_render_limits(t, strlen(t), "t", hc_doc_root(doc), 100,
                                               1000000, &out, &d), -1);
    assert_int_equal(d.n, 1);
    assert_true(tu_has_diag(&d, "more than 1000000 units of work"));
    assert_int_equal(out.len, 0);
    hc_diags_clear(&d);
    /* a normal report is far below the budget */
    assert_int_equal(hc_template_render_limits("{{#l}}{{i}},{{/l}}", 18, "t", hc_doc_root(doc),
                                               100000, 1000000, &out, &d), 0);
    assert_int_equal(d.n, 0);
    assert_int_equal(strncmp(out.data, "0,1,2,", 6), 0);
    hc_buf_free(&out);
    hc_doc_free(&doc);
}

static void test_appends_and_reuse(void **state)
{
    (void)state;
    hc_doc *doc = load("{\"v\": \"<v>\"}");
    hc_diags d = {0};
    hc_buf out = {0};
    const char *t = "[{{v}}]";
    assert_int_equal(hc_template_render(t, strlen(t), "t", hc_doc_root(doc), &out, &d), 0);
    assert_int_equal(hc_template_render(t, 3, "t", hc_doc_root(doc), &out, &d), -1);   /* "[{{" */
    hc_diags_clear(&d);
    /* the second call saw only "[{{": an unclosed tag, so nothing was added */
    assert_string_equal(out.data, "[&lt;v&gt;]");
    assert_int_equal(hc_template_render(t, strlen(t), "t", hc_doc_root(doc), &out, &d), 0);
    assert_string_equal(out.data, "[&lt;v&gt;][&lt;v&gt;]");
    /* a template with NUL bytes and no terminator */
    const char raw[] = {'a', '\0', '{', '{', 'v', '}', '}', 'X'};
    hc_buf_reset(&out);
    assert_int_equal(hc_template_render(raw, 7, "t", hc_doc_root(doc), &out, &d), 0);
    assert_int_equal(out.len, 2 + 9);
    assert_memory_equal(out.data, "a\0&lt;v&gt;", 11);
    hc_buf_free(&out);
    hc_doc_free(&doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_variables),
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_sections_list_map_scalar),
        cmocka_unit_test(test_falsy),
        cmocka_unit_test(test_inverted),
        cmocka_unit_test(test_context_stack),
        cmocka_unit_test(test_dot),
        cmocka_unit_test(test_standalone),
        cmocka_unit_test(test_comments),
        cmocka_unit_test(test_chinese),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_output_limit),
        cmocka_unit_test(test_work_limit),
        cmocka_unit_test(test_appends_and_reuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
