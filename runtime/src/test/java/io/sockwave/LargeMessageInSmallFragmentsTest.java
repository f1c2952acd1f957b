package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sockwave.protocol.Limits;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 6455 §5.4 through a real socket: a 16 MiB message sent in 64-byte fragments, each with its own mask key
 * (§5.3), arrives whole when the message limit allows it, and is refused with 1009 (§7.4.1) when it does not. The
 * server's reads cut the 262,144 frames at arbitrary points, so the payloads are unmasked from every offset of a
 * key; a limit bounds the bytes held, not the number of frames.
 */
class LargeMessageInSmallFragmentsTest {
    private static final int MIB = 1 << 20;
    private static final int FRAGMENT = 64;

    private Server server;

    @AfterEach
    void stop() {
        server.close();
    }

    /** Answers each binary message with its size and SHA-256. */
    private int start(int maxMessageSize) throws Exception {
        Listener digest = new Listener() {
            @Override
            public void onBinary(Session session, ByteBuffer data) {
                session.sendText(data.remaining() + ":" + sha256(data));
            }
        };
        server = Server.builder().host("127.0.0.1").port(0).eventLoops(1)
                .limits(Limits.DEFAULTS.withMaxMessageSize(maxMessageSize)).route("/", digest).build().start();
        return server.port();
    }

    private static String sha256(ByteBuffer data) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(data.duplicate());
            return HexFormat.of().formatHex(sha.digest());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The message as BINARY, CONTINUATION..., final CONTINUATION frames of 64 bytes, masked with random keys. */
    private static byte[] fragmented(byte[] message) {
        Random random = new Random(6455);
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length / FRAGMENT * (FRAGMENT + 6));
        byte[] key = new byte[4];
        for (int at = 0; at < message.length; at += FRAGMENT) {
            boolean first = at == 0;
            boolean last = at + FRAGMENT >= message.length;
            int n = Math.min(FRAGMENT, message.length - at);
            out.write((last ? 0x80 : 0) | (first ? 0x2 : 0x0));
            out.write(0x80 | n);
            random.nextBytes(key);
            out.writeBytes(key);
            for (int i = 0; i < n; i++) {
                out.write(message[at + i] ^ key[i & 3]);
            }
        }
        return out.toByteArray();
    }

    private static byte[] message() {
        byte[] message = new byte[16 * MIB];
        new Random(16).nextBytes(message);
        return message;
    }

    @Test
    void section5_4_a16MiBMessageIn64ByteFragmentsArrivesWholeWithinItsLimit() throws Exception {
        int port = start(16 * MIB);
        byte[] message = message();
        try (RawSocket socket = RawSocket.connect(port).open("/")) {
            socket.write(fragmented(message));
            RawSocket.Frame reply = socket.readFrame();
            assertEquals(0x81, reply.b0());
            assertEquals(message.length + ":" + sha256(ByteBuffer.wrap(message)), reply.text());
        }
    }

    @Test
    void section7_4_1_theSameMessageOneByteOverTheLimitIsRefusedWith1009() throws Exception {
        int port = start(16 * MIB - 1);
        try (RawSocket socket = RawSocket.connect(port).open("/")) {
            socket.write(fragmented(message()));
            assertEquals(1009, socket.expectCloseAndEof());
        }
    }
}
