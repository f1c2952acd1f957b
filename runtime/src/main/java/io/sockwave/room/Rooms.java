package io.sockwave.room;

import io.sockwave.protocol.TextEncoder;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rooms on this node: members join a room by name, publish to it, and receive its events in the log's order, each
 * exactly once, from their join or from an offset they resume at. The log lives in a {@link RoomLog}: in memory
 * for one node ({@link #inProcess()}), in Redis for rooms that span nodes (sockwave-redis). Any endpoint can use
 * rooms; the CLI's chat is one of them.
 *
 * <p>How delivery stays exact: each member has a cursor, the sequence number of the last event it received. The
 * node reads each room's log past the lowest cursor of its members and hands event {@code s} to exactly the members
 * whose cursor is {@code s - 1}. A notification from the log that carries its event hands it, by the same rule, to
 * the members right before it, without a read; any member further behind, and a notification without its event
 * ("something at sequence s"), trigger a read, and every room is also read once a second, so a missed notification
 * delays events but never loses them. A member
 * that resumes far behind is served from the same reads and catches up; one whose offset is gone gets a reset.
 *
 * <p>Threading: the rooms of a node are run by one thread of their own; listeners are called on it and must not
 * block. The methods here and on {@link Membership} are thread-safe.
 */
public final class Rooms implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Rooms.class.getName());
    /** Events read from the log at once. */
    static final int PAGE = 500;
    /** How often every room is read even without a notification: the bound on the delay of a missed one. */
    static final long POLL_MILLIS = 1_000;
    /** How often the node tells the log it is alive, and looks for nodes that are not. */
    static final long HEARTBEAT_MILLIS = 2_000;
    /** Bytes of messages this node may hold while their appends are under way; past it, publishes are refused. */
    static final long MAX_PENDING_BYTES = 8L << 20;
    /** Longest message id accepted for the dedupe. */
    static final int MAX_MESSAGE_ID = 64;
    /** The first delay before a member the log lost is joined again after a failure; it doubles at each one. */
    static final long REJOIN_FIRST_RETRY_MILLIS = 500;
    /** The longest delay between two attempts to join again a member the log lost. */
    static final long REJOIN_MAX_RETRY_MILLIS = 5_000;
    /** Names whose refused leave waits to be written again; past it, a name stays taken until the node stops. */
    static final int MAX_UNWRITTEN_LEAVES = 10_000;

    private final RoomLog log;
    private final String nodeId;
    private final RoomLimits limits;
    /**
     * Per member name, the rooms it is in or joining on this node: loop only. A log that counts them across the nodes
     * bounds them there too; this count refuses at once, without a call to the log, what this node alone exceeds.
     */
    private final Map<String, Integer> roomsOfName = new HashMap<>();
    private final ScheduledExecutorService loop;
    private final Map<String, RoomState> rooms = new HashMap<>();
    private final AtomicLong pendingBytes = new AtomicLong();
    private volatile boolean closed;
    /** Whether a heartbeat was sent: touched on the loop only. */
    private boolean beaten;
    /** The names this node let go of whose leave the log refused, written again at each heartbeat: loop only. */
    private final Set<Name> unwrittenLeaves = new LinkedHashSet<>();
    /** The leaves on their way to the log, by name, until their answer is back on the loop: loop only. */
    private final Map<Name, CompletableFuture<Boolean>> leaving = new HashMap<>();

    /** A member's name in a room. */
    private record Name(String room, String member) {
    }

    private Rooms(RoomLog log, String nodeId, RoomLimits limits) {
        this.log = Objects.requireNonNull(log, "log");
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.loop = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sockwave-rooms-" + nodeId);
            thread.setDaemon(true);
            return thread;
        });
        log.start(nodeId, new RoomLog.Signals() {
            @Override
            public void appended(String room, long sequence) {
                execute(() -> signalled(room, sequence));
            }

            @Override
            public void appended(String room, RoomEvent event) {
                execute(() -> received(room, event));
            }

            @Override
            public void reconnected() {
                execute(() -> List.copyOf(rooms.values()).forEach(Rooms.this::pump));
            }
        });
        // a periodic task that throws is never run again: each run keeps its failure to itself
        loop.scheduleWithFixedDelay(() -> call(() -> List.copyOf(rooms.values()).forEach(this::pump)),
                POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        loop.scheduleWithFixedDelay(() -> call(this::heartbeat), 0, HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * @return rooms on this node only, with their logs in memory ({@link RoomLog#inMemory()}: 64 MiB of events at
     *     most): the default of a single server
     */
    public static Rooms inProcess() {
        return inProcess(RoomLimits.DEFAULT);
    }

    /**
     * @param limits what one member name may cost this node
     * @return rooms on this node only, with their logs in memory, as {@link #inProcess()}, under the limits given
     */
    public static Rooms inProcess(RoomLimits limits) {
        return new Rooms(RoomLog.inMemory(), "local", limits);
    }

    /**
     * @param log the store of the room logs, shared by the nodes
     * @param nodeId this node's name, unique among the nodes running at once on the log; a node that restarts may
     *     take it again (the log holds each start's members apart, so the dead process's members still leave)
     * @return rooms on this node, started
     */
    public static Rooms on(RoomLog log, String nodeId) {
        return on(log, nodeId, RoomLimits.DEFAULT);
    }

    /**
     * @param log the store of the room logs, shared by the nodes
     * @param nodeId this node's name, as for {@link #on(RoomLog, String)}
     * @param limits what one member name may cost this node: its length, and the rooms it may be in here at once
     * @return rooms on this node, started
     */
    public static Rooms on(RoomLog log, String nodeId, RoomLimits limits) {
        return new Rooms(log, nodeId, limits);
    }

    /** @return a fresh random node id */
    public static String randomNodeId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** @return this node's id */
    public String nodeId() {
        return nodeId;
    }

    /**
     * Joins a room: the join event is appended, then the listener gets {@link RoomListener#onJoined} and the room's
     * events from there, or from right after {@code since} if the log still holds it (else a reset first).
     *
     * @param room the room's name
     * @param member the member's name: unique in the room across the nodes
     * @param since the offset of the last event the member received before, to resume after it; or null
     * @param listener gets the member's events
     * @return the membership, or a failure with a {@link RoomException}: {@code NAME_TAKEN} if the name is present
     *     (with a {@linkplain RoomException#retryAfter() time to try again} if it is held on another node, which may
     *     have stopped), {@code TOO_MANY_ROOMS} if the name is in {@link RoomLimits#maxRoomsPerName()} rooms on this
     *     node already, or on all the nodes together with a log that counts them so ({@link RoomLog#join(String,
     *     String, int)}), {@code UNAVAILABLE} if the log cannot be reached
     * @throws IllegalArgumentException if the room's or the member's name holds an unpaired surrogate (a store of
     *     UTF-8 strings, Redis, would take it for another name), or the member's name is longer than
     *     {@link RoomLimits#maxNameLength()}
     */
    public CompletableFuture<Membership> join(String room, String member, RoomOffset since, RoomListener listener) {
        requireUtf8("a room name", Objects.requireNonNull(room, "room"));
        requireUtf8("a member name", Objects.requireNonNull(member, "member"));
        Objects.requireNonNull(listener, "listener");
        if (member.length() > limits.maxNameLength()
                && member.codePointCount(0, member.length()) > limits.maxNameLength()) {
            throw new IllegalArgumentException("a member name is at most " + limits.maxNameLength()
                    + " characters on this node, was " + member.codePointCount(0, member.length()));
        }
        CompletableFuture<Membership> result = new CompletableFuture<>();
        if (!execute(() -> startJoin(room, member, since, listener, result))) {
            result.completeExceptionally(closedException());
        }
        return result;
    }

    private void startJoin(String room, String member, RoomOffset since, RoomListener listener,
                           CompletableFuture<Membership> result) {
        RoomState state = rooms.get(room);
        if (state != null && state.holds(member)) {
            result.completeExceptionally(nameTaken(room, member));
            return;
        }
        int roomsOfMember = roomsOfName.getOrDefault(member, 0);
        if (roomsOfMember >= limits.maxRoomsPerName()) {
            result.completeExceptionally(new RoomException(RoomException.Reason.TOO_MANY_ROOMS, "the name " + member
                    + " is in " + roomsOfMember + " rooms on this node, the most one name may be in"));
            return;
        }
        roomsOfName.put(member, roomsOfMember + 1);
        if (state == null) {
            state = new RoomState(room);
            rooms.put(room, state);
            log.watch(room);
        }
        RoomState joiningRoom = state;
        joiningRoom.joining.add(member);
        // A name this node let go of, whose leave the log refused, is still this node's in the log: joined again, it
        // would be answered as its earlier join was, a sequence number behind the offset a resuming member had, and
        // the member sent again what followed. Its leave goes first, then the join is a join like any other. A leave
        // still on its way may be refused yet (a timeout, while the join sent after it runs): the join waits for its
        // answer, and writes it again first if it was refused.
        Name name = new Name(room, member);
        CompletableFuture<Boolean> inFlight = leaving.get(name);
        CompletableFuture<RoomLog.Joined> joining;
        if (unwrittenLeaves.remove(name)) {
            joining = leaveThenJoin(room, member);
        } else if (inFlight != null) {
            joining = inFlight.handle((wrote, refused) -> refused)
                    .thenCompose(refused -> refused == null ? boundedJoin(room, member) : leaveThenJoin(room, member));
        } else {
            joining = boundedJoin(room, member);
        }
        joining.whenComplete((joined, error) -> {
            boolean handled = execute(() -> {
                joiningRoom.joining.remove(member);
                if (error != null) {
                    releaseName(member);
                    RoomException refused = refusal(error);
                    if (refused.reason() != RoomException.Reason.NAME_TAKEN
                            && refused.reason() != RoomException.Reason.TOO_MANY_ROOMS) {
                        // A join refused after it ran (its reply lost, or its replicas unconfirmed) holds the name
                        // in the log for a member nobody admits: let it go, or the name stays taken until this
                        // node dies. The leave writes nothing if this node does not hold the name.
                        letGo(room, member);
                    }
                    result.completeExceptionally(refused);
                    dropIfEmpty(joiningRoom);
                } else {
                    admit(joiningRoom, new Member(this, joiningRoom, member, listener), joined, since, result);
                }
            });
            if (!handled) {
                // The rooms closed while the join was under way: no member comes of it, and the name is let go.
                if (error == null) {
                    log.leave(room, member);
                }
                result.completeExceptionally(closedException());
            }
        });
    }

    private CompletableFuture<RoomLog.Joined> leaveThenJoin(String room, String member) {
        return log.leave(room, member).thenCompose(left -> boundedJoin(room, member));
    }

    /**
     * A new member's join, under the bound of the rooms of its name. A member the log lost and joins again
     * ({@link #rejoin}) is not held to it: it was admitted under it, and closing it for joins elsewhere since would
     * end a member for the log's loss.
     */
    private CompletableFuture<RoomLog.Joined> boundedJoin(String room, String member) {
        return log.join(room, member, limits.maxRoomsPerName());
    }

    private void admit(RoomState room, Member member, RoomLog.Joined joined, RoomOffset since,
                       CompletableFuture<Membership> result) {
        if (closed) {
            releaseName(member.name);
            log.leave(room.name, member.name);
            result.completeExceptionally(closedException());
            return;
        }
        if (room.epoch == null) {
            room.epoch = joined.epoch();
        } else if (!room.epoch.equals(joined.epoch())) {
            newEpoch(room, joined.epoch(), joined.origin());
        }
        member.joinedAt = new RoomOffset(joined.epoch(), joined.sequence());
        member.present = PackedNames.of(joined.present());
        boolean resumable = since != null && since.epoch().equals(joined.epoch())
                && since.sequence() < joined.sequence();
        RoomOffset origin = joined.origin();
        boolean carriedOver = since != null && origin != null && since.epoch().equals(origin.epoch());
        if (resumable) {
            member.cursor = since.sequence();
        } else if (carriedOver) {
            // an offset of the epoch this one went on from: resumed after what survived of what the member had
            member.cursor = Math.min(since.sequence(), Math.min(origin.sequence(), joined.sequence() - 1));
        } else {
            member.cursor = joined.sequence() - 1;
        }
        room.members.add(member);
        call(() -> member.listener.onJoined(member));
        if (carriedOver) {
            call(() -> member.listener.onReset("the room's log goes on under a new epoch (its store lost the events"
                    + " after " + origin + "); the events follow the last one up to " + since + " that it kept",
                    new RoomOffset(joined.epoch(), member.cursor)));
        } else if (since != null && !resumable) {
            call(() -> member.listener.onReset("the offset " + since + " is not in the room's log (it was lost or is"
                    + " from another epoch); the events follow from this member's join",
                    new RoomOffset(joined.epoch(), member.cursor)));
        }
        result.complete(member);
        pump(room);
    }

    void signalled(String room, long sequence) {
        RoomState state = rooms.get(room);
        if (state != null && state.members.stream().anyMatch(m -> m.cursor < sequence)) {
            pump(state);
        }
    }

    /**
     * Takes an event that came with its notification: the first one queues a task behind whatever the loop has
     * queued already (joins' answers among them), which then hands out every event that came meanwhile. An idle
     * loop runs it at once; a busy one hands out a burst of notifications together, as a read would, and serves the
     * tasks ahead of them first.
     */
    private void received(String room, RoomEvent event) {
        RoomState state = rooms.get(room);
        if (state == null) {
            return;
        }
        state.notified.add(event);
        if (state.notified.size() == 1) {
            execute(() -> handOutNotified(state));
        }
    }

    /**
     * Hands the events that came with their notifications to the members whose cursor is right before each, and
     * reads the log for any member further behind. An event of another epoch than the room's is left to the read,
     * which resets the members.
     */
    private void handOutNotified(RoomState state) {
        List<RoomEvent> events = state.notified;
        state.notified = new ArrayList<>();
        // a log may notify from several threads at once (the in-memory one does), so not always in order
        events.sort(Comparator.comparingLong(event -> event.offset().sequence()));
        List<Member> members = List.copyOf(state.members);
        long last = 0;
        for (RoomEvent event : events) {
            if (event.offset().epoch().equals(state.epoch)) {
                handOut(members, event);
            }
            last = Math.max(last, event.offset().sequence());
        }
        signalled(state.name, last);
    }

    /** Reads the room's log past its lowest cursor and delivers what came; one read per room at a time. */
    private void pump(RoomState room) {
        if (room.members.isEmpty()) {
            return;
        }
        if (room.reading) {
            room.readAgain = true;
            return;
        }
        long from = room.members.stream().mapToLong(m -> m.cursor).min().orElseThrow();
        room.reading = true;
        room.readAgain = false;
        log.read(room.name, from, PAGE).whenCompleteAsync((page, error) -> {
            room.reading = false;
            if (error != null) {
                // the next notification or poll reads again: nothing is lost, only later
                LOG.log(Level.DEBUG, () -> "reading room " + room.name + " failed: " + error);
                return;
            }
            if (deliver(room, from, page) || room.readAgain) {
                pump(room);
            }
        }, loop);
    }

    /** @return whether there may be more to read at once */
    private boolean deliver(RoomState room, long from, RoomLog.Page page) {
        if (room.epoch == null) {
            room.epoch = page.epoch();
        } else if (!room.epoch.equals(page.epoch())) {
            newEpoch(room, page.epoch(), page.origin());
            return true;
        }
        List<RoomEvent> events = page.events();
        if (events.isEmpty()) {
            return false;
        }
        long first = events.get(0).offset().sequence();
        if (first > from + 1) {
            for (Member member : List.copyOf(room.members)) {
                if (member.cursor < first - 1) {
                    member.cursor = first - 1;
                    call(() -> member.listener.onReset("the room's log no longer holds the events after "
                            + new RoomOffset(room.epoch, from) + " (its history bound trimmed them)",
                            new RoomOffset(room.epoch, first - 1)));
                }
            }
        }
        // one copy per page: a listener may leave (the left flag covers it); joins come later, on this thread
        List<Member> members = List.copyOf(room.members);
        for (RoomEvent event : events) {
            handOut(members, event);
        }
        return events.size() == PAGE || reachesPageBytes(events);
    }

    /** @return whether the events reach {@link RoomLog#PAGE_BYTES}, where a store may have ended the page early */
    static boolean reachesPageBytes(List<RoomEvent> events) {
        long bytes = 0;
        for (RoomEvent event : events) {
            bytes += pageBytes(event);
            if (bytes >= RoomLog.PAGE_BYTES) {
                return true;
            }
        }
        return false;
    }

    /** @return what an event counts toward {@link RoomLog#PAGE_BYTES}: the UTF-8 of its member, text and message id */
    static long pageBytes(RoomEvent event) {
        return TextEncoder.utf8Length(event.member()) + TextEncoder.utf8Length(event.text())
                + TextEncoder.utf8Length(event.messageId());
    }

    /**
     * Delivers the event to exactly the members whose last event is the one before it. Each listener is called in a
     * try of its own rather than through {@link #call}: a join in a room of hundreds is as many deliveries, and a
     * lambda for each was garbage made per member.
     */
    private static void handOut(List<Member> members, RoomEvent event) {
        long sequence = event.offset().sequence();
        for (Member member : members) {
            if (member.cursor == sequence - 1 && !member.left) {
                member.cursor = sequence;
                try {
                    member.listener.onEvent(event);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "a room listener or task failed", e);
                }
            }
        }
    }

    /**
     * The log starts again under a new epoch. One that kept the log of the epoch the members had (its origin:
     * the store went back in time) resumes each member after the last event it had that the log kept, so that
     * nothing it had is sent again; the events it had past the origin are the ones lost.
     */
    private void newEpoch(RoomState room, String epoch, RoomOffset origin) {
        boolean kept = origin != null && origin.epoch().equals(room.epoch);
        LOG.log(Level.WARNING, "room " + room.name + ": the log starts again under a new epoch " + epoch
                + (kept ? " (the store went back to " + origin + ")" : " (the store lost it)")
                + "; its members get a reset");
        room.epoch = epoch;
        for (Member member : List.copyOf(room.members)) {
            member.cursor = kept ? Math.min(member.cursor, origin.sequence()) : 0;
            RoomOffset resumesAfter = new RoomOffset(epoch, member.cursor);
            call(() -> member.listener.onReset(kept
                    ? "the room's log went back (its store lost its events after " + origin + ") and goes on under a"
                            + " new epoch from there"
                    : "the room's log was lost by its store and starts again", resumesAfter));
            // A store back from older data may have lost the member's join while still knowing this node, whose
            // heartbeat then never asks for it: without it, the name would be free for another node.
            rejoin(member, REJOIN_FIRST_RETRY_MILLIS);
        }
    }

    private void heartbeat() {
        // The first beat is sent before any join (both run on the loop, the beat scheduled first), so its "unknown"
        // only says that this node is new: every member joined since is held under it already.
        boolean first = !beaten;
        beaten = true;
        log.heartbeat().whenCompleteAsync((known, error) -> {
            if (error == null && !known && !first) {
                announceAgain();
            }
        }, loop);
        writeUnwrittenLeaves();
        log.reapDeadNodes().whenComplete((reaped, error) -> {
            if (error == null && reaped > 0) {
                LOG.log(Level.INFO, "wrote the leaves of " + reaped + " members of nodes that stopped answering");
            }
        });
    }

    /** The log lost this node's members (it was cut off too long, or lost its data): joins them again. */
    private void announceAgain() {
        for (RoomState room : List.copyOf(rooms.values())) {
            for (Member member : List.copyOf(room.members)) {
                rejoin(member, REJOIN_FIRST_RETRY_MILLIS);
            }
        }
    }

    /**
     * Joins a member the log lost again. A member whose name was taken meanwhile is closed; any other failure (the
     * log unreachable, or refusing writes) is retried, the delay doubling up to {@link #REJOIN_MAX_RETRY_MILLIS},
     * for as long as the member lives: it still receives the room's events meanwhile, only its presence waits. A
     * member is not closed for it, since every other node shares the same log and could do no better.
     */
    private void rejoin(Member member, long retryMillis) {
        if (member.left || closed) {
            return;
        }
        String room = member.room.name;
        log.join(room, member.name).whenCompleteAsync((joined, error) -> {
            if (error == null) {
                if (member.left) {
                    // it left while its join was under way: the name is not to stay held by nobody
                    letGo(room, member.name);
                }
                return;
            }
            if (refusal(error).reason() == RoomException.Reason.NAME_TAKEN) {
                if (!member.left) {
                    removeMember(member);
                    // the holder may be this node (the member's join reached the log after the reaping): the leave
                    // is written then, else the member would stay present with nobody behind it
                    letGo(room, member.name);
                    call(() -> member.listener.onClosed("the name " + member.name + " was taken while this node"
                            + " was cut off from the room"));
                }
                return;
            }
            LOG.log(retryMillis == REJOIN_FIRST_RETRY_MILLIS ? Level.WARNING : Level.DEBUG, () -> "could not join "
                    + member.name + " to " + room + " again (" + error + "); retrying in " + retryMillis + " ms");
            try {
                loop.schedule(() -> call(() -> rejoin(member, Math.min(2 * retryMillis, REJOIN_MAX_RETRY_MILLIS))),
                        retryMillis, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException shutDown) {
                // the rooms closed: the member is gone with them
            }
        }, loop);
    }

    /**
     * Writes the leave of a name this node lets go of. A leave the log refuses (it is unreachable, or refuses
     * writes) is written again at each heartbeat until it is taken, else the name would stay held, with nobody behind
     * it, for as long as this node lives: its heartbeat keeps its other members, and with them this name, from the
     * reaper. At most {@link #MAX_UNWRITTEN_LEAVES} names wait so; past that, a name waits for the node's end.
     *
     * @return the leave, as {@link RoomLog#leave}; a refused one fails once its name waits to be written again, so
     *     that a join of the name after it writes the leave first
     */
    CompletableFuture<Boolean> letGo(String room, String member) {
        Name name = new Name(room, member);
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        leaving.put(name, done);
        log.leave(room, member).whenComplete((wrote, error) -> {
            if (!execute(() -> {
                leaving.remove(name, done);
                if (error == null) {
                    done.complete(wrote);
                } else {
                    keepUnwritten(name, error);
                    done.completeExceptionally(error);
                }
            })) {
                if (error == null) {
                    done.complete(wrote);
                } else {
                    done.completeExceptionally(error);
                }
            }
        });
        return done;
    }

    private void keepUnwritten(Name name, Throwable error) {
        if (closed || held(name)) {
            return;
        }
        if (unwrittenLeaves.size() < MAX_UNWRITTEN_LEAVES) {
            unwrittenLeaves.add(name);
            LOG.log(Level.DEBUG, () -> "the leave of " + name.member() + " from " + name.room() + " was refused ("
                    + error + "); written again at the next heartbeat");
        } else {
            LOG.log(Level.WARNING, () -> "the leave of " + name.member() + " from " + name.room() + " was refused ("
                    + error + "), and " + MAX_UNWRITTEN_LEAVES + " others wait already: the name stays taken until"
                    + " this node stops");
        }
    }

    /** @return whether a member of this node holds the name, or is joining under it: its leave is not to be written */
    private boolean held(Name name) {
        RoomState state = rooms.get(name.room());
        return state != null && state.holds(name.member());
    }

    private void writeUnwrittenLeaves() {
        List<Name> due = List.copyOf(unwrittenLeaves);
        unwrittenLeaves.clear();
        for (Name name : due) {
            if (!held(name)) {
                letGo(name.room(), name.member());
            }
        }
    }

    void removeMember(Member member) {
        member.left = true;
        if (member.room.members.remove(member)) {
            releaseName(member.name);
        }
        dropIfEmpty(member.room);
    }

    /** A membership of the name ended, or its join failed: one room fewer that counts against its limit. */
    private void releaseName(String member) {
        roomsOfName.computeIfPresent(member, (name, count) -> count > 1 ? count - 1 : null);
    }

    private void dropIfEmpty(RoomState room) {
        if (room.members.isEmpty() && room.joining.isEmpty() && rooms.get(room.name) == room) {
            rooms.remove(room.name);
            log.unwatch(room.name);
        }
    }

    /**
     * Leaves every member (each gets {@link RoomListener#onClosed}), waiting up to five seconds for the leaves to
     * reach the log, and closes the log.
     */
    @Override
    public void close() {
        CompletableFuture<Void> leaves = new CompletableFuture<>();
        if (execute(() -> {
            closed = true;
            List<CompletableFuture<?>> pending = new ArrayList<>();
            for (RoomState room : List.copyOf(rooms.values())) {
                for (Member member : List.copyOf(room.members)) {
                    removeMember(member);
                    call(() -> member.listener.onClosed("the server is shutting down"));
                    pending.add(log.leave(room.name, member.name));
                }
            }
            for (Name name : unwrittenLeaves) {
                pending.add(log.leave(name.room(), name.member()));
            }
            unwrittenLeaves.clear();
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                    .whenComplete((ok, error) -> leaves.complete(null));
        })) {
            try {
                leaves.get(5, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                LOG.log(Level.WARNING, "some leaves did not reach the room log; other nodes will write them");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        loop.shutdownNow();
        log.close();
    }

    RoomLog log() {
        return log;
    }

    /** @return whether the bytes fit within {@link #MAX_PENDING_BYTES}, reserved if they do */
    boolean reservePending(long bytes) {
        if (pendingBytes.addAndGet(bytes) > MAX_PENDING_BYTES) {
            pendingBytes.addAndGet(-bytes);
            return false;
        }
        return true;
    }

    void releasePending(long bytes) {
        pendingBytes.addAndGet(-bytes);
    }

    /** @return false if the rooms are closed */
    boolean execute(Runnable task) {
        try {
            loop.execute(task);
            return true;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return false;
        }
    }

    private static void call(Runnable listenerCall) {
        try {
            listenerCall.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "a room listener or task failed", e);
        }
    }

    private static RoomException closedException() {
        return new RoomException(RoomException.Reason.NOT_A_MEMBER, "the rooms of this node are closed");
    }

    private static RoomException nameTaken(String room, String member) {
        return new RoomException(RoomException.Reason.NAME_TAKEN, "the name " + member + " is taken in " + room);
    }

    /**
     * Refuses a string with an unpaired surrogate, which has no UTF-8 form: Redis's client writes {@code '?'} in its
     * place, so that two names would be one room or one member there, and two message ids one message.
     */
    static void requireUtf8(String what, String value) {
        try {
            TextEncoder.utf8Length(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " holds an unpaired surrogate, which UTF-8 cannot carry: "
                    + e.getMessage(), e);
        }
    }

    /** @return the store's failure as the refusal a member sees */
    static RoomException refusal(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof RoomException roomException) {
            return roomException;
        }
        return new RoomException(RoomException.Reason.UNAVAILABLE, "the room log could not be reached or refused the"
                + " call (" + cause.getMessage() + "); not acknowledged: retry with the same message id", cause);
    }
}
