-- gongmao.lua — industry classification and shared helpers for the gongmao-major pack
-- (应急管理部令第10号《工贸企业重大事故隐患判定标准》, 2023).
--
-- Pure module for the hazcheck Lua sandbox: only locals, only string/table/math and the
-- basic functions of the rule contract; no state is kept between calls.
--
-- Source: /work/shared/research/mem10-2023.md §3.2 (应急厅〔2019〕17号, industries by
-- GB/T 4754-2017 code). Confidence of each mapping, as the research gives it:
--   冶金 31 (all)                                              ✅
--   有色 32 (all)                                              ✅
--   建材 30 without 305 and 3073-3079                           ✅
--   机械 33-40, 43 (the document's exclusions were not seen)    🟡
--   轻工 13-15 food and drink, 19 leather, 20 wood, 21 furniture, 22 paper, 23 printing,
--        24 stationery and sports goods, 29 rubber and plastics, 305 glass products,
--        3073-3079 (daily-use and other ceramics)              ⚪ (list not seen)
--   纺织 17, 18 (28 chemical fibres is NOT mapped: not confirmed) ⚪
--   烟草 16                                                      ⚪
--   商贸 51, 52 wholesale and retail, 59 warehousing             ⚪
-- 384 batteries is left unclassified (nil): 38 is 机械, but the research lists batteries
-- under 轻工 from memory and the 机械 exclusion list was not seen. Unclassified means
-- every industry item applies and the inspector decides (a Li-ion battery maker must not
-- lose 第八条（七） by a guess).
--
-- Reading of applicability (documented in the pack's notes):
--   * site.industry, if it is one of the eight codes or a finer code below, decides the
--     industry; otherwise site.gbt4754 (a GB/T 4754-2017 code: "3011", "C3011", "30")
--     decides it; otherwise the industry is unknown (nil).
--   * An industry item is not applicable only when the industry is KNOWN and different.
--     Unknown industry -> the item applies (the inspector answers it or marks it na).
--   * A sub-sector (e.g. cement, baijiu) narrows some items; an unknown sub-sector never
--     makes an item not applicable.
--   * Process facts live in site.gongmao (a mapping of booleans); a fact that is absent
--     makes the item apply, only an explicit false makes it not applicable.

local M = {}

M.INDUSTRIES = {
  metallurgy = "冶金",
  nonferrous = "有色",
  building_materials = "建材",
  machinery = "机械",
  light = "轻工",
  textile = "纺织",
  tobacco = "烟草",
  commerce = "商贸",
}

-- Article of 10号令 for each industry (商贸 has none: only 第三条 and 第十一～十三条).
M.ARTICLE = {
  metallurgy = "第四条", nonferrous = "第五条", building_materials = "第六条",
  machinery = "第七条", light = "第八条", textile = "第九条", tobacco = "第十条",
}

-- Finer industry codes: code -> {industry, sub-sector or nil}.
local FINE = {}
local function fine(industry, sub, ...)
  for _, code in ipairs({ ... }) do
    FINE[code] = { industry, sub }
  end
end
for code in pairs(M.INDUSTRIES) do
  FINE[code] = { code, nil }
end
fine("metallurgy", nil, "steel", "iron_steel", "ironmaking", "steelmaking", "steel_rolling",
  "ferroalloy", "ferrous")
fine("nonferrous", nil, "aluminium", "aluminum", "aluminium_processing", "copper", "lead_zinc",
  "magnesium", "titanium", "nonferrous_smelting", "nonferrous_processing")
fine("building_materials", "cement", "cement")
fine("building_materials", "glass", "flat_glass", "glass")
fine("building_materials", nil, "concrete", "bricks", "refractory", "building_ceramics",
  "glass_fibre", "stone", "gypsum", "lime")
fine("machinery", nil, "foundry", "die_casting", "metal_products", "general_equipment",
  "special_equipment", "automotive", "vehicles", "shipbuilding", "electrical_equipment",
  "electronics", "instruments", "metal_polishing", "forging")
fine("light", "food", "food", "meat_processing", "bakery", "dairy", "agri_food")
fine("light", "beverage", "beverage", "beer", "wine")
fine("light", "baijiu", "baijiu")
fine("light", "paper", "paper", "pulp", "pulp_paper")
fine("light", "paper_products", "paper_products")
fine("light", "daily_glass", "glass_products", "daily_glass")
fine("light", "daily_ceramics", "daily_ceramics")
fine("light", "woodworking", "woodworking", "wood")
fine("light", "furniture", "furniture")
fine("light", "leather", "leather", "shoes")
fine("light", "printing", "printing")
fine("light", "stationery", "stationery", "sports_goods", "toys")
fine("light", "rubber_plastics", "plastics", "rubber", "rubber_plastics")
fine("textile", nil, "spinning", "weaving", "garment", "dyeing", "printing_dyeing")
fine("tobacco", nil, "cigarette", "tobacco_processing")
fine("commerce", nil, "cold_storage", "warehousing", "wholesale", "retail", "grain_storage",
  "logistics")
M.FINE = FINE

-- GB/T 4754-2017 code -> industry, sub-sector (either may be nil).
function M.from_gbt(code)
  if code == nil then return nil end
  local s = tostring(code):gsub("^%s+", ""):gsub("%s+$", ""):gsub("^[A-Za-z]", "")
  if not s:match("^%d%d%d?%d?$") then return nil end
  local div = tonumber(s:sub(1, 2))
  local n3, n4 = s:sub(1, 3), s
  if div == 31 then return "metallurgy", nil end
  if div == 32 then return "nonferrous", nil end
  if div == 30 then
    if #s < 3 then return nil, nil end          -- 30 alone: 305 and 3073-3079 are 轻工
    if n3 == "305" then return "light", "daily_glass" end
    if n3 == "307" then
      if #s < 4 then return nil, nil end        -- 3071/3072 建材, 3073-3079 轻工
      local c = tonumber(n4)
      if c >= 3073 and c <= 3079 then
        return "light", c == 3074 and "daily_ceramics" or "ceramics"
      end
      return "building_materials", nil
    end
    if n3 == "301" then
      if n4 == "3011" then return "building_materials", "cement" end
      if #s == 4 then return "building_materials", "lime_gypsum" end
      return "building_materials", nil
    end
    if n3 == "304" then return "building_materials", "glass" end
    return "building_materials", "other"
  end
  if n3 == "384" then return nil, nil end         -- batteries: 机械 or 轻工, not settled
  if (div >= 33 and div <= 40) or div == 43 then return "machinery", nil end
  if div == 13 or div == 14 then return "light", "food" end
  if div == 15 then
    if n4 == "1512" then return "light", "baijiu" end
    if #s >= 4 or (#s == 3 and n3 ~= "151") then return "light", "beverage" end
    return "light", nil                         -- 15 or 151: may be 白酒
  end
  if div == 22 then
    if n3 == "221" or n3 == "222" then return "light", "paper" end
    if n3 == "223" then return "light", "paper_products" end
    return "light", nil
  end
  local light = { [19] = "leather", [20] = "woodworking", [21] = "furniture",
    [23] = "printing", [24] = "stationery", [29] = "rubber_plastics" }
  if light[div] then return "light", light[div] end
  if div == 17 or div == 18 then return "textile", nil end
  if div == 16 then return "tobacco", nil end
  if div == 51 or div == 52 or div == 59 then return "commerce", nil end
  return nil, nil
end

-- site -> industry (one of the eight codes, or nil), sub-sector (or nil).
function M.classify(site)
  local ind, sub
  local code = site and site.industry
  if type(code) == "string" then
    local f = FINE[code:lower()]
    if f then ind, sub = f[1], f[2] end
  end
  local gind, gsub_ = M.from_gbt(site and site.gbt4754)
  if ind == nil then return gind, gsub_ end
  if sub == nil and gind == ind then sub = gsub_ end
  return ind, sub
end

-- The process fact `name` in site.gongmao: true, false or nil (not recorded).
function M.fact(site, name)
  local g = site and site.gongmao
  if type(g) ~= "table" then return nil end
  local v = g[name]
  if type(v) == "boolean" then return v end
  return nil
end

local FACTS = {
  molten_metal = "熔融金属作业",
  molten_crane_bay = "熔融金属吊运跨或浇注跨",
  casting = "连铸或模铸",
  steelmaking_furnace = "炼钢炉",
  blast_furnace = "高炉",
  coal_gas = "煤气设施",
  gas_drainers = "正压煤气管线水封式排水器",
  deep_well_casting = "铝加工深井铸造",
  toxic_gas = "一氧化碳、砷化氢、氯气、硫化氢泄漏或积聚风险",
  gas_burners = "使用煤气或天然气的燃烧装置",
  coal_mill = "煤磨袋式收尘器或煤粉仓",
  silo_cleaning = "筒型储库人工清库作业",
  carbide_slag = "电石渣原料筒型储库",
  entry_work = "进入筒型储库、窑炉、磨机、破碎机等内部作业",
  premix_kiln = "预混燃烧方式的燃气窑炉",
  gas_rooms = "制氢站、氮氢保护气体配气间或燃气配气间",
  electrofused = "电熔制品电炉",
  glass_furnace = "玻璃窑炉、锡槽",
  solvent_cleaning = "使用可燃性有机溶剂清洗",
  solvent_paint = "使用非水性漆的调漆间、喷漆室",
  baking_frying = "烘制、油炸设备",
  chlorine_cylinders = "液氯钢瓶",
  li_battery_store = "锂离子电池储存仓库",
  heat_setting = "烧毛、开幅、烘干等热定型工艺",
  dye_chemicals = "保险粉、双氧水、次氯酸钠、亚氯酸钠、雕白粉（吊白块）储存",
  fumigation = "熏蒸作业",
  co2_expansion = "液态二氧化碳制造膨胀烟丝",
}
M.FACTS = FACTS

local function member(list, v)
  for _, x in ipairs(list) do
    if x == v then return true end
  end
  return false
end

-- Does an item of `industry` apply? opts: {fact = "name" | {names...}, subs = {sub-sectors}}.
-- Returns true, or false and the reason (Chinese).
function M.applies(site, industry, opts)
  opts = opts or {}
  local ind, sub = M.classify(site)
  if ind ~= nil and ind ~= industry then
    return false, string.format("该企业属%s行业，不适用%s（%s）", M.INDUSTRIES[ind],
      M.ARTICLE[industry] or industry, M.INDUSTRIES[industry] or industry)
  end
  local facts = opts.fact
  if type(facts) == "string" then facts = { facts } end
  for _, name in ipairs(facts or {}) do
    if M.fact(site, name) == false then
      return false, "场所档案记载无" .. (FACTS[name] or name)
    end
  end
  if opts.furnace then
    local g = site and site.gongmao
    local f = type(g) == "table" and g.casting_furnace or nil
    if (f == "fixed" or f == "tilting") and f ~= opts.furnace then
      return false, "场所档案记载深井铸造浇铸炉为" .. (f == "fixed" and "固定式" or "倾动式")
    end
  end
  if opts.subs and sub ~= nil and not member(opts.subs, sub) then
    return false, "该企业的细分行业（" .. sub .. "）不在本项适用范围内"
  end
  return true
end

-- The same, for an `applies:` expression: the rule sandbox's `na` is passed in, so that a
-- site the item does not fit gets status na with the reason.
--   applies: require("gongmao").gate(na, site, "light", {fact = "solvent_paint"})
function M.gate(na, site, industry, opts)
  local ok, why = M.applies(site, industry, opts)
  if ok then return true end
  return na(why)
end

-- 第三条（三）: metal smelting. site.metal_smelting wins; without it, 冶金/有色 and an unknown
-- industry apply, every other known industry does not.
function M.metal_smelting(site)
  local v = site and site.metal_smelting
  if v == true then return true end
  if v == false then return false, "场所档案记载不从事金属冶炼" end
  local ind = M.classify(site)
  if ind == nil or ind == "metallurgy" or ind == "nonferrous" then return true end
  return false, string.format("该企业属%s行业，且场所档案未记载金属冶炼", M.INDUSTRIES[ind])
end

function M.smelting_gate(na, site)
  local ok, why = M.metal_smelting(site)
  if ok then return true end
  return na(why)
end

-- 第十四条: a device recorded as one of
--   none    未设置
--   failed  设置了但失效、无效、停用、被旁路或联锁被强制（视同未设置）
--   working 投用且有效
-- Appends the problem (if any) to the list p and returns true when there was one.
-- prefix (optional) names the place or unit: "连铸流程" -> "连铸流程未设置事故钢水罐".
function M.device(p, state, name, prefix)
  prefix = prefix or ""
  if state == "none" or state == nil then
    p[#p + 1] = prefix .. "未设置" .. name
    return true
  end
  if state == "failed" then
    p[#p + 1] = prefix .. name .. "失效或无效（第十四条：视同未设置）"
    return true
  end
  return false
end

-- Several devices at once: list = {{input name, device name}, ...}; states come from obs.
-- An input left blank is an error (the item is then `error`, never passed): call this only
-- for devices the case needs. The value not_applicable (该炉型、该系统无此装置) adds nothing.
function M.devices(p, obs, list, prefix)
  M.need(obs, list)
  for _, d in ipairs(list) do
    M.device(p, obs[d[1]], d[2], prefix)
  end
end

-- Raise an error naming the first blank input of `keys` (strings or {name, ...} pairs).
function M.need(obs, keys, when)
  for _, k in ipairs(keys) do
    local name = type(k) == "table" and k[1] or k
    if obs[name] == nil then
      error((when or "") .. "须记录 " .. name, 0)
    end
  end
end

-- Join the problems of a rule: nil when there are none, else one message.
function M.join(p)
  if #p == 0 then return nil end
  return table.concat(p, "；")
end

return M
