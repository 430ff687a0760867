/*
** test_sandbox.c: every escape we could think of, budgets, read-only data,
** strictness, modules, and the two Debian liblua5.4 5.4.4 reproducers.
** Each rule must end in a clean outcome; the process must never crash.
*/
#include "engine/sandbox.h"
#include "testutil.h"

static hc_sandbox *sb;
static hc_limits lim;

static int setup(void **state)
{
    (void)state;
    hc_limits_default(&lim);
    lim.lua_instructions = 2000000;
    lim.lua_memory = 16u << 20;
    lim.lua_millis = 3000;
    const char *dirs[] = {"tests/data/rules"};
    sb = hc_sandbox_new(&lim, dirs, 1);
    return sb ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    hc_sandbox_free(&sb);
    return 0;
}

/* Compile 'code' (a chunk, or an expression), begin an empty context, run it. */
static hc_outcome_kind run(const char *code, int is_expr, hc_buf *msg)
{
    int ref;
    hc_buf err = {0};
    unsigned line;
    if (hc_sandbox_compile(sb, code, strlen(code), is_expr, "rule.yaml", 10, &ref, NULL, NULL,
                           &err, &line) != 0) {
        fprintf(stderr, "compile error: %s\n", err.data);
        hc_buf_free(&err);
        return (hc_outcome_kind)-1;
    }
    hc_sb_context ctx = {0};
    ctx.date = "2026-09-09";
    assert_int_equal(hc_sandbox_begin(sb, &ctx, &err), 0);
    hc_outcome o = {0};
    hc_sandbox_run(sb, ref, 0, &o);
    hc_sandbox_release(sb, ref);
    hc_buf_reset(msg);
    if (o.has_msg) hc_buf_put(msg, o.msg.data, o.msg.len);
    hc_buf_free(&o.msg);
    hc_buf_free(&err);
    return o.kind;
}

/* The code must raise an error whose message contains 'needle'. */
static void must_error(const char *code, const char *needle)
{
    hc_buf m = {0};
    hc_outcome_kind k = run(code, 0, &m);
    if (k != HC_OUT_ERROR || (needle && strstr(m.data ? m.data : "", needle) == NULL))
        fprintf(stderr, "code: %s\nkind %d, message: %s\n", code, k, m.data ? m.data : "");
    assert_int_equal(k, HC_OUT_ERROR);
    if (needle) assert_non_null(strstr(m.data, needle));
    hc_buf_free(&m);
}

static void must_be_true(const char *code)
{
    hc_buf m = {0};
    hc_outcome_kind k = run(code, 0, &m);
    if (k != HC_OUT_TRUE) fprintf(stderr, "code: %s\nkind %d, message: %s\n", code, k, m.data ? m.data : "");
    assert_int_equal(k, HC_OUT_TRUE);
    hc_buf_free(&m);
}

static void test_environment_is_the_allow_list(void **state)
{
    (void)state;
    static const char *const absent[] = {
        "io", "os", "debug", "package", "load", "loadstring", "dofile", "loadfile",
        "collectgarbage", "getmetatable", "setmetatable", "coroutine", "print", "warn",
        "rawset", "_G", "module", "xpcall", "newproxy", NULL};
    for (int i = 0; absent[i]; i++) {
        char code[128];
        snprintf(code, sizeof code, "return %s", absent[i]);
        must_error(code, "undefined name");
    }
    static const char *const present[] = {
        "string", "table", "math", "utf8", "pairs", "ipairs", "next", "select", "type",
        "tostring", "tonumber", "error", "assert", "pcall", "rawequal", "rawlen", "rawget",
        "obs", "answers", "site", "inspection", "pass", "fail", "na", "require", NULL};
    for (int i = 0; present[i]; i++) {
        char code[128];
        snprintf(code, sizeof code, "return %s ~= nil", present[i]);
        must_be_true(code);
    }
    must_be_true("return string.dump == nil and math.random == nil and math.randomseed == nil");
    must_be_true("return ('').dump == nil");      /* not even through the string metatable */
    must_be_true("return string.format('%d', 3) == '3' and ('ab'):upper() == 'AB'");
}

static void test_no_bytecode(void **state)
{
    (void)state;
    int ref;
    hc_buf err = {0};
    unsigned line = 0;
    const char bc[] = "\x1bLua\x54\x00\x19\x93";
    assert_int_not_equal(hc_sandbox_compile(sb, bc, sizeof bc - 1, 0, "b.yaml", 1, &ref, NULL,
                                            NULL, &err, &line), 0);
    assert_non_null(strstr(err.data, "binary chunk"));
    hc_buf_free(&err);
    must_error("return require('bytecode')", "binary chunk");
}

