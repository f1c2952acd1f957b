package io.sockwave.runtime;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Looks a host name up, blocking until the answer comes. The client calls it on its resolver threads only (see
 * {@link ResolverPool}), never on a caller's thread or an event loop; tests replace it to control how long a lookup
 * takes and to see which thread runs it.
 */
@FunctionalInterface
public interface HostResolver {
    /** The JVM's name service, with its cache: {@link InetAddress#getAllByName(String)}. */
    HostResolver SYSTEM = InetAddress::getAllByName;

    /**
     * @param host a host name, never an IP literal
     * @return the addresses to connect to, tried in this order until one accepts; at least one
     * @throws UnknownHostException if the name has no address
     */
    InetAddress[] resolve(String host) throws UnknownHostException;
}
