package io.sockwave.interop.matrix;

import java.net.URI;
import java.util.concurrent.CompletableFuture;

/** What the matrix's echo servers share: plain or TLS, the futures of the handshake and of the close, the URI. */
abstract class RecordingEchoServer implements EchoServer {
    final boolean tls;
    final CompletableFuture<Handshake> opened = new CompletableFuture<>();
    final CompletableFuture<Received.Closed> closed = new CompletableFuture<>();

    /** @param tls whether the server serves wss:// */
    RecordingEchoServer(boolean tls) {
        this.tls = tls;
    }

    /** @return the port the server listens on */
    abstract int port();

    @Override
    public final URI uri() {
        return URI.create((tls ? "wss" : "ws") + "://127.0.0.1:" + port() + "/echo");
    }

    @Override
    public final CompletableFuture<Handshake> opened() {
        return opened;
    }

    @Override
    public final CompletableFuture<Received.Closed> closed() {
        return closed;
    }
}
