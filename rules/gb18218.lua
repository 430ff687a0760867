-- gb18218.lua — GB 18218-2018《危险化学品重大危险源辨识》: identification and grading
-- of a major hazard installation (危险化学品重大危险源), for hazcheck rules.
--
-- Pure module for the hazcheck Lua sandbox: only locals, only string/table/math and the
-- basic functions of the rule contract; no state is kept between calls.
--
-- Sources (ids as in /work/shared/research/regulations.md, §0 and §7.0):
--   S29  SQL seed of GB 18218-2018 tables 1-6 extracted from the standard's PDF
--        (source_page per row: 表1 pp.4-7, 表2 pp.7-8, 表3 pp.9-10, 表4 p.10, 表5/表6 p.11)
--   S13  JS data file of tables 1-6 (names partly garbled, values CAS-anchored)
--   S30  second PDF extraction (all of 表1 except 溴甲烷 and five 硝化纤维素/硝酸铵 rows)
--   S11  附件1 of 原国家安监总局令第40号 (origin of the R method, α, β of 表3, grades)
--   S12  summary of 2009 -> 2018 changes (硝酸铵, 硝化纤维素, 氧, 硝酸胍, J categories)
--   Research verdict (§7.1): 表1 (85 rows), 表2, 表3, 表4, 表5, 表6 all ✅ confirmed by
--   agreeing copies. Still 🟡: the 500 m headcount rule for α (seen only in exam keys
--   applying the 2018 method) and the CAS of the TDI isomers (our mapping, see row 23).
--
-- Formulas (GB 18218-2018 4.2 identification, 4.3 grading; ✅ S11, S13, S29):
--
--   S = q1/Q1 + q2/Q2 + ... + qn/Qn        q = actual (design maximum) quantity, t
--                                           Q = critical quantity 临界量, t (表1, else 表2)
--   S >= 1  => the unit is a major hazard installation (重大危险源)
--
--   R = α · (β1·q1/Q1 + β2·q2/Q2 + ... + βn·qn/Qn)
--       β = correction factor: 表3 for the 14 listed toxic gases, else 表4 by 表2 category
--       α = correction for the people exposed outside the plant (表5): 常住人口 within
--           500 m of the plant boundary (🟡 500 m wording for the 2018 text)
--
--   Grade (表6): 一级 R >= 100; 二级 50 <= R < 100; 三级 10 <= R < 50; 四级 R < 10.
--   A grade exists only for a major hazard installation (S >= 1).
--
--   Check against the worked example of a public exam key (regulations.md §1.4):
--   R = 1 × (1×30/500 + 1×25/10 + 5×2/1) = 12.56 -> 三级.
--
-- Rules for the lookup (GB 18218-2018 4.1/4.2; the multi-hazard rule is ⚪ recall):
--   * a substance listed in 表1 uses its 表1 Q, even when it also has a 表2 category;
--   * a substance not in 表1 uses the 表2 Q of its hazard category; a substance with
--     several categories ("W2,J3") uses the LOWEST Q and, for β, the HIGHEST β;
--   * β: 表3 for the listed toxic gases; else 表4 from the category given in the
--     inventory; a 表1 substance given without a category gets our default β
--     (row field `b`, chosen from its usual GHS classification — OUR assumption, not
--     GB 18218 text; reported in result.assumptions so a rule can say so);
--   * a CAS that matches several 表1 rows (9004-70-0 硝化纤维素, 6484-52-2 硝酸铵) needs
--     the row number (`row` = 表1 序号); without it the row with the smallest Q is used
--     (conservative) and the entry is listed in result.assumptions;
--   * a 表1 row with a qualifier (甲醛 >90%, 氯化氢 无水, 硝酸 >70% ...) is applied to
--     its CAS as given; the qualifier is reported in result.assumptions;
--   * an entry with an unknown CAS/name and no usable category cannot be identified:
--     it is listed in result.unknown (never dropped silently) and result.complete=false.
--
-- Floating point: S and R are compared with a tolerance of 1e-9 so that binary rounding
-- (e.g. 0.1+0.2+0.7) does not move an installation across a boundary.

local M = {}

local EPS = 1e-9

M.STANDARD = "GB 18218-2018"

