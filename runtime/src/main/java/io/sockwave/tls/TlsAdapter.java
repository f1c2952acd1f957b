package io.sockwave.tls;

import io.sockwave.protocol.ArrayPool;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * TLS for one connection through an {@link SSLEngine}, in the same bytes-in, bytes-out shape as the protocol core: the
 * caller reads ciphertext into a buffer and hands it to {@link #unwrap}, which passes plaintext to a {@link Sink};
 * the caller hands plaintext frames to {@link #wrap} and writes the ciphertext it produces. Handshake messages,
 * TLS 1.3 post-handshake messages (session tickets, key updates) and close_notify travel the same way.
 *
 * <p>The buffers are the caller's, shared by every connection of an event loop. The adapter keeps bytes only when
 * it must: the tail of a record cut by the transport ({@link #restoreLeftover}) and ciphertext the socket did not
 * take ({@link #holdUnwritten}), each copied into an array sized to fit and dropped once used. Not thread-safe.
 */
public final class TlsAdapter {
    /** The most plaintext one TLS record carries (RFC 8446 §5.1, RFC 5246 §6.2.1): 2^14 bytes. */
    public static final int RECORD_PLAINTEXT = 1 << 14;
    private static final ByteBuffer[] NO_DATA = {ByteBuffer.allocate(0)};
    /** The protocol versions that have renegotiation; TLS 1.3 has none (RFC 8446 §4.1.2). */
    private static final Set<String> RENEGOTIABLE = Set.of("SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2");
    /** How many renegotiations a client follows on one connection; see {@link #checkRenegotiation}. */
    static final int SERVER_RENEGOTIATIONS = 1;

    private final SSLEngine engine;
    private final ArrayPool arrays;
    private final boolean prefersHeap;
    /** The tail of a cut record, in an array of {@link #arrays} longer than it, or null. */
    private byte[] leftover;
    private int leftoverLength;
    private ByteBuffer unwritten;
    private boolean inboundDone;
    /** Whether the first handshake has finished, after which a handshake a client starts is a renegotiation. */
    private boolean established;
    /** Whether a renegotiation is under way, from its first message to its {@code FINISHED}. */
    private boolean renegotiating;
    /** How many renegotiations a server has started with this client. */
    private int renegotiations;

    /** Receives decrypted bytes. */
    @FunctionalInterface
    public interface Sink {
        /**
         * @param plaintext bytes decrypted, from position to limit; all must be consumed before returning
         */
        void onPlaintext(ByteBuffer plaintext);
    }

    /**
     * @param engine an engine in client or server mode, with its parameters set
     * @param arrays where the tail of a cut record is kept between reads (up to a record's 16 KiB, after most reads
     *     of large messages): the event loop's, so that keeping it allocates nothing
     * @throws SSLException if the handshake cannot begin
     */
    public TlsAdapter(SSLEngine engine, ArrayPool arrays) throws SSLException {
        this.engine = engine;
        this.arrays = arrays;
        this.prefersHeap = !isNative(engine);
        engine.beginHandshake();
    }

    /**
     * @return whether the engine's ciphers work on arrays, as the JDK's and BouncyCastle's do: given direct buffers,
     *     such an engine copies their bytes into arrays of its own for every record, so its ciphertext is better
     *     kept in heap buffers. Only engines known to run native code (see {@link #isNative}) get direct ones.
     */
    public boolean prefersHeapBuffers() {
        return prefersHeap;
    }

    /**
     * Engines that encrypt in native code read and write direct buffers in place and copy heap ones: Conscrypt's
     * (BoringSSL), netty-tcnative's and wildfly-openssl's (OpenSSL). Told apart by package, since they share no type.
     */
    private static boolean isNative(SSLEngine engine) {
        String name = engine.getClass().getName();
        return name.startsWith("org.conscrypt.") || name.startsWith("io.netty.handler.ssl.")
                || name.startsWith("org.wildfly.openssl.");
    }

    /** @return the engine's session: once the TLS handshake is done, the negotiated one */
    public SSLSession session() {
        return engine.getSession();
    }

    /** @return the size a plaintext buffer given to {@link #unwrap} must have at least */
    public int plaintextBufferSize() {
        return engine.getSession().getApplicationBufferSize();
    }

    /** @return the size a ciphertext buffer given to {@link #wrap} must have at least */
    public int ciphertextBufferSize() {
        return engine.getSession().getPacketBufferSize();
    }

    /**
     * Puts the tail of a record kept from the previous {@link #unwrap} at the buffer's position, so that the next
     * read continues it, and forgets it.
     *
     * @param net a buffer about to be read into
     */
    public void restoreLeftover(ByteBuffer net) {
        if (leftover != null) {
            net.put(leftover, 0, leftoverLength);
            arrays.give(leftover);
            leftover = null;
        }
    }

    /** @return whether the tail of a record is kept for the next read */
    public boolean hasLeftover() {
        return leftover != null;
    }

    /**
     * Decrypts the whole records in {@code net}, handing plaintext to {@code sink} each time {@code plaintext}
     * fills and once at the end; the tail of a cut record is kept (see {@link #restoreLeftover}). It also stops
     * when the engine must send before it can read on (see {@link #wantsWrap()}), keeping the rest likewise.
     *
     * @param net ciphertext; consumed entirely
     * @param plaintext scratch of at least {@link #plaintextBufferSize()} bytes; cleared before use
     * @param sink receives plaintext
     * @return whether any record was consumed
     * @throws SSLException when the peer's bytes are not valid TLS, or the handshake fails
     */
    public boolean unwrap(ByteBuffer net, ByteBuffer plaintext, Sink sink) throws SSLException {
        boolean progress = false;
        plaintext.clear();
        // Some engines (Conscrypt) read a record header's length with getShort, in the buffer's byte order; a loop's
        // read buffer may be in the machine's order, which is little-endian on x86 and would make every record
        // look longer than it is: the engine would wait forever for the rest.
        ByteOrder order = net.order();
        net.order(ByteOrder.BIG_ENDIAN);
        try {
            while (net.hasRemaining() && !inboundDone) {
                SSLEngineResult result = engine.unwrap(net, plaintext);
                checkRenegotiation(result.getHandshakeStatus());
                stepHandshake(result.getHandshakeStatus());
                Status status = result.getStatus();
                if (status == Status.BUFFER_OVERFLOW) {
                    if (plaintext.position() == 0) {
                        throw new SSLException("plaintext buffer smaller than the engine's application buffer");
                    }
                    deliver(plaintext, sink);
                    continue;
                }
                if (status == Status.CLOSED) {
                    inboundDone = true;
                    break;
                }
                if (status == Status.BUFFER_UNDERFLOW || result.bytesConsumed() == 0) {
                    break;
                }
                progress = true;
                if (plaintext.remaining() < plaintextBufferSize()) {
                    deliver(plaintext, sink);
                }
            }
        } finally {
            if (net.hasRemaining() && !inboundDone) {
                leftoverLength = net.remaining();
                leftover = arrays.take(leftoverLength);
                net.get(leftover, 0, leftoverLength);
            }
            net.position(net.limit());
            net.order(order);
        }
        deliver(plaintext, sink);
        return progress;
    }

    private static void deliver(ByteBuffer plaintext, Sink sink) {
        if (plaintext.position() > 0) {
            plaintext.flip();
            sink.onPlaintext(plaintext);
            plaintext.clear();
        }
    }

    /**
     * Encrypts plaintext frames, and whatever handshake messages are due, into {@code net}: as many records as fit.
     *
     * <p>With {@code staging}, frames that are not one direct buffer are first copied into it, a record's worth at a
     * time, and the engine is given that one direct buffer. A native engine given anything else copies the frames
     * into a direct buffer of its own (Conscrypt allocates one per engine, 16 KiB and zeroed, on its first record:
     * a cost per connection that a server of short connections pays at every handshake). The engine would copy the
     * bytes once either way.
     *
     * @param frames the plaintext, in order; positions advance past what was consumed
     * @param count how many of {@code frames} to use, possibly 0 to produce only handshake messages
     * @param staging a direct buffer of at least {@link #RECORD_PLAINTEXT} bytes for a native engine (see
     *     {@link #prefersHeapBuffers()}), or null to hand the frames to the engine as they are
     * @param net where ciphertext goes; records are only produced while at least {@link #ciphertextBufferSize()}
     *     bytes remain
     * @return the plaintext bytes consumed
     * @throws SSLException when the engine fails
     */
    public long wrap(ByteBuffer[] frames, int count, ByteBuffer staging, ByteBuffer net) throws SSLException {
        if (staging != null && count > 0 && (count > 1 || !frames[0].isDirect())) {
            return wrapStaged(frames, count, staging, net);
        }
        ByteBuffer[] srcs = count == 0 ? NO_DATA : frames;
        int length = count == 0 ? 1 : count;
        long consumed = 0;
        while (net.remaining() >= ciphertextBufferSize()) {
            SSLEngineResult result = engine.wrap(srcs, 0, length, net);
            stepHandshake(result.getHandshakeStatus());
            consumed += result.bytesConsumed();
            if (result.getStatus() == Status.CLOSED || result.getStatus() == Status.BUFFER_OVERFLOW) {
                break;
            }
            if (result.bytesProduced() == 0 && result.bytesConsumed() == 0) {
                break;
            }
            if (!hasRemaining(srcs, length) && engine.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
                break;
            }
        }
        return consumed;
    }

    private long wrapStaged(ByteBuffer[] frames, int count, ByteBuffer staging, ByteBuffer net) throws SSLException {
        long consumed = 0;
        int first = 0;
        while (net.remaining() >= ciphertextBufferSize()) {
            staging.clear().limit(RECORD_PLAINTEXT);
            first = copyWithoutConsuming(frames, first, count, staging);
            staging.flip();
            SSLEngineResult result = engine.wrap(staging, net);
            stepHandshake(result.getHandshakeStatus());
            consumed += result.bytesConsumed();
            first = consume(frames, first, count, result.bytesConsumed());
            if (result.getStatus() == Status.CLOSED || result.getStatus() == Status.BUFFER_OVERFLOW) {
                break;
            }
            if (result.bytesProduced() == 0 && result.bytesConsumed() == 0) {
                break;
            }
            if (first == count && engine.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
                break;
            }
        }
        return consumed;
    }

    /** @return the index of the first frame with bytes left, from {@code first}; copies until {@code to} is full */
    private static int copyWithoutConsuming(ByteBuffer[] frames, int first, int count, ByteBuffer to) {
        int i = first;
        while (i < count && !frames[i].hasRemaining()) {
            i++;
        }
        int skipped = i;
        for (; i < count && to.hasRemaining(); i++) {
            ByteBuffer frame = frames[i];
            int n = Math.min(frame.remaining(), to.remaining());
            to.put(to.position(), frame, frame.position(), n);
            to.position(to.position() + n);
        }
        return skipped;
    }

    /** Advances the frames' positions past {@code n} bytes; returns the index of the first frame with bytes left. */
    private static int consume(ByteBuffer[] frames, int first, int count, int n) {
        int i = first;
        int left = n;
        while (i < count && left >= frames[i].remaining()) {
            left -= frames[i].remaining();
            frames[i].position(frames[i].limit());
            i++;
        }
        if (left > 0) {
            frames[i].position(frames[i].position() + left);
        }
        return i;
    }

    private static boolean hasRemaining(ByteBuffer[] srcs, int length) {
        for (int i = 0; i < length; i++) {
            if (srcs[i].hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    /**
     * A server refuses a renegotiation its client starts (TLS 1.2 and earlier), before running its key exchange:
     * each one costs the server a private-key operation on its event loop, which every other connection of that
     * loop waits for, for a few hundred bytes from the client (CVE-2011-1473). Sockwave never starts one itself,
     * RFC 5746 §4.4 lets a server refuse them, and nginx, Go and BoringSSL refuse them all.
     *
     * <p>A client follows {@value #SERVER_RENEGOTIATIONS} renegotiation its server starts, and refuses the next: a
     * server that asks for a client certificate only once it has read the request path (IIS, Apache's per-location
     * {@code SSLVerifyClient}) renegotiates once, and a WebSocket gives a server no other reason to; each one re-runs
     * the key exchange and the certificate checks on the client's event loop. BoringSSL follows none by default
     * (Chrome allows them on HTTP/1.1 connections, for those client certificates), HTTP/2 forbids them (RFC 9113
     * §9.2.1); OpenSSL and the JDK follow every one, Jetty 5 per connection.
     *
     * @param status the handshake status an unwrap left
     * @throws SSLException when the record unwrapped began a renegotiation this end refuses
     */
    private void checkRenegotiation(HandshakeStatus status) throws SSLException {
        if (!established || renegotiating || status == HandshakeStatus.NOT_HANDSHAKING
                || status == HandshakeStatus.FINISHED || !RENEGOTIABLE.contains(engine.getSession().getProtocol())) {
            return;
        }
        if (!engine.getUseClientMode()) {
            throw new SSLException("TLS renegotiation refused: the client started one after the handshake");
        }
        if (renegotiations == SERVER_RENEGOTIATIONS) {
            throw new SSLException("TLS renegotiation refused: the server started a second one, and a client"
                    + " follows one");
        }
        renegotiations++;
        renegotiating = true;
    }

    /**
     * Notes the end of the first handshake, and runs the engine's delegated tasks inline: they are short computations
     * (key exchange, certificate checks).
     */
    private void stepHandshake(HandshakeStatus status) {
        if (status == HandshakeStatus.FINISHED) {
            established = true;
            renegotiating = false;
        }
        if (status == HandshakeStatus.NEED_TASK) {
            Runnable task;
            while ((task = engine.getDelegatedTask()) != null) {
                task.run();
            }
        }
    }

    /** @return whether the engine has handshake or alert bytes to send before it can go on */
    public boolean wantsWrap() {
        return engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP;
    }

    /**
     * @return whether the handshake waits for the peer's next flight: until it comes, no plaintext can be wrapped
     *     and nothing is due to be sent
     */
    public boolean awaitsPeerHandshake() {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status == HandshakeStatus.NEED_UNWRAP || status == HandshakeStatus.NEED_UNWRAP_AGAIN;
    }

    /** @return whether the handshake is still under way */
    public boolean isHandshaking() {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status != HandshakeStatus.NOT_HANDSHAKING && status != HandshakeStatus.FINISHED;
    }

    /** @return whether the peer sent close_notify */
    public boolean isInboundDone() {
        return inboundDone;
    }

    /** Queues close_notify; the next {@link #wrap} produces it. */
    public void closeOutbound() {
        engine.closeOutbound();
    }

    /**
     * Keeps ciphertext the socket did not take, to be written before anything else.
     *
     * @param net ciphertext from position to limit; copied
     */
    public void holdUnwritten(ByteBuffer net) {
        ByteBuffer copy = ByteBuffer.allocate(net.remaining());
        copy.put(net).flip();
        unwritten = copy;
    }

    /** @return ciphertext kept by {@link #holdUnwritten}, or null; write from its position */
    public ByteBuffer unwritten() {
        return unwritten;
    }

    /** Forgets the kept ciphertext once written. */
    public void clearUnwritten() {
        unwritten = null;
    }

    /** @return how many buffers the adapter holds: 0 to 2 */
    public int heldBuffers() {
        return (leftover != null ? 1 : 0) + (unwritten != null ? 1 : 0);
    }

    /** Forgets every held byte and closes the engine, ignoring a peer that never sent close_notify. */
    public void release() {
        if (leftover != null) {
            arrays.give(leftover);
        }
        leftover = null;
        unwritten = null;
        engine.closeOutbound();
        try {
            engine.closeInbound();
        } catch (SSLException e) {
            // Expected when the peer did not send close_notify; the connection is over either way.
        }
    }
}
