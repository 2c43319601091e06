-- wrk script of the soak benchmark: alternates non-stream and streaming chat completions on each
-- connection and counts, per kind, the answers that came back whole (a 200 with a 502 inside an
-- SSE stream would otherwise pass as a success).
-- Usage: wrk ... -s bench/soak.lua http://127.0.0.1:PORT -- PATH [MAX_RESPONSES_PER_THREAD]
-- wrk's -d bounds the time; the second argument bounds the count (a thread stops at it).

local path = "/bedrock/v1/chat/completions"
local headers = { ["Content-Type"] = "application/json" }
local prompt = '"messages":[{"role":"user","content":"Soak test: answer in one short sentence."}]'
local requests = {}
local sent = 0
local received = 0
local max_responses = nil
-- Per thread; summed in done().
plain_ok = 0
stream_ok = 0
bad = 0

local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    if args[1] then
        path = args[1]
    end
    max_responses = tonumber(args[2])
    requests[1] = wrk.format("POST", path, headers, '{"model":"","max_tokens":64,' .. prompt .. '}')
    requests[2] = wrk.format("POST", path, headers, '{"model":"","max_tokens":64,"stream":true,' .. prompt .. '}')
end

function request()
    sent = sent + 1
    return requests[(sent % 2) + 1]
end

function response(status, headers, body)
    received = received + 1
    if max_responses and received >= max_responses then
        wrk.thread:stop()
    end
    if status ~= 200 then
        bad = bad + 1
    elseif body:sub(1, 5) == "data:" then
        -- A stream counts when it ends with [DONE] and carried no error event.
        if body:find("[DONE]", 1, true) and not body:find('"error"', 1, true) then
            stream_ok = stream_ok + 1
        else
            bad = bad + 1
        end
    elseif body:find('"chat.completion"', 1, true) then
        plain_ok = plain_ok + 1
    else
        bad = bad + 1
    end
end

function done(summary, latency, requests)
    local plain, stream, failed = 0, 0, 0
    for _, thread in ipairs(threads) do
        plain = plain + thread:get("plain_ok")
        stream = stream + thread:get("stream_ok")
        failed = failed + thread:get("bad")
    end
    io.write(string.format("SOAK plain_ok=%d stream_ok=%d bad=%d socket_errors=%d p99_ms=%.1f\n", plain, stream,
        failed, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
        latency:percentile(99) / 1000))
end
