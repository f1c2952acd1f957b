#!lua name=sockwave_rooms
-- The room logs of Sockwave nodes (sockwave-redis, RedisRoomLog). Each change is one function call, so an append,
-- its dedupe and its notification happen together or not at all, and survive a restart with what Redis persists.
--   sw:{ROOM}:log      stream, the room's log; entry id 0-SEQ, fields k (kind), m (member), t (text), id
--   sw:{ROOM}:seq      the last sequence number given out
--   sw:{ROOM}:epoch    the log's incarnation: a new one when Redis lost the room's keys
--   sw:{ROOM}:members  hash, member name -> node id holding it
--   sw:{ROOM}:mid:ID   the sequence number of the message with client message id ID (expires: the dedupe window)
--   sw:{ROOM}:signal   pub/sub channel: "something new up to SEQ", a hint only
--   sw:nodes           set of node ids; sw:node:ID:alive expires when the node stops beating; sw:node:ID:rooms

local function key(room, part)
  return 'sw:{' .. room .. '}:' .. part
end

local function epoch_of(room, candidate)
  local epoch = redis.call('GET', key(room, 'epoch'))
  if not epoch then
    redis.call('SET', key(room, 'epoch'), candidate)
    epoch = candidate
  end
  return epoch
end

local function add(room, maxlen, kind, member, text, mid)
  local seq = redis.call('INCR', key(room, 'seq'))
  redis.call('XADD', key(room, 'log'), 'MAXLEN', '~', maxlen, '0-' .. seq,
    'k', kind, 'm', member, 't', text, 'id', mid)
  redis.call('PUBLISH', key(room, 'signal'), seq)
  return seq
end

-- args: room, epoch candidate, maxlen, member, node -> {epoch, seq, present...} or {epoch, -1, owner}
redis.register_function('sw_join', function(keys, args)
  local room, member, node = args[1], args[4], args[5]
  local epoch = epoch_of(room, args[2])
  local owner = redis.call('HGET', key(room, 'members'), member)
  if owner then
    return {epoch, -1, owner}
  end
  redis.call('HSET', key(room, 'members'), member, node)
  redis.call('SADD', 'sw:node:' .. node .. ':rooms', room)
  local seq = add(room, args[3], 'join', member, '', '')
  local result = {epoch, seq}
  for _, name in ipairs(redis.call('HKEYS', key(room, 'members'))) do
    table.insert(result, name)
  end
  return result
end)

-- args: room, epoch candidate, maxlen, member, message id, text, dedupe seconds -> {epoch, seq, duplicate 0/1}
redis.register_function('sw_append', function(keys, args)
  local room, mid = args[1], args[5]
  local epoch = epoch_of(room, args[2])
  if mid == '' then
    return {epoch, add(room, args[3], 'message', args[4], args[6], ''), 0}
  end
  local seen = redis.call('GET', key(room, 'mid:' .. mid))
  if seen then
    return {epoch, tonumber(seen), 1}
  end
  local seq = add(room, args[3], 'message', args[4], args[6], mid)
  redis.call('SET', key(room, 'mid:' .. mid), seq, 'EX', args[7])
  return {epoch, seq, 0}
end)

-- args: room, maxlen, member, node -> {seq}, or {0} when the node no longer holds the member
redis.register_function('sw_leave', function(keys, args)
  local room, member, node = args[1], args[3], args[4]
  if redis.call('HGET', key(room, 'members'), member) ~= node then
    return {0}
  end
  redis.call('HDEL', key(room, 'members'), member)
  return {add(room, args[2], 'leave', member, '', '')}
end)

-- args: room, epoch candidate, after, count -> {epoch, entries}
redis.register_function('sw_read', function(keys, args)
  local room = args[1]
  local epoch = epoch_of(room, args[2])
  local entries = redis.call('XRANGE', key(room, 'log'), '0-' .. (tonumber(args[3]) + 1), '+', 'COUNT', args[4])
  return {epoch, entries}
end)

-- args: node, ttl milliseconds -> {1} if the node was known, {0} if it is new or was reaped
redis.register_function('sw_beat', function(keys, args)
  local node = args[1]
  local known = redis.call('SADD', 'sw:nodes', node) == 0
  redis.call('SET', 'sw:node:' .. node .. ':alive', '1', 'PX', args[2])
  return {known and 1 or 0}
end)

-- args: maxlen -> {members whose leave was written}
redis.register_function('sw_reap', function(keys, args)
  local reaped = 0
  for _, node in ipairs(redis.call('SMEMBERS', 'sw:nodes')) do
    if redis.call('EXISTS', 'sw:node:' .. node .. ':alive') == 0 then
      local rooms = 'sw:node:' .. node .. ':rooms'
      for _, room in ipairs(redis.call('SMEMBERS', rooms)) do
        local members = redis.call('HGETALL', key(room, 'members'))
        for i = 1, #members, 2 do
          if members[i + 1] == node then
            redis.call('HDEL', key(room, 'members'), members[i])
            add(room, args[1], 'leave', members[i], '', '')
            reaped = reaped + 1
          end
        end
      end
      redis.call('DEL', rooms)
      redis.call('SREM', 'sw:nodes', node)
    end
  end
  return {reaped}
end)
