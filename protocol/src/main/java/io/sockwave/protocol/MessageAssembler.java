package io.sockwave.protocol;

import io.sockwave.protocol.extension.PayloadSink;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Gathers the bytes of one message as they arrive, holding at most twice what was received and never more than the
 * message limit (or, for an array from the {@link ArrayPool}, than the size the pool rounds that up to), and
 * validating text as it grows so that bad UTF-8 fails the connection at once. Its array is released when a message
 * is handed over, so an idle connection holds none. Text, and binary messages that are lent, are assembled in arrays
 * of the pool; a binary message handed over for keeping gets an array of its own, exactly sized when its end was
 * announced, so that it needs no trimming copy.
 */
final class MessageAssembler implements PayloadSink {
    /**
     * The first array's size when the message's end is not yet known: large enough that small messages arriving in
     * small reads do not grow step by step, small enough that an announced but unsent message costs little.
     */
    static final int INITIAL_CAPACITY = 4096;
    private static final byte[] NONE = new byte[0];

    private final Utf8Validator utf8 = new Utf8Validator();
    private final int maxMessageSize;
    private final MessageBudget budget;
    private final ArrayPool arrays;
    private final boolean lendBinary;
    private boolean text;
    /** Whether {@link #bytes} came from {@link #arrays}, and so goes back there. */
    private boolean bytesPooled;
    private long total;
    private byte[] bytes;
    private int size;
    private long growthCap = Long.MAX_VALUE;

    MessageAssembler(int maxMessageSize) {
        this(maxMessageSize, MessageBudget.unlimited(), ArrayPool.HEAP, false);
    }

    /**
     * @param maxMessageSize the most bytes one message may have
     * @param budget what the arrays of all connections' incomplete messages may hold together
     * @param arrays where text, and lent binary messages, are assembled
     * @param lendBinary whether binary messages are lent with {@link #lendTo}
     */
    MessageAssembler(int maxMessageSize, MessageBudget budget, ArrayPool arrays, boolean lendBinary) {
        this.maxMessageSize = maxMessageSize;
        this.budget = budget;
        this.arrays = arrays;
        this.lendBinary = lendBinary;
    }

    void begin(boolean text) {
        this.text = text;
        utf8.reset();
        this.total = 0;
        this.size = 0;
        this.growthCap = Long.MAX_VALUE;
    }

    /** @return bytes of the current message received so far, including those already handed over as pieces */
    long total() {
        return total;
    }

    /**
     * Checks, before any of it is read, that {@code more} bytes would not take the message over its limit.
     *
     * @param more bytes announced
     * @throws MessageTooBigException if they would
     */
    void checkRoomFor(long more) {
        // Written so that no announced length, however large, can overflow the sum.
        if (more > maxMessageSize - total) {
            throw new MessageTooBigException("message", total + more, maxMessageSize);
        }
    }

    @Override
    public void write(byte[] src, int offset, int length) {
        if (length == 0) {
            // Nothing to copy, and no array to copy into before the first byte arrives.
            return;
        }
        int at = reserve(length);
        System.arraycopy(src, offset, bytes, at, length);
        accept(at, length);
    }

    /**
     * Appends bytes from a buffer, heap or direct, without a staging copy, unmasking them in the copy.
     *
     * @param src the bytes, or null when {@code length} is 0; neither its position nor its bytes are changed
     * @param index the absolute index of the first byte
     * @param length how many bytes
     * @param key the mask key as it applies to {@code src[index]}, or 0 for bytes that are not masked
     * @throws MessageTooBigException if the message would exceed its limit
     * @throws InvalidPayloadException if the message is text and these bytes cannot continue valid UTF-8
     */
    void write(ByteBuffer src, int index, int length, int key) {
        if (length == 0) {
            return;
        }
        int at = reserve(length);
        src.get(index, bytes, at, length);
        Masking.mask(bytes, at, length, key);
        accept(at, length);
    }

    /**
     * Hands over a piece of a streamed message as its own exactly sized array, without assembling it: checks the
     * limit and validates text like {@link #write(ByteBuffer, int, int, int)}.
     *
     * @param src the bytes; neither its position nor its bytes are changed
     * @param index the absolute index of the first byte
     * @param length how many bytes
     * @param key the mask key as it applies to {@code src[index]}, or 0 for bytes that are not masked
     * @return an unmasked copy of the bytes
     */
    byte[] pass(ByteBuffer src, int index, int length, int key) {
        if (length == 0) {
            return NONE;
        }
        checkRoomFor(length);
        byte[] piece = new byte[length];
        src.get(index, piece);
        Masking.mask(piece, 0, length, key);
        if (text) {
            utf8.feed(piece, 0, length);
        }
        total += length;
        return piece;
    }

    /** Checks the limit and makes room; nothing is allocated beyond the bytes about to arrive unless they fit. */
    private int reserve(int length) {
        checkRoomFor(length);
        ensureCapacity(size + length);
        return size;
    }

