-- Tests of rules/gongmao.lua (10号令 industry classification per 应急厅〔2019〕17号, and the
-- shared helpers of checklists/gongmao-major.yaml).
-- Run from the repository root:  lua5.4 tests/lua/test_gongmao.lua
-- Prints each failure, ends with "N passed, M failed", exits 1 on any failure.

package.path = "./rules/?.lua;" .. package.path
local G = require("gongmao")

local T = dofile("tests/lua/harness.lua")
local ok, eq, near, raises = T.ok, T.eq, T.near, T.raises

---------------------------------------------------------------------------------------
-- The module loads in an environment that holds only the sandbox's names (strict
-- globals: reading or writing anything else is an error).
---------------------------------------------------------------------------------------
do
  local env = T.sandbox_env()
  local chunk, err = loadfile("rules/gongmao.lua", "t", env)
  ok(chunk ~= nil, "module compiles: " .. tostring(err))
  if chunk then
    local good, M = pcall(chunk)
    ok(good and type(M) == "table", "module loads in the strict sandbox: " .. tostring(M))
    if good and type(M) == "table" then
      local g2, ind = pcall(M.classify, { industry = "woodworking", gbt4754 = "2110" })
      ok(g2 and ind == "light", "classify runs in the strict sandbox: " .. tostring(ind))
      local g3, a = pcall(M.applies, { industry = "steel", gongmao = { blast_furnace = false } },
        "metallurgy", { fact = "blast_furnace" })
      ok(g3 and a == false, "applies runs in the strict sandbox")
      local p = {}
      local g4 = pcall(M.device, p, "failed", "x")
      ok(g4 and #p == 1, "device runs in the strict sandbox")
    end
  end
end

---------------------------------------------------------------------------------------
-- The eight industry codes and the finer codes of site.industry
---------------------------------------------------------------------------------------
for code, name in pairs(G.INDUSTRIES) do
  local ind, sub = G.classify({ industry = code })
  eq(ind, code, "coarse code " .. code)
  eq(sub, nil, "coarse code has no sub-sector " .. code)
  ok(type(name) == "string" and #name > 0, "Chinese name of " .. code)
end
local fine = {
  steel = { "metallurgy" }, ironmaking = { "metallurgy" }, ferroalloy = { "metallurgy" },
  aluminium = { "nonferrous" }, aluminum = { "nonferrous" }, copper = { "nonferrous" },
  cement = { "building_materials", "cement" }, flat_glass = { "building_materials", "glass" },
  refractory = { "building_materials" },
  foundry = { "machinery" }, die_casting = { "machinery" }, metal_polishing = { "machinery" },
  woodworking = { "light", "woodworking" }, furniture = { "light", "furniture" },
  food = { "light", "food" }, baijiu = { "light", "baijiu" }, paper = { "light", "paper" },
  pulp = { "light", "paper" }, glass_products = { "light", "daily_glass" },
  daily_ceramics = { "light", "daily_ceramics" }, plastics = { "light", "rubber_plastics" },
  garment = { "textile" }, dyeing = { "textile" }, cigarette = { "tobacco" },
  cold_storage = { "commerce" }, warehousing = { "commerce" }, grain_storage = { "commerce" },
}
for code, want in pairs(fine) do
  local ind, sub = G.classify({ industry = code })
  eq(ind, want[1], "fine code " .. code)
  eq(sub, want[2], "sub-sector of " .. code)
end
eq(G.classify({ industry = "WoodWorking" }), "light", "codes are case-insensitive")
eq(G.classify({ industry = "fine-chemicals" }), nil, "a chemical plant is not classified")
eq(G.classify({ industry = "tailings" }), nil, "a tailings pond is not classified")
eq(G.classify({}), nil, "no industry at all")
eq(G.classify(nil), nil, "no site at all")
eq(G.classify({ industry = 31 }), nil, "a number in industry is not a code")

---------------------------------------------------------------------------------------
-- GB/T 4754-2017 codes (research §3.2)
---------------------------------------------------------------------------------------
local gbt = {
  { "3110", "metallurgy" }, { "31", "metallurgy" }, { "C3120", "metallurgy" },
  { "3216", "nonferrous" }, { "32", "nonferrous" },
  { "3011", "building_materials", "cement" }, { "3012", "building_materials", "lime_gypsum" },
  { "301", "building_materials", nil }, { "3041", "building_materials", "glass" },
  { "304", "building_materials", "glass" }, { "3031", "building_materials", "other" },
  { "3071", "building_materials", nil }, { "3072", "building_materials", nil },
  { "3089", "building_materials", "other" },
  -- the 建材 exclusions: 305 and 3073-3079 are 轻工
  { "305", "light", "daily_glass" }, { "3054", "light", "daily_glass" },
  { "3073", "light", "ceramics" }, { "3074", "light", "daily_ceramics" },
  { "3079", "light", "ceramics" }, { "3075", "light", "ceramics" },
  -- ambiguous without more digits
  { "30", nil, nil }, { "307", nil, nil },
  { "33", "machinery" }, { "3391", "machinery" }, { "40", "machinery" }, { "43", "machinery" },
  { "41", nil }, { "42", nil }, { "44", nil }, { "3841", nil }, { "384", nil }, { "3811", "machinery" },
  { "1320", "light", "food" }, { "14", "light", "food" },
  { "1512", "light", "baijiu" }, { "1513", "light", "beverage" }, { "152", "light", "beverage" },
  { "151", "light", nil }, { "15", "light", nil },
  { "2211", "light", "paper" }, { "222", "light", "paper" }, { "2231", "light", "paper_products" },
  { "22", "light", nil },
  { "2011", "light", "woodworking" }, { "2110", "light", "furniture" }, { "19", "light", "leather" },
  { "23", "light", "printing" }, { "24", "light", "stationery" }, { "2927", "light", "rubber_plastics" },
  { "1713", "textile" }, { "18", "textile" }, { "28", nil },
  { "1610", "tobacco" },
  { "51", "commerce" }, { "5221", "commerce" }, { "5951", "commerce" },
  { "26", nil }, { "06", nil }, { "99", nil },
  { "abc", nil }, { "", nil }, { "31101", nil }, { " 3110 ", "metallurgy" },
}
for _, c in ipairs(gbt) do
  local ind, sub = G.from_gbt(c[1])
  eq(ind, c[2], "GB/T 4754 " .. c[1])
  if c[2] ~= nil then eq(sub, c[3], "sub-sector of GB/T 4754 " .. c[1]) end
end
eq(G.from_gbt(nil), nil, "no code")
eq(G.from_gbt(3110), "metallurgy", "a number code is read as digits")
eq(G.classify({ gbt4754 = "3011" }), "building_materials", "gbt4754 alone decides")
do
  local ind, sub = G.classify({ industry = "building_materials", gbt4754 = "3011" })
  eq(ind, "building_materials", "coarse industry with a code")
  eq(sub, "cement", "the code gives the sub-sector")
  ind, sub = G.classify({ industry = "light", gbt4754 = "3011" })
  eq(ind, "light", "site.industry wins over a disagreeing code")
  eq(sub, nil, "a disagreeing code gives no sub-sector")
  ind, sub = G.classify({ industry = "woodworking", gbt4754 = "2110" })
  eq(sub, "woodworking", "a fine industry keeps its own sub-sector")
  ind = G.classify({ industry = "chemicals", gbt4754 = "3216" })
  eq(ind, "nonferrous", "unknown industry falls back to the code")
end

---------------------------------------------------------------------------------------
-- applies / gate: not applicable only when the industry is known and different
---------------------------------------------------------------------------------------
local function fake_na(why) return { na = why } end
do
  local a, why = G.applies({ industry = "woodworking" }, "metallurgy")
  eq(a, false, "woodworking is not 冶金")
  ok(why:find("轻工", 1, true) and why:find("第四条", 1, true), "reason names both: " .. why)
  eq(G.applies({ industry = "steel" }, "metallurgy"), true, "steel is 冶金")
  eq(G.applies({}, "metallurgy"), true, "unknown industry: the item applies")
  eq(G.applies({ industry = "fine-chemicals" }, "tobacco"), true, "unrecognised industry: applies")
  eq(G.applies({ industry = "steel", gongmao = { blast_furnace = true } }, "metallurgy",
    { fact = "blast_furnace" }), true, "fact true")
  eq(G.applies({ industry = "steel", gongmao = {} }, "metallurgy", { fact = "blast_furnace" }),
    true, "fact missing: applies")
  eq(G.applies({ industry = "steel", gongmao = { blast_furnace = "no" } }, "metallurgy",
    { fact = "blast_furnace" }), true, "a non-boolean fact is not recorded")
  eq(G.applies({ industry = "steel", gongmao = 5 }, "metallurgy", { fact = "blast_furnace" }),
    true, "gongmao not a mapping")
  a, why = G.applies({ industry = "steel", gongmao = { blast_furnace = false } }, "metallurgy",
    { fact = "blast_furnace" })
  eq(a, false, "fact false: not applicable")
  ok(why:find("高炉", 1, true) ~= nil, "reason names the fact: " .. why)
  a = G.applies({ gongmao = { casting = true, coal_gas = false } }, "metallurgy",
    { fact = { "casting", "coal_gas" } })
  eq(a, false, "any listed fact false: not applicable")
  a, why = G.applies({ industry = "woodworking" }, "light", { subs = { "food" } })
  eq(a, false, "woodworking is not a food maker")
  ok(why:find("woodworking", 1, true) ~= nil, "reason names the sub-sector: " .. why)
  eq(G.applies({ industry = "light" }, "light", { subs = { "food" } }), true,
    "unknown sub-sector: applies")
  eq(G.applies({ industry = "food" }, "light", { subs = { "food", "baijiu" } }), true, "food maker")
  eq(G.applies({ industry = "cement" }, "light", { subs = { "food" } }), false,
    "a sub-sector of another industry")
  eq(G.gate(fake_na, { industry = "steel" }, "metallurgy"), true, "gate passes true")
  local r = G.gate(fake_na, { industry = "copper" }, "metallurgy")
  ok(type(r) == "table" and r.na:find("有色", 1, true), "gate returns na(reason)")
  for ind, art in pairs(G.ARTICLE) do
    ok(type(art) == "string" and G.INDUSTRIES[ind] ~= nil, "article of " .. ind)
  end
  eq(G.ARTICLE.commerce, nil, "商贸 has no article")
  for name, label in pairs(G.FACTS) do
    ok(type(label) == "string" and #label > 0, "label of fact " .. name)
  end
end

---------------------------------------------------------------------------------------
-- 第三条（三）: metal smelting
---------------------------------------------------------------------------------------
eq(G.metal_smelting({ metal_smelting = true, industry = "woodworking" }), true, "fact true wins")
eq(G.metal_smelting({ metal_smelting = false, industry = "steel" }), false, "fact false wins")
eq(G.metal_smelting({ industry = "steel" }), true, "冶金 without the fact")
eq(G.metal_smelting({ industry = "aluminium" }), true, "有色 without the fact")
eq(G.metal_smelting({}), true, "unknown industry")
eq(G.metal_smelting({ industry = "foundry" }), false, "机械 foundry without the fact")
eq(G.metal_smelting(nil), true, "no site")
do
  local r = G.smelting_gate(fake_na, { industry = "cold_storage" })
  ok(type(r) == "table" and r.na:find("商贸", 1, true), "smelting_gate na names the industry")
  eq(G.smelting_gate(fake_na, { industry = "steel" }), true, "smelting_gate true")
end

---------------------------------------------------------------------------------------
-- 第十四条 device states and messages
---------------------------------------------------------------------------------------
do
  local p = {}
  eq(G.device(p, "working", "报警"), false, "working: no problem")
  eq(#p, 0, "working adds nothing")
  eq(G.join(p), nil, "no problems: nil")
  eq(G.device(p, "none", "温度报警"), true, "none is a problem")
  eq(p[1], "未设置温度报警", "none message")
  eq(G.device(p, "failed", "联锁"), true, "failed is a problem")
  ok(p[2]:find("第十四条", 1, true) ~= nil, "failed cites 第十四条: " .. p[2])
  eq(G.device(p, nil, "阀"), true, "nil counts as not set")
  eq(G.join(p), "未设置温度报警；联锁失效或无效（第十四条：视同未设置）；未设置阀", "join")
  local q = {}
  G.device(q, "none", "事故钢水罐", "连铸流程")
  eq(q[1], "连铸流程未设置事故钢水罐", "prefix comes before 未设置")
end

---------------------------------------------------------------------------------------
-- devices / need (blank inputs are errors, not passes) and the casting-furnace filter
---------------------------------------------------------------------------------------
do
  local p = {}
  local list = { { "a", "温度报警" }, { "b", "联锁" }, { "c", "氧枪提升联锁" } }
  G.devices(p, { a = "working", b = "failed", c = "not_applicable" }, list, "炉体")
  eq(#p, 1, "devices: one problem")
  ok(p[1]:find("炉体联锁失效", 1, true) ~= nil, "devices: prefix and name: " .. tostring(p[1]))
  local good, err = pcall(G.devices, {}, { a = "working" }, list)
  ok(not good and tostring(err):find("须记录 b", 1, true), "devices: blank input raises: " .. tostring(err))
  good, err = pcall(G.need, { x = 1 }, { "x", "y" }, "有连铸时")
  ok(not good and tostring(err) == "有连铸时须记录 y", "need: message " .. tostring(err))
  ok(pcall(G.need, { x = false }, { "x" }), "need: false is recorded")
  local a, why = G.applies({ industry = "aluminium", gongmao = { casting_furnace = "tilting" } },
    "nonferrous", { fact = "deep_well_casting", furnace = "fixed" })
  eq(a, false, "tilting furnace: fixed-furnace item not applicable")
  ok(why:find("倾动式", 1, true) ~= nil, "reason names the furnace: " .. why)
  a, why = G.applies({ industry = "aluminium", gongmao = { casting_furnace = "fixed" } },
    "nonferrous", { furnace = "tilting" })
  eq(a, false, "fixed furnace: tilting-furnace item not applicable")
  ok(why:find("固定式", 1, true) ~= nil, "reason names the fixed furnace: " .. why)
  eq(G.applies({ industry = "aluminium", gongmao = { casting_furnace = "fixed" } }, "nonferrous",
    { furnace = "fixed" }), true, "same furnace type applies")
  eq(G.applies({ industry = "aluminium" }, "nonferrous", { furnace = "fixed" }), true,
    "furnace type not recorded: applies")
  eq(G.applies({ industry = "aluminium", gongmao = { casting_furnace = "both" } }, "nonferrous",
    { furnace = "tilting" }), true, "an unknown furnace value: applies")
end

T.finish()
