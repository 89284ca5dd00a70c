-- wrk script of `scripts/bench api`: GETs the request paths listed in a file (argument 1, one per line), cycling
-- over them, each wrk thread from its own offset so the threads do not ask for the same key at the same moment.
-- When wrk is done it writes one machine-readable line (latencies in microseconds) for the benchmark to read.

local thread_count = 0

function setup(thread)
  thread:set("thread_index", thread_count)
  thread_count = thread_count + 1
end

-- Each request is formatted once, here, not in request(): wrk runs on the same cores as the server it measures, and
-- formatting a request per call (string building in Lua) made the load generator's own CPU per request larger.
local requests = {}
local next_index = 0

function init(args)
  for line in io.lines(args[1]) do
    if line ~= "" then
      requests[#requests + 1] = wrk.format(nil, line)
    end
  end
  if #requests == 0 then
    error("no request paths in " .. tostring(args[1]))
  end
  next_index = (thread_index * 7919) % #requests
end

function request()
  next_index = next_index % #requests + 1
  return requests[next_index]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("tierflow-wrk requests=%.0f duration_us=%.0f p50_us=%.0f p90_us=%.0f p99_us=%.0f "
      .. "max_us=%.0f connect_errors=%.0f read_errors=%.0f write_errors=%.0f status_errors=%.0f "
      .. "timeout_errors=%.0f\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
      latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
