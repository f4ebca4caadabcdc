-- wrk script for bench_server.py: each request asks about a person chosen at random among
-- 20,000, so that almost no answer repeats and kept answers do not help.
-- Arguments (after --): the path up to the query, e.g. /sparql?query=
local path = "/sparql?query="

function init(args)
  if args[1] then path = args[1] end
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

local function encode(text)
  return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

request = function()
  local query = string.format(
    "SELECT ?p ?o WHERE { <https://w3id.org/cpv-kg/id/person/p%d> ?p ?o }", math.random(0, 19999))
  return wrk.format("GET", path .. encode(query))
end
