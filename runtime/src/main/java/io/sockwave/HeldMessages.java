package io.sockwave;

import io.sockwave.protocol.TextEncoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * The messages a {@link ReconnectingSession} holds while disconnected, in the order they were sent, bounded in
 * payload bytes. Guarded by the session's lock.
 */
final class HeldMessages {
    private record Held(String text, ByteBuffer data, long bytes, CompletableFuture<Void> sent) {
    }

    private final ArrayDeque<Held> messages = new ArrayDeque<>();
    private final long maxBytes;
    private long bytes;

    /** @param maxBytes the most payload bytes held */
    HeldMessages(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * @param text a text message, or null for a binary one
     * @param data a binary message, copied; null for a text one
     * @return completes once the message is written on a later session; failed at once when it does not fit, or
     *     with the {@link IllegalArgumentException} a session's send fails with when the text has no UTF-8 form
     */
    CompletableFuture<Void> add(String text, ByteBuffer data) {
        long size;
        try {
            size = text != null ? TextEncoder.utf8Length(text) : data.remaining();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (bytes + size > maxBytes) {
            return CompletableFuture.failedFuture(new OutboundLimitExceededException(bytes, size, maxBytes));
        }
        ByteBuffer copy = null;
        if (data != null) {
            // The caller may reuse its buffer once this returns, long before the message can be sent.
            copy = ByteBuffer.allocate(data.remaining()).put(data.duplicate()).flip();
        }
        Held held = new Held(text, copy, size, new CompletableFuture<>());
        messages.add(held);
        bytes += size;
        return held.sent();
    }

    boolean isEmpty() {
        return messages.isEmpty();
    }

    /** Sends every held message on the session, in order; each one's future follows its send. */
    void sendOn(Session session) {
        for (Held held; (held = messages.poll()) != null; ) {
            CompletableFuture<Void> send = held.text() != null
                    ? session.sendText(held.text()) : session.sendBinary(held.data());
            CompletableFuture<Void> sent = held.sent();
            send.whenComplete((ok, error) -> {
                if (error != null) {
                    sent.completeExceptionally(error);
                } else {
                    sent.complete(null);
                }
            });
        }
        bytes = 0;
    }

    /** Fails every held message: they will never be sent. */
    void failAll(String why) {
        for (Held held; (held = messages.poll()) != null; ) {
            held.sent().completeExceptionally(new IOException(why));
        }
        bytes = 0;
    }
}
