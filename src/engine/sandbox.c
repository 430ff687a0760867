/*
** sandbox.c: the Lua 5.4 sandbox for rule code.
**
** Threat model: checklists and rule modules are written by people we do not
** control. Their code must not reach the file system, the process, other
** items' state or the host's memory, and must not run forever.
**
** - The environment is an allow-list (formats.md "What Lua code sees"). Rule
**   code gets no setmetatable, getmetatable, coroutine, load or debug: Debian's
**   liblua5.4 5.4.4 has a use-after-free through a script-made __concat and a
**   crash through nested coroutine.close, and both need those functions.
** - Code is loaded as text only (mode "t"): bytecode is never undumped.
** - Globals are strict: every chunk's _ENV is an always-empty proxy, so any
**   assignment reaches __newindex (an error) and any undefined name reaches
**   an __index that raises. Nothing a rule does outlives its call.
** - obs, answers, site, inspection, library tables and required modules are
**   read-only proxies: an empty table whose metatable (hidden by __metatable)
**   points at the real one. __pairs and __len keep pairs/ipairs/# working
**   without handing the real table out. site, answers and each item's obs
**   make their real table only when a rule first looks inside (push_real);
**   obs.name of a scalar is read from the typed answer itself. A proxy never
**   shows another inspection's data: site and answers proxies are new each
**   inspection and read as empty once it is over; an item's obs proxy is kept
**   and always stands for the current inspection's answer.
** - A count hook enforces an instruction budget per call; once exceeded it
**   re-arms itself to fire on every instruction, so pcall cannot swallow it.
**   The same hook checks a wall-clock budget, which bounds time spent inside
**   long C calls (string.rep, gsub) that the count cannot see.
** - The allocator (small blocks from size-class free lists, except under
**   AddressSanitizer) enforces a byte budget for the whole state; Lua turns a
**   refused allocation into a catchable memory error.
** - Every entry into Lua goes through lua_pcall, so a Lua error never
**   unwinds through our C frames.
*/
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "base/base.h"
#include "engine/sandbox.h"

#define HOOK_STEP 1000      /* instructions between budget checks */
#define POOL_STEP 16        /* small blocks come in sizes of 16, 32, ... POOL_MAX bytes */
#define POOL_MAX 256
#define POOL_CHUNK ((size_t)64 * 1024)

/* Under AddressSanitizer every block is malloc's own, so Lua misuse stays visible. */
#if defined(__SANITIZE_ADDRESS__)
#define USE_POOL 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define USE_POOL 0
#endif
#endif
#ifndef USE_POOL
#define USE_POOL 1
#endif
#define MAX_MSG 4096        /* bytes of a rule's message kept */

struct hc_sandbox {
    lua_State *L;
    size_t mem_used, mem_limit;
    /* the state's small blocks: free lists by size class, carved from chunks */
    void *pool_free[POOL_MAX / POOL_STEP];
    char *pool_next, *pool_end;
    void *pool_chunks;       /* each chunk starts with a pointer to the one before */
    size_t instr_limit, instr_used;
    unsigned millis;
    struct timespec deadline;
    int slow;                /* some run since the last hc_sandbox_slow() reached the hook */
    int exhausted;           /* 0, or which budget broke: 'i' or 't' */
    char **rule_dirs;
    size_t nrule_dirs;
    /* coverage */
    char *cover_source;      /* "@path" */
    unsigned char *hits;
    size_t nhits;
    /* the current inspection, for the proxies made on first use (see push_real) */
    lua_Integer gen;         /* bumped by every hc_sandbox_begin */
    /* registry slots of what every run reads (rawgeti is cheaper than rawgetp) */
    int ref_base, ref_empty, ref_ro_mt, ref_lazy_mt, ref_obs, ref_result_mt;
    size_t *made;            /* items whose obs table this inspection made */
    size_t nmade, made_cap;
    const hc_node *site;
    size_t nitems;
    const char *const *item_ids;
    const hc_value *const *obs;
    /* check --profile: timings by reference, while profiling */
    int profiling;
    hc_rule_timing *timing;
    size_t ntiming;
};

/* Registry keys: addresses of these are unique light userdata. */
static const char KEY_ENV, KEY_BASE, KEY_RESULT_MT, KEY_OBS, KEY_MODULES,
    KEY_LOADING, KEY_EMPTY, KEY_RO_MT, KEY_REAL, KEY_LAZY, KEY_LAZY_MT;

#define REG(L, field) lua_rawgeti((L), LUA_REGISTRYINDEX, get_sb(L)->field)

/* ------------------------------------------------------------- memory */

/*
** Lua makes and drops many small objects per rule (tables, their parts, strings);
** blocks of up to POOL_MAX bytes come from free lists by size class, which cost
** less than malloc and free. Lua always tells the size of a block it hands back,
** so a block needs no header. The memory budget counts the sizes Lua asked for,
** as before; chunks are freed with the sandbox.
*/
static size_t pool_class(size_t size) { return (size + POOL_STEP - 1) / POOL_STEP - 1; }

/* A free block's first bytes hold the next free block (copied with memcpy, so the
   link never aliases the objects Lua later keeps in the same block). */
static void *link_next(const void *block)
{
    void *next;
    memcpy(&next, block, sizeof next);
    return next;
}

static void link_set(void *block, void *next) { memcpy(block, &next, sizeof next); }

static void *pool_get(hc_sandbox *sb, size_t size)
{
    if (!USE_POOL || size > POOL_MAX) return malloc(size);
    size_t c = pool_class(size);
    void *p = sb->pool_free[c];
    if (p != NULL) {
        sb->pool_free[c] = link_next(p);
        return p;
    }
    size_t bytes = (c + 1) * POOL_STEP;
    if ((size_t)(sb->pool_end - sb->pool_next) < bytes) {
        /* the rest of the old chunk is not lost: it goes to the free lists */
        while (sb->pool_next && (size_t)(sb->pool_end - sb->pool_next) >= POOL_STEP) {
            size_t left = (size_t)(sb->pool_end - sb->pool_next);
            size_t k = pool_class(left > POOL_MAX ? POOL_MAX : left - left % POOL_STEP);
            link_set(sb->pool_next, sb->pool_free[k]);
            sb->pool_free[k] = sb->pool_next;
            sb->pool_next += (k + 1) * POOL_STEP;
        }
        char *chunk = malloc(POOL_CHUNK);
        if (chunk == NULL) return NULL;
        link_set(chunk, sb->pool_chunks);
        sb->pool_chunks = chunk;
        sb->pool_next = chunk + POOL_STEP;        /* the link keeps one block's room */
        sb->pool_end = chunk + POOL_CHUNK;
    }
    p = sb->pool_next;
    sb->pool_next += bytes;
    return p;
}