static void test_strict_globals(void **state)
{
    (void)state;
    must_error("x = 1 return true", "assignment to global 'x'");
    must_error("function f() end return true", "assignment to global 'f'");
    must_error("return undefined_thing", "undefined name 'undefined_thing'");
    must_error("_ENV.obs = 1 return true", "assignment to global 'obs'");
    must_error("string = nil return true", "assignment to global 'string'");
    /* a local is fine, and nothing survives between calls */
    must_be_true("local x = 1 return x == 1");
    must_error("return x", "undefined name 'x'");
}

static void test_read_only_tables(void **state)
{
    (void)state;
    must_error("obs.a = 1 return true", "read-only");
    must_error("site.x = 1 return true", "read-only");
    must_error("inspection.date = 'x' return true", "read-only");
    must_error("answers.D01 = {} return true", "read-only");
    must_error("string.upper = nil return true", "read-only");
    must_error("math.pi = 3 return true", "read-only");
    must_error("table.insert = nil return true", "read-only");
    must_error("table.insert(obs, 1) return true", "read-only");
    must_error("('').x = 1 return true", "index a string");
    must_error("local m = require('testmod') m.double = nil return true", "read-only");
    must_error("local m = require('testmod') m.limits.nested.deep = 1 return true", "read-only");
    must_error("local m = require('testmod') rawequal(m, m) m.limits.dust = 2 return true", "read-only");
    /* reading them works */
    must_be_true("local m = require('testmod') return m.double(21) == 42 and m.limits.nested.deep == 42");
    must_be_true("return require('testmod') == require('testmod')");
    must_be_true("return inspection.date == '2026-09-09'");
}

static void test_require_paths(void **state)
{
    (void)state;
    must_error("return require('../etc/passwd')", "bad module name");
    must_error("return require('a/b')", "bad module name");
    must_error("return require('os')", "not found");
    must_error("return require('')", "bad module name");
    must_error("return require('globalwriter')", "assignment to global 'leaked'");
}

static void test_instruction_budget(void **state)
{
    (void)state;
    must_error("while true do end", "instruction budget");
    must_error("while true do pcall(function() while true do end end) end", "instruction budget");
    must_error("local function f() while true do end end "
               "for i = 1, 100 do pcall(f) end return true", "instruction budget");
    must_error("local ok, e = pcall(function() while true do end end) return ok", "instruction budget");
    /* after a budget error the next rule runs normally */
    must_be_true("local s = 0 for i = 1, 1000 do s = s + i end return s == 500500");
}

static void test_memory_budget(void **state)
{
    (void)state;
    must_error("local s = string.rep('x', 1 << 30) return true", "memory budget");
    must_error("local t = {} for i = 1, 1e8 do t[i] = i end return true", "budget");
    must_error("local s = string.rep('x', 1000) for i = 1, 30 do s = s:gsub('x', 'xx') end return true",
               "budget");
    must_error("local t = {} local s = ('x'):rep(1000) for i = 1, 1e6 do t[i] = s .. i end return true",
               "budget");
    /* the state stays usable and does not keep the garbage */
    must_be_true("return #string.rep('y', 1000) == 1000");
    assert_true(hc_sandbox_memory(sb) < lim.lua_memory);
}

static void test_pattern_bombs(void **state)
{
    (void)state;
    must_error("return (('a'):rep(5000)):find(('a*'):rep(30) .. 'b')", "too costly");
    must_error("return string.match(('a'):rep(100000), '(.-)(.-)(.-)x')", "too costly");
    must_error("local s = ('a'):rep(5000) return s:gsub(('a?'):rep(20), 'x')", "too costly");
    /* ordinary patterns, plain finds and the method syntax still work */
    must_be_true("return ('Ex ta IIIB T135°C Da'):find('Da', 1, true) ~= nil");
    must_be_true("return select(2, ('a,b,,c'):gsub(',', ';')) == 3");
    must_be_true("return ('GB15577-2018 8.3'):match('^(%w+)%-(%d+)') == 'GB15577'");
    must_be_true("local n = 0 for w in ('a b c'):gmatch('%a') do n = n + 1 end return n == 3");
    must_be_true("return (('x'):rep(100000)):find('y', 1, true) == nil");
}

