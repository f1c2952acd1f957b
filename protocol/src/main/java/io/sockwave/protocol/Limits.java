package io.sockwave.protocol;

/**
 * The bounds that keep a hostile or broken peer from turning a connection into unbounded memory use. Each is checked
 * before the bytes it guards are buffered; exceeding a frame or message limit fails the connection with 1009, and
 * exceeding a handshake limit is answered with {@code 431}.
 *
 * <p>The defaults suit ordinary applications and are rarely met by legitimate traffic. Change them with the
 * {@code with...} methods, which return a copy.
 *
 * @param maxFrameSize the largest data frame payload accepted, in bytes; default 16 MiB. Control frames are bounded by
 *     RFC 6455 §5.5 instead (125 bytes), so a smaller limit still lets pings and closes through. A compressed frame
 *     (permessage-deflate) may exceed it by what deflate adds to data it cannot shrink, an eighth and a sixty-fourth
 *     of the limit plus 64 bytes, so that a message of the limit's size arrives whatever its content
 * @param maxMessageSize the largest message accepted, summed over all its fragments and counted after decompression,
 *     in bytes; default 64 MiB. At most this much is held for a message being assembled.
 * @param maxHandshakeBytes the largest HTTP head (request or status line and headers) accepted, in bytes; default
 *     8 KiB
 * @param maxHandshakeHeaders the most header fields accepted in an HTTP head; default 100
 */
public record Limits(int maxFrameSize, int maxMessageSize, int maxHandshakeBytes, int maxHandshakeHeaders) {
    /** The defaults described above. */
    public static final Limits DEFAULTS = new Limits(16 << 20, 64 << 20, 8 << 10, 100);

    /**
     * Creates the record, checking its components.
     *
     * @param maxFrameSize the largest data frame payload accepted, in bytes; default 16 MiB. Control frames are
     *     bounded by RFC 6455 §5.5 instead (125 bytes); a compressed frame may exceed it by what deflate adds
     * @param maxMessageSize the largest message accepted, summed over all its fragments and counted after
     *     decompression, in bytes; default 64 MiB. At most this much is held for a message being assembled.
     * @param maxHandshakeBytes the largest HTTP head (request or status line and headers) accepted, in bytes;
     *     default 8 KiB
     * @param maxHandshakeHeaders the most header fields accepted in an HTTP head; default 100
     * @throws IllegalArgumentException if a limit is not positive, or a frame may exceed a message
     */
    public Limits {
        // The message limit first: withMaxMessageSize lowers the frame limit to it, and the error names what was set.
        requirePositive("maxMessageSize", maxMessageSize);
        requirePositive("maxFrameSize", maxFrameSize);
        requirePositive("maxHandshakeBytes", maxHandshakeBytes);
        requirePositive("maxHandshakeHeaders", maxHandshakeHeaders);
        if (maxFrameSize > maxMessageSize) {
            throw new IllegalArgumentException(
                    "maxFrameSize (" + maxFrameSize + ") exceeds maxMessageSize (" + maxMessageSize + ")");
        }
    }

    /**
     * @param bytes the largest data frame payload accepted (control frames carry at most 125 bytes whatever it is)
     * @return a copy with that frame limit
     * @throws IllegalArgumentException if it is not positive, or exceeds the message limit: raise that first with
     *     {@link #withMaxMessageSize}
     */
    public Limits withMaxFrameSize(int bytes) {
        return new Limits(bytes, maxMessageSize, maxHandshakeBytes, maxHandshakeHeaders);
    }

    /**
     * Sets the message limit; the frame limit is lowered to it when it was larger.
     *
     * @param bytes the largest message accepted
     * @return a copy with that message limit
     * @throws IllegalArgumentException if it is not positive
     */
    public Limits withMaxMessageSize(int bytes) {
        return new Limits(Math.min(maxFrameSize, bytes), bytes, maxHandshakeBytes, maxHandshakeHeaders);
    }

    /**
     * @param bytes the largest HTTP head accepted
     * @return a copy with that handshake limit
     */
    public Limits withMaxHandshakeBytes(int bytes) {
        return new Limits(maxFrameSize, maxMessageSize, bytes, maxHandshakeHeaders);
    }

    /**
     * @param count the most header fields accepted
     * @return a copy with that header count limit
     */
    public Limits withMaxHandshakeHeaders(int count) {
        return new Limits(maxFrameSize, maxMessageSize, maxHandshakeBytes, count);
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
