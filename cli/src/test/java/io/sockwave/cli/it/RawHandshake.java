package io.sockwave.cli.it;

import io.sockwave.protocol.handshake.AcceptKey;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The server's side of an opening handshake by hand, for a test that then reads the client's frames byte by byte. */
final class RawHandshake {
    /** The longest request head read: a client's is well under it. */
    private static final int MAX_HEAD = 16 << 10;

    private RawHandshake() {
    }

    /**
     * Reads the client's request head and answers 101 with no subprotocol and no extension.
     *
     * @param in the connection's input, left at the first byte after the head
     * @param out its output
     * @throws IOException if the head is cut short, too long, or has no {@code Sec-WebSocket-Key}
     */
    static void accept(InputStream in, OutputStream out) throws IOException {
        String key = null;
        for (String line : readHead(in).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:")) {
                key = line.substring(line.indexOf(':') + 1).strip();
            }
        }
        if (key == null) {
            throw new IOException("the request has no Sec-WebSocket-Key");
        }
        out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + AcceptKey.derive(key) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the connection ended within the request head");
            }
            if (head.size() == MAX_HEAD) {
                throw new IOException("request head longer than " + MAX_HEAD + " bytes");
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
