-- harness.lua: what the Lua module tests share: checks that count, the sandbox's
-- environment (only the names rules see, strict globals), and the closing line.
-- Use:  local T = dofile("tests/lua/harness.lua")
local T = { passed = 0, failed = 0 }

function T.ok(cond, what)
  if cond then
    T.passed = T.passed + 1
  else
    T.failed = T.failed + 1
    print("FAIL: " .. what)
  end
end

function T.eq(a, b, what)
  T.ok(a == b, string.format("%s: expected %s, got %s", what, tostring(b), tostring(a)))
end

function T.near(a, b, what)
  local good = type(a) == "number" and math.abs(a - b) < 1e-9
  T.ok(good, string.format("%s: expected %.10g, got %s", what, b, tostring(a)))
end

function T.raises(f, what)
  T.ok(not pcall(f), what .. ": expected an error")
end

-- An environment holding only the sandbox's names: reading or writing anything
-- else is an error, as it is for rules (src/engine/sandbox.c).
function T.sandbox_env()
  local allowed = {
    string = string, table = table, math = math, utf8 = utf8, pairs = pairs,
    ipairs = ipairs, next = next, select = select, type = type, tostring = tostring,
    tonumber = tonumber, error = error, assert = assert, pcall = pcall,
    rawequal = rawequal, rawlen = rawlen, rawget = rawget,
  }
  return setmetatable({}, {
    __index = function(_, k)
      local v = allowed[k]
      if v == nil then error("undefined global " .. tostring(k), 2) end
      return v
    end,
    __newindex = function(_, k) error("assignment to global " .. tostring(k), 2) end,
  })
end

-- "N passed, M failed"; exit 1 on any failure.
function T.finish()
  print(string.format("%d passed, %d failed", T.passed, T.failed))
  if T.failed > 0 then os.exit(1) end
end

return T
