package io.sockwave.protocol;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sockwave.protocol.extension.ExtensionOffer;
import io.sockwave.protocol.extension.PerMessageDeflate;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The frame reader and the message assembly behind it, through {@link Connection#receive}: random bytes, cut at
 * random points, to a server and to a client, with and without permessage-deflate (RFC 7692) negotiated. Whatever
 * arrives, {@code receive} throws nothing (a broken rule fails the connection with 1002, 1007 or 1009 and a close
 * frame, RFC 6455 §7.1.7), no message exceeds the message limit, and the work and memory stay bounded by the input
 * and the limits (a zip bomb inflates to at most the limit).
 */
class ConnectionFuzzTest {
    private static final Limits LIMITS = Limits.DEFAULTS.withMaxFrameSize(32 << 10).withMaxMessageSize(64 << 10);
    private static final Set<Integer> FAILURE_CODES = Set.of(CloseCode.PROTOCOL_ERROR, CloseCode.INVALID_PAYLOAD_DATA,
            CloseCode.MESSAGE_TOO_BIG, CloseCode.ABNORMAL_CLOSURE);

    @FuzzTest(maxDuration = "5m")
    void serverFrames(FuzzedDataProvider data) {
        receive(() -> ConnectionConfig.of(Role.SERVER), data);
    }

    @FuzzTest(maxDuration = "5m")
    void serverFramesWithDeflate(FuzzedDataProvider data) {
        ExtensionOffer offer = new ExtensionOffer("permessage-deflate", List.of());
        receive(() -> ConnectionConfig.of(Role.SERVER)
                .withExtensions(List.of(PerMessageDeflate.defaults().accept(List.of(offer)))), data);
    }

    @FuzzTest(maxDuration = "5m")
    void clientFramesWithDeflate(FuzzedDataProvider data) {
        ExtensionOffer agreed = new ExtensionOffer("permessage-deflate", List.of());
        receive(() -> ConnectionConfig.of(Role.CLIENT)
                .withExtensions(List.of(PerMessageDeflate.defaults().accepted(agreed))), data);
    }

    private static void receive(Supplier<ConnectionConfig> config, FuzzedDataProvider data) {
        boolean streaming = data.consumeBoolean();
        int[] cuts = new int[data.consumeInt(0, 16)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = data.consumeInt(1, 1 << 12);
        }
        byte[] input = data.consumeRemainingAsBytes();
        // Twice: the first run loads classes and seeds the mask keys' random source, which the bound is not about.
        receive(config.get().withLimits(LIMITS).withStreaming(streaming), cuts, input);
        FuzzBounds bounds = FuzzBounds.start();
        receive(config.get().withLimits(LIMITS).withStreaming(streaming), cuts, input);
        // A frame header and a cut are all the reader keeps apart from the message, which the limit bounds; inflating
        // keeps its output within the limit too.
        bounds.checkAllocatedAtMost(16L * input.length + 8L * LIMITS.maxMessageSize() + FuzzBounds.SLACK,
                "input of " + input.length + " bytes");
    }

    private static void receive(ConnectionConfig config, int[] cuts, byte[] input) {
        Connection connection = new Connection(config);
        EventQueue events = new EventQueue();
        try {
            int from = 0;
            for (int i = 0; from < input.length; i++) {
                int n = i < cuts.length ? Math.min(cuts[i], input.length - from) : input.length - from;
                ByteBuffer piece = ByteBuffer.wrap(input.clone(), from, n).slice();
                connection.receive(piece, events);
                from += n;
                check(events, connection);
            }
            connection.receiveEof();
            check(events, connection);
        } finally {
            connection.release();
        }
    }

    private static void check(EventQueue events, Connection connection) {
        for (Event event = events.poll(); event != null; event = events.poll()) {
            if (event instanceof Event.Text text) {
                assertTrue(text.text().length() <= LIMITS.maxMessageSize(), "text over the limit");
            } else if (event instanceof Event.Binary binary) {
                assertTrue(binary.data().remaining() <= LIMITS.maxMessageSize(), "binary over the limit");
            } else if (event instanceof Event.Failure failure) {
                assertTrue(FAILURE_CODES.contains(failure.closeCode()), "failure code " + failure.closeCode());
            }
        }
        while (connection.pollOutput() != null) {
            // The frames owed (pongs, the close) are produced; their bytes are the encoder's concern.
        }
    }
}
