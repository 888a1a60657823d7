-- Counts the responses that are not 2xx, for bench/serve.sh. Each wrk
-- thread counts its own; done() adds the threads' counts up.
local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    errors = 0
end

function response(status, headers, body)
    if status < 200 or status > 299 then
        errors = errors + 1
    end
end

function done(summary, latency, requests)
    local total = 0
    for _, thread in ipairs(threads) do
        total = total + thread:get("errors")
    end
    io.write(string.format("non-2xx responses: %d, socket errors: %d\n", total,
        summary.errors.connect + summary.errors.read + summary.errors.write
        + summary.errors.timeout))
end
