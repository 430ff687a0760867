local ok = pcall(function() return io.open("/etc/passwd") end)
local e = next(obs) ; local r = rawget(obs, e)
for k, v in pairs(require("testmod")) do local x = v end
return ("").dump == nil and not ok