static void pool_put(hc_sandbox *sb, void *p, size_t size)
{
    if (!USE_POOL || size > POOL_MAX) {
        free(p);
        return;
    }
    size_t c = pool_class(size);
    link_set(p, sb->pool_free[c]);
    sb->pool_free[c] = p;
}

static void pool_free_all(hc_sandbox *sb)
{
    while (sb->pool_chunks) {
        void *prev = link_next(sb->pool_chunks);
        free(sb->pool_chunks);
        sb->pool_chunks = prev;
    }
}

static void *sb_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    hc_sandbox *sb = ud;
    if (ptr == NULL) osize = 0;      /* osize is a type tag when ptr is NULL */
    if (nsize == 0) {
        if (ptr) pool_put(sb, ptr, osize);
        sb->mem_used -= osize;
        return NULL;
    }
    if (nsize > osize && nsize - osize > sb->mem_limit - sb->mem_used)
        return NULL;                 /* Lua raises LUA_ERRMEM */
    void *p;
    if (ptr == NULL) {
        p = pool_get(sb, nsize);
    } else if (!USE_POOL || (osize > POOL_MAX && nsize > POOL_MAX)) {
        p = realloc(ptr, nsize);
    } else if (osize <= POOL_MAX && nsize <= POOL_MAX && pool_class(osize) == pool_class(nsize)) {
        p = ptr;                     /* the block has room already */
    } else {
        p = pool_get(sb, nsize);
        if (p != NULL) {
            memcpy(p, ptr, osize < nsize ? osize : nsize);
            pool_put(sb, ptr, osize);
        }
    }
    if (p != NULL) sb->mem_used = sb->mem_used - osize + nsize;
    return p;
}

static int sb_panic(lua_State *L)
{
    const char *m = lua_tostring(L, -1);
    fprintf(stderr, "hazcheck: unprotected Lua error: %s\n", m ? m : "?");
    abort();
}

/* The sandbox lives in the state's extra space: the hook needs it often. */
static hc_sandbox *get_sb(lua_State *L)
{
    hc_sandbox *sb;
    memcpy(&sb, lua_getextraspace(L), sizeof sb);
    return sb;
}

/* ------------------------------------------------------------- budgets */

static int past_deadline(const hc_sandbox *sb)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > sb->deadline.tv_sec ||
           (now.tv_sec == sb->deadline.tv_sec && now.tv_nsec > sb->deadline.tv_nsec);
}

/* The clock is read when the hook first fires, not here: most rules finish
   in fewer than HOOK_STEP instructions and never need it (a clock read per
   rule was 2% of a batch). The few instructions before the first tick are
   not timed, which cannot matter against a budget in milliseconds. */
static void set_deadline(hc_sandbox *sb)
{
    clock_gettime(CLOCK_MONOTONIC, &sb->deadline);
    sb->deadline.tv_sec += sb->millis / 1000;
    sb->deadline.tv_nsec += (long)(sb->millis % 1000) * 1000000L;
    if (sb->deadline.tv_nsec >= 1000000000L) {
        sb->deadline.tv_sec++;
        sb->deadline.tv_nsec -= 1000000000L;
    }
}

static void sb_hook(lua_State *L, lua_Debug *ar)
{
    hc_sandbox *sb = get_sb(L);
    if (ar->event == LUA_HOOKLINE) {
        if (sb->cover_source && lua_getinfo(L, "S", ar) &&
            strcmp(ar->source, sb->cover_source) == 0 && ar->currentline > 0 &&
            (size_t)ar->currentline < sb->nhits)
            sb->hits[ar->currentline] = 1;
        return;
    }
    if (!sb->exhausted) {
        if (sb->instr_used == 0) set_deadline(sb);
        sb->slow = 1;
        sb->instr_used += HOOK_STEP;
        if (sb->instr_used > sb->instr_limit) sb->exhausted = 'i';
        else if (past_deadline(sb)) sb->exhausted = 't';
        else return;
        /* from now on, fire at every instruction: pcall cannot catch up */
        int mask = LUA_MASKCOUNT | (sb->cover_source ? LUA_MASKLINE : 0);
        lua_sethook(L, sb_hook, mask, 1);
    }
    if (sb->exhausted == 'i')
        luaL_error(L, "rule exceeded its instruction budget (%d)", (int)sb->instr_limit);
    luaL_error(L, "rule exceeded its time budget (%d ms)", (int)sb->millis);
}

static void arm(hc_sandbox *sb)
{
    sb->instr_used = 0;
    sb->exhausted = 0;
    int mask = LUA_MASKCOUNT | (sb->cover_source ? LUA_MASKLINE : 0);
    lua_sethook(sb->L, sb_hook, mask, HOOK_STEP);
}

static void disarm(hc_sandbox *sb) { lua_sethook(sb->L, NULL, 0, 0); }

/* ------------------------------------------------------ read-only proxies */

static int ro_newindex(lua_State *L)
{
    if (lua_type(L, 2) == LUA_TSTRING)
        return luaL_error(L, "attempt to change read-only field '%s'", lua_tostring(L, 2));
    return luaL_error(L, "attempt to change a read-only table");
}

/*
** A proxy is an empty-looking table holding its real table under a light
** userdata key that rule code cannot make, with one shared metatable. Rule
** code never gets the key: `next` and `pairs` on a proxy walk the real table
** instead (sb_next), and rawget needs the key. One table per proxy, one
** rawset: cheap enough to build every inspection's answers afresh.
*/
static int is_proxy(lua_State *L, int idx)
{
    if (!lua_getmetatable(L, idx)) return 0;
    REG(L, ref_ro_mt);
    int yes = lua_rawequal(L, -1, -2);
    lua_pop(L, 1);
    if (!yes) {
        REG(L, ref_lazy_mt);
        yes = lua_rawequal(L, -1, -2);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return yes;
}

static void materialize(lua_State *L, lua_Integer what);

/*
** The real table behind the proxy at 'idx' (pushed), or nil.
**
** site and answers are proxies whose real table is made the first time a rule
** looks inside (most rules read only their own obs): until then the proxy holds,
** under KEY_LAZY, which table it stands for and the inspection it belongs to
** (hc_sandbox_begin's generation). A proxy kept past its inspection (only a
** module's upvalue could keep one) and opened later reads as empty: it never
** reaches a context that is gone, nor shows a later inspection's data.
*/
static void push_real(lua_State *L, int idx)
{
    if (lua_type(L, idx) != LUA_TTABLE) {
        lua_pushnil(L);
        return;
    }
    idx = lua_absindex(L, idx);
    if (lua_rawgetp(L, idx, &KEY_REAL) != LUA_TNIL) return;
    if (lua_rawgetp(L, idx, &KEY_LAZY) != LUA_TNUMBER) {
        lua_pop(L, 1);                     /* the nil of KEY_REAL stays */
        return;
    }
    lua_Integer what = lua_tointeger(L, -1);
    lua_pop(L, 2);
    materialize(L, what);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, idx, &KEY_REAL);
}

