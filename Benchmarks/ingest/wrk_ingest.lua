-- wrk script: POST ~1 MiB NDJSON bodies to /ingest at full speed (a cross-check of loadgen.py's "full" phase).
--   BODIES=/tmp/tripline-ingest-bench/prepared-256M INGEST_TOKEN=... \
--   wrk -t2 -c4 -d10s -s Benchmarks/ingest/wrk_ingest.lua http://127.0.0.1:9880/ingest
-- Reads the first MAX_BODIES (default 32) bodies of prepared/index.json into every wrk thread, sends them in
-- turn, and prints the responses by status code. wrk cannot pace a fixed rate or tell which body a response
-- answers, so the accepted-lines check and the fixed-rate phases stay with loadgen.py.

local dir = os.getenv("BODIES") or "/tmp/tripline-ingest-bench/prepared-256M"
local max_bodies = tonumber(os.getenv("MAX_BODIES") or "32")
local token = os.getenv("INGEST_TOKEN")

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

local function load_bodies()
   local f = assert(io.open(dir .. "/index.json", "r"))
   local text = f:read("*a")
   f:close()
   local input = text:match('"input"%s*:%s*"([^"]+)"')
   local data = assert(io.open(input, "rb"))
   local out = {}
   for off, len in text:gmatch("%[(%d+),%s*(%d+),%s*%d+%]") do
      if #out >= max_bodies then break end
      data:seek("set", tonumber(off))
      table.insert(out, data:read(tonumber(len)))
   end
   data:close()
   return out
end

function init(args)
   bodies = load_bodies()
   requests = {}
   i = 0
   codes = {}
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/x-ndjson"
   if token then wrk.headers["Authorization"] = "Bearer " .. token end
   for k, body in ipairs(bodies) do
      requests[k] = wrk.format("POST", "/ingest", nil, body)
   end
end

function request()
   i = i % #requests + 1
   return requests[i]
end

function response(status, headers, body)
   codes[status] = (codes[status] or 0) + 1
end

function done(summary, latency, requests)
   local total = {}
   for _, t in ipairs(threads) do
      local c = t:get("codes")
      for k, v in pairs(c) do total[k] = (total[k] or 0) + v end
   end
   io.write("responses by status:")
   for k, v in pairs(total) do io.write(string.format(" %d:%d", k, v)) end
   io.write(string.format("\nbody bytes sent: about %.1f MB/s\n",
      summary.requests * (1048576) / (summary.duration / 1e6) / 1e6))
end
