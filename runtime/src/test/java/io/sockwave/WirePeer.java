package io.sockwave;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A hand-made WebSocket endpoint over a blocking socket (plain or TLS), in either role, with permessage-deflate
 * (RFC 7692, context takeover in both directions, 15-bit windows) when negotiated: it encodes messages into the exact
 * frames a test chooses (fragmented, with pings between fragments) and decodes what the endpoint under test sends,
 * independently of Sockwave's own codec.
 */
final class WirePeer implements AutoCloseable {
    /** RFC 7692 §7.2.1: the four bytes a compressor's sync flush ends with, left out of the message's payload. */
    private static final byte[] SYNC_TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    /** A message as it travels: text (UTF-8 bytes) or binary. */
    record Message(boolean text, byte[] payload) {
        @Override
        public String toString() {
            return (text ? "text " : "binary ") + payload.length + " B";
        }
    }

    /** What the endpoint under test sent back: the data messages, the pong payloads, and the close. */
    static final class Received {
        final List<Message> messages = new java.util.ArrayList<>();
        final List<byte[]> pongs = new java.util.ArrayList<>();
        int closeCode = -2;
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final boolean masks;
    private final Deflater deflater;
    private final Inflater inflater;
    private final Random random;
    private boolean inflaterResets;

    /**
     * @param socket connected, the opening handshake done
     * @param client whether this end is the client, which masks its frames (RFC 6455 §5.3)
     * @param deflate whether permessage-deflate was negotiated, with context takeover this way
     * @param random mask keys, and nothing else
     */
    WirePeer(Socket socket, boolean client, boolean deflate, Random random) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.masks = client;
        this.deflater = deflate ? new Deflater(Deflater.DEFAULT_COMPRESSION, true) : null;
        this.inflater = deflate ? new Inflater(true) : null;
        this.random = random;
    }

    /**
     * Encodes one message as {@code pieces} frames (RFC 6455 §5.4), compressed first when deflate is on (§6.1 of
     * RFC 7692: RSV1 on the first frame only), with a ping after every piece but the last when {@code pings} is set.
     *
     * @param pingTag distinguishes this message's ping payloads
     * @param pingsSent receives the payload of each ping put between the pieces
     */
    byte[] encode(Message message, int pieces, boolean pings, int pingTag, List<byte[]> pingsSent) {
        byte[] payload = message.payload();
        boolean compressed = deflater != null;
        if (compressed) {
            payload = compress(payload);
        }
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        int n = Math.max(1, Math.min(pieces, Math.max(1, payload.length)));
        int start = 0;
        for (int i = 0; i < n; i++) {
            int end = i == n - 1 ? payload.length : start + payload.length / n;
            int opcode = i == 0 ? (message.text() ? 1 : 2) : 0;
            int rsv1 = i == 0 && compressed ? 0x40 : 0;
            int fin = i == n - 1 ? 0x80 : 0;
            frames.writeBytes(frame(fin | rsv1 | opcode, Arrays.copyOfRange(payload, start, end)));
            if (pings && i < n - 1) {
                byte[] ping = pingPayload(pingTag, i);
                pingsSent.add(ping);
                frames.writeBytes(frame(0x89, ping));
            }
            start = end;
        }
        return frames.toByteArray();
    }

    private static byte[] pingPayload(int tag, int piece) {
        return ("ping " + tag + "." + piece).getBytes(StandardCharsets.US_ASCII);
    }

    private byte[] compress(byte[] payload) {
        deflater.setInput(payload);
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int k;
        do {
            k = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
            compressed.write(chunk, 0, k);
        } while (k == chunk.length);
        byte[] bytes = compressed.toByteArray();
        if (bytes.length < SYNC_TAIL.length) {
            // Nothing to flush after an empty message: RFC 7692 §7.2.3.6's single empty stored block stands for it.
            return new byte[] {0};
        }
        return Arrays.copyOf(bytes, bytes.length - SYNC_TAIL.length);
    }

