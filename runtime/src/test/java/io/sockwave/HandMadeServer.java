package io.sockwave;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;

/** A plain {@link ServerSocket} on loopback, for tests that play a server by writing raw bytes. */
final class HandMadeServer implements AutoCloseable {
    final ServerSocket socket;

    HandMadeServer() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        socket.setSoTimeout(10_000);
    }

    URI uri(String path) {
        return URI.create("ws://127.0.0.1:" + socket.getLocalPort() + path);
    }

    /** Accepts the next connection and reads its upgrade request. */
    Accepted accept() throws IOException {
        RawSocket raw = new RawSocket(socket.accept());
        return new Accepted(raw, raw.readHead());
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** An accepted connection and the request head it sent. */
    record Accepted(RawSocket raw, String request) {
    }
}
