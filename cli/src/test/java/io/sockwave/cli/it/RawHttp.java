package io.sockwave.cli.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A hand-written HTTP exchange over a plain socket, to see exactly what a server answers. */
public final class RawHttp implements AutoCloseable {
    /** RFC 6455 §1.3's example request, on a path of the caller's choice. */
    public static final String RFC_KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    /** The accept value RFC 6455 §1.3 derives from {@link #RFC_KEY}. */
    public static final String RFC_ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    private final Socket socket;

    /** The status line, header fields (names lower-cased) and, for non-101 answers, the body. */
    public record Response(String statusLine, Map<String, String> headers, String body) {
        /** @return the status code */
        public int status() {
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    /** Connects to 127.0.0.1 on the port. */
    public RawHttp(int port) throws IOException {
        this(InetAddress.getLoopbackAddress(), port);
    }

    /** Connects to the address on the port. */
    public RawHttp(InetAddress address, int port) throws IOException {
        socket = new Socket(address, port);
        socket.setSoTimeout(10_000);
    }

    /** @return the RFC 6455 §1.3 example handshake request for this path, with extra header lines */
    public static String rfcUpgrade(String path, int port, String... extraHeaders) {
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + RFC_KEY + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n");
        for (String header : extraHeaders) {
            request.append(header).append("\r\n");
        }
        return request.append("\r\n").toString();
    }

    /** Sends the request and reads the response head, and the body when it is not a 101. */
    public Response exchange(String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + head.size() + " bytes: " + head);
            }
            head.write(b);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
        }
        String body = "";
        if (headers.containsKey("content-length")) {
            body = new String(in.readNBytes(Integer.parseInt(headers.get("content-length"))), StandardCharsets.UTF_8);
        }
        return new Response(lines[0], headers, body);
    }

    /** @return the socket, to go on with frames after a 101 */
    public Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
