package io.sockwave.bench.peers.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * One client's opening handshake (RFC 6455 §4.1), prepared ahead of time: the request bytes, with a key of its own,
 * and the {@code Sec-WebSocket-Accept} value the server must answer with (§4.2.2: base64 of the SHA-1 of the key and
 * the GUID). Preparing them before the measurement keeps hashing out of the generator's hot path.
 */
public final class Upgrade {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    /** A response head longer than this is a broken server, not a slow one. */
    static final int MAX_RESPONSE_HEAD = 8192;

    private final byte[] request;
    private final String expectedAccept;
    /** The permessage-deflate negotiation the server must answer with, or null when none was offered. */
    private final DeflateOffer deflate;

    private Upgrade(byte[] request, String expectedAccept, DeflateOffer deflate) {
        this.request = request;
        this.expectedAccept = expectedAccept;
        this.deflate = deflate;
    }

    /**
     * @param host the server's address, for the Host header
     * @param port the server's port
     * @param path the request target, e.g. {@code /echo}
     * @param seed picks the key; distinct seeds give distinct keys
     * @return the prepared handshake
     */
    public static Upgrade prepare(String host, int port, String path, long seed) {
        return prepare(host, port, path, seed, null);
    }

    /**
     * @param host the server's address, for the Host header
     * @param port the server's port
     * @param path the request target
     * @param seed picks the key
     * @param deflate the permessage-deflate offer to make, or null for none
     * @return the prepared handshake, whose {@link #verify} also requires the server to accept the offer
     */
    static Upgrade prepare(String host, int port, String path, long seed, DeflateOffer deflate) {
        byte[] nonce = new byte[16];
        new SplittableRandom(seed).nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        String head = "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + host + ":" + port + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + (deflate == null ? "" : "Sec-WebSocket-Extensions: " + deflate.header() + "\r\n")
                + "\r\n";
        return new Upgrade(head.getBytes(StandardCharsets.US_ASCII), accept(key), deflate);
    }

    /**
     * @param key a Sec-WebSocket-Key value
     * @return the Sec-WebSocket-Accept value a server must derive from it (RFC 6455 §4.2.2 step 5.4)
     */
    static String accept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    /** @return the request bytes, wrapped without a copy */
    ByteBuf request() {
        return Unpooled.wrappedBuffer(request);
    }

    /**
     * Checks a server's response head: status 101, {@code Upgrade: websocket}, {@code Connection: Upgrade} and the
     * expected accept value (RFC 6455 §4.1, the client's checks 1 to 4).
     *
     * @param head the response head, without the final empty line
     * @return null if the response is a valid acceptance, else what is wrong with it
     */
    String verify(String head) {
        String[] lines = head.split("\r\n");
        if (!lines[0].startsWith("HTTP/1.1 101")) {
            return "status line is not 101: " + lines[0];
        }
        boolean upgrade = false;
        boolean connection = false;
        String accept = null;
        String extensions = null;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                return "malformed header line: " + lines[i];
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            switch (name) {
                case "upgrade" -> upgrade = value.equalsIgnoreCase("websocket");
                case "connection" -> connection = value.toLowerCase(Locale.ROOT).contains("upgrade");
                case "sec-websocket-accept" -> accept = value;
                case "sec-websocket-extensions" -> extensions = extensions == null ? value : extensions + ", " + value;
                default -> {
                }
            }
        }
        if (!upgrade || !connection) {
            return "missing Upgrade: websocket or Connection: Upgrade in " + head;
        }
        if (!expectedAccept.equals(accept)) {
            return "Sec-WebSocket-Accept is " + accept + ", expected " + expectedAccept;
        }
        return deflate == null ? null : deflate.verify(extensions);
    }
}
