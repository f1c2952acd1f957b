package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A blocking socket that writes hand-made bytes and reads raw replies, for conformance tests that must see exactly
 * what goes over the wire. Reads time out after 10 seconds, so that a missing reply fails instead of hanging.
 */
final class RawSocket implements AutoCloseable {
    /** The mask key of the RFC's examples (§5.7). */
    static final byte[] MASK = {0x37, (byte) 0xfa, 0x21, 0x3d};

    /** The client handshake of RFC 6455 §1.2 and §4.2.2. */
    static final String RFC_REQUEST = "GET /chat HTTP/1.1\r\n"
            + "Host: server.example.com\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Origin: http://example.com\r\n"
            + "Sec-WebSocket-Protocol: chat, superchat\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "\r\n";

    /** A Date field in IMF-fixdate (RFC 9110 §5.6.7), e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    private static final Pattern IMF_DATE_FIELD = Pattern.compile(
            "\r\nDate: [A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT\r\n");

    final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawSocket(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static RawSocket connect(int port) throws IOException {
        return new RawSocket(new Socket("127.0.0.1", port));
    }

    /**
     * Connects with a small receive buffer, set before connecting so that the TCP window stays small: a client
     * that stops reading then stalls the server's writes after a few kilobytes.
     */
    static RawSocket connectStalling(int port) throws IOException {
        return connect(port, null, true);
    }