    /** Validates text where it was copied, which fails the message within the same call as the bad byte. */
    private void accept(int at, int length) {
        if (text) {
            utf8.feed(bytes, at, length);
        }
        size += length;
        total += length;
    }

    /**
     * Says where the message ends once its final frame has been announced, so that growth stops there instead of
     * doubling past it. Nothing is allocated here: the buffer still grows only as bytes arrive.
     *
     * @param end the message's total size in bytes
     */
    void expectEnd(long end) {
        growthCap = end;
    }

    /**
     * Grows by doubling from {@link #INITIAL_CAPACITY}, so that many small fragments cost amortised linear copying,
     * never past the limit nor past the message's announced end. A message whose end is known from its first bytes
     * thus gets one array, which for binary kept by the caller is exactly sized and handed over without a trimming
     * copy.
     */
    private void ensureCapacity(int needed) {
        int capacity = bytes == null ? 0 : bytes.length;
        if (needed <= capacity) {
            return;
        }
        long target = bytes == null ? INITIAL_CAPACITY : (long) capacity * 2;
        int newCapacity = (int) Math.max(needed, Math.min(target, Math.min(growthCap, maxMessageSize)));
        // Both arrays are live during the copy, but only the new one is held afterwards: the old one is what the
        // budget counted so far, so the growth is what it must admit.
        if (!budget.tryReserve(newCapacity - capacity)) {
            throw tooBig(needed);
        }
        byte[] grown;
        // Text is decoded out of its array and lent binary comes back, so both are built in the pool's arrays; binary
        // given away keeps an exactly sized array of its own.
        boolean grownPooled = text || lendBinary;
        try {
            grown = grownPooled ? arrays.take(newCapacity) : new byte[newCapacity];
        } catch (OutOfMemoryError e) {
            // One large array the heap cannot give: the message fails, the connection and its loop do not need to.
            budget.release(newCapacity - capacity);
            throw new ProtocolException(CloseCode.MESSAGE_TOO_BIG, "no memory for a message of " + needed + " bytes");
        }
        if (grown.length > newCapacity && !budget.tryReserve(grown.length - newCapacity)) {
            // The pool rounded the array up past what the budget has left, which the message itself fits: it gets
            // an array of exactly its size instead, as it would without a pool.
            arrays.give(grown);
            grown = new byte[newCapacity];
            grownPooled = false;
        }
        if (bytes != null) {
            System.arraycopy(bytes, 0, grown, 0, size);
            if (bytesPooled) {
                arrays.give(bytes);
            }
        }
        bytes = grown;
        bytesPooled = grownPooled;
    }

    private ProtocolException tooBig(int needed) {
        return new ProtocolException(CloseCode.MESSAGE_TOO_BIG, "message of " + needed
                + " bytes so far does not fit in the memory left for incomplete messages (" + budget.held() + " of "
                + budget.capacity() + " bytes held)");
    }

    /** Ends text validation for the message: it must not stop inside a code point. */
    void finishText() {
        if (text) {
            utf8.finish();
        }
    }

    /**
     * The text was validated as it arrived, so decoding cannot fail here; {@link Utf8Decoder} is used because it
     * outruns the JDK's decoder on ASCII and on other text alike (bench/README.md).
     *
     * @return the text assembled so far; the buffer is released
     */
    String takeText() {
        String s = size == 0 ? "" : Utf8Decoder.decode(bytes, 0, size);
        release();
        return s;
    }

    /** @return the bytes assembled since the last take, exactly sized; the buffer is released */
    byte[] takeBytes() {
        byte[] out;
        if (bytes == null) {
            out = NONE;
        } else if (bytes.length == size && !bytesPooled) {
            out = bytes;
        } else {
            out = Arrays.copyOf(bytes, size);
        }
        release();
        return out;
    }

    /**
     * Lends the message to the handler without a copy, read-only so that the array's other bytes (an earlier
     * message's, perhaps another connection's) stay out of reach; the array goes back to the pool if the handler is
     * done with it when it returns.
     *
     * @param handler the handler
     */
    void lendTo(EventHandler handler) {
        byte[] array = bytes;
        boolean fromPool = array != null && bytesPooled;
        int length = size;
        if (array != null) {
            budget.release(array.length);
            bytes = null;
            bytesPooled = false;
        }
        size = 0;
        ByteBuffer lent = ByteBuffer.wrap(array == null ? NONE : array, 0, length).slice().asReadOnlyBuffer();
        if (handler.onBinaryLent(lent) && fromPool) {
            arrays.give(array);
        }
    }

    /** @return the size of the array held now, in bytes: what a message being assembled costs in memory */
    int held() {
        return bytes == null ? 0 : bytes.length;
    }

    void reset() {
        utf8.reset();
        release();
        total = 0;
    }

    private void release() {
        if (bytes != null) {
            budget.release(bytes.length);
            if (bytesPooled) {
                arrays.give(bytes);
            }
            bytes = null;
            bytesPooled = false;
        }
        size = 0;
    }
}
