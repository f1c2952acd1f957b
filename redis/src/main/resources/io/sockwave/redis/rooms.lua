#!lua name=sockwave_rooms
-- The room logs of Sockwave nodes (sockwave-redis, RedisRoomLog). Each change is one function call, so an append,
-- its dedupe and its notification happen together or not at all, and survive a restart with what Redis persists.
--   sw:{ROOM}:log      stream, the room's log; entry id 0-SEQ, fields k (kind), m (member), t (text), id
--   sw:{ROOM}:seq      the last sequence number given out
--   sw:{ROOM}:epoch    the log's incarnation: a new one when Redis lost the room's keys
--   sw:{ROOM}:members  hash, member name -> node id holding it
--   sw:{ROOM}:joined   hash, member name -> the sequence number of its join
--   sw:{ROOM}:mid:H    the sequence number of the message whose sender and message id hash to H (SHA-1), or whose
--                      call id does when it has no message id (expires: the dedupe window)
-- Every function may run twice: Lettuce sends a command again after a reconnect when its reply was lost. So a
-- join by the node that holds the name already answers as the first did, and every append is deduplicated.
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

local function present(room, epoch, seq)
  local result = {epoch, seq}
  for _, name in ipairs(redis.call('HKEYS', key(room, 'members'))) do
    table.insert(result, name)
  end
  return result
end

-- args: room, epoch candidate, maxlen, member, node -> {epoch, seq, present...} or {epoch, -1, owner}
redis.register_function('sw_join', function(keys, args)
  local room, member, node = args[1], args[4], args[5]
  local epoch = epoch_of(room, args[2])
  local owner = redis.call('HGET', key(room, 'members'), member)
  if owner == node then
    -- this node's own join, sent again: answered as it was
    return present(room, epoch, tonumber(redis.call('HGET', key(room, 'joined'), member)))
  end
  if owner then
    return {epoch, -1, owner}
  end
  redis.call('HSET', key(room, 'members'), member, node)
  redis.call('SADD', 'sw:node:' .. node .. ':rooms', room)
  local seq = add(room, args[3], 'join', member, '', '')
  redis.call('HSET', key(room, 'joined'), member, seq)
  return present(room, epoch, seq)
end)

-- args: room, epoch candidate, maxlen, member, message id, text, dedupe seconds, call id
--   -> {epoch, seq, duplicate 0/1}
-- A message id is the sender's: another member's message with the same id is another message. Hashed into the key,
-- so that no id can reach another key of the room.
redis.register_function('sw_append', function(keys, args)
  local room, member, mid = args[1], args[4], args[5]
  local epoch = epoch_of(room, args[2])
  local dedupe
  if mid == '' then
    dedupe = key(room, 'mid:' .. redis.sha1hex('call\n' .. args[8]))
  else
    dedupe = key(room, 'mid:' .. redis.sha1hex('member\n' .. #member .. '\n' .. member .. mid))
  end
  local seen = redis.call('GET', dedupe)
  if seen then
    return {epoch, tonumber(seen), mid == '' and 0 or 1}
  end
  local seq = add(room, args[3], 'message', member, args[6], mid)
  redis.call('SET', dedupe, seq, 'EX', args[7])
  return {epoch, seq, 0}
end)

-- args: room, maxlen, member, node -> {seq}, or {0} when the node no longer holds the member
redis.register_function('sw_leave', function(keys, args)
  local room, member, node = args[1], args[3], args[4]
  if redis.call('HGET', key(room, 'members'), member) ~= node then
    return {0}
  end
  redis.call('HDEL', key(room, 'members'), member)
  redis.call('HDEL', key(room, 'joined'), member)
  return {add(room, args[2], 'leave', member, '', '')}
end)

-- args: room, epoch candidate, after, count -> {epoch, entries}
redis.register_function('sw_read', function(keys, args)
  local room = args[1]
  local epoch = epoch_of(room, args[2])
  if tonumber(args[3]) > tonumber(redis.call('GET', key(room, 'seq')) or '0') then
    -- A reader is past the log's head: the store went back in time (a restart from a snapshot, or an fsync a crash
    -- lost), and the sequence numbers it gives out again name other events. Another history: a new epoch, whose
    -- readers start over with a reset, rather than skip those events unseen.
    epoch = args[2]
    redis.call('SET', key(room, 'epoch'), epoch)
  end
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
            redis.call('HDEL', key(room, 'joined'), members[i])
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
