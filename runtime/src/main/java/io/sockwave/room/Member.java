package io.sockwave.room;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** A member on this node: its cursor in the room's log, and its side of {@link Membership}. */
final class Member implements Membership {
    private final Rooms rooms;
    final RoomState room;
    final String name;
    final RoomListener listener;
    /** Loop-confined: the sequence number of the last event delivered to this member. */
    long cursor;
    volatile boolean left;
    volatile RoomOffset joinedAt;
    volatile List<String> present;

    Member(Rooms rooms, RoomState room, String name, RoomListener listener) {
        this.rooms = rooms;
        this.room = room;
        this.name = name;
        this.listener = listener;
    }

    @Override
    public String room() {
        return room.name;
    }

    @Override
    public String member() {
        return name;
    }

    @Override
    public RoomOffset joinedAt() {
        return joinedAt;
    }

    @Override
    public List<String> present() {
        return present;
    }

    @Override
    public CompletableFuture<RoomOffset> publish(String messageId, String text) {
        Objects.requireNonNull(text, "text");
        if (messageId.length() > Rooms.MAX_MESSAGE_ID) {
            throw new IllegalArgumentException("a message id has at most " + Rooms.MAX_MESSAGE_ID + " characters");
        }
        Rooms.requireUtf8("a message id", messageId);
        Rooms.requireUtf8("a message", text);
        long bytes = 2L * (text.length() + messageId.length() + name.length()) + 64;
        if (bytes > Rooms.MAX_PENDING_BYTES) {
            // refused as OVERLOADED, it would be retried in vain: it can never fit
            throw new IllegalArgumentException("a message of " + text.length() + " characters takes more than the "
                    + Rooms.MAX_PENDING_BYTES + " bytes a node holds of messages on their way to the room log (two"
                    + " per character of the text, its id and its sender's name)");
        }
        if (left) {
            return CompletableFuture.failedFuture(new RoomException(RoomException.Reason.NOT_A_MEMBER,
                    name + " is no longer in " + room.name));
        }
        if (!rooms.reservePending(bytes)) {
            return CompletableFuture.failedFuture(new RoomException(RoomException.Reason.OVERLOADED,
                    "this node already holds " + Rooms.MAX_PENDING_BYTES + " bytes of messages on their way to the"
                            + " room log; not acknowledged: retry later with the same message id"));
        }
        return rooms.log().append(room.name, name, messageId, text).handle((appended, error) -> {
            rooms.releasePending(bytes);
            if (error != null) {
                throw new CompletionException(Rooms.refusal(error));
            }
            // delivers to this node's members without waiting for the store's notification
            rooms.execute(() -> rooms.signalled(room.name, appended.sequence()));
            return new RoomOffset(appended.epoch(), appended.sequence());
        });
    }

    @Override
    public CompletableFuture<Void> leave() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!rooms.execute(() -> {
            if (left) {
                done.complete(null);
                return;
            }
            rooms.removeMember(this);
            rooms.letGo(room.name, name).whenComplete((wrote, error) -> {
                if (error != null) {
                    done.completeExceptionally(Rooms.refusal(error));
                } else {
                    done.complete(null);
                }
            });
        })) {
            done.complete(null);
        }
        return done;
    }
}
