-- The petition surge (bench/petition_surge.sh): POSTs signatures with unique e-mails and a
-- share of double submits (the same address again, in another case and with a "+tag", which
-- must not make a second signature).
--
-- Run with one connection per thread (wrk -tN -cN): each thread then has one request in flight
-- at a time, so its responses come back in the order of its requests and every accepted new
-- signature can be written down (SURGE_DIR/accepted-<thread>.txt) for the database check.
--
-- Environment: SURGE_RUN (unique per run), SURGE_DIR, SURGE_MODE (sign|bare),
-- SURGE_COOKIE and SURGE_TOKEN (the CSRF cookie and form token, read once from the form page),
-- SURGE_COMMUNES (a file of URL-encoded commune labels), SURGE_DUPLICATE_EVERY (default 5:
-- every fifth request repeats the thread's previous address), SURGE_SHARED_EVERY (default 7:
-- every seventh request sends an address all threads send at about the same time).

local threads = {}
local counter = 1

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local function urlencode(text)
  return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  run = os.getenv("SURGE_RUN")
  mode = os.getenv("SURGE_MODE") or "sign"
  duplicate_every = tonumber(os.getenv("SURGE_DUPLICATE_EVERY") or "5")
  shared_every = tonumber(os.getenv("SURGE_SHARED_EVERY") or "7")
  token = os.getenv("SURGE_TOKEN") or ""
  communes = {}
  for line in io.lines(os.getenv("SURGE_COMMUNES")) do
    if line ~= "" then table.insert(communes, line) end
  end
  accepted_file = io.open(os.getenv("SURGE_DIR") .. "/accepted-" .. mode .. "-"
    .. (os.getenv("SURGE_ROUND") or "1") .. "-" .. id .. ".txt", "w")
  accepted_file:setvbuf("line")
  headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. (os.getenv("SURGE_COOKIE") or ""),
  }
  sequence = 0
  sent = 0
  last = nil
  pending = {}
  queued = 0
  first = 1
  accepted_new = 0
  accepted_duplicate = 0
  accepted_shared = 0
  refused = 0
  success = (mode == "bare") and 204 or 302
  -- wrk calls request() once on its first thread's state before the load, to count the
  -- requests it returns (script_verify_request), and never sends that one: it must not take
  -- a place in the queue of requests waiting for their response.
  verifying = (id == 1)
end

function request()
  if verifying then
    verifying = false
    return wrk.format("POST", nil, headers, "")
  end
  sent = sent + 1
  local email, kind
  if last ~= nil and sent % duplicate_every == 0 then
    -- The double submit: same mailbox, other case, a "+tag".
    email = "Surge." .. run .. "." .. id .. "." .. last .. "+bis@exemple.fr"
    kind = "duplicate"
  elseif sent % shared_every == 0 then
    -- The concurrent double submit: every thread sends this address at about the same time.
    email = "surge." .. run .. ".shared." .. math.floor(sent / shared_every) .. "@exemple.fr"
    kind = "shared"
  else
    sequence = sequence + 1
    last = sequence
    email = "surge." .. run .. "." .. id .. "." .. sequence .. "@exemple.fr"
    kind = "new"
  end
  queued = queued + 1
  pending[queued] = {kind = kind, email = email}
  local body = "csrfmiddlewaretoken=" .. token
    .. "&first_name=Camille&last_name=Surge&consent=on&website="
    .. "&email=" .. urlencode(email)
    .. "&commune=" .. communes[(sequence % #communes) + 1]
  return wrk.format("POST", nil, headers, body)
end

function response(status, headers, body)
  local item = pending[first]
  pending[first] = nil
  first = first + 1
  if item == nil then return end
  if status == success then
    if item.kind == "new" then
      accepted_new = accepted_new + 1
      accepted_file:write(item.email, "\n")
    elseif item.kind == "shared" then
      accepted_shared = accepted_shared + 1
      accepted_file:write(item.email, "\n")
    else
      accepted_duplicate = accepted_duplicate + 1
    end
  else
    refused = refused + 1
  end
end

function done(summary, latency, requests)
  local new, duplicate, shared, bad = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    new = new + thread:get("accepted_new")
    shared = shared + thread:get("accepted_shared")
    duplicate = duplicate + thread:get("accepted_duplicate")
    bad = bad + thread:get("refused")
  end
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    'SURGE_JSON {"mode": "%s", "duration_s": %.3f, "responses": %d, "accepted_new": %d, '
      .. '"accepted_duplicate": %d, "accepted_shared": %d, "refused": %d, "accepted_per_s": %.1f, "new_per_s": %.1f, '
      .. '"p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "errors_connect": %d, '
      .. '"errors_read": %d, "errors_write": %d, "errors_timeout": %d}\n',
    os.getenv("SURGE_MODE") or "sign", seconds, summary.requests, new, duplicate, shared, bad,
    (new + duplicate + shared) / seconds, new / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    e.connect, e.read, e.write, e.timeout))
end
