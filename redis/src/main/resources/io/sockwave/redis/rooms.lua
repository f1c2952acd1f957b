#!lua name=sockwave_rooms_7
-- The room logs of Sockwave nodes (sockwave-redis, RedisRoomLog). Each change is one function call, so an append,
-- its dedupe and its notification happen together or not at all, and survive a restart with what Redis persists.
--   sw:{ROOM}:log      stream, the room's log; entry id 0-SEQ, fields k (kind), m (member), t (text), id
--   sw:{ROOM}:seq      the last sequence number given out
--   sw:{ROOM}:epoch    the log's incarnation: a new one when Redis lost the room's keys, or went back in time
--   sw:{ROOM}:origin   EPOCH-SEQ: the epoch before this one and the last sequence number of it that this one keeps
--                      (a rollback keeps the log: its events 1 to SEQ are the same under both epochs); absent when
--                      the epoch began empty
--   sw:{ROOM}:members  hash, member name -> node id holding it
--   sw:{ROOM}:joined   hash, member name -> the sequence number of its join
--   sw:{ROOM}:mid:H    the sequence number of the message whose epoch, sender and message id hash to H (SHA-1), or
--                      whose epoch and call id do when it has no message id (expires: the dedupe window)
--   sw:{ROOM}:held:ID  set, the members node ID holds in the room (what a reap of ID walks)
--   sw:name:{NAME}:rooms  set, the rooms where member NAME is present, on any node: what bounds the rooms of a name
--                      across the nodes (a join and a leave or reap change it with the room's members hash)
-- A room without members expires: its log, seq and epoch get the retention as TTL when its last member leaves, and
-- lose it at the next join. Expiry removes keys one by one, so a room whose seq or epoch is missing is a room gone:
-- it starts again, empty, under a new epoch, and nobody resumes into it by an offset of the old one.
--   sw:{ROOM}:era      the era (below) the room's epoch belongs to
--   sw:{ROOM}:claim    the offset past the head that a reader without one of its own read at, which started this
--                      epoch (below): a read up to it is told of the epoch by its reply, and starts no other one
--   sw:{ROOM}:op:H     the sequence number written by the join or leave whose epoch and call id hash to H (SHA-1), so
--                      that the call sent again answers the same instead of writing its event twice (expires: the
--                      dedupe window)
--   sw:{ROOM}:joinop   hash, member name -> the H of its join's op key, which a reap of the member deletes: the join
--                      sent again after its node was reaped is a join again, not answered as the one the reap undid
-- Rollback: a caller passes the highest (epoch, sequence) its node had from the room; a room of that epoch whose
-- sequence is lower went back in time (Redis restarted from older data) and starts a new epoch at once, before its
-- reissued sequence numbers can overtake the cursors of the nodes. (A member's resume offset is no such sign: any
-- client can name any offset.) And Redis as a whole: sw:clock counts the beats, sw:era names Redis's history; every
-- caller passes the (era, clock) its node last had from a beat, and a clock higher than Redis's, or an era Redis
-- never had (sw:eras, every era it had), means Redis went back: a new era, and every room of an older era starts a
-- new epoch at its next call, even one whose nodes had nothing of it (so that appends by nodes that knew nothing
-- cannot pass, under the same offsets, what a client had).
-- Every function may run twice: Lettuce sends a command again after a reconnect when its reply was lost. So a
-- join by the node that holds the name already answers as the first did, and every append is deduplicated.
--   sw:{ROOM}:signal   pub/sub channel: each event as it is appended, "SEQ EPOCH KIND M I\n" then the member (M
--                      bytes), the message id (I bytes) and the text; the nodes deliver it to the members right before
--                      it and read the log for anything else, so a message lost costs a read, not an event
--   sw:nodes           set of node ids; sw:node:ID:alive expires when the node stops beating; sw:node:ID:rooms, set
--                      of the rooms where the node holds members; sw:node:ID:reaped, there while a reap of the node
--                      that takes several calls is under way, or once the node joined a member after its reap;
--                      sw:node:ID:unknown, the id of the beat last answered "unknown", for a while, so that the same
--                      beat sent again answers the same
--   sw:era, sw:clock   Redis's history as the nodes saw it (above); sw:eras, every era it had
-- The library's name carries its version: the arguments of its functions, or what its notifications carry, change
-- between versions, so a node checks at start that no node of another version is alive (sw:node:ID:alive holds the
-- version of the node's library), and a library of another version fails to load beside this one (their functions
-- have the same names). Version 4 publishes each event where version 3 published its sequence number alone; version 5
-- keeps sw:{ROOM}:claim, so that a reader past the head starts one new epoch for one loss, not one at each read;
-- version 6 bounds a read by bytes as well as by count, and a join refused for a name held on another node says
-- how long that node's lease has left (the name is free once it runs out and the node is reaped, if it died);
-- version 7 keeps sw:name:{NAME}:rooms, and its sw_join takes the most rooms a name may be in across the nodes.

local VERSION = '7'

-- A call of a node of another version (a node only late, whose lease ran out while this library replaced its own)
-- is refused before anything is written, rather than misread: every call ends with its node's version (since
-- version 3), and the counts of every function differ from versions 1 and 2, whose calls did not.
local function arity(name, args, count)
  if #args ~= count or args[count] ~= VERSION then
    error({err = 'ERR ' .. name .. ' of sockwave_rooms_' .. VERSION .. ' takes ' .. count .. ' arguments, the last '
      .. VERSION .. ', not ' .. #args .. ' ending with ' .. tostring(args[#args])
      .. ': a call of a node of another version of the library'})
  end