static void test_recursion_and_errors(void **state)
{
    (void)state;
    must_error("local function f(n) return f(n + 1) + 1 end return f(1)", NULL);
    must_error("local function f() return string.gsub('x', 'x', f) end return f()", NULL);
    must_error("error({})", "table value");
    must_error("error(nil)", "nil value");
    must_error("error(42)", "error 42");
    must_error("error(function() end)", "function value");
    must_error("error('plain message')", "plain message");
    must_error("local t = nil return t.x", "rule.yaml:10:");  /* line numbers are the YAML's */
}

static void test_debian_lua_reproducers(void **state)
{
    (void)state;
    /* use-after-free through a script-made __concat (Debian CVE-2022-33099 backport) */
    must_error("local function grow(n) if n > 0 then return grow(n - 1) + 0 end return 0 end\n"
               "local t = setmetatable({}, {__concat = function(a, b) grow(20000); return 'x' end})\n"
               "for i = 1, 50 do local s = t .. 'a' .. 'b'; collectgarbage() end\n",
               "undefined name 'setmetatable'");
    /* stack overflow through nested coroutine.close (fixed upstream in 1e64c139) */
    must_error("local function f(n) local co <close> = setmetatable({}, {__close = function() end}) "
               "if n > 0 then f(n - 1) end end\n"
               "local co = coroutine.wrap(function() f(100000) end) co()\n",
               "undefined name");
    must_error("local co = coroutine.create(function() end) return coroutine.close(co)",
               "undefined name 'coroutine'");
}

static void test_results(void **state)
{
    (void)state;
    hc_buf m = {0};
    assert_int_equal(run("return pass()", 0, &m), HC_OUT_PASS);
    assert_int_equal(run("return fail('泄爆面积不足')", 0, &m), HC_OUT_FAIL);
    assert_string_equal(m.data, "泄爆面积不足");
    assert_int_equal(run("return na('无砂光机')", 0, &m), HC_OUT_NA);
    assert_string_equal(m.data, "无砂光机");
    assert_int_equal(run("return fail(3.5)", 0, &m), HC_OUT_FAIL);
    assert_string_equal(m.data, "3.5");
    assert_int_equal(run("return false", 0, &m), HC_OUT_FALSE);
    assert_int_equal(run("return nil", 0, &m), HC_OUT_NIL);
    assert_int_equal(run("local x = 1", 0, &m), HC_OUT_NOTHING);
    assert_int_equal(run("return {status = 'pass'}", 0, &m), HC_OUT_BAD);   /* no forging */
    assert_int_equal(run("1 + 1 == 2", 1, &m), HC_OUT_TRUE);
    assert_int_equal(run("fail({})", 0, &m), HC_OUT_ERROR);
    assert_non_null(strstr(m.data, "expects a text message"));
    hc_buf_free(&m);
}

