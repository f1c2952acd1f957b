package io.sockwave.cli.serve;

import io.sockwave.AttributeKey;
import io.sockwave.Listener;
import io.sockwave.PreparedMessage;
import io.sockwave.Session;
import io.sockwave.protocol.CloseCode;
import io.sockwave.room.RoomEvent;
import io.sockwave.room.RoomException;
import io.sockwave.room.RoomOffset;
import io.sockwave.room.Rooms;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The {@code /chat} and {@code /chat/{room}} endpoints: rooms where every message a member sends goes to every member,
 * on this node or (with Redis) on any node, with join and leave events, each carrying its offset in the room's log.
 * Clients send plain text, or {@code {"id":"...","text":"..."}} to get their retries appended once; the server sends
 * the JSON events described in cli/README.md ({@code welcome}, {@code join}, {@code leave}, {@code message},
 * {@code ack}, {@code refused}, {@code reset}). A client resumes after the last offset it received with
 * {@code ?since=OFFSET}, on any node.
 *
 * <p>A member's name comes from {@code ?name=} (letters, digits, {@code .-_}, up to the node's
 * {@code --max-name-length}, 24 characters by default, not of the form {@code guest-N}, which the server gives out)
 * and is unique in its room across the nodes. A taken name is refused with close 1013 and when to try again: if a
 * member of this node holds it, within the node's keepalive bound (the holder may be the same client's connection,
 * dropped without a word; 1008 when the node sends no keepalive pings), and if a member of another node does, once
 * that node, which may have crashed, would be reaped; a longer name, or a name in as many rooms as it may be (on this
 * node, and with Redis on all the nodes together), with 1008. Without
 * a valid name the member is {@code guest-N}. A message of more than
 * {@value #MAX_TEXT_CODE_POINTS} characters (code points) closes its sender with 1009; an empty or blank one is
 * refused. Thread-safe.
 */
final class ChatRoom implements Listener {
    /** The room of {@code /chat}. */
    static final String LOBBY = "lobby";
    /** Bounds what one message costs the room: its JSON, sent to everyone, can be six times the text. */
    static final int MAX_TEXT_CODE_POINTS = 16 * 1024;
    private static final Pattern ROOM_NAME = Pattern.compile("[\\p{L}\\p{N}._-]{1,24}");
    private static final Pattern NAME_CHARACTERS = Pattern.compile("[\\p{L}\\p{N}._-]+");
    /** The longest name a client may choose, unless the node says otherwise. */
    static final int DEFAULT_MAX_NAME_LENGTH = 24;
    private static final Pattern GUEST = Pattern.compile("guest-\\d+");
    private static final AttributeKey<ChatMember> MEMBER = AttributeKey.of("chat.member", ChatMember.class);
    /** Guest names tried before giving up: another node may have given out the same number. */
    private static final int GUEST_ATTEMPTS = 8;
    /** Close codes of the IANA registry that RFC 6455 predates: a restart to reconnect after, a retry later. */
    static final int SERVICE_RESTART = 1012;
    static final int TRY_AGAIN_LATER = 1013;
    private static final int MAX_REASON_BYTES = 123;

    private final Rooms rooms;
    private final int maxNameLength;
    private final Duration deadPeerBound;
    private final AtomicInteger guests = new AtomicInteger();
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();

    ChatRoom(Rooms rooms) {
        this(rooms, DEFAULT_MAX_NAME_LENGTH, Duration.ZERO);
    }

    /**
     * @param maxNameLength the longest name a client may choose, in characters; at most the rooms' own limit
     * @param deadPeerBound how soon this node closes a connection whose peer is gone without a word (its keepalive),
     *     or zero if it does not
     */
    ChatRoom(Rooms rooms, int maxNameLength, Duration deadPeerBound) {
        this.rooms = rooms;
        this.maxNameLength = maxNameLength;
        this.deadPeerBound = deadPeerBound;
    }

    @Override
    public void onOpen(Session session) {
        String room = session.pathParam("room");
        if (room == null) {
            room = LOBBY;
        } else if (!ROOM_NAME.matcher(room).matches()) {
            session.close(CloseCode.POLICY_VIOLATION, "a room name is 1 to 24 letters, digits, '.', '-' or '_'");
            return;
        }
        RoomOffset since = null;
        String sinceParam = session.queryParam("since");
        if (sinceParam != null) {
            try {
                since = RoomOffset.parse(sinceParam);
            } catch (IllegalArgumentException e) {
                session.close(CloseCode.POLICY_VIOLATION, "since must be an offset the server sent, EPOCH-SEQUENCE");
                return;
            }
        }
        String name = validName(session.queryParam("name"));
        if (name != null && name.codePointCount(0, name.length()) > maxNameLength) {
            session.close(CloseCode.POLICY_VIOLATION, "a name is at most " + maxNameLength + " characters");
            return;
        }
        ChatMember member = new ChatMember(session, room, this);
        session.setAttribute(MEMBER, member);
        sessions.add(session);
        // nothing the client says counts before it is in the room
        session.suspendReading();
        join(member, name, since, GUEST_ATTEMPTS);
    }

    private void join(ChatMember member, String requested, RoomOffset since, int attempts) {
        String name = requested != null ? requested : "guest-" + guests.incrementAndGet();
        rooms.join(member.room, name, since, member).whenComplete((membership, error) -> {
            if (error == null) {
                return;
            }
            RoomException refusal = error instanceof RoomException e ? e
                    : error.getCause() instanceof RoomException e ? e : null;
            if (refusal != null && refusal.reason() == RoomException.Reason.NAME_TAKEN) {
                if (requested == null && attempts > 1) {
                    join(member, null, since, attempts - 1);
                } else if (refusal.retryAfter().isPresent()) {
                    // Held on another node, which may be alive (its member keeps the name) or have crashed (free once
                    // it is reaped): Redis cannot tell them apart within the lease, so the reason says both, and a
                    // retry is not promised to succeed.
                    long seconds = (refusal.retryAfter().get().toMillis() + 999) / 1000;
                    closeNaming(member.session, TRY_AGAIN_LATER, name, " may be in use on another node; if that"
                            + " node stopped, the name is free in " + seconds + " s");
                } else if (!deadPeerBound.isZero()) {
                    // Its holder may be this client's own connection, dropped without a word: the keepalive ends it
                    // within the bound, so a client reconnecting after a network drop is told to retry.
                    closeNaming(member.session, TRY_AGAIN_LATER, name, " is taken in this room; if its connection"
                            + " dropped, the name is free within " + deadPeerBound.toSeconds() + " s");
                } else {
                    closeNaming(member.session, CloseCode.POLICY_VIOLATION, name, " is taken in this room");
                }
            } else if (refusal != null && refusal.reason() == RoomException.Reason.TOO_MANY_ROOMS) {
                // counted on this node, and with Redis on all the nodes together
                closeNaming(member.session, CloseCode.POLICY_VIOLATION, name, " is in as many rooms as one name may"
                        + " be");
            } else {
                member.session.close(TRY_AGAIN_LATER, "the room is unavailable, try again later");
            }
        });
    }

    /**
     * Closes with a reason naming the name, or "the name you chose" where the name would make the reason longer than
     * a close frame holds (123 bytes, RFC 6455 §5.5): a name of 24 four-byte letters alone is 96.
     */
    private static void closeNaming(Session session, int code, String name, String rest) {
        String reason = "the name " + name + rest;
        if (reason.getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
            reason = "the name you chose" + rest;
        }
        session.close(code, reason);
    }

    @Override
    public void onText(Session session, String text) {
        ChatMember member = session.attribute(MEMBER);
        if (member == null) {
            return;
        }
        ChatInput input = ChatInput.parse(text);
        if (input.text().length() > MAX_TEXT_CODE_POINTS
                && input.text().codePointCount(0, input.text().length()) > MAX_TEXT_CODE_POINTS) {
            drop(member, CloseCode.MESSAGE_TOO_BIG,
                    "chat messages are limited to " + MAX_TEXT_CODE_POINTS + " characters");
            return;
        }
        if (input.text().isBlank()) {
            member.refused(input.id(), "an empty message is not sent");
            return;
        }
        member.publish(input);
    }

    @Override
    public void onBinary(Session session, ByteBuffer data) {
        ChatMember member = session.attribute(MEMBER);
        if (member != null) {
            drop(member, CloseCode.UNSUPPORTED_DATA, "the chat takes text messages only");
        }
    }

    @Override
    public void onClose(Session session, int code, String reason) {
        sessions.remove(session);
        ChatMember member = session.attribute(MEMBER);
        if (member != null) {
            member.leave();
        }
    }

    /** Closes a member's connection, and takes it out of the room at once rather than at the end of the close. */
    private void drop(ChatMember member, int code, String reason) {
        member.leave();
        member.session.close(code, reason);
    }

    /**
     * Closes every chat connection with 1012 (service restart), in ten batches spread over the time given, so that
     * the clients resume on other nodes without arriving all at once; their members leave the rooms as they go.
     */
    void drain(Duration over) throws InterruptedException {
        List<Session> all = new ArrayList<>(sessions);
        int batches = 10;
        int size = (all.size() + batches - 1) / batches;
        for (int start = 0; start < all.size(); start += size) {
            for (Session session : all.subList(start, Math.min(all.size(), start + size))) {
                ChatMember member = session.attribute(MEMBER);
                if (member != null) {
                    member.leave();
                }
                session.close(SERVICE_RESTART, "service restart: reconnect, with since, to another node");
            }
            TimeUnit.MILLISECONDS.sleep(over.toMillis() / batches);
        }
    }

    /**
     * @return the name if a client may choose it: of letters, digits, {@code .-_}, and not of the guests' form; else
     *     null (its length is the node's to bound)
     */
    static String validName(String requested) {
        if (requested == null || !NAME_CHARACTERS.matcher(requested).matches() || GUEST.matcher(requested).matches()) {
            return null;
        }
        return requested;
    }

    /*
     * Each event is encoded once for all the members of this node (events come on the rooms' thread, in order), as a
     * prepared frame they all queue: a join in a room of 300 is 300 deliveries, and a JSON object, its string and a
     * frame for each filled the young generation, whose fresh pages were most of a node's resident memory per member.
     * A join or a leave carries the count as each member sees it; the members of a room count alike, so one
     * encoding serves them all, and a member whose count differs gets its own.
     */
    private RoomEvent lastEvent;
    private int lastCount;
    private PreparedMessage lastEncoded;

    PreparedMessage encodeMessage(RoomEvent event) {
        if (event != lastEvent) {
            lastEncoded = PreparedMessage.text(ChatMember.messageJson(event));
            lastEvent = event;
        }
        return lastEncoded;
    }

    PreparedMessage encodePresence(RoomEvent event, int count) {
        if (event != lastEvent || count != lastCount) {
            lastEncoded = PreparedMessage.text(ChatMember.presenceJson(event, count));
            lastEvent = event;
            lastCount = count;
        }
        return lastEncoded;
    }
}
