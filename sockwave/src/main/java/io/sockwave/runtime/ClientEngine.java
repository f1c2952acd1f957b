package io.sockwave.runtime;

import io.sockwave.Listener;
import io.sockwave.Session;
import java.net.URI;
import java.util.concurrent.CompletableFuture;

/** The running part of {@link io.sockwave.Client}. */
public final class ClientEngine {
    public ClientEngine(int eventLoops) {
    }

    public CompletableFuture<Session> connect(URI uri, ClientSpec spec, Listener listener) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("implementation in progress"));
    }

    public void close() {
    }
}
