package io.sockwave;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * A blocking TLS peer over a plain socket through an {@link SSLEngine}, which, unlike SSLSocket (whose read returns
 * -1 on a bare TCP FIN as on close_notify), tells whether the other side ended TLS with close_notify.
 */
final class EngineSocket implements AutoCloseable {
    final Socket socket;
    final SSLEngine engine;
    private final InputStream in;
    private final OutputStream out;
    private ByteBuffer netIn = ByteBuffer.allocate(1 << 17);
    private final ByteBuffer appIn = ByteBuffer.allocate(1 << 17);
    private final ByteArrayOutputStream plain = new ByteArrayOutputStream();
    /** "close_notify" once the peer's alert is read, "fin" when TCP ended first. */
    String end;

    EngineSocket(Socket socket, SSLContext context, boolean client, String... protocols) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        engine = context.createSSLEngine("127.0.0.1", socket.getPort());
        engine.setUseClientMode(client);
        if (protocols.length > 0) {
            engine.setEnabledProtocols(protocols);
        }
        engine.beginHandshake();
        netIn.flip();
        while (engine.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING
                && engine.getHandshakeStatus() != HandshakeStatus.FINISHED) {
            step();
        }
    }

    private void step() throws IOException {
        switch (engine.getHandshakeStatus()) {
            case NEED_WRAP -> flushWrap(ByteBuffer.allocate(0));
            case NEED_TASK -> {
                Runnable r;
                while ((r = engine.getDelegatedTask()) != null) {
                    r.run();
                }
            }
            default -> readSome();
        }
    }

    private void flushWrap(ByteBuffer src) throws IOException {
        ByteBuffer net = ByteBuffer.allocate(1 << 17);
        do {
            SSLEngineResult r = engine.wrap(src, net);
            if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                Runnable t;
                while ((t = engine.getDelegatedTask()) != null) {
                    t.run();
                }
            }
            if (r.bytesProduced() == 0 && r.bytesConsumed() == 0) {
                break;
            }
        } while (src.hasRemaining() || engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP);
        net.flip();
        out.write(net.array(), 0, net.limit());
        out.flush();
    }

    /** Unwraps what is buffered, reading more from the socket when needed. @return false at the end */
    private boolean readSome() throws IOException {
        while (true) {
            if (netIn.hasRemaining()) {
                appIn.clear();
                SSLEngineResult r = engine.unwrap(netIn, appIn);
                if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                    Runnable t;
                    while ((t = engine.getDelegatedTask()) != null) {
                        t.run();
                    }
                }
                appIn.flip();
                plain.write(appIn.array(), 0, appIn.limit());
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    end = "close_notify";
                    return false;
                }
                if (r.bytesConsumed() > 0 || r.bytesProduced() > 0) {
                    return true;
                }
            }
            ByteBuffer next = ByteBuffer.allocate(1 << 17);
            next.put(netIn);
            byte[] b = new byte[8192];
            int n;
            try {
                n = in.read(b);
            } catch (java.net.SocketException e) {
                end = "reset";
                return false;
            }
            if (n < 0) {
                end = "fin";
                return false;
            }
            next.put(b, 0, n).flip();
            netIn = next;
        }
    }

    /** Starts a TLS 1.3 KeyUpdate or a TLS 1.2 renegotiation, and runs it to its end. */
    void rehandshake() throws IOException {
        engine.beginHandshake();
        while (engine.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING
                && engine.getHandshakeStatus() != HandshakeStatus.FINISHED) {
            step();
        }
    }

    void write(byte[] bytes) throws IOException {
        flushWrap(ByteBuffer.wrap(bytes));
    }

    void write(String ascii) throws IOException {
        write(ascii.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    /** @return plaintext until at least n bytes are buffered, or null at the end */
    byte[] read(int n) throws IOException {
        while (plain.size() < n) {
            if (!readSome() && plain.size() < n) {
                return null;
            }
        }
        byte[] all = plain.toByteArray();
        byte[] head = java.util.Arrays.copyOf(all, n);
        plain.reset();
        plain.write(all, n, all.length - n);
        return head;
    }

    String readHead() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            byte[] b = read(1);
            if (b == null) {
                throw new java.io.EOFException(sb.toString());
            }
            sb.append((char) (b[0] & 0xFF));
        }
        return sb.toString();
    }

    /** @return a frame: b0 then the (unmasked) payload; assumes payload < 126 bytes and an unmasked frame */
    byte[] readSmallFrame() throws IOException {
        byte[] h = read(2);
        int len = h[1] & 0x7F;
        boolean masked = (h[1] & 0x80) != 0;
        byte[] key = masked ? read(4) : null;
        byte[] p = read(len);
        if (masked) {
            for (int i = 0; i < len; i++) {
                p[i] ^= key[i & 3];
            }
        }
        byte[] f = new byte[len + 1];
        f[0] = h[0];
        System.arraycopy(p, 0, f, 1, len);
        return f;
    }

    /** Reads to the end of the stream. @return how TLS ended: "close_notify", "fin" or "reset" */
    String readEnd() throws IOException {
        while (readSome()) {
            // discard
        }
        return end;
    }

    /** Sends close_notify. */
    void closeNotify() throws IOException {
        engine.closeOutbound();
        flushWrap(ByteBuffer.allocate(0));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