---------------------------------------------------------------------------------------
-- 表1 危险化学品名称及其临界量 (85 rows). Source for every row: regulations.md §7.1,
-- "identical in S29 and S13; S30 agrees on all 79 rows it carries" unless noted.
-- Fields: no = 序号, name, alias (";"-separated), cas = list, Q = 临界量 t,
--         b = OUR default β when the inventory gives no category (表3 gases use 表3),
--         qual = the qualifier that decides the row (reported when applied by CAS).
---------------------------------------------------------------------------------------
local T1 = {}
local function row(no, name, alias, cas, Q, b, qual)
  T1[#T1 + 1] = { no = no, name = name, alias = alias, cas = cas, Q = Q, b = b, qual = qual }
end

-- Default β (b) reasoning, OUR classification (⚪, verify against the SDS / 危险化学品目录):
--   toxic gas not in 表3 -> J1 (4), the conservative end of J1/J3;
--   toxic liquid/solid -> J2/J5 both give 1 (J4 needs bp <= 35 °C, none here);
--   explosives -> W1.x (2); flammable gases -> W2 (1.5); oxygen -> W4 (1);
--   flammable liquids: category 1 (bp <= 35 °C: 乙醚, 环氧丙烷, 汽油) -> W5.1 (1.5),
--   else W5.2-W5.4 (1); organic peroxides -> W7.1 (1.5, conservative);
--   pyrophoric, oxidisers, water-reactive -> 1.
row(1,  "氨", "液氨;氨气", {"7664-41-7"}, 10, 2)                      -- 7.1 #1; β 表3
row(2,  "二氟化氧", "一氧化二氟", {"7783-41-7"}, 1, 4)                 -- 7.1 #2; b: J1 (ours)
row(3,  "二氧化氮", nil, {"10102-44-0"}, 1, 10)                        -- 7.1 #3; β 表3
row(4,  "二氧化硫", "亚硫酸酐", {"7446-09-5"}, 20, 2)                  -- 7.1 #4; β 表3
row(5,  "氟", nil, {"7782-41-4"}, 1, 4)                                -- 7.1 #5; b: J1 (ours)
row(6,  "碳酰氯", "光气", {"75-44-5"}, 0.3, 20)                         -- 7.1 #6; β 表3
row(7,  "环氧乙烷", "氧化乙烯", {"75-21-8"}, 10, 2)                    -- 7.1 #7; β 表3
row(8,  "甲醛（含量>90%）", "蚁醛", {"50-00-0"}, 5, 2, "含量>90%")     -- 7.1 #8; b: J3 gas (ours)
row(9,  "磷化氢", "磷化三氢;膦", {"7803-51-2"}, 1, 20)                 -- 7.1 #9; β 表3
row(10, "硫化氢", nil, {"7783-06-4"}, 5, 5)                            -- 7.1 #10; β 表3
row(11, "氯化氢（无水）", nil, {"7647-01-0"}, 20, 3, "无水")           -- 7.1 #11; β 表3
row(12, "氯", "液氯;氯气", {"7782-50-5"}, 5, 4)                        -- 7.1 #12; β 表3
-- #13 has no CAS in the standard; the row names CO itself, so CO (630-08-0) maps here
-- (our mapping) and takes the 表3 β of 一氧化碳 (2).
row(13, "煤气（CO，CO和H2、CH4的混合物等）", "煤气;一氧化碳", {"630-08-0"}, 20, 2) -- 7.1 #13
row(14, "砷化氢", "砷化三氢;胂", {"7784-42-1"}, 1, 4)                  -- 7.1 #14; b: J1 (ours)
row(15, "锑化氢", "三氢化锑;锑化三氢", {"7803-52-3"}, 1, 4)           -- 7.1 #15; b: J1 (ours)
row(16, "硒化氢", nil, {"7783-07-5"}, 1, 4)                            -- 7.1 #16; b: J1 (ours)
row(17, "溴甲烷", "甲基溴", {"74-83-9"}, 10, 3)                        -- 7.1 #17 (S29,S13,S31; not in S30); β 表3
row(18, "丙酮氰醇", "丙酮合氰化氢;2-羟基异丁腈;氰丙醇", {"75-86-5"}, 20, 1) -- 7.1 #18
row(19, "丙烯醛", "烯丙醛;败脂醛", {"107-02-8"}, 20, 1)                -- 7.1 #19
row(20, "氟化氢", nil, {"7664-39-3"}, 1, 5)                            -- 7.1 #20; β 表3
row(21, "1-氯-2,3-环氧丙烷", "环氧氯丙烷", {"106-89-8"}, 20, 1)        -- 7.1 #21
row(22, "3-溴-1,2-环氧丙烷", "环氧溴丙烷;表溴醇", {"3132-64-7"}, 20, 1) -- 7.1 #22
-- #23: the standard lists the isomer mixture 26471-62-5 only; 2,4-TDI (584-84-9) and
-- 2,6-TDI (91-08-7) are mapped here by US (🟡, §7.1) and reported as an assumption.
row(23, "甲苯二异氰酸酯", "二异氰酸甲苯酯;TDI", {"26471-62-5", "584-84-9", "91-08-7"}, 100, 1) -- 7.1 #23
row(24, "一氯化硫", "氯化硫", {"10025-67-9"}, 1, 1)                   -- 7.1 #24
row(25, "氰化氢", "无水氢氰酸", {"74-90-8"}, 1, 10)                    -- 7.1 #25; β 表3
row(26, "三氧化硫", "硫酸酐", {"7446-11-9"}, 75, 1)                    -- 7.1 #26
row(27, "3-氨基丙烯", "烯丙胺", {"107-11-9"}, 20, 1)                   -- 7.1 #27
row(28, "溴", "溴素", {"7726-95-6"}, 20, 1)                             -- 7.1 #28
row(29, "乙撑亚胺", "吖丙啶;1-氮杂环丙烷;氮丙啶", {"151-56-4"}, 20, 1) -- 7.1 #29
row(30, "异氰酸甲酯", "甲基异氰酸酯", {"624-83-9"}, 0.75, 20)          -- 7.1 #30; β 表3
row(31, "叠氮化钡", "叠氮钡", {"18810-58-7"}, 0.5, 2)                  -- 7.1 #31 (S29,S30; S13 typo)
row(32, "叠氮化铅", nil, {"13424-46-9"}, 0.5, 2)                        -- 7.1 #32
row(33, "雷汞", "二雷酸汞;雷酸汞", {"628-86-4"}, 0.5, 2)               -- 7.1 #33
row(34, "三硝基苯甲醚", "三硝基茴香醚", {"28653-16-9"}, 5, 2)          -- 7.1 #34
row(35, "2,4,6-三硝基甲苯", "梯恩梯;TNT", {"118-96-7"}, 5, 2)          -- 7.1 #35
row(36, "硝化甘油", "硝化丙三醇;甘油三硝酸酯", {"55-63-0"}, 1, 2)      -- 7.1 #36
-- #37-#42 share CAS 9004-70-0: choose the row by `row` (序号). S30 omits #37,#38,#41,#42.
row(37, "硝化纤维素［干的或含水（或乙醇）<25%］", "硝化棉", {"9004-70-0"}, 1, 2, "干的或含水（或乙醇）<25%") -- 7.1 #37 (S29,S13)
row(38, "硝化纤维素（未改型的，或增塑的，含增塑剂<18%）", nil, {"9004-70-0"}, 1, 2, "未改型的，或增塑的，含增塑剂<18%") -- 7.1 #38 (S29,S13)
row(39, "硝化纤维素（含乙醇≥25%）", nil, {"9004-70-0"}, 10, 1, "含乙醇≥25%") -- 7.1 #39
row(40, "硝化纤维素（含氮≤12.6%）", nil, {"9004-70-0"}, 50, 1, "含氮≤12.6%") -- 7.1 #40
row(41, "硝化纤维素（含水≥25%）", nil, {"9004-70-0"}, 50, 1, "含水≥25%") -- 7.1 #41 (S29,S13)
row(42, "硝化纤维素溶液（含氮量≤12.6%，含硝化纤维素≤55%）", "硝化棉溶液", {"9004-70-0"}, 50, 1, "含氮量≤12.6%，含硝化纤维素≤55%") -- 7.1 #42 (S29,S13)
-- #43-#44 share CAS 6484-52-2 (✅ also S12); #45 has no CAS (match by name or row).
row(43, "硝酸铵（含可燃物>0.2%）", nil, {"6484-52-2"}, 5, 2, "含可燃物>0.2%，包括以碳计算的任何有机物") -- 7.1 #43; b: explosive (ours)
row(44, "硝酸铵（含可燃物≤0.2%）", nil, {"6484-52-2"}, 50, 1, "含可燃物≤0.2%") -- 7.1 #44
row(45, "硝酸铵肥料（含可燃物≤0.4%）", "硝酸铵肥料", {}, 200, 1)        -- 7.1 #45 (S12 ✅)
row(46, "硝酸钾", nil, {"7757-79-1"}, 1000, 1)                          -- 7.1 #46
row(47, "1,3-丁二烯", "联乙烯", {"106-99-0"}, 5, 1.5)                   -- 7.1 #47; b: W2
row(48, "二甲醚", "甲醚", {"115-10-6"}, 50, 1.5)                         -- 7.1 #48; b: W2
row(49, "甲烷，天然气", "甲烷;天然气", {"74-82-8", "8006-14-2"}, 50, 1.5) -- 7.1 #49; b: W2
row(50, "氯乙烯", "乙烯基氯", {"75-01-4"}, 50, 1.5)                     -- 7.1 #50; b: W2
row(51, "氢", "氢气", {"1333-74-0"}, 5, 1.5)                             -- 7.1 #51; b: W2
row(52, "液化石油气（含丙烷、丁烷及其混合物）", "石油气（液化的）;液化石油气;丙烷;丁烷",
    {"68476-85-7", "74-98-6", "106-97-8"}, 50, 1.5)                     -- 7.1 #52; b: W2
row(53, "一甲胺", "氨基甲烷;甲胺", {"74-89-5"}, 5, 1.5)                 -- 7.1 #53; b: W2
row(54, "乙炔", "电石气", {"74-86-2"}, 1, 1.5)                           -- 7.1 #54; b: W2
row(55, "乙烯", nil, {"74-85-1"}, 50, 1.5)                               -- 7.1 #55; b: W2
row(56, "氧（压缩的或液化的）", "液氧;氧气", {"7782-44-7"}, 200, 1, "压缩的或液化的") -- 7.1 #56 (S12 ✅); b: W4
row(57, "苯", "纯苯", {"71-43-2"}, 50, 1)                                -- 7.1 #57
row(58, "苯乙烯", "乙烯苯", {"100-42-5"}, 500, 1)                        -- 7.1 #58
row(59, "丙酮", "二甲基酮", {"67-64-1"}, 500, 1)                         -- 7.1 #59
row(60, "2-丙烯腈", "丙烯腈;乙烯基氰;氰基乙烯", {"107-13-1"}, 50, 1)    -- 7.1 #60
row(61, "二硫化碳", nil, {"75-15-0"}, 50, 1)                             -- 7.1 #61
row(62, "环己烷", "六氢化苯", {"110-82-7"}, 500, 1)                      -- 7.1 #62
row(63, "1,2-环氧丙烷", "氧化丙烯;甲基环氧乙烷;环氧丙烷", {"75-56-9"}, 10, 1.5) -- 7.1 #63; b: W5.1
row(64, "甲苯", "甲基苯;苯基甲烷", {"108-88-3"}, 500, 1)                 -- 7.1 #64
row(65, "甲醇", "木醇;木精", {"67-56-1"}, 500, 1)                        -- 7.1 #65
row(66, "汽油（乙醇汽油、甲醇汽油）", "汽油;乙醇汽油;甲醇汽油", {"86290-81-5"}, 200, 1.5) -- 7.1 #66; b: W5.1
row(67, "乙醇", "酒精", {"64-17-5"}, 500, 1)                             -- 7.1 #67
row(68, "乙醚", "二乙基醚", {"60-29-7"}, 10, 1.5)                        -- 7.1 #68; b: W5.1
row(69, "乙酸乙酯", "醋酸乙酯", {"141-78-6"}, 500, 1)                    -- 7.1 #69
row(70, "正己烷", "己烷", {"110-54-3"}, 500, 1)                          -- 7.1 #70
row(71, "过乙酸", "过醋酸;过氧乙酸;乙酰过氧化氢", {"79-21-0"}, 10, 1.5) -- 7.1 #71; b: W7.1
row(72, "过氧化甲基乙基酮", nil, {"1338-23-4"}, 10, 1.5, "10%<有效氧含量≤10.7%，含A型稀释剂≥48%") -- 7.1 #72
row(73, "白磷", "黄磷", {"12185-10-3"}, 50, 1)                           -- 7.1 #73
row(74, "烷基铝", "三烷基铝", {}, 1, 1)                                  -- 7.1 #74 (no CAS)
row(75, "戊硼烷", "五硼烷", {"19624-22-7"}, 1, 1)                        -- 7.1 #75
row(76, "过氧化钾", nil, {"17014-71-0"}, 20, 1)                          -- 7.1 #76 (S29,S30)
row(77, "过氧化钠", "双氧化钠;二氧化钠", {"1313-60-6"}, 20, 1)          -- 7.1 #77
row(78, "氯酸钾", nil, {"3811-04-9"}, 100, 1)                            -- 7.1 #78
row(79, "氯酸钠", nil, {"7775-09-9"}, 100, 1)                            -- 7.1 #79
row(80, "发烟硝酸", nil, {"52583-42-3"}, 20, 1)                          -- 7.1 #80
row(81, "硝酸（发红烟的除外，含硝酸>70%）", nil, {"7697-37-2"}, 100, 1, "发红烟的除外，含硝酸>70%") -- 7.1 #81
row(82, "硝酸胍", "硝酸亚氨脲", {"506-93-4"}, 50, 1)                     -- 7.1 #82 (S12 ✅)
row(83, "碳化钙", "电石", {"75-20-7"}, 100, 1)                           -- 7.1 #83
row(84, "钾", "金属钾", {"7440-09-7"}, 1, 1)                             -- 7.1 #84
row(85, "钠", "金属钠", {"7440-23-5"}, 10, 1)                            -- 7.1 #85

-- CAS mapped to a row by us rather than printed in the standard (reported when used).
local MAPPED_CAS = {
  ["630-08-0"] = "一氧化碳按表1序号13（煤气，含CO）计",
  ["584-84-9"] = "2,4-TDI 按表1序号23（甲苯二异氰酸酯，标准仅列 26471-62-5）计",
  ["91-08-7"] = "2,6-TDI 按表1序号23（甲苯二异氰酸酯，标准仅列 26471-62-5）计",
}

---------------------------------------------------------------------------------------
-- 表2 未在表1中列举的危险化学品类别及其临界量 (t) ✅ S29 (S30, S13 agree; J rows and
-- W6 also S12), and 表4 β by the same symbols ✅ S29, S30, S13 (regulations.md §7.1).
---------------------------------------------------------------------------------------
local T2 = {
  J1     = { Q = 5,    beta = 4,   desc = "急性毒性 类别1，所有暴露途径，气体" },
  J2     = { Q = 50,   beta = 1,   desc = "急性毒性 类别1，所有暴露途径，固体、液体" },
  J3     = { Q = 50,   beta = 2,   desc = "急性毒性 类别2、类别3，所有暴露途径，气体" },
  J4     = { Q = 50,   beta = 2,   desc = "急性毒性 类别2、类别3，吸入途径，液体（沸点≤35℃）" },
  J5     = { Q = 500,  beta = 1,   desc = "急性毒性 类别2，所有暴露途径，液体（除J4外）、固体" },
  ["W1.1"] = { Q = 1,    beta = 2,   desc = "爆炸物 不稳定爆炸物；1.1项爆炸物" },
  ["W1.2"] = { Q = 10,   beta = 2,   desc = "爆炸物 1.2、1.3、1.5、1.6项爆炸物" },
  ["W1.3"] = { Q = 50,   beta = 2,   desc = "爆炸物 1.4项爆炸物" },
  W2     = { Q = 10,   beta = 1.5, desc = "易燃气体 类别1和类别2" },
  W3     = { Q = 150,  beta = 1,   desc = "气溶胶 类别1和类别2（净重）" },
  W4     = { Q = 50,   beta = 1,   desc = "氧化性气体 类别1" },
  ["W5.1"] = { Q = 10,   beta = 1.5, desc = "易燃液体 类别1；类别2和3，工作温度高于沸点" },
  ["W5.2"] = { Q = 50,   beta = 1,   desc = "易燃液体 类别2和3，具有引发重大事故的特殊工艺条件" },
  ["W5.3"] = { Q = 1000, beta = 1,   desc = "易燃液体 不属于W5.1或W5.2的其他类别2" },
  ["W5.4"] = { Q = 5000, beta = 1,   desc = "易燃液体 不属于W5.1或W5.2的其他类别3" },
  ["W6.1"] = { Q = 10,   beta = 1.5, desc = "自反应物质和混合物 A型和B型" },
  ["W6.2"] = { Q = 50,   beta = 1,   desc = "自反应物质和混合物 C型、D型、E型" },
  ["W7.1"] = { Q = 10,   beta = 1.5, desc = "有机过氧化物 A型和B型" },
  ["W7.2"] = { Q = 50,   beta = 1,   desc = "有机过氧化物 C型、D型、E型、F型" },
  W8     = { Q = 50,   beta = 1,   desc = "自燃液体和自燃固体 类别1" },
  ["W9.1"] = { Q = 50,   beta = 1,   desc = "氧化性固体和液体 类别1" },
  ["W9.2"] = { Q = 200,  beta = 1,   desc = "氧化性固体和液体 类别2、类别3" },
  W10    = { Q = 200,  beta = 1,   desc = "易燃固体 类别1" },
  W11    = { Q = 200,  beta = 1,   desc = "遇水放出易燃气体的物质和混合物 类别1和类别2" },
}

---------------------------------------------------------------------------------------
-- 表3 毒性气体校正系数β ✅ S29, S30, S11 (S13 same numbers, garbled names), keyed by CAS.
---------------------------------------------------------------------------------------
local T3 = {
  ["630-08-0"]   = { name = "一氧化碳", beta = 2 },
  ["7446-09-5"]  = { name = "二氧化硫", beta = 2 },
  ["7664-41-7"]  = { name = "氨", beta = 2 },
  ["75-21-8"]    = { name = "环氧乙烷", beta = 2 },
  ["7647-01-0"]  = { name = "氯化氢", beta = 3 },
  ["74-83-9"]    = { name = "溴甲烷", beta = 3 },
  ["7782-50-5"]  = { name = "氯", beta = 4 },
  ["7783-06-4"]  = { name = "硫化氢", beta = 5 },
  ["7664-39-3"]  = { name = "氟化氢", beta = 5 },
  ["10102-44-0"] = { name = "二氧化氮", beta = 10 },
  ["74-90-8"]    = { name = "氰化氢", beta = 10 },
  ["75-44-5"]    = { name = "碳酰氯", beta = 20 },
  ["7803-51-2"]  = { name = "磷化氢", beta = 20 },
  ["624-83-9"]   = { name = "异氰酸甲酯", beta = 20 },
}
-- 表1 row numbers of the 表3 gases (一氧化碳 -> 煤气 row 13), for lookups by name/row.
local T3_ROW = { [1] = "7664-41-7", [3] = "10102-44-0", [4] = "7446-09-5", [6] = "75-44-5",
  [7] = "75-21-8", [9] = "7803-51-2", [10] = "7783-06-4", [11] = "7647-01-0",
  [12] = "7782-50-5", [13] = "630-08-0", [17] = "74-83-9", [20] = "7664-39-3",
  [25] = "74-90-8", [30] = "624-83-9" }

---------------------------------------------------------------------------------------
-- 表5 α (厂外可能暴露人员数量 within 500 m) ✅ S11, S13, S29 (500 m wording 🟡).
-- 表6 grades ✅ S11, S13, S29.
---------------------------------------------------------------------------------------
local ALPHA = {            -- from the top: first row whose `min` the headcount reaches
  { min = 100, alpha = 2.0, label = "100人以上" },
  { min = 50,  alpha = 1.5, label = "50～99人" },
  { min = 30,  alpha = 1.2, label = "30～49人" },
  { min = 1,   alpha = 1.0, label = "1～29人" },
  { min = 0,   alpha = 0.5, label = "0人" },
}
local GRADES = {           -- from the top: first row whose `min` R reaches
  { min = 100, grade = 1, label = "一级" },
  { min = 50,  grade = 2, label = "二级" },
  { min = 10,  grade = 3, label = "三级" },
  { min = -math.huge, grade = 4, label = "四级" },
}
local GRADE_LABEL = { "一级", "二级", "三级", "四级" }

---------------------------------------------------------------------------------------
-- Indexes (built once at load; never changed afterwards).
---------------------------------------------------------------------------------------
local BY_NO, BY_CAS, BY_NAME = {}, {}, {}

local function norm_name(s)
  s = s:gsub("%s+", "")
  s = s:gsub("（", "("):gsub("）", ")"):gsub("，", ","):gsub("；", ";")
  s = s:gsub("＞", ">"):gsub("＜", "<")
  return s
end

local function add_name(key, r)
  local k = norm_name(key)
  if k ~= "" and BY_NAME[k] == nil then BY_NAME[k] = r end
end

for _, r in ipairs(T1) do
  BY_NO[r.no] = r
  for _, c in ipairs(r.cas) do
    local list = BY_CAS[c]
    if list == nil then list = {}; BY_CAS[c] = list end
    list[#list + 1] = r
  end
  add_name(r.name, r)
  if r.alias then
    for a in r.alias:gmatch("[^;]+") do add_name(a, r) end
  end
end

---------------------------------------------------------------------------------------
-- Helpers
---------------------------------------------------------------------------------------
local function trim(s)
  if type(s) ~= "string" then return nil end
  s = s:match("^%s*(.-)%s*$")
  if s == "" then return nil end
  return s
end

-- Parse a category string such as "W2", "w5.1", "W2,J3" or "W2、J3" into a list of
-- 表2 symbols. Returns list, bad (list of unrecognised tokens).
local function parse_categories(cat)
  local out, bad = {}, {}
  if type(cat) ~= "string" then return out, bad end
  local s = cat:gsub("，", ","):gsub("、", ","):gsub("；", ","):gsub(";", ","):gsub("/", ",")
  for tok in s:gmatch("[^,%s]+") do
    local sym = tok:upper()
    if T2[sym] then out[#out + 1] = sym else bad[#bad + 1] = tok end
  end
  return out, bad
end

local function category_Q_beta(syms)
  local Q, beta
  for _, sym in ipairs(syms) do
    local e = T2[sym]
    if Q == nil or e.Q < Q then Q = e.Q end
    if beta == nil or e.beta > beta then beta = e.beta end
  end
  return Q, beta
end

local function check_number(v, what)
  if type(v) ~= "number" or v ~= v then
    error("gb18218: " .. what .. " 必须是数字", 0)
  end
  if v < 0 then error("gb18218: " .. what .. " 不能为负数", 0) end
end

---------------------------------------------------------------------------------------
-- Public data and functions
---------------------------------------------------------------------------------------

-- α from the number of people living within 500 m of the plant boundary (表5).
function M.alpha(people)
  check_number(people, "500m范围内常住人口数")
  for _, a in ipairs(ALPHA) do
    if people >= a.min then return a.alpha, a.label end
  end
  return 0.5, "0人"  -- unreachable for people >= 0
end

-- Grade 1..4 from R (表6). Returns grade, label ("一级" ...).
function M.grade(R)
  if type(R) ~= "number" or R ~= R then error("gb18218: R 必须是数字", 0) end
  for _, g in ipairs(GRADES) do
    if R >= g.min - EPS then return g.grade, g.label end
  end
  return 4, "四级"  -- unreachable
end

function M.grade_label(g)
  return GRADE_LABEL[g]
end

-- Critical quantity of a 表2 category (or several: lowest Q). nil if unknown.
function M.category_Q(cat)
  local syms = parse_categories(cat)
  if #syms == 0 then return nil end
  local Q = category_Q_beta(syms)
  return Q
end

-- β of a 表3 gas by CAS, or nil.
function M.toxic_gas_beta(cas)
  local e = T3[trim(cas) or ""]
  return e and e.beta or nil
end

-- Look up one inventory entry {cas=, name=, category=, row=}. Returns a table
-- {Q=, beta=, basis=, beta_basis=, row=, name=, notes={...}} or nil, reason.
function M.lookup(entry)
  if type(entry) ~= "table" then return nil, "条目不是表" end
  local cas, name = trim(entry.cas), trim(entry.name)
  local syms, bad = parse_categories(entry.category)
  local notes = {}
  local r
  local rowno = entry.row
  if rowno ~= nil then
    r = BY_NO[tonumber(rowno) or -1]
    if r == nil then return nil, "表1中没有序号 " .. tostring(rowno) end
    if cas then
      local ok = false
      for _, c in ipairs(r.cas) do if c == cas then ok = true end end
      if not ok then
        notes[#notes + 1] = string.format("CAS %s 不在表1序号%d下，按序号%d计", cas, r.no, r.no)
      end
    end
  elseif cas and BY_CAS[cas] then
    local list = BY_CAS[cas]
    r = list[1]
    if #list > 1 then
      for i = 2, #list do if list[i].Q < r.Q then r = list[i] end end
      notes[#notes + 1] = string.format(
        "CAS %s 对应表1多行，未给出序号，按临界量最小的序号%d（%s，%g t）计", cas, r.no, r.name, r.Q)
    elseif r.qual then
      notes[#notes + 1] = string.format("按表1序号%d（%s）计，须满足“%s”", r.no, r.name, r.qual)
    end
    if MAPPED_CAS[cas] then notes[#notes + 1] = MAPPED_CAS[cas] end
  elseif name and BY_NAME[norm_name(name)] then
    r = BY_NAME[norm_name(name)]
    notes[#notes + 1] = string.format("“%s”按名称对应表1序号%d", name, r.no)
  end
  if #bad > 0 then
    notes[#notes + 1] = "无法识别的危险性类别：" .. table.concat(bad, "、")
  end

  if r then
    local res = { Q = r.Q, row = r.no, name = r.name, basis = "表1 序号" .. r.no, notes = notes }
    local t3 = T3_ROW[r.no] and T3[T3_ROW[r.no]]
    if t3 then
      res.beta, res.beta_basis = t3.beta, "表3 " .. t3.name
    elseif #syms > 0 then
      local _, b = category_Q_beta(syms)
      res.beta, res.beta_basis = b, "表4 " .. table.concat(syms, ",")
    else
      res.beta, res.beta_basis = r.b, "默认"
      res.beta_assumed = true
      notes[#notes + 1] = string.format("%s 未给危险性类别，β按默认值 %g 取", r.name, r.b)
    end
    return res
  end

  -- not in 表1: 表2 by category; a 表3 gas never gets here (all are in 表1).
  if #syms > 0 then
    local Q, b = category_Q_beta(syms)
    local cats = table.concat(syms, ",")
    return { Q = Q, beta = b, basis = "表2 " .. cats, beta_basis = "表4 " .. cats,
             name = name or cas, notes = notes }
  end
  if #bad > 0 then
    return nil, "危险性类别无法识别：" .. table.concat(bad, "、")
  end
  if cas then return nil, "CAS " .. cas .. " 不在表1中，且未给出危险性类别" end
  if name then return nil, "“" .. name .. "”不在表1中，且未给出危险性类别" end
  return nil, "既无CAS号、名称，也无危险性类别"
end

-- Identify and grade one unit (生产单元 or 储存单元).
--   inventory: list of {cas=, name=, category=, q=t, row=(表1 序号, optional)}
--   people:    常住人口 within 500 m (optional; without it R and grade are nil)
-- Returns {
--   S, is_major, alpha, R, grade (1..4 only when is_major), grade_label,
--   sum_beta = Σ β·q/Q, drivers = substances sorted by β·q/Q (then q/Q) descending,
--   unknown = entries that could not be identified {index, cas, name, q, reason},
--   complete = (#unknown == 0), assumptions = {strings to show the inspector} }
function M.identify(inventory, people)
  if inventory == nil then inventory = {} end
  if type(inventory) ~= "table" then error("gb18218.identify: 物质清单必须是列表", 0) end
  if people ~= nil then check_number(people, "500m范围内常住人口数") end

  local drivers, by_key, unknown, assumptions, seen_note = {}, {}, {}, {}, {}
  local S, SB = 0, 0
  for i, e in ipairs(inventory) do
    if type(e) ~= "table" then error("gb18218.identify: 第" .. i .. "项不是表", 0) end
    check_number(e.q, "第" .. i .. "项的数量 q (t)")
    local hit, why = M.lookup(e)
    if hit == nil then
      unknown[#unknown + 1] = { index = i, cas = trim(e.cas), name = trim(e.name), q = e.q, reason = why }
    else
      for _, n in ipairs(hit.notes) do
        if not seen_note[n] then seen_note[n] = true; assumptions[#assumptions + 1] = n end
      end
      local key = hit.row and ("T1:" .. hit.row .. ":" .. hit.beta)
        or ("T2:" .. (trim(e.cas) or "") .. ":" .. (hit.name or "") .. ":" .. hit.basis)
      local d = by_key[key]
      if d == nil then
        d = { key = key, order = #drivers + 1, cas = trim(e.cas), name = hit.name or trim(e.name),
              row = hit.row, Q = hit.Q, beta = hit.beta, basis = hit.basis,
              beta_basis = hit.beta_basis, q = 0 }
        drivers[#drivers + 1] = d
        by_key[key] = d
      end
      d.q = d.q + e.q
    end
  end
  for _, d in ipairs(drivers) do
    d.ratio = d.q / d.Q
    d.contribution = d.beta * d.ratio
    S = S + d.ratio
    SB = SB + d.contribution
  end
  table.sort(drivers, function(a, b)
    if a.contribution ~= b.contribution then return a.contribution > b.contribution end
    if a.ratio ~= b.ratio then return a.ratio > b.ratio end
    return a.order < b.order
  end)

  local res = {
    S = S, sum_beta = SB, is_major = S >= 1 - EPS, drivers = drivers,
    unknown = unknown, complete = #unknown == 0, assumptions = assumptions,
  }
  if people ~= nil then
    res.alpha = M.alpha(people)
    res.R = res.alpha * SB
    if res.is_major then
      res.grade, res.grade_label = M.grade(res.R)
    end
  end
  return res
end

-- A one-line Chinese summary of an identify() result, for rule messages.
function M.summary(res)
  local parts = { string.format("S=%.2f", res.S) }
  if res.R then parts[#parts + 1] = string.format("R=%.2f（α=%g）", res.R, res.alpha) end
  if res.grade then
    parts[#parts + 1] = GRADE_LABEL[res.grade] .. "重大危险源"
  elseif res.is_major then
    parts[#parts + 1] = "构成重大危险源"
  else
    parts[#parts + 1] = "未构成重大危险源"
  end
  local top = {}
  for i = 1, math.min(3, #res.drivers) do
    local d = res.drivers[i]
    top[#top + 1] = string.format("%s %g t/%g t", d.name, d.q, d.Q)
  end
  if #top > 0 then parts[#parts + 1] = "主要物质：" .. table.concat(top, "，") end
  return table.concat(parts, "；")
end

-- Read-only views of the data, for documentation and tests.
M.T1_COUNT = #T1
function M.table1_row(no) local r = BY_NO[no]; if r then return r.name, r.Q end end
function M.cas_known(cas) return BY_CAS[trim(cas) or ""] ~= nil end
function M.categories()
  local out = {}
  for k in pairs(T2) do out[#out + 1] = k end
  table.sort(out)
  return out
end

return M
