-- Tests of rules/gb18218.lua (GB 18218-2018 identification and grading).
-- Run from the repository root:  lua5.4 tests/lua/test_gb18218.lua
-- Prints each failure, ends with "N passed, M failed", exits 1 on any failure.

package.path = "./rules/?.lua;" .. package.path
local gb = require("gb18218")

local T = dofile("tests/lua/harness.lua")
local ok, eq, near, raises = T.ok, T.eq, T.near, T.raises

---------------------------------------------------------------------------------------
-- The module loads in an environment that holds only the sandbox's names (strict
-- globals: reading or writing anything else is an error).
---------------------------------------------------------------------------------------
do
  local env = T.sandbox_env()
  local chunk, err = loadfile("rules/gb18218.lua", "t", env)
  ok(chunk ~= nil, "module compiles: " .. tostring(err))
  if chunk then
    local good, M = pcall(chunk)
    ok(good and type(M) == "table", "module loads in the strict sandbox: " .. tostring(M))
    if good and type(M) == "table" then
      local g2, r = pcall(M.identify, { { cas = "7782-50-5", q = 20 }, { cas = "x", q = 1 } }, 40)
      ok(g2 and r.grade == 3, "identify runs in the strict sandbox: " .. tostring(g2 and r.grade or r))
      local g3, s = pcall(M.summary, r)
      ok(g3 and type(s) == "string", "summary runs in the strict sandbox")
    end
  end
end

