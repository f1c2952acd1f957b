package io.sockwave.redis;

import io.lettuce.core.codec.StringCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Lettuce's UTF-8 codec, decoding each bulk string straight into a String. Lettuce's own wraps every one in a Netty
 * buffer and a slice of the read buffer first: about 230 bytes of garbage for a short name, where this costs the
 * copy and the String. A join's reply lists the names present, so a join in a room of 300 decoded some 70 KB of
 * garbage, which filled the young generation as members came. Encoding is Lettuce's (straight into its buffers).
 * Stateless and thread-safe.
 */
final class Utf8Codec extends StringCodec {
    static final Utf8Codec INSTANCE = new Utf8Codec();

    private Utf8Codec() {
        super(StandardCharsets.UTF_8);
    }

    @Override
    public String decodeKey(ByteBuffer bytes) {
        return decode(bytes);
    }

    @Override
    public String decodeValue(ByteBuffer bytes) {
        return decode(bytes);
    }

    /** @return the bytes' remaining content as UTF-8, malformed input replaced (as Lettuce's); leaves them as they are */
    static String decode(ByteBuffer bytes) {
        int length = bytes.remaining();
        if (bytes.hasArray()) {
            return new String(bytes.array(), bytes.arrayOffset() + bytes.position(), length, StandardCharsets.UTF_8);
        }
        byte[] copy = new byte[length];
        bytes.get(bytes.position(), copy);
        return new String(copy, StandardCharsets.UTF_8);
    }
}