static int lazy_field(lua_State *L, lua_Integer what);

static int ro_index(lua_State *L)
{
    push_real(L, 1);
    if (!lua_istable(L, -1)) return 0;
    lua_pushvalue(L, 2);
    lua_rawget(L, -2);
    return 1;
}

/* __index of an item's obs (a lazy proxy with its own metatable): a scalar is
   read from the answer itself while the table is not made. */
static int lazy_index(lua_State *L)
{
    if (lua_type(L, 1) != LUA_TTABLE) return 0;
    if (lua_rawgetp(L, 1, &KEY_LAZY) == LUA_TNUMBER && lazy_field(L, lua_tointeger(L, -1)))
        return 1;
    lua_pop(L, 1);
    push_real(L, 1);
    if (!lua_istable(L, -1)) return 0;
    lua_pushvalue(L, 2);
    lua_rawget(L, -2);
    return 1;
}

static int ro_len(lua_State *L)
{
    push_real(L, 1);
    lua_pushinteger(L, lua_istable(L, -1) ? (lua_Integer)lua_rawlen(L, -1) : 0);
    return 1;
}

/* `next` for rules: on a proxy it walks the real table. */
static int sb_next(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 2);
    if (is_proxy(L, 1)) {
        push_real(L, 1);
        lua_replace(L, 1);
    }
    if (lua_next(L, 1)) return 2;
    lua_pushnil(L);
    return 1;
}

static int ro_pairs(lua_State *L)
{
    lua_pushcfunction(L, sb_next);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

/* Replace the table on top of the stack by a read-only proxy of it. */
static void freeze_top(lua_State *L)
{
    luaL_checkstack(L, 3, "freezing a table");
    lua_createtable(L, 0, 1);          /* real proxy */
    lua_insert(L, -2);                 /* proxy real */
    lua_rawsetp(L, -2, &KEY_REAL);     /* proxy */
    if (get_sb(L)->ref_ro_mt) REG(L, ref_ro_mt);
    else lua_rawgetp(L, LUA_REGISTRYINDEX, &KEY_RO_MT);
    lua_setmetatable(L, -2);
}

/* Freeze the table on top and, recursively, every table in it (modules). */
static void deep_freeze_top(lua_State *L, int seen)
{
    luaL_checkstack(L, 6, "freezing a module");
    lua_pushvalue(L, -1);
    if (lua_rawget(L, seen) != LUA_TNIL) {   /* already frozen: use the proxy */
        lua_remove(L, -2);
        return;
    }
    lua_pop(L, 1);
    int t = lua_gettop(L);
    /* register first so cycles find the proxy */
    lua_pushvalue(L, t);
    freeze_top(L);
    lua_pushvalue(L, t);
    lua_pushvalue(L, -2);
    lua_rawset(L, seen);
    lua_pop(L, 1);
    lua_pushnil(L);
    while (lua_next(L, t)) {
        if (lua_type(L, -1) == LUA_TTABLE) {
            deep_freeze_top(L, seen);
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_rawset(L, t);            /* replacing an existing key is allowed mid-next */
        } else {
            lua_pop(L, 1);
        }
    }
    lua_pushvalue(L, t);
    lua_rawget(L, seen);
    lua_replace(L, t);
}

/* ----------------------------------------------------- environment */

static int env_newindex(lua_State *L)
{
    const char *k = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : "?";
    return luaL_error(L, "assignment to global '%s'; declare it with 'local'", k);
}

static int env_undefined(lua_State *L)
{
    const char *k = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : "?";
    return luaL_error(L, "undefined name '%s'", k);
}

static int make_result(lua_State *L, const char *status, int needs_msg)
{
    int t = lua_type(L, 1);
    if (t != LUA_TNONE && t != LUA_TNIL && t != LUA_TSTRING && t != LUA_TNUMBER)
        return luaL_error(L, "%s() expects a text message, got a %s", status,
                          lua_typename(L, t));
    (void)needs_msg;
    lua_createtable(L, 2, 0);
    lua_pushstring(L, status);
    lua_rawseti(L, -2, 1);
    if (t == LUA_TSTRING || t == LUA_TNUMBER) {
        lua_pushvalue(L, 1);
        lua_tostring(L, -1);          /* numbers become text, in place */
        lua_rawseti(L, -2, 2);
    }
    REG(L, ref_result_mt);
    lua_setmetatable(L, -2);
    return 1;
}

static int l_pass(lua_State *L) { return make_result(L, "pass", 0); }
static int l_fail(lua_State *L) { return make_result(L, "fail", 1); }
static int l_na(lua_State *L) { return make_result(L, "na", 1); }

static int valid_module_name(const char *s)
{
    if (*s == '\0' || strlen(s) > 64) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' ||
              (*s >= 'A' && *s <= 'Z')))
            return 0;
    return 1;
}

