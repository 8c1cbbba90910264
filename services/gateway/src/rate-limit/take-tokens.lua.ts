/**
 * token-bucket.ts as one Lua script, so a take is atomic in Redis however many gateway replicas
 * share the bucket. Keep the two in step: the Redis tests run the same cases against both.
 *
 * Clock: Redis's own (`TIME`), not the caller's. Every replica then refills the bucket on one
 * clock; with client clocks, a replica running ahead would refill the shared bucket early and one
 * running behind would see no refill at all. (Scripts may call TIME before writing since Redis
 * 5, where scripts replicate their effects, not themselves; on 3.2-4 replicate_commands() asks
 * for that.)
 *
 * KEYS[1]  the bucket: a hash { t = tokens, at = ms of that count }, expiring when full again
 * ARGV     ratePerSecond, burst, cost
 * returns  { allowed 1|0, retryAfterMs, reason 0 ok | 1 rate_limited | 2 exceeds_burst }
 */
export const TAKE_TOKENS_LUA = `
if redis.replicate_commands then pcall(redis.replicate_commands) end
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local stored = redis.call('HMGET', KEYS[1], 't', 'at')
local tokens = burst
if stored[1] and stored[2] then
  tokens = math.min(burst, tonumber(stored[1]) + math.max(0, now - tonumber(stored[2])) * rate / 1000)
end
local eps = 1e-9
local function msUntil(wanted)
  return math.max(0, math.ceil((wanted - tokens) * 1000 / rate - eps))
end
if cost > burst then return { 0, msUntil(burst), 2 } end
if tokens + eps < cost then return { 0, msUntil(cost), 1 } end
tokens = math.max(0, tokens - cost)
redis.call('HSET', KEYS[1], 't', string.format('%.17g', tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.max(1, msUntil(burst)))
return { 1, 0, 0 }
`;
