local function grow(n) if n > 0 then return grow(n - 1) + 0 end return 0 end
local t = setmetatable({}, {__concat = function(a, b) grow(20000); return "x" end})
for i = 1, 50 do local s = t .. "a" .. "b"; collectgarbage() end
