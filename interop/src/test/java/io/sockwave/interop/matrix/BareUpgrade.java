package io.sockwave.interop.matrix;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * An opening handshake written by hand on a bare socket, with no Sockwave in the way: how the tests show what a
 * peer does on its own (which extension parameters it answers, how it closes).
 */
final class BareUpgrade {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private BareUpgrade() {
    }

    /**
     * Writes an upgrade request offering {@code extensions} (none if empty) and reads the answer's head.
     *
     * @return the response head, up to and without the blank line; the socket is left at the first frame
     */
    static String offer(Socket socket, String path, String extensions) throws IOException {
        socket.setSoTimeout(30_000);
        String key = Base64.getEncoder().encodeToString("sixteen byte key".getBytes(StandardCharsets.UTF_8));
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
                + (extensions.isEmpty() ? "" : "Sec-WebSocket-Extensions: " + extensions + "\r\n")
                + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return readHead(socket.getInputStream());
    }

    /**
     * Answers an upgrade request as RFC 6455 §4.2.2 does: 101 with its Sec-WebSocket-Accept, no subprotocol.
     *
     * @param request the request head, as {@link #readHead} returns it
     * @param extensions the Sec-WebSocket-Extensions to answer, none if empty
     */
    static void answer(String request, OutputStream out, String extensions) throws IOException {
        String key = request.lines().filter(l -> l.regionMatches(true, 0, "Sec-WebSocket-Key:", 0, 18))
                .map(l -> l.substring(18).trim()).findFirst()
                .orElseThrow(() -> new IOException("no Sec-WebSocket-Key in " + request));
        String accept;
        try {
            accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
        out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept + "\r\n"
                + (extensions.isEmpty() ? "" : "Sec-WebSocket-Extensions: " + extensions + "\r\n")
                + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** @return the values of the head's Sec-WebSocket-Extensions fields, in order */
    static List<String> extensions(String head) {
        return head.lines()
                .filter(line -> line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-extensions:"))
                .map(line -> line.substring(line.indexOf(':') + 1).trim())
                .toList();
    }

    /** @return an HTTP head, up to and without the blank line */
    static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection ended within the HTTP head: " + head);
            }
            head.append((char) b);
        }
        return head.substring(0, head.length() - 4);
    }
}
