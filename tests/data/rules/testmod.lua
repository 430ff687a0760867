-- a module for sandbox tests: data, a nested table and a pure function
local M = {}
M.limits = {dust = 1.0, nested = {deep = 42}}
function M.double(x) return 2 * x end
return M