static int l_require(lua_State *L)
{
    hc_sandbox *sb = get_sb(L);
    const char *name = luaL_checkstring(L, 1);
    if (!valid_module_name(name))
        return luaL_error(L, "require: bad module name '%s'; expected letters, digits, _", name);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &KEY_MODULES);
    if (lua_getfield(L, -1, name) != LUA_TNIL) return 1;
    lua_pop(L, 1);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &KEY_LOADING);
    if (lua_getfield(L, -1, name) != LUA_TNIL)
        return luaL_error(L, "require: module '%s' requires itself (a cycle)", name);
    lua_pop(L, 1);
    /* find rules/<name>.lua in the rule directories, in order */
    char *src = NULL;
    size_t len = 0;
    char path[4096];
    for (size_t i = 0; i < sb->nrule_dirs && src == NULL; i++) {
        snprintf(path, sizeof path, "%s/%s.lua", sb->rule_dirs[i], name);
        char err[256];
        if (hc_read_file(path, 1u << 20, &src, &len, err, sizeof err) != 0) src = NULL;
    }
    if (src == NULL) return luaL_error(L, "require: module '%s' not found in the rule folders", name);
    char chunk[4200];
    snprintf(chunk, sizeof chunk, "@%s", path);
    int st = luaL_loadbufferx(L, src, len, chunk, "t");
    free(src);
    if (st != LUA_OK) return lua_error(L);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &KEY_ENV);
    if (lua_setupvalue(L, -2, 1) == NULL) lua_pop(L, 1);
    lua_pushboolean(L, 1);
    lua_setfield(L, -3, name);          /* loading[name] = true */
    lua_call(L, 0, 1);
    lua_pushnil(L);
    lua_setfield(L, -3, name);          /* loading[name] = nil */
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_pushboolean(L, 1);
    }
    if (lua_istable(L, -1)) {
        lua_newtable(L);
        lua_insert(L, -2);
        deep_freeze_top(L, lua_gettop(L) - 1);
        lua_remove(L, -2);
    }
    lua_pushvalue(L, -1);
    lua_setfield(L, -4, name);          /* modules[name] = frozen */
    return 1;
}

/*
** Lua's pattern matcher backtracks inside one C call, where neither the
** instruction hook nor the clock can stop it: `("a"):rep(5000):find(("a*"):rep(30) .. "b")`
** would run for hours. Before matching, bound the work: with q quantifiers
** a match costs about n^(q+1) steps for a text of n bytes; refuse above 1e9.
*/
static int pattern_quantifiers(const char *p, size_t n)
{
    int q = 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c == '%') {
            if (i + 1 < n && p[i + 1] == 'b') i += 3;       /* %bxy */
            else if (i + 1 < n && p[i + 1] == 'f') i += 1;  /* %f[set]: the set follows */
            else i++;
        } else if (c == '[') {
            i++;
            if (i < n && p[i] == '^') i++;
            if (i < n && p[i] == ']') i++;
            while (i < n && p[i] != ']') {
                if (p[i] == '%') i++;
                i++;
            }
        } else if (c == '*' || c == '+' || c == '-' || c == '?') {
            q++;
        }
    }
    return q;
}

static int guarded_match(lua_State *L)
{
    size_t n = 0, m = 0;
    if (lua_type(L, 1) == LUA_TSTRING || lua_type(L, 1) == LUA_TNUMBER) lua_tolstring(L, 1, &n);
    const char *pat = lua_type(L, 2) == LUA_TSTRING ? lua_tolstring(L, 2, &m) : NULL;
    int plain = lua_toboolean(L, 4) && lua_tocfunction(L, lua_upvalueindex(2)) != NULL;
    if (pat && !plain) {
        double cost = (double)(m + 1);
        int q = pattern_quantifiers(pat, m);
        int anchored = m > 0 && pat[0] == '^';     /* one start position, not n */
        for (int i = anchored; i <= q && cost <= 1e9; i++) cost *= (double)(n + 1);
        if (cost > 1e9)
            return luaL_error(L, "pattern with %d repetitions is too costly for a text of %d bytes",
                              q, (int)n);
    }
    int top = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, top, LUA_MULTRET);
    return lua_gettop(L);
}

/* Replace string[name] by the guard around it; 'has_plain' for find's 4th argument. */
static void guard(lua_State *L, int lib, const char *name, int has_plain)
{
    lua_getfield(L, lib, name);
    if (has_plain) lua_pushcfunction(L, guarded_match);   /* marks: honour 'plain' */
    else lua_pushnil(L);
    lua_pushcclosure(L, guarded_match, 2);
    lua_setfield(L, lib, name);
}

/* Copy the allowed fields of library table at top into a fresh table, frozen. */
static void copy_allowed(lua_State *L, const char *const *drop)
{
    int lib = lua_gettop(L);
    for (int i = 0; drop && drop[i]; i++) {
        lua_pushnil(L);
        lua_setfield(L, lib, drop[i]);   /* from the real table: also via "" metatable */
    }
    freeze_top(L);
}

