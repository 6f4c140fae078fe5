-- One non-streaming chat per request, against the gateway or straight at the upstream (the baseline).
-- BENCH_TARGET=gateway|upstream; BENCH_SESSIONS: file of session ids the gateway requests spread over;
-- BENCH_GAP_MS: mean pause between a connection's requests (steady load), 0 = back to back.
local target = os.getenv("BENCH_TARGET") or "gateway"
local sessions_file = os.getenv("BENCH_SESSIONS")
local gap_ms = tonumber(os.getenv("BENCH_GAP_MS") or "0")
local question = "Why is the TiKV write latency high? tokens=20"
local headers = { ["Content-Type"] = "application/json" }
local ids = {}
local n = 0

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
  if target == "gateway" and sessions_file then
    for line in io.lines(sessions_file) do
      if #line > 0 then ids[#ids + 1] = line end
    end
  end
end

function request()
  n = n + 1
  if target == "upstream" then
    return wrk.format("POST", "/api/v1/chats", headers,
      '{"messages":[{"role":"user","content":"' .. question .. '"}],"chat_id":null,"stream":false}')
  end
  local session = ""
  -- Round robin: in-flight requests use different sessions, as real conversations do (a session answers
  -- one question at a time, so two at once on one session would wait for each other).
  if #ids > 0 then session = '"session_id":"' .. ids[(n % #ids) + 1] .. '",' end
  return wrk.format("POST", "/api/rca/chat", headers, '{' .. session .. '"message":"' .. question .. '"}')
end

if gap_ms > 0 then
  -- Uniform pauses around the mean keep connections from marching in step.
  function delay() return math.random(0, 2 * gap_ms) end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('RESULT {"requests":%d,"seconds":%.3f,"rps":%.1f,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_ms":{"p50":%.3f,"p90":%.3f,"p99":%.3f,"p999":%.3f,"max":%.3f,"mean":%.3f}}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50) / 1e3, latency:percentile(90) / 1e3, latency:percentile(99) / 1e3,
    latency:percentile(99.9) / 1e3, latency.max / 1e3, latency.mean / 1e3))
end