---------------------------------------------------------------------------------------
-- Tables
---------------------------------------------------------------------------------------
eq(gb.T1_COUNT, 85, "表1 has 85 rows")
eq(#gb.categories(), 24, "表2 has 24 categories")
local name12, q12 = gb.table1_row(12)
eq(name12, "氯", "表1 序号12 name")
eq(q12, 5, "表1 序号12 Q")
eq(gb.table1_row(86), nil, "表1 has no 序号86")
ok(gb.cas_known("7664-41-7"), "氨 CAS known")
ok(not gb.cas_known("7732-18-5"), "water CAS unknown")

-- a sample of 表1 critical quantities (regulations.md §7.1)
local Q1 = {
  ["7664-41-7"] = 10, ["7782-50-5"] = 5, ["75-44-5"] = 0.3, ["7783-06-4"] = 5,
  ["74-90-8"] = 1, ["624-83-9"] = 0.75, ["1333-74-0"] = 5, ["68476-85-7"] = 50,
  ["74-98-6"] = 50, ["106-97-8"] = 50, ["74-82-8"] = 50, ["8006-14-2"] = 50,
  ["71-43-2"] = 50, ["108-88-3"] = 500, ["67-56-1"] = 500, ["86290-81-5"] = 200,
  ["7782-44-7"] = 200, ["506-93-4"] = 50, ["75-20-7"] = 100, ["7757-79-1"] = 1000,
  ["26471-62-5"] = 100, ["18810-58-7"] = 0.5, ["17014-71-0"] = 20, ["7440-23-5"] = 10,
}
for cas, Q in pairs(Q1) do
  local hit = gb.lookup({ cas = cas })
  eq(hit and hit.Q, Q, "表1 Q of " .. cas)
end

-- 表2 by category (and case/space tolerance)
local Q2 = { J1 = 5, J2 = 50, J3 = 50, J4 = 50, J5 = 500, ["W1.1"] = 1, ["W1.2"] = 10,
  ["W1.3"] = 50, W2 = 10, W3 = 150, W4 = 50, ["W5.1"] = 10, ["W5.2"] = 50,
  ["W5.3"] = 1000, ["W5.4"] = 5000, ["W6.1"] = 10, ["W6.2"] = 50, ["W7.1"] = 10,
  ["W7.2"] = 50, W8 = 50, ["W9.1"] = 50, ["W9.2"] = 200, W10 = 200, W11 = 200 }
for cat, Q in pairs(Q2) do
  eq(gb.category_Q(cat), Q, "表2 Q of " .. cat)
  eq(gb.category_Q(" " .. cat:lower() .. " "), Q, "表2 Q of lower-case " .. cat)
end
eq(gb.category_Q("W99"), nil, "unknown category has no Q")
eq(gb.category_Q("W2,J3"), 10, "several categories: lowest Q")
eq(gb.category_Q("J5、W5.3"), 500, "several categories with 、")

-- 表4 β by category, via an entry that is not in 表1
local B4 = { J1 = 4, J2 = 1, J3 = 2, J4 = 2, J5 = 1, ["W1.1"] = 2, ["W1.2"] = 2,
  ["W1.3"] = 2, W2 = 1.5, W3 = 1, W4 = 1, ["W5.1"] = 1.5, ["W5.2"] = 1, ["W5.3"] = 1,
  ["W5.4"] = 1, ["W6.1"] = 1.5, ["W6.2"] = 1, ["W7.1"] = 1.5, ["W7.2"] = 1, W8 = 1,
  ["W9.1"] = 1, ["W9.2"] = 1, W10 = 1, W11 = 1 }
for cat, b in pairs(B4) do
  local hit = gb.lookup({ cas = "0000-00-0", name = "未列名物质", category = cat })
  eq(hit and hit.beta, b, "表4 β of " .. cat)
end
eq(gb.lookup({ name = "x", category = "W2,J3" }).beta, 2, "several categories: highest β")

---------------------------------------------------------------------------------------
-- β of the 14 named toxic gases (表3), by CAS, also when a category is given
---------------------------------------------------------------------------------------
local B3 = {
  ["630-08-0"] = 2, ["7446-09-5"] = 2, ["7664-41-7"] = 2, ["75-21-8"] = 2,
  ["7647-01-0"] = 3, ["74-83-9"] = 3, ["7782-50-5"] = 4, ["7783-06-4"] = 5,
  ["7664-39-3"] = 5, ["10102-44-0"] = 10, ["74-90-8"] = 10, ["75-44-5"] = 20,
  ["7803-51-2"] = 20, ["624-83-9"] = 20,
}
local n3 = 0
for cas, b in pairs(B3) do
  n3 = n3 + 1
  eq(gb.toxic_gas_beta(cas), b, "表3 β of " .. cas)
  local hit = gb.lookup({ cas = cas, category = "J5" })
  eq(hit and hit.beta, b, "表3 β wins over a category for " .. cas)
  ok(hit and hit.beta_basis:find("表3", 1, true) ~= nil, "β basis is 表3 for " .. cas)
end
eq(n3, 14, "14 gases in 表3")
eq(gb.toxic_gas_beta("67-56-1"), nil, "甲醇 is not a 表3 gas")
eq(gb.lookup({ name = "液氯" }).beta, 4, "表3 β found through a name")
eq(gb.lookup({ row = 12 }).beta, 4, "表3 β found through a row")

-- 表1 Q wins over the 表2 category; the category then gives β
do
  local hit = gb.lookup({ cas = "67-56-1", category = "W5.1" })
  eq(hit.Q, 500, "表1 Q wins over category Q")
  eq(hit.beta, 1.5, "category gives β of a 表1 substance not in 表3")
  local d = gb.lookup({ cas = "67-56-1" })
  eq(d.beta, 1, "default β of 甲醇")
  ok(d.beta_assumed == true, "default β is flagged")
end

---------------------------------------------------------------------------------------
-- α (表5) boundaries
---------------------------------------------------------------------------------------
local A = { { 0, 0.5 }, { 1, 1.0 }, { 29, 1.0 }, { 30, 1.2 }, { 49, 1.2 }, { 50, 1.5 },
  { 99, 1.5 }, { 100, 2.0 }, { 5000, 2.0 }, { 0.5, 0.5 }, { 29.5, 1.0 } }
for _, c in ipairs(A) do
  near(gb.alpha(c[1]), c[2], "alpha(" .. c[1] .. ")")
end
local _, lab = gb.alpha(100)
eq(lab, "100人以上", "alpha label")
raises(function() gb.alpha(-1) end, "alpha of a negative headcount")
raises(function() gb.alpha("many") end, "alpha of a string")
raises(function() gb.alpha(0 / 0) end, "alpha of NaN")

---------------------------------------------------------------------------------------
-- grade (表6) boundaries
---------------------------------------------------------------------------------------
local G = { { 0, 4 }, { 9.99, 4 }, { 10, 3 }, { 10.01, 3 }, { 49.99, 3 }, { 50, 2 },
  { 50.01, 2 }, { 99.99, 2 }, { 100, 1 }, { 100.01, 1 }, { 1e6, 1 } }
for _, c in ipairs(G) do
  eq(gb.grade(c[1]), c[2], "grade(" .. c[1] .. ")")
end
local _, gl = gb.grade(75)
eq(gl, "二级", "grade label")
eq(gb.grade_label(1), "一级", "grade_label(1)")
raises(function() gb.grade(nil) end, "grade(nil)")

---------------------------------------------------------------------------------------
-- identify: S, is_major, R, grade
---------------------------------------------------------------------------------------
do -- single substance at and below its critical quantity
  local r = gb.identify({ { cas = "7782-50-5", q = 5 } })
  near(r.S, 1, "氯 5 t: S")
  ok(r.is_major, "氯 5 t is a major hazard (q = Q)")
  eq(r.R, nil, "no headcount: no R")
  eq(r.grade, nil, "no headcount: no grade")
  local r2 = gb.identify({ { cas = "7782-50-5", q = 4.99 } }, 10)
  ok(not r2.is_major, "氯 4.99 t is not a major hazard")
  eq(r2.grade, nil, "not major: no grade even with R")
  near(r2.R, 4 * 4.99 / 5, "R is computed even when not major")
end

do -- the exam example of regulations.md §1.4: R = 1×(1×30/500 + 1×25/10 + 5×2/1) = 12.56
  local r = gb.identify({
    { name = "甲醇", cas = "67-56-1", category = "W5.3", q = 30 },  -- Q 500, β 1
    { name = "钠", cas = "7440-23-5", q = 25 },                    -- Q 10, β 1 (default)
    { name = "氟化氢", cas = "7664-39-3", q = 2 },                 -- Q 1, β 5 (表3)
  }, 10)
  near(r.S, 0.06 + 2.5 + 2, "exam example S")
  near(r.alpha, 1.0, "exam example α")
  near(r.R, 12.56, "exam example R")
  eq(r.grade, 3, "exam example grade")
  eq(r.grade_label, "三级", "exam example grade label")
  eq(r.drivers[1].name, "氟化氢", "largest contribution first")
  eq(r.drivers[2].name, "钠", "second contribution")
  eq(r.drivers[3].name, "甲醇", "smallest contribution last")
  ok(r.complete, "exam example is complete")
end

do -- grade boundaries through identify: 氯 (Q 5, β 4), α 1.0 (10 people): R = 0.8·q
  local function g(q) return gb.identify({ { cas = "7782-50-5", q = q } }, 10) end
  eq(g(12.5).grade, 3, "R=10 -> 三级")
  eq(g(12.49).grade, 4, "R=9.992 -> 四级")
  eq(g(62.5).grade, 2, "R=50 -> 二级")
  eq(g(62.49).grade, 3, "R=49.992 -> 三级")
  eq(g(125).grade, 1, "R=100 -> 一级")
  eq(g(124.99).grade, 2, "R=99.992 -> 二级")
  eq(g(6).grade, 4, "major with R<10 -> 四级")
end

do -- α changes R and the grade: 40 t 氯 (Σβq/Q = 4×40/5 = 32)
  local inv = { { cas = "7782-50-5", q = 40 } }
  local cases = { { 0, 16, 3 }, { 29, 32, 3 }, { 30, 38.4, 3 }, { 50, 48, 3 }, { 100, 64, 2 } }
  for _, c in ipairs(cases) do
    local r = gb.identify(inv, c[1])
    near(r.R, c[2], "40 t 氯 with " .. c[1] .. " people: R")
    eq(r.grade, c[3], "40 t 氯 with " .. c[1] .. " people: grade")
  end
end

---------------------------------------------------------------------------------------
-- mixtures and aggregation
---------------------------------------------------------------------------------------
do
  local r = gb.identify({ { cas = "67-56-1", q = 250 }, { cas = "108-88-3", q = 250 } })
  near(r.S, 1, "甲醇 250 + 甲苯 250: S = 1")
  ok(r.is_major, "two substances at half their Q each make a major hazard")
  local r2 = gb.identify({ { cas = "67-56-1", q = 250 }, { cas = "108-88-3", q = 249 } })
  ok(not r2.is_major, "S just below 1 is not major")
  local r3 = gb.identify({ { category = "W5.3", name = "A", q = 100 },
    { category = "W5.3", name = "B", q = 200 }, { category = "W5.3", name = "C", q = 700 } })
  ok(r3.is_major, "0.1 + 0.2 + 0.7 counts as 1 (rounding tolerance)")
  local r4 = gb.identify({ { cas = "67-56-1", q = 100 }, { name = "甲醇", q = 150 },
    { cas = "67-56-1", q = 250 } })
  eq(#r4.drivers, 1, "the same substance in three tanks is one driver")
  near(r4.drivers[1].q, 500, "its quantities are added")
  ok(r4.is_major, "500 t 甲醇 is major")
  local r5 = gb.identify({ { cas = "74-98-6", q = 30 }, { cas = "106-97-8", q = 20 } }, 120)
  near(r5.S, 1, "丙烷 + 丁烷 both under LPG row 52")
  near(r5.R, 2 * 1.5, "LPG default β 1.5, α 2")
  eq(#r5.drivers, 1, "丙烷 and 丁烷 aggregate under row 52")
  local r6 = gb.identify({})
  eq(r6.S, 0, "empty inventory: S = 0")
  ok(not r6.is_major and r6.complete, "empty inventory: not major, complete")
  eq(gb.identify(nil, 5).R, 0, "nil inventory: R = 0")
end

do -- purity: same input, same output, nothing kept between calls
  local inv = { { cas = "7664-41-7", q = 30 }, { cas = "1333-74-0", q = 2 } }
  local a = gb.identify(inv, 60)
  local b = gb.identify(inv, 60)
  near(a.R, b.R, "identify is repeatable")
  near(a.R, 1.5 * (2 * 3 + 1.5 * 0.4), "氨 30 t + 氢 2 t with 60 people")
  eq(a.grade, 4, "氨/氢 grade: R = 9.9 -> 四级")
  eq(#inv, 2, "inventory not modified")
end

---------------------------------------------------------------------------------------
-- ambiguous CAS, qualifiers, names, mapped CAS
---------------------------------------------------------------------------------------
do
  local hit = gb.lookup({ cas = "9004-70-0" })
  eq(hit.Q, 1, "硝化纤维素 without row: smallest Q")
  eq(hit.beta, 2, "硝化纤维素 without row: β of that row")
  ok(hit.notes[1]:find("多行", 1, true) ~= nil, "ambiguity is reported")
  eq(gb.lookup({ cas = "9004-70-0", row = 41 }).Q, 50, "硝化纤维素 含水≥25% by row")
  eq(gb.lookup({ cas = "6484-52-2" }).Q, 5, "硝酸铵 without row: 5 t")
  eq(gb.lookup({ cas = "6484-52-2", row = 44 }).Q, 50, "硝酸铵 ≤0.2% by row")
  eq(gb.lookup({ name = "硝酸铵肥料", q = 1 }).Q, 200, "硝酸铵肥料 by name")
  local r = gb.identify({ { cas = "6484-52-2", q = 10 } }, 0)
  ok(r.is_major and #r.assumptions >= 1, "ambiguous CAS: major on smallest Q, assumption listed")
  local f = gb.lookup({ cas = "50-00-0" })
  eq(f.Q, 5, "甲醛 by CAS uses row 8")
  ok(table.concat(f.notes, " "):find(">90%", 1, true) ~= nil, "甲醛 qualifier reported")
  local co = gb.lookup({ cas = "630-08-0" })
  eq(co.Q, 20, "一氧化碳 -> 煤气 row 13")
  eq(co.beta, 2, "一氧化碳 β 2")
  ok(table.concat(co.notes, " "):find("序号13", 1, true) ~= nil, "CO mapping reported")
  eq(gb.lookup({ cas = "584-84-9" }).Q, 100, "2,4-TDI mapped to row 23")
  eq(gb.lookup({ name = "煤气" }).Q, 20, "煤气 by name")
  eq(gb.lookup({ name = " 液化石油气 " }).Q, 50, "LPG by alias, spaces trimmed")
  eq(gb.lookup({ name = "甲醛(含量>90%)" }).Q, 5, "name with half-width brackets")
  eq(gb.lookup({ name = "烷基铝" }).Q, 1, "烷基铝 (no CAS) by name")
  local w = gb.lookup({ cas = "7664-41-7", row = 12 })
  eq(w.Q, 5, "row wins over CAS")
  ok(w.notes[1]:find("不在表1序号12下", 1, true) ~= nil, "row/CAS mismatch reported")
  local none, why = gb.lookup({ row = 99 })
  ok(none == nil and why:find("序号", 1, true) ~= nil, "unknown row number")
  local bc = gb.lookup({ cas = "67-56-1", category = "W5.3,X9" })
  eq(bc.beta, 1, "bad token ignored for a 表1 substance")
  ok(table.concat(bc.notes, " "):find("X9", 1, true) ~= nil, "bad category token reported")
end

---------------------------------------------------------------------------------------
-- unknown substances are reported, never dropped silently
---------------------------------------------------------------------------------------
do
  local r = gb.identify({
    { cas = "7782-50-5", q = 2 },
    { cas = "7732-18-5", name = "水", q = 1000 },
    { name = "某新物质", q = 3 },
    { cas = "1-1-1", category = "Z9", q = 1 },
    { category = "W2", name = "未列名易燃气体", q = 5 },
  }, 10)
  eq(#r.unknown, 3, "three unknown entries")
  ok(not r.complete, "result is incomplete")
  eq(r.unknown[1].index, 2, "first unknown is entry 2")
  ok(r.unknown[1].reason:find("7732-18-5", 1, true) ~= nil, "reason names the CAS")
  ok(r.unknown[2].reason:find("某新物质", 1, true) ~= nil, "reason names the substance")
  ok(r.unknown[3].reason:find("Z9", 1, true) ~= nil, "reason names the bad category")
  near(r.S, 2 / 5 + 5 / 10, "S counts only identified entries")
  near(r.R, 4 * 0.4 + 1.5 * 0.5, "R counts only identified entries")
  local _, why = gb.lookup({})
  ok(why ~= nil, "an empty entry has a reason")
end

---------------------------------------------------------------------------------------
-- bad input raises
---------------------------------------------------------------------------------------
raises(function() gb.identify({ { cas = "67-56-1" } }) end, "missing q")
raises(function() gb.identify({ { cas = "67-56-1", q = -1 } }) end, "negative q")
raises(function() gb.identify({ { cas = "67-56-1", q = "5" } }) end, "string q")
raises(function() gb.identify("甲醇") end, "inventory not a list")
raises(function() gb.identify({ 5 }) end, "entry not a table")
raises(function() gb.identify({}, -3) end, "negative headcount")

---------------------------------------------------------------------------------------
-- summary text
---------------------------------------------------------------------------------------
do
  local s = gb.summary(gb.identify({ { cas = "71-43-2", category = "W5.3", q = 800 },
    { cas = "67-56-1", category = "W5.3", q = 6000 }, { cas = "108-88-3", category = "W5.3", q = 4000 } }, 60))
  ok(s:find("二级重大危险源", 1, true) ~= nil, "summary names the grade: " .. s)
  ok(s:find("R=54.0", 1, true) ~= nil, "summary gives R: " .. s)
  local s2 = gb.summary(gb.identify({ { cas = "71-43-2", q = 10 } }))
  ok(s2:find("未构成重大危险源", 1, true) ~= nil, "summary of a non-major unit: " .. s2)
  local s3 = gb.summary(gb.identify({ { cas = "71-43-2", q = 100 } }))
  ok(s3:find("构成重大危险源", 1, true) ~= nil and s3:find("未构成", 1, true) == nil,
    "summary of a major unit without headcount: " .. s3)
end

T.finish()
