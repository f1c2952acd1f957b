package io.sockwave.cli.serve;

import io.sockwave.Session;
import io.sockwave.cli.json.JsonObject;
import io.sockwave.room.Membership;
import io.sockwave.room.RoomEvent;
import io.sockwave.room.RoomException;
import io.sockwave.room.RoomListener;
import io.sockwave.room.RoomOffset;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * One chat connection in its room: turns the room's events into the chat's JSON events for its session, and the
 * session's messages into publishes. Room calls come on the rooms' thread; the session's on its event loop.
 */
final class ChatMember implements RoomListener {
    /** The welcome's characters besides its room, member and names: its keys, an offset and a count. */
    private static final int WELCOME_CHARACTERS = 96;
    /** A guess at a name's characters in the welcome, with its quotes and comma: a chat name is at most 24 by default. */
    private static final int NAME_CHARACTERS = 16;
    final Session session;
    final String room;
    private final ChatRoom chat;
    /**
     * How many are present as this member sees it: the snapshot at its join, then one more or less for each join or
     * leave after it. A count, not a set of names: a room's log joins a name only while it is absent and leaves it
     * only while present, so the count is exact, and a member costs the same in a room of three or of three
     * thousand. Rooms calls come on one thread, so these two fields need no lock.
     */
    private int present;
    /** The epoch the count belongs to: a new one (Redis lost the room) starts from nobody, as its log does. */
    private String presentEpoch;
    private volatile Membership membership;
    private volatile boolean gone;

    ChatMember(Session session, String room, ChatRoom chat) {
        this.session = session;
        this.room = room;
        this.chat = chat;
    }

    @Override
    public void onJoined(Membership joined) {
        membership = joined;
        if (gone) {
            // the connection closed while the join was on its way
            joined.leave();
            return;
        }
        present = joined.present().size();
        presentEpoch = joined.joinedAt().epoch();
        session.sendText(welcomeJson(room, joined, present));
        session.resumeReading();
    }

    @Override
    public void onEvent(RoomEvent event) {
        switch (event.kind()) {
            case MESSAGE -> session.send(chat.encodeMessage(event));
            case JOIN, LEAVE -> {
                if (isAfterJoin(event.offset())) {
                    count(event);
                }
                session.send(chat.encodePresence(event, present));
            }
            default -> throw new IllegalStateException("unknown event kind " + event.kind());
        }
    }

    private void count(RoomEvent event) {
        if (!event.offset().epoch().equals(presentEpoch)) {
            presentEpoch = event.offset().epoch();
            present = 0;
        }
        present = event.kind() == RoomEvent.Kind.JOIN ? present + 1 : Math.max(0, present - 1);
    }

    /** Events replayed from before this member's join are history: the present snapshot already includes them. */
    private boolean isAfterJoin(RoomOffset offset) {
        RoomOffset joinedAt = membership.joinedAt();
        return !offset.epoch().equals(joinedAt.epoch()) || offset.sequence() > joinedAt.sequence();
    }

    @Override
    public void onReset(String reason, RoomOffset resumesAfter) {
        session.sendText(new JsonObject().put("type", "reset").put("reason", reason)
                .put("offset", resumesAfter.toString()).toString());
    }

    @Override
    public void onClosed(String reason) {
        gone = true;
        session.close(ChatRoom.SERVICE_RESTART, closeReason(reason));
    }

    /** @return the reason cut to the 123 UTF-8 bytes a close frame has room for (RFC 6455 §5.5), whole characters */
    static String closeReason(String reason) {
        int bytes = 0;
        for (int i = 0; i < reason.length(); ) {
            int codePoint = reason.codePointAt(i);
            bytes += codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes > 123) {
                return reason.substring(0, i);
            }
            i += Character.charCount(codePoint);
        }
        return reason;
    }

    /**
     * The {@code welcome} event, as a {@link JsonObject} of the same members in the same order would write it. Written
     * by hand because its names are most of a join's garbage in a room of hundreds: a membership keeps them packed,
     * and a JsonObject took each out twice (to check it, then to write it) into a builder grown by copying, then
     * copied the whole into a String. Here each name is taken out once, into a builder sized for the names, which is
     * sent as it is.
     */
    static CharSequence welcomeJson(String room, Membership joined, int count) {
        List<String> names = joined.present();
        StringBuilder out = new StringBuilder(WELCOME_CHARACTERS + room.length() + joined.member().length()
                + NAME_CHARACTERS * names.size());
        out.append("{\"type\":\"welcome\",\"room\":");
        JsonObject.quote(room, out);
        out.append(",\"you\":");
        JsonObject.quote(joined.member(), out);
        out.append(",\"offset\":");
        JsonObject.quote(joined.joinedAt().toString(), out);
        out.append(",\"count\":").append(count).append(",\"present\":[");
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            JsonObject.quote(names.get(i), out);
        }
        return out.append("]}");
    }

    /** @return the {@code join} or {@code leave} event as a member that counts {@code count} present sees it */
    static String presenceJson(RoomEvent event, int count) {
        return new JsonObject().put("type", event.kind() == RoomEvent.Kind.JOIN ? "join" : "leave")
                .put("name", event.member()).put("offset", event.offset().toString()).put("count", count).toString();
    }

    static String messageJson(RoomEvent event) {
        JsonObject json = new JsonObject().put("type", "message").put("from", event.member())
                .put("text", event.text());
        if (!event.messageId().isEmpty()) {
            json.put("id", event.messageId());
        }
        return json.put("offset", event.offset().toString()).toString();
    }

    void publish(ChatInput input) {
        Membership current = membership;
        if (current == null || gone) {
            return;
        }
        current.publish(input.id(), input.text()).whenComplete((offset, error) -> {
            if (error == null) {
                JsonObject ack = new JsonObject().put("type", "ack");
                if (!input.id().isEmpty()) {
                    ack.put("id", input.id());
                }
                session.sendText(ack.put("offset", offset.toString()).toString());
            } else {
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                refused(input.id(), cause instanceof RoomException ? cause.getMessage() : "not appended");
            }
        });
    }

    void refused(String id, String reason) {
        JsonObject refused = new JsonObject().put("type", "refused");
        if (!id.isEmpty()) {
            refused.put("id", id);
        }
        session.sendText(refused.put("reason", reason).toString());
    }

    /** Leaves the room, once; safe before the join has completed. */
    void leave() {
        gone = true;
        Membership current = membership;
        if (current != null) {
            current.leave();
        }
    }
}
