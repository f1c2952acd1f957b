package io.sockwave.protocol;

/** Which end of the connection this engine plays; it decides masking (RFC 6455 §5.1) and who closes TCP (§7.1.1). */
public enum Role {
    /** The end that opened the connection; masks every frame it sends. */
    CLIENT,
    /** The end that accepted the connection; never masks, and closes TCP first after a close handshake. */
    SERVER
}