static int sb_init(lua_State *L)
{
    lua_settop(L, 0);
    /* base library into the state's own globals, which rules never see */
    luaL_requiref(L, "_G", luaopen_base, 1);
    int g = lua_gettop(L);
    luaL_requiref(L, "string", luaopen_string, 0);
    luaL_requiref(L, "table", luaopen_table, 0);
    luaL_requiref(L, "math", luaopen_math, 0);
    luaL_requiref(L, "utf8", luaopen_utf8, 0);
    /* stack: _G string table math utf8 */

    /* the one metatable of every read-only proxy */
    lua_createtable(L, 0, 5);
    lua_pushcfunction(L, ro_index);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, ro_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushcfunction(L, ro_len);
    lua_setfield(L, -2, "__len");
    lua_pushcfunction(L, ro_pairs);
    lua_setfield(L, -2, "__pairs");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &KEY_RO_MT);
    /* the same for an item's obs before its table is made, with its own __index */
    lua_createtable(L, 0, 5);
    lua_pushnil(L);
    while (lua_next(L, -3)) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -4);
    }
    lua_pushcfunction(L, lazy_index);
    lua_setfield(L, -2, "__index");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &KEY_LAZY_MT);
    lua_pop(L, 1);

    /* the shared string metatable: hide it and drop string.dump for good */
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 2);

    lua_createtable(L, 0, 32);          /* base */
    int base = lua_gettop(L);
    lua_pushcfunction(L, sb_next);
    lua_setfield(L, base, "next");
    static const char *const base_names[] = {"pairs", "ipairs", "select", "type",
                                             "tostring", "tonumber", "error", "assert",
                                             "pcall", "rawequal", "rawlen", "rawget", NULL};
    for (int i = 0; base_names[i]; i++) {
        lua_getfield(L, g, base_names[i]);
        lua_setfield(L, base, base_names[i]);
    }
    guard(L, g + 1, "find", 1);
    guard(L, g + 1, "match", 0);
    guard(L, g + 1, "gmatch", 0);
    guard(L, g + 1, "gsub", 0);
    static const char *const string_drop[] = {"dump", NULL};
    static const char *const math_drop[] = {"random", "randomseed", NULL};
    lua_pushvalue(L, g + 1);
    copy_allowed(L, string_drop);
    lua_setfield(L, base, "string");
    lua_pushvalue(L, g + 2);
    copy_allowed(L, NULL);
    lua_setfield(L, base, "table");
    lua_pushvalue(L, g + 3);
    copy_allowed(L, math_drop);
    lua_setfield(L, base, "math");
    lua_pushvalue(L, g + 4);
    copy_allowed(L, NULL);
    lua_setfield(L, base, "utf8");
    lua_pushcfunction(L, l_pass);
    lua_setfield(L, base, "pass");
    lua_pushcfunction(L, l_fail);
    lua_setfield(L, base, "fail");
    lua_pushcfunction(L, l_na);
    lua_setfield(L, base, "na");
    lua_pushcfunction(L, l_require);
    lua_setfield(L, base, "require");

    /* the empty read-only table stands for absent obs, site, answers */
    lua_newtable(L);
    freeze_top(L);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &KEY_EMPTY);
    lua_pushvalue(L, -1);
    lua_setfield(L, base, "obs");
    lua_pushvalue(L, -1);
    lua_setfield(L, base, "answers");
    lua_pushvalue(L, -1);
    lua_setfield(L, base, "site");
    lua_setfield(L, base, "inspection");

    lua_createtable(L, 0, 2);           /* base's metatable: undefined names raise */
    lua_pushcfunction(L, env_undefined);
    lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, base);
    lua_pushvalue(L, base);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &KEY_BASE);

    lua_newtable(L);                    /* _ENV: always empty, so writes reach __newindex */
    lua_createtable(L, 0, 3);
    lua_pushvalue(L, base);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, env_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &KEY_ENV);

    lua_createtable(L, 0, 1);           /* marks results of pass/fail/na */
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &KEY_RESULT_MT);
    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &KEY_MODULES);
    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &KEY_LOADING);
    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &KEY_OBS);
    hc_sandbox *sb = get_sb(L);
    static const char *const keys[] = {&KEY_BASE, &KEY_EMPTY, &KEY_RO_MT, &KEY_LAZY_MT, &KEY_OBS,
                                       &KEY_RESULT_MT};
    int *refs[] = {&sb->ref_base, &sb->ref_empty, &sb->ref_ro_mt, &sb->ref_lazy_mt, &sb->ref_obs,
                   &sb->ref_result_mt};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        lua_rawgetp(L, LUA_REGISTRYINDEX, keys[i]);
        *refs[i] = luaL_ref(L, LUA_REGISTRYINDEX);
    }
    lua_settop(L, 0);
    return 0;
}

/* Run fn(ud) under lua_pcall; on error put the message in err. */
static int protected_call(hc_sandbox *sb, lua_CFunction fn, void *ud, hc_buf *err);

hc_sandbox *hc_sandbox_new(const hc_limits *lim, const char *const *rule_dirs,
                           size_t nrule_dirs)
{
    hc_sandbox *sb = hc_xcalloc(1, sizeof *sb);
    hc_limits def;
    if (lim == NULL) {
        hc_limits_default(&def);
        lim = &def;
    }
    sb->mem_limit = lim->lua_memory;
    sb->instr_limit = lim->lua_instructions;
    sb->millis = lim->lua_millis;
    sb->L = lua_newstate(sb_alloc, sb);
    if (sb->L == NULL) {
        free(sb);
        return NULL;
    }
    lua_atpanic(sb->L, sb_panic);
    memcpy(lua_getextraspace(sb->L), &sb, sizeof sb);
    sb->rule_dirs = hc_xcalloc(nrule_dirs ? nrule_dirs : 1, sizeof(char *));
    for (size_t i = 0; i < nrule_dirs; i++) sb->rule_dirs[i] = hc_xstrdup(rule_dirs[i]);
    sb->nrule_dirs = nrule_dirs;
    hc_buf err = {0};
    if (protected_call(sb, sb_init, NULL, &err) != 0) {
        hc_buf_free(&err);
        hc_sandbox_free(&sb);
        return NULL;
    }
    hc_buf_free(&err);
    return sb;
}

void hc_sandbox_free(hc_sandbox **sbp)
{
    if (sbp == NULL || *sbp == NULL) return;
    hc_sandbox *sb = *sbp;
    if (sb->L) lua_close(sb->L);
    pool_free_all(sb);
    free(sb->made);
    for (size_t i = 0; i < sb->nrule_dirs; i++) free(sb->rule_dirs[i]);
    free(sb->rule_dirs);
    free(sb->cover_source);
    free(sb->timing);
    free(sb);
    *sbp = NULL;
}

size_t hc_sandbox_memory(const hc_sandbox *sb) { return sb->mem_used; }

int hc_sandbox_slow(hc_sandbox *sb)
{
    int was = sb->slow;
    sb->slow = 0;
    return was;
}

/* A Lua error object as text, without calling any metamethod. */
static void error_text(lua_State *L, int idx, hc_buf *out)
{
    switch (lua_type(L, idx)) {
    case LUA_TSTRING: {
        size_t n;
        const char *s = lua_tolstring(L, idx, &n);
        hc_buf_put(out, s, n > MAX_MSG ? MAX_MSG : n);
        break;
    }
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx)) hc_buf_printf(out, "error %lld", (long long)lua_tointeger(L, idx));
        else hc_buf_printf(out, "error %g", lua_tonumber(L, idx));
        break;
    default:
        hc_buf_printf(out, "error raised with a %s value instead of a message",
                      lua_typename(L, lua_type(L, idx)));
    }
}

static int protected_call(hc_sandbox *sb, lua_CFunction fn, void *ud, hc_buf *err)
{
    lua_State *L = sb->L;
    lua_settop(L, 0);
    lua_pushcfunction(L, fn);
    lua_pushlightuserdata(L, ud);
    int st = lua_pcall(L, 1, 0, 0);
    if (st != LUA_OK) {
        if (st == LUA_ERRMEM)
            hc_buf_printf(err, "rule exceeded its memory budget (%zu bytes)", sb->mem_limit);
        else
            error_text(L, -1, err);
    }
    lua_settop(L, 0);
    return st == LUA_OK ? 0 : -1;
}

/* -------------------------------------------------------------- compile */