end

local function key(room, part)
  return 'sw:{' .. room .. '}:' .. part
end

local function held(room, node)
  return key(room, 'held:' .. node)
end

local function rooms_of(member)
  return 'sw:name:{' .. member .. '}:rooms'
end

-- How many rooms the member is present in, on any node, once the set's count reaches the bound: then rooms whose
-- members hash no longer has the name go first (Redis back from older data may have kept one and not the other), so
-- that a refusal counts only what holds the name. Below the bound, the count is taken as it is.
local function rooms_held(member, bound)
  local rooms = rooms_of(member)
  local count = redis.call('SCARD', rooms)
  if count < bound then
    return count
  end
  for _, room in ipairs(redis.call('SMEMBERS', rooms)) do
    if redis.call('HEXISTS', key(room, 'members'), member) == 0 then
      redis.call('SREM', rooms, room)
      count = count - 1
    end
  end
  return count
end

-- Redis's era: a new one (the candidate) when there is none yet, when a node had a clock of this era higher than
-- Redis has now, or when a node had an era Redis never had (Redis lost writes: a restart from older data, a replica
-- promoted behind its primary; the same snapshot loaded twice loses the era the first loss started). sw:eras holds
-- every era of Redis's history, so that a node that did not beat since a new era began is not taken for a loss.
local function era_of(candidate, known_era, known_clock)
  local era = redis.call('GET', 'sw:era')
  if not era then
    -- Redis emptied: nothing of the caller's era is left to start over, and its other nodes are no loss either
    if known_era ~= '' then
      redis.call('SADD', 'sw:eras', known_era)
    end
  elseif known_era == era then
    if tonumber(known_clock) <= tonumber(redis.call('GET', 'sw:clock') or '0') then
      return era
    end
  elseif known_era == '' or redis.call('SISMEMBER', 'sw:eras', known_era) == 1
      or redis.call('EXISTS', 'sw:eras') == 0 then
    -- a node new, or behind, or an era of a library before sw:eras (which cannot tell)
    return era
  end
  redis.call('SET', 'sw:era', candidate)
  -- the era lost, as well as the one Redis had: the other nodes that had either do not start another era
  redis.call('SADD', 'sw:eras', era or candidate, known_era ~= '' and known_era or candidate, candidate)
  return candidate
end

-- The sequence number a join or leave sent again wrote the first time, or nil, and the key to remember it under.
local function replayed(room, epoch, op, call)
  local hash = redis.sha1hex(epoch .. '\n' .. op .. '\n' .. call)
  local dedupe = key(room, 'op:' .. hash)
  return redis.call('GET', dedupe), dedupe, hash