    /** @return a frame of this end's role: masked with a fresh random key when this end is the client */
    byte[] frame(int b0, byte[] payload) {
        byte[] key = null;
        if (masks) {
            key = new byte[4];
            random.nextBytes(key);
        }
        return RawSocket.frame(b0, payload, key);
    }

    /** Writes bytes in pieces of random sizes, flushing each: TCP may then cut frames anywhere. */
    void writeChunked(byte[] bytes, Random chunking, int maxChunk) throws IOException {
        int at = 0;
        while (at < bytes.length) {
            int k = Math.min(bytes.length - at, 1 + chunking.nextInt(maxChunk));
            out.write(bytes, at, k);
            out.flush();
            at += k;
        }
    }

    /**
     * Reads frames until {@code messages} more data messages have arrived, collecting pongs on the way; or, with
     * {@code messages} negative, until a close frame.
     */
    void readInto(Received received, int messages) throws IOException {
        int wanted = received.messages.size() + messages;
        ByteArrayOutputStream assembling = null;
        boolean assemblingText = false;
        boolean assemblingCompressed = false;
        while (messages < 0 || received.messages.size() < wanted) {
            int b0 = readByte();
            int b1 = readByte();
            if ((b1 & 0x80) != 0 == masks) {
                throw new IOException("frame masking is wrong for the role (RFC 6455 §5.1): " + Integer.toHexString(b1));
            }
            long length = b1 & 0x7F;
            if (length == 126) {
                length = (readByte() << 8) | readByte();
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | readByte();
                }
            }
            byte[] key = (b1 & 0x80) != 0 ? in.readNBytes(4) : null;
            byte[] payload = in.readNBytes((int) length);
            if (payload.length != length) {
                throw new EOFException("end of stream inside a frame");
            }
            if (key != null) {
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= key[i & 3];
                }
            }
            int opcode = b0 & 0x0F;
            boolean fin = (b0 & 0x80) != 0;
            if (opcode == 0xA) {
                received.pongs.add(payload);
            } else if (opcode == 0x9) {
                throw new IOException("an unexpected ping: keepalive is off in these tests");
            } else if (opcode == 0x8) {
                received.closeCode = payload.length < 2 ? -1 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
                return;
            } else {
                if (opcode != 0) {
                    assembling = new ByteArrayOutputStream();
                    assemblingText = opcode == 1;
                    assemblingCompressed = (b0 & 0x40) != 0;
                } else if (assembling == null) {
                    throw new IOException("a continuation frame with no message begun (RFC 6455 §5.4)");
                }
                assembling.writeBytes(payload);
                if (fin) {
                    byte[] whole = assembling.toByteArray();
                    received.messages.add(new Message(assemblingText,
                            assemblingCompressed ? inflate(whole) : whole));
                    assembling = null;
                }
            }
        }
    }

    /** The other side agreed to no context takeover for what it sends (RFC 7692 §7.1.1). */
    void peerResetsItsContext() {
        inflaterResets = true;
    }

    private byte[] inflate(byte[] compressed) throws IOException {
        if (inflater == null) {
            throw new IOException("RSV1 set without permessage-deflate negotiated (RFC 6455 §5.2)");
        }
        if (inflaterResets) {
            inflater.reset();
        }
        byte[] input = Arrays.copyOf(compressed, compressed.length + SYNC_TAIL.length);
        System.arraycopy(SYNC_TAIL, 0, input, compressed.length, SYNC_TAIL.length);
        inflater.setInput(input);
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        byte[] chunk = new byte[65536];
        try {
            while (true) {
                int k = inflater.inflate(chunk);
                plain.write(chunk, 0, k);
                if (k == 0 && (inflater.needsInput() || inflater.finished())) {
                    return plain.toByteArray();
                }
            }
        } catch (DataFormatException e) {
            throw new IOException("a compressed message does not inflate: " + e.getMessage(), e);
        }
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Asserts nothing more comes: end of stream (a reset counts too). */
    boolean atEndOfStream() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("end of stream");
        }
        return b;
    }

    @Override
    public void close() throws IOException {
        socket.close();
        if (deflater != null) {
            deflater.end();
            inflater.end();
        }
    }
}