struct compile_args {
    const char *code;
    size_t len;
    const char *chunk;
    int ref;
    int *lines;
    size_t nlines;
    int syntax;          /* the failure was a syntax error */
};

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int compile_protected(lua_State *L)
{
    struct compile_args *a = lua_touserdata(L, 1);
    if (luaL_loadbufferx(L, a->code, a->len, a->chunk, "t") != LUA_OK) {
        a->syntax = 1;
        return lua_error(L);
    }
    lua_rawgetp(L, LUA_REGISTRYINDEX, &KEY_ENV);
    if (lua_setupvalue(L, -2, 1) == NULL) lua_pop(L, 1);
    lua_Debug ar;
    lua_pushvalue(L, -1);
    lua_getinfo(L, ">L", &ar);        /* pushes the table of active lines */
    size_t n = 0, cap = 0;
    int *lines = NULL;
    if (lua_istable(L, -1)) {
        lua_pushnil(L);
        while (lua_next(L, -2)) {
            lua_pop(L, 1);
            if (lua_isinteger(L, -1)) {
                HC_GROW(lines, cap, n + 1);
                lines[n++] = (int)lua_tointeger(L, -1);
            }
        }
    }
    lua_pop(L, 1);
    if (n) qsort(lines, n, sizeof *lines, cmp_int);
    a->lines = lines;
    a->nlines = n;
    a->ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

int hc_sandbox_compile(hc_sandbox *sb, const char *src, size_t len, int is_expr,
                       const char *path, unsigned first_line, int *ref,
                       int **lines, size_t *nlines, hc_buf *err, unsigned *errline)
{
    /* Pad with newlines so that Lua's line numbers are the YAML file's. */
    hc_buf code = {0};
    for (unsigned i = 1; i < first_line; i++) hc_buf_putc(&code, '\n');
    if (is_expr) hc_buf_puts(&code, "return (");
    hc_buf_put(&code, src, len);
    if (is_expr) hc_buf_puts(&code, "\n)");
    hc_buf chunk = {0};
    hc_buf_printf(&chunk, "@%s", path);
    struct compile_args a = {code.data, code.len, chunk.data, LUA_NOREF, NULL, 0, 0};
    hc_buf msg = {0};
    int rc = protected_call(sb, compile_protected, &a, &msg);
    hc_buf_free(&code);
    hc_buf_free(&chunk);
    if (rc != 0) {
        /* "path:LINE: message": take the line, keep the message */
        unsigned line = first_line;
        const char *m = msg.data ? msg.data : "";
        const char *p = strstr(m, ":");
        while (p) {
            char *end;
            unsigned long v = strtoul(p + 1, &end, 10);
            if (end != p + 1 && *end == ':') {
                line = (unsigned)v;
                m = end + 1;
                while (*m == ' ') m++;
                break;
            }
            p = strstr(p + 1, ":");
        }
        if (errline) *errline = line;
        hc_buf_puts(err, m);
        hc_buf_free(&msg);
        free(a.lines);
        return -1;
    }
    hc_buf_free(&msg);
    *ref = a.ref;
    if (lines) *lines = a.lines;
    else free(a.lines);
    if (nlines) *nlines = a.nlines;
    return 0;
}

void hc_sandbox_release(hc_sandbox *sb, int ref)
{
    if (ref != LUA_NOREF && ref != LUA_REFNIL) luaL_unref(sb->L, LUA_REGISTRYINDEX, ref);
}

/* ----------------------------------------------------------- values */

/* A mapping or sequence as a table of frozen values, not itself frozen. */
static void push_node_table(lua_State *L, const hc_node *n);

static void push_node(lua_State *L, const hc_node *n)
{
    luaL_checkstack(L, 4, "site profile too deep");
    switch (n->kind) {
    case HC_SCALAR: {
        int b;
        int64_t i;
        double x;
        switch (hc_scalar_resolve(n, &b, &i, &x)) {
        case HC_SC_NULL: lua_pushnil(L); break;
        case HC_SC_BOOL: lua_pushboolean(L, b); break;
        case HC_SC_INT: lua_pushinteger(L, (lua_Integer)i); break;
        case HC_SC_FLOAT: lua_pushnumber(L, x); break;
        default: lua_pushlstring(L, n->str, n->len);
        }
        return;
    }
    default:
        push_node_table(L, n);
        freeze_top(L);
    }
}

static void push_node_table(lua_State *L, const hc_node *n)
{
    luaL_checkstack(L, 4, "site profile too deep");
    switch (n->kind) {
    case HC_SCALAR:
        lua_newtable(L);
        break;
    case HC_SEQ:
        lua_createtable(L, (int)n->len, 0);
        for (size_t i = 0; i < n->len; i++) {
            push_node(L, n->kids[i]);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        break;
    case HC_MAP:
        lua_createtable(L, 0, (int)n->len);
        for (size_t i = 0; i < n->len; i++) {
            const hc_node *k = n->kids[2 * i];
            lua_pushlstring(L, k->str, k->len);
            push_node(L, n->kids[2 * i + 1]);
            lua_rawset(L, -3);
        }
        break;
    }
}

/* A set, list or map as a table of frozen values, not itself frozen. */
static void push_value_table(lua_State *L, const hc_value *v);

static void push_value(lua_State *L, const hc_value *v)
{
    luaL_checkstack(L, 4, "answer too deep");
    switch (v->kind) {
    case HC_V_NONE: lua_pushnil(L); return;
    case HC_V_BOOL: lua_pushboolean(L, v->u.b); return;
    case HC_V_NUM: lua_pushnumber(L, v->u.num); return;
    case HC_V_INT: lua_pushinteger(L, (lua_Integer)v->u.i); return;
    case HC_V_STR: lua_pushlstring(L, v->u.s, v->len); return;
    default:
        push_value_table(L, v);
        freeze_top(L);
    }
}

static void push_value_table(lua_State *L, const hc_value *v)
{
    luaL_checkstack(L, 4, "answer too deep");
    switch (v->kind) {
    case HC_V_SET:
        /* members in order, and each member mapped to true */
        lua_createtable(L, (int)v->len, (int)v->len);
        for (size_t i = 0; i < v->len; i++) {
            const hc_value *m = &v->u.items[i];
            lua_pushlstring(L, m->u.s, m->len);
            lua_pushvalue(L, -1);
            lua_rawseti(L, -3, (lua_Integer)i + 1);
            lua_pushboolean(L, 1);
            lua_rawset(L, -3);
        }
        break;
    case HC_V_LIST:
        lua_createtable(L, (int)v->len, 0);
        for (size_t i = 0; i < v->len; i++) {
            push_value(L, &v->u.items[i]);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        break;
    case HC_V_MAP:
        lua_createtable(L, 0, (int)v->len);
        for (size_t i = 0; i < v->len; i++) {
            if (v->u.items[i].kind == HC_V_NONE) continue;
            push_value(L, &v->u.items[i]);
            lua_setfield(L, -2, v->keys[i]);
        }
        break;
    default:
        lua_newtable(L);
    }
}

static void set_text(lua_State *L, const char *k, const char *v)
{
    if (v == NULL) return;
    lua_pushstring(L, v);
    lua_setfield(L, -2, k);
}

/*
** What a lazy proxy stands for: (payload << 2) | kind. site and answers are new
** proxies each inspection and their payload is the inspection's generation.
** An item's obs proxy is made once for the sandbox and kept (KEY_OBS[item]); its
** payload is the item's index and it always stands for the current inspection's
** answer: hc_sandbox_begin drops the tables made for the one before (sb->made).
** So no proxy is ever made per item and inspection, and none shows an answer
** of an earlier inspection.
*/
enum { LAZY_SITE = 1, LAZY_ANSWERS = 2, LAZY_OBS = 3 };

/* A read-only proxy whose real table 'what' is made on first use (push_real). */
static void push_lazy(lua_State *L, const hc_sandbox *sb, int what, lua_Integer payload)
{
    lua_createtable(L, 0, 2);
    lua_pushinteger(L, (payload << 2) | what);
    lua_rawsetp(L, -2, &KEY_LAZY);
    lua_rawgeti(L, LUA_REGISTRYINDEX, what == LAZY_OBS ? sb->ref_lazy_mt : sb->ref_ro_mt);
    lua_setmetatable(L, -2);
}

/* Item i's obs of the current inspection (the item's kept proxy), shared by obs
   and answers; the empty table when the item has no answers. */
static void push_obs(lua_State *L, const hc_sandbox *sb, size_t i)
{
    luaL_checkstack(L, 4, "answers");
    if (!(i < sb->nitems && sb->obs[i] && sb->obs[i]->kind == HC_V_MAP)) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, sb->ref_empty);
        return;
    }
    lua_rawgeti(L, LUA_REGISTRYINDEX, sb->ref_obs);
    if (lua_rawgeti(L, -1, (lua_Integer)i + 1) == LUA_TNIL) {
        lua_pop(L, 1);
        push_lazy(L, sb, LAZY_OBS, (lua_Integer)i);
        lua_pushvalue(L, -1);
        lua_rawseti(L, -3, (lua_Integer)i + 1);
    }
    lua_remove(L, -2);
}

/* The current inspection's answer for the item of an obs proxy, or NULL. */
static const hc_value *lazy_obs(const hc_sandbox *sb, lua_Integer what)
{
    if ((what & 3) != LAZY_OBS) return NULL;
    lua_Integer i = what >> 2;
    return i >= 0 && (size_t)i < sb->nitems ? sb->obs[i] : NULL;
}

/*
** obs.name on an obs whose table is not made yet: push the field and return 1
** if it is a scalar or absent (the value the table would hold), else 0 (a set,
** list or map: the table is made, so the same nested table is seen every time).
*/
static int lazy_field(lua_State *L, lua_Integer what)
{
    const hc_value *v = lazy_obs(get_sb(L), what);
    if (v == NULL || v->kind != HC_V_MAP) return 0;
    if (lua_type(L, 2) != LUA_TSTRING) {
        lua_pushnil(L);                   /* the table has only names */
        return 1;
    }
    size_t n;
    const char *k = lua_tolstring(L, 2, &n);
    for (size_t i = v->len; i-- > 0;) {     /* the last of equal names wins, as in the table */
        const hc_value *x = &v->u.items[i];
        if (x->kind == HC_V_NONE || strncmp(v->keys[i], k, n) != 0 || v->keys[i][n] != '\0')
            continue;
        switch (x->kind) {
        case HC_V_BOOL: lua_pushboolean(L, x->u.b); return 1;
        case HC_V_NUM: lua_pushnumber(L, x->u.num); return 1;
        case HC_V_INT: lua_pushinteger(L, (lua_Integer)x->u.i); return 1;
        case HC_V_STR: lua_pushlstring(L, x->u.s, x->len); return 1;
        default: return 0;
        }
    }
    lua_pushnil(L);
    return 1;
}

static void materialize(lua_State *L, lua_Integer what)
{
    hc_sandbox *sb = get_sb(L);
    if ((what & 3) == LAZY_OBS) {
        const hc_value *v = lazy_obs(sb, what);
        if (v && v->kind == HC_V_MAP) push_value_table(L, v);
        else lua_newtable(L);
        HC_GROW(sb->made, sb->made_cap, sb->nmade + 1);   /* dropped by the next begin */
        sb->made[sb->nmade++] = (size_t)(what >> 2);
        return;
    }
    if ((what >> 2) != sb->gen) {         /* from an earlier inspection */
        lua_newtable(L);
        return;
    }
    switch (what & 3) {
    case LAZY_SITE:
        push_node_table(L, sb->site);
        return;
    case LAZY_ANSWERS:
        lua_createtable(L, 0, (int)sb->nitems);      /* answers by item id */
        for (size_t i = 0; i < sb->nitems; i++) {
            if (!(sb->obs[i] && sb->obs[i]->kind == HC_V_MAP)) continue;
            push_obs(L, sb, i);
            lua_setfield(L, -2, sb->item_ids[i]);
        }
        return;
    default:
        lua_newtable(L);
    }
}

static int begin_protected(lua_State *L)
{
    const hc_sb_context *c = lua_touserdata(L, 1);
    hc_sandbox *sb = get_sb(L);
    sb->gen++;
    sb->site = c->site && c->site->kind == HC_MAP ? c->site : NULL;
    sb->nitems = c->obs ? c->nitems : 0;
    sb->item_ids = c->item_ids;
    sb->obs = c->obs;
    lua_rawgetp(L, LUA_REGISTRYINDEX, &KEY_BASE);
    int base = lua_gettop(L);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &KEY_EMPTY);
    int empty = lua_gettop(L);

    if (sb->site) push_lazy(L, sb, LAZY_SITE, sb->gen);
    else lua_pushvalue(L, empty);
    lua_setfield(L, base, "site");

    lua_createtable(L, 0, 5);
    set_text(L, "id", c->id);
    set_text(L, "date", c->date);
    set_text(L, "kind", c->kind);
    set_text(L, "inspector", c->inspector);
    set_text(L, "checklist", c->checklist);
    freeze_top(L);
    lua_setfield(L, base, "inspection");

    /* the kept obs proxies forget the tables made for the inspection before */
    lua_rawgeti(L, LUA_REGISTRYINDEX, sb->ref_obs);
    for (size_t i = 0; i < sb->nmade; i++) {
        if (lua_rawgeti(L, -1, (lua_Integer)sb->made[i] + 1) == LUA_TTABLE) {
            lua_pushnil(L);
            lua_rawsetp(L, -2, &KEY_REAL);
        }
        lua_pop(L, 1);
    }
    sb->nmade = 0;
    lua_pop(L, 1);
    push_lazy(L, sb, LAZY_ANSWERS, sb->gen);
    lua_setfield(L, base, "answers");
    lua_pushvalue(L, empty);
    lua_setfield(L, base, "obs");
    return 0;
}

