-- wrk script: inspections submitted as fast as the server takes them, each
-- with its own id (thread and sequence number), some sent twice on purpose
-- (every 10th repeats the one before: it must answer 200 and record nothing).
local threads = {}

function setup(thread)
    thread:set("tid", #threads + 1)
    table.insert(threads, thread)
end

function init(args)
    n, created, repeated, errors = 0, 0, 0, 0
    cookie, csrf, nsites = os.getenv("HC_COOKIE"), os.getenv("HC_CSRF"), tonumber(os.getenv("HC_SITES"))
end

local answers = '"answers":{"D03":{"explosion_control":"none","note":"风管未设泄爆口"},'
    .. '"G01":{"thickness_mm":0.5,"blown":false},"G02":{"devices":["rotary_valve"],"code":"A","count":1}}'

function request()
    n = n + 1
    local seq = n % 10 == 0 and n - 1 or n      -- every 10th request repeats the one before
    local id = string.format("bench-%d-%d", tid, seq)
    local body = string.format('{"inspection":{"id":"%s","site":"b-%d","checklist":"mini","date":"2026-10-01"},%s}',
                               id, seq % nsites + 1, answers)
    return wrk.format("POST", "/api/v1/inspections",
                      {["Cookie"] = cookie, ["X-CSRF-Token"] = csrf, ["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
    if status == 201 then created = created + 1
    elseif status == 200 then repeated = repeated + 1
    else errors = errors + 1 end
end

function done(summary, latency, requests)
    local c, r, e = 0, 0, 0
    for _, t in ipairs(threads) do
        c, r, e = c + t:get("created"), r + t:get("repeated"), e + t:get("errors")
    end
    io.write(string.format("submit-counts created=%d repeated=%d errors=%d\n", c, r, e))
end
