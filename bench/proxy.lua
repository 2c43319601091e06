-- wrk script of the proxy benchmark: POSTs one OpenAI chat body on every request and counts the
-- answers that are not what the target must return (any non-200; for Quarry also a 200 without a
-- chat completion in it), so a run of fast errors cannot pass as a fast gateway.
-- Usage: wrk ... -s bench/proxy.lua http://127.0.0.1:PORT -- PATH [EXPECT [BODY]]
-- EXPECT: a string every answer's body must contain (empty: the status alone counts).
-- BODY: the request body (default: a one-line non-stream chat request).

local path = "/"
local expect = nil
local body = '{"model":"","max_tokens":64,"messages":[{"role":"user","content":"Bench: answer in one word."}]}'
local headers = { ["Content-Type"] = "application/json" }
local request_bytes = nil
-- Per thread; summed in done().
ok = 0
bad = 0

local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    if args[1] then
        path = args[1]
    end
    if args[2] and args[2] ~= "" then
        expect = args[2]
    end
    if args[3] and args[3] ~= "" then
        body = args[3]
    end
    request_bytes = wrk.format("POST", path, headers, body)
end

function request()
    return request_bytes
end

function response(status, headers, body)
    if status == 200 and (not expect or body:find(expect, 1, true)) then
        ok = ok + 1
    else
        bad = bad + 1
    end
end

function done(summary, latency, requests)
    local good, failed = 0, 0
    for _, thread in ipairs(threads) do
        good = good + thread:get("ok")
        failed = failed + thread:get("bad")
    end
    local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
    io.write(string.format("PROXY ok=%d bad=%d socket_errors=%d rps=%.1f p50_us=%d p99_us=%d\n", good, failed,
        errors, summary.requests / (summary.duration / 1e6), latency:percentile(50), latency:percentile(99)))
end