end

-- A new epoch for a room whose log is kept (Redis went back in time): its events so far keep their sequence
-- numbers, and origin says so, for the members to resume after what they had that survived rather than receive it
-- again.
local function restart(room, candidate, epoch, seq)
  redis.call('SET', key(room, 'epoch'), candidate)
  redis.call('SET', key(room, 'origin'), epoch .. '-' .. seq, 'KEEPTTL')
  redis.call('DEL', key(room, 'claim'))
  return candidate
end

-- The room's epoch: a new one (the candidate) when the room is new or gone (its seq or epoch expired or was lost),
-- when it is of an era before Redis's (era), or when it went back behind what the caller's node had of this epoch
-- (known_epoch, known_seq).
local function epoch_of(room, candidate, known_epoch, known_seq, era)
  local epoch = redis.call('GET', key(room, 'epoch'))
  local seq = redis.call('GET', key(room, 'seq'))
  local room_era = redis.call('GET', key(room, 'era'))
  if room_era ~= era then
    redis.call('SET', key(room, 'era'), era, 'KEEPTTL')
  end
  if not epoch or not seq then
    -- a log without its seq would hand out its numbers again under the new epoch: it goes with it
    redis.call('DEL', key(room, 'log'), key(room, 'joined'), key(room, 'joinop'), key(room, 'origin'),
      key(room, 'claim'))
    redis.call('SET', key(room, 'seq'), 0)
    redis.call('SET', key(room, 'epoch'), candidate)
    return candidate
  end
  -- a room without an era is of a library before eras: it takes the current one as it is
  if (room_era and room_era ~= era) or (known_epoch == epoch and tonumber(known_seq) > tonumber(seq)) then
    return restart(room, candidate, epoch, seq)
  end
  return epoch
end

-- A room with members keeps its keys; one without expires after the retention (milliseconds) unless used again.
local function settle(room, retention)
  local parts = {'log', 'seq', 'epoch', 'era', 'origin', 'claim'}
  if redis.call('HLEN', key(room, 'members')) == 0 then
    for _, part in ipairs(parts) do
      redis.call('PEXPIRE', key(room, part), retention)
    end
  else
    for _, part in ipairs(parts) do
      redis.call('PERSIST', key(room, part))
    end
  end
end

