-- wrk script: people reading pages (home, actions, sites, a site), signed in.
local paths = {"/", "/actions", "/sites", "/sites/b-1"}
local errors_ = 0
local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    i, errors = 0, 0
    cookie = os.getenv("HC_COOKIE")
end

function request()
    i = i + 1
    return wrk.format("GET", paths[i % #paths + 1], {["Cookie"] = cookie})
end

function response(status, headers, body)
    if status ~= 200 then errors = errors + 1 end
end

function done(summary, latency, requests)
    local e = 0
    for _, t in ipairs(threads) do e = e + t:get("errors") end
    io.write(string.format("page-counts errors=%d\n", e))
end
