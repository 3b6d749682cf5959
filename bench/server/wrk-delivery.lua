-- wrk script for bench/server/run.mjs --load wrk: POSTs the signed delivery in BENCH_BODY_FILE with a fresh
-- X-GitHub-Delivery per request (BENCH_DELIVERY_PREFIX + a counter), and prints one JSON line when done.
local f = assert(io.open(os.getenv("BENCH_BODY_FILE"), "rb"))
local body = f:read("*a")
f:close()
local signature = os.getenv("BENCH_SIGNATURE")
local prefix = os.getenv("BENCH_DELIVERY_PREFIX")
local counter = 0
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function request()
  counter = counter + 1
  return wrk.format("POST", nil, {
    ["content-type"] = "application/json",
    ["x-github-event"] = "workflow_run",
    ["x-hub-signature-256"] = signature,
    ["x-github-delivery"] = prefix .. "-" .. tostring(tid) .. "-" .. tostring(counter),
  }, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests":%d,"duration_us":%d,"non2xx":%d,"errors":%d,"p50_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