int hc_sandbox_begin(hc_sandbox *sb, const hc_sb_context *ctx, hc_buf *err)
{
    return protected_call(sb, begin_protected, (void *)ctx, err);
}

/* ---------------------------------------------------------------- run */

struct run_args {
    hc_sandbox *sb;
    int ref;
    size_t item;
    hc_outcome *out;
};

static int run_protected(lua_State *L)
{
    struct run_args *a = lua_touserdata(L, 1);
    lua_settop(L, 0);
    lua_rawgeti(L, LUA_REGISTRYINDEX, a->sb->ref_base);
    push_obs(L, a->sb, a->item);
    lua_setfield(L, 1, "obs");
    lua_settop(L, 0);
    lua_rawgeti(L, LUA_REGISTRYINDEX, a->ref);
    arm(a->sb);
    lua_call(L, 0, LUA_MULTRET);
    disarm(a->sb);
    hc_outcome *o = a->out;
    if (lua_gettop(L) == 0) {
        o->kind = HC_OUT_NOTHING;
        return 0;
    }
    switch (lua_type(L, 1)) {
    case LUA_TNIL:
        o->kind = HC_OUT_NIL;
        return 0;
    case LUA_TBOOLEAN:
        o->kind = lua_toboolean(L, 1) ? HC_OUT_TRUE : HC_OUT_FALSE;
        return 0;
    case LUA_TTABLE:
        if (lua_getmetatable(L, 1)) {
            lua_rawgeti(L, LUA_REGISTRYINDEX, a->sb->ref_result_mt);
            int is_result = lua_rawequal(L, -1, -2);
            lua_pop(L, 2);
            if (is_result) {
                lua_rawgeti(L, 1, 1);
                const char *st = lua_tostring(L, -1);
                o->kind = st[0] == 'p' ? HC_OUT_PASS : st[0] == 'f' ? HC_OUT_FAIL : HC_OUT_NA;
                lua_rawgeti(L, 1, 2);
                if (lua_type(L, -1) == LUA_TSTRING) {
                    size_t n;
                    const char *s = lua_tolstring(L, -1, &n);
                    hc_buf_put(&o->msg, s, n > MAX_MSG ? MAX_MSG : n);
                    o->has_msg = 1;
                }
                return 0;
            }
        }
        /* fall through */
    default:
        o->kind = HC_OUT_BAD;
        o->has_msg = 1;
        hc_buf_printf(&o->msg, "returned a %s", lua_typename(L, lua_type(L, 1)));
        return 0;
    }
}

