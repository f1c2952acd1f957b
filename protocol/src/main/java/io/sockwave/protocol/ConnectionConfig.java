package io.sockwave.protocol;

import io.sockwave.protocol.extension.Extension;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link Connection} behaves once the opening handshake is done.
 *
 * @param role which end this is
 * @param limits frame and message size limits
 * @param extensions the extensions negotiated in the handshake, in the order they apply to outgoing data; at most
 *     one extension per RSV bit
 * @param autoPong whether a ping is answered with a pong automatically (RFC 6455 §5.5.2); default true
 * @param streaming whether data arrives as {@link EventHandler#onFragment pieces} instead of whole messages;
 *     default false
 * @param maskKeys where a client's mask keys come from; default {@link MaskKeySource#secure()}
 * @param frames where outgoing frames are built; default {@link FrameAllocator#HEAP}
 * @param messageBudget what incomplete messages may hold, shared with other connections; default
 *     {@link MessageBudget#unlimited()}
 * @param arrays where incoming messages are assembled; default {@link ArrayPool#HEAP}
 * @param lendBinary whether a whole binary message is lent to {@link EventHandler#onBinaryLent}, in an array of
 *     {@code arrays} that goes back to it once the handler is done, instead of given in an array of its own;
 *     default false
 */
public record ConnectionConfig(Role role, Limits limits, List<Extension> extensions, boolean autoPong,
                               boolean streaming, MaskKeySource maskKeys, FrameAllocator frames,
                               MessageBudget messageBudget, ArrayPool arrays, boolean lendBinary) {
    /**
     * Creates the record, checking its components.
     *
     * @param role which end this is
     * @param limits frame and message size limits
     * @param extensions the extensions negotiated in the handshake, in the order they apply to outgoing data; at
     *     most one extension per RSV bit
     * @param autoPong whether a ping is answered with a pong automatically (RFC 6455 §5.5.2); default true
     * @param streaming whether data arrives as {@link EventHandler#onFragment pieces} instead of whole messages;
     *     default false
     * @param maskKeys where a client's mask keys come from; default {@link MaskKeySource#secure()}
     * @param frames where outgoing frames are built; default {@link FrameAllocator#HEAP}
     * @param messageBudget what the incomplete messages of every connection sharing it may hold together
     * @param arrays where incoming messages are assembled; default {@link ArrayPool#HEAP}
     * @param lendBinary whether whole binary messages are lent in arrays of {@code arrays}; default false
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if two extensions claim the same RSV bit, or an extension claims none
     */
    public ConnectionConfig {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(maskKeys, "maskKeys");
        Objects.requireNonNull(frames, "frames");
        Objects.requireNonNull(messageBudget, "messageBudget");
        Objects.requireNonNull(arrays, "arrays");
        extensions = List.copyOf(extensions);
        int claimed = 0;
        for (Extension extension : extensions) {
            int bits = extension.rsvBits();
            if (bits == 0 || (claimed & bits) != 0 || (bits & ~FrameHeader.RSV_MASK) != 0) {
                throw new IllegalArgumentException("extension " + extension.name() + " claims RSV bits 0x"
                        + Integer.toHexString(bits) + " that are invalid or already claimed");
            }
            claimed |= bits;
        }
    }

    /**
     * The configuration as it was before message arrays could be pooled: a new array per message, nothing lent.
     *
     * @param role which end this is
     * @param limits frame and message size limits
     * @param extensions the negotiated extensions, in the order they apply to outgoing data
     * @param autoPong whether a ping is answered with a pong automatically
     * @param streaming whether data arrives as pieces instead of whole messages
     * @param maskKeys where a client's mask keys come from
     * @param frames where outgoing frames are built
     * @param messageBudget what the incomplete messages of every connection sharing it may hold together
     */
    public ConnectionConfig(Role role, Limits limits, List<Extension> extensions, boolean autoPong, boolean streaming,
                            MaskKeySource maskKeys, FrameAllocator frames, MessageBudget messageBudget) {
        this(role, limits, extensions, autoPong, streaming, maskKeys, frames, messageBudget, ArrayPool.HEAP, false);
    }

    /**
     * @param role which end this is
     * @return the defaults: default limits, no extensions, automatic pongs, whole messages, secure mask keys, heap
     *     frames, no budget beyond each message's limit, a new array per message
     */
    public static ConnectionConfig of(Role role) {
        return new ConnectionConfig(role, Limits.DEFAULTS, List.of(), true, false, MaskKeySource.secure(),
                FrameAllocator.HEAP, MessageBudget.unlimited(), ArrayPool.HEAP, false);
    }

    /**
     * @param limits the limits
     * @return a copy with them
     */
    public ConnectionConfig withLimits(Limits limits) {
        return new ConnectionConfig(role, limits, extensions, autoPong, streaming, maskKeys, frames,
                messageBudget, arrays, lendBinary);
    }

    /**
     * @param extensions the negotiated extensions
     * @return a copy with them
     */
    public ConnectionConfig withExtensions(List<Extension> extensions) {
        return new ConnectionConfig(role, limits, extensions, autoPong, streaming, maskKeys, frames,
                messageBudget, arrays, lendBinary);
    }

    /**
     * @param autoPong whether pings are answered automatically
     * @return a copy with that choice
     */
    public ConnectionConfig withAutoPong(boolean autoPong) {
        return new ConnectionConfig(role, limits, extensions, autoPong, streaming, maskKeys, frames,
                messageBudget, arrays, lendBinary);
    }

    /**
     * @param streaming whether data is delivered in pieces
     * @return a copy with that choice
     */
    public ConnectionConfig withStreaming(boolean streaming) {
        return new ConnectionConfig(role, limits, extensions, autoPong, streaming, maskKeys, frames,
                messageBudget, arrays, lendBinary);
    }

    /**
     * @param maskKeys the mask key source
     * @return a copy with it
     */
    public ConnectionConfig withMaskKeys(MaskKeySource maskKeys) {
        return new ConnectionConfig(role, limits, extensions, autoPong, streaming, maskKeys, frames,
                messageBudget, arrays, lendBinary);
    }

    /**
     * @param frames where outgoing frames are built
     * @return a copy with it
     */
    public ConnectionConfig withFrames(FrameAllocator frames) {
        return new ConnectionConfig(role, limits, extensions, autoPong, streaming, maskKeys, frames,
                messageBudget, arrays, lendBinary);
    }

    /**
     * @param messageBudget what incomplete messages may hold
     * @return a copy with it
     */
    public ConnectionConfig withMessageBudget(MessageBudget messageBudget) {
        return new ConnectionConfig(role, limits, extensions, autoPong, streaming, maskKeys, frames,
                messageBudget, arrays, lendBinary);
    }

    /**
     * @param arrays where incoming messages are assembled
     * @return a copy with it
     */
    public ConnectionConfig withArrays(ArrayPool arrays) {
        return new ConnectionConfig(role, limits, extensions, autoPong, streaming, maskKeys, frames,
                messageBudget, arrays, lendBinary);
    }

    /**
     * @param lendBinary whether whole binary messages are lent in arrays of {@link #arrays()}, to be given back
     * @return a copy with that choice
     */
    public ConnectionConfig withLendBinary(boolean lendBinary) {
        return new ConnectionConfig(role, limits, extensions, autoPong, streaming, maskKeys, frames,
                messageBudget, arrays, lendBinary);
    }
}
