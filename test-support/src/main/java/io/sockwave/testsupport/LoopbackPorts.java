package io.sockwave.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/**
 * Free ports on 127.0.0.1 for programs a test starts itself, a wait until one of them listens, and whether this
 * machine has the IPv6 loopback address.
 */
public final class LoopbackPorts {
    private LoopbackPorts() {
    }

    /**
     * A port that was free on 127.0.0.1 a moment ago. Another process may take it before the caller binds it, so
     * prefer port 0 wherever the program under test can report the port it bound.
     */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on loopback", e);
        }
    }

    /**
     * Waits until a TCP connect to 127.0.0.1:port succeeds.
     *
     * @return whether it did within the timeout
     */
    public static boolean awaitListening(int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return true;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        return false;
    }

    /** @return whether a socket can be bound on ::1 here (tests of IPv6 skip their cases where it cannot) */
    public static boolean hasIpv6Loopback() {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
