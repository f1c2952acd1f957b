package io.sockwave;

import io.sockwave.protocol.FrameEncoder;
import io.sockwave.protocol.Opcode;
import io.sockwave.runtime.Prepared;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A message encoded once to be sent to many sessions: the frame a server sends (unmasked, no extension) is built
 * when the message is created and shared, read-only, by every session it is sent to, so a broadcast to N sessions
 * costs one encoding and no payload copy. A session that must transform the payload (a client, which masks, or a
 * session with a payload-transforming extension such as permessage-deflate) encodes its own frame from the
 * payload. Immutable and thread-safe.
 *
 * <pre>{@code
 * PreparedMessage update = PreparedMessage.text("{\"price\": 42}");
 * for (Session s : subscribers) {
 *     s.send(update);
 * }
 * }</pre>
 */
public final class PreparedMessage {
    static {
        Prepared.install(new Prepared.Access() {
            @Override
            public Opcode type(PreparedMessage message) {
                return message.type;
            }

            @Override
            public ByteBuffer payload(PreparedMessage message) {
                return message.payload.duplicate();
            }

            @Override
            public ByteBuffer sharedFrame(PreparedMessage message) {
                return message.frame;
            }
        });
    }

    private final Opcode type;
    private final ByteBuffer payload;
    private final ByteBuffer frame;

    private PreparedMessage(Opcode type, byte[] payload) {
        this.type = type;
        this.payload = ByteBuffer.wrap(payload).asReadOnlyBuffer();
        this.frame = FrameEncoder.encode(true, 0, type, ByteBuffer.wrap(payload), false, 0).asReadOnlyBuffer();
    }

    /**
     * @param text the message
     * @return the prepared text message
     * @throws IllegalArgumentException if the text holds an unpaired surrogate, which UTF-8 cannot carry (RFC 6455
     *     §5.6), as {@link Session#sendText} refuses it
     */
    public static PreparedMessage text(CharSequence text) {
        String string = text.toString();
        // String.getBytes, the fast path, would put '?' in place of an unpaired surrogate: text with surrogates
        // is encoded strictly instead, and refused if one is unpaired, as sendText does.
        if (!hasSurrogate(string)) {
            return new PreparedMessage(Opcode.TEXT, string.getBytes(StandardCharsets.UTF_8));
        }
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer encoded;
        try {
            encoded = encoder.encode(CharBuffer.wrap(string));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("text holds an unpaired surrogate, which UTF-8 cannot carry", e);
        }
        byte[] utf8 = new byte[encoded.remaining()];
        encoded.get(utf8);
        return new PreparedMessage(Opcode.TEXT, utf8);
    }

    private static boolean hasSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isSurrogate(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param data the message, from position to limit; copied, not modified
     * @return the prepared binary message
     */
    public static PreparedMessage binary(ByteBuffer data) {
        byte[] copy = new byte[data.remaining()];
        data.duplicate().get(copy);
        return new PreparedMessage(Opcode.BINARY, copy);
    }

    /** @return whether this is a text message */
    public boolean isText() {
        return type == Opcode.TEXT;
    }

    /** @return the payload length in bytes (UTF-8 for text) */
    public int size() {
        return payload.remaining();
    }

    /** @return the payload, read-only */
    public ByteBuffer payload() {
        return payload.duplicate();
    }
}
