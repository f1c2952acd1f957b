package io.sockwave.cli.tls;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** Just enough ASN.1 DER to turn traditional OpenSSL key files into PKCS#8, which the JDK's key factories read. */
final class Der {
    static final int INTEGER = 0x02;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OBJECT_IDENTIFIER = 0x06;
    static final int SEQUENCE = 0x30;
    /** Context-specific constructed tag [0], which holds the curve in an SEC 1 EC key. */
    static final int CONTEXT_0 = 0xA0;

    private Der() {}

    /**
     * @param tag the element's tag byte
     * @param contents the encoded contents
     * @return the complete element: tag, definite length and contents
     */
    static byte[] element(int tag, byte[]... contents) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] c : contents) {
            body.writeBytes(c);
        }
        int length = body.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (length < 0x80) {
            out.write(length);
        } else {
            int octets = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | octets);
            for (int i = octets - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    /** A reader over the elements inside one constructed element. */
    static final class Reader {
        private final ByteBuffer in;

        /**
         * @param der a complete constructed element, such as a SEQUENCE
         * @param expectedTag the tag it must have
         * @throws IllegalArgumentException if it is malformed or has another tag
         */
        Reader(byte[] der, int expectedTag) {
            ByteBuffer whole = ByteBuffer.wrap(der);
            this.in = ByteBuffer.wrap(next(whole, expectedTag));
        }

        boolean hasNext() {
            return in.hasRemaining();
        }

        /** @return the tag of the next element, without consuming it */
        int peekTag() {
            return in.get(in.position()) & 0xFF;
        }

        /** @return the contents of the next element, which must have the given tag */
        byte[] next(int tag) {
            return next(in, tag);
        }

        private static byte[] next(ByteBuffer in, int tag) {
            try {
                int actual = in.get() & 0xFF;
                if (actual != tag) {
                    throw new IllegalArgumentException(
                            String.format("malformed DER: expected tag 0x%02x, found 0x%02x", tag, actual));
                }
                int length = in.get() & 0xFF;
                if (length >= 0x80) {
                    int octets = length & 0x7F;
                    if (octets == 0 || octets > 3) {
                        throw new IllegalArgumentException("malformed DER: unsupported length encoding");
                    }
                    length = 0;
                    for (int i = 0; i < octets; i++) {
                        length = (length << 8) | (in.get() & 0xFF);
                    }
                }
                byte[] contents = new byte[length];
                in.get(contents);
                return contents;
            } catch (java.nio.BufferUnderflowException e) {
                throw new IllegalArgumentException("malformed DER: truncated element", e);
            }
        }
    }
}