local function add(room, epoch, maxlen, kind, member, text, mid)
  local seq = redis.call('INCR', key(room, 'seq'))
  redis.call('XADD', key(room, 'log'), 'MAXLEN', '~', maxlen, '0-' .. seq,
    'k', kind, 'm', member, 't', text, 'id', mid)
  redis.call('PUBLISH', key(room, 'signal'),
    seq .. ' ' .. epoch .. ' ' .. kind .. ' ' .. #member .. ' ' .. #mid .. '\n' .. member .. mid .. text)
  return seq
end

local function origin(room)
  return redis.call('GET', key(room, 'origin')) or ''
end

local function present(room, epoch, seq)
  local result = {epoch, seq, origin(room)}
  for _, name in ipairs(redis.call('HKEYS', key(room, 'members'))) do
    table.insert(result, name)
  end
  return result
end

-- Events a read takes from the stream at once: what it may hold past its bound in bytes, at most.
local READ_CHUNK = 8

-- Writes the leave of a member the node holds (checked by the caller), and lets the node's room set go of the room
-- when it was the node's last member there.
local function remove(room, epoch, maxlen, member, node)
  redis.call('HDEL', key(room, 'members'), member)
  redis.call('HDEL', key(room, 'joined'), member)
  redis.call('HDEL', key(room, 'joinop'), member)
  redis.call('SREM', held(room, node), member)
  redis.call('SREM', rooms_of(member), room)
  if redis.call('SCARD', held(room, node)) == 0 then
    redis.call('SREM', 'sw:node:' .. node .. ':rooms', room)
  end
  return add(room, epoch, maxlen, 'leave', member, '', '')
end

-- args: room, epoch candidate, maxlen, member, node, known epoch, known seq, retention ms, known era, known clock,
--   call id, dedupe seconds, lease ms, the most rooms the member may be in, version -> {epoch, seq, origin,
--   present...}, or {epoch, -1, origin, owner, the milliseconds the owner's lease has left, -2 if it has run out},
--   or {epoch, -2, origin, the rooms the member is in} when that is the most it may be in already
-- The offset a member resumes after is not taken: a client can name any offset, and one past the head would start
-- every member of the room over. Its member gets a reset alone (Rooms sees the offset is not in the log).
redis.register_function('sw_join', function(keys, args)
  arity('sw_join', args, 15)
  local room, member, node = args[1], args[4], args[5]
  local era = era_of(args[2], args[9], args[10])
  local epoch = epoch_of(room, args[2], args[6], args[7], era)
  local seen, dedupe, hash = replayed(room, epoch, 'join', args[11])
  if seen then
    -- this very join, sent again (after its member may have left): answered as it was, nothing written twice. A reap
    -- that removed its member since forgot it: sent again then, it is a join like any other
    return present(room, epoch, tonumber(seen))
  end
  local owner = redis.call('HGET', key(room, 'members'), member)
  if owner == node then
    -- a join of a name this node holds already (a join again after a reap that missed it): answered as it was
    return present(room, epoch, tonumber(redis.call('HGET', key(room, 'joined'), member)))
  end
  if owner then
    -- a crashed node's members keep their names until its lease runs out and a node reaps it: the caller learns when
    return {epoch, -1, origin(room), owner, redis.call('PTTL', 'sw:node:' .. owner .. ':alive')}
  end
  -- a crashed node's members count until it is reaped, as their names are held until then
  local rooms = rooms_held(member, tonumber(args[14]))
  if rooms >= tonumber(args[14]) then
    -- a room this call began (seq, epoch) expires as any room without members: else a name at its bound, naming ever
    -- new rooms, would leave their keys for good
    settle(room, args[8])
    return {epoch, -2, origin(room), rooms}
  end
  redis.call('HSET', key(room, 'members'), member, node)
  redis.call('SADD', rooms_of(member), room)
  redis.call('SADD', held(room, node), member)
  redis.call('SADD', 'sw:node:' .. node .. ':rooms', room)
  if redis.call('SADD', 'sw:nodes', node) == 1 then
    -- a node reaped whole joins before it beats again (a join queued while it was cut off): it is to be reaped
    -- should it die now, and its next beat is to tell it that it lost its other members
    redis.call('SET', 'sw:node:' .. node .. ':reaped', '1')
  end
  -- the join shows the node alive: a lease that ran out is renewed, lest a reap before the node's next beat write
  -- the leave of the member just joined (and the node join it a third time)
  redis.call('SET', 'sw:node:' .. node .. ':alive', VERSION, 'PX', args[13], 'NX')
  settle(room, args[8])
  local seq = add(room, epoch, args[3], 'join', member, '', '')
  redis.call('HSET', key(room, 'joined'), member, seq)
  redis.call('HSET', key(room, 'joinop'), member, hash)
  redis.call('SET', dedupe, seq, 'EX', args[12])
  return present(room, epoch, seq)
end)

-- args: room, epoch candidate, maxlen, member, message id, text, dedupe seconds, call id, known epoch, known seq,
--   retention ms, known era, known clock, version -> {epoch, seq, duplicate 0/1}
-- A message id is the sender's: another member's message with the same id is another message. Hashed into the key,
-- so that no id can reach another key of the room; the epoch too, so that a room started again (gone, or rolled
-- back) never answers with a sequence number of its former life.
redis.register_function('sw_append', function(keys, args)
  arity('sw_append', args, 14)
  local room, member, mid = args[1], args[4], args[5]
  local epoch = epoch_of(room, args[2], args[9], args[10], era_of(args[2], args[12], args[13]))
  local dedupe
  if mid == '' then
    dedupe = key(room, 'mid:' .. redis.sha1hex(epoch .. '\ncall\n' .. args[8]))
  else
    dedupe = key(room, 'mid:' .. redis.sha1hex(epoch .. '\nmember\n' .. #member .. '\n' .. member .. mid))
  end
  local seen = redis.call('GET', dedupe)
  if seen then
    return {epoch, tonumber(seen), mid == '' and 0 or 1}
  end
  local seq = add(room, epoch, args[3], 'message', member, args[6], mid)
  redis.call('SET', dedupe, seq, 'EX', args[7])
  settle(room, args[11])
  return {epoch, seq, 0}
end)

-- args: room, maxlen, member, node, retention ms, epoch candidate, known epoch, known seq, known era, known clock,
--   call id, dedupe seconds, version -> {seq}, or {0} when the node no longer held the member
redis.register_function('sw_leave', function(keys, args)
  arity('sw_leave', args, 13)
  local room, member, node = args[1], args[3], args[4]
  local epoch = epoch_of(room, args[6], args[7], args[8], era_of(args[6], args[9], args[10]))
  local seen, dedupe = replayed(room, epoch, 'leave', args[11])
  if seen then
    -- this very leave, sent again (after the member may have joined again): answered as it was
    return {tonumber(seen)}
  end
  local seq = 0
  if redis.call('HGET', key(room, 'members'), member) == node then
    seq = remove(room, epoch, args[2], member, node)
  end
  redis.call('SET', dedupe, seq, 'EX', args[12])
  settle(room, args[5])
  return {seq}
end)

-- args: room, epoch candidate, after, count, known epoch, known seq, retention ms, known era, known clock, bytes,
--   version -> {epoch, entries, origin}
-- At most count events, and no more once their members, texts and message ids reach the bytes given: the page ends
-- with the event that reaches them (so a caller that counts the same bytes knows there is more). Read READ_CHUNK
-- at a time, so that the reply holds that and one event at most, and the script's heap READ_CHUNK events more,
-- whatever the events' size; one at a time costs three times the Redis time of a read of 500 small events.
-- Taken while Redis is out of memory (its writes are a few bytes at most): members still receive the room's events.
redis.register_function{function_name = 'sw_read', flags = {'allow-oom'}, callback = function(keys, args)
  arity('sw_read', args, 11)
  local room = args[1]
  local epoch = epoch_of(room, args[2], args[5], args[6], era_of(args[2], args[8], args[9]))
  local after, seq = tonumber(args[3]), tonumber(redis.call('GET', key(room, 'seq')))
  if args[5] == '' and epoch ~= args[2] and after > seq
      and after > tonumber(redis.call('GET', key(room, 'claim')) or '-1') then
    -- A reader is past the log's head: the store went back in time (a restart from a snapshot, or an fsync a crash
    -- lost), and the sequence numbers it gives out again name other events. Another history: a new epoch, whose
    -- readers start over with a reset, rather than skip those events unseen. Only for a reader whose node had
    -- nothing of the room: one that had is told by epoch_of (its cursors never pass what it had), and its cursors
    -- may be of an epoch before the one another of its calls learned, which it resets from anyway: the room is not
    -- to start over again for them. Nor for an epoch this very call began (the room was gone): it is new already,
    -- and began empty. Nor for an offset up to one that started this epoch (claim): that reader, or another at the
    -- same place, has its reply's epoch to tell it, and the loss its offset shows is the one this epoch stands for;
    -- without it, every read of a reader that keeps its offset would start the room over and reset its members.
    epoch = restart(room, args[2], epoch, seq)
    redis.call('SET', key(room, 'claim'), after)
  end
  local entries, bytes, count, budget = {}, 0, tonumber(args[4]), tonumber(args[10])
  local from = '0-' .. (after + 1)
  while #entries < count and bytes < budget do
    local wanted = math.min(READ_CHUNK, count - #entries)
    local chunk = redis.call('XRANGE', key(room, 'log'), from, '+', 'COUNT', wanted)
    for _, entry in ipairs(chunk) do
      if bytes >= budget then
        break
      end
      table.insert(entries, entry)
      local fields = entry[2]
      for i = 1, #fields - 1, 2 do
        if fields[i] ~= 'k' then
          bytes = bytes + #fields[i + 1]
        end
      end
      from = '(' .. entry[1]
    end
    if #chunk < wanted then
      break
    end
  end
  settle(room, args[7])
  return {epoch, entries, origin(room)}
end}

-- args: node, ttl milliseconds, beat id, era candidate, known era, known clock, version
--   -> {1 if the node was known, 0 if it is new or was reaped; era; clock}
-- Taken while Redis is out of memory (it writes a few bytes at most): a full Redis refuses the rooms' writes, but
-- its nodes are alive, and their leases running out together would have every node's members reaped once it frees.
redis.register_function{function_name = 'sw_beat', flags = {'allow-oom'}, callback = function(keys, args)
  arity('sw_beat', args, 7)
  local node, beat = args[1], args[3]
  local era = era_of(args[4], args[5], args[6])
  local unknown = 'sw:node:' .. node .. ':unknown'
  local known = redis.call('SADD', 'sw:nodes', node) == 0
  -- a node whose reaping had begun (its lease ran out) lost members though it is still in sw:nodes
  if redis.call('DEL', 'sw:node:' .. node .. ':reaped') == 1 then
    known = false
  end
  -- the same beat sent again (its reply was lost) answers as it did: the first one registered the node
  if known and redis.call('GET', unknown) == beat then
    known = false
  end
  if not known then
    -- kept for two leases, past the time (a command's timeout) Lettuce may still send the beat again
    redis.call('SET', unknown, beat, 'PX', 2 * tonumber(args[2]))
  end
  redis.call('SET', 'sw:node:' .. node .. ':alive', VERSION, 'PX', args[2])
  return {known and 1 or 0, era, redis.call('INCR', 'sw:clock')}
end}

-- args: maxlen, budget, retention ms, epoch candidate, known era, known clock, version
--   -> {members whose leave was written, 1 if dead nodes' members are left}
-- Writes at most budget leaves, and looks at most at budget rooms, a call, so that a node that held many members
-- does not hold Redis up: callers call again while the answer says more are left.
redis.register_function('sw_reap', function(keys, args)
  arity('sw_reap', args, 7)
  local maxlen, budget = args[1], tonumber(args[2])
  local era = era_of(args[4], args[5], args[6])
  local reaped, visited = 0, 0
  for _, node in ipairs(redis.call('SMEMBERS', 'sw:nodes')) do
    if redis.call('EXISTS', 'sw:node:' .. node .. ':alive') == 0 then
      local rooms = 'sw:node:' .. node .. ':rooms'
      -- until the node is gone from sw:nodes, this tells its next beat, if it was only late, that it lost members
      redis.call('SET', 'sw:node:' .. node .. ':reaped', '1')
      while reaped < budget and visited < budget do
        local room = redis.call('SRANDMEMBER', rooms)
        if not room then
          break
        end
        visited = visited + 1
        -- the leaves of a room of an era before Redis's go to its new epoch
        local epoch = epoch_of(room, args[4], '', 0, era)
        for _, member in ipairs(redis.call('SPOP', held(room, node), budget - reaped)) do
          -- popped, so that a name another node holds by now is not looked at again
          if redis.call('HGET', key(room, 'members'), member) == node then
            -- the node may send the join again (Lettuce's replay of a join whose reply it lost): that is a new join
            -- now, refused if another node took the name meanwhile, not answered as the one undone here
            local join = redis.call('HGET', key(room, 'joinop'), member)
            if join then
              redis.call('DEL', key(room, 'op:' .. join))
            end
            remove(room, epoch, maxlen, member, node)
            reaped = reaped + 1
          end
        end
        if redis.call('SCARD', held(room, node)) == 0 then
          redis.call('SREM', rooms, room)
        end
        settle(room, args[3])
      end
      if reaped >= budget or visited >= budget then
        return {reaped, 1}
      end
      redis.call('SREM', 'sw:nodes', node)
      redis.call('DEL', 'sw:node:' .. node .. ':reaped')
    end
  end
  return {reaped, 0}
end)