    /**
     * @param tls the client's TLS context for a wss:// server, or null for ws://
     * @param stalling whether to keep the TCP window small, as {@link #connectStalling} does
     */
    static RawSocket connect(int port, javax.net.ssl.SSLContext tls, boolean stalling) throws IOException {
        Socket socket = tls == null ? new Socket() : tls.getSocketFactory().createSocket();
        if (stalling) {
            socket.setReceiveBufferSize(4096);
        }
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 10_000);
        return new RawSocket(socket);
    }

    /** @return a valid upgrade request for {@code path}, with extra header lines (each ending in CRLF) */
    static String upgrade(String path, String extraHeaders) {
        return "GET " + path + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + extraHeaders
                + "\r\n";
    }

    void write(String ascii) throws IOException {
        write(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Opens a session on {@code path}: sends the upgrade and checks the 101. */
    RawSocket open(String path) throws IOException {
        write(upgrade(path, ""));
        String head = readHead();
        assertTrue(head.startsWith("HTTP/1.1 101 "), head);
        return this;
    }

    /** @return the response head up to and including the blank line */
    String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("end of stream inside a response head: " + head);
            }
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
    }

    /**
     * @param answer an HTTP answer the server sent
     * @return the answer with the value of its one {@code Date} field, checked to be IMF-fixdate (RFC 9110 §5.6.7),
     *     replaced by {@code (date)}, so that the rest can be compared exactly
     */
    static String undated(String answer) {
        Matcher date = IMF_DATE_FIELD.matcher(answer);
        assertTrue(date.find(), "no IMF-fixdate Date field in " + answer);
        String head = answer.substring(0, answer.indexOf("\r\n\r\n") + 2);
        assertEquals(1, head.split("\r\nDate:", -1).length - 1, "one Date field in " + answer);
        return answer.substring(0, date.start()) + "\r\nDate: (date)\r\n" + answer.substring(date.end());
    }

    /** @return the whole answer to a request written on a connection of its own, read until the server closes */
    static String exchange(int port, String request) throws IOException {
        try (RawSocket raw = connect(port)) {
            raw.write(request);
            return raw.readUntilEof();
        }
    }

    /** @return the whole response, head and body, read until the server closes */
    String readUntilEof() throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    /** Reads one frame the server sent (unmasked, as §5.1 requires of a server). */
    Frame readFrame() throws IOException {
        int b0 = readByte();
        int b1 = readByte();
        assertEquals(0, b1 & 0x80, "a server must not mask its frames (RFC 6455 §5.1)");
        return new Frame(b0, readExactly(payloadLength(b1)));
    }

    /** Reads one frame a client sent, which must be masked (§5.3), and unmasks it. */
    Frame readMaskedFrame() throws IOException {
        int b0 = readByte();
        int b1 = readByte();
        assertEquals(0x80, b1 & 0x80, "a client must mask its frames (RFC 6455 §5.3)");
        int length = payloadLength(b1);
        byte[] key = readExactly(4);
        byte[] payload = readExactly(length);
        for (int i = 0; i < payload.length; i++) {
            payload[i] ^= key[i % 4];
        }
        return new Frame(b0, payload);
    }

    /** @return the payload length the second header byte announces, after reading any extended length (§5.2) */
    private int payloadLength(int b1) throws IOException {
        long length = b1 & 0x7F;
        if (length == 126) {
            length = (readByte() << 8) | readByte();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | readByte();
            }
        }
        return (int) length;
    }

    private byte[] readExactly(int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new EOFException("end of stream inside a frame");
        }
        return bytes;
    }

    /** Answers a client's upgrade request (read first) with a correct 101. */
    void accept101(String requestHead) throws IOException {
        write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + acceptFor(requestHead) + "\r\n\r\n");
    }

    /** @return the Sec-WebSocket-Accept a server owes the request (RFC 6455 §4.2.2) */
    static String acceptFor(String requestHead) {
        for (String line : requestHead.split("\r\n")) {
            if (line.regionMatches(true, 0, "Sec-WebSocket-Key:", 0, 18)) {
                return io.sockwave.protocol.handshake.AcceptKey.derive(line.substring(18).trim());
            }
        }
        throw new AssertionError("no Sec-WebSocket-Key in " + requestHead);
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("end of stream");
        }
        return b;
    }

    /** Asserts that the server closed the TCP connection: end of stream (a reset counts too). */
    void expectEof() throws IOException {
        try {
            int b = in.read();
            assertEquals(-1, b, "expected the server to close the connection, got a byte");
        } catch (SocketException reset) {
            // The peer closed with a reset: closed all the same.
        }
    }

    /** Reads a close frame and the end of stream after it. @return the close code, or -1 for an empty close */
    int expectCloseAndEof() throws IOException {
        Frame close = readFrame();
        assertEquals(0x88, close.b0(), "expected a close frame, got " + close);
        expectEof();
        return close.closeCode();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** @return the parts one after another, as one write sends them */
    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] part : parts) {
            n += part.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    /**
     * A client frame, masked with {@link #MASK}.
     *
     * @param b0 the first byte: FIN, RSV and opcode
     * @param payload the payload
     * @return the frame's bytes
     */
    static byte[] masked(int b0, byte[] payload) {
        return frame(b0, payload, true);
    }

    static byte[] masked(int b0, String payload) {
        return masked(b0, payload.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] frame(int b0, byte[] payload, boolean masked) {
        return frame(b0, payload, masked ? MASK : null);
    }

    /**
     * @param key the mask key (RFC 6455 §5.3), or null for an unmasked frame
     * @return the frame's bytes: header, extended length, key, and the payload masked with it
     */
    static byte[] frame(int b0, byte[] payload, byte[] key) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 14);
        out.write(b0);
        int maskBit = key != null ? 0x80 : 0;
        if (payload.length < 126) {
            out.write(maskBit | payload.length);
        } else if (payload.length <= 0xFFFF) {
            out.write(maskBit | 126);
            out.write(payload.length >>> 8);
            out.write(payload.length & 0xFF);
        } else {
            out.write(maskBit | 127);
            for (int i = 7; i >= 0; i--) {
                out.write((int) ((long) payload.length >>> (8 * i)) & 0xFF);
            }
        }
        if (key == null) {
            out.writeBytes(payload);
            return out.toByteArray();
        }
        out.writeBytes(key);
        byte[] masked = new byte[payload.length];
        for (int i = 0; i < payload.length; i++) {
            masked[i] = (byte) (payload[i] ^ key[i & 3]);
        }
        out.writeBytes(masked);
        return out.toByteArray();
    }

    /** A close frame payload: code then UTF-8 reason. */
    static byte[] closePayload(int code, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] p = new byte[2 + r.length];
        p[0] = (byte) (code >>> 8);
        p[1] = (byte) code;
        System.arraycopy(r, 0, p, 2, r.length);
        return p;
    }

    /** A frame as read: first byte and payload. */
    record Frame(int b0, byte[] payload) {
        int opcode() {
            return b0 & 0x0F;
        }

        int closeCode() {
            return payload.length < 2 ? -1 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        String closeReason() {
            return new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }
    }
}
