-- wrk script for the item benchmarks (tests/bench/run.sh).
--
--   wrk ... -s items.lua http://127.0.0.1:PORT -- MODE COUNT SIZE BASE
--
-- BASE is the group's path (".../groups/GROUP/items/"); keys are k0 .. k<COUNT-1>.
--   seed  PUT each key once, in order, with a SIZE-byte value, print "seeded items=N bad=B"
--         and exit (run with -t1 -c1 and BENCH_STRICT=1: one request in flight, so the
--         COUNT-th answer is the last key's).
--   get   GET a random key.
--   put   PUT a random key with a SIZE-byte value that no other request of the run sends
--         (thread number + counter + padding): an UPDATE with identical bytes writes nothing,
--         so repeated bodies would flatter the figure.
--   mixed nine GETs in ten, else a PUT as above, on random keys.
-- Requests are built per request (not held per key), so COUNT may be 10^6 and the wrk
-- work per request is the same for every COUNT and for the reference server.
-- With BENCH_STRICT=1 in the environment each answer's status is checked in Lua (slower, so
-- only for the warm-up) and anything outside 200-299 is counted: wrk itself counts only >= 400.
-- done() prints one machine-readable "result ..." line that run.sh parses.

local threads = {}
local strict = os.getenv("BENCH_STRICT") == "1"

local mode, count, size
local base, host
local pad
local sent = 0
answered, bad = 0, 0 -- globals: done() reads them with thread:get()

function setup(thread)
   thread:set("thread_no", #threads)
   table.insert(threads, thread)
end

local function value(stamp)
   return stamp .. string.sub(pad, 1, size - #stamp)
end

function init(args)
   mode, count, size = args[1], tonumber(args[2]), tonumber(args[3])
   base, host = args[4], wrk.headers["Host"]
   pad = string.rep("abcdefghijklmnopqrstuvwxyz0123456789", math.ceil(size / 36) + 1)
   math.randomseed(1000 + thread_no)
end

local function get(i)
   return "GET " .. base .. "k" .. i .. " HTTP/1.1\r\nHost: " .. host .. "\r\n\r\n"
end

local function put(i, stamp)
   return "PUT " .. base .. "k" .. i .. " HTTP/1.1\r\nHost: " .. host ..
      "\r\nContent-Type: text/plain\r\nContent-Length: " .. size .. "\r\n\r\n" .. value(stamp)
end

function request()
   sent = sent + 1
   if mode == "seed" then
      local i = (sent - 1) % count
      return put(i, string.format("seed-%08d-", i))
   end
   local i = math.random(0, count - 1)
   if mode == "get" or (mode == "mixed" and math.random(10) > 1) then
      return get(i)
   end
   return put(i, string.format("put-%03d-%012d-", thread_no, sent))
end

local function on_response(status)
   answered = answered + 1
   if status < 200 or status > 299 then
      bad = bad + 1
   end
   if mode == "seed" and answered >= count then
      -- wrk would sleep out its whole -d; leave at once, the one thread being done.
      io.write(string.format("seeded items=%d bad=%d\n", answered, bad))
      io.flush()
      os.exit(bad == 0 and 0 or 1)
   end
end

if strict then
   response = on_response
end

function done(summary, latency, requests_)
   local e = summary.errors
   local bad_total, answered_total = 0, 0
   for _, t in ipairs(threads) do
      bad_total = bad_total + (t:get("bad") or 0)
      answered_total = answered_total + (t:get("answered") or 0)
   end
   io.write(string.format(
      "result requests=%d duration_us=%d bytes=%d rps=%.1f p50_us=%d p99_us=%d max_us=%d" ..
      " status_errors=%d socket_errors=%d timeouts=%d strict_bad=%d strict_answered=%d\n",
      summary.requests, summary.duration, summary.bytes,
      summary.requests / (summary.duration / 1e6),
      latency:percentile(50), latency:percentile(99), latency.max,
      e.status, e.connect + e.read + e.write, e.timeout, bad_total, answered_total))
end
