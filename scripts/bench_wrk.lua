-- wrk script for scripts/bench.py: counts every answer other than 200 (wrk itself counts only
-- 4xx/5xx, so a redirect to the login page would pass unnoticed) and prints one line the harness
-- parses. Latencies are in microseconds.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  not_ok = 0
  first_bad = 0
end

function response(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
    if first_bad == 0 then
      first_bad = status
    end
  end
end

function done(summary, latency, requests)
  local bad, first = 0, 0
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("not_ok") or 0)
    if first == 0 then
      first = thread:get("first_bad") or 0
    end
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50_us=%d p95_us=%d p99_us=%d max_us=%d non200=%d "
      .. "first_non200=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, bad, first, e.connect, e.read, e.write, e.timeout
  ))
end
