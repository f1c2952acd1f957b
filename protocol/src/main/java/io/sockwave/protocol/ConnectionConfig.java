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
 */
public record ConnectionConfig(Role role, Limits limits, List<Extension> extensions, boolean autoPong,
                               boolean streaming, MaskKeySource maskKeys, FrameAllocator frames,
                               MessageBudget messageBudget) {
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
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if two extensions claim the same RSV bit, or an extension claims none
     */
    public ConnectionConfig {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(maskKeys, "maskKeys");
        Objects.requireNonNull(frames, "frames");
        Objects.requireNonNull(messageBudget, "messageBudget");
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
     * @param role which end this is
     * @return the defaults: default limits, no extensions, automatic pongs, whole messages, secure mask keys, heap
     *     frames, no budget beyond each message's limit
     */
    public static ConnectionConfig of(Role role) {
        return new ConnectionConfig(role, Limits.DEFAULTS, List.of(), true, false, MaskKeySource.secure(),
                FrameAllocator.HEAP, MessageBudget.unlimited());
    }

    /**
     * @param limits the limits
     * @return a copy with them
     */
    public ConnectionConfig withLimits(Limits limits) {
        return new ConnectionConfig(role, limits, extensions, autoPong, streaming, maskKeys, frames, messageBudget);
    }

    /**
     * @param extensions the negotiated extensions
     * @return a copy with them
     */
    public ConnectionConfig withExtensions(List<Extension> extensions) {
        return new ConnectionConfig(role, limits, extensions, autoPong, streaming, maskKeys, frames, messageBudget);
    }

    /**
     * @param autoPong whether pings are answered automatically
     * @return a copy with that choice
     */
    public ConnectionConfig withAutoPong(boolean autoPong) {
        return new ConnectionConfig(role, limits, extensions, autoPong, streaming, maskKeys, frames, messageBudget);
    }

    /**
     * @param streaming whether data is delivered in pieces
     * @return a copy with that choice
     */
    public ConnectionConfig withStreaming(boolean streaming) {
        return new ConnectionConfig(role, limits, extensions, autoPong, streaming, maskKeys, frames, messageBudget);
    }

    /**
     * @param maskKeys the mask key source
     * @return a copy with it
     */
    public ConnectionConfig withMaskKeys(MaskKeySource maskKeys) {
        return new ConnectionConfig(role, limits, extensions, autoPong, streaming, maskKeys, frames, messageBudget);
    }

    /**
     * @param frames where outgoing frames are built
     * @return a copy with it
     */
    public ConnectionConfig withFrames(FrameAllocator frames) {
        return new ConnectionConfig(role, limits, extensions, autoPong, streaming, maskKeys, frames, messageBudget);
    }

    /**
     * @param messageBudget what incomplete messages may hold
     * @return a copy with it
     */
    public ConnectionConfig withMessageBudget(MessageBudget messageBudget) {
        return new ConnectionConfig(role, limits, extensions, autoPong, streaming, maskKeys, frames, messageBudget);
    }
}