static void test_context_values(void **state)
{
    (void)state;
    hc_diags d = {0};
    const char *text = "{id: s1, dust: {kinds: [wood, metal], sanders: 3, dry: true, vol: 1.5, "
                       "code: '0012', none: ~}}";   /* a null value is absent */
    hc_reader *r = hc_reader_open_mem("s.yaml", text, strlen(text), NULL, &d);
    hc_doc *doc;
    assert_int_equal(hc_reader_next(r, &doc, &d), 1);
    hc_reader_close(&r);
    hc_value members[2] = {{.kind = HC_V_STR, .len = 7, .u.s = "venting"},
                           {.kind = HC_V_STR, .len = 8, .u.s = "inerting"}};
    hc_value fields[3] = {{.kind = HC_V_SET, .len = 2, .u.items = members},
                          {.kind = HC_V_NUM, .u.num = 1.25},
                          {.kind = HC_V_NONE}};
    const char *keys[] = {"measures", "area", "optional"};
    hc_value obs = {.kind = HC_V_MAP, .len = 3, .u.items = fields, .keys = keys};
    const hc_value *obsv[] = {&obs, NULL};
    const char *ids[] = {"D03", "D04"};
    hc_sb_context ctx = {hc_doc_root(doc), "i1", "2026-09-09", "enforcement", "孟凡辉", "mini",
                         2, ids, obsv};
    const char *code =
        "local n = 0 for k, v in pairs(site.dust) do n = n + 1 end\n"
        "local kinds = {} for i, k in ipairs(site.dust.kinds) do kinds[i] = k end\n"
        "return n == 5 and #site.dust.kinds == 2 and kinds[2] == 'metal'\n"
        "  and site.dust.sanders == 3 and math.type(site.dust.sanders) == 'integer'\n"
        "  and site.dust.dry == true and site.dust.vol == 1.5 and site.dust.code == '0012'\n"
        "  and site.dust.none == nil and obs.measures.venting == true and #obs.measures == 2\n"
        "  and obs.measures[1] == 'venting' and obs.area == 1.25 and obs.optional == nil\n"
        "  and answers.D03.area == 1.25 and answers.D04 == nil and inspection.inspector == '孟凡辉'\n"
        "  and table.concat(obs.measures, ',') == 'venting,inerting' and next(obs) ~= nil\n";
    int ref;
    hc_buf err = {0};
    unsigned line;
    assert_int_equal(hc_sandbox_compile(sb, code, strlen(code), 0, "c.yaml", 1, &ref, NULL, NULL,
                                        &err, &line), 0);
    assert_int_equal(hc_sandbox_begin(sb, &ctx, &err), 0);
    hc_outcome o = {0};
    hc_sandbox_run(sb, ref, 0, &o);
    if (o.kind != HC_OUT_TRUE) fprintf(stderr, "%d %s\n", o.kind, o.msg.data ? o.msg.data : "");
    assert_int_equal(o.kind, HC_OUT_TRUE);
    /* item 1 has no answers: obs is an empty read-only table */
    hc_sandbox_release(sb, ref);
    const char *empty = "obs.area == nil and #obs == 0 and answers.D03 ~= nil";
    assert_int_equal(hc_sandbox_compile(sb, empty, strlen(empty), 1, "c.yaml", 1, &ref, NULL, NULL,
                                        &err, &line), 0);
    hc_sandbox_run(sb, ref, 1, &o);
    assert_int_equal(o.kind, HC_OUT_TRUE);
    hc_sandbox_release(sb, ref);
    hc_buf_free(&o.msg);
    hc_buf_free(&err);
    hc_doc_free(&doc);
    hc_diags_clear(&d);
}

static void test_compile_lines(void **state)
{
    (void)state;
    int ref, *lines = NULL;
    size_t n = 0;
    hc_buf err = {0};
    unsigned line = 0;
    const char *code = "local a = 1\nif a then\n  return pass()\nend\nreturn fail('x')\n";
    assert_int_equal(hc_sandbox_compile(sb, code, strlen(code), 0, "l.yaml", 20, &ref, &lines, &n,
                                        &err, &line), 0);
    assert_true(n >= 4);
    assert_int_equal(lines[0], 20);
    assert_int_equal(lines[n - 1], 24);
    free(lines);
    hc_sandbox_release(sb, ref);
    const char *bad = "local a = 1\nif a then\n  return pass(\nend\n";
    assert_int_not_equal(hc_sandbox_compile(sb, bad, strlen(bad), 0, "l.yaml", 20, &ref, NULL, NULL,
                                            &err, &line), 0);
    assert_int_equal(line, 23);
    assert_non_null(strstr(err.data, "expected"));
    hc_buf_free(&err);
}

static void test_no_growth_over_many_inspections(void **state)
{
    (void)state;
    hc_buf m = {0};
    hc_sandbox *old = sb;          /* a fresh state: no debt from the bombs above */
    const char *dirs[] = {"tests/data/rules"};
    sb = hc_sandbox_new(&lim, dirs, 1);
    run("return true", 0, &m);
    size_t before = hc_sandbox_memory(sb);
    for (int i = 0; i < 3000; i++)
        run("local t = {} for i = 1, 100 do t[i] = tostring(i) end return #t == 100", 0, &m);
    size_t after = hc_sandbox_memory(sb);
    assert_true(after < before + (1u << 20));
    hc_sandbox_free(&sb);
    sb = old;
    hc_buf_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_environment_is_the_allow_list),
        cmocka_unit_test(test_no_bytecode),
        cmocka_unit_test(test_strict_globals),
        cmocka_unit_test(test_read_only_tables),
        cmocka_unit_test(test_require_paths),
        cmocka_unit_test(test_instruction_budget),
        cmocka_unit_test(test_memory_budget),
        cmocka_unit_test(test_pattern_bombs),
        cmocka_unit_test(test_recursion_and_errors),
        cmocka_unit_test(test_debian_lua_reproducers),
        cmocka_unit_test(test_results),
        cmocka_unit_test(test_context_values),
        cmocka_unit_test(test_compile_lines),
        cmocka_unit_test(test_no_growth_over_many_inspections),
    };
    return cmocka_run_group_tests_name("sandbox", tests, setup, teardown);
}
