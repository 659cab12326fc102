-- wrk script: GET a person's profile, rotating over real tokens and their people.
-- Environment: TOKENS (file of "token person" lines, from GatewayLoadServer), MODE ("checked" or "unchecked").
-- Each wrk thread starts at a different offset so the threads do not walk the tokens in lockstep.
local tokens, people = {}, {}
for line in io.lines(os.getenv("TOKENS")) do
  local token, person = line:match("^(%S+)%s+(%d+)$")
  if token then
    tokens[#tokens + 1] = token
    people[#people + 1] = person
  end
end
assert(#tokens > 0, "no tokens in " .. tostring(os.getenv("TOKENS")))
local unchecked = os.getenv("MODE") == "unchecked"
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("offset", counter * 7919)
end

local i = 0
function request()
  i = i + 1
  local k = ((offset or 0) + i) % #tokens + 1
  if unchecked then
    return wrk.format("GET", "/bench-unchecked/v1/people/" .. people[k] .. "/profile")
  end
  return wrk.format("GET", "/v1/people/" .. people[k] .. "/profile", { ["Authorization"] = "Bearer " .. tokens[k] })
end