static unsigned long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (unsigned long long)t.tv_sec * 1000000000ull + (unsigned long long)t.tv_nsec;
}

void hc_sandbox_profile(hc_sandbox *sb, int on) { sb->profiling = on; }

hc_rule_timing hc_sandbox_timing(const hc_sandbox *sb, int ref)
{
    hc_rule_timing none = {0, 0, 0};
    return ref >= 0 && (size_t)ref < sb->ntiming ? sb->timing[ref] : none;
}

static void run_untimed(hc_sandbox *sb, int ref, size_t item, hc_outcome *out);

void hc_sandbox_run(hc_sandbox *sb, int ref, size_t item, hc_outcome *out)
{
    if (!sb->profiling || ref < 0) {
        run_untimed(sb, ref, item, out);
        return;
    }
    if ((size_t)ref >= sb->ntiming) {
        size_t n = sb->ntiming ? sb->ntiming : 64;
        while (n <= (size_t)ref) n *= 2;
        sb->timing = hc_xrealloc(sb->timing, n * sizeof *sb->timing);
        memset(sb->timing + sb->ntiming, 0, (n - sb->ntiming) * sizeof *sb->timing);
        sb->ntiming = n;
    }
    unsigned long long t0 = now_ns();
    run_untimed(sb, ref, item, out);
    unsigned long long dt = now_ns() - t0;
    hc_rule_timing *tm = &sb->timing[ref];
    tm->calls++;
    tm->total_ns += dt;
    if (dt > tm->max_ns) tm->max_ns = dt;
}

static void run_untimed(hc_sandbox *sb, int ref, size_t item, hc_outcome *out)
{
    struct run_args a = {sb, ref, item, out};
    out->kind = HC_OUT_ERROR;
    out->has_msg = 0;
    hc_buf_reset(&out->msg);
    hc_buf err = {0};
    size_t limit_before = sb->mem_used;
    if (protected_call(sb, run_protected, &a, &err) != 0) {
        disarm(sb);
        /* after a memory bomb, collect now so the next rule does not pay the GC's debt */
        if (sb->mem_used > limit_before + (1u << 20)) lua_gc(sb->L, LUA_GCCOLLECT);
        out->kind = HC_OUT_ERROR;
        out->has_msg = 1;
        hc_buf_reset(&out->msg);
        hc_buf_put(&out->msg, err.data ? err.data : "", err.len);
    }
    hc_buf_free(&err);
}

void hc_sandbox_cover(hc_sandbox *sb, const char *path, unsigned char *hits, size_t nhits)
{
    free(sb->cover_source);
    sb->cover_source = NULL;
    sb->hits = hits;
    sb->nhits = nhits;
    if (path) {
        hc_buf b = {0};
        hc_buf_printf(&b, "@%s", path);
        sb->cover_source = hc_buf_take(&b);
    }
}
