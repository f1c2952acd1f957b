package io.sockwave.runtime;

import java.nio.ByteBuffer;

/**
 * The shared frames a loop's broadcasts queue in one turn, each copied once into one direct buffer, one after the
 * other. A plain connection whose queue holds nothing else keeps the turn's frames it was given as a range of this
 * buffer ({@link ChannelDriver}) and writes that range straight from here: a subscriber then costs no queue and no
 * copy of the frames into the write buffer, only its own system call, and a broadcast of several messages in a turn
 * reaches it in one range. The buffer is only appended to while any range is held, and starts over once none is.
 * Confined to the loop's thread.
 */
final class TurnFrames {
    /** Room for a turn's frames; a frame that no longer fits is queued as before, which is only slower. */
    static final int CAPACITY = 64 << 10;
    /** Larger frames gain little from sharing one copy, and would fill the buffer in a few broadcasts. */
    static final int MAX_FRAME = 4 << 10;

    private ByteBuffer buffer;
    /** The same bytes, positioned on one range at a time for its write; the buffer keeps its bounds. */
    private ByteBuffer writable;
    /** The frame appended last and where it starts: a broadcast appends its frame once, for all its subscribers. */
    private ByteBuffer lastFrame;
    private int lastStart;
    private int end;
    private int holders;

    /**
     * @param frame a shared frame, read-only, which this reads with absolute gets only
     * @return where the frame's bytes start in this turn's buffer, or -1 if it does not take it
     */
    int append(ByteBuffer frame) {
        if (frame == lastFrame) {
            return lastStart;
        }
        int n = frame.remaining();
        if (n > MAX_FRAME || n > CAPACITY - end) {
            return -1;
        }
        if (buffer == null) {
            buffer = ByteBuffer.allocateDirect(CAPACITY);
            writable = buffer.duplicate();
        }
        buffer.put(end, frame, frame.position(), n);
        lastFrame = frame;
        lastStart = end;
        end += n;
        return lastStart;
    }

    /** @return the bytes of the frames appended since the buffer last started over */
    int size() {
        return end;
    }

    /** A connection holds a range from now on. */
    void hold() {
        holders++;
    }

    /** A connection's range was written, moved to its queue or dropped: once none is held, the buffer starts over. */
    void release() {
        if (--holders == 0) {
            end = 0;
            lastFrame = null;
        }
    }

    /**
     * @param start a held range's first byte
     * @param limit past its last byte
     * @return the buffer positioned on the range, for one write; valid until the next call
     */
    ByteBuffer range(int start, int limit) {
        return writable.limit(limit).position(start);
    }

    /**
     * @param at where a frame starts in the buffer (a server's frame: unmasked)
     * @return its length, header included
     */
    int frameLength(int at) {
        int length = buffer.get(at + 1) & 0x7F;
        if (length < 126) {
            return 2 + length;
        }
        // Two bytes of length at most: no frame above MAX_FRAME is appended.
        return 4 + (buffer.getShort(at + 2) & 0xFFFF);
    }

    /**
     * @param at where the bytes start
     * @param out receives {@code out.remaining()} bytes from there, at its position, which does not move
     */
    void copy(int at, ByteBuffer out) {
        out.put(out.position(), buffer, at, out.remaining());
    }
}
