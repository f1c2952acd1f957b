package io.sockwave.cli.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sockwave.protocol.Limits;
import io.sockwave.protocol.handshake.HttpHeadParser;
import io.sockwave.protocol.handshake.OriginPolicy;
import io.sockwave.protocol.handshake.ServerHandshake;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The timeouts and the message limit of {@code sockwave connect --help} (--connect-timeout, --close-timeout,
 * --max-message and its default of 64MiB), against a hand-made server that stalls or sends exactly what a case
 * needs. Each case names a limit the default would not hit, so the message on standard error tells which limit
 * acted; nothing here is timed.
 */
class ConnectTimeoutsAndLimitsIT {
    /** What the fake server does once it has answered the handshake; returns what it wants the test to check. */
    private interface AfterHandshake {
        byte[] run(Socket socket) throws IOException;
    }

    @Test
    void connectTimeoutGivesUpOnAServerThatNeverAnswersTheHandshake() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             SockwaveProcess connect = SockwaveProcess.start("connect", "--connect-timeout", "500ms",
                     "ws://127.0.0.1:" + silent.getLocalPort() + "/")) {
            try (Socket accepted = silent.accept()) {
                assertEquals(7, connect.awaitExit(), connect.toString());
            }
            // The library's handshake timeout and the command's own bound on the whole opening end together here.
            connect.awaitErr("cannot connect to ws://127\\.0\\.0\\.1:\\d+/: timed out: (opening handshake not"
                    + " completed within 500 ms|not connected within 500 ms \\(TCP, TLS and the opening handshake"
                    + " together\\))$");
        }
    }

    /**
     * The help's "TCP, TLS and the opening handshake together": a proxy that opens its tunnel late, to a server that
     * then answers nothing, still ends the attempt at --connect-timeout. It used to give the handshake the whole
     * timeout again once the tunnel was open (and the command waited three times as long), so the library's
     * handshake timeout, which only starts with the tunnel, spoke instead of the command's bound.
     */
    @Test
    void connectTimeoutBoundsTheTunnelAndTheHandshakeTogether() throws Exception {
        try (ServerSocket proxy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> connectLine = CompletableFuture.supplyAsync(() -> {
                try (Socket socket = proxy.accept()) {
                    socket.setSoTimeout(20_000);
                    String head = readHead(socket.getInputStream());
                    // Half the time the command has: the tunnel opens with 2 s to spare, and the library's handshake
                    // timeout, which starts with the tunnel, would end 2 s after the command's bound.
                    Thread.sleep(2000);
                    socket.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n"
                            .getBytes(StandardCharsets.ISO_8859_1));
                    // The tunnel leads nowhere: the upgrade request goes unanswered until the client gives up.
                    while (socket.getInputStream().read() >= 0) {
                        // drain it
                    }
                    return head.lines().findFirst().orElse("");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            });
            try (SockwaveProcess connect = SockwaveProcess.start("connect", "--connect-timeout", "4s",
                    "--proxy", "http://127.0.0.1:" + proxy.getLocalPort(), "ws://127.0.0.1:9/")) {
                assertEquals(7, connect.awaitExit(), connect.toString());
                connect.awaitErr("cannot connect to ws://127\\.0\\.0\\.1:9/: timed out: not connected within 4000 ms"
                        + " \\(TCP, TLS and the opening handshake together\\)$");
            }
            assertEquals("CONNECT 127.0.0.1:9 HTTP/1.1", connectLine.get(10, TimeUnit.SECONDS));
        }
    }

    /** RFC 6455 §7.1.1: the client waits for the server's close frame, but only as long as it was told to. */
    @Test
    void closeTimeoutStopsWaitingForACloseThatNeverComes() throws Exception {
        try (ServerSocket fake = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> closeFrame = serve(fake, socket -> {
                byte[] payload = readFrame(socket.getInputStream());
                // No close frame in answer, and the socket is left open: the client has to give up by itself.
                socket.getInputStream().read();
                return payload;
            });
            try (SockwaveProcess connect = SockwaveProcess.start("connect", "--close-timeout", "700ms",
                    "ws://127.0.0.1:" + fake.getLocalPort() + "/")) {
                connect.awaitErr("^connected to ");
                connect.closeInput();
                assertEquals(3, connect.awaitExit(), connect.toString());
                connect.awaitErr("^closed 1006 \\(abnormal closure\\): no close frame from the peer within 700 ms$");
            }
            assertArrayEquals(new byte[] {0x03, (byte) 0xE8}, code(closeFrame.get(10, TimeUnit.SECONDS)),
                    "the client's close frame, code 1000");
        }
    }

    /** RFC 6455 §7.4.1: 1009 for a message too big to process, sent as soon as the frame header announces it. */
    @Test
    void maxMessageRefusesALargerFrameWith1009() throws Exception {
        assertEquals("closed 1009 (message too big): frame of 1048577 bytes exceeds the limit of 1048576",
                refusedFrame(1024 * 1024 + 1, "--max-message", "1MiB"));
    }

    /** It used to be 16 MiB for a message in one frame: the library's frame limit, under the documented 64MiB. */
    @Test
    void theDefaultMaxMessageIs64MiB() throws Exception {
        assertEquals("closed 1009 (message too big): frame of 67108865 bytes exceeds the limit of 67108864",
                refusedFrame(64L * 1024 * 1024 + 1));
    }

    /**
     * Runs {@code connect} against a server that announces a binary frame of {@code length} bytes and sends none
     * of them; @return the client's close line, after checking that its close frame carried 1009 and it exited 3.
     */
    private static String refusedFrame(long length, String... options) throws Exception {
        try (ServerSocket fake = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> closeFrame = serve(fake, socket -> {
                OutputStream out = socket.getOutputStream();
                out.write(ByteBuffer.allocate(10).put((byte) 0x82).put((byte) 127).putLong(length).array());
                out.flush();
                return readFrame(socket.getInputStream());
            });
            List<String> command = new java.util.ArrayList<>(List.of("connect", "--wait", "30"));
            command.addAll(List.of(options));
            command.add("ws://127.0.0.1:" + fake.getLocalPort() + "/");
            try (SockwaveProcess connect = SockwaveProcess.start(command.toArray(String[]::new))) {
                connect.closeInput();
                assertEquals(3, connect.awaitExit(), connect.toString());
                assertArrayEquals(new byte[] {0x03, (byte) 0xF1}, code(closeFrame.get(10, TimeUnit.SECONDS)),
                        "the client's close frame, code 1009");
                return connect.awaitErr("^closed 1009.*").group();
            }
        }
    }

    /** Accepts one connection, answers its upgrade with the protocol core's 101, then runs {@code after}. */
    private static CompletableFuture<byte[]> serve(ServerSocket fake, AfterHandshake after) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket socket = fake.accept()) {
                socket.setSoTimeout(20_000);
                HttpHeadParser head = HttpHeadParser.requests(Limits.DEFAULTS);
                InputStream in = socket.getInputStream();
                while (!head.parse(ByteBuffer.wrap(new byte[] {(byte) in.read()}))) {
                    // one byte at a time, so that nothing after the head is read here
                }
                ByteBuffer response = new ServerHandshake(List.of(), List.of(), OriginPolicy.any())
                        .accept(head.request()).encode(ByteBuffer.allocate(1024)).flip();
                socket.getOutputStream().write(response.array(), 0, response.limit());
                return after.run(socket);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** @return an HTTP request head, read a byte at a time up to its blank line */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** @return the status code of a close frame's payload (RFC 6455 §5.5.1), without the reason */
    private static byte[] code(byte[] closePayload) {
        return java.util.Arrays.copyOf(closePayload, 2);
    }

    /** @return the unmasked payload of the next frame a client sends (RFC 6455 §5.2, §5.3), short lengths only */
    private static byte[] readFrame(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        in.readUnsignedByte();
        int length = in.readUnsignedByte() & 0x7F;
        byte[] mask = in.readNBytes(4);
        byte[] payload = in.readNBytes(length);
        for (int i = 0; i < payload.length; i++) {
            payload[i] ^= mask[i % 4];
        }
        return payload;
    }
}
