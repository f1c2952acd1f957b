package io.sockwave.protocol.extension;

/** Receives decoded payload bytes; the connection's implementation enforces the message size limit. */
@FunctionalInterface
public interface PayloadSink {
    /**
     * @param bytes decoded bytes; copied before this returns
     * @param offset the index of the first byte
     * @param length how many bytes
     * @throws io.sockwave.protocol.MessageTooBigException when the message would exceed its limit
     */
    void write(byte[] bytes, int offset, int length);
}
