"""The Lua scripts of the cluster's coordination in Redis (:mod:`newsbot.cluster.crawl`).

Each runs atomically in Redis. Times come from the server's clock (``TIME``), so workers
whose machine clocks disagree still agree on who is alive. ``_PRUNE`` (part of every
script but ``POP``) drops workers whose last heartbeat is older than the timeout and puts
the requests they had taken (their ``inflight`` hash) back in the queue.
"""

# Every script gets KEYS = workers, status, requests, dupefilter, failed, seeded, own inflight,
# run, idle and ARGV = worker id, worker timeout, inflight key prefix, then its own arguments.
_PRUNE = """
local now = redis.call('TIME')
local t = tonumber(now[1]) + tonumber(now[2]) / 1000000
local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. string.format('%.6f', t - tonumber(ARGV[2])))
local requeued = 0
for _, id in ipairs(dead) do
  redis.call('ZREM', KEYS[1], id)
  redis.call('HDEL', KEYS[2], id)
  redis.call('SREM', KEYS[9], id)
  local taken = redis.call('HGETALL', ARGV[3] .. id)
  for i = 1, #taken, 2 do
    redis.call('ZADD', KEYS[3], taken[i + 1], taken[i])
    requeued = requeued + 1
  end
  redis.call('DEL', ARGV[3] .. id)
end
local pruned = {requeued, table.concat(dead, ' ')}
local function live_workers(head)
  local out = {head[1], head[2]}
  for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
    table.insert(out, id)
    table.insert(out, redis.call('HGET', KEYS[2], id) or '{}')
  end
  return out
end
"""
# ARGV[4]: status JSON; ARGV[5...]: finished queue entries to forget from the own inflight hash
HEARTBEAT = _PRUNE + """
redis.call('ZADD', KEYS[1], string.format('%.6f', t), ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[4])
for i = 5, #ARGV do redis.call('HDEL', KEYS[7], ARGV[i]) end
return live_workers(pruned)
"""
LIVE = _PRUNE + """
return live_workers(pruned)
"""
# ARGV[4]: how many. Take the first requests and remember them as in flight (entry -> score),
# atomically, and the worker as no longer idle; returns their entries, first first.
POP = """
local items = redis.call('ZPOPMIN', KEYS[3], ARGV[4])
local entries = {}
for i = 1, #items, 2 do
  redis.call('HSET', KEYS[7], items[i], items[i + 1])
  entries[#entries + 1] = items[i]
end
if #entries > 0 then redis.call('SREM', KEYS[9], ARGV[1]) end
return entries
"""
# The seed lock's JSON gets "done": true once its seeding worker is first idle (every start
# request queued); a crawl whose seed is not done is never complete, and the last worker out
# deletes such a lock so that the next run seeds again (its requests seen before are skipped).
_SEED = """
local function seed_state(me)
  local raw = redis.call('GET', KEYS[6])
  if not raw then return 'done' end
  local seed = cjson.decode(raw)
  if seed.done then return 'done' end
  if seed.worker == me then
    seed.done = true
    redis.call('SET', KEYS[6], cjson.encode(seed), 'KEEPTTL')
    return 'done'
  end
  if redis.call('ZSCORE', KEYS[1], seed.worker) then return 'seeding' end
  return 'gone'
end
"""
# ARGV[4]: the worker's spider arguments (text). Take the seed lock: 'new' when there was none;
# 'again' when its seeding worker left or died before it had queued every start request and
# the arguments are the same (this worker seeds again: requests seen before are skipped);
# else 'theirs'. Returns {requeued, dead, outcome, seeding worker, its arguments}.
CLAIM = _PRUNE + """
local raw = redis.call('GET', KEYS[6])
if not raw then
  redis.call('SET', KEYS[6], cjson.encode({worker = ARGV[1], arguments = ARGV[4]}))
  return {pruned[1], pruned[2], 'new', ARGV[1], ARGV[4]}
end
local seed = cjson.decode(raw)
if seed.arguments == ARGV[4] and not seed.done and not redis.call('ZSCORE', KEYS[1], seed.worker) then
  seed.worker = ARGV[1]
  redis.call('SET', KEYS[6], cjson.encode(seed))
  return {pruned[1], pruned[2], 'again', ARGV[1], ARGV[4]}
end
return {pruned[1], pruned[2], 'theirs', tostring(seed.worker), tostring(seed.arguments)}
"""
# The seeding worker has queued every start request: 'done' (also when the lock is another's).
SEED_DONE = _SEED + """
return seed_state(ARGV[1])
"""
# ARGV[4...]: finished entries to forget from the own inflight hash. The worker is idle (nothing to
# download, parse or queue): recorded in the idle set until its next POP. The crawl is complete
# when the seed is done, the queue is empty, every live worker is in the idle set and no request
# is in flight: then nobody can add a request any more (a worker queues what its pages yield
# before it is idle). Returns {requeued, dead, queued, live workers not idle (ids,
# space-separated), work left 0/1 (queued, in flight or a busy worker), seed: 'done', 'seeding'
# or 'gone' (its worker left first)}.
IDLE = _PRUNE + _SEED + """
for i = 4, #ARGV do redis.call('HDEL', KEYS[7], ARGV[i]) end
redis.call('SADD', KEYS[9], ARGV[1])
local seed = seed_state(ARGV[1])
local queued = redis.call('ZCARD', KEYS[3])
local busy = {}
local inflight = 0
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if id ~= ARGV[1] and redis.call('SISMEMBER', KEYS[9], id) == 0 then busy[#busy + 1] = id end
  inflight = inflight + redis.call('HLEN', ARGV[3] .. id)
end
local still = 1
if queued == 0 and #busy == 0 and inflight == 0 then still = 0 end
return {pruned[1], pruned[2], queued, table.concat(busy, ' '), still, seed}
"""
# ARGV[4...]: entries taken by this worker and never started: back to the queue with their score.
GIVE_BACK = """
for i = 4, #ARGV do
  local score = redis.call('HGET', KEYS[7], ARGV[i])
  if score then
    redis.call('ZADD', KEYS[3], score, ARGV[i])
    redis.call('HDEL', KEYS[7], ARGV[i])
  end
end
"""
# ARGV[4]: keep_seen ('1' or '0')
LEAVE = _PRUNE + """
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('SREM', KEYS[9], ARGV[1])
redis.call('DEL', KEYS[7])
local others = redis.call('ZCARD', KEYS[1])
if others > 0 then return {'others', others, 0, pruned[1]} end
local forgotten = 0
while true do
  local batch = redis.call('SPOP', KEYS[5], 500)
  if #batch == 0 then break end
  forgotten = forgotten + redis.call('SREM', KEYS[4], unpack(batch))
end
local queued = redis.call('ZCARD', KEYS[3])
local raw = redis.call('GET', KEYS[6])
if raw and not cjson.decode(raw).done then
  -- the seeding worker stopped before queuing every start request: the lock stays (with the
  -- crawl's arguments) and the next run's first worker seeds again (CLAIM)
  return {'unseeded', queued, forgotten, pruned[1]}
end
if queued > 0 then return {'interrupted', queued, forgotten, pruned[1]} end
redis.call('DEL', KEYS[6], KEYS[2], KEYS[8], KEYS[9])
if ARGV[4] ~= '1' then redis.call('DEL', KEYS[4]) end
return {'complete', 0, forgotten, pruned[1]}
"""
# KEYS[1]: the seen set, KEYS[2]: the queue; ARGV: one triple per request, its fingerprint ('' for
# a request that is not filtered), its score, its entry. Seen-check and push of a batch in one round
# trip: per request 1 when queued, 0 when already seen (earlier in the batch included).
ENQUEUE = """
local queued = {}
for i = 1, #ARGV, 3 do
  if ARGV[i] ~= '' and redis.call('SADD', KEYS[1], ARGV[i]) == 0 then
    queued[#queued + 1] = 0
  else
    redis.call('ZADD', KEYS[2], ARGV[i + 1], ARGV[i + 2])
    queued[#queued + 1] = 1
  end
end
return queued
"""
