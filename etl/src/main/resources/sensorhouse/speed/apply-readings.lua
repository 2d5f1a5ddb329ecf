-- Applies one device's readings of a micro-batch to the speed layer, atomically and idempotently:
-- a reading already held (same member) changes nothing, so a redelivered batch is a no-op.
--
-- ARGV[1] device id, ARGV[2] horizon (epoch ms: older readings are ignored and trimmed),
-- ARGV[3] key TTL in seconds, ARGV[4] alert stream MAXLEN (approximate),
-- then 6 values per reading, in stream order: metric, ts (epoch ms), event id, value, alert_low,
-- alert_high (the last two empty when the catalog sets none).
--
-- Keys (see SpeedKeys.java): sh:readings:<device>:<metric> (sorted set, score ts, member
-- "ts:value:event_id"), sh:hourly:<device>:<metric> (hash hour_start_ms -> "count,min,max,sum"),
-- sh:latest:<device> (hash metric -> "ts:value:event_id"), sh:alert-state:<device> (hash metric ->
-- "STATE:ts:event_id"), sh:speed:dirty (set of "device|metric|hour_start_ms"), sh:alerts (stream).
-- Returns {readings added, alerts raised}.
local device = ARGV[1]
local horizon = tonumber(ARGV[2])
local ttl = tonumber(ARGV[3])
local maxlen = ARGV[4]
local latestKey = 'sh:latest:' .. device
local stateKey = 'sh:alert-state:' .. device
local added, alerts = 0, 0
local touched = {}

-- (ts, id) strictly after (ts2, id2)
local function after(ts, id, ts2, id2)
  return ts > ts2 or (ts == ts2 and id > id2)
end

for i = 5, #ARGV, 6 do
  local metric, tsText, id, valueText, low, high = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5]
  local ts = tonumber(tsText)
  if ts >= horizon then
    local zkey = 'sh:readings:' .. device .. ':' .. metric
    if redis.call('ZADD', zkey, ts, tsText .. ':' .. valueText .. ':' .. id) == 1 then
      added = added + 1
      touched[metric] = true
      local v = tonumber(valueText)
      -- the hour's aggregate, from the readings added (each reading once)
      local hour = ts - (ts % 3600000)
      local hkey = 'sh:hourly:' .. device .. ':' .. metric
      local cur = redis.call('HGET', hkey, hour)
      local c, mn, mx, s = 1, v, v, v
      if cur then
        local pc, pmn, pmx, ps = string.match(cur, '^([^,]+),([^,]+),([^,]+),([^,]+)$')
        c = tonumber(pc) + 1
        mn = math.min(tonumber(pmn), v)
        mx = math.max(tonumber(pmx), v)
        s = tonumber(ps) + v
      end
      redis.call('HSET', hkey, hour, string.format('%d,%.17g,%.17g,%.17g', c, mn, mx, s))
      redis.call('SADD', 'sh:speed:dirty', device .. '|' .. metric .. '|' .. hour)
      -- the latest reading of the metric
      local last = redis.call('HGET', latestKey, metric)
      local lts, lid
      if last then
        lts, lid = string.match(last, '^([^:]+):[^:]*:(.*)$')
      end
      if (not last) or after(ts, id, tonumber(lts), lid) then
        redis.call('HSET', latestKey, metric, tsText .. ':' .. valueText .. ':' .. id)
      end
      -- alerts: a state change per crossing, in event-time order; a reading older than the newest
      -- one considered for this metric is late and changes no state
      if low ~= '' or high ~= '' then
        local st = redis.call('HGET', stateKey, metric)
        local state, sts, sid = 'NORMAL', nil, nil
        if st then
          state, sts, sid = string.match(st, '^([^:]+):([^:]+):(.*)$')
          sts = tonumber(sts)
        end
        if (not st) or after(ts, id, sts, sid) then
          local next = 'NORMAL'
          local threshold = ''
          if high ~= '' and v > tonumber(high) then
            next, threshold = 'HIGH', high
          elseif low ~= '' and v < tonumber(low) then
            next, threshold = 'LOW', low
          end
          if next ~= state then
            if next == 'NORMAL' then
              threshold = (state == 'HIGH') and high or low
            end
            redis.call('XADD', 'sh:alerts', 'MAXLEN', '~', maxlen, '*',
              'alert_id', device .. '|' .. metric .. '|' .. tsText .. '|' .. id .. '|' .. next,
              'device_id', device, 'metric', metric, 'state', next, 'previous_state', state,
              'value', valueText, 'threshold', threshold, 'event_ts', tsText, 'event_id', id)
            alerts = alerts + 1
          end
          redis.call('HSET', stateKey, metric, next .. ':' .. tsText .. ':' .. id)
        end
      end
    end
  end
end

for metric, _ in pairs(touched) do
  local zkey = 'sh:readings:' .. device .. ':' .. metric
  redis.call('ZREMRANGEBYSCORE', zkey, '-inf', '(' .. horizon)
  redis.call('EXPIRE', zkey, ttl)
  local hkey = 'sh:hourly:' .. device .. ':' .. metric
  if redis.call('HLEN', hkey) > 200 then
    local oldest = horizon - (horizon % 3600000)
    for _, h in ipairs(redis.call('HKEYS', hkey)) do
      if tonumber(h) < oldest then
        redis.call('HDEL', hkey, h)
      end
    end
  end
  redis.call('EXPIRE', hkey, ttl)
end
if added > 0 then
  redis.call('EXPIRE', latestKey, ttl)
  redis.call('EXPIRE', stateKey, ttl)
end
return {added, alerts}
